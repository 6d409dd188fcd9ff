//! `onsdesk connect`: a ready-to-paste client config for an instance (see [`crate::connect`]),
//! with its TCP endpoint, a topic, a group and the AccessKey ID the command runs with — never
//! the secret.
//!
//! Exit codes as `create`: 0 printed; 2 refused (no endpoint of the kind asked, a named topic
//! or group that is not there, a value that cannot go into a config); 3 the service refused;
//! 4 transport failure, or a reply that cannot be used.

use super::output;
use super::output::say;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use serde_json::json;

use super::common::{CommonArgs, block_on};
use super::instances::{parse_instance_id, warn_left_out};
use super::output::{LookWords, explain, failure_code, print_json, say_step};
use super::{EXIT_UNKNOWN, refused};
use crate::api::{
    ApiError, Client, ErrorKind, GroupSummary, InstanceBaseInfo, ListOf, Listed, TopicSummary,
};
use crate::connect::{
    ClientConfig, ClientConfigInput, ConfigFormat, ConnectError, GROUP_PLACEHOLDER,
    TOPIC_PLACEHOLDER, TcpEndpointKind, pick_endpoint,
};
use crate::ids::InstanceId;
use crate::instances;
use crate::operation::{Calls, Step};
use crate::pacing::Policy;
use crate::resources::GroupType;
use crate::text::{Printable, printable_block};
use crate::topics_groups;
use crate::validation::{validate_group_id, validate_topic_name};

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The InstanceId (MQ_INST_…).
    #[arg(value_parser = parse_instance_id)]
    pub instance_id: InstanceId,
    /// The topic to send to and subscribe to [default: the instance's first topic].
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,
    /// The consumer group [default: the instance's first tcp group].
    #[arg(long, value_name = "GROUP_ID")]
    pub group: Option<String>,
    /// The client the config is for: properties (Alibaba's ons-client), spring-xml (ons-client
    /// beans), rocketmq-java (Apache RocketMQ 4.x) or go (rocketmq-client-go v2).
    #[arg(
        long,
        value_name = "FORMAT",
        default_value = "properties",
        value_parser = PossibleValuesParser::new(ConfigFormat::CLI_NAMES)
            .try_map(|s| s.parse::<ConfigFormat>())
    )]
    pub format: ConfigFormat,
    /// Use the instance's internet TCP endpoint instead of its VPC one (not every region or
    /// instance has one).
    #[arg(long)]
    pub internet: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// What the config's topic or group is, and why.
enum Choice {
    /// Named on the command line, and there.
    Named(String),
    /// Not named: the instance's first one.
    First(String),
    /// Not named, and the instance has none: a placeholder.
    Placeholder,
    /// Not named, and its list could not be read (said when it failed): a placeholder.
    Unread,
}

impl Choice {
    fn name(&self) -> Option<&str> {
        match self {
            Self::Named(n) | Self::First(n) => Some(n),
            Self::Placeholder | Self::Unread => None,
        }
    }
}

