//! Every API action onsdesk sends, each with what it sends, the shape of its reply as sent, and
//! the check that turns that reply into values (see `gate.rs`). Adding an action means adding
//! one type here; [`crate::api::Client::send`] then signs, sends and checks it like every other.

use serde::Deserialize;

pub use super::action::Action;
use super::gate::{Lenient, LenientText, Listed, bad_id, optional_text, text, untrusted};
use super::{
    ApiError, CallKind, CreatedInstance, GroupSummary, InstanceBaseInfo, InstanceEndpoints,
    InstanceSummary, InstanceType, RegionInfo, ReplyProblem, TopicSummary,
};
use crate::ids::{GroupId, InstanceId, RequestId, TopicName};
use crate::region::RegionId;
use crate::resources::{GroupType, MessageType, TopicStatus};

/// The RequestId of a success reply, which every action's reply carries: it must be there and
/// well formed (an update or a delete has nothing else to show that it was done).
fn request_id(raw: Option<&str>) -> Result<RequestId, ApiError> {
    match raw {
        None => Err(untrusted(ReplyProblem::NoRequestId)),
        Some(id) => RequestId::parse(id).map_err(|e| bad_id(&e)),
    }
}

fn standard() -> InstanceType {
    InstanceType::STANDARD
}

// ---------------------------------------------------------------------------------------------
// OnsInstanceCreate

/// `OnsInstanceCreate`: a Standard Edition instance. Not idempotent (no ClientToken): see
/// [`crate::create`] for a create whose reply may be lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateInstance {
    pub name: String,
    pub remark: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CreateInstanceRaw {
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(rename = "Data")]
    data: CreateInstanceData,
}

#[derive(Debug, Deserialize)]
struct CreateInstanceData {
    #[serde(rename = "InstanceId")]
    instance_id: String,
    #[serde(rename = "InstanceType", default = "standard")]
    instance_type: InstanceType,
}

