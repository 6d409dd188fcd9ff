//! The instance commands against a hostile endpoint: the checks `create` has reach `instances
//! list|show|update|delete` through the one gate (every reply checked where it is parsed), the
//! one printable filter (every value printed), the one duration parser and the one deadline.
//! Each test runs the real binary against a stub on 127.0.0.1 and asserts what the user sees
//! and what the stub received.

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{Home, text};
use crate::hostile::{REQUEST_ID, Received, Stub, http, onsdesk, run, run_within};

const GOOD_ID: &str = "MQ_INST_1880770869020000_BXSuW61e";

/// InstanceIds a hostile endpoint might list: a newline, an escape sequence, HCL, a shell
/// command, 5,000 characters, nothing.
fn evil_ids() -> Vec<String> {
    vec![
        "MQ_INST_1\nresource \"x\" {}".to_owned(),
        "MQ_INST_2\u{1b}[2J\u{1b}]0;pwned\u{7}".to_owned(),
        "MQ_INST_3\"}\nresource \"null_resource\" \"x\" {".to_owned(),
        "; rm -rf ~".to_owned(),
        "A".repeat(5_000),
        String::new(),
    ]
}

fn json_str(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// A list reply naming `GOOD_ID` and every evil ID.
fn evil_list() -> String {
    let mut entries = vec![format!(
        r#"{{"InstanceId":"{GOOD_ID}","InstanceName":"good-one","InstanceStatus":5,"InstanceType":1,"CreateTime":1764400000000}}"#
    )];
    for (i, id) in evil_ids().iter().enumerate() {
        entries.push(format!(
            r#"{{"InstanceId":{},"InstanceName":"evil-{i}","InstanceStatus":5}}"#,
            json_str(id)
        ));
    }
    format!(
        r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[{}]}}}}"#,
        entries.join(",")
    )
}

fn ok(body: &str) -> String {
    http("200 OK", "", body)
}

fn instances(home: &Home, stub: &Stub, args: &[&str]) -> Output {
    let mut cmd = onsdesk(home, None);
    cmd.args(["instances"])
        .args(args)
        .args(["--endpoint", &stub.url]);
    run(&mut cmd)
}

fn no_evil(out: &str) {
    for evil in ["\u{1b}", "rm -rf", "resource \"", &"A".repeat(100)] {
        assert!(!out.contains(evil), "{evil:?} reached the terminal:\n{out}");
    }
}

#[test]
fn a_listed_instance_with_an_invalid_id_is_left_out_and_counted() {
    let body = evil_list();
    let stub = Stub::start(move |_| ok(&body));
    let home = Home::new();
    for json in [false, true] {
        let args: &[&str] = if json { &["list", "--json"] } else { &["list"] };
        let out = instances(&home, &stub, args);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        no_evil(&stdout);
        no_evil(&stderr);
        assert!(
            stdout.contains(GOOD_ID) && stdout.contains("good-one"),
            "{stdout}"
        );
        assert!(!stdout.contains("evil-"), "{stdout}");
        assert!(
            stderr.contains("6 instances listed in cn-hangzhou left out"),
            "{stderr}"
        );
        if json {
            let rows: Vec<Value> = serde_json::from_str(stdout.trim()).unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0]["InstanceId"], GOOD_ID);
        }
    }
}

