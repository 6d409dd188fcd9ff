//! The words of an instance's Topics and Groups panes (lists, add forms, their checks, delete
//! confirmations, outcomes), of its Connect pane (the client config), and of the create card's
//! way to them ("Add a topic", "Add a group").
//!
//! Names as Alibaba Cloud's console says them: Topic and Group stay as they are in Chinese
//! (Topic 名称, Group ID), the message types are 普通消息, 分区顺序消息, 全局顺序消息, 事务消息
//! and 定时/延时消息, a group's protocol TCP 协议 or HTTP 协议.

use super::Lang;
use crate::api::ErrorKind;
use crate::connect::{BadEndpoint, ConnectError, SECRET_ENV_VAR, TcpEndpointKind};
use crate::resources::{GroupType, MessageType, TopicStatus};
use crate::topics_groups::{Followed, HeldBy};
use crate::validation::{
    BadCharKind, GROUP_MAX_CHARS, GROUP_MIN_CHARS, GroupIdAdvice, GroupIdError, RemarkTooLong,
    TOPIC_MAX_CHARS, TOPIC_MIN_CHARS, TopicNameError,
};

texts! {
    /// A fixed piece of text of the Topics, Groups and Connect panes; [`Lang::t`] gives it in
    /// a language.
    TopicsText {
        TabTopics => "Topics", "Topic 管理";
        TabGroups => "Groups", "Group 管理";
        TabConnect => "Connect", "客户端接入";
        AddTopic => "Add a topic", "添加 Topic";
        AddGroup => "Add a group", "添加 Group";
        OpenConnect => "Client config", "客户端配置";
        AddTopicHint => "Open this instance's topics, with the cursor in Topic name.", "打开此实例的 Topic 管理，光标位于“Topic 名称”。";
        AddGroupHint => "Open this instance's groups, with the cursor in Group ID.", "打开此实例的 Group 管理，光标位于“Group ID”。";
        OpenConnectHint => "A ready-to-paste client config for this instance (no secret in it).", "此实例可直接粘贴使用的客户端配置（不含 Secret）。";
        NewTopic => "New topic", "创建 Topic";
        NewGroup => "New group", "创建 Group";
        TopicName => "Topic name", "Topic 名称";
        GroupId => "Group ID", "Group ID";
        MessageType => "Message type", "消息类型";
        MessageTypeHint => "It cannot be changed once the topic exists.", "Topic 创建后不能修改消息类型。";
        Protocol => "Protocol", "协议类型";
        ProtocolTcp => "TCP", "TCP 协议";
        ProtocolHttp => "HTTP", "HTTP 协议";
        ProtocolHint => "TCP for the 4.x TCP clients (ons-client, Apache RocketMQ, Go); HTTP for the HTTP clients. A TCP client cannot use an HTTP group.", "TCP 协议用于 4.x TCP 客户端（ons-client、Apache RocketMQ、Go）；HTTP 协议用于 HTTP 客户端。TCP 客户端不能使用 HTTP 协议的 Group。";
        Remark => "Remark (optional)", "备注（可选）";
        CreateTopic => "Create topic", "创建 Topic";
        CreateGroup => "Create group", "创建 Group";
        TopicValid => "Valid topic name.", "Topic 名称有效。";
        GroupValid => "Valid group ID.", "Group ID 有效。";
        TopicInvalid => "Invalid topic name.", "Topic 名称无效。";
        GroupInvalid => "Invalid group ID.", "Group ID 无效。";
        GroupAdviceSaid => "Accepted, but group IDs usually start with GID_ (Terraform and older tools require it): the button “Use GID_…” after the protocol adds it.", "可以使用，但 Group ID 通常以 GID_ 开头（Terraform 和较早的工具要求如此）：协议类型之后的“改用 GID_…”按钮可加上前缀。";
        SearchTopics => "Search topics", "搜索 Topic";
        SearchGroups => "Search groups", "搜索 Group";
        SearchTopicsHint => "name or remark", "名称或备注";
        SearchGroupsHint => "ID or remark", "ID 或备注";
        RefreshTopics => "Read the instance's topics again (OnsTopicList).", "重新读取此实例的 Topic（OnsTopicList）。";
        RefreshGroups => "Read the instance's groups again (OnsGroupList).", "重新读取此实例的 Group（OnsGroupList）。";
        RefreshTopicsName => "Refresh the topics", "刷新 Topic 列表";
        RefreshGroupsName => "Refresh the groups", "刷新 Group 列表";
        LoadingTopics => "Loading the topics…", "正在加载 Topic…";
        LoadingGroups => "Loading the groups…", "正在加载 Group…";
        NoTopics => "No topics yet: a client needs one to send or receive.", "还没有 Topic：客户端需要 Topic 才能收发消息。";
        NoGroups => "No groups yet: a consumer needs one to receive.", "还没有 Group：消费者需要 Group 才能接收消息。";
        NoTopicMatch => "No topic matches the search.", "没有与搜索匹配的 Topic。";
        NoGroupMatch => "No group matches the search.", "没有与搜索匹配的 Group。";
        TopicsFailed => "The topics could not be listed:", "无法列出 Topic：";
        GroupsFailed => "The groups could not be listed:", "无法列出 Group：";
        ColTopic => "Topic", "Topic";
        ColGroup => "Group ID", "Group ID";
        ColType => "Type", "消息类型";
        ColProtocol => "Protocol", "协议类型";
        ColStatus => "Status", "状态";
        ColRemark => "Remark", "备注";
        ColCreated => "Created", "创建时间";
        StatusCreating => "creating", "创建中";
        StatusInService => "in service", "服务中";
        TypeNormal => "normal", "普通消息";
        TypePartitionOrder => "partitionally ordered", "分区顺序消息";
        TypeGlobalOrder => "globally ordered", "全局顺序消息";
        TypeTransaction => "transactional", "事务消息";
        TypeDelay => "scheduled/delayed", "定时/延时消息";
        Unknown => "unknown", "未知";
        DeleteRow => "Delete…", "删除…";
        DeleteTopicTitle => "Delete topic", "删除 Topic";
        DeleteGroupTitle => "Delete group", "删除 Group";
        DeleteTopicStops => "Producers that send to it and consumers that subscribe to it stop working at once, and the messages it holds are lost.", "向它发送消息的生产者和订阅它的消费者会立即停止工作，其中的消息也会丢失。";
        DeleteGroupStops => "Consumers that use it stop receiving messages at once, and where they had got to is lost.", "使用它的消费者会立即停止接收消息，消费进度也会丢失。";
        ConfirmTopic => "Type the topic's name to confirm", "输入 Topic 名称以确认";
        ConfirmGroup => "Type the group ID to confirm", "输入 Group ID 以确认";
        NotCreated => "Not created", "未创建";
        NotDeleted => "Not deleted", "未删除";
        Followed => "onsdesk reads it again until it is in service.", "onsdesk 会再次读取，直到它变为服务中。";
        CheckTheList => "Refresh the list to see whether it happened before trying again.", "请先刷新列表确认是否已生效，再决定是否重试。";
        GoToTopics => "Go to the topics", "前往 Topic 管理";
        GoToGroups => "Go to the groups", "前往 Group 管理";
        ConfigTitle => "Client config", "客户端配置";
        ConfigTopic => "Topic", "Topic";
        ConfigGroup => "Group", "Group";
        ConfigFormat => "Format", "格式";
        ConfigEndpoint => "Endpoint", "接入点";
        EndpointVpc => "VPC", "VPC 内网";
        EndpointInternet => "Public internet", "公网";
        CopyConfig => "Copy client config", "复制客户端配置";
        NoTopicChosen => "none (a placeholder)", "无（占位符）";
        ConfigNoTopic => "This instance has no topic yet: the config holds a placeholder. Create one under Topics.", "此实例还没有 Topic：配置中是占位符。请在“Topic 管理”中创建。";
        ConfigNoGroup => "This instance has no TCP group yet: the config holds a placeholder. Create one under Groups.", "此实例还没有 TCP 协议的 Group：配置中是占位符。请在“Group 管理”中创建。";
        ConfigTemporaryKey => "This AccessKey ID is temporary (STS): a config made with it stops working when its token expires. Use a RAM user's AccessKey for an application.", "此 AccessKey ID 是临时凭证（STS）：用它生成的配置会在令牌过期后失效。应用程序请使用 RAM 用户的 AccessKey。";
        ConfigLoading => "Reading the instance's endpoints, topics and groups…", "正在读取实例的接入点、Topic 和 Group…";
        ConfigEndpointsFailed => "The instance's endpoints could not be read:", "无法读取实例的接入点：";
        HttpGroupsLeftOut => "HTTP groups are not offered: a TCP client cannot use them.", "未列出 HTTP 协议的 Group：TCP 客户端不能使用它们。";
    }
}

