//! The window's layout at its smallest size (720×480) and its first-start size (960×640), in
//! English and Chinese, before and after a create, with a few history entries: the controls a
//! user needs are on screen, inside their panel, and no two of them overlap. The history's
//! detail likewise, and each pane of an instance's details in the Instances view. And from
//! the keyboard: the focused Instance ID shows a focus ring, and Tab scrolls the control it
//! reaches into view.

use crate::gui_support;

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _, by};
use gui_support::*;
use onsdesk::app::{HistoryLocation, Lang, OnsApp, StartCredentials};
use onsdesk::history::{History, NewAttempt, Status};

/// Half a point: rects that only touch do not overlap.
const SLACK: f32 = 0.5;
/// egui's margin inside the side and central panels.
const PANEL_MARGIN: f32 = 8.0;

/// A few entries, as earlier runs left them (one with a long name, one with a remark).
fn seed(dir: &Path) {
    let (mut h, _) = History::open(dir).unwrap();
    for (name, remark, id) in [
        (
            "orders-prod",
            "订单 主实例",
            "MQ_INST_1880770869020000_AAAAaaaa",
        ),
        (
            "payments-prod-eu-central-primary",
            "billing",
            "MQ_INST_1880770869020000_BBBBbbbb",
        ),
        ("audit-log", "", "MQ_INST_1880770869020000_CCCCcccc"),
    ] {
        let e = h
            .record_pending(NewAttempt {
                name: name.to_owned(),
                remark: remark.to_owned(),
                region: "cn-hangzhou".to_owned(),
                endpoint: "http://127.0.0.1:9/".to_owned(),
                profile: "environment".to_owned(),
            })
            .unwrap();
        h.record_outcome(
            e,
            Status::Created {
                instance_id: id.to_owned(),
                instance_type: 1,
                request_id: "8F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F".to_owned(),
            },
        )
        .unwrap();
    }
}

/// The window in sandbox mode (the banner shows, as with `--demo`), with a seeded history.
pub fn demo_with_history(
    rt: &tokio::runtime::Runtime,
    dir: &Path,
    size: egui::Vec2,
) -> Harness<'static, OnsApp> {
    seed(dir);
    let mut h = TestApp::new(StartCredentials::None)
        .demo()
        .history(HistoryLocation::Dir(dir.to_path_buf()))
        .start(rt);
    h.set_size(size);
    step_until(&mut h, "the sandbox and the history", |h| {
        has_label(h, "audit-log") && has_label_containing(h, "Sandbox — ")
    });
    h.run();
    h
}

/// A control a user can operate, where it is drawn.
#[derive(Debug)]
pub struct Widget {
    pub name: String,
    pub rect: Rect,
    /// The window-level panel it is in (the outermost pane around it).
    pub panel: String,
    /// The innermost pane around it (the history's detail is a pane inside the history's).
    pub pane: String,
}

/// The innermost panel around `node`.
fn pane_of(node: egui_kittest::kittest::AccessKitNode<'_>) -> String {
    let mut up = node.parent();
    while let Some(n) = up {
        if n.role() == Role::Pane {
            return format!("{:?}", n.id());
        }
        up = n.parent();
    }
    String::new()
}

/// The outermost panel around `node`.
fn panel_of(node: egui_kittest::kittest::AccessKitNode<'_>) -> String {
    let mut panel = String::new();
    let mut up = node.parent();
    while let Some(n) = up {
        if n.role() == Role::Pane {
            panel = format!("{:?}", n.id());
        }
        up = n.parent();
    }
    panel
}

/// Every button, field, checkbox, selector and link in the tree.
pub fn widgets(h: &Harness<'static, OnsApp>) -> Vec<Widget> {
    h.query_all(by().predicate(|n| {
        matches!(
            n.role(),
            Role::Button
                | Role::DefaultButton
                | Role::CheckBox
                | Role::RadioButton
                | Role::TextInput
                | Role::MultilineTextInput
                | Role::ComboBox
                | Role::Link
        )
    }))
    .map(|n| Widget {
        name: {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value()).unwrap_or_default()
        },
        rect: n.rect(),
        panel: panel_of(n.accesskit_node()),
        pane: pane_of(n.accesskit_node()),
    })
    .collect()
}

