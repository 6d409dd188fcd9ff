//! The history store through its public API, on real files: round trip, crashes at every byte
//! of the last record, corruption kept aside, a newer format left alone, an older one loaded
//! as it was, two processes appending at once, topic and group entries, CSV export, and
//! "refresh status" against the sandbox.

use std::path::Path;
use std::process::Command;

use onsdesk::api::{Client, HttpOptions, Target, Transport};
use onsdesk::credentials::CredentialSource;
use onsdesk::history::refresh::{self, CloudScope};
use onsdesk::history::{
    Appender, ChangeOutcome, CloudState, Entry, EntryId, EntryKind, EntryOutcome, FILE_NAME,
    History, HistoryError, NewAttempt, NewChange, Notice, Resource, Status, Subject, Verb,
};
use onsdesk::history::{export, format};
use onsdesk::ids::{InstanceId, RequestId};
use onsdesk::pacing::Policy;
use onsdesk::region::Endpoint;
use onsdesk::resources::MessageType;
use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig};

fn attempt(name: &str, remark: &str) -> NewAttempt {
    NewAttempt {
        name: name.to_owned(),
        remark: remark.to_owned(),
        region: "cn-hangzhou".to_owned(),
        endpoint: "http://127.0.0.1:9/".to_owned(),
        profile: "work".to_owned(),
    }
}

fn created(id: &str) -> Status {
    Status::Created {
        instance_id: id.to_owned(),
        instance_type: 1,
        request_id: "0C0C0C0C-0000-4000-8000-000000000000".to_owned(),
    }
}

/// An instance as a region's list shows it: in service, a standard one.
fn listed_instance(id: &str, name: &str) -> onsdesk::api::InstanceSummary {
    onsdesk::api::InstanceSummary {
        instance_id: InstanceId::parse(id).unwrap(),
        instance_name: name.to_owned(),
        instance_status: Some(5),
        instance_type: onsdesk::api::InstanceType(1),
        create_time: None,
        topic_count: None,
        group_count: None,
    }
}

fn open_clean(dir: &Path) -> History {
    let (h, notices) = History::open(dir).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    h
}

fn entries(h: &History) -> Vec<Entry> {
    h.entries().cloned().collect()
}

/// A history with one entry in each status, the last line being a `put` with Chinese text.
fn varied(dir: &Path) -> (History, Vec<EntryId>) {
    let mut h = open_clean(dir);
    let mut ids = Vec::new();
    let a = h
        .record_pending(attempt("orders-prod", "payments"))
        .unwrap();
    h.record_outcome(a, created("MQ_INST_1_AAAA")).unwrap();
    ids.push(a);
    let b = h.record_pending(attempt("refused-one", "")).unwrap();
    h.record_outcome(
        b,
        Status::Refused {
            code: "BIZ_INSTANCE_QUOTA_EXCEEDED".to_owned(),
            message: "too many".to_owned(),
            request_id: Some("R-1".to_owned()),
        },
    )
    .unwrap();
    ids.push(b);
    let c = h.record_pending(attempt("lost-reply", "")).unwrap();
    h.record_outcome(
        c,
        Status::Unknown {
            detail: "no reply in time".to_owned(),
        },
    )
    .unwrap();
    ids.push(c);
    ids.push(
        h.record_pending(attempt("订单服务-生产", "支付 订单, \"主\"\n第二行"))
            .unwrap(),
    );
    (h, ids)
}

#[test]
fn every_field_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let (h, ids) = varied(dir.path());
    let before = entries(&h);
    let again = open_clean(dir.path());
    assert_eq!(entries(&again), before);
    assert_eq!(again.len(), 4);
    let outcomes: Vec<EntryOutcome> = ids
        .iter()
        .map(|id| again.get(*id).unwrap().outcome())
        .collect();
    assert_eq!(
        outcomes,
        [
            EntryOutcome::Created,
            EntryOutcome::NotCreated,
            EntryOutcome::Unknown,
            EntryOutcome::Pending
        ]
    );
    let last = again.get(ids[3]).unwrap();
    assert_eq!(last.remark, "支付 订单, \"主\"\n第二行");
    assert_eq!(last.profile, "work");
    assert_eq!(last.at_utc(), last.at);
}

#[test]
fn a_crash_at_every_byte_of_the_last_record_loads_the_valid_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let (h, ids) = varied(dir.path());
    let all = entries(&h);
    let prefix: Vec<Entry> = all.iter().filter(|e| e.id != ids[3]).cloned().collect();
    drop(h);
    let full = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
    assert_eq!(full.last(), Some(&b'\n'));
    let last_start = full[..full.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    assert!(full.len() - last_start > 200, "the last record is a put");

    for cut in last_start..full.len() {
        let case = tempfile::tempdir().unwrap();
        std::fs::write(case.path().join(FILE_NAME), &full[..cut]).unwrap();
        let (mut h, notices) =
            History::open(case.path()).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        assert_eq!(entries(&h), prefix, "cut at {cut}");
        let torn = cut - last_start;
        if torn == 0 {
            assert!(notices.is_empty(), "cut at {cut}: {notices:?}");
        } else {
            assert_eq!(
                notices,
                vec![Notice::TornTail {
                    path: case.path().join(FILE_NAME),
                    bytes: torn as u64
                }],
                "cut at {cut}"
            );
        }
        // The next append starts on a line of its own: nothing is lost, nothing is corrupt.
        let new = h.record_pending(attempt("after-crash", "")).unwrap();
        let again = open_clean(case.path());
        assert_eq!(again.len(), prefix.len() + 1, "cut at {cut}");
        assert_eq!(again.get(new).unwrap().name, "after-crash");
        assert_eq!(
            again.get(ids[0]).unwrap().instance_id(),
            Some("MQ_INST_1_AAAA")
        );
    }
}

fn corrupt_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("history.corrupt-"))
        })
        .collect();
    v.sort();
    v
}

fn assert_dated_name(path: &Path) {
    let name = path.file_name().unwrap().to_str().unwrap();
    let stamp = name
        .strip_prefix("history.corrupt-")
        .and_then(|s| s.strip_suffix(".jsonl"))
        .unwrap_or_else(|| panic!("{name}"));
    let (date, rest) = stamp.split_at(8);
    assert!(date.bytes().all(|b| b.is_ascii_digit()), "{name}");
    assert!(rest.starts_with('-'), "{name}");
    assert!(rest[1..7].bytes().all(|b| b.is_ascii_digit()), "{name}");
}

#[test]
fn garbage_in_the_middle_is_kept_aside_reported_and_the_rest_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let (h, ids) = varied(dir.path());
    let before = entries(&h);
    drop(h);
    let path = dir.path().join(FILE_NAME);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"put\": this is not json");
    let damaged = lines.join("\n") + "\n";
    std::fs::write(&path, &damaged).unwrap();

    let (mut h, notices) = History::open(dir.path()).unwrap();
    let [
        Notice::MovedAside {
            kept_as,
            reason,
            recovered,
            unreadable_lines,
        },
    ] = notices.as_slice()
    else {
        panic!("{notices:?}")
    };
    assert!(
        matches!(reason, onsdesk::history::Damage::BadLine { line_no: 4, .. }),
        "{reason}"
    );
    assert_eq!(*recovered, 4);
    assert_eq!(*unreadable_lines, 1);
    assert_dated_name(kept_as);
    assert_eq!(std::fs::read_to_string(kept_as).unwrap(), damaged);
    assert!(notices[0].to_string().contains("was kept as"));
    assert_eq!(entries(&h), before);

    // The new file works and is clean.
    let e = h.record_pending(attempt("after", "")).unwrap();
    let again = open_clean(dir.path());
    assert_eq!(again.len(), 5);
    assert!(again.get(e).is_some() && again.get(ids[0]).is_some());
}

#[test]
fn a_bad_header_is_kept_aside_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, b"\x00\xffthis is not a history\nsecond line\n").unwrap();
    let (mut h, notices) = History::open(dir.path()).unwrap();
    assert!(
        matches!(&notices[..], [Notice::MovedAside { recovered: 0, .. }]),
        "{notices:?}"
    );
    assert!(h.is_empty());
    h.record_pending(attempt("fresh", "")).unwrap();

    // A second bad file in the same second gets its own name.
    std::fs::write(&path, b"also garbage\n").unwrap();
    let (_, notices) = History::open(dir.path()).unwrap();
    assert_eq!(notices.len(), 1);
    let kept = corrupt_files(dir.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    let contents: Vec<Vec<u8>> = kept.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(contents.contains(&b"\x00\xffthis is not a history\nsecond line\n".to_vec()));
    assert!(contents.contains(&b"also garbage\n".to_vec()));
}

