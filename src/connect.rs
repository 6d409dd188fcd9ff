//! The client config: what an application needs to reach an instance over TCP, as text ready
//! to paste, in the format its client reads (`onsdesk connect`, and the window's "Copy client
//! config").
//!
//! **The secret never appears.** [`ClientConfigInput`] has no field that could hold the
//! AccessKey secret: it takes the AccessKey ID only, and every format reads the secret from the
//! environment variable [`SECRET_ENV_VAR`] (`${…}` in properties and Spring XML,
//! `System.getenv` in Java, `os.Getenv` in Go).
//!
//! **Every value is checked, then escaped.** The endpoint comes from a reply (which may be
//! hostile): it must be `http(s)://host[:port]` with a strict host alphabet. The instance ID,
//! the AccessKey ID, the topic and the group are checked against their formats. What passes
//! is still escaped for the format it lands in (java.util.Properties escapes, XML entities,
//! Java and Go string escapes), so no value can end a string, open a tag, start a placeholder
//! or add a line.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use crate::ids::InstanceId;
use crate::validation::{GroupIdError, TopicNameError, validate_group_id, validate_topic_name};

/// The environment variable every config reads the AccessKey secret from: onsdesk's own and
/// the official SDKs' name.
pub const SECRET_ENV_VAR: &str = crate::credentials::ENV_ACCESS_KEY_SECRET;

/// Written where no topic was chosen.
pub const TOPIC_PLACEHOLDER: &str = "REPLACE_WITH_TOPIC";
/// Written where no group was chosen.
pub const GROUP_PLACEHOLDER: &str = "REPLACE_WITH_GROUP_ID";

/// Most characters an endpoint may have (a host name has at most 253, plus scheme and port).
pub const ENDPOINT_MAX_CHARS: usize = 270;
/// Most characters an AccessKey ID may have.
pub const ACCESS_KEY_ID_MAX_CHARS: usize = 128;

/// What a client config is made of. There is deliberately no field for the AccessKey secret
/// or an STS token: a config never holds one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfigInput<'a> {
    /// The instance ID; on namespaced instances (the normal case) it is the open-source
    /// clients' namespace.
    pub instance_id: &'a str,
    /// The instance's TCP endpoint as the service gave it (`TcpEndpoint` or
    /// `TcpInternetEndpoint`), `http://` included: 4.x clients expect it.
    pub endpoint: &'a str,
    /// The AccessKey ID (not the secret).
    pub access_key_id: &'a str,
    /// The topic to send to and subscribe to; a placeholder when `None`.
    pub topic: Option<&'a str>,
    /// The group (consumer group) ID; a placeholder when `None`.
    pub group: Option<&'a str>,
}

/// Which of an instance's TCP endpoints a client uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TcpEndpointKind {
    /// `TcpEndpoint`: from inside the instance's VPC.
    #[default]
    Vpc,
    /// `TcpInternetEndpoint`: over the internet (only some regions and instances have one).
    Internet,
}

/// The endpoint of `kind` from an instance's `OnsInstanceBaseInfo`, checked; refused with
/// [`ConnectError::NoEndpoint`] where the instance has none (an absent or blank value).
pub fn pick_endpoint(
    endpoints: &crate::api::InstanceEndpoints,
    kind: TcpEndpointKind,
) -> Result<TcpEndpoint, ConnectError> {
    let value = match kind {
        TcpEndpointKind::Vpc => endpoints.tcp.as_deref(),
        TcpEndpointKind::Internet => endpoints.tcp_internet.as_deref(),
    };
    match value {
        Some(v) if !v.trim().is_empty() => TcpEndpoint::parse(v).map_err(ConnectError::Endpoint),
        _ => Err(ConnectError::NoEndpoint { kind }),
    }
}

/// A TCP endpoint that is exactly `http://host[:port]` or `https://host[:port]`: host labels
/// of ASCII letters, digits, `-` and `_` (real endpoints hold the instance ID, underscores
/// included) joined by single dots; a port of 1 to 65535. Nothing else: no user info, path,
/// query, space, quote, `<`, `$` or line break can pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpEndpoint(String);

impl TcpEndpoint {
    /// Checks an endpoint as the service sent it.
    pub fn parse(s: &str) -> Result<Self, BadEndpoint> {
        let chars = s.chars().count();
        if chars == 0 {
            return Err(BadEndpoint::Empty);
        }
        if chars > ENDPOINT_MAX_CHARS {
            return Err(BadEndpoint::TooLong { chars });
        }
        let Some(rest_at) = ["http://", "https://"]
            .into_iter()
            .find(|scheme| s.starts_with(scheme))
            .map(str::len)
        else {
            return Err(BadEndpoint::Scheme);
        };
        let rest = s.get(rest_at..).unwrap_or_default();
        let (host, port) = match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        // The first character that does not belong where it stands, counted in the whole
        // endpoint (1-based), as the name rules count.
        let first_bad = |part: &str, allowed: fn(char) -> bool| {
            part.chars().enumerate().find(|(_, c)| !allowed(*c))
        };
        if let Some((i, ch)) = first_bad(host, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
        }) {
            return Err(BadEndpoint::BadChar {
                ch,
                position: rest_at + i + 1,
            });
        }
        if host.is_empty()
            || host.len() > 253
            || host.split('.').any(|l| l.is_empty() || l.len() > 63)
        {
            return Err(BadEndpoint::Host);
        }
        if let Some(port) = port {
            let port_at = rest_at + host.len() + 1;
            if let Some((i, ch)) = first_bad(port, |c| c.is_ascii_digit()) {
                return Err(BadEndpoint::BadChar {
                    ch,
                    position: port_at + i + 1,
                });
            }
            let number = if port.len() <= 5 {
                port.parse::<u32>().ok()
            } else {
                None
            };
            if !number.is_some_and(|n| (1..=65535).contains(&n)) {
                return Err(BadEndpoint::Port);
            }
        }
        Ok(Self(s.to_owned()))
    }

    /// The endpoint, exactly as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TcpEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an endpoint cannot go into a client config. The endpoint itself is never repeated (it
/// may be hostile); a refused character is named by [`crate::validation::write_char_label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadEndpoint {
    /// No characters.
    Empty,
    /// More than [`ENDPOINT_MAX_CHARS`] characters.
    TooLong { chars: usize },
    /// It does not start with `http://` or `https://`.
    Scheme,
    /// A character that is not allowed where it stands (1-based position in the endpoint).
    BadChar { ch: char, position: usize },
    /// The host is empty, has an empty part (`a..b`, a leading or trailing dot) or is too long.
    Host,
    /// The port is empty, or not a number from 1 to 65535.
    Port,
}

