//! What a history entry is about (history format 3): an instance, or a topic or a group on an
//! instance, created or deleted. Entries of older formats are all instance creates.
//!
//! An instance entry is its create; what onsdesk does to the instance later (a rename, a
//! delete) is marked on that entry ([`super::Later`]). A topic or group is different: the one
//! deleted is often one made elsewhere, so each create and each delete onsdesk sends is an
//! entry of its own, with the instance it is on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::ids::{InstanceId, RequestId};
use crate::instances::DeleteOutcome;
use crate::resources::{GroupType, MessageType};
use crate::topics_groups::AddOutcome;

/// What an entry is about. On disk an entry's optional `subject` field; absent means an
/// instance (every entry of formats 1 and 2), so instance entries are written as before.
/// A topic's or group's details are boxed: most entries are instances, and a history of
/// 100 000 is loaded and moved whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// The create of the instance named by the entry.
    #[default]
    Instance,
    /// A create or delete of the topic named by the entry.
    Topic(Box<TopicSubject>),
    /// A create or delete of the consumer group named by the entry (its GroupId).
    Group(Box<GroupSubject>),
}

/// A topic entry's instance, verb and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSubject {
    pub instance_id: InstanceId,
    pub verb: Verb,
    /// The type it was created with; for a delete, the type it was listed with when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<MessageType>,
}

/// A group entry's instance, verb and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSubject {
    pub instance_id: InstanceId,
    pub verb: Verb,
    /// The type it was created with; for a delete, the type it was listed with when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
}

impl Subject {
    /// True for an instance entry (what entries of older formats all are).
    pub fn is_instance(&self) -> bool {
        matches!(self, Self::Instance)
    }

    /// Which kind of thing the entry is about.
    pub fn kind(&self) -> EntryKind {
        match self {
            Self::Instance => EntryKind::Instance,
            Self::Topic { .. } => EntryKind::Topic,
            Self::Group { .. } => EntryKind::Group,
        }
    }

    /// Create or delete; an instance entry is always its create.
    pub fn verb(&self) -> Verb {
        match self {
            Self::Instance => Verb::Create,
            Self::Topic(t) => t.verb,
            Self::Group(g) => g.verb,
        }
    }

    /// The instance a topic or group is on; `None` for an instance entry (whose InstanceId
    /// is in its status once known).
    pub fn parent(&self) -> Option<&InstanceId> {
        match self {
            Self::Instance => None,
            Self::Topic(t) => Some(&t.instance_id),
            Self::Group(g) => Some(&g.instance_id),
        }
    }
}

/// The kind of thing an entry is about: `onsdesk history --kind`, the export's `Kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Instance,
    Topic,
    Group,
}

impl EntryKind {
    /// Every kind, in the order the help lists them.
    pub const ALL: [Self; 3] = [Self::Instance, Self::Topic, Self::Group];

    /// The word in exports, `--json` and `--kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Instance => "instance",
            Self::Topic => "topic",
            Self::Group => "group",
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not a kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind: use instance, topic or group")]
pub struct UnknownKind;

impl FromStr for EntryKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownKind)
    }
}

/// What a topic or group entry did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Create,
    Delete,
}

impl Verb {
    /// The word in exports and `--json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Delete => "delete",
        }
    }
}

/// The topic or group a change is about, as the caller knows it before sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    Topic {
        instance_id: InstanceId,
        topic: String,
        /// The type sent with a create; for a delete, the listed one when known.
        message_type: Option<MessageType>,
    },
    Group {
        instance_id: InstanceId,
        group_id: String,
        /// The type sent with a create; for a delete, the listed one when known.
        group_type: Option<GroupType>,
    },
}

/// A topic or group create or delete about to be sent: what the caller records before sending
/// it ([`super::History::record_change_pending`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChange {
    pub verb: Verb,
    pub resource: Resource,
    /// The remark sent with a create; empty for a delete.
    pub remark: String,
    pub region: String,
    pub endpoint: String,
    /// [`crate::credentials::CredentialSource`]'s `Display`: never a secret.
    pub profile: String,
}

impl NewChange {
    /// The entry's name (the topic or the GroupId) and its subject.
    pub(super) fn into_parts(self) -> (String, Subject, NewChangeRest) {
        let verb = self.verb;
        let (name, subject) = match self.resource {
            Resource::Topic {
                instance_id,
                topic,
                message_type,
            } => (
                topic,
                Subject::Topic(Box::new(TopicSubject {
                    instance_id,
                    verb,
                    message_type,
                })),
            ),
            Resource::Group {
                instance_id,
                group_id,
                group_type,
            } => (
                group_id,
                Subject::Group(Box::new(GroupSubject {
                    instance_id,
                    verb,
                    group_type,
                })),
            ),
        };
        let rest = NewChangeRest {
            remark: self.remark,
            region: self.region,
            endpoint: self.endpoint,
            profile: self.profile,
        };
        (name, subject, rest)
    }
}

/// The fields a [`NewChange`] shares with every entry.
pub(super) struct NewChangeRest {
    pub(super) remark: String,
    pub(super) region: String,
    pub(super) endpoint: String,
    pub(super) profile: String,
}

