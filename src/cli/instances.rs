//! `onsdesk instances`: list a region's instances (or every region's), show one, rename it or
//! change its remark, delete it — with the safe create's care (see [`crate::instances`]).
//!
//! Exit codes as `create`: 0 done; 2 refused before anything was sent (a bad name, a wrong
//! `--confirm`, no credentials); 3 the service refused; 4 transport failure or unknown outcome.

use super::output;
use super::output::say;
use std::collections::HashSet;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::common::{CommonArgs, Connection, block_on};
use super::output::{
    LookWords, explain, failure_code, local_time, print_json, print_line, rfc3339, say_step,
    say_step_in, table,
};
use super::{EXIT_SERVICE_ERROR, EXIT_UNKNOWN, history, refused};
use crate::api::{ApiError, Client, GroupSummary, InstanceSummary, Listed, Target, TopicSummary};
use crate::history::History;
use crate::ids::InstanceId;
use crate::instances::{self, Change, DeleteOutcome, UpdateOutcome};
use crate::operation::{Calls, Report, Step};
use crate::region::{Endpoint, Network, REGIONS, RegionId};
use crate::snippets::shell_quote;
use crate::text::Printable;
use crate::topics_groups;
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
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
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
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
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

/// An InstanceId argument, checked when the command line is read: a malformed one is a usage
/// error (exit 2), and is never sent.
pub(super) fn parse_instance_id(s: &str) -> Result<InstanceId, String> {
    InstanceId::parse(s).map_err(|e| e.to_string())
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
            say!("onsdesk: warning: the history could not be read ({e}); InHistory is unknown");
            None
        }
    }
}

/// InstanceStatus in words (Alibaba's documented values; unknown ones shown as numbers).
fn status_text(status: Option<i64>) -> String {
    match status {
        None => "unknown".to_owned(),
        Some(0 | 1) => "deploying".to_owned(),
        Some(2) => "overdue".to_owned(),
        Some(5) => "in service".to_owned(),
        Some(7) => "upgrading".to_owned(),
        Some(n) => format!("status {n}"),
    }
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
        "CreateTime": rfc3339(i.create_time),
        "TopicCount": i.topic_count,
        "GroupCount": i.group_count,
        "InHistory": known.map(|k| k.contains(i.instance_id.as_str())),
    })
}

