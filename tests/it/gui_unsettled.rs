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

/// A topic create and a group delete an earlier run left pending are counted apart in the
/// banner, and the check settles them from their instance's own lists: the topic listed is
/// adopted, the group no longer listed is deleted.
#[test]
fn pending_topic_and_group_changes_are_settled_by_the_check_at_start() {
    use onsdesk::history::{EntryOutcome, NewChange, Resource, Verb};
    use onsdesk::ids::InstanceId;
    use onsdesk::sandbox::{SeedInstance, SeedTopic};
    let rt = runtime();
    let sandbox = start_sandbox(&rt);
    let on = sandbox.seed_instance(&SeedInstance::new("legacy-orders", "cn-hangzhou"));
    let on = InstanceId::parse(&on).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let endpoint = Endpoint::parse(&sandbox.url()).unwrap().to_string();
    let (made, gone) = {
        let (mut history, _) = History::open(dir.path()).unwrap();
        let mut pending = |verb, resource| {
            history
                .record_change_pending(NewChange {
                    verb,
                    resource,
                    remark: String::new(),
                    region: "cn-hangzhou".to_owned(),
                    endpoint: endpoint.clone(),
                    profile: "environment".to_owned(),
                })
                .unwrap()
        };
        let made = pending(
            Verb::Create,
            Resource::Topic {
                instance_id: on.clone(),
                topic: "orders".to_owned(),
                message_type: None,
            },
        );
        let gone = pending(
            Verb::Delete,
            Resource::Group {
                instance_id: on.clone(),
                group_id: "GID_gone".to_owned(),
                group_type: None,
            },
        );
        (made, gone)
    };
    // The create reached the service after it was recorded (the topic is there; a seeded
    // one is a month old, someone else's to it); the delete did too (no group).
    assert!(sandbox.seed_topic(on.as_str(), &SeedTopic::named("orders")));

    let mut h = app_on_with_history(&rt, &sandbox, dir.path());
    step_until(&mut h, "the banner", |h| {
        has_label_containing(
            h,
            "2 earlier topic or group creates or deletes have no known outcome",
        )
    });
    click(&mut h, "Check them now");
    step_until(&mut h, "the check", |h| {
        has_label(h, "✔ adopted · in service") && has_label(h, "✔ deleted")
    });
    assert!(
        !has_label_containing(&h, "have no known outcome"),
        "{}",
        dump(&h)
    );
    let (history, _) = History::open(dir.path()).unwrap();
    assert_eq!(history.get(made).unwrap().outcome(), EntryOutcome::Adopted);
    assert_eq!(history.get(gone).unwrap().outcome(), EntryOutcome::Deleted);
}
