//! Instance management against the sandbox over real HTTP: the new API calls, the
//! safe update and delete against each fault switch (what the server received and what it
//! holds afterwards), the concurrent listing of every region, and the history's format 2.

use std::time::{Duration, Instant};

use onsdesk::api::{ApiError, Client, HttpOptions, Target, Transport};
use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::history::format::{self, Record};
use onsdesk::history::{FILE_NAME, History, NewAttempt, Notice, Status};
use onsdesk::ids::InstanceId;
use onsdesk::instances::{self, Change, DeleteOutcome, UpdateOutcome};
use onsdesk::operation::Step;
use onsdesk::pacing::Policy;
use onsdesk::region::{Endpoint, REGIONS};
use onsdesk::sandbox::{
    self, Faults, Sandbox, SandboxConfig, SandboxKey, SeedGroup, SeedInstance, SeedTopic,
};

const DELETE: &str = "OnsInstanceDelete";
const UPDATE: &str = "OnsInstanceUpdate";

fn seed(name: &str, topics: u32, groups: u32, region: &str) -> SeedInstance {
    SeedInstance {
        remark: "from the console".to_owned(),
        topics: SeedTopic::numbered(topics),
        groups: SeedGroup::numbered(groups),
        ..SeedInstance::new(name, region)
    }
}

async fn sandbox_with(seeds: Vec<SeedInstance>) -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: seeds,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn client_in(sb: &Sandbox, region: &str, credentials: Credentials, timeout: Duration) -> Client {
    Client::new(
        Transport::new(HttpOptions {
            connect_timeout: Duration::from_secs(2),
            timeout,
        }),
        Target {
            endpoint: Endpoint::parse(&sb.url()).unwrap(),
            region: onsdesk::region::RegionId::shaped(region).unwrap(),
        },
        credentials,
    )
}

fn client(sb: &Sandbox) -> Client {
    client_in(
        sb,
        "cn-hangzhou",
        sandbox::demo_credentials(),
        Duration::from_secs(5),
    )
}

fn quick() -> Policy {
    Policy {
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        ..Policy::default()
    }
}

fn id_of(sb: &Sandbox, name: &str) -> InstanceId {
    sb.instances()
        .into_iter()
        .find(|i| i.name == name)
        .map_or_else(
            || panic!("no instance {name}"),
            |i| InstanceId::parse(&i.id).unwrap(),
        )
}

fn code(err: &ApiError) -> &str {
    err.service()
        .map_or("<not a service error>", |s| s.code.as_str())
}

#[tokio::test]
async fn counts_come_only_with_need_resource_info() {
    let sb = sandbox_with(vec![seed("legacy-orders", 3, 2, "cn-hangzhou")]).await;
    let c = client(&sb);
    let with = c.instances_with_resources().await.unwrap();
    assert_eq!(with.len(), 1);
    assert_eq!(with[0].instance_name, "legacy-orders");
    assert_eq!(
        (with[0].topic_count, with[0].group_count),
        (Some(3), Some(2))
    );
    let without = c.instances_in_service().await.unwrap();
    assert_eq!(
        (without[0].topic_count, without[0].group_count),
        (None, None)
    );
    // Base info carries CreateTime as a string: read as milliseconds.
    let info = c.instance_base_info(&with[0].instance_id).await.unwrap();
    assert_eq!(info.create_time, with[0].create_time);
    assert!(info.create_time.is_some());
    assert_eq!(info.remark, "from the console");
}

#[tokio::test]
async fn an_update_changes_only_what_it_is_given() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let created = c
        .create_instance("orders-old", Some("first"))
        .await
        .unwrap();
    let id = &created.instance_id;

    let report = instances::update(
        &c,
        id,
        Change {
            name: Some("orders-new"),
            remark: None,
        },
        quick(),
        |_| {},
    )
    .await;
    assert!(
        matches!(&report.outcome, UpdateOutcome::Updated { request_id } if !request_id.is_empty()),
        "{:?}",
        report.outcome
    );
    assert_eq!(report.attempts, 1);
    let stored = &sb.instances()[0];
    assert_eq!(
        (stored.name.as_str(), stored.remark.as_str()),
        ("orders-new", "first")
    );

    c.update_instance(id, None, Some("")).await.unwrap();
    let stored = &sb.instances()[0];
    assert_eq!(
        (stored.name.as_str(), stored.remark.as_str()),
        ("orders-new", "")
    );
    assert_eq!(sb.action_count(UPDATE), 2);
}

