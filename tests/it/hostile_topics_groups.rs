//! The topic, group and connect commands against a hostile endpoint: every listed name
//! checked where the reply is read (an invalid one left out and counted), every value printed
//! through the one filter, a lost create that cannot be looked at reported as unknown, and an
//! endpoint that cannot go into a config refused. Each test runs the real binary against a stub
//! on 127.0.0.1 and asserts what the user sees and what the stub received.

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};

use crate::common::{Home, text};
use crate::hostile::{REQUEST_ID, Received, Stub, http, onsdesk, run};

const ID: &str = "MQ_INST_1880770869020000_BXSuW61e";

/// Names a hostile endpoint might list: a newline, escape sequences, HCL, a shell command,
/// 5,000 characters, nothing, a dot, and a well-formed name of another instance.
fn evil_names() -> Vec<(String, Option<&'static str>)> {
    vec![
        ("orders\nresource \"x\" {}".to_owned(), None),
        ("orders\u{1b}[2J\u{1b}]0;pwned\u{7}".to_owned(), None),
        ("x\"}\nresource \"null_resource\" \"x\" {".to_owned(), None),
        ("; rm -rf ~".to_owned(), None),
        ("A".repeat(5_000), None),
        (String::new(), None),
        ("orders.v2".to_owned(), None),
        ("someone-elses".to_owned(), Some("MQ_INST_9_other")),
    ]
}

fn ok(body: &Value) -> String {
    http("200 OK", "", &body.to_string())
}

/// A topic list holding `orders` (with a hostile remark) and every evil name.
fn topic_list() -> Value {
    let mut entries = vec![json!({
        "Topic": "orders", "MessageType": 0, "ServiceStatus": 1, "InstanceId": ID,
        "Remark": "evil\u{1b}[31m\u{202e}remark", "CreateTime": 1_764_400_000_000_i64,
    })];
    for (name, instance) in evil_names() {
        entries
            .push(json!({ "Topic": name, "MessageType": 0, "InstanceId": instance.unwrap_or(ID) }));
    }
    json!({ "RequestId": REQUEST_ID, "Data": { "PublishInfoDo": entries } })
}

/// A group list holding `GID_orders` (of a hostile type) and every evil name.
fn group_list() -> Value {
    let mut entries = vec![json!({
        "GroupId": "GID_orders", "GroupType": "mqtt\u{1b}[2J", "InstanceId": ID, "Remark": "r",
    })];
    for (name, instance) in evil_names() {
        entries.push(
            json!({ "GroupId": name, "GroupType": "tcp", "InstanceId": instance.unwrap_or(ID) }),
        );
    }
    json!({ "RequestId": REQUEST_ID, "Data": { "SubscribeInfoDo": entries } })
}

/// A topic and group list that lists nothing (either family reads its own key).
fn no_topics_or_groups() -> Value {
    json!({ "RequestId": REQUEST_ID, "Data": { "PublishInfoDo": [], "SubscribeInfoDo": [] } })
}

fn onsdesk_at(home: &Home, stub: &Stub, args: &[&str]) -> Output {
    let mut cmd = onsdesk(home, None);
    cmd.args(args).args(["--endpoint", &stub.url]);
    run(&mut cmd)
}

fn no_evil(out: &str) {
    for evil in [
        "\u{1b}",
        "\u{202e}",
        "rm -rf",
        "resource \"",
        "orders.v2",
        "someone-elses",
        &"A".repeat(100),
    ] {
        assert!(!out.contains(evil), "{evil:?} reached the terminal:\n{out}");
    }
}

#[test]
fn listed_names_that_are_not_names_are_left_out_and_counted() {
    let (topics, groups) = (topic_list(), group_list());
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsTopicList" => ok(&topics),
        _ => ok(&groups),
    });
    let home = Home::new();
    for (family, good) in [("topics", "orders"), ("groups", "GID_orders")] {
        for json in [false, true] {
            let mut args = vec![family, "list", ID];
            if json {
                args.push("--json");
            }
            let out = onsdesk_at(&home, &stub, &args);
            let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
            assert_eq!(out.status.code(), Some(0), "{stderr}");
            no_evil(&stdout);
            no_evil(&stderr);
            assert!(stdout.contains(good), "{stdout}");
            assert!(
                stderr.contains(&format!("8 {family} listed in {ID} left out")),
                "{stderr}"
            );
            if json {
                let rows: Vec<Value> = serde_json::from_str(stdout.trim()).unwrap();
                assert_eq!(rows.len(), 1, "{stdout}");
            } else {
                assert_eq!(stdout.lines().count(), 2, "a header and one row: {stdout}");
                // escaped, not dropped: the user sees that something odd was there
                let odd = if family == "topics" {
                    "evil\\u{1b}[31m\\u{202e}remark"
                } else {
                    "mqtt\\u{1b}[2J"
                };
                assert!(stdout.contains(odd), "{stdout}");
            }
        }
    }
}

