//! The Instances view's words: the region's list, an instance's details, rename and delete.

use super::Lang;

texts! {
    /// A fixed piece of text of this feature; [`Lang::t`] gives it in a language.
    InstancesText {
        ViewCreate => "Create instance", "创建实例";
        ViewInstances => "Instances", "实例列表";
        Search => "Search instances", "搜索实例";
        SearchHint => "name, instance ID or remark", "名称、实例 ID 或备注";
        Refresh => "Refresh", "刷新";
        RefreshHint => "Read the region's instances again (OnsInstanceInServiceList).", "重新读取该地域的实例（OnsInstanceInServiceList）。";
        Loading => "Loading the region's instances…", "正在加载该地域的实例…";
        Empty => "No instances in this region.", "该地域没有实例。";
        NoMatch => "No instance matches the search.", "没有与搜索匹配的实例。";
        ListFailed => "The list could not be loaded.", "无法加载实例列表。";
        ColName => "Name", "实例名称";
        ColStatus => "Status", "状态";
        ColTopics => "Topics", "Topic";
        ColGroups => "Groups", "Group";
        ColCreated => "Created", "创建时间";
        Badge => "onsdesk", "onsdesk";
        BadgeHint => "Created with onsdesk: the history records it.", "由 onsdesk 创建：创建记录中有它。";
        SelectHint => "Select an instance to see its details, rename it or delete it.", "选择一个实例以查看详情、重命名或删除。";
        Endpoints => "Endpoints", "接入点";
        DetailsFailed => "The details could not be loaded:", "无法加载详情：";
        DetailsReading => "Reading the details…", "正在读取详情…";
        EditTitle => "Rename / edit remark", "重命名 / 修改备注";
        Save => "Save", "保存";
        NothingChanged => "Change the name or the remark to save.", "修改名称或备注后才能保存。";
        Saving => "Saving…", "正在保存…";
        DeleteOpen => "Delete…", "删除…";
        DeleteTitle => "Delete instance", "删除实例";
        DeleteIrreversible => "This cannot be undone.", "此操作无法撤销。";
        DeleteNotEmpty => "Alibaba Cloud refuses to delete an instance that still has topics or groups: delete them first (under Topics and Groups).", "实例中仍有 Topic 或 Group 时，阿里云会拒绝删除：请先删除它们（在“Topic 管理”和“Group 管理”中）。";
        ConfirmLabel => "Type the instance's name to confirm", "输入实例名称以确认";
        ConfirmMismatch => "The name does not match yet: type it exactly, capital and small letters as shown.", "名称尚不一致：请按所示逐字输入，大小写须一致。";
        ConfirmMismatchEnter => "Nothing was deleted: the name does not match yet. Type it exactly, capital and small letters as shown.", "未删除任何内容：名称尚不一致。请按所示逐字输入，大小写须一致。";
        ConfirmMatches => "The name matches: Enter deletes.", "名称一致：按 Enter 即删除。";
        DeleteConfirm => "Delete", "删除";
        Deleting => "Deleting…", "正在删除…";
        NotUpdated => "Not updated", "未更新";
        NotDeleted => "Not deleted", "未删除";
        CheckTheList => "Refresh the list to see whether it happened before trying again.", "请先刷新列表确认是否已生效，再决定是否重试。";
        EmptyItFirst => "Delete its topics and groups first (under Topics and Groups), then try again.", "请先删除它的 Topic 和 Group（在“Topic 管理”和“Group 管理”中），然后重试。";
        GoneAlready => "It is no longer in this region: refresh the list.", "该地域中已没有此实例：请刷新列表。";
        NoPermissionUpdate => "This RAM user may not change instances. Ask an administrator for the mq permission to update instances (for example with the AliyunMQFullAccess policy).", "此 RAM 用户没有修改实例的权限。请联系管理员授予 mq 的实例修改权限（例如 AliyunMQFullAccess 策略）。";
        NoPermissionDelete => "This RAM user may not delete instances. Ask an administrator to grant mq:DeleteInstance, together with mq:QueryInstanceBaseInfo, which it needs (for example with the AliyunMQFullAccess policy).", "此 RAM 用户没有删除实例的权限。请联系管理员授予 mq:DeleteInstance 及其依赖的 mq:QueryInstanceBaseInfo 权限（例如 AliyunMQFullAccess 策略）。";
        ThrottledChange => "Too many requests: the account may make at most 10 update or delete calls per second. Wait a moment and try again.", "请求过于频繁：每个账号每秒最多调用 10 次修改或删除接口。请稍候重试。";
        StatusDeploying => "deploying", "部署中";
        StatusOverdue => "overdue", "已欠费";
        StatusInService => "in service", "服务中";
        StatusUpgrading => "upgrading", "升级中";
        UpdateSettledByLooking => "The reply was lost, so onsdesk read the instance back: it shows the change. Nothing was sent twice.", "回复丢失，onsdesk 重新读取了该实例：修改已生效。没有重复发送请求。";
        DeleteSettledByLooking => "The reply was lost, so onsdesk looked at the region's list: the instance is no longer in it. No second delete was sent.", "回复丢失，onsdesk 查看了该地域的实例列表：实例已不在其中。没有再次发送删除请求。";
        TabOverview => "Overview", "基本信息";
    }
}