#[test]
fn a_file_from_a_newer_version_is_left_untouched_and_writes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let newer = "{\"format\":\"onsdesk-history\",\"version\":99,\"file_id\":\"6f9619ff-8b86-4011-b42d-00c04fc964ff\",\"created\":\"2030-01-01T00:00:00Z\"}\n{\"something\":\"new\"}\n";
    std::fs::write(&path, newer).unwrap();
    let err = History::open(dir.path()).unwrap_err();
    assert!(
        matches!(
            err,
            HistoryError::NewerFormat {
                found: 99,
                supported: format::FORMAT_VERSION,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer onsdesk"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
    assert!(corrupt_files(dir.path()).is_empty());

    // A newer onsdesk replacing the file under an open handle: the next write is refused.
    let other = tempfile::tempdir().unwrap();
    let mut h = open_clean(other.path());
    h.record_pending(attempt("before", "")).unwrap();
    std::fs::write(other.path().join(FILE_NAME), newer).unwrap();
    let err = h.record_pending(attempt("after", "")).unwrap_err();
    assert!(matches!(err, HistoryError::NewerFormat { .. }), "{err:?}");
    assert_eq!(
        std::fs::read_to_string(other.path().join(FILE_NAME)).unwrap(),
        newer
    );
}

/// The part each of the two writer processes plays in
/// `two_processes_appending_at_once_lose_nothing`: 500 attempts named `PREFIX-i` (every 50th
/// created), compacting every 100 when `HISTORY_CHILD_COMPACT` is set; and, through an
/// appender of its own as `onsdesk topics|groups` would, a topic create (done) and a group
/// delete (left pending) every 25th.
fn append_as_a_second_process(dir: &Path, prefix: &str) {
    let compact = std::env::var_os("HISTORY_CHILD_COMPACT").is_some();
    let (mut h, _) = History::open(dir).unwrap();
    let (mut appender, _) = Appender::open(dir).unwrap();
    for i in 0..500 {
        let id = h
            .record_pending(attempt(&format!("{prefix}-{i}"), ""))
            .unwrap();
        if i % 50 == 0 {
            h.record_outcome(id, created(&format!("MQ_INST_{prefix}_{i}")))
                .unwrap();
        }
        if i % 25 == 0 {
            let topic = appender
                .record_change_pending(topic_change(Verb::Create, &format!("{prefix}-t{i}")))
                .unwrap();
            appender.record_change_outcome(topic, &done("R-T")).unwrap();
            appender
                .record_change_pending(group_change(Verb::Delete, &format!("GID_{prefix}_{i}")))
                .unwrap();
        }
        if compact && i % 100 == 99 {
            h.compact().unwrap();
        }
    }
}

/// Two processes write at once, one also compacting. Each is this test binary running this
/// same test with `HISTORY_CHILD_DIR` and `HISTORY_CHILD_PREFIX` set, where it only writes.
#[test]
fn two_processes_appending_at_once_lose_nothing() {
    if let (Ok(dir), Ok(prefix)) = (
        std::env::var("HISTORY_CHILD_DIR"),
        std::env::var("HISTORY_CHILD_PREFIX"),
    ) {
        append_as_a_second_process(Path::new(&dir), &prefix);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let spawn = |prefix: &str, compact: bool| {
        let mut cmd = Command::new(&exe);
        cmd.args([
            "--exact",
            "history_store::two_processes_appending_at_once_lose_nothing",
            "--test-threads=1",
        ])
        .env("HISTORY_CHILD_DIR", dir.path())
        .env("HISTORY_CHILD_PREFIX", prefix);
        if compact {
            cmd.env("HISTORY_CHILD_COMPACT", "1");
        }
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let check = |child: std::process::Child| {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        // ran, and ran this test (a renamed test would leave the filter matching nothing)
        assert!(
            out.status.success() && stdout.contains("test result: ok. 1 passed"),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // One of them also compacts now and then, replacing the file under the other.
    let a = spawn("a", false);
    let b = spawn("b", true);
    check(a);
    check(b);

    let h = open_clean(dir.path());
    assert_eq!(h.len(), 1000 + 2 * 40);
    let of_kind = |kind: EntryKind| h.entries().filter(|e| e.subject.kind() == kind).count();
    assert_eq!(of_kind(EntryKind::Instance), 1000);
    assert_eq!(of_kind(EntryKind::Topic), 40);
    assert_eq!(of_kind(EntryKind::Group), 40);
    assert!(
        h.entries()
            .filter(|e| e.subject.kind() == EntryKind::Topic)
            .all(|e| e.outcome() == EntryOutcome::Created),
        "every topic's outcome followed its pending entry"
    );
    let mut names: Vec<String> = h
        .entries()
        .filter(|e| e.subject.is_instance())
        .map(|e| e.name.clone())
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 1000);
    for p in ["a", "b"] {
        for i in 0..500 {
            assert!(names.binary_search(&format!("{p}-{i}")).is_ok(), "{p}-{i}");
        }
    }
    let created = h
        .entries()
        .filter(|e| e.subject.is_instance() && e.outcome() == EntryOutcome::Created)
        .count();
    assert_eq!(created, 20);
}

/// A minimal RFC 4180 reader, to check what a spreadsheet would see.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (_, c) => cell.push(c),
        }
    }
    assert!(cell.is_empty() && row.is_empty(), "CSV ends with CRLF");
    rows
}

#[test]
fn csv_export_quotes_and_neutralises_what_a_spreadsheet_would_misread() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let remarks = [
        "a, b",
        "say \"hi\"",
        "two\nlines",
        "支付，订单 中文",
        "=SUM(A1)",
        "+1",
        "-1",
        "@x",
        "\tTAB",
        "plain",
    ];
    for (i, r) in remarks.iter().enumerate() {
        h.record_pending(attempt(&format!("inst-{i}"), r)).unwrap();
    }
    let snapshot = h.snapshot();
    let mut out = Vec::new();
    export::write_csv(&mut out, snapshot.iter()).unwrap();
    assert!(out.starts_with("\u{feff}".as_bytes()), "UTF-8 BOM first");
    let text = String::from_utf8(out).unwrap();
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], export::CSV_COLUMNS);
    assert_eq!(rows.len(), remarks.len() + 1);
    let remark_col = export::CSV_COLUMNS
        .iter()
        .position(|c| *c == "Remark")
        .unwrap();
    let name_col = export::CSV_COLUMNS
        .iter()
        .position(|c| *c == "InstanceName")
        .unwrap();
    for row in &rows[1..] {
        assert_eq!(row.len(), export::CSV_COLUMNS.len());
        let i: usize = row[name_col]
            .strip_prefix("inst-")
            .unwrap()
            .parse()
            .unwrap();
        let expected = match remarks[i] {
            r if r.starts_with(['=', '+', '-', '@', '\t']) => format!("'{r}"),
            r => r.to_owned(),
        };
        assert_eq!(row[remark_col], expected);
    }
    // Exactly the quoted forms on the wire.
    assert!(text.contains(",\"a, b\","));
    assert!(text.contains(",\"say \"\"hi\"\"\","));
    assert!(text.contains(",'=SUM(A1),"));
    assert!(text.contains(",支付，订单 中文,"));

    let mut json = Vec::new();
    export::write_json(&mut json, snapshot.iter()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), remarks.len());
    assert_eq!(
        v[0]["Remark"], "plain",
        "newest first; JSON is not neutralised"
    );
}

fn client_for(sb: &Sandbox, region: &str) -> Client {
    Client::new(
        Transport::new(HttpOptions::default()),
        Target {
            endpoint: Endpoint::parse(&sb.url()).unwrap(),
            region: onsdesk::region::RegionId::shaped(region).unwrap(),
        },
        sandbox::demo_credentials(),
    )
}

