//! The topics and consumer groups the sandbox holds in each instance, the service's rules for
//! their names (as the service states them: the sandbox refuses only what the service would,
//! it gives no hints), and the topics and groups an instance can be seeded with.

/// The message types `OnsTopicCreate` accepts: 0 normal, 1 partitionally ordered, 2 globally
/// ordered, 4 transactional, 5 scheduled or delayed.
pub const MESSAGE_TYPES: [u8; 5] = [0, 1, 2, 4, 5];
/// Groups an instance may hold, as Alibaba documents it, unless the sandbox is told otherwise.
pub const DEFAULT_GROUP_LIMIT: usize = 1000;
/// Fewest characters in a topic name.
pub const TOPIC_MIN_CHARS: usize = 3;
/// Fewest characters in a group ID.
pub const GROUP_MIN_CHARS: usize = 2;
/// Most characters in a topic name or a group ID.
pub const RESOURCE_MAX_CHARS: usize = 64;
/// Prefixes a topic name may not start with, in any case: they mark group IDs.
pub const GROUP_PREFIXES: [&str; 2] = ["CID", "GID"];

/// A consumer group's protocol. `tcp` and `http` groups are separate kinds, but share the
/// instance's namespace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GroupType {
    #[default]
    Tcp,
    Http,
}

impl GroupType {
    /// `tcp` or `http`, exactly as the service spells them; anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "tcp" => Some(Self::Tcp),
            "http" => Some(Self::Http),
            _ => None,
        }
    }

    /// The service's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Http => "http",
        }
    }
}

/// One topic in an instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxTopic {
    pub name: String,
    /// One of [`MESSAGE_TYPES`] (a seeded topic may hold any number).
    pub message_type: u8,
    pub remark: String,
    /// When it was created, in milliseconds since the epoch on the sandbox's clock.
    pub create_time_ms: i64,
    /// From when it is in service (`ServiceStatus` 1), on the same clock; before that it is
    /// being created (`ServiceStatus` 0).
    pub ready_at_ms: i64,
}

impl SandboxTopic {
    /// `ServiceStatus` at `now_ms` (the sandbox's clock): 0 being created, 1 in service.
    pub fn service_status(&self, now_ms: i64) -> u8 {
        u8::from(now_ms >= self.ready_at_ms)
    }
}

/// One consumer group in an instance. Groups have no "being created" state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxGroup {
    pub id: String,
    pub group_type: GroupType,
    pub remark: String,
    /// Milliseconds since the epoch, on the sandbox's clock.
    pub create_time_ms: i64,
    pub update_time_ms: i64,
}

/// Why a topic name or a group ID is refused. Says what the rule is; never repeats the name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("must have {min} to {max} characters, not {chars}")]
    Length {
        min: usize,
        max: usize,
        chars: usize,
    },
    #[error("may hold only letters, digits, '-' and '_', not {0:?}")]
    Character(char),
    #[error("must not start with {0} (in any case): that prefix marks a group")]
    GroupPrefix(&'static str),
}

/// The service's topic rule: 3 to 64 letters, digits, `-` or `_`, not starting with `CID` or
/// `GID` in any case.
pub fn check_topic_name(name: &str) -> Result<(), NameProblem> {
    check_chars(name, TOPIC_MIN_CHARS)?;
    let head = name.get(..3).unwrap_or_default();
    match GROUP_PREFIXES
        .into_iter()
        .find(|p| head.eq_ignore_ascii_case(p))
    {
        Some(prefix) => Err(NameProblem::GroupPrefix(prefix)),
        None => Ok(()),
    }
}

/// The service's current group rule: 2 to 64 letters, digits, `-` or `_`. A `GID_` prefix is
/// recommended by Alibaba, not required.
pub fn check_group_id(id: &str) -> Result<(), NameProblem> {
    check_chars(id, GROUP_MIN_CHARS)
}