/// The first control named `name`.
pub fn widget<'a>(all: &'a [Widget], name: &str) -> &'a Widget {
    all.iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("no control named {name:?} in {all:#?}"))
}

/// The top edge of the history panel (its resize handle).
pub fn history_top(h: &Harness<'static, OnsApp>) -> f32 {
    h.query_all(by().predicate(|n| n.role() == Role::Splitter))
        .map(|n| n.rect())
        .find(|r| r.width() > r.height())
        .expect("the history panel's resize handle")
        .center()
        .y
}

fn inside(outer: Rect, inner: Rect) -> bool {
    outer.expand(SLACK).contains_rect(inner)
}

/// What the window shows when [`check`] looks at it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    EmptyForm,
    Created,
}

/// Checks what a user must be able to see and reach in the current state, in `lang`.
fn check(h: &Harness<'static, OnsApp>, case: &str, shown: Shown, lang: Lang) {
    let (created, lang_zh) = (shown == Shown::Created, lang == Lang::Zh);
    let size = h.ctx.content_rect().size();
    let window = Rect::from_min_size(egui::Pos2::ZERO, size);
    let split = history_top(h);
    let all = widgets(h);
    // The form's and the result's scroll areas end at their panels' margin.
    let above = Rect::from_min_max(egui::Pos2::ZERO, egui::pos2(size.x, split - PANEL_MARGIN));
    let below = Rect::from_min_max(egui::pos2(0.0, split), window.max);
    let (create, copy_id, sandbox, refresh, export) = if lang_zh {
        ("创建", "复制实例 ID", "沙箱记录", "刷新状态", "导出")
    } else {
        (
            "Create",
            "Copy instance ID",
            "Sandbox entries",
            "Refresh status",
            "Export",
        )
    };
    let mut keys = vec![(create, above)];
    if created {
        keys.push((copy_id, above));
    }
    for name in [sandbox, refresh, export] {
        keys.push((name, below));
    }
    let search = widget(&all, if lang_zh { "搜索" } else { "Search" });
    assert!(
        inside(below, search.rect),
        "{case}: the search field {search:?} split {split}"
    );
    // Each control is clipped to its panel: the history's below its resize handle, the
    // others above it.
    let panel_rect = |w: &Widget| {
        if w.panel == search.panel {
            below
        } else {
            above
        }
    };
    for (name, panel) in keys {
        let w = widget(&all, name);
        assert!(
            inside(panel, w.rect),
            "{case}: {name:?} at {:?} is not fully visible in its panel {panel:?}",
            w.rect
        );
    }
    // Nothing is cut at the window's right edge (scrolled into view or not), and no two
    // controls on screen overlap.
    let shown: Vec<&Widget> = all
        .iter()
        .filter(|w| inside(panel_rect(w), w.rect))
        .collect();
    for w in &all {
        assert!(
            w.rect.max.x <= size.x + SLACK,
            "{case}: {:?} at {:?} runs past the window's right edge",
            w.name,
            w.rect
        );
    }
    for (i, a) in shown.iter().enumerate() {
        for b in &shown[i + 1..] {
            let both = a.rect.intersect(b.rect);
            assert!(
                both.width() <= SLACK || both.height() <= SLACK,
                "{case}: {:?} at {:?} overlaps {:?} at {:?}",
                a.name,
                a.rect,
                b.name,
                b.rect
            );
        }
    }
}

fn layout_at(size: egui::Vec2) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), size);
    let at = format!("{}×{}", size.x, size.y);
    check(
        &h,
        &format!("{at} en, empty form"),
        Shown::EmptyForm,
        Lang::En,
    );
    click(&mut h, "中文");
    h.run();
    check(
        &h,
        &format!("{at} zh, empty form"),
        Shown::EmptyForm,
        Lang::Zh,
    );

    type_into(&mut h, "实例名称", "orders-prod-2");
    h.key_press(Key::Enter);
    step_until(&mut h, "the created card", |h| {
        shown_instance_id(h).is_some() && has_label(h, "复制 TCP 接入点")
    });
    h.run();
    check(&h, &format!("{at} zh, created"), Shown::Created, Lang::Zh);
    click(&mut h, "English");
    h.run();
    check(&h, &format!("{at} en, created"), Shown::Created, Lang::En);
}

