//! `onsdesk history`: list, search, export and refresh the local history of create attempts
//! (instances), and of topic and group creates and deletes.

use super::output::say;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use super::Timing;
use super::output::{self, LookWords, say_step};
use super::{EXIT_UNKNOWN, refused, runtime};
use crate::api::Client;
use crate::credentials::CredentialSource;
use crate::history::export::{self, Row};
use crate::history::refresh::{self, CloudScope, CustomEndpoints, ScopeFailure};
use crate::history::{Entry, EntryKind, History, Notice};
use crate::operation::Step;
use crate::profiles::ResolveError;
use crate::sandbox;
use crate::text::Printable;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only entries whose name, InstanceId or remark contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only entries of this kind: instance creates, or topic or group creates and deletes.
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<KindArg>,
    /// Also list the creates made in the local sandbox (hidden by default: nothing was
    /// created on Alibaba Cloud). They are marked `[sandbox]`, and `"Sandbox": true` in JSON.
    #[arg(long)]
    pub include_sandbox: bool,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Write the history (newest first) to a CSV or JSON file.
    Export(ExportArgs),
    /// Ask the service which recorded instances exist (OnsInstanceInServiceList per region),
    /// and which recorded topics and groups (their instance's OnsTopicList or OnsGroupList),
    /// and settle pending or unknown attempts by exact name.
    Refresh(RefreshArgs),
}

/// What `--kind` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Instance,
    Topic,
    Group,
}

impl From<KindArg> for EntryKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Instance => Self::Instance,
            KindArg::Topic => Self::Topic,
            KindArg::Group => Self::Group,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// UTF-8 with BOM, quoted per RFC 4180, formulas neutralised.
    Csv,
    /// An array of objects.
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file to write (replaced if it exists).
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,
    /// Only entries whose name, InstanceId or remark contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only entries of this kind: instance creates, or topic or group creates and deletes.
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<KindArg>,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Check the entries recorded with this profile [default: the credentials `create` would
    /// use]. Entries recorded with another profile are skipped (another account cannot see
    /// them); entries the window made against its sandbox use the demo key.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    #[command(flatten)]
    pub timing: Timing,
    /// Also check entries made through a custom endpoint (not a region's official endpoint;
    /// loopback too unless the key is the sandbox's), sending the current credentials, STS
    /// token included, to it. Without this, such entries are skipped: the history file names
    /// the endpoint, and anyone who can edit it (or listen on loopback) could otherwise collect
    /// your credentials.
    #[arg(long)]
    pub include_custom_endpoints: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Prints load notices on stderr.
pub(super) fn print_notices(notices: &[Notice]) {
    for n in notices {
        say!("onsdesk: history: {n}");
    }
}

fn open() -> Result<History, ExitCode> {
    match History::open_default() {
        Ok((history, notices)) => {
            print_notices(&notices);
            Ok(history)
        }
        Err(e) => Err(refused(format_args!("history: {e}"))),
    }
}

pub fn run(args: &HistoryArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    if endpoint.is_some() {
        return refused(
            "--endpoint does not apply to the history: refresh asks the endpoint each attempt \
             was made through",
        );
    }
    match &args.command {
        None => list(args, region),
        Some(HistoryCommand::Export(e)) => export(e, region),
        Some(HistoryCommand::Refresh(r)) => refresh(r, region),
    }
}

fn selected<'a>(
    snapshot: &'a crate::history::Snapshot,
    search: Option<&str>,
    region: Option<&str>,
    kind: Option<KindArg>,
) -> Vec<&'a Entry> {
    snapshot
        .filter(
            search.unwrap_or_default(),
            region,
            kind.map(EntryKind::from),
        )
        .into_iter()
        .filter_map(|i| snapshot.get(i))
        .collect()
}

