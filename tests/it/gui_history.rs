//! The history panel through the real window: search, copy per row, refresh status against
//! the loopback sandbox, a corrupt file's notice, remove with undo, Ctrl+F, and another
//! process's append showing up. Each test keeps its history in its own temporary folder,
//! passed to the app (no environment variable), so the tests run in parallel.

use crate::gui_support;

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gui_support::*;
use onsdesk::app::{HistoryLocation, StartCredentials};
use onsdesk::credentials::Credentials;
use onsdesk::history::{History, NewAttempt, Status};
use onsdesk::region::Endpoint;

fn attempt(name: &str, remark: &str) -> NewAttempt {
    NewAttempt {
        name: name.to_owned(),
        remark: remark.to_owned(),
        region: "cn-hangzhou".to_owned(),
        endpoint: "http://127.0.0.1:9/".to_owned(),
        profile: "environment".to_owned(),
    }
}

fn created(id: &str) -> Status {
    Status::Created {
        instance_id: id.to_owned(),
        instance_type: 1,
        request_id: "REQ-1".to_owned(),
    }
}

/// Three created entries, written as another process would.
fn seed(dir: &Path) {
    let (mut h, _) = History::open(dir).unwrap();
    for (name, remark, id) in [
        ("orders-prod", "订单 主实例", "MQ_INST_1_AAAA"),
        ("payments-prod", "billing", "MQ_INST_2_BBBB"),
        ("audit-log", "", "MQ_INST_3_CCCC"),
    ] {
        let e = h.record_pending(attempt(name, remark)).unwrap();
        h.record_outcome(e, created(id)).unwrap();
    }
}

fn offline_with_history(
    rt: &tokio::runtime::Runtime,
    dir: &Path,
) -> egui_kittest::Harness<'static, onsdesk::app::OnsApp> {
    let mut h = TestApp::new(StartCredentials::Given(Credentials::new(
        "test-id",
        "test-secret".into(),
    )))
    .endpoint("http://127.0.0.1:9/")
    .history(HistoryLocation::Dir(dir.to_path_buf()))
    .start(rt);
    step_until(&mut h, "the history to load", |h| {
        !has_label(h, "Loading the history…")
    });
    h
}

#[test]
fn search_filters_the_table_by_name_id_and_remark() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    for name in ["orders-prod", "payments-prod", "audit-log"] {
        assert!(has_label(&h, name), "{name} should be listed");
    }
    assert!(has_label(&h, "3 entries"));

    type_into(&mut h, "Search", "PAY");
    assert!(has_label(&h, "payments-prod"));
    assert!(!has_label(&h, "orders-prod"));
    assert!(!has_label(&h, "audit-log"));
    assert!(has_label(&h, "1 of 3"));

    // By InstanceId, and by remark (Chinese).
    h.get_by_label("Search").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Search").type_text("inst_3");
    h.step();
    assert!(has_label(&h, "audit-log"));
    assert!(!has_label(&h, "payments-prod"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Search").type_text("主实例");
    h.step();
    assert!(has_label(&h, "orders-prod"));
    assert!(!has_label(&h, "audit-log"));

    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.get_by_label("Search").type_text("nothing-like-this");
    h.step();
    assert!(has_label(&h, "No entry matches the search."));
}

#[test]
fn ctrl_f_focuses_the_search() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    assert!(!h.get_by_label("Search").is_focused());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.step();
    h.step();
    assert!(h.get_by_label("Search").is_focused());
    h.event(egui::Event::Text("audit".to_owned()));
    h.step();
    assert!(has_label(&h, "audit-log"));
    assert!(!has_label(&h, "orders-prod"));
}

#[test]
fn the_copy_button_puts_exactly_that_rows_id_on_the_clipboard() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    h.get_by_label("Copy instance ID MQ_INST_2_BBBB").click();
    h.step();
    assert_eq!(copied_texts(&h), vec!["MQ_INST_2_BBBB".to_owned()]);
    h.get_by_label("Copy instance ID MQ_INST_3_CCCC").click();
    h.step();
    assert_eq!(copied_texts(&h), vec!["MQ_INST_3_CCCC".to_owned()]);
}