#[test]
fn at_the_smallest_size_create_copy_and_the_history_controls_are_on_screen() {
    layout_at(vec2(720.0, 480.0));
}

#[test]
fn at_the_first_start_size_create_copy_and_the_history_controls_are_on_screen() {
    layout_at(vec2(960.0, 640.0));
}

/// Every node with a label or value, and where it is drawn.
fn texts(h: &Harness<'static, OnsApp>) -> Vec<Widget> {
    h.query_all(by().include_labels().predicate(|n| {
        n.label().is_some_and(|l| !l.is_empty()) || n.value().is_some_and(|v| !v.is_empty())
    }))
    .filter(|n| n.accesskit_node().bounding_box().is_some())
    .map(|n| Widget {
        name: {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value()).unwrap_or_default()
        },
        rect: n.rect(),
        panel: panel_of(n.accesskit_node()),
        pane: pane_of(n.accesskit_node()),
    })
    .collect()
}

/// The width `text` takes in the body font, uncut.
fn text_width(h: &Harness<'static, OnsApp>, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
    h.ctx
        .fonts_mut(|f| f.layout_no_wrap(text.to_owned(), font, egui::Color32::WHITE))
        .size()
        .x
}

fn detail_at(size: egui::Vec2) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), size);
    let name = "payments-prod-eu-central-primary";
    let id = "MQ_INST_1880770869020000_BBBBbbbb";
    click(&mut h, name);
    h.run();
    let case = format!("{}×{} detail", size.x, size.y);
    let window = Rect::from_min_size(egui::Pos2::ZERO, size);
    let split = history_top(&h);
    let history = Rect::from_min_max(egui::pos2(0.0, split), window.max);
    let all = widgets(&h);
    let copy = format!("Copy instance ID {id} from the details");
    let detail: Vec<&Widget> = ["Remove from history", "Close", copy.as_str()]
        .iter()
        .map(|n| widget(&all, n))
        .collect();
    // The detail's texts wrap inside the window; none lies under one of its buttons.
    let shown: Vec<Widget> = texts(&h)
        .into_iter()
        .filter(|t| t.pane == detail[0].pane)
        .collect();
    for needle in [
        name,
        id,
        "8F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F",
        "Removes the entry",
    ] {
        let t = shown
            .iter()
            .find(|t| t.name.contains(needle))
            .unwrap_or_else(|| panic!("{case}: {needle:?} not in the detail: {shown:#?}"));
        assert!(
            t.rect.right() <= size.x + SLACK,
            "{case}: {needle:?} at {:?} is cut at the window's right edge",
            t.rect
        );
    }
    for t in shown.iter().filter(|t| inside(history, t.rect)) {
        for w in detail.iter().filter(|w| w.name != t.name) {
            let both = t.rect.intersect(w.rect);
            assert!(
                both.width() <= SLACK || both.height() <= SLACK || t.rect.contains_rect(w.rect),
                "{case}: {:?} at {:?} lies under {:?} at {:?}",
                t.name,
                t.rect,
                w.name,
                w.rect
            );
        }
    }
    // An open detail gets the room to be read, even in the smallest window (the form scrolls
    // under it meanwhile): its buttons in view without scrolling.
    assert!(
        history.height() >= 200.0,
        "{case}: the history is {} tall with an entry's detail open",
        history.height()
    );
    for w in &detail {
        assert!(
            inside(history, w.rect),
            "{case}: {:?} at {:?} is not fully visible in the history panel {history:?}",
            w.name,
            w.rect,
        );
    }
    for (i, a) in detail.iter().enumerate() {
        for b in &detail[i + 1..] {
            let both = a.rect.intersect(b.rect);
            assert!(
                both.width() <= SLACK || both.height() <= SLACK,
                "{case}: {:?} overlaps {:?}",
                a.name,
                b.name
            );
        }
    }
    // The table's times are whole ("2026-11-29 22:31", not "2026-11-29 2…").
    let times: Vec<Widget> = texts(&h)
        .into_iter()
        .filter(|t| {
            let b = t.name.as_bytes();
            t.name.len() == 16 && b[4] == b'-' && b[10] == b' ' && b[13] == b':'
        })
        .collect();
    assert!(!times.is_empty(), "{case}: no time in the table");
    for t in &times {
        let needed = text_width(&h, &t.name);
        assert!(
            t.rect.width() + SLACK >= needed,
            "{case}: the time {:?} is shown {} wide, its text needs {needed}",
            t.name,
            t.rect.width()
        );
    }
}