/// What `onsdesk create` does: pending first, then the outcome.
async fn create(h: &mut History, sb: &Sandbox, name: &str) -> EntryId {
    let client = client_for(sb, "cn-hangzhou");
    let id = h
        .record_pending(NewAttempt {
            name: name.to_owned(),
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: sb.url(),
            profile: "sandbox".to_owned(),
        })
        .unwrap();
    let result = client.create_instance(name, None).await;
    h.record_outcome(id, Status::of_create(&result)).unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_marks_a_deleted_instance_not_found_and_adopts_a_lost_reply() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let kept = create(&mut h, &sb, "kept-one").await;
    let deleted = create(&mut h, &sb, "deleted-one").await;
    sb.set_faults(Faults {
        drop_create_replies: 1,
        ..Faults::default()
    });
    let lost = create(&mut h, &sb, "lost-reply").await;
    let refused = create(&mut h, &sb, "kept-one").await;
    assert_eq!(h.get(lost).unwrap().outcome(), EntryOutcome::Unknown);
    assert_eq!(h.get(refused).unwrap().outcome(), EntryOutcome::NotCreated);
    let deleted_id = h.get(deleted).unwrap().instance_id().unwrap().to_owned();
    assert!(sb.delete_instance(&deleted_id));
    let lost_in_cloud = sb
        .instances()
        .into_iter()
        .find(|i| i.name == "lost-reply")
        .unwrap()
        .id;

    let scopes = h.cloud_scopes(None);
    assert_eq!(
        scopes,
        vec![CloudScope {
            profile: "sandbox".to_owned(),
            region: "cn-hangzhou".to_owned(),
            endpoint: sb.url(),
            topics_on: std::collections::BTreeSet::new(),
            groups_on: std::collections::BTreeSet::new(),
            as_of: scopes[0].as_of,
        }]
    );
    let listings = refresh::list_scopes(
        scopes,
        refresh::CustomEndpoints::Skip,
        Policy::default(),
        &mut |_| {},
        |s| Ok(client_for(&sb, &s.region)),
    )
    .await;
    let summary = h.apply_listings(&listings).unwrap();
    assert_eq!(summary.in_service, 2);
    assert_eq!(summary.not_found, 1);
    assert_eq!(summary.adopted.len(), 1);
    assert_eq!(summary.adopted[0].instance_id, lost_in_cloud);
    assert!(summary.failed.is_empty());

    // What a reopened history (the window, a later CLI run) shows.
    let h = open_clean(dir.path());
    let cloud = |id: EntryId| h.get(id).unwrap().cloud.map(|c| c.state);
    assert_eq!(cloud(kept), Some(CloudState::InService));
    assert_eq!(cloud(deleted), Some(CloudState::NotFound));
    assert_eq!(cloud(lost), Some(CloudState::InService));
    assert_eq!(cloud(refused), None, "a refusal is left as it is");
    assert_eq!(
        h.get(lost).unwrap().status,
        Status::Adopted {
            instance_id: lost_in_cloud,
            instance_type: 1
        }
    );
    assert_eq!(
        h.get(deleted).unwrap().instance_id(),
        Some(deleted_id.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_that_cannot_be_listed_changes_nothing() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let id = create(&mut h, &sb, "some-instance").await;
    let before = h.get(id).unwrap().clone();
    let listings = refresh::list_scopes(
        h.cloud_scopes(None),
        refresh::CustomEndpoints::Skip,
        Policy::default(),
        &mut |_| {},
        |_| {
            Err(refresh::ScopeFailure::OtherCredentials {
                recorded: CredentialSource::Sandbox,
                current: CredentialSource::Environment,
            })
        },
    )
    .await;
    let summary = h.apply_listings(&listings).unwrap();
    assert_eq!(summary.failed.len(), 1);
    assert!(
        matches!(
            &summary.failed[0].1,
            refresh::ScopeFailure::OtherCredentials { current, .. }
                if *current == CredentialSource::Environment
        ),
        "{:?}",
        summary.failed[0].1
    );
    assert_eq!(summary.in_service + summary.not_found, 0);
    assert_eq!(h.get(id).unwrap(), &before);
}

/// The appender `onsdesk create` uses writes what a full load reads, repairs a torn tail
/// through a full open first, and refuses a newer file, all without loading the history.
#[test]
fn the_appender_writes_what_the_history_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (mut appender, notices) = onsdesk::history::Appender::open(dir.path()).unwrap();
    assert!(notices.is_empty());
    let id = appender
        .record_pending(attempt("appended", "备注"))
        .unwrap();
    let (h, _) = History::open(dir.path()).unwrap();
    assert_eq!(h.get(id).unwrap().status, Status::Pending);
    drop(h);

    // A crash cut the next write short: the appender's next line must not join it.
    let file = dir.path().join(onsdesk::history::FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"{\"put\":{\"id\":\"");
    std::fs::write(&file, &bytes).unwrap();
    appender
        .record_outcome(
            id,
            Status::NotCreated {
                detail: "test".into(),
            },
        )
        .unwrap();
    let (h, notices) = History::open(dir.path()).unwrap();
    assert!(
        notices.is_empty(),
        "the torn tail was already dealt with: {notices:?}"
    );
    assert_eq!(h.len(), 1);
    assert_eq!(
        h.get(id).unwrap().status,
        Status::NotCreated {
            detail: "test".into()
        }
    );
    drop(h);

    let newer = "{\"format\":\"onsdesk-history\",\"version\":99,\"file_id\":\"6f9619ff-8b86-4011-b42d-00c04fc964ff\",\"created\":\"2030-01-01T00:00:00Z\"}\n";
    std::fs::write(&file, newer).unwrap();
    assert!(onsdesk::history::Appender::open(dir.path()).is_err());
    assert!(appender.record_pending(attempt("refused", "")).is_err());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        newer,
        "a newer file is left untouched"
    );
}

