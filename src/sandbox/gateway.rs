//! The sandbox's API gateway: checks a request the way Alibaba's gateway does (signature,
//! timestamp window, nonce replay, keys and STS tokens), then runs the action on an in-memory
//! account. Pure over its inputs and `now`, so every rule is tested without sockets.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::resources::{DEFAULT_GROUP_LIMIT, SandboxGroup, SandboxTopic, SeedGroup, SeedTopic};
use super::{Faults, SandboxKey};
use crate::credentials::SecretString;
use crate::region::{DEFAULT_REGION, REGIONS};
use crate::signing::{API_VERSION, Method, parse_timestamp, v1, v3};
use crate::validation::validate_instance_name;

mod topics_groups;

/// Every action the sandbox serves.
pub const ACTIONS: [&str; 13] = [
    "OnsInstanceCreate",
    "OnsInstanceInServiceList",
    "OnsInstanceUpdate",
    "OnsInstanceDelete",
    "OnsInstanceBaseInfo",
    "OnsRegionList",
    "OnsTopicCreate",
    "OnsTopicList",
    "OnsTopicDelete",
    "OnsTopicStatus",
    "OnsGroupCreate",
    "OnsGroupList",
    "OnsGroupDelete",
];

/// How far a request's timestamp may be from the server's clock.
pub const TIMESTAMP_WINDOW: time::Duration = time::Duration::minutes(15);
/// How long a nonce is remembered.
pub const NONCE_MEMORY: time::Duration = time::Duration::minutes(15);
/// Instances allowed per region.
pub const INSTANCES_PER_REGION: usize = 8;

/// One request as the gateway sees it, after HTTP parsing.
#[derive(Debug, Clone)]
pub struct GatewayRequest {
    pub method: String,
    pub path: String,
    /// Parameters from the query string.
    pub query: Vec<(String, String)>,
    /// Parameters from an `application/x-www-form-urlencoded` body.
    pub form: Vec<(String, String)>,
    /// Headers, names lowercased (V3 signs some of them).
    pub headers: BTreeMap<String, String>,
    /// SHA-256 of the body as received: V3's hashed payload and `x-acs-content-sha256`.
    pub body_sha256: v3::HashedPayload,
}

impl GatewayRequest {
    /// Splits a request target and body into parameters (`+` decodes as a space).
    pub fn from_http(method: &str, target: &str, content_type: Option<&str>, body: &[u8]) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let is_form = content_type.is_none_or(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        let form = if is_form && !body.is_empty() {
            url::form_urlencoded::parse(body).into_owned().collect()
        } else {
            Vec::new()
        };
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            query: url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
            form,
            headers: BTreeMap::new(),
            body_sha256: v3::hashed_payload(body),
        }
    }

    /// Adds the request's headers (names are lowercased).
    #[must_use]
    pub fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        self.headers = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        self
    }

    fn v3_authorization(&self) -> Option<&str> {
        self.headers
            .get("authorization")
            .map(String::as_str)
            .filter(|a| a.starts_with(v3::ALGORITHM))
    }
}

/// What the gateway answers, before HTTP framing.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    /// Answer in XML (the request did not ask for `Format=JSON`).
    pub xml: bool,
    /// The XML root element: `<{Action}Response>` for a success, `<Error>` for a refusal.
    pub xml_root: String,
    /// Close the connection without answering (a fault switch: the reply is "lost").
    pub drop: bool,
}

/// One instance in the sandbox account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxInstance {
    pub id: String,
    pub name: String,
    pub remark: String,
    pub region: String,
    pub create_time_ms: i64,
    /// Its topics, in creation order.
    pub topics: Vec<SandboxTopic>,
    /// Its consumer groups, in creation order.
    pub groups: Vec<SandboxGroup>,
}

/// What already holds a name in an instance's namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameHolder {
    Topic,
    Group,
}

impl SandboxInstance {
    /// What holds `name` in this instance, if anything: topics and groups share one
    /// namespace, compared exactly (case included).
    pub fn name_holder(&self, name: &str) -> Option<NameHolder> {
        if self.topics.iter().any(|t| t.name == name) {
            Some(NameHolder::Topic)
        } else if self.groups.iter().any(|g| g.id == name) {
            Some(NameHolder::Group)
        } else {
            None
        }
    }

    /// Adds a seeded topic as of `now_ms`, in service at once. Unchecked: a test may seed
    /// what the service would never hold.
    fn push_seed_topic(&mut self, seed: &SeedTopic, now_ms: i64) {
        self.topics.push(SandboxTopic {
            name: seed.name.clone(),
            message_type: seed.message_type,
            remark: seed.remark.clone(),
            create_time_ms: now_ms,
            ready_at_ms: now_ms,
        });
    }

    /// Adds a seeded group as of `now_ms`. Unchecked, like [`Self::push_seed_topic`].
    fn push_seed_group(&mut self, seed: &SeedGroup, now_ms: i64) {
        self.groups.push(SandboxGroup {
            id: seed.id.clone(),
            group_type: seed.group_type,
            remark: seed.remark.clone(),
            create_time_ms: now_ms,
            update_time_ms: now_ms,
        });
    }
}

/// The whole sandbox state: keys, instances, nonces, counters, fault switches.
#[derive(Debug)]
pub struct Gateway {
    keys: Vec<SandboxKey>,
    pub faults: Faults,
    instances: Vec<SandboxInstance>,
    nonces: HashMap<String, OffsetDateTime>,
    requests_seen: u64,
    account: String,
    /// Authenticated requests per Action.
    actions_seen: HashMap<String, u64>,
    /// How long a new topic is being created before it is in service.
    topic_ready: time::Duration,
    /// Groups an instance may hold (`Group.NumLimited` beyond).
    group_limit: usize,
    /// When the last `OnsTopicStatus` was answered (it is limited to one call a second).
    last_topic_status: Option<OffsetDateTime>,
}

