//! The command line: `onsdesk create …`, `onsdesk sandbox …`, and the window's options.
//!
//! Exit codes (scripts rely on them): 0 success; 2 refused before anything was sent (usage,
//! validation, credentials, endpoint); 3 the service answered with an error; 4 transport
//! failure or unknown outcome; 70 an internal error (a bug: onsdesk panicked; one line on
//! stderr says so, with the version and nothing else, so that no secret can leak).
//!
//! `create`, and `topics|groups create|delete`, record each attempt in the history before
//! sending it (see [`crate::history`]); `instances update` and `instances delete` record
//! renames and deletes of the instances it knows.

mod common;
mod connect;
mod create;
mod history;
mod instances;
pub(crate) mod output;
mod profile;
mod record;
mod topics_groups;

use output::say;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::api::Target;
use crate::credentials::{ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, SecretString};
use crate::region::{DEFAULT_REGION, Endpoint, Network, RegionId};
use crate::sandbox::{self, Faults, Sandbox, SandboxConfig, SandboxKey, SeedInstance};
use crate::signing::v3::SignatureVersion;
pub use common::{CommonArgs, Timeout, Timing};
pub use connect::ConnectArgs;
pub use history::{ExportArgs, ExportFormat, HistoryArgs, HistoryCommand, RefreshArgs};
pub use instances::{DeleteArgs, InstancesArgs, InstancesCommand, ListArgs, ShowArgs, UpdateArgs};
pub use profile::{AddArgs, ImportArgs, ProfileArgs, ProfileCommand};
pub use topics_groups::{
    GroupCreateArgs, GroupDeleteArgs, GroupsArgs, GroupsCommand, ListHeldArgs, TopicCreateArgs,
    TopicDeleteArgs, TopicsArgs, TopicsCommand,
};

/// Refused before anything was sent.
pub const EXIT_REFUSED: u8 = 2;
/// The service answered with an error.
pub const EXIT_SERVICE_ERROR: u8 = 3;
/// Transport failure or unknown outcome.
pub const EXIT_UNKNOWN: u8 = 4;
/// An internal error: onsdesk panicked, which is a bug (sysexits' `EX_SOFTWARE`).
pub const EXIT_BUG: u8 = 70;

/// What `--help` says about exit codes.
const EXIT_CODES_HELP: &str = "Exit codes: 0 success; 1 the window could not open (no display, \
no OpenGL); 2 refused before anything was sent; 3 the service answered with an error; 4 transport \
failure or unknown outcome (the instance may exist); 70 internal error (a bug in onsdesk).";

/// The longest `--timeout` and `--deadline` accepted, in seconds (one day).
pub const MAX_DURATION_SECS: f64 = 86_400.0;

/// onsdesk: create ApsaraMQ for RocketMQ instances on Alibaba Cloud.
///
/// With no subcommand, opens the desktop window.
#[derive(Debug, Parser)]
#[command(name = "onsdesk", version, about, long_about = None, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the window against the built-in sandbox (nothing is created on Alibaba Cloud).
    #[arg(long)]
    pub demo: bool,
    /// Endpoint URL or host, overriding the region's (plain http only to loopback).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Region ID [default for what calls the service: the profile's region, else
    /// ALIBABA_CLOUD_REGION_ID, ALIBABACLOUD_REGION_ID, ALICLOUD_REGION_ID or ALICLOUD_REGION,
    /// else cn-hangzhou; `history` without it shows every region].
    #[arg(long, global = true, value_name = "ID", value_parser = parse_region_shape)]
    pub region: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an instance (OnsInstanceCreate); prints its InstanceId.
    Create(CreateArgs),
    /// See, rename and delete the region's instances, including those made elsewhere
    /// (list, show, update, delete).
    Instances(InstancesArgs),
    /// An instance's topics: list, create (waiting until in service), delete.
    Topics(TopicsArgs),
    /// An instance's consumer groups: list, create, delete.
    Groups(GroupsArgs),
    /// Print a ready-to-paste client config for an instance: its TCP endpoint, a topic, a
    /// group and your AccessKey ID (never the secret).
    Connect(ConnectArgs),
    /// Run the local signature-verifying sandbox until Ctrl-C.
    Sandbox(SandboxArgs),
    /// Manage credential profiles (secrets in the OS keyring).
    Profile(ProfileArgs),
    /// The local history of create attempts: list (newest first), search, export, refresh.
    /// `--region` limits it to one region (all regions without it).
    History(HistoryArgs),
    /// Keeps stdin's text on the X11 clipboard after the window closed (started by the
    /// window; not for users).
    #[command(name = crate::app::keep_clipboard::SUBCOMMAND, hide = true)]
    KeepClipboard,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES_HELP)]
