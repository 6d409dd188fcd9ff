//! The kinds of things an ONS 4.x instance holds, as the API numbers and names them: a topic's
//! message type and status, a group's protocol.
//!
//! A vocabulary module with no dependencies inside the crate: the API layer (reading replies,
//! building requests), the validators, the CLI (`--type`), the snippets, the client config and
//! the window all use these values, and none of them is below another because of it. A value
//! the service sends that onsdesk does not know is kept as it came (`Other`), never refused
//! and never a panic: a new message type must not make a whole list unreadable.
//!
//! Names come in three forms: the API's (a number, or `tcp`/`http`), the command line's
//! (`partition-order`, parsed by [`FromStr`] and printed by [`Display`](fmt::Display)), and the
//! console's English words for tables (`partitionally ordered`). Other languages' words live
//! with the window's (`src/app/i18n/`).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A topic's message type (`MessageType` in `OnsTopicCreate` and `OnsTopicList`).
///
/// Serialised as its API number, so `--json` output and requests carry `0`…`5`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum MessageType {
    /// 0: normal messages.
    #[default]
    Normal,
    /// 1: partitionally ordered (ordered per sharding key).
    PartitionOrder,
    /// 2: globally ordered (one queue). Listed in the API metadata; missing from the current
    /// Chinese console page.
    GlobalOrder,
    /// 4: transactional.
    Transaction,
    /// 5: scheduled and delayed.
    Delay,
    /// A number the service sent that onsdesk does not know (3, or one added later). Never
    /// sent by onsdesk: [`FromStr`] refuses it.
    Other(i64),
}

impl MessageType {
    /// The types a topic can be created with, in the console's order.
    pub const CREATABLE: [Self; 5] = [
        Self::Normal,
        Self::PartitionOrder,
        Self::GlobalOrder,
        Self::Transaction,
        Self::Delay,
    ];

    /// The command line's names of [`Self::CREATABLE`], in the same order (for clap's
    /// `PossibleValuesParser`, and for the help text).
    pub const CLI_NAMES: [&'static str; 5] = [
        "normal",
        "partition-order",
        "global-order",
        "transaction",
        "delay",
    ];

    /// The API's number.
    pub fn code(self) -> i64 {
        match self {
            Self::Normal => 0,
            Self::PartitionOrder => 1,
            Self::GlobalOrder => 2,
            Self::Transaction => 4,
            Self::Delay => 5,
            Self::Other(n) => n,
        }
    }

    /// The type the API's number means; an unknown number is kept as [`Self::Other`].
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Normal,
            1 => Self::PartitionOrder,
            2 => Self::GlobalOrder,
            4 => Self::Transaction,
            5 => Self::Delay,
            n => Self::Other(n),
        }
    }

    /// The command line's name (`partition-order`); `None` for a number onsdesk does not know.
    pub fn cli_name(self) -> Option<&'static str> {
        match self {
            Self::Normal => Some("normal"),
            Self::PartitionOrder => Some("partition-order"),
            Self::GlobalOrder => Some("global-order"),
            Self::Transaction => Some("transaction"),
            Self::Delay => Some("delay"),
            Self::Other(_) => None,
        }
    }

    /// The console's English name, for the CLI's tables: `partitionally ordered`, or
    /// `type 3` for a number onsdesk does not know.
    pub fn english_name(self) -> Cow<'static, str> {
        match self {
            Self::Normal => Cow::Borrowed("normal"),
            Self::PartitionOrder => Cow::Borrowed("partitionally ordered"),
            Self::GlobalOrder => Cow::Borrowed("globally ordered"),
            Self::Transaction => Cow::Borrowed("transactional"),
            Self::Delay => Cow::Borrowed("scheduled/delayed"),
            Self::Other(n) => Cow::Owned(format!("type {n}")),
        }
    }
}

impl From<i64> for MessageType {
    fn from(code: i64) -> Self {
        Self::from_code(code)
    }
}

impl From<MessageType> for i64 {
    fn from(t: MessageType) -> Self {
        t.code()
    }
}

/// The command line's name; `type N` for a number onsdesk does not know (which [`FromStr`]
/// does not read back: it cannot be sent).
impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cli_name() {
            Some(name) => f.write_str(name),
            None => write!(f, "type {}", self.code()),
        }
    }
}

/// Reads a command line name, exactly as listed in [`MessageType::CLI_NAMES`].
impl FromStr for MessageType {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::CREATABLE
            .into_iter()
            .find(|t| t.cli_name() == Some(s))
            .ok_or_else(|| UnknownName {
                kind: NameKind::MessageType,
                given: s.to_owned(),
            })
    }
}

/// A topic's state (`ServiceStatus` in `OnsTopicList`). A new topic is listed as creating
/// before it turns in service; no client can use it until then.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "i64", into = "i64")]
pub enum TopicStatus {
    /// 0: being created.
    Creating,
    /// 1: in service.
    InService,
    /// A number the service sent that onsdesk does not know.
    Other(i64),
}

