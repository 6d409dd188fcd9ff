//! What every command that calls the service shares, written once: `--timeout` and
//! `--deadline` ([`Timing`], one range for both), and the credentials, transport and target
//! ([`Connection`]).

use super::output::say;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::{parse_seconds, parse_signature, profile, refused, resolve_target};
use crate::api::{Client, HttpOptions, Target, Transport};
use crate::credentials::{CredentialSource, ENV_ACCESS_KEY_SECRET};
use crate::pacing::Policy;
use crate::profiles::{ResolveError, Resolved};
use crate::signing::v3::SignatureVersion;

/// How many `--timeout`s the default `--deadline` allows: room for a few attempts, a look and
/// some throttling, never an open-ended wait.
pub const DEADLINE_TIMEOUTS: u32 = 4;

/// `--timeout`, for every command that calls the service; a command that makes one call
/// (`profile test`) takes it alone, every other one as part of [`Timing`].
#[derive(Clone, Copy, Debug, Args)]
pub struct Timeout {
    /// Per-request timeout in seconds (0.001 to 86400).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,
}

impl Timeout {
    /// A transport with this timeout (and a connect timeout no longer than it).
    pub fn transport(self) -> Transport {
        Transport::new(HttpOptions {
            connect_timeout: HttpOptions::default().connect_timeout.min(self.timeout),
            timeout: self.timeout,
        })
    }
}

/// `--timeout` and `--deadline`, for every command that may make more than one call.
#[derive(Clone, Copy, Debug, Args)]
pub struct Timing {
    #[command(flatten)]
    pub per_call: Timeout,
    /// Give up after this many seconds (0.001 to 86400) [default: 4 times --timeout]: no retry
    /// and no wait (throttling, backoff) goes past it, and a read still waiting then is
    /// abandoned. A change already sent is awaited up to --timeout and, if its reply is lost,
    /// looked at once more to find out what it did.
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub deadline: Option<Duration>,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            per_call: Timeout {
                timeout: Duration::from_secs(30),
            },
            deadline: None,
        }
    }
}

impl Timing {
    /// The deadline in force: `--deadline`, else four times `--timeout`
    /// (at most a day).
    pub fn deadline(&self) -> Duration {
        self.deadline.unwrap_or_else(|| {
            self.timeout()
                .saturating_mul(DEADLINE_TIMEOUTS)
                .min(Duration::from_secs_f64(super::MAX_DURATION_SECS))
        })
    }

    /// How long after recording a change the command may still send it: its deadline, and
    /// the time limit of a request started just before it. Stamped on its history entries
    /// ([`crate::history::History::set_send_window`]).
    pub fn send_window(&self) -> Duration {
        self.deadline().saturating_add(self.timeout())
    }

    /// The policy for a command: the default bounds, this deadline.
    pub fn policy(&self) -> Policy {
        Policy {
            deadline: self.deadline(),
            ..Policy::default()
        }
    }

    /// `--timeout`.
    pub fn timeout(&self) -> Duration {
        self.per_call.timeout
    }

    /// A transport with this timeout (and a connect timeout no longer than it).
    pub fn transport(&self) -> Transport {
        self.per_call.transport()
    }
}

/// Options every command that calls the service for an instance takes (`instances`, `topics`,
/// `groups`, `connect`).
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Use this profile's credentials [default: the profile ALIBABA_CLOUD_PROFILE (or the
    /// like) names, else the AccessKey variables if set, else the default profile].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    #[command(flatten)]
    pub timing: Timing,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Request signature: v1 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256).
    #[arg(long, value_name = "v1|v3", default_value = "v1", value_parser = parse_signature)]
    pub signature: SignatureVersion,
}

impl CommonArgs {
    /// The credentials, transport and signature these options ask for.
    pub fn connection(&self) -> Result<Connection, ExitCode> {
        Connection::open(self.profile.as_deref(), &self.timing, self.signature)
    }

    /// The one client a command on one instance needs.
    pub fn client(&self, endpoint: Option<&str>, region: Option<&str>) -> Result<Client, ExitCode> {
        self.connection()?.client_for(endpoint, region)
    }
}

/// The credentials a command signs with, its transport and signature version.
#[derive(Debug)]
pub struct Connection {
    resolved: Resolved,
    transport: Transport,
    signature: SignatureVersion,
}

impl Connection {
    /// Resolves the credentials (`--profile`, else the profile or AccessKey variables, else the
    /// default profile), warning about an expired STS token or a secret with blanks around it.
    pub fn open(
        profile_name: Option<&str>,
        timing: &Timing,
        signature: SignatureVersion,
    ) -> Result<Self, ExitCode> {
        let resolved = match profile::resolve_credentials(profile_name) {
            Ok(r) => r,
            Err(ResolveError::NoCredentials) => {
                return Err(refused(format_args!(
                    "{} (to try onsdesk without an account, run `onsdesk sandbox` and use its \
                     demo key)",
                    ResolveError::NoCredentials
                )));
            }
            Err(e) => return Err(refused(e)),
        };
        profile::warn_if_expired(&resolved);
        if resolved.source == CredentialSource::Environment
            && resolved.credentials.secret.has_surrounding_whitespace()
        {
            say!(
                "onsdesk: warning: {ENV_ACCESS_KEY_SECRET} begins or ends with whitespace; \
                 signatures will not match if that was pasted by accident"
            );
        }
        Ok(Self {
            resolved,
            transport: timing.transport(),
            signature,
        })
    }

    /// Where the credentials came from, with the profile's details.
    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }

    /// `--region`, else the profile's region (the region variables and the default come after,
    /// in [`resolve_target`]).
    pub fn region<'a>(&'a self, region: Option<&'a str>) -> Option<&'a str> {
        region.or(self
            .resolved
            .profile
            .as_ref()
            .and_then(|p| p.region.as_deref()))
    }

    /// Where a command on one region goes.
    pub fn target(&self, endpoint: Option<&str>, region: Option<&str>) -> Result<Target, ExitCode> {
        resolve_target(endpoint, self.region(region)).map_err(refused)
    }

    /// A client for `target` with these credentials.
    pub fn client(&self, target: Target) -> Client {
        Client::new(
            self.transport.clone(),
            target,
            self.resolved.credentials.clone(),
        )
        .with_signature(self.signature)
    }

    /// The client for the one region a command acts on.
    pub fn client_for(
        &self,
        endpoint: Option<&str>,
        region: Option<&str>,
    ) -> Result<Client, ExitCode> {
        Ok(self.client(self.target(endpoint, region)?))
    }
}

/// Runs a command's future on a runtime of its own (the CLI's entry point owns its thread).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, ExitCode> {
    let rt = super::runtime(false)
        .map_err(|e| refused(format_args!("could not start the async runtime: {e}")))?;
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI's entry point owns its thread"
    )]
    Ok(rt.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_deadline_follows_the_timeout() {
        let t = Timing::default();
        assert_eq!(t.deadline(), Duration::from_mins(2));
        let t = Timing {
            per_call: Timeout {
                timeout: Duration::from_secs(2),
            },
            deadline: None,
        };
        assert_eq!(t.deadline(), Duration::from_secs(8));
        let t = Timing {
            per_call: Timeout {
                timeout: Duration::from_hours(24),
            },
            deadline: None,
        };
        assert_eq!(t.deadline(), Duration::from_hours(24));
        let t = Timing {
            per_call: Timeout {
                timeout: Duration::from_secs(2),
            },
            deadline: Some(Duration::from_secs(1)),
        };
        assert_eq!(t.deadline(), Duration::from_secs(1));
    }
}