impl Action for CreateInstance {
    const NAME: &'static str = "OnsInstanceCreate";
    const KIND: CallKind = CallKind::Write;
    type Raw = CreateInstanceRaw;
    type Output = CreatedInstance;

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("InstanceName", self.name.clone())];
        if let Some(remark) = &self.remark {
            params.push(("Remark", remark.clone()));
        }
        params
    }

    fn check(&self, raw: CreateInstanceRaw) -> Result<CreatedInstance, ApiError> {
        let instance_id = InstanceId::parse(&raw.data.instance_id).map_err(|e| bad_id(&e))?;
        Ok(CreatedInstance {
            instance_id,
            instance_type: raw.data.instance_type,
            request_id: request_id(raw.request_id.as_deref())?,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// OnsInstanceInServiceList

/// `OnsInstanceInServiceList`: the region's instances; with `resources`, also their topic and
/// group counts (`NeedResourceInfo=true`). An entry with a malformed InstanceId is left out and
/// counted ([`Listed::left_out`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListInstances {
    pub resources: bool,
}

#[derive(Debug, Deserialize)]
pub struct ListInstancesRaw {
    #[serde(rename = "Data")]
    data: ListInstancesData,
}

#[derive(Debug, Deserialize)]
struct ListInstancesData {
    #[serde(rename = "InstanceVO", default)]
    instances: Vec<InstanceVo>,
}

#[derive(Debug, Deserialize)]
struct InstanceVo {
    #[serde(rename = "InstanceId", default)]
    instance_id: LenientText,
    #[serde(rename = "InstanceName", default)]
    instance_name: LenientText,
    #[serde(rename = "InstanceStatus", default)]
    instance_status: Lenient,
    #[serde(rename = "InstanceType", default)]
    instance_type: Lenient,
    #[serde(rename = "CreateTime", default)]
    create_time: Lenient,
    #[serde(rename = "TopicCount", default)]
    topic_count: Lenient,
    #[serde(rename = "GroupCount", default)]
    group_count: Lenient,
}

impl Action for ListInstances {
    const NAME: &'static str = "OnsInstanceInServiceList";
    const KIND: CallKind = CallKind::Read;
    type Raw = ListInstancesRaw;
    type Output = Listed<InstanceSummary>;

    fn params(&self) -> Vec<(&'static str, String)> {
        if self.resources {
            vec![("NeedResourceInfo", "true".to_owned())]
        } else {
            Vec::new()
        }
    }

    fn check(&self, raw: ListInstancesRaw) -> Result<Listed<InstanceSummary>, ApiError> {
        Ok(Listed::checked(raw.data.instances, |i| {
            Some(InstanceSummary {
                instance_id: InstanceId::parse(i.instance_id.as_deref()?).ok()?,
                instance_name: text(i.instance_name.as_deref().unwrap_or_default()),
                instance_status: i.instance_status.0,
                instance_type: i.instance_type.0.map_or_else(standard, InstanceType),
                create_time: i.create_time.time(),
                topic_count: i.topic_count.count(),
                group_count: i.group_count.count(),
            })
        })
        .unique_by(|i| i.instance_id.clone()))
    }
}

// ---------------------------------------------------------------------------------------------
// OnsInstanceBaseInfo

/// `OnsInstanceBaseInfo`: an instance's details and client endpoints. A reply about another
/// instance than the one asked for is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetInstance {
    pub instance_id: InstanceId,
}

#[derive(Debug, Deserialize)]
pub struct GetInstanceRaw {
    #[serde(rename = "InstanceBaseInfo")]
    info: BaseInfoRaw,
}

#[derive(Debug, Deserialize)]
struct BaseInfoRaw {
    #[serde(rename = "InstanceId", default)]
    instance_id: LenientText,
    #[serde(rename = "InstanceName", default)]
    instance_name: LenientText,
    #[serde(rename = "InstanceStatus", default)]
    instance_status: Lenient,
    #[serde(rename = "InstanceType", default)]
    instance_type: Lenient,
    #[serde(rename = "Remark", default)]
    remark: LenientText,
    #[serde(rename = "Endpoints", default)]
    endpoints: EndpointsRaw,
    #[serde(rename = "CreateTime", default)]
    create_time: Lenient,
}

#[derive(Debug, Default, Deserialize)]
struct EndpointsRaw {
    #[serde(rename = "TcpEndpoint", default)]
    tcp: LenientText,
    #[serde(rename = "TcpInternetEndpoint", default)]
    tcp_internet: LenientText,
    #[serde(rename = "HttpInternalEndpoint", default)]
    http_internal: LenientText,
    #[serde(rename = "HttpInternetEndpoint", default)]
    http_internet: LenientText,
    #[serde(rename = "HttpInternetSecureEndpoint", default)]
    http_internet_secure: LenientText,
}

impl Action for GetInstance {
    const NAME: &'static str = "OnsInstanceBaseInfo";
    const KIND: CallKind = CallKind::Read;
    type Raw = GetInstanceRaw;
    type Output = InstanceBaseInfo;

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![("InstanceId", self.instance_id.to_string())]
    }

    fn check(&self, raw: GetInstanceRaw) -> Result<InstanceBaseInfo, ApiError> {
        let info = raw.info;
        let listed = info.instance_id.as_deref().unwrap_or_default();
        let instance_id = InstanceId::parse(listed).map_err(|e| bad_id(&e))?;
        if instance_id != self.instance_id {
            return Err(untrusted(ReplyProblem::OtherInstance {
                described: instance_id.to_string(),
                asked: self.instance_id.to_string(),
            }));
        }
        let e = info.endpoints;
        Ok(InstanceBaseInfo {
            instance_id,
            instance_name: text(info.instance_name.as_deref().unwrap_or_default()),
            instance_status: info.instance_status.0,
            instance_type: info.instance_type.0.map_or_else(standard, InstanceType),
            remark: text(info.remark.as_deref().unwrap_or_default()),
            endpoints: InstanceEndpoints {
                tcp: optional_text(e.tcp.as_deref()),
                tcp_internet: optional_text(e.tcp_internet.as_deref()),
                http_internal: optional_text(e.http_internal.as_deref()),
                http_internet: optional_text(e.http_internet.as_deref()),
                http_internet_secure: optional_text(e.http_internet_secure.as_deref()),
            },
            create_time: info.create_time.time(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// OnsInstanceUpdate, OnsInstanceDelete

/// A reply that carries nothing but its RequestId (update, delete, and the topic and group
/// creates and deletes).
#[derive(Debug, Deserialize)]
pub struct RequestIdRaw {
    #[serde(rename = "RequestId", default)]
    request_id: LenientText,
}

/// `OnsInstanceUpdate`: a new name and/or remark (`None` leaves a field unchanged).
/// Idempotent: sending the same values again changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateInstance {
    pub instance_id: InstanceId,
    pub name: Option<String>,
    pub remark: Option<String>,
}

impl Action for UpdateInstance {
    const NAME: &'static str = "OnsInstanceUpdate";
    const KIND: CallKind = CallKind::Write;
    type Raw = RequestIdRaw;
    type Output = RequestId;

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("InstanceId", self.instance_id.to_string())];
        if let Some(name) = &self.name {
            params.push(("InstanceName", name.clone()));
        }
        if let Some(remark) = &self.remark {
            params.push(("Remark", remark.clone()));
        }
        params
    }

    fn check(&self, raw: RequestIdRaw) -> Result<RequestId, ApiError> {
        request_id(raw.request_id.as_deref())
    }
}

/// `OnsInstanceDelete`: irreversible, refused while the instance has topics or groups. No
/// idempotency token: see [`crate::instances::delete`] for a delete whose reply may be lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteInstance {
    pub instance_id: InstanceId,
}

impl Action for DeleteInstance {
    const NAME: &'static str = "OnsInstanceDelete";
    const KIND: CallKind = CallKind::Write;
    type Raw = RequestIdRaw;
    type Output = RequestId;

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![("InstanceId", self.instance_id.to_string())]
    }

    fn check(&self, raw: RequestIdRaw) -> Result<RequestId, ApiError> {
        request_id(raw.request_id.as_deref())
    }
}

