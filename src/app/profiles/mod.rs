//! The profiles feature: the saved profiles behind the top bar's selector, and the dialog
//! that adds, edits, renames, deletes, tests and imports them. Every keyring and file call
//! runs on the blocking pool; the dialog only shows what the user typed and what came back.

mod dialog;
mod model;

use crate::api::Client;
use crate::credentials::Credentials;
use crate::profiles::{ProfileStore, ProfilesFile};

use super::command::AppCommand;
use super::creds::{Creds, ProfileOpDone, ProfileProblem, Selection};
use super::session::WindowSession;
use super::tasks::{Panicked, Tasks};
use dialog::DialogAction;
use model::{
    ProfileList, ProfileNotice, ProfileOp, ProfilesDialog, TestResult, TestState, TestWhat, Tested,
};

/// Replies to the profiles feature's background work.
enum ProfilesReply {
    /// The profile list, and the aliyun CLI's config file if it exists (for "Import").
    Listed {
        list: Result<ProfilesFile, ProfileProblem>,
        aliyun: Option<std::path::PathBuf>,
    },
    Done {
        seq: u64,
        result: Result<(ProfileOpDone, ProfilesFile), ProfileProblem>,
    },
    Tested {
        seq: u64,
        result: TestResult,
    },
}

/// The profiles feature's state.
pub struct ProfilesController {
    dialog: ProfilesDialog,
    /// The control that opened the dialog (it had the keyboard focus): the focus goes back to
    /// it when the dialog closes.
    opener: Option<egui::Id>,
    /// The dialog closed: the opener is given the focus back, frame after frame until it keeps
    /// it (egui lets the controls behind a modal have the focus only from the second frame
    /// after it closed), at most this many more frames.
    give_back: Option<(egui::Id, u8)>,
    tasks: Tasks<ProfilesReply>,
}

impl std::fmt::Debug for ProfilesController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfilesController")
            .field("dialog", &self.dialog)
            .finish_non_exhaustive()
    }
}

impl ProfilesController {
    /// Starts reading the profile list.
    pub fn new(session: &WindowSession) -> Self {
        let store_name = session
            .store
            .as_ref()
            .map_or("", |s| s.secret_store().name());
        let mut this = Self {
            dialog: ProfilesDialog::new(store_name),
            opener: None,
            give_back: None,
            tasks: Tasks::new(session.runtime.clone(), session.ctx.clone()),
        };
        this.refresh(session);
        this
    }

    /// The saved profiles, once read.
    pub fn loaded(&self) -> Option<&ProfilesFile> {
        self.dialog.loaded()
    }

    pub fn open(&mut self, session: &WindowSession) {
        self.opener = session.ctx.memory(egui::Memory::focused);
        self.dialog.open = true;
        self.dialog.focus_first = true;
        self.refresh(session);
    }

    /// Reads the profile list (file only) in the background.
    fn refresh(&mut self, session: &WindowSession) {
        let Some(store) = session.store.clone() else {
            return;
        };
        self.tasks.spawn_blocking(
            move || {
                let aliyun = crate::profiles::aliyun::default_path().filter(|p| p.is_file());
                (store.list().map_err(ProfileProblem::from), aliyun)
            },
            |r| match r {
                Ok((list, aliyun)) => ProfilesReply::Listed { list, aliyun },
                Err(Panicked) => ProfilesReply::Listed {
                    list: Err(ProfileProblem::Panicked),
                    aliyun: None,
                },
            },
        );
    }

    /// Drains the replies.
    pub fn logic(&mut self, session: &mut WindowSession) {
        while let Some(reply) = self.tasks.try_recv() {
            match reply {
                ProfilesReply::Listed { list, aliyun } => {
                    self.dialog.aliyun_file = aliyun;
                    self.on_listed(session, list);
                }
                ProfilesReply::Done { seq, result } => self.on_done(session, seq, result),
                ProfilesReply::Tested { seq, result } => {
                    if let TestState::Pending {
                        seq: s,
                        who,
                        sandbox,
                    } = &self.dialog.test
                        && *s == seq
                    {
                        self.dialog.test = TestState::Done {
                            who: who.clone(),
                            result,
                            sandbox: *sandbox,
                        };
                    }
                }
            }
        }
    }