pub struct CreateArgs {
    /// Instance name: 3-64 Chinese characters, letters, digits, '-' or '_'.
    #[arg(long)]
    pub name: String,
    /// Optional remark (any text).
    #[arg(long)]
    pub remark: Option<String>,
    #[command(flatten)]
    pub timing: Timing,
    /// Print one JSON object instead of the bare InstanceId.
    #[arg(long)]
    pub json: bool,
    /// Request signature: v1 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256).
    #[arg(long, value_name = "v1|v3", default_value = "v1", value_parser = parse_signature)]
    pub signature: SignatureVersion,
    /// Use this profile's credentials [default: the profile ALIBABA_CLOUD_PROFILE names, else
    /// the AccessKey variables (ALIBABA_CLOUD_*, its aliases, Terraform's ALICLOUD_*) if set,
    /// else the default profile].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Do not record the attempt in the history. Without this, a history that cannot be
    /// written stops the create before anything is sent: if the reply were then lost, nothing
    /// would be left to find the instance by.
    #[arg(long)]
    pub no_history: bool,
    /// Print the exact signed request (the secret is never in it; an STS token is redacted)
    /// and the equivalent aliyun CLI command, and send nothing. Without an STS token the
    /// output is a complete signed request: anyone holding it can send it once within 15
    /// minutes and create the instance.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Accept this AccessKey ID (repeatable). Its secret is read from stdin, never from the
    /// command line: prompted for without echo on a terminal, else one line per key, in the
    /// order given. Without any key, the demo key is accepted.
    #[arg(long = "key", value_name = "ID")]
    pub keys: Vec<String>,
    /// Accept this STS AccessKey ID (repeatable), only with its token. Its secret, then its
    /// token, are read from stdin as --key's are, after every --key's secret.
    #[arg(long = "sts-key", value_name = "ID")]
    pub sts_keys: Vec<String>,
    /// Accept the keys in this file (repeatable): one `ID:SECRET` or `ID:SECRET:TOKEN` (an STS
    /// key) a line; blank lines and lines starting with `#` are skipped.
    #[arg(long = "key-file", value_name = "PATH")]
    pub key_files: Vec<std::path::PathBuf>,
    /// Fault: create, then drop the reply, for the next N creates.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_drop_create: u32,
    /// Fault: delay every reply by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub fault_delay_ms: u64,
    /// Fault: create, then delay the reply by this many milliseconds, for the next N creates
    /// (see --fault-delay-creates).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub fault_create_delay_ms: u64,
    /// Fault: how many create replies --fault-create-delay-ms applies to.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_delay_creates: u32,
    /// Fault: delete, then drop the reply, for the next N deletes.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_drop_delete: u32,
    /// Start with an instance "made elsewhere" (repeatable): its name, and optionally its
    /// topics and groups, each a count or comma-separated names, and its region, e.g.
    /// `legacy-orders:3:2`, `legacy-orders:orders,payments:GID_orders` or
    /// `billing:0:0:cn-beijing`. An instance with topics or groups cannot be deleted.
    #[arg(long = "seed-instance", value_name = "NAME[:TOPICS[:GROUPS[:REGION]]]")]
    pub seed_instances: Vec<String>,
    /// How long a new topic is being created (ServiceStatus 0) before it is in service, in
    /// milliseconds.
    #[arg(long, value_name = "MS", default_value_t = sandbox::DEMO_TOPIC_READY_MS)]
    pub topic_ready_ms: u64,
    /// Groups an instance may hold; a group create beyond is answered Group.NumLimited.
    #[arg(long, value_name = "N", default_value_t = sandbox::resources::DEFAULT_GROUP_LIMIT)]
    pub group_limit: usize,
    /// Fault: for ACTION's next N successful requests (default 1), do the work, then close the
    /// connection without answering; repeatable, e.g. `OnsTopicCreate` or `OnsGroupDelete:2`.
    #[arg(long = "fault-drop-reply", value_name = "ACTION[:N]", value_parser = parse_action_count)]
    pub fault_drop_replies: Vec<(String, u32)>,
    /// Fault: answer 503 ServiceUnavailable to the first N requests.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_unavailable: u32,
    /// Fault: answer 503 ServiceUnavailable to ACTION's next N requests (default 1), doing
    /// nothing; other actions go through; repeatable, e.g. `OnsTopicCreate`.
    #[arg(long = "fault-unavailable-action", value_name = "ACTION[:N]", value_parser = parse_action_count)]
    pub fault_unavailable_actions: Vec<(String, u32)>,
    /// Fault: answer Throttling.User to every Nth request.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_throttle_every: u32,
    /// Fault: the server clock runs this many seconds ahead (at most ±10 years).
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 0,
        allow_hyphen_values = true,
        value_parser = parse_clock_offset
    )]
    pub clock_offset: i64,
}

