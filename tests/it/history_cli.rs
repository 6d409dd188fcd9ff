//! `onsdesk create` recording history, and `onsdesk history` / `export` / `refresh`, as
//! processes against an in-process sandbox, each test in its own data directory.

use crate::common;

use std::process::Output;

use common::{Home, run, text};
use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig};
use serde_json::Value;

fn onsdesk(home: &Home, args: &[&str]) -> Output {
    run(home
        .cmd()
        .args(args)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        ))
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(text(&out.stdout).trim())
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)))
}

fn history_json(home: &Home) -> Vec<Value> {
    let out = onsdesk(home, &["history", "--include-sandbox", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    json_of(&out).as_array().unwrap().clone()
}

fn by_name<'a>(rows: &'a [Value], name: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["InstanceName"] == name)
        .unwrap_or_else(|| panic!("{name} in {rows:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_writes_pending_first_then_the_outcome_and_json_names_the_entry() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    let out = onsdesk(
        &home,
        &[
            "create",
            "--endpoint",
            &url,
            "--name",
            "订单-一号",
            "--remark",
            "支付",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json_of(&out);
    let history_id = v["HistoryId"].as_str().unwrap().to_owned();

    // On disk: header, the pending put, then the outcome; no secret anywhere.
    let log = std::fs::read_to_string(home.data().join("history.jsonl")).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert_eq!(lines[0]["format"], "onsdesk-history");
    assert_eq!(lines[1]["put"]["id"], history_id.as_str());
    assert_eq!(lines[1]["put"]["status"], "pending");
    assert_eq!(lines[1]["put"]["profile"], "environment");
    assert!(lines[2]["status"]["status"]["created"].is_object());
    assert!(!log.contains(sandbox::DEMO_ACCESS_KEY_SECRET));

    let rows = history_json(&home);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["HistoryId"], history_id.as_str());
    assert_eq!(row["InstanceId"], v["InstanceId"]);
    assert_eq!(row["InstanceId"], sb.instances()[0].id.as_str());
    assert_eq!(row["RequestId"], v["RequestId"]);
    assert_eq!(row["Outcome"], "created");
    assert_eq!(row["Remark"], "支付");
    assert_eq!(row["Region"], "cn-hangzhou");
    assert_eq!(row["Endpoint"], url.as_str());

    // A refusal is recorded with its code.
    let out = onsdesk(
        &home,
        &[
            "create",
            "--endpoint",
            &url,
            "--name",
            "订单-一号",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(json_of(&out)["HistoryId"].is_string());
    let rows = history_json(&home);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["Outcome"], "not_created", "newest first");
    assert_eq!(rows[0]["Code"], "BIZ_INSTANCE_NAME_DUPLICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_reply_stays_unknown_until_refresh_adopts_it_and_a_deleted_one_is_not_found() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    let out = onsdesk(
        &home,
        &["create", "--endpoint", &url, "--name", "to-delete"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let deleted_id = text(&out.stdout).trim().to_owned();
    // Every reply is late: the create happens, but neither its reply nor the region list
    // that would find it arrives, so the outcome is honestly unknown.
    sb.set_faults(Faults {
        reply_delay: std::time::Duration::from_millis(1500),
        ..Faults::default()
    });
    let out = onsdesk(
        &home,
        &[
            "create",
            "--endpoint",
            &url,
            "--name",
            "lost-reply",
            "--json",
            "--timeout",
            "0.3",
        ],
    );
    sb.set_faults(Faults::default());
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let v = json_of(&out);
    assert_eq!(v["Outcome"], "unknown");
    let lost_history_id = v["HistoryId"].as_str().unwrap().to_owned();
    assert!(
        text(&out.stderr).contains("onsdesk history refresh"),
        "{}",
        text(&out.stderr)
    );
    let rows = history_json(&home);
    assert_eq!(by_name(&rows, "lost-reply")["Outcome"], "unknown");
    assert!(by_name(&rows, "lost-reply")["InstanceId"].is_null());

    assert!(sb.delete_instance(&deleted_id));
    let created_id = sb
        .instances()
        .into_iter()
        .find(|i| i.name == "lost-reply")
        .unwrap()
        .id;

    let out = onsdesk(&home, &["history", "refresh"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("1 in service, 1 not found in the cloud, 1 adopted"),
        "{said}"
    );
    assert!(
        said.contains(&format!("adopted lost-reply -> {created_id}")),
        "{said}"
    );

    let rows = history_json(&home);
    let lost = by_name(&rows, "lost-reply");
    assert_eq!(lost["HistoryId"], lost_history_id.as_str());
    assert_eq!(lost["Outcome"], "adopted");
    assert_eq!(lost["InstanceId"], created_id.as_str());
    assert_eq!(lost["Cloud"], "in_service");
    let gone = by_name(&rows, "to-delete");
    assert_eq!(gone["Outcome"], "created");
    assert_eq!(gone["Cloud"], "not_found");

    let table = text(&onsdesk(&home, &["history", "--include-sandbox"]).stdout);
    assert!(table.contains("adopted · in service"), "{table}");
    assert!(
        table.contains("created · not found in the cloud"),
        "{table}"
    );

    // --json summary, and nothing left to adopt.
    let out = onsdesk(&home, &["history", "refresh", "--json"]);
    let v = json_of(&out);
    assert_eq!(v["InService"], 1);
    assert_eq!(v["NotFound"], 1);
    assert_eq!(v["Adopted"].as_array().unwrap().len(), 0);
}

/// An instance create whose outcome is unknown, and whose name the region does not list (yet):
/// a refresh just after it cannot tell, since its request may still land. It is left as it
/// was, listed under `Recent` with the time from which a refresh settles it, and stderr says
/// when to refresh again, as for topics and groups.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_young_unknown_create_the_region_does_not_list_is_left_and_said_recent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    sb.set_faults(Faults {
        reply_delay: std::time::Duration::from_millis(1500),
        ..Faults::default()
    });
    let out = onsdesk(
        &home,
        &[
            "create",
            "--endpoint",
            &url,
            "--name",
            "lost-one",
            "--json",
            "--timeout",
            "0.3",
        ],
    );
    sb.set_faults(Faults::default());
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let history_id = json_of(&out)["HistoryId"].as_str().unwrap().to_owned();
    // what it made is gone again: the region lists no instance of the name
    let made = sb.instances().into_iter().find(|i| i.name == "lost-one");
    assert!(sb.delete_instance(&made.unwrap().id));

    let out = onsdesk(&home, &["history", "refresh", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json_of(&out);
    let recent = v["Recent"].as_array().unwrap();
    assert_eq!(recent.len(), 1, "{v}");
    assert_eq!(recent[0]["HistoryId"], history_id.as_str());
    assert_eq!(recent[0]["Kind"], "instance");
    assert_eq!(recent[0]["Verb"], "create");
    assert_eq!(recent[0]["InstanceName"], "lost-one");
    assert!(recent[0].get("InstanceId").is_none(), "{v}");
    assert!(recent[0]["SettleAfter"].is_string(), "{v}");
    assert_eq!(v["NotFound"], 0, "{v}");
    assert!(
        text(&out.stderr).contains("1 create or delete was left as it was")
            && text(&out.stderr).contains("refresh again after"),
        "{}",
        text(&out.stderr)
    );
    let rows = history_json(&home);
    assert_eq!(by_name(&rows, "lost-one")["Outcome"], "unknown");
    assert!(by_name(&rows, "lost-one")["Cloud"].is_null(), "{rows:?}");
}

/// A loopback endpoint is whatever process listens there. `history refresh` sends the
/// sandbox's demo key there unasked, as for the sandbox's own entries, but a real key only
/// with `--include-custom-endpoints`, the confirmation a custom endpoint needs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_sends_a_real_key_to_loopback_only_when_asked() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let out = onsdesk(
        &home,
        &["create", "--endpoint", &sb.url(), "--name", "made-here"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let with_a_real_key = |args: &[&str]| {
        run(home
            .cmd()
            .args(args)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "ExampleKeyOfSomeone")
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "a-real-secret"))
    };
    let before = sb.requests_seen();
    let out = with_a_real_key(&["history", "refresh"]);
    assert_eq!(
        sb.requests_seen(),
        before,
        "the real key went to loopback unasked"
    );
    assert_eq!(out.status.code(), Some(4));
    let said = text(&out.stderr);
    assert!(
        said.contains("not checked, so the credentials were not sent there")
            && said.contains("--include-custom-endpoints"),
        "{said}"
    );
    assert_eq!(
        by_name(&history_json(&home), "made-here")["Cloud"],
        Value::Null
    );

    // Confirmed: asked (this sandbox does not know the key, so it is still not checked).
    let out = with_a_real_key(&["history", "refresh", "--include-custom-endpoints"]);
    assert_eq!(sb.requests_seen(), before + 1);
    assert!(
        text(&out.stderr).contains("InvalidAccessKeyId"),
        "{}",
        text(&out.stderr)
    );

    // The demo key goes to loopback unasked.
    let out = onsdesk(&home, &["history", "refresh"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("1 in service"));
    assert_eq!(sb.requests_seen(), before + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_searches_and_filters_by_region() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    for (name, region, remark) in [
        ("orders-prod", "cn-hangzhou", "payments"),
        ("支付-实例", "cn-beijing", "订单"),
        ("logs-dev", "cn-beijing", "Payments archive"),
    ] {
        let out = onsdesk(
            &home,
            &[
                "create",
                "--endpoint",
                &url,
                "--region",
                region,
                "--name",
                name,
                "--remark",
                remark,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let out = onsdesk(&home, &["history", "--include-sandbox"]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    for col in ["TIME", "NAME", "REGION", "INSTANCE ID", "STATUS"] {
        assert!(lines[0].contains(col), "{table}");
    }
    assert!(lines[1].contains("logs-dev"), "newest first: {table}");
    let id = &sb.instances()[0].id;
    assert!(
        lines[3].contains(id.as_str()) && lines[3].contains("created"),
        "{table}"
    );
    // Columns line up (the Chinese name counts two columns a character).
    let status_at = |l: &str| {
        l.find("created").map(|byte| {
            l[..byte]
                .chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        })
    };
    let cols: Vec<_> = lines[1..].iter().map(|l| status_at(l)).collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{table}");

    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["history", "--include-sandbox", "--json"];
        all.extend_from_slice(args);
        let out = onsdesk(&home, &all);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        json_of(&out)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["InstanceName"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&["--search", "PAYMENTS"]),
        ["logs-dev", "orders-prod"]
    );
    assert_eq!(names(&["--search", &id.to_lowercase()]), ["orders-prod"]);
    assert_eq!(names(&["--search", "订单"]), ["支付-实例"]);
    assert_eq!(
        names(&["--region", "cn-beijing"]),
        ["logs-dev", "支付-实例"]
    );
    assert!(names(&["--search", "nothing-matches"]).is_empty());
    let out = onsdesk(
        &home,
        &[
            "history",
            "--include-sandbox",
            "--search",
            "nothing-matches",
        ],
    );
    assert_eq!(text(&out.stdout), "No entry matches.\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_writes_csv_for_spreadsheets_and_json_for_scripts() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    let out = onsdesk(
        &home,
        &[
            "create",
            "--endpoint",
            &url,
            "--name",
            "订单-一号",
            "--remark",
            "=SUM(A1), \"quoted\"",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = home.dir.path().join("out.csv");
    let out = onsdesk(
        &home,
        &[
            "history",
            "export",
            "--format",
            "csv",
            "--output",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("exported 1 entry"));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let body = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert!(lines[0].ends_with("HistoryId,Time,TimeUtc,InstanceName,Remark,Region,Endpoint,Profile,Outcome,InstanceId,InstanceType,RequestId,Code,Message,Cloud,CloudCheckedAt,RenamedTo,RemarkNow,DeletedAt,Sandbox,Kind,Verb,Topic,MessageType,GroupId,GroupType"));
    assert!(
        lines[1].contains(",订单-一号,\"'=SUM(A1), \"\"quoted\"\"\",cn-hangzhou,"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 3, "header, one row, final CRLF");

    let json = home.dir.path().join("out.json");
    let out = onsdesk(
        &home,
        &[
            "history",
            "export",
            "--format",
            "json",
            "--output",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v[0]["Remark"], "=SUM(A1), \"quoted\"");
    assert_eq!(v[0]["InstanceId"], sb.instances()[0].id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_history_stops_create_before_sending_unless_no_history() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    // A data "directory" that is a file: nothing can be written under it (even as root).
    let blocker = home.dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let data = blocker.join("data");
    let run_create = |extra: &[&str]| {
        let mut args = vec!["create", "--endpoint", &url, "--name", "needs-history"];
        args.extend_from_slice(extra);
        run(home
            .cmd()
            .env("ONSDESK_DATA_DIR", &data)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
            .env(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                sandbox::DEMO_ACCESS_KEY_SECRET,
            )
            .args(&args))
    };
    let out = run_create(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("nothing was sent"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("--no-history"));
    assert_eq!(sb.requests_seen(), 0);

    let out = run_create(&["--no-history", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(json_of(&out)["HistoryId"].is_null());
    assert_eq!(sb.instances().len(), 1);
}

/// Another onsdesk process holding the history's lock and never letting go (stopped with
/// Ctrl-Z, stuck on a hung disk) does not hang a create: after 10 s it stops, says why, and
/// sends nothing. Once the lock is free the same create goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_held_by_a_stuck_process_stops_create_after_a_bounded_wait() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    let held = onsdesk::files::lock(&home.data().join("history.lock")).unwrap();
    let started = std::time::Instant::now();
    let out = onsdesk(
        &home,
        &["create", "--endpoint", &url, "--name", "waits-for-history"],
    );
    let waited = started.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains("in use by another onsdesk process")
            && said.contains("still held after 10 s")
            && said.contains("nothing was sent"),
        "{said}"
    );
    assert!(waited >= onsdesk::history::LOCK_WAIT, "{waited:?}");
    assert_eq!(sb.requests_seen(), 0);

    drop(held);
    let out = onsdesk(
        &home,
        &["create", "--endpoint", &url, "--name", "waits-for-history"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(sb.instances().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_history_file_is_left_alone_and_create_refuses() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    let path = home.data().join("history.jsonl");
    let newer = "{\"format\":\"onsdesk-history\",\"version\":99,\"file_id\":\"6f9619ff-8b86-4011-b42d-00c04fc964ff\",\"created\":\"2030-01-01T00:00:00Z\"}\n";
    std::fs::write(&path, newer).unwrap();
    let out = onsdesk(&home, &["create", "--endpoint", &url, "--name", "blocked"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("newer onsdesk"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sb.requests_seen(), 0);
    let out = onsdesk(&home, &["history", "--include-sandbox"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("newer onsdesk"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
}

#[test]
fn a_corrupt_history_is_reported_by_the_cli_and_kept() {
    let home = Home::new();
    std::fs::write(home.data().join("history.jsonl"), "garbage\n").unwrap();
    // NO_COLOR would hide colours whatever onsdesk decides
    let out = run(home
        .cmd()
        .args(["history", "--include-sandbox"])
        .env_remove("NO_COLOR"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("could not be read") && err.contains("history.corrupt-"),
        "{err}"
    );
    // The log's warning too, in plain text (stderr is a pipe here, not a terminal, so no
    // colour escapes end up in a file or a CI log), on a line of onsdesk's like every other.
    assert!(
        err.lines()
            .any(|l| l.starts_with("onsdesk: warning: history file kept aside")),
        "{err}"
    );
    assert!(err.lines().all(|l| l.starts_with("onsdesk: ")), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert_eq!(text(&out.stdout), "No create attempts recorded yet.\n");
    let kept: Vec<_> = std::fs::read_dir(home.data())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("history.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(home.data().join(&kept[0])).unwrap(),
        "garbage\n"
    );
}

#[test]
fn history_refuses_an_endpoint_it_would_ignore() {
    let home = Home::new();
    let out = onsdesk(
        &home,
        &["history", "refresh", "--endpoint", "http://127.0.0.1:9/"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--endpoint does not apply"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_entries_are_hidden_by_default_and_marked_when_included() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    let url = sb.url();
    let out = onsdesk(&home, &["create", "--endpoint", &url, "--name", "demo-one"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Not listed by default: it created nothing on Alibaba Cloud. Stderr says so.
    let out = onsdesk(&home, &["history"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stdout).contains("demo-one"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("1 sandbox entry hidden (--include-sandbox lists them)"),
        "{}",
        text(&out.stderr)
    );
    let out = onsdesk(&home, &["history", "--json"]);
    assert_eq!(json_of(&out), serde_json::json!([]));

    // Included, it is marked in the table and in JSON.
    let out = onsdesk(&home, &["history", "--include-sandbox"]);
    assert!(
        text(&out.stdout).contains("demo-one [sandbox]"),
        "{}",
        text(&out.stdout)
    );
    let rows = history_json(&home);
    assert_eq!(by_name(&rows, "demo-one")["Sandbox"], true);

    // Exports keep it, with the column.
    let csv = home.dir.path().join("out.csv");
    let out = onsdesk(
        &home,
        &[
            "history",
            "export",
            "--format",
            "csv",
            "--output",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert!(
        lines[0].ends_with(",Sandbox,Kind,Verb,Topic,MessageType,GroupId,GroupType"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].ends_with(",true,instance,create,,,,"),
        "{}",
        lines[1]
    );
}

const ON: &str = "MQ_INST_1880770869020000_BXSuW61e";

/// An instance create, a topic create and a group delete on it, as `onsdesk create` and
/// `onsdesk topics|groups` record them.
fn seed_topic_and_group(home: &Home) {
    use onsdesk::history::{ChangeOutcome, History, NewAttempt, NewChange, Resource, Status, Verb};
    use onsdesk::ids::{InstanceId, RequestId};
    let (mut h, _) = History::open(&home.data()).unwrap();
    let endpoint = "https://ons.cn-hangzhou.aliyuncs.com/".to_owned();
    let instance = h
        .record_pending(NewAttempt {
            name: "orders-prod".to_owned(),
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: endpoint.clone(),
            profile: "work".to_owned(),
        })
        .unwrap();
    h.record_outcome(
        instance,
        Status::Created {
            instance_id: ON.to_owned(),
            instance_type: 1,
            request_id: "R-0".to_owned(),
        },
    )
    .unwrap();
    let on = InstanceId::parse(ON).unwrap();
    let change = |verb, resource| NewChange {
        verb,
        resource,
        remark: String::new(),
        region: "cn-hangzhou".to_owned(),
        endpoint: endpoint.clone(),
        profile: "work".to_owned(),
    };
    let topic = h
        .record_change_pending(change(
            Verb::Create,
            Resource::Topic {
                instance_id: on.clone(),
                topic: "orders".to_owned(),
                message_type: None,
            },
        ))
        .unwrap();
    let request_id = RequestId::parse("R-1").unwrap();
    h.record_change_outcome(topic, &ChangeOutcome::Done { request_id })
        .unwrap();
    let group = h
        .record_change_pending(change(
            Verb::Delete,
            Resource::Group {
                instance_id: on,
                group_id: "GID_legacy".to_owned(),
                group_type: None,
            },
        ))
        .unwrap();
    h.record_change_outcome(group, &ChangeOutcome::Seen)
        .unwrap();
}

/// `--kind` picks a kind in the table, `--json` and the export, and a topic's or group's row
/// names its instance.
#[test]
fn kind_filters_the_history_and_topics_and_groups_show_their_instance() {
    let home = Home::new();
    seed_topic_and_group(&home);

    let out = onsdesk(&home, &["history"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    let words = |line: &str| {
        line.split_whitespace()
            .skip(2)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>().join(" "),
        "TIME KIND NAME REGION INSTANCE ID STATUS"
    );
    assert_eq!(
        words(lines[1]),
        format!("group GID_legacy cn-hangzhou {ON} deleted")
    );
    assert_eq!(
        words(lines[2]),
        format!("topic orders cn-hangzhou {ON} created")
    );
    assert_eq!(
        words(lines[3]),
        format!("instance orders-prod cn-hangzhou {ON} created")
    );

    let out = onsdesk(&home, &["history", "--kind", "group"]);
    let table = text(&out.stdout);
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(table.contains("GID_legacy"), "{table}");

    let kinds = |kind: &str| -> Vec<(String, String)> {
        let out = onsdesk(&home, &["history", "--kind", kind, "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        json_of(&out)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["Kind"].to_string(), r["InstanceId"].to_string()))
            .collect()
    };
    let on = format!("\"{ON}\"");
    assert_eq!(kinds("topic"), [("\"topic\"".to_owned(), on.clone())]);
    assert_eq!(kinds("instance"), [("\"instance\"".to_owned(), on.clone())]);
    assert_eq!(kinds("group"), [("\"group\"".to_owned(), on)]);

    let out = onsdesk(&home, &["history", "--kind", "topics"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("[possible values: instance, topic, group]"),
        "{}",
        text(&out.stderr)
    );

    let csv = home.dir.path().join("groups.csv");
    let out = onsdesk(
        &home,
        &[
            "history",
            "export",
            "--format",
            "csv",
            "--output",
            csv.to_str().unwrap(),
            "--kind",
            "group",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(lines.len(), 3, "header, one row, final CRLF: {body}");
    assert!(
        lines[1].ends_with(",group,delete,,,GID_legacy,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(&format!(",deleted,{ON},")),
        "{}",
        lines[1]
    );
}

/// What a process killed between recording a topic or group change and its reply leaves: the
/// pending line, nothing after it.
fn pending_change(
    home: &Home,
    endpoint: &str,
    verb: onsdesk::history::Verb,
    resource: onsdesk::history::Resource,
) -> String {
    use onsdesk::history::{Appender, NewChange};
    let (mut appender, _) = Appender::open(&home.data()).unwrap();
    let id = appender
        .record_change_pending(NewChange {
            verb,
            resource,
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: endpoint.to_owned(),
            profile: "environment".to_owned(),
        })
        .unwrap();
    id.to_string()
}

/// `history refresh` settles the topic and group changes a killed process left pending from
/// their instance's own lists, by exact name (`orders-v` is not there, though the fuzzy filter
/// would match `orders-v2`), sending no change of its own. What a list shows in effect is
/// settled at once; what it shows not in effect only once the change can no longer arrive
/// (35 minutes after its process's last possible send): until then it may still be on its
/// way, and the refresh says when to ask again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[expect(
    clippy::too_many_lines,
    reason = "one story: recorded, refreshed at once, refreshed 45 minutes later, shown"
)]
async fn refresh_settles_topic_and_group_changes_a_killed_process_left_pending() {
    use onsdesk::history::{Resource, Verb};
    use onsdesk::ids::InstanceId;
    use onsdesk::sandbox::{SeedGroup, SeedInstance, SeedTopic};
    let sb = Sandbox::start(SandboxConfig {
        seed: vec![SeedInstance {
            topics: vec![SeedTopic::named("orders-v2")],
            groups: vec![SeedGroup::named("GID_keep")],
            ..SeedInstance::new("legacy-orders", "cn-hangzhou")
        }],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let url = sb.url();
    let on = InstanceId::parse(&sb.instances()[0].id).unwrap();
    let home = Home::new();
    let topic = |name: &str| Resource::Topic {
        instance_id: on.clone(),
        topic: name.to_owned(),
        message_type: None,
    };
    let group = |name: &str| Resource::Group {
        instance_id: on.clone(),
        group_id: name.to_owned(),
        group_type: None,
    };
    let made = pending_change(&home, &url, Verb::Create, topic("orders"));
    let not_made = pending_change(&home, &url, Verb::Create, topic("orders-v"));
    let gone = pending_change(&home, &url, Verb::Delete, group("GID_gone"));
    let kept = pending_change(&home, &url, Verb::Delete, group("GID_keep"));
    // What the killed process's create made, after it was recorded (the seeded ones are a
    // month old: someone else's to a create recorded now).
    assert!(sb.seed_topic(on.as_str(), &SeedTopic::named("orders")));
    let rows = history_json(&home);
    assert!(rows.iter().all(|r| r["Outcome"] == "pending"), "{rows:?}");
    let settled_in = |v: &serde_json::Value| -> Vec<(String, String)> {
        v["Settled"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["HistoryId"].as_str().unwrap().to_owned(),
                    s["Outcome"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };

    // Just recorded: the one made and the one gone are settled; the others may be on their way.
    let out = onsdesk(&home, &["history", "refresh", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json_of(&out);
    let settled = settled_in(&v);
    assert_eq!(settled.len(), 2, "{v}");
    assert!(
        settled.contains(&(made.clone(), "adopted".to_owned())),
        "{v}"
    );
    assert!(
        settled.contains(&(gone.clone(), "deleted".to_owned())),
        "{v}"
    );
    let recent: Vec<&str> = v["Recent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["HistoryId"].as_str().unwrap())
        .collect();
    assert_eq!(recent.len(), 2, "{v}");
    assert!(
        recent.contains(&not_made.as_str()) && recent.contains(&kept.as_str()),
        "{v}"
    );
    let not_made_json = v["Recent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["HistoryId"] == not_made.as_str())
        .unwrap();
    assert_eq!(not_made_json["Topic"], "orders-v", "{v}");
    assert_eq!(not_made_json["Verb"], "create", "{v}");
    assert!(
        not_made_json["SettleAfter"]
            .as_str()
            .is_some_and(|t| t.len() >= 20),
        "{v}"
    );
    let said = text(&out.stderr);
    assert!(
        said.contains("2 creates or deletes were left as they were")
            && said.contains("may still be on their way")
            && said.contains("refresh again after "),
        "{said}"
    );
    let rows = history_json(&home);
    for id in [&not_made, &kept] {
        let row = rows.iter().find(|r| r["HistoryId"] == id.as_str()).unwrap();
        assert_eq!(row["Outcome"], "pending", "{row}");
    }

    // Three quarters of an hour later (the killed process's changes are that old): settled.
    common::backdate_history(&home.data(), time::Duration::minutes(45));
    let out = onsdesk(&home, &["history", "refresh", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json_of(&out);
    assert_eq!(v["Recent"].as_array().unwrap().len(), 0, "{v}");
    assert!(
        !text(&out.stderr).contains("refresh again"),
        "{}",
        text(&out.stderr)
    );
    let settled = settled_in(&v);
    assert_eq!(settled.len(), 2, "{v}");
    for (id, outcome) in [(&not_made, "not_created"), (&kept, "not_deleted")] {
        assert!(
            settled.contains(&(id.clone(), outcome.to_owned())),
            "{id} {outcome}: {v}"
        );
    }
    assert_eq!(v["Failed"].as_array().unwrap().len(), 0, "{v}");
    for action in [
        "OnsTopicCreate",
        "OnsTopicDelete",
        "OnsGroupCreate",
        "OnsGroupDelete",
    ] {
        assert_eq!(sb.action_count(action), 0, "{action}: a refresh only looks");
    }

    // What the history shows from now on.
    let out = onsdesk(&home, &["history", "--include-sandbox", "--kind", "topic"]);
    let table = text(&out.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.contains(" orders ") && l.contains("adopted · in service")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.contains(" orders-v ") && l.contains("not created")),
        "{table}"
    );
    let out = onsdesk(&home, &["history", "--include-sandbox", "--kind", "group"]);
    let table = text(&out.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.contains("GID_keep") && l.contains("not deleted")),
        "{table}"
    );
}

/// A sandbox with one instance holding the topic `kept` and the group `GID_old`; its ID.
async fn sandbox_with_holdings(faults: Faults) -> (Sandbox, String) {
    use onsdesk::sandbox::{SeedGroup, SeedInstance, SeedTopic};
    let sb = Sandbox::start(SandboxConfig {
        seed: vec![SeedInstance {
            topics: vec![SeedTopic {
                name: "kept".to_owned(),
                message_type: 4,
                remark: String::new(),
            }],
            groups: vec![SeedGroup::named("GID_old")],
            ..SeedInstance::new("legacy-orders", "cn-hangzhou")
        }],
        faults,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let id = sb.instances()[0].id.clone();
    (sb, id)
}

/// The history file's lines after the header.
fn history_lines(home: &Home) -> Vec<Value> {
    let log = std::fs::read_to_string(home.data().join("history.jsonl")).unwrap();
    log.lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `onsdesk topics create` and `onsdesk groups delete` each write a pending entry of their own
/// kind, with the instance (and the type: sent, or as listed), then the outcome, and `--json`
/// names the entry; `history --kind` shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_and_group_changes_record_pending_then_their_outcome() {
    let (sb, id) = sandbox_with_holdings(Faults::default()).await;
    let home = Home::new();
    let url = sb.url();
    let out = onsdesk(
        &home,
        &[
            "topics",
            "create",
            &id,
            "orders",
            "--type",
            "transaction",
            "--no-wait",
            "--endpoint",
            &url,
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let created = json_of(&out);
    let lines = history_lines(&home);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let put = &lines[0]["put"];
    assert_eq!(put["id"], created["HistoryId"]);
    assert_eq!(put["name"], "orders");
    assert_eq!(put["status"], "pending");
    assert_eq!(put["profile"], "environment");
    assert_eq!(
        put["subject"],
        serde_json::json!({"topic": {"instance_id": id, "verb": "create", "message_type": 4}})
    );
    assert_eq!(lines[1]["status"]["id"], created["HistoryId"]);
    assert_eq!(
        lines[1]["status"]["status"]["done"]["request_id"],
        created["RequestId"]
    );

    let out = onsdesk(
        &home,
        &[
            "groups",
            "delete",
            &id,
            "GID_old",
            "--confirm",
            "GID_old",
            "--endpoint",
            &url,
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let deleted = json_of(&out);
    let lines = history_lines(&home);
    assert_eq!(lines.len(), 4, "{lines:?}");
    let put = &lines[2]["put"];
    assert_eq!(put["id"], deleted["HistoryId"]);
    assert_eq!(put["status"], "pending");
    assert_eq!(
        put["subject"],
        serde_json::json!({"group": {"instance_id": id, "verb": "delete", "group_type": "tcp"}})
    );
    assert!(
        lines[3]["status"]["status"]["done"].is_object(),
        "{lines:?}"
    );

    let out = onsdesk(&home, &["history", "--include-sandbox", "--kind", "topic"]);
    let table = text(&out.stdout);
    assert_eq!(table.lines().count(), 2, "{table}");
    let row: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(
        row[2..],
        [
            "topic",
            "orders",
            "[sandbox]",
            "cn-hangzhou",
            &id,
            "created"
        ],
        "{table}"
    );
    let out = onsdesk(
        &home,
        &["history", "--include-sandbox", "--kind", "group", "--json"],
    );
    let rows = json_of(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["GroupId"], "GID_old");
    assert_eq!(rows[0]["Verb"], "delete");
    assert_eq!(rows[0]["Outcome"], "deleted");
    assert_eq!(rows[0]["InstanceId"], id.as_str());
}

/// A create whose reply is lost is settled by the look (one create sent), and its entry
/// says so: adopted, not pending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_topic_create_reply_leaves_the_entry_settled_by_the_look() {
    let (sb, id) = sandbox_with_holdings(Faults {
        drop_replies: [("OnsTopicCreate".to_owned(), 1)].into(),
        ..Faults::default()
    })
    .await;
    let home = Home::new();
    let url = sb.url();
    let out = onsdesk(
        &home,
        &[
            "topics",
            "create",
            &id,
            "orders",
            "--no-wait",
            "--endpoint",
            &url,
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(sb.action_count("OnsTopicCreate"), 1);
    let v = json_of(&out);
    assert!(v["RequestId"].is_null(), "{v}");
    let lines = history_lines(&home);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1]["status"]["status"], "seen");
    let rows = history_json(&home);
    assert_eq!(rows[0]["HistoryId"], v["HistoryId"]);
    assert_eq!(rows[0]["Topic"], "orders");
    assert_eq!(rows[0]["Outcome"], "adopted");
}

/// `--no-history` records nothing; without it, a history that cannot be written stops a
/// topic or group change before anything reaches the service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_and_group_changes_need_a_history_unless_no_history() {
    let (sb, id) = sandbox_with_holdings(Faults::default()).await;
    let url = sb.url();

    let home = Home::new();
    let out = onsdesk(
        &home,
        &[
            "topics",
            "create",
            &id,
            "orders",
            "--no-wait",
            "--no-history",
            "--endpoint",
            &url,
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(json_of(&out)["HistoryId"].is_null());
    assert!(!home.data().join("history.jsonl").exists());
    assert_eq!(history_json(&home).len(), 0);

    // A data "directory" that is a file: nothing can be written under it.
    let blocker = home.dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let data = blocker.join("data");
    let run_blocked = |args: &[&str]| {
        run(home
            .cmd()
            .env("ONSDESK_DATA_DIR", &data)
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
            .env(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                sandbox::DEMO_ACCESS_KEY_SECRET,
            )
            .args(args)
            .args(["--endpoint", &url]))
    };
    let before = sb.requests_seen();
    for args in [
        vec!["topics", "create", &id, "payments"],
        vec!["groups", "create", &id, "GID_payments"],
        vec!["topics", "delete", &id, "kept", "--confirm", "kept"],
        vec!["groups", "delete", &id, "GID_old", "--confirm", "GID_old"],
    ] {
        let out = run_blocked(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let said = text(&out.stderr);
        assert!(said.contains("nothing was sent"), "{args:?}: {said}");
        assert!(said.contains("--no-history"), "{args:?}: {said}");
        assert_eq!(
            sb.requests_seen(),
            before,
            "{args:?}: the sandbox received nothing"
        );
    }

    let out = run_blocked(&[
        "groups",
        "delete",
        &id,
        "GID_old",
        "--confirm",
        "GID_old",
        "--no-history",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(sb.action_count("OnsGroupDelete"), 1);
}

/// The pending entry is on disk before the create reaches the service: while the sandbox holds
/// the create's reply, the history has the pending line and nothing after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_create_is_on_disk_as_pending_before_the_service_sees_it() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let (sb, id) = sandbox_with_holdings(Faults {
        reply_delay: Duration::from_millis(1500),
        ..Faults::default()
    })
    .await;
    let home = Home::new();
    let url = sb.url();
    let mut child = home
        .cmd()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        )
        .args(["topics", "create", &id, "orders", "--no-wait"])
        .args(["--endpoint", &url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_mins(1);
    while sb.action_count("OnsTopicCreate") == 0 {
        assert!(Instant::now() < until, "the create never arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The reply is held for 1.5 s: the outcome cannot be written yet.
    let lines = history_lines(&home);
    let status = child.wait().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["put"]["status"], "pending");
    assert_eq!(lines[0]["put"]["name"], "orders");
    assert_eq!(status.code(), Some(0));
    assert_eq!(history_lines(&home).len(), 2, "then the outcome");
}

/// Entries in three regions at one sandbox: three scopes for `history refresh`.
async fn three_regions_of_entries() -> (Sandbox, Home) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let home = Home::new();
    for region in ["cn-hangzhou", "cn-shanghai", "cn-beijing"] {
        let name = format!("made-in-{region}");
        let out = onsdesk(
            &home,
            &[
                "create",
                "--endpoint",
                &sb.url(),
                "--region",
                region,
                "--name",
                &name,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    (sb, home)
}

/// `history refresh` asks one region after another under one `--deadline`: with slow
/// replies, a region not reached by then is not asked, and said so, rather than every
/// region taking its full time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_stops_asking_at_its_deadline_and_says_what_was_not_asked() {
    let (sb, home) = three_regions_of_entries().await;
    let lists = || sb.action_count("OnsInstanceInServiceList");
    let before = lists();
    sb.set_faults(Faults {
        reply_delay: std::time::Duration::from_secs(1),
        ..Faults::default()
    });
    let started = std::time::Instant::now();
    let out = onsdesk(
        &home,
        &["history", "refresh", "--timeout", "5", "--deadline", "1.5"],
    );
    let took = started.elapsed();
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{said}");
    let asked = lists() - before;
    assert!(
        (1..3).contains(&asked),
        "{asked} of 3 regions asked: {said}"
    );
    assert_eq!(
        said.matches("the deadline passed before all of it was asked")
            .count(),
        usize::try_from(3 - asked).unwrap(),
        "{said}"
    );
    // At most the deadline, then the one reply awaited past it.
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

/// A refresh's reads are paced like every command's: a throttled list is waited out (and
/// said on stderr) instead of failing the region.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_waits_out_a_throttle_and_says_so() {
    let (sb, home) = three_regions_of_entries().await;
    // Every second request is throttled: each region's list is refused once, then answered.
    sb.set_faults(Faults {
        throttle_every: 2,
        ..Faults::default()
    });
    let out = onsdesk(&home, &["history", "refresh", "--json"]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("throttled by the service; waiting"), "{said}");
    assert_eq!(json_of(&out)["InService"], 3, "{said}");
}

/// Every pending entry says until when its process may still send the change (its deadline
/// plus one request's time limit), for a refresh in another process to wait that long.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_entry_says_until_when_its_change_may_be_sent() {
    use onsdesk::sandbox::SeedInstance;
    let sb = Sandbox::start(SandboxConfig {
        seed: vec![SeedInstance::new("legacy-orders", "cn-hangzhou")],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let url = sb.url();
    let on = sb.instances()[0].id.clone();
    let home = Home::new();
    let runs: [(&[&str], i64); 3] = [
        (
            &[
                "create",
                "--name",
                "sends-until",
                "--timeout",
                "5",
                "--deadline",
                "100",
            ],
            105,
        ),
        (
            &[
                "topics",
                "create",
                &on,
                "orders",
                "--no-wait",
                "--timeout",
                "7",
            ],
            35,
        ),
        (&["groups", "create", &on, "GID_orders"], 150),
    ];
    for (args, window) in runs {
        let mut args = args.to_vec();
        args.extend(["--endpoint", &url]);
        let out = onsdesk(&home, &args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let log = std::fs::read_to_string(home.data().join("history.jsonl")).unwrap();
        let put: Value = log
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| v.get("put").cloned())
            .next_back()
            .unwrap();
        let time = |key: &str| {
            time::OffsetDateTime::parse(
                put[key].as_str().unwrap(),
                &time::format_description::well_known::Rfc3339,
            )
            .unwrap()
        };
        assert_eq!(
            time("sends_until") - time("at"),
            time::Duration::seconds(window),
            "{args:?}: {put}"
        );
    }
}