fn list(args: &HistoryArgs, region: Option<&str>) -> ExitCode {
    let history = match open() {
        Ok(h) => h,
        Err(code) => return code,
    };
    let snapshot = history.snapshot();
    let mut rows = selected(&snapshot, args.search.as_deref(), region, args.kind);
    if !args.include_sandbox {
        let before = rows.len();
        rows.retain(|e| !e.is_sandbox());
        let hidden = before - rows.len();
        if hidden > 0 {
            say!(
                "onsdesk: history: {hidden} sandbox {} hidden (--include-sandbox lists them)",
                if hidden == 1 { "entry" } else { "entries" }
            );
        }
    }
    let mut out = output::stdout();
    if args.json {
        let rows: Vec<Row> = rows.into_iter().map(Row::of).collect();
        output::print_json(&json!(rows));
        return ExitCode::SUCCESS;
    }
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if snapshot.is_empty() {
                "No create attempts recorded yet."
            } else {
                "No entry matches."
            }
        );
        return ExitCode::SUCCESS;
    }
    let _ = out.write_all(table(&rows).as_bytes());
    ExitCode::SUCCESS
}

const TABLE_TIME: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

/// Time, kind, name, region, InstanceId (a topic's or group's: the instance it is on), status:
/// padded columns (CJK characters count double), every cell through the one printable filter
/// (the history file is text anyone with access can edit).
pub fn table(rows: &[&Entry]) -> String {
    let header = ["TIME", "KIND", "NAME", "REGION", "INSTANCE ID", "STATUS"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|e| {
            [
                e.at.format(TABLE_TIME).unwrap_or_default(),
                e.subject.kind().to_string(),
                if e.is_sandbox() {
                    format!("{} [sandbox]", e.name_text())
                } else {
                    e.name_text()
                },
                e.region.clone(),
                e.instance().unwrap_or("-").to_owned(),
                e.status_text(),
            ]
        })
        .collect();
    output::table(header, &cells)
}

fn export(args: &ExportArgs, region: Option<&str>) -> ExitCode {
    let history = match open() {
        Ok(h) => h,
        Err(code) => return code,
    };
    let snapshot = history.snapshot();
    let rows = selected(&snapshot, args.search.as_deref(), region, args.kind);
    let format = match args.format {
        ExportFormat::Csv => export::Format::Csv,
        ExportFormat::Json => export::Format::Json,
    };
    if let Err(e) = export::save(format, &args.output, rows.iter().copied()) {
        return refused(format_args!(
            "could not write {}: {e}",
            args.output.display()
        ));
    }
    let n = rows.len();
    say!(
        "onsdesk: exported {n} {} to {}",
        if n == 1 { "entry" } else { "entries" },
        args.output.display()
    );
    ExitCode::SUCCESS
}

fn refresh(args: &RefreshArgs, region: Option<&str>) -> ExitCode {
    let mut history = match open() {
        Ok(h) => h,
        Err(code) => return code,
    };
    let scopes = history.cloud_scopes(region);
    // Resolved once, and only if an entry needs it (sandbox entries use the demo key).
    let needs_credentials = scopes
        .iter()
        .any(|s| s.source() != CredentialSource::Sandbox);
    let resolved = if needs_credentials {
        super::profile::resolve_credentials(args.profile.as_deref())
            .inspect(super::profile::warn_if_expired)
            .map_err(Arc::new)
    } else {
        Err(Arc::new(ResolveError::NoCredentials))
    };
    let transport = args.timing.transport();
    let make_client = |scope: &CloudScope| -> Result<Client, ScopeFailure> {
        let target = scope.target()?;
        let recorded = scope.source();
        let credentials = if recorded == CredentialSource::Sandbox {
            sandbox::demo_credentials()
        } else {
            let r = resolved
                .as_ref()
                .map_err(|e| ScopeFailure::NoCredentials(Arc::clone(e)))?;
            if r.source != recorded {
                return Err(ScopeFailure::OtherCredentials {
                    recorded,
                    current: r.source.clone(),
                });
            }
            r.credentials.clone()
        };
        Ok(Client::new(transport.clone(), target, credentials))
    };
    let rt = match runtime(false) {
        Ok(rt) => rt,
        Err(e) => return refused(format_args!("could not start the async runtime: {e}")),
    };
    let custom = if args.include_custom_endpoints {
        CustomEndpoints::Include
    } else {
        CustomEndpoints::Skip
    };
    let reads = LookWords::reads_only();
    let mut say = |step: &Step| say_step(step, &reads);
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI's entry point owns its thread"
    )]
    let listings = rt.block_on(refresh::list_scopes(
        scopes,
        custom,
        args.timing.policy(),
        &mut say,
        make_client,
    ));
    let skipped = listings
        .iter()
        .any(refresh::ScopeListing::skipped_custom_endpoint);
    let summary = match history.apply_listings(&listings) {
        Ok(s) => s,
        Err(e) => return refused(format_args!("history: {e}")),
    };
    print_refresh(&summary, args.json);
    if skipped {
        say!(
            "onsdesk: entries made through a custom endpoint (or on loopback, with a key other \
             than the sandbox's) were not checked, so the credentials were not sent there; pass \
             --include-custom-endpoints to check them"
        );
    }
    if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_UNKNOWN)
    }
}