#[test]
fn the_history_detail_shows_every_field_and_button_at_the_first_start_size() {
    detail_at(vec2(960.0, 640.0));
}

#[test]
fn the_history_detail_is_usable_at_the_smallest_size() {
    detail_at(vec2(720.0, 480.0));
}

// Keyboard: where focus is, the user sees it.

/// Presses Enter in the form and runs until the whole card is shown, its endpoints (fetched
/// after the create) included, in either language; returns the new Instance ID.
fn enter_until_the_card(h: &mut Harness<'static, OnsApp>) -> String {
    h.key_press(Key::Enter);
    step_until(h, "the created card with its endpoints", |h| {
        shown_instance_id(h).is_some()
            && (has_label(h, "Copy TCP endpoint") || has_label(h, "复制 TCP 接入点"))
    });
    h.run();
    shown_instance_id(h).expect("the created card's Instance ID")
}

/// What of the result column is in view: the span of its scroll bar (the rightmost one above
/// the history panel), which the card has when it is taller than its column.
fn result_in_view(h: &Harness<'static, OnsApp>) -> Rect {
    let split = history_top(h);
    h.query_all(by().predicate(|n| n.role() == Role::ScrollBar))
        .map(|n| n.rect())
        .filter(|r| r.top() < split)
        .max_by(|a, b| a.right().total_cmp(&b.right()))
        .expect("the result's scroll bar: the card is taller than its column")
}

/// Where the card's Instance ID is, if it has the focus (the history lists the ID too).
fn focused_card_id(h: &Harness<'static, OnsApp>, id: &str) -> Option<Rect> {
    h.query_all_by_label(id)
        .find(egui_kittest::Node::is_focused)
        .map(|n| n.rect())
}

/// Creates `name` from the keyboard and waits for the whole card (endpoints included).
fn create_from_the_keyboard(h: &mut Harness<'static, OnsApp>, name: &str) {
    type_into(h, "Instance name", name);
    enter_until_the_card(h);
}

/// Whether the last frame drew the theme's focus stroke tightly around `rect`.
fn has_focus_ring(h: &Harness<'static, OnsApp>, rect: Rect) -> bool {
    let focus = h.ctx.global_style().visuals.selection.stroke;
    h.output().shapes.iter().any(|c| {
        matches!(&c.shape, egui::Shape::Rect(r)
            if r.stroke == focus
                && r.rect.expand(SLACK).contains_rect(rect)
                && rect.expand(6.0).contains_rect(r.rect))
    })
}

/// egui only shades a focused radio button's circle: the one the keyboard is on has the
/// focus ring, and only that one.
#[test]
fn the_focused_radio_button_has_a_focus_ring() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    h.get_by_label("Connection settings").focus();
    h.step();
    h.key_press(Key::Space);
    h.run();
    let radio = |h: &Harness<'static, OnsApp>, name: &str| h.get_by_label(name).rect();
    let (v1, v3) = ("V1 (HMAC-SHA1, default)", "V3 (ACS3-HMAC-SHA256)");
    let mut seen = Vec::new();
    // The menu opens on its first control (here V1: the sandbox disables the endpoint's).
    for tab in 0..6 {
        if tab > 0 {
            h.key_press(Key::Tab);
            h.run();
        }
        for name in [v1, v3] {
            if h.get_by_label(name).is_focused() {
                let (this, other) = (radio(&h, name), radio(&h, if name == v1 { v3 } else { v1 }));
                assert!(
                    has_focus_ring(&h, this),
                    "{name} is focused but has no ring"
                );
                assert!(!has_focus_ring(&h, other), "the unfocused radio has a ring");
                seen.push(name);
            }
        }
    }
    assert_eq!(seen, [v1, v3], "Tab did not reach both radio buttons");
}