#[tokio::test]
async fn an_update_the_service_refuses_is_not_updated() {
    let sb = sandbox_with(vec![seed("taken-name", 0, 0, "cn-hangzhou")]).await;
    let c = client(&sb);
    let mine = c.create_instance("mine", None).await.unwrap().instance_id;
    let report = instances::update(
        &c,
        &mine,
        Change {
            name: Some("taken-name"),
            remark: None,
        },
        quick(),
        |_| {},
    )
    .await;
    let UpdateOutcome::NotUpdated(err) = &report.outcome else {
        panic!("{:?}", report.outcome)
    };
    assert_eq!(code(err), "BIZ_INSTANCE_NAME_DUPLICATED");
    assert_eq!(report.attempts, 1, "a refusal is not sent again");
    assert_eq!(report.outcome.label(), "not_updated");
    assert_eq!(id_of(&sb, "mine"), mine);

    // The sandbox applies the create's name rules too.
    let err = c
        .update_instance(&mine, Some("has space"), None)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "BIZ_FIELD_CHECK_INVALID");
}

#[tokio::test]
async fn an_update_answered_503_is_sent_again() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let id = c.create_instance("flaky", None).await.unwrap().instance_id;
    sb.set_faults(Faults {
        unavailable_first: 1,
        ..Faults::default()
    });
    let report = instances::update(
        &c,
        &id,
        Change {
            name: Some("steady"),
            remark: Some("r"),
        },
        quick(),
        |_| {},
    )
    .await;
    assert!(report.outcome.is_done(), "{:?}", report.outcome);
    assert_eq!(report.attempts, 2);
    assert!(
        report
            .steps
            .iter()
            .any(|s| matches!(s, Step::Resending { .. }))
    );
    assert_eq!(sb.instances()[0].name, "steady");
}

#[tokio::test]
async fn a_late_update_reply_is_confirmed_by_the_base_info() {
    let sb = sandbox_with(vec![]).await;
    let id = client(&sb)
        .create_instance("late-reply", None)
        .await
        .unwrap()
        .instance_id;
    // The update is applied at once but its reply waits 800 ms; the client gives up after
    // 200 ms. The delay is switched off meanwhile, so the check gets a prompt answer.
    sb.set_faults(Faults {
        reply_delay: Duration::from_millis(800),
        ..Faults::default()
    });
    let impatient = client_in(
        &sb,
        "cn-hangzhou",
        sandbox::demo_credentials(),
        Duration::from_millis(200),
    );
    let policy = Policy {
        max_attempts: 1,
        ..quick()
    };
    let (report, ()) = tokio::join!(
        instances::update(
            &impatient,
            &id,
            Change {
                name: Some("renamed-late"),
                remark: None,
            },
            policy,
            |_| {},
        ),
        async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            sb.set_faults(Faults::default());
        }
    );
    assert!(
        matches!(report.outcome, UpdateOutcome::Confirmed),
        "{:?}",
        report.outcome
    );
    assert_eq!(report.outcome.label(), "updated");
    assert_eq!(sb.action_count(UPDATE), 1, "exactly one update was sent");
    assert_eq!(sb.instances()[0].name, "renamed-late");
}

#[tokio::test]
async fn an_unapplied_update_is_not_reported_as_done() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let id = c.create_instance("stays", None).await.unwrap().instance_id;
    sb.set_faults(Faults {
        unavailable_first: 1,
        ..Faults::default()
    });
    let policy = Policy {
        max_attempts: 1,
        ..quick()
    };
    let report = instances::update(
        &c,
        &id,
        Change {
            name: Some("never-applied"),
            remark: None,
        },
        policy,
        |_| {},
    )
    .await;
    assert!(
        matches!(report.outcome, UpdateOutcome::NotUpdated(_)),
        "{:?}",
        report.outcome
    );
    assert!(report.steps.contains(&Step::NotInEffect));
    assert_eq!(sb.instances()[0].name, "stays");
}

