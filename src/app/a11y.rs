//! What the window tells assistive technology beyond what egui's widgets say themselves
//! (AccessKit → AT-SPI, UI Automation, NSAccessibility): the reading order of the panels and
//! the value of a selector where the platform adapter does not pass it on.

use super::i18n::Lang;

/// How many nodes `ui` holds in the accessibility tree so far (0 when accessibility is off).
pub fn child_count(ui: &egui::Ui) -> usize {
    ui.ctx()
        .accesskit_node_builder(ui.unique_id(), |node| node.children().len())
        .unwrap_or_default()
}

/// Screen readers read the window in the accessibility tree's order, which is the order the
/// panels were laid out in. A panel laid out early for its size (the history spans the
/// window's width, so it comes before the form and the result) has its nodes (`laid_out`,
/// by position among `ui`'s children) moved after the siblings laid out since, so the window
/// is read as it is seen: top to bottom.
pub fn read_after_the_rest(ui: &egui::Ui, laid_out: std::ops::Range<usize>) {
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        let mut children = node.children().to_vec();
        if laid_out.end <= children.len() {
            let moved: Vec<_> = children.drain(laid_out).collect();
            children.extend(moved);
            node.set_children(children);
        }
    });
}

/// A selector's current value, also as its description. egui gives a `ComboBox` its value,
/// but AccessKit's AT-SPI adapter passes a text value on only for text fields, so Orca would
/// say "Region, combo box" without the region; the description is read after the name.
pub fn describe_value(response: &egui::Response, value: &str) {
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_description(value));
}

/// One radio button per choice for `current`, each described by `group` (the choice they
/// answer). AccessKit's AT-SPI adapter gives a radio button no group, so Orca would say "TCP,
/// radio button, selected" without saying what was chosen; the description is read after
/// the name. The focused one has a focus ring: egui only shades its circle. Every radio
/// group in the window is drawn here, so none goes without either.
pub fn radio_choices<T: PartialEq, const N: usize>(
    ui: &mut egui::Ui,
    current: &mut T,
    choices: [(T, &str); N],
    group: &str,
) -> [egui::Response; N] {
    choices.map(|(value, label)| {
        let radio = ui.radio_value(current, value, label);
        describe(ui.ctx(), radio.id, group);
        if radio.has_focus() {
            super::style::focus_ring(ui, radio.rect);
        }
        radio
    })
}

/// Reads `ui`'s children in the opposite order: a right-to-left row lays out its rightmost
/// widget first, but is read, as seen, from the left.
pub fn read_from_the_left(ui: &egui::Ui) {
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        let mut children = node.children().to_vec();
        children.reverse();
        node.set_children(children);
    });
}

/// "Copied", said once by a screen reader after each copy (the button's visible "✔ Copied"
/// is only its description, which is not announced): a live status node while the mark shows.
pub fn copied_status(ctx: &egui::Context, said: &str, mark: &super::copy::CopyMark) {
    if !mark.showing() {
        return;
    }
    ctx.accesskit_node_builder(egui::Id::unique("onsdesk.copied_status"), |node| {
        node.set_role(egui::accesskit::Role::Status);
        node.set_live(egui::accesskit::Live::Polite);
        node.set_label(said);
    });
}

/// Keeps the widget that has just taken keyboard focus in view: egui moves focus with Tab to
/// widgets scrolled out of sight without scrolling to them. Call at the end of a scroll
/// area's contents with its `ui`; it scrolls only to a widget inside those contents.
pub fn follow_focus(ui: &egui::Ui) {
    let Some(id) = ui.memory(egui::Memory::focused) else {
        return;
    };
    let Some(focused) = ui.ctx().read_response(id) else {
        return;
    };
    if focused.gained_focus()
        && focused.layer_id == ui.layer_id()
        && ui.min_rect().contains_rect(focused.rect)
        && !ui.clip_rect().contains_rect(focused.rect)
    {
        ui.scroll_to_rect(focused.rect, None);
    }
}

