//! `onsdesk topics …`, `onsdesk groups …` and `onsdesk connect` as a process against the
//! sandbox (the CLI contract scripts rely on): what is printed, the exit code, what the sandbox
//! received and what it holds. Also `instances delete` of an instance that still holds topics
//! and groups: the commands it prints are run as printed.

use std::process::Command;
use std::time::{Duration, Instant};

use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig, SeedGroup, SeedInstance, SeedTopic};
use serde_json::Value;

use crate::common::{self, Home};

const TOPIC_CREATE: &str = "OnsTopicCreate";
const TOPIC_DELETE: &str = "OnsTopicDelete";
const GROUP_CREATE: &str = "OnsGroupCreate";
const GROUP_DELETE: &str = "OnsGroupDelete";

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
}

/// `onsdesk ARGS --endpoint URL` with the sandbox's demo key and a home of its own.
fn onsdesk(home: &Home, url: &str, args: &[&str]) -> Ran {
    let mut cmd = home.cmd();
    cmd.args(args)
        .args(["--endpoint", url])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        );
    run(&mut cmd)
}

fn run(cmd: &mut Command) -> Ran {
    let out = cmd.output().unwrap();
    let ran = Ran {
        code: out.status.code(),
        stdout: common::text(&out.stdout),
        stderr: common::text(&out.stderr),
    };
    for text in [&ran.stdout, &ran.stderr] {
        assert!(!text.contains(sandbox::DEMO_ACCESS_KEY_SECRET), "{text}");
    }
    ran
}

fn seed(name: &str, topics: &[&str], groups: &[&str]) -> SeedInstance {
    SeedInstance {
        topics: topics.iter().map(|t| SeedTopic::named(*t)).collect(),
        groups: groups.iter().map(|g| SeedGroup::named(*g)).collect(),
        ..SeedInstance::new(name, "cn-hangzhou")
    }
}