struct Refusal {
    status: u16,
    code: &'static str,
    message: String,
}

fn refuse(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        code,
        message: message.into(),
    }
}

impl Gateway {
    /// A gateway that accepts `keys`.
    pub fn new(keys: Vec<SandboxKey>, faults: Faults) -> Self {
        Self {
            keys,
            faults,
            instances: Vec::new(),
            nonces: HashMap::new(),
            requests_seen: 0,
            account: "1880770869020000".to_owned(),
            actions_seen: HashMap::new(),
            topic_ready: time::Duration::ZERO,
            group_limit: DEFAULT_GROUP_LIMIT,
            last_topic_status: None,
        }
    }

    /// How long a topic made by `OnsTopicCreate` lists as being created (`ServiceStatus` 0)
    /// before it is in service. Topics already there keep their time.
    pub fn set_topic_ready(&mut self, wait: std::time::Duration) {
        self.topic_ready = time::Duration::try_from(wait).unwrap_or(time::Duration::MAX);
    }

    /// How many groups an instance may hold before `OnsGroupCreate` answers
    /// `Group.NumLimited`.
    pub fn set_group_limit(&mut self, limit: usize) {
        self.group_limit = limit;
    }

    /// The instance with this ID, in any region.
    pub fn instance(&self, id: &str) -> Option<&SandboxInstance> {
        self.instances.iter().find(|i| i.id == id)
    }

    fn instance_mut(&mut self, id: &str) -> Option<&mut SandboxInstance> {
        self.instances.iter_mut().find(|i| i.id == id)
    }

    /// Adds a topic to an instance as if made in the console at `now` (the real clock, as for
    /// every `now` here: the clock fault is applied), in service at once.
    /// The name is not checked (a test may seed what the service would never hold). `false`
    /// when there is no instance with that ID.
    pub fn seed_topic(
        &mut self,
        instance_id: &str,
        topic: &SeedTopic,
        now: OffsetDateTime,
    ) -> bool {
        let now_ms = unix_ms(self.server_now(now));
        self.instance_mut(instance_id)
            .map(|i| i.push_seed_topic(topic, now_ms))
            .is_some()
    }

    /// Adds a group to an instance as if made in the console at `now`; unchecked, like
    /// [`Self::seed_topic`]. `false` when there is no instance with that ID.
    pub fn seed_group(
        &mut self,
        instance_id: &str,
        group: &SeedGroup,
        now: OffsetDateTime,
    ) -> bool {
        let now_ms = unix_ms(self.server_now(now));
        self.instance_mut(instance_id)
            .map(|i| i.push_seed_group(group, now_ms))
            .is_some()
    }

    /// Puts a topic in service (`true`) or back to being created (`false`) for good; `false`
    /// when there is no such instance or topic.
    pub fn set_topic_in_service(
        &mut self,
        instance_id: &str,
        topic: &str,
        in_service: bool,
    ) -> bool {
        let Some(t) = self
            .instance_mut(instance_id)
            .and_then(|i| i.topics.iter_mut().find(|t| t.name == topic))
        else {
            return false;
        };
        t.ready_at_ms = if in_service { i64::MIN } else { i64::MAX };
        true
    }

    /// Whether a topic is in service at `now` (the real clock; the clock fault is applied
    /// here); `None` when there is no such instance or topic.
    pub fn topic_in_service(
        &self,
        instance_id: &str,
        topic: &str,
        now: OffsetDateTime,
    ) -> Option<bool> {
        let now_ms = unix_ms(self.server_now(now));
        self.instance(instance_id)
            .and_then(|i| i.topics.iter().find(|t| t.name == topic))
            .map(|t| t.service_status(now_ms) == 1)
    }

    /// Removes a topic (as if deleted in the console); `false` when there is none.
    pub fn remove_topic(&mut self, instance_id: &str, topic: &str) -> bool {
        self.instance_mut(instance_id).is_some_and(|i| {
            let before = i.topics.len();
            i.topics.retain(|t| t.name != topic);
            i.topics.len() != before
        })
    }

    /// Removes a group (as if deleted in the console); `false` when there is none.
    pub fn remove_group(&mut self, instance_id: &str, group: &str) -> bool {
        self.instance_mut(instance_id).is_some_and(|i| {
            let before = i.groups.len();
            i.groups.retain(|g| g.id != group);
            i.groups.len() != before
        })
    }

    /// Every instance, in creation order.
    pub fn instances(&self) -> &[SandboxInstance] {
        &self.instances
    }

    /// Deletes an instance (as if from the console); `false` when there is none with that ID.
    pub fn delete_instance(&mut self, id: &str) -> bool {
        let before = self.instances.len();
        self.instances.retain(|i| i.id != id);
        self.instances.len() != before
    }

    /// Adds an instance "made elsewhere" (in the console, by a colleague), with its topics
    /// and groups (in service), as of `now`; returns its InstanceId. The seed is not checked
    /// here ([`super::SeedInstance::parse`] checks what a user types).
    pub fn seed(&mut self, seed: &super::SeedInstance, now: OffsetDateTime) -> String {
        let id = format!(
            "MQ_INST_{}_{}",
            self.account,
            short_id(&uuid::Uuid::new_v4().to_string())
        );
        // A month old, so it reads as something that was there before.
        let now = self.server_now(now);
        let created = unix_ms(now.checked_sub(time::Duration::days(30)).unwrap_or(now));
        let mut instance = SandboxInstance {
            id: id.clone(),
            name: seed.name.clone(),
            remark: seed.remark.clone(),
            region: seed.region.clone(),
            create_time_ms: created,
            topics: Vec::new(),
            groups: Vec::new(),
        };
        for topic in &seed.topics {
            instance.push_seed_topic(topic, created);
        }
        for group in &seed.groups {
            instance.push_seed_group(group, created);
        }
        self.instances.push(instance);
        id
    }

