//! Sandbox entries in the history panel: marked with a badge, and hidden by default while the
//! window talks to Alibaba Cloud (they created nothing real), shown with one checkbox.

use crate::gui_support;

use egui_kittest::kittest::Queryable as _;
use gui_support::*;
use onsdesk::app::{HistoryLocation, StartCredentials};
use onsdesk::credentials::Credentials;
use onsdesk::history::{History, NewAttempt, Status};

fn record(h: &mut History, name: &str, endpoint: &str, id: &str) {
    let e = h
        .record_pending(NewAttempt {
            name: name.to_owned(),
            remark: String::new(),
            region: "cn-hangzhou".to_owned(),
            endpoint: endpoint.to_owned(),
            profile: "work".to_owned(),
        })
        .unwrap();
    h.record_outcome(
        e,
        Status::Created {
            instance_id: id.to_owned(),
            instance_type: 1,
            request_id: "REQ".to_owned(),
        },
    )
    .unwrap();
}

#[test]
fn sandbox_entries_are_hidden_from_a_real_session_and_marked_when_shown() {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    {
        let (mut h, _) = History::open(dir.path()).unwrap();
        record(
            &mut h,
            "orders-real",
            "https://ons.cn-hangzhou.aliyuncs.com/",
            "MQ_INST_1_REAL",
        );
        record(
            &mut h,
            "orders-demo",
            "http://127.0.0.1:41049/",
            "MQ_INST_2_DEMO",
        );
    }
    // A real session: the region's own endpoint (nothing is sent by this test).
    let mut h = TestApp::new(StartCredentials::Given(Credentials::new(
        "test-id",
        "test-secret".into(),
    )))
    .history(HistoryLocation::Dir(dir.path().to_path_buf()))
    .start(&rt);
    step_until(&mut h, "the history to load", |h| {
        has_label(h, "orders-real")
    });
    h.step();
    assert!(!has_label(&h, "orders-demo"), "{}", dump(&h));
    assert!(!has_label(&h, "sandbox"), "{}", dump(&h));

    click(&mut h, "Sandbox entries");
    h.step();
    h.step();
    assert!(has_label(&h, "orders-demo"), "{}", dump(&h));
    assert!(has_label(&h, "orders-real"));
    // One badge: on the sandbox entry only.
    assert_eq!(h.query_all_by_label("sandbox").count(), 1, "{}", dump(&h));
}