impl Lang {
    /// A message type as the console names it (`Other`: its number).
    #[must_use]
    pub fn message_type(self, t: MessageType) -> String {
        let key = match t {
            MessageType::Normal => TopicsText::TypeNormal,
            MessageType::PartitionOrder => TopicsText::TypePartitionOrder,
            MessageType::GlobalOrder => TopicsText::TypeGlobalOrder,
            MessageType::Transaction => TopicsText::TypeTransaction,
            MessageType::Delay => TopicsText::TypeDelay,
            MessageType::Other(n) => {
                return match self {
                    Self::En => format!("type {n}"),
                    Self::Zh => format!("类型 {n}"),
                };
            }
        };
        self.t(key).to_owned()
    }

    /// A topic's state in words (`Other`: its number).
    #[must_use]
    pub fn topic_status(self, s: TopicStatus) -> String {
        match s {
            TopicStatus::Creating => self.t(TopicsText::StatusCreating).to_owned(),
            TopicStatus::InService => self.t(TopicsText::StatusInService).to_owned(),
            TopicStatus::Other(n) => match self {
                Self::En => format!("status {n}"),
                Self::Zh => format!("状态 {n}"),
            },
        }
    }

    /// A group's protocol as a row shows it (an unknown one as the service sent it).
    #[must_use]
    pub fn group_protocol(self, t: &GroupType) -> String {
        match t {
            GroupType::Tcp => self.t(TopicsText::ProtocolTcp).to_owned(),
            GroupType::Http => self.t(TopicsText::ProtocolHttp).to_owned(),
            GroupType::Other(s) => s.clone(),
        }
    }

