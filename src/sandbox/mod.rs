//! A local ONS-compatible server on 127.0.0.1 that verifies signatures like the real gateway,
//! so anyone can try the whole flow without an Alibaba Cloud account, and tests exercise real
//! HTTP. Nothing it does reaches Alibaba Cloud.

pub mod gateway;
pub mod http;
pub mod keys;
pub mod resources;
mod server;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::credentials::{Credentials, SecretString};
pub use gateway::{Gateway, SandboxInstance};
pub use resources::{GroupType, SandboxGroup, SandboxTopic, SeedGroup, SeedTopic};

/// The sandbox's built-in AccessKey ID, printed on start and used by `--demo`.
pub const DEMO_ACCESS_KEY_ID: &str = "sandbox-demo-key";
/// The sandbox's built-in secret. Public by design: it only opens the local sandbox.
pub const DEMO_ACCESS_KEY_SECRET: &str = "sandbox-demo-secret";

/// The demo key's credentials.
pub fn demo_credentials() -> Credentials {
    Credentials::new(
        DEMO_ACCESS_KEY_ID,
        SecretString::from(DEMO_ACCESS_KEY_SECRET),
    )
}

/// A key the sandbox accepts.
#[derive(Clone, Debug)]
pub struct SandboxKey {
    pub access_key_id: String,
    pub secret: SecretString,
    /// Set for STS keys: requests must carry exactly this token.
    pub security_token: Option<SecretString>,
}

impl From<&Credentials> for SandboxKey {
    fn from(c: &Credentials) -> Self {
        Self {
            access_key_id: c.access_key_id.clone(),
            secret: c.secret.clone(),
            security_token: c.security_token.clone(),
        }
    }
}

/// Fault switches, for testing how clients cope with a misbehaving service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Create the instance, then close the connection without answering, for the next N creates.
    pub drop_create_replies: u32,
    /// Wait this long before every reply.
    pub reply_delay: Duration,
    /// Wait this long before the reply to each of the next `delay_creates` successful creates.
    pub create_delay: Duration,
    /// How many create replies `create_delay` applies to.
    pub delay_creates: u32,
    /// Answer `503 ServiceUnavailable` to the first N requests (nothing is done).
    pub unavailable_first: u32,
    /// Answer `Throttling.User` to every Nth request (0: never).
    pub throttle_every: u32,
    /// The server's clock runs this many seconds ahead (negative: behind).
    pub clock_offset_secs: i64,
    /// Delete the instance, then close the connection without answering, for the next N
    /// deletes.
    pub drop_delete_replies: u32,
    /// Per action (e.g. `OnsTopicCreate`): do the work of the next N successful requests,
    /// then close the connection without answering. `drop_create_replies` and
    /// `drop_delete_replies` are the same for `OnsInstanceCreate` and `OnsInstanceDelete`.
    pub drop_replies: BTreeMap<String, u32>,
    /// Per action (e.g. `OnsTopicCreate`): answer `503 ServiceUnavailable` to its next N
    /// requests, doing nothing. Unlike `unavailable_first`, the request is counted as received
    /// (`action_count`), and requests of other actions (a look before a create) go through.
    pub unavailable_replies: BTreeMap<String, u32>,
}

/// An instance "made elsewhere" (in the console, by a colleague) that the sandbox starts with,
/// with its topics and groups: what `onsdesk sandbox --seed-instance` adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedInstance {
    pub name: String,
    pub region: String,
    pub remark: String,
    /// Its topics, in service from the start.
    pub topics: Vec<SeedTopic>,
    pub groups: Vec<SeedGroup>,
}

/// The most topics, or groups, one `--seed-instance` may ask for by count.
pub const MAX_SEEDED: u32 = 10_000;