#[test]
fn show_refuses_a_base_info_about_another_instance_and_a_malformed_id_argument() {
    let other = "MQ_INST_9999999999999999_notAsked";
    let body = format!(
        r#"{{"RequestId":"{REQUEST_ID}","InstanceBaseInfo":{{"InstanceId":"{other}","InstanceName":"someone-else","Remark":"x"}}}}"#
    );
    let list = evil_list();
    let stub = Stub::start(move |r: &Received| {
        if r.action() == "OnsInstanceBaseInfo" {
            ok(&body)
        } else {
            ok(&list)
        }
    });
    let home = Home::new();
    let out = instances(&home, &stub, &["show", GOOD_ID]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains(&format!("describes {other}, not {GOOD_ID}")),
        "{stderr}"
    );
    assert!(!text(&out.stdout).contains("someone-else"));

    // An argument that is no InstanceId is a usage error: nothing is sent.
    let before = stub.received().len();
    for bad in ["MQ_INST_1\u{1b}[2J", "a b", "; rm -rf ~"] {
        let out = instances(&home, &stub, &["show", bad]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(!text(&out.stderr).contains('\u{1b}'));
    }
    assert_eq!(stub.received().len(), before, "nothing was sent");
}

/// A stub that holds one instance until it is deleted, and answers the delete (or update)
/// with `reply_body` — here a RequestId that is not one.
fn deleting_stub(reply_body: &'static str) -> Stub {
    let deleted = Arc::new(AtomicBool::new(false));
    Stub::start(move |r: &Received| match r.action() {
        "OnsInstanceDelete" => {
            deleted.store(true, Ordering::SeqCst);
            ok(reply_body)
        }
        "OnsInstanceUpdate" => ok(reply_body),
        _ if deleted.load(Ordering::SeqCst) => ok(&format!(
            r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[]}}}}"#
        )),
        "OnsInstanceBaseInfo" => ok(&format!(
            r#"{{"RequestId":"{REQUEST_ID}","InstanceBaseInfo":{{"InstanceId":"{GOOD_ID}","InstanceName":"renamed","Remark":""}}}}"#
        )),
        _ => ok(&format!(
            r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[{{"InstanceId":"{GOOD_ID}","InstanceName":"doomed","TopicCount":0,"GroupCount":0}}]}}}}"#
        )),
    })
}

#[test]
fn a_delete_reply_without_a_valid_request_id_is_settled_by_looking() {
    let stub = deleting_stub(r#"{"RequestId":"R-1\n\u001b[31mforged"}"#);
    let home = Home::new();
    let out = instances(
        &home,
        &stub,
        &["delete", GOOD_ID, "--confirm", "doomed", "--json"],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    no_evil(&stdout);
    no_evil(&stderr);
    let v: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["Outcome"], "deleted");
    assert!(v.get("RequestId").is_none(), "{v}");
    assert!(stderr.contains("not trusted"), "{stderr}");
    assert!(stderr.contains("no longer in"), "{stderr}");
    let deletes = stub
        .received()
        .iter()
        .filter(|r| r.action() == "OnsInstanceDelete")
        .count();
    assert_eq!(deletes, 1, "settled by looking, not by a second delete");
}

#[test]
fn an_update_reply_without_a_request_id_is_read_back() {
    let stub = deleting_stub(r#"{"Data":{}}"#);
    let home = Home::new();
    let out = instances(
        &home,
        &stub,
        &["update", GOOD_ID, "--name", "renamed", "--json"],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["Outcome"], "updated");
    assert!(v.get("RequestId").is_none(), "{v}");
    assert!(stderr.contains("the instance shows the change"), "{stderr}");
}

#[test]
fn invisible_and_line_breaking_characters_are_escaped_in_tables_and_json() {
    let invisible = [
        '\u{200B}',
        '\u{200E}',
        '\u{200F}',
        '\u{2060}',
        '\u{FEFF}',
        '\u{061C}',
        '\u{180E}',
        '\u{2028}',
        '\u{2029}',
        '\u{00AD}',
        '\u{E0041}',
        '\u{85}',
        '\u{9B}',
    ];
    let name: String = invisible.iter().fold(String::from("n"), |mut s, c| {
        s.push(*c);
        s.push('x');
        s
    });
    let body = format!(
        r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[{{"InstanceId":"{GOOD_ID}","InstanceName":{}}}]}}}}"#,
        json_str(&name)
    );
    let stub = Stub::start(move |_| ok(&body));
    let home = Home::new();
    for args in [&["list"][..], &["list", "--json"]] {
        let out = instances(&home, &stub, args);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        for c in invisible {
            assert!(
                !stdout.contains(c),
                "{c:?} reached the terminal: {stdout:?}"
            );
        }
        if args.len() == 2 {
            // the name was made printable where the reply was read: a script sees the escapes
            let rows: Vec<Value> = serde_json::from_str(stdout.trim()).unwrap();
            let shown = rows[0]["InstanceName"].as_str().unwrap();
            assert!(
                shown.contains("\\u{85}") && shown.contains("\\u{200b}"),
                "{shown}"
            );
        } else {
            assert!(
                stdout.contains("\\u{200b}") && stdout.contains("\\u{2028}"),
                "{stdout}"
            );
        }
    }
}

