//! What every feature of the window shares: the preferences, the credentials and where they
//! came from, the environment's credentials, the profile store, the sandbox, the HTTP
//! transport, the clock offset learned from the service, the history recorder and the copy
//! mark; and from them, where a request goes ([`WindowSession::target`]) and the client that
//! signs it ([`WindowSession::client`]). (The command line has no window session: each command
//! resolves its own credentials and client.)
//!
//! Background replies are taken in `logic`, which runs every frame, the window shown or not:
//! the session's own work (starting the sandbox, reading a profile's secret) in
//! [`WindowSession::logic`], and each feature's in its controller's `logic`, which may change
//! the session (a profile deleted or renamed, the clock offset a create learned). While
//! drawing, features read the session; the only changes made there are the preferences the top
//! bar edits (region, endpoint, view, signature) and where the keyboard focus goes next.
//! Everything else that crosses features comes back from `ui` as an `AppCommand` (copy, select
//! credentials, language, theme, start the sandbox…), applied by `OnsApp` after the panels.

use crate::api::{Client, HttpOptions, Target, Transport};
use crate::credentials::{CredentialSource, Credentials, CredentialsError};
use crate::profiles::{Profile, ProfileStore, ProfilesFile};
use crate::region::{DEFAULT_REGION, Endpoint, EndpointError, Network, RegionId};
use crate::sandbox::{Sandbox, SandboxConfig, demo_credentials};

use super::copy::{COPIED_FOR, CopyMark};
use super::creds::{Creds, KeyringNotice, ProfileProblem, SandboxProblem, Selection};
use super::i18n::Lang;
use super::options::{AppOptions, StartCredentials};
use super::recorder::Recorder;
use super::state::Saved;
use super::tasks::{Panicked, Tasks};

/// The session's own background work.
enum SessionReply {
    SandboxStarted(Result<std::io::Result<Sandbox>, Panicked>),
    ProfileLoaded {
        seq: u64,
        name: String,
        result: Result<(Profile, Credentials), ProfileProblem>,
    },
}

/// What the features share.
pub struct WindowSession {
    /// Preferences, saved by eframe (never a secret).
    pub saved: Saved,
    pub lang: Lang,
    pub options: AppOptions,
    pub creds: Creds,
    /// The environment's credentials (a session-only choice in the selector).
    pub env: Option<Credentials>,
    pub env_problem: Option<CredentialsError>,
    pub store: Option<ProfileStore>,
    pub keyring_notice: Option<KeyringNotice>,
    /// Kept alive while in use: dropping it stops the server.
    pub sandbox: Option<Sandbox>,
    pub transport: Transport,
    /// The service's clock minus ours, once a create had to correct for it: every later call
    /// (endpoints, pre-flight, check again, the next create) signs with it.
    pub clock_offset: Option<time::Duration>,
    /// Where create attempts are recorded before they are sent.
    pub recorder: Recorder,
    /// Counts what this window learned changed in the cloud (a create made or found an
    /// instance): look-ups keyed on it ask again.
    pub cloud_changes: u64,
    /// The text last copied and when, for the "Copied" marks.
    pub copied: CopyMark,
    /// The next frame puts the keyboard focus into the name field.
    pub focus_name: bool,
    pub runtime: tokio::runtime::Handle,
    pub ctx: egui::Context,
    tasks: Tasks<SessionReply>,
}

impl std::fmt::Debug for WindowSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("saved", &self.saved)
            .field("lang", &self.lang)
            .field("creds", &self.creds)
            .finish_non_exhaustive()
    }
}

/// What a session starts from.
pub struct SessionStart {
    pub saved: Saved,
    pub lang: Lang,
    pub options: AppOptions,
    pub credentials: StartCredentials,
    pub store: Option<ProfileStore>,
    pub recorder: Recorder,
}

