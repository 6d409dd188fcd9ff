//! An instance's Topics, Groups and Connect panes against the in-process sandbox, through the
//! accessibility tree: the live lists (search, Copy, rows a screen reader can read), the add
//! forms' live checks (nothing sent on a refusal), creates and deletes through the safe core
//! (a lost reply sent once and settled by looking), a topic followed from "creating" to "in
//! service" without keeping the window busy, and the client config (parsed per format, the
//! AccessKey ID in it, never the secret).

use crate::gui_support;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gui_support::*;
use onsdesk::app::OnsApp;
use onsdesk::sandbox::{
    DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, Faults, GroupType, Sandbox, SeedGroup,
    SeedInstance, SeedTopic,
};

const TOPIC_CREATE: &str = "OnsTopicCreate";
const TOPIC_DELETE: &str = "OnsTopicDelete";
const GROUP_CREATE: &str = "OnsGroupCreate";
const GROUP_DELETE: &str = "OnsGroupDelete";

/// Held for the whole test: dropping the runtime stops every request.
struct Setup {
    _rt: tokio::runtime::Runtime,
    sandbox: Sandbox,
    h: Harness<'static, OnsApp>,
    /// `legacy-orders`: topics orders (normal), orders-v2 (partitionally ordered), payments
    /// (transactional); groups GID_orders (tcp) and GID_web (http).
    legacy: String,
    /// `bare`: nothing in it.
    bare: String,
}

fn topic(name: &str, message_type: u8) -> SeedTopic {
    SeedTopic {
        message_type,
        remark: format!("{name} events"),
        ..SeedTopic::named(name)
    }
}

fn group(id: &str, group_type: GroupType) -> SeedGroup {
    SeedGroup {
        id: id.to_owned(),
        group_type,
        remark: String::new(),
    }
}

/// The window on a sandbox with `legacy-orders` and `bare`, on the Instances view, with
/// `instance`'s `tab` open.
fn setup(instance: &str, tab: &str) -> Setup {
    setup_with_history(instance, tab, None)
}

/// [`setup`], keeping the window's history in `history` (none when `None`).
fn setup_with_history(instance: &str, tab: &str, history: Option<&std::path::Path>) -> Setup {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let legacy = sandbox.seed_instance(&SeedInstance {
        topics: vec![
            topic("orders", 0),
            topic("orders-v2", 1),
            topic("payments", 4),
        ],
        groups: vec![
            group("GID_orders", GroupType::Tcp),
            group("GID_web", GroupType::Http),
        ],
        ..SeedInstance::new("legacy-orders", "cn-hangzhou")
    });
    let bare = sandbox.seed_instance(&SeedInstance::new("bare", "cn-hangzhou"));
    let mut h = match history {
        Some(dir) => app_on_with_history(&rt, &sandbox, dir),
        None => app_on(&rt, &sandbox),
    };
    click(&mut h, "Instances");
    step_until(&mut h, "the list", |h| {
        has_label(h, "legacy-orders") && has_label(h, "bare")
    });
    open(&mut h, instance, tab);
    Setup {
        _rt: rt,
        sandbox,
        h,
        legacy,
        bare,
    }
}

/// Selects `instance` and opens the tab `tab` (or `tab (N)`, a counted one), once its lists are
/// in.
fn open(h: &mut Harness<'static, OnsApp>, instance: &str, tab: &str) {
    click(h, instance);
    step_until(h, "the counted tabs", |h| {
        has_label_containing(h, "Topics (") && has_label_containing(h, "Groups (")
    });
    let name = h
        .query_all(egui_kittest::kittest::by())
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l == tab || l.starts_with(&format!("{tab} (")))
        .unwrap_or_else(|| panic!("no tab {tab}: {}", dump(h)));
    click(h, &name);
    h.run();
}

/// Picks `option` in the selector `combo`.
fn choose(h: &mut Harness<'static, OnsApp>, combo: &str, option: &str) {
    click(h, combo);
    h.step();
    if h.query_by_label(option).is_none() {
        // The first click can land while egui is still closing the last popup: once more.
        h.step();
        click(h, combo);
        h.step();
    }
    click(h, option);
    h.step();
    h.step();
    assert_eq!(
        combo_value(h, combo).as_deref(),
        Some(option),
        "{}",
        dump(h)
    );
}

/// Replaces the text of the field labelled `label`.
fn retype(h: &mut Harness<'static, OnsApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.key_press(Key::Backspace);
    h.step();
    if !text.is_empty() {
        h.get_by_label(label).type_text(text);
    }
    h.step();
    h.step();
}

fn topics_of(sandbox: &Sandbox, id: &str) -> Vec<String> {
    let mut names: Vec<String> = sandbox
        .topics(id)
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    names.sort();
    names
}

fn groups_of(sandbox: &Sandbox, id: &str) -> Vec<String> {
    let mut ids: Vec<String> = sandbox
        .groups(id)
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    ids.sort();
    ids
}