#[test]
fn after_a_create_the_instance_id_has_focus_and_a_focus_ring() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    create_from_the_keyboard(&mut h, "orders-prod");
    let id = shown_instance_id(&h).unwrap();
    let node = h.get_by_label(&id);
    assert!(
        node.is_focused(),
        "the Instance ID takes focus after a create"
    );
    let rect = node.rect();
    assert!(
        has_focus_ring(&h, rect),
        "no focus ring drawn around the Instance ID at {rect:?}"
    );
    // Elsewhere, no ring.
    h.key_press(Key::Tab);
    h.run();
    assert!(!h.get_by_label(&id).is_focused());
    assert!(!has_focus_ring(&h, rect));
}

#[test]
fn tab_reaches_the_last_copy_of_the_card_and_scrolls_it_into_view() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    h.set_size(vec2(720.0, 480.0));
    h.run();
    create_from_the_keyboard(&mut h, "orders-prod");
    let last = "Copy Terraform";
    let split = history_top(&h);
    assert!(
        h.get_by_label(last).rect().top() > split,
        "the test needs the last Copy out of view at first"
    );
    for _ in 0..20 {
        if h.get_by_label(last).is_focused() {
            break;
        }
        h.key_press(Key::Tab);
        h.step();
        h.step();
    }
    assert!(
        h.get_by_label(last).is_focused(),
        "Tab never reached {last:?}"
    );
    h.run();
    // The result's scroll bar spans what its scroll area shows.
    let shown = h
        .query_all(by().predicate(|n| n.role() == Role::ScrollBar))
        .map(|n| n.rect())
        .filter(|r| r.top() < split)
        .max_by(|a, b| a.right().total_cmp(&b.right()))
        .expect("the result's scroll bar");
    let copy = h.get_by_label(last).rect();
    assert!(
        copy.top() >= shown.top() - SLACK && copy.bottom() <= shown.bottom() + SLACK,
        "{last:?} at {copy:?} is focused but not in view (the result shows {shown:?})"
    );
}

/// Drags the pointer from `from` to `to` with the primary button held.
fn drag(h: &mut Harness<'static, OnsApp>, from: egui::Pos2, to: egui::Pos2) {
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    h.event(egui::Event::PointerMoved(from));
    h.step();
    h.event(button(from, true));
    h.step();
    let steps = 10;
    for i in 1..=steps {
        #[expect(clippy::cast_precision_loss, reason = "ten steps")]
        h.event(egui::Event::PointerMoved(
            from.lerp(to, i as f32 / steps as f32),
        ));
        h.step();
    }
    h.event(button(to, false));
    h.run();
}

#[test]
fn in_the_smallest_window_the_user_can_drag_the_history_taller_than_the_form_leaves() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), vec2(720.0, 480.0));
    create_from_the_keyboard(&mut h, "orders-prod-2");
    let capped = history_top(&h);
    // Unasked, the history keeps Create in view.
    let create = h.get_by_label("Create").rect();
    assert!(
        create.bottom() <= capped,
        "Create at {create:?} under the history at {capped}"
    );

    // Asked, it grows: the user wants to read the history, and the form scrolls.
    let x = 360.0;
    drag(&mut h, egui::pos2(x, capped), egui::pos2(x, capped - 150.0));
    let dragged = history_top(&h);
    assert!(
        dragged <= capped - 140.0,
        "the history's edge went from {capped} to {dragged} only"
    );
    // It stays where the user put it when the form changes.
    click(&mut h, "New instance");
    h.run();
    assert!((history_top(&h) - dragged).abs() < 1.0);
}