impl fmt::Display for BadEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty."),
            Self::TooLong { chars } => write!(
                f,
                "it has {chars} characters; at most {ENDPOINT_MAX_CHARS} are expected."
            ),
            Self::Scheme => f.write_str("it does not start with http:// or https://."),
            Self::BadChar { ch, position } => {
                write!(f, "character {position} ")?;
                crate::validation::write_char_label(f, *ch)?;
                f.write_str(" is not allowed; an endpoint is http://host:port.")
            }
            Self::Host => f.write_str("its host name is empty or has an empty part."),
            Self::Port => f.write_str("its port is not a number from 1 to 65535."),
        }
    }
}

/// Why an AccessKey ID cannot go into a client config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadAccessKeyId {
    /// No characters.
    Empty,
    /// More than [`ACCESS_KEY_ID_MAX_CHARS`] characters.
    TooLong { chars: usize },
    /// The first character that is not an ASCII letter, digit, `.`, `-` or `_` (1-based).
    BadChar { position: usize },
}

/// Why no client config can be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// The instance has no endpoint of this kind (many have no internet endpoint).
    #[error("{}", no_endpoint_message(*kind))]
    NoEndpoint { kind: TcpEndpointKind },
    /// The endpoint the service returned is not `http(s)://host[:port]`.
    #[error("The TCP endpoint the service returned cannot be used: {0}")]
    Endpoint(BadEndpoint),
    /// The instance ID does not have an instance ID's format.
    #[error("The instance ID is not valid: 1 to 64 letters, digits, '-' or '_' are expected.")]
    InstanceId,
    /// The AccessKey ID does not have an AccessKey ID's format.
    #[error("{}", access_key_message(*.0))]
    AccessKeyId(BadAccessKeyId),
    /// The topic is not a valid topic name.
    #[error("The topic cannot be used: {0}")]
    Topic(TopicNameError),
    /// The group is not a valid group ID.
    #[error("The group cannot be used: {0}")]
    Group(GroupIdError),
}

fn no_endpoint_message(kind: TcpEndpointKind) -> &'static str {
    match kind {
        TcpEndpointKind::Vpc => "The instance has no VPC TCP endpoint (TcpEndpoint).",
        TcpEndpointKind::Internet => {
            "The instance has no internet TCP endpoint (TcpInternetEndpoint): not every region or instance offers one. Use the VPC endpoint from inside the VPC."
        }
    }
}

fn access_key_message(problem: BadAccessKeyId) -> String {
    match problem {
        BadAccessKeyId::Empty => "The AccessKey ID is empty.".to_owned(),
        BadAccessKeyId::TooLong { chars } => format!(
            "The AccessKey ID has {chars} characters; at most {ACCESS_KEY_ID_MAX_CHARS} are expected."
        ),
        BadAccessKeyId::BadChar { position } => format!(
            "Character {position} of the AccessKey ID is not allowed: letters, digits, '.', '-' and '_' are expected."
        ),
    }
}

fn check_access_key_id(id: &str) -> Result<(), BadAccessKeyId> {
    if let Some(i) = id
        .chars()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(BadAccessKeyId::BadChar { position: i + 1 });
    }
    match id.len() {
        0 => Err(BadAccessKeyId::Empty),
        n if n > ACCESS_KEY_ID_MAX_CHARS => Err(BadAccessKeyId::TooLong { chars: n }),
        _ => Ok(()),
    }
}

/// The formats a client config is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConfigFormat {
    /// Alibaba's ons-client (`java.util.Properties` keys of `PropertyKeyConst`).
    #[default]
    Properties,
    /// ons-client's `ProducerBean` and `ConsumerBean` in a Spring XML file.
    SpringXml,
    /// The Apache RocketMQ 4.x Java client.
    RocketmqJava,
    /// The Apache RocketMQ Go client v2 (`rocketmq-client-go`).
    Go,
}

impl ConfigFormat {
    /// Every format, in the order a selector shows them.
    pub const ALL: [Self; 4] = [
        Self::Properties,
        Self::SpringXml,
        Self::RocketmqJava,
        Self::Go,
    ];

    /// The command line's names of [`Self::ALL`] (`--format`), in the same order.
    pub const CLI_NAMES: [&'static str; 4] = ["properties", "spring-xml", "rocketmq-java", "go"];

    /// The command line's name.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::Properties => "properties",
            Self::SpringXml => "spring-xml",
            Self::RocketmqJava => "rocketmq-java",
            Self::Go => "go",
        }
    }

    /// The name a selector shows: product names, the same in every language.
    pub fn label(self) -> &'static str {
        match self {
            Self::Properties => "ons-client .properties",
            Self::SpringXml => "ons-client Spring XML",
            Self::RocketmqJava => "Apache RocketMQ Java 4.x",
            Self::Go => "Go (rocketmq-client-go v2)",
        }
    }
}

impl fmt::Display for ConfigFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// A format name that is not one of [`ConfigFormat::CLI_NAMES`]. The name given is not
/// repeated: the command line shows its own argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Unknown format; use properties, spring-xml, rocketmq-java or go.")]
pub struct UnknownFormat;

impl FromStr for ConfigFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.cli_name() == s)
            .ok_or(UnknownFormat)
    }
}

/// A checked client config, ready to be written in any [`ConfigFormat`].
#[derive(Clone, PartialEq, Eq)]
pub struct ClientConfig {
    instance_id: String,
    endpoint: TcpEndpoint,
    access_key_id: String,
    topic: Option<String>,
    group: Option<String>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("instance_id", &self.instance_id)
            .field("endpoint", &self.endpoint)
            .field(
                "access_key_id",
                &crate::credentials::mask_id(&self.access_key_id),
            )
            .field("topic", &self.topic)
            .field("group", &self.group)
            .finish()
    }
}

impl ClientConfig {
    /// Checks every value: the endpoint ([`TcpEndpoint::parse`]), the instance ID's format,
    /// the AccessKey ID's alphabet, the topic ([`validate_topic_name`]) and the group
    /// ([`validate_group_id`]; a group without the `GID_` prefix is fine here: it exists).
    pub fn new(input: &ClientConfigInput<'_>) -> Result<Self, ConnectError> {
        if !InstanceId::is_valid(input.instance_id) {
            return Err(ConnectError::InstanceId);
        }
        let endpoint = TcpEndpoint::parse(input.endpoint).map_err(ConnectError::Endpoint)?;
        check_access_key_id(input.access_key_id).map_err(ConnectError::AccessKeyId)?;
        if let Some(topic) = input.topic {
            validate_topic_name(topic).map_err(ConnectError::Topic)?;
        }
        if let Some(group) = input.group {
            validate_group_id(group).map_err(ConnectError::Group)?;
        }
        Ok(Self {
            instance_id: input.instance_id.to_owned(),
            endpoint,
            access_key_id: input.access_key_id.to_owned(),
            topic: input.topic.map(str::to_owned),
            group: input.group.map(str::to_owned),
        })
    }