fn check_chars(text: &str, min: usize) -> Result<(), NameProblem> {
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(NameProblem::Character(c));
    }
    // Only ASCII is left, so bytes are characters.
    let chars = text.len();
    if !(min..=RESOURCE_MAX_CHARS).contains(&chars) {
        return Err(NameProblem::Length {
            min,
            max: RESOURCE_MAX_CHARS,
            chars,
        });
    }
    Ok(())
}

/// A topic an instance is seeded with: in service from the start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedTopic {
    pub name: String,
    pub message_type: u8,
    pub remark: String,
}

impl SeedTopic {
    /// A normal topic (message type 0) with no remark.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            message_type: 0,
            remark: String::new(),
        }
    }

    /// `count` normal topics named `topic-1`, `topic-2`, …
    pub fn numbered(count: u32) -> Vec<Self> {
        (1..=count)
            .map(|n| Self::named(format!("topic-{n}")))
            .collect()
    }
}

/// A group an instance is seeded with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedGroup {
    pub id: String,
    pub group_type: GroupType,
    pub remark: String,
}

impl SeedGroup {
    /// A `tcp` group with no remark.
    pub fn named(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            group_type: GroupType::Tcp,
            remark: String::new(),
        }
    }

    /// `count` tcp groups named `GID_group-1`, `GID_group-2`, …
    pub fn numbered(count: u32) -> Vec<Self> {
        (1..=count)
            .map(|n| Self::named(format!("GID_group-{n}")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_follow_the_service_rule() {
        for good in [
            "abc",
            "orders",
            "orders-v2",
            "a_b-C9",
            &"x".repeat(64),
            "Cxd",
            "G1D",
        ] {
            assert_eq!(check_topic_name(good), Ok(()), "{good}");
        }
        assert_eq!(
            check_topic_name("ab"),
            Err(NameProblem::Length {
                min: 3,
                max: 64,
                chars: 2
            })
        );
        assert!(matches!(
            check_topic_name(&"x".repeat(65)),
            Err(NameProblem::Length { chars: 65, .. })
        ));
        for prefixed in ["GID_orders", "gid-x", "Cid_orders", "CIDx", "GID"] {
            assert!(
                matches!(check_topic_name(prefixed), Err(NameProblem::GroupPrefix(_))),
                "{prefixed}"
            );
        }
        for (bad, c) in [
            ("or ders", ' '),
            ("orders.v2", '.'),
            ("订单abc", '订'),
            ("ab\n", '\n'),
        ] {
            assert_eq!(
                check_topic_name(bad),
                Err(NameProblem::Character(c)),
                "{bad}"
            );
        }
        assert!(check_topic_name("").is_err());
    }

    #[test]
    fn group_ids_need_two_characters_and_no_prefix() {
        for good in [
            "ab",
            "orders",
            "GID_orders",
            "GID-orders",
            "CID_x",
            &"g".repeat(64),
        ] {
            assert_eq!(check_group_id(good), Ok(()), "{good}");
        }
        assert!(matches!(
            check_group_id("a"),
            Err(NameProblem::Length {
                min: 2,
                chars: 1,
                ..
            })
        ));
        assert!(check_group_id(&"g".repeat(65)).is_err());
        assert_eq!(
            check_group_id("GID orders"),
            Err(NameProblem::Character(' '))
        );
    }

    #[test]
    fn a_topic_is_in_service_from_its_ready_time() {
        let topic = SandboxTopic {
            name: "orders".into(),
            message_type: 0,
            remark: String::new(),
            create_time_ms: 1_000,
            ready_at_ms: 3_000,
        };
        assert_eq!(topic.service_status(2_999), 0);
        assert_eq!(topic.service_status(3_000), 1);
    }

    #[test]
    fn group_types_are_spelled_as_the_service_does() {
        assert_eq!(GroupType::parse("tcp"), Some(GroupType::Tcp));
        assert_eq!(GroupType::parse("http"), Some(GroupType::Http));
        assert_eq!(GroupType::parse("TCP"), None);
        assert_eq!(GroupType::parse(""), None);
        assert_eq!(GroupType::Http.as_str(), "http");
    }
}