impl SeedInstance {
    /// An instance named `name` in `region`, with the seeded remark and no topics or groups.
    pub fn new(name: impl Into<String>, region: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            region: region.into(),
            remark: "made outside onsdesk (seeded)".to_owned(),
            topics: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// The instance the window's `--demo` opens with, in `region`: a few topics of several
    /// message types and a few groups, one of them `http`.
    pub fn demo(region: &str) -> Self {
        let topic = |name: &str, message_type, remark: &str| SeedTopic {
            name: name.to_owned(),
            message_type,
            remark: remark.to_owned(),
        };
        let group = |id: &str, group_type, remark: &str| SeedGroup {
            id: id.to_owned(),
            group_type,
            remark: remark.to_owned(),
        };
        Self {
            topics: vec![
                topic("orders", 0, "order events"),
                topic("orders-v2", 1, "order events, in order per shop"),
                topic("payments", 4, "payment results"),
                topic("reminders", 5, "delayed reminders"),
            ],
            groups: vec![
                group("GID_orders", GroupType::Tcp, "order service"),
                group("GID_payments", GroupType::Tcp, "payment service"),
                group("GID_web-push", GroupType::Http, "browser notifications"),
            ],
            ..Self::new("legacy-orders", region)
        }
    }

    /// Parses `NAME[:TOPICS[:GROUPS[:REGION]]]`. TOPICS and GROUPS are each either a count
    /// (that many numbered names: `topic-1`…, `GID_group-1`…; empty is 0) or a
    /// comma-separated list of names, e.g. `legacy:orders,payments:GID_orders`. The region
    /// defaults to cn-hangzhou. The instance name follows the create's rule, topic names and
    /// group IDs the service's, and no name may appear twice among the instance's topics and
    /// groups.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut parts = spec.split(':');
        let name = parts.next().unwrap_or_default();
        crate::validation::validate_instance_name(name).map_err(|e| format!("{name:?}: {e}"))?;
        let topics = parse_names(parts.next(), "TOPICS", SeedTopic::numbered, |t| {
            resources::check_topic_name(t)
                .map(|()| SeedTopic::named(t))
                .map_err(|e| format!("the topic {t:?} {e}"))
        })?;
        let groups = parse_names(parts.next(), "GROUPS", SeedGroup::numbered, |g| {
            resources::check_group_id(g)
                .map(|()| SeedGroup::named(g))
                .map_err(|e| format!("the group {g:?} {e}"))
        })?;
        let region = parts
            .next()
            .filter(|r| !r.is_empty())
            .unwrap_or(crate::region::DEFAULT_REGION);
        if crate::region::find(region).is_none() {
            return Err(format!("{region:?} is not a region the sandbox serves"));
        }
        if parts.next().is_some() {
            return Err("expected NAME[:TOPICS[:GROUPS[:REGION]]]".to_owned());
        }
        let mut seen = std::collections::BTreeSet::new();
        let names = topics
            .iter()
            .map(|t| &t.name)
            .chain(groups.iter().map(|g| &g.id));
        for taken in names {
            if !seen.insert(taken) {
                return Err(format!(
                    "{taken:?} appears twice: topics and groups share one namespace"
                ));
            }
        }
        Ok(Self {
            topics,
            groups,
            ..Self::new(name, region)
        })
    }
}

/// One TOPICS or GROUPS field of `--seed-instance`: a count, or names.
fn parse_names<T>(
    field: Option<&str>,
    what: &str,
    numbered: impl Fn(u32) -> Vec<T>,
    named: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let field = field.unwrap_or_default();
    if field.is_empty() {
        return Ok(Vec::new());
    }
    if field.bytes().all(|b| b.is_ascii_digit()) {
        let count: u32 = field
            .parse()
            .ok()
            .filter(|n| *n <= MAX_SEEDED)
            .ok_or_else(|| format!("{what}: at most {MAX_SEEDED}, not {field}"))?;
        return Ok(numbered(count));
    }
    field.split(',').map(named).collect()
}

/// The largest `--clock-offset`, either way: ten years is more skew than any test needs, and
/// keeps every date the sandbox computes representable.
pub const MAX_CLOCK_OFFSET_SECS: i64 = 10 * 366 * 24 * 60 * 60;

impl Faults {
    /// Refuses switches the sandbox cannot honour (a clock offset beyond
    /// [`MAX_CLOCK_OFFSET_SECS`]), saying which.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(action) = self
            .drop_replies
            .keys()
            .chain(self.unavailable_replies.keys())
            .find(|a| !gateway::ACTIONS.contains(&a.as_str()))
        {
            return Err(format!(
                "{action:?} is not an action the sandbox serves ({})",
                gateway::ACTIONS.join(", ")
            ));
        }
        if self.clock_offset_secs.unsigned_abs() > MAX_CLOCK_OFFSET_SECS.unsigned_abs() {
            return Err(format!(
                "the clock offset {} s is out of range: at most {MAX_CLOCK_OFFSET_SECS} s (ten \
                 years) either way",
                self.clock_offset_secs
            ));
        }
        Ok(())
    }
}

