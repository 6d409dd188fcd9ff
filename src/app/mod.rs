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
mod preflight;
mod profiles;
mod request;
mod result;
mod state;
mod style;
mod topbar;
mod worker;

use std::time::{Duration, Instant};

use crate::api::{ApiError, Client, HttpOptions, Target, Transport};
use crate::credentials::{CredentialSource, Credentials, CredentialsError};
use crate::history::{NewAttempt, Status};
use crate::profiles::ProfileStore;
use crate::region::{DEFAULT_REGION, Endpoint, Network};
use crate::sandbox::{Sandbox, SandboxConfig, demo_credentials};

use create::{
    CheckState, CreateRequest, CreatedCard, EndpointsRequest, FailedCard, Finished, Outcome, Story,
};
use form::{Form, FormContext};
pub use history::HistoryLocation;
use history::{HistoryContext, HistoryPanel};
pub use i18n::Lang;
use i18n::T;
use preflight::Preflight;
use profiles::{Op, OpDone, Problem, ProfileList, ProfilesUi, Selection, TestState, TestWhat};
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
    /// Saved profiles (the data directory and the OS keyring, or an in-memory store in
    /// tests); `None` hides everything about profiles.
    pub profiles: Option<ProfileStore>,
    /// Select this profile at start (as if it had been remembered).
    pub profile: Option<String>,
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
    /// Use these credentials from now on.
    Select(Selection),
    OpenProfiles,
    CloseProfiles,
    ProfileOp(Op),
    TestCredentials(TestWhat),
    DismissKeyringNotice,
    /// Look for the name again after an unknown outcome.
    CheckAgain,
    ShowRequest,
    CloseRequest,
}

/// Credentials as the window knows them.
enum Creds {
    Missing,
    /// Reading a profile's secret from the keyring.
    Loading {
        seq: u64,
        profile: String,
    },
    SandboxStarting,
    SandboxFailed(String),
    Ready {
        source: CredentialSource,
        credentials: Credentials,
    },
}

/// A profile could not be used: said in a banner until dismissed.
struct KeyringNotice {
    profile: String,
    problem: Problem,
}