/// A cut-off last record longer than the 1 MiB the appender used to look
/// back made every `onsdesk create` fail with "keeps changing under us". Now the appender
/// reports the torn record, drops it, and records; every earlier entry stays.
#[test]
fn a_torn_record_longer_than_a_mebibyte_does_not_block_the_appender() {
    let dir = tempfile::tempdir().unwrap();
    let (_, ids) = varied(dir.path());
    let file = dir.path().join(FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap();
    let whole_len = bytes.len();
    let mut torn =
        b"{\"put\":{\"id\":\"6f9619ff-8b86-4011-b42d-00c04fc964ff\",\"remark\":\"".to_vec();
    torn.resize(1536 * 1024, b'x');
    bytes.extend_from_slice(&torn);
    std::fs::write(&file, &bytes).unwrap();

    let (mut appender, notices) = onsdesk::history::Appender::open(dir.path()).unwrap();
    assert_eq!(
        notices,
        vec![Notice::TornTail {
            path: file.clone(),
            bytes: torn.len() as u64
        }]
    );
    let id = appender
        .record_pending(attempt("after-the-tear", ""))
        .unwrap();
    appender
        .record_outcome(id, created("MQ_INST_1_AFTER"))
        .unwrap();

    let h = open_clean(dir.path());
    for old in &ids {
        assert!(h.get(*old).is_some(), "{old} lost");
    }
    assert_eq!(h.get(id).unwrap().instance_id(), Some("MQ_INST_1_AFTER"));
    let after = std::fs::read(&file).unwrap();
    assert_eq!(
        &after[..whole_len],
        &bytes[..whole_len],
        "a whole record changed"
    );
    assert!(after.len() < whole_len + 4096, "the torn record stayed");
}

const ON: &str = "MQ_INST_1880770869020000_BXSuW61e";

fn change(verb: Verb, resource: Resource) -> NewChange {
    NewChange {
        verb,
        resource,
        remark: if verb == Verb::Create {
            "for the orders service".to_owned()
        } else {
            String::new()
        },
        region: "cn-hangzhou".to_owned(),
        endpoint: "https://ons.cn-hangzhou.aliyuncs.com/".to_owned(),
        profile: "work".to_owned(),
    }
}

fn topic_change(verb: Verb, topic: &str) -> NewChange {
    change(
        verb,
        Resource::Topic {
            instance_id: InstanceId::parse(ON).unwrap(),
            topic: topic.to_owned(),
            message_type: Some(MessageType::PartitionOrder),
        },
    )
}

fn group_change(verb: Verb, group_id: &str) -> NewChange {
    change(
        verb,
        Resource::Group {
            instance_id: InstanceId::parse(ON).unwrap(),
            group_id: group_id.to_owned(),
            group_type: None,
        },
    )
}

fn done(request_id: &str) -> ChangeOutcome {
    ChangeOutcome::Done {
        request_id: RequestId::parse(request_id).unwrap(),
    }
}

/// One topic and one group entry for each way a create or delete can end, beside an instance.
fn changes(dir: &Path) -> (History, Vec<EntryId>) {
    let mut h = open_clean(dir);
    let instance = h.record_pending(attempt("orders-prod", "")).unwrap();
    h.record_outcome(instance, created(ON)).unwrap();
    let mut ids = vec![instance];
    let outcomes = [
        (Verb::Create, Some(done("R-1"))),
        (Verb::Create, Some(ChangeOutcome::Seen)),
        (
            Verb::Create,
            Some(ChangeOutcome::Refused {
                code: "Group.NumLimited".to_owned(),
                message: "group count exceed limit".to_owned(),
                request_id: Some("R-2".to_owned()),
            }),
        ),
        (Verb::Delete, Some(done("R-3"))),
        (Verb::Delete, Some(ChangeOutcome::Seen)),
        (
            Verb::Delete,
            Some(ChangeOutcome::NotDone {
                detail: "still listed after the reply was lost".to_owned(),
            }),
        ),
        (
            Verb::Delete,
            Some(ChangeOutcome::Unknown {
                detail: "no reply".to_owned(),
            }),
        ),
        (Verb::Delete, None),
    ];
    for (i, (verb, outcome)) in outcomes.into_iter().enumerate() {
        let new = if i % 2 == 0 {
            topic_change(verb, &format!("orders-{i}"))
        } else {
            group_change(verb, &format!("GID_orders-{i}"))
        };
        let id = h.record_change_pending(new).unwrap();
        if let Some(outcome) = outcome {
            h.record_change_outcome(id, &outcome).unwrap();
        }
        ids.push(id);
    }
    (h, ids)
}

#[test]
fn topic_and_group_entries_survive_a_reopen_and_a_compaction() {
    use {EntryKind as K, EntryOutcome as O, Verb as V};
    let dir = tempfile::tempdir().unwrap();
    let (h, ids) = changes(dir.path());
    let before = entries(&h);
    drop(h);
    let mut again = open_clean(dir.path());
    assert_eq!(entries(&again), before);
    again.compact().unwrap();
    let again = open_clean(dir.path());
    assert_eq!(entries(&again), before, "compaction keeps every field");

    let outcomes: Vec<(EntryKind, Verb, EntryOutcome, String)> = ids
        .iter()
        .map(|id| {
            let e = again.get(*id).unwrap();
            (
                e.subject.kind(),
                e.subject.verb(),
                e.outcome(),
                e.status_text(),
            )
        })
        .collect();
    let expected = [
        (K::Instance, V::Create, O::Created, "created"),
        (K::Topic, V::Create, O::Created, "created"),
        (K::Group, V::Create, O::Adopted, "adopted"),
        (K::Topic, V::Create, O::NotCreated, "not created"),
        (K::Group, V::Delete, O::Deleted, "deleted"),
        (K::Topic, V::Delete, O::Deleted, "deleted"),
        (K::Group, V::Delete, O::NotDeleted, "not deleted"),
        (K::Topic, V::Delete, O::Unknown, "delete unknown"),
        (K::Group, V::Delete, O::Pending, "delete pending"),
    ]
    .map(|(k, v, o, t)| (k, v, o, t.to_owned()));
    assert_eq!(outcomes, expected);

    for id in &ids[1..] {
        let e = again.get(*id).unwrap();
        assert_eq!(e.instance(), Some(ON), "{}", e.name);
        assert_eq!(e.instance_id(), None, "{} created no instance", e.name);
    }
    let topic = again.get(ids[1]).unwrap();
    assert_eq!(topic.name, "orders-0");
    assert_eq!(topic.remark, "for the orders service");
    assert_eq!(topic.status.request_id(), Some("R-1"));
    let Subject::Topic(t) = &topic.subject else {
        panic!("{:?}", topic.subject)
    };
    assert_eq!(t.message_type, Some(MessageType::PartitionOrder));
    // Only the instance entry knows its instance as one it created: a rename or a delete of
    // the instance is not marked on its topics and groups.
    assert_eq!(again.entries_for_instance(ON), vec![ids[0]]);
}

#[test]
fn the_kind_filter_and_the_instance_search_find_topics_and_groups() {
    let dir = tempfile::tempdir().unwrap();
    let (h, _) = changes(dir.path());
    let snapshot = h.snapshot();
    let names = |rows: Vec<usize>| -> Vec<String> {
        rows.into_iter()
            .map(|i| snapshot.get(i).unwrap().name.clone())
            .collect()
    };
    assert_eq!(
        names(snapshot.filter("", None, Some(EntryKind::Instance))),
        ["orders-prod"]
    );
    assert_eq!(
        names(snapshot.filter("", None, Some(EntryKind::Group))),
        [
            "GID_orders-7",
            "GID_orders-5",
            "GID_orders-3",
            "GID_orders-1"
        ]
    );
    assert_eq!(
        names(snapshot.filter("orders-6", None, Some(EntryKind::Topic))),
        ["orders-6"]
    );
    assert!(
        snapshot
            .filter("GID_", None, Some(EntryKind::Topic))
            .is_empty()
    );
    // Searching for the instance's ID finds what onsdesk did on it, and the instance.
    assert_eq!(snapshot.search(&ON.to_lowercase()).len(), 9);
}

#[test]
fn exports_name_the_kind_the_verb_and_the_instance_of_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (h, ids) = changes(dir.path());
    let snapshot = h.snapshot();
    let mut out = Vec::new();
    export::write_csv(&mut out, snapshot.iter()).unwrap();
    let text = String::from_utf8(out).unwrap();
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], export::CSV_COLUMNS);
    let col = |name: &str| export::CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let row_of = |id: EntryId| {
        rows.iter()
            .find(|r| r[col("HistoryId")] == id.to_string())
            .unwrap()
    };
    let cells = |id: EntryId, names: &[&str]| -> Vec<String> {
        let row = row_of(id);
        names.iter().map(|n| row[col(n)].clone()).collect()
    };
    let shown = [
        "Kind",
        "Verb",
        "InstanceName",
        "Topic",
        "MessageType",
        "GroupId",
        "GroupType",
        "InstanceId",
        "Outcome",
        "RequestId",
    ];
    assert_eq!(
        cells(ids[0], &shown),
        [
            "instance",
            "create",
            "orders-prod",
            "",
            "",
            "",
            "",
            ON,
            "created",
            "0C0C0C0C-0000-4000-8000-000000000000"
        ]
    );
    assert_eq!(
        cells(ids[1], &shown),
        [
            "topic", "create", "", "orders-0", "1", "", "", ON, "created", "R-1"
        ]
    );
    assert_eq!(
        cells(ids[4], &shown),
        [
            "group",
            "delete",
            "",
            "",
            "",
            "GID_orders-3",
            "",
            ON,
            "deleted",
            "R-3"
        ]
    );
    assert_eq!(
        cells(ids[6], &["Outcome", "Message"]),
        ["not_deleted", "still listed after the reply was lost"]
    );

    let mut json = Vec::new();
    export::write_json(&mut json, snapshot.iter()).unwrap();
    let v: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let by_id = |id: EntryId| v.iter().find(|r| r["HistoryId"] == id.to_string()).unwrap();
    let topic = by_id(ids[3]);
    assert_eq!(topic["Kind"], "topic");
    assert_eq!(topic["Verb"], "create");
    assert_eq!(topic["Topic"], "orders-2");
    assert_eq!(topic["MessageType"], 1);
    assert_eq!(topic["InstanceId"], ON);
    assert_eq!(topic["InstanceName"], serde_json::Value::Null);
    assert_eq!(topic["Outcome"], "not_created");
    assert_eq!(topic["Code"], "Group.NumLimited");
    let group = by_id(ids[8]);
    assert_eq!(group["Kind"], "group");
    assert_eq!(group["Verb"], "delete");
    assert_eq!(group["GroupId"], "GID_orders-7");
    assert_eq!(group["GroupType"], serde_json::Value::Null);
    assert_eq!(group["Outcome"], "pending");
    let instance = by_id(ids[0]);
    assert_eq!(instance["Kind"], "instance");
    assert_eq!(instance["Verb"], "create");
    assert_eq!(instance["InstanceName"], "orders-prod");
    assert_eq!(instance["Topic"], serde_json::Value::Null);
}