#[test]
fn a_tampered_history_does_not_reach_the_terminal_raw() {
    let home = Home::new();
    let (mut history, _) = onsdesk::history::History::open(&home.data()).unwrap();
    history
        .record_pending(onsdesk::history::NewAttempt {
            name: "orders\u{1b}[2J\u{1b}]0;pwned\u{7}\u{200b}\u{2028}\u{85}".to_owned(),
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: "https://ons.cn-hangzhou.aliyuncs.com/".to_owned(),
            profile: "environment".to_owned(),
        })
        .unwrap();
    drop(history);
    for args in [&["history"][..], &["history", "--json"]] {
        let out = run(home.cmd().args(args));
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        for c in ['\u{1b}', '\u{7}', '\u{200b}', '\u{2028}', '\u{85}'] {
            assert!(!stdout.contains(c), "{c:?} in {stdout:?}");
        }
        assert!(stdout.contains("orders"), "{stdout}");
        if args.len() == 2 {
            // C1 controls and format characters as JSON escapes: parsed back, the same text
            assert!(
                stdout.contains("\\u0085") && stdout.contains("\\u200b"),
                "{stdout}"
            );
            let rows: Vec<Value> = serde_json::from_str(stdout.trim()).unwrap();
            assert!(rows[0].to_string().contains("orders"));
        }
    }
}

/// A history entry whose region is not a region ID (a hand-edited file) is not read: the file
/// is set aside whole, as for any unreadable line, the other entries are carried over, and
/// the region is never printed nor asked by a refresh.
#[test]
fn a_history_entry_with_a_region_that_is_no_region_id_is_set_aside() {
    let home = Home::new();
    let (mut history, _) = onsdesk::history::History::open(&home.data()).unwrap();
    for (name, region) in [
        ("kept", "cn-hangzhou"),
        ("tampered", "evil.example.com/x\u{1b}[31m"),
    ] {
        history
            .record_pending(onsdesk::history::NewAttempt {
                name: name.to_owned(),
                remark: String::new(),
                region: region.to_owned(),
                endpoint: "https://ons.cn-hangzhou.aliyuncs.com/".to_owned(),
                profile: "environment".to_owned(),
            })
            .unwrap();
    }
    drop(history);
    for args in [
        &["history"][..],
        &["history", "--json"],
        &["history", "refresh"],
    ] {
        let out = run(home.cmd().args(args));
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        for said in [&stdout, &stderr] {
            assert!(!said.contains("evil"), "{args:?}: {said}");
        }
        if args.len() == 1 {
            assert!(stdout.contains("kept"), "{stdout}");
            assert!(!stdout.contains("tampered"), "{stdout}");
        }
    }
    let aside = std::fs::read_dir(home.data())
        .unwrap()
        .filter_map(Result::ok)
        .any(|f| {
            f.file_name()
                .to_string_lossy()
                .starts_with("history.corrupt-")
        });
    assert!(aside, "the original file is kept aside");
}

