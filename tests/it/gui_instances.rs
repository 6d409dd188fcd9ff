//! The window's Instances view against the in-process sandbox, through the accessibility
//! tree: the region's list (onsdesk's instances marked, counts, search), rename with the create
//! form's live name check, delete behind a typed-name confirmation, and a layout where no two
//! controls overlap at the window's first and smallest sizes.

use crate::gui_support;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use gui_support::*;
use onsdesk::app::{OnsApp, StartCredentials};
use onsdesk::history::{History, NewAttempt, Status};
use onsdesk::sandbox::{Faults, Sandbox, SeedGroup, SeedInstance, SeedTopic};

const UPDATE: &str = "OnsInstanceUpdate";
const DELETE: &str = "OnsInstanceDelete";

/// Held for the whole test: dropping the runtime stops every request, dropping the folder
/// deletes the history.
struct Setup {
    rt: tokio::runtime::Runtime,
    sandbox: Sandbox,
    _dir: tempfile::TempDir,
    h: Harness<'static, OnsApp>,
    /// The instance onsdesk created (its history knows it).
    mine: String,
}

/// A sandbox holding `orders-mine` (created with onsdesk: in the history) and
/// `legacy-orders` (seeded "elsewhere" with 3 topics and 2 groups), and the window on it,
/// showing the Instances view with the list loaded.
fn setup() -> Setup {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    sandbox.seed_instance(&SeedInstance {
        remark: "from the console".to_owned(),
        topics: SeedTopic::numbered(3),
        groups: SeedGroup::numbered(2),
        ..SeedInstance::new("legacy-orders", "cn-hangzhou")
    });
    let mine = create_behind_the_window(&rt, &sandbox, "orders-mine")
        .instance_id
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut history, _) = History::open(dir.path()).unwrap();
        let entry = history
            .record_pending(NewAttempt {
                name: "orders-mine".to_owned(),
                remark: String::new(),
                region: "cn-hangzhou".to_owned(),
                endpoint: sandbox.url(),
                profile: "environment".to_owned(),
            })
            .unwrap();
        history
            .record_outcome(
                entry,
                Status::Created {
                    instance_id: mine.clone(),
                    instance_type: 1,
                    request_id: "REQ".to_owned(),
                },
            )
            .unwrap();
    }
    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    click(&mut h, "Instances");
    step_until(&mut h, "the list", |h| {
        has_label(h, "legacy-orders") && has_label(h, "orders-mine")
    });
    // The history's snapshot (for the marks) may come a moment after the list.
    step_until(&mut h, "the mark", |h| {
        has_label(h, "orders-mine was created with onsdesk")
    });
    Setup {
        rt,
        sandbox,
        _dir: dir,
        h,
        mine,
    }
}

/// Replaces the text of the field labelled `label`.
fn retype(h: &mut Harness<'static, OnsApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.step();
    h.key_press(Key::Backspace);
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
    h.step();
}

#[test]
fn the_list_marks_onsdesk_instances_shows_counts_and_searches() {
    let Setup {
        mut h,
        mine,
        rt: _rt,
        sandbox: _sandbox,
        _dir,
    } = setup();
    // Marked: only the instance the history knows.
    assert_eq!(
        h.query_all_by_label_contains("was created with onsdesk")
            .count(),
        1,
        "{}",
        dump(&h)
    );
    assert!(!has_label(&h, "legacy-orders was created with onsdesk"));
    // Counts: the seeded instance's 3 topics and 2 groups, the new one's none.
    assert!(has_label(&h, "3") && has_label(&h, "2"), "{}", dump(&h));
    assert!(has_label(&h, &mine), "{}", dump(&h));
    // Its row copies its ID.
    click(&mut h, &format!("Copy the instance ID {mine}"));
    assert_eq!(copied_texts(&h), vec![mine.clone()]);

    // Search by name, by remark, by ID.
    type_into(&mut h, "Search instances", "legacy");
    assert!(has_label(&h, "legacy-orders"));
    assert!(!has_label(&h, "orders-mine"), "{}", dump(&h));
    retype(&mut h, "Search instances", "CONSOLE");
    assert!(has_label(&h, "legacy-orders"));
    assert!(!has_label(&h, "orders-mine"));
    retype(&mut h, "Search instances", &mine[mine.len() - 6..]);
    assert!(has_label(&h, "orders-mine"));
    assert!(!has_label(&h, "legacy-orders"));

    // The details of the seeded one: its counts and its endpoints, copyable.
    retype(&mut h, "Search instances", "");
    click(&mut h, "legacy-orders");
    step_until(&mut h, "the details", |h| has_label(h, "Copy TCP endpoint"));
    assert!(tree_contains(&h, "from the console"), "{}", dump(&h));
}

