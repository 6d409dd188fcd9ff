//! `onsdesk instances`: list a region's instances (or every region's), show one, rename it or
//! change its remark, delete it — with the safe create's care (see [`crate::instances`]).
//!
//! Exit codes as `create`: 0 done; 2 refused before anything was sent (a bad name, a wrong
//! `--confirm`, no credentials); 3 the service refused; 4 transport failure or unknown outcome.

use std::collections::HashSet;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{EXIT_SERVICE_ERROR, EXIT_UNKNOWN, history, profile, refused, resolve_target, runtime};
use crate::api::{ApiError, Client, HttpOptions, InstanceSummary, Target, Transport};
use crate::create::Policy;
use crate::credentials::{CredentialSource, ENV_ACCESS_KEY_SECRET};
use crate::history::History;
use crate::instances::{self, Change, DeleteOutcome, Report, Step, UpdateOutcome};
use crate::profiles::{ResolveError, Resolved};
use crate::region::{Endpoint, Network, REGIONS};
use crate::signing::v3::SignatureVersion;
use crate::validation::{RemarkCheck, validate_instance_name};

#[derive(Debug, Args)]
pub struct InstancesArgs {
    #[command(subcommand)]
    pub command: InstancesCommand,
}

#[derive(Debug, Subcommand)]
pub enum InstancesCommand {
    /// The region's instances (OnsInstanceInServiceList) with topic and group counts, and
    /// whether onsdesk's history knows them.
    List(ListArgs),
    /// One instance's details (OnsInstanceBaseInfo): endpoints, remark, counts.
    Show(ShowArgs),
    /// Rename an instance and/or change its remark (OnsInstanceUpdate); an option left out
    /// stays unchanged.
    Update(UpdateArgs),
    /// Delete an instance (OnsInstanceDelete). Irreversible; refused by the service while the
    /// instance has topics or groups.
    Delete(DeleteArgs),
}

/// Options every `instances` command takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Use this profile's credentials [default: the environment's Alibaba Cloud variables if
    /// set, else the default profile].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Whole-request timeout in seconds (per call).
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Request signature: v1 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256).
    #[arg(long, value_name = "v1|v3", default_value = "v1", value_parser = super::parse_signature)]
    pub signature: SignatureVersion,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List every region (concurrently, within the API's rate limit) instead of one; the
    /// regions that could not be listed are named on stderr.
    #[arg(long)]
    pub all_regions: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The InstanceId (MQ_INST_…).
    pub instance_id: String,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The InstanceId (MQ_INST_…).
    pub instance_id: String,
    /// New name: 3-64 Chinese characters, letters, digits, '-' or '_' (unique in the region).
    #[arg(long)]
    pub name: Option<String>,
    /// New remark (any text; an empty one clears it).
    #[arg(long)]
    pub remark: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The InstanceId (MQ_INST_…).
    pub instance_id: String,
    /// The instance's current name, typed out: the delete is sent only when it matches.
    #[arg(long, value_name = "NAME")]
    pub confirm: String,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs `onsdesk instances …`.
pub fn run(args: &InstancesArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    match &args.command {
        InstancesCommand::List(a) => list(a, endpoint, region),
        InstancesCommand::Show(a) => show(a, endpoint, region),
        InstancesCommand::Update(a) => update(a, endpoint, region),
        InstancesCommand::Delete(a) => delete(a, endpoint, region),
    }
}

/// Credentials, a transport with the timeout, and the profile's region as the fallback.
struct Session {
    resolved: Resolved,
    transport: Transport,
    signature: SignatureVersion,
}

impl Session {
    fn open(common: &CommonArgs) -> Result<Self, ExitCode> {
        if !(common.timeout.is_finite() && common.timeout > 0.0) {
            return Err(refused("--timeout must be a positive number of seconds"));
        }
        let resolved = match profile::resolve_credentials(common.profile.as_deref()) {
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
            eprintln!(
                "onsdesk: warning: {ENV_ACCESS_KEY_SECRET} begins or ends with whitespace; \
                 signatures will not match if that was pasted by accident"
            );
        }
        let timeout = Duration::from_secs_f64(common.timeout);
        let transport = Transport::new(HttpOptions {
            connect_timeout: HttpOptions::default().connect_timeout.min(timeout),
            timeout,
        });
        Ok(Self {
            resolved,
            transport,
            signature: common.signature,
        })
    }

    /// `--region`, else the profile's region, else the default.
    fn region<'a>(&'a self, region: Option<&'a str>) -> Option<&'a str> {
        region.or(self
            .resolved
            .profile
            .as_ref()
            .and_then(|p| p.region.as_deref()))
    }

    fn client(&self, target: Target) -> Client {
        Client::new(
            self.transport.clone(),
            target,
            self.resolved.credentials.clone(),
        )
        .with_signature(self.signature)
    }

    /// The client for the one region a command acts on.
    fn client_for(&self, endpoint: Option<&str>, region: Option<&str>) -> Result<Client, ExitCode> {
        let target = resolve_target(endpoint, self.region(region)).map_err(refused)?;
        Ok(self.client(target))
    }

    /// The one client a command on one instance needs: credentials from `common`, the target
    /// from `endpoint` and `region`.
    fn one_client(
        common: &CommonArgs,
        endpoint: Option<&str>,
        region: Option<&str>,
    ) -> Result<Client, ExitCode> {
        Self::open(common)?.client_for(endpoint, region)
    }
}

fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, ExitCode> {
    let rt = runtime(false)
        .map_err(|e| refused(format_args!("could not start the async runtime: {e}")))?;
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI's entry point owns its thread"
    )]
    Ok(rt.block_on(future))
}

