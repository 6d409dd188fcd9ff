//! The create feature: the form, the request it sends, its result card and the card's
//! follow-ups (the endpoints, "Check again"), and "Show request".
//!
//! The request captures what it sent at submit ([`request::Sent`]); everything after — the card,
//! Copy Terraform, Check again, the history — uses those values, never the live form.

mod form;
mod request;
mod result;
mod show_request;

use crate::history::{NewAttempt, Status};

use super::command::AppCommand;
use super::i18n::{CardText, Lang};
use super::preflight::NameHint;
use super::session::WindowSession;
use super::style::Tone;
use super::tasks::{Failure, Tasks};
use egui::RichText;
use form::{Form, FormAction, FormContext, Refusal};
pub use form::{name_field_ui, name_verdict_ui, remark_field_ui};
pub use request::listed_endpoints;
use request::{
    CreateRequest, EndpointsRequest, Finished, NotSent, RecordedEntry, RequestState, Sent,
};

/// Replies to the create feature's background work.
enum CreateReply {
    Finished {
        seq: u64,
        finished: Box<Finished>,
    },
    Endpoints {
        seq: u64,
        result: Result<crate::api::InstanceBaseInfo, Failure>,
    },
    Checked {
        seq: u64,
        result: Result<Option<crate::api::InstanceSummary>, Failure>,
    },
}

/// What the form's panel needs besides its contents down to Create: the side panel's margins
/// (2 points above and below) and a little room under the button.
const FORM_ROOM: f32 = 14.0;
/// A guess for the first frame, before the form was laid out.
const FORM_HEIGHT_AT_START: f32 = 300.0;

/// The create feature's state.
pub struct CreateController {
    form: Form,
    /// The request on screen (running or settled).
    current: Option<CreateRequest>,
    /// The last settled request, still shown while a new one runs.
    previous: Option<CreateRequest>,
    shown_request: Option<show_request::ShownRequest>,
    /// The new Instance ID's hand-over to the keyboard (after a create).
    id_focus: result::IdFocus,
    /// Enter sent nothing for this name, and why; said while the name stays the same.
    refused: Option<(String, Refusal)>,
    /// The height the form's panel needs to show Create (as last laid out).
    form_height: f32,
    /// Closing the window while a create runs.
    closing: Closing,
    tasks: Tasks<CreateReply>,
}

/// The window was asked to close while a create ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Closing {
    /// Nothing asked, or the user chose to keep the window open.
    No,
    /// The close was held back; the dialog asks.
    Asking,
    /// The user chose to close anyway: the next close request goes through.
    Confirmed,
}

impl std::fmt::Debug for CreateController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateController")
            .field("form", &self.form)
            .finish_non_exhaustive()
    }
}

impl CreateController {
    pub fn new(session: &WindowSession) -> Self {
        Self {
            form: Form::default(),
            current: None,
            previous: None,
            shown_request: None,
            id_focus: result::IdFocus::Settled,
            refused: None,
            form_height: FORM_HEIGHT_AT_START,
            closing: Closing::No,
            tasks: Tasks::new(session.runtime.clone(), session.ctx.clone()),
        }
    }

    /// The name in the form now (the pre-flight looks it up).
    pub fn typed_name(&self) -> &str {
        &self.form.name
    }

    pub fn is_running(&self) -> bool {
        self.current.as_ref().is_some_and(CreateRequest::is_running)
    }

    /// Drains the replies and settles the requests they answer.
    pub fn logic(&mut self, session: &mut WindowSession) {
        while let Some(reply) = self.tasks.try_recv() {
            match reply {
                CreateReply::Finished { seq, finished } => {
                    self.on_finished(session, seq, *finished);
                }
                CreateReply::Endpoints { seq, result } => {
                    if let Some(card) = self.current.as_mut().and_then(CreateRequest::created_mut)
                        && matches!(card.endpoints, EndpointsRequest::Pending { seq: s } if s == seq)
                    {
                        card.endpoints = match result {
                            Ok(info) => EndpointsRequest::Done(info.endpoints),
                            Err(failure) => EndpointsRequest::Failed(failure),
                        };
                    }
                }
                CreateReply::Checked { seq, result } => {
                    if let Some(request) = self.current.take() {
                        let mut request = request.checked(seq, result);
                        let found = request.created_mut().is_some();
                        self.current = Some(request);
                        // Found: the card becomes a success card, with its endpoints.
                        if found {
                            self.after_settling(session);
                        }
                    }
                }
            }
        }
    }