fn print_refresh(summary: &refresh::RefreshSummary, as_json: bool) {
    let mut out = output::stdout();
    if as_json {
        let v = json!({
            "InService": summary.in_service,
            "NotFound": summary.not_found,
            "Adopted": summary.adopted.iter().map(|a| json!({
                "HistoryId": a.id.to_string(),
                "InstanceName": a.name,
                "InstanceId": a.instance_id,
            })).collect::<Vec<_>>(),
            "Settled": summary.settled.iter().map(settled_json).collect::<Vec<_>>(),
            "NotCreated": summary.instances_not_created.iter().map(|(id, name)| json!({
                "HistoryId": id.to_string(),
                "InstanceName": name,
            })).collect::<Vec<_>>(),
            "Recent": summary.recent.iter().map(recent_json).collect::<Vec<_>>(),
            "Left": summary.left.iter().map(left_json).collect::<Vec<_>>(),
            "Failed": summary.failed.iter().map(|(s, reason)| json!({
                "Profile": s.profile,
                "Region": s.region,
                "Endpoint": s.endpoint,
                "Error": scope_failure(reason),
            })).collect::<Vec<_>>(),
        });
        output::print_json(&v);
    } else {
        let _ = writeln!(
            out,
            "{} in service, {} not found in the cloud, {} adopted",
            summary.in_service,
            summary.not_found,
            summary.adopted.len()
        );
        for a in &summary.adopted {
            let _ = writeln!(
                out,
                "adopted {} -> {}",
                Printable(&a.name),
                Printable(&a.instance_id)
            );
        }
        for (_, name) in &summary.instances_not_created {
            let _ = writeln!(
                out,
                "not created {} (its region does not list it, and no request of it can land any more)",
                Printable(name)
            );
        }
        for s in &summary.settled {
            let _ = writeln!(
                out,
                "{} {} {} on {}: {}",
                s.kind,
                s.verb.as_str(),
                Printable(&s.name),
                s.instance_id,
                s.outcome
            );
        }
    }
    if let Some(after) = summary.recent_settle_after() {
        let after = crate::clock::minutes_in(after, crate::history::local_at(after).offset());
        match summary.recent.len() {
            1 => say!(
                "onsdesk: 1 create or delete was left as it was: the list it was checked \
                 against does not show it in effect, but it may still be on its way (another \
                 onsdesk may be sending it, or its request may still arrive); refresh again \
                 after {after}"
            ),
            n => say!(
                "onsdesk: {n} creates or deletes were left as they were: the lists they were \
                 checked against do not show them in effect, but they may still be on their way \
                 (another onsdesk may be sending them, or their requests may still arrive); \
                 refresh again after {after}"
            ),
        }
    }
    for left in &summary.left {
        say!("onsdesk: {}", left_words(left));
    }
    for (scope, reason) in &summary.failed {
        say!(
            "onsdesk: could not check {} at {}: {}",
            Printable(&scope.region),
            Printable(&scope.endpoint),
            Printable(&scope_failure(reason))
        );
    }
}

/// A settled topic or group entry in `--json`: named as the export names it.
fn settled_json(s: &refresh::Settled) -> serde_json::Value {
    let mut v = json!({
        "HistoryId": s.id.to_string(),
        "Kind": s.kind.as_str(),
        "Verb": s.verb.as_str(),
        "InstanceId": s.instance_id,
        "Outcome": s.outcome.as_str(),
    });
    v[held_field(s.kind)] = json!(s.name);
    v
}