/// Steps until nothing asks for another frame; false if that does not happen `within`.
fn settles(h: &mut Harness<'static, OnsApp>, within: Duration) -> bool {
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        h.step();
        if !h.ctx.has_requested_repaint() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// Whether a live status node says something containing `part` (what other screen readers
/// announce).
fn announced(h: &Harness<'static, OnsApp>, part: &str) -> bool {
    h.query_all(egui_kittest::kittest::by().predicate(move |n| {
        n.role() == egui::accesskit::Role::Status && n.label().is_some_and(|l| l.contains(part))
    }))
    .next()
    .is_some()
}

#[test]
fn the_topics_list_reads_as_rows_searches_and_copies() {
    let Setup { mut h, _rt, .. } = setup("legacy-orders", "Topics");
    assert!(has_label(&h, "Topics (3)"), "{}", dump(&h));
    for row in [
        "topic orders, normal, in service",
        "topic orders-v2, partitionally ordered, in service",
        "topic payments, transactional, in service",
    ] {
        assert!(has_label(&h, row), "{row} not in {}", dump(&h));
    }
    type_into(&mut h, "Search topics", "V2");
    assert!(has_label(
        &h,
        "topic orders-v2, partitionally ordered, in service"
    ));
    assert!(!has_label(&h, "topic orders, normal, in service"));
    assert!(has_label(&h, "1 of 3 topics"), "{}", dump(&h));
    // By remark too.
    retype(&mut h, "Search topics", "payments events");
    assert!(has_label(&h, "topic payments, transactional, in service"));
    assert!(!has_label(
        &h,
        "topic orders-v2, partitionally ordered, in service"
    ));
    click(&mut h, "Copy the topic name payments");
    assert_eq!(copied_texts(&h), vec!["payments".to_owned()]);
}

#[test]
fn the_groups_list_reads_as_rows_and_copies() {
    let Setup { mut h, _rt, .. } = setup("legacy-orders", "Groups");
    assert!(has_label(&h, "group GID_orders, TCP"), "{}", dump(&h));
    assert!(has_label(&h, "group GID_web, HTTP"));
    click(&mut h, "Copy the group ID GID_web");
    assert_eq!(copied_texts(&h), vec!["GID_web".to_owned()]);
}

#[test]
fn a_refused_topic_name_says_why_under_the_field_and_sends_nothing() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Topics");
    for (typed, reason, said) in [
        (
            "ab",
            "Too short: 2 characters",
            "Too short: a topic name needs at least 3",
        ),
        (
            "GIDorders",
            "cannot start with GID",
            "cannot start with GID",
        ),
        (
            "orders.v3",
            "Character 7, '.' (U+002E), is not allowed",
            "Character 7, '.' (U+002E), is not allowed",
        ),
        // Held already (the list on screen says so before anything is sent).
        (
            "orders",
            "orders is already a topic of this instance",
            "orders is already a topic of this instance",
        ),
    ] {
        retype(&mut h, "Topic name", typed);
        assert!(
            has_label_containing(&h, reason),
            "{typed}: {reason:?} not in {}",
            dump(&h)
        );
        assert!(!is_enabled(&h, "Create topic"), "{typed}");
        // The reason is the field's description: a screen reader says it with the field.
        let described = focused_description(&h).unwrap_or_default();
        assert!(
            described.contains(said),
            "{typed}: the field says {described:?}"
        );
        h.key_press(Key::Enter);
        h.step();
        h.step();
        assert_eq!(focused_label(&h).as_deref(), Some("Topic name"), "{typed}");
    }
    assert_eq!(
        sandbox.action_count(TOPIC_CREATE),
        0,
        "a refused name was sent"
    );
    assert_eq!(
        sandbox.action_count("OnsTopicList"),
        1,
        "only the pane's own list"
    );
    assert_eq!(topics_of(&sandbox, &legacy).len(), 3);
}

#[test]
fn a_group_id_without_gid_is_advice_not_an_error() {
    let Setup {
        mut h,
        sandbox,
        bare,
        _rt,
        ..
    } = setup("bare", "Groups");
    type_into(&mut h, "Group ID", "x");
    assert!(
        has_label_containing(&h, "Too short: 1 character"),
        "{}",
        dump(&h)
    );
    assert!(!is_enabled(&h, "Create group"));
    retype(&mut h, "Group ID", "orders-consumers");
    assert!(
        has_label_containing(&h, "consider GID_orders-consumers"),
        "{}",
        dump(&h)
    );
    assert!(
        is_enabled(&h, "Create group"),
        "advice must not block the create"
    );
    // The advice's suggestion, taken with one click.
    click(&mut h, "Use GID_orders-consumers");
    h.run();
    assert_eq!(
        h.get_by_label("Group ID")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("GID_orders-consumers")
    );
    // HTTP, with a remark.
    click(&mut h, "HTTP");
    type_into(&mut h, "Remark (optional)", "web push");
    click(&mut h, "Create group");
    step_until(&mut h, "the group", |h| {
        has_label_containing(h, "Group GID_orders-consumers created in bare")
    });
    assert_eq!(sandbox.action_count(GROUP_CREATE), 1);
    let made = sandbox.groups(&bare).unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].id, "GID_orders-consumers");
    assert_eq!(made[0].group_type, GroupType::Http);
    assert_eq!(made[0].remark, "web push");
    step_until(&mut h, "its row", |h| {
        has_label(h, "group GID_orders-consumers, HTTP")
    });
}

/// A topic created beside `orders-v2` (the list filter is fuzzy) and followed from
/// "creating" to "in service": said so, without a spinner or a polling loop meanwhile.
#[test]
fn a_new_topic_is_followed_until_it_is_in_service_without_keeping_the_window_busy() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Topics");
    sandbox.set_topic_ready(Duration::from_millis(2500));
    type_into(&mut h, "Topic name", "order");
    choose(&mut h, "Message type", "scheduled/delayed");
    type_into(&mut h, "Remark (optional)", "late orders");
    click(&mut h, "Create topic");
    step_until(&mut h, "the create", |h| {
        has_label_containing(h, "Topic order created in legacy-orders")
    });
    assert_eq!(sandbox.action_count(TOPIC_CREATE), 1);
    step_until(&mut h, "the row, creating", |h| {
        has_label(h, "topic order, scheduled/delayed, creating")
    });
    assert!(
        has_label_containing(&h, "Topic order is being created: onsdesk reads it again"),
        "{}",
        dump(&h)
    );
    // While it is followed, the window settles: nothing asks for frames (no spinner, no
    // polling), and the follow is still under way.
    assert!(
        settles(&mut h, Duration::from_secs(2)),
        "the window keeps asking for frames while a topic is followed"
    );
    assert!(has_label(&h, "topic order, scheduled/delayed, creating"));
    step_until(&mut h, "in service", |h| {
        has_label(h, "topic order, scheduled/delayed, in service")
    });
    assert!(announced(&h, "Topic order is in service"), "{}", dump(&h));
    assert_eq!(sandbox.topic_in_service(&legacy, "order"), Some(true));
    assert_eq!(
        topics_of(&sandbox, &legacy),
        ["order", "orders", "orders-v2", "payments"]
    );
}

#[test]
fn a_topic_create_whose_reply_is_lost_is_sent_once_and_settled_by_looking() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Topics");
    sandbox.set_faults(Faults {
        drop_replies: BTreeMap::from([(TOPIC_CREATE.to_owned(), 1)]),
        ..Faults::default()
    });
    type_into(&mut h, "Topic name", "refunds");
    h.key_press(Key::Enter);
    step_until(&mut h, "the create", |h| {
        has_label_containing(h, "Topic refunds created in legacy-orders")
    });
    assert!(
        has_label_containing(
            &h,
            "The reply was lost, so onsdesk listed the instance's topics: refunds is there. One create was sent."
        ),
        "{}",
        dump(&h)
    );
    assert_eq!(sandbox.action_count(TOPIC_CREATE), 1);
    assert_eq!(topics_of(&sandbox, &legacy).len(), 4);
}