#[test]
fn a_window_create_is_recorded_and_refresh_status_marks_a_deleted_instance() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the empty history", |h| {
        has_label_containing(h, "No create attempts recorded yet.")
    });

    h.get_by_label("Instance name").type_text("orders-prod");
    h.step();
    h.key_press(Key::Enter);
    step_until(&mut h, "the history row", |h| {
        has_label(h, "orders-prod") && has_label_containing(h, "✔ created")
    });
    let id = sandbox.instances()[0].id.clone();
    assert!(has_label(&h, &format!("Copy instance ID {id}")));
    // The file holds the pending record first, then the outcome.
    let text = std::fs::read_to_string(dir.path().join(onsdesk::history::FILE_NAME)).unwrap();
    let pending = text.find("\"pending\"").expect("a pending record");
    let outcome = text.find(&id).expect("the outcome");
    assert!(pending < outcome, "{text}");

    // Still there: in service. The pointer starts away from the button, as a hand would (a
    // slow run otherwise has the click land while the button's tooltip opens).
    h.get_by_label("History").hover();
    h.step();
    h.get_by_label("Refresh status").click();
    step_until(&mut h, "the first refresh", |h| {
        has_label_containing(h, "Checked: 1 in service")
    });
    assert!(has_label_containing(&h, "created · in service"));

    assert!(sandbox.delete_instance(&id));
    // The pointer leaves the button (its tooltip showed) and comes back, as a hand would.
    h.get_by_label("History").hover();
    h.step();
    h.get_by_label("Refresh status").click();
    step_until(&mut h, "the second refresh", |h| {
        has_label_containing(h, "Checked: 0 in service, 1 not found in the cloud")
    });
    assert!(has_label_containing(
        &h,
        "⚠ created · not found in the cloud"
    ));
}

#[test]
fn refresh_adopts_a_pending_entry_by_exact_name() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::parse(&sandbox.url()).unwrap().to_string();
    // A create whose reply was lost: pending in the history, created in the cloud.
    {
        let (mut history, _) = History::open(dir.path()).unwrap();
        history
            .record_pending(NewAttempt {
                endpoint: endpoint.clone(),
                ..attempt("lost-reply", "")
            })
            .unwrap();
        // Another profile's entry is skipped, never marked "not found".
        history
            .record_pending(NewAttempt {
                endpoint,
                profile: "someone-else".to_owned(),
                ..attempt("not-mine", "")
            })
            .unwrap();
    }
    // The instance the lost reply would have named.
    let made = create_behind_the_window(&rt, &sandbox, "lost-reply");
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the history", |h| has_label(h, "lost-reply"));
    assert!(!has_label(
        &h,
        &format!("Copy instance ID {}", made.instance_id)
    ));
    h.get_by_label("Refresh status").click();
    step_until(&mut h, "the refresh", |h| {
        has_label_containing(h, "Checked:")
    });
    assert!(has_label_containing(
        &h,
        "Checked: 1 in service, 0 not found in the cloud, 1 adopted by name."
    ));
    assert!(has_label_containing(
        &h,
        "1 entries made with other credentials"
    ));
    assert!(has_label(
        &h,
        &format!("Copy instance ID {}", made.instance_id)
    ));
    assert!(has_label_containing(&h, "✔ adopted · in service"));
    // Another profile's entry stays as it was.
    assert!(has_label(&h, "⚠ pending"));
}

/// "Refresh status" with a real key never sends it to a loopback endpoint named in the
/// history (whatever listens there could collect it): that entry is listed as not checked.
#[test]
fn refresh_with_a_real_key_does_not_send_it_to_loopback() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::parse(&sandbox.url()).unwrap().to_string();
    {
        let (mut history, _) = History::open(dir.path()).unwrap();
        let e = history
            .record_pending(NewAttempt {
                endpoint: endpoint.clone(),
                ..attempt("made-on-loopback", "")
            })
            .unwrap();
        history
            .record_outcome(e, created("MQ_INST_1_AAAA"))
            .unwrap();
    }
    let mut h = TestApp::new(StartCredentials::Given(Credentials::new(
        "ExampleKeyOfSomeone",
        "a-real-secret".into(),
    )))
    .history(HistoryLocation::Dir(dir.path().to_path_buf()))
    .start(&rt);
    step_until(&mut h, "the history to load", |h| {
        !has_label(h, "Loading the history…")
    });
    h.get_by_label("Refresh status").click();
    step_until(&mut h, "the refresh", |h| {
        has_label_containing(h, "Checked:")
    });
    assert_eq!(sandbox.requests_seen(), 0, "the real key went to loopback");
    assert!(
        has_label_containing(
            &h,
            &format!("Could not check cn-hangzhou at {endpoint}: a custom endpoint")
        ),
        "{}",
        dump(&h)
    );
}

