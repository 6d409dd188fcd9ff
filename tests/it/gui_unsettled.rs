//! At start, attempts an earlier run left pending (the window closed mid-create) get one
//! banner that offers to check them; checking settles them from the cloud.

use crate::gui_support;

use gui_support::*;
use onsdesk::history::{History, NewAttempt};
use onsdesk::region::Endpoint;

#[test]
fn pending_attempts_from_an_earlier_run_are_offered_a_check_at_start() {
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::parse(&sandbox.url()).unwrap().to_string();
    // The earlier run recorded the attempt, sent it, and was closed before the reply.
    {
        let (mut history, _) = History::open(dir.path()).unwrap();
        history
            .record_pending(NewAttempt {
                name: "closed-early".to_owned(),
                remark: String::new(),
                region: "cn-hangzhou".to_owned(),
                endpoint,
                profile: "environment".to_owned(),
            })
            .unwrap();
    }
    let made = create_behind_the_window(&rt, &sandbox, "closed-early");

    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the banner", |h| {
        has_label_containing(h, "1 earlier create has no known outcome")
    });
    click(&mut h, "Check them now");
    step_until(&mut h, "the check", |h| {
        has_label(h, &format!("Copy instance ID {}", made.instance_id))
    });
    assert!(
        !has_label_containing(&h, "earlier create has no known outcome"),
        "{}",
        dump(&h)
    );
}