    /// Gives an instance exactly `topics` topics and `groups` groups (as if they were made or
    /// deleted in the console): the first ones are kept, the missing ones are added with
    /// numbered names (`topic-N`, `GID_group-N`, skipping names in use), in service. `false`
    /// when there is no instance with that ID.
    pub fn set_resource_counts(
        &mut self,
        id: &str,
        topics: u32,
        groups: u32,
        now: OffsetDateTime,
    ) -> bool {
        let now_ms = unix_ms(self.server_now(now));
        let Some(i) = self.instance_mut(id) else {
            return false;
        };
        let want = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
        i.topics.truncate(want(topics));
        i.groups.truncate(want(groups));
        let mut n = 0_u64;
        while i.topics.len() < want(topics) {
            n += 1;
            let name = format!("topic-{n}");
            if i.name_holder(&name).is_none() {
                i.push_seed_topic(&SeedTopic::named(name), now_ms);
            }
        }
        let mut n = 0_u64;
        while i.groups.len() < want(groups) {
            n += 1;
            let id = format!("GID_group-{n}");
            if i.name_holder(&id).is_none() {
                i.push_seed_group(&SeedGroup::named(id), now_ms);
            }
        }
        true
    }

    /// How many authenticated requests for `action` reached the gateway (whatever their
    /// outcome after authentication).
    pub fn action_count(&self, action: &str) -> u64 {
        self.actions_seen.get(action).copied().unwrap_or(0)
    }

    /// How many requests reached the gateway (any outcome).
    pub fn requests_seen(&self) -> u64 {
        self.requests_seen
    }

    /// The server's clock, skewed by the clock fault.
    pub fn server_now(&self, now: OffsetDateTime) -> OffsetDateTime {
        // Bounded, so an offset set after start (`Sandbox::set_faults`) cannot overflow.
        let max = super::MAX_CLOCK_OFFSET_SECS;
        let offset = time::Duration::seconds(self.faults.clock_offset_secs.clamp(-max, max));
        now.checked_add(offset).unwrap_or(now)
    }

    /// Handles one request at `now` (the real clock; the clock fault is applied here).
    pub fn handle(&mut self, req: &GatewayRequest, now: OffsetDateTime) -> Reply {
        self.requests_seen += 1;
        let now = self.server_now(now);
        let request_id = uuid::Uuid::new_v4().to_string().to_uppercase();
        // V3 callers get JSON unless they ask otherwise, as the service does.
        let xml = !merged_says_json(req) && req.v3_authorization().is_none();
        match self.process(req, now, &request_id) {
            Ok((data, drop, action)) => {
                let mut body = data;
                if let Value::Object(map) = &mut body {
                    map.insert("RequestId".to_owned(), Value::String(request_id));
                }
                Reply {
                    status: 200,
                    body,
                    xml,
                    xml_root: format!("{action}Response"),
                    drop,
                }
            }
            Err(r) => Reply {
                status: r.status,
                body: json!({
                    "RequestId": request_id,
                    "HostId": "ons.sandbox.onsdesk.local",
                    "Code": r.code,
                    "Message": r.message,
                    "Recommend": recommend(r.code, &request_id),
                }),
                xml,
                xml_root: "Error".to_owned(),
                drop: false,
            },
        }
    }

