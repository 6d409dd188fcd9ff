//! The result column: the success card, the error card, the cancelled note, and the
//! first-run card when there are no credentials.

use egui::accesskit::Live;
use egui::{Event, Key, RichText};

use crate::api::ApiError;
use crate::credentials::{ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN};

use super::super::command::AppCommand;
use super::super::command::InstanceTask;
use super::super::copy::{self, CopyLook};
use super::super::creds::Creds;
use super::super::i18n::TopicsText;
use super::super::i18n::{Advice, CardText, Lang, T};
use super::super::session::WindowSession;
use super::super::style::{self, ID_SIZE, Tone};
use super::super::tasks::Failure;
use super::request::{
    CardOutcome, CheckState, CreateRequest, CreatedCard, EndpointsRequest, FailedCard,
    NotCreatedBy, NotSent, Sent, Story, listed_endpoints,
};

/// Frames the ID and its copy hint are kept in view after a create, while the card settles.
const SCROLL_ID_FRAMES: u8 = 4;
/// The room kept above and below what a create brings into view.
const KEEP_IN_VIEW_MARGIN: f32 = 4.0;

/// The new Instance ID's hand-over to the keyboard after a create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdFocus {
    /// Nothing to do: the user's keyboard and scrolling are their own.
    Settled,
    /// Move the keyboard focus to the ID when the card is next drawn.
    Requested,
    /// The ID has the focus; for this many more frames it and its copy hint are kept in view.
    InView(u8),
}

/// What the user asked for on the cards.
#[derive(Default)]
pub struct CardActions {
    /// Cross-feature intents (copy, open the profiles, start the sandbox).
    pub commands: Vec<AppCommand>,
    /// "Check again" on an unknown outcome.
    pub check_again: bool,
}

/// What the cards read besides the request.
struct CardContext<'a> {
    lang: Lang,
    session: &'a WindowSession,
    /// The new `InstanceId`'s hand-over to the keyboard; moved on here.
    id_focus: &'a mut IdFocus,
}

/// Draws the result column: the request's card, or the first-run card.
pub fn result_ui(
    ui: &mut egui::Ui,
    request: Option<&CreateRequest>,
    session: &WindowSession,
    id_focus: &mut IdFocus,
) -> CardActions {
    let mut actions = CardActions::default();
    let mut cx = CardContext {
        lang: session.lang,
        session,
        id_focus,
    };
    ui.heading(cx.lang.t(CardText::Result));
    ui.add_space(8.0);
    let outcome = request.and_then(|r| r.outcome().map(|o| (&r.sent, o)));
    match outcome {
        None if session.ready().is_some() => {
            ui.weak(cx.lang.t(CardText::NothingYet));
        }
        None => welcome_ui(ui, &cx, &mut actions),
        Some((sent, CardOutcome::Created(card))) => {
            created_ui(ui, sent, card, &mut cx, &mut actions);
        }
        Some((sent, CardOutcome::NotCreated { card, by })) => {
            failed_ui(
                ui,
                sent,
                card,
                &FailedLook::NotCreated(*by),
                &cx,
                &mut actions,
            );
        }
        Some((sent, CardOutcome::Unknown { card, check })) => {
            failed_ui(
                ui,
                sent,
                card,
                &FailedLook::Unknown(check),
                &cx,
                &mut actions,
            );
        }
        Some((sent, CardOutcome::NotSent(why))) => {
            style::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                sent_ui(ui, cx.lang, sent);
                ui.label(
                    RichText::new(format!("✖ {}", cx.lang.t(CardText::Refused)))
                        .strong()
                        .color(Tone::Bad.color(ui)),
                );
                region_ui(ui, cx.lang, sent);
                ui.add(egui::Label::new(not_sent_text(cx.lang, why)).wrap());
            });
        }
        Some((sent, CardOutcome::Cancelled { after, check })) => {
            style::card(ui).show(ui, |ui| {
                ui.set_width(ui.available_width());
                sent_ui(ui, cx.lang, sent);
                ui.label(
                    RichText::new(format!("⚠ {}", cx.lang.t(CardText::CancelledTitle)))
                        .strong()
                        .color(Tone::Warn.color(ui)),
                );
                region_ui(ui, cx.lang, sent);
                ui.add_space(6.0);
                if matches!(check, CheckState::NotFound) {
                    ui.add(
                        egui::Label::new(cx.lang.checked_not_found(&sent.name, &sent.region))
                            .wrap(),
                    );
                } else {
                    ui.add(egui::Label::new(cx.lang.cancelled(after.as_secs_f32())).wrap());
                    check_again_ui(ui, cx.lang, check, &mut actions);
                }
            });
        }
    }
    actions
}