/// A change a refresh named without settling it, in `--json`: named as the export names it.
fn unsettled_json(c: &refresh::Unsettled) -> serde_json::Value {
    let mut v = json!({
        "HistoryId": c.id.to_string(),
        "Kind": c.kind.as_str(),
        "Verb": c.verb.as_str(),
    });
    if let Some(on) = &c.instance_id {
        v["InstanceId"] = json!(on);
    }
    v[held_field(c.kind)] = json!(c.name);
    v
}

/// A change left as too recent, with from when it can be settled (`SettleAfter`).
fn recent_json(r: &refresh::Recent) -> serde_json::Value {
    let mut v = unsettled_json(&r.change);
    v["SettleAfter"] = json!(output::rfc3339(Some(r.settle_after)));
    v
}

/// A change left as it was though its name is listed, with why (`Reason`).
fn left_json(l: &refresh::Left) -> serde_json::Value {
    let mut v = unsettled_json(&l.change);
    v["Reason"] = json!(l.why.as_str());
    v
}

/// Why a refresh left a change as it was, in a line: "left as it was: the topic create
/// orders on MQ_INST_…: …".
fn left_words(l: &refresh::Left) -> String {
    let c = &l.change;
    let on = c
        .instance_id
        .as_ref()
        .map_or_else(String::new, |id| format!(" on {id}"));
    let why = match l.why {
        refresh::LeftWhy::SomeoneElses => {
            "what is listed under its name is someone else's (of another type, or made before \
             it was sent)"
        }
        refresh::LeftWhy::MadeAgain => {
            "the one it was aimed at is gone, but the one listed now was made again since, and \
             whether this delete removed the first cannot be told"
        }
        refresh::LeftWhy::AnotherAttempt => {
            "another change of the name in the history may be the one that did it"
        }
    };
    format!(
        "left as it was: the {} {} {}{on}: {why}",
        c.kind,
        c.verb.as_str(),
        Printable(&c.name)
    )
}

/// The key an entry's name has in `--json`: an instance's, a topic's or a group's.
fn held_field(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Group => "GroupId",
        EntryKind::Topic => "Topic",
        EntryKind::Instance => "InstanceName",
    }
}

/// A credential source as the refresh's words name it.
fn source_words(source: &CredentialSource) -> String {
    match source {
        CredentialSource::Environment => "the environment's key".to_owned(),
        CredentialSource::Sandbox => "the sandbox's demo key".to_owned(),
        CredentialSource::Profile(name) => format!("profile {name:?}"),
    }
}

/// Why a scope was not checked, in the command line's words.
fn scope_failure(why: &ScopeFailure) -> String {
    match why {
        ScopeFailure::CustomEndpointSkipped => "a custom endpoint (not a known region \
            endpoint, nor loopback with the sandbox's demo key): not asked, so the credentials \
            were not sent there"
            .to_owned(),
        ScopeFailure::Endpoint(e) => e.to_string(),
        ScopeFailure::OtherCredentials { recorded, current } => {
            let how = match recorded {
                CredentialSource::Environment => "set the ALIBABA_CLOUD_ACCESS_KEY_* variables \
                    it was made with, and pass no --profile"
                    .to_owned(),
                CredentialSource::Sandbox => "the window's sandbox checks those".to_owned(),
                CredentialSource::Profile(name) => format!("pass --profile {name:?}"),
            };
            format!(
                "recorded with {}, not checked with {} ({how}; another account cannot see its \
                 instances)",
                source_words(recorded),
                source_words(current),
            )
        }
        ScopeFailure::NoCredentials(e) => e.to_string(),
        ScopeFailure::Api(e) => e.to_string(),
        ScopeFailure::Held {
            kind,
            instance_id,
            error,
        } => format!("the {kind}s of {instance_id} could not be listed: {error}"),
        ScopeFailure::OutOfTime => "the deadline passed before all of it was asked (run the \
            refresh again, or pass a longer --deadline)"
            .to_owned(),
    }
}