/// How a topic or group create or delete ended, as the caller records it
/// ([`super::History::record_change_outcome`]). A create's [`AddOutcome`] maps onto it with
/// [`ChangeOutcome::of_add`], a delete's [`DeleteOutcome`] with [`ChangeOutcome::of_delete`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// The service said it was done.
    Done { request_id: RequestId },
    /// No usable reply, but a look showed it in effect: the exact name listed after a create,
    /// absent after a delete.
    Seen,
    /// The service refused: its Code, Message and RequestId.
    Refused {
        code: String,
        message: String,
        request_id: Option<String>,
    },
    /// Known not to be in effect for another reason: the request never left this machine, or
    /// a look proved the change not made.
    NotDone { detail: String },
    /// It could not be found out: the change may or may not be in effect.
    Unknown { detail: String },
}

impl ChangeOutcome {
    /// How a topic or group create ended ([`crate::topics_groups::create_topic`],
    /// [`crate::topics_groups::create_group`]). A refusal that is not the service's own fault is
    /// [`ChangeOutcome::Refused`], as for an instance create.
    pub fn of_add<S>(outcome: &AddOutcome<S>) -> Self {
        match outcome {
            AddOutcome::Created { request_id } => Self::Done {
                request_id: request_id.clone(),
            },
            AddOutcome::Confirmed(_) => Self::Seen,
            AddOutcome::NotCreated(e) => Self::not_done(e),
            AddOutcome::NameTaken(_) => Self::NotDone {
                detail: super::entry::NAME_TAKEN.to_owned(),
            },
            AddOutcome::Unknown(e) => Self::Unknown {
                detail: e.to_string(),
            },
        }
    }

    /// A change the engine reported not done: refused by the service, or proved not made.
    pub fn not_done(e: &ApiError) -> Self {
        match e {
            ApiError::Service(e) if !e.is_server_fault() => Self::Refused {
                code: e.code.clone(),
                message: e.message.clone(),
                request_id: e.request_id.clone(),
            },
            other => Self::NotDone {
                detail: other.to_string(),
            },
        }
    }

    /// How a topic or group delete ended ([`crate::topics_groups::delete_topic`],
    /// [`crate::topics_groups::delete_group`]: the [`DeleteOutcome`] an instance delete has too).
    pub fn of_delete(outcome: &DeleteOutcome) -> Self {
        match outcome {
            DeleteOutcome::Deleted { request_id } => Self::Done {
                request_id: request_id.clone(),
            },
            DeleteOutcome::Confirmed => Self::Seen,
            DeleteOutcome::NotDeleted(e) => Self::not_done(e),
            DeleteOutcome::Unknown(e) => Self::Unknown {
                detail: e.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_their_words_exactly() {
        for kind in EntryKind::ALL {
            assert_eq!(kind.as_str().parse::<EntryKind>(), Ok(kind));
        }
        for bad in ["", "Topic", "topics", "instances", " group"] {
            assert_eq!(bad.parse::<EntryKind>(), Err(UnknownKind), "{bad:?}");
        }
    }

    #[test]
    fn a_subject_serialises_with_its_instance_verb_and_type() {
        let topic = Subject::Topic(Box::new(TopicSubject {
            instance_id: InstanceId::parse("MQ_INST_1_A").unwrap(),
            verb: Verb::Create,
            message_type: Some(MessageType::Transaction),
        }));
        let json = serde_json::to_string(&topic).unwrap();
        assert_eq!(
            json,
            r#"{"topic":{"instance_id":"MQ_INST_1_A","verb":"create","message_type":4}}"#
        );
        assert_eq!(serde_json::from_str::<Subject>(&json).unwrap(), topic);
        let group = Subject::Group(Box::new(GroupSubject {
            instance_id: InstanceId::parse("MQ_INST_1_A").unwrap(),
            verb: Verb::Delete,
            group_type: None,
        }));
        let json = serde_json::to_string(&group).unwrap();
        assert_eq!(
            json,
            r#"{"group":{"instance_id":"MQ_INST_1_A","verb":"delete"}}"#
        );
        assert_eq!(serde_json::from_str::<Subject>(&json).unwrap(), group);
        // An InstanceId that is not one (a hand-edited file) does not read.
        assert!(
            serde_json::from_str::<Subject>(
                r#"{"group":{"instance_id":"MQ\u001b[2J","verb":"delete"}}"#
            )
            .is_err()
        );
    }

    #[test]
    fn the_engines_outcome_maps_onto_a_change_outcome() {
        use crate::operation::Outcome;
        let of = |outcome: Outcome<RequestId, ()>| ChangeOutcome::of_add(&outcome.into());
        let request_id = RequestId::parse("R-1").unwrap();
        assert_eq!(
            of(Outcome::Done(request_id.clone())),
            ChangeOutcome::Done {
                request_id: request_id.clone()
            }
        );
        assert_eq!(of(Outcome::Seen(())), ChangeOutcome::Seen);
        let refused = ApiError::Service(crate::api::ServiceError {
            http_status: 400,
            code: "Group.NumLimited".into(),
            message: "group count exceed limit".into(),
            request_id: Some("R-2".into()),
            host_id: None,
            recommend: None,
        });
        assert_eq!(
            of(Outcome::NotDone(refused)),
            ChangeOutcome::Refused {
                code: "Group.NumLimited".into(),
                message: "group count exceed limit".into(),
                request_id: Some("R-2".into()),
            }
        );
        let lost = ApiError::Setup(crate::api::SetupProblem::NoLook);
        assert!(matches!(
            of(Outcome::NotDone(lost.clone())),
            ChangeOutcome::NotDone { .. }
        ));
        assert!(matches!(
            of(Outcome::Unknown(lost)),
            ChangeOutcome::Unknown { .. }
        ));
        assert_eq!(
            ChangeOutcome::of_delete(&DeleteOutcome::Confirmed),
            ChangeOutcome::Seen
        );
    }
}