/// The card's Copy buttons, each named for what it copies.
fn copy_button(
    ui: &mut egui::Ui,
    text: &str,
    name: &str,
    cx: &CardContext<'_>,
    actions: &mut CardActions,
) {
    if copy::copy_button(ui, cx.lang, &cx.session.copied, text, name, CopyLook::Word) {
        actions.commands.push(AppCommand::Copy(text.to_owned()));
    }
}

/// Why a create was not sent, in words.
fn not_sent_text(lang: Lang, why: &NotSent) -> String {
    match why {
        NotSent::Endpoint(e) => lang.endpoint_not_usable(e),
        NotSent::NotRecorded(problem) => lang.not_recorded(problem),
    }
}

/// What was sent, at the top of every card: the name (strong) and the remark, if any.
fn sent_ui(ui: &mut egui::Ui, lang: Lang, sent: &Sent) {
    let (name, remark) = (lang.t(CardText::SentName), lang.t(CardText::SentRemark));
    let key_width = style::facts_key_width(ui, &[name, remark]);
    style::fact_ui(ui, key_width, name, |ui| {
        ui.add(egui::Label::new(RichText::new(&sent.name).strong()).wrap());
    });
    if !sent.remark.is_empty() {
        style::fact_ui(ui, key_width, remark, |ui| {
            ui.add(egui::Label::new(&sent.remark).wrap());
        });
    }
    ui.add_space(4.0);
}

/// The region it was sent to, as the console names it, with its ID.
fn region_ui(ui: &mut egui::Ui, lang: Lang, sent: &Sent) {
    ui.horizontal_wrapped(|ui| {
        ui.weak(lang.t(T::Region));
        ui.label(lang.region_name(&sent.region));
    });
}