/// `sandbox --clock-offset`: whole seconds within what the sandbox can honour
/// ([`sandbox::MAX_CLOCK_OFFSET_SECS`]), refused at parse time in the sandbox's own words.
fn parse_clock_offset(s: &str) -> Result<i64, String> {
    let secs: i64 = s.trim().parse().map_err(|e| format!("'{s}': {e}"))?;
    Faults {
        clock_offset_secs: secs,
        ..Faults::default()
    }
    .validate()
    .map(|()| secs)
}

/// `sandbox --fault-drop-reply` and `--fault-unavailable-action`, `ACTION[:N]`: an action the
/// sandbox serves, and N ≥ 1 (default 1).
fn parse_action_count(s: &str) -> Result<(String, u32), String> {
    let (action, count) = match s.split_once(':') {
        Some((action, n)) => {
            let n: u32 = n
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("'{n}' is not a count of 1 or more"))?;
            (action, n)
        }
        None => (s, 1),
    };
    if !sandbox::gateway::ACTIONS.contains(&action) {
        return Err(format!(
            "'{action}' is not an action the sandbox serves ({})",
            sandbox::gateway::ACTIONS.join(", ")
        ));
    }
    Ok((action.to_owned(), count))
}

/// The counts of a repeatable `ACTION[:N]` flag, per action (an action given twice adds up).
fn per_action(given: &[(String, u32)]) -> std::collections::BTreeMap<String, u32> {
    given
        .iter()
        .fold(std::collections::BTreeMap::new(), |mut all, (action, n)| {
            let left: &mut u32 = all.entry(action.clone()).or_default();
            *left = left.saturating_add(*n);
            all
        })
}

/// A duration flag in seconds: a finite number from 0.001 to [`MAX_DURATION_SECS`], checked
/// when the command line is read (so `1e20` or `NaN` is a usage error, exit 2, not a panic).
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if !(0.001..=MAX_DURATION_SECS).contains(&secs) {
        return Err(format!(
            "'{s}' is out of range: use 0.001 to {MAX_DURATION_SECS} seconds"
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| format!("'{s}': {e}"))
}

/// `--region` as the command line reads it, for every command: of a region ID's shape, so no
/// command can print or send a region with an escape sequence or of any length. Whether ONS
/// serves it is checked where the target is resolved (any shaped ID with `--endpoint`).
fn parse_region_shape(s: &str) -> Result<String, String> {
    RegionId::shaped(s)
        .map(|r| r.as_str().to_owned())
        .map_err(|e| e.to_string())
}

/// The whole program, for `src/main.rs` and its Windows console twin alike: the panic hook, the
/// command line, logging, then the window or the command. A panic is a bug: the hook has printed
/// one line, and the exit code is [`EXIT_BUG`].
pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::from_args(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return output::clap_refusal(&e),
    };
    init_logging();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli)))
        .unwrap_or_else(|_| ExitCode::from(EXIT_BUG))
}