    /// Runs a request; on success returns the reply's data, whether to drop the reply (a
    /// fault) and the action that ran.
    fn process(
        &mut self,
        req: &GatewayRequest,
        now: OffsetDateTime,
        request_id: &str,
    ) -> Result<(Value, bool, String), Refusal> {
        let method = match req.method.as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            other => {
                return Err(refuse(
                    405,
                    "UnsupportedHTTPMethod",
                    format!("HTTP method {other} is not supported."),
                ));
            }
        };
        if req.path != "/" {
            return Err(refuse(
                404,
                "InvalidApi.NotFound",
                format!(
                    "Specified api is not found, please check your url and method. Path: {}",
                    req.path
                ),
            ));
        }
        let params = merge(req)?;
        self.check_unavailable()?;
        let action = if let Some(authorization) = req.v3_authorization() {
            self.authenticate_v3(req, authorization, now)?
        } else {
            self.authenticate(method, &params, now)?
        };
        *self.actions_seen.entry(action.clone()).or_default() += 1;
        self.check_throttle()?;
        self.check_unavailable_action(&action)?;
        let region = params
            .get("RegionId")
            .map_or(DEFAULT_REGION, String::as_str)
            .to_owned();
        if !REGIONS.iter().any(|r| r.id == region) {
            return Err(refuse(
                400,
                "BIZ_REGION_NOT_FOUND",
                format!("The region {region} is not served by ONS."),
            ));
        }
        let data = match action.as_str() {
            "OnsInstanceCreate" => self.create(&params, &region, now, request_id)?,
            "OnsInstanceInServiceList" => self.in_service_list(&params, &region),
            "OnsInstanceUpdate" => self.update(&params, &region)?,
            "OnsInstanceDelete" => self.delete(&params, &region)?,
            "OnsInstanceBaseInfo" => self.base_info(&params, &region)?,
            "OnsRegionList" => region_list(),
            "OnsTopicCreate" => self.topic_create(&params, &region, now)?,
            "OnsTopicList" => self.topic_list(&params, &region, now)?,
            "OnsTopicDelete" => self.topic_delete(&params, &region)?,
            "OnsTopicStatus" => self.topic_status(&params, &region, now)?,
            "OnsGroupCreate" => self.group_create(&params, &region, now)?,
            "OnsGroupList" => self.group_list(&params, &region)?,
            "OnsGroupDelete" => self.group_delete(&params, &region)?,
            other => {
                return Err(refuse(
                    404,
                    "InvalidAction.NotFound",
                    format!(
                        "Specified api is not found, please check your url and method. Action: {other}"
                    ),
                ));
            }
        };
        let drop = self.take_dropped_reply(&action);
        Ok((data, drop, action))
    }

    /// Whether the drop-reply fault takes the reply of this successful `action` (and counts
    /// it down).
    fn take_dropped_reply(&mut self, action: &str) -> bool {
        let shorthand = match action {
            "OnsInstanceCreate" => Some(&mut self.faults.drop_create_replies),
            "OnsInstanceDelete" => Some(&mut self.faults.drop_delete_replies),
            _ => None,
        };
        for left in shorthand
            .into_iter()
            .chain(self.faults.drop_replies.get_mut(action))
        {
            if *left > 0 {
                *left -= 1;
                return true;
            }
        }
        false
    }

    fn check_unavailable(&mut self) -> Result<(), Refusal> {
        if self.faults.unavailable_first > 0 {
            self.faults.unavailable_first -= 1;
            return unavailable();
        }
        Ok(())
    }

    /// The per-action 503: received (and counted), refused before any work.
    fn check_unavailable_action(&mut self, action: &str) -> Result<(), Refusal> {
        match self.faults.unavailable_replies.get_mut(action) {
            Some(left) if *left > 0 => {
                *left -= 1;
                unavailable()
            }
            _ => Ok(()),
        }
    }

    fn check_throttle(&self) -> Result<(), Refusal> {
        let every = self.faults.throttle_every;
        if every > 0 && self.requests_seen.is_multiple_of(u64::from(every)) {
            return Err(refuse(
                429,
                "Throttling.User",
                "Request was denied due to user flow control.",
            ));
        }
        Ok(())
    }

    /// The gateway's checks, in its order. Returns the Action.
    fn authenticate(
        &mut self,
        method: Method,
        params: &BTreeMap<String, String>,
        now: OffsetDateTime,
    ) -> Result<String, Refusal> {
        check_common_params(params, now)?;
        let p = |k: &str| params.get(k).map_or("", String::as_str);
        let Some(key) = self
            .keys
            .iter()
            .find(|k| k.access_key_id == p("AccessKeyId"))
        else {
            return Err(refuse(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ));
        };
        check_token(key, params.get("SecurityToken"))?;
        if let Err(server_sts) = verify_signature(method, params, &key.secret) {
            return Err(refuse(
                400,
                "SignatureDoesNotMatch",
                format!(
                    "Specified signature does not match our calculation. server string to sign is:{server_sts}"
                ),
            ));
        }
        self.remember_nonce(p("SignatureNonce"), now)?;
        Ok(p("Action").to_owned())
    }

    /// The V3 checks: `Authorization` parsed, the `x-acs-*` headers present, date window, body
    /// hash, key and token, signature over the signed headers and the real body, nonce. Returns
    /// the action.
    fn authenticate_v3(
        &mut self,
        req: &GatewayRequest,
        authorization: &str,
        now: OffsetDateTime,
    ) -> Result<String, Refusal> {
        let Some(fields) = v3::AuthorizationFields::parse(authorization) else {
            return Err(refuse(
                400,
                "InvalidAuthorization",
                "The Authorization header is malformed.",
            ));
        };
        check_v3_headers(req, now)?;
        let h = |k: &str| req.headers.get(k).map_or("", String::as_str);
        let Some(key) = self
            .keys
            .iter()
            .find(|k| k.access_key_id == fields.credential)
        else {
            return Err(refuse(
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ));
        };
        check_token(key, req.headers.get(v3::SECURITY_TOKEN_HEADER))?;
        match verify_v3(req, &key.secret) {
            Ok(()) => {}
            Err(V3Error::Mismatch(ours)) => {
                return Err(refuse(
                    400,
                    "SignatureDoesNotMatch",
                    format!(
                        "Specified signature does not match our calculation. server string to sign is:{}",
                        ours.canonical_request
                    ),
                ));
            }
            Err(e) => return Err(refuse(400, "InvalidAuthorization", format!("{e}."))),
        }
        self.remember_nonce(h("x-acs-signature-nonce"), now)?;
        Ok(h("x-acs-action").to_owned())
    }

    fn remember_nonce(&mut self, nonce: &str, now: OffsetDateTime) -> Result<(), Refusal> {
        self.nonces.retain(|_, seen| now - *seen < NONCE_MEMORY);
        if self.nonces.contains_key(nonce) {
            return Err(refuse(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ));
        }
        self.nonces.insert(nonce.to_owned(), now);
        Ok(())
    }

    fn create(
        &mut self,
        params: &BTreeMap<String, String>,
        region: &str,
        now: OffsetDateTime,
        request_id: &str,
    ) -> Result<Value, Refusal> {
        let Some(name) = params.get("InstanceName") else {
            return Err(refuse(
                400,
                "MissingInstanceName",
                "InstanceName is mandatory for this action.",
            ));
        };
        if let Err(e) = validate_instance_name(name) {
            return Err(refuse(
                400,
                "BIZ_FIELD_CHECK_INVALID",
                format!("InstanceName is invalid: {e}"),
            ));
        }
        let in_region = self.instances.iter().filter(|i| i.region == region);
        if in_region.clone().any(|i| &i.name == name) {
            return Err(refuse(
                400,
                "BIZ_INSTANCE_NAME_DUPLICATED",
                format!("An instance named {name} already exists in {region}."),
            ));
        }
        if in_region.count() >= INSTANCES_PER_REGION {
            return Err(refuse(
                400,
                "BIZ_INSTANCE_QUOTA_EXCEEDED",
                format!(
                    "The region {region} already has {INSTANCES_PER_REGION} instances, the most allowed."
                ),
            ));
        }
        let id = format!("MQ_INST_{}_{}", self.account, short_id(request_id));
        self.instances.push(SandboxInstance {
            id: id.clone(),
            name: name.clone(),
            remark: params.get("Remark").cloned().unwrap_or_default(),
            region: region.to_owned(),
            create_time_ms: unix_ms(now),
            topics: Vec::new(),
            groups: Vec::new(),
        });
        Ok(json!({ "Data": { "InstanceId": id, "InstanceType": 1 } }))
    }

    fn in_service_list(&self, params: &BTreeMap<String, String>, region: &str) -> Value {
        // As the service does, the counts are filled only when asked for.
        let resources = params
            .get("NeedResourceInfo")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let list: Vec<Value> = self
            .instances
            .iter()
            .filter(|i| i.region == region)
            .map(|i| {
                let mut vo = json!({
                    "InstanceId": i.id,
                    "InstanceName": i.name,
                    "InstanceStatus": 5,
                    "InstanceType": 1,
                    "IndependentNaming": true,
                    "CreateTime": i.create_time_ms,
                    "Tags": { "Tag": [] },
                });
                if resources {
                    vo["TopicCount"] = json!(i.topics.len());
                    vo["GroupCount"] = json!(i.groups.len());
                }
                vo
            })
            .collect();
        json!({ "Data": { "InstanceVO": list } })
    }

    fn base_info(&self, params: &BTreeMap<String, String>, region: &str) -> Result<Value, Refusal> {
        let Some(id) = params.get("InstanceId") else {
            return Err(refuse(
                400,
                "MissingInstanceId",
                "InstanceId is mandatory for this action.",
            ));
        };
        let Some(i) = self
            .instances
            .iter()
            .find(|i| &i.id == id && i.region == region)
        else {
            return Err(refuse(
                400,
                "BIZ_INSTANCE_NOT_FOUND",
                format!("The instance {id} does not exist in {region}."),
            ));
        };
        let host = i.id.to_ascii_lowercase().replace('_', "-");
        Ok(json!({
            "InstanceBaseInfo": {
                "InstanceId": i.id,
                "InstanceName": i.name,
                "InstanceStatus": 5,
                "InstanceType": 1,
                "IndependentNaming": true,
                "Remark": i.remark,
                "CreateTime": i.create_time_ms.to_string(),
                "Endpoints": {
                    "TcpEndpoint": format!("http://{host}.{region}.mq-internal.aliyuncs.com:8080"),
                    "TcpInternetEndpoint": format!("http://{host}.mq.{region}.aliyuncs.com:80"),
                    "HttpInternalEndpoint": format!("http://{}.mqrest.{region}-internal.aliyuncs.com", self.account),
                    "HttpInternetEndpoint": format!("http://{}.mqrest.{region}.aliyuncs.com", self.account),
                    "HttpInternetSecureEndpoint": format!("https://{}.mqrest.{region}.aliyuncs.com", self.account),
                }
            }
        }))
    }
}