fn created_ui(
    ui: &mut egui::Ui,
    sent: &Sent,
    card: &CreatedCard,
    cx: &mut CardContext<'_>,
    actions: &mut CardActions,
) {
    let lang = cx.lang;
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let edition = lang.edition(card.instance_type.0);
        let title = created_title(lang, card);
        sent_ui(ui, lang, sent);
        ui.label(
            RichText::new(format!("✔ {title}"))
                .strong()
                .color(Tone::Good.color(ui)),
        );
        if card.adopted {
            ui.label(lang.t(CardText::AdoptedExplained));
        }
        region_ui(ui, lang, sent);
        clock_line_ui(ui, lang, &card.story);
        ui.add_space(6.0);
        let id = &card.instance_id;
        // Copy beside the label, so the ID has the card's whole width: one line in the
        // default window, two in the smallest, where the next steps then fit in view too.
        ui.horizontal(|ui| {
            ui.weak(lang.t(T::InstanceId));
            copy_button(ui, id, lang.t(CardText::CopyInstanceId), cx, actions);
        });
        let id_rect = {
            // A frameless button: focusable (Tab, and focus moves here after a create),
            // named by the ID in the accessibility tree, and a click copies it.
            let resp = ui
                .add(
                    egui::Button::new(RichText::new(id.as_str()).monospace().size(ID_SIZE))
                        .frame(false)
                        .wrap(),
                )
                .on_hover_text(lang.t(CardText::CopyHint));
            // Said after the ID when it takes the focus, and again when it changes (Orca 43
            // speaks neither live regions nor a copy otherwise): how the create ended, and
            // "Copied" after Ctrl+C.
            let copied = cx.session.copied.last() == Some(id.as_str());
            super::super::a11y::describe(
                ui.ctx(),
                resp.id,
                &lang.instance_id_said(&title, &sent.name, &lang.region_name(&sent.region), copied),
            );
            if *cx.id_focus == IdFocus::Requested {
                resp.request_focus();
                *cx.id_focus = IdFocus::InView(SCROLL_ID_FRAMES);
            }
            if resp.has_focus() {
                // It says where Ctrl+C goes.
                style::focus_ring(ui, resp.rect);
            }
            let copy_keys = resp.has_focus()
                && ui.input(|i| {
                    i.events.iter().any(|e| {
                        matches!(e, Event::Copy)
                            || matches!(e, Event::Key { key: Key::C, pressed: true, modifiers, .. } if modifiers.command)
                    })
                });
            if copy_keys || resp.clicked() {
                actions.commands.push(AppCommand::Copy(id.to_string()));
            }
            resp.rect
        };
        let hint = ui.weak(RichText::new(lang.t(CardText::CopyHint)).small());
        let steps = next_steps_ui(ui, lang, id, actions);
        // In a short window the card may be taller than its column: the ID is what the user
        // came for, whole, and the line under it says how to copy it; the next steps under
        // them too, where the column has the room. The card's first frames still move it (its
        // rows settle), so it is kept in view for the next few frames, drawn at once: none is
        // left for a wheel the user turns next to undo.
        if let IdFocus::InView(frames) = *cx.id_focus {
            let id_and_hint = id_rect.union(hint.rect);
            let with_steps = id_and_hint.union(steps);
            let room = ui.clip_rect().height() - 2.0 * KEEP_IN_VIEW_MARGIN;
            let keep = if with_steps.height() <= room {
                with_steps
            } else {
                id_and_hint
            };
            // At once: an animation would restart with each of these frames. Its bottom at the
            // column's bottom (or no scroll at all, when the card fits): the rows above it, the
            // name and the outcome, stay in view as far as the column allows, each frame
            // measured again as the card settles.
            ui.scroll_to_rect_animation(
                keep.expand2(egui::vec2(0.0, KEEP_IN_VIEW_MARGIN)),
                Some(egui::Align::Max),
                egui::style::ScrollAnimation::none(),
            );
            *cx.id_focus = if frames > 1 {
                ui.ctx().request_repaint();
                IdFocus::InView(frames - 1)
            } else {
                IdFocus::Settled
            };
        }
        ui.add_space(6.0);
        let keys = [lang.t(T::InstanceType), lang.t(T::RequestId), lang.t(T::Time)];
        let key_width = style::facts_key_width(ui, &keys);
        style::fact_ui(ui, key_width, keys[0], |ui| {
            ui.label(&edition);
        });
        if let Some(request_id) = &card.request_id {
            style::fact_ui(ui, key_width, keys[1], |ui| {
                ui.add(egui::Label::new(RichText::new(request_id.as_str()).monospace()).wrap());
                copy_button(ui, request_id, lang.t(CardText::CopyRequestId), cx, actions);
            });
        }
        style::fact_ui(ui, key_width, keys[2], |ui| {
            ui.label(&card.at);
        });
        ui.add_space(8.0);
        ui.label(RichText::new(lang.t(CardText::Endpoints)).strong());
        endpoints_ui(ui, &card.endpoints, cx, actions);
        story_ui(ui, lang, &card.story);
        ui.add_space(6.0);
        terraform_ui(ui, sent, card, cx, actions);
    });
}

