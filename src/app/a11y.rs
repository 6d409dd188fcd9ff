//! What the window tells assistive technology beyond what egui's widgets say themselves
//! (AccessKit → AT-SPI, UI Automation, NSAccessibility): the reading order of the panels and
//! the value of a selector where the platform adapter does not pass it on.

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
