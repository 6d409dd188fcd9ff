//! `onsdesk profile …`: AccessKey/STS profiles whose secrets live in the OS keyring.
//!
//! Secrets are read from stdin (without echo on a terminal), never from argv, which other
//! users of the machine can see. Exit codes: 0 done; 2 refused (bad input, no such profile,
//! keyring unavailable); for `profile test` 3 the service refused the credentials and 4 no
//! answer.

use super::output;
use super::output::say;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{EXIT_SERVICE_ERROR, EXIT_UNKNOWN, Timeout, refused, resolve_target, runtime};
use crate::api::Client;
use crate::credentials::{CredentialSource, Credentials, mask_id};
use crate::profiles::{
    self, NewProfile, Profile, ProfileStore, ResolveError, Resolved, aliyun, check::Verdict,
};

#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub command: ProfileCommand,
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::doc_markdown,
    reason = "clap prints these docs as help text, where backticks would show"
)]
pub enum ProfileCommand {
    /// Add a profile; the secret (and with --sts the token) is read from stdin.
    ///
    /// On a terminal it is prompted for without echo; otherwise the first line of stdin is the
    /// secret and, with --sts, the second line the token. The default region is --region.
    Add(AddArgs),
    /// List profiles (never prints secrets).
    List {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Remove a profile and its keyring entry.
    Remove { name: String },
    /// Rename a profile (its keyring entry moves too).
    Rename { old: String, new: String },
    /// Make a profile the default.
    SetDefault { name: String },
    /// Import a profile from the aliyun CLI's ~/.aliyun/config.json (modes AK and StsToken).
    ImportAliyun(ImportArgs),
    /// List keyring entries of onsdesk's service that belong to no profile.
    ///
    /// They are left behind when a profile's keyring entry was written but profiles.json was
    /// not (a crash, or an older onsdesk losing a parallel change). Delete them with prune.
    Orphans,
    /// Delete the keyring entries that orphans lists; profiles' own entries are never touched.
    Prune {
        /// Only these entries [default: every orphan].
        names: Vec<String>,
    },
    /// Check credentials with a cheap read-only call (OnsRegionList).
    ///
    /// Without NAME, the credentials `create` would use: the profile a profile variable
    /// names, else the AccessKey variables, else the default profile.
    Test {
        name: Option<String>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        timeout: Timeout,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Profile name: letters, digits, '-', '_', '.'.
    pub name: String,
    /// The `AccessKey` ID (not secret; the secret comes from stdin).
    #[arg(long, value_name = "ID")]
    pub access_key_id: String,
    /// Temporary STS credentials: a security token follows the secret on stdin.
    #[arg(long)]
    pub sts: bool,
    /// When the STS token expires (RFC 3339, e.g. 2030-01-02T03:04:05Z).
    #[arg(long, value_name = "TIME", requires = "sts")]
    pub sts_expires: Option<String>,
    /// Make it the default profile (the first profile always is).
    #[arg(long)]
    pub default: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The aliyun CLI config file: a regular file of at most 4 MiB [default:
    /// ~/.aliyun/config.json].
    #[arg(long, value_name = "PATH")]
    pub from: Option<PathBuf>,
    /// The aliyun profile to import [default: its current profile].
    #[arg(long)]
    pub name: Option<String>,
    /// The onsdesk profile name [default: the aliyun profile's name].
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Make it the default profile.
    #[arg(long)]
    pub default: bool,
}

/// Runs `onsdesk profile …`.
pub fn run(args: &ProfileArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let store = match ProfileStore::open_default() {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    match &args.command {
        ProfileCommand::Add(add_args) => add(&store, add_args, region),
        ProfileCommand::List { json } => list(&store, *json),
        ProfileCommand::Remove { name } => match store.remove(name) {
            Ok(()) => done(format_args!(
                "Removed profile {name} and its {} entry.",
                store.secret_store().name()
            )),
            Err(e) => refused(e),
        },
        ProfileCommand::Rename { old, new } => match store.rename(old, new) {
            Ok(()) => done(format_args!("Renamed profile {old} to {new}.")),
            Err(e) => refused(e),
        },
        ProfileCommand::SetDefault { name } => match store.set_default(Some(name)) {
            Ok(()) => done(format_args!("{name} is now the default profile.")),
            Err(e) => refused(e),
        },
        ProfileCommand::ImportAliyun(import_args) => import(&store, import_args),
        ProfileCommand::Orphans => match store.orphans() {
            Ok(names) if names.is_empty() => done(format_args!(
                "No orphaned entries: every onsdesk entry in the {} belongs to a profile.",
                store.secret_store().name()
            )),
            Ok(names) => done(format_args!(
                "{} {} entries of service {:?} belong to no profile (delete them with `onsdesk \
                 profile prune`):\n  {}",
                names.len(),
                store.secret_store().name(),
                profiles::KEYRING_SERVICE,
                names.join("\n  ")
            )),
            Err(e) => refused(e),
        },
        ProfileCommand::Prune { names } => match store.prune_orphans(names) {
            Ok(names) if names.is_empty() => done(format_args!(
                "Nothing to delete: every onsdesk entry in the {} belongs to a profile.",
                store.secret_store().name()
            )),
            Ok(names) => done(format_args!(
                "Deleted {} {} entries that belonged to no profile:\n  {}",
                names.len(),
                store.secret_store().name(),
                names.join("\n  ")
            )),
            Err(e) => refused(e),
        },
        ProfileCommand::Test {
            name,
            json,
            timeout,
        } => test(name.as_deref(), *json, *timeout, endpoint, region),
    }
}

fn done(message: impl std::fmt::Display) -> ExitCode {
    let _ = writeln!(output::stdout(), "{message}");
    ExitCode::SUCCESS
}

/// Reads one secret: prompted without echo on a terminal, else one line of stdin (its line
/// ending removed, nothing else: surrounding whitespace is refused later, not stripped).
pub(super) fn read_secret(
    prompt: &str,
    stdin: &mut dyn std::io::BufRead,
    tty: bool,
) -> Result<String, String> {
    if tty {
        return rpassword::prompt_password(prompt)
            .map_err(|e| format!("could not read the secret from the terminal: {e}"));
    }
    let mut line = String::new();
    let n = stdin
        .read_line(&mut line)
        .map_err(|e| format!("could not read stdin: {e}"))?;
    if n == 0 {
        return Err(format!(
            "no {} on stdin (pipe it in, one per line; it is never taken from the command line)",
            prompt.trim_end_matches([':', ' '])
        ));
    }
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    Ok(line)
}

fn add(store: &ProfileStore, args: &AddArgs, region: Option<&str>) -> ExitCode {
    let sts_expires = match args
        .sts_expires
        .as_deref()
        .map(|t| OffsetDateTime::parse(t, &Rfc3339))
    {
        None => None,
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => return refused(format_args!("--sts-expires: not an RFC 3339 time ({e})")),
    };
    // Check the name, ID and region before asking for the secret.
    if let Err(e) = profiles::validate_name(&args.name) {
        return refused(e);
    }
    let region = match region.map(crate::region::RegionId::known).transpose() {
        Ok(r) => r.map(|r| r.to_string()),
        Err(e) => return refused(format_args!("--region: {e}")),
    };
    if let Err(e) = profiles::check_field(profiles::Field::AccessKeyId, &args.access_key_id, 128) {
        return refused(e);
    }
    let tty = std::io::stdin().is_terminal();
    let mut stdin = std::io::stdin().lock();
    let secret = match read_secret("AccessKey secret: ", &mut stdin, tty) {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let token = if args.sts {
        match read_secret("STS security token: ", &mut stdin, tty) {
            Ok(t) => Some(t),
            Err(e) => return refused(e),
        }
    } else {
        None
    };
    let new = NewProfile {
        profile: Profile {
            name: args.name.clone(),
            access_key_id: args.access_key_id.clone(),
            sts: args.sts,
            sts_expires,
            region,
        },
        secrets: profiles::secrets(secret, token),
    };
    match store.add(&new, args.default) {
        Ok(added) => done(format_args!(
            "Added profile {} (AccessKey {}); the secret is in the {}{}.",
            args.name,
            mask_id(&args.access_key_id),
            store.secret_store().name(),
            if added.is_default {
                "; it is the default profile"
            } else {
                ""
            }
        )),
        Err(e) => refused(e),
    }
}

fn env_credentials() -> Option<Credentials> {
    Credentials::from_env().ok().flatten()
}

fn list(store: &ProfileStore, json: bool) -> ExitCode {
    let file = match store.list() {
        Ok(f) => f,
        Err(e) => return refused(e),
    };
    let env = env_credentials();
    if json {
        let profiles: Vec<_> = file
            .profiles
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "access_key_id": mask_id(&p.access_key_id),
                    "sts": p.sts,
                    "sts_expires": p.sts_expires.and_then(|t| t.format(&Rfc3339).ok()),
                    "region": p.region,
                    "default": file.default.as_deref() == Some(p.name.as_str()),
                })
            })
            .collect();
        let environment = env
            .as_ref()
            .map(|c| json!({ "access_key_id": c.masked_id(), "sts": c.security_token.is_some() }));
        let v = json!({
            "default": file.default,
            "profiles": profiles,
            "environment": environment,
            "keyring": store.secret_store().name(),
        });
        output::print_json(&v);
        return ExitCode::SUCCESS;
    }
    let mut out = output::stdout();
    if file.profiles.is_empty() && env.is_none() {
        let _ = writeln!(
            out,
            "No profiles. Add one: onsdesk profile add NAME --access-key-id ID  (the secret is read from stdin)"
        );
        return ExitCode::SUCCESS;
    }
    let now = OffsetDateTime::now_utc();
    for p in &file.profiles {
        let mark = if file.default.as_deref() == Some(p.name.as_str()) {
            '*'
        } else {
            ' '
        };
        let mut notes = Vec::new();
        if let Some(r) = &p.region {
            notes.push(format!("region {r}"));
        }
        if p.sts {
            notes.push(match p.sts_expires.and_then(|t| t.format(&Rfc3339).ok()) {
                Some(t) if p.sts_expired(now) => format!("STS, expired {t}"),
                Some(t) => format!("STS, expires {t}"),
                None => "STS".to_owned(),
            });
        }
        let _ = writeln!(
            out,
            "{mark} {:<20} {:<16} {}",
            p.name,
            mask_id(&p.access_key_id),
            notes.join(", ")
        );
    }
    if let Some(c) = env {
        let _ = writeln!(
            out,
            "  {:<20} {:<16} from environment (this session only; used when no --profile is given)",
            "(environment)",
            c.masked_id()
        );
    }
    ExitCode::SUCCESS
}

fn import(store: &ProfileStore, args: &ImportArgs) -> ExitCode {
    match aliyun::import(
        store,
        args.from.as_deref(),
        args.name.as_deref(),
        args.as_name.as_deref(),
        args.default,
    ) {
        Ok(imported) => {
            let _ = writeln!(
                output::stdout(),
                "Imported aliyun profile {} as onsdesk profile {} (AccessKey {}); the secret is in the {}{}.",
                crate::text::Printable(&imported.aliyun_name),
                imported.profile.name,
                mask_id(&imported.profile.access_key_id),
                store.secret_store().name(),
                if imported.is_default {
                    "; it is the default profile"
                } else {
                    ""
                }
            );
            if let Some(dropped) = &imported.dropped_region {
                say!(
                    "onsdesk: warning: its region_id '{dropped}' is not a region ONS serves; \
                     imported without a default region (`--region` on each command, or `profile \
                     add` again, sets one)"
                );
            }
            say!(
                "onsdesk: note: {} still holds this secret in plain text. onsdesk did not change \
                 it; cleaning it up (removing the profile there, or the file) is yours to do.",
                imported.source_file.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => refused(e),
    }
}

/// The credentials for a call: `--profile` → the profile variables (`ALIBABA_CLOUD_PROFILE`, …)
/// → the AccessKey variables → default profile. Blocking.
pub(super) fn resolve_credentials(explicit: Option<&str>) -> Result<Resolved, ResolveError> {
    let env = |k: &str| std::env::var(k).ok();
    if explicit.is_none()
        && let Some((var, name)) = crate::credentials::profile_from_lookup(env)
    {
        let resolved = resolve_credentials(Some(&name));
        if resolved.is_err() {
            say!("onsdesk: note: {var} names the profile {name:?}; unset it to use another");
        }
        return resolved;
    }
    match ProfileStore::open_default() {
        Ok(store) => profiles::resolve(&store, explicit, env),
        // No data directory: the environment can still serve when no profile was named.
        Err(e) => match (explicit, Credentials::from_lookup(env)?) {
            (None, Some(credentials)) => Ok(Resolved {
                credentials,
                source: CredentialSource::Environment,
                profile: None,
            }),
            _ => Err(e.into()),
        },
    }
}

/// Warns about an STS profile whose recorded expiry has passed (the service decides).
pub(super) fn warn_if_expired(resolved: &Resolved) {
    if let Some(p) = &resolved.profile
        && p.sts_expired(OffsetDateTime::now_utc())
    {
        say!(
            "onsdesk: warning: profile {}'s STS token expired at {}; the service will probably \
             refuse it (update the profile with fresh temporary credentials)",
            p.name,
            p.sts_expires
                .and_then(|t| t.format(&Rfc3339).ok())
                .unwrap_or_default()
        );
    }
}

fn test(
    name: Option<&str>,
    json: bool,
    timeout: Timeout,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> ExitCode {
    let resolved = match resolve_credentials(name) {
        Ok(r) => r,
        Err(e) => return refused(e),
    };
    warn_if_expired(&resolved);
    let region = region.or(resolved.profile.as_ref().and_then(|p| p.region.as_deref()));
    let target = match resolve_target(endpoint, region) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let source = match &resolved.source {
        CredentialSource::Environment => "the environment (this session only)".to_owned(),
        other => format!("profile {other}"),
    };
    let masked = resolved.credentials.masked_id();
    say!(
        "onsdesk: testing {source} (AccessKey {masked}) with OnsRegionList at {}",
        target.endpoint
    );
    let client = Client::new(timeout.transport(), target, resolved.credentials);
    let rt = match runtime(false) {
        Ok(rt) => rt,
        Err(e) => return refused(format_args!("could not start the async runtime: {e}")),
    };
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI's entry point owns its thread"
    )]
    let verdict = rt.block_on(profiles::check::check(&client));
    if json {
        let v = json!({
            "verdict": verdict.key(),
            "message": verdict.to_string(),
            "source": resolved.source.to_string(),
            "access_key_id": masked,
        });
        output::print_json(&v);
    } else {
        output::print_line(&verdict);
    }
    ExitCode::from(match verdict {
        Verdict::Ok { .. } => 0,
        // no answer, or one that is not the service's (a redirect, an HTML page, a body too
        // large): nothing says the credentials were refused
        Verdict::NoNetwork(_) | Verdict::NotTheService(_) => EXIT_UNKNOWN,
        _ => EXIT_SERVICE_ERROR,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_lines_lose_only_their_line_ending() {
        let mut input: &[u8] = b"sec ret \r\ntoken\n";
        assert_eq!(read_secret("s: ", &mut input, false).unwrap(), "sec ret ");
        assert_eq!(read_secret("t: ", &mut input, false).unwrap(), "token");
        let err = read_secret("STS security token: ", &mut input, false).unwrap_err();
        assert!(err.contains("no STS security token on stdin"), "{err}");
    }
}