async fn sandbox(seeds: Vec<SeedInstance>, faults: Faults) -> (Sandbox, String) {
    let sb = Sandbox::start(SandboxConfig {
        seed: seeds,
        faults,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let id = sb.instances()[0].id.clone();
    (sb, id)
}

fn topics_of(sb: &Sandbox, id: &str) -> Vec<String> {
    sb.topics(id).unwrap().into_iter().map(|t| t.name).collect()
}

fn groups_of(sb: &Sandbox, id: &str) -> Vec<String> {
    sb.groups(id).unwrap().into_iter().map(|g| g.id).collect()
}

fn rfc3339(v: &Value) {
    let s = v.as_str().unwrap_or_else(|| panic!("not a string: {v}"));
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{s}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_have_the_contract_fields_and_tables() {
    let mut legacy = seed("legacy-orders", &[], &[]);
    legacy.topics = vec![
        SeedTopic::named("orders"),
        SeedTopic {
            name: "payments".to_owned(),
            message_type: 4,
            remark: "payment results".to_owned(),
        },
    ];
    legacy.groups = vec![
        SeedGroup::named("GID_orders"),
        SeedGroup {
            id: "GID_web".to_owned(),
            group_type: sandbox::GroupType::Http,
            remark: "browsers".to_owned(),
        },
    ];
    let (sb, id) = sandbox(vec![legacy, seed("empty", &[], &[])], Faults::default()).await;
    let home = Home::new();
    let url = sb.url();

    let ran = onsdesk(&home, &url, &["topics", "list", &id, "--json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let topics = ran.json();
    let topics = topics.as_array().unwrap();
    assert_eq!(topics.len(), 2);
    let payments = &topics[1];
    assert_eq!(payments["Topic"], "payments");
    assert_eq!(payments["MessageType"], 4);
    assert_eq!(payments["ServiceStatus"], 1);
    assert_eq!(payments["Remark"], "payment results");
    assert_eq!(payments["InstanceId"], id.as_str());
    rfc3339(&payments["CreateTime"]);

    let ran = onsdesk(&home, &url, &["groups", "list", &id, "--json"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let groups = ran.json();
    let web = &groups.as_array().unwrap()[1];
    assert_eq!(web["GroupId"], "GID_web");
    assert_eq!(web["GroupType"], "http");
    assert_eq!(web["Remark"], "browsers");
    assert_eq!(web["InstanceId"], id.as_str());
    rfc3339(&web["CreateTime"]);

    let ran = onsdesk(&home, &url, &["topics", "list", &id]);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", ran.stdout);
    for col in ["TOPIC", "TYPE", "STATUS", "REMARK", "CREATED"] {
        assert!(lines[0].contains(col), "{}", lines[0]);
    }
    assert!(lines[2].starts_with("payments"), "{}", lines[2]);
    assert!(
        lines[2].contains("transactional") && lines[2].contains("in service"),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains("payment results"), "{}", lines[2]);
    let ran = onsdesk(&home, &url, &["groups", "list", &id]);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert!(lines[0].starts_with("GROUP ID") && lines[0].contains("TYPE"));
    assert!(lines[2].starts_with("GID_web") && lines[2].contains("http"));

    let empty = &sb.instances()[1].id;
    let ran = onsdesk(&home, &url, &["topics", "list", empty]);
    assert_eq!(ran.stdout.trim(), format!("No topics in {empty}."));
    let ran = onsdesk(&home, &url, &["groups", "list", empty, "--json"]);
    assert_eq!(ran.json(), Value::Array(vec![]));

    let ran = onsdesk(&home, &url, &["topics", "list", "MQ_INST_0_nope"]);
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("there is no instance MQ_INST_0_nope in cn-hangzhou"),
        "{}",
        ran.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_and_gid_orders_are_created_beside_names_that_contain_them() {
    let (sb, id) = sandbox(
        vec![seed("legacy", &["orders-v2"], &["GID_orders-v2"])],
        Faults::default(),
    )
    .await;
    let home = Home::new();
    let url = sb.url();
    let ran = onsdesk(&home, &url, &["topics", "create", &id, "orders"]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "orders\n");
    let ran = onsdesk(
        &home,
        &url,
        &[
            "groups",
            "create",
            &id,
            "GID_orders",
            "--remark",
            "order service",
            "--json",
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "created");
    assert_eq!(v["GroupId"], "GID_orders");
    assert_eq!(v["GroupType"], "tcp");
    assert_eq!(v["Attempts"], 1);
    assert!(v["RequestId"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(
        v["Terraform"].as_str().unwrap().contains(&format!(
            "# terraform import alicloud_ons_group.gid_orders {id}:GID_orders"
        )),
        "{v}"
    );
    assert_eq!(
        v["AliyunCli"],
        format!(
            "aliyun ons OnsGroupCreate --region cn-hangzhou --InstanceId {id} --GroupId \
             GID_orders --GroupType tcp --Remark 'order service'"
        )
    );
    assert!(!ran.stderr.contains("warning"), "{}", ran.stderr);
    assert_eq!(topics_of(&sb, &id), ["orders-v2", "orders"]);
    assert_eq!(groups_of(&sb, &id), ["GID_orders-v2", "GID_orders"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_waits_until_the_topic_is_in_service() {
    let (sb, id) = sandbox(vec![seed("slow", &[], &[])], Faults::default()).await;
    sb.set_topic_ready(Duration::from_millis(1_800));
    let home = Home::new();
    let url = sb.url();
    let ran = onsdesk(
        &home,
        &url,
        &[
            "topics", "create", &id, "orders", "--type", "delay", "--remark", "later", "--json",
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "created");
    assert_eq!(v["Topic"], "orders");
    assert_eq!(v["MessageType"], 5);
    assert_eq!(v["ServiceStatus"], 1, "in service when it returned");
    assert_eq!(v["Attempts"], 1);
    assert!(
        v["Terraform"]
            .as_str()
            .unwrap()
            .contains("message_type = 5"),
        "{v}"
    );
    assert!(
        v["AliyunCli"]
            .as_str()
            .unwrap()
            .ends_with("--Topic orders --MessageType 5 --Remark later"),
        "{v}"
    );
    assert!(
        ran.stderr.contains("waiting up to 30 s for orders"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("orders is still being created; checking again in 1.5 s"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("orders is in service"),
        "{}",
        ran.stderr
    );
    assert_eq!(sb.topic_in_service(&id, "orders"), Some(true));
    let stored = &sb.topics(&id).unwrap()[0];
    assert_eq!((stored.message_type, stored.remark.as_str()), (5, "later"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_wait_returns_at_once_and_the_bound_leaves_it_creating() {
    let (sb, id) = sandbox(vec![seed("slower", &[], &[])], Faults::default()).await;
    sb.set_topic_ready(Duration::from_mins(10));
    let home = Home::new();
    let url = sb.url();
    let started = Instant::now();
    let ran = onsdesk(
        &home,
        &url,
        &["topics", "create", &id, "quick", "--no-wait", "--json"],
    );
    // not the 30 s a wait could take (the topic would take 10 minutes)
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "created");
    assert_eq!(v["ServiceStatus"], Value::Null, "not read: --no-wait");
    assert!(!ran.stderr.contains("waiting"), "{}", ran.stderr);
    assert_eq!(
        (
            sb.action_count("OnsTopicList"),
            sb.action_count("OnsGroupList")
        ),
        (1, 1),
        "only the look at the names before"
    );

    // Still being created when --timeout is up: it exists, exit 0, ServiceStatus 0.
    let ran = onsdesk(
        &home,
        &url,
        &[
            "topics",
            "create",
            &id,
            "patient",
            "--timeout",
            "1.5",
            "--json",
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.json()["ServiceStatus"], 0);
    assert!(
        ran.stderr
            .contains("patient exists but was still being created when the wait ended"),
        "{}",
        ran.stderr
    );
    let ran = onsdesk(
        &home,
        &url,
        &["topics", "create", &id, "plain", "--timeout", "1.5"],
    );
    assert_eq!(ran.code, Some(0));
    assert_eq!(ran.stdout, "plain\n", "the name, as for a topic in service");

    // A --deadline shorter than --timeout bounds the wait, and what is said of it: no "up to
    // 30 s", and every "checking again" said is a check made.
    let lists_before = sb.action_count("OnsTopicList");
    let ran = onsdesk(
        &home,
        &url,
        &[
            "topics",
            "create",
            &id,
            "bounded",
            "--timeout",
            "30",
            "--deadline",
            "3",
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let waited: f64 = ran
        .stderr
        .split("waiting up to ")
        .nth(1)
        .and_then(|rest| rest.split(" s for bounded").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", ran.stderr));
    assert!(waited <= 3.0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("when the wait ended (after at most"),
        "{}",
        ran.stderr
    );
    let promised = ran.stderr.matches("checking again in").count() as u64;
    // the look at the name before the create, the first check, and each one promised
    assert_eq!(
        sb.action_count("OnsTopicList") - lists_before,
        2 + promised,
        "{}",
        ran.stderr
    );
    assert_eq!(
        topics_of(&sb, &id),
        ["quick", "patient", "plain", "bounded"]
    );
}

/// A 503 (nothing done), a look that finds nothing, then a second request whose reply is lost
/// but whose work a look finds: the words count the two requests sent, as the server did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_settled_by_a_look_after_two_attempts_says_two_were_sent() {
    for action in [TOPIC_CREATE, GROUP_CREATE, TOPIC_DELETE, GROUP_DELETE] {
        let (sb, id) = sandbox(
            vec![seed("lossy", &["gone-soon"], &["GID_gone-soon"])],
            Faults {
                unavailable_replies: [(action.to_owned(), 1)].into(),
                drop_replies: [(action.to_owned(), 1)].into(),
                ..Faults::default()
            },
        )
        .await;
        let home = Home::new();
        let url = sb.url();
        let (kind, new, old) = match action {
            TOPIC_CREATE | TOPIC_DELETE => ("topics", "orders", "gone-soon"),
            _ => ("groups", "GID_orders", "GID_gone-soon"),
        };
        let args = if action.ends_with("Create") {
            vec![kind, "create", &id, new, "--json"]
        } else {
            vec![kind, "delete", &id, old, "--confirm", old, "--json"]
        };
        let ran = onsdesk(&home, &url, &args);
        assert_eq!(ran.code, Some(0), "{action}: {}", ran.stderr);
        let v = ran.json();
        assert_eq!(sb.action_count(action), 2, "{action}: two sent");
        assert_eq!(v["Attempts"], 2, "{action}");
        assert_eq!(
            v["RequestId"],
            Value::Null,
            "{action}: the last reply was lost"
        );
        let (outcome, words) = if action.ends_with("Create") {
            let what = if kind == "topics" { "topic" } else { "group" };
            (
                "created",
                format!("2 creates were sent; a name holds one {what}"),
            )
        } else {
            ("deleted", "2 deletes were sent".to_owned())
        };
        assert_eq!(v["Outcome"], outcome, "{action}");
        assert!(ran.stderr.contains(&words), "{action}: {}", ran.stderr);
        let (topics, groups) = (topics_of(&sb, &id), groups_of(&sb, &id));
        match action {
            TOPIC_CREATE => assert_eq!(topics, ["gone-soon", "orders"]),
            GROUP_CREATE => assert_eq!(groups, ["GID_gone-soon", "GID_orders"]),
            TOPIC_DELETE => assert!(topics.is_empty(), "{topics:?}"),
            _ => assert!(groups.is_empty(), "{groups:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_lost_reply_sends_exactly_one_create_or_delete() {
    for action in [TOPIC_CREATE, GROUP_CREATE, TOPIC_DELETE, GROUP_DELETE] {
        let (sb, id) = sandbox(
            vec![seed(
                "lossy",
                &["orders-v2", "gone-soon"],
                &["GID_orders-v2", "GID_gone-soon"],
            )],
            Faults {
                drop_replies: [(action.to_owned(), 1)].into(),
                ..Faults::default()
            },
        )
        .await;
        let home = Home::new();
        let url = sb.url();
        let args: Vec<&str> = match action {
            TOPIC_CREATE => vec!["topics", "create", &id, "orders", "--json"],
            GROUP_CREATE => vec!["groups", "create", &id, "GID_orders", "--json"],
            TOPIC_DELETE => vec![
                "topics",
                "delete",
                &id,
                "gone-soon",
                "--confirm",
                "gone-soon",
                "--json",
            ],
            _ => vec![
                "groups",
                "delete",
                &id,
                "GID_gone-soon",
                "--confirm",
                "GID_gone-soon",
                "--json",
            ],
        };
        let ran = onsdesk(&home, &url, &args);
        assert_eq!(ran.code, Some(0), "{action}: {}", ran.stderr);
        let v = ran.json();
        assert_eq!(sb.action_count(action), 1, "{action}: exactly one sent");
        assert_eq!(v["RequestId"], Value::Null, "{action}: the reply was lost");
        assert_eq!(v["Attempts"], 1, "{action}");
        if action.ends_with("Create") {
            assert_eq!(v["Outcome"], "created", "{action}");
            assert!(
                ran.stderr.contains("the reply was lost, but") && ran.stderr.contains("created"),
                "{action}: {}",
                ran.stderr
            );
        } else {
            assert_eq!(v["Outcome"], "deleted", "{action}");
            assert!(
                ran.stderr.contains("no second delete was needed"),
                "{action}: {}",
                ran.stderr
            );
        }
        let (topics, groups) = (topics_of(&sb, &id), groups_of(&sb, &id));
        match action {
            TOPIC_CREATE => assert_eq!(topics, ["orders-v2", "gone-soon", "orders"]),
            GROUP_CREATE => assert_eq!(groups, ["GID_orders-v2", "GID_gone-soon", "GID_orders"]),
            TOPIC_DELETE => assert_eq!(topics, ["orders-v2"]),
            _ => assert_eq!(groups, ["GID_orders-v2"]),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_argument_sends_nothing() {
    let (sb, id) = sandbox(
        vec![seed("guarded", &["orders"], &["GID_orders"])],
        Faults::default(),
    )
    .await;
    let home = Home::new();
    let url = sb.url();
    let long_topic_remark = "r".repeat(129);
    let long_group_remark = "r".repeat(257);
    // Refused before any call: the arguments alone say no.
    let no_call: Vec<(Vec<&str>, &str)> = vec![
        (vec!["topics", "create", &id, "ab"], "needs at least 3"),
        (
            vec!["topics", "create", &id, "GID_x"],
            "cannot start with 'GID'",
        ),
        (vec!["topics", "create", &id, "or ders"], "Character 3"),
        (
            vec!["topics", "create", &id, "orders2", "--type", "fifo"],
            "fifo",
        ),
        (
            vec![
                "topics",
                "create",
                &id,
                "orders2",
                "--remark",
                &long_topic_remark,
            ],
            "at most 128",
        ),
        (vec!["groups", "create", &id, "g"], "at least 2"),
        (vec!["groups", "create", &id, "GID_a.b"], "Character 6"),
        (
            vec!["groups", "create", &id, "GID_x", "--type", "TCP"],
            "TCP",
        ),
        (
            vec![
                "groups",
                "create",
                &id,
                "GID_x",
                "--remark",
                &long_group_remark,
            ],
            "at most 256",
        ),
        (
            vec!["topics", "delete", &id, "orders", "--confirm", "Orders"],
            "does not match the topic orders",
        ),
        (
            vec![
                "groups",
                "delete",
                &id,
                "GID_orders",
                "--confirm",
                "GID_order",
            ],
            "does not match the group GID_orders",
        ),
        (
            vec!["topics", "delete", &id, "a b", "--confirm", "a b"],
            "not a valid Topic",
        ),
        (
            vec!["topics", "list", "MQ_INST_1\u{1b}[2J"],
            "not a valid InstanceId",
        ),
    ];
    for (args, says) in &no_call {
        let ran = onsdesk(&home, &url, args);
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains(says), "{args:?}: {}", ran.stderr);
        assert!(!ran.stderr.contains('\u{1b}'), "{args:?}");
    }
    assert_eq!(sb.requests_seen(), 0, "no request at all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_present_or_a_delete_of_what_is_absent_sends_no_change() {
    let (sb, id) = sandbox(
        vec![seed("guarded", &["orders"], &["GID_orders"])],
        Faults::default(),
    )
    .await;
    let home = Home::new();
    let url = sb.url();
    // Refused after looking: the name is there already, or what is deleted is not.
    let after_look: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["topics", "create", &id, "orders"],
            "orders already exists in",
        ),
        (
            vec!["groups", "create", &id, "orders"],
            "as a topic (normal, in service) (topics and groups share one namespace)",
        ),
        (
            vec!["groups", "create", &id, "GID_orders"],
            "as a group (tcp): nothing was sent",
        ),
        (
            vec![
                "topics",
                "delete",
                &id,
                "orders-v2",
                "--confirm",
                "orders-v2",
            ],
            "there is no topic orders-v2 in",
        ),
        (
            vec![
                "groups",
                "delete",
                &id,
                "GID_order",
                "--confirm",
                "GID_order",
            ],
            "there is no group GID_order in",
        ),
    ];
    for (args, says) in &after_look {
        let ran = onsdesk(&home, &url, args);
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains(says), "{args:?}: {}", ran.stderr);
    }
    for action in [TOPIC_CREATE, GROUP_CREATE, TOPIC_DELETE, GROUP_DELETE] {
        assert_eq!(sb.action_count(action), 0, "no {action} was sent");
    }
    assert_eq!(topics_of(&sb, &id), ["orders"]);
    assert_eq!(groups_of(&sb, &id), ["GID_orders"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_refusals_exit_3_and_say_what_to_do() {
    let (sb, id) = sandbox(vec![seed("full", &[], &["GID_only"])], Faults::default()).await;
    sb.set_group_limit(1);
    let home = Home::new();
    let url = sb.url();
    let ran = onsdesk(
        &home,
        &url,
        &["groups", "create", &id, "GID_more", "--json"],
    );
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "not_created");
    assert_eq!(v["error"]["Code"], "Group.NumLimited");
    assert!(
        ran.stderr
            .contains("Group.NumLimited: group count exceed limit"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains(&format!("{id} holds as many groups as it may")),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("nothing was created"));
    assert_eq!(sb.action_count(GROUP_CREATE), 1, "refused, not sent again");

    let ran = onsdesk(
        &home,
        &url,
        &["topics", "create", "MQ_INST_0_nope", "orders"],
    );
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("there is no instance MQ_INST_0_nope"),
        "{}",
        ran.stderr
    );
    assert_eq!(sb.action_count(TOPIC_CREATE), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_without_the_prefix_is_created_with_a_warning() {
    let (sb, id) = sandbox(vec![seed("plain", &[], &[])], Faults::default()).await;
    let home = Home::new();
    let ran = onsdesk(
        &home,
        &sb.url(),
        &["groups", "create", &id, "orders-consumers"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert_eq!(ran.stdout, "orders-consumers\n");
    assert!(
        ran.stderr
            .contains("warning: Group IDs usually start with 'GID_' or 'GID-'")
            && ran.stderr.contains("consider 'GID_orders-consumers'"),
        "{}",
        ran.stderr
    );
    assert_eq!(groups_of(&sb, &id), ["orders-consumers"]);
}

/// A `java.util.Properties` file's keys and values, for the simple lines onsdesk writes
/// (comments skipped, `key=value`).
fn properties(text: &str) -> std::collections::HashMap<String, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .map(|l| {
            let (k, v) = l
                .split_once('=')
                .unwrap_or_else(|| panic!("not a pair: {l}"));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_prints_a_config_with_everything_but_the_secret() {
    let mut legacy = seed(
        "legacy",
        &["orders", "payments"],
        &["GID_orders", "GID_pay"],
    );
    legacy.groups.insert(
        0,
        SeedGroup {
            id: "GID_web".to_owned(),
            group_type: sandbox::GroupType::Http,
            remark: String::new(),
        },
    );
    let (sb, id) = sandbox(vec![legacy, seed("bare", &[], &[])], Faults::default()).await;
    let home = Home::new();
    let url = sb.url();
    let ran = onsdesk(&home, &url, &["instances", "show", &id, "--json"]);
    let endpoints = ran.json()["Endpoints"].clone();
    let vpc = endpoints["TcpEndpoint"].as_str().unwrap().to_owned();
    let internet = endpoints["TcpInternetEndpoint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(vpc.starts_with("http://") && internet.starts_with("http://"));

    // The defaults: the first topic and the first tcp group (not the http one).
    let ran = onsdesk(&home, &url, &["connect", &id]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let p = properties(&ran.stdout);
    assert_eq!(p["NAMESRV_ADDR"], vpc, "the endpoint, http:// kept");
    assert_eq!(p["AccessKey"], sandbox::DEMO_ACCESS_KEY_ID);
    assert_eq!(p["SecretKey"], "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}");
    assert_eq!(p["GROUP_ID"], "GID_orders");
    assert_eq!(p["TOPIC"], "orders");
    assert!(
        ran.stderr.contains("topic: orders, the first of"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("group: GID_orders, the first tcp group")
    );

    // Named ones, the internet endpoint, as Spring XML: parsed by a strict XML parser.
    let ran = onsdesk(
        &home,
        &url,
        &[
            "connect",
            &id,
            "--topic",
            "payments",
            "--group",
            "GID_pay",
            "--internet",
            "--format",
            "spring-xml",
        ],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let doc = roxmltree::Document::parse(&ran.stdout).unwrap();
    let props: std::collections::HashMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("prop"))
        .map(|n| (n.attribute("key").unwrap(), n.text().unwrap_or_default()))
        .collect();
    assert_eq!(props["NAMESRV_ADDR"], internet);
    assert_eq!(props["AccessKey"], sandbox::DEMO_ACCESS_KEY_ID);
    assert_eq!(props["GROUP_ID"], "GID_pay");
    assert_eq!(props["SecretKey"], "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}");
    assert!(
        doc.descendants()
            .any(|n| n.attribute("name") == Some("topic")
                && n.attribute("value") == Some("payments"))
    );

    // The Java and Go clients name every value.
    for format in ["rocketmq-java", "go"] {
        let ran = onsdesk(&home, &url, &["connect", &id, "--format", format, "--json"]);
        assert_eq!(ran.code, Some(0), "{}", ran.stderr);
        let v = ran.json();
        assert_eq!(v["Format"], format);
        assert_eq!(v["Network"], "vpc");
        assert_eq!(v["Endpoint"], vpc.as_str());
        assert_eq!(v["Topic"], "orders");
        assert_eq!(v["GroupId"], "GID_orders");
        assert_eq!(v["AccessKeyId"], sandbox::DEMO_ACCESS_KEY_ID);
        let config = v["Config"].as_str().unwrap();
        for value in [
            format!("\"{vpc}\""),
            format!("\"{}\"", sandbox::DEMO_ACCESS_KEY_ID),
            "\"orders\"".to_owned(),
            "\"GID_orders\"".to_owned(),
            format!("\"{id}\""),
            "\"ALIBABA_CLOUD_ACCESS_KEY_SECRET\"".to_owned(),
        ] {
            assert!(config.contains(&value), "{format}: {value} in\n{config}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_uses_placeholders_or_refuses_what_is_not_there() {
    let mut legacy = seed(
        "legacy",
        &["orders", "payments"],
        &["GID_orders", "GID_pay"],
    );
    legacy.groups.insert(
        0,
        SeedGroup {
            id: "GID_web".to_owned(),
            group_type: sandbox::GroupType::Http,
            remark: String::new(),
        },
    );
    let (sb, id) = sandbox(vec![legacy, seed("bare", &[], &[])], Faults::default()).await;
    let home = Home::new();
    let url = sb.url();
    // No topics or groups: placeholders, said on stderr.
    let bare = &sb.instances()[1].id;
    let ran = onsdesk(&home, &url, &["connect", bare]);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let p = properties(&ran.stdout);
    assert_eq!(p["TOPIC"], "REPLACE_WITH_TOPIC");
    assert_eq!(p["GROUP_ID"], "REPLACE_WITH_GROUP_ID");
    assert!(
        ran.stderr
            .contains("has no topic to name: the config holds REPLACE_WITH_TOPIC"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("has no tcp group to name"));

    // Named ones that are not there, or an http group: refused, saying what exists.
    let refusals: [(&[&str], &str); 3] = [
        (&["--topic", "refunds"], "there is no topic refunds in"),
        (
            &["--group", "GID_nope"],
            "its groups: GID_web, GID_orders, GID_pay",
        ),
        (
            &["--group", "GID_web"],
            "GID_web is a group of type http: a TCP client needs a tcp group",
        ),
    ];
    for (extra, says) in refusals {
        let mut args = vec!["connect", id.as_str()];
        args.extend_from_slice(extra);
        let ran = onsdesk(&home, &url, &args);
        assert_eq!(ran.code, Some(2), "{extra:?}: {}", ran.stderr);
        assert!(ran.stderr.contains(says), "{extra:?}: {}", ran.stderr);
        assert!(ran.stdout.is_empty(), "no config: {}", ran.stdout);
    }
    let ran = onsdesk(&home, &url, &["connect", &id, "--topic", "refunds"]);
    assert!(
        ran.stderr.contains("its topics: orders, payments"),
        "{}",
        ran.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_busy_instance_prints_the_commands_that_empty_it() {
    let (sb, id) = sandbox(
        vec![seed("busy", &["orders", "payments"], &["GID_orders"])],
        Faults::default(),
    )
    .await;
    let home = Home::new();
    let url = sb.url();
    let ran = onsdesk(
        &home,
        &url,
        &["instances", "delete", &id, "--confirm", "busy", "--json"],
    );
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    let v = ran.json();
    assert_eq!(v["Outcome"], "not_deleted");
    assert_eq!(
        v["Remaining"],
        serde_json::json!({ "Topics": ["orders", "payments"], "Groups": ["GID_orders"] })
    );
    assert!(
        ran.stderr
            .contains("busy still has 2 topics and 1 group: delete them first"),
        "{}",
        ran.stderr
    );
    let commands: Vec<&str> = ran
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("  onsdesk "))
        .collect();
    assert_eq!(
        commands,
        [
            format!(
                "topics delete {id} orders --confirm orders --region cn-hangzhou --endpoint {url}"
            ),
            format!(
                "topics delete {id} payments --confirm payments --region cn-hangzhou --endpoint {url}"
            ),
            format!(
                "groups delete {id} GID_orders --confirm GID_orders --region cn-hangzhou --endpoint {url}"
            ),
        ]
    );
    // The commands work as printed; then the instance goes.
    for line in commands {
        let mut cmd = home.cmd();
        cmd.args(line.split(' '))
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
            .env(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                sandbox::DEMO_ACCESS_KEY_SECRET,
            );
        let done = run(&mut cmd);
        assert_eq!(done.code, Some(0), "{line}: {}", done.stderr);
        assert!(done.stdout.contains(": deleted from"), "{}", done.stdout);
    }
    let ran = onsdesk(
        &home,
        &url,
        &["instances", "delete", &id, "--confirm", "busy"],
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(sb.instances().is_empty());
}