    /// A topic row as a screen reader reads it: "topic orders, normal, in service".
    #[must_use]
    pub fn topic_row(self, name: &str, kind: &str, status: &str) -> String {
        match self {
            Self::En => format!("topic {name}, {kind}, {status}"),
            Self::Zh => format!("Topic {name}，{kind}，{status}"),
        }
    }

    /// A group row as a screen reader reads it: "group GID_orders, TCP".
    #[must_use]
    pub fn group_row(self, id: &str, protocol: &str) -> String {
        match self {
            Self::En => format!("group {id}, {protocol}"),
            Self::Zh => format!("Group {id}，{protocol}"),
        }
    }

    /// A tab with its count: "Topics (3)".
    #[must_use]
    pub fn tab_with_count(self, tab: TopicsText, count: Option<usize>) -> String {
        match count {
            Some(n) => match self {
                Self::En => format!("{} ({n})", self.t(tab)),
                Self::Zh => format!("{}（{n}）", self.t(tab)),
            },
            None => self.t(tab).to_owned(),
        }
    }

    /// The accessible name of a topic row's Copy.
    #[must_use]
    pub fn copy_topic_name(self, name: &str) -> String {
        match self {
            Self::En => format!("Copy the topic name {name}"),
            Self::Zh => format!("复制 Topic 名称 {name}"),
        }
    }

    /// The accessible name of a group row's Copy.
    #[must_use]
    pub fn copy_group_id(self, id: &str) -> String {
        match self {
            Self::En => format!("Copy the group ID {id}"),
            Self::Zh => format!("复制 Group ID {id}"),
        }
    }

    /// The accessible name of a topic row's Delete….
    #[must_use]
    pub fn delete_topic_named(self, name: &str) -> String {
        match self {
            Self::En => format!("Delete the topic {name}…"),
            Self::Zh => format!("删除 Topic {name}…"),
        }
    }

    /// The accessible name of a group row's Delete….
    #[must_use]
    pub fn delete_group_named(self, id: &str) -> String {
        match self {
            Self::En => format!("Delete the group {id}…"),
            Self::Zh => format!("删除 Group {id}…"),
        }
    }

    /// "3 of 5 topics" above a list.
    #[must_use]
    pub fn held_count(self, topics: bool, shown: usize, total: usize) -> String {
        let (en, zh) = match (topics, total) {
            (true, 1) => ("topic", "个 Topic"),
            (true, _) => ("topics", "个 Topic"),
            (false, 1) => ("group", "个 Group"),
            (false, _) => ("groups", "个 Group"),
        };
        match self {
            Self::En if shown == total => format!("{total} {en}"),
            Self::En => format!("{shown} of {total} {en}"),
            Self::Zh if shown == total => format!("{total} {zh}"),
            Self::Zh => format!("{total} {zh}中的 {shown} 个"),
        }
    }

    /// How many entries of a list were left out: the reply described them with names of no
    /// valid shape, or listed a name twice.
    #[must_use]
    pub fn held_left_out(self, n: usize) -> String {
        match self {
            Self::En if n == 1 => "⚠ 1 listed entry was left out: the reply gave it an invalid name or listed it twice, so it is not shown (check the endpoint and any proxy).".to_owned(),
            Self::En => format!("⚠ {n} listed entries were left out: the reply gave them invalid names or listed them twice, so they are not shown (check the endpoint and any proxy)."),
            Self::Zh => format!("⚠ 有 {n} 项未显示：回复中它们的名称无效或重复（请检查接入点和代理）。"),
        }
    }

    /// The delete dialog's question for a topic or a group.
    #[must_use]
    pub fn delete_held_question(
        self,
        topic: bool,
        name: &str,
        instance: &str,
        instance_id: &str,
    ) -> String {
        match (self, topic) {
            (Self::En, true) => {
                format!("Delete the topic {name} of {instance} ({instance_id})?")
            }
            (Self::En, false) => {
                format!("Delete the group {name} of {instance} ({instance_id})?")
            }
            (Self::Zh, true) => {
                format!("确定删除实例 {instance}（{instance_id}）的 Topic {name} 吗？")
            }
            (Self::Zh, false) => {
                format!("确定删除实例 {instance}（{instance_id}）的 Group {name} 吗？")
            }
        }
    }

    /// Why a topic name is refused, in a full sentence (`Empty`: the rule, neutrally).
    #[must_use]
    pub fn topic_name_error(self, err: &TopicNameError) -> String {
        match (self, err) {
            (Self::En, TopicNameError::Empty) => format!(
                "{TOPIC_MIN_CHARS} to {TOPIC_MAX_CHARS} characters: letters, digits, '-' or '_'; not starting with CID or GID."
            ),
            (Self::Zh, TopicNameError::Empty) => format!(
                "{TOPIC_MIN_CHARS} 到 {TOPIC_MAX_CHARS} 个字符：字母、数字、“-”或“_”；不能以 CID 或 GID 开头。"
            ),
            (Self::En, TopicNameError::TooShort { chars }) => format!(
                "Too short: {chars} character{}; a topic name needs at least {TOPIC_MIN_CHARS}.",
                plural(*chars)
            ),
            (Self::Zh, TopicNameError::TooShort { chars }) => {
                format!("太短：当前 {chars} 个字符，Topic 名称至少需要 {TOPIC_MIN_CHARS} 个。")
            }
            (Self::En, TopicNameError::TooLong { chars }) => {
                format!("Too long: {chars} characters; at most {TOPIC_MAX_CHARS} are allowed.")
            }
            (Self::Zh, TopicNameError::TooLong { chars }) => {
                format!("太长：当前 {chars} 个字符，最多 {TOPIC_MAX_CHARS} 个。")
            }
            (_, TopicNameError::BadChar { ch, position, kind }) => {
                self.ascii_bad_char(*ch, *position, *kind)
            }
            (Self::En, TopicNameError::ReservedPrefix { prefix }) => format!(
                "A topic name cannot start with {prefix} (in capitals or not): that prefix marks group IDs."
            ),
            (Self::Zh, TopicNameError::ReservedPrefix { prefix }) => {
                format!("Topic 名称不能以 {prefix} 开头（不区分大小写）：该前缀用于 Group ID。")
            }
        }
    }

