//! The safe create against the sandbox's fault switches: in every case exactly one instance
//! with the name exists afterwards (or none, when the outcome says not created), and the
//! outcome reported is the true one.

use std::time::Duration;

use onsdesk::api::{Client, HttpOptions, Target, Transport};
use onsdesk::create::{self, CreateOutcome};
use onsdesk::operation::Step;
use onsdesk::pacing::Policy;
use onsdesk::region::Endpoint;
use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig};

async fn sandbox_with(faults: Faults) -> Sandbox {
    Sandbox::start(SandboxConfig {
        faults,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn client(sb: &Sandbox, timeout: Duration) -> Client {
    Client::new(
        Transport::new(HttpOptions {
            connect_timeout: Duration::from_secs(2),
            timeout,
        }),
        Target {
            endpoint: Endpoint::parse(&sb.url()).unwrap(),
            region: onsdesk::region::RegionId::shaped("cn-hangzhou").unwrap(),
        },
        sandbox::demo_credentials(),
    )
}

fn quick() -> Policy {
    Policy {
        base_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        ..Policy::default()
    }
}

fn named(sb: &Sandbox, name: &str) -> Vec<String> {
    sb.instances()
        .into_iter()
        .filter(|i| i.name == name)
        .map(|i| i.id)
        .collect()
}

#[tokio::test]
async fn a_lost_reply_is_adopted_not_duplicated() {
    let sb = sandbox_with(Faults {
        drop_create_replies: 1,
        ..Faults::default()
    })
    .await;
    let report = create::create(
        &client(&sb, Duration::from_secs(5)),
        "lost-reply",
        None,
        quick(),
        |_| {},
    )
    .await;
    let ids = named(&sb, "lost-reply");
    assert_eq!(ids.len(), 1, "exactly one instance");
    assert!(
        matches!(&report.outcome, CreateOutcome::Adopted { instance_id, .. } if *instance_id == ids[0]),
        "{:?}",
        report.outcome
    );
    assert_eq!(report.attempts, 1, "no second create was sent");
    assert!(
        report
            .steps
            .iter()
            .any(|s| matches!(s, Step::Looking { .. }))
    );
}

#[tokio::test]
async fn a_reply_later_than_the_timeout_is_adopted() {
    let sb = sandbox_with(Faults {
        create_delay: Duration::from_millis(1500),
        delay_creates: 1,
        ..Faults::default()
    })
    .await;
    let report = create::create(
        &client(&sb, Duration::from_millis(400)),
        "slow-reply",
        None,
        quick(),
        |_| {},
    )
    .await;
    let ids = named(&sb, "slow-reply");
    assert_eq!(ids.len(), 1);
    assert_eq!(
        report
            .outcome
            .instance_id()
            .map(onsdesk::ids::InstanceId::as_str),
        Some(ids[0].as_str()),
        "{:?} {:?}",
        report.outcome,
        report.steps
    );
    assert_eq!(report.outcome.label(), "adopted", "{:?}", report.steps);
}

#[tokio::test]
async fn unavailable_first_then_created_once() {
    let sb = sandbox_with(Faults {
        unavailable_first: 3,
        ..Faults::default()
    })
    .await;
    let report = create::create(
        &client(&sb, Duration::from_secs(5)),
        "after-503",
        None,
        quick(),
        |_| {},
    )
    .await;
    let ids = named(&sb, "after-503");
    assert_eq!(ids.len(), 1);
    assert_eq!(report.outcome.label(), "created", "{:?}", report.steps);
    assert_eq!(
        report
            .outcome
            .instance_id()
            .map(onsdesk::ids::InstanceId::as_str),
        Some(ids[0].as_str())
    );
    assert!(
        report.steps.contains(&Step::NotInEffect),
        "the 503 was reconciled before retrying: {:?}",
        report.steps
    );
}

#[tokio::test]
async fn throttling_backs_off_and_creates_once() {
    let sb = sandbox_with(Faults {
        throttle_every: 2,
        ..Faults::default()
    })
    .await;
    let c = client(&sb, Duration::from_secs(5));
    for n in 0..4 {
        let name = format!("throttled-{n}");
        let report = create::create(&c, &name, None, quick(), |_| {}).await;
        assert_eq!(report.outcome.label(), "created", "{:?}", report.steps);
        assert_eq!(named(&sb, &name).len(), 1);
    }
    // Requests 2, 4, 6… were throttled: some create must have waited.
    assert!(sb.requests_seen() > 4);
}

#[tokio::test]
async fn a_clock_hours_off_is_corrected_once() {
    let sb = sandbox_with(Faults {
        clock_offset_secs: 3 * 3600 + 7,
        ..Faults::default()
    })
    .await;
    let report = create::create(
        &client(&sb, Duration::from_secs(5)),
        "skewed-clock",
        None,
        quick(),
        |_| {},
    )
    .await;
    assert_eq!(report.outcome.label(), "created", "{:?}", report.steps);
    assert_eq!(named(&sb, "skewed-clock").len(), 1);
    let offset = report.clock_offset.expect("offset found").whole_seconds();
    assert!((3 * 3600 + 5..=3 * 3600 + 9).contains(&offset), "{offset}");
}

#[tokio::test]
async fn a_refusal_is_not_created_and_nothing_exists() {
    let sb = sandbox_with(Faults::default()).await;
    let c = client(&sb, Duration::from_secs(5));
    assert_eq!(
        create::create(&c, "taken", None, quick(), |_| {})
            .await
            .outcome
            .label(),
        "created"
    );
    let report = create::create(&c, "taken", None, quick(), |_| {}).await;
    assert!(
        matches!(&report.outcome, CreateOutcome::NotCreated(e) if e.service().is_some_and(|s| s.code == "BIZ_INSTANCE_NAME_DUPLICATED"))
    );
    assert_eq!(named(&sb, "taken").len(), 1);
}

#[tokio::test]
async fn nothing_listening_is_not_created_after_plain_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::new(
        Transport::new(HttpOptions::default()),
        Target {
            endpoint: Endpoint::parse(&format!("http://127.0.0.1:{port}/")).unwrap(),
            region: onsdesk::region::RegionId::shaped("cn-hangzhou").unwrap(),
        },
        sandbox::demo_credentials(),
    );
    let report = create::create(&c, "nobody-home", None, quick(), |_| {}).await;
    assert_eq!(report.outcome.label(), "not_created");
    assert_eq!(report.attempts, Policy::default().max_attempts);
    assert!(
        report
            .steps
            .iter()
            .any(|s| matches!(s, Step::NotSentRetrying { .. }))
    );
}

#[tokio::test]
async fn when_the_region_cannot_be_listed_the_outcome_is_unknown() {
    // Every reply is late: the create happens, but neither its reply nor any list arrives.
    let sb = sandbox_with(Faults {
        reply_delay: Duration::from_millis(800),
        ..Faults::default()
    })
    .await;
    let report = create::create(
        &client(&sb, Duration::from_millis(200)),
        "in-the-dark",
        None,
        Policy {
            look_tries: 2,
            ..quick()
        },
        |_| {},
    )
    .await;
    assert_eq!(report.outcome.label(), "unknown", "{:?}", report.steps);
    assert_eq!(
        named(&sb, "in-the-dark").len(),
        1,
        "it was created; we honestly could not tell"
    );
    // "Check again" once the service answers.
    sb.set_faults(Faults::default());
    let checker = client(&sb, Duration::from_secs(5));
    let check = |since| create::find_by_name(&checker, "in-the-dark", since);
    let found = check(time::OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(
        found.map(|f| f.instance_id.to_string()),
        named(&sb, "in-the-dark").pop()
    );
    // Asked about an attempt of a day later, it is not that attempt's doing.
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    assert_eq!(check(tomorrow).await.unwrap(), None);
}