/// "Copy Terraform", and the block it copies, to read, under it.
fn terraform_ui(
    ui: &mut egui::Ui,
    sent: &Sent,
    card: &CreatedCard,
    cx: &CardContext<'_>,
    actions: &mut CardActions,
) {
    let lang = cx.lang;
    let terraform = crate::snippets::terraform(&sent.name, &sent.remark, &card.instance_id);
    ui.horizontal(|ui| {
        ui.weak(lang.t(CardText::TerraformTitle));
        let label = if cx.session.copied.recently(&terraform) {
            format!("✔ {}", lang.t(T::Copied))
        } else {
            lang.t(CardText::CopyTerraform).to_owned()
        };
        // Said in a sentence, not the block: a tooltip becomes the button's description,
        // and a reader would read the whole block aloud. The block is below, to read.
        let copy = ui
            .small_button(label)
            .accessible_name(lang.t(CardText::CopyTerraform))
            .on_hover_text(lang.t(CardText::CopyTerraformHint));
        if cx.session.copied.recently(&terraform) {
            super::super::a11y::describe(ui.ctx(), copy.id, lang.t(CardText::CopiedSentence));
        }
        if copy.clicked() {
            actions.commands.push(AppCommand::Copy(terraform.clone()));
        }
    });
    egui::CollapsingHeader::new(lang.t(CardText::TerraformBlock))
        .id_salt("terraform_block")
        .default_open(false)
        .show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(&terraform).monospace().small()).wrap());
        });
}

/// What a new instance needs next, one Tab away from its ID: a topic, a group, and the
/// client config, each opening the Instances view on it. Returns where they are drawn.
fn next_steps_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    id: &crate::ids::InstanceId,
    actions: &mut CardActions,
) -> egui::Rect {
    ui.horizontal_wrapped(|ui| {
        for (word, hint, task) in [
            (
                TopicsText::AddTopic,
                TopicsText::AddTopicHint,
                InstanceTask::AddTopic,
            ),
            (
                TopicsText::AddGroup,
                TopicsText::AddGroupHint,
                InstanceTask::AddGroup,
            ),
            (
                TopicsText::OpenConnect,
                TopicsText::OpenConnectHint,
                InstanceTask::Connect,
            ),
        ] {
            if ui
                .button(lang.t(word))
                .on_hover_text(lang.t(hint))
                .clicked()
            {
                actions.commands.push(AppCommand::OpenInstance {
                    id: id.clone(),
                    task,
                });
            }
        }
    })
    .response
    .rect
}

/// The success card's title: created or adopted, the edition and the region.
fn created_title(lang: Lang, card: &CreatedCard) -> String {
    let edition = lang.edition(card.instance_type.0);
    if card.adopted {
        lang.adopted_line(&edition)
    } else {
        lang.created_line(&edition)
    }
}

/// What the window's live status says about `request` (a screen reader announces it each
/// time it changes) and how urgently: running, then the outcome. `None` before any create.
pub fn announcement(lang: Lang, request: Option<&CreateRequest>) -> Option<(String, Live)> {
    let request = request?;
    let Some(outcome) = request.outcome() else {
        return Some((lang.creating_announcement(&request.sent.name), Live::Polite));
    };
    let failed = |title: CardText, card: &FailedCard, unknown: bool| {
        let facts = error_facts(lang, &card.error, unknown);
        let detail = format!("{} {}", facts.code, facts.message);
        (
            lang.failed_announcement(lang.t(title), &detail),
            Live::Assertive,
        )
    };
    Some(match outcome {
        CardOutcome::Created(card) => (
            lang.created_announcement(&created_title(lang, card), &card.instance_id),
            Live::Polite,
        ),
        CardOutcome::NotCreated {
            by: NotCreatedBy::CheckedAgain,
            ..
        } => (
            lang.checked_not_found(&request.sent.name, &request.sent.region),
            Live::Polite,
        ),
        CardOutcome::NotCreated {
            by: NotCreatedBy::NameTaken,
            ..
        } => (
            lang.failed_announcement(
                lang.t(CardText::Refused),
                &lang.taken_after_lost(&request.sent.name, &request.sent.region),
            ),
            Live::Assertive,
        ),
        CardOutcome::NotCreated { card, .. } => failed(CardText::Refused, card, false),
        CardOutcome::Unknown { card, .. } => failed(CardText::OutcomeUnknown, card, true),
        CardOutcome::NotSent(why) => (
            lang.failed_announcement(lang.t(CardText::Refused), &not_sent_text(lang, why)),
            Live::Assertive,
        ),
        CardOutcome::Cancelled { after, .. } => (lang.cancelled(after.as_secs_f32()), Live::Polite),
    })
}