/// One client per region to list: every region's, or the one region's.
fn list_clients(
    connection: &Connection,
    all_regions: bool,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<Client>, ExitCode> {
    if !all_regions {
        return connection.client_for(endpoint, region).map(|c| vec![c]);
    }
    let mut clients = Vec::with_capacity(REGIONS.len());
    for r in REGIONS {
        let region = RegionId::known(r.id).map_err(refused)?;
        let endpoint = match endpoint {
            Some(url) => Endpoint::parse(url),
            None => Endpoint::for_region(r.id, Network::Public),
        }
        .map_err(refused)?;
        clients.push(connection.client(Target { endpoint, region }));
    }
    Ok(clients)
}

/// Says on stderr how many entries of a list were left out because they failed their checks
/// (or repeated an entry before them).
pub(super) fn warn_left_out<T>(listed: &Listed<T>, what: &str, place: &str) {
    let lead = match listed.left_out {
        0 => return,
        1 => format!("1 of the {what}"),
        n => format!("{n} {what}"),
    };
    say!(
        "onsdesk: warning: {lead} listed in {place} left out: the reply described them with an \
         invalid ID or another instance, or listed them twice, so they are not shown (check the \
         endpoint and any proxy)"
    );
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
    let connection = match args.common.connection() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let clients = match list_clients(&connection, args.all_regions, endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let known = KnownIds::start();
    let reads = LookWords::reads_only();
    let listings = match block_on(instances::list_regions(
        clients,
        args.common.timing.policy(),
        move |region: &RegionId, step: &Step| say_step_in(region.as_str(), step, &reads),
    )) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let known = known.join();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for listing in &listings {
        match &listing.result {
            Ok(list) => {
                warn_left_out(list, "instances", &listing.region);
                rows.extend(list.iter().map(|i| (listing.region.as_str(), i)));
            }
            Err(e) => failed.push((listing.region.as_str(), e)),
        }
    }
    print_listing(args, &listings, &rows, known.as_ref());
    if failed.is_empty() {
        return ExitCode::SUCCESS;
    }
    for (region, e) in &failed {
        say!(
            "onsdesk: {region} could not be listed: {}",
            Printable(&e.to_string())
        );
    }
    if args.all_regions {
        say!(
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
    if args.common.json {
        let v: Vec<Value> = rows
            .iter()
            .map(|(region, i)| listed_json(i, region, known))
            .collect();
        print_json(&Value::Array(v));
    } else if rows.is_empty() && listings.iter().any(|l| l.result.is_ok()) {
        print_line(format_args!(
            "No instances in {}.",
            if args.all_regions {
                "any region"
            } else {
                listings.first().map_or("the region", |l| l.region.as_str())
            }
        ));
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
                    i.instance_name.clone(),
                    i.instance_id.to_string(),
                    (*region).to_owned(),
                    status_text(i.instance_status),
                    count_text(i.topic_count),
                    count_text(i.group_count),
                    local_time(i.create_time),
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
        let _ = write!(output::stdout(), "{}", table(header, &cells));
    }
}

fn show(args: &ShowArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let client = match args.common.client(endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let policy = args.common.timing.policy();
    let id = &args.instance_id;
    let known = KnownIds::start();
    let reads = LookWords::reads_only();
    let (info, listed) = match block_on(async {
        let mut say = |step: &Step| say_step(step, &reads);
        let mut say_too = |step: &Step| say_step(step, &reads);
        let mut info_calls = Calls::new(&client, policy, &mut say);
        let mut list_calls = Calls::new(&client, policy, &mut say_too);
        tokio::join!(
            instances::base_info(&mut info_calls, id),
            instances::find(&mut list_calls, id)
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
                print_json(&json!({ "error": error }));
            }
            return ExitCode::from(failure_code(&e));
        }
    };
    // The counts come from the list; a failed list only leaves them unknown.
    let listed = listed.unwrap_or_else(|e| {
        say!(
            "onsdesk: warning: topic and group counts unavailable: {}",
            Printable(&e.to_string())
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
    let in_history = known
        .as_ref()
        .map(|k| k.contains(info.instance_id.as_str()));
    if args.common.json {
        print_json(&json!({
            "InstanceId": info.instance_id,
            "InstanceName": info.instance_name,
            "InstanceStatus": info.instance_status,
            "InstanceType": info.instance_type,
            "Region": region,
            "Remark": info.remark,
            "CreateTime": rfc3339(create_time),
            "TopicCount": topics,
            "GroupCount": groups,
            "Endpoints": info.endpoints,
            "InHistory": in_history,
        }));
        return ExitCode::SUCCESS;
    }
    let facts = Facts {
        region,
        create_time,
        topics,
        groups,
        in_history,
    };
    for line in show_lines(&info, &facts) {
        print_line(line);
    }
    ExitCode::SUCCESS
}

/// What `show` knows besides the base info.
struct Facts<'a> {
    region: &'a str,
    create_time: Option<time::OffsetDateTime>,
    topics: Option<u64>,
    groups: Option<u64>,
    in_history: Option<bool>,
}

/// `show`'s text output: one `label  value` line per fact, every value printable.
fn show_lines(info: &crate::api::InstanceBaseInfo, facts: &Facts<'_>) -> Vec<String> {
    let mut lines = vec![
        ("Name", info.instance_name.clone()),
        ("InstanceId", info.instance_id.to_string()),
        ("Region", facts.region.to_owned()),
        ("Status", status_text(info.instance_status)),
        ("Edition", info.instance_type.to_string()),
        ("Remark", or_dash(info.remark.clone())),
        ("Created", local_time(facts.create_time)),
        ("Topics", count_text(facts.topics)),
        ("Groups", count_text(facts.groups)),
        (
            "In history",
            match facts.in_history {
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
            lines.push((label, v.clone()));
        }
    }
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    lines
        .into_iter()
        .map(|(label, value)| format!("{label:<width$}  {}", Printable(&value)))
        .collect()
}

/// What `update` and `delete` say while they look at the instance.
fn look_words(id: &InstanceId, region: &RegionId) -> LookWords {
    LookWords {
        looking: format!("looking at {id} in {region} before going on"),
        not_in_effect: None,
        look_failed: "could not look".to_owned(),
    }
}

/// Records what happened to an instance in the history entries that know it; returns their
/// IDs. A failure is a warning: the cloud change is done either way.
fn record_in_history(
    instance_id: &InstanceId,
    record: impl Fn(&mut History, crate::history::EntryId) -> Result<(), crate::history::HistoryError>,
) -> Vec<String> {
    let mut history = match History::open_default() {
        Ok((history, notices)) => {
            history::print_notices(&notices);
            history
        }
        Err(e) => {
            say!("onsdesk: warning: the history could not be updated: {e}");
            return Vec::new();
        }
    };
    let mut recorded = Vec::new();
    for id in history.entries_for_instance(instance_id) {
        match record(&mut history, id) {
            Ok(()) => recorded.push(id.to_string()),
            Err(e) => say!("onsdesk: warning: history entry {id} could not be updated: {e}"),
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
        say!("onsdesk: warning: {warning}");
    }
    let client = match args.common.client(endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = &args.instance_id;
    let region = client.target().region.clone();
    let change = Change {
        name: args.name.as_deref(),
        remark: args.remark.as_deref(),
    };
    let words = look_words(id, &region);
    let report = match block_on(async {
        let mut say = |step: &Step| say_step(step, &words);
        let mut calls = Calls::new(&client, args.common.timing.policy(), &mut say);
        let outcome = instances::update_in(&mut calls, id, change).await;
        calls.report(outcome)
    }) {
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
                say!("onsdesk: the reply was lost, but the instance shows the change: updated");
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
                print_line(format_args!("{id}: {}", Printable(&what)));
            }
            0
        }
        UpdateOutcome::NotUpdated(e) => {
            v["error"] = explain(e, "the update");
            failure_code(e)
        }
        UpdateOutcome::Unknown(e) => {
            v["error"] = explain(e, "the update");
            say!(
                "onsdesk: the update may or may not have been applied, and {id} could not be \
                 read to find out; `onsdesk instances show {id}` checks again"
            );
            EXIT_UNKNOWN
        }
    };
    if args.common.json {
        print_json(&v);
    }
    ExitCode::from(code)
}

fn delete(args: &DeleteArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let client = match args.common.client(endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = &args.instance_id;
    let region = client.target().region.clone();
    let out_json = |v: &Value| {
        if args.common.json {
            print_json(v);
        }
    };
    let words = look_words(id, &region);
    // One deadline for the whole command: the look-up, the delete and any look after it.
    let result = block_on(async {
        let mut say = |step: &Step| say_step(step, &words);
        let mut calls = Calls::new(&client, args.common.timing.policy(), &mut say);
        // Look the instance up first: its current name must match --confirm.
        let found = instances::find(&mut calls, id).await;
        let instance = match found {
            Ok(Some(i)) if args.confirm == i.instance_name => i,
            other => return Err(other),
        };
        let outcome = instances::delete_in(&mut calls, id).await;
        // Refused while it may hold topics or groups: find out which, to say how to delete them.
        let left = match &outcome {
            DeleteOutcome::NotDeleted(ApiError::Service(_))
                if instance.topic_count != Some(0) || instance.group_count != Some(0) =>
            {
                Some(Leftovers {
                    topics: topics_groups::list_topics(&mut calls, id).await,
                    groups: topics_groups::list_groups(&mut calls, id).await,
                })
            }
            _ => None,
        };
        Ok((calls.report(outcome), instance, left))
    });
    let (report, instance, left) = match result {
        Err(code) => return code,
        Ok(Ok(done)) => done,
        Ok(Err(Ok(None))) => {
            return refused(format_args!(
                "there is no instance {id} in {region}: nothing was deleted (check the ID and \
                 --region; `onsdesk instances list` shows what is there)"
            ));
        }
        Ok(Err(Ok(Some(instance)))) => {
            return refused(format_args!(
                "--confirm {:?} does not match the name of {id} ({:?}): nothing was deleted \
                 (the name must be typed exactly, case included)",
                Printable(&args.confirm).to_string(),
                instance.instance_name
            ));
        }
        Ok(Err(Err(e))) => {
            let error = explain(&e, "the lookup before the delete");
            say!("onsdesk: nothing was deleted");
            out_json(
                &json!({ "Outcome": "not_deleted", "InstanceId": id, "Region": region, "error": error }),
            );
            return ExitCode::from(failure_code(&e));
        }
    };
    let target = DeleteTarget {
        region: &region,
        endpoint,
        profile: args.common.profile.as_deref(),
    };
    let v = delete_outcome(args, &report, &instance, &target, left.as_ref());
    out_json(&v.0);
    ExitCode::from(v.1)
}

/// An instance's topics and groups as listed after its delete was refused.
struct Leftovers {
    topics: Result<Listed<TopicSummary>, ApiError>,
    groups: Result<Listed<GroupSummary>, ApiError>,
}

/// Where a delete went, for the commands that finish it.
struct DeleteTarget<'a> {
    region: &'a RegionId,
    endpoint: Option<&'a str>,
    profile: Option<&'a str>,
}

impl DeleteTarget<'_> {
    /// The options that send a command where this one went: `--region`, and `--endpoint` and
    /// `--profile` when given, shell-quoted.
    fn options(&self) -> String {
        let mut out = vec![format!("--region {}", shell_quote(self.region))];
        if let Some(endpoint) = self.endpoint {
            out.push(format!("--endpoint {}", shell_quote(endpoint)));
        }
        if let Some(profile) = self.profile {
            out.push(format!("--profile {}", shell_quote(profile)));
        }
        out.join(" ")
    }
}

/// Says which topics and groups an instance still holds and prints the exact commands that
/// delete them; returns their names for `--json` (`None` when they could not be listed).
fn say_leftovers(
    instance: &InstanceSummary,
    left: &Leftovers,
    target: &DeleteTarget<'_>,
) -> Option<Value> {
    let name = Printable(&instance.instance_name);
    let id = &instance.instance_id;
    let (Ok(topics), Ok(groups)) = (&left.topics, &left.groups) else {
        say!(
            "onsdesk: {name} may still have topics or groups: delete them first, then run this \
             delete again (`onsdesk topics list {id}` and `onsdesk groups list {id}` show them)"
        );
        return None;
    };
    if topics.is_empty() && groups.is_empty() {
        return Some(json!({ "Topics": [], "Groups": [] }));
    }
    let names = |all: Vec<&str>| all.join(", ");
    let topic_names: Vec<&str> = topics.iter().map(|t| t.topic.as_str()).collect();
    let group_names: Vec<&str> = groups.iter().map(|g| g.group_id.as_str()).collect();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    say!(
        "onsdesk: {name} still has {} and {}: delete them first, then run this delete again",
        count(topic_names.len(), "topic", "topics"),
        count(group_names.len(), "group", "groups"),
    );
    if !topic_names.is_empty() {
        say!("onsdesk: topics: {}", names(topic_names.clone()));
    }
    if !group_names.is_empty() {
        say!("onsdesk: groups: {}", names(group_names.clone()));
    }
    say!("onsdesk: to delete them (a delete cannot be undone: check each first):");
    let options = target.options();
    for (family, listed) in [("topics", &topic_names), ("groups", &group_names)] {
        for n in listed {
            say!(
                "  onsdesk {family} delete {id} {n} --confirm {n} {}",
                Printable(&options)
            );
        }
    }
    if topics.left_out > 0 || groups.left_out > 0 {
        say!(
            "onsdesk: warning: {} more listed with an invalid name or for another instance were \
             left out: the console shows them",
            topics.left_out + groups.left_out
        );
    }
    Some(json!({ "Topics": topic_names, "Groups": group_names }))
}

/// Reports a delete's outcome on stderr/stdout and records it in the history; returns the
/// JSON object and the exit code.
fn delete_outcome(
    args: &DeleteArgs,
    report: &Report<DeleteOutcome>,
    instance: &InstanceSummary,
    target: &DeleteTarget<'_>,
    left: Option<&Leftovers>,
) -> (Value, u8) {
    let region = target.region;
    let id = &args.instance_id;
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
                let sent = output::deletes_sent(report.attempts);
                say!(
                    "onsdesk: the reply was lost, but {id} is no longer in {region}: deleted ({sent})"
                );
            }
            let recorded = record_in_history(id, History::record_deleted);
            v["HistoryIds"] = json!(recorded);
            if !args.common.json {
                print_line(format_args!(
                    "{id}: deleted ({})",
                    Printable(&instance.instance_name)
                ));
            }
            0
        }
        DeleteOutcome::NotDeleted(e) => {
            v["error"] = explain(e, "the delete");
            if let Some(left) = left
                && let Some(names) = say_leftovers(instance, left, target)
            {
                v["Remaining"] = names;
            }
            say!("onsdesk: nothing was deleted");
            failure_code(e)
        }
        DeleteOutcome::Unknown(e) => {
            v["error"] = explain(e, "the delete");
            say!(
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
    fn instance_ids_are_checked_when_the_command_line_is_read() {
        assert!(parse_instance_id("MQ_INST_1_a").is_ok());
        for bad in [
            "",
            "MQ_INST_1\u{1b}[2J",
            "a b",
            "; rm -rf ~",
            &"a".repeat(65),
        ] {
            let err = parse_instance_id(bad).unwrap_err();
            assert!(!err.contains('\u{1b}'), "{err}");
        }
    }
}