impl Gateway {
    /// The instance `InstanceId` names in `region`, or the refusal the service gives.
    fn find_in_region(
        &self,
        params: &BTreeMap<String, String>,
        region: &str,
    ) -> Result<usize, Refusal> {
        let Some(id) = params.get("InstanceId").filter(|id| !id.is_empty()) else {
            return Err(refuse(
                400,
                "MissingInstanceId",
                "InstanceId is mandatory for this action.",
            ));
        };
        self.instances
            .iter()
            .position(|i| &i.id == id && i.region == region)
            .ok_or_else(|| {
                refuse(
                    400,
                    "BIZ_INSTANCE_NOT_FOUND",
                    format!("The instance {id} does not exist in {region}."),
                )
            })
    }

    /// `OnsInstanceUpdate`: InstanceName (the create's rules, unique in the region) and Remark,
    /// each optional; an omitted one stays unchanged.
    fn update(
        &mut self,
        params: &BTreeMap<String, String>,
        region: &str,
    ) -> Result<Value, Refusal> {
        let at = self.find_in_region(params, region)?;
        let name = params.get("InstanceName");
        if let Some(name) = name {
            if let Err(e) = validate_instance_name(name) {
                return Err(refuse(
                    400,
                    "BIZ_FIELD_CHECK_INVALID",
                    format!("InstanceName is invalid: {e}"),
                ));
            }
            let taken = self
                .instances
                .iter()
                .enumerate()
                .any(|(j, i)| j != at && i.region == region && &i.name == name);
            if taken {
                return Err(refuse(
                    400,
                    "BIZ_INSTANCE_NAME_DUPLICATED",
                    format!("An instance named {name} already exists in {region}."),
                ));
            }
        }
        if let Some(instance) = self.instances.get_mut(at) {
            if let Some(name) = name {
                instance.name.clone_from(name);
            }
            if let Some(remark) = params.get("Remark") {
                instance.remark.clone_from(remark);
            }
        }
        Ok(json!({}))
    }

    /// `OnsInstanceDelete`: refused while the instance has topics or groups. The service's
    /// code for that is not published by Alibaba; `BIZ_INSTANCE_NOT_EMPTY` is the sandbox's
    /// own, and clients must not rely on it.
    fn delete(
        &mut self,
        params: &BTreeMap<String, String>,
        region: &str,
    ) -> Result<Value, Refusal> {
        let at = self.find_in_region(params, region)?;
        if let Some(i) = self.instances.get(at)
            && (!i.topics.is_empty() || !i.groups.is_empty())
        {
            return Err(refuse(
                400,
                "BIZ_INSTANCE_NOT_EMPTY",
                format!(
                    "The instance {} still has {} topics and {} groups; delete them first.",
                    i.id,
                    i.topics.len(),
                    i.groups.len()
                ),
            ));
        }
        self.instances.remove(at);
        Ok(json!({}))
    }
}