/// Runs `onsdesk connect`.
pub fn run(args: &ConnectArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    let connection = match args.common.connection() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let client = match connection.client_for(endpoint, region) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let id = &args.instance_id;
    let region = client.target().region.clone();
    let (info, topics, groups) = match block_on(read_all(&client, args.common.timing.policy(), id))
    {
        Ok(r) => r,
        Err(code) => return code,
    };
    let failed = |e: &ApiError, what: &str| {
        let error = explain(e, what);
        if e.service().is_some_and(|s| s.kind() == ErrorKind::NotFound) {
            say!(
                "onsdesk: there is no instance {id} in {region}: check the InstanceId and \
                 --region (`onsdesk instances list` shows the region's instances)"
            );
        }
        if args.common.json {
            print_json(&json!({ "error": error }));
        }
        ExitCode::from(failure_code(e))
    };
    let info = match info {
        Ok(info) => info,
        Err(e) => return failed(&e, "the instance's look-up"),
    };
    let kind = if args.internet {
        TcpEndpointKind::Internet
    } else {
        TcpEndpointKind::Vpc
    };
    let tcp = match pick_endpoint(&info.endpoints, kind) {
        Ok(e) => e,
        Err(e @ ConnectError::NoEndpoint { .. }) => {
            return refused(format_args!("{id}: {e}"));
        }
        Err(e) => {
            say!("onsdesk: {id}: {e} (check the endpoint and any proxy)");
            return ExitCode::from(EXIT_UNKNOWN);
        }
    };
    let topic = match choose_topic(args.topic.as_deref(), topics, id) {
        Ok(c) => c,
        Err(Unchosen::Refused(message)) => return refused(message),
        Err(Unchosen::Failed(e)) => return failed(&e, "the topic list"),
    };
    let group = match choose_group(args.group.as_deref(), groups, id) {
        Ok(c) => c,
        Err(Unchosen::Refused(message)) => return refused(message),
        Err(Unchosen::Failed(e)) => return failed(&e, "the group list"),
    };
    let access_key_id = &connection.resolved().credentials.access_key_id;
    let config = match ClientConfig::new(&ClientConfigInput {
        instance_id: id.as_str(),
        endpoint: tcp.as_str(),
        access_key_id,
        topic: topic.name(),
        group: group.name(),
    }) {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    say_choices(&topic, &group, id);
    if config.is_temporary_key() {
        say!(
            "onsdesk: warning: the AccessKey ID is a temporary (STS) one: a client using this \
             config stops working when its token expires; give an application a RAM user's \
             AccessKey"
        );
    }
    let text = config.render(args.format);
    if args.common.json {
        print_json(&json!({
            "InstanceId": id,
            "Region": region,
            "Format": args.format.cli_name(),
            "Network": if args.internet { "internet" } else { "vpc" },
            "Endpoint": tcp.as_str(),
            "Topic": topic.name(),
            "GroupId": group.name(),
            "AccessKeyId": access_key_id,
            "Config": text,
        }));
    } else {
        let _ = write!(output::stdout(), "{}", printable_block(&text));
    }
    ExitCode::SUCCESS
}

/// The instance's base info, topics and groups, read at once.
async fn read_all(
    client: &Client,
    policy: Policy,
    id: &InstanceId,
) -> (
    Result<InstanceBaseInfo, ApiError>,
    Result<Listed<TopicSummary>, ApiError>,
    Result<Listed<GroupSummary>, ApiError>,
) {
    let reads = LookWords::reads_only();
    let mut say = |step: &Step| say_step(step, &reads);
    let mut say_topics = |step: &Step| say_step(step, &reads);
    let mut say_groups = |step: &Step| say_step(step, &reads);
    let mut info_calls = Calls::new(client, policy, &mut say);
    let mut topic_calls = Calls::new(client, policy, &mut say_topics);
    let mut group_calls = Calls::new(client, policy, &mut say_groups);
    tokio::join!(
        instances::base_info(&mut info_calls, id),
        topics_groups::list_topics(&mut topic_calls, id),
        topics_groups::list_groups(&mut group_calls, id),
    )
}

/// Why no topic or group could be chosen.
enum Unchosen {
    /// Named, but not usable: the message for exit 2.
    Refused(String),
    /// Named, and the list could not be read.
    Failed(ApiError),
}

/// Names, comma-separated, for "what exists" (at most 20, then how many more).
fn names_of<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = names.collect();
    if all.is_empty() {
        return "none".to_owned();
    }
    let shown = all.iter().take(20).copied().collect::<Vec<_>>().join(", ");
    match all.len().checked_sub(20) {
        Some(more) if more > 0 => format!("{shown} and {more} more"),
        _ => shown,
    }
}