/// The window.
pub struct OnsApp {
    saved: Saved,
    lang: Lang,
    options: AppOptions,
    form: Form,
    create: CreateRequest,
    creds: Creds,
    /// The environment's credentials (a session-only choice in the selector).
    env: Option<Credentials>,
    env_problem: Option<CredentialsError>,
    store: Option<ProfileStore>,
    profiles: ProfilesUi,
    keyring_notice: Option<KeyringNotice>,
    preflight: Preflight,
    shown_request: Option<request::Shown>,
    /// The service's clock minus ours, once a create had to correct for it: every later call
    /// (endpoints, pre-flight, check again, the next create) signs with it.
    clock_offset: Option<time::Duration>,
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
    /// The window as `onsdesk` opens it: credentials from the remembered profile, the
    /// environment or the default profile (in that order), preferences from eframe's storage,
    /// language from the saved choice or the system locale.
    #[must_use]
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        runtime: tokio::runtime::Handle,
        options: AppOptions,
    ) -> Self {
        let store = match ProfileStore::open_default() {
            Ok(store) => Some(store),
            Err(e) => {
                tracing::warn!("profiles are not available: {e}");
                None
            }
        };
        Self::with_setup(
            cc,
            runtime,
            Setup {
                options,
                credentials: StartCredentials::FromEnvironment,
                lang: None,
                use_storage: true,
                history: HistoryLocation::DataDir,
                profiles: store,
                profile: None,
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
        if setup.profile.is_some() {
            saved.profile.clone_from(&setup.profile);
        }
        let lang = setup
            .lang
            .or(saved.lang)
            .unwrap_or_else(|| Lang::from_locale(crate::locale::system_language(&["en", "zh"])));
        ctx.set_theme(saved.theme.preference());

        let (env, env_problem) = match setup.credentials {
            StartCredentials::FromEnvironment => match Credentials::from_env() {
                Ok(c) => (c, None),
                Err(e) => (None, Some(e)),
            },
            StartCredentials::Given(c) => (Some(c), None),
            StartCredentials::None => (None, None),
        };
        let store_name = setup
            .profiles
            .as_ref()
            .map_or("", |s| s.secret_store().name());
        let mut app = Self {
            saved,
            lang,
            form: Form::default(),
            create: CreateRequest::Idle,
            creds: Creds::Missing,
            env,
            env_problem,
            store: setup.profiles,
            profiles: ProfilesUi::new(store_name),
            keyring_notice: None,
            preflight: Preflight::Idle,
            shown_request: None,
            clock_offset: None,
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
        app.refresh_profiles();
        if app.options.demo {
            app.start_sandbox();
        } else if let Some(name) = app.saved.profile.clone().filter(|_| app.store.is_some()) {
            app.load_profile(name);
        } else if let Some(credentials) = app.env.clone() {
            app.creds = Creds::Ready {
                source: CredentialSource::Environment,
                credentials,
            };
        }
        // Else: the default profile, once the list is read (see `on_listed`).
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

    /// A client for the current target with these credentials and the chosen signature.
    fn client_with(&self, credentials: Credentials) -> Result<Client, String> {
        self.target().map(|target| {
            let client = Client::new(self.transport.clone(), target, credentials)
                .with_signature(self.saved.signature);
            match self.clock_offset {
                Some(offset) => client.with_clock_offset(offset),
                None => client,
            }
        })
    }

    /// A client for the current target; `None` without credentials, an error text when the
    /// endpoint is unusable.
    fn client(&self) -> Option<Result<Client, String>> {
        let Creds::Ready { credentials, .. } = &self.creds else {
            return None;
        };
        Some(self.client_with(credentials.clone()))
    }

    fn submit(&mut self) {
        if self.create.is_pending() || !self.form.is_valid() {
            return;
        }
        let Creds::Ready { credentials, .. } = &self.creds else {
            return;
        };
        let secret = credentials.secret.clone();
        let client = match self.client_with(credentials.clone()) {
            Ok(client) => client,
            Err(why) => {
                // Shown on the error card; nothing was sent.
                let seq = self.worker.next_seq();
                let abort = self.worker.spawn(async move { not_sent(seq, why) });
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
                    let why = format!(
                        "the attempt could not be recorded in the history, so nothing was sent: {why}"
                    );
                    return not_sent(seq, why);
                }
            };
            let remark = (!remark.is_empty()).then_some(remark.as_str());
            let report = crate::create::create(
                &client,
                &name,
                remark,
                crate::create::Policy::default(),
                |step| tracing::debug!(?step, "create"),
            )
            .await;
            recorder
                .record_outcome(entry, Status::of_outcome(&report.outcome))
                .await;
            let diagnosis = signature_diagnosis(&report, &secret);
            Msg::Created {
                seq,
                finished: Box::new(Finished {
                    report,
                    diagnosis,
                    history_entry: entry,
                }),
            }
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

    fn on_finished(&mut self, seq: u64, finished: Finished) {
        let Finished {
            report,
            diagnosis,
            history_entry,
        } = finished;
        if report.clock_offset.is_some() {
            self.clock_offset = report.clock_offset;
        }
        let story = Story {
            steps: report.steps,
            clock_offset: report.clock_offset,
        };
        let region = self.region();
        let card = |error, check| FailedCard {
            error,
            diagnosis,
            story: story.clone(),
            name: self.form.name.clone(),
            region: region.clone(),
            check,
            history_entry,
        };
        let outcome = match report.outcome {
            crate::create::Outcome::Created(c) => self.created_card(
                c.instance_id,
                c.instance_type,
                Some(c.request_id),
                false,
                story.clone(),
            ),
            crate::create::Outcome::Adopted {
                instance_id,
                instance_type,
            } => self.created_card(instance_id, instance_type, None, true, story.clone()),
            crate::create::Outcome::NotCreated(e) => {
                Outcome::NotCreated(Box::new(card(e, CheckState::Idle)))
            }
            crate::create::Outcome::Unknown(e) => {
                Outcome::Unknown(Box::new(card(e, CheckState::Idle)))
            }
        };
        let created = match &outcome {
            Outcome::Created(c) => Some(c.instance_id.clone()),
            _ => None,
        };
        if !self.create.finish(seq, outcome) {
            return;
        }
        match created {
            Some(id) => {
                // The name is taken now: the hint under it must not keep saying "free".
                self.preflight.touch(&self.form.name);
                self.fetch_endpoints(id);
                self.focus_id = true;
            }
            None => self.focus_name = true,
        }
    }

    fn created_card(
        &mut self,
        instance_id: String,
        instance_type: crate::api::InstanceType,
        request_id: Option<String>,
        adopted: bool,
        story: Story,
    ) -> Outcome {
        let region = self.region();
        Outcome::Created(Box::new(CreatedCard {
            instance_id,
            instance_type,
            request_id,
            adopted,
            region_name: crate::region::find(&region).map(|r| (r.name_en, r.name_zh)),
            name: self.form.name.clone(),
            remark: self.form.remark.clone(),
            region,
            at: create::now_utc_text(),
            endpoints: EndpointsRequest::Pending { seq: 0 },
            story,
        }))
    }

    /// Asks `OnsInstanceBaseInfo` for the card's endpoints.
    fn fetch_endpoints(&mut self, id: String) {
        let info_seq = self.worker.next_seq();
        let client = self.client();
        if let Some(Outcome::Created(card)) = self.create.outcome_mut() {
            card.endpoints = EndpointsRequest::Pending { seq: info_seq };
        }
        if let Some(Ok(client)) = client {
            self.worker.spawn(async move {
                let result = client.instance_base_info(&id).await;
                Msg::BaseInfo {
                    seq: info_seq,
                    result,
                }
            });
        }
    }

    fn check_again(&mut self) {
        let Some(Ok(client)) = self.client() else {
            return;
        };
        let seq = self.worker.next_seq();
        let Some(Outcome::Unknown(card)) = self.create.outcome_mut() else {
            return;
        };
        if matches!(card.check, CheckState::Pending { .. }) {
            return;
        }
        card.check = CheckState::Pending { seq };
        let name = card.name.clone();
        let entry = card.history_entry;
        let recorder = self.history.recorder();
        self.worker.spawn(async move {
            let result = crate::create::find_by_name(&client, &name).await;
            // Settle the history entry too, as "Refresh status" would.
            let settled = match &result {
                Ok(Some(found)) => Some(Status::Adopted {
                    instance_id: found.instance_id.clone(),
                    instance_type: found.instance_type.0,
                }),
                Ok(None) => Some(Status::NotCreated {
                    detail: format!(
                        "no instance named {name} exists in the region (checked again)"
                    ),
                }),
                Err(_) => None,
            };
            if let Some(status) = settled {
                recorder.record_outcome(entry, status).await;
            }
            Msg::Checked { seq, result }
        });
    }

    fn on_checked(
        &mut self,
        seq: u64,
        result: Result<Option<crate::api::InstanceSummary>, ApiError>,
    ) {
        let Some(Outcome::Unknown(card)) = self.create.outcome_mut() else {
            return;
        };
        if !matches!(card.check, CheckState::Pending { seq: s } if s == seq) {
            return;
        }
        match result {
            Err(e) => card.check = CheckState::StillUnknown(e.to_string()),
            Ok(None) => {
                card.check = CheckState::NotFound;
                if let CreateRequest::Done(outcome) = &mut self.create
                    && let Outcome::Unknown(card) = std::mem::replace(
                        &mut **outcome,
                        Outcome::Cancelled {
                            after: Duration::ZERO,
                        },
                    )
                {
                    **outcome = Outcome::NotCreated(card);
                }
            }
            Ok(Some(found)) => {
                let story = card.story.clone();
                let (name, remark) = (card.name.clone(), self.form.remark.clone());
                let mut outcome = self.created_card(
                    found.instance_id.clone(),
                    found.instance_type,
                    None,
                    true,
                    story,
                );
                if let Outcome::Created(c) = &mut outcome {
                    c.name = name;
                    c.remark = remark;
                }
                if let CreateRequest::Done(o) = &mut self.create {
                    **o = outcome;
                }
                self.fetch_endpoints(found.instance_id);
            }
        }
    }

    // ---- profiles -------------------------------------------------------------------------

    /// Reads the profile list (file only) in the background.
    fn refresh_profiles(&mut self) {
        let Some(store) = self.store.clone() else {
            return;
        };
        self.worker.spawn_blocking(
            move || {
                let aliyun = crate::profiles::aliyun::default_path().filter(|p| p.is_file());
                (store.list().map_err(Problem::from), aliyun)
            },
            |r| match r {
                Ok((list, aliyun)) => Msg::ProfilesListed(list, aliyun),
                Err(e) => Msg::ProfilesListed(Err(Problem::Text(e)), None),
            },
        );
    }

    fn on_listed(&mut self, result: Result<crate::profiles::ProfilesFile, Problem>) {
        let default = match &result {
            Ok(file) => file.default.clone(),
            Err(_) => None,
        };
        self.profiles.list = match result {
            Ok(file) => ProfileList::Loaded(file),
            Err(p) => ProfileList::Failed(p),
        };
        // Nothing chosen, nothing in the environment: the default profile.
        if matches!(self.creds, Creds::Missing)
            && self.keyring_notice.is_none()
            && let Some(name) = default
        {
            self.load_profile(name);
        }
    }

    /// Reads a profile's secret from the keyring in the background, then uses it.
    fn load_profile(&mut self, name: String) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let seq = self.worker.next_seq();
        self.creds = Creds::Loading {
            seq,
            profile: name.clone(),
        };
        let wanted = name.clone();
        self.worker.spawn_blocking(
            move || store.credentials(&wanted).map_err(Problem::from),
            move |r| Msg::ProfileLoaded {
                seq,
                name,
                result: r.map_err(Problem::Text).and_then(|r| r),
            },
        );
    }

    fn on_profile_loaded(
        &mut self,
        seq: u64,
        name: String,
        result: Result<(crate::profiles::Profile, Credentials), Problem>,
    ) {
        if !matches!(self.creds, Creds::Loading { seq: s, .. } if s == seq) {
            return;
        }
        match result {
            Ok((_, credentials)) => {
                self.keyring_notice = None;
                self.saved.profile = Some(name.clone());
                self.creds = Creds::Ready {
                    source: CredentialSource::Profile(name),
                    credentials,
                };
                self.preflight.touch(&self.form.name);
            }
            Err(problem) => {
                tracing::warn!(profile = %name, "profile not usable");
                self.keyring_notice = Some(KeyringNotice {
                    profile: name,
                    problem,
                });
                // Keep working: the environment's credentials, if there are any.
                self.creds = match self.env.clone() {
                    Some(credentials) => Creds::Ready {
                        source: CredentialSource::Environment,
                        credentials,
                    },
                    None => Creds::Missing,
                };
            }
        }
    }

    fn select(&mut self, selection: Selection) {
        match selection {
            Selection::Profile(name) => {
                if let Some(region) = self
                    .profiles
                    .loaded()
                    .and_then(|f| f.get(&name))
                    .and_then(|p| p.region.clone())
                {
                    self.saved.region = Some(region);
                }
                self.load_profile(name);
            }
            Selection::Environment => {
                if let Some(credentials) = self.env.clone() {
                    self.saved.profile = None;
                    self.creds = Creds::Ready {
                        source: CredentialSource::Environment,
                        credentials,
                    };
                }
            }
            Selection::Sandbox => {
                if self.sandbox.is_some() {
                    self.saved.profile = None;
                    self.creds = Creds::Ready {
                        source: CredentialSource::Sandbox,
                        credentials: demo_credentials(),
                    };
                } else {
                    self.start_sandbox();
                }
            }
        }
        self.preflight.touch(&self.form.name);
    }

    fn profile_op(&mut self, op: Op) {
        let Some(store) = self.store.clone() else {
            return;
        };
        if self.profiles.busy.is_some() {
            return;
        }
        let seq = self.worker.next_seq();
        self.profiles.busy = Some(seq);
        self.profiles.notice = None;
        self.worker.spawn_blocking(
            move || run_op(&store, op),
            move |r| Msg::ProfileOp {
                seq,
                result: r.map_err(Problem::Text).and_then(|r| r),
            },
        );
    }

    fn on_profile_op(
        &mut self,
        seq: u64,
        result: Result<(OpDone, crate::profiles::ProfilesFile), Problem>,
    ) {
        if self.profiles.busy != Some(seq) {
            return;
        }
        self.profiles.busy = None;
        match result {
            Ok((done, file)) => {
                let had_default = self.profiles.loaded().and_then(|f| f.default.clone());
                self.profiles.list = ProfileList::Loaded(file);
                match &done {
                    OpDone::Added { .. } | OpDone::Updated(_) | OpDone::Imported { .. } => {
                        self.profiles.editor = None;
                    }
                    OpDone::Deleted(name) => {
                        self.profiles.confirm_delete = None;
                        if self.saved.profile.as_deref() == Some(name) {
                            self.saved.profile = None;
                        }
                        if matches!(&self.creds, Creds::Ready { source: CredentialSource::Profile(p), .. } if p == name)
                        {
                            self.creds = Creds::Missing;
                            if let Some(credentials) = self.env.clone() {
                                self.creds = Creds::Ready {
                                    source: CredentialSource::Environment,
                                    credentials,
                                };
                            }
                        }
                    }
                    OpDone::Renamed { old, new } => {
                        if self.saved.profile.as_deref() == Some(old) {
                            self.saved.profile = Some(new.clone());
                        }
                        if let Creds::Ready {
                            source: CredentialSource::Profile(p),
                            ..
                        } = &mut self.creds
                            && p == old
                        {
                            p.clone_from(new);
                        }
                    }
                    OpDone::DefaultSet(_) => {}
                }
                // The profile in use was edited: read it again.
                if let OpDone::Updated(name) = &done
                    && matches!(&self.creds, Creds::Ready { source: CredentialSource::Profile(p), .. } if p == name)
                {
                    self.load_profile(name.clone());
                }
                // The first profile (or an import) with nothing in use yet: use it.
                if matches!(self.creds, Creds::Missing)
                    && had_default.is_none()
                    && let OpDone::Added { name, .. } | OpDone::Imported { name, .. } = &done
                {
                    self.load_profile(name.clone());
                }
                self.profiles.notice = Some(profiles::Notice::Done(done));
            }
            Err(problem) => self.profiles.notice = Some(profiles::Notice::Failed(problem)),
        }
    }

    fn test_credentials(&mut self, what: TestWhat) {
        if matches!(self.profiles.test, TestState::Pending { .. }) {
            return;
        }
        let seq = self.worker.next_seq();
        let target = self.target();
        let (transport, signature) = (self.transport.clone(), self.saved.signature);
        let (who, load): (
            String,
            Box<dyn FnOnce() -> Result<Credentials, Problem> + Send>,
        ) = match what {
            TestWhat::Typed(c) => (self.lang.t(T::TypedKey).to_owned(), Box::new(move || Ok(c))),
            TestWhat::Saved(name) => {
                let Some(store) = self.store.clone() else {
                    return;
                };
                let wanted = name.clone();
                (
                    name,
                    Box::new(move || {
                        store
                            .credentials(&wanted)
                            .map(|(_, c)| c)
                            .map_err(Problem::from)
                    }),
                )
            }
        };
        self.profiles.test = TestState::Pending { seq, who };
        self.worker.spawn(async move {
            let verdict = match tokio::task::spawn_blocking(load).await {
                Ok(Ok(credentials)) => match target {
                    Ok(target) => {
                        let client =
                            Client::new(transport, target, credentials).with_signature(signature);
                        crate::profiles::check::check(&client).await
                    }
                    Err(detail) => crate::profiles::check::Verdict::NoNetwork { detail },
                },
                Ok(Err(problem)) => crate::profiles::check::Verdict::Other {
                    code: String::new(),
                    message: match problem {
                        Problem::Keyring(k) => k.to_string(),
                        Problem::NotFound(n) => format!("no profile named {n:?}"),
                        Problem::AlreadyExists(n) => n,
                        Problem::Text(t) => t,
                    },
                },
                Err(e) => crate::profiles::check::Verdict::Other {
                    code: String::new(),
                    message: e.to_string(),
                },
            };
            Msg::Tested { seq, verdict }
        });
    }

    // ---- the loop ---------------------------------------------------------------------------

    /// Applies what the workers finished.
    fn drain_replies(&mut self) {
        while let Some(msg) = self.worker.try_recv() {
            match msg {
                Msg::Created { seq, finished } => self.on_finished(seq, *finished),
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
                Msg::Checked { seq, result } => self.on_checked(seq, result),
                Msg::Preflight { seq, result } => self.preflight.finish(seq, result),
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
                Msg::ProfilesListed(result, aliyun) => {
                    self.profiles.aliyun_file = aliyun;
                    self.on_listed(result);
                }
                Msg::ProfileLoaded { seq, name, result } => {
                    self.on_profile_loaded(seq, name, result);
                }
                Msg::ProfileOp { seq, result } => self.on_profile_op(seq, result),
                Msg::Tested { seq, verdict } => {
                    if let TestState::Pending { seq: s, who } = &self.profiles.test
                        && *s == seq
                    {
                        self.profiles.test = TestState::Done {
                            who: who.clone(),
                            verdict,
                        };
                    }
                }
            }
        }
    }

    /// Starts the pre-flight look when its debounce has run out.
    fn run_preflight(&mut self) {
        if let Some(at) = self.preflight.due_at() {
            let now = Instant::now();
            if at > now {
                // One repaint when the pause is over; nothing in between.
                self.worker_ctx().request_repaint_after(at - now);
                return;
            }
        }
        let region = self.region();
        let Some(name) = self.preflight.due(&self.form.name, &region) else {
            return;
        };
        // Silently skipped without credentials or a usable endpoint.
        let Some(Ok(client)) = self.client() else {
            self.preflight = Preflight::Idle;
            return;
        };
        let seq = self.worker.next_seq();
        self.preflight.start(seq, name, region);
        self.worker.spawn(async move {
            let result = client.instances_in_service().await;
            Msg::Preflight { seq, result }
        });
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
            Command::SetRegion(region) => {
                self.saved.region = Some(region);
                self.preflight.touch(&self.form.name);
            }
            Command::StartSandbox => self.start_sandbox(),
            Command::Copy(text) => {
                self.worker_ctx().copy_text(text.clone());
                self.copied = Some((text, Instant::now()));
                // One repaint to take the "Copied" mark down again; not a loop.
                self.worker_ctx().request_repaint_after(result::COPIED_FOR);
            }
            Command::Select(selection) => self.select(selection),
            Command::OpenProfiles => {
                self.profiles.open = true;
                self.refresh_profiles();
            }
            Command::CloseProfiles => {
                self.profiles.open = false;
                self.profiles.editor = None;
                self.profiles.confirm_delete = None;
                self.profiles.rename = None;
                self.profiles.test = TestState::Idle;
                self.focus_name = true;
            }
            Command::ProfileOp(op) => self.profile_op(op),
            Command::TestCredentials(what) => self.test_credentials(what),
            Command::DismissKeyringNotice => self.keyring_notice = None,
            Command::CheckAgain => self.check_again(),
            Command::ShowRequest => {
                self.shown_request = self
                    .client()
                    .and_then(Result::ok)
                    .map(|client| request::Shown::new(&client, &self.form.name, &self.form.remark));
            }
            Command::CloseRequest => self.shown_request = None,
        }
    }

    fn worker_ctx(&self) -> &egui::Context {
        self.worker.ctx()
    }

    /// What the top bar's selector offers and shows.
    fn profile_choices(&self) -> topbar::ProfileChoices {
        let mut items = Vec::new();
        let default = self.profiles.loaded().and_then(|f| f.default.clone());
        if let Some(file) = self.profiles.loaded() {
            for p in &file.profiles {
                let label = if default.as_deref() == Some(p.name.as_str()) {
                    format!("{} ({})", p.name, self.lang.t(T::DefaultWord))
                } else {
                    p.name.clone()
                };
                items.push((Selection::Profile(p.name.clone()), label));
            }
        }
        if self.env.is_some() {
            items.push((
                Selection::Environment,
                self.lang.t(T::ProfileEnvironment).to_owned(),
            ));
        }
        if self.sandbox.is_some() || self.options.demo {
            items.push((
                Selection::Sandbox,
                self.lang.t(T::ProfileSandbox).to_owned(),
            ));
        }
        let (selected, shown) = match &self.creds {
            Creds::Ready { source, .. } => match source {
                CredentialSource::Profile(name) => {
                    (Some(Selection::Profile(name.clone())), name.clone())
                }
                CredentialSource::Environment => (
                    Some(Selection::Environment),
                    self.lang.t(T::ProfileEnvironment).to_owned(),
                ),
                CredentialSource::Sandbox => (
                    Some(Selection::Sandbox),
                    self.lang.t(T::ProfileSandbox).to_owned(),
                ),
            },
            Creds::Loading { profile, .. } => (None, format!("{profile}…")),
            Creds::SandboxStarting => (None, format!("{}…", self.lang.t(T::ProfileSandbox))),
            Creds::Missing | Creds::SandboxFailed(_) => {
                (None, self.lang.t(T::ProfileNone).to_owned())
            }
        };
        topbar::ProfileChoices {
            items,
            selected,
            shown,
            manage: self.store.is_some(),
        }
    }

    fn readiness(&self) -> Readiness<'_> {
        match &self.creds {
            Creds::Ready { .. } => Readiness::Ready,
            Creds::Missing => Readiness::Missing {
                problem: self.env_problem.as_ref().map(|p| self.lang.creds_error(p)),
                profiles: self.store.is_some(),
            },
            Creds::Loading { profile, .. } => Readiness::Loading(profile),
            Creds::SandboxStarting => Readiness::SandboxStarting,
            Creds::SandboxFailed(why) => Readiness::SandboxFailed(why),
        }
    }

    /// The sandbox banner and the keyring notice, under the top bar.
    fn banners_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.lang;
        let mut commands = Vec::new();
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
        if let Some(notice) = &self.keyring_notice {
            let (fill, text) = style::banner_colors(ui.ctx().theme());
            let using_env = matches!(
                self.creds,
                Creds::Ready {
                    source: CredentialSource::Environment,
                    ..
                }
            );
            egui::Panel::top("keyring_banner")
                .frame(
                    egui::Frame::new()
                        .fill(fill)
                        .inner_margin(egui::Margin::symmetric(12, 6)),
                )
                .show(ui, |ui| {
                    ui.visuals_mut().override_text_color = Some(text);
                    commands.extend(topbar::keyring_banner_ui(
                        ui,
                        lang,
                        &notice.profile,
                        &notice.problem,
                        using_env,
                    ));
                });
        }
        commands
    }

    /// The history table at the bottom of the window.
    fn history_panel_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.lang;
        let mut commands = Vec::new();
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
        commands
    }

    fn panels_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.lang;
        let mut commands = Vec::new();
        let bar = topbar::TopBarContext {
            lang,
            profiles: self.profile_choices(),
            endpoint: self.target().map(|t| t.endpoint.to_string()),
            cli_endpoint: self.options.endpoint.as_ref(),
        };
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            commands.extend(topbar::top_bar_ui(ui, &mut self.saved, &bar));
            ui.add_space(2.0);
        });
        commands.extend(self.banners_ui(ui));
        commands.extend(self.history_panel_ui(ui));
        let hint = self.preflight.hint(&self.form.name, &self.region());
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
                                preflight: hint,
                            },
                        );
                        if action.submit {
                            commands.push(Command::Create);
                        }
                        if action.cancel {
                            commands.push(Command::Cancel);
                        }
                        if action.show_request {
                            commands.push(Command::ShowRequest);
                        }
                        if action.name_changed {
                            self.preflight.touch(&self.form.name);
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
        commands.extend(profiles::profiles_dialog_ui(
            ui.ctx(),
            &mut self.profiles,
            lang,
        ));
        if let Some(shown) = &self.shown_request {
            commands.extend(request::request_dialog_ui(
                ui.ctx(),
                shown,
                lang,
                self.copied.as_ref(),
            ));
        }
        if self.create.is_pending() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            commands.push(Command::Cancel);
        }
        commands
    }
}

