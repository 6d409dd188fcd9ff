//! The topic and group actions: `OnsTopicCreate`, `OnsTopicList`, `OnsTopicDelete`,
//! `OnsTopicStatus`, `OnsGroupCreate`, `OnsGroupList`, `OnsGroupDelete`.
//!
//! Replies have the service's shapes. Where Alibaba does not publish an error code (a taken
//! name, a bad name, a missing instance, topic or group), the codes are the sandbox's own
//! choice: `INSTANCE_NOT_FOUND`, `BIZ_TOPIC_EXISTED`, `BIZ_GROUP_EXISTED`,
//! `BIZ_TOPIC_NOT_FOUND`, `BIZ_GROUP_NOT_FOUND`, `BIZ_FIELD_CHECK_INVALID`, `InvalidParameter`.
//! `Group.NumLimited` is the documented one.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{Gateway, NameHolder, Refusal, SandboxInstance, refuse, unix_ms};
use crate::sandbox::resources::{
    GroupType, MESSAGE_TYPES, NameProblem, SandboxGroup, SandboxTopic, check_group_id,
    check_topic_name,
};

/// `RelationName` for `Relation` 1: the account owns the topic.
const OWNER_RELATION_NAME: &str = "持有者";
/// Least time between two answered `OnsTopicStatus` calls (its documented limit: 1 call/s).
const TOPIC_STATUS_INTERVAL: time::Duration = time::Duration::seconds(1);

type Params = BTreeMap<String, String>;

/// A required parameter, or `Missing{name}`.
fn required<'a>(
    params: &'a Params,
    name: &'static str,
    code: &'static str,
) -> Result<&'a str, Refusal> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| refuse(400, code, format!("{name} is mandatory for this action.")))
}