#[test]
fn a_bad_name_is_refused_live_and_a_good_rename_reaches_the_list_and_the_history() {
    let Setup {
        mut h,
        sandbox,
        mine,
        rt: _rt,
        _dir,
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the rename form", |h| has_label(h, "Instance name"));
    retype(&mut h, "Instance name", "ab");
    assert!(
        has_label_containing(&h, "Too short: 2 characters"),
        "{}",
        dump(&h)
    );
    assert!(!is_enabled(&h, "Save"));
    click(&mut h, "Save");
    retype(&mut h, "Instance name", "orders mine");
    assert!(has_label_containing(&h, "is a space"), "{}", dump(&h));
    assert!(!is_enabled(&h, "Save"));
    h.key_press(Key::Enter);
    h.step();
    assert_eq!(sandbox.action_count(UPDATE), 0, "a bad name was sent");

    retype(&mut h, "Instance name", "orders-renamed");
    assert!(is_enabled(&h, "Save"), "{}", dump(&h));
    click(&mut h, "Save");
    step_until(&mut h, "the rename", |h| {
        has_label_containing(h, "orders-mine is now called orders-renamed")
    });
    assert_eq!(sandbox.action_count(UPDATE), 1);
    // Announced, as a create's outcome is: a live status node says it.
    assert!(
        h.query_all(egui_kittest::kittest::by().predicate(|n| {
            n.role() == egui::accesskit::Role::Status
                && n.label()
                    .is_some_and(|l| l.contains("is now called orders-renamed"))
        }))
        .next()
        .is_some(),
        "{}",
        dump(&h)
    );
    step_until(&mut h, "the list to show the new name", |h| {
        h.query_all_by_label("orders-renamed").count() >= 1 && !has_label(h, "orders-mine")
    });
    assert!(
        sandbox
            .instances()
            .iter()
            .any(|i| i.id == mine && i.name == "orders-renamed")
    );

    // The history says it was renamed.
    click(&mut h, "Create instance");
    step_until(&mut h, "the history row", |h| {
        has_label(h, "orders-mine → orders-renamed")
    });
}

#[test]
fn delete_needs_the_exact_name_removes_an_empty_instance_and_explains_a_refusal() {
    let Setup {
        mut h,
        sandbox,
        mine,
        rt: _rt,
        _dir,
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the details", details_read);
    click(&mut h, "Delete…");
    h.step();
    assert!(has_label_containing(&h, "cannot be undone"), "{}", dump(&h));
    assert!(has_label_containing(&h, "topics or groups"));
    assert!(!is_enabled(&h, "Delete"));
    type_into(&mut h, "Type the instance's name to confirm", "orders-min");
    assert!(!is_enabled(&h, "Delete"));
    retype(&mut h, "Type the instance's name to confirm", "Orders-mine");
    assert!(!is_enabled(&h, "Delete"));
    click(&mut h, "Delete");
    assert_eq!(sandbox.action_count(DELETE), 0);
    retype(&mut h, "Type the instance's name to confirm", "orders-mine");
    assert!(is_enabled(&h, "Delete"));
    click(&mut h, "Delete");
    step_until(&mut h, "the delete", |h| {
        has_label_containing(h, &format!("orders-mine ({mine}) was deleted"))
    });
    step_until(&mut h, "the row to go", |h| !has_label(h, "orders-mine"));
    assert!(sandbox.instances().iter().all(|i| i.id != mine));

    // One with topics: refused, with what to do.
    click(&mut h, "legacy-orders");
    step_until(&mut h, "the details", details_read);
    click(&mut h, "Delete…");
    h.step();
    assert!(
        has_label_containing(&h, "3 topics and 2 groups left"),
        "{}",
        dump(&h)
    );
    type_into(
        &mut h,
        "Type the instance's name to confirm",
        "legacy-orders",
    );
    click(&mut h, "Delete");
    step_until(&mut h, "the refusal", |h| {
        has_label_containing(h, "Not deleted")
    });
    assert!(
        has_label_containing(&h, "Delete its topics and groups first"),
        "{}",
        dump(&h)
    );
    assert!(has_label(&h, "legacy-orders"));

    // The history marks the deleted one.
    click(&mut h, "Create instance");
    step_until(&mut h, "the history row", |h| {
        has_label_containing(h, "· deleted")
    });
}

/// Interactive controls whose rectangles (as the accessibility tree reports them) overlap,
/// or that stick out of the `size` window.
fn layout_faults(h: &Harness<'static, OnsApp>, size: egui::Vec2) -> Vec<String> {
    use egui::accesskit::Role;
    let controls: Vec<(String, egui::Rect)> = h
        .query_all(egui_kittest::kittest::by().predicate(|n| {
            matches!(
                n.role(),
                Role::Button
                    | Role::TextInput
                    | Role::CheckBox
                    | Role::ComboBox
                    | Role::RadioButton
                    | Role::Slider
                    | Role::Link
                    | Role::Tab
            )
        }))
        .filter_map(|n| {
            let node = n.accesskit_node();
            let b = node.bounding_box()?;
            #[expect(clippy::cast_possible_truncation, reason = "pixels")]
            let rect = egui::Rect::from_min_max(
                egui::pos2(b.x0 as f32, b.y0 as f32),
                egui::pos2(b.x1 as f32, b.y1 as f32),
            );
            let name = node.label().or_else(|| node.value()).unwrap_or_default();
            Some((name, rect))
        })
        .collect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size).expand(0.5);
    let mut faults = Vec::new();
    // Scrolled out of sight, wholly or past the window's bottom edge (a scroll area's content
    // runs on downwards): not on screen, so not in anyone's way.
    let controls: Vec<_> = controls
        .into_iter()
        .filter(|(_, r)| r.intersects(window) && r.max.y <= window.max.y)
        .collect();
    for (i, (a, ra)) in controls.iter().enumerate() {
        if !window.contains_rect(*ra) {
            faults.push(format!("{a:?} at {ra:?} is outside the window"));
        }
        for (b, rb) in &controls[i + 1..] {
            let overlap = ra.intersect(*rb);
            if overlap.width() > 0.5 && overlap.height() > 0.5 {
                faults.push(format!("{a:?} at {ra:?} overlaps {b:?} at {rb:?}"));
            }
        }
    }
    faults
}

#[test]
fn no_controls_overlap_in_the_instances_view_at_either_size() {
    let Setup {
        mut h,
        rt: _rt,
        sandbox: _sandbox,
        _dir,
        ..
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the details", details_read);
    for size in [egui::vec2(960.0, 640.0), egui::vec2(720.0, 480.0)] {
        h.set_size(size);
        for _ in 0..4 {
            h.step();
        }
        assert!(has_label(&h, "Save"), "{}", dump(&h));
        let faults = layout_faults(&h, size);
        assert!(faults.is_empty(), "at {size:?}:\n{}", faults.join("\n"));
    }
    // Every control has a name of its own (two Copy buttons say which ID they copy).
    let mut names: Vec<String> = control_names(&h);
    assert!(!names.iter().any(String::is_empty), "{names:?}");
    names.sort();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "controls share a name: {names:?}");
}

/// The names of the interactive controls on screen.
fn control_names(h: &Harness<'static, OnsApp>) -> Vec<String> {
    use egui::accesskit::Role;
    h.query_all(egui_kittest::kittest::by().predicate(|n| {
        matches!(
            n.role(),
            Role::Button | Role::TextInput | Role::CheckBox | Role::ComboBox
        )
    }))
    .map(|n| {
        let node = n.accesskit_node();
        node.label().unwrap_or_default()
    })
    .collect()
}

/// Without credentials the view says why and offers the way on, and sends nothing.
#[test]
fn without_credentials_the_view_says_what_to_do() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = TestApp::new(StartCredentials::None)
        .endpoint(&sandbox.url())
        .start(&rt);
    click(&mut h, "Instances");
    h.step();
    assert!(
        has_label_containing(&h, "No credentials found"),
        "{}",
        dump(&h)
    );
    assert!(has_label(&h, "▶ Try the sandbox"));
    assert_eq!(sandbox.requests_seen(), 0);
}