    /// The endpoint the config names.
    pub fn endpoint(&self) -> &TcpEndpoint {
        &self.endpoint
    }

    /// True when the AccessKey ID is an STS one (`STS.…`): a config made with it stops working
    /// when the token expires, and these formats have no place for the token.
    pub fn is_temporary_key(&self) -> bool {
        self.access_key_id.starts_with("STS.")
    }

    /// The config as text in `format`, ending with a newline.
    pub fn render(&self, format: ConfigFormat) -> String {
        match format {
            ConfigFormat::Properties => self.properties(),
            ConfigFormat::SpringXml => self.spring_xml(),
            ConfigFormat::RocketmqJava => self.rocketmq_java(),
            ConfigFormat::Go => self.go(),
        }
    }

    fn topic(&self) -> &str {
        self.topic.as_deref().unwrap_or(TOPIC_PLACEHOLDER)
    }

    fn group(&self) -> &str {
        self.group.as_deref().unwrap_or(GROUP_PLACEHOLDER)
    }

    /// A sentence naming what is a placeholder, if anything.
    fn placeholder_note(&self) -> Option<String> {
        match (&self.topic, &self.group) {
            (Some(_), Some(_)) => None,
            (None, Some(_)) => Some(format!(
                "No topic was chosen: replace {TOPIC_PLACEHOLDER} with yours."
            )),
            (Some(_), None) => Some(format!(
                "No group was chosen: replace {GROUP_PLACEHOLDER} with yours."
            )),
            (None, None) => Some(format!(
                "No topic or group was chosen: replace {TOPIC_PLACEHOLDER} and {GROUP_PLACEHOLDER} with yours."
            )),
        }
    }

    fn properties(&self) -> String {
        let comment = |text: &str| format!("# {}\n", properties_comment(text));
        let mut out = String::new();
        out.push_str(&comment(&format!(
            "Alibaba Cloud ons-client settings for the instance {}, made by onsdesk.",
            self.instance_id
        )));
        out.push_str(&comment(&format!(
            "The AccessKey secret is not in this file: SecretKey names the environment variable {SECRET_ENV_VAR}."
        )));
        out.push_str(&comment(
            "Spring Boot fills in ${...} from the environment; with plain java.util.Properties, set it in code:",
        ));
        out.push_str(&comment(&format!(
            "  properties.put(PropertyKeyConst.SecretKey, System.getenv(\"{SECRET_ENV_VAR}\"));"
        )));
        if let Some(note) = self.placeholder_note() {
            out.push_str(&comment(&note));
        }
        let mut pair = |key: &str, value: &str| {
            let _ = writeln!(out, "{key}={}", properties_value(value));
        };
        pair("NAMESRV_ADDR", self.endpoint.as_str());
        pair("AccessKey", &self.access_key_id);
        pair("SecretKey", &format!("${{{SECRET_ENV_VAR}}}"));
        pair("GROUP_ID", self.group());
        out.push_str(&comment(
            "The topic to send to and subscribe to: read by your code, not by ons-client.",
        ));
        let _ = writeln!(out, "TOPIC={}", properties_value(self.topic()));
        out
    }