#[test]
fn a_corrupt_history_file_is_kept_aside_and_the_window_says_so() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(onsdesk::history::FILE_NAME),
        "this is not a history\n",
    )
    .unwrap();
    let h = offline_with_history(&rt, dir.path());
    assert!(has_label_containing(
        &h,
        "⚠ The history file could not be read"
    ));
    assert!(has_label_containing(&h, "history.corrupt-"));
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("history.corrupt-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).unwrap(),
        "this is not a history\n"
    );
}

/// In Chinese, an entry made through a custom endpoint says in Chinese why "Refresh status"
/// did not check it (the credentials are not sent there unasked).
#[test]
fn refresh_says_in_chinese_why_a_custom_endpoint_was_not_checked() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut h, _) = History::open(dir.path()).unwrap();
        let e = h
            .record_pending(NewAttempt {
                endpoint: "https://ons.custom-gateway.example/".to_owned(),
                ..attempt("gateway-made", "")
            })
            .unwrap();
        h.record_outcome(e, created("MQ_INST_9_GATE")).unwrap();
    }
    let mut h = offline_with_history(&rt, dir.path());
    click(&mut h, "中文");
    step_until(&mut h, "the window in Chinese", |h| {
        has_label(h, "刷新状态")
    });
    click(&mut h, "刷新状态");
    step_until(&mut h, "the refresh to finish", |h| {
        has_label_containing(h, "无法查询")
    });
    assert!(has_label_containing(&h, "自定义接入点"), "{}", dump(&h));
    assert!(!tree_contains(&h, "custom endpoint"), "{}", dump(&h));
}

/// In Chinese, a history that cannot be opened says why in Chinese: what the history tried is
/// the window's words, only the system's own message is quoted.
#[test]
fn a_history_that_cannot_be_opened_says_why_in_chinese() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    // A file where the history's folder should be.
    let not_a_folder = dir.path().join("not-a-folder");
    std::fs::write(&not_a_folder, b"").unwrap();
    let mut h = offline_with_history(&rt, &not_a_folder);
    click(&mut h, "中文");
    step_until(&mut h, "the history's problem in Chinese", |h| {
        has_label_containing(h, "无法打开创建记录")
    });
    assert!(has_label_containing(&h, "无法锁定"), "{}", dump(&h));
    assert!(!tree_contains(&h, "could not"), "{}", dump(&h));
}

#[test]
fn remove_hides_an_entry_locally_and_undo_brings_it_back() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    h.get_by_label("payments-prod").click();
    h.step();
    h.step();
    // The detail view: remark, Request ID, endpoint, profile.
    assert!(has_label(&h, "billing"));
    assert!(has_label(&h, "REQ-1"));
    assert!(has_label(&h, "http://127.0.0.1:9/"));
    assert!(has_label_containing(
        &h,
        "The instance in Alibaba Cloud is not touched."
    ));
    h.get_by_label("Remove from history").click();
    step_until(&mut h, "the removal", |h| {
        has_label_containing(h, "Removed “payments-prod”")
    });
    assert!(!has_label(&h, "payments-prod"));
    assert!(has_label(&h, "2 entries"));
    let (other, _) = History::open(dir.path()).unwrap();
    assert_eq!(other.len(), 2, "removed on disk too");

    h.get_by_label("Undo").click();
    step_until(&mut h, "the undo", |h| has_label(h, "payments-prod"));
    assert!(has_label(&h, "3 entries"));
    let (other, _) = History::open(dir.path()).unwrap();
    assert_eq!(other.len(), 3);
}