#[tokio::test]
async fn a_lost_delete_reply_is_settled_by_listing_not_by_a_second_delete() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let id = c
        .create_instance("to-delete", None)
        .await
        .unwrap()
        .instance_id;
    sb.set_faults(Faults {
        drop_delete_replies: 1,
        ..Faults::default()
    });
    let mut seen = Vec::new();
    let report = instances::delete(&c, &id, quick(), |s| seen.push(s.clone())).await;
    assert!(
        matches!(report.outcome, DeleteOutcome::Confirmed),
        "{:?}",
        report.outcome
    );
    assert_eq!(report.outcome.label(), "deleted");
    assert_eq!(sb.action_count(DELETE), 1, "exactly one delete was sent");
    assert_eq!(report.attempts, 1);
    assert!(sb.instances().is_empty());
    assert!(
        matches!(
            seen.as_slice(),
            [
                Step::Attempt { n: 1 },
                Step::Looking { .. },
                Step::InEffect { found: None }
            ]
        ),
        "{seen:?}"
    );
    assert_eq!(seen, report.steps);
}

#[tokio::test]
async fn a_delete_answered_503_is_checked_then_sent_again() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let id = c
        .create_instance("retry-me", None)
        .await
        .unwrap()
        .instance_id;
    sb.set_faults(Faults {
        unavailable_first: 1,
        ..Faults::default()
    });
    let report = instances::delete(&c, &id, quick(), |_| {}).await;
    assert!(
        matches!(&report.outcome, DeleteOutcome::Deleted { request_id } if !request_id.is_empty()),
        "{:?}",
        report.outcome
    );
    assert_eq!(report.attempts, 2);
    assert!(
        report.steps.contains(&Step::NotInEffect),
        "{:?}",
        report.steps
    );
    assert!(sb.instances().is_empty());
}

#[tokio::test]
async fn a_delete_that_stays_ambiguous_is_bounded_and_never_claims_success() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let id = c
        .create_instance("stubborn", None)
        .await
        .unwrap()
        .instance_id;
    // Every delete and every list answers 503: nothing can be done or known.
    sb.set_faults(Faults {
        unavailable_first: 1000,
        ..Faults::default()
    });
    let report = instances::delete(&c, &id, quick(), |_| {}).await;
    assert!(
        matches!(report.outcome, DeleteOutcome::Unknown(_)),
        "{:?}",
        report.outcome
    );
    assert_eq!(
        report.attempts, 1,
        "nothing is sent again before the list says so"
    );
    assert_eq!(sb.instances().len(), 1);
}

#[tokio::test]
async fn a_non_empty_instance_is_refused_then_deleted_once_emptied() {
    let sb = sandbox_with(vec![seed("has-topics", 3, 1, "cn-hangzhou")]).await;
    let c = client(&sb);
    let id = id_of(&sb, "has-topics");
    let report = instances::delete(&c, &id, quick(), |_| {}).await;
    let DeleteOutcome::NotDeleted(err) = &report.outcome else {
        panic!("{:?}", report.outcome)
    };
    let service = err.service().expect("a service refusal");
    assert!(!service.is_server_fault());
    assert!(service.message.contains("3 topics"), "{}", service.message);
    assert_eq!(report.attempts, 1);
    assert_eq!(sb.instances().len(), 1, "still there");

    assert!(sb.set_resource_counts(&id, 0, 0));
    let report = instances::delete(&c, &id, quick(), |_| {}).await;
    assert!(report.outcome.is_done(), "{:?}", report.outcome);
    assert!(sb.instances().is_empty());
    assert_eq!(sb.action_count(DELETE), 2);
}