/// A clock that is off, said near the top of the card, with what to do.
fn clock_line_ui(ui: &mut egui::Ui, lang: Lang, story: &Story) {
    if let Some(offset) = story.clock_offset {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("⚠ {}", lang.clock_off(offset))).color(Tone::Warn.color(ui)),
        );
    }
}

/// Retries, throttling waits and a corrected clock, compactly; nothing when the create was
/// one request and its reply. A clock that is off is said on its own line, with what to do.
fn story_ui(ui: &mut egui::Ui, lang: Lang, story: &Story) {
    if !story.is_eventful() {
        return;
    }
    ui.add_space(6.0);
    egui::CollapsingHeader::new(lang.steps_title(story.steps.len()))
        .id_salt("create_steps")
        .default_open(true)
        .show(ui, |ui| {
            for step in &story.steps {
                ui.add(
                    egui::Label::new(RichText::new(format!("· {}", lang.step(step))).small())
                        .wrap(),
                );
            }
        });
}

fn endpoints_ui(
    ui: &mut egui::Ui,
    endpoints: &EndpointsRequest,
    cx: &CardContext<'_>,
    actions: &mut CardActions,
) {
    let lang = cx.lang;
    ui.vertical(|ui| match endpoints {
        EndpointsRequest::NotAsked | EndpointsRequest::Pending { .. } => {
            ui.horizontal(|ui| {
                style::spinner(ui);
                ui.weak(lang.t(CardText::EndpointsLoading));
            });
        }
        EndpointsRequest::Failed(why) => {
            ui.label(
                RichText::new(format!(
                    "⚠ {} {}",
                    lang.t(CardText::EndpointsFailed),
                    lang.failure(why)
                ))
                .color(Tone::Warn.color(ui)),
            );
        }
        EndpointsRequest::Done(e) => {
            let listed = listed_endpoints(e);
            if listed.is_empty() {
                ui.weak(lang.t(CardText::EndpointsNone));
            }
            for (key, url) in listed {
                ui.add_space(2.0);
                ui.horizontal(|ui| {
                    ui.weak(lang.t(key));
                    copy_button(ui, url, lang.copy_endpoint(key), cx, actions);
                });
                ui.add(egui::Label::new(RichText::new(url).monospace()).wrap());
            }
        }
    });
}

/// How an error card looks: not created (and what says so), or unknown.
enum FailedLook<'a> {
    NotCreated(NotCreatedBy),
    Unknown(&'a CheckState),
}

