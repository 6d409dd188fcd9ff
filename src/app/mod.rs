//! The desktop window (eframe/egui 0.37): the create form, the result card, zh-CN/en.
//!
//! [`OnsApp`] owns the state and applies the [`Command`]s that the views (one module each)
//! return. Network calls and the sandbox run on the tokio runtime ([`worker`]); the UI thread
//! never waits for them.

mod create;
mod fonts;
mod form;
mod hints;
mod history;
mod i18n;
mod perf;
mod result;
mod state;
mod style;
mod topbar;
mod worker;

use std::time::Instant;

use crate::api::{ApiError, Client, CreatedInstance, HttpOptions, Target, Transport};
use crate::credentials::{CredentialSource, Credentials, CredentialsError};
use crate::history::{NewAttempt, Status};
use crate::region::{DEFAULT_REGION, Endpoint, Network};
use crate::sandbox::{Sandbox, SandboxConfig, demo_credentials};

use create::{CreateRequest, CreatedCard, EndpointsRequest, Outcome};
use form::{Form, FormContext};
pub use history::HistoryLocation;
use history::{HistoryContext, HistoryPanel};
pub use i18n::Lang;
use i18n::T;
use result::{Readiness, ResultContext};
pub use state::{Saved, ThemeChoice};
use worker::{Msg, Worker};

/// What the command line says about the window.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Start the in-process sandbox and use it (`--demo`).
    pub demo: bool,
    /// A custom endpoint (`--endpoint`).
    pub endpoint: Option<Endpoint>,
    /// The region (`--region`).
    pub region: Option<String>,
}

/// Where the window's credentials come from at start.
#[derive(Clone, Debug)]
pub enum StartCredentials {
    /// `ALIBABA_CLOUD_*` environment variables (what `onsdesk` does).
    FromEnvironment,
    /// These, labelled as coming from the environment (tests).
    Given(Credentials),
    /// None: the first-run card shows.
    None,
}

/// Everything [`OnsApp`] starts from. [`OnsApp::new`] fills it from the process; tests build
/// one by hand.
#[derive(Clone, Debug)]
pub struct Setup {
    pub options: AppOptions,
    pub credentials: StartCredentials,
    /// `None` follows the saved choice, then the system locale.
    pub lang: Option<Lang>,
    /// Read saved preferences from eframe's storage.
    pub use_storage: bool,
    /// Where the history is kept.
    pub history: HistoryLocation,
}

/// An intent from a view, applied once per frame by [`OnsApp`].
#[derive(Debug)]
pub enum Command {
    Create,
    Cancel,
    SetLang(Lang),
    SetTheme(ThemeChoice),
    SetRegion(String),
    StartSandbox,
    /// Put this text on the clipboard (and show "Copied" next to it).
    Copy(String),
}

/// Credentials as the window knows them.
enum Creds {
    Missing {
        problem: Option<CredentialsError>,
    },
    SandboxStarting,
    SandboxFailed(String),
    Ready {
        source: CredentialSource,
        credentials: Credentials,
    },
}

/// The window.
pub struct OnsApp {
    saved: Saved,
    lang: Lang,
    options: AppOptions,
    form: Form,
    create: CreateRequest,
    creds: Creds,
    /// Kept alive while in use: dropping it stops the server.
    sandbox: Option<Sandbox>,
    transport: Transport,
    worker: Worker,
    history: HistoryPanel,
    copied: Option<(String, Instant)>,
    focus_name: bool,
    focus_id: bool,
    perf: perf::Perf,
}

impl std::fmt::Debug for OnsApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnsApp")
            .field("saved", &self.saved)
            .field("lang", &self.lang)
            .field("form", &self.form)
            .finish_non_exhaustive()
    }
}