#[test]
fn a_group_create_whose_reply_is_lost_is_sent_once_and_settled_by_looking() {
    let Setup {
        mut h,
        sandbox,
        bare,
        _rt,
        ..
    } = setup("bare", "Groups");
    sandbox.set_faults(Faults {
        drop_replies: BTreeMap::from([(GROUP_CREATE.to_owned(), 1)]),
        ..Faults::default()
    });
    type_into(&mut h, "Group ID", "GID_refunds");
    h.key_press(Key::Enter);
    step_until(&mut h, "the create", |h| {
        has_label_containing(h, "Group GID_refunds created in bare")
    });
    assert!(
        has_label_containing(
            &h,
            "The reply was lost, so onsdesk listed the instance's groups"
        ),
        "{}",
        dump(&h)
    );
    assert_eq!(sandbox.action_count(GROUP_CREATE), 1);
    assert_eq!(groups_of(&sandbox, &bare), ["GID_refunds"]);
}

/// The name was free when typed, but something else took it before Create: the look before
/// the create finds it, and nothing is sent.
#[test]
fn a_name_taken_meanwhile_is_refused_before_sending() {
    let Setup {
        mut h,
        sandbox,
        bare,
        _rt,
        ..
    } = setup("bare", "Topics");
    type_into(&mut h, "Topic name", "orders");
    assert!(is_enabled(&h, "Create topic"));
    assert!(sandbox.seed_group(&bare, &group("orders", GroupType::Tcp)));
    click(&mut h, "Create topic");
    step_until(&mut h, "the refusal", |h| {
        has_label_containing(h, "Not created: the topic orders (bare)")
    });
    assert!(
        has_label_containing(&h, "orders already exists in bare as a group (TCP)"),
        "{}",
        dump(&h)
    );
    assert_eq!(sandbox.action_count(TOPIC_CREATE), 0);
}

#[test]
fn a_topic_delete_needs_its_exact_name_says_what_stops_and_survives_a_lost_reply() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Topics");
    click(&mut h, "Delete the topic orders-v2…");
    h.run();
    assert!(
        has_label_containing(&h, "Delete the topic orders-v2 of legacy-orders"),
        "{}",
        dump(&h)
    );
    assert!(has_label_containing(
        &h,
        "Producers that send to it and consumers that subscribe to it stop working at once"
    ));
    let field = "Type the topic's name to confirm";
    assert_eq!(focused_label(&h).as_deref(), Some(field));
    h.get_by_label(field).type_text("Orders-v2");
    h.run();
    assert!(!is_enabled(&h, "Delete"));
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(sandbox.action_count(TOPIC_DELETE), 0);
    sandbox.set_faults(Faults {
        drop_replies: BTreeMap::from([(TOPIC_DELETE.to_owned(), 1)]),
        ..Faults::default()
    });
    retype(&mut h, field, "orders-v2");
    h.key_press(Key::Enter);
    step_until(&mut h, "the delete", |h| {
        has_label_containing(h, "Topic orders-v2 deleted from legacy-orders")
    });
    assert!(
        has_label_containing(
            &h,
            "orders-v2 is no longer there. No second delete was sent."
        ),
        "{}",
        dump(&h)
    );
    assert_eq!(sandbox.action_count(TOPIC_DELETE), 1);
    assert_eq!(topics_of(&sandbox, &legacy), ["orders", "payments"]);
    step_until(&mut h, "the row to go", |h| {
        !has_label_containing(h, "topic orders-v2,") && has_label(h, "Topics (2)")
    });
}

#[test]
fn a_group_delete_removes_it() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Groups");
    click(&mut h, "Delete the group GID_web…");
    h.run();
    assert!(has_label_containing(&h, "stop receiving messages at once"));
    type_into(&mut h, "Type the group ID to confirm", "GID_web");
    click(&mut h, "Delete");
    step_until(&mut h, "the delete", |h| {
        has_label_containing(h, "Group GID_web deleted from legacy-orders")
    });
    assert_eq!(sandbox.action_count(GROUP_DELETE), 1);
    assert_eq!(groups_of(&sandbox, &legacy), ["GID_orders"]);
}