/// V3's required headers, version, date window and body hash.
fn check_v3_headers(req: &GatewayRequest, now: OffsetDateTime) -> Result<(), Refusal> {
    let h = |k: &str| req.headers.get(k).map_or("", String::as_str);
    for required in [
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "host",
    ] {
        if h(required).is_empty() {
            return Err(refuse(
                400,
                "MissingParameter",
                format!("The header {required} is required with ACS3-HMAC-SHA256."),
            ));
        }
    }
    if h("x-acs-version") != API_VERSION {
        return Err(refuse(
            400,
            "InvalidVersion",
            format!(
                "Specified parameter Version is not valid: {}.",
                h("x-acs-version")
            ),
        ));
    }
    let Some(stamp) = parse_timestamp(h("x-acs-date")) else {
        return Err(refuse(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        ));
    };
    check_window(stamp, now)?;
    if h("x-acs-content-sha256") != req.body_sha256.hex() {
        return Err(refuse(
            400,
            "InvalidParameter",
            "x-acs-content-sha256 does not match the body.",
        ));
    }
    Ok(())
}

/// A request's time must be within [`TIMESTAMP_WINDOW`] of the server's clock (V1 and V3).
fn check_window(stamp: OffsetDateTime, now: OffsetDateTime) -> Result<(), Refusal> {
    if (stamp - now).abs() > TIMESTAMP_WINDOW {
        return Err(refuse(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp or date value is expired. Server time: {}",
                crate::signing::format_timestamp(now)
            ),
        ));
    }
    Ok(())
}

/// An STS key needs exactly its token; a permanent key takes none.
fn check_token(key: &SandboxKey, sent: Option<&String>) -> Result<(), Refusal> {
    match (&key.security_token, sent) {
        (Some(_), None) => Err(refuse(
            400,
            "MissingSecurityToken",
            "SecurityToken is mandatory for this AccessKey (it is an STS key).",
        )),
        (Some(expected), Some(got)) if expected.expose() != got => Err(refuse(
            400,
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        )),
        (None, Some(_)) => Err(refuse(
            400,
            "InvalidSecurityToken.Malformed",
            "A SecurityToken was sent with a permanent AccessKey.",
        )),
        _ => Ok(()),
    }
}

/// Required parameters, version, signature method and the timestamp window.
fn check_common_params(
    params: &BTreeMap<String, String>,
    now: OffsetDateTime,
) -> Result<(), Refusal> {
    for required in [
        "Action",
        "Version",
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureNonce",
        "Timestamp",
    ] {
        if params.get(required).is_none_or(String::is_empty) {
            return Err(refuse(
                400,
                missing_code(required),
                format!(
                    "The input parameter \"{required}\" that is mandatory for processing this request is not supplied."
                ),
            ));
        }
    }
    let p = |k: &str| params.get(k).map_or("", String::as_str);
    if p("Version") != API_VERSION {
        return Err(refuse(
            400,
            "InvalidVersion",
            format!(
                "Specified parameter Version is not valid: {}.",
                p("Version")
            ),
        ));
    }
    if p("SignatureMethod") != v1::SIGNATURE_METHOD {
        return Err(refuse(
            400,
            "InvalidSignatureMethod",
            "Specified signature method is not valid.",
        ));
    }
    if params
        .get("SignatureVersion")
        .is_some_and(|v| v != v1::SIGNATURE_VERSION)
    {
        return Err(refuse(
            400,
            "InvalidSignatureVersion",
            "Specified signature version is not valid.",
        ));
    }
    let Some(stamp) = parse_timestamp(p("Timestamp")) else {
        return Err(refuse(
            400,
            "InvalidTimeStamp.Format",
            format!(
                "Specified time stamp or date value is not well formatted: {}.",
                p("Timestamp")
            ),
        ));
    };
    check_window(stamp, now)?;
    Ok(())
}

/// Verifies a V1 signature over `params` (which include `Signature`). On mismatch returns the
/// string to sign the server computed, as the real gateway reports it.
pub fn verify_signature(
    method: Method,
    params: &BTreeMap<String, String>,
    secret: &SecretString,
) -> Result<(), String> {
    let mut signed = params.clone();
    let given = signed.remove("Signature").unwrap_or_default();
    let to_sign = v1::string_to_sign(method, &v1::canonical_query(&signed));
    let expected = v1::signature(&to_sign, secret);
    if constant_time_eq(expected.as_str().as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(to_sign.to_string())
    }
}

/// Why a V3 signature was not accepted. No secret and no token in any of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum V3Error {
    #[error("The Authorization header is malformed")]
    MalformedAuthorization,
    #[error("HTTP method {0} is not supported")]
    Method(String),
    #[error("Signed header {0} is missing")]
    MissingSignedHeader(String),
    #[error("Header {0} must be signed")]
    UnsignedHeader(String),
    /// The signature differs from the server's; holds every stage the server computed.
    #[error("Specified signature does not match our calculation")]
    Mismatch(Box<v3::Stages>),
}