#[test]
fn beside_an_open_detail_in_the_smallest_window_the_names_stay_whole() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), vec2(720.0, 480.0));
    create_from_the_keyboard(&mut h, "orders-prod-2");
    // The new entry's name in the table: a selectable button after its sandbox badge.
    let row = |h: &Harness<'static, OnsApp>| {
        h.query_all_by_label("orders-prod-2")
            .filter(|n| n.accesskit_node().role() == Role::Button)
            .map(|n| n.rect())
            .next()
            .expect("the entry's row")
    };
    let needed = text_width(&h, "orders-prod-2");
    assert!(
        row(&h).width() + SLACK >= needed,
        "cut before the detail opens"
    );
    click(&mut h, "audit-log");
    h.run();
    assert!(has_label(&h, "Remove from history"), "the detail is open");
    let width = row(&h).width();
    assert!(
        width + SLACK >= needed,
        "beside the detail the name is shown {width} wide, its text needs {needed}"
    );
}

#[test]
fn a_screen_reader_can_make_the_history_taller_too() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), vec2(720.0, 480.0));
    create_from_the_keyboard(&mut h, "orders-prod-2");
    let capped = history_top(&h);
    for _ in 0..5 {
        h.query_all(by().predicate(|n| n.role() == Role::Splitter))
            .find(|n| n.rect().width() > n.rect().height())
            .expect("the history panel's resize handle")
            .increment_accesskit();
        h.run();
    }
    let grown = history_top(&h);
    assert!(
        grown < capped - 20.0,
        "five increments moved the history's edge from {capped} to {grown}"
    );
}

#[test]
fn after_a_create_with_a_long_name_the_focused_id_is_wholly_in_view_at_the_smallest_size() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    for lang_zh in [false, true] {
        let mut h = app_on(&rt, &sandbox);
        h.set_size(vec2(720.0, 480.0));
        h.run();
        let (label, name) = if lang_zh {
            click(&mut h, "中文");
            h.run();
            ("实例名称", "订单支付主集群华东区域生产环境第二批次测试实例")
        } else {
            (
                "Instance name",
                "payments-order-processing-primary-cluster-east-asia-2026-beta",
            )
        };
        type_into(&mut h, label, name);
        let id = enter_until_the_card(&mut h);
        let node = h.get_by_label(&id);
        assert!(node.is_focused(), "the ID has the focus");
        let shown = result_in_view(&h);
        // The ID and the focus ring drawn 2 points around it.
        let ring = node.rect().expand(2.0);
        assert!(
            ring.top() >= shown.top() - SLACK && ring.bottom() <= shown.bottom() + SLACK,
            "zh={lang_zh}: the focused ID at {ring:?} is not wholly in view ({shown:?})"
        );
    }
}