/// [`known_ids`] on a thread of its own, so reading a large history overlaps the network
/// calls; `join` it when the listing is in.
struct KnownIds(Option<std::thread::JoinHandle<Option<HashSet<String>>>>);

impl KnownIds {
    fn start() -> Self {
        Self(
            std::thread::Builder::new()
                .name("onsdesk-history".to_owned())
                .spawn(known_ids)
                .ok(),
        )
    }

    fn join(self) -> Option<HashSet<String>> {
        match self.0 {
            Some(handle) => handle.join().ok().flatten(),
            None => known_ids(),
        }
    }
}

/// The InstanceIds the history knows (created or adopted, not removed); `None` when the
/// history cannot be read (a warning says why).
fn known_ids() -> Option<HashSet<String>> {
    match History::open_default() {
        Ok((history, notices)) => {
            history::print_notices(&notices);
            Some(
                history
                    .entries()
                    .filter_map(|e| e.instance_id().map(str::to_owned))
                    .collect(),
            )
        }
        Err(e) => {
            eprintln!(
                "onsdesk: warning: the history could not be read ({e}); InHistory is unknown"
            );
            None
        }
    }
}

/// `ms` since the epoch as RFC 3339 UTC; `None` for a value out of range.
fn rfc3339_millis(ms: Option<i64>) -> Option<String> {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms?) * 1_000_000).ok()?;
    at.format(&Rfc3339).ok()
}

const TABLE_TIME: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");

/// `ms` since the epoch in this machine's time zone, for a table.
fn local_millis(ms: Option<i64>) -> String {
    let Some(at) = ms
        .and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok())
    else {
        return "-".to_owned();
    };
    let offset = crate::history::now_local().offset();
    at.to_offset(offset).format(TABLE_TIME).unwrap_or_default()
}

/// InstanceStatus in words (Alibaba's documented values; unknown ones shown as numbers).
fn status_text(status: i64) -> String {
    match status {
        0 | 1 => "deploying".to_owned(),
        2 => "overdue".to_owned(),
        5 => "in service".to_owned(),
        7 => "upgrading".to_owned(),
        n => format!("status {n}"),
    }
}

/// Text from the endpoint made safe for a terminal: control characters and bidirectional
/// overrides (which could rewrite what the user sees) become `�`.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// `-` for an empty value in a text listing.
fn or_dash(s: String) -> String {
    if s.is_empty() { "-".to_owned() } else { s }
}

fn count_text(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_owned(), |n| n.to_string())
}

/// One instance as `--json` prints it.
fn listed_json(i: &InstanceSummary, region: &str, known: Option<&HashSet<String>>) -> Value {
    json!({
        "InstanceId": i.instance_id,
        "InstanceName": i.instance_name,
        "InstanceStatus": i.instance_status,
        "InstanceType": i.instance_type,
        "Region": region,
        "CreateTime": rfc3339_millis(i.create_time),
        "TopicCount": i.topic_count,
        "GroupCount": i.group_count,
        "InHistory": known.map(|k| k.contains(&i.instance_id)),
    })
}

/// Padded columns (CJK characters count double).
fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(history::display_width);
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(history::display_width(c));
        }
    }
    let mut out = String::new();
    let mut push_row = |row: [&str; N]| {
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            out.push_str(cell);
            if i + 1 < N {
                out.push_str(&" ".repeat(w - history::display_width(cell) + 2));
            }
        }
        out.push('\n');
    };
    push_row(header);
    for row in rows {
        push_row(row.each_ref().map(String::as_str));
    }
    out
}