impl Lang {
    /// An instance's status code in words; `None`: the reply gave none.
    #[must_use]
    pub fn instance_status(self, status: Option<i64>) -> String {
        let Some(status) = status else {
            return match self {
                Self::En => "status unknown".to_owned(),
                Self::Zh => "状态未知".to_owned(),
            };
        };
        let key = match status {
            0 | 1 => InstancesText::StatusDeploying,
            2 => InstancesText::StatusOverdue,
            5 => InstancesText::StatusInService,
            7 => InstancesText::StatusUpgrading,
            n => {
                return match self {
                    Self::En => format!("status {n}"),
                    Self::Zh => format!("状态 {n}"),
                };
            }
        };
        self.t(key).to_owned()
    }

    /// The accessible name of a row's Copy button.
    #[must_use]
    pub fn instances_copy_id(self, id: &str) -> String {
        match self {
            Self::En => format!("Copy the instance ID {id}"),
            Self::Zh => format!("复制实例 ID {id}"),
        }
    }

    /// The accessible name of the button that closes an instance's details.
    #[must_use]
    pub fn close_details(self, name: &str) -> String {
        match self {
            Self::En => format!("Close the details of {name}"),
            Self::Zh => format!("关闭 {name} 的详情"),
        }
    }

    /// What a screen reader reads after an instance row's name.
    #[must_use]
    pub fn instance_row_description(
        self,
        id: &str,
        status: &str,
        topics: Option<u64>,
        groups: Option<u64>,
    ) -> String {
        let counts = self.resource_counts(topics, groups);
        match self {
            Self::En => format!("{id}, {status}, {counts}"),
            Self::Zh => format!("{id}，{status}，{counts}"),
        }
    }

    /// The accessible name of the badge on a row: which instance onsdesk created.
    #[must_use]
    pub fn created_by_onsdesk(self, name: &str) -> String {
        match self {
            Self::En => format!("{name} was created with onsdesk"),
            Self::Zh => format!("{name} 由 onsdesk 创建"),
        }
    }

    /// "3 of 5" above the list.
    #[must_use]
    pub fn instances_count(self, shown: usize, total: usize, region: &str) -> String {
        match self {
            Self::En if shown == total => format!("{total} in {region}"),
            Self::En => format!("{shown} of {total} in {region}"),
            Self::Zh if shown == total => format!("{region}：{total} 个"),
            Self::Zh => format!("{region}：{total} 个中的 {shown} 个"),
        }
    }

    /// The count over the column of names beside an instance's details (no room for the
    /// region).
    #[must_use]
    pub fn instances_count_short(self, shown: usize, total: usize) -> String {
        match self {
            Self::En if shown == total && total == 1 => "1 instance".to_owned(),
            Self::En if shown == total => format!("{total} instances"),
            Self::En => format!("{shown} of {total} instances"),
            Self::Zh if shown == total => format!("{total} 个实例"),
            Self::Zh => format!("{total} 个实例中的 {shown} 个"),
        }
    }

