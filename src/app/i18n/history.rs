//! The history panel's words.

use super::Lang;
use crate::app::recorder::{Refreshed, StoreFailure};
use crate::history::local_at;
use crate::history::refresh::ScopeFailure;
use crate::history::{Damage, EntryKind, HistoryError, IoAction};
use std::fmt::Write as _;

texts! {
    /// A fixed piece of text of this feature; [`Lang::t`] gives it in a language.
    HistoryText {
        History => "History", "创建记录";
        HistorySearch => "Search", "搜索";
        HistorySearchHint => "name, instance ID or remark (Ctrl+F)", "名称、实例 ID 或备注（Ctrl+F）";
        HistoryLoading => "Loading the history…", "正在加载创建记录…";
        HistoryEmpty => "No create attempts recorded yet. Each create is recorded here before its request is sent.", "尚无创建记录。每次创建都会在发送请求前记录在这里。";
        HistoryNoMatch => "No entry matches the search.", "没有与搜索匹配的记录。";
        HistoryName => "Name", "名称";
        ShowSandbox => "Sandbox entries", "沙箱记录";
        CheckUnsettled => "Check them now", "立即检查";
        ShowSandboxHint => "Show the creates made in the local sandbox (nothing was created on Alibaba Cloud). Shown by default only while the window uses the sandbox.", "显示在本地沙箱中进行的创建（未在阿里云上创建任何资源）。默认仅在窗口使用沙箱时显示。";
        SandboxBadge => "sandbox", "沙箱";
        SandboxBadgeHint => "Made in the local sandbox: nothing was created on Alibaba Cloud.", "在本地沙箱中创建：未在阿里云上创建任何资源。";
        HistoryStatus => "Status", "状态";
        SortNewestHint => "Newest first. Click for oldest first.", "最新的在前。点击改为最早的在前。";
        SortOldestHint => "Oldest first. Click for newest first.", "最早的在前。点击改为最新的在前。";
        StatusPending => "pending", "等待结果";
        StatusCreated => "created", "已创建";
        StatusAdopted => "adopted", "已找回";
        StatusRefused => "refused", "被拒绝";
        StatusNotCreated => "not created", "未创建";
        StatusUnknown => "unknown", "结果未知";
        StatusDeleted => "deleted", "已删除";
        StatusNotDeleted => "not deleted", "未删除";
        StatusDeletePending => "delete pending", "删除等待结果";
        StatusDeleteUnknown => "delete outcome unknown", "删除结果未知";
        StatusDeleteRefused => "delete refused", "删除被拒绝";
        HistoryKind => "Kind", "类型";
        KindInstance => "Instance", "实例";
        KindTopic => "Topic", "Topic";
        KindGroup => "Group", "Group";
        VerbCreate => "create", "创建";
        VerbDelete => "delete", "删除";
        BadgeTopic => "topic", "Topic";
        BadgeGroup => "group", "Group";
        CloudInService => "in service", "服务中";
        CloudNotFound => "not found in the cloud", "云上未找到";
        RefreshStatus => "Refresh status", "刷新状态";
        RefreshHint => "Ask Alibaba Cloud which of these instances exist (OnsInstanceInServiceList per region), with the credentials in use. Pending or unknown attempts found by exact name get their instance ID.", "使用当前凭证向阿里云查询这些实例是否存在（按地域调用 OnsInstanceInServiceList）。按名称精确找到的等待结果或结果未知的记录会补上实例 ID。";
        RefreshNeedsCreds => "Refresh status needs credentials and at least one entry.", "刷新状态需要凭证，且至少有一条记录。";
        Refreshing => "Checking…", "正在查询…";
        Export => "Export", "导出";
        ExportFolder => "Export folder", "导出文件夹";
        ExportCsv => "Save as CSV", "保存为 CSV";
        ExportJson => "Save as JSON", "保存为 JSON";
        HistoryShowDetail => "Show the details", "查看详情";
        HistoryRemark => "Remark", "备注";
        HistoryEndpoint => "Endpoint", "接入点";
        HistoryDetailNote => "Detail", "详情";
        HistoryCheckedAt => "Last checked", "上次查询";
        HistoryRemove => "Remove from history", "从创建记录中移除";
        HistoryRemoveNote => "Removes the entry from this computer's history only. The instance in Alibaba Cloud is not touched.", "仅从本机的创建记录中移除，不会影响阿里云上的实例。";
        CloseDetail => "Close", "关闭";
        Undo => "Undo", "撤销";
    }
}