#[tokio::test]
async fn a_throttled_delete_waits_and_a_skewed_clock_is_corrected() {
    let sb = sandbox_with(vec![]).await;
    let c = client(&sb);
    let a = c
        .create_instance("throttled", None)
        .await
        .unwrap()
        .instance_id;
    let b = c.create_instance("skewed", None).await.unwrap().instance_id;
    // The next request is the throttled one, the one after it is not.
    let next = u32::try_from(sb.requests_seen() + 1).unwrap();
    sb.set_faults(Faults {
        throttle_every: next,
        ..Faults::default()
    });
    let report = instances::delete(&c, &a, quick(), |_| {}).await;
    assert!(report.outcome.is_done(), "{:?}", report.outcome);
    assert_eq!(report.attempts, 1, "a throttled attempt does not count");
    assert!(
        report
            .steps
            .iter()
            .any(|s| matches!(s, Step::Throttled { .. }))
    );

    sb.set_faults(Faults {
        clock_offset_secs: 3 * 3600,
        ..Faults::default()
    });
    let report = instances::delete(&c, &b, quick(), |_| {}).await;
    assert!(report.outcome.is_done(), "{:?}", report.outcome);
    let offset = report.clock_offset.expect("corrected").whole_seconds();
    assert!((3 * 3600 - 5..=3 * 3600 + 5).contains(&offset), "{offset}");
    assert!(sb.instances().is_empty());
}

#[tokio::test]
async fn a_delete_of_an_unknown_instance_is_refused_without_retrying() {
    let sb = sandbox_with(vec![]).await;
    let report = instances::delete(
        &client(&sb),
        &InstanceId::parse("MQ_INST_0_nothing").unwrap(),
        quick(),
        |_| {},
    )
    .await;
    let DeleteOutcome::NotDeleted(err) = &report.outcome else {
        panic!("{:?}", report.outcome)
    };
    assert_eq!(code(err), "BIZ_INSTANCE_NOT_FOUND");
    assert_eq!(sb.action_count(DELETE), 1);
}

#[tokio::test]
async fn every_region_is_listed_and_a_failing_one_is_named() {
    let sb = sandbox_with(vec![
        seed("hz-one", 1, 0, "cn-hangzhou"),
        seed("bj-one", 0, 2, "cn-beijing"),
        seed("bj-two", 0, 0, "cn-beijing"),
    ])
    .await;
    let mut clients: Vec<Client> = REGIONS
        .iter()
        .map(|r| {
            client_in(
                &sb,
                r.id,
                sandbox::demo_credentials(),
                Duration::from_secs(5),
            )
        })
        .collect();
    clients.push(client_in(
        &sb,
        "xx-nowhere-1",
        sandbox::demo_credentials(),
        Duration::from_secs(5),
    ));
    let listings = instances::list_regions(clients, quick(), |_, _| {}).await;
    assert_eq!(listings.len(), REGIONS.len() + 1);
    for (listing, region) in listings.iter().zip(REGIONS) {
        assert_eq!(listing.region, region.id, "in the clients' order");
        let names: Vec<&str> = listing
            .result
            .as_ref()
            .unwrap()
            .iter()
            .map(|i| i.instance_name.as_str())
            .collect();
        match region.id {
            "cn-hangzhou" => assert_eq!(names, ["hz-one"]),
            "cn-beijing" => assert_eq!(names, ["bj-one", "bj-two"]),
            _ => assert!(names.is_empty(), "{}: {names:?}", region.id),
        }
    }
    let last = listings.last().unwrap();
    assert_eq!(last.region, "xx-nowhere-1");
    assert_eq!(
        code(last.result.as_ref().unwrap_err()),
        "BIZ_REGION_NOT_FOUND"
    );
}