#[test]
fn an_append_by_another_process_shows_up_without_input() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    assert!(!has_label(&h, "from-the-cli"));
    let (mut other, _) = History::open(dir.path()).unwrap();
    let e = other.record_pending(attempt("from-the-cli", "")).unwrap();
    other.record_outcome(e, created("MQ_INST_4_DDDD")).unwrap();
    step_until(&mut h, "the other process's entry", |h| {
        has_label(h, "from-the-cli")
    });
    assert!(has_label(&h, "4 entries"));
}

#[test]
fn export_writes_the_shown_entries_to_a_file_and_shows_its_path() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    type_into(&mut h, "Search", "prod");
    h.get_by_label("Export").click();
    h.step();
    h.get_by_label("Save as CSV").click();
    step_until(&mut h, "the export", |h| {
        has_label_containing(h, "Exported 2 entries to")
    });
    let path = h
        .query_all_by_label_contains("onsdesk-history-")
        .next()
        .and_then(|n| n.accesskit_node().value())
        .unwrap();
    assert!(
        path.starts_with(&dir.path().display().to_string()),
        "{path}"
    );
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("orders-prod") && csv.contains("payments-prod"));
    assert!(!csv.contains("audit-log"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the export is readable by its owner alone");
    }
}

#[test]
fn a_large_history_is_searched_in_the_background() {
    use onsdesk::history::format::{self, Header, Record};
    use onsdesk::history::{Entry, EntryId, Subject};
    // More entries than the window searches inline, written as a compacted log.
    const N: usize = 20_001;
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let at = time::OffsetDateTime::now_utc();
    let mut bytes = Vec::new();
    format::write_line(&mut bytes, &Header::new(at)).unwrap();
    for i in 0..N {
        let entry = Entry {
            id: EntryId::new(),
            at,
            name: format!("bulk-{i}"),
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: "http://127.0.0.1:9/".to_owned(),
            profile: "environment".to_owned(),
            status: created(&format!("MQ_INST_9_{i:06}")),
            cloud: None,
            later: None,
            subject: Subject::Instance,
            sends_until: None,
        };
        format::write_line(&mut bytes, &Record::Put(entry)).unwrap();
    }
    std::fs::write(dir.path().join(onsdesk::history::FILE_NAME), bytes).unwrap();
    let mut h = offline_with_history(&rt, dir.path());
    step_until(&mut h, "the table", |h| has_label(h, "20001 entries"));
    type_into(&mut h, "Search", "bulk-1234");
    step_until(&mut h, "the search result", |h| has_label(h, "11 of 20001"));
    // Newest first: the last written is on top.
    assert!(has_label(&h, "bulk-12349"));
    assert!(!has_label(&h, "bulk-2"));
}

/// A topic delete and a pending group create, as the Topics and Groups panes record them: each
/// is a row marked with its kind, with the instance it is on, and words of its own; the detail
/// names kind and verb; and the start-up banner counts the pending one apart from instances.
#[test]
fn topic_and_group_entries_show_their_kind_and_their_instance() {
    use onsdesk::history::{ChangeOutcome, NewChange, Resource, Verb};
    use onsdesk::ids::{InstanceId, RequestId};
    const ON: &str = "MQ_INST_1880770869020000_BXSuW61e";
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut h, _) = History::open(dir.path()).unwrap();
        let change = |verb, resource| NewChange {
            verb,
            resource,
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: "http://127.0.0.1:9/".to_owned(),
            profile: "environment".to_owned(),
        };
        let on = InstanceId::parse(ON).unwrap();
        let topic = h
            .record_change_pending(change(
                Verb::Delete,
                Resource::Topic {
                    instance_id: on.clone(),
                    topic: "orders-old".to_owned(),
                    message_type: None,
                },
            ))
            .unwrap();
        let request_id = RequestId::parse("R-1").unwrap();
        h.record_change_outcome(topic, &ChangeOutcome::Done { request_id })
            .unwrap();
        h.record_change_pending(change(
            Verb::Create,
            Resource::Group {
                instance_id: on,
                group_id: "GID_orders".to_owned(),
                group_type: None,
            },
        ))
        .unwrap();
    }
    let mut h = offline_with_history(&rt, dir.path());
    step_until(&mut h, "the rows", |h| has_label(h, "orders-old"));
    assert!(has_label(&h, "topic"), "{}", dump(&h));
    assert!(has_label(&h, "group"), "{}", dump(&h));
    assert!(has_label(&h, "✔ deleted"), "{}", dump(&h));
    assert!(has_label(&h, "⚠ pending"), "{}", dump(&h));
    // Both rows name their instance, each with its copy button.
    assert_eq!(
        h.query_all_by_label(&format!("Copy instance ID {ON}"))
            .count(),
        2
    );
    assert!(
        has_label_containing(
            &h,
            "1 earlier topic or group create or delete has no known outcome"
        ),
        "{}",
        dump(&h)
    );
    assert!(!has_label_containing(
        &h,
        "earlier create has no known outcome"
    ));

    click(&mut h, "orders-old");
    h.run();
    assert!(has_label(&h, "Topic · delete"), "{}", dump(&h));
    assert!(has_label(
        &h,
        &format!("Copy instance ID {ON} from the details")
    ));
}