// ---------------------------------------------------------------------------------------------
// OnsRegionList

/// `OnsRegionList`: cheap and read-only, so also the "test credentials" call. A region whose ID
/// is not of a region ID's shape is left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListRegions;

#[derive(Debug, Deserialize)]
pub struct ListRegionsRaw {
    #[serde(rename = "Data")]
    data: ListRegionsData,
}

#[derive(Debug, Deserialize)]
struct ListRegionsData {
    #[serde(rename = "RegionDo", default)]
    regions: Vec<RegionRaw>,
}

#[derive(Debug, Deserialize)]
struct RegionRaw {
    #[serde(rename = "OnsRegionId", default)]
    region_id: LenientText,
    #[serde(rename = "RegionName", default)]
    region_name: LenientText,
}

impl Action for ListRegions {
    const NAME: &'static str = "OnsRegionList";
    const KIND: CallKind = CallKind::Read;
    type Raw = ListRegionsRaw;
    type Output = Listed<RegionInfo>;

    fn params(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    fn check(&self, raw: ListRegionsRaw) -> Result<Listed<RegionInfo>, ApiError> {
        Ok(Listed::checked(raw.data.regions, |r| {
            Some(RegionInfo {
                region_id: RegionId::shaped(r.region_id.as_deref()?).ok()?,
                region_name: text(r.region_name.as_deref().unwrap_or_default()),
            })
        })
        .unique_by(|r| r.region_id.clone()))
    }
}

// ---------------------------------------------------------------------------------------------
// Topics and groups: OnsTopicCreate, OnsTopicList, OnsTopicDelete, OnsGroupCreate, OnsGroupList,
// OnsGroupDelete. All six count against one rate limit ([`CallKind::Resource`]). A list entry
// is kept only when its name has a listed name's shape ([`TopicName`], [`GroupId`]) and its
// InstanceId, when it gives one, is the instance asked about; the rest are left out and
// counted. `OnsTopicStatus` is not used: `OnsTopicList` gives the state a new topic is in.

/// The instance a list entry says it belongs to: the one asked about when it says nothing (an
/// absent, null or empty InstanceId), `None` (leave it out) when it names another.
fn entry_instance(listed: &LenientText, asked: &InstanceId) -> Option<InstanceId> {
    match listed.as_deref() {
        None | Some("") => Some(asked.clone()),
        Some(id) if id == asked.as_str() => Some(asked.clone()),
        Some(_) => None,
    }
}

/// `OnsTopicCreate`. Not idempotent (no ClientToken): see [`crate::topics_groups`] for a create
/// whose reply may be lost. The caller validates the name and remark first
/// ([`crate::validation::validate_topic_name`], [`crate::validation::validate_topic_remark`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTopic {
    pub instance_id: InstanceId,
    pub topic: String,
    pub message_type: MessageType,
    /// Not sent when empty.
    pub remark: String,
}