    /// Why a group ID is refused, in a full sentence (`Empty`: the rule, neutrally).
    #[must_use]
    pub fn group_id_error(self, err: &GroupIdError) -> String {
        match (self, err) {
            (Self::En, GroupIdError::Empty) => format!(
                "{GROUP_MIN_CHARS} to {GROUP_MAX_CHARS} characters: letters, digits, '-' or '_'; usually GID_ and a name."
            ),
            (Self::Zh, GroupIdError::Empty) => format!(
                "{GROUP_MIN_CHARS} 到 {GROUP_MAX_CHARS} 个字符：字母、数字、“-”或“_”；通常以 GID_ 开头。"
            ),
            (Self::En, GroupIdError::TooShort { chars }) => format!(
                "Too short: {chars} character{}; a group ID needs at least {GROUP_MIN_CHARS}.",
                plural(*chars)
            ),
            (Self::Zh, GroupIdError::TooShort { chars }) => {
                format!("太短：当前 {chars} 个字符，Group ID 至少需要 {GROUP_MIN_CHARS} 个。")
            }
            (Self::En, GroupIdError::TooLong { chars }) => {
                format!("Too long: {chars} characters; at most {GROUP_MAX_CHARS} are allowed.")
            }
            (Self::Zh, GroupIdError::TooLong { chars }) => {
                format!("太长：当前 {chars} 个字符，最多 {GROUP_MAX_CHARS} 个。")
            }
            (_, GroupIdError::BadChar { ch, position, kind }) => {
                self.ascii_bad_char(*ch, *position, *kind)
            }
        }
    }

    /// A topic name's verdict as a screen reader says it with the field, after "Invalid topic
    /// name.": the reasons under the field, less what changes with every key (a count), so a
    /// reader that says the field's description whenever it changes does not say it again at
    /// each character (`Empty`: the rule, neutrally).
    #[must_use]
    pub fn topic_name_said(self, err: &TopicNameError) -> String {
        let why = match (self, err) {
            (_, TopicNameError::Empty) => return self.topic_name_error(err),
            (Self::En, TopicNameError::TooShort { .. }) => {
                format!("Too short: a topic name needs at least {TOPIC_MIN_CHARS} characters.")
            }
            (Self::Zh, TopicNameError::TooShort { .. }) => {
                format!("太短：Topic 名称至少需要 {TOPIC_MIN_CHARS} 个字符。")
            }
            (Self::En, TopicNameError::TooLong { .. }) => {
                format!("Too long: a topic name has at most {TOPIC_MAX_CHARS} characters.")
            }
            (Self::Zh, TopicNameError::TooLong { .. }) => {
                format!("太长：Topic 名称最多 {TOPIC_MAX_CHARS} 个字符。")
            }
            _ => self.topic_name_error(err),
        };
        self.sentences(&[self.t(TopicsText::TopicInvalid), &why])
    }

    /// A group ID's verdict as a screen reader says it, as [`Self::topic_name_said`].
    #[must_use]
    pub fn group_id_said(self, err: &GroupIdError) -> String {
        let why = match (self, err) {
            (_, GroupIdError::Empty) => return self.group_id_error(err),
            (Self::En, GroupIdError::TooShort { .. }) => {
                format!("Too short: a group ID needs at least {GROUP_MIN_CHARS} characters.")
            }
            (Self::Zh, GroupIdError::TooShort { .. }) => {
                format!("太短：Group ID 至少需要 {GROUP_MIN_CHARS} 个字符。")
            }
            (Self::En, GroupIdError::TooLong { .. }) => {
                format!("Too long: a group ID has at most {GROUP_MAX_CHARS} characters.")
            }
            (Self::Zh, GroupIdError::TooLong { .. }) => {
                format!("太长：Group ID 最多 {GROUP_MAX_CHARS} 个字符。")
            }
            _ => self.group_id_error(err),
        };
        self.sentences(&[self.t(TopicsText::GroupInvalid), &why])
    }

    /// The advice about a group ID without `GID_`, as a screen reader says it with the field:
    /// without the suggestion, which changes with every key (the button that takes it says it).
    #[must_use]
    pub fn group_id_advice_said(self, advice: &GroupIdAdvice) -> String {
        let GroupIdAdvice::MissingPrefix { suggestion } = advice;
        match suggestion {
            Some(_) => self.t(TopicsText::GroupAdviceSaid).to_owned(),
            None => self.group_id_advice(advice),
        }
    }