/// Verifies a V3 request's `Authorization` with `secret`, over what was received: the method,
/// the query parameters (decoded, so a `+` or `%20` space signs as `%20`), the headers listed in
/// `SignedHeaders` with their values as sent, and the SHA-256 of the real body. `host` and every
/// `x-acs-*` header must be among the signed ones.
pub fn verify_v3(req: &GatewayRequest, secret: &SecretString) -> Result<(), V3Error> {
    let method = match req.method.as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => return Err(V3Error::Method(other.to_owned())),
    };
    let fields = req
        .v3_authorization()
        .and_then(v3::AuthorizationFields::parse)
        .ok_or(V3Error::MalformedAuthorization)?;
    let mut signed = Vec::new();
    for name in fields.signed_headers.split(';') {
        let name = name.to_ascii_lowercase();
        let Some((name, value)) = req.headers.get_key_value(&name) else {
            return Err(V3Error::MissingSignedHeader(name));
        };
        signed.push((name.as_str(), value.as_str()));
    }
    let must_sign = |name: &&String| name.starts_with("x-acs-") || name.as_str() == "host";
    let is_signed = |name: &&String| signed.iter().any(|(s, _)| s == name);
    if let Some(name) = req.headers.keys().filter(must_sign).find(|n| !is_signed(n)) {
        return Err(V3Error::UnsignedHeader(name.clone()));
    }
    let query: BTreeMap<String, String> = req.query.iter().cloned().collect();
    let ours = v3::Stages::compute(method, &query, signed, req.body_sha256.clone(), secret);
    if constant_time_eq(
        ours.signature.as_str().as_bytes(),
        fields.signature.as_bytes(),
    ) {
        Ok(())
    } else {
        Err(V3Error::Mismatch(Box::new(ours)))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The 503 of the unavailable faults.
fn unavailable() -> Result<(), Refusal> {
    Err(refuse(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    ))
}

/// The troubleshooting link every error carries, as Alibaba's gateway formats it.
fn recommend(code: &str, request_id: &str) -> String {
    format!("https://api.aliyun.com/troubleshoot?q={code}&product=Ons&requestId={request_id}")
}

fn missing_code(param: &str) -> &'static str {
    match param {
        "Action" => "MissingAction",
        "Version" => "MissingVersion",
        "AccessKeyId" => "MissingAccessKeyId",
        "Signature" => "MissingSignature",
        "SignatureMethod" => "MissingSignatureMethod",
        "SignatureNonce" => "MissingSignatureNonce",
        "Timestamp" => "MissingTimestamp",
        _ => "MissingParameter",
    }
}

/// Query and form parameters merged; a name may appear only once across both.
fn merge(req: &GatewayRequest) -> Result<BTreeMap<String, String>, Refusal> {
    let mut out = BTreeMap::new();
    for (k, v) in req.query.iter().chain(&req.form) {
        if out.insert(k.clone(), v.clone()).is_some() {
            return Err(refuse(
                400,
                "InvalidParameter",
                format!("The parameter {k} appears more than once."),
            ));
        }
    }
    Ok(out)
}

fn merged_says_json(req: &GatewayRequest) -> bool {
    req.query
        .iter()
        .chain(&req.form)
        .any(|(k, v)| k == "Format" && v.eq_ignore_ascii_case("JSON"))
}

fn region_list() -> Value {
    let list: Vec<Value> = REGIONS
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "Id": i + 1,
                "OnsRegionId": r.id,
                "RegionName": r.name_zh,
                "ChannelName": "aliyun",
                "CreateTime": 1_546_272_000_000_i64,
                "UpdateTime": 1_546_272_000_000_i64,
            })
        })
        .collect();
    json!({ "Data": { "RegionDo": list } })
}

/// Milliseconds since the epoch, as the service writes its times (0 if out of range).
fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// Eight letters and digits from a request id, for the instance id's tail.
fn short_id(request_id: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut out = String::with_capacity(8);
    for (b, c) in bytes.iter().zip(request_id.bytes()).take(8) {
        out.push(char::from(ALPHABET[usize::from(b ^ c) % ALPHABET.len()]));
    }
    out
}