/// In sandbox mode the banner takes a line of the smallest window, and with a long name the
/// card is taller than its column: after a create the focused ID, the line under it, which
/// says how to copy it, and the next steps under that (a topic, a group, the client config)
/// are all in view.
#[test]
fn in_the_sandbox_at_the_smallest_size_the_copy_hint_and_next_steps_show_under_the_focused_id() {
    let rt = runtime();
    for (lang_zh, label, name, hint, next) in [
        (
            false,
            "Instance name",
            "payments-order-processing-primary-cluster-east-asia-2026-beta",
            "Ctrl+C copies the Instance ID while it has focus.",
            ["Add a topic", "Add a group", "Client config"],
        ),
        (
            true,
            "实例名称",
            "订单支付主集群华东区域生产环境第二批次测试实例",
            "实例 ID 获得焦点时按 Ctrl+C 即可复制。",
            ["添加 Topic", "添加 Group", "客户端配置"],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = demo_with_history(&rt, dir.path(), vec2(720.0, 480.0));
        if lang_zh {
            click(&mut h, "中文");
            h.run();
        }
        type_into(&mut h, label, name);
        let id = enter_until_the_card(&mut h);
        let card_id =
            focused_card_id(&h, &id).unwrap_or_else(|| panic!("zh={lang_zh}: the ID has no focus"));
        let shown = result_in_view(&h);
        let steps = next.map(|step| (step, h.get_by_label(step).rect()));
        for (what, rect) in [
            ("the ID", card_id.expand(2.0)),
            ("the copy hint", h.get_by_label(hint).rect()),
        ]
        .into_iter()
        .chain(steps)
        {
            assert!(
                rect.top() >= shown.top() - SLACK && rect.bottom() <= shown.bottom() + SLACK,
                "zh={lang_zh}: {what} at {rect:?} is not in view ({shown:?})"
            );
        }
    }
}

#[test]
fn after_a_create_with_a_remark_the_whole_id_is_in_view_at_the_smallest_size() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    for lang_zh in [false, true] {
        let mut h = app_on(&rt, &sandbox);
        h.set_size(vec2(720.0, 480.0));
        h.run();
        let (name_label, remark_label, name, remark) = if lang_zh {
            click(&mut h, "中文");
            h.run();
            ("实例名称", "备注（可选）", "订单测试", "支付 订单 主实例")
        } else {
            (
                "Instance name",
                "Remark (optional)",
                "orders-prod",
                "payments main",
            )
        };
        type_into(&mut h, name_label, name);
        type_into(&mut h, remark_label, remark);
        let id = enter_until_the_card(&mut h);
        let node = h.get_by_label(&id);
        assert!(node.is_focused(), "zh={lang_zh}: the ID has the focus");
        // The result column ends where the history panel begins (less its margin).
        let bottom = history_top(&h) - PANEL_MARGIN;
        assert!(
            node.rect().bottom() <= bottom + SLACK && node.rect().top() >= 0.0,
            "zh={lang_zh}: the ID at {:?} is partly under the history panel (from {bottom})",
            node.rect()
        );
        sandbox.delete_instance(&id);
    }
}

// The Instances view's panes: an instance's details take the window beside a column of names.

/// The panes of `--demo`'s instance at `size`, in English and Chinese: in each, the controls
/// that matter are on screen and in the details' panel, none runs past the window's right edge,
/// and none on screen lies over another.
fn panes_at(size: egui::Vec2) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), size);
    click(&mut h, "Instances");
    step_until(&mut h, "the demo's instance", |h| {
        has_label(h, "legacy-orders")
    });
    click(&mut h, "legacy-orders");
    step_until(&mut h, "its counted tabs", |h| {
        has_label(h, "Topics (4)") && has_label(h, "Groups (3)")
    });
    let at = format!("{}×{}", size.x, size.y);
    // (tab, the controls that must be whole and on screen), in each language.
    let en: [(&str, &[&str]); 4] = [
        (
            "Overview",
            &["Instance name", "Close the details of legacy-orders"],
        ),
        (
            "Topics (4)",
            &[
                "Topic name",
                "Message type",
                "Create topic",
                "Search topics",
            ],
        ),
        ("Groups (3)", &["Group ID", "TCP", "HTTP", "Create group"]),
        (
            "Connect",
            &["Topic", "Group", "Format", "Copy client config"],
        ),
    ];
    let zh: [(&str, &[&str]); 4] = [
        ("基本信息", &["实例名称", "关闭 legacy-orders 的详情"]),
        (
            "Topic 管理（4）",
            &["Topic 名称", "消息类型", "创建 Topic", "搜索 Topic"],
        ),
        (
            "Group 管理（3）",
            &["Group ID", "TCP 协议", "HTTP 协议", "创建 Group"],
        ),
        ("客户端接入", &["Topic", "Group", "格式", "复制客户端配置"]),
    ];
    for (lang, panes) in [("en", en), ("zh", zh)] {
        if lang == "zh" {
            click(&mut h, "中文");
            h.run();
        }
        for (tab, keys) in panes {
            click(&mut h, tab);
            h.run();
            check_pane(&h, &format!("{at} {lang} {tab}"), keys);
        }
    }
}