#[tokio::test]
async fn listing_every_region_keeps_to_the_rate_limit() {
    // Its own AccessKey: the limit is per key across the process, and other tests run beside.
    let key = Credentials::new("rate-limit-test-key", SecretString::from("rate-secret"));
    let sb = Sandbox::start(SandboxConfig {
        keys: vec![SandboxKey::from(&key)],
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let clients: Vec<Client> = REGIONS
        .iter()
        .take(12)
        .map(|r| client_in(&sb, r.id, key.clone(), Duration::from_secs(5)))
        .collect();
    let started = Instant::now();
    let policy = Policy {
        reads_per_second: 5,
        ..quick()
    };
    let listings = instances::list_regions(clients, policy, |_, _| {}).await;
    let took = started.elapsed();
    assert!(listings.iter().all(|l| l.result.is_ok()));
    assert_eq!(sb.action_count("OnsInstanceInServiceList"), 12);
    // 12 calls at 5 per second: the last may start only after two whole seconds.
    let floor = instances::rate_limit_floor(12, 5, Duration::ZERO);
    assert_eq!(floor, Duration::from_secs(2));
    assert!(took >= floor, "{took:?}");
}

fn attempt(name: &str) -> NewAttempt {
    NewAttempt {
        name: name.to_owned(),
        remark: "created remark".to_owned(),
        region: "cn-hangzhou".to_owned(),
        endpoint: "http://127.0.0.1:9/".to_owned(),
        profile: "environment".to_owned(),
    }
}

#[test]
fn renames_and_deletes_survive_a_reopen_and_a_compaction() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, _) = History::open(dir.path()).unwrap();
    let a = h.record_pending(attempt("orders-old")).unwrap();
    h.record_outcome(
        a,
        Status::Created {
            instance_id: "MQ_INST_1_A".into(),
            instance_type: 1,
            request_id: "R".into(),
        },
    )
    .unwrap();
    assert_eq!(h.entries_for_instance("MQ_INST_1_A"), vec![a]);
    assert!(h.entries_for_instance("MQ_INST_1_B").is_empty());
    h.record_edited(a, Some("orders-new".into()), None).unwrap();
    h.record_edited(a, None, Some("remark now".into())).unwrap();
    h.record_deleted(a).unwrap();
    for round in 0..2 {
        let (mut again, notices) = History::open(dir.path()).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        let e = again.get(a).unwrap();
        assert_eq!(
            e.name, "orders-old",
            "round {round}: the created name stays"
        );
        assert_eq!(e.current_name(), "orders-new");
        assert_eq!(e.name_text(), "orders-old → orders-new");
        assert_eq!(e.remark, "created remark");
        let later = e.later.as_deref().unwrap();
        assert_eq!(later.remark.as_deref(), Some("remark now"));
        assert!(later.edited_at.is_some());
        assert!(e.deleted_at().is_some());
        assert_eq!(e.status_text(), "created · deleted");
        // Found by its new name too.
        assert_eq!(again.snapshot().search("ORDERS-NEW").len(), 1);
        again.compact().unwrap();
    }
}

#[test]
fn a_version_1_file_still_loads_and_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = concat!(
        "{\"format\":\"onsdesk-history\",\"version\":1,\"file_id\":\"6f9619ff-8b86-4011-b42d-00c04fc964ff\",\"created\":\"2026-11-28T17:12:00+08:00\"}\n",
        "{\"put\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"at\":\"2026-11-28T17:12:00.123+08:00\",\"name\":\"orders\",\"remark\":\"\",\"region\":\"cn-hangzhou\",\"endpoint\":\"https://ons.cn-hangzhou.aliyuncs.com/\",\"profile\":\"work\",\"status\":\"pending\"}}\n",
        "{\"status\":{\"id\":\"0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9\",\"status\":{\"created\":{\"instance_id\":\"MQ_INST_1_X\",\"instance_type\":1,\"request_id\":\"R\"}},\"at\":\"2026-11-28T17:12:01+08:00\"}}\n",
    );
    std::fs::write(dir.path().join(FILE_NAME), v1).unwrap();
    let (h, notices) = History::open(dir.path()).unwrap();
    assert!(
        matches!(notices.as_slice(), [Notice::Migrated { from: 1, .. }]),
        "{notices:?}"
    );
    let e = h.entries().next().unwrap();
    assert_eq!(e.instance_id(), Some("MQ_INST_1_X"));
    assert!(e.later.is_none());
    let header = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
    assert!(
        header.starts_with(&format!(
            "{{\"format\":\"onsdesk-history\",\"version\":{}",
            format::FORMAT_VERSION
        )),
        "{header}"
    );
    // The new records read back as written.
    let id = e.id;
    let mut line = Vec::new();
    format::write_line(
        &mut line,
        &Record::Edited {
            id,
            name: Some("n".into()),
            remark: None,
            at: time::OffsetDateTime::UNIX_EPOCH,
        },
    )
    .unwrap();
    assert!(
        matches!(format::parse_record(&line[..line.len() - 1]), Ok(Record::Edited { name: Some(n), remark: None, .. }) if n == "n")
    );
}