/// What the server holds each connection to, so no client (or a thousand idle ones) can lock
/// the others out or make it use unbounded memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once: a connection takes a slot from the first byte of a
    /// request to the end of its reply.
    pub max_connections: usize,
    /// Connections waiting for the first byte of a request, holding no slot. When all are
    /// taken, a new connection closes the one idle the longest; when none is idle, more wait,
    /// unaccepted, in the kernel's queue (using no descriptor of ours).
    pub max_waiting: usize,
    /// Time a new connection has to send its first byte. An idle one is closed then.
    pub first_byte_timeout: Duration,
    /// Time to receive a whole request head from its first byte; also the time a kept-alive
    /// connection may stay idle between two requests.
    pub header_timeout: Duration,
    /// Time to receive the body once the head is in; also the time to write the reply.
    pub body_timeout: Duration,
}

impl Default for Limits {
    /// 32 slots, 16 waiting, 2 s for a first byte, 5 s for a head, 10 s for a body.
    fn default() -> Self {
        Self {
            max_connections: 32,
            max_waiting: 16,
            first_byte_timeout: Duration::from_secs(2),
            header_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// What the sandbox starts with.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// 0 picks any free port.
    pub port: u16,
    pub keys: Vec<SandboxKey>,
    pub faults: Faults,
    /// Instances that exist from the start, as if made elsewhere.
    pub seed: Vec<SeedInstance>,
    /// How long a topic made by `OnsTopicCreate` is being created (`ServiceStatus` 0) before
    /// it is in service. How long the real service takes is not published.
    pub topic_ready: Duration,
    /// Groups an instance may hold; `OnsGroupCreate` answers `Group.NumLimited` beyond.
    pub group_limit: usize,
}

/// How long a new topic is being created in the command line's sandbox and the window's demo,
/// in milliseconds: long enough to see it happen.
pub const DEMO_TOPIC_READY_MS: u64 = 2_000;
/// [`DEMO_TOPIC_READY_MS`] as a duration.
pub const DEMO_TOPIC_READY: Duration = Duration::from_millis(DEMO_TOPIC_READY_MS);

impl Default for SandboxConfig {
    /// The demo key on any free port, no faults, nothing seeded, topics in service at once,
    /// 1,000 groups per instance.
    fn default() -> Self {
        Self {
            port: 0,
            keys: vec![SandboxKey::from(&demo_credentials())],
            faults: Faults::default(),
            seed: Vec::new(),
            topic_ready: Duration::ZERO,
            group_limit: resources::DEFAULT_GROUP_LIMIT,
        }
    }
}

impl SandboxConfig {
    /// What the window's `--demo` runs: the demo key, one instance made elsewhere in
    /// `region` ([`SeedInstance::demo`]), and topics that take [`DEMO_TOPIC_READY`] to be
    /// in service.
    pub fn demo(region: &str) -> Self {
        Self {
            seed: vec![SeedInstance::demo(region)],
            topic_ready: DEMO_TOPIC_READY,
            ..Self::default()
        }
    }
}

/// A running sandbox. Dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    gateway: Arc<Mutex<Gateway>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sandbox {
    /// Binds 127.0.0.1 and serves on the current tokio runtime, with the default [`Limits`].
    /// Refuses faults it cannot honour (see [`Faults::validate`]) before binding.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Self> {
        Self::start_with_limits(config, Limits::default()).await
    }