impl Lang {
    /// "12 of 40" under the search.
    #[must_use]
    pub fn history_count(self, shown: usize, total: usize) -> String {
        match self {
            Self::En if shown == total && total == 1 => "1 entry".to_owned(),
            Self::En if shown == total => format!("{total} entries"),
            Self::En => format!("{shown} of {total}"),
            Self::Zh if shown == total => format!("共 {total} 条"),
            Self::Zh => format!("{total} 条中的 {shown} 条"),
        }
    }

    /// The start-up banner: earlier instance creates, and topic or group creates and deletes,
    /// whose outcome is not known.
    #[must_use]
    pub fn history_unsettled(self, instances: usize, changes: usize) -> String {
        let about_instances = match (self, instances) {
            (_, 0) => None,
            (Self::En, 1) => Some("1 earlier create has no known outcome (the window closed or the reply was lost): the instance may exist.".to_owned()),
            (Self::En, n) => Some(format!("{n} earlier creates have no known outcome (the window closed or the reply was lost): the instances may exist.")),
            (Self::Zh, n) => Some(format!("有 {n} 次之前的创建结果未知（窗口已关闭或回复丢失）：实例可能已经存在。")),
        };
        let about_changes = match (self, changes) {
            (_, 0) => None,
            (Self::En, 1) => Some("1 earlier topic or group create or delete has no known outcome (the window closed or the reply was lost).".to_owned()),
            (Self::En, n) => Some(format!("{n} earlier topic or group creates or deletes have no known outcome (the window closed or the reply was lost).")),
            (Self::Zh, n) => Some(format!("有 {n} 次之前的 Topic 或 Group 创建或删除结果未知（窗口已关闭或回复丢失）。")),
        };
        let sep = match self {
            Self::En => " ",
            Self::Zh => "",
        };
        [about_instances, about_changes]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// What an entry is about, in the detail: "Instance", "Topic · delete".
    #[must_use]
    pub fn history_kind(self, entry: &crate::history::Entry) -> String {
        use crate::history::{EntryKind, Verb};
        let kind = self.t(match entry.subject.kind() {
            EntryKind::Instance => HistoryText::KindInstance,
            EntryKind::Topic => HistoryText::KindTopic,
            EntryKind::Group => HistoryText::KindGroup,
        });
        if entry.subject.is_instance() {
            return kind.to_owned();
        }
        let verb = self.t(match entry.subject.verb() {
            Verb::Create => HistoryText::VerbCreate,
            Verb::Delete => HistoryText::VerbDelete,
        });
        format!("{kind} · {verb}")
    }

    /// A copy button's accessible name.
    #[must_use]
    pub fn history_copy_id(self, id: &str) -> String {
        match self {
            Self::En => format!("Copy instance ID {id}"),
            Self::Zh => format!("复制实例 ID {id}"),
        }
    }

    /// The accessible name of the Copy button in an entry's open detail (the row under it
    /// has one too; a screen reader tells them apart by name).
    #[must_use]
    pub fn history_copy_id_in_detail(self, id: &str) -> String {
        match self {
            Self::En => format!("Copy instance ID {id} from the details"),
            Self::Zh => format!("从详情中复制实例 ID {id}"),
        }
    }

    /// What happened to the history file while loading it.
    #[must_use]
    pub fn history_notice(self, notice: &crate::history::Notice) -> String {
        use crate::history::Notice;
        match (self, notice) {
            (Self::En, Notice::TornTail { path, bytes }) => format!(
                "The history's last record was cut short ({bytes} bytes, probably a crash while writing) and was ignored; every earlier entry loaded. ({})",
                path.display()
            ),
            (Self::Zh, Notice::TornTail { path, bytes }) => format!(
                "创建记录的最后一条不完整（{bytes} 字节，可能是写入时程序或电脑中断），已忽略；之前的记录都已加载。（{}）",
                path.display()
            ),
            (
                Self::En,
                Notice::MovedAside {
                    kept_as,
                    reason,
                    recovered,
                    unreadable_lines,
                },
            ) => format!(
                "The history file could not be read ({reason}). It was kept as {} and a new history was started with the {recovered} entries that could be read ({unreadable_lines} unreadable lines). Nothing was deleted.",
                kept_as.display()
            ),
            (
                Self::Zh,
                Notice::MovedAside {
                    kept_as,
                    reason,
                    recovered,
                    unreadable_lines,
                },
            ) => format!(
                "无法读取创建记录文件（{}）。原文件已保留为 {}，并用能读取的 {recovered} 条记录开始了新的创建记录（{unreadable_lines} 行无法读取）。没有删除任何内容。",
                damage_zh(reason),
                kept_as.display()
            ),
            (Self::En, Notice::Migrated { from, kept_as }) => format!(
                "The history was converted from format {from}; the original is kept as {}.",
                kept_as.display()
            ),
            (Self::Zh, Notice::Migrated { from, kept_as }) => format!(
                "创建记录已从格式 {from} 转换；原文件保留为 {}。",
                kept_as.display()
            ),
            (
                Self::En,
                Notice::NotRepaired {
                    path,
                    reason,
                    recovered,
                    unreadable_lines,
                    error,
                },
            ) => format!(
                "The history file could not be read ({reason}) and a repaired copy could not be written ({error}). {} is left as it is; the {recovered} entries that could be read are shown ({unreadable_lines} unreadable lines), and nothing can be recorded until there is room to repair it.",
                path.display()
            ),
            (
                Self::Zh,
                Notice::NotRepaired {
                    path,
                    reason,
                    recovered,
                    unreadable_lines,
                    error,
                },
            ) => format!(
                "无法读取创建记录文件（{}），也无法写入修复后的副本（{error}）。{} 保持原样；显示能读取的 {recovered} 条记录（{unreadable_lines} 行无法读取），在有空间修复之前无法记录新的创建。",
                damage_zh(reason),
                path.display()
            ),
        }
    }

    /// Why the history cannot be used.
    #[must_use]
    pub fn history_problem(self, problem: &HistoryError) -> String {
        match (self, problem) {
            (Self::En, HistoryError::NewerFormat { path, found, .. }) => format!(
                "{} was written by a newer onsdesk (history format {found}). It is left untouched, and nothing is recorded until onsdesk is updated.",
                path.display()
            ),
            (Self::Zh, HistoryError::NewerFormat { path, found, .. }) => format!(
                "{} 由更新版本的 onsdesk 写入（记录格式 {found}）。该文件保持原样；在更新 onsdesk 之前不会记录任何创建。",
                path.display()
            ),
            (Self::En, HistoryError::Busy { waited, .. }) => format!(
                "The history is in use by another onsdesk process: its lock was still held after {} s. Creates, and topic and group changes, are not sent until they can be recorded first; the window tries again every few seconds.",
                waited.as_secs()
            ),
            (Self::Zh, HistoryError::Busy { waited, .. }) => format!(
                "另一个 onsdesk 进程正在使用创建记录：其锁在 {} 秒后仍未释放。在能够先行记录之前，不会发送创建请求以及 Topic 和 Group 的变更；窗口每隔几秒会重试。",
                waited.as_secs()
            ),
            (Self::En, HistoryError::NoDataDir) => {
                "No folder for the history: set ONSDESK_DATA_DIR or HOME. Creates are not recorded."
                    .to_owned()
            }
            (Self::Zh, HistoryError::NoDataDir) => {
                "没有可保存创建记录的文件夹：请设置 ONSDESK_DATA_DIR 或 HOME。创建不会被记录。"
                    .to_owned()
            }
            (Self::En, other) => format!(
                "The history cannot be opened: {}. Creates are not recorded.",
                self.history_error(other)
            ),
            (Self::Zh, other) => format!(
                "无法打开创建记录：{}。创建不会被记录。",
                self.history_error(other)
            ),
        }
    }

    /// What the history refused, in a clause.
    #[must_use]
    pub fn history_error(self, e: &HistoryError) -> String {
        let action = |action: IoAction| match action {
            IoAction::Read => "读取",
            IoAction::Write => "写入",
            IoAction::Lock => "锁定",
            IoAction::KeepAside => "移开保留",
        };
        match (self, e) {
            (Self::En, e) => e.to_string(),
            (Self::Zh, HistoryError::NoDataDir) => {
                "没有可保存创建记录的文件夹：请设置 ONSDESK_DATA_DIR 或 HOME".to_owned()
            }
            (
                Self::Zh,
                HistoryError::Io {
                    action: what,
                    path,
                    source,
                },
            ) => format!("无法{} {}：{source}", action(*what), path.display()),
            (
                Self::Zh,
                HistoryError::NewerFormat {
                    path,
                    found,
                    supported,
                },
            ) => format!(
                "{} 由更新版本的 onsdesk 写入（记录格式 {found}，本版本只能读取格式 {supported} 及更早的格式）：该文件保持原样，在更新 onsdesk 之前无法记录",
                path.display()
            ),
            (Self::Zh, HistoryError::Unrepaired { path, detail }) => format!(
                "创建记录文件 {} 已损坏，且无法写入修复后的副本（{detail}）：文件保持原样，显示能读取的记录，修复之前无法记录新的创建（请释放磁盘空间后重试）",
                path.display()
            ),
            (Self::Zh, HistoryError::Busy { path, waited }) => format!(
                "另一个 onsdesk 进程正在使用创建记录：其锁（{}）在 {} 秒后仍未释放，因此没有记录任何内容；请在该进程结束后重试",
                path.display(),
                waited.as_secs()
            ),
            (Self::Zh, HistoryError::NotFound(id)) => format!("没有编号为 {id} 的创建记录"),
            (Self::Zh, HistoryError::Encode(e)) => format!("无法编码创建记录：{e}"),
        }
    }

    /// A change to the history could not be written.
    #[must_use]
    pub fn history_write_failed(self, why: &StoreFailure) -> String {
        let why = self.store_failure(why);
        match self {
            Self::En => format!("The history could not be updated: {why}"),
            Self::Zh => format!("无法更新创建记录：{why}"),
        }
    }

    /// After removing an entry (with Undo beside it).
    #[must_use]
    pub fn history_removed(self, name: &str) -> String {
        match self {
            Self::En => format!(
                "Removed “{name}” from this computer's history. The instance in Alibaba Cloud is not touched."
            ),
            Self::Zh => format!("已从本机创建记录中移除“{name}”。阿里云上的实例不受影响。"),
        }
    }

    /// What "Refresh status" found.
    #[must_use]
    pub fn refresh_summary(self, r: &Refreshed) -> String {
        let s = &r.summary;
        let (in_service, not_found, adopted) = (s.in_service, s.not_found, s.adopted.len());
        let mut text = match self {
            Self::En => format!(
                "Checked: {in_service} in service, {not_found} not found in the cloud, {adopted} adopted by name."
            ),
            Self::Zh => format!(
                "已查询：{in_service} 个服务中，{not_found} 个云上未找到，{adopted} 个按名称找回。"
            ),
        };
        let not_created = s.instances_not_created.len();
        if not_created > 0 {
            let _ = match self {
                Self::En if not_created == 1 => write!(
                    text,
                    " 1 earlier instance create settled as not created: its name is not listed, and none of its requests can arrive any more."
                ),
                Self::En => write!(
                    text,
                    " {not_created} earlier instance creates settled as not created: their names are not listed, and none of their requests can arrive any more."
                ),
                Self::Zh => write!(
                    text,
                    "{not_created} 次较早的实例创建已确认未创建：该名称未列出，且其请求已不可能再生效。"
                ),
            };
        }
        let settled = s.settled.len();
        if settled > 0 {
            let _ = match self {
                Self::En if settled == 1 => write!(
                    text,
                    " 1 topic or group create or delete settled by its exact name."
                ),
                Self::En => write!(
                    text,
                    " {settled} topic or group creates or deletes settled by their exact names."
                ),
                Self::Zh => write!(
                    text,
                    "{settled} 次 Topic 或 Group 的创建或删除已按名称精确确认结果。"
                ),
            };
        }
        if let Some(after) = s.recent_settle_after() {
            let recent = s.recent.len();
            let after = crate::clock::minutes_in(after, local_at(after).offset());
            let _ = match self {
                Self::En if recent == 1 => write!(
                    text,
                    " 1 create or delete is left as it was: it may still be on its way. Refresh again after {after}."
                ),
                Self::En => write!(
                    text,
                    " {recent} creates or deletes are left as they were: they may still be on their way. Refresh again after {after}."
                ),
                Self::Zh => write!(
                    text,
                    "{recent} 次创建或删除可能仍在进行中，暂不确认结果；请在 {after} 之后再次刷新。"
                ),
            };
        }
        let left = s.left.len();
        if left > 0 {
            let _ = match self {
                Self::En if left == 1 => write!(
                    text,
                    " 1 create or delete is left as it was: its name is listed, but not as its own doing (someone else's, made again since, or another attempt's)."
                ),
                Self::En => write!(
                    text,
                    " {left} creates or deletes are left as they were: their names are listed, but not as their own doing (someone else's, made again since, or another attempt's)."
                ),
                Self::Zh => write!(
                    text,
                    "{left} 次创建或删除保持原状：其名称已列出，但无法确认是其所为（属于他人、之后被重新创建，或属于另一次尝试）。"
                ),
            };
        }
        if r.skipped > 0 {
            let skipped = r.skipped;
            let _ = match self {
                Self::En => write!(
                    text,
                    " {skipped} entries made with other credentials (or a sandbox no longer running) were not checked."
                ),
                Self::Zh => write!(
                    text,
                    "{skipped} 条使用其他凭证（或已停止的沙箱）创建的记录未查询。"
                ),
            };
        }
        text
    }

    /// One region or endpoint that could not be listed.
    #[must_use]
    pub fn refresh_scope_failed(self, region: &str, endpoint: &str, why: &ScopeFailure) -> String {
        let why = self.scope_failure(why);
        match self {
            Self::En => {
                format!("Could not check {region} at {endpoint}: {why}. Its entries are unchanged.")
            }
            Self::Zh => format!("无法查询 {region}（{endpoint}）：{why}。其记录保持不变。"),
        }
    }

    /// Why one region or endpoint was not listed.
    #[must_use]
    pub fn scope_failure(self, why: &ScopeFailure) -> String {
        match (self, why) {
            (Self::En, ScopeFailure::CustomEndpointSkipped) => "a custom endpoint (not a known region endpoint, nor loopback with the sandbox's demo key): not asked, so the credentials were not sent there".to_owned(),
            (Self::Zh, ScopeFailure::CustomEndpointSkipped) => {
                "自定义接入点（不是已知的地域接入点，也不是使用沙箱演示密钥的本机地址）：未查询，凭证没有发往该处"
                    .to_owned()
            }
            (_, ScopeFailure::Endpoint(e)) => self.endpoint_error(e),
            (Self::En, ScopeFailure::OtherCredentials { recorded, current }) => format!(
                "made with “{recorded}”, not checked with “{current}”: another account cannot see its instances"
            ),
            (Self::Zh, ScopeFailure::OtherCredentials { recorded, current }) => format!(
                "使用“{recorded}”创建，未使用“{current}”查询：其他账号看不到这些实例"
            ),
            (Self::En, ScopeFailure::NoCredentials(_)) => "no credentials to ask with".to_owned(),
            (Self::Zh, ScopeFailure::NoCredentials(_)) => "没有可用于查询的凭证".to_owned(),
            (_, ScopeFailure::Api(e)) => self.api_error(e),
            (
                Self::En,
                ScopeFailure::Held {
                    kind,
                    instance_id,
                    error,
                },
            ) => {
                let what = match kind {
                    EntryKind::Group => "groups",
                    EntryKind::Topic | EntryKind::Instance => "topics",
                };
                format!(
                    "the {what} of {instance_id} could not be listed: {}",
                    self.api_error(error)
                )
            }
            (
                Self::Zh,
                ScopeFailure::Held {
                    kind,
                    instance_id,
                    error,
                },
            ) => {
                let what = match kind {
                    EntryKind::Group => "Group",
                    EntryKind::Topic | EntryKind::Instance => "Topic",
                };
                format!("无法列出 {instance_id} 的 {what}：{}", self.api_error(error))
            }
            (Self::En, ScopeFailure::OutOfTime) => {
                "the refresh ran out of time before all of it was asked; refresh again".to_owned()
            }
            (Self::Zh, ScopeFailure::OutOfTime) => "刷新超时，未能全部查询；请再次刷新".to_owned(),
        }
    }

    /// "Refresh status" failed as a whole.
    #[must_use]
    pub fn refresh_failed(self, why: &StoreFailure) -> String {
        let why = self.store_failure(why);
        match self {
            Self::En => format!("Refresh status failed: {why}"),
            Self::Zh => format!("刷新状态失败：{why}"),
        }
    }

    /// Why an export or a refresh failed.
    #[must_use]
    pub fn store_failure(self, why: &StoreFailure) -> String {
        match (self, why) {
            (Self::En, StoreFailure::Unavailable) => "the history is not available".to_owned(),
            (Self::Zh, StoreFailure::Unavailable) => "创建记录不可用".to_owned(),
            (_, StoreFailure::History(e)) => self.history_error(e),
            (Self::En, StoreFailure::Io { path, source }) => {
                format!("{}: {source}", path.display())
            }
            (Self::Zh, StoreFailure::Io { path, source }) => {
                format!("{}：{source}", path.display())
            }
            (Self::En, StoreFailure::TooManyExports(folder)) => {
                format!("{}: too many exports this second", folder.display())
            }
            (Self::Zh, StoreFailure::TooManyExports(folder)) => {
                format!("{}：这一秒内导出次数过多", folder.display())
            }
        }
    }

    /// Under the export buttons: what would be written.
    #[must_use]
    pub fn history_export_scope(self, n: usize) -> String {
        match self {
            Self::En => format!(
                "Writes the {n} entries shown (search applies) to a new file in this folder."
            ),
            Self::Zh => format!("将当前显示的 {n} 条记录（按搜索筛选）写入此文件夹中的新文件。"),
        }
    }

    /// After an export.
    #[must_use]
    pub fn history_exported(self, n: usize) -> String {
        match self {
            Self::En => format!("Exported {n} entries to"),
            Self::Zh => format!("已导出 {n} 条记录到"),
        }
    }

    /// An export failed.
    #[must_use]
    pub fn history_export_failed(self, why: &StoreFailure) -> String {
        let why = self.store_failure(why);
        match self {
            Self::En => format!("Could not export: {why}"),
            Self::Zh => format!("无法导出：{why}"),
        }
    }
}

/// Why the history file could not be read as it is, in Chinese (the system's and the parser's
/// words quoted as they came).
fn damage_zh(damage: &Damage) -> String {
    match damage {
        Damage::Unreadable(e) => format!("无法读取：{e}"),
        Damage::HeaderIncomplete => "首行不完整".to_owned(),
        Damage::NotAHeader(e) => format!("首行不是文件头（{e}）"),
        Damage::NotOurFormat => "首行没有标明 onsdesk 创建记录的格式".to_owned(),
        Damage::NoVersion => "文件头没有版本号".to_owned(),
        Damage::NoFileId => "文件头没有文件 ID".to_owned(),
        Damage::BadLine { line_no, error } => format!("第 {line_no} 行不是创建记录：{error}"),
        Damage::OlderFormat(version) => format!("这是需要转换的旧格式 {version}"),
        Damage::AndUnreadable(first, e) => format!("{}；而且无法读取：{e}", damage_zh(first)),
    }
}