    /// The advice about a group ID that is accepted but has no `GID_` prefix.
    #[must_use]
    pub fn group_id_advice(self, advice: &GroupIdAdvice) -> String {
        let GroupIdAdvice::MissingPrefix { suggestion } = advice;
        match (self, suggestion) {
            (Self::En, Some(s)) => format!(
                "Accepted. Group IDs usually start with GID_ (Terraform and older tools require it): consider {s}."
            ),
            (Self::En, None) => format!(
                "Accepted. Group IDs usually start with GID_ (Terraform and older tools require it), but with it this ID would be longer than {GROUP_MAX_CHARS} characters."
            ),
            (Self::Zh, Some(s)) => {
                format!(
                    "可以使用。Group ID 通常以 GID_ 开头（Terraform 和较早的工具要求如此）：建议使用 {s}。"
                )
            }
            (Self::Zh, None) => format!(
                "可以使用。Group ID 通常以 GID_ 开头（Terraform 和较早的工具要求如此），但加上前缀后此 ID 会超过 {GROUP_MAX_CHARS} 个字符。"
            ),
        }
    }

    /// A topic's or group's remark over its limit.
    #[must_use]
    pub fn held_remark_error(self, err: &RemarkTooLong) -> String {
        let RemarkTooLong { chars, max_chars } = err;
        match self {
            Self::En => {
                format!("The remark has {chars} characters; at most {max_chars} are allowed.")
            }
            Self::Zh => format!("备注有 {chars} 个字符，最多 {max_chars} 个。"),
        }
    }

    /// A character a topic name or group ID cannot hold, and what it can.
    fn ascii_bad_char(self, ch: char, position: usize, kind: BadCharKind) -> String {
        let code = u32::from(ch);
        let shown = !(ch.is_control() || matches!(kind, BadCharKind::Control | BadCharKind::Space));
        match self {
            Self::En => {
                let label = if shown {
                    format!("'{ch}' (U+{code:04X})")
                } else {
                    format!("U+{code:04X}")
                };
                let what = match kind {
                    BadCharKind::Space => "is a space".to_owned(),
                    BadCharKind::Control => {
                        "is a control character (such as a line break)".to_owned()
                    }
                    BadCharKind::FullWidth(half) => {
                        format!("is a full-width character; type the half-width '{half}' instead")
                    }
                    BadCharKind::CjkPunctuation => "is Chinese punctuation".to_owned(),
                    BadCharKind::Emoji => "is an emoji".to_owned(),
                    BadCharKind::AsciiPunctuation | BadCharKind::Other => {
                        "is not allowed".to_owned()
                    }
                };
                format!(
                    "Character {position}, {label}, {what}. Use letters (A-Z, a-z), digits, '-' or '_'."
                )
            }
            Self::Zh => {
                let label = if shown {
                    format!("“{ch}”（U+{code:04X}）")
                } else {
                    format!(" U+{code:04X} ")
                };
                let what = match kind {
                    BadCharKind::Space => "是空格".to_owned(),
                    BadCharKind::Control => "是控制字符（例如换行）".to_owned(),
                    BadCharKind::FullWidth(half) => format!("是全角字符，请改用半角的“{half}”"),
                    BadCharKind::CjkPunctuation => "是中文标点".to_owned(),
                    BadCharKind::Emoji => "是表情符号".to_owned(),
                    BadCharKind::AsciiPunctuation | BadCharKind::Other => "不能使用".to_owned(),
                };
                format!(
                    "第 {position} 个字符{label}{what}。只能使用字母（A-Z、a-z）、数字、“-”或“_”。"
                )
            }
        }
    }

    /// The name typed is already held in this instance, by a topic or by a group (they share
    /// one namespace): said under the field, before anything is sent.
    #[must_use]
    pub fn name_held(self, name: &str, by_topic: bool) -> String {
        match (self, by_topic) {
            (Self::En, true) => format!("{name} is already a topic of this instance."),
            (Self::En, false) => format!(
                "{name} is already a group of this instance (topics and groups share one set of names)."
            ),
            (Self::Zh, true) => format!("此实例中已有 Topic {name}。"),
            (Self::Zh, false) => {
                format!("此实例中已有 Group {name}（Topic 与 Group 共用同一套名称）。")
            }
        }
    }

    /// Why no client config can be made.
    #[must_use]
    pub fn connect_error(self, err: &ConnectError) -> String {
        match (self, err) {
            (Self::En, ConnectError::NoEndpoint { kind: TcpEndpointKind::Internet }) => {
                "This instance has no public TCP endpoint: not every region or instance offers one. Use the VPC endpoint from inside the VPC.".to_owned()
            }
            (Self::Zh, ConnectError::NoEndpoint { kind: TcpEndpointKind::Internet }) => {
                "此实例没有公网 TCP 接入点：并非所有地域或实例都提供。请在 VPC 内使用 VPC 内网接入点。".to_owned()
            }
            (Self::En, ConnectError::NoEndpoint { kind: TcpEndpointKind::Vpc }) => {
                "This instance has no VPC TCP endpoint.".to_owned()
            }
            (Self::Zh, ConnectError::NoEndpoint { kind: TcpEndpointKind::Vpc }) => {
                "此实例没有 VPC 内网 TCP 接入点。".to_owned()
            }
            (Self::En, ConnectError::Endpoint(bad)) => format!(
                "The TCP endpoint the service returned cannot be used: {}",
                bad_endpoint(*bad)
            ),
            (Self::Zh, ConnectError::Endpoint(bad)) => format!(
                "服务返回的 TCP 接入点无法使用：{}",
                bad_endpoint(*bad)
            ),
            // The instance ID, the AccessKey ID, a listed topic or group of a shape the config
            // refuses: rare enough to be said as the core says it.
            (_, other) => other.to_string(),
        }
    }