/// A topic create and a group delete from the panes are recorded in the window's history, each
/// an entry of its own kind with its instance, pending before it was sent and settled after,
/// and the history panel shows them.
#[test]
fn the_panes_record_a_topic_create_and_a_group_delete_in_the_history() {
    use onsdesk::history::{EntryOutcome, History, Subject, Verb};
    let dir = tempfile::tempdir().unwrap();
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup_with_history("legacy-orders", "Topics", Some(dir.path()));
    type_into(&mut h, "Topic name", "refunds");
    h.key_press(Key::Enter);
    step_until(&mut h, "the create", |h| {
        has_label_containing(h, "Topic refunds created in legacy-orders")
    });
    // The new topic is still followed (repainting until it is in service): step until each
    // control shows rather than wait for the window to settle.
    click(&mut h, "Groups (2)");
    step_until(&mut h, "the groups pane", |h| {
        has_label(h, "Delete the group GID_web…")
    });
    click(&mut h, "Delete the group GID_web…");
    step_until(&mut h, "the delete dialog", |h| {
        has_label(h, "Type the group ID to confirm")
    });
    type_into(&mut h, "Type the group ID to confirm", "GID_web");
    click(&mut h, "Delete");
    step_until(&mut h, "the delete", |h| {
        has_label_containing(h, "Group GID_web deleted from legacy-orders")
    });
    assert_eq!(sandbox.action_count(TOPIC_CREATE), 1);
    assert_eq!(sandbox.action_count(GROUP_DELETE), 1);

    // On disk: a pending line, then the outcome, for each.
    let log = std::fs::read_to_string(dir.path().join("history.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let order: Vec<String> = lines
        .iter()
        .map(|l| {
            if let Some(put) = l.get("put") {
                format!("put {} {}", put["name"], put["status"])
            } else {
                format!("status {}", l["status"]["id"] == lines[0]["put"]["id"])
            }
        })
        .collect();
    assert_eq!(
        order,
        [
            r#"put "refunds" "pending""#,
            "status true",
            r#"put "GID_web" "pending""#,
            "status false"
        ],
        "{log}"
    );
    let (history, _) = History::open(dir.path()).unwrap();
    let entries: Vec<_> = history.entries().collect();
    assert_eq!(entries.len(), 2);
    let topic = entries.iter().find(|e| e.name == "refunds").unwrap();
    assert!(
        matches!(&topic.subject, Subject::Topic(t)
            if t.instance_id.as_str() == legacy && t.verb == Verb::Create),
        "{topic:?}"
    );
    assert_eq!(topic.outcome(), EntryOutcome::Created);
    assert_eq!(
        topic.profile, "environment",
        "the credentials' name, as a create's"
    );
    let group = entries.iter().find(|e| e.name == "GID_web").unwrap();
    assert!(
        matches!(&group.subject, Subject::Group(g)
            if g.instance_id.as_str() == legacy && g.verb == Verb::Delete
                && g.group_type == Some(onsdesk::resources::GroupType::Http)),
        "{group:?}"
    );
    assert_eq!(group.outcome(), EntryOutcome::Deleted);

    // The history panel shows both.
    click(&mut h, "Create instance");
    step_until(&mut h, "the history rows", |h| {
        has_label(h, "refunds") && has_label(h, "GID_web")
    });
    assert!(has_label(&h, "✔ created"), "{}", dump(&h));
    assert!(has_label(&h, "✔ deleted"), "{}", dump(&h));
}

/// The window's recorder is asynchronous, but the pending entry is on disk before the create
/// reaches the service: while the sandbox holds the create's reply, the history holds the
/// pending line and nothing after it.
#[test]
fn a_topic_create_is_on_disk_as_pending_before_the_service_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let Setup {
        mut h,
        sandbox,
        _rt,
        ..
    } = setup_with_history("bare", "Topics", Some(dir.path()));
    type_into(&mut h, "Topic name", "refunds");
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_millis(1500),
        ..Faults::default()
    });
    h.key_press(Key::Enter);
    step_until(&mut h, "the create to arrive", |_| {
        sandbox.action_count(TOPIC_CREATE) == 1
    });
    let log = std::fs::read_to_string(dir.path().join("history.jsonl")).unwrap();
    let lines: Vec<&str> = log.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(lines[0].contains(r#""status":"pending""#), "{log}");
    assert!(lines[0].contains(r#""name":"refunds""#), "{log}");
    sandbox.set_faults(Faults::default());
    step_until(&mut h, "the create", |h| {
        has_label_containing(h, "Topic refunds created in bare")
    });
}

/// A change's outcome names the instance it was sent for, whatever is selected meanwhile.
#[test]
fn an_outcome_names_what_was_sent_not_what_is_selected() {
    let Setup {
        mut h,
        sandbox,
        bare,
        _rt,
        ..
    } = setup("bare", "Topics");
    type_into(&mut h, "Topic name", "slow-orders");
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_millis(700),
        ..Faults::default()
    });
    click(&mut h, "Create topic");
    assert!(has_label_containing(
        &h,
        "Creating the topic slow-orders in bare"
    ));
    click(&mut h, "legacy-orders");
    step_until(&mut h, "the create", |h| {
        has_label_containing(h, "Topic slow-orders created in bare")
    });
    sandbox.set_faults(Faults::default());
    assert_eq!(topics_of(&sandbox, &bare), ["slow-orders"]);
    // The pane shows the instance selected now.
    step_until(&mut h, "legacy-orders' topics", |h| {
        has_label(h, "topic orders, normal, in service")
    });
    assert!(!has_label_containing(&h, "topic slow-orders,"));
}

/// A `java.util.Properties` file's keys and values, for the simple lines onsdesk writes.
fn properties(text: &str) -> HashMap<String, String> {
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

/// Copies the config shown and returns it.
fn copy_config(h: &mut Harness<'static, OnsApp>) -> String {
    click(h, "Copy client config");
    let copied = copied_texts(h);
    assert_eq!(copied.len(), 1, "{copied:?}");
    let text = copied[0].clone();
    assert!(
        !text.contains(DEMO_ACCESS_KEY_SECRET),
        "the secret is in the config:\n{text}"
    );
    text
}

#[test]
fn the_client_config_is_parsed_in_every_format_and_never_holds_the_secret() {
    let Setup {
        mut h, legacy, _rt, ..
    } = setup("legacy-orders", "Connect");
    // The defaults: the first topic and the first TCP group (not the HTTP one).
    assert_eq!(combo_value(&h, "Topic").as_deref(), Some("orders"));
    assert_eq!(combo_value(&h, "Group").as_deref(), Some("GID_orders"));
    assert!(
        tree_contains(&h, DEMO_ACCESS_KEY_ID),
        "the AccessKey ID is shown"
    );
    assert!(!tree_contains(&h, DEMO_ACCESS_KEY_SECRET));
    let p = properties(&copy_config(&mut h));
    let vpc = p["NAMESRV_ADDR"].clone();
    assert!(
        vpc.starts_with("http://") && vpc.contains("mq-internal"),
        "{vpc}"
    );
    assert_eq!(p["AccessKey"], DEMO_ACCESS_KEY_ID);
    assert_eq!(p["SecretKey"], "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}");
    assert_eq!(p["GROUP_ID"], "GID_orders");
    assert_eq!(p["TOPIC"], "orders");
    assert!(announced(&h, "Client config copied"), "{}", dump(&h));

    // Another topic, the public endpoint, Spring XML: parsed by a strict XML parser.
    choose(&mut h, "Topic", "payments");
    click(&mut h, "Public internet");
    choose(&mut h, "Format", "ons-client Spring XML");
    let xml = copy_config(&mut h);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let props: HashMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("prop"))
        .map(|n| (n.attribute("key").unwrap(), n.text().unwrap_or_default()))
        .collect();
    assert_ne!(props["NAMESRV_ADDR"], vpc, "the public endpoint");
    assert!(props["NAMESRV_ADDR"].starts_with("http://"));
    assert_eq!(props["AccessKey"], DEMO_ACCESS_KEY_ID);
    assert_eq!(props["GROUP_ID"], "GID_orders");
    assert_eq!(props["SecretKey"], "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}");
    assert!(
        doc.descendants()
            .any(|n| n.attribute("name") == Some("topic")
                && n.attribute("value") == Some("payments"))
    );

    // The Java and Go clients name every value.
    for format in ["Apache RocketMQ Java 4.x", "Go (rocketmq-client-go v2)"] {
        choose(&mut h, "Format", format);
        let config = copy_config(&mut h);
        for value in [
            format!("\"{}\"", props["NAMESRV_ADDR"]),
            format!("\"{DEMO_ACCESS_KEY_ID}\""),
            "\"payments\"".to_owned(),
            "\"GID_orders\"".to_owned(),
            format!("\"{legacy}\""),
            "\"ALIBABA_CLOUD_ACCESS_KEY_SECRET\"".to_owned(),
        ] {
            assert!(config.contains(&value), "{format}: {value} in\n{config}");
        }
    }
}

#[test]
fn an_instance_with_nothing_in_it_gets_placeholders_and_says_so() {
    let Setup { mut h, _rt, .. } = setup("bare", "Connect");
    assert!(
        has_label_containing(&h, "This instance has no topic yet"),
        "{}",
        dump(&h)
    );
    assert!(has_label_containing(
        &h,
        "This instance has no TCP group yet"
    ));
    let p = properties(&copy_config(&mut h));
    assert_eq!(p["TOPIC"], "REPLACE_WITH_TOPIC");
    assert_eq!(p["GROUP_ID"], "REPLACE_WITH_GROUP_ID");
}

/// The instance's Delete… says what still blocks it, and leads to it.
#[test]
fn an_instance_delete_says_what_is_left_and_goes_to_it() {
    let Setup {
        mut h,
        sandbox,
        _rt,
        ..
    } = setup("legacy-orders", "Overview");
    click(&mut h, "Delete…");
    h.run();
    assert!(
        has_label_containing(&h, "3 topics and 2 groups left"),
        "{}",
        dump(&h)
    );
    click(&mut h, "Go to the topics");
    h.run();
    assert!(!has_label_containing(&h, "3 topics and 2 groups left"));
    assert!(has_label(&h, "topic orders, normal, in service"));
    assert_eq!(focused_label(&h).as_deref(), Some("Topics (3)"));
    assert_eq!(sandbox.action_count("OnsInstanceDelete"), 0);
}

/// Types `text` from the keyboard into whatever has the focus.
fn keys(h: &mut Harness<'static, OnsApp>, text: &str) {
    h.event(egui::Event::Text(text.to_owned()));
    h.step();
    h.step();
}

/// Waits until the focus is on the control named `name`.
fn focus_reaches(h: &mut Harness<'static, OnsApp>, name: &str) {
    step_until(h, &format!("the focus on {name}"), |h| {
        focused_label(h).as_deref() == Some(name)
    });
}

/// The names the path meets, in one language.
struct PathWords {
    instance_name: &'static str,
    add_topic: &'static str,
    topic_name: &'static str,
    group_id: &'static str,
    copy_config: &'static str,
    topic_made: &'static str,
    group_made: &'static str,
}

/// The whole path from the keyboard alone: an instance's name, Enter; Tab to "Add a topic",
/// Enter; the topic's name, Enter; the group's ID, Enter; then Copy client config — each step
/// leading the focus to the next, and each outcome said on the control that has the focus
/// (where Orca 43 reads it).
fn the_whole_path_by_keyboard(lang: onsdesk::app::Lang) {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    let w = if lang == onsdesk::app::Lang::Zh {
        click(&mut h, "中文");
        h.run();
        PathWords {
            instance_name: "实例名称",
            add_topic: "添加 Topic",
            topic_name: "Topic 名称",
            group_id: "Group ID",
            copy_config: "复制客户端配置",
            topic_made: "中创建 Topic orders",
            group_made: "中创建 Group GID_orders",
        }
    } else {
        PathWords {
            instance_name: "Instance name",
            add_topic: "Add a topic",
            topic_name: "Topic name",
            group_id: "Group ID",
            copy_config: "Copy client config",
            topic_made: "Topic orders created in orders-prod",
            group_made: "Group GID_orders created in orders-prod",
        }
    };
    h.get_by_label(w.instance_name).focus();
    h.step();
    focus_reaches(&mut h, w.instance_name);
    keys(&mut h, "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some_and(|id| focused_label(h) == Some(id))
    });
    let id = shown_instance_id(&h).unwrap();
    for _ in 0..6 {
        if focused_label(&h).as_deref() == Some(w.add_topic) {
            break;
        }
        h.key_press(Key::Tab);
        h.step();
    }
    focus_reaches(&mut h, w.add_topic);
    h.key_press(Key::Enter);
    focus_reaches(&mut h, w.topic_name);
    keys(&mut h, "orders");
    h.key_press(Key::Enter);
    // A new instance has no group: the group's ID is next, and the topic's news is said there.
    focus_reaches(&mut h, w.group_id);
    step_until(&mut h, "the topic's news on the group's field", |h| {
        focused_description(h).is_some_and(|d| d.contains(w.topic_made))
    });
    keys(&mut h, "GID_orders");
    h.key_press(Key::Enter);
    focus_reaches(&mut h, w.copy_config);
    step_until(&mut h, "the group's news on Copy client config", |h| {
        focused_description(h).is_some_and(|d| d.contains(w.group_made))
    });
    // Enter, down then up: one frame each, and the copy is in the first one's output.
    let enter = |pressed| egui::Event::Key {
        key: Key::Enter,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    };
    h.event(enter(true));
    h.step();
    let copied = copied_texts(&h);
    h.event(enter(false));
    h.step();
    assert_eq!(copied.len(), 1, "{copied:?}");
    let p = properties(&copied[0]);
    assert_eq!(p["TOPIC"], "orders");
    assert_eq!(p["GROUP_ID"], "GID_orders");
    assert_eq!(p["AccessKey"], DEMO_ACCESS_KEY_ID);
    assert!(!copied[0].contains(DEMO_ACCESS_KEY_SECRET));
    assert_eq!(topics_of(&sandbox, &id), ["orders"]);
    assert_eq!(groups_of(&sandbox, &id), ["GID_orders"]);
    assert_eq!(sandbox.action_count(TOPIC_CREATE), 1);
    assert_eq!(sandbox.action_count(GROUP_CREATE), 1);
}