    fn spring_xml(&self) -> String {
        let props = |indent: &str| {
            let mut p = String::new();
            for (key, value) in [
                ("NAMESRV_ADDR", self.endpoint.as_str()),
                ("AccessKey", &self.access_key_id),
                ("SecretKey", &format!("${{{SECRET_ENV_VAR}}}")),
                ("GROUP_ID", self.group()),
            ] {
                let _ = writeln!(
                    p,
                    "{indent}<prop key=\"{key}\">{}</prop>",
                    xml_escape(value)
                );
            }
            p
        };
        let mut description = format!(
            "Alibaba Cloud ons-client beans for the instance {}, made by onsdesk. The AccessKey secret is read from the environment variable {SECRET_ENV_VAR} (resolved by the property placeholder). The listener class is yours: it implements com.aliyun.openservices.ons.api.MessageListener.",
            self.instance_id
        );
        if let Some(note) = self.placeholder_note() {
            description.push(' ');
            description.push_str(&note);
        }
        let inner = "                ";
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<beans xmlns="http://www.springframework.org/schema/beans"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xmlns:context="http://www.springframework.org/schema/context"
       xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd http://www.springframework.org/schema/context http://www.springframework.org/schema/context/spring-context.xsd">
    <description>{description}</description>
    <context:property-placeholder/>

    <bean id="producer" class="com.aliyun.openservices.ons.api.bean.ProducerBean" init-method="start" destroy-method="shutdown">
        <property name="properties">
            <props>
{producer_props}            </props>
        </property>
    </bean>

    <bean id="messageListener" class="com.example.YourMessageListener"/>

    <bean id="consumer" class="com.aliyun.openservices.ons.api.bean.ConsumerBean" init-method="start" destroy-method="shutdown">
        <property name="properties">
            <props>
{consumer_props}            </props>
        </property>
        <property name="subscriptionTable">
            <map>
                <entry value-ref="messageListener">
                    <key>
                        <bean class="com.aliyun.openservices.ons.api.bean.Subscription">
                            <property name="topic" value="{topic}"/>
                            <property name="expression" value="*"/>
                        </bean>
                    </key>
                </entry>
            </map>
        </property>
    </bean>
</beans>
"#,
            description = xml_escape(&description),
            producer_props = props(inner),
            consumer_props = props(inner),
            topic = xml_escape(self.topic()),
        )
    }

    fn rocketmq_java(&self) -> String {
        let s = java_string;
        let mut header = format!(
            "// Apache RocketMQ 4.x Java client for the ApsaraMQ for RocketMQ instance {}, made by onsdesk.\n\
             // Needs org.apache.rocketmq:rocketmq-client and rocketmq-acl (4.x). The AccessKey secret is\n\
             // read from the environment variable {SECRET_ENV_VAR}, never written here.\n",
            self.instance_id
        );
        if let Some(note) = self.placeholder_note() {
            let _ = writeln!(header, "// {note}");
        }
        format!(
            r#"{header}
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.AccessChannel;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.remoting.RPCHook;

public class OnsClients {{
    /** The topic to send to: {{@code new Message(OnsClients.TOPIC, "tag", body)}}. */
    public static final String TOPIC = {topic};

    static RPCHook aclHook() {{
        return new AclClientRPCHook(new SessionCredentials({access_key_id}, System.getenv({env})));
    }}

    public static DefaultMQProducer producer() {{
        DefaultMQProducer producer = new DefaultMQProducer({group}, aclHook());
        producer.setNamespace({namespace});
        producer.setAccessChannel(AccessChannel.CLOUD);
        producer.setNamesrvAddr({endpoint});
        return producer;
    }}

    public static DefaultMQPushConsumer consumer(MessageListenerConcurrently listener) throws MQClientException {{
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer({group}, aclHook(), new AllocateMessageQueueAveragely());
        consumer.setNamespace({namespace});
        consumer.setAccessChannel(AccessChannel.CLOUD);
        consumer.setNamesrvAddr({endpoint});
        consumer.subscribe(TOPIC, "*");
        consumer.registerMessageListener(listener);
        return consumer;
    }}
}}
"#,
            topic = s(self.topic()),
            access_key_id = s(&self.access_key_id),
            env = s(SECRET_ENV_VAR),
            group = s(self.group()),
            namespace = s(&self.instance_id),
            endpoint = s(self.endpoint.as_str()),
        )
    }

    fn go(&self) -> String {
        let s = go_string;
        let mut header = format!(
            "// Apache RocketMQ Go client v2 for the ApsaraMQ for RocketMQ instance {}, made by onsdesk.\n\
             // The AccessKey secret is read from the environment variable {SECRET_ENV_VAR}, never written here.\n",
            self.instance_id
        );
        if let Some(note) = self.placeholder_note() {
            let _ = writeln!(header, "// {note}");
        }
        format!(
            r#"{header}
package onsclient

import (
	"context"
	"os"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

// Topic is the topic to send to and subscribe to.
const Topic = {topic}

var credentials = primitive.Credentials{{
	AccessKey: {access_key_id},
	SecretKey: os.Getenv({env}),
}}

// NewProducer makes a producer; call Start before sending to Topic.
func NewProducer() (rocketmq.Producer, error) {{
	return rocketmq.NewProducer(
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{{{endpoint}}})),
		producer.WithCredentials(credentials),
		producer.WithGroupName({group}),
		producer.WithNamespace({namespace}),
	)
}}

// NewConsumer makes a push consumer subscribed to every message of Topic; call Start.
func NewConsumer(handle func(context.Context, ...*primitive.MessageExt) (consumer.ConsumeResult, error)) (rocketmq.PushConsumer, error) {{
	c, err := rocketmq.NewPushConsumer(
		consumer.WithNsResolver(primitive.NewPassthroughResolver([]string{{{endpoint}}})),
		consumer.WithCredentials(credentials),
		consumer.WithGroupName({group}),
		consumer.WithNamespace({namespace}),
	)
	if err != nil {{
		return nil, err
	}}
	if err := c.Subscribe(Topic, consumer.MessageSelector{{Type: consumer.TAG, Expression: "*"}}, handle); err != nil {{
		return nil, err
	}}
	return c, nil
}}
"#,
            topic = s(self.topic()),
            access_key_id = s(&self.access_key_id),
            env = s(SECRET_ENV_VAR),
            endpoint = s(self.endpoint.as_str()),
            group = s(self.group()),
            namespace = s(&self.instance_id),
        )
    }
}

/// A value for `java.util.Properties.load`: backslashes, line breaks, tabs and form feeds
/// escaped, leading spaces kept (`\ `), and every character outside printable ASCII written
/// as `\uXXXX` (UTF-16), since `load(InputStream)` reads ISO-8859-1.
pub fn properties_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut leading = true;
    for c in s.chars() {
        match c {
            ' ' if leading => out.push_str("\\ "),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => push_utf16_escapes(&mut out, c),
        }
        leading = leading && c == ' ';
    }
    out
}

/// Comment text for a properties file: one line whatever it holds (anything outside
/// printable ASCII is written as `\uXXXX`).
fn properties_comment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' '..='~' => out.push(c),
            _ => push_utf16_escapes(&mut out, c),
        }
    }
    out
}

fn push_utf16_escapes(out: &mut String, c: char) {
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        let _ = write!(out, "\\u{unit:04X}");
    }
}

