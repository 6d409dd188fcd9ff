//! `onsdesk instances …` as a process against the sandbox (the CLI contract scripts rely on): what is
//! printed, the exit code, what the sandbox received and holds, and what the history shows.

use std::path::Path;
use std::process::{Command, Output};

use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig, SeedInstance};
use serde_json::Value;

use crate::common::{self, SandboxProcess};

const DELETE: &str = "OnsInstanceDelete";
const UPDATE: &str = "OnsInstanceUpdate";

/// `onsdesk ARGS` with the sandbox's demo key in the environment and its own data directory.
fn onsdesk(data: &Path, args: &[&str]) -> Output {
    Command::new(common::BIN)
        .args(args)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        )
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("ONSDESK_DATA_DIR", data)
        .env("HOME", data)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }

    fn assert_no_secret(&self) {
        for text in [&self.stdout, &self.stderr] {
            assert!(!text.contains(sandbox::DEMO_ACCESS_KEY_SECRET), "{text}");
        }
    }
}

fn run(data: &Path, url: &str, args: &[&str]) -> Ran {
    let mut all = vec!["instances"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--endpoint", url]);
    let out = onsdesk(data, &all);
    let ran = Ran {
        code: out.status.code(),
        stdout: common::text(&out.stdout),
        stderr: common::text(&out.stderr),
    };
    ran.assert_no_secret();
    ran
}

fn seed(name: &str, topics: u32, groups: u32, region: &str) -> SeedInstance {
    SeedInstance::parse(&format!("{name}:{topics}:{groups}:{region}")).unwrap()
}

async fn sandbox_with(seeds: Vec<SeedInstance>) -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: seeds,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// Creates `name` through `onsdesk create`, so the history knows it; returns its ID.
fn create(data: &Path, url: &str, name: &str) -> String {
    let out = onsdesk(
        data,
        &["create", "--endpoint", url, "--name", name, "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["InstanceId"].as_str().unwrap().to_owned()
}

fn history(data: &Path) -> Vec<Value> {
    let out = onsdesk(data, &["history", "--include-sandbox", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn id_of(sb: &Sandbox, name: &str) -> String {
    sb.instances()
        .into_iter()
        .find(|i| i.name == name)
        .map(|i| i.id)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_json_has_the_contract_fields_and_knows_what_onsdesk_made() {
    let sb = sandbox_with(vec![seed("legacy-orders", 3, 2, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let mine = create(data.path(), &url, "made-here");
    let ran = run(data.path(), &url, &["list", "--json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let list = ran.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let by_name = |n: &str| list.iter().find(|v| v["InstanceName"] == n).unwrap();
    let legacy = by_name("legacy-orders");
    assert_eq!(legacy["InstanceId"], id_of(&sb, "legacy-orders").as_str());
    assert_eq!(legacy["InstanceStatus"], 5);
    assert_eq!(legacy["InstanceType"], 1);
    assert_eq!(legacy["Region"], "cn-hangzhou");
    assert_eq!(legacy["TopicCount"], 3);
    assert_eq!(legacy["GroupCount"], 2);
    assert_eq!(legacy["InHistory"], false);
    let created = legacy["CreateTime"].as_str().unwrap();
    time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{created}: {e}"));
    let here = by_name("made-here");
    assert_eq!(here["InstanceId"], mine.as_str());
    assert_eq!(here["InHistory"], true);
    assert_eq!(here["TopicCount"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_prints_a_table() {
    let sb = sandbox_with(vec![seed("订单-旧实例", 4, 1, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let mine = create(data.path(), &url, "table-mine");
    let ran = run(data.path(), &url, &["list"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", ran.stdout);
    for col in [
        "NAME",
        "INSTANCE ID",
        "STATUS",
        "TOPICS",
        "GROUPS",
        "CREATED",
        "HISTORY",
    ] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    let legacy = lines.iter().find(|l| l.starts_with("订单-旧实例")).unwrap();
    assert!(legacy.contains("in service"), "{legacy}");
    let cells: Vec<&str> = legacy.split_whitespace().collect();
    assert!(cells.contains(&"4") && cells.contains(&"1"), "{legacy}");
    assert!(
        legacy.trim_end().ends_with('-'),
        "not in the history: {legacy}"
    );
    let mine_line = lines.iter().find(|l| l.starts_with("table-mine")).unwrap();
    assert!(mine_line.contains(&mine), "{mine_line}");
    assert!(mine_line.trim_end().ends_with("yes"), "{mine_line}");

    let empty = sandbox_with(vec![]).await;
    let ran = run(data.path(), &empty.url(), &["list"]);
    assert_eq!(ran.code, Some(0));
    assert_eq!(ran.stdout.trim(), "No instances in cn-hangzhou.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_regions_lists_every_region() {
    let sb = sandbox_with(vec![
        seed("hz-a", 0, 0, "cn-hangzhou"),
        seed("bj-a", 1, 1, "cn-beijing"),
        seed("sg-a", 0, 0, "ap-southeast-1"),
    ])
    .await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let ran = run(data.path(), &url, &["list", "--all-regions", "--json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    let mut got: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["Region"].as_str().unwrap().to_owned(),
                i["InstanceName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("ap-southeast-1".into(), "sg-a".into()),
            ("cn-beijing".into(), "bj-a".into()),
            ("cn-hangzhou".into(), "hz-a".into()),
        ]
    );
    assert_eq!(
        sb.action_count("OnsInstanceInServiceList"),
        u64::try_from(onsdesk::region::REGIONS.len()).unwrap(),
        "one list per region"
    );

    let ran = run(
        data.path(),
        &url,
        &["list", "--all-regions", "--region", "cn-beijing"],
    );
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr.contains("cannot be used together"),
        "{}",
        ran.stderr
    );
    let ran = onsdesk(
        data.path(),
        &[
            "instances",
            "list",
            "--all-regions",
            "--endpoint",
            "https://proxy.example.com/",
        ],
    );
    assert_eq!(ran.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_regions_says_which_regions_failed() {
    let sb = sandbox_with(vec![]).await;
    // Every request answers 503: no region can be listed.
    sb.set_faults(Faults {
        unavailable_first: 100_000,
        ..Faults::default()
    });
    let data = tempfile::tempdir().unwrap();
    let ran = run(data.path(), &sb.url(), &["list", "--all-regions", "--json"]);
    assert_eq!(ran.code, Some(4), "{}", ran.stderr);
    assert_eq!(ran.json(), Value::Array(Vec::new()));
    let n = onsdesk::region::REGIONS.len();
    assert!(
        ran.stderr.contains(&format!(
            "{n} of {n} regions could not be listed: cn-hangzhou, "
        )),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("cn-beijing could not be listed: ServiceUnavailable"),
        "{}",
        ran.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_prints_endpoints_remark_and_counts() {
    let sb = sandbox_with(vec![seed("shown", 2, 5, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = id_of(&sb, "shown");
    let ran = run(data.path(), &url, &["show", &id, "--json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["InstanceId"], id.as_str());
    assert_eq!(v["InstanceName"], "shown");
    assert_eq!(v["Remark"], "made outside onsdesk (seeded)");
    assert_eq!(v["TopicCount"], 2);
    assert_eq!(v["GroupCount"], 5);
    assert_eq!(v["InHistory"], false);
    assert!(
        v["Endpoints"]["TcpEndpoint"]
            .as_str()
            .unwrap()
            .contains("mq-internal.aliyuncs.com")
    );
    assert!(v["CreateTime"].as_str().unwrap().ends_with('Z'));

    let ran = run(data.path(), &url, &["show", &id]);
    assert_eq!(ran.code, Some(0));
    assert!(ran.stdout.contains("Remark"), "{}", ran.stdout);
    assert!(ran.stdout.contains("made outside onsdesk (seeded)"));
    assert!(ran.stdout.contains("TCP endpoint"));

    let ran = run(data.path(), &url, &["show", "MQ_INST_0_missing"]);
    assert_eq!(ran.code, Some(3), "the service refused: {}", ran.stderr);
    assert!(
        ran.stderr.contains("BIZ_INSTANCE_NOT_FOUND"),
        "{}",
        ran.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_name_is_refused_before_anything_is_sent() {
    let sb = sandbox_with(vec![seed("good-name", 0, 0, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let id = id_of(&sb, "good-name");
    let before = sb.requests_seen();
    for bad in ["ab", "has space", "订单，支付"] {
        let ran = run(data.path(), &sb.url(), &["update", &id, "--name", bad]);
        assert_eq!(ran.code, Some(2), "{bad}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("instance name refused"),
            "{}",
            ran.stderr
        );
    }
    let ran = run(data.path(), &sb.url(), &["update", &id]);
    assert_eq!(ran.code, Some(2));
    assert!(ran.stderr.contains("nothing to change"), "{}", ran.stderr);
    assert_eq!(sb.requests_seen(), before, "nothing was sent");
    assert_eq!(sb.instances()[0].name, "good-name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_is_applied_and_recorded_keeping_the_original_name() {
    let sb = sandbox_with(vec![]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = create(data.path(), &url, "orders-old");
    let ran = run(
        data.path(),
        &url,
        &["update", &id, "--name", "orders-new", "--json"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "updated");
    assert_eq!(v["InstanceName"], "orders-new");
    assert_eq!(v["Attempts"], 1);
    assert_eq!(v["HistoryIds"].as_array().unwrap().len(), 1);
    let stored = &sb.instances()[0];
    assert_eq!(
        (stored.name.as_str(), stored.remark.as_str()),
        ("orders-new", "")
    );
    assert_eq!(sb.action_count(UPDATE), 1);

    let ran = run(
        data.path(),
        &url,
        &["update", &id, "--remark", "now with a remark"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), format!("{id}: remark changed"));
    assert_eq!(sb.instances()[0].name, "orders-new", "the name stays");

    let h = history(data.path());
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["InstanceName"], "orders-old");
    assert_eq!(h[0]["RenamedTo"], "orders-new");
    assert_eq!(h[0]["RemarkNow"], "now with a remark");
    let table = onsdesk(data.path(), &["history", "--include-sandbox"]);
    assert!(
        common::text(&table.stdout).contains("orders-old → orders-new"),
        "{}",
        common::text(&table.stdout)
    );
    // Found by its new name.
    let found = onsdesk(
        data.path(),
        &[
            "history",
            "--include-sandbox",
            "--search",
            "ORDERS-NEW",
            "--json",
        ],
    );
    let found: Vec<Value> = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_name_is_a_service_refusal() {
    let sb = sandbox_with(vec![seed("taken", 0, 0, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = create(data.path(), &url, "wants-taken");
    let ran = run(
        data.path(),
        &url,
        &["update", &id, "--name", "taken", "--json"],
    );
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert_eq!(ran.json()["Outcome"], "not_updated");
    assert_eq!(ran.json()["error"]["Code"], "BIZ_INSTANCE_NAME_DUPLICATED");
    assert!(history(data.path())[0]["RenamedTo"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_needs_the_current_name_typed_out() {
    let sb = sandbox_with(vec![seed("keep-me", 0, 0, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = id_of(&sb, "keep-me");
    for wrong in ["keep-m", "KEEP-ME", "keep-me "] {
        let ran = run(data.path(), &url, &["delete", &id, "--confirm", wrong]);
        assert_eq!(ran.code, Some(2), "{wrong}: {}", ran.stderr);
        assert!(ran.stderr.contains("does not match"), "{}", ran.stderr);
    }
    let ran = run(
        data.path(),
        &url,
        &["delete", "MQ_INST_0_nope", "--confirm", "keep-me"],
    );
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr.contains("there is no instance"),
        "{}",
        ran.stderr
    );
    assert_eq!(sb.action_count(DELETE), 0, "no delete was sent");
    assert_eq!(sb.instances().len(), 1);
    // Without --confirm clap refuses (usage error, exit 2).
    let ran = run(data.path(), &url, &["delete", &id]);
    assert_eq!(ran.code, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_instance_with_topics_is_refused_with_what_to_do() {
    let sb = sandbox_with(vec![seed("busy", 3, 2, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = id_of(&sb, "busy");
    let ran = run(
        data.path(),
        &url,
        &["delete", &id, "--confirm", "busy", "--json"],
    );
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert_eq!(ran.json()["Outcome"], "not_deleted");
    assert!(
        ran.stderr
            .contains("busy still has 3 topics and 2 groups: delete them first"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("nothing was deleted"));
    assert_eq!(sb.action_count(DELETE), 1);
    assert_eq!(sb.instances().len(), 1, "still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_delete_reply_is_deleted_with_one_delete_and_recorded() {
    let sb = sandbox_with(vec![]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = create(data.path(), &url, "short-lived");
    sb.set_faults(Faults {
        drop_delete_replies: 1,
        ..Faults::default()
    });
    let ran = run(
        data.path(),
        &url,
        &["delete", &id, "--confirm", "short-lived", "--json"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "deleted");
    assert_eq!(v["InstanceId"], id.as_str());
    assert_eq!(v["Attempts"], 1);
    assert!(v["RequestId"].is_null(), "the reply was lost");
    assert!(
        ran.stderr.contains("no longer in cn-hangzhou: deleted"),
        "{}",
        ran.stderr
    );
    assert_eq!(sb.action_count(DELETE), 1, "exactly one delete was sent");
    assert!(sb.instances().is_empty());

    let h = history(data.path());
    assert_eq!(h[0]["InstanceId"], id.as_str());
    let deleted_at = h[0]["DeletedAt"].as_str().expect("marked deleted");
    time::OffsetDateTime::parse(deleted_at, &time::format_description::well_known::Rfc3339)
        .unwrap();
    let table = common::text(&onsdesk(data.path(), &["history", "--include-sandbox"]).stdout);
    assert!(table.contains("created · deleted"), "{table}");
}

/// A 503 (nothing done), a look that still lists it, then a second delete whose reply is lost:
/// the words count the two deletes the server received.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_settled_by_a_look_after_two_attempts_says_two_were_sent() {
    let sb = sandbox_with(vec![]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = create(data.path(), &url, "twice-asked");
    sb.set_faults(Faults {
        unavailable_replies: [(DELETE.to_owned(), 1)].into(),
        drop_delete_replies: 1,
        ..Faults::default()
    });
    let ran = run(
        data.path(),
        &url,
        &["delete", &id, "--confirm", "twice-asked", "--json"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "deleted");
    assert_eq!(v["Attempts"], 2);
    assert!(ran.stderr.contains("2 deletes were sent"), "{}", ran.stderr);
    assert_eq!(sb.action_count(DELETE), 2);
    assert!(sb.instances().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_delete_prints_the_id_and_reports_the_request() {
    let sb = sandbox_with(vec![]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = create(data.path(), &url, "plain-delete");
    let ran = run(
        data.path(),
        &url,
        &["delete", &id, "--confirm", "plain-delete"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), format!("{id}: deleted (plain-delete)"));
    assert!(sb.instances().is_empty());
}

#[test]
fn the_sandbox_flag_seeds_instances_and_the_drop_fault_switch_parses() {
    let data = tempfile::tempdir().unwrap();
    let sb = SandboxProcess::start(&[
        "--seed-instance",
        "legacy-orders:3:2",
        "--seed-instance",
        "billing:0:0:cn-beijing",
        "--fault-drop-delete",
        "1",
    ]);
    let ran = run(data.path(), &sb.url, &["list", "--json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["InstanceName"], "legacy-orders");
    assert_eq!(v[0]["TopicCount"], 3);
    assert_eq!(v[0]["GroupCount"], 2);
    let ran = run(
        data.path(),
        &sb.url,
        &["list", "--region", "cn-beijing", "--json"],
    );
    assert_eq!(ran.json()[0]["InstanceName"], "billing");
    // The dropped reply is settled by listing.
    let id = ran.json()[0]["InstanceId"].as_str().unwrap().to_owned();
    let ran = run(
        data.path(),
        &sb.url,
        &[
            "delete",
            &id,
            "--confirm",
            "billing",
            "--region",
            "cn-beijing",
            "--json",
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.json()["Outcome"], "deleted");
    assert!(ran.json()["RequestId"].is_null());

    for bad in [
        "a",
        "ok-name:x",
        "ok-name:1:1:mars-1",
        "ok-name:1:1:cn-beijing:extra",
    ] {
        let out = Command::new(common::BIN)
            .args(["sandbox", "--port", "0", "--seed-instance", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(common::text(&out.stderr).contains("--seed-instance"));
    }
}

#[test]
fn without_credentials_nothing_is_sent() {
    let home = common::Home::new();
    let out = home
        .cmd()
        .args(["instances", "list", "--endpoint", "http://127.0.0.1:9/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(common::text(&out.stderr).contains("no credentials"));
    assert_eq!(
        common::count_files(home.dir.path()),
        0,
        "nothing was written"
    );
}

/// A remark with a tab, a line break and 600 characters, whose update replies are all lost: the
/// look reads it back (kept printable and cut, as every reply's text is) and knows it for what
/// was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_update_of_a_remark_with_hidden_characters_is_known_as_applied() {
    let sb = sandbox_with(vec![]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = create(data.path(), &url, "remark-me");
    sb.set_faults(Faults {
        drop_replies: std::collections::BTreeMap::from([(UPDATE.to_owned(), 3)]),
        ..Faults::default()
    });
    let remark = format!("a\tb\nc {}", "x".repeat(600));
    let ran = run(
        data.path(),
        &url,
        &["update", &id, "--remark", &remark, "--json"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.json()["Outcome"], "updated", "{}", ran.stderr);
    assert_eq!(sb.instances()[0].remark, remark);
    // An update to given values may be sent again; the look after the last settles it.
    assert_eq!(sb.action_count(UPDATE), 3);
}

/// A slow endpoint (every reply 1.5 s) and `--deadline 2`: the look-up and the refused delete
/// take it all, so what the instance still holds is not asked after it (each list would wait
/// for its reply); the refusal is said all the same, and the command ends when the delete's
/// reply is in, not a timeout later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_asked_after_the_deadline_once_a_refused_delete_is_in() {
    let sb = sandbox_with(vec![seed("busy", 1, 1, "cn-hangzhou")]).await;
    let data = tempfile::tempdir().unwrap();
    let url = sb.url();
    let id = id_of(&sb, "busy");
    sb.set_faults(Faults {
        reply_delay: std::time::Duration::from_millis(1500),
        ..Faults::default()
    });
    let args = [
        "delete",
        &id,
        "--confirm",
        "busy",
        "--timeout",
        "20",
        "--deadline",
        "2",
    ];
    let ran = run(data.path(), &url, &args);
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert!(ran.stderr.contains("nothing was deleted"), "{}", ran.stderr);
    assert_eq!(sb.action_count(DELETE), 1);
    assert_eq!(
        sb.action_count("OnsTopicList") + sb.action_count("OnsGroupList"),
        0,
        "asked past the deadline: {}",
        ran.stderr
    );
}