    /// How many listed instances were left out because the reply described them with an
    /// invalid InstanceId, or listed one twice.
    #[must_use]
    pub fn instances_left_out(self, n: usize) -> String {
        match self {
            Self::En if n == 1 => "⚠ 1 listed instance was left out: the reply gave it an invalid instance ID or listed it twice, so it is not shown (check the endpoint and any proxy).".to_owned(),
            Self::En => format!("⚠ {n} listed instances were left out: the reply gave them invalid instance IDs or listed them twice, so they are not shown (check the endpoint and any proxy)."),
            Self::Zh => format!("⚠ 有 {n} 个实例未显示：回复中它们的实例 ID 无效或重复（请检查接入点和代理）。"),
        }
    }

    /// Topic and group counts in a sentence (`None`: not known).
    #[must_use]
    pub fn resource_counts(self, topics: Option<u64>, groups: Option<u64>) -> String {
        let n = |c: Option<u64>| c.map_or_else(|| "?".to_owned(), |c| c.to_string());
        match self {
            Self::En => format!("{} topics, {} groups", n(topics), n(groups)),
            Self::Zh => format!("{} 个 Topic，{} 个 Group", n(topics), n(groups)),
        }
    }

    /// The delete dialog's question.
    #[must_use]
    pub fn delete_question(self, name: &str, id: &str) -> String {
        match self {
            Self::En => format!("Delete the instance {name} ({id})?"),
            Self::Zh => format!("确定删除实例 {name}（{id}）吗？"),
        }
    }

    /// The delete dialog: what the instance holds now.
    #[must_use]
    pub fn delete_holds(self, topics: Option<u64>, groups: Option<u64>) -> String {
        match self {
            Self::En => format!("It has {}.", self.resource_counts(topics, groups)),
            Self::Zh => format!("它有 {}。", self.resource_counts(topics, groups)),
        }
    }

    /// The delete dialog: what an instance still holds, which the service will refuse to
    /// delete it for (`None`: not known).
    #[must_use]
    pub fn blocked_by(self, topics: Option<u64>, groups: Option<u64>) -> String {
        let n = |c: Option<u64>| c.map_or_else(|| "?".to_owned(), |c| c.to_string());
        let (t, g) = (n(topics), n(groups));
        match self {
            Self::En => {
                let topics = if topics == Some(1) { "topic" } else { "topics" };
                let groups = if groups == Some(1) { "group" } else { "groups" };
                format!(
                    "{t} {topics} and {g} {groups} left: Alibaba Cloud will refuse the delete until they are deleted."
                )
            }
            Self::Zh => {
                format!("还剩 {t} 个 Topic 和 {g} 个 Group：删除它们之前，阿里云会拒绝删除此实例。")
            }
        }
    }

    /// What a rename or remark change did, in one line.
    #[must_use]
    pub fn updated_line(self, old_name: &str, new_name: Option<&str>, id: &str) -> String {
        match (self, new_name) {
            (Self::En, Some(new)) => format!("{old_name} is now called {new} ({id})."),
            (Self::Zh, Some(new)) => format!("{old_name} 已重命名为 {new}（{id}）。"),
            (Self::En, None) => format!("The remark of {old_name} was changed ({id})."),
            (Self::Zh, None) => format!("{old_name} 的备注已修改（{id}）。"),
        }
    }

    /// What a delete did, in one line.
    #[must_use]
    pub fn deleted_line(self, name: &str, id: &str) -> String {
        match self {
            Self::En => format!("{name} ({id}) was deleted."),
            Self::Zh => format!("{name}（{id}）已删除。"),
        }
    }

    /// What is running, for the live status.
    #[must_use]
    pub fn instance_op_running(self, deleting: bool, name: &str) -> String {
        match (self, deleting) {
            (Self::En, false) => format!("Saving the changes to {name}"),
            (Self::Zh, false) => format!("正在保存对 {name} 的修改"),
            (Self::En, true) => format!("Deleting {name}"),
            (Self::Zh, true) => format!("正在删除 {name}"),
        }
    }
}