impl Action for CreateTopic {
    const NAME: &'static str = "OnsTopicCreate";
    const KIND: CallKind = CallKind::Resource;
    type Raw = RequestIdRaw;
    type Output = RequestId;

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("InstanceId", self.instance_id.to_string()),
            ("Topic", self.topic.clone()),
            ("MessageType", self.message_type.code().to_string()),
        ];
        if !self.remark.is_empty() {
            params.push(("Remark", self.remark.clone()));
        }
        params
    }

    fn check(&self, raw: RequestIdRaw) -> Result<RequestId, ApiError> {
        request_id(raw.request_id.as_deref())
    }
}

/// `OnsTopicList`: an instance's topics. `topic` is the service's filter, which must be taken
/// as fuzzy (it may list `orders-v2` for `orders`): whoever decides whether a topic exists
/// compares the exact name itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListTopics {
    pub instance_id: InstanceId,
    pub topic: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ListTopicsRaw {
    #[serde(rename = "Data")]
    data: ListTopicsData,
}

#[derive(Debug, Deserialize)]
struct ListTopicsData {
    #[serde(rename = "PublishInfoDo", default)]
    topics: Vec<TopicRaw>,
}

#[derive(Debug, Deserialize)]
struct TopicRaw {
    #[serde(rename = "Topic", default)]
    topic: LenientText,
    #[serde(rename = "MessageType", default)]
    message_type: Lenient,
    #[serde(rename = "ServiceStatus", default)]
    service_status: Lenient,
    #[serde(rename = "Remark", default)]
    remark: LenientText,
    #[serde(rename = "CreateTime", default)]
    create_time: Lenient,
    #[serde(rename = "InstanceId", default)]
    instance_id: LenientText,
}

impl Action for ListTopics {
    const NAME: &'static str = "OnsTopicList";
    const KIND: CallKind = CallKind::Resource;
    type Raw = ListTopicsRaw;
    type Output = Listed<TopicSummary>;

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("InstanceId", self.instance_id.to_string())];
        if let Some(topic) = &self.topic {
            params.push(("Topic", topic.clone()));
        }
        params
    }

    fn check(&self, raw: ListTopicsRaw) -> Result<Listed<TopicSummary>, ApiError> {
        Ok(Listed::checked(raw.data.topics, |t| {
            Some(TopicSummary {
                instance_id: entry_instance(&t.instance_id, &self.instance_id)?,
                topic: TopicName::parse(t.topic.as_deref()?).ok()?,
                message_type: t.message_type.0.map(MessageType::from_code),
                service_status: t.service_status.0.map(TopicStatus::from_code),
                remark: text(t.remark.as_deref().unwrap_or_default()),
                create_time: t.create_time.time(),
            })
        })
        .unique_by(|t| t.topic.clone()))
    }
}

/// `OnsTopicDelete`: removes the topic and every publish or subscribe relation to it. No
/// idempotency token: see [`crate::topics_groups`] for a delete whose reply may be lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteTopic {
    pub instance_id: InstanceId,
    pub topic: TopicName,
}

impl Action for DeleteTopic {
    const NAME: &'static str = "OnsTopicDelete";
    const KIND: CallKind = CallKind::Resource;
    type Raw = RequestIdRaw;
    type Output = RequestId;

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("InstanceId", self.instance_id.to_string()),
            ("Topic", self.topic.to_string()),
        ]
    }

    fn check(&self, raw: RequestIdRaw) -> Result<RequestId, ApiError> {
        request_id(raw.request_id.as_deref())
    }
}

/// `OnsGroupCreate`. Not idempotent, as [`CreateTopic`]. The caller validates the ID and
/// remark first ([`crate::validation::validate_group_id`],
/// [`crate::validation::validate_group_remark`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateGroup {
    pub instance_id: InstanceId,
    pub group_id: String,
    pub group_type: GroupType,
    /// Not sent when empty.
    pub remark: String,
}