fn check_pane(h: &Harness<'static, OnsApp>, case: &str, keys: &[&str]) {
    let size = h.ctx.content_rect().size();
    let window = Rect::from_min_size(egui::Pos2::ZERO, size);
    let all = widgets(h);
    let detail = &widget(&all, keys[0]).panel;
    let names = widget(&all, "legacy-orders");
    assert_ne!(
        &names.panel, detail,
        "{case}: the names and the details share a panel"
    );
    for key in keys {
        let w = widget(&all, key);
        assert!(
            inside(window, w.rect) && &w.panel == detail,
            "{case}: {key:?} at {:?} is not whole on screen in the details",
            w.rect
        );
        assert!(
            w.rect.left() >= names.rect.right(),
            "{case}: {key:?} at {:?} is under the column of names",
            w.rect
        );
    }
    for w in &all {
        assert!(
            w.rect.max.x <= size.x + SLACK,
            "{case}: {:?} at {:?} runs past the window's right edge",
            w.name,
            w.rect
        );
    }
    // On screen: not scrolled out of sight above or below its pane.
    let shown: Vec<&Widget> = all
        .iter()
        .filter(|w| inside(window, w.rect) && w.rect.height() > SLACK)
        .collect();
    for (i, a) in shown.iter().enumerate() {
        for b in &shown[i + 1..] {
            let both = a.rect.intersect(b.rect);
            assert!(
                both.width() <= SLACK || both.height() <= SLACK,
                "{case}: {:?} at {:?} overlaps {:?} at {:?}",
                a.name,
                a.rect,
                b.name,
                b.rect
            );
        }
    }
}

#[test]
fn a_window_made_larger_gives_the_history_its_height_back() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), vec2(720.0, 480.0));
    let small = 480.0 - history_top(&h);
    h.set_size(vec2(960.0, 640.0));
    h.run();
    let large = 640.0 - history_top(&h);
    assert!(
        large >= 200.0 && large > small + 40.0,
        "the history is {small} tall at 720×480 and still {large} at 960×640"
    );
    // And back.
    h.set_size(vec2(720.0, 480.0));
    h.run();
    assert!((480.0 - history_top(&h) - small).abs() < 1.0);
}

#[test]
fn created_just_now_keeps_its_words_and_the_id_whole_in_chinese() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let mut h = app_on(&rt, &sandbox);
    h.set_size(vec2(720.0, 480.0));
    h.run();
    click(&mut h, "中文");
    h.run();
    type_into(&mut h, "实例名称", "订单测试");
    let id = enter_until_the_card(&mut h);
    let hint = painted_texts(&h)
        .into_iter()
        .find(|p| p.shown.contains("刚刚已创"))
        .expect("the created-just-now hint under the name");
    // Chinese has no spaces to break at: without a line of its own, the ID took the words
    // around it apart ("刚刚已创 / 建：MQ_INST_…").
    assert!(
        hint.rows.iter().any(|r| r.contains("刚刚已创建：")),
        "{:?}",
        hint.rows
    );
    assert!(hint.rows.iter().any(|r| r.trim() == id), "{:?}", hint.rows);
}

#[test]
fn at_the_smallest_size_every_pane_of_an_instance_shows_its_controls() {
    panes_at(vec2(720.0, 480.0));
}

#[test]
fn at_the_first_start_size_every_pane_of_an_instance_shows_its_controls() {
    panes_at(vec2(960.0, 640.0));
}

/// Once the new ID is in view, the result column is the user's to scroll: a wheel turned
/// right after a create (down, to the card's facts) stays where it took the card, and is
/// not pulled back to the ID.
#[test]
fn scrolling_the_card_after_a_create_is_not_undone() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let mut h = demo_with_history(&rt, dir.path(), vec2(720.0, 480.0));
    type_into(
        &mut h,
        "Instance name",
        "payments-order-processing-primary-cluster-east-asia-2026-beta",
    );
    let id = enter_until_the_card(&mut h);
    let focused_id =
        |h: &Harness<'static, OnsApp>| focused_card_id(h, &id).expect("the ID has the focus");
    let before = focused_id(&h);
    let shown = result_in_view(&h);
    h.hover_at(shown.center());
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, -400.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    for _ in 0..8 {
        h.step();
    }
    h.run();
    let after = focused_id(&h);
    assert!(
        after.bottom() < shown.top(),
        "the card did not stay scrolled: the ID went from {before:?} to {after:?} ({shown:?})"
    );
}