    /// [`Sandbox::start`] with other [`Limits`] (tests use short timeouts).
    pub async fn start_with_limits(config: SandboxConfig, limits: Limits) -> std::io::Result<Self> {
        config
            .faults
            .validate()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let mut gateway = Gateway::new(config.keys, config.faults);
        gateway.set_topic_ready(config.topic_ready);
        gateway.set_group_limit(config.group_limit);
        let now = time::OffsetDateTime::now_utc();
        for seed in &config.seed {
            gateway.seed(seed, now);
        }
        let gateway = Arc::new(Mutex::new(gateway));
        let task = tokio::spawn(server::serve(listener, Arc::clone(&gateway), limits));
        tracing::info!(%addr, "sandbox listening");
        Ok(Self {
            addr,
            gateway,
            task,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint URL, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Every instance created so far.
    pub fn instances(&self) -> Vec<SandboxInstance> {
        self.with_gateway(|g| g.instances().to_vec())
    }

    /// Deletes an instance, as a user would in the console (for tests of "not found in the
    /// cloud"). `false` when there is none with that ID.
    pub fn delete_instance(&self, id: &str) -> bool {
        self.with_gateway(|g| g.delete_instance(id))
    }

    /// Adds an instance "made elsewhere", with topics and groups; returns its InstanceId.
    pub fn seed_instance(&self, seed: &SeedInstance) -> String {
        self.with_gateway(|g| g.seed(seed, time::OffsetDateTime::now_utc()))
    }

    /// Gives an instance exactly this many topics and groups (as if changed in the console):
    /// the first ones stay, numbered ones are added (see [`Gateway::set_resource_counts`]).
    /// `false` when there is none with that ID.
    pub fn set_resource_counts(&self, id: &str, topics: u32, groups: u32) -> bool {
        self.with_gateway(|g| g.set_resource_counts(id, topics, groups, now()))
    }

    /// An instance's topics, in creation order; `None` when there is no instance with that
    /// ID.
    pub fn topics(&self, instance_id: &str) -> Option<Vec<SandboxTopic>> {
        self.with_gateway(|g| g.instance(instance_id).map(|i| i.topics.clone()))
    }

    /// An instance's groups, in creation order; `None` when there is no instance with that ID.
    pub fn groups(&self, instance_id: &str) -> Option<Vec<SandboxGroup>> {
        self.with_gateway(|g| g.instance(instance_id).map(|i| i.groups.clone()))
    }

    /// Whether a topic is in service now; `None` when there is no such instance or topic.
    pub fn topic_in_service(&self, instance_id: &str, topic: &str) -> Option<bool> {
        self.with_gateway(|g| g.topic_in_service(instance_id, topic, now()))
    }

    /// Adds a topic to an instance as if made in the console, in service at once. The name
    /// is not checked, so a test can make the sandbox list what the service never would.
    /// `false` when there is no instance with that ID.
    pub fn seed_topic(&self, instance_id: &str, topic: &SeedTopic) -> bool {
        self.with_gateway(|g| g.seed_topic(instance_id, topic, now()))
    }

    /// Adds a group to an instance as if made in the console; unchecked, like
    /// [`Sandbox::seed_topic`]. `false` when there is no instance with that ID.
    pub fn seed_group(&self, instance_id: &str, group: &SeedGroup) -> bool {
        self.with_gateway(|g| g.seed_group(instance_id, group, now()))
    }

    /// Puts a topic in service, or back to being created until this is called again; `false`
    /// when there is no such instance or topic.
    pub fn set_topic_in_service(&self, instance_id: &str, topic: &str, in_service: bool) -> bool {
        self.with_gateway(|g| g.set_topic_in_service(instance_id, topic, in_service))
    }

    /// Deletes a topic as a user would in the console; `false` when there is none.
    pub fn remove_topic(&self, instance_id: &str, topic: &str) -> bool {
        self.with_gateway(|g| g.remove_topic(instance_id, topic))
    }

    /// Deletes a group as a user would in the console; `false` when there is none.
    pub fn remove_group(&self, instance_id: &str, group: &str) -> bool {
        self.with_gateway(|g| g.remove_group(instance_id, group))
    }

    /// Changes how long topics created from now on are being created.
    pub fn set_topic_ready(&self, wait: Duration) {
        self.with_gateway(|g| g.set_topic_ready(wait));
    }

    /// Changes how many groups an instance may hold.
    pub fn set_group_limit(&self, limit: usize) {
        self.with_gateway(|g| g.set_group_limit(limit));
    }

    /// How many authenticated requests for `action` (e.g. `OnsInstanceDelete`) arrived.
    pub fn action_count(&self, action: &str) -> u64 {
        self.with_gateway(|g| g.action_count(action))
    }

    /// How many requests reached the gateway.
    pub fn requests_seen(&self) -> u64 {
        self.with_gateway(|g| g.requests_seen())
    }

    /// Changes the fault switches while running.
    pub fn set_faults(&self, faults: Faults) {
        self.with_gateway(|g| g.faults = faults);
    }

    fn with_gateway<R>(&self, f: impl FnOnce(&mut Gateway) -> R) -> R {
        let mut g = self.gateway.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut g)
    }
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(seed: &SeedInstance) -> (Vec<&str>, Vec<&str>) {
        (
            seed.topics.iter().map(|t| t.name.as_str()).collect(),
            seed.groups.iter().map(|g| g.id.as_str()).collect(),
        )
    }

    #[test]
    fn a_seed_takes_counts_as_before() {
        let seed = SeedInstance::parse("legacy-orders:3:2").unwrap();
        assert_eq!(seed.region, "cn-hangzhou");
        assert_eq!(
            names(&seed),
            (
                vec!["topic-1", "topic-2", "topic-3"],
                vec!["GID_group-1", "GID_group-2"]
            )
        );
        let seed = SeedInstance::parse("billing:0:0:cn-beijing").unwrap();
        assert_eq!(seed.region, "cn-beijing");
        assert_eq!(names(&seed), (vec![], vec![]));
        assert_eq!(
            names(&SeedInstance::parse("bare-name").unwrap()),
            (vec![], vec![])
        );
        assert_eq!(
            names(&SeedInstance::parse("empty-fields:::cn-beijing").unwrap()),
            (vec![], vec![])
        );
    }

    #[test]
    fn a_seed_takes_names() {
        let seed = SeedInstance::parse("legacy-orders:orders,payments:GID_orders").unwrap();
        assert_eq!(
            names(&seed),
            (vec!["orders", "payments"], vec!["GID_orders"])
        );
        assert!(seed.topics.iter().all(|t| t.message_type == 0));
        assert!(seed.groups.iter().all(|g| g.group_type == GroupType::Tcp));
        // names for one, a count for the other; a group ID without GID_ is the service's
        let seed = SeedInstance::parse("mixed:2:web,GID_app:ap-southeast-1").unwrap();
        assert_eq!(
            names(&seed),
            (vec!["topic-1", "topic-2"], vec!["web", "GID_app"])
        );
        assert_eq!(seed.region, "ap-southeast-1");
    }

    #[test]
    fn a_bad_seed_says_what_is_wrong() {
        for (spec, says) in [
            ("a", "\"a\""),
            ("ok-name:GID_orders", "must not start with GID"),
            ("ok-name:orders,o", "\"o\""),
            ("ok-name:orders:g", "\"g\""),
            ("ok-name:orders:orders", "appears twice"),
            ("ok-name:orders,orders", "appears twice"),
            ("ok-name:orders,", "\"\""),
            ("ok-name:10001", "at most 10000"),
            ("ok-name:99999999999", "at most 10000"),
            ("ok-name:1:1:mars-1", "not a region"),
            ("ok-name:1:1:cn-beijing:extra", "expected NAME"),
        ] {
            let err = SeedInstance::parse(spec).unwrap_err();
            assert!(err.contains(says), "{spec}: {err}");
        }
    }

    #[test]
    fn the_demo_instance_has_a_few_topics_and_groups() {
        let demo = SandboxConfig::demo("cn-shanghai");
        assert_eq!(demo.seed.len(), 1);
        let seed = &demo.seed[0];
        assert_eq!(seed.region, "cn-shanghai");
        assert!(seed.topics.len() >= 3 && seed.groups.len() >= 2);
        assert!(
            seed.topics
                .iter()
                .all(|t| resources::check_topic_name(&t.name).is_ok())
        );
        assert!(
            seed.groups
                .iter()
                .all(|g| resources::check_group_id(&g.id).is_ok())
        );
        assert!(
            demo.topic_ready > Duration::ZERO,
            "the demo shows a topic being created"
        );
        // what the demo seeds, a user could seed by name too
        let spec = format!(
            "{}:{}:{}",
            seed.name,
            seed.topics
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
            seed.groups
                .iter()
                .map(|g| g.id.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(SeedInstance::parse(&spec).is_ok(), "{spec}");
    }

    #[test]
    fn a_dropped_or_unavailable_reply_must_name_an_action_the_sandbox_serves() {
        let dropped = |action: &str| Faults {
            drop_replies: BTreeMap::from([(action.to_owned(), 1)]),
            ..Faults::default()
        };
        let unavailable = |action: &str| Faults {
            unavailable_replies: BTreeMap::from([(action.to_owned(), 1)]),
            ..Faults::default()
        };
        for faults in [dropped, unavailable] {
            assert_eq!(faults("OnsTopicCreate").validate(), Ok(()));
            let err = faults("OnsTopicCreat").validate().unwrap_err();
            assert!(err.contains("\"OnsTopicCreat\" is not an action"), "{err}");
        }
    }
}