    fn on_finished(&mut self, session: &mut WindowSession, seq: u64, finished: Finished) {
        if let Finished::Reported { report, .. } = &finished
            && report.clock_offset.is_some()
        {
            session.clock_offset = report.clock_offset;
        }
        let Some(request) = self.current.take() else {
            return;
        };
        let was_running = request.is_running();
        let request = request.finished(seq, finished);
        let settled = was_running && !request.is_running();
        self.current = Some(request);
        if settled {
            self.previous = None;
            self.after_settling(session);
        }
    }

    /// A request just settled: a new instance is news for every look-up, and it gets its
    /// endpoints and the keyboard focus; otherwise the focus goes back to the name.
    fn after_settling(&mut self, session: &mut WindowSession) {
        let Some(request) = &mut self.current else {
            return;
        };
        let Some(card) = request.created_mut() else {
            session.focus_name = true;
            return;
        };
        if !matches!(card.endpoints, EndpointsRequest::NotAsked) {
            return;
        }
        session.cloud_changes += 1;
        self.id_focus = result::IdFocus::Requested;
        let id = card.instance_id.clone();
        let seq = self.tasks.next_seq();
        card.endpoints = EndpointsRequest::Pending { seq };
        let Some(client) = follow_up_client(request, session) else {
            return;
        };
        self.tasks.spawn(
            async move {
                let result = client.instance_base_info(&id).await.map_err(Failure::Api);
                CreateReply::Endpoints { seq, result }
            },
            move || CreateReply::Endpoints {
                seq,
                result: Err(Failure::Panicked),
            },
        );
    }

    /// Sends the form's name and remark, when they are valid and credentials are ready.
    fn submit(&mut self, session: &WindowSession) {
        if self.is_running() || !self.form.is_valid() {
            return;
        }
        let Some((source, credentials)) = session.ready() else {
            return;
        };
        let target = session.target();
        let sent = Sent {
            name: self.form.name.clone(),
            remark: self.form.remark.clone(),
            region: session.region(),
            endpoint: target
                .as_ref()
                .map(|t| t.endpoint.to_string())
                .unwrap_or_default(),
            profile: source.to_string(),
            signature: session.saved.signature,
            at: time::OffsetDateTime::now_utc(),
        };
        let seq = self.tasks.next_seq();
        let panicked = move || CreateReply::Finished {
            seq,
            finished: Box::new(Finished::Panicked),
        };
        let history_entry = RecordedEntry::default();
        let (client, abort) = match target {
            Err(e) => {
                // Said on the card; nothing was sent.
                let why = Finished::NotSent(NotSent::Endpoint(e));
                let abort = self.tasks.spawn(
                    async move {
                        CreateReply::Finished {
                            seq,
                            finished: Box::new(why),
                        }
                    },
                    panicked,
                );
                (None, abort)
            }
            Ok(target) => {
                let client = session.client_for(target, credentials.clone());
                let work = create_task(
                    seq,
                    client.clone(),
                    sent.clone(),
                    credentials.secret.clone(),
                    session.recorder.clone(),
                    history_entry.clone(),
                );
                (Some(client), self.tasks.spawn(work, panicked))
            }
        };
        let old = self.current.replace(CreateRequest {
            sent,
            client,
            history_entry,
            state: RequestState::Running {
                seq,
                started: std::time::Instant::now(),
                abort,
            },
        });
        // The last card stays in view while the new request runs.
        self.previous = old.filter(|r| !r.is_running());
    }

    fn cancel(&mut self, session: &mut WindowSession) {
        if let Some(request) = self.current.take() {
            self.current = Some(request.cancelled());
        }
        self.previous = None;
        session.focus_name = true;
        // The request may have reached the service: what the pre-flight said about the name
        // ("free") may no longer hold, so it asks again.
        session.cloud_changes += 1;
    }