/// Two entries of one account, as their IDs look: the same start, a different end.
fn seed_one_account(dir: &Path) -> [&'static str; 2] {
    let ids = [
        "MQ_INST_1880770869020000_AAAAaaaa",
        "MQ_INST_1880770869020000_BBBBbbbb",
    ];
    let (mut h, _) = History::open(dir).unwrap();
    for (name, id) in [("orders-prod", ids[0]), ("payments-prod", ids[1])] {
        let e = h.record_pending(attempt(name, "")).unwrap();
        h.record_outcome(e, created(id)).unwrap();
    }
    ids
}

#[test]
fn an_instance_id_too_long_for_its_column_is_cut_in_the_middle() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let ids = seed_one_account(dir.path());
    let mut h = offline_with_history(&rt, dir.path());
    h.set_size(egui::vec2(720.0, 480.0));
    h.run();
    let painted = painted_texts(&h);
    for id in ids {
        // What tells two IDs of one account apart is their end.
        let end = &id[id.len() - 8..];
        assert!(
            painted
                .iter()
                .any(|p| p.shown.contains('…') && p.shown.ends_with(end)),
            "{id} is not shown with its end: {:?}",
            painted
                .iter()
                .filter(|p| p.shown.starts_with("MQ_INST"))
                .collect::<Vec<_>>()
        );
    }
    // The whole ID is still what a screen reader gets.
    assert!(tree_contains(&h, ids[0]));
}

#[test]
fn a_deleted_instance_is_not_shown_in_a_success_colour() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut history, _) = History::open(dir.path()).unwrap();
        let e = history.record_pending(attempt("gone-prod", "")).unwrap();
        history
            .record_outcome(e, created("MQ_INST_1880770869020000_DDDDdddd"))
            .unwrap();
        history.record_deleted(e).unwrap();
    }
    let h = offline_with_history(&rt, dir.path());
    let status = painted_texts(&h)
        .into_iter()
        .find(|p| p.shown.contains("deleted"))
        .expect("the status cell");
    // The colours of good news in either theme.
    let good = [
        egui::Color32::from_rgb(0x6c, 0xc6, 0x7c),
        egui::Color32::from_rgb(0x1a, 0x7f, 0x37),
    ];
    assert!(!good.contains(&status.color), "{status:?}");
    assert!(!status.shown.contains('✔'), "{status:?}");
}

/// A topic create recorded a moment ago (by a script still waiting for its reply, say) that
/// its instance does not list yet is left pending by "Refresh status", which says so and from
/// when it can be settled, in English and in Chinese.
#[test]
fn refresh_leaves_a_change_just_recorded_and_says_when_to_ask_again() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let made = create_behind_the_window(&rt, &sandbox, "legacy-orders");
    let dir = tempfile::tempdir().unwrap();
    record_pending_topic_create(
        dir.path(),
        &sandbox,
        made.instance_id.clone(),
        "orders-on-its-way",
    );
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the history", |h| has_label(h, "orders-on-its-way"));
    refresh_leaves_it_pending_and_says(
        &mut h,
        "1 create or delete is left as it was: it may still be on its way. Refresh again after ",
        "1 次创建或删除可能仍在进行中",
    );
    assert!(!tree_contains(&h, "on its way"), "{}", dump(&h));
}