impl TopicStatus {
    /// The API's number.
    pub fn code(self) -> i64 {
        match self {
            Self::Creating => 0,
            Self::InService => 1,
            Self::Other(n) => n,
        }
    }

    /// The state the API's number means; an unknown number is kept as [`Self::Other`].
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Creating,
            1 => Self::InService,
            n => Self::Other(n),
        }
    }

    /// The English words for the CLI's tables: `creating`, `in service`, `status 7`.
    pub fn english_name(self) -> Cow<'static, str> {
        match self {
            Self::Creating => Cow::Borrowed("creating"),
            Self::InService => Cow::Borrowed("in service"),
            Self::Other(n) => Cow::Owned(format!("status {n}")),
        }
    }
}

impl From<i64> for TopicStatus {
    fn from(code: i64) -> Self {
        Self::from_code(code)
    }
}

impl From<TopicStatus> for i64 {
    fn from(s: TopicStatus) -> Self {
        s.code()
    }
}

/// A consumer group's protocol (`GroupType` in `OnsGroupCreate` and `OnsGroupList`). `tcp`
/// and `http` groups are separate: a TCP client cannot use an HTTP group.
///
/// Serialised as the API's string.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum GroupType {
    /// `tcp`, the default: the 4.x TCP clients (ons-client, Apache RocketMQ, the Go client).
    #[default]
    Tcp,
    /// `http`: the HTTP clients.
    Http,
    /// A value the service sent that onsdesk does not know, as it came. Never sent by
    /// onsdesk: [`FromStr`] refuses it. Whoever prints it passes it through
    /// `crate::text::printable` as any other text from a reply.
    Other(String),
}

impl GroupType {
    /// The types a group can be created with.
    pub const CREATABLE: [Self; 2] = [Self::Tcp, Self::Http];

    /// The command line's (and the API's) names of [`Self::CREATABLE`].
    pub const CLI_NAMES: [&'static str; 2] = ["tcp", "http"];

    /// The API's value, which is also the command line's name.
    pub fn as_api_str(&self) -> &str {
        match self {
            Self::Tcp => "tcp",
            Self::Http => "http",
            Self::Other(s) => s,
        }
    }

    /// The type the API's value means; anything else is kept as [`Self::Other`].
    pub fn from_api(value: &str) -> Self {
        Self::from(value.to_owned())
    }

    /// True for `tcp` and `http`.
    pub fn is_known(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl From<String> for GroupType {
    fn from(value: String) -> Self {
        match value.as_str() {
            "tcp" => Self::Tcp,
            "http" => Self::Http,
            _ => Self::Other(value),
        }
    }
}

impl From<GroupType> for String {
    fn from(t: GroupType) -> Self {
        match t {
            GroupType::Other(s) => s,
            known => known.as_api_str().to_owned(),
        }
    }
}

/// The API's value as it came (`tcp`, `http`, or an unknown one unchanged).
impl fmt::Display for GroupType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_api_str())
    }
}

/// Reads `tcp` or `http`, exactly.
impl FromStr for GroupType {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tcp" => Ok(Self::Tcp),
            "http" => Ok(Self::Http),
            _ => Err(UnknownName {
                kind: NameKind::GroupType,
                given: s.to_owned(),
            }),
        }
    }
}

/// Which list a refused name was looked up in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// [`MessageType::CLI_NAMES`].
    MessageType,
    /// [`GroupType::CLI_NAMES`].
    GroupType,
}

impl NameKind {
    /// The names that are accepted.
    pub fn accepted(self) -> &'static [&'static str] {
        match self {
            Self::MessageType => &MessageType::CLI_NAMES,
            Self::GroupType => &GroupType::CLI_NAMES,
        }
    }
}

/// A name that is not one of the accepted ones. `Display` names what was given (control and
/// invisible characters escaped, at most 40 characters) and lists what is accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct UnknownName {
    /// Which names were expected.
    pub kind: NameKind,
    /// What was given, unchanged.
    pub given: String,
}

impl UnknownName {
    fn message(&self) -> String {
        let what = match self.kind {
            NameKind::MessageType => "message type",
            NameKind::GroupType => "group type",
        };
        let names = self.kind.accepted();
        let mut list = String::new();
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                list.push_str(if i + 1 == names.len() { " or " } else { ", " });
            }
            list.push_str(name);
        }
        format!("Unknown {what} '{}'; use {list}.", shown(&self.given))
    }
}