fn failed_ui(
    ui: &mut egui::Ui,
    sent: &Sent,
    card: &FailedCard,
    look: &FailedLook<'_>,
    cx: &CardContext<'_>,
    actions: &mut CardActions,
) {
    let lang = cx.lang;
    let unknown = matches!(look, FailedLook::Unknown(_));
    // After "Check again" found nothing, or a look found the name someone else's, that finding
    // is the one thing to say: advice written for the error (a lost reply's "try again", an
    // unknown outcome's "check the console first") would contradict it, and its troubleshooting
    // guide would send the reader after a cause that no longer matters.
    let found = matches!(
        look,
        FailedLook::NotCreated(NotCreatedBy::CheckedAgain | NotCreatedBy::NameTaken)
    );
    let (title, tone, icon) = if unknown {
        (lang.t(CardText::OutcomeUnknown), Tone::Warn, "⚠")
    } else {
        (lang.t(CardText::Refused), Tone::Bad, "✖")
    };
    let ErrorFacts {
        code,
        message,
        request_id,
        troubleshoot,
        advice,
    } = error_facts(lang, &card.error, unknown);
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        sent_ui(ui, lang, sent);
        ui.label(
            RichText::new(format!("{icon} {title}"))
                .strong()
                .color(tone.color(ui)),
        );
        region_ui(ui, lang, sent);
        clock_line_ui(ui, lang, &card.story);
        if matches!(look, FailedLook::NotCreated(NotCreatedBy::NameTaken)) {
            // the finding first: the error below it is the lost reply's, kept for the record
            ui.add_space(6.0);
            ui.label(lang.taken_after_lost(&sent.name, &sent.region));
        }
        ui.add_space(6.0);
        let keys = [lang.t(T::Code), lang.t(T::Message), lang.t(T::RequestId)];
        let key_width = style::facts_key_width(ui, &keys);
        style::fact_ui(ui, key_width, keys[0], |ui| {
            ui.add(egui::Label::new(RichText::new(&code).monospace().strong()).wrap());
        });
        style::fact_ui(ui, key_width, keys[1], |ui| {
            ui.add(egui::Label::new(&message).wrap());
        });
        if let Some(id) = &request_id {
            style::fact_ui(ui, key_width, keys[2], |ui| {
                ui.add(egui::Label::new(RichText::new(id).monospace()).wrap());
                copy_button(ui, id, lang.t(CardText::CopyRequestId), cx, actions);
            });
        }
        match look {
            FailedLook::Unknown(check) => {
                ui.add_space(6.0);
                let may_land = crate::operation::last_look_saw_nothing(&card.story.steps);
                ui.label(lang.unknown_explained(&sent.name, &sent.region, may_land));
                check_again_ui(ui, lang, check, actions);
            }
            FailedLook::NotCreated(NotCreatedBy::CheckedAgain) => {
                ui.add_space(6.0);
                ui.label(lang.checked_not_found(&sent.name, &sent.region));
            }
            FailedLook::NotCreated(NotCreatedBy::NameTaken | NotCreatedBy::Refusal) => {}
        }
        let advice = advice.and_then(|a| lang.advice(a));
        if let Some(diagnosis) = &card.diagnosis {
            ui.add_space(6.0);
            ui.label(RichText::new(lang.t(CardText::SignatureDoctor)).strong());
            ui.add(egui::Label::new(lang.diagnosis(diagnosis)).wrap());
        } else if let Some(advice) = advice.filter(|_| !unknown && !found) {
            ui.add_space(6.0);
            ui.label(RichText::new(lang.t(CardText::WhatToDo)).strong());
            ui.label(advice);
        }
        // the guide is to the error's cause; once a look settled the outcome, it is moot
        if let Some(url) = troubleshoot.filter(|_| !found) {
            ui.add_space(4.0);
            ui.hyperlink_to(format!("{} ↗", lang.t(CardText::Troubleshoot)), url);
        }
        story_ui(ui, lang, &card.story);
    });
}

/// The error card's facts: what the service said, or what went wrong on the way.
struct ErrorFacts {
    code: String,
    message: String,
    request_id: Option<String>,
    /// The reply's Recommend, when it links to Alibaba Cloud's own site.
    troubleshoot: Option<String>,
    advice: Option<Advice>,
}