impl Cli {
    /// The parsed command line. A bare `onsdesk`, as a desktop entry or a double-click starts
    /// it, is the window with its defaults and needs no parser: building clap's whole command
    /// tree (every subcommand and its help) would cost the window's start about 0.5 ms for an
    /// answer known in advance. Anything else goes through clap; `Err` is clap's refusal, or
    /// the help or version asked for (`main` says it through the one filter).
    pub fn from_args(
        args: impl ExactSizeIterator<Item = std::ffi::OsString>,
    ) -> Result<Self, clap::Error> {
        if args.len() <= 1 {
            return Ok(Self {
                command: None,
                demo: false,
                endpoint: None,
                region: None,
            });
        }
        Self::try_parse_from(args)
    }
}

/// Replaces the default panic message (which would print the panic's payload, and a payload can
/// hold anything) with one line: a bug, the version, where. `main` then exits with [`EXIT_BUG`].
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        say!(
            "onsdesk: internal error in onsdesk {}{location}. This is a bug in onsdesk; please \
             report it. (Details are not shown so that no secret can leak.)",
            env!("CARGO_PKG_VERSION")
        );
    }));
}

fn parse_signature(s: &str) -> Result<SignatureVersion, String> {
    match s.to_ascii_lowercase().as_str() {
        "v1" | "1" => Ok(SignatureVersion::V1),
        "v3" | "3" => Ok(SignatureVersion::V3),
        other => Err(format!(
            "'{other}' is not a signature version; use v1 or v3"
        )),
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (default: warnings), through the one filter and so
/// without colours. The keyring crates are held at `warn` whatever `RUST_LOG` says: at debug
/// they log their entries' internals.
pub fn init_logging() {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    for quiet in [
        "keyring_core=warn",
        "zbus_secret_service_keyring_store=warn",
        "secret_service=warn",
        "apple_native_keyring_store=warn",
        "windows_native_keyring_store=warn",
    ] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    // Through the one filter, like everything else on stderr: a logged value (a path, a
    // reply's text, a line of a damaged file) reaches the terminal escaped. So no colours,
    // whose escape sequences the filter would show as text.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(output::stderr)
        .with_ansi(false)
        .event_format(OnsdeskLine)
        .try_init();
}

/// A log event as one stderr line like every other: `onsdesk: warning: what happened key=value`
/// (the level in words, the module for debug and trace).
struct OnsdeskLine;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for OnsdeskLine
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let meta = event.metadata();
        let level = match *meta.level() {
            tracing::Level::ERROR => "error",
            tracing::Level::WARN => "warning",
            tracing::Level::INFO => "info",
            tracing::Level::DEBUG => "debug",
            tracing::Level::TRACE => "trace",
        };
        write!(writer, "onsdesk: {level}: ")?;
        if *meta.level() >= tracing::Level::DEBUG {
            write!(writer, "{}: ", meta.target())?;
        }
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// Set to any value, makes `run` panic with it in the message: lets the tests see what a bug
/// looks like to the user (the value must not be shown). Not for users.
const TEST_PANIC_ENV: &str = "ONSDESK_TEST_PANIC";

/// Runs the parsed command line.
///
/// # Panics
///
/// Only on purpose, when `ONSDESK_TEST_PANIC` is set (see [`install_panic_hook`]).
pub fn run(cli: Cli) -> ExitCode {
    if let Some(value) = std::env::var_os(TEST_PANIC_ENV) {
        panic!("test panic: {}", value.to_string_lossy());
    }
    match cli.command {
        Some(Command::Create(args)) => {
            create::run(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::Instances(args)) => {
            instances::run(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::Topics(args)) => {
            topics_groups::run_topics(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::Groups(args)) => {
            topics_groups::run_groups(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::Connect(args)) => {
            connect::run(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::Sandbox(args)) => run_sandbox(&args),
        Some(Command::Profile(args)) => {
            profile::run(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::History(args)) => {
            history::run(&args, cli.endpoint.as_deref(), cli.region.as_deref())
        }
        Some(Command::KeepClipboard) => crate::app::keep_clipboard::run_helper(),
        None => {
            // the window starts in --region, else the region variables' (then its last one)
            let env_region = || crate::region::from_env_lookup(|k| std::env::var(k).ok());
            let region = cli.region.or_else(|| env_region().map(|(_, r)| r));
            run_window(cli.demo, cli.endpoint.as_deref(), region)
        }
    }
}

fn refused(message: impl std::fmt::Display) -> ExitCode {
    say!("onsdesk: {message}");
    ExitCode::from(EXIT_REFUSED)
}

/// Resolves `--endpoint` and a region to a call target. `region` is `--region`, else the
/// profile's; without either, the region variables ([`crate::region::ENV_REGION_VARS`]), then
/// [`DEFAULT_REGION`]. The region must be one ONS serves, or, with `--endpoint`, at least of a
/// region ID's shape ([`RegionId`]): wherever it came from, it is checked here.
pub fn resolve_target(endpoint: Option<&str>, region: Option<&str>) -> Result<Target, String> {
    let (region, from_var) = match region {
        Some(r) => (r.to_owned(), None),
        None => match crate::region::from_env_lookup(|k| std::env::var(k).ok()) {
            Some((var, r)) => (r, Some(var)),
            None => (DEFAULT_REGION.to_owned(), None),
        },
    };
    let from = |e: &dyn std::fmt::Display| match from_var {
        Some(var) => format!("{e} (the region comes from {var})"),
        None => e.to_string(),
    };
    let region = RegionId::parse(&region, endpoint.is_some()).map_err(|e| from(&e))?;
    let endpoint = match endpoint {
        Some(url) => Endpoint::parse(url),
        None => Endpoint::for_region(&region, Network::Public),
    }
    .map_err(|e| from(&e))?;
    Ok(Target { endpoint, region })
}

/// The runtime of the window and of the sandbox: two workers (the machines onsdesk runs on
/// may have two cores, and its work is mostly waiting).
fn multi_thread_runtime() -> tokio::runtime::Builder {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder
        .worker_threads(2)
        .thread_name("onsdesk-worker")
        .enable_all();
    builder
}

fn runtime(multi_thread: bool) -> std::io::Result<tokio::runtime::Runtime> {
    if multi_thread {
        multi_thread_runtime().build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    }
}

/// The keys `onsdesk sandbox` accepts: those in `--key-file`s, then `--key` and `--sts-key`
/// with their secrets (and tokens) from stdin. `Err` is the message for exit 2.
fn sandbox_keys(args: &SandboxArgs) -> Result<Vec<SandboxKey>, String> {
    use std::io::IsTerminal as _;
    let mut keys = Vec::new();
    for path in &args.key_files {
        keys.extend(sandbox::keys::read_key_file(path).map_err(|e| format!("--key-file {e}"))?);
    }
    let asked: Vec<(&str, bool)> = (args.keys.iter().map(|id| (id.as_str(), false)))
        .chain(args.sts_keys.iter().map(|id| (id.as_str(), true)))
        .collect();
    // The value is not repeated: it may hold a secret.
    if asked
        .iter()
        .any(|(id, _)| id.is_empty() || id.contains(':'))
    {
        return Err(
            "--key and --sts-key take an AccessKey ID alone: the secret (and token) \
             are read from stdin, or from --key-file, never from the command line, where other \
             users can read them"
                .to_owned(),
        );
    }
    if asked.is_empty() {
        return Ok(keys);
    }
    let tty = std::io::stdin().is_terminal();
    let mut stdin = std::io::stdin().lock();
    for (id, sts) in asked {
        let mut read = |what: &str| {
            profile::read_secret(&format!("{what} of sandbox key {id}: "), &mut stdin, tty)
                .and_then(|s| {
                    if s.is_empty() {
                        Err(format!("the {what} of sandbox key {id} is empty"))
                    } else {
                        Ok(SecretString::new(s))
                    }
                })
        };
        let secret = read("Secret")?;
        let security_token = if sts { Some(read("STS token")?) } else { None };
        keys.push(SandboxKey {
            access_key_id: id.to_owned(),
            secret,
            security_token,
        });
    }
    Ok(keys)
}

fn run_sandbox(args: &SandboxArgs) -> ExitCode {
    let mut keys = match sandbox_keys(args) {
        Ok(keys) => keys,
        Err(e) => return refused(e),
    };
    let demo = keys.is_empty();
    if demo {
        keys = SandboxConfig::default().keys;
    }
    let mut seed = Vec::new();
    for spec in &args.seed_instances {
        match SeedInstance::parse(spec) {
            Ok(s) => seed.push(s),
            Err(e) => return refused(format_args!("--seed-instance {e}")),
        }
    }
    let config = SandboxConfig {
        port: args.port,
        keys,
        faults: Faults {
            drop_create_replies: args.fault_drop_create,
            reply_delay: Duration::from_millis(args.fault_delay_ms),
            create_delay: Duration::from_millis(args.fault_create_delay_ms),
            delay_creates: args.fault_delay_creates,
            unavailable_first: args.fault_unavailable,
            throttle_every: args.fault_throttle_every,
            clock_offset_secs: args.clock_offset,
            drop_delete_replies: args.fault_drop_delete,
            drop_replies: per_action(&args.fault_drop_replies),
            unavailable_replies: per_action(&args.fault_unavailable_actions),
        },
        seed,
        topic_ready: Duration::from_millis(args.topic_ready_ms),
        group_limit: args.group_limit,
    };
    let rt = match runtime(true) {
        Ok(rt) => rt,
        Err(e) => return refused(format_args!("could not start the async runtime: {e}")),
    };
    #[expect(clippy::disallowed_methods, reason = "the CLI's entry point owns its thread")]
    rt.block_on(async move {
        let sandbox = match Sandbox::start(config).await {
            Ok(s) => s,
            Err(e) => return refused(format_args!("could not listen on 127.0.0.1:{}: {e}", args.port)),
        };
        let url = sandbox.url();
        {
            let mut out = output::stdout();
            let _ = writeln!(out, "onsdesk sandbox listening on {url}");
            let _ = writeln!(out, "Nothing is created on Alibaba Cloud. Try it:");
            if demo {
                let _ = writeln!(
                    out,
                    "  {ENV_ACCESS_KEY_ID}={} {ENV_ACCESS_KEY_SECRET}={} onsdesk create --endpoint {url} --name my-first-instance",
                    sandbox::DEMO_ACCESS_KEY_ID,
                    sandbox::DEMO_ACCESS_KEY_SECRET
                );
                let _ = writeln!(
                    out,
                    "  (same variables) onsdesk instances list --endpoint {url}"
                );
            } else {
                let _ = writeln!(out, "  onsdesk create --endpoint {url} --name my-first-instance  (with one of the keys you passed)");
            }
            let _ = out.flush();
        }
        let _ = tokio::signal::ctrl_c().await;
        say!("onsdesk sandbox: stopped ({} requests)", sandbox.requests_seen());
        ExitCode::SUCCESS
    })
}

fn run_window(demo: bool, endpoint: Option<&str>, region: Option<String>) -> ExitCode {
    let endpoint = match endpoint.map(Endpoint::parse).transpose() {
        Ok(e) => e,
        Err(e) => return refused(e),
    };
    let options = crate::app::AppOptions {
        demo,
        endpoint,
        region,
    };
    match crate::app::run(options, multi_thread_runtime()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("onsdesk: the window could not open: {e}");
            say!("onsdesk: the command line works without a display: `onsdesk create --help`");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_reply_names_a_served_action_and_a_count() {
        assert_eq!(
            parse_action_count("OnsTopicCreate"),
            Ok(("OnsTopicCreate".to_owned(), 1))
        );
        assert_eq!(
            parse_action_count("OnsGroupDelete:3"),
            Ok(("OnsGroupDelete".to_owned(), 3))
        );
        for bad in [
            "",
            "OnsTopicCreate:0",
            "OnsTopicCreate:x",
            "OnsTopicCreate:",
            "Nope:1",
        ] {
            assert!(parse_action_count(bad).is_err(), "{bad}");
        }
    }

    /// The bare start skips clap: it must be exactly what clap makes of a bare `onsdesk`.
    #[test]
    fn a_bare_start_is_what_clap_would_parse() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        let skipped = Cli::from_args(args(&["onsdesk"]).into_iter()).unwrap();
        let parsed = Cli::parse_from(args(&["onsdesk"]));
        assert_eq!(format!("{skipped:?}"), format!("{parsed:?}"));
        let demo = Cli::from_args(args(&["onsdesk", "--demo"]).into_iter()).unwrap();
        assert!(demo.demo && demo.command.is_none());
    }

    #[test]
    fn durations_are_checked_when_parsed() {
        assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds("86400"), Ok(Duration::from_hours(24)));
        for bad in [
            "1e20", "NaN", "inf", "-inf", "-1", "0", "0.0001", "86401", "", "ten",
        ] {
            let err = parse_seconds(bad).unwrap_err();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }
}