/// A history written by the onsdesk before topic and group entries (format 2, with a rename,
/// a deletion, a cloud check and a removal) loads exactly as it did: every entry an instance
/// create with the same fields. It is converted once (the original kept aside byte for byte),
/// its instance entries are written as format 2 wrote them, and a topic entry can then be
/// added, by the appender `onsdesk` commands use too.
#[test]
fn a_format_2_file_loads_as_before_and_is_converted() {
    let dir = tempfile::tempdir().unwrap();
    let put_a = "{\"put\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"at\":\"2026-11-28T17:12:00.123+08:00\",\"name\":\"orders\",\"remark\":\"订单\",\"region\":\"cn-hangzhou\",\"endpoint\":\"https://ons.cn-hangzhou.aliyuncs.com/\",\"profile\":\"work\",\"status\":\"pending\"}}\n";
    let put_lost = "{\"put\":{\"id\":\"1c2d3e4f-5061-4728-9394-a5b6c7d8e9fa\",\"at\":\"2026-11-28T18:00:00+08:00\",\"name\":\"lost\",\"remark\":\"\",\"region\":\"cn-beijing\",\"endpoint\":\"https://ons.cn-beijing.aliyuncs.com/\",\"profile\":\"environment\",\"status\":{\"unknown\":{\"detail\":\"no reply\"}}}}\n";
    let v2 = [
        "{\"format\":\"onsdesk-history\",\"version\":2,\"file_id\":\"6f9619ff-8b86-4011-b42d-00c04fc964ff\",\"created\":\"2026-11-28T17:12:00+08:00\"}\n",
        put_a,
        "{\"status\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"status\":{\"created\":{\"instance_id\":\"MQ_INST_1_X\",\"instance_type\":1,\"request_id\":\"R\"}},\"at\":\"2026-11-28T17:12:01+08:00\"}}\n",
        "{\"cloud\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"cloud\":{\"state\":\"in_service\",\"checked_at\":\"2026-11-29T09:00:00+08:00\"}}}\n",
        "{\"edited\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"name\":\"orders-live\",\"at\":\"2026-11-29T10:00:00+08:00\"}}\n",
        "{\"deleted\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"at\":\"2026-11-30T10:00:00+08:00\"}}\n",
        put_lost,
        "{\"put\":{\"id\":\"2d3e4f50-6172-4839-a4a5-b6c7d8e9fa0b\",\"at\":\"2026-11-28T19:00:00+08:00\",\"name\":\"hidden\",\"remark\":\"\",\"region\":\"cn-beijing\",\"endpoint\":\"https://ons.cn-beijing.aliyuncs.com/\",\"profile\":\"work\",\"status\":\"pending\"}}\n",
        "{\"remove\":{\"id\":\"2d3e4f50-6172-4839-a4a5-b6c7d8e9fa0b\",\"at\":\"2099-01-01T00:00:00Z\"}}\n",
    ]
    .concat();
    let file = dir.path().join(FILE_NAME);
    std::fs::write(&file, &v2).unwrap();

    let (h, notices) = History::open(dir.path()).unwrap();
    let [Notice::Migrated { from: 2, kept_as }] = notices.as_slice() else {
        panic!("{notices:?}")
    };
    assert_eq!(
        std::fs::read_to_string(kept_as).unwrap(),
        v2,
        "kept as it was"
    );
    assert!(
        kept_as
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("history.v2-")
    );
    assert_eq!(h.len(), 2, "the removed entry stays removed");
    assert!(h.entries().all(|e| e.subject == Subject::Instance));
    let a = h
        .get("0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9".parse().unwrap())
        .unwrap();
    assert_eq!(a.instance_id(), Some("MQ_INST_1_X"));
    assert_eq!(a.instance(), Some("MQ_INST_1_X"));
    assert_eq!(a.name_text(), "orders → orders-live");
    assert_eq!(a.remark, "订单");
    assert_eq!(a.status_text(), "created · in service · deleted");
    assert_eq!(a.at_rfc3339(), "2026-11-28T17:12:00.123+08:00");
    let lost = h
        .get("1c2d3e4f-5061-4728-9394-a5b6c7d8e9fa".parse().unwrap())
        .unwrap();
    assert_eq!(lost.outcome(), EntryOutcome::Unknown);
    assert_eq!(lost.profile, "environment");
    let before = entries(&h);
    drop(h);

    // Converted: this version's header, and instance entries with no `subject`.
    let converted = std::fs::read_to_string(&file).unwrap();
    assert!(
        converted.starts_with(&format!(
            "{{\"format\":\"onsdesk-history\",\"version\":{}",
            format::FORMAT_VERSION
        )),
        "{converted}"
    );
    assert!(!converted.contains("subject"), "{converted}");
    // An entry that did not change since its `put` is written byte for byte as it was.
    assert!(converted.contains(put_lost), "{converted}");

    // What the commands append to it reads back beside the old entries.
    let (mut appender, notices) = Appender::open(dir.path()).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    let topic = appender
        .record_change_pending(topic_change(Verb::Delete, "orders"))
        .unwrap();
    let again = open_clean(dir.path());
    assert_eq!(entries(&again)[..2], before[..]);
    assert_eq!(again.get(topic).unwrap().subject.kind(), EntryKind::Topic);
    let converted = std::fs::read_to_string(&file).unwrap();
    let topic_line = converted.lines().last().unwrap();
    assert!(
        topic_line.contains(&format!(
            "\"subject\":{{\"topic\":{{\"instance_id\":\"{ON}\",\"verb\":\"delete\",\"message_type\":1}}}}"
        )),
        "{topic_line}"
    );
}

/// A topic or group entry whose InstanceId is not one (a hand-edited file) is an unreadable
/// line: the file is kept aside and every other entry carried over, as for any damage.
#[test]
fn a_topic_entry_with_a_forged_instance_id_is_damage_not_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (h, ids) = changes(dir.path());
    drop(h);
    let file = dir.path().join(FILE_NAME);
    let text = std::fs::read_to_string(&file).unwrap();
    let forged = text.replacen(ON, "MQ_INST_1\\u001b[2J", 2);
    assert_ne!(forged, text);
    std::fs::write(&file, forged).unwrap();
    let (h, notices) = History::open(dir.path()).unwrap();
    assert!(
        matches!(
            notices.as_slice(),
            [Notice::MovedAside {
                unreadable_lines: 1,
                ..
            }]
        ),
        "{notices:?}"
    );
    assert!(h.get(ids[1]).is_none(), "the forged entry is not shown");
    assert!(h.get(ids[2]).is_some());
    assert!(h.entries().all(|e| !e.name.contains('\u{1b}')));
}