impl OnsApp {
    /// The window as `onsdesk` opens it: credentials from the environment, preferences from
    /// eframe's storage, language from the saved choice or the system locale.
    #[must_use]
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        runtime: tokio::runtime::Handle,
        options: AppOptions,
    ) -> Self {
        Self::with_setup(
            cc,
            runtime,
            Setup {
                options,
                credentials: StartCredentials::FromEnvironment,
                lang: None,
                use_storage: true,
                history: HistoryLocation::DataDir,
            },
        )
    }

    /// The window from an explicit [`Setup`].
    pub fn with_setup(
        cc: &eframe::CreationContext<'_>,
        runtime: tokio::runtime::Handle,
        setup: Setup,
    ) -> Self {
        let ctx = &cc.egui_ctx;
        fonts::install(ctx);
        style::install(ctx);
        let mut saved: Saved = if setup.use_storage {
            cc.storage
                .and_then(|s| eframe::get_value(s, state::STORAGE_KEY))
                .unwrap_or_default()
        } else {
            Saved::default()
        };
        if let Some(region) = &setup.options.region {
            saved.region = Some(region.clone());
        }
        let lang = setup.lang.or(saved.lang).unwrap_or_else(Lang::from_env);
        ctx.set_theme(saved.theme.preference());

        let creds = match setup.credentials {
            StartCredentials::FromEnvironment => match Credentials::from_env() {
                Ok(Some(credentials)) => Creds::Ready {
                    source: CredentialSource::Environment,
                    credentials,
                },
                Ok(None) => Creds::Missing { problem: None },
                Err(e) => Creds::Missing { problem: Some(e) },
            },
            StartCredentials::Given(credentials) => Creds::Ready {
                source: CredentialSource::Environment,
                credentials,
            },
            StartCredentials::None => Creds::Missing { problem: None },
        };
        let mut app = Self {
            saved,
            lang,
            form: Form::default(),
            create: CreateRequest::Idle,
            creds,
            sandbox: None,
            transport: Transport::new(HttpOptions::default()),
            history: HistoryPanel::new(setup.history, runtime.clone(), ctx.clone()),
            worker: Worker::new(runtime, ctx.clone()),
            copied: None,
            focus_name: true,
            focus_id: false,
            perf: perf::Perf::from_env(),
            options: setup.options,
        };
        if app.options.demo {
            app.start_sandbox();
        }
        app
    }

    /// The sandbox the window runs (`--demo` or "Try the sandbox"), once it is up.
    #[must_use]
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    fn region(&self) -> String {
        self.saved
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned())
    }

    /// Where a create goes now: the sandbox, `--endpoint`, the custom endpoint, or the
    /// region's official endpoint, in that order.
    fn target(&self) -> Result<Target, String> {
        let region = self.region();
        let endpoint = if let Some(sandbox) = &self.sandbox {
            Endpoint::parse(&sandbox.url())
        } else if let Some(e) = &self.options.endpoint {
            Ok(e.clone())
        } else if self.saved.use_custom_endpoint {
            Endpoint::parse(&self.saved.custom_endpoint)
        } else {
            Endpoint::for_region(&region, Network::Public)
        }
        .map_err(|e| e.to_string())?;
        Ok(Target { endpoint, region })
    }

    fn start_sandbox(&mut self) {
        if matches!(self.creds, Creds::SandboxStarting) || self.sandbox.is_some() {
            return;
        }
        self.creds = Creds::SandboxStarting;
        self.worker
            .spawn(async { Msg::SandboxStarted(Sandbox::start(SandboxConfig::default()).await) });
    }

    /// A client for the current target; `None` without credentials, an error text when the
    /// endpoint is unusable.
    fn client(&self) -> Option<Result<Client, String>> {
        let Creds::Ready { credentials, .. } = &self.creds else {
            return None;
        };
        Some(
            self.target()
                .map(|target| Client::new(self.transport.clone(), target, credentials.clone())),
        )
    }

    fn submit(&mut self) {
        if self.create.is_pending() || !self.form.is_valid() {
            return;
        }
        let client = match self.client() {
            None => return,
            Some(Ok(client)) => client,
            Some(Err(why)) => {
                // Shown on the error card; nothing was sent.
                let seq = self.worker.next_seq();
                let abort = self.worker.spawn(async move {
                    Msg::Created {
                        seq,
                        result: Err(ApiError::Setup(why)),
                    }
                });
                self.create.start(seq, abort);
                return;
            }
        };
        let seq = self.worker.next_seq();
        let name = self.form.name.clone();
        let remark = self.form.remark.clone();
        let attempt = self.new_attempt();
        let recorder = self.history.recorder();
        let abort = self.worker.spawn(async move {
            // On disk before the request leaves; a create that cannot be recorded is not sent.
            let entry = match recorder.record_pending(attempt).await {
                Ok(entry) => entry,
                Err(why) => {
                    let why = format!("the attempt could not be recorded in the history, so nothing was sent: {why}");
                    return Msg::Created { seq, result: Err(ApiError::Setup(why)) };
                }
            };
            let remark = (!remark.is_empty()).then_some(remark.as_str());
            let result = client.create_instance(&name, remark).await;
            recorder.record_outcome(entry, Status::of_create(&result)).await;
            Msg::Created { seq, result }
        });
        self.create.start(seq, abort);
    }

    /// What the history records about a create before it is sent (never a secret).
    fn new_attempt(&self) -> NewAttempt {
        NewAttempt {
            name: self.form.name.clone(),
            remark: self.form.remark.clone(),
            region: self.region(),
            endpoint: self
                .target()
                .map(|t| t.endpoint.to_string())
                .unwrap_or_default(),
            profile: match &self.creds {
                Creds::Ready { source, .. } => source.to_string(),
                _ => String::new(),
            },
        }
    }

    fn on_created(&mut self, seq: u64, created: CreatedInstance) {
        let region = self.region();
        let info_seq = self.worker.next_seq();
        let card = CreatedCard {
            region_name: crate::region::find(&region).map(|r| (r.name_en, r.name_zh)),
            name: self.form.name.clone(),
            region: region.clone(),
            at: create::now_utc_text(),
            endpoints: EndpointsRequest::Pending { seq: info_seq },
            created,
        };
        let id = card.created.instance_id.clone();
        tracing::info!(name = %card.name, instance_id = %id, "created");
        if !self.create.finish(seq, Outcome::Created(Box::new(card))) {
            return;
        }
        if let Some(Ok(client)) = self.client() {
            self.worker.spawn(async move {
                let result = client.instance_base_info(&id).await;
                Msg::BaseInfo {
                    seq: info_seq,
                    result,
                }
            });
        }
        self.focus_id = true;
    }

    /// Applies what the workers finished.
    fn drain_replies(&mut self) {
        while let Some(msg) = self.worker.try_recv() {
            match msg {
                Msg::Created { seq, result } => match result {
                    Ok(created) => self.on_created(seq, created),
                    Err(e) => {
                        self.create.finish(seq, Outcome::Failed(Box::new(e)));
                        self.focus_name = true;
                    }
                },
                Msg::BaseInfo { seq, result } => {
                    if let Some(Outcome::Created(card)) = self.create.outcome_mut()
                        && matches!(card.endpoints, EndpointsRequest::Pending { seq: s } if s == seq)
                    {
                        card.endpoints = match result {
                            Ok(info) => EndpointsRequest::Done(info.endpoints),
                            Err(e) => EndpointsRequest::Failed(e.to_string()),
                        };
                    }
                }
                Msg::SandboxStarted(Ok(sandbox)) => {
                    self.sandbox = Some(sandbox);
                    self.creds = Creds::Ready {
                        source: CredentialSource::Sandbox,
                        credentials: demo_credentials(),
                    };
                    self.focus_name = true;
                }
                Msg::SandboxStarted(Err(e)) => {
                    self.creds = Creds::SandboxFailed(e.to_string());
                }
            }
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::Create => self.submit(),
            Command::Cancel => {
                self.create.cancel();
                self.focus_name = true;
            }
            Command::SetLang(lang) => {
                self.lang = lang;
                self.saved.lang = Some(lang);
            }
            Command::SetTheme(theme) => {
                self.saved.theme = theme;
                self.worker_ctx().set_theme(theme.preference());
            }
            Command::SetRegion(region) => self.saved.region = Some(region),
            Command::StartSandbox => self.start_sandbox(),
            Command::Copy(text) => {
                self.worker_ctx().copy_text(text.clone());
                self.copied = Some((text, Instant::now()));
                // One repaint to take the "Copied" mark down again; not a loop.
                self.worker_ctx().request_repaint_after(result::COPIED_FOR);
            }
        }
    }

    fn worker_ctx(&self) -> &egui::Context {
        self.worker.ctx()
    }

    fn profile_text(&self) -> T {
        match &self.creds {
            Creds::Ready {
                source: CredentialSource::Sandbox,
                ..
            } => T::ProfileSandbox,
            Creds::Ready { .. } => T::ProfileEnvironment,
            _ => T::ProfileNone,
        }
    }

    fn readiness(&self) -> Readiness<'_> {
        match &self.creds {
            Creds::Ready { .. } => Readiness::Ready,
            Creds::Missing { problem } => Readiness::Missing {
                problem: problem.as_ref().map(|p| self.lang.creds_error(p)),
            },
            Creds::SandboxStarting => Readiness::SandboxStarting,
            Creds::SandboxFailed(why) => Readiness::SandboxFailed(why),
        }
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.lang;
        let mut commands = Vec::new();
        let bar = topbar::TopBarContext {
            lang,
            profile: self.profile_text(),
            endpoint: self.target().map(|t| t.endpoint.to_string()),
            cli_endpoint: self.options.endpoint.as_ref(),
        };
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            commands.extend(topbar::top_bar_ui(ui, &mut self.saved, &bar));
            ui.add_space(2.0);
        });
        if let Some(sandbox) = &self.sandbox {
            let (fill, text) = style::banner_colors(ui.ctx().theme());
            egui::Panel::top("sandbox_banner")
                .frame(
                    egui::Frame::new()
                        .fill(fill)
                        .inner_margin(egui::Margin::symmetric(12, 6)),
                )
                .show(ui, |ui| {
                    ui.visuals_mut().override_text_color = Some(text);
                    topbar::sandbox_banner_ui(ui, lang, &sandbox.url());
                });
        }
        let history_cx = HistoryContext {
            lang,
            copied: self.copied.as_ref(),
            credentials: match &self.creds {
                Creds::Ready {
                    source,
                    credentials,
                } => Some((source, credentials)),
                _ => None,
            },
            sandbox_endpoint: self
                .sandbox
                .as_ref()
                .and_then(|s| Endpoint::parse(&s.url()).ok())
                .map(|e| e.to_string()),
            transport: &self.transport,
        };
        egui::Panel::bottom("history")
            .resizable(true)
            .default_size(220.0)
            .min_size(80.0)
            .show(ui, |ui| commands.extend(self.history.ui(ui, &history_cx)));
        egui::Panel::left("form")
            .resizable(false)
            .exact_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("form_scroll")
                    .show(ui, |ui| {
                        ui.add_space(8.0);
                        let action = form::form_ui(
                            ui,
                            &mut self.form,
                            &mut FormContext {
                                lang,
                                ready: matches!(self.creds, Creds::Ready { .. }),
                                in_flight: self.create.elapsed().map(|d| d.as_secs_f32()),
                                focus_name: &mut self.focus_name,
                            },
                        );
                        if action.submit {
                            commands.push(Command::Create);
                        }
                        if action.cancel {
                            commands.push(Command::Cancel);
                        }
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("result_scroll")
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    let mut focus_id = std::mem::take(&mut self.focus_id);
                    commands.extend(result::result_ui(
                        ui,
                        &self.create,
                        ResultContext {
                            lang,
                            readiness: self.readiness(),
                            copied: self.copied.as_ref(),
                            focus_id: &mut focus_id,
                        },
                    ));
                    // Still set if the card was not drawn yet (kept for the next frame).
                    self.focus_id = focus_id;
                });
        });
        if self.create.is_pending() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            commands.push(Command::Cancel);
        }
        commands
    }
}

impl eframe::App for OnsApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_replies();
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let started = Instant::now();
        for command in self.panels_ui(ui) {
            self.apply(command);
        }
        self.perf.frame_done(started, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, state::STORAGE_KEY, &self.saved);
    }
}

/// Opens the window and runs until it is closed. `runtime` runs all background work.
pub fn run(options: AppOptions, runtime: &tokio::runtime::Runtime) -> eframe::Result {
    perf::mark_process_start();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("onsdesk")
        .with_app_id("onsdesk")
        .with_inner_size([960.0, 640.0])
        .with_min_inner_size([720.0, 480.0]);
    match eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => tracing::warn!("window icon not loaded: {e}"),
    }
    let native = eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..eframe::NativeOptions::default()
    };
    let handle = runtime.handle().clone();
    eframe::run_native(
        "onsdesk",
        native,
        Box::new(move |cc| Ok(Box::new(OnsApp::new(cc, handle, options)))),
    )
}