/// Presses "Refresh status", checks the summary says `en` and the entry stays pending, then
/// does the same in Chinese, where the summary says `zh`.
fn refresh_leaves_it_pending_and_says(
    h: &mut egui_kittest::Harness<'static, onsdesk::app::OnsApp>,
    en: &str,
    zh: &str,
) {
    h.get_by_label("Refresh status").click();
    step_until(h, "the refresh", |h| has_label_containing(h, "Checked:"));
    assert!(has_label_containing(h, en), "{}", dump(h));
    assert!(has_label(h, "⚠ pending"), "{}", dump(h));

    click(h, "中文");
    step_until(h, "the window in Chinese", |h| has_label(h, "刷新状态"));
    click(h, "刷新状态");
    step_until(h, "the refresh in Chinese", |h| {
        has_label_containing(h, "已查询")
    });
    assert!(has_label_containing(h, zh), "{}", dump(h));
}

/// Another onsdesk process holding the history's lock and never letting go (stopped, or stuck
/// on a hung disk): the window says so instead of waiting for ever, sends no create while the
/// create cannot be recorded first, and opens the history by itself once the lock is free.
#[test]
fn a_history_held_by_another_process_holds_creates_back_until_it_is_free() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let held = onsdesk::files::lock(&dir.path().join(onsdesk::history::LOCK_NAME)).unwrap();
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the window to give up waiting", |h| {
        has_label_containing(h, "✖ The history is in use by another onsdesk process")
    });

    h.get_by_label("Instance name")
        .type_text("waits-for-history");
    h.step();
    h.key_press(Key::Enter);
    step_until(&mut h, "the create held back", |h| {
        has_label_containing(
            h,
            "The attempt could not be recorded in the history, so nothing was sent.",
        )
    });
    assert_eq!(sandbox.action_count("OnsInstanceCreate"), 0, "{}", dump(&h));

    drop(held);
    step_until(&mut h, "the history opened", |h| {
        has_label_containing(h, "No create attempts recorded yet.")
    });
    // The panel's banner is gone (the card still tells what happened to the held-back create).
    assert!(
        !has_label_containing(&h, "✖ The history is in use"),
        "{}",
        dump(&h)
    );
    h.get_by_label("Instance name").focus();
    h.step();
    h.key_press(Key::Enter);
    step_until(&mut h, "the create recorded", |h| {
        has_label(h, "waits-for-history") && has_label_containing(h, "✔ created")
    });
    assert_eq!(sandbox.instances().len(), 1);
}

/// A topic create left pending whose name the instance lists as a topic made a month before
/// it (someone else's): "Refresh status" cannot tell whether the create did anything, leaves
/// it pending, and says so, in English and in Chinese.
#[test]
fn refresh_says_it_leaves_a_create_whose_name_is_someone_elses() {
    use onsdesk::sandbox::{SeedInstance, SeedTopic};
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let theirs = sandbox.seed_instance(&SeedInstance {
        topics: SeedTopic::numbered(1),
        ..SeedInstance::new("legacy-orders", "cn-hangzhou")
    });
    let dir = tempfile::tempdir().unwrap();
    let on = onsdesk::ids::InstanceId::parse(&theirs).unwrap();
    record_pending_topic_create(dir.path(), &sandbox, on, "topic-1");
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the history", |h| has_label(h, "topic-1"));
    refresh_leaves_it_pending_and_says(
        &mut h,
        "1 create or delete is left as it was: its name is listed, but not as its own doing \
         (someone else's, made again since, or another attempt's).",
        "1 次创建或删除保持原状：其名称已列出，但无法确认是其所为",
    );
}

/// Records in `dir`'s history a topic create on `on` through `sandbox` with the environment's
/// key, pending: as a script would leave it while waiting for its reply.
fn record_pending_topic_create(
    dir: &Path,
    sandbox: &onsdesk::sandbox::Sandbox,
    on: onsdesk::ids::InstanceId,
    topic: &str,
) {
    use onsdesk::history::{NewChange, Resource, Verb};
    let (mut history, _) = History::open(dir).unwrap();
    history
        .record_change_pending(NewChange {
            verb: Verb::Create,
            resource: Resource::Topic {
                instance_id: on,
                topic: topic.to_owned(),
                message_type: None,
            },
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: Endpoint::parse(&sandbox.url()).unwrap().to_string(),
            profile: "environment".to_owned(),
        })
        .unwrap();
}