    /// "Check again" on an unknown outcome: looks for the name that was sent, with the client
    /// it was sent with, and settles the history entry too.
    fn check_again(&mut self, session: &WindowSession) {
        let Some(request) = self.current.take() else {
            return;
        };
        let seq = self.tasks.next_seq();
        let (request, started) = request.checking(seq);
        if started && let Some(client) = follow_up_client(&request, session) {
            let (name, sent_at) = (request.sent.name.clone(), request.sent.at);
            let entry = request.history_entry.get().copied();
            let recorder = session.recorder.clone();
            self.tasks.spawn(
                async move {
                    let result = crate::create::find_by_name(&client, &name, sent_at).await;
                    // Settle the history entry too, as "Refresh status" would.
                    let settled = match &result {
                        Ok(Some(found)) => Some(Status::Adopted {
                            instance_id: found.instance_id.to_string(),
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
                    CreateReply::Checked {
                        seq,
                        result: result.map_err(Failure::Api),
                    }
                },
                move || CreateReply::Checked {
                    seq,
                    result: Err(Failure::Panicked),
                },
            );
        }
        self.current = Some(request);
    }

    /// The height the form's panel needs to show its Create button, as last laid out: the
    /// window keeps the history panel from growing over it.
    pub fn form_height(&self) -> f32 {
        self.form_height
    }

    /// The form, in the left column (`ui` is its scroll area's).
    pub fn form_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &mut WindowSession,
        hint: Option<NameHint>,
    ) {
        let top = ui.min_rect().top();
        let region = session.region();
        // The card's instance, while the form still holds the name (and region) it was made
        // with: the pre-flight finding that name taken is no news.
        let created_now = self
            .current
            .as_ref()
            .filter(|r| r.sent.name == self.form.name && r.sent.region == region)
            .and_then(CreateRequest::created)
            .map(|card| card.instance_id.clone());
        let refused = self.refusal(session);
        let mut cx = FormContext {
            lang: session.lang,
            ready: session.ready().is_some(),
            in_flight: self
                .current
                .as_ref()
                .and_then(CreateRequest::elapsed)
                .map(|d| d.as_secs_f32()),
            focus_name: &mut session.focus_name,
            preflight: hint,
            created_now: created_now.as_deref(),
            create_bottom: ui.min_rect().bottom(),
            refused,
        };
        let out = form::form_ui(ui, &mut self.form, &mut cx);
        let form_height = cx.create_bottom - top + FORM_ROOM;
        super::a11y::follow_focus(ui);
        if (form_height - self.form_height).abs() > 0.5 {
            // The history panel was laid out with the old figure: once more with the new one.
            self.form_height = form_height;
            ui.ctx().request_repaint();
        }
        match out.action {
            Some(FormAction::NewInstance) => {
                self.form = Form::default();
                session.focus_name = true;
                ui.ctx().request_repaint();
            }
            Some(FormAction::Submit) => {
                self.refused = None;
                self.submit(session);
            }
            Some(FormAction::Refused(why)) => self.refused = Some((self.form.name.clone(), why)),
            Some(FormAction::Cancel) => self.cancel(session),
            Some(FormAction::ShowRequest) => {
                self.shown_request = session.client().and_then(Result::ok).map(|client| {
                    show_request::ShownRequest::new(&client, &self.form.name, &self.form.remark)
                });
            }
            None => {}
        }
        if self.is_running() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.cancel(session);
        }
        form::say(
            &out,
            session.lang,
            &self.form,
            self.fields_said(session).as_deref(),
        );
    }

    /// Why Enter sent nothing, while it still holds: the name is the one refused, and (for
    /// missing credentials) there are still none.
    fn refusal(&self, session: &WindowSession) -> Option<Refusal> {
        let (name, why) = self.refused.as_ref()?;
        let holds = match why {
            Refusal::InvalidName => true,
            Refusal::NoCredentials => session.ready().is_none(),
        };
        (holds && *name == self.form.name).then_some(*why)
    }

    /// What the form's fields say to a screen reader about the create: "Creating …" while
    /// it runs, then how it ended unless it made an instance (the Instance ID takes the focus
    /// and says so), while the name is the one sent; or why Enter sent nothing. Orca 43 says
    /// a focused field's description again when it changes: this is how it hears the outcome.
    fn fields_said(&self, session: &WindowSession) -> Option<String> {
        let lang = session.lang;
        // Also in the frame the keyboard leaves for the Instance ID (it says how the create
        // ended): a change on the field then would be said first, and the ID twice.
        if let Some(running) = self
            .current
            .as_ref()
            .filter(|r| r.is_running() || self.id_focus == result::IdFocus::Requested)
        {
            return Some(lang.creating_announcement(&running.sent.name));
        }
        if let Some(why) = self.refusal(session) {
            let reason = match why {
                Refusal::InvalidName => crate::validation::validate_instance_name(&self.form.name)
                    .err()
                    .map(|e| lang.name_error_said(&e)),
                Refusal::NoCredentials => None,
            };
            return Some(lang.sentences(&[lang.t(why.text()), reason.as_deref().unwrap_or("")]));
        }
        let settled = self
            .current
            .as_ref()
            .filter(|r| r.sent.name == self.form.name && r.created().is_none())?;
        result::announcement(lang, Some(settled)).map(|(said, _)| said)
    }

    /// The result column: the card of the request on screen, or the first-run card.
    pub fn result_ui(&mut self, ui: &mut egui::Ui, session: &mut WindowSession) -> Vec<AppCommand> {
        let shown = match &self.current {
            Some(r) if r.is_running() => self.previous.as_ref(),
            other => other.as_ref(),
        };
        // A focus asked for stays asked for until the card is drawn.
        let actions = result::result_ui(ui, shown, session, &mut self.id_focus);
        super::a11y::follow_focus(ui);
        if actions.check_again {
            self.check_again(session);
        }
        self.status_node(ui.ctx(), session.lang);
        actions.commands
    }

    /// The window's live status for screen readers: a node that says what the create on
    /// screen is doing ("Creating …", then its outcome). Its text changes once per state (no
    /// ticking seconds), and AccessKit announces each change; failures interrupt.
    fn status_node(&self, ctx: &egui::Context, lang: super::i18n::Lang) {
        let Some((text, live)) = result::announcement(lang, self.current.as_ref()) else {
            return;
        };
        ctx.accesskit_node_builder(egui::Id::unique("onsdesk.create_status"), |node| {
            node.set_role(egui::accesskit::Role::Status);
            node.set_live(live);
            node.set_label(text);
        });
    }

    /// A close request while a create runs is held back and asked about: closing cannot
    /// stop a request that already left, and the user should know the instance may appear.
    pub fn close_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested())
            && self.is_running()
            && self.closing != Closing::Confirmed
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.closing = Closing::Asking;
        }
        if self.closing != Closing::Asking {
            return;
        }
        if !self.is_running() {
            // It settled meanwhile: the card says how; nothing left to ask.
            self.closing = Closing::No;
            return;
        }
        let modal =
            egui::Modal::new(egui::Id::unique("onsdesk.close_while_creating")).show(&ctx, |ui| {
                ui.set_max_width(420.0);
                ui.label(
                    RichText::new(format!("⚠ {}", lang.t(CardText::CloseTitle)))
                        .strong()
                        .color(Tone::Warn.color(ui)),
                );
                ui.add_space(6.0);
                ui.add(egui::Label::new(lang.t(CardText::CloseBody)).wrap());
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    let keep = ui.button(lang.t(CardText::KeepOpen));
                    if ui.memory(|m| m.focused().is_none()) {
                        keep.request_focus();
                    }
                    if keep.clicked() {
                        self.closing = Closing::No;
                    }
                    if ui.button(lang.t(CardText::CloseAnyway)).clicked() {
                        self.closing = Closing::Confirmed;
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                });
            });
        if modal.should_close() && self.closing == Closing::Asking {
            self.closing = Closing::No;
        }
    }

    /// "Show request", when open.
    pub fn dialogs_ui(&mut self, ui: &mut egui::Ui, session: &WindowSession) -> Vec<AppCommand> {
        let Some(shown) = &self.shown_request else {
            return Vec::new();
        };
        let actions = show_request::show_request_dialog_ui(ui.ctx(), shown, session);
        if actions.close {
            self.shown_request = None;
        }
        actions.commands
    }
}