#[test]
fn the_whole_path_from_a_name_to_a_client_config_by_keyboard() {
    the_whole_path_by_keyboard(onsdesk::app::Lang::En);
}

#[test]
fn the_whole_path_by_keyboard_in_chinese() {
    the_whole_path_by_keyboard(onsdesk::app::Lang::Zh);
}

/// A group delete whose reply is lost is settled by looking, with one delete sent.
#[test]
fn a_group_delete_whose_reply_is_lost_is_sent_once_and_settled_by_looking() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Groups");
    sandbox.set_faults(Faults {
        drop_replies: BTreeMap::from([(GROUP_DELETE.to_owned(), 1)]),
        ..Faults::default()
    });
    click(&mut h, "Delete the group GID_web…");
    h.run();
    type_into(&mut h, "Type the group ID to confirm", "GID_web");
    h.key_press(Key::Enter);
    step_until(&mut h, "the delete", |h| {
        has_label_containing(h, "Group GID_web deleted from legacy-orders")
    });
    assert!(
        has_label_containing(
            &h,
            "The reply was lost, so onsdesk listed the instance's groups: GID_web is no longer there. No second delete was sent."
        ),
        "{}",
        dump(&h)
    );
    assert_eq!(sandbox.action_count(GROUP_DELETE), 1);
    assert_eq!(groups_of(&sandbox, &legacy), ["GID_orders"]);
}