impl Action for CreateGroup {
    const NAME: &'static str = "OnsGroupCreate";
    const KIND: CallKind = CallKind::Resource;
    type Raw = RequestIdRaw;
    type Output = RequestId;

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("InstanceId", self.instance_id.to_string()),
            ("GroupId", self.group_id.clone()),
            ("GroupType", self.group_type.as_api_str().to_owned()),
        ];
        if !self.remark.is_empty() {
            params.push(("Remark", self.remark.clone()));
        }
        params
    }

    fn check(&self, raw: RequestIdRaw) -> Result<RequestId, ApiError> {
        request_id(raw.request_id.as_deref())
    }
}

/// `OnsGroupList`: an instance's groups. `group_id` is the service's filter, documented as
/// fuzzy (`GID_ABC` also lists `xGID_ABCy`): compare the exact ID on our side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListGroups {
    pub instance_id: InstanceId,
    pub group_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ListGroupsRaw {
    #[serde(rename = "Data")]
    data: ListGroupsData,
}

#[derive(Debug, Deserialize)]
struct ListGroupsData {
    #[serde(rename = "SubscribeInfoDo", default)]
    groups: Vec<GroupRaw>,
}

#[derive(Debug, Deserialize)]
struct GroupRaw {
    #[serde(rename = "GroupId", default)]
    group_id: LenientText,
    #[serde(rename = "GroupType", default)]
    group_type: LenientText,
    #[serde(rename = "Remark", default)]
    remark: LenientText,
    #[serde(rename = "CreateTime", default)]
    create_time: Lenient,
    #[serde(rename = "InstanceId", default)]
    instance_id: LenientText,
}

impl Action for ListGroups {
    const NAME: &'static str = "OnsGroupList";
    const KIND: CallKind = CallKind::Resource;
    type Raw = ListGroupsRaw;
    type Output = Listed<GroupSummary>;

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("InstanceId", self.instance_id.to_string())];
        if let Some(group_id) = &self.group_id {
            params.push(("GroupId", group_id.clone()));
        }
        params
    }

    fn check(&self, raw: ListGroupsRaw) -> Result<Listed<GroupSummary>, ApiError> {
        Ok(Listed::checked(raw.data.groups, |g| {
            Some(GroupSummary {
                instance_id: entry_instance(&g.instance_id, &self.instance_id)?,
                group_id: GroupId::parse(g.group_id.as_deref()?).ok()?,
                group_type: g
                    .group_type
                    .as_deref()
                    .map(|t| GroupType::from_api(&text(t))),
                remark: text(g.remark.as_deref().unwrap_or_default()),
                create_time: g.create_time.time(),
            })
        })
        .unique_by(|g| g.group_id.clone()))
    }
}

/// `OnsGroupDelete`: its consumers stop receiving at once. No idempotency token, as
/// [`DeleteTopic`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteGroup {
    pub instance_id: InstanceId,
    pub group_id: GroupId,
}