/// At most 40 characters of `s`, escaped as Rust's `escape_debug` does (control and
/// invisible characters, quotes, backslashes), so an error message cannot carry a terminal
/// escape or reorder what is shown.
fn shown(s: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut out: String = s
        .chars()
        .take(MAX_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if s.chars().nth(MAX_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_types_have_their_api_numbers_and_names() {
        let table = [
            (MessageType::Normal, 0, "normal", "normal"),
            (
                MessageType::PartitionOrder,
                1,
                "partition-order",
                "partitionally ordered",
            ),
            (
                MessageType::GlobalOrder,
                2,
                "global-order",
                "globally ordered",
            ),
            (MessageType::Transaction, 4, "transaction", "transactional"),
            (MessageType::Delay, 5, "delay", "scheduled/delayed"),
        ];
        for (t, code, cli, english) in table {
            assert_eq!(t.code(), code);
            assert_eq!(MessageType::from_code(code), t);
            assert_eq!(t.to_string(), cli);
            assert_eq!(cli.parse::<MessageType>(), Ok(t));
            assert_eq!(t.english_name(), english);
        }
        assert_eq!(
            MessageType::CREATABLE.map(|t| t.cli_name().unwrap_or_default()),
            MessageType::CLI_NAMES
        );
        assert_eq!(MessageType::default(), MessageType::Normal);
    }

    #[test]
    fn an_unknown_message_type_from_a_reply_is_kept_not_refused() {
        for code in [3, 6, -1, i64::MAX, i64::MIN] {
            let t = MessageType::from_code(code);
            assert_eq!(t, MessageType::Other(code));
            assert_eq!(t.code(), code);
            assert_eq!(t.cli_name(), None);
            assert_eq!(t.english_name(), format!("type {code}"));
            assert_eq!(t.to_string(), format!("type {code}"));
        }
        let parsed: Vec<MessageType> = serde_json::from_str("[0, 3, 5]").unwrap();
        assert_eq!(
            parsed,
            [
                MessageType::Normal,
                MessageType::Other(3),
                MessageType::Delay
            ]
        );
        assert_eq!(
            serde_json::to_string(&[MessageType::Transaction, MessageType::Other(9)]).unwrap(),
            "[4,9]"
        );
    }

    #[test]
    fn message_type_names_are_read_exactly() {
        for bad in [
            "", "Normal", "NORMAL", "0", "4", "type 3", "ordered", " normal",
        ] {
            let err = bad.parse::<MessageType>().unwrap_err();
            assert_eq!(err.kind, NameKind::MessageType);
            assert_eq!(err.given, bad);
        }
        assert_eq!(
            "fifo".parse::<MessageType>().unwrap_err().to_string(),
            "Unknown message type 'fifo'; use normal, partition-order, global-order, transaction or delay."
        );
    }

    #[test]
    fn a_refused_name_cannot_carry_a_terminal_escape() {
        let err = "x\u{1b}]0;pwned\u{7}\n\u{202e}"
            .parse::<GroupType>()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Unknown group type 'x\\u{1b}]0;pwned\\u{7}\\n\\u{202e}'; use tcp or http."
        );
        let long = "a".repeat(100);
        let shown = long.parse::<MessageType>().unwrap_err().to_string();
        assert!(shown.contains(&format!("'{}…'", "a".repeat(40))), "{shown}");
    }

    #[test]
    fn group_types_read_and_print_the_api_strings() {
        assert_eq!(GroupType::default(), GroupType::Tcp);
        for (t, name) in [(GroupType::Tcp, "tcp"), (GroupType::Http, "http")] {
            assert_eq!(t.to_string(), name);
            assert_eq!(t.as_api_str(), name);
            assert_eq!(name.parse::<GroupType>(), Ok(t.clone()));
            assert_eq!(GroupType::from_api(name), t);
            assert!(t.is_known());
        }
        assert_eq!(
            GroupType::CREATABLE.map(|t| t.as_api_str().to_owned()),
            GroupType::CLI_NAMES
        );
        for bad in ["TCP", "Http", "", "grpc"] {
            assert!(bad.parse::<GroupType>().is_err(), "{bad:?}");
        }
        assert_eq!(
            "udp".parse::<GroupType>().unwrap_err().to_string(),
            "Unknown group type 'udp'; use tcp or http."
        );
    }

    #[test]
    fn an_unknown_group_type_from_a_reply_is_kept_as_it_came() {
        let parsed: Vec<GroupType> = serde_json::from_str(r#"["tcp","http","grpc"]"#).unwrap();
        assert_eq!(
            parsed,
            [
                GroupType::Tcp,
                GroupType::Http,
                GroupType::Other("grpc".to_owned())
            ]
        );
        assert!(!parsed[2].is_known());
        assert_eq!(parsed[2].to_string(), "grpc");
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            r#"["tcp","http","grpc"]"#
        );
    }

    #[test]
    fn topic_status_reads_the_numbers() {
        assert_eq!(TopicStatus::from_code(0), TopicStatus::Creating);
        assert_eq!(TopicStatus::from_code(1), TopicStatus::InService);
        assert_eq!(TopicStatus::from_code(7), TopicStatus::Other(7));
        assert_eq!(TopicStatus::Creating.english_name(), "creating");
        assert_eq!(TopicStatus::InService.english_name(), "in service");
        assert_eq!(TopicStatus::Other(7).english_name(), "status 7");
        let parsed: Vec<TopicStatus> = serde_json::from_str("[0,1,2]").unwrap();
        assert_eq!(
            parsed,
            [
                TopicStatus::Creating,
                TopicStatus::InService,
                TopicStatus::Other(2)
            ]
        );
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "[0,1,2]");
    }
}