impl WindowSession {
    pub fn new(start: SessionStart, runtime: tokio::runtime::Handle, ctx: egui::Context) -> Self {
        let SessionStart {
            saved,
            lang,
            options,
            credentials,
            store,
            recorder,
        } = start;
        let (env, env_problem) = match credentials {
            StartCredentials::FromEnvironment => match Credentials::from_env() {
                Ok(c) => (c, None),
                Err(e) => (None, Some(e)),
            },
            StartCredentials::Given(c) => (Some(c), None),
            StartCredentials::None => (None, None),
        };
        Self {
            saved,
            lang,
            options,
            creds: Creds::Missing,
            env,
            env_problem,
            store,
            keyring_notice: None,
            sandbox: None,
            transport: Transport::new(HttpOptions::default()),
            clock_offset: None,
            recorder,
            cloud_changes: 0,
            copied: CopyMark::default(),
            focus_name: true,
            tasks: Tasks::new(runtime.clone(), ctx.clone()),
            runtime,
            ctx,
        }
    }

    /// The credentials at start: `--demo`'s sandbox, the remembered profile, the environment,
    /// in that order (else the default profile, once the profile list is read).
    pub fn start(&mut self) {
        if self.options.demo {
            self.start_sandbox();
        } else if let Some(name) = self.saved.profile.clone().filter(|_| self.store.is_some()) {
            self.load_profile(name);
        } else {
            self.use_environment();
        }
    }