    fn on_listed(
        &mut self,
        session: &mut WindowSession,
        list: Result<ProfilesFile, ProfileProblem>,
    ) {
        let default = list.as_ref().ok().and_then(|f| f.default.clone());
        self.dialog.list = match list {
            Ok(file) => ProfileList::Loaded(file),
            Err(p) => ProfileList::Failed(p),
        };
        // Nothing chosen, nothing in the environment: the default profile.
        if matches!(session.creds, Creds::Missing)
            && session.keyring_notice.is_none()
            && let Some(name) = default
        {
            session.load_profile(name);
        }
    }

    fn run(&mut self, session: &WindowSession, op: ProfileOp) {
        let Some(store) = session.store.clone() else {
            return;
        };
        if self.dialog.busy.is_some() {
            return;
        }
        let seq = self.tasks.next_seq();
        self.dialog.busy = Some(seq);
        self.dialog.notice = None;
        self.tasks.spawn_blocking(
            move || run_op(&store, op),
            move |r| ProfilesReply::Done {
                seq,
                result: r.unwrap_or(Err(ProfileProblem::Panicked)),
            },
        );
    }

    fn on_done(
        &mut self,
        session: &mut WindowSession,
        seq: u64,
        result: Result<(ProfileOpDone, ProfilesFile), ProfileProblem>,
    ) {
        if self.dialog.busy != Some(seq) {
            return;
        }
        self.dialog.busy = None;
        let (done, file) = match result {
            Ok(ok) => ok,
            Err(problem) => {
                // The dialog says it in words; the technical detail (the keyring's own
                // message) goes to the log.
                if let ProfileProblem::Profile(e) = &problem {
                    tracing::warn!("a profile operation failed: {e}");
                }
                self.dialog.notice = Some(ProfileNotice::Failed(problem));
                return;
            }
        };
        let had_default = self.loaded().and_then(|f| f.default.clone());
        self.dialog.list = ProfileList::Loaded(file);
        match &done {
            ProfileOpDone::Added { .. } | ProfileOpDone::Imported { .. } => {
                self.dialog.editor = None;
            }
            ProfileOpDone::Updated(name) => {
                self.dialog.editor = None;
                // The profile in use was edited: read it again.
                if session.is_using_profile(name) {
                    session.load_profile(name.clone());
                }
            }
            ProfileOpDone::Deleted(name) => {
                self.dialog.confirm_delete = None;
                session.profile_deleted(name);
            }
            ProfileOpDone::Renamed { old, new } => session.profile_renamed(old, new),
            ProfileOpDone::DefaultSet(_) => {}
        }
        // The first profile (or an import) with nothing in use yet: use it.
        if matches!(session.creds, Creds::Missing)
            && had_default.is_none()
            && let ProfileOpDone::Added { name, .. } | ProfileOpDone::Imported { name, .. } = &done
        {
            session.load_profile(name.clone());
        }
        self.dialog.notice = Some(ProfileNotice::Done(done));
    }

    /// "Test credentials": one signed call with the typed or saved key, against the current
    /// target.
    fn test(&mut self, session: &WindowSession, what: TestWhat) {
        if matches!(self.dialog.test, TestState::Pending { .. }) {
            return;
        }
        let seq = self.tasks.next_seq();
        let target = session.target();
        let (transport, signature) = (session.transport.clone(), session.saved.signature);
        let (who, load): (
            Tested,
            Box<dyn FnOnce() -> Result<Credentials, ProfileProblem> + Send>,
        ) = match what {
            TestWhat::Typed { credentials, typed } => (
                Tested::TypedKey { typed },
                Box::new(move || Ok(credentials)),
            ),
            TestWhat::Saved(name) => {
                let Some(store) = session.store.clone() else {
                    return;
                };
                let wanted = name.clone();
                (
                    Tested::Profile(name),
                    Box::new(move || {
                        store
                            .credentials(&wanted)
                            .map(|(_, c)| c)
                            .map_err(ProfileProblem::from)
                    }),
                )
            }
        };
        // Where `target()` sends it: the sandbox, while one runs.
        let sandbox = session.sandbox.is_some();
        self.dialog.test = TestState::Pending { seq, who, sandbox };
        self.tasks.spawn(
            async move {
                let result = match tokio::task::spawn_blocking(load).await {
                    Ok(Ok(credentials)) => match target {
                        Ok(target) => {
                            let client = Client::new(transport, target, credentials)
                                .with_signature(signature);
                            TestResult::Checked(crate::profiles::check::check(&client).await)
                        }
                        Err(e) => TestResult::Endpoint(e),
                    },
                    Ok(Err(problem)) => TestResult::NotLoaded(problem),
                    Err(_) => TestResult::NotLoaded(ProfileProblem::Panicked),
                };
                ProfilesReply::Tested { seq, result }
            },
            move || ProfilesReply::Tested {
                seq,
                result: TestResult::NotLoaded(ProfileProblem::Panicked),
            },
        );
    }