/// `--demo` opens on an instance made elsewhere, with its topics and groups counted.
#[test]
fn the_demo_opens_with_an_instance_made_elsewhere() {
    let rt = runtime();
    let mut h = TestApp::new(StartCredentials::None).demo().start(&rt);
    step_until(&mut h, "the sandbox banner", |h| {
        has_label(h, "Sandbox — nothing is created on Alibaba Cloud")
    });
    let seeded = SeedInstance::demo("cn-hangzhou");
    click(&mut h, "Instances");
    step_until(&mut h, "the seeded instance", |h| {
        has_label(h, &seeded.name)
    });
    let instance = &h.state().sandbox().unwrap().instances()[0];
    assert_eq!(instance.name, seeded.name);
    assert_eq!(instance.topics.len(), seeded.topics.len());
    let (topics, groups) = (seeded.topics.len(), seeded.groups.len());
    step_until(&mut h, "its counts", |h| {
        has_label(h, &topics.to_string()) && has_label(h, &groups.to_string())
    });
    assert!(
        !has_label_containing(&h, "was created with onsdesk"),
        "{}",
        dump(&h)
    );
}

/// A rename's outcome names the instance it was sent for, even when another one is selected
/// (and its form shown) by the time the reply comes.
#[test]
fn an_outcome_names_what_was_sent_not_what_is_selected() {
    let Setup {
        mut h,
        sandbox,
        mine,
        rt: _rt,
        _dir,
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the rename form", |h| has_label(h, "Instance name"));
    retype(&mut h, "Instance name", "orders-slow");
    sandbox.set_faults(Faults {
        reply_delay: std::time::Duration::from_millis(700),
        ..Faults::default()
    });
    click(&mut h, "Save");
    assert!(has_label_containing(&h, "Saving"), "{}", dump(&h));
    // Meanwhile the user looks at the other instance.
    click(&mut h, "legacy-orders");
    h.step();
    step_until(&mut h, "the rename", |h| {
        has_label_containing(h, "orders-mine is now called orders-slow")
    });
    sandbox.set_faults(Faults::default());
    let names: Vec<_> = sandbox
        .instances()
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    assert!(
        names.contains(&(mine, "orders-slow".to_owned())),
        "{names:?}"
    );
    assert!(names.iter().any(|(_, n)| n == "legacy-orders"), "{names:?}");
    // The form shows the instance selected now, untouched.
    step_until(&mut h, "the list to read the rename", |h| {
        has_label(h, "orders-slow")
    });
    assert_eq!(
        field_value(&h, "Instance name").as_deref(),
        Some("legacy-orders")
    );
}

/// A delete whose reply is lost is looked up in the region's list: gone means deleted, said
/// as such, never an error, and it was sent once.
#[test]
fn a_delete_whose_reply_is_lost_still_ends_deleted() {
    let Setup {
        mut h,
        sandbox,
        mine,
        rt: _rt,
        _dir,
    } = setup();
    sandbox.set_faults(Faults {
        drop_delete_replies: 1,
        ..Faults::default()
    });
    click(&mut h, "orders-mine");
    step_until(&mut h, "the details", details_read);
    click(&mut h, "Delete…");
    h.step();
    type_into(&mut h, "Type the instance's name to confirm", "orders-mine");
    h.key_press(Key::Enter);
    step_until(&mut h, "the delete", |h| {
        has_label_containing(h, &format!("orders-mine ({mine}) was deleted"))
    });
    assert_eq!(sandbox.action_count(DELETE), 1);
    assert!(!has_label_containing(&h, "Outcome unknown"));
    // Said as what it was: a delete settled by looking, not a plain reply.
    assert!(
        has_label_containing(
            &h,
            "The reply was lost, so onsdesk looked at the region's list"
        ),
        "{}",
        dump(&h)
    );
}

/// What the text field labelled `label` holds.
fn field_value(h: &Harness<'static, OnsApp>, label: &str) -> Option<String> {
    h.get_by_label(label).accesskit_node().value()
}

/// At 720×480 the details scroll; an outcome is brought into view wherever they were
/// scrolled to.
#[test]
fn an_outcome_is_scrolled_into_view() {
    let Setup {
        mut h,
        sandbox: _sandbox,
        rt: _rt,
        _dir,
        ..
    } = setup();
    h.set_size(egui::vec2(720.0, 480.0));
    click(&mut h, "legacy-orders");
    step_until(&mut h, "the details", |h| {
        has_label(h, "Copy HTTPS internet endpoint")
    });
    h.get_by_label("Copy HTTPS internet endpoint")
        .scroll_to_me();
    for _ in 0..4 {
        h.step();
    }
    click(&mut h, "Delete…");
    h.step();
    type_into(
        &mut h,
        "Type the instance's name to confirm",
        "legacy-orders",
    );
    h.key_press(Key::Enter);
    step_until(&mut h, "the refusal", |h| {
        has_label_containing(h, "Not deleted")
    });
    for _ in 0..4 {
        h.step();
    }
    let headline = h
        .query_all_by_label_contains("✖ Not deleted")
        .find_map(|n| n.accesskit_node().bounding_box())
        .unwrap();
    // Below the list (the details are under it) and above the window's bottom edge.
    let list_bottom = h
        .query_all_by_label_contains("Copy the instance ID")
        .filter_map(|n| n.accesskit_node().bounding_box())
        .map(|b| b.y1)
        .fold(0.0, f64::max);
    assert!(
        headline.y0 >= list_bottom && headline.y1 <= 480.0,
        "the outcome is out of sight at {headline:?} (the list ends at {list_bottom})"
    );
}

#[test]
fn a_list_of_thousands_does_not_become_thousands_of_detail_calls() {
    // A broken or hostile endpoint listing far more instances than a region's quota allows.
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    for i in 0..70 {
        sandbox.seed_instance(&SeedInstance {
            remark: String::new(),
            ..SeedInstance::new(format!("seeded-{i:02}"), "cn-hangzhou")
        });
    }
    let mut h = app_on(&rt, &sandbox);
    click(&mut h, "Instances");
    step_until(&mut h, "the whole list", |h| {
        has_label(h, "seeded-00") && has_label_containing(h, "70 in ")
    });
    step_until(&mut h, "the details read", |_| {
        sandbox.action_count("OnsInstanceBaseInfo") >= 64
    });
    // ... and no more: give stragglers a moment.
    for _ in 0..20 {
        h.step();
    }
    assert_eq!(sandbox.action_count("OnsInstanceBaseInfo"), 64);
    // An instance past the first 64 still shows, and says why its details are missing.
    type_into(&mut h, "Search instances", "seeded-69");
    step_until(&mut h, "the row", |h| has_label(h, "seeded-69"));
    click(&mut h, "seeded-69");
    h.step();
    assert!(
        has_label_containing(&h, "details are read for the first 64 instances only"),
        "{}",
        dump(&h)
    );
}

/// At 720×480 the details have the room to show the rename form, and Tab to a control below
/// the fold scrolls it into view.
#[test]
fn tab_to_delete_at_the_smallest_size_scrolls_it_into_view() {
    let Setup {
        mut h,
        rt: _rt,
        sandbox: _sandbox,
        _dir,
        ..
    } = setup();
    let size = egui::vec2(720.0, 480.0);
    h.set_size(size);
    click(&mut h, "legacy-orders");
    step_until(&mut h, "the details", |h| has_label(h, "Copy TCP endpoint"));
    h.run();
    // The rename form is on screen without scrolling.
    let name = h.get_by_label("Instance name").rect();
    assert!(
        name.bottom() <= size.y,
        "the rename form starts below the window at {name:?}"
    );
    // From the name field, Tab runs down to Delete… and the endpoints' Copy buttons.
    h.get_by_label("Instance name").focus();
    h.run();
    for last in ["Delete…", "Copy HTTPS internet endpoint"] {
        for _ in 0..12 {
            if h.get_by_label(last).is_focused() {
                break;
            }
            h.key_press(Key::Tab);
            h.run();
        }
        assert!(
            h.get_by_label(last).is_focused(),
            "Tab never reached {last:?}"
        );
        let rect = h.get_by_label(last).rect();
        assert!(
            rect.top() >= 0.0 && rect.bottom() <= size.y,
            "{last:?} is focused but out of sight at {rect:?}"
        );
    }
}

/// Enter in the rename form saves and leaves the cursor where it was, and the outcome is
/// said on that field, where Orca reads it.
#[test]
fn enter_in_the_rename_form_saves_and_keeps_the_focus() {
    let Setup {
        mut h,
        sandbox,
        rt: _rt,
        _dir,
        ..
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the rename form", |h| has_label(h, "Instance name"));
    // Nothing changed: Enter sends nothing, and the cursor stays.
    h.get_by_label("Instance name").focus();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(focused_label(&h).as_deref(), Some("Instance name"));
    assert_eq!(sandbox.action_count(UPDATE), 0);
    retype(&mut h, "Instance name", "orders-entered");
    h.key_press(Key::Enter);
    step_until(&mut h, "the rename", |h| {
        has_label_containing(h, "orders-mine is now called orders-entered")
    });
    assert_eq!(sandbox.action_count(UPDATE), 1);
    assert_eq!(focused_label(&h).as_deref(), Some("Instance name"));
    let said = focused_description(&h).unwrap_or_default();
    assert!(said.contains("is now called orders-entered"), "{said:?}");
}

/// A wrong name and Enter in the delete dialog keep the cursor in the field, say that capitals
/// count, and send nothing; Cancel gives the focus back to Delete….
#[test]
fn a_wrong_name_and_enter_keep_the_delete_dialog_focused() {
    let Setup {
        mut h,
        sandbox,
        rt: _rt,
        _dir,
        ..
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the details", details_read);
    click(&mut h, "Delete…");
    h.run();
    let field = "Type the instance's name to confirm";
    assert_eq!(focused_label(&h).as_deref(), Some(field));
    h.get_by_label(field).type_text("Orders-mine");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(focused_label(&h).as_deref(), Some(field), "{}", dump(&h));
    assert!(
        has_label_containing(&h, "capital and small letters"),
        "{}",
        dump(&h)
    );
    assert_eq!(sandbox.action_count(DELETE), 0);
    click(&mut h, "Cancel");
    h.run();
    assert_eq!(focused_label(&h).as_deref(), Some("Delete…"));
}

/// Selecting an instance from the keyboard takes the focus to its details; closing them from
/// the keyboard takes it back to its row.
#[test]
fn from_the_keyboard_the_focus_follows_the_selection() {
    let Setup {
        mut h,
        rt: _rt,
        sandbox: _sandbox,
        _dir,
        ..
    } = setup();
    h.get_by_label("legacy-orders").focus();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        focused_label(&h).as_deref(),
        Some("Overview"),
        "{}",
        dump(&h)
    );
    h.get_by_label("Close the details of legacy-orders").focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    assert!(!has_label(&h, "Overview"), "the details are still open");
    assert_eq!(focused_label(&h).as_deref(), Some("legacy-orders"));
}

/// An instance's delete as a reader that says only the focused control hears it (Orca 43):
/// the field reads no name as typed; once the delete is sent, Delete… is disabled and then
/// gone with the details, so the keyboard waits in the search field above the names, where
/// "Deleting …" and how it ended are said.
#[test]
fn an_instance_delete_is_said_where_the_keyboard_waits() {
    let Setup {
        mut h,
        sandbox,
        mine,
        rt: _rt,
        _dir,
    } = setup();
    click(&mut h, "orders-mine");
    step_until(&mut h, "the details", details_read);
    h.get_by_label("Delete…").focus();
    h.step();
    h.key_press(Key::Enter);
    h.run();
    let field = "Type the instance's name to confirm";
    assert_eq!(focused_label(&h).as_deref(), Some(field));
    let node = h
        .query_all_by_label(field)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::TextInput)
        .unwrap();
    // Orca 43 would read "Type the instance's name to confirm entry orders-mine": typed?
    assert_eq!(node.accesskit_node().placeholder(), None);
    h.get_by_label(field).type_text("orders-mine");
    h.step();
    h.step();
    sandbox.set_faults(Faults {
        reply_delay: std::time::Duration::from_millis(500),
        ..Faults::default()
    });
    h.key_press(Key::Enter);
    h.step();
    assert_eq!(
        focused_label(&h).as_deref(),
        Some("Search instances"),
        "the keyboard went nowhere: {}",
        dump(&h)
    );
    let said = focused_description(&h).unwrap_or_default();
    assert!(said.contains("Deleting orders-mine"), "{said}");
    step_until(&mut h, "the outcome, said where the keyboard is", |h| {
        focused_label(h).as_deref() == Some("Search instances")
            && focused_description(h)
                .is_some_and(|d| d.contains(&format!("orders-mine ({mine}) was deleted")))
    });
    sandbox.set_faults(Faults::default());
    assert_eq!(sandbox.action_count(DELETE), 1);
}

/// An endpoint slow to give one instance's details: the list shows as soon as it is in, the
/// instance's pane says its details are being read, and fills in when they come.
#[test]
fn the_list_shows_before_a_slow_instances_details() {
    use crate::hostile::{REQUEST_ID, Received, Stub, http};
    use std::sync::{Arc, Condvar, Mutex};

    const ID: &str = "MQ_INST_1880770869020000_SLOWpoke";
    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let held = Arc::clone(&gate);
    let ok = |data: &str| {
        http(
            "200 OK",
            "",
            &format!(r#"{{"RequestId":"{REQUEST_ID}",{data}}}"#),
        )
    };
    let stub = Stub::start(move |r: &Received| match r.action() {
        "OnsInstanceInServiceList" => ok(&format!(
            r#""Data":{{"InstanceVO":[{{"InstanceId":"{ID}","InstanceName":"slowpoke","InstanceStatus":5}}]}}"#
        )),
        "OnsInstanceBaseInfo" => {
            let (open, opened) = &*held;
            let mut released = open.lock().unwrap();
            while !*released {
                released = opened.wait(released).unwrap();
            }
            ok(&format!(
                r#""InstanceBaseInfo":{{"InstanceId":"{ID}","InstanceName":"slowpoke","Remark":"late","Endpoints":{{"TcpEndpoint":"http://mq-inst-slow.cn-hangzhou.mq-internal.aliyuncs.com:8080"}}}}"#
            ))
        }
        _ => ok(r#""Data":{}"#),
    });
    let rt = runtime();
    let mut h = app_at(&rt, &stub.url);
    click(&mut h, "Instances");
    // Its details are held back until the end: the list does not wait for them.
    step_until(&mut h, "the list", |h| has_label(h, "slowpoke"));
    click(&mut h, "slowpoke");
    step_until(&mut h, "the details pane", |h| {
        has_label(h, "Reading the details…")
    });
    let (open, opened) = &*gate;
    *open.lock().unwrap() = true;
    opened.notify_all();
    step_until(&mut h, "the details", |h| {
        has_label(
            h,
            "http://mq-inst-slow.cn-hangzhou.mq-internal.aliyuncs.com:8080",
        )
    });
    assert!(!has_label(&h, "Reading the details…"));
}

/// The selected instance's details are open and read (they come after the list: until then
/// its pane says "Reading the details…").
fn details_read(h: &Harness<'static, OnsApp>) -> bool {
    has_label(h, "Delete…") && !has_label(h, "Reading the details…")
}