    pub fn region(&self) -> String {
        self.saved
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned())
    }

    /// Where a request goes now: the sandbox, `--endpoint`, the custom endpoint, or the
    /// region's official endpoint, in that order.
    /// The region must be one ONS serves (saved preferences are a file anyone with access
    /// can edit), or of a region ID's shape when the endpoint is not the region's own.
    pub fn target(&self) -> Result<Target, EndpointError> {
        let region = self.region();
        let custom = self.sandbox.is_some()
            || self.options.endpoint.is_some()
            || self.saved.use_custom_endpoint;
        let region = RegionId::parse(&region, custom).map_err(EndpointError::BadRegion)?;
        let endpoint = if let Some(sandbox) = &self.sandbox {
            Endpoint::parse(&sandbox.url())
        } else if let Some(e) = &self.options.endpoint {
            Ok(e.clone())
        } else if self.saved.use_custom_endpoint {
            Endpoint::parse(&self.saved.custom_endpoint)
        } else {
            Endpoint::for_region(&region, Network::Public)
        }?;
        Ok(Target { endpoint, region })
    }

    /// A client for `target` with these credentials, the chosen signature and the learned
    /// clock offset.
    pub fn client_for(&self, target: Target, credentials: Credentials) -> Client {
        let client = Client::new(self.transport.clone(), target, credentials)
            .with_signature(self.saved.signature);
        match self.clock_offset {
            Some(offset) => client.with_clock_offset(offset),
            None => client,
        }
    }

    /// A client for the current target; `None` without credentials, the endpoint's problem
    /// when it is unusable.
    pub fn client(&self) -> Option<Result<Client, EndpointError>> {
        let (_, credentials) = self.ready()?;
        Some(
            self.target()
                .map(|target| self.client_for(target, credentials.clone())),
        )
    }

    /// The credentials in use and where they came from, when there are any.
    pub fn ready(&self) -> Option<(&CredentialSource, &Credentials)> {
        match &self.creds {
            Creds::Ready {
                source,
                credentials,
            } => Some((source, credentials)),
            _ => None,
        }
    }

    /// The running sandbox's endpoint, if any.
    pub fn sandbox_endpoint(&self) -> Option<String> {
        self.sandbox
            .as_ref()
            .and_then(|s| Endpoint::parse(&s.url()).ok())
            .map(|e| e.to_string())
    }

    /// The environment's credentials, if there are any; else none at all.
    fn use_environment(&mut self) {
        self.creds = match self.env.clone() {
            Some(credentials) => Creds::Ready {
                source: CredentialSource::Environment,
                credentials,
            },
            None => Creds::Missing,
        };
    }

    pub fn start_sandbox(&mut self) {
        if matches!(self.creds, Creds::SandboxStarting) || self.sandbox.is_some() {
            return;
        }
        self.creds = Creds::SandboxStarting;
        // `--demo` opens on an instance made elsewhere, with topics and groups, in the
        // window's region; "Try the sandbox" starts empty.
        let config = if self.options.demo {
            SandboxConfig::demo(&self.region())
        } else {
            SandboxConfig::default()
        };
        self.tasks.spawn(
            async { SessionReply::SandboxStarted(Ok(Sandbox::start(config).await)) },
            || SessionReply::SandboxStarted(Err(Panicked)),
        );
    }

    /// Reads a profile's secret from the keyring in the background, then uses it.
    pub fn load_profile(&mut self, name: String) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let seq = self.tasks.next_seq();
        self.creds = Creds::Loading {
            seq,
            profile: name.clone(),
        };
        let wanted = name.clone();
        self.tasks.spawn_blocking(
            move || store.credentials(&wanted).map_err(ProfileProblem::from),
            move |r| SessionReply::ProfileLoaded {
                seq,
                name,
                result: r.unwrap_or(Err(ProfileProblem::Panicked)),
            },
        );
    }

    /// Uses the credentials the user picked. `profiles` is the list as last read (a profile's
    /// region comes with it).
    pub fn select(&mut self, selection: Selection, profiles: Option<&ProfilesFile>) {
        match selection {
            Selection::Profile(name) => {
                if let Some(region) = profiles
                    .and_then(|f| f.get(&name))
                    .and_then(|p| p.region.clone())
                {
                    self.saved.region = Some(region);
                }
                self.load_profile(name);
            }
            Selection::Environment => {
                if self.env.is_some() {
                    self.saved.profile = None;
                    self.use_environment();
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
    }

    /// A profile was deleted: stop using it (the environment's credentials, if any, take
    /// over).
    pub fn profile_deleted(&mut self, name: &str) {
        if self.saved.profile.as_deref() == Some(name) {
            self.saved.profile = None;
        }
        if self.is_using_profile(name) {
            self.use_environment();
        }
    }

    /// A profile was renamed: keep using it under its new name.
    pub fn profile_renamed(&mut self, old: &str, new: &str) {
        if self.saved.profile.as_deref() == Some(old) {
            self.saved.profile = Some(new.to_owned());
        }
        if let Creds::Ready {
            source: CredentialSource::Profile(p),
            ..
        } = &mut self.creds
            && p == old
        {
            new.clone_into(p);
        }
    }

    pub fn is_using_profile(&self, name: &str) -> bool {
        matches!(&self.creds, Creds::Ready { source: CredentialSource::Profile(p), .. } if p == name)
    }

    /// Applies the session's finished background work. Never blocks.
    pub fn logic(&mut self) {
        while let Some(reply) = self.tasks.try_recv() {
            match reply {
                SessionReply::SandboxStarted(Ok(Ok(sandbox))) => {
                    self.sandbox = Some(sandbox);
                    self.creds = Creds::Ready {
                        source: CredentialSource::Sandbox,
                        credentials: demo_credentials(),
                    };
                    self.focus_name = true;
                }
                SessionReply::SandboxStarted(Ok(Err(e))) => {
                    self.creds = Creds::SandboxFailed(SandboxProblem::Io(e));
                }
                SessionReply::SandboxStarted(Err(Panicked)) => {
                    self.creds = Creds::SandboxFailed(SandboxProblem::Panicked);
                }
                SessionReply::ProfileLoaded { seq, name, result } => {
                    self.on_profile_loaded(seq, name, result);
                }
            }
        }
    }

    fn on_profile_loaded(
        &mut self,
        seq: u64,
        name: String,
        result: Result<(Profile, Credentials), ProfileProblem>,
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
            }
            Err(problem) => {
                tracing::warn!(profile = %name, "profile not usable");
                self.keyring_notice = Some(KeyringNotice {
                    profile: name,
                    problem,
                });
                // Keep working: the environment's credentials, if there are any.
                self.use_environment();
            }
        }
    }

    /// Puts `text` on the clipboard and remembers it for the "Copied" mark.
    pub fn copy(&mut self, text: String) {
        self.ctx.copy_text(text.clone());
        self.copied.set(text);
        // One repaint to take the "Copied" mark down again; not a loop.
        self.ctx.request_repaint_after(COPIED_FOR);
    }
}