    /// Closes the dialog; the keyboard goes back to what opened it (else to the name field).
    fn close(&mut self, session: &mut WindowSession) {
        self.dialog.open = false;
        self.dialog.editor = None;
        self.dialog.confirm_delete = None;
        self.dialog.rename = None;
        self.dialog.test = TestState::Idle;
        match self.opener.take() {
            Some(opener) => self.give_back = Some((opener, 3)),
            None => session.focus_name = true,
        }
    }

    /// Gives the focus back to the dialog's opener, once the controls behind the dialog take
    /// it again. Called after they were drawn.
    fn give_focus_back(&mut self, ctx: &egui::Context) {
        let Some((opener, frames)) = self.give_back else {
            return;
        };
        if ctx.memory(|m| m.has_focus(opener)) && frames < 3 {
            // It kept it through a frame.
            self.give_back = None;
            return;
        }
        ctx.memory_mut(|m| m.request_focus(opener));
        ctx.request_repaint();
        self.give_back = frames.checked_sub(1).map(|left| (opener, left));
    }

    /// The dialog, when open.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &mut WindowSession) -> Vec<AppCommand> {
        let mut commands = Vec::new();
        for action in dialog::profiles_dialog_ui(ui.ctx(), &mut self.dialog, session.lang) {
            match action {
                DialogAction::Close => self.close(session),
                DialogAction::Run(op) => self.run(session, op),
                DialogAction::Test(what) => self.test(session, what),
                DialogAction::Use(name) => {
                    commands.push(AppCommand::Select(Selection::Profile(name)));
                    self.close(session);
                }
            }
        }
        // Also in the frame the dialog closes: else that frame ends with no control focused,
        // and a reader says the bare window ("onsdesk frame") before the opener.
        if !self.dialog.open {
            self.give_focus_back(ui.ctx());
        }
        commands
    }
}

/// One profile operation, then the list as it is now. Blocking: runs on the blocking pool.
fn run_op(
    store: &ProfileStore,
    op: ProfileOp,
) -> Result<(ProfileOpDone, ProfilesFile), ProfileProblem> {
    let done = match op {
        ProfileOp::Add { new, make_default } => {
            let added = store.add(&new, make_default)?;
            ProfileOpDone::Added {
                name: new.profile.name.clone(),
                is_default: added.is_default,
            }
        }
        ProfileOp::Update {
            profile,
            secrets,
            make_default,
        } => {
            store.update(&profile, secrets.as_ref())?;
            let is_default = store.list()?.default.as_deref() == Some(profile.name.as_str());
            if make_default && !is_default {
                store.set_default(Some(&profile.name))?;
            }
            ProfileOpDone::Updated(profile.name.clone())
        }
        ProfileOp::Rename { old, new } => {
            store.rename(&old, &new)?;
            ProfileOpDone::Renamed { old, new }
        }
        ProfileOp::Delete(name) => {
            store.remove(&name)?;
            ProfileOpDone::Deleted(name)
        }
        ProfileOp::SetDefault(name) => {
            store.set_default(Some(&name))?;
            ProfileOpDone::DefaultSet(name)
        }
        ProfileOp::Import => {
            let imported = crate::profiles::aliyun::import(store, None, None, None, false)?;
            ProfileOpDone::Imported {
                aliyun_name: imported.aliyun_name,
                name: imported.profile.name,
                source_file: imported.source_file,
            }
        }
    };
    Ok((done, store.list()?))
}