#[test]
fn a_lost_create_reply_that_cannot_be_looked_at_is_unknown_and_sent_once() {
    let lists = Arc::new(AtomicU32::new(0));
    let stub = Stub::start(move |r: &Received| match r.action() {
        // the reply is lost: the connection closes without a word
        "OnsTopicCreate" => String::new(),
        // the look before the create reads both lists; every later list fails
        _ if lists.fetch_add(1, Ordering::SeqCst) < 2 => ok(&no_topics_or_groups()),
        _ => http(
            "503 Service Unavailable",
            "",
            &json!({ "RequestId": REQUEST_ID, "Code": "ServiceUnavailable", "Message": "busy" })
                .to_string(),
        ),
    });
    let home = Home::new();
    let out = onsdesk_at(
        &home,
        &stub,
        &["topics", "create", ID, "orders", "--timeout", "5", "--json"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Outcome"], "unknown");
    assert!(
        stderr.contains("the topic may or may not have been created"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("`onsdesk topics list {ID}` checks again")));
    let creates = stub
        .received()
        .iter()
        .filter(|r| r.action() == "OnsTopicCreate")
        .count();
    assert_eq!(creates, 1, "never sent again without knowing");
}

#[test]
fn a_list_with_entries_left_out_cannot_prove_a_name_free_and_says_so() {
    let (topics, groups) = (topic_list(), group_list());
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsTopicList" => ok(&topics),
        "OnsGroupList" => ok(&groups),
        _ => ok(&json!({ "RequestId": REQUEST_ID })),
    });
    let home = Home::new();
    let out = onsdesk_at(
        &home,
        &stub,
        &["topics", "create", ID, "refunds", "--no-wait"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("16 entries listed in")
            && stderr.contains("whether refunds is free cannot be told"),
        "{stderr}"
    );
    assert_eq!(text(&out.stdout), "refunds\n");
    no_evil(&stderr);
}

#[test]
fn connect_refuses_a_missing_or_hostile_endpoint() {
    let info = |endpoints: Value| {
        json!({
            "RequestId": REQUEST_ID,
            "InstanceBaseInfo": { "InstanceId": ID, "InstanceName": "x", "Endpoints": endpoints }
        })
    };
    let vpc_only = info(json!({ "TcpEndpoint": "http://mq.example.aliyuncs.com:8080" }));
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsInstanceBaseInfo" => ok(&vpc_only),
        "OnsTopicList" => ok(&topic_list()),
        _ => ok(&group_list()),
    });
    let home = Home::new();
    let out = onsdesk_at(&home, &stub, &["connect", ID, "--internet"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("has no internet TCP endpoint (TcpInternetEndpoint)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // The VPC one works, with the good names only.
    let out = onsdesk_at(&home, &stub, &["connect", ID]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("NAMESRV_ADDR=http://mq.example.aliyuncs.com:8080"));
    assert!(stdout.contains("TOPIC=orders"), "{stdout}");
    // GID_orders is listed with a type that is not tcp: no TCP client can use it
    assert!(
        stdout.contains("GROUP_ID=REPLACE_WITH_GROUP_ID"),
        "{stdout}"
    );
    no_evil(&stdout);
    assert!(
        text(&out.stderr).contains("temporary (STS)"),
        "the stub's key is an STS one"
    );

    let hostile = info(json!({ "TcpEndpoint": "http://evil.example.com:80\nAccessKey=stolen" }));
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsInstanceBaseInfo" => ok(&hostile),
        "OnsTopicList" => ok(&topic_list()),
        _ => ok(&group_list()),
    });
    let out = onsdesk_at(&home, &stub, &["connect", ID]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("cannot be used"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains("stolen"), "{stderr}");
}

/// Lists that cannot be read are said to be unread, not to be empty: the instance may well
/// have topics and groups, and the config's placeholders are for want of a list.
#[test]
fn connect_says_a_list_it_could_not_read_is_unread_not_empty() {
    let info = json!({
        "RequestId": REQUEST_ID,
        "InstanceBaseInfo": { "InstanceId": ID, "InstanceName": "x",
            "Endpoints": { "TcpEndpoint": "http://MQ_INST_xxx.mq-internet-access.mq-internet.aliyuncs.com:80" } }
    });
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsInstanceBaseInfo" => ok(&info),
        _ => http("502 Bad Gateway", "", "<html>bad gateway</html>"),
    });
    let home = Home::new();
    let out = onsdesk_at(&home, &stub, &["connect", ID]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    for family in ["topics", "groups"] {
        assert!(
            stderr.contains(&format!("the {family} of {ID} could not be listed")),
            "{stderr}"
        );
    }
    assert!(!stderr.contains("has no topic"), "{stderr}");
    assert!(!stderr.contains("has no tcp group"), "{stderr}");
}