/// Refresh reads a list again: what was made elsewhere since shows, and the tab's count too.
#[test]
fn refresh_shows_what_was_made_elsewhere() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Topics");
    assert!(sandbox.seed_topic(&legacy, &topic("audit", 0)));
    assert!(sandbox.seed_group(&legacy, &group("GID_audit", GroupType::Tcp)));
    let before = sandbox.action_count("OnsTopicList");
    // Refresh reads both lists again: wait for both replies, which may come in either order.
    click(&mut h, "Refresh the topics");
    step_until(&mut h, "the new row and the new group", |h| {
        has_label(h, "topic audit, normal, in service")
            && has_label(h, "Topics (4)")
            && has_label(h, "Groups (3)")
    });
    assert!(sandbox.action_count("OnsTopicList") > before);
    click(&mut h, "Groups (3)");
    h.run();
    assert!(has_label(&h, "group GID_audit, TCP"), "{}", dump(&h));
    type_into(&mut h, "Search groups", "audit");
    assert!(has_label(&h, "1 of 3 groups"), "{}", dump(&h));
    assert!(!has_label(&h, "group GID_orders, TCP"));
}

/// From the create card, "Add a group" opens the new instance's groups with the cursor in
/// Group ID, and "Client config" its config with the focus on Copy client config.
#[test]
fn add_a_group_and_client_config_open_from_the_card() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    h.key_press(Key::Enter);
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some()
    });
    click(&mut h, "Add a group");
    focus_reaches(&mut h, "Group ID");
    step_until(&mut h, "the Groups tab, counted", |h| {
        has_label(h, "Groups (0)")
    });
    keys(&mut h, "GID_orders");
    h.key_press(Key::Enter);
    step_until(&mut h, "the group", |h| {
        has_label(h, "group GID_orders, TCP")
    });
    click(&mut h, "Create instance");
    h.run();
    click(&mut h, "Client config");
    focus_reaches(&mut h, "Copy client config");
    step_until(&mut h, "the config's notes", |h| {
        has_label_containing(h, "This instance has no topic yet")
    });
    assert_eq!(combo_value(&h, "Group").as_deref(), Some("GID_orders"));
}

// What a reader that says only the focused control hears (GNOME's Orca 43): each field's
// verdict and each outcome on the control that has the focus, nothing read as typed that was
// not, and no frame in which no control has the keyboard.

/// The text field named `label`.
fn text_field<'a>(h: &'a Harness<'static, OnsApp>, label: &'a str) -> egui_kittest::Node<'a> {
    h.query_all_by_label(label)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::TextInput)
        .unwrap_or_else(|| panic!("no field {label:?}: {}", dump(h)))
}

fn is_invalid(h: &Harness<'static, OnsApp>, label: &str) -> bool {
    text_field(h, label)
        .accesskit_node()
        .data()
        .invalid()
        .is_some()
}

fn said_with(h: &Harness<'static, OnsApp>, label: &str) -> String {
    text_field(h, label)
        .accesskit_node()
        .description()
        .unwrap_or_default()
}

/// A refused topic name is said as "Invalid topic name." and its reason, without the count
/// that would change (and be said again) at every key; the field is marked invalid; and,
/// left and come back to, it says its text first (Orca 43 cannot read a field's text).
#[test]
fn a_refused_topic_name_is_said_once_marked_invalid_and_read_back_on_return() {
    let Setup { mut h, _rt, .. } = setup("legacy-orders", "Topics");
    type_into(&mut h, "Topic name", "a");
    assert_eq!(
        said_with(&h, "Topic name"),
        "Invalid topic name. Too short: a topic name needs at least 3 characters."
    );
    assert!(is_invalid(&h, "Topic name"));
    // Shown with its count under the field.
    assert!(
        has_label_containing(&h, "Too short: 1 character"),
        "{}",
        dump(&h)
    );
    h.get_by_label("Topic name").type_text("b");
    h.step();
    h.step();
    assert_eq!(
        said_with(&h, "Topic name"),
        "Invalid topic name. Too short: a topic name needs at least 3 characters.",
        "said again at the second key"
    );
    retype(&mut h, "Topic name", "GIDx");
    let said = said_with(&h, "Topic name");
    assert!(
        said.starts_with("Invalid topic name.") && said.contains("cannot start with GID"),
        "{said}"
    );
    h.key_press(Key::Tab);
    h.step();
    h.step();
    assert_eq!(focused_label(&h).as_deref(), Some("Message type"));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.step();
    h.step();
    assert_eq!(focused_label(&h).as_deref(), Some("Topic name"));
    let said = focused_description(&h).unwrap_or_default();
    assert!(
        said.starts_with("GIDx. Invalid topic name."),
        "the field does not say its text first: {said:?}"
    );
    retype(&mut h, "Topic name", "refunds");
    assert_eq!(said_with(&h, "Topic name"), "Valid topic name.");
    assert!(!is_invalid(&h, "Topic name"));
}