/// One client per region to list: every region's, or the one region's.
fn list_clients(
    session: &Session,
    all_regions: bool,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<Client>, ExitCode> {
    if !all_regions {
        return session.client_for(endpoint, region).map(|c| vec![c]);
    }
    let mut clients = Vec::with_capacity(REGIONS.len());
    for r in REGIONS {
        let endpoint = match endpoint {
            Some(url) => Endpoint::parse(url),
            None => Endpoint::for_region(r.id, Network::Public),
        }
        .map_err(refused)?;
        clients.push(session.client(Target {
            endpoint,
            region: r.id.to_owned(),
        }));
    }
    Ok(clients)
}

fn list(args: &ListArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    if args.all_regions && region.is_some() {
        return refused("--all-regions and --region cannot be used together");
    }
    if args.all_regions
        && let Some(url) = endpoint
    {
        match Endpoint::parse(url) {
            Ok(e) if e.is_loopback() => {}
            Ok(_) => {
                return refused(
                    "--all-regions asks each region's own endpoint; --endpoint goes with it only \
                     for the local sandbox (a loopback address)",
                );
            }
            Err(e) => return refused(e),
        }
    }
    let session = match Session::open(&args.common) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let clients = match list_clients(&session, args.all_regions, endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let known = KnownIds::start();
    let listings = match block_on(instances::list_regions(
        clients,
        Policy::default(),
        crate::pacing::READS_PER_SECOND,
    )) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let known = known.join();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for listing in &listings {
        match &listing.result {
            Ok(list) => rows.extend(list.iter().map(|i| (listing.region.as_str(), i))),
            Err(e) => failed.push((listing.region.as_str(), e)),
        }
    }
    print_listing(args, &listings, &rows, known.as_ref());
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    for (region, e) in &failed {
        eprintln!(
            "onsdesk: {region} could not be listed: {}",
            printable(&e.to_string())
        );
    }
    if args.all_regions {
        eprintln!(
            "onsdesk: {} of {} regions could not be listed: {}",
            failed.len(),
            listings.len(),
            failed
                .iter()
                .map(|(r, _)| *r)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let service_only = failed
        .iter()
        .all(|(_, e)| matches!(e, ApiError::Service(s) if !s.is_server_fault()));
    ExitCode::from(if service_only {
        EXIT_SERVICE_ERROR
    } else {
        EXIT_UNKNOWN
    })
}

/// The instances found, as a table or a JSON array.
fn print_listing(
    args: &ListArgs,
    listings: &[instances::RegionListing],
    rows: &[(&str, &InstanceSummary)],
    known: Option<&HashSet<String>>,
) {
    let mut out = std::io::stdout().lock();
    if args.common.json {
        let v: Vec<Value> = rows
            .iter()
            .map(|(region, i)| listed_json(i, region, known))
            .collect();
        let _ = writeln!(out, "{}", Value::Array(v));
    } else if rows.is_empty() && listings.iter().any(|l| l.result.is_ok()) {
        let _ = writeln!(
            out,
            "No instances in {}.",
            if args.all_regions {
                "any region"
            } else {
                listings.first().map_or("the region", |l| l.region.as_str())
            }
        );
    } else if !rows.is_empty() {
        let in_history = |id: &str| match known {
            Some(k) if k.contains(id) => "yes",
            Some(_) => "-",
            None => "?",
        };
        let cells: Vec<[String; 8]> = rows
            .iter()
            .map(|(region, i)| {
                [
                    printable(&i.instance_name),
                    printable(&i.instance_id),
                    (*region).to_owned(),
                    status_text(i.instance_status),
                    count_text(i.topic_count),
                    count_text(i.group_count),
                    local_millis(i.create_time),
                    in_history(&i.instance_id).to_owned(),
                ]
            })
            .collect();
        let header = [
            "NAME",
            "INSTANCE ID",
            "REGION",
            "STATUS",
            "TOPICS",
            "GROUPS",
            "CREATED",
            "HISTORY",
        ];
        let _ = out.write_all(table(header, &cells).as_bytes());
    }
    let _ = out.flush();
}

/// The exit code for a call that failed: 3 when the service refused, 4 otherwise.
fn failure_code(e: &ApiError) -> u8 {
    match e {
        ApiError::Service(s) if !s.is_server_fault() => EXIT_SERVICE_ERROR,
        _ => EXIT_UNKNOWN,
    }
}

/// Prints a failed call on stderr and returns its JSON form.
fn explain(e: &ApiError, what: &str) -> Value {
    match e {
        ApiError::Service(s) => {
            eprintln!(
                "onsdesk: the service refused {what}: {}: {}",
                s.code,
                printable(&s.message)
            );
            if let Some(id) = &s.request_id {
                eprintln!("onsdesk: RequestId {}", printable(id));
            }
            serde_json::to_value(s).unwrap_or_default()
        }
        other => {
            eprintln!("onsdesk: {what} failed: {}", printable(&other.to_string()));
            super::failure_json(other)
        }
    }
}

fn show(args: &ShowArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let client = match Session::one_client(&args.common, endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let policy = Policy::default();
    let id = args.instance_id.as_str();
    let known = KnownIds::start();
    let (info, listed) = match block_on(async {
        tokio::join!(
            instances::base_info(&client, id, policy),
            instances::find(&client, id, policy)
        )
    }) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let info = match info {
        Ok(info) => info,
        Err(e) => {
            let error = explain(&e, "the lookup");
            if args.common.json {
                let _ = writeln!(std::io::stdout().lock(), "{}", json!({ "error": error }));
            }
            return ExitCode::from(failure_code(&e));
        }
    };
    // The counts come from the list; a failed list only leaves them unknown.
    let listed = listed.unwrap_or_else(|e| {
        eprintln!(
            "onsdesk: warning: topic and group counts unavailable: {}",
            printable(&e.to_string())
        );
        None
    });
    let known = known.join();
    let region = client.target().region.as_str();
    let create_time = info
        .create_time
        .or(listed.as_ref().and_then(|l| l.create_time));
    let topics = listed.as_ref().and_then(|l| l.topic_count);
    let groups = listed.as_ref().and_then(|l| l.group_count);
    let in_history = known.as_ref().map(|k| k.contains(&info.instance_id));
    let mut out = std::io::stdout().lock();
    if args.common.json {
        let v = json!({
            "InstanceId": info.instance_id,
            "InstanceName": info.instance_name,
            "InstanceStatus": info.instance_status,
            "InstanceType": info.instance_type,
            "Region": region,
            "Remark": info.remark,
            "CreateTime": rfc3339_millis(create_time),
            "TopicCount": topics,
            "GroupCount": groups,
            "Endpoints": info.endpoints,
            "InHistory": in_history,
        });
        let _ = writeln!(out, "{v}");
        return ExitCode::SUCCESS;
    }
    let mut lines = vec![
        ("Name", printable(&info.instance_name)),
        ("InstanceId", printable(&info.instance_id)),
        ("Region", region.to_owned()),
        ("Status", status_text(info.instance_status)),
        ("Edition", info.instance_type.to_string()),
        ("Remark", or_dash(printable(&info.remark))),
        ("Created", local_millis(create_time)),
        ("Topics", count_text(topics)),
        ("Groups", count_text(groups)),
        (
            "In history",
            match in_history {
                Some(true) => "yes",
                Some(false) => "no",
                None => "unknown",
            }
            .to_owned(),
        ),
    ];
    let e = &info.endpoints;
    for (label, value) in [
        ("TCP endpoint", &e.tcp),
        ("TCP internet endpoint", &e.tcp_internet),
        ("HTTP internal endpoint", &e.http_internal),
        ("HTTP internet endpoint", &e.http_internet),
        ("HTTPS internet endpoint", &e.http_internet_secure),
    ] {
        if let Some(v) = value {
            lines.push((label, printable(v)));
        }
    }
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in lines {
        let _ = writeln!(out, "{label:<width$}  {value}");
    }
    ExitCode::SUCCESS
}

fn say_step(step: &Step, what: &str, region: &str) {
    match step {
        Step::Attempt { .. } | Step::InEffect | Step::NotInEffect => {}
        Step::NotSentRetrying { detail } => {
            eprintln!("onsdesk: {}; sending again", printable(detail));
        }
        Step::Resending { detail } => {
            eprintln!(
                "onsdesk: {}; an update is safe to repeat: sending it again",
                printable(detail)
            );
        }
        Step::Throttled { wait_ms } => {
            eprintln!("onsdesk: throttled by the service; waiting {wait_ms} ms");
        }
        Step::ClockCorrected { offset_secs } => {
            let direction = if *offset_secs > 0 {
                "behind"
            } else {
                "ahead of"
            };
            eprintln!(
                "onsdesk: your computer's clock is {} {direction} the service's; corrected for \
                 this request (fix the system clock)",
                crate::clock::describe_offset(time::Duration::seconds(*offset_secs))
            );
        }
        Step::Checking { detail } => {
            eprintln!(
                "onsdesk: {}; looking at {} in {region} before going on",
                printable(detail),
                printable(what)
            );
        }
        Step::CheckFailed { detail } => {
            eprintln!("onsdesk: could not look: {}", printable(detail));
        }
    }
}

/// Records what happened to an instance in the history entries that know it; returns their
/// IDs. A failure is a warning: the cloud change is done either way.
fn record_in_history(
    instance_id: &str,
    record: impl Fn(&mut History, crate::history::EntryId) -> Result<(), crate::history::HistoryError>,
) -> Vec<String> {
    let mut history = match History::open_default() {
        Ok((history, notices)) => {
            history::print_notices(&notices);
            history
        }
        Err(e) => {
            eprintln!("onsdesk: warning: the history could not be updated: {e}");
            return Vec::new();
        }
    };
    let mut recorded = Vec::new();
    for id in history.entries_for_instance(instance_id) {
        match record(&mut history, id) {
            Ok(()) => recorded.push(id.to_string()),
            Err(e) => eprintln!("onsdesk: warning: history entry {id} could not be updated: {e}"),
        }
    }
    recorded
}

fn report_json<O>(report: &Report<O>, v: &mut Value) {
    v["Attempts"] = json!(report.attempts);
    if let Some(offset) = report.clock_offset {
        v["ClockOffsetSeconds"] = json!(offset.whole_seconds());
    }
}

fn update(args: &UpdateArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    if args.name.is_none() && args.remark.is_none() {
        return refused("nothing to change: pass --name NAME and/or --remark TEXT");
    }
    if let Some(name) = &args.name
        && let Err(e) = validate_instance_name(name)
    {
        return refused(format_args!("instance name refused: {e}"));
    }
    if let Some(warning) = args
        .remark
        .as_deref()
        .and_then(|r| RemarkCheck::of(r).warning())
    {
        eprintln!("onsdesk: warning: {warning}");
    }
    let client = match Session::one_client(&args.common, endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = args.instance_id.as_str();
    let region = client.target().region.clone();
    let change = Change {
        name: args.name.as_deref(),
        remark: args.remark.as_deref(),
    };
    let report = match block_on(instances::update(
        &client,
        id,
        change,
        Policy::default(),
        |step| say_step(step, id, &region),
    )) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut v = json!({
        "Outcome": report.outcome.label(),
        "InstanceId": id,
        "Region": region,
    });
    if let Some(name) = &args.name {
        v["InstanceName"] = json!(name);
    }
    if let Some(remark) = &args.remark {
        v["Remark"] = json!(remark);
    }
    report_json(&report, &mut v);
    let code = match &report.outcome {
        UpdateOutcome::Updated { .. } | UpdateOutcome::Confirmed => {
            if let UpdateOutcome::Updated { request_id } = &report.outcome {
                v["RequestId"] = json!(request_id);
            } else {
                eprintln!(
                    "onsdesk: the reply was lost, but the instance shows the change: updated"
                );
            }
            let recorded = record_in_history(id, |h, entry| {
                h.record_edited(entry, args.name.clone(), args.remark.clone())
            });
            v["HistoryIds"] = json!(recorded);
            if !args.common.json {
                let what = match (&args.name, &args.remark) {
                    (Some(name), Some(_)) => format!("renamed to {name} and its remark changed"),
                    (Some(name), None) => format!("renamed to {name}"),
                    _ => "remark changed".to_owned(),
                };
                let _ = writeln!(std::io::stdout().lock(), "{id}: {}", printable(&what));
            }
            0
        }
        UpdateOutcome::NotUpdated(e) => {
            v["error"] = explain(e, "the update");
            failure_code(e)
        }
        UpdateOutcome::Unknown(e) => {
            v["error"] = explain(e, "the update");
            eprintln!(
                "onsdesk: the update may or may not have been applied, and {id} could not be \
                 read to find out; `onsdesk instances show {id}` checks again"
            );
            EXIT_UNKNOWN
        }
    };
    if args.common.json {
        let _ = writeln!(std::io::stdout().lock(), "{v}");
    }
    ExitCode::from(code)
}

fn delete(args: &DeleteArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let client = match Session::one_client(&args.common, endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = args.instance_id.as_str();
    let region = client.target().region.clone();
    let policy = Policy::default();
    let out_json = |v: &Value| {
        if args.common.json {
            let _ = writeln!(std::io::stdout().lock(), "{v}");
        }
    };
    // Look the instance up first: its current name must match --confirm.
    let found = match block_on(instances::find(&client, id, policy)) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let instance = match found {
        Ok(Some(i)) => i,
        Ok(None) => {
            return refused(format_args!(
                "there is no instance {} in {region}: nothing was deleted (check the ID and \
                 --region; `onsdesk instances list` shows what is there)",
                printable(id)
            ));
        }
        Err(e) => {
            let error = explain(&e, "the lookup before the delete");
            eprintln!("onsdesk: nothing was deleted");
            out_json(
                &json!({ "Outcome": "not_deleted", "InstanceId": id, "Region": region, "error": error }),
            );
            return ExitCode::from(failure_code(&e));
        }
    };
    if args.confirm != instance.instance_name {
        return refused(format_args!(
            "--confirm {:?} does not match the name of {} ({:?}): nothing was deleted",
            printable(&args.confirm),
            printable(id),
            printable(&instance.instance_name)
        ));
    }
    let report = match block_on(instances::delete(&client, id, policy, |step| {
        say_step(step, id, &region);
    })) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let v = delete_outcome(args, &report, &instance, &region);
    out_json(&v.0);
    ExitCode::from(v.1)
}

/// Reports a delete's outcome on stderr/stdout and records it in the history; returns the
/// JSON object and the exit code.
fn delete_outcome(
    args: &DeleteArgs,
    report: &Report<DeleteOutcome>,
    instance: &InstanceSummary,
    region: &str,
) -> (Value, u8) {
    let id = args.instance_id.as_str();
    let mut v = json!({
        "Outcome": report.outcome.label(),
        "InstanceId": id,
        "InstanceName": instance.instance_name,
        "Region": region,
    });
    report_json(report, &mut v);
    let code = match &report.outcome {
        DeleteOutcome::Deleted { .. } | DeleteOutcome::Confirmed => {
            if let DeleteOutcome::Deleted { request_id } = &report.outcome {
                v["RequestId"] = json!(request_id);
            } else {
                eprintln!(
                    "onsdesk: the reply was lost, but {id} is no longer in {region}: deleted (no \
                     second delete was needed)"
                );
            }
            let recorded = record_in_history(id, History::record_deleted);
            v["HistoryIds"] = json!(recorded);
            if !args.common.json {
                let _ = writeln!(
                    std::io::stdout().lock(),
                    "{id}: deleted ({})",
                    printable(&instance.instance_name)
                );
            }
            0
        }
        DeleteOutcome::NotDeleted(e) => {
            v["error"] = explain(e, "the delete");
            let (topics, groups) = (
                instance.topic_count.unwrap_or(0),
                instance.group_count.unwrap_or(0),
            );
            if e.service().is_some() && (topics > 0 || groups > 0) {
                eprintln!(
                    "onsdesk: {} still has {topics} topics and {groups} groups: delete them first \
                     (in the console), then run this delete again",
                    printable(&instance.instance_name)
                );
            }
            eprintln!("onsdesk: nothing was deleted");
            failure_code(e)
        }
        DeleteOutcome::Unknown(e) => {
            v["error"] = explain(e, "the delete");
            eprintln!(
                "onsdesk: the instance may or may not have been deleted, and {region} could not \
                 be listed to find out; `onsdesk instances list` checks again"
            );
            EXIT_UNKNOWN
        }
    };
    (v, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_loses_controls_and_overrides() {
        assert_eq!(printable("orders\u{1b}[2J"), "orders\u{FFFD}[2J");
        assert_eq!(printable("a\u{202E}b"), "a\u{FFFD}b");
        assert_eq!(printable("订单-1"), "订单-1");
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(
            rfc3339_millis(Some(1_764_400_000_000)).as_deref(),
            Some("2025-11-29T07:06:40Z")
        );
        assert_eq!(rfc3339_millis(Some(i64::MAX)), None);
        assert_eq!(rfc3339_millis(None), None);
    }

    #[test]
    fn tables_pad_wide_characters() {
        let t = table(
            ["A", "B"],
            &[
                ["订单".to_owned(), "x".to_owned()],
                ["ab".to_owned(), "y".to_owned()],
            ],
        );
        assert_eq!(t, "A     B\n订单  x\nab    y\n");
    }
}