/// A client for a request's follow-ups: the one it was sent with, signing with the clock
/// offset learned since.
fn follow_up_client(
    request: &CreateRequest,
    session: &WindowSession,
) -> Option<crate::api::Client> {
    let client = request.client.clone()?;
    Some(match session.clock_offset {
        Some(offset) => client.with_clock_offset(offset),
        None => client,
    })
}

/// Records the attempt, sends it, records the outcome.
async fn create_task(
    seq: u64,
    client: crate::api::Client,
    sent: Sent,
    secret: crate::credentials::SecretString,
    recorder: super::recorder::Recorder,
    history_entry: RecordedEntry,
) -> CreateReply {
    let attempt = NewAttempt {
        name: sent.name.clone(),
        remark: sent.remark.clone(),
        region: sent.region.clone(),
        endpoint: sent.endpoint.clone(),
        profile: sent.profile.clone(),
    };
    // On disk before the request leaves; a create that cannot be recorded is not sent.
    let entry = match recorder.record_pending(attempt).await {
        Ok(entry) => {
            if let Some(id) = entry {
                // Set once: this task is the only writer.
                let _ = history_entry.set(id);
            }
            entry
        }
        Err(problem) => {
            return CreateReply::Finished {
                seq,
                finished: Box::new(Finished::NotSent(NotSent::NotRecorded(problem))),
            };
        }
    };
    let remark = (!sent.remark.is_empty()).then_some(sent.remark.as_str());
    let report = crate::create::create(
        &client,
        &sent.name,
        remark,
        crate::pacing::Policy::default(),
        |step| tracing::debug!(?step, "create"),
    )
    .await;
    recorder
        .record_outcome(entry, Status::of_outcome(&report.outcome))
        .await;
    let diagnosis = signature_diagnosis(&report, &secret);
    CreateReply::Finished {
        seq,
        finished: Box::new(Finished::Reported {
            report: Box::new(report),
            diagnosis,
        }),
    }
}