/// A change answered with HTTP 200 and an error's body (a `Code` beside `Data`, a Message of
/// another type, or `"Success": false` alone) is not a success: the delete is settled by
/// looking (the topic is still listed: not deleted), the create likewise (not listed: not
/// created), and neither is recorded as done.
#[test]
fn a_change_answered_200_with_an_error_body_is_not_taken_for_done() {
    let failures = [
        json!({ "RequestId": REQUEST_ID, "Code": "InternalError", "Message": "delete failed",
                "Success": false, "Data": null }),
        json!({ "RequestId": REQUEST_ID, "Code": "InternalError", "Message": 500 }),
        json!({ "RequestId": REQUEST_ID, "Code": "Forbidden.RAM", "Message": "denied",
                "Recommend": { "url": "x" } }),
        json!({ "RequestId": REQUEST_ID, "Success": false, "Message": "failed" }),
    ];
    for failure in failures {
        let reply = failure.clone();
        let lists = json!({ "RequestId": REQUEST_ID, "Data": { "PublishInfoDo": [
            { "Topic": "orders", "MessageType": 0, "ServiceStatus": 1, "InstanceId": ID }
        ], "SubscribeInfoDo": [] } });
        let stub = Stub::start(move |r: &Received| match r.action() {
            "OnsTopicDelete" | "OnsTopicCreate" => ok(&reply),
            _ => ok(&lists),
        });
        let home = Home::new();
        let out = onsdesk_at(
            &home,
            &stub,
            &[
                "topics",
                "delete",
                ID,
                "orders",
                "--confirm",
                "orders",
                "--json",
            ],
        );
        let stderr = text(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{failure}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert_ne!(v["Outcome"], "deleted", "{failure}: {v} {stderr}");

        let out = onsdesk_at(
            &home,
            &stub,
            &["topics", "create", ID, "refunds", "--no-wait", "--json"],
        );
        let stderr = text(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{failure}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert_ne!(v["Outcome"], "created", "{failure}: {v} {stderr}");

        let out = run(onsdesk(&home, None).args(["history", "--include-sandbox", "--json"]));
        let history = text(&out.stdout);
        assert!(
            !history.contains("\"deleted\"") && !history.contains("\"created\""),
            "{failure}: {history}"
        );
    }
}

/// `connect --topic NAME` (or `--group`) against a list with entries left out: the one named
/// may be among them, so the list proves nothing; it says so (exit 4), not that there is no
/// such topic. A name the list holds is still found.
#[test]
fn connect_does_not_take_a_list_with_entries_left_out_for_proof_that_a_name_is_absent() {
    let info = json!({
        "RequestId": REQUEST_ID,
        "InstanceBaseInfo": { "InstanceId": ID, "InstanceName": "x",
            "Endpoints": { "TcpEndpoint": "http://mq.example.aliyuncs.com:8080" } }
    });
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsInstanceBaseInfo" => ok(&info),
        "OnsTopicList" => ok(&topic_list()),
        _ => ok(&group_list()),
    });
    let home = Home::new();
    for args in [["--topic", "someone-elses"], ["--group", "someone-elses"]] {
        let out = onsdesk_at(&home, &stub, &[&["connect", ID][..], &args[..]].concat());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "had entries that failed their checks, so it cannot show what is not there"
            ),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("there is no"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    let out = onsdesk_at(&home, &stub, &["connect", ID, "--topic", "orders"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("TOPIC=orders"));
}

/// A create whose reply is lost, a look that does not show the topic, and a second attempt
/// refused "the topic exists": the refusal may be the first attempt's doing, and the list
/// says otherwise, so the outcome is unknown (and so recorded, for a refresh to settle), not a
/// final "not created". A refusal every attempt would have had alike (no permission) ends it
/// as not created.
#[test]
fn a_refusal_that_an_earlier_lost_attempt_may_explain_is_unknown_not_final() {
    for (code, exit, outcome) in [
        ("BIZ_TOPIC_EXISTED", 4, "unknown"),
        ("Forbidden.RAM", 3, "not_created"),
    ] {
        let creates = Arc::new(AtomicU32::new(0));
        let seen = creates.clone();
        let stub = Stub::start(move |r: &Received| match r.action() {
            "OnsTopicCreate" if seen.fetch_add(1, Ordering::SeqCst) == 0 => String::new(),
            "OnsTopicCreate" => http(
                "400 Bad Request",
                "",
                &json!({ "RequestId": REQUEST_ID, "Code": code, "Message": "no" }).to_string(),
            ),
            _ => ok(&no_topics_or_groups()),
        });
        let home = Home::new();
        let out = onsdesk_at(
            &home,
            &stub,
            &["topics", "create", ID, "orders", "--timeout", "5", "--json"],
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(exit), "{code}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["Outcome"], outcome, "{code}: {v}");
        assert_eq!(creates.load(Ordering::SeqCst), 2, "{code}");
        let out = run(onsdesk(&home, None).args(["history", "--include-sandbox", "--json"]));
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(rows[0]["Outcome"], outcome, "{code}: {rows}");
    }
}

/// A create answered 429 by something in front of the service (no error body, or a code of
/// its own), which may have passed it on, is looked at before it is sent again, never resent
/// blind as after the service's own throttling code.
#[test]
fn a_create_answered_429_by_a_gateway_is_looked_at_before_it_is_sent_again() {
    for body in [
        String::new(),
        json!({ "RequestId": REQUEST_ID, "Code": "Gateway.Overloaded", "Message": "busy" })
            .to_string(),
    ] {
        let creates = Arc::new(AtomicU32::new(0));
        let seen = creates.clone();
        let reply = body.clone();
        let stub = Stub::start(move |r: &Received| match r.action() {
            "OnsTopicCreate" if seen.fetch_add(1, Ordering::SeqCst) == 0 => {
                http("429 Too Many Requests", "Retry-After: 1\r\n", &reply)
            }
            "OnsTopicCreate" => ok(&json!({ "RequestId": REQUEST_ID })),
            _ => ok(&no_topics_or_groups()),
        });
        let home = Home::new();
        let out = onsdesk_at(
            &home,
            &stub,
            &["topics", "create", ID, "orders", "--no-wait", "--json"],
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{body}: {stderr}");
        let actions: Vec<String> = stub
            .received()
            .iter()
            .map(|r| r.action().to_owned())
            .collect();
        let first = actions.iter().position(|a| a == "OnsTopicCreate").unwrap();
        let second = actions.iter().rposition(|a| a == "OnsTopicCreate").unwrap();
        assert!(second > first, "{body}: {actions:?}");
        assert!(
            actions[first + 1..second]
                .iter()
                .any(|a| a == "OnsTopicList"),
            "{body}: looked at between the two: {actions:?}"
        );
    }
}

/// Every attempt's reply lost, and every look after it finds nothing: the requests may still
/// take effect (a request can land long after it was sent), so the create is unknown, not
/// "not created", and is recorded so for a refresh to settle once none can land any more.
#[test]
fn creates_whose_replies_are_all_lost_are_unknown_even_when_no_look_finds_them() {
    let creates = Arc::new(AtomicU32::new(0));
    let seen = creates.clone();
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsTopicCreate" => {
            seen.fetch_add(1, Ordering::SeqCst);
            String::new()
        }
        _ => ok(&no_topics_or_groups()),
    });
    let home = Home::new();
    let out = onsdesk_at(
        &home,
        &stub,
        &["topics", "create", ID, "orders", "--timeout", "5", "--json"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Outcome"], "unknown", "{v} {stderr}");
    assert!(
        stderr
            .contains("does not list it, but a request whose reply was lost may still take effect")
            && !stderr.contains("could not be listed"),
        "{stderr}"
    );
    assert!(
        creates.load(Ordering::SeqCst) >= 2,
        "sent again after each look"
    );
    let out = run(onsdesk(&home, None).args(["history", "--include-sandbox", "--json"]));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["Outcome"], "unknown", "{rows}");
}

/// A create whose first reply is lost, and whose next attempt the service throttles for longer
/// than the deadline allows: the first may still land, so the create is unknown (and so
/// recorded), not "not created".
#[test]
fn a_throttle_after_a_lost_reply_leaves_the_create_unknown() {
    let creates = Arc::new(AtomicU32::new(0));
    let seen = creates.clone();
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsTopicCreate" if seen.fetch_add(1, Ordering::SeqCst) == 0 => String::new(),
        "OnsTopicCreate" => http(
            "429 Too Many Requests",
            "Retry-After: 3600\r\n",
            &json!({ "RequestId": REQUEST_ID, "Code": "Throttling.User", "Message": "slow" })
                .to_string(),
        ),
        _ => ok(&no_topics_or_groups()),
    });
    let home = Home::new();
    let out = onsdesk_at(
        &home,
        &stub,
        &[
            "topics",
            "create",
            ID,
            "orders",
            "--timeout",
            "5",
            "--deadline",
            "8",
            "--json",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Outcome"], "unknown", "{v} {stderr}");
    let out = run(onsdesk(&home, None).args(["history", "--include-sandbox", "--json"]));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["Outcome"], "unknown", "{rows}");
}