/// An optional filter; an empty one filters nothing.
fn filter<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The fuzzy match of the list filters: `needle` anywhere in `name`, ignoring ASCII case (a
/// superset of what the service is documented to return, so a client that matches exactly on
/// its own side is tested against the most it may receive).
fn fuzzy_match(name: &str, needle: &str) -> bool {
    name.to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

fn instance_not_found(id: &str, region: &str) -> Refusal {
    refuse(
        400,
        "INSTANCE_NOT_FOUND",
        format!("The instance {id} does not exist in {region}."),
    )
}

fn bad_name(what: &str, problem: &NameProblem) -> Refusal {
    refuse(
        400,
        "BIZ_FIELD_CHECK_INVALID",
        format!("{what} is invalid: it {problem}."),
    )
}

/// The refusal for a name the instance's namespace already holds, named for what holds it.
fn name_taken(instance: &SandboxInstance, name: &str, holder: NameHolder) -> Refusal {
    match holder {
        NameHolder::Topic => refuse(
            400,
            "BIZ_TOPIC_EXISTED",
            format!(
                "The topic {name} already exists in the instance {}; topics and groups share \
                 one namespace.",
                instance.id
            ),
        ),
        NameHolder::Group => refuse(
            400,
            "BIZ_GROUP_EXISTED",
            format!(
                "The group {name} already exists in the instance {}; topics and groups share \
                 one namespace.",
                instance.id
            ),
        ),
    }
}

fn group_type_param(params: &Params) -> Result<Option<GroupType>, Refusal> {
    filter(params, "GroupType")
        .map(|t| {
            GroupType::parse(t)
                .ok_or_else(|| refuse(400, "InvalidParameter", "GroupType must be tcp or http."))
        })
        .transpose()
}

fn topic_json(instance: &SandboxInstance, topic: &SandboxTopic, owner: &str, now_ms: i64) -> Value {
    json!({
        "Topic": topic.name,
        "MessageType": topic.message_type,
        "Relation": 1,
        "RelationName": OWNER_RELATION_NAME,
        "Owner": owner,
        "IndependentNaming": true,
        "CreateTime": topic.create_time_ms,
        "Remark": topic.remark,
        "InstanceId": instance.id,
        "ServiceStatus": topic.service_status(now_ms),
        "Tags": { "Tag": [] },
    })
}

fn group_json(instance: &SandboxInstance, group: &SandboxGroup, owner: &str) -> Value {
    json!({
        "GroupId": group.id,
        "GroupType": group.group_type.as_str(),
        "Owner": owner,
        "IndependentNaming": true,
        "Remark": group.remark,
        "CreateTime": group.create_time_ms,
        "UpdateTime": group.update_time_ms,
        "InstanceId": instance.id,
        "Tags": { "Tag": [] },
    })
}

impl Gateway {
    /// The instance `InstanceId` names in `region`, for a topic or group action.
    fn resource_instance(
        &self,
        params: &Params,
        region: &str,
    ) -> Result<&SandboxInstance, Refusal> {
        let id = required(params, "InstanceId", "MissingInstanceId")?;
        self.instances
            .iter()
            .find(|i| i.id == id && i.region == region)
            .ok_or_else(|| instance_not_found(id, region))
    }

    /// [`Self::resource_instance`], to change it.
    fn resource_instance_mut(
        &mut self,
        params: &Params,
        region: &str,
    ) -> Result<&mut SandboxInstance, Refusal> {
        let id = required(params, "InstanceId", "MissingInstanceId")?;
        self.instances
            .iter_mut()
            .find(|i| i.id == id && i.region == region)
            .ok_or_else(|| instance_not_found(id, region))
    }

    /// `OnsTopicCreate`: `Topic` by the service's rule and free in the instance's namespace,
    /// `MessageType` one of [`MESSAGE_TYPES`], `Remark` optional. The topic is being created
    /// (`ServiceStatus` 0) for the configured time, then in service.
    pub(super) fn topic_create(
        &mut self,
        params: &Params,
        region: &str,
        now: OffsetDateTime,
    ) -> Result<Value, Refusal> {
        let ready_in = i64::try_from(self.topic_ready.whole_milliseconds()).unwrap_or(i64::MAX);
        let instance = self.resource_instance_mut(params, region)?;
        let name = required(params, "Topic", "MissingTopic")?;
        check_topic_name(name).map_err(|e| bad_name("Topic", &e))?;
        let message_type = required(params, "MessageType", "MissingMessageType")?;
        let message_type = message_type
            .parse::<u8>()
            .ok()
            .filter(|t| MESSAGE_TYPES.contains(t))
            .ok_or_else(|| {
                refuse(
                    400,
                    "InvalidParameter",
                    "MessageType must be 0, 1, 2, 4 or 5.",
                )
            })?;
        if let Some(holder) = instance.name_holder(name) {
            return Err(name_taken(instance, name, holder));
        }
        instance.topics.push(SandboxTopic {
            name: name.to_owned(),
            message_type,
            remark: params.get("Remark").cloned().unwrap_or_default(),
            create_time_ms: unix_ms(now),
            ready_at_ms: unix_ms(now).saturating_add(ready_in),
        });
        Ok(json!({}))
    }

    /// `OnsTopicList`: the instance's topics; the optional `Topic` filter is fuzzy.
    pub(super) fn topic_list(
        &self,
        params: &Params,
        region: &str,
        now: OffsetDateTime,
    ) -> Result<Value, Refusal> {
        let instance = self.resource_instance(params, region)?;
        let wanted = filter(params, "Topic");
        let now_ms = unix_ms(now);
        let list: Vec<Value> = instance
            .topics
            .iter()
            .filter(|t| wanted.is_none_or(|w| fuzzy_match(&t.name, w)))
            .map(|t| topic_json(instance, t, &self.account, now_ms))
            .collect();
        Ok(json!({ "Data": { "PublishInfoDo": list } }))
    }

    /// `OnsTopicDelete`: the topic with exactly this name.
    pub(super) fn topic_delete(&mut self, params: &Params, region: &str) -> Result<Value, Refusal> {
        let instance = self.resource_instance_mut(params, region)?;
        let name = required(params, "Topic", "MissingTopic")?;
        let before = instance.topics.len();
        instance.topics.retain(|t| t.name != name);
        if instance.topics.len() == before {
            return Err(refuse(
                400,
                "BIZ_TOPIC_NOT_FOUND",
                format!(
                    "The topic {name} does not exist in the instance {}.",
                    instance.id
                ),
            ));
        }
        Ok(json!({}))
    }

    /// `OnsTopicStatus`: at most one answer a second (`Throttling.User` beyond); an empty
    /// topic's figures.
    pub(super) fn topic_status(
        &mut self,
        params: &Params,
        region: &str,
        now: OffsetDateTime,
    ) -> Result<Value, Refusal> {
        if self
            .last_topic_status
            .is_some_and(|last| (now - last).abs() < TOPIC_STATUS_INTERVAL)
        {
            return Err(refuse(
                429,
                "Throttling.User",
                "Request was denied due to user flow control.",
            ));
        }
        self.last_topic_status = Some(now);
        let instance = self.resource_instance(params, region)?;
        let name = required(params, "Topic", "MissingTopic")?;
        if !instance.topics.iter().any(|t| t.name == name) {
            return Err(refuse(
                400,
                "BIZ_TOPIC_NOT_FOUND",
                format!("The topic {name} does not exist in this instance."),
            ));
        }
        Ok(json!({ "Data": { "Perm": 6, "LastTimeStamp": 0, "TotalCount": 0 } }))
    }

    /// `OnsGroupCreate`: `GroupId` by the service's rule and free in the instance's
    /// namespace, `GroupType` `tcp` (the default) or `http`, `Remark` optional; at most the
    /// group limit per instance (`Group.NumLimited`).
    pub(super) fn group_create(
        &mut self,
        params: &Params,
        region: &str,
        now: OffsetDateTime,
    ) -> Result<Value, Refusal> {
        let limit = self.group_limit;
        let instance = self.resource_instance_mut(params, region)?;
        let id = required(params, "GroupId", "MissingGroupId")?;
        check_group_id(id).map_err(|e| bad_name("GroupId", &e))?;
        let group_type = group_type_param(params)?.unwrap_or_default();
        if let Some(holder) = instance.name_holder(id) {
            return Err(name_taken(instance, id, holder));
        }
        if instance.groups.len() >= limit {
            return Err(refuse(400, "Group.NumLimited", "group count exceed limit"));
        }
        let created = unix_ms(now);
        instance.groups.push(SandboxGroup {
            id: id.to_owned(),
            group_type,
            remark: params.get("Remark").cloned().unwrap_or_default(),
            create_time_ms: created,
            update_time_ms: created,
        });
        Ok(json!({}))
    }

    /// `OnsGroupList`: the instance's groups; the optional `GroupId` filter is fuzzy, the
    /// optional `GroupType` exact.
    pub(super) fn group_list(&self, params: &Params, region: &str) -> Result<Value, Refusal> {
        let instance = self.resource_instance(params, region)?;
        let wanted = filter(params, "GroupId");
        let kind = group_type_param(params)?;
        let list: Vec<Value> = instance
            .groups
            .iter()
            .filter(|g| wanted.is_none_or(|w| fuzzy_match(&g.id, w)))
            .filter(|g| kind.is_none_or(|k| g.group_type == k))
            .map(|g| group_json(instance, g, &self.account))
            .collect();
        Ok(json!({ "Data": { "SubscribeInfoDo": list } }))
    }

    /// `OnsGroupDelete`: the group with exactly this ID.
    pub(super) fn group_delete(&mut self, params: &Params, region: &str) -> Result<Value, Refusal> {
        let instance = self.resource_instance_mut(params, region)?;
        let id = required(params, "GroupId", "MissingGroupId")?;
        let before = instance.groups.len();
        instance.groups.retain(|g| g.id != id);
        if instance.groups.len() == before {
            return Err(refuse(
                400,
                "BIZ_GROUP_NOT_FOUND",
                format!(
                    "The group {id} does not exist in the instance {}.",
                    instance.id
                ),
            ));
        }
        Ok(json!({}))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;
    use time::OffsetDateTime;
    use time::macros::datetime;

    use super::super::{Gateway, GatewayRequest, Reply};
    use crate::sandbox::resources::{GroupType, SeedGroup, SeedTopic};
    use crate::sandbox::{Faults, SandboxKey, SeedInstance, demo_credentials};
    use crate::signing::{Method, v1};

    const T0: OffsetDateTime = datetime!(2025-03-01 08:00:00 UTC);

    fn gateway() -> Gateway {
        Gateway::new(
            vec![SandboxKey::from(&demo_credentials())],
            Faults::default(),
        )
    }

    /// A gateway holding one seeded instance in cn-hangzhou; returns its ID too.
    fn seeded(topics: &[&str], groups: &[&str]) -> (Gateway, String) {
        let mut g = gateway();
        let seed = SeedInstance {
            topics: topics.iter().map(|t| SeedTopic::named(*t)).collect(),
            groups: groups.iter().map(|g| SeedGroup::named(*g)).collect(),
            ..SeedInstance::new("legacy-orders", "cn-hangzhou")
        };
        let id = g.seed(&seed, T0);
        (g, id)
    }

    /// A signed V1 request for `action` handled at `now`.
    fn call_at(
        g: &mut Gateway,
        action: &str,
        params: &[(&str, &str)],
        now: OffsetDateTime,
    ) -> Reply {
        let signed = v1::sign(
            &v1::Request {
                method: Method::Post,
                action,
                params,
            },
            &demo_credentials(),
            now,
            &uuid::Uuid::new_v4().to_string(),
        );
        let body = v1::encode_form(&signed.params);
        g.handle(
            &GatewayRequest::from_http("POST", "/", None, body.as_bytes()),
            now,
        )
    }

    fn call(g: &mut Gateway, action: &str, params: &[(&str, &str)]) -> Reply {
        call_at(g, action, params, T0)
    }

    fn code(reply: &Reply) -> &str {
        reply.body["Code"].as_str().unwrap_or("")
    }

    fn ok(reply: &Reply) -> &Value {
        assert_eq!(reply.status, 200, "{}", reply.body);
        &reply.body
    }

    fn topics_listed(g: &mut Gateway, id: &str, filter: Option<&str>) -> Vec<String> {
        let mut params = vec![("InstanceId", id)];
        params.extend(filter.map(|f| ("Topic", f)));
        ok(&call(g, "OnsTopicList", &params))["Data"]["PublishInfoDo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["Topic"].as_str().unwrap().to_owned())
            .collect()
    }

    fn groups_listed(g: &mut Gateway, id: &str, params: &[(&str, &str)]) -> Vec<String> {
        let mut all = vec![("InstanceId", id)];
        all.extend_from_slice(params);
        ok(&call(g, "OnsGroupList", &all))["Data"]["SubscribeInfoDo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["GroupId"].as_str().unwrap().to_owned())
            .collect()
    }

    fn keys(v: &Value) -> BTreeSet<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn a_topic_is_created_listed_in_the_services_shape_and_deleted() {
        let (mut g, id) = seeded(&[], &[]);
        let reply = call(
            &mut g,
            "OnsTopicCreate",
            &[
                ("InstanceId", &id),
                ("Topic", "orders"),
                ("MessageType", "1"),
                ("Remark", "order events"),
            ],
        );
        assert_eq!(keys(ok(&reply)), BTreeSet::from(["RequestId"]));
        assert_eq!(reply.xml_root, "OnsTopicCreateResponse");

        let reply = call(&mut g, "OnsTopicList", &[("InstanceId", &id)]);
        let body = ok(&reply);
        assert_eq!(keys(body), BTreeSet::from(["Data", "RequestId"]));
        let listed = body["Data"]["PublishInfoDo"].as_array().unwrap();
        assert_eq!(listed.len(), 1);
        let t = &listed[0];
        assert_eq!(
            keys(t),
            BTreeSet::from([
                "CreateTime",
                "IndependentNaming",
                "InstanceId",
                "MessageType",
                "Owner",
                "Relation",
                "RelationName",
                "Remark",
                "ServiceStatus",
                "Tags",
                "Topic",
            ])
        );
        assert_eq!(t["Topic"], "orders");
        assert_eq!(t["MessageType"], 1);
        assert_eq!(t["Relation"], 1);
        assert_eq!(t["IndependentNaming"], true);
        assert_eq!(t["Remark"], "order events");
        assert_eq!(t["InstanceId"], id.as_str());
        assert_eq!(t["ServiceStatus"], 1, "no creating time by default");
        assert_eq!(
            t["CreateTime"].as_i64(),
            Some(T0.unix_timestamp() * 1000),
            "milliseconds, as a number"
        );
        assert_eq!(g.instance(&id).unwrap().topics.len(), 1);

        let reply = call(
            &mut g,
            "OnsTopicDelete",
            &[("InstanceId", &id), ("Topic", "orders")],
        );
        assert_eq!(keys(ok(&reply)), BTreeSet::from(["RequestId"]));
        assert!(g.instance(&id).unwrap().topics.is_empty());
        let again = call(
            &mut g,
            "OnsTopicDelete",
            &[("InstanceId", &id), ("Topic", "orders")],
        );
        assert_eq!(code(&again), "BIZ_TOPIC_NOT_FOUND");
    }

    #[test]
    fn a_group_is_created_listed_in_the_services_shape_and_deleted() {
        let (mut g, id) = seeded(&[], &[]);
        let reply = call(
            &mut g,
            "OnsGroupCreate",
            &[
                ("InstanceId", &id),
                ("GroupId", "GID_orders"),
                ("Remark", "orders"),
            ],
        );
        assert_eq!(keys(ok(&reply)), BTreeSet::from(["RequestId"]));
        let reply = call(
            &mut g,
            "OnsGroupCreate",
            &[
                ("InstanceId", &id),
                ("GroupId", "web"),
                ("GroupType", "http"),
            ],
        );
        ok(&reply);

        let reply = call(&mut g, "OnsGroupList", &[("InstanceId", &id)]);
        let listed = ok(&reply)["Data"]["SubscribeInfoDo"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(listed.len(), 2);
        let first = &listed[0];
        assert_eq!(
            keys(first),
            BTreeSet::from([
                "CreateTime",
                "GroupId",
                "GroupType",
                "IndependentNaming",
                "InstanceId",
                "Owner",
                "Remark",
                "Tags",
                "UpdateTime",
            ])
        );
        assert_eq!(first["GroupId"], "GID_orders");
        assert_eq!(first["GroupType"], "tcp", "tcp is the default");
        assert_eq!(first["Remark"], "orders");
        assert_eq!(
            first["CreateTime"].as_i64(),
            Some(T0.unix_timestamp() * 1000)
        );
        assert_eq!(listed[1]["GroupType"], "http");
        // a GroupId without the GID_ prefix is the service's to accept
        assert_eq!(listed[1]["GroupId"], "web");

        ok(&call(
            &mut g,
            "OnsGroupDelete",
            &[("InstanceId", &id), ("GroupId", "web")],
        ));
        assert_eq!(groups_listed(&mut g, &id, &[]), ["GID_orders"]);
        let again = call(
            &mut g,
            "OnsGroupDelete",
            &[("InstanceId", &id), ("GroupId", "web")],
        );
        assert_eq!(code(&again), "BIZ_GROUP_NOT_FOUND");
    }

    #[test]
    fn bad_names_types_and_missing_parameters_are_refused_and_nothing_is_stored() {
        let (mut g, id) = seeded(&[], &[]);
        // each: the action, its parameters as a query (`ID` stands for the instance's), and
        // the code it is refused with
        let long = format!("ID&GroupId={}", "x".repeat(65));
        let cases = [
            (
                "OnsTopicCreate",
                "ID&Topic=ab&MessageType=0",
                "BIZ_FIELD_CHECK_INVALID",
            ),
            (
                "OnsTopicCreate",
                "ID&Topic=GID_orders&MessageType=0",
                "BIZ_FIELD_CHECK_INVALID",
            ),
            (
                "OnsTopicCreate",
                "ID&Topic=cid-orders&MessageType=0",
                "BIZ_FIELD_CHECK_INVALID",
            ),
            (
                "OnsTopicCreate",
                "ID&Topic=or ders&MessageType=0",
                "BIZ_FIELD_CHECK_INVALID",
            ),
            (
                "OnsTopicCreate",
                "ID&Topic=orders&MessageType=3",
                "InvalidParameter",
            ),
            (
                "OnsTopicCreate",
                "ID&Topic=orders&MessageType=normal",
                "InvalidParameter",
            ),
            (
                "OnsTopicCreate",
                "ID&Topic=orders&MessageType=-1",
                "InvalidParameter",
            ),
            ("OnsTopicCreate", "ID&Topic=orders", "MissingMessageType"),
            ("OnsTopicCreate", "ID&MessageType=0", "MissingTopic"),
            (
                "OnsTopicCreate",
                "Topic=orders&MessageType=0",
                "MissingInstanceId",
            ),
            ("OnsGroupCreate", "ID&GroupId=g", "BIZ_FIELD_CHECK_INVALID"),
            (
                "OnsGroupCreate",
                "ID&GroupId=GID_a.b",
                "BIZ_FIELD_CHECK_INVALID",
            ),
            ("OnsGroupCreate", &long, "BIZ_FIELD_CHECK_INVALID"),
            (
                "OnsGroupCreate",
                "ID&GroupId=GID_x&GroupType=TCP",
                "InvalidParameter",
            ),
            ("OnsGroupCreate", "ID", "MissingGroupId"),
            ("OnsGroupCreate", "GroupId=GID_x", "MissingInstanceId"),
            ("OnsTopicList", "", "MissingInstanceId"),
            ("OnsGroupList", "ID&GroupType=mqtt", "InvalidParameter"),
            ("OnsTopicDelete", "ID", "MissingTopic"),
            ("OnsGroupDelete", "ID", "MissingGroupId"),
        ];
        for (action, query, expected) in cases {
            let params: Vec<(&str, &str)> = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p {
                    "ID" => ("InstanceId", id.as_str()),
                    p => p.split_once('=').unwrap(),
                })
                .collect();
            let reply = call(&mut g, action, &params);
            assert_eq!(reply.status, 400, "{action} {query}");
            assert_eq!(code(&reply), expected, "{action} {query}: {}", reply.body);
        }
        let instance = g.instance(&id).unwrap();
        assert!(instance.topics.is_empty() && instance.groups.is_empty());
        // the rule is said, and a refused name is not echoed
        let reply = call(
            &mut g,
            "OnsTopicCreate",
            &[
                ("InstanceId", &id),
                ("Topic", "GID_x"),
                ("MessageType", "0"),
            ],
        );
        let message = reply.body["Message"].as_str().unwrap();
        assert!(message.contains("must not start with GID"), "{message}");
        assert!(!message.contains("GID_x"), "{message}");
    }

    #[test]
    fn every_message_type_the_service_knows_is_accepted() {
        let (mut g, id) = seeded(&[], &[]);
        for (n, kind) in ["0", "1", "2", "4", "5"].into_iter().enumerate() {
            let name = format!("topic-of-type-{n}");
            ok(&call(
                &mut g,
                "OnsTopicCreate",
                &[("InstanceId", &id), ("Topic", &name), ("MessageType", kind)],
            ));
        }
        let types: Vec<u8> = g
            .instance(&id)
            .unwrap()
            .topics
            .iter()
            .map(|t| t.message_type)
            .collect();
        assert_eq!(types, [0, 1, 2, 4, 5]);
    }

    #[test]
    fn a_missing_instance_or_one_in_another_region_is_instance_not_found() {
        let (mut g, id) = seeded(&[], &[]);
        for (action, extra) in [
            (
                "OnsTopicCreate",
                vec![("Topic", "orders"), ("MessageType", "0")],
            ),
            ("OnsTopicList", vec![]),
            ("OnsTopicDelete", vec![("Topic", "orders")]),
            ("OnsGroupCreate", vec![("GroupId", "GID_orders")]),
            ("OnsGroupList", vec![]),
            ("OnsGroupDelete", vec![("GroupId", "GID_orders")]),
        ] {
            let mut params = vec![("InstanceId", "MQ_INST_1880770869020000_nothere")];
            params.extend(extra.iter().copied());
            assert_eq!(
                code(&call(&mut g, action, &params)),
                "INSTANCE_NOT_FOUND",
                "{action}"
            );
            let mut params = vec![("InstanceId", id.as_str()), ("RegionId", "cn-beijing")];
            params.extend(extra.iter().copied());
            assert_eq!(
                code(&call(&mut g, action, &params)),
                "INSTANCE_NOT_FOUND",
                "{action} elsewhere"
            );
        }
    }

    #[test]
    fn topics_and_groups_share_one_namespace() {
        let (mut g, id) = seeded(&["orders"], &["GID_orders"]);
        let create_topic = |g: &mut Gateway, name: &str| {
            call(
                g,
                "OnsTopicCreate",
                &[("InstanceId", &id), ("Topic", name), ("MessageType", "0")],
            )
        };
        let create_group = |g: &mut Gateway, name: &str| {
            call(
                g,
                "OnsGroupCreate",
                &[("InstanceId", &id), ("GroupId", name)],
            )
        };
        // the same name again, of the same kind
        assert_eq!(code(&create_topic(&mut g, "orders")), "BIZ_TOPIC_EXISTED");
        assert_eq!(
            code(&create_group(&mut g, "GID_orders")),
            "BIZ_GROUP_EXISTED"
        );
        // a group named like a topic: the code names what holds the name
        let reply = create_group(&mut g, "orders");
        assert_eq!(code(&reply), "BIZ_TOPIC_EXISTED");
        assert!(
            reply.body["Message"]
                .as_str()
                .unwrap()
                .contains("one namespace")
        );
        // a topic named like a group (a group ID need not start with GID)
        ok(&create_group(&mut g, "payments"));
        assert_eq!(code(&create_topic(&mut g, "payments")), "BIZ_GROUP_EXISTED");
        // a tcp and an http group share it too
        let reply = call(
            &mut g,
            "OnsGroupCreate",
            &[
                ("InstanceId", &id),
                ("GroupId", "GID_orders"),
                ("GroupType", "http"),
            ],
        );
        assert_eq!(code(&reply), "BIZ_GROUP_EXISTED");
        // names are compared exactly: a longer name and another case are other names
        ok(&create_topic(&mut g, "orders-v2"));
        ok(&create_topic(&mut g, "Orders"));
        ok(&create_group(&mut g, "GID_orders-v2"));
        let instance = g.instance(&id).unwrap();
        assert_eq!(instance.topics.len(), 3);
        assert_eq!(instance.groups.len(), 3);
        // the namespace is the instance's: another instance may use the name
        let other = g.seed(&SeedInstance::new("other-one", "cn-hangzhou"), T0);
        ok(&call(
            &mut g,
            "OnsTopicCreate",
            &[
                ("InstanceId", &other),
                ("Topic", "orders"),
                ("MessageType", "0"),
            ],
        ));
    }

    #[test]
    fn a_new_topic_is_being_created_for_the_configured_time() {
        let (mut g, id) = seeded(&["old-topic"], &[]);
        g.set_topic_ready(std::time::Duration::from_millis(2_500));
        ok(&call(
            &mut g,
            "OnsTopicCreate",
            &[
                ("InstanceId", &id),
                ("Topic", "orders"),
                ("MessageType", "0"),
            ],
        ));
        let status = |g: &mut Gateway, at: OffsetDateTime| -> Vec<i64> {
            ok(&call_at(g, "OnsTopicList", &[("InstanceId", &id)], at))["Data"]["PublishInfoDo"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["ServiceStatus"].as_i64().unwrap())
                .collect()
        };
        // the seeded topic is in service; the new one is being created …
        assert_eq!(status(&mut g, T0), [1, 0]);
        assert_eq!(
            status(&mut g, T0 + time::Duration::milliseconds(2_499)),
            [1, 0]
        );
        // … until its time has passed
        assert_eq!(
            status(&mut g, T0 + time::Duration::milliseconds(2_500)),
            [1, 1]
        );
        assert_eq!(g.topic_in_service(&id, "orders", T0), Some(false));
        // a test can hold it back, or let it through
        assert!(g.set_topic_in_service(&id, "orders", false));
        assert_eq!(status(&mut g, T0 + time::Duration::hours(1)), [1, 0]);
        assert!(g.set_topic_in_service(&id, "orders", true));
        assert_eq!(status(&mut g, T0 + time::Duration::hours(1)), [1, 1]);
        assert!(!g.set_topic_in_service(&id, "missing", true));
    }

    #[test]
    fn the_list_filters_are_fuzzy() {
        let (mut g, id) = seeded(
            &["orders", "orders-v2", "old-ORDERS", "payments"],
            &["GID_ABC", "xGID_ABCy", "GID_ABX"],
        );
        assert_eq!(
            topics_listed(&mut g, &id, Some("orders")),
            ["orders", "orders-v2", "old-ORDERS"]
        );
        assert_eq!(
            topics_listed(&mut g, &id, Some("")).len(),
            4,
            "an empty filter is none"
        );
        assert!(topics_listed(&mut g, &id, Some("nothing")).is_empty());
        assert_eq!(
            groups_listed(&mut g, &id, &[("GroupId", "GID_ABC")]),
            ["GID_ABC", "xGID_ABCy"]
        );
        // the group type filter is exact
        assert!(g.seed_group(
            &id,
            &SeedGroup {
                group_type: GroupType::Http,
                ..SeedGroup::named("GID_ABC-http")
            },
            T0
        ));
        assert_eq!(
            groups_listed(&mut g, &id, &[("GroupId", "ABC"), ("GroupType", "http")]),
            ["GID_ABC-http"]
        );
        assert_eq!(groups_listed(&mut g, &id, &[("GroupType", "tcp")]).len(), 3);
    }

    #[test]
    fn groups_beyond_the_limit_are_group_num_limited() {
        let (mut g, id) = seeded(&[], &["GID_a"]);
        g.set_group_limit(2);
        ok(&call(
            &mut g,
            "OnsGroupCreate",
            &[("InstanceId", &id), ("GroupId", "GID_b")],
        ));
        let reply = call(
            &mut g,
            "OnsGroupCreate",
            &[
                ("InstanceId", &id),
                ("GroupId", "GID_c"),
                ("GroupType", "http"),
            ],
        );
        assert_eq!(reply.status, 400);
        assert_eq!(code(&reply), "Group.NumLimited");
        assert_eq!(reply.body["Message"], "group count exceed limit");
        assert_eq!(g.instance(&id).unwrap().groups.len(), 2);
        // topics do not count
        ok(&call(
            &mut g,
            "OnsTopicCreate",
            &[
                ("InstanceId", &id),
                ("Topic", "orders"),
                ("MessageType", "0"),
            ],
        ));
        // the limit is per instance
        let other = g.seed(&SeedInstance::new("other-one", "cn-hangzhou"), T0);
        ok(&call(
            &mut g,
            "OnsGroupCreate",
            &[("InstanceId", &other), ("GroupId", "GID_c")],
        ));
    }

    #[test]
    fn the_default_group_limit_is_a_thousand() {
        let mut g = gateway();
        let id = g.seed(
            &SeedInstance {
                groups: SeedGroup::numbered(999),
                ..SeedInstance::new("many-groups", "cn-hangzhou")
            },
            T0,
        );
        ok(&call(
            &mut g,
            "OnsGroupCreate",
            &[("InstanceId", &id), ("GroupId", "GID_last")],
        ));
        let reply = call(
            &mut g,
            "OnsGroupCreate",
            &[("InstanceId", &id), ("GroupId", "GID_one-more")],
        );
        assert_eq!(code(&reply), "Group.NumLimited");
    }

    #[test]
    fn an_instance_with_topics_or_groups_is_not_deleted_and_its_counts_come_from_them() {
        let (mut g, id) = seeded(&["orders", "payments"], &["GID_orders"]);
        let reply = call(
            &mut g,
            "OnsInstanceInServiceList",
            &[("NeedResourceInfo", "true")],
        );
        let vo = &ok(&reply)["Data"]["InstanceVO"][0];
        assert_eq!(
            (vo["TopicCount"].as_i64(), vo["GroupCount"].as_i64()),
            (Some(2), Some(1))
        );

        let reply = call(&mut g, "OnsInstanceDelete", &[("InstanceId", &id)]);
        assert_eq!(code(&reply), "BIZ_INSTANCE_NOT_EMPTY");
        assert_eq!(
            reply.body["Message"].as_str().unwrap(),
            format!("The instance {id} still has 2 topics and 1 groups; delete them first.")
        );
        for topic in ["orders", "payments"] {
            ok(&call(
                &mut g,
                "OnsTopicDelete",
                &[("InstanceId", &id), ("Topic", topic)],
            ));
        }
        assert_eq!(
            code(&call(&mut g, "OnsInstanceDelete", &[("InstanceId", &id)])),
            "BIZ_INSTANCE_NOT_EMPTY"
        );
        ok(&call(
            &mut g,
            "OnsGroupDelete",
            &[("InstanceId", &id), ("GroupId", "GID_orders")],
        ));
        ok(&call(&mut g, "OnsInstanceDelete", &[("InstanceId", &id)]));
        assert!(g.instances().is_empty());
    }

    #[test]
    fn topic_status_answers_once_a_second() {
        let (mut g, id) = seeded(&["orders"], &[]);
        let params = [("InstanceId", id.as_str()), ("Topic", "orders")];
        let reply = call(&mut g, "OnsTopicStatus", &params);
        let data = &ok(&reply)["Data"];
        assert_eq!(
            keys(data),
            BTreeSet::from(["LastTimeStamp", "Perm", "TotalCount"])
        );
        assert_eq!(data["Perm"], 6);
        let again = call_at(
            &mut g,
            "OnsTopicStatus",
            &params,
            T0 + time::Duration::milliseconds(999),
        );
        assert_eq!(again.status, 429);
        assert_eq!(code(&again), "Throttling.User");
        let later = call_at(
            &mut g,
            "OnsTopicStatus",
            &params,
            T0 + time::Duration::seconds(1),
        );
        ok(&later);
        let missing = call_at(
            &mut g,
            "OnsTopicStatus",
            &[("InstanceId", &id), ("Topic", "nothing")],
            T0 + time::Duration::seconds(3),
        );
        assert_eq!(code(&missing), "BIZ_TOPIC_NOT_FOUND");
    }

    #[test]
    fn a_dropped_reply_does_the_work_for_the_named_action_only() {
        let (mut g, id) = seeded(&[], &[]);
        g.faults.drop_replies.insert("OnsTopicCreate".into(), 1);
        let create = |g: &mut Gateway, name: &str| {
            call(
                g,
                "OnsTopicCreate",
                &[("InstanceId", &id), ("Topic", name), ("MessageType", "0")],
            )
        };
        // a refused create is answered, and does not use the fault up
        let refused = create(&mut g, "GID_bad");
        assert!(!refused.drop);
        assert!(
            create(&mut g, "orders").drop,
            "the first success is dropped"
        );
        assert_eq!(
            g.instance(&id).unwrap().topics.len(),
            1,
            "after doing the work"
        );
        assert!(!create(&mut g, "payments").drop, "only the first");
        // other actions are answered
        let list = call(&mut g, "OnsTopicList", &[("InstanceId", &id)]);
        assert!(!list.drop);
        // any action, several times
        g.faults.drop_replies.insert("OnsGroupDelete".into(), 2);
        for group in ["GID_a", "GID_b", "GID_c"] {
            ok(&call(
                &mut g,
                "OnsGroupCreate",
                &[("InstanceId", &id), ("GroupId", group)],
            ));
        }
        let dropped: Vec<bool> = ["GID_a", "GID_b", "GID_c"]
            .iter()
            .map(|group| {
                call(
                    &mut g,
                    "OnsGroupDelete",
                    &[("InstanceId", &id), ("GroupId", group)],
                )
                .drop
            })
            .collect();
        assert_eq!(dropped, [true, true, false]);
        assert!(g.instance(&id).unwrap().groups.is_empty());
    }

    #[test]
    fn set_resource_counts_fills_numbered_names_around_the_ones_in_use() {
        let (mut g, id) = seeded(&["topic-2"], &["topic-1"]);
        assert!(g.set_resource_counts(&id, 3, 2, T0));
        let i = g.instance(&id).unwrap();
        let topics: Vec<&str> = i.topics.iter().map(|t| t.name.as_str()).collect();
        let groups: Vec<&str> = i.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(
            topics,
            ["topic-2", "topic-3", "topic-4"],
            "topic-1 is a group's"
        );
        assert_eq!(groups, ["topic-1", "GID_group-1"]);
        assert!(g.set_resource_counts(&id, 1, 0, T0));
        let i = g.instance(&id).unwrap();
        assert_eq!((i.topics.len(), i.groups.len()), (1, 0));
        assert!(!g.set_resource_counts("MQ_INST_none", 1, 1, T0));
    }

    #[test]
    fn a_seeded_name_is_not_checked_so_tests_can_list_what_the_service_never_would() {
        let (mut g, id) = seeded(&[], &[]);
        assert!(g.seed_topic(&id, &SeedTopic::named("GID_\u{1b}[31mred"), T0));
        assert_eq!(topics_listed(&mut g, &id, None), ["GID_\u{1b}[31mred"]);
        assert!(!g.seed_topic("MQ_INST_none", &SeedTopic::named("orders"), T0));
        assert!(g.remove_topic(&id, "GID_\u{1b}[31mred"));
        assert!(!g.remove_topic(&id, "GID_\u{1b}[31mred"));
    }
}