    /// Where the secret comes from instead, and the AccessKey ID the config names.
    #[must_use]
    pub fn config_secret_note(self, access_key_id: &str) -> String {
        match self {
            Self::En => format!(
                "AccessKey ID {access_key_id}. The secret is never shown or copied: the config reads it from the environment variable {SECRET_ENV_VAR}."
            ),
            Self::Zh => format!(
                "AccessKey ID 为 {access_key_id}。Secret 不会显示或复制：配置从环境变量 {SECRET_ENV_VAR} 读取它。"
            ),
        }
    }

    /// Said when the config was copied.
    #[must_use]
    pub fn config_copied(self, format: &str, topic: Option<&str>, group: Option<&str>) -> String {
        let none = self.t(TopicsText::NoTopicChosen);
        let (t, g) = (topic.unwrap_or(none), group.unwrap_or(none));
        match self {
            Self::En => format!("Client config copied ({format}; topic {t}, group {g})."),
            Self::Zh => format!("已复制客户端配置（{format}；Topic {t}，Group {g}）。"),
        }
    }
}

/// What a topic or group change is, for its sentences: which of the two, and whether it
/// creates or deletes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeldWhat {
    pub topic: bool,
    pub delete: bool,
}

impl Lang {
    /// "the topic orders", "the group GID_orders".
    fn the_held(self, topic: bool, name: &str) -> String {
        match (self, topic) {
            (Self::En, true) => format!("the topic {name}"),
            (Self::En, false) => format!("the group {name}"),
            (Self::Zh, true) => format!("Topic {name}"),
            (Self::Zh, false) => format!("Group {name}"),
        }
    }

    /// A change under way: "Creating the topic orders in legacy-orders".
    #[must_use]
    pub fn held_running(self, what: HeldWhat, name: &str, instance: &str) -> String {
        let it = self.the_held(what.topic, name);
        match (self, what.delete) {
            (Self::En, false) => format!("Creating {it} in {instance}…"),
            (Self::En, true) => format!("Deleting {it} of {instance}…"),
            (Self::Zh, false) => format!("正在 {instance} 中创建 {it}…"),
            (Self::Zh, true) => format!("正在删除 {instance} 的 {it}…"),
        }
    }

    /// A change that took effect: "Topic orders created in legacy-orders (MQ_INST_…)."
    #[must_use]
    pub fn held_done(self, what: HeldWhat, name: &str, instance: &str, id: &str) -> String {
        match (self, what.topic, what.delete) {
            (Self::En, true, false) => format!("Topic {name} created in {instance} ({id})."),
            (Self::En, false, false) => format!("Group {name} created in {instance} ({id})."),
            (Self::En, true, true) => format!("Topic {name} deleted from {instance} ({id})."),
            (Self::En, false, true) => format!("Group {name} deleted from {instance} ({id})."),
            (Self::Zh, true, false) => format!("已在 {instance}（{id}）中创建 Topic {name}。"),
            (Self::Zh, false, false) => format!("已在 {instance}（{id}）中创建 Group {name}。"),
            (Self::Zh, true, true) => format!("已从 {instance}（{id}）中删除 Topic {name}。"),
            (Self::Zh, false, true) => format!("已从 {instance}（{id}）中删除 Group {name}。"),
        }
    }

    /// A change that did not happen, or may not have: "✖ Not created: topic orders
    /// (legacy-orders)". `unknown`: it may have.
    #[must_use]
    pub fn held_failed(self, what: HeldWhat, name: &str, instance: &str, unknown: bool) -> String {
        let title = match (unknown, what.delete) {
            (true, _) => self.t(super::CardText::OutcomeUnknown),
            (false, false) => self.t(TopicsText::NotCreated),
            (false, true) => self.t(TopicsText::NotDeleted),
        };
        let it = self.the_held(what.topic, name);
        let icon = if unknown { "⚠" } else { "✖" };
        match self {
            Self::En => format!("{icon} {title}: {it} ({instance})"),
            Self::Zh => format!("{icon} {title}：{it}（{instance}）"),
        }
    }