/// For `SignatureDoesNotMatch`: what the signature doctor makes of the service's string to
/// sign versus ours.
fn signature_diagnosis(
    report: &crate::create::CreateReport,
    secret: &crate::credentials::SecretString,
) -> Option<crate::doctor::Diagnosis> {
    let (crate::create::CreateOutcome::NotCreated(err)
    | crate::create::CreateOutcome::Unknown(err)) = &report.outcome
    else {
        return None;
    };
    crate::doctor::diagnose_error(err, report.last_string_to_sign.as_deref(), secret)
}

/// Whether an error card's failure is this API error kind (tests).
#[cfg(test)]
fn is_api(failure: &Failure) -> Option<&crate::api::ApiError> {
    match failure {
        Failure::Api(e) => Some(e),
        Failure::Panicked => None,
    }
}

#[cfg(test)]
mod tests {
    use super::request::{CardOutcome, CheckState};
    use super::*;

    #[test]
    fn a_panicked_create_settles_unknown() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _guard = rt.enter();
        let abort = rt.spawn(async {}).abort_handle();
        let request = CreateRequest {
            sent: Sent {
                name: "n".into(),
                remark: String::new(),
                region: "cn-hangzhou".into(),
                endpoint: String::new(),
                profile: String::new(),
                signature: crate::signing::v3::SignatureVersion::V1,
                at: time::OffsetDateTime::UNIX_EPOCH,
            },
            client: None,
            history_entry: RecordedEntry::default(),
            state: RequestState::Running {
                seq: 7,
                started: std::time::Instant::now(),
                abort,
            },
        };
        let request = request.finished(7, Finished::Panicked);
        let Some(CardOutcome::Unknown { card, check }) = request.outcome() else {
            panic!("not unknown");
        };
        assert!(is_api(&card.error).is_none());
        assert!(matches!(check, CheckState::Idle));
    }
}