#[test]
fn a_creation_time_at_the_end_of_the_calendar_does_not_crash_any_time_zone() {
    // 9999-12-31T23:59:59Z and a time in year -9999
    for millis in ["253402300799000", "-377705116800000"] {
        let list = format!(
            r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[{{"InstanceId":"{GOOD_ID}","InstanceName":"late","CreateTime":{millis}}}]}}}}"#
        );
        let info = format!(
            r#"{{"RequestId":"{REQUEST_ID}","InstanceBaseInfo":{{"InstanceId":"{GOOD_ID}","InstanceName":"late","CreateTime":"{millis}"}}}}"#
        );
        let stub = Stub::start(move |r: &Received| {
            if r.action() == "OnsInstanceBaseInfo" {
                ok(&info)
            } else {
                ok(&list)
            }
        });
        let home = Home::new();
        for zone in ["Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"] {
            for args in [&["list"][..], &["show", GOOD_ID], &["list", "--json"]] {
                let mut cmd = onsdesk(&home, None);
                cmd.env("TZ", zone)
                    .arg("instances")
                    .args(args)
                    .args(["--endpoint", &stub.url]);
                let out = run(&mut cmd);
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{zone} {args:?}: {}",
                    text(&out.stderr)
                );
                assert!(text(&out.stdout).contains("late"));
            }
        }
    }
}

#[test]
fn every_instances_command_refuses_an_impossible_duration_before_sending() {
    let stub = Stub::start(|_| ok("{}"));
    let home = Home::new();
    let commands: [&[&str]; 4] = [
        &["list"],
        &["show", GOOD_ID],
        &["update", GOOD_ID, "--remark", "x"],
        &["delete", GOOD_ID, "--confirm", "x"],
    ];
    for command in commands {
        for (flag, value) in [
            ("--timeout", "1e20"),
            ("--timeout", "NaN"),
            ("--deadline", "1e20"),
            ("--deadline", "-1"),
        ] {
            let flag_value = format!("{flag}={value}");
            let out = instances(&home, &stub, &[command, &[flag_value.as_str()]].concat());
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command:?} {flag} {value}: {}",
                text(&out.stderr)
            );
            let stderr = text(&out.stderr);
            assert!(
                stderr.contains("out of range") || stderr.contains("not a number"),
                "{stderr}"
            );
            assert!(!stderr.contains("internal error"), "{stderr}");
        }
    }
    assert!(stub.received().is_empty());
}

fn always_throttled() -> Stub {
    let body = format!(
        r#"{{"RequestId":"{REQUEST_ID}","Code":"Throttling.User","Message":"Request was denied due to user flow control."}}"#
    );
    Stub::start(move |_| http("429 Too Many Requests", "Retry-After: 100000\r\n", &body))
}

#[test]
fn a_day_long_retry_after_ends_list_and_delete_at_their_deadline() {
    let stub = always_throttled();
    let home = Home::new();
    let started = Instant::now();
    let mut cmd = onsdesk(&home, None);
    cmd.args([
        "instances",
        "list",
        "--timeout",
        "2",
        "--endpoint",
        &stub.url,
    ]);
    let out = run_within(&mut cmd, Duration::from_secs(20));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Throttling.User"));
    assert_eq!(
        stub.received().len(),
        1,
        "the Retry-After does not fit the deadline"
    );

    let started = Instant::now();
    let mut cmd = onsdesk(&home, None);
    cmd.args([
        "instances",
        "delete",
        GOOD_ID,
        "--confirm",
        "x",
        "--deadline",
        "3",
        "--endpoint",
        &stub.url,
    ]);
    let out = run_within(&mut cmd, Duration::from_secs(20));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
}