/// The GID_ advice names the ID it suggests, which changes with every key: a reader would
/// say the whole advice again at each one. The field says it once, as advice (not invalid),
/// and the button that takes the suggestion says the ID.
#[test]
fn a_group_id_without_gid_is_advised_once_not_at_every_key() {
    let Setup { mut h, _rt, .. } = setup("bare", "Groups");
    type_into(&mut h, "Group ID", "orders");
    let first = said_with(&h, "Group ID");
    assert!(first.contains("GID_"), "{first}");
    assert!(!is_invalid(&h, "Group ID"));
    h.get_by_label("Group ID").type_text("-c");
    h.step();
    h.step();
    assert_eq!(said_with(&h, "Group ID"), first, "said again at every key");
    assert!(
        has_label_containing(&h, "consider GID_orders-c"),
        "{}",
        dump(&h)
    );
    assert!(has_label(&h, "Use GID_orders-c"), "{}", dump(&h));
    // In Chinese too.
    click(&mut h, "中文");
    h.run();
    let zh = said_with(&h, "Group ID");
    assert!(zh.contains("GID_") && zh.contains("改用"), "{zh}");
    h.get_by_label("Group ID").type_text("x");
    h.step();
    h.step();
    assert_eq!(said_with(&h, "Group ID"), zh);
}

/// The names of the interactive controls on screen.
fn control_names(h: &Harness<'static, OnsApp>) -> Vec<String> {
    use egui::accesskit::Role;
    h.query_all(egui_kittest::kittest::by().predicate(|n| {
        matches!(
            n.role(),
            Role::Button | Role::TextInput | Role::CheckBox | Role::ComboBox | Role::RadioButton
        )
    }))
    .map(|n| n.accesskit_node().label().unwrap_or_default())
    .collect()
}