/// Renders a reply body as the XML the service sends without `Format=JSON`, under `root`
/// (`{Action}Response` for a success, `Error` for a refusal: [`Reply::xml_root`]).
pub fn to_xml(body: &Value, root: &str) -> String {
    fn write(out: &mut String, name: &str, v: &Value) {
        match v {
            Value::Object(map) => {
                let _ = write!(out, "<{name}>");
                for (k, v) in map {
                    write(out, k, v);
                }
                let _ = write!(out, "</{name}>");
            }
            Value::Array(items) => {
                for item in items {
                    write(out, name, item);
                }
            }
            Value::String(s) => {
                let _ = write!(out, "<{name}>{}</{name}>", escape_xml(s));
            }
            other => {
                let _ = write!(out, "<{name}>{other}</{name}>");
            }
        }
    }
    let mut out = String::from("<?xml version='1.0' encoding='UTF-8'?>");
    write(&mut out, root, body);
    out
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Vectors {
        cases: Vec<Case>,
    }
    #[derive(Deserialize)]
    struct Case {
        id: String,
        method: String,
        access_key_id: String,
        secret: String,
        params: BTreeMap<String, String>,
        signature: String,
    }

    fn vectors() -> Vec<Case> {
        serde_json::from_str::<Vectors>(include_str!("../../tests/data/signature-v1.json"))
            .unwrap()
            .cases
    }

    fn method(m: &str) -> Method {
        if m == "GET" {
            Method::Get
        } else {
            Method::Post
        }
    }

    fn with_signature(case: &Case) -> BTreeMap<String, String> {
        let mut p = case.params.clone();
        p.insert("Signature".into(), case.signature.clone());
        p
    }

    #[test]
    fn every_shared_vector_verifies() {
        for case in vectors() {
            let secret = SecretString::new(case.secret.clone());
            assert_eq!(
                verify_signature(method(&case.method), &with_signature(&case), &secret),
                Ok(()),
                "{}",
                case.id
            );
        }
    }

    #[test]
    fn tampering_is_caught() {
        for case in vectors() {
            let m = method(&case.method);
            let secret = SecretString::new(case.secret.clone());
            let mut p = with_signature(&case);
            p.insert("Action".into(), "OnsInstanceDelete".into());
            assert!(
                verify_signature(m, &p, &secret).is_err(),
                "{}: parameter",
                case.id
            );
            let wrong = SecretString::new(format!("{} ", case.secret));
            assert!(
                verify_signature(m, &with_signature(&case), &wrong).is_err(),
                "{}: secret",
                case.id
            );
            let other = if m == Method::Get {
                Method::Post
            } else {
                Method::Get
            };
            assert!(
                verify_signature(other, &with_signature(&case), &secret).is_err(),
                "{}: method",
                case.id
            );
            let mut p = with_signature(&case);
            p.insert("Signature".into(), case.signature.replace('=', "A"));
            assert!(
                verify_signature(m, &p, &secret).is_err(),
                "{}: signature",
                case.id
            );
        }
    }

    /// A vector as an HTTP request, handled at the vector's own time.
    fn request_for(
        case: &Case,
        tweak: impl FnOnce(&mut BTreeMap<String, String>),
    ) -> (GatewayRequest, OffsetDateTime) {
        let mut p = with_signature(case);
        tweak(&mut p);
        let now = parse_timestamp(&case.params["Timestamp"]).unwrap();
        let body = v1::encode_form(&p);
        (
            GatewayRequest::from_http(&case.method, "/", None, body.as_bytes()),
            now,
        )
    }

    fn gateway_for(case: &Case) -> Gateway {
        let mut key = SandboxKey::from(&Credentials::new(
            case.access_key_id.clone(),
            SecretString::new(case.secret.clone()),
        ));
        key.security_token = case
            .params
            .get("SecurityToken")
            .map(|t| SecretString::new(t.clone()));
        Gateway::new(vec![key], Faults::default())
    }

    fn code(reply: &Reply) -> &str {
        reply.body["Code"].as_str().unwrap_or("")
    }

    #[test]
    fn the_gateway_accepts_vectors_and_refuses_tampering_with_the_right_code() {
        let case = vectors()
            .into_iter()
            .find(|c| c.id == "ascii_post")
            .unwrap();
        let (req, now) = request_for(&case, |_| {});
        let reply = gateway_for(&case).handle(&req, now);
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert!(
            reply.body["Data"]["InstanceId"]
                .as_str()
                .unwrap()
                .starts_with("MQ_INST_")
        );

        let (req, now) = request_for(&case, |p| {
            p.insert("InstanceName".into(), "other-name".into());
        });
        let reply = gateway_for(&case).handle(&req, now);
        assert_eq!(code(&reply), "SignatureDoesNotMatch");
        assert!(
            reply.body["Message"]
                .as_str()
                .unwrap()
                .contains("server string to sign is:POST&%2F&")
        );

        let (req, now) = request_for(&case, |p| {
            p.insert("AccessKeyId".into(), "nobody".into());
        });
        assert_eq!(
            code(&gateway_for(&case).handle(&req, now)),
            "InvalidAccessKeyId.NotFound"
        );

        // Replay: the same signed request twice.
        let (req, now) = request_for(&case, |_| {});
        let mut g = gateway_for(&case);
        assert_eq!(g.handle(&req, now).status, 200);
        assert_eq!(code(&g.handle(&req, now)), "SignatureNonceUsed");

        // Sixteen minutes late.
        let (req, now) = request_for(&case, |_| {});
        let reply = gateway_for(&case).handle(&req, now + time::Duration::minutes(16));
        assert_eq!(code(&reply), "InvalidTimeStamp.Expired");
        // A GET-signed request sent as POST.
        let (mut req, now) = request_for(&case, |_| {});
        req.method = "GET".into();
        assert_eq!(
            code(&gateway_for(&case).handle(&req, now)),
            "SignatureDoesNotMatch"
        );
    }

    /// A clock offset set after start (`Sandbox::set_faults` skips the start-time check) is
    /// bounded instead of overflowing on every request.
    #[test]
    fn a_huge_clock_offset_never_overflows() {
        let case = vectors()
            .into_iter()
            .find(|c| c.id == "ascii_post")
            .unwrap();
        let (req, now) = request_for(&case, |_| {});
        for offset in [i64::MAX, i64::MIN] {
            let mut g = gateway_for(&case);
            g.faults.clock_offset_secs = offset;
            let skew = (g.server_now(now) - now).whole_seconds();
            assert_eq!(skew.abs(), super::super::MAX_CLOCK_OFFSET_SECS);
            assert_eq!(code(&g.handle(&req, now)), "InvalidTimeStamp.Expired");
        }
    }

    #[test]
    fn sts_tokens_must_match() {
        let case = vectors().into_iter().find(|c| c.id == "sts_get").unwrap();
        let (req, now) = request_for(&case, |_| {});
        assert_eq!(gateway_for(&case).handle(&req, now).status, 200);
        let (req, now) = request_for(&case, |p| {
            p.remove("SecurityToken");
        });
        assert_eq!(
            code(&gateway_for(&case).handle(&req, now)),
            "MissingSecurityToken"
        );
        let (req, now) = request_for(&case, |p| {
            p.insert("SecurityToken".into(), "forged".into());
        });
        let reply = gateway_for(&case).handle(&req, now);
        assert_eq!(code(&reply), "InvalidSecurityToken.MismatchWithAccessKey");
        assert_eq!(
            reply.body["Message"],
            "Specified SecurityToken mismatch with the AccessKey."
        );
    }

    #[test]
    fn a_parameter_in_both_query_and_body_is_refused() {
        let case = vectors()
            .into_iter()
            .find(|c| c.id == "ascii_post")
            .unwrap();
        let (mut req, now) = request_for(&case, |_| {});
        req.query.push(("InstanceName".into(), "x".into()));
        assert_eq!(
            code(&gateway_for(&case).handle(&req, now)),
            "InvalidParameter"
        );
    }

    #[test]
    fn xml_without_format_json() {
        let body = json!({"RequestId": "R", "Code": "X", "Message": "a & b"});
        assert_eq!(
            to_xml(&body, "Error"),
            "<?xml version='1.0' encoding='UTF-8'?><Error><Code>X</Code><Message>a &amp; b</Message><RequestId>R</RequestId></Error>"
        );
    }
}