    /// Why a create was not sent: the name is held already.
    #[must_use]
    pub fn held_taken(
        self,
        creating_topic: bool,
        name: &str,
        instance: &str,
        by: &HeldBy,
    ) -> String {
        let holder = match (self, by) {
            (Self::En, HeldBy::Topic(t)) => format!(
                "a topic ({}, {})",
                t.message_type.map_or_else(
                    || self.t(TopicsText::Unknown).to_owned(),
                    |m| self.message_type(m)
                ),
                t.service_status.map_or_else(
                    || self.t(TopicsText::Unknown).to_owned(),
                    |s| self.topic_status(s)
                )
            ),
            (Self::Zh, HeldBy::Topic(t)) => format!(
                "Topic（{}，{}）",
                t.message_type.map_or_else(
                    || self.t(TopicsText::Unknown).to_owned(),
                    |m| self.message_type(m)
                ),
                t.service_status.map_or_else(
                    || self.t(TopicsText::Unknown).to_owned(),
                    |s| self.topic_status(s)
                )
            ),
            (_, HeldBy::Group(g)) => {
                let protocol = g.group_type.as_ref().map_or_else(
                    || self.t(TopicsText::Unknown).to_owned(),
                    |t| self.group_protocol(t),
                );
                match self {
                    Self::En => format!("a group ({protocol})"),
                    Self::Zh => format!("Group（{protocol}）"),
                }
            }
        };
        let shared = matches!(
            (creating_topic, by),
            (true, HeldBy::Group(_)) | (false, HeldBy::Topic(_))
        );
        match (self, shared) {
            (Self::En, false) => {
                format!("{name} already exists in {instance} as {holder}: nothing was sent.")
            }
            (Self::En, true) => format!(
                "{name} already exists in {instance} as {holder}; topics and groups share one set of names: nothing was sent."
            ),
            (Self::Zh, false) => {
                format!("{instance} 中已有 {name}，它是{holder}：未发送任何请求。")
            }
            (Self::Zh, true) => format!(
                "{instance} 中已有 {name}，它是{holder}；Topic 与 Group 共用同一套名称：未发送任何请求。"
            ),
        }
    }

    /// Why a delete was not sent: it is not listed any more.
    #[must_use]
    pub fn held_absent(self, topic: bool, name: &str, instance: &str) -> String {
        let it = self.the_held(topic, name);
        match self {
            Self::En => format!(
                "{instance} no longer lists {it} (deleted elsewhere?): nothing was sent. Refresh the list."
            ),
            Self::Zh => format!(
                "{instance} 中已没有 {it}（可能已在别处删除）：未发送任何请求。请刷新列表。"
            ),
        }
    }