fn choose_topic(
    named: Option<&str>,
    listed: Result<Listed<TopicSummary>, ApiError>,
    id: &InstanceId,
) -> Result<Choice, Unchosen> {
    match (named, listed) {
        (Some(name), Ok(topics)) => {
            if topics.iter().any(|t| t.topic == name) {
                return Ok(Choice::Named(name.to_owned()));
            }
            warn_left_out(&topics, "topics", id);
            // one of the entries left out may be the topic named
            if !topics.is_whole() {
                return Err(Unchosen::Failed(ApiError::left_out(ListOf::Topics)));
            }
            Err(Unchosen::Refused(format!(
                "there is no topic {} in {id} (its topics: {}); `onsdesk topics create {id} \
                 NAME` makes one",
                Printable(name),
                names_of(topics.iter().map(|t| t.topic.as_str()))
            )))
        }
        (Some(_), Err(e)) => Err(Unchosen::Failed(e)),
        (None, Ok(topics)) => {
            // a topic left out may be the one a user would have wanted named
            warn_left_out(&topics, "topics", id);
            Ok(topics
                .iter()
                .find(|t| validate_topic_name(&t.topic).is_ok())
                .map_or(Choice::Placeholder, |t| Choice::First(t.topic.to_string())))
        }
        (None, Err(e)) => {
            say!(
                "onsdesk: warning: the topics of {id} could not be listed ({}): the config holds \
                 a placeholder",
                Printable(&e.to_string())
            );
            Ok(Choice::Unread)
        }
    }
}

fn choose_group(
    named: Option<&str>,
    listed: Result<Listed<GroupSummary>, ApiError>,
    id: &InstanceId,
) -> Result<Choice, Unchosen> {
    let tcp = |g: &GroupSummary| g.group_type.as_ref().is_none_or(|t| *t == GroupType::Tcp);
    match (named, listed) {
        (Some(name), Ok(groups)) => match groups.iter().find(|g| g.group_id == name) {
            Some(g) if tcp(g) => Ok(Choice::Named(name.to_owned())),
            Some(g) => Err(Unchosen::Refused(format!(
                "{} is a group of type {}: a TCP client needs a tcp group (`onsdesk groups create \
                 {id} GID_NAME` makes one)",
                Printable(name),
                Printable(
                    g.group_type
                        .as_ref()
                        .map_or("unknown", GroupType::as_api_str)
                )
            ))),
            None if !groups.is_whole() => {
                // one of the entries left out may be the group named
                warn_left_out(&groups, "groups", id);
                Err(Unchosen::Failed(ApiError::left_out(ListOf::Groups)))
            }
            None => {
                warn_left_out(&groups, "groups", id);
                Err(Unchosen::Refused(format!(
                    "there is no group {} in {id} (its groups: {}); `onsdesk groups create {id} \
                     GID_NAME` makes one",
                    Printable(name),
                    names_of(groups.iter().map(|g| g.group_id.as_str()))
                )))
            }
        },
        (Some(_), Err(e)) => Err(Unchosen::Failed(e)),
        (None, Ok(groups)) => {
            warn_left_out(&groups, "groups", id);
            Ok(groups
                .iter()
                .find(|g| tcp(g) && validate_group_id(&g.group_id).is_ok())
                .map_or(Choice::Placeholder, |g| {
                    Choice::First(g.group_id.to_string())
                }))
        }
        (None, Err(e)) => {
            say!(
                "onsdesk: warning: the groups of {id} could not be listed ({}): the config holds \
                 a placeholder",
                Printable(&e.to_string())
            );
            Ok(Choice::Unread)
        }
    }
}

/// Says on stderr what was chosen for the user, and what is a placeholder.
fn say_choices(topic: &Choice, group: &Choice, id: &InstanceId) {
    match topic {
        Choice::First(t) => {
            say!("onsdesk: topic: {t}, the first of {id} (--topic picks another)");
        }
        Choice::Placeholder => say!(
            "onsdesk: note: {id} has no topic to name: the config holds {TOPIC_PLACEHOLDER} \
             (`onsdesk topics create {id} NAME` makes one)"
        ),
        Choice::Named(_) | Choice::Unread => {}
    }
    match group {
        Choice::First(g) => {
            say!("onsdesk: group: {g}, the first tcp group of {id} (--group picks another)");
        }
        Choice::Placeholder => say!(
            "onsdesk: note: {id} has no tcp group to name: the config holds {GROUP_PLACEHOLDER} \
             (`onsdesk groups create {id} GID_NAME` makes one)"
        ),
        Choice::Named(_) | Choice::Unread => {}
    }
}