impl Action for DeleteGroup {
    const NAME: &'static str = "OnsGroupDelete";
    const KIND: CallKind = CallKind::Resource;
    type Raw = RequestIdRaw;
    type Output = RequestId;

    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("InstanceId", self.instance_id.to_string()),
            ("GroupId", self.group_id.to_string()),
        ]
    }

    fn check(&self, raw: RequestIdRaw) -> Result<RequestId, ApiError> {
        request_id(raw.request_id.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::read_reply;
    use crate::api::redact::Redactor;

    const ASKED: &str = "MQ_INST_1880770869020000_BXSuW61e";

    fn asked() -> InstanceId {
        InstanceId::parse(ASKED).unwrap()
    }

    fn read<A: Action>(action: &A, body: &str) -> Result<A::Output, ApiError> {
        read_reply(
            action,
            200,
            &reqwest::header::HeaderMap::new(),
            body.as_bytes(),
            &Redactor::new(None, None),
            time::OffsetDateTime::now_utc(),
        )
        .result
    }

    #[test]
    fn a_topic_list_keeps_well_formed_entries_of_the_instance_asked_about() {
        let body = serde_json::json!({
            "RequestId": "5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB",
            "Data": { "PublishInfoDo": [
                { "Topic": "orders", "MessageType": 1, "ServiceStatus": 0, "Remark": "r\u{1b}[2J",
                  "CreateTime": 1_764_400_000_000_i64, "InstanceId": ASKED },
                { "Topic": "no-instance-said", "MessageType": "3", "ServiceStatus": null },
                { "Topic": "elsewhere", "InstanceId": "MQ_INST_2_other" },
                { "Topic": "bad\nname", "InstanceId": ASKED },
                { "Topic": "x".repeat(65) },
                { "MessageType": 0 },
                { "Topic": "far", "CreateTime": 253_402_300_799_000_i64, "ServiceStatus": 7 },
                { "Topic": "orders", "MessageType": 0, "Remark": "listed twice" },
            ]}
        })
        .to_string();
        let action = ListTopics {
            instance_id: asked(),
            topic: None,
        };
        let listed = read(&action, &body).unwrap();
        assert_eq!(listed.left_out, 5, "the second orders too");
        let names: Vec<&str> = listed.iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(names, ["orders", "no-instance-said", "far"]);
        let orders = &listed[0];
        assert_eq!(orders.message_type, Some(MessageType::PartitionOrder));
        assert_eq!(orders.service_status, Some(TopicStatus::Creating));
        assert_eq!(orders.remark, "r\\u{1b}[2J");
        assert!(orders.create_time.is_some());
        assert_eq!(listed[1].message_type, Some(MessageType::Other(3)));
        assert_eq!(listed[1].service_status, None);
        assert_eq!(listed[1].instance_id, asked());
        assert_eq!(
            listed[2].create_time, None,
            "year 9999 cannot be shown everywhere"
        );
        assert_eq!(listed[2].service_status, Some(TopicStatus::Other(7)));
        assert_eq!(
            action.params(),
            vec![("InstanceId", ASKED.to_owned())],
            "no filter unless asked"
        );
    }

    #[test]
    fn a_group_list_keeps_unknown_types_printable() {
        let body = serde_json::json!({
            "RequestId": "5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB",
            "Data": { "SubscribeInfoDo": [
                { "GroupId": "GID_orders", "GroupType": "tcp", "InstanceId": ASKED },
                { "GroupId": "CID_old", "GroupType": "mqtt\u{202e}" },
                { "GroupId": "GID_x", "GroupType": 5 },
                { "GroupId": "GID y" },
                { "GroupId": "GID_other", "InstanceId": "MQ_INST_9_else" },
            ]}
        })
        .to_string();
        let action = ListGroups {
            instance_id: asked(),
            group_id: Some("GID_orders".to_owned()),
        };
        let listed = read(&action, &body).unwrap();
        assert_eq!(listed.left_out, 2);
        assert_eq!(listed[0].group_type, Some(GroupType::Tcp));
        assert_eq!(
            listed[1].group_type,
            Some(GroupType::Other("mqtt\\u{202e}".to_owned()))
        );
        assert_eq!(listed[2].group_type, Some(GroupType::Other("5".to_owned())));
        assert_eq!(
            action.params(),
            vec![
                ("InstanceId", ASKED.to_owned()),
                ("GroupId", "GID_orders".to_owned())
            ]
        );
    }

    #[test]
    fn creates_send_their_parameters_and_need_a_request_id() {
        let topic = CreateTopic {
            instance_id: asked(),
            topic: "orders".to_owned(),
            message_type: MessageType::Delay,
            remark: String::new(),
        };
        assert_eq!(
            topic.params(),
            vec![
                ("InstanceId", ASKED.to_owned()),
                ("Topic", "orders".to_owned()),
                ("MessageType", "5".to_owned()),
            ]
        );
        let group = CreateGroup {
            instance_id: asked(),
            group_id: "GID_orders".to_owned(),
            group_type: GroupType::Http,
            remark: "web".to_owned(),
        };
        assert_eq!(
            group.params(),
            vec![
                ("InstanceId", ASKED.to_owned()),
                ("GroupId", "GID_orders".to_owned()),
                ("GroupType", "http".to_owned()),
                ("Remark", "web".to_owned()),
            ]
        );
        assert!(
            read(
                &topic,
                r#"{"RequestId":"5B8A7E4E-1A2B-4C3D-9E8F-0123456789AB"}"#
            )
            .is_ok()
        );
        for body in [r"{}", r#"{"RequestId":"a b"}"#] {
            let err = read(&group, body).unwrap_err();
            assert!(err.outcome_unknown(), "{err}");
        }
    }
}