/// For `SignatureDoesNotMatch`: what the signature doctor makes of the service's string to
/// sign versus ours.
fn signature_diagnosis(
    report: &crate::create::Report,
    secret: &crate::credentials::SecretString,
) -> Option<crate::doctor::Diagnosis> {
    let (crate::create::Outcome::NotCreated(err) | crate::create::Outcome::Unknown(err)) =
        &report.outcome
    else {
        return None;
    };
    let service = err
        .service()
        .filter(|s| s.code == "SignatureDoesNotMatch")?;
    let theirs = service.server_string_to_sign()?;
    let ours = report.last_string_to_sign.as_deref()?;
    Some(crate::doctor::diagnose(ours, theirs, secret))
}

/// One profile operation, then the list as it is now. Blocking: runs in `spawn_blocking`.
fn run_op(
    store: &ProfileStore,
    op: Op,
) -> Result<(OpDone, crate::profiles::ProfilesFile), Problem> {
    let done = match op {
        Op::Add(new, make_default) => {
            let added = store.add(&new, make_default)?;
            OpDone::Added {
                name: new.profile.name.clone(),
                is_default: added.is_default,
            }
        }
        Op::Update(profile, secrets, make_default) => {
            store.update(&profile, secrets.as_ref())?;
            let is_default = store.list()?.default.as_deref() == Some(profile.name.as_str());
            if make_default && !is_default {
                store.set_default(Some(&profile.name))?;
            }
            OpDone::Updated(profile.name.clone())
        }
        Op::Rename { old, new } => {
            store.rename(&old, &new)?;
            OpDone::Renamed { old, new }
        }
        Op::Delete(name) => {
            store.remove(&name)?;
            OpDone::Deleted(name)
        }
        Op::SetDefault(name) => {
            store.set_default(Some(&name))?;
            OpDone::DefaultSet(name)
        }
        Op::Import => {
            let imported = crate::profiles::aliyun::import(store, None, None, None, false)
                .map_err(|e| match e {
                    crate::profiles::aliyun::ImportError::Profile(p) => Problem::from(p),
                    other => Problem::Text(other.to_string()),
                })?;
            OpDone::Imported {
                aliyun_name: imported.aliyun_name,
                name: imported.profile.name,
                source_file: imported.source_file,
            }
        }
    };
    Ok((done, store.list()?))
}

impl eframe::App for OnsApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_replies();
        self.run_preflight();
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

/// The reply for a create that was refused before anything was sent.
fn not_sent(seq: u64, why: String) -> Msg {
    Msg::Created {
        seq,
        finished: Box::new(Finished {
            report: crate::create::Report {
                outcome: crate::create::Outcome::NotCreated(ApiError::Setup(why)),
                attempts: 0,
                clock_offset: None,
                last_string_to_sign: None,
                steps: Vec::new(),
            },
            diagnosis: None,
            history_entry: None,
        }),
    }
}