/// Text for an XML element or a quoted attribute: the five markup characters as entities,
/// tab, line feed and carriage return as character references (kept in attributes too), and
/// any character XML 1.0 forbids (other control characters, U+FFFE, U+FFFF) as U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A Java string literal, quotes included. Only printable ASCII is written as itself; quote,
/// backslash and control characters use Java's simple or octal escapes (never `\u`, which Java
/// decodes before it reads the string, so `\u0022` would end it), and other characters `\uXXXX`.
pub fn java_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\{:03o}", u32::from(c));
            }
            _ => push_utf16_escapes(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// A Go interpreted string literal, quotes included. Only printable ASCII is written as
/// itself; quote, backslash and control characters are escaped, other characters `\uXXXX`
/// or `\UXXXXXXXX`.
pub fn go_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if u32::from(c) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08x}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const INSTANCE: &str = "MQ_INST_1880770869020000_BXSuW61e";
    const ENDPOINT: &str =
        "http://MQ_INST_1880770869020000_BXSuW61e.cn-hangzhou.mq-internal.aliyuncs.com:8080";
    const AK: &str = "ExampleKeyId0001";

    fn input<'a>(topic: Option<&'a str>, group: Option<&'a str>) -> ClientConfigInput<'a> {
        ClientConfigInput {
            instance_id: INSTANCE,
            endpoint: ENDPOINT,
            access_key_id: AK,
            topic,
            group,
        }
    }

    fn config(topic: Option<&str>, group: Option<&str>) -> ClientConfig {
        ClientConfig::new(&input(topic, group)).unwrap()
    }

    fn full() -> ClientConfig {
        config(Some("orders"), Some("GID_orders"))
    }

    /// Reads a properties file as `java.util.Properties.load(Reader)` does (its Javadoc is
    /// the specification): natural lines; a comment line (first non-blank `#` or `!`) is
    /// ignored whole, even when it ends in a backslash; an odd run of backslashes at the end
    /// of any other line joins the next one, whose leading blanks are dropped; the key ends at
    /// the first unescaped `=`, `:` or blank, then blanks, one `=` or `:`, and blanks are
    /// skipped; escapes are `\t` `\n` `\r` `\f` `\uXXXX` (UTF-16 units, so surrogate pairs
    /// make one character), and a backslash before any other character stands for it.
    fn properties_of(text: &str) -> HashMap<String, String> {
        fn is_blank(c: char) -> bool {
            matches!(c, ' ' | '\t' | '\u{c}')
        }
        fn ends_in_odd_backslashes(line: &str) -> bool {
            line.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1
        }
        fn unescape(s: &str) -> String {
            let mut units: Vec<u16> = Vec::new();
            let mut chars = s.chars();
            while let Some(c) = chars.next() {
                let c = if c == '\\' {
                    match chars.next() {
                        Some('t') => '\t',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('f') => '\u{c}',
                        Some('u') => {
                            let hex: String = chars.by_ref().take(4).collect();
                            units.push(u16::from_str_radix(&hex, 16).expect("malformed \\uXXXX"));
                            continue;
                        }
                        Some(other) => other,
                        None => break,
                    }
                } else {
                    c
                };
                units.extend(c.encode_utf16(&mut [0; 2]).iter());
            }
            String::from_utf16(&units).expect("unpaired surrogate")
        }
        let mut map = HashMap::new();
        let text = text.replace("\r\n", "\n");
        let mut lines = text.split(['\n', '\r']).peekable();
        while let Some(natural) = lines.next() {
            let natural = natural.trim_start_matches(is_blank);
            if natural.is_empty() || natural.starts_with(['#', '!']) {
                continue;
            }
            let mut logical = natural.to_owned();
            while ends_in_odd_backslashes(&logical) {
                logical.pop();
                match lines.next() {
                    Some(next) => logical.push_str(next.trim_start_matches(is_blank)),
                    None => break,
                }
            }
            // The key: up to the first unescaped separator.
            let mut key_end = logical.len();
            let mut escaped = false;
            for (i, c) in logical.char_indices() {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '=' || c == ':' || is_blank(c) {
                    key_end = i;
                    break;
                }
            }
            let (key, rest) = logical.split_at(key_end);
            let rest = rest.trim_start_matches(is_blank);
            let rest = rest.strip_prefix(['=', ':']).unwrap_or(rest);
            let value = rest.trim_start_matches(is_blank);
            map.insert(unescape(key), unescape(value));
        }
        map
    }

    #[test]
    fn the_properties_reader_follows_the_javadoc_examples() {
        // The examples of `Properties.load(Reader)`'s documentation.
        for text in [
            "Truth = Beautiful\n",
            "  Truth:Beautiful\n",
            "Truth                    :Beautiful\n",
        ] {
            assert_eq!(properties_of(text)["Truth"], "Beautiful");
        }
        let fruits = "fruits                           apple, banana, pear, \\\n                                  cantaloupe, watermelon, \\\n                                  kiwi, mango\n";
        assert_eq!(
            properties_of(fruits)["fruits"],
            "apple, banana, pear, cantaloupe, watermelon, kiwi, mango"
        );
        assert_eq!(properties_of("cheeses\n")["cheeses"], "");
        assert_eq!(properties_of("\\:\\=a\\ b=c")[":=a b"], "c");
        // A comment that ends in a backslash does not join the next line.
        assert_eq!(properties_of("# note \\\nk=v\n")["k"], "v");
        assert_eq!(properties_of("k=\\uD83D\\uDE00\\u8BA2")["k"], "😀订");
        assert_eq!(properties_of("k=a\\\\\nx=y").len(), 2);
    }

    #[test]
    fn properties_read_back_with_java_semantics() {
        let text = full().render(ConfigFormat::Properties);
        let expected: HashMap<String, String> = [
            ("NAMESRV_ADDR", ENDPOINT),
            ("AccessKey", AK),
            ("SecretKey", "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}"),
            ("GROUP_ID", "GID_orders"),
            ("TOPIC", "orders"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(properties_of(&text), expected, "{text}");
        assert!(text.starts_with("# Alibaba Cloud ons-client settings for the instance MQ_INST_1880770869020000_BXSuW61e"), "{text}");
        assert!(text.is_ascii(), "{text}");
    }

    /// The `<prop key=…>` values of the bean with `id`.
    fn bean_props(doc: &roxmltree::Document<'_>, id: &str) -> HashMap<String, String> {
        let bean = doc
            .descendants()
            .find(|n| n.has_tag_name("bean") && n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("no bean {id}"));
        bean.descendants()
            .filter(|n| n.has_tag_name("prop"))
            .map(|n| {
                (
                    n.attribute("key").unwrap().to_owned(),
                    n.text().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn spring_xml_parses_and_names_every_value() {
        let text = full().render(ConfigFormat::SpringXml);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let expected: HashMap<String, String> = [
            ("NAMESRV_ADDR", ENDPOINT),
            ("AccessKey", AK),
            ("SecretKey", "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}"),
            ("GROUP_ID", "GID_orders"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(bean_props(&doc, "producer"), expected);
        assert_eq!(bean_props(&doc, "consumer"), expected);
        let class = |id: &str| {
            doc.descendants()
                .find(|n| n.attribute("id") == Some(id))
                .and_then(|n| n.attribute("class"))
        };
        assert_eq!(
            class("producer"),
            Some("com.aliyun.openservices.ons.api.bean.ProducerBean")
        );
        assert_eq!(
            class("consumer"),
            Some("com.aliyun.openservices.ons.api.bean.ConsumerBean")
        );
        // The subscription: the topic with the expression `*`.
        let subscription = doc
            .descendants()
            .find(|n| {
                n.attribute("class") == Some("com.aliyun.openservices.ons.api.bean.Subscription")
            })
            .unwrap();
        let property = |name: &str| {
            subscription
                .children()
                .find(|n| n.attribute("name") == Some(name))
                .and_then(|n| n.attribute("value"))
        };
        assert_eq!(property("topic"), Some("orders"));
        assert_eq!(property("expression"), Some("*"));
        let description = doc
            .descendants()
            .find(|n| n.has_tag_name("description"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(description.contains(INSTANCE), "{description}");
        assert!(description.contains(SECRET_ENV_VAR), "{description}");
    }

    /// Checks that `(`, `[` and `{` close in order outside string literals and comments (a
    /// C-family source that a stray quote or line break broke would not).
    fn assert_balanced(source: &str) {
        let mut stack = Vec::new();
        let mut chars = source.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => loop {
                    match chars.next() {
                        Some('\\') => {
                            chars.next();
                        }
                        Some('"') => break,
                        Some('\n') | None => panic!("unterminated string in\n{source}"),
                        Some(_) => {}
                    }
                },
                '/' if chars.peek() == Some(&'/') => {
                    for c in chars.by_ref() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '(' | '[' | '{' => stack.push(c),
                ')' | ']' | '}' => {
                    let open = stack.pop();
                    let expected = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    assert_eq!(open, Some(expected), "unbalanced {c} in\n{source}");
                }
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed {stack:?} in\n{source}");
    }

    fn assert_lines(source: &str, lines: &[String]) {
        for line in lines {
            assert!(
                source.lines().any(|l| l.trim() == line),
                "missing line {line:?} in\n{source}"
            );
        }
    }

    #[test]
    fn java_names_every_value_in_the_right_call() {
        let java = full().render(ConfigFormat::RocketmqJava);
        assert_balanced(&java);
        let q = |s: &str| format!("\"{s}\"");
        assert_lines(
            &java,
            &[
                format!(
                    "return new AclClientRPCHook(new SessionCredentials({}, System.getenv({})));",
                    q(AK),
                    q("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
                ),
                format!(
                    "DefaultMQProducer producer = new DefaultMQProducer({}, aclHook());",
                    q("GID_orders")
                ),
                format!("producer.setNamespace({});", q(INSTANCE)),
                "producer.setAccessChannel(AccessChannel.CLOUD);".to_owned(),
                format!("producer.setNamesrvAddr({});", q(ENDPOINT)),
                format!(
                    "DefaultMQPushConsumer consumer = new DefaultMQPushConsumer({}, aclHook(), new AllocateMessageQueueAveragely());",
                    q("GID_orders")
                ),
                format!("consumer.setNamespace({});", q(INSTANCE)),
                "consumer.setAccessChannel(AccessChannel.CLOUD);".to_owned(),
                format!("consumer.setNamesrvAddr({});", q(ENDPOINT)),
                format!("public static final String TOPIC = {};", q("orders")),
                "consumer.subscribe(TOPIC, \"*\");".to_owned(),
            ],
        );
    }

    #[test]
    fn go_names_every_value_in_the_right_call() {
        let go = full().render(ConfigFormat::Go);
        assert_balanced(&go);
        let q = |s: &str| format!("\"{s}\"");
        let resolver = format!(
            "WithNsResolver(primitive.NewPassthroughResolver([]string{{{}}})),",
            q(ENDPOINT)
        );
        assert_lines(
            &go,
            &[
                format!("AccessKey: {},", q(AK)),
                format!("SecretKey: os.Getenv({}),", q("ALIBABA_CLOUD_ACCESS_KEY_SECRET")),
                format!("producer.{resolver}"),
                "producer.WithCredentials(credentials),".to_owned(),
                format!("producer.WithGroupName({}),", q("GID_orders")),
                format!("producer.WithNamespace({}),", q(INSTANCE)),
                format!("consumer.{resolver}"),
                "consumer.WithCredentials(credentials),".to_owned(),
                format!("consumer.WithGroupName({}),", q("GID_orders")),
                format!("consumer.WithNamespace({}),", q(INSTANCE)),
                format!("const Topic = {}", q("orders")),
                "if err := c.Subscribe(Topic, consumer.MessageSelector{Type: consumer.TAG, Expression: \"*\"}, handle); err != nil {"
                    .to_owned(),
            ],
        );
        assert!(go.contains("\n\npackage onsclient\n"), "{go}");
    }

    #[test]
    fn a_missing_topic_or_group_is_a_named_placeholder() {
        let cfg = config(None, None);
        let props = properties_of(&cfg.render(ConfigFormat::Properties));
        assert_eq!(props["GROUP_ID"], GROUP_PLACEHOLDER);
        assert_eq!(props["TOPIC"], TOPIC_PLACEHOLDER);
        for format in ConfigFormat::ALL {
            let text = cfg.render(format);
            assert!(
                text.contains("No topic or group was chosen: replace REPLACE_WITH_TOPIC and REPLACE_WITH_GROUP_ID with yours."),
                "{format}:\n{text}"
            );
        }
        let text = config(Some("orders"), None).render(ConfigFormat::Go);
        assert!(
            text.contains("No group was chosen: replace REPLACE_WITH_GROUP_ID"),
            "{text}"
        );
        assert!(text.contains("const Topic = \"orders\""), "{text}");
        let text = full().render(ConfigFormat::SpringXml);
        assert!(!text.contains("REPLACE_WITH"), "{text}");
        roxmltree::Document::parse(&config(None, Some("GID_x")).render(ConfigFormat::SpringXml))
            .unwrap();
    }

    #[test]
    fn no_secret_can_reach_a_config() {
        // Whatever credentials the caller holds, the input takes only the ID: this pattern
        // stops compiling if a field is ever added, so a reviewer sees it.
        let secret = "kT9xV2mQ7pL4sR8wZ1nB5cF3hJ6yD0";
        let creds = crate::credentials::Credentials::new(
            AK,
            crate::credentials::SecretString::new(secret.to_owned()),
        )
        .with_security_token(crate::credentials::SecretString::new(
            "sts-token-secret".to_owned(),
        ));
        let input = ClientConfigInput {
            instance_id: INSTANCE,
            endpoint: ENDPOINT,
            access_key_id: &creds.access_key_id,
            topic: Some("orders"),
            group: Some("GID_orders"),
        };
        let ClientConfigInput {
            instance_id: _,
            endpoint: _,
            access_key_id: _,
            topic: _,
            group: _,
        } = input;
        let cfg = ClientConfig::new(&input).unwrap();
        for format in ConfigFormat::ALL {
            let text = cfg.render(format);
            assert!(!text.contains(secret), "{format}");
            assert!(!text.contains("sts-token-secret"), "{format}");
            assert!(text.contains(AK), "{format}");
            assert!(text.contains(SECRET_ENV_VAR), "{format}");
        }
        assert!(!format!("{cfg:?}").contains(AK), "{cfg:?}");
        assert!(!cfg.is_temporary_key());
        let sts = ClientConfigInput {
            access_key_id: "STS.NUexample",
            ..input
        };
        assert!(ClientConfig::new(&sts).unwrap().is_temporary_key());
    }

    #[test]
    fn endpoints_as_the_service_gives_them_are_kept_exactly() {
        for ok in [
            ENDPOINT,
            "http://mq-inst-1880770869020000-bxsuw61e.mq.cn-hangzhou.aliyuncs.com:80",
            "http://MQ_INST_1_abc.mq-internet-access.mq-internet.aliyuncs.com:80",
            "https://onsaddr.mq-internet-access.mq-internet.aliyuncs.com",
            "http://127.0.0.1:9876",
            "http://a:65535",
        ] {
            assert_eq!(
                TcpEndpoint::parse(ok).map(|e| e.as_str().to_owned()),
                Ok(ok.to_owned())
            );
        }
    }

    #[test]
    fn hostile_endpoints_are_refused() {
        let bad = |ch, position| BadEndpoint::BadChar { ch, position };
        let cases: &[(&str, BadEndpoint)] = &[
            ("", BadEndpoint::Empty),
            ("MQ_INST_1.aliyuncs.com:80", BadEndpoint::Scheme),
            ("HTTP://a:80", BadEndpoint::Scheme),
            ("ftp://a:80", BadEndpoint::Scheme),
            (" http://a:80", BadEndpoint::Scheme),
            ("http://a\"b:80", bad('"', 9)),
            ("http://a:80\"/><x", bad('"', 12)),
            ("http://a\nNAMESRV_ADDR=x", bad('\n', 9)),
            ("http://a:80\r\n", bad('\r', 12)),
            ("http://a<b>", bad('<', 9)),
            ("http://${SECRET}:80", bad('$', 8)),
            ("http://a b:80", bad(' ', 9)),
            ("http://a:80 ", bad(' ', 12)),
            ("http://user@a:80", bad('@', 12)),
            ("http://a:80/path", bad('/', 12)),
            ("http://a?x=1", bad('?', 9)),
            ("http://a\\b", bad('\\', 9)),
            ("http://a'b", bad('\'', 9)),
            ("http://[::1]:80", bad('[', 8)),
            ("http://a:8\u{202e}0", bad('\u{202e}', 11)),
            ("http://a:80:81", bad(':', 12)),
            ("http://", BadEndpoint::Host),
            ("http://:80", BadEndpoint::Host),
            ("http://a..b:80", BadEndpoint::Host),
            ("http://.a:80", BadEndpoint::Host),
            ("http://a.:80", BadEndpoint::Host),
            ("http://a:", BadEndpoint::Port),
            ("http://a:0", BadEndpoint::Port),
            ("http://a:65536", BadEndpoint::Port),
            ("http://a:0000080", BadEndpoint::Port),
        ];
        for (endpoint, expected) in cases {
            assert_eq!(TcpEndpoint::parse(endpoint), Err(*expected), "{endpoint:?}");
            let err = ClientConfig::new(&ClientConfigInput {
                endpoint,
                ..input(Some("orders"), None)
            })
            .unwrap_err();
            assert_eq!(err, ConnectError::Endpoint(*expected));
        }
        let long = format!("http://{}.com", "a".repeat(300));
        assert_eq!(
            TcpEndpoint::parse(&long),
            Err(BadEndpoint::TooLong { chars: 311 })
        );
        let label = format!("http://{}.com", "a".repeat(64));
        assert_eq!(TcpEndpoint::parse(&label), Err(BadEndpoint::Host));
        // The message names the character, never the endpoint.
        let err = ConnectError::Endpoint(TcpEndpoint::parse("http://a\nevil").unwrap_err());
        assert_eq!(
            err.to_string(),
            "The TCP endpoint the service returned cannot be used: character 9 (U+000A) is not allowed; an endpoint is http://host:port."
        );
    }

    #[test]
    fn every_other_value_is_checked_at_the_boundary() {
        let with = |f: &dyn Fn(&mut ClientConfigInput<'static>)| {
            let mut i = ClientConfigInput {
                instance_id: INSTANCE,
                endpoint: ENDPOINT,
                access_key_id: AK,
                topic: Some("orders"),
                group: Some("GID_orders"),
            };
            f(&mut i);
            ClientConfig::new(&i).unwrap_err()
        };
        assert_eq!(
            with(&|i| i.instance_id = "MQ_INST_1\"+x"),
            ConnectError::InstanceId
        );
        assert_eq!(with(&|i| i.instance_id = ""), ConnectError::InstanceId);
        assert_eq!(
            with(&|i| i.access_key_id = "LTAI\"x"),
            ConnectError::AccessKeyId(BadAccessKeyId::BadChar { position: 5 })
        );
        assert_eq!(
            with(&|i| i.access_key_id = ""),
            ConnectError::AccessKeyId(BadAccessKeyId::Empty)
        );
        assert!(matches!(
            with(&|i| i.topic = Some("orders</prop>")),
            ConnectError::Topic(TopicNameError::BadChar { ch: '<', .. })
        ));
        assert!(matches!(
            with(&|i| i.topic = Some("${x}")),
            ConnectError::Topic(TopicNameError::BadChar { ch: '$', .. })
        ));
        assert!(matches!(
            with(&|i| i.group = Some("GID_a\");System.exit(1);//")),
            ConnectError::Group(GroupIdError::BadChar { ch: '"', .. })
        ));
        assert!(matches!(
            with(&|i| i.group = Some("GID_a\nx=y")),
            ConnectError::Group(GroupIdError::BadChar { ch: '\n', .. })
        ));
        // A group made elsewhere without the GID_ prefix is fine: it exists.
        assert!(ClientConfig::new(&input(Some("orders"), Some("CID_legacy"))).is_ok());
        assert_eq!(
            with(&|i| i.access_key_id = "LTAI x").to_string(),
            "Character 5 of the AccessKey ID is not allowed: letters, digits, '.', '-' and '_' are expected."
        );
    }

    #[test]
    fn the_endpoint_is_picked_by_kind_and_a_missing_one_is_said() {
        let endpoints = crate::api::InstanceEndpoints {
            tcp: Some(ENDPOINT.to_owned()),
            tcp_internet: Some("  ".to_owned()),
            ..Default::default()
        };
        assert_eq!(
            pick_endpoint(&endpoints, TcpEndpointKind::Vpc).map(|e| e.to_string()),
            Ok(ENDPOINT.to_owned())
        );
        let err = pick_endpoint(&endpoints, TcpEndpointKind::Internet).unwrap_err();
        assert_eq!(
            err,
            ConnectError::NoEndpoint {
                kind: TcpEndpointKind::Internet
            }
        );
        assert!(
            err.to_string()
                .starts_with("The instance has no internet TCP endpoint"),
            "{err}"
        );
        assert_eq!(
            pick_endpoint(
                &crate::api::InstanceEndpoints::default(),
                TcpEndpointKind::Vpc
            ),
            Err(ConnectError::NoEndpoint {
                kind: TcpEndpointKind::Vpc
            })
        );
        let hostile = crate::api::InstanceEndpoints {
            tcp: Some("http://a\"b".to_owned()),
            ..Default::default()
        };
        assert!(matches!(
            pick_endpoint(&hostile, TcpEndpointKind::Vpc),
            Err(ConnectError::Endpoint(BadEndpoint::BadChar { ch: '"', .. }))
        ));
    }

    #[test]
    fn formats_read_their_cli_names() {
        for (format, name) in ConfigFormat::ALL.into_iter().zip(ConfigFormat::CLI_NAMES) {
            assert_eq!(format.to_string(), name);
            assert_eq!(name.parse::<ConfigFormat>(), Ok(format));
        }
        for bad in ["", "xml", "Properties", "java", "golang"] {
            assert_eq!(bad.parse::<ConfigFormat>(), Err(UnknownFormat), "{bad:?}");
        }
        let labels: std::collections::HashSet<_> = ConfigFormat::ALL
            .into_iter()
            .map(ConfigFormat::label)
            .collect();
        assert_eq!(labels.len(), 4);
        assert_eq!(ConfigFormat::default(), ConfigFormat::Properties);
    }

    const HOSTILE: &[&str] = &[
        "plain",
        " leading space",
        "trailing space ",
        "back\\slash\\",
        "line\nNAMESRV_ADDR=evil",
        "cr\r\nx",
        "tab\tform\u{c}feed",
        "#comment",
        "!bang",
        "key=value:colon",
        "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}",
        "quote\"apos'",
        "<prop key=\"x\">&amp;</prop>]]>",
        "\\u000a\\u0022",
        "订单 测试",
        "emoji 😀",
        "bidi\u{202e}x",
        "nul\u{0}bell\u{7}del\u{7f}",
    ];

    #[test]
    fn properties_values_survive_any_text() {
        for value in HOSTILE {
            let line = format!("k={}\n", properties_value(value));
            assert!(line.is_ascii(), "{line:?}");
            assert_eq!(line.matches('\n').count(), 1, "{line:?}");
            let read = properties_of(&line);
            assert_eq!(read.len(), 1, "{value:?} -> {line:?}");
            assert_eq!(read["k"], *value, "{line:?}");
        }
        let comment = format!("# {}\n", properties_comment("a\nb=c\r\u{2028}"));
        assert!(properties_of(&comment).is_empty(), "{comment:?}");
    }

    #[test]
    fn xml_text_survives_any_text() {
        for value in HOSTILE {
            let escaped = xml_escape(value);
            let xml = format!("<r a=\"{escaped}\" b='{escaped}'>{escaped}</r>");
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
            let root = doc.root_element();
            // XML 1.0 cannot hold other control characters: they become U+FFFD.
            let expected: String = value
                .chars()
                .map(|c| {
                    if c.is_control() && !matches!(c, '\t' | '\n' | '\r') && c != '\u{7f}' {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(root.attribute("a"), Some(expected.as_str()), "{xml}");
            assert_eq!(root.attribute("b"), Some(expected.as_str()), "{xml}");
            assert_eq!(root.text().unwrap_or_default(), expected, "{xml}");
        }
    }

    /// Reads a Java string literal back (the escapes [`java_string`] writes).
    fn java_unescape(literal: &str) -> String {
        let inner = literal
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap();
        let mut units: Vec<u16> = Vec::new();
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                assert!(c != '"' && c != '\n' && c != '\r', "raw {c:?} in {literal}");
                units.extend(c.encode_utf16(&mut [0; 2]).iter());
                continue;
            }
            match chars.next().unwrap() {
                'n' => units.push(10),
                'r' => units.push(13),
                't' => units.push(9),
                '"' => units.push(34),
                '\\' => units.push(92),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    units.push(u16::from_str_radix(&hex, 16).unwrap());
                }
                d @ '0'..='7' => {
                    let mut n = d.to_digit(8).unwrap();
                    for _ in 0..2 {
                        if let Some(d) = chars.peek().and_then(|c| c.to_digit(8)) {
                            n = n * 8 + d;
                            chars.next();
                        }
                    }
                    units.push(u16::try_from(n).unwrap());
                }
                other => panic!("unknown escape \\{other} in {literal}"),
            }
        }
        String::from_utf16(&units).unwrap()
    }

    /// Reads a Go string literal back (the escapes [`go_string`] writes).
    fn go_unescape(literal: &str) -> String {
        let inner = literal
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap();
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                assert!(c != '"' && c != '\n', "raw {c:?} in {literal}");
                out.push(c);
                continue;
            }
            let escape = chars.next().unwrap();
            let digits = match escape {
                'x' => 2,
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            if digits > 0 {
                let hex: String = chars.by_ref().take(digits).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                continue;
            }
            out.push(match escape {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '"' => '"',
                '\\' => '\\',
                other => panic!("unknown escape \\{other} in {literal}"),
            });
        }
        out
    }

    #[test]
    fn java_and_go_strings_survive_any_text() {
        for value in HOSTILE {
            let java = java_string(value);
            assert!(java.is_ascii(), "{java}");
            // Java decodes a `\u` escape (one preceded by an even number of backslashes)
            // before it reads the string: none may stand for a quote, a backslash or a line
            // break.
            let bytes = java.as_bytes();
            for (i, _) in java.match_indices("\\u") {
                let before = bytes[..i].iter().rev().take_while(|b| **b == b'\\').count();
                if before % 2 == 0 {
                    let unit = u16::from_str_radix(&java[i + 2..i + 6], 16).unwrap();
                    assert!(!matches!(unit, 0x22 | 0x5C | 0x0A | 0x0D), "{java}");
                }
            }
            assert_eq!(java_unescape(&java), *value, "{java}");
            assert_balanced(&format!("f({java});"));

            let go = go_string(value);
            assert!(go.is_ascii(), "{go}");
            assert_eq!(go_unescape(&go), *value, "{go}");
            assert_balanced(&format!("f({go})"));
        }
        assert_eq!(java_string("a\"b\\c\u{1}"), r#""a\"b\\c\001""#);
        assert_eq!(java_string("订😀"), r#""\u8BA2\uD83D\uDE00""#);
        assert_eq!(go_string("a\"b\\c\u{1}"), r#""a\"b\\c\x01""#);
        assert_eq!(go_string("订😀"), r#""\u8ba2\U0001f600""#);
    }
}