#[test]
fn read_throttles_are_said_on_stderr() {
    let throttled_once = Arc::new(AtomicBool::new(false));
    let body =
        format!(r#"{{"RequestId":"{REQUEST_ID}","Code":"Throttling.User","Message":"slow down"}}"#);
    let list = evil_list();
    let stub = Stub::start(move |_| {
        if throttled_once.swap(true, Ordering::SeqCst) {
            ok(&list)
        } else {
            http("429 Too Many Requests", "Retry-After: 1\r\n", &body)
        }
    });
    let home = Home::new();
    let out = instances(&home, &stub, &["list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("throttled by the service; waiting"),
        "{stderr}"
    );
}

/// A 429 with no error body (a gateway's, not the service's) is a throttle too: waited out as
/// its `Retry-After` says (here an HTTP date, 2 s after the reply's own `Date`) and said so.
#[test]
fn a_bare_429_is_waited_out_as_a_throttle_with_a_dated_retry_after() {
    let throttled_once = Arc::new(AtomicBool::new(false));
    let list = evil_list();
    let stub = Stub::start(move |_| {
        if throttled_once.swap(true, Ordering::SeqCst) {
            ok(&list)
        } else {
            http(
                "429 Too Many Requests",
                "Date: Sun, 06 Dec 2026 10:00:00 GMT\r\nRetry-After: Sun, 06 Dec 2026 10:00:02 GMT\r\n",
                "",
            )
        }
    });
    let home = Home::new();
    let started = std::time::Instant::now();
    let out = instances(&home, &stub, &["list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("throttled by the service; waiting 2000 ms"),
        "{stderr}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert_eq!(stub.received().len(), 2);
}

#[test]
fn a_region_is_checked_wherever_it_comes_from() {
    let stub = Stub::start(|_| ok("{}"));
    let home = Home::new();
    // An escape sequence in --region: refused, and not printed raw.
    let mut cmd = onsdesk(&home, None);
    cmd.args(["instances", "list", "--region", "cn-\u{1b}[2Jhangzhou"]);
    let out = run(&mut cmd);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !text(&out.stderr).contains('\u{1b}'),
        "{}",
        text(&out.stderr)
    );

    // An unknown region without --endpoint: refused before any lookup of a made-up host.
    for (args, var) in [
        (vec!["instances", "list", "--region", "xx-nowhere-1"], None),
        (
            vec!["create", "--name", "made-up", "--region", "xx-nowhere-1"],
            None,
        ),
        (vec!["instances", "list"], Some("xx-nowhere-1")),
    ] {
        let mut cmd = onsdesk(&home, None);
        cmd.args(&args).env("HTTPS_PROXY", &stub.url);
        if let Some(var) = var {
            cmd.env("ALIBABA_CLOUD_REGION_ID", var);
        }
        let out = run(&mut cmd);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("not a region ONS serves"), "{stderr}");
    }
    assert!(
        stub.received().is_empty(),
        "nothing was sent, not even to the proxy"
    );

    // With a custom endpoint, any region of the right shape goes there.
    let list = evil_list();
    let stub = Stub::start(move |_| ok(&list));
    let out = instances(&home, &stub, &["list", "--region", "xx-nowhere-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stub.received()[0].body.contains("RegionId=xx-nowhere-1"));

    // A profile's region is checked when it is added.
    let mut cmd = home.cmd();
    cmd.args([
        "profile",
        "add",
        "work",
        "--access-key-id",
        "LTAIexample",
        "--region",
        "cn-\u{1b}[2J",
    ]);
    let out = crate::common::run_with_stdin(&mut cmd, "secret\n");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains('\u{1b}'));
}

/// The stub dates its reply when it sends it, as a server does: a `Date` taken when the test
/// starts is seconds old by the time a slow start (under Wine, on a loaded machine) sends the
/// request, and that is a real difference.
#[test]
fn a_zero_clock_difference_is_not_a_correction() {
    let body = format!(
        r#"{{"RequestId":"{REQUEST_ID}","Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}}"#
    );
    let stub = Stub::start(move |_| {
        let date = onsdesk::clock::http_date(time::OffsetDateTime::now_utc());
        http("400 Bad Request", &format!("Date: {date}\r\n"), &body)
    });
    let home = Home::new();
    let mut cmd = onsdesk(&home, None);
    cmd.args(["create", "--name", "clock-ok", "--endpoint", &stub.url]);
    let out = run(&mut cmd);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("0 s"), "{stderr}");
    assert!(!stderr.contains("corrected"), "{stderr}");
    assert_eq!(
        stub.received().len(),
        1,
        "a refusal that no correction can help"
    );
}

#[test]
fn the_window_shows_only_well_formed_instance_ids_and_says_how_many_it_left_out() {
    use crate::gui_support::{
        TestApp, click, has_label, has_label_containing, runtime, step_until,
    };
    let body = evil_list();
    let info = format!(
        r#"{{"RequestId":"{REQUEST_ID}","InstanceBaseInfo":{{"InstanceId":"{GOOD_ID}","InstanceName":"good-one","Remark":""}}}}"#
    );
    let stub = Stub::start(move |r: &Received| {
        if r.action() == "OnsInstanceBaseInfo" {
            ok(&info)
        } else {
            ok(&body)
        }
    });
    let rt = runtime();
    let mut h = TestApp::new(onsdesk::app::StartCredentials::Given(
        onsdesk::credentials::Credentials::new("hostile-key", "hostile-secret".into()),
    ))
    .endpoint(&stub.url)
    .start(&rt);
    click(&mut h, "Instances");
    step_until(&mut h, "the list", |h| has_label(h, "good-one"));
    assert!(has_label_containing(&h, "6 listed instances were left out"));
    for (i, id) in evil_ids().iter().enumerate() {
        assert!(!has_label(&h, &format!("evil-{i}")));
        if !id.is_empty() {
            assert!(!crate::gui_support::tree_contains(
                &h,
                &id[..id.len().min(40)]
            ));
        }
    }
}

/// A command that only reads ends at its `--deadline`, even when `--timeout` would let a slow
/// reply run longer: a read still waiting then is abandoned (it changed nothing).
#[test]
fn a_read_still_waiting_at_the_deadline_is_abandoned() {
    let stub = Stub::slow(Duration::from_secs(8), |_| ok("{}"));
    let home = Home::new();
    let started = Instant::now();
    let out = run_within(
        onsdesk(&home, None).args([
            "instances",
            "list",
            "--timeout",
            "20",
            "--deadline",
            "1.5",
            "--endpoint",
            &stub.url,
        ]),
        Duration::from_secs(30),
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no reply before the deadline"),
        "{}",
        text(&out.stderr)
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

/// "Sending it again" is said only of a repeat that is sent: an update whose reply is lost at
/// the deadline is looked at, not announced as sent again.
#[test]
fn a_repeat_the_deadline_stops_is_not_announced() {
    let updates = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = Arc::clone(&updates);
    let stub = Stub::start(move |r: &Received| {
        if r.action() == "OnsInstanceUpdate" {
            seen.fetch_add(1, Ordering::SeqCst);
            #[expect(
                clippy::disallowed_methods,
                reason = "the stub's own thread stands for a reply that comes too late"
            )]
            std::thread::sleep(Duration::from_millis(700));
            return ok(&format!(r#"{{"RequestId":"{REQUEST_ID}"}}"#));
        }
        ok(&format!(
            r#"{{"RequestId":"{REQUEST_ID}","InstanceBaseInfo":{{"InstanceId":"{GOOD_ID}","InstanceName":"renamed","Remark":""}}}}"#
        ))
    });
    let home = Home::new();
    let out = instances(
        &home,
        &stub,
        &[
            "update",
            GOOD_ID,
            "--name",
            "renamed",
            "--timeout",
            "0.5",
            "--deadline",
            "0.5",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(updates.load(Ordering::SeqCst), 1, "{stderr}");
    assert!(!stderr.contains("sending it again"), "{stderr}");
}

/// An instance whose status the reply leaves out, or gives as no number, is "unknown", not
/// "deploying" (status 0), in the table and `null` in `--json`.
#[test]
fn a_status_that_is_not_given_is_unknown() {
    let list = format!(
        r#"{{"RequestId":"{REQUEST_ID}","Data":{{"InstanceVO":[{{"InstanceId":"{GOOD_ID}","InstanceName":"odd","InstanceStatus":"x\u001b[2J"}}]}}}}"#
    );
    let stub = Stub::start(move |_| ok(&list));
    let home = Home::new();
    let out = instances(&home, &stub, &["list"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("unknown") && !stdout.contains("deploying"),
        "{stdout}"
    );
    let out = instances(&home, &stub, &["list", "--json"]);
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["InstanceStatus"], Value::Null, "{}", rows[0]);
}