/// What "refresh status" does with topic and group entries, given the lists it got: each
/// decided by the exact name (never a fuzzy sibling such as `payments-v2`), the newest of two
/// creates of one name adopted, an instance gone from the region's whole list taking its
/// topics and groups with it, an instance whose list failed left as it was, and a list that
/// left entries out settling what it lists but not what it does not.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one table of cases, recorded, listed and checked in order"
)]
fn refresh_settles_topic_and_group_entries_by_exact_name() {
    use onsdesk::history::refresh::{HeldListing, HeldNames, ScopeFailure, ScopeListing};
    use std::collections::HashSet;
    const GONE: &str = "MQ_INST_1880770869020000_GONEGONE";
    const FAILS: &str = "MQ_INST_1880770869020000_FAILFAIL";
    const PART: &str = "MQ_INST_1880770869020000_PARTPART";
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let on_instance = |on: &str, new: NewChange| {
        let mut new = new;
        match &mut new.resource {
            Resource::Topic { instance_id, .. } | Resource::Group { instance_id, .. } => {
                *instance_id = InstanceId::parse(on).unwrap();
            }
        }
        new
    };
    let mut record = |new: NewChange, outcome: Option<ChangeOutcome>| {
        let id = h.record_change_pending(new).unwrap();
        if let Some(outcome) = outcome {
            h.record_change_outcome(id, &outcome).unwrap();
        }
        id
    };
    let unknown = || {
        Some(ChangeOutcome::Unknown {
            detail: "no reply".to_owned(),
        })
    };
    let adopted = record(topic_change(Verb::Create, "orders"), None);
    let beside_a_sibling = record(topic_change(Verb::Create, "payments"), unknown());
    let gone = record(group_change(Verb::Delete, "GID_old"), unknown());
    let still_there = record(group_change(Verb::Delete, "GID_keep"), None);
    let deleted_elsewhere = record(topic_change(Verb::Create, "audit"), Some(done("R-1")));
    let in_service = record(topic_change(Verb::Create, "orders-v2"), Some(done("R-2")));
    let older_dup = record(topic_change(Verb::Create, "dup"), None);
    let newer_dup = record(topic_change(Verb::Create, "dup"), None);
    let instance_gone = record(on_instance(GONE, group_change(Verb::Create, "GID_x")), None);
    let list_failed = record(on_instance(FAILS, topic_change(Verb::Create, "t")), None);
    let listed_in_part = record(on_instance(PART, topic_change(Verb::Create, "seen")), None);
    let absent_from_part = record(on_instance(PART, topic_change(Verb::Delete, "maybe")), None);
    let refused = record(
        topic_change(Verb::Create, "orders"),
        Some(ChangeOutcome::Refused {
            code: "Topic.Exists".to_owned(),
            message: "exists".to_owned(),
            request_id: None,
        }),
    );

    // 45 minutes old (a killed process's, say): old enough to be settled as not in effect.
    crate::common::backdate_history(dir.path(), time::Duration::minutes(45));
    let mut h = open_clean(dir.path());
    let scopes = h.cloud_scopes(None);
    assert_eq!(scopes.len(), 1, "{scopes:?}");
    let scope = scopes.into_iter().next().unwrap();
    let ids = |list: &[&str]| -> Vec<String> { list.iter().map(|s| (*s).to_owned()).collect() };
    let as_ids = |set: &std::collections::BTreeSet<InstanceId>| -> Vec<String> {
        set.iter().map(ToString::to_string).collect()
    };
    assert_eq!(as_ids(&scope.topics_on), ids(&[ON, FAILS, PART]));
    assert_eq!(as_ids(&scope.groups_on), ids(&[ON, GONE]));
    let summary_of = |id: &str| listed_instance(id, "x");
    let names =
        |list: &[&str]| -> HashSet<String> { list.iter().map(|s| (*s).to_owned()).collect() };
    let listing = ScopeListing {
        scope: scope.clone(),
        result: Ok(vec![summary_of(ON), summary_of(FAILS), summary_of(PART)]),
        held: vec![
            HeldListing {
                kind: EntryKind::Topic,
                instance_id: InstanceId::parse(ON).unwrap(),
                result: Ok(HeldNames::whole(names(&[
                    "orders",
                    "orders-v2",
                    "payments-v2",
                    "dup",
                ]))),
            },
            HeldListing {
                kind: EntryKind::Group,
                instance_id: InstanceId::parse(ON).unwrap(),
                result: Ok(HeldNames::whole(names(&["GID_keep", "GID_old-v2"]))),
            },
            HeldListing {
                kind: EntryKind::Topic,
                instance_id: InstanceId::parse(FAILS).unwrap(),
                result: Err(onsdesk::api::ApiError::Setup(
                    onsdesk::api::SetupProblem::ListingStopped,
                )),
            },
            HeldListing {
                kind: EntryKind::Topic,
                instance_id: InstanceId::parse(PART).unwrap(),
                result: Ok(HeldNames {
                    left_out: 1,
                    ..HeldNames::whole(names(&["seen"]))
                }),
            },
        ],
        held_out_of_time: false,
    };
    let summary = h.apply_listings(&[listing]).unwrap();
    let failed: Vec<&str> = summary
        .failed
        .iter()
        .map(|(_, why)| match why {
            ScopeFailure::Held {
                kind: EntryKind::Topic,
                instance_id,
                ..
            } => instance_id.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(failed, [FAILS, PART], "{:?}", summary.failed);
    assert_eq!(summary.settled.len(), 7, "{:?}", summary.settled);

    let h = open_clean(dir.path());
    let outcome = |id: EntryId| h.get(id).unwrap().outcome();
    let cloud = |id: EntryId| h.get(id).unwrap().cloud.map(|c| c.state);
    assert_eq!(outcome(adopted), EntryOutcome::Adopted);
    assert_eq!(cloud(adopted), Some(CloudState::InService));
    assert_eq!(outcome(beside_a_sibling), EntryOutcome::NotCreated);
    assert_eq!(outcome(gone), EntryOutcome::Deleted);
    assert_eq!(h.get(gone).unwrap().status, Status::Seen);
    assert_eq!(outcome(still_there), EntryOutcome::NotDeleted);
    assert_eq!(
        h.get(still_there).unwrap().status_text(),
        "not deleted",
        "a delete's words"
    );
    assert_eq!(outcome(deleted_elsewhere), EntryOutcome::Created);
    assert_eq!(cloud(deleted_elsewhere), Some(CloudState::NotFound));
    assert_eq!(cloud(in_service), Some(CloudState::InService));
    assert_eq!(outcome(newer_dup), EntryOutcome::Adopted);
    assert_eq!(
        outcome(older_dup),
        EntryOutcome::Pending,
        "the newer one made it"
    );
    assert_eq!(outcome(instance_gone), EntryOutcome::NotCreated);
    assert_eq!(outcome(list_failed), EntryOutcome::Pending);
    assert_eq!(outcome(listed_in_part), EntryOutcome::Adopted);
    assert_eq!(
        outcome(absent_from_part),
        EntryOutcome::Pending,
        "a list that left entries out proves no absence"
    );
    assert_eq!(outcome(refused), EntryOutcome::NotCreated);
    assert_eq!(cloud(refused), None, "a refusal is left as it is");
}

/// A refresh lists for seconds; meanwhile another process (a script's create, the window)
/// settles its own entries. What it recorded stands: the refresh judges only the entries that
/// were there, unchanged, when it took its scopes, and decides under the lock.
#[test]
fn a_refresh_never_overwrites_what_another_process_settled_while_it_listed() {
    use onsdesk::history::refresh::{HeldListing, HeldNames, ScopeListing};
    use std::collections::HashSet;
    const MADE: &str = "MQ_INST_1880770869020000_MADEMADE";
    let dir = tempfile::tempdir().unwrap();
    let mut refresher = open_clean(dir.path());
    let mut script = open_clean(dir.path());
    // Pending when the refresh takes its scopes: an instance create and a topic create.
    let instance = script.record_pending(attempt("orders", "")).unwrap();
    let topic = script
        .record_change_pending(topic_change(Verb::Create, "audit"))
        .unwrap();
    // Old enough that a refresh settles what it does not see listed (see the test after this
    // one for a change just recorded): only the refresh's own care keeps them.
    crate::common::backdate_history(dir.path(), time::Duration::minutes(45));
    script.reload().unwrap();
    refresher.reload().unwrap();
    let scopes = refresher.cloud_scopes(None);
    // While the refresh lists, the script's creates end: both made.
    script
        .record_outcome(
            instance,
            Status::Created {
                instance_id: MADE.to_owned(),
                instance_type: 1,
                request_id: "5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB".to_owned(),
            },
        )
        .unwrap();
    script.record_change_outcome(topic, &done("R-1")).unwrap();
    // ... and a third attempt starts after the scopes were taken.
    let late = script
        .record_change_pending(topic_change(Verb::Create, "late"))
        .unwrap();
    // The lists were read before the service made any of them: the instance is listed under
    // its name (found by another attempt, say), the topics not at all.
    let listings: Vec<ScopeListing> = scopes
        .into_iter()
        .map(|scope| ScopeListing {
            result: Ok(vec![listed_instance(ON, "orders")]),
            held: vec![HeldListing {
                kind: EntryKind::Topic,
                instance_id: InstanceId::parse(ON).unwrap(),
                result: Ok(HeldNames::whole(HashSet::new())),
            }],
            held_out_of_time: false,
            scope,
        })
        .collect();
    let summary = refresher.apply_listings(&listings).unwrap();
    assert!(summary.adopted.is_empty(), "{:?}", summary.adopted);
    assert!(summary.settled.is_empty(), "{:?}", summary.settled);
    let h = open_clean(dir.path());
    assert_eq!(h.get(instance).unwrap().instance_id(), Some(MADE));
    assert_eq!(h.get(instance).unwrap().outcome(), EntryOutcome::Created);
    assert_eq!(h.get(topic).unwrap().outcome(), EntryOutcome::Created);
    assert_eq!(h.get(late).unwrap().outcome(), EntryOutcome::Pending);
}

/// A listing of every scope of `h` in which instance `ON` is listed, with these topics (each
/// with what its list says of it).
fn topics_listed(
    h: &History,
    topics: Vec<(&str, onsdesk::history::refresh::HeldFacts)>,
) -> Vec<onsdesk::history::refresh::ScopeListing> {
    use onsdesk::history::refresh::{HeldListing, HeldNames, ScopeListing};
    let names = HeldNames {
        facts: topics.into_iter().map(|(n, f)| (n.to_owned(), f)).collect(),
        left_out: 0,
    };
    h.cloud_scopes(None)
        .into_iter()
        .map(|scope| ScopeListing {
            result: Ok(vec![listed_instance(ON, "x")]),
            held: vec![HeldListing {
                kind: EntryKind::Topic,
                instance_id: InstanceId::parse(ON).unwrap(),
                result: Ok(names.clone()),
            }],
            held_out_of_time: false,
            scope,
        })
        .collect()
}

/// A refresh does not credit a topic or group create with what its instance lists under the
/// name when the list shows it is someone else's: of another type than the create asked for
/// (a type never changes), or made long before the create was recorded. Such an entry is
/// left as it was, never adopted; one the list may show it made is adopted.
#[test]
fn a_refresh_does_not_adopt_a_listed_one_of_another_type_or_made_long_before() {
    use onsdesk::history::refresh::{HeldFacts, LeftWhy};
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    // each asks for a partitionally ordered topic
    let other_type = h
        .record_change_pending(topic_change(Verb::Create, "payments"))
        .unwrap();
    let made_before = h
        .record_change_pending(topic_change(Verb::Create, "audit"))
        .unwrap();
    let made = h
        .record_change_pending(topic_change(Verb::Create, "orders"))
        .unwrap();
    let at = h.get(made).unwrap().at;
    let facts = |created: time::OffsetDateTime, message_type| HeldFacts {
        created: Some(created),
        message_type: Some(message_type),
        group_type: None,
    };
    let listings = topics_listed(
        &h,
        vec![
            ("payments", facts(at, MessageType::Normal)),
            (
                "audit",
                facts(at - time::Duration::days(400), MessageType::PartitionOrder),
            ),
            ("orders", facts(at, MessageType::PartitionOrder)),
        ],
    );
    let summary = h.apply_listings(&listings).unwrap();
    let settled: Vec<EntryId> = summary.settled.iter().map(|s| s.id).collect();
    assert_eq!(settled, [made], "{:?}", summary.settled);
    // the two left as they were are said, with why
    let mut left: Vec<(EntryId, &str, LeftWhy)> = summary
        .left
        .iter()
        .map(|l| (l.change.id, l.change.name.as_str(), l.why))
        .collect();
    left.sort_by_key(|l| l.1);
    assert_eq!(
        left,
        [
            (made_before, "audit", LeftWhy::SomeoneElses),
            (other_type, "payments", LeftWhy::SomeoneElses)
        ]
    );
    let h = open_clean(dir.path());
    assert_eq!(h.get(made).unwrap().outcome(), EntryOutcome::Adopted);
    for (what, id) in [
        ("of another type", other_type),
        ("made long before", made_before),
    ] {
        assert_eq!(
            h.get(id).unwrap().outcome(),
            EntryOutcome::Pending,
            "the one listed {what} is not this create's"
        );
    }
}

/// A delete whose name is listed again by one made since the delete was recorded is not
/// called "not deleted": what is listed is not the one it was aimed at. Listed by one made long
/// before, it is.
#[test]
fn a_refresh_does_not_call_a_delete_not_done_for_one_made_again_since() {
    use onsdesk::history::refresh::{HeldFacts, LeftWhy};
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let remade = h
        .record_change_pending(topic_change(Verb::Delete, "remade"))
        .unwrap();
    let kept = h
        .record_change_pending(topic_change(Verb::Delete, "kept"))
        .unwrap();
    // old enough to be settled
    crate::common::backdate_history(dir.path(), time::Duration::minutes(45));
    let mut h = open_clean(dir.path());
    let at = h.get(remade).unwrap().at;
    let facts = |created| HeldFacts {
        created: Some(created),
        message_type: Some(MessageType::PartitionOrder),
        group_type: None,
    };
    let listings = topics_listed(
        &h,
        vec![
            ("remade", facts(at + time::Duration::minutes(10))),
            ("kept", facts(at - time::Duration::days(400))),
        ],
    );
    let summary = h.apply_listings(&listings).unwrap();
    let settled: Vec<(EntryId, EntryOutcome)> =
        summary.settled.iter().map(|s| (s.id, s.outcome)).collect();
    assert_eq!(settled, [(kept, EntryOutcome::NotDeleted)], "{settled:?}");
    let left: Vec<(EntryId, LeftWhy)> = summary.left.iter().map(|l| (l.change.id, l.why)).collect();
    assert_eq!(left, [(remade, LeftWhy::MadeAgain)]);
    let h = open_clean(dir.path());
    assert_eq!(h.get(remade).unwrap().outcome(), EntryOutcome::Pending);
}

/// A change recorded minutes ago may still be on its way (another process may be sending it,
/// or waiting for its reply, and a request already sent can land up to 30 minutes later): a
/// refresh whose lists do not show it in effect leaves it as it was and says from when it can
/// be settled: 35 minutes after the last moment its process may send it (recorded with the
/// entry: here the default 150 s, and 10 minutes for a process with a longer deadline),
/// rounded up to the minute. What a list shows in effect is settled at once.
#[test]
fn a_refresh_leaves_a_change_just_recorded_that_it_does_not_see_in_effect() {
    use onsdesk::history::refresh::{HeldListing, HeldNames, ScopeListing};
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let create = h
        .record_change_pending(topic_change(Verb::Create, "audit"))
        .unwrap();
    // a process whose deadline and time limit let it send for 10 minutes
    h.set_send_window(std::time::Duration::from_mins(10));
    let delete = h
        .record_change_pending(group_change(Verb::Delete, "GID_keep"))
        .unwrap();
    h.set_send_window(onsdesk::history::DEFAULT_SEND_WINDOW);
    let made = h
        .record_change_pending(topic_change(Verb::Create, "orders"))
        .unwrap();
    let unknown = h
        .record_change_pending(group_change(Verb::Delete, "GID_old"))
        .unwrap();
    h.record_change_outcome(
        unknown,
        &ChangeOutcome::Unknown {
            detail: "no reply".to_owned(),
        },
    )
    .unwrap();
    let recorded_at = |id| h.get(id).unwrap().at;
    let (create_at, delete_at) = (recorded_at(create), recorded_at(delete));
    let minute_up = |t: time::OffsetDateTime| {
        let down = t.replace_second(0).unwrap().replace_nanosecond(0).unwrap();
        if down == t {
            t
        } else {
            down + time::Duration::MINUTE
        }
    };
    let create_settles = minute_up(create_at + time::Duration::seconds(150 + 35 * 60));
    let delete_settles = minute_up(delete_at + time::Duration::seconds(600 + 35 * 60));
    let whole = |list: &[&str]| HeldNames::whole(list.iter().map(|s| (*s).to_owned()).collect());
    let listings: Vec<ScopeListing> = h
        .cloud_scopes(None)
        .into_iter()
        .map(|scope| ScopeListing {
            result: Ok(vec![listed_instance(ON, "x")]),
            held: vec![
                HeldListing {
                    kind: EntryKind::Topic,
                    instance_id: InstanceId::parse(ON).unwrap(),
                    result: Ok(whole(&["orders"])),
                },
                HeldListing {
                    kind: EntryKind::Group,
                    instance_id: InstanceId::parse(ON).unwrap(),
                    result: Ok(whole(&["GID_keep"])),
                },
            ],
            held_out_of_time: false,
            scope,
        })
        .collect();
    let summary = h.apply_listings(&listings).unwrap();

    let settled: Vec<(EntryId, EntryOutcome)> =
        summary.settled.iter().map(|s| (s.id, s.outcome)).collect();
    assert_eq!(settled.len(), 2, "{:?}", summary.settled);
    assert!(
        settled.contains(&(made, EntryOutcome::Adopted)),
        "{settled:?}"
    );
    assert!(
        settled.contains(&(unknown, EntryOutcome::Deleted)),
        "{settled:?}"
    );
    let mut recent: Vec<_> = summary
        .recent
        .iter()
        .map(|r| {
            (
                r.change.id,
                r.change.verb,
                r.change.name.as_str(),
                r.settle_after,
            )
        })
        .collect();
    recent.sort_by_key(|r| r.3);
    assert_eq!(
        recent,
        [
            (create, Verb::Create, "audit", create_settles),
            (delete, Verb::Delete, "GID_keep", delete_settles),
        ]
    );
    assert_eq!(summary.recent_settle_after(), Some(delete_settles));
    let h = open_clean(dir.path());
    assert_eq!(h.get(create).unwrap().outcome(), EntryOutcome::Pending);
    assert_eq!(h.get(delete).unwrap().outcome(), EntryOutcome::Pending);
    assert_eq!(h.get(made).unwrap().outcome(), EntryOutcome::Adopted);
    assert_eq!(h.get(unknown).unwrap().outcome(), EntryOutcome::Deleted);
}

/// A refresh weighs every create of a name in the whole history, through any endpoint, what
/// other processes recorded while it listed included, and credits no entry with what another
/// may have made: an old pending create of a name another create made, before or after it
/// (through another endpoint, say), or that a later create still running may make, is left
/// as it was (not "not created": the name may have been deleted and made again in between),
/// and so is an old pending delete of a name made again after it (not "not deleted"). A delete
/// of a name made before it, and listed, is still "not deleted".
#[test]
fn a_refresh_credits_no_entry_with_what_another_create_may_have_made() {
    use onsdesk::history::refresh::{HeldListing, HeldNames, ScopeListing};
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let kept = h
        .record_change_pending(topic_change(Verb::Create, "keep"))
        .unwrap();
    h.record_change_outcome(kept, &done("R-0")).unwrap();
    let not_deleted = h
        .record_change_pending(topic_change(Verb::Delete, "keep"))
        .unwrap();
    let superseded = h
        .record_change_pending(topic_change(Verb::Create, "seq"))
        .unwrap();
    let deleted_before = h
        .record_change_pending(topic_change(Verb::Delete, "re"))
        .unwrap();
    let raced = h
        .record_change_pending(topic_change(Verb::Create, "race"))
        .unwrap();
    // 45 minutes ago: old enough to be settled by what the lists show.
    crate::common::backdate_history(dir.path(), time::Duration::minutes(45));
    let mut h = open_clean(dir.path());
    // Made by a later create through another endpoint (the VPC one, say).
    let made = h
        .record_change_pending(NewChange {
            endpoint: "http://localhost:9/".to_owned(),
            ..topic_change(Verb::Create, "seq")
        })
        .unwrap();
    h.record_change_outcome(made, &done("R-1")).unwrap();
    let remade = h
        .record_change_pending(topic_change(Verb::Create, "re"))
        .unwrap();
    h.record_change_outcome(remade, &done("R-2")).unwrap();
    let scopes = h.cloud_scopes(None);
    // Another process starts a create of "race" while the refresh lists.
    let mut other = open_clean(dir.path());
    let running = other
        .record_change_pending(topic_change(Verb::Create, "race"))
        .unwrap();
    h.reload().unwrap();
    let listings: Vec<ScopeListing> = scopes
        .into_iter()
        .map(|scope| ScopeListing {
            result: Ok(vec![listed_instance(ON, "x")]),
            held: vec![HeldListing {
                kind: EntryKind::Topic,
                instance_id: InstanceId::parse(ON).unwrap(),
                result: Ok(HeldNames::whole(
                    ["keep", "seq", "re", "race"]
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect(),
                )),
            }],
            held_out_of_time: false,
            scope,
        })
        .collect();
    let summary = h.apply_listings(&listings).unwrap();
    assert!(summary.recent.is_empty(), "{:?}", summary.recent);
    assert!(summary.adopted.is_empty(), "{:?}", summary.adopted);

    let h = open_clean(dir.path());
    let outcome = |id: EntryId| h.get(id).unwrap().outcome();
    assert_eq!(outcome(not_deleted), EntryOutcome::NotDeleted);
    assert_eq!(
        outcome(superseded),
        EntryOutcome::Pending,
        "not adopted beside `made`"
    );
    assert_eq!(outcome(made), EntryOutcome::Created);
    assert_eq!(outcome(deleted_before), EntryOutcome::Pending);
    assert_eq!(outcome(remade), EntryOutcome::Created);
    assert_eq!(
        outcome(raced),
        EntryOutcome::Pending,
        "not adopted over a running create"
    );
    assert_eq!(outcome(running), EntryOutcome::Pending);
}

/// An old pending instance create is not adopted while a later create of the name, which
/// another process started while the refresh listed, may be the one that made the instance.
#[test]
fn a_refresh_does_not_adopt_for_an_old_create_what_a_running_one_may_have_made() {
    use onsdesk::history::refresh::ScopeListing;
    const MADE: &str = "MQ_INST_1880770869020000_MADEMADE";
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let old = h.record_pending(attempt("orders", "")).unwrap();
    crate::common::backdate_history(dir.path(), time::Duration::minutes(45));
    let mut h = open_clean(dir.path());
    let scopes = h.cloud_scopes(None);
    let mut other = open_clean(dir.path());
    let running = other.record_pending(attempt("orders", "")).unwrap();
    h.reload().unwrap();
    let listings: Vec<ScopeListing> = scopes
        .into_iter()
        .map(|scope| ScopeListing {
            result: Ok(vec![listed_instance(MADE, "orders")]),
            held: Vec::new(),
            held_out_of_time: false,
            scope,
        })
        .collect();
    let summary = h.apply_listings(&listings).unwrap();
    assert!(summary.adopted.is_empty(), "{:?}", summary.adopted);
    let h = open_clean(dir.path());
    assert_eq!(h.get(old).unwrap().outcome(), EntryOutcome::Pending);
    assert_eq!(h.get(running).unwrap().outcome(), EntryOutcome::Pending);
}

/// An unknown instance create whose name the region's whole list does not hold is settled as
/// not created once none of its requests can land any more, and not before (until then it is
/// listed as recent, with no cloud check recorded). One whose name
/// is listed, by an instance that looks older than the attempt (the attempt's clock may have
/// been ahead), is neither adopted nor called not created.
#[test]
fn a_refresh_settles_an_old_unknown_instance_create_the_region_does_not_list() {
    use onsdesk::history::refresh::ScopeListing;
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_clean(dir.path());
    let unknown = |h: &mut History, name: &str| {
        let id = h.record_pending(attempt(name, "")).unwrap();
        h.record_outcome(
            id,
            Status::Unknown {
                detail: "no reply".to_owned(),
            },
        )
        .unwrap();
        id
    };
    let old = unknown(&mut h, "gone-for-good");
    let skewed = unknown(&mut h, "seen-through-a-skewed-clock");
    crate::common::backdate_history(dir.path(), time::Duration::minutes(45));
    let mut h = open_clean(dir.path());
    let young = h.record_pending(attempt("still-on-its-way", "")).unwrap();
    // made, by the service's clock, two hours before the attempt was recorded
    let made = h.get(skewed).unwrap().at - time::Duration::hours(2);
    let listings: Vec<ScopeListing> = h
        .cloud_scopes(None)
        .into_iter()
        .map(|scope| ScopeListing {
            result: Ok(vec![onsdesk::api::InstanceSummary {
                create_time: Some(made),
                ..listed_instance(
                    "MQ_INST_1880770869020000_SKEWSKEW",
                    "seen-through-a-skewed-clock",
                )
            }]),
            held: Vec::new(),
            held_out_of_time: false,
            scope,
        })
        .collect();
    let summary = h.apply_listings(&listings).unwrap();
    assert_eq!(
        summary.instances_not_created,
        [(old, "gone-for-good".to_owned())]
    );
    assert!(summary.adopted.is_empty(), "{:?}", summary.adopted);
    let h = open_clean(dir.path());
    assert_eq!(h.get(old).unwrap().outcome(), EntryOutcome::NotCreated);
    assert_eq!(h.get(skewed).unwrap().outcome(), EntryOutcome::Unknown);
    assert_eq!(h.get(young).unwrap().outcome(), EntryOutcome::Pending);
    // not listed, but its request may still land: left as it was, and said
    assert_eq!(h.get(young).unwrap().cloud, None);
    let recent: Vec<(EntryId, EntryKind, &str)> = summary
        .recent
        .iter()
        .map(|r| (r.change.id, r.change.kind, r.change.name.as_str()))
        .collect();
    assert_eq!(
        recent,
        [(young, EntryKind::Instance, "still-on-its-way")],
        "{:?}",
        summary.recent
    );
}
