//! Every API action onsdesk sends, each with what it sends, the shape of its reply as sent, and
//! the check that turns that reply into values (see `gate.rs`). Adding an action means adding
//! one type here; [`crate::api::Client::send`] then signs, sends and checks it like every other.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::gate::{Lenient, LenientText, Listed, bad_id, optional_text, text, untrusted};
use super::{
    ApiError, CallKind, CreatedInstance, InstanceBaseInfo, InstanceEndpoints, InstanceSummary,
    InstanceType, RegionInfo,
};
use crate::ids::{InstanceId, RequestId};
use crate::region::RegionId;

/// One API action: its name, its parameters, and how its reply is checked.
pub trait Action {
    /// The API's name for it (`OnsInstanceCreate`).
    const NAME: &'static str;
    /// The rate limit it counts against.
    const KIND: CallKind;
    /// The reply's body as sent: nothing in it is believed yet.
    type Raw: DeserializeOwned;
    /// The reply once checked.
    type Output;

    /// The parameters sent, besides the common ones the signer adds.
    fn params(&self) -> Vec<(&'static str, String)>;

    /// Checks the reply: a value of `Output` is the proof that it was checked.
    fn check(&self, raw: Self::Raw) -> Result<Self::Output, ApiError>;
}

/// The RequestId of a success reply, which every action's reply carries: it must be there and
/// well formed (an update or a delete has nothing else to show that it was done).
fn request_id(raw: Option<&str>) -> Result<RequestId, ApiError> {
    match raw {
        None => Err(untrusted("the reply has no RequestId")),
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
                instance_status: i.instance_status.0.unwrap_or_default(),
                instance_type: i.instance_type.0.map_or_else(standard, InstanceType),
                create_time: i.create_time.time(),
                topic_count: i.topic_count.count(),
                group_count: i.group_count.count(),
            })
        }))
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
            return Err(untrusted(&format!(
                "the reply describes {instance_id}, not {} that was asked about",
                self.instance_id
            )));
        }
        let e = info.endpoints;
        Ok(InstanceBaseInfo {
            instance_id,
            instance_name: text(info.instance_name.as_deref().unwrap_or_default()),
            instance_status: info.instance_status.0.unwrap_or_default(),
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
        }))
    }
}