    /// Why a change was not sent: the look before it failed.
    #[must_use]
    pub fn held_look_failed(self, delete: bool) -> &'static str {
        match (self, delete) {
            (Self::En, false) => {
                "The instance's topics and groups could not be listed to check that the name is free: nothing was sent."
            }
            (Self::En, true) => {
                "The instance's list could not be read to check that it is there: nothing was sent."
            }
            (Self::Zh, false) => "无法列出实例的 Topic 和 Group 以确认名称可用：未发送任何请求。",
            (Self::Zh, true) => "无法读取实例的列表以确认它仍存在：未发送任何请求。",
        }
    }

    /// How a create whose reply was lost was found not made, and not to be made: its name is
    /// held by another.
    #[must_use]
    pub fn held_taken_after_lost(self, topic: bool, name: &str) -> String {
        let list = match (self, topic) {
            (Self::En, true) => "topics",
            (Self::En, false) => "groups",
            (Self::Zh, true) => "Topic",
            (Self::Zh, false) => "Group",
        };
        match self {
            Self::En => format!(
                "The reply was lost, so onsdesk listed the instance's {list}: {name} is there, but of another type or made before this create. The name is taken: nothing was created, and the create was not sent again."
            ),
            Self::Zh => format!(
                "回复丢失，onsdesk 列出了实例的 {list}：{name} 已存在，但类型不同或创建于本次之前。该名称已被占用：没有创建任何内容，也没有再次发送创建请求。"
            ),
        }
    }

    /// How a change whose reply was lost was found to have happened.
    #[must_use]
    pub fn held_settled_by_looking(self, what: HeldWhat, name: &str) -> String {
        let list = match (self, what.topic) {
            (Self::En, true) => "topics",
            (Self::En, false) => "groups",
            (Self::Zh, true) => "Topic",
            (Self::Zh, false) => "Group",
        };
        match (self, what.delete) {
            (Self::En, false) => format!(
                "The reply was lost, so onsdesk listed the instance's {list}: {name} is there. One create was sent."
            ),
            (Self::En, true) => format!(
                "The reply was lost, so onsdesk listed the instance's {list}: {name} is no longer there. No second delete was sent."
            ),
            (Self::Zh, false) => format!(
                "回复丢失，onsdesk 列出了实例的 {list}：{name} 已存在。只发送了一次创建请求。"
            ),
            (Self::Zh, true) => format!(
                "回复丢失，onsdesk 列出了实例的 {list}：{name} 已不存在。没有再次发送删除请求。"
            ),
        }
    }

    /// What to do about a refused or unknown topic or group change; `None` when the service's
    /// Code and Message say it all.
    #[must_use]
    pub fn held_advice(
        self,
        what: HeldWhat,
        kind: Option<ErrorKind>,
        unknown: bool,
    ) -> Option<String> {
        if unknown {
            return Some(self.t(TopicsText::CheckTheList).to_owned());
        }
        let action = match (what.topic, what.delete) {
            (true, false) => "mq:CreateTopic",
            (true, true) => "mq:DeleteTopic",
            (false, false) => "mq:CreateGroup",
            (false, true) => "mq:DeleteGroup",
        };
        Some(match (self, kind?) {
            (Self::En, ErrorKind::DuplicateName) => "The name is taken in this instance, by a topic or a group (they share one set of names): choose another.".to_owned(),
            (Self::Zh, ErrorKind::DuplicateName) => "此实例中该名称已被 Topic 或 Group 使用（二者共用同一套名称）：请换一个名称。".to_owned(),
            (Self::En, ErrorKind::QuotaReached) => "The instance holds as many groups as it may (1,000): delete those it no longer needs, or use another instance.".to_owned(),
            (Self::Zh, ErrorKind::QuotaReached) => "此实例的 Group 数量已达上限（1,000 个）：请删除不再需要的 Group，或使用其他实例。".to_owned(),
            (Self::En, ErrorKind::NotFound) if what.delete => "It is no longer there (deleted elsewhere?): refresh the list.".to_owned(),
            (Self::Zh, ErrorKind::NotFound) if what.delete => "它已不存在（可能已在别处删除）：请刷新列表。".to_owned(),
            (Self::En, ErrorKind::NotFound) => "The instance is no longer in this region: refresh the instance list.".to_owned(),
            (Self::Zh, ErrorKind::NotFound) => "该地域中已没有此实例：请刷新实例列表。".to_owned(),
            (Self::En, ErrorKind::NoPermission) => format!("This RAM user may not do that. Ask an administrator to grant {action}, with mq:QueryInstanceBaseInfo (for example with the AliyunMQFullAccess policy)."),
            (Self::Zh, ErrorKind::NoPermission) => format!("此 RAM 用户没有该权限。请联系管理员授予 {action} 及 mq:QueryInstanceBaseInfo 权限（例如 AliyunMQFullAccess 策略）。"),
            (Self::En, ErrorKind::Throttled) => "Too many requests: the account may make at most 10 topic and group calls per second. Wait a moment and try again.".to_owned(),
            (Self::Zh, ErrorKind::Throttled) => "请求过于频繁：每个账号每秒最多调用 10 次 Topic 和 Group 接口。请稍候重试。".to_owned(),
            (_, ErrorKind::ServerTrouble) => self.t(TopicsText::CheckTheList).to_owned(),
            (_, other) => self.advice(super::Advice::Service(other))?.to_owned(),
        })
    }

    /// The button that takes the advised group ID.
    #[must_use]
    pub fn use_suggestion(self, suggestion: &str) -> String {
        match self {
            Self::En => format!("Use {suggestion}"),
            Self::Zh => format!("改用 {suggestion}"),
        }
    }

    /// Above the list while a topic is followed.
    #[must_use]
    pub fn topic_followed(self, topic: &str) -> String {
        match self {
            Self::En => format!(
                "Topic {topic} is being created: onsdesk reads it again until it is in service."
            ),
            Self::Zh => format!("Topic {topic} 正在创建：onsdesk 会再次读取，直到它变为服务中。"),
        }
    }

    /// How following a new topic ended, and whether it is news to interrupt for (`None`: the
    /// follow panicked, a bug: nothing is known).
    #[must_use]
    pub fn followed(
        self,
        topic: &str,
        followed: Option<&Followed>,
        within_secs: u64,
    ) -> (String, bool) {
        match (self, followed) {
            (Self::En, Some(Followed::InService(_))) => (
                format!("Topic {topic} is in service: clients can use it."),
                false,
            ),
            (Self::Zh, Some(Followed::InService(_))) => (
                format!("Topic {topic} 已是服务中状态：客户端可以使用了。"),
                false,
            ),
            (Self::En, Some(Followed::StillCreating(_))) => (
                format!(
                    "Topic {topic} was still being created when onsdesk stopped checking (after {within_secs} s). Clients can use it once it is in service: Refresh to look again."
                ),
                true,
            ),
            (Self::Zh, Some(Followed::StillCreating(_))) => (
                format!(
                    "onsdesk 停止检查时（{within_secs} 秒后）Topic {topic} 仍在创建中。进入服务中状态后客户端才能使用：请刷新以再次查看。"
                ),
                true,
            ),
            (Self::En, Some(Followed::Unexpected(_))) => (
                format!(
                    "Topic {topic} is listed in a state onsdesk does not know: not followed further. Refresh to look again."
                ),
                true,
            ),
            (Self::Zh, Some(Followed::Unexpected(_))) => (
                format!("Topic {topic} 处于 onsdesk 无法识别的状态：不再跟踪。请刷新以再次查看。"),
                true,
            ),
            (Self::En, Some(Followed::Gone)) => (
                format!("Topic {topic} is no longer listed (deleted meanwhile?)."),
                true,
            ),
            (Self::Zh, Some(Followed::Gone)) => (
                format!("列表中已没有 Topic {topic}（可能已被删除）。"),
                true,
            ),
            (Self::En, Some(Followed::CouldNotTell(e))) => (
                format!(
                    "Topic {topic} exists, but its state could not be read: {}. Refresh to look again.",
                    self.api_error(e)
                ),
                true,
            ),
            (Self::Zh, Some(Followed::CouldNotTell(e))) => (
                format!(
                    "Topic {topic} 已存在，但无法读取其状态：{}。请刷新以再次查看。",
                    self.api_error(e)
                ),
                true,
            ),
            (_, None) => (
                self.t(super::CardText::InternalFaultExplained).to_owned(),
                true,
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// An unusable endpoint, without repeating it (it came from a reply).
fn bad_endpoint(bad: BadEndpoint) -> String {
    bad.to_string()
}