/// Shows each pane of `legacy-orders` in English, then in Chinese, and checks `check` on it.
fn in_each_pane(check: impl Fn(&Harness<'static, OnsApp>, &str)) {
    let Setup { mut h, _rt, .. } = setup("legacy-orders", "Topics");
    for (lang, tabs) in [
        ("en", ["Overview", "Topics (3)", "Groups (2)", "Connect"]),
        (
            "zh",
            [
                "基本信息",
                "Topic 管理（3）",
                "Group 管理（2）",
                "客户端接入",
            ],
        ),
    ] {
        if lang == "zh" {
            click(&mut h, "中文");
            h.run();
        }
        for tab in tabs {
            click(&mut h, tab);
            h.run();
            check(&h, &format!("{lang} {tab}"));
        }
    }
}

/// In each pane, in English and Chinese, every control has a name of its own: the lists'
/// Refresh is named apart from the instances' Refresh beside it.
#[test]
fn each_pane_names_its_controls_apart() {
    in_each_pane(|h, case| {
        let mut names = control_names(h);
        assert!(!names.iter().any(String::is_empty), "{case}: {names:?}");
        names.sort();
        let count = names.len();
        names.dedup();
        assert_eq!(
            names.len(),
            count,
            "{case}: controls share a name: {names:?}"
        );
        if case.ends_with("Topics (3)") {
            assert!(has_label(h, "Refresh the topics"), "{}", dump(h));
        }
        if case.ends_with("Topic 管理（3）") {
            assert!(has_label(h, "刷新 Topic 列表"), "{}", dump(h));
        }
    });
}

/// In each pane, in English and Chinese, no field has a placeholder, which Orca 43 reads as
/// if it had been typed ("Search topics entry name or remark"): a search field says its hint
/// as its description.
#[test]
fn no_field_reads_its_hint_as_typed() {
    in_each_pane(|h, case| {
        for field in h.query_all(
            egui_kittest::kittest::by().predicate(|n| n.role() == egui::accesskit::Role::TextInput),
        ) {
            let node = field.accesskit_node();
            assert!(
                node.placeholder().is_none_or(str::is_empty),
                "{case}: {:?} has the placeholder {:?}",
                node.label(),
                node.placeholder()
            );
        }
        if case.ends_with("Topic 管理（3）") {
            assert_eq!(said_with(h, "搜索 Topic"), "名称或备注");
        }
        if case.ends_with("Groups (2)") {
            assert_eq!(said_with(h, "Search groups"), "ID or remark");
        }
    });
}

/// A topic's delete dialog: it takes the keyboard once it shows (until then its opener keeps
/// it), reads no name as typed, says whether the name matches and why Enter deleted nothing;
/// Esc gives the keyboard back to the row's Delete… at once; and once the delete is sent, the
/// keyboard waits in the list's search field, where how it went is said.
#[test]
fn a_topic_delete_is_heard_from_the_dialog_to_its_outcome() {
    let Setup {
        mut h,
        sandbox,
        legacy,
        _rt,
        ..
    } = setup("legacy-orders", "Topics");
    let opener = "Delete the topic orders-v2…";
    let field = "Type the topic's name to confirm";
    h.get_by_label(opener).focus();
    h.step();
    assert_eq!(focused_label(&h).as_deref(), Some(opener));
    for round in 0..2 {
        h.key_press(Key::Enter);
        for _ in 0..4 {
            h.step();
            let now = focused_label(&h);
            assert!(
                now.as_deref() == Some(opener) || now.as_deref() == Some(field),
                "round {round}: while the dialog opens, the focus is on {now:?}"
            );
        }
        assert_eq!(focused_label(&h).as_deref(), Some(field), "{}", dump(&h));
        // The name to type shows in the field, but is not its text for a reader.
        assert_eq!(text_field(&h, field).accesskit_node().placeholder(), None);
        if round == 0 {
            h.key_press(Key::Escape);
            h.step();
            assert_eq!(
                focused_label(&h).as_deref(),
                Some(opener),
                "Esc left no control with the keyboard"
            );
            h.step();
            assert!(!has_label(&h, field));
            assert_eq!(focused_label(&h).as_deref(), Some(opener));
        }
    }
    keys(&mut h, "Orders-v2");
    assert!(
        said_with(&h, field).starts_with("The name does not match yet"),
        "{}",
        said_with(&h, field)
    );
    h.key_press(Key::Enter);
    h.step();
    h.step();
    assert_eq!(focused_label(&h).as_deref(), Some(field));
    assert!(
        said_with(&h, field).starts_with("Nothing was deleted: the name does not match yet."),
        "{}",
        said_with(&h, field)
    );
    assert_eq!(sandbox.action_count(TOPIC_DELETE), 0);
    retype(&mut h, field, "orders-v2");
    assert_eq!(said_with(&h, field), "The name matches: Enter deletes.");
    sandbox.set_faults(Faults {
        reply_delay: Duration::from_millis(500),
        ..Faults::default()
    });
    h.key_press(Key::Enter);
    h.step();
    assert_eq!(
        focused_label(&h).as_deref(),
        Some("Search topics"),
        "the keyboard went nowhere: {}",
        dump(&h)
    );
    let said = focused_description(&h).unwrap_or_default();
    assert!(
        said.contains("Deleting the topic orders-v2 of legacy-orders"),
        "{said}"
    );
    step_until(&mut h, "the outcome, said where the keyboard is", |h| {
        focused_label(h).as_deref() == Some("Search topics")
            && focused_description(h)
                .is_some_and(|d| d.contains("Topic orders-v2 deleted from legacy-orders"))
    });
    sandbox.set_faults(Faults::default());
    assert_eq!(sandbox.action_count(TOPIC_DELETE), 1);
    assert_eq!(topics_of(&sandbox, &legacy), ["orders", "payments"]);
}

/// An endpoint that lists a new topic "being created" in every read, none of which it has
/// when asked for by name: the window follows a few, then waits until the user asks again
/// (a Refresh), instead of reading and announcing for as long as the instance is open.
#[test]
fn topics_forever_being_created_are_followed_a_few_times_not_forever() {
    use crate::hostile::{REQUEST_ID, Received, Stub, http};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    const ID: &str = "MQ_INST_1880770869020000_BXSuW61e";
    let ok = |data: &str| {
        http(
            "200 OK",
            "",
            &format!(r#"{{"RequestId":"{REQUEST_ID}",{data}}}"#),
        )
    };
    let reads = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&reads);
    let stub = Stub::start(move |r: &Received| {
        let by_name = r.body.split('&').any(|p| p.starts_with("Topic="));
        match r.action() {
            "OnsInstanceInServiceList" => ok(&format!(
                r#""Data":{{"InstanceVO":[{{"InstanceId":"{ID}","InstanceName":"churn","InstanceStatus":5,"InstanceType":2,"TopicCount":1,"GroupCount":0}}]}}"#
            )),
            "OnsInstanceBaseInfo" => ok(&format!(
                r#""InstanceBaseInfo":{{"InstanceId":"{ID}","InstanceName":"churn","Remark":""}}"#
            )),
            "OnsTopicList" if by_name => ok(r#""Data":{"PublishInfoDo":[]}"#),
            "OnsTopicList" => {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                ok(&format!(
                    r#""Data":{{"PublishInfoDo":[{{"Topic":"new-{n}","MessageType":0,"ServiceStatus":0,"InstanceId":"{ID}"}}]}}"#
                ))
            }
            _ => ok(r#""Data":{"SubscribeInfoDo":[]}"#),
        }
    });
    let rt = runtime();
    let mut h = app_at(&rt, &stub.url);
    click(&mut h, "Instances");
    step_until(&mut h, "the list", |h| has_label(h, "churn"));
    open(&mut h, "churn", "Topics");
    assert!(has_label(&h, "1 topic"), "{}", dump(&h));
    // The first read, then one after each follow: the first four.
    let reads_now = || reads.load(Ordering::SeqCst);
    step_until(&mut h, "four follows", |_| reads_now() >= 5);
    let until = std::time::Instant::now() + Duration::from_secs(4);
    while std::time::Instant::now() < until {
        h.step();
        #[expect(
            clippy::disallowed_methods,
            reason = "the test waits out what would be more follows"
        )]
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        reads_now(),
        5,
        "followed on without being asked: {}",
        dump(&h)
    );
    // Asked again, it follows again.
    click(&mut h, "Refresh the topics");
    step_until(&mut h, "a follow after Refresh", |_| reads_now() >= 7);
}

/// An instance of a fleet holds thousands of topics: only the rows near the view are drawn
/// (a frame costs what a screenful does), and the keyboard still walks the whole list, each
/// row scrolled into view as Tab reaches it.
#[test]
fn thousands_of_topics_draw_a_screenful_and_tab_walks_them_all() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let names: Vec<String> = (0..3_000).map(|i| format!("fleet-{i:04}")).collect();
    sandbox.seed_instance(&SeedInstance {
        topics: names.iter().map(|n| topic(n, 0)).collect(),
        ..SeedInstance::new("big-fleet", "cn-hangzhou")
    });
    let mut h = app_on(&rt, &sandbox);
    click(&mut h, "Instances");
    step_until(&mut h, "the list", |h| has_label(h, "big-fleet"));
    open(&mut h, "big-fleet", "Topics");
    step_until(&mut h, "the rows", |h| {
        has_label(h, "Copy the topic name fleet-0000")
    });
    assert!(has_label(&h, "3000 topics"), "{}", dump(&h));
    let drawn = |h: &Harness<'static, OnsApp>| {
        names
            .iter()
            .filter(|n| has_label(h, &format!("Copy the topic name {n}")))
            .count()
    };
    let at_first = drawn(&h);
    assert!(
        (1..200).contains(&at_first),
        "{at_first} of 3000 rows drawn"
    );
    // Tab from the first row's Copy walks row by row, past what was drawn at first.
    h.get_by_label("Copy the topic name fleet-0000").focus();
    h.run();
    let beyond = names[at_first + 5].clone();
    for _ in 0..2 * (at_first + 5) {
        h.key_press(Key::Tab);
        h.run();
        if focused_label(&h).as_deref() == Some(&format!("Copy the topic name {beyond}")) {
            break;
        }
    }
    assert_eq!(
        focused_label(&h).as_deref(),
        Some(format!("Copy the topic name {beyond}").as_str()),
        "Tab left the list"
    );
    assert!(drawn(&h) < 200, "the rows drawn followed the focus");
}