/// What a screen reader says after a control's name and role: its description. Orca 43 reads
/// it when the control takes focus and says it again whenever it changes while the control
/// has focus, which is how an outcome reaches a user whose reader does not speak live regions
/// (Orca 43 does not). Empty clears it.
pub fn describe(ctx: &egui::Context, id: egui::Id, said: &str) {
    ctx.accesskit_node_builder(id, |node| {
        if said.is_empty() {
            node.clear_description();
        } else {
            node.set_description(said);
        }
    });
}

/// A text field's state for a screen reader: what is wrong with its value (`invalid`, and
/// said in `said`, its description) and no placeholder. egui passes a field's hint text on as
/// its placeholder, which Orca 43 reads as if it had been typed ("Instance name entry
/// orders-prod" for an empty field); the hint stays on screen.
///
/// Orca 43 cannot read an AccessKit field's text either (it asks AT-SPI for
/// `GetTextAtOffset`, which AccessKit does not implement), so a field that takes the focus with
/// text in it also says the text, first, until the first key typed in it: after that the
/// description changes only with the verdict, and is not said again with every key.
/// Call it after the field, once or more per frame, with the same value.
pub fn field_state(field: &egui::Response, lang: Lang, value: &str, said: &str, invalid: bool) {
    let typed_id = field.id.with("onsdesk.typed_since_focus");
    let (fresh, changed) = (field.gained_focus(), field.changed());
    let typed = field.ctx.data_mut(|d| {
        let typed = d.get_temp_mut_or_default::<bool>(typed_id);
        if fresh {
            *typed = false;
        }
        if changed {
            *typed = true;
        }
        *typed
    });
    let said = if typed || value.is_empty() {
        said.to_owned()
    } else {
        lang.value_then(value, said)
    };
    field.ctx.accesskit_node_builder(field.id, |node| {
        node.clear_placeholder();
        if invalid {
            node.set_invalid(egui::accesskit::Invalid::True);
        } else {
            node.clear_invalid();
        }
        if said.is_empty() {
            node.clear_description();
        } else {
            node.set_description(said);
        }
    });
}

/// The language the window's text is in (an IETF tag, on the root node, which every node
/// inherits), so a reader can pick a voice that speaks it.
pub fn language(ctx: &egui::Context, lang: Lang) {
    ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| {
        node.set_language(lang.tag());
    });
}

/// Names the menu `ui` is drawn in (egui's popup of a `menu_button`), which a reader says as
/// the keyboard enters it: "Connection settings menu", not just "menu".
pub fn name_menu(ui: &egui::Ui, name: &str) {
    if let Some(menu) = ui
        .stack()
        .iter()
        .find(|frame| frame.kind() == Some(egui::UiKind::Menu))
    {
        ui.ctx()
            .accesskit_node_builder(menu.unique_id, |node| node.set_label(name));
    }
}

/// Tab from the last control: egui leaves no widget focused for one frame before it gives the
/// focus to the first one, and AccessKit puts the focus on the window meanwhile. Orca then
/// says "onsdesk frame", and with a dialog open "1 unfocused dialog" and the dialog's whole
/// text again. Call at the end of the frame with what had the focus at its start: the focus
/// stays there for this frame, and egui still gives it to the first control in the next.
pub fn wrap_tab_without_a_gap(ctx: &egui::Context, focused_at_start: Option<egui::Id>) {
    let Some(before) = focused_at_start else {
        return;
    };
    let tabbed = ctx.input(|i| {
        i.events.iter().any(|e| {
            matches!(
                e,
                egui::Event::Key { key: egui::Key::Tab, pressed: true, modifiers, .. }
                    if !modifiers.any()
            )
        })
    });
    if tabbed && ctx.memory(egui::Memory::focused).is_none() {
        ctx.memory_mut(|m| m.request_focus(before));
        // The frame that hands the focus on.
        ctx.request_repaint();
    }
}