fn error_facts(lang: Lang, failure: &Failure, unknown: bool) -> ErrorFacts {
    let (code, message, request_id, troubleshoot, advice) = match failure {
        Failure::Api(ApiError::Service(e)) => (
            e.code.clone(),
            e.message.clone(),
            e.request_id.clone(),
            e.troubleshoot_link().map(str::to_owned),
            Some(Advice::Service(e.kind())),
        ),
        Failure::Api(ApiError::Transport { cause, .. }) => (
            lang.t(CardText::NetworkError).to_owned(),
            lang.transport_cause(cause),
            None,
            None,
            Some(if unknown {
                Advice::MaybeCreated
            } else {
                Advice::Network
            }),
        ),
        Failure::Api(ApiError::BadReply {
            http_status,
            problem,
            request_id,
        }) => (
            format!("{} (HTTP {http_status})", lang.t(CardText::BadReply)),
            lang.reply_problem(*http_status, problem),
            request_id.clone(),
            None,
            Some(Advice::MaybeCreated),
        ),
        Failure::Api(ApiError::Setup(problem)) => (
            lang.t(CardText::SetupError).to_owned(),
            lang.setup_problem(problem),
            None,
            None,
            None,
        ),
        Failure::Panicked => (
            lang.t(CardText::InternalFault).to_owned(),
            lang.t(CardText::InternalFaultExplained).to_owned(),
            None,
            None,
            None,
        ),
    };
    ErrorFacts {
        code,
        message,
        request_id,
        troubleshoot,
        advice,
    }
}

fn check_again_ui(ui: &mut egui::Ui, lang: Lang, check: &CheckState, actions: &mut CardActions) {
    ui.horizontal(|ui| {
        let pending = matches!(check, CheckState::Pending { .. });
        if ui
            .add_enabled(!pending, egui::Button::new(lang.t(CardText::CheckAgain)))
            .clicked()
        {
            actions.check_again = true;
        }
        if pending {
            style::spinner(ui);
        }
    });
    if let CheckState::StillUnknown(why) = check {
        ui.label(
            RichText::new(format!(
                "⚠ {} {}",
                lang.t(CardText::StillUnknown),
                lang.failure(why)
            ))
            .color(Tone::Warn.color(ui)),
        );
    }
}

fn welcome_ui(ui: &mut egui::Ui, cx: &CardContext<'_>, actions: &mut CardActions) {
    let lang = cx.lang;
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        match &cx.session.creds {
            Creds::SandboxStarting => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.label(lang.t(CardText::SandboxStarting));
                });
                return;
            }
            Creds::SandboxFailed(why) => {
                ui.label(
                    RichText::new(format!(
                        "✖ {} {}",
                        lang.t(CardText::SandboxFailed),
                        lang.sandbox_problem(why)
                    ))
                    .color(Tone::Bad.color(ui)),
                );
            }
            Creds::Loading { profile, .. } => {
                ui.horizontal(|ui| {
                    style::spinner(ui);
                    ui.label(lang.reading_profile(profile));
                });
                return;
            }
            Creds::Missing if cx.session.env_problem.is_some() => {
                let p = cx.session.env_problem.as_ref().map(|p| lang.creds_error(p));
                ui.label(
                    RichText::new(format!(
                        "⚠ {} {}",
                        lang.t(CardText::CredsProblem),
                        p.unwrap_or_default()
                    ))
                    .color(Tone::Warn.color(ui)),
                );
            }
            Creds::Missing | Creds::Ready { .. } => {}
        }
        ui.label(
            RichText::new(format!("⚠ {}", lang.t(CardText::NoCredsTitle)))
                .strong()
                .color(Tone::Warn.color(ui)),
        );
        ui.label(lang.t(CardText::NoCredsBody));
        if matches!(cx.session.creds, Creds::Missing) && cx.session.store.is_some() {
            ui.add_space(4.0);
            if ui.button(lang.t(CardText::AddProfileWelcome)).clicked() {
                actions.commands.push(AppCommand::OpenProfiles);
            }
            ui.weak(lang.t(CardText::ProfilesInKeyring));
        }
        ui.add_space(4.0);
        ui.label(lang.t(CardText::NoCredsEnv));
        for var in [ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET] {
            ui.monospace(format!("  {var}"));
        }
        ui.weak(format!("  {ENV_SECURITY_TOKEN} (STS)"));
        ui.add_space(8.0);
        ui.label(lang.t(CardText::NoCredsOr));
        if ui
            .button(format!("▶ {}", lang.t(CardText::TrySandbox)))
            .clicked()
        {
            actions.commands.push(AppCommand::StartSandbox);
        }
    });
}
