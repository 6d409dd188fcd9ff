//! Every word the window shows, in English and Simplified Chinese. Nothing user-facing is
//! written anywhere else: views ask [`Lang::t`] for fixed text and the `Lang` methods below
//! for sentences with numbers or names in them.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::credentials::CredentialsError;
use crate::validation::{BadCharKind, NAME_MAX_CHARS, NAME_MIN_CHARS, NameError};

use super::hints::Hint;

/// The window's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language the system asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
    /// set decides; `zh*` means Chinese, anything else English.
    #[must_use]
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self::from_locale(
            var("LC_ALL")
                .or_else(|| var("LC_MESSAGES"))
                .or_else(|| var("LANG"))
                .as_deref(),
        )
    }

    /// `zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese; anything else (or nothing) → English.
    #[must_use]
    pub fn from_locale(locale: Option<&str>) -> Self {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Self::Zh,
            _ => Self::En,
        }
    }

    /// Fixed text.
    #[must_use]
    pub fn t(self, key: T) -> &'static str {
        match self {
            Self::En => key.en(),
            Self::Zh => key.zh(),
        }
    }

    /// The name field's verdict, in a full sentence. `Empty` is not an error (the field is
    /// neutral until the user types), so it gets the rule instead.
    #[must_use]
    pub fn name_error(self, err: &NameError) -> String {
        match (self, err) {
            (_, NameError::Empty) => self.t(T::NameRule).to_owned(),
            (Self::En, NameError::TooShort { chars }) => format!(
                "Too short: {chars} character{}; a name needs at least {NAME_MIN_CHARS}.",
                if *chars == 1 { "" } else { "s" }
            ),
            (Self::Zh, NameError::TooShort { chars }) => {
                format!("太短：当前 {chars} 个字符，至少需要 {NAME_MIN_CHARS} 个。")
            }
            (Self::En, NameError::TooLong { chars }) => {
                format!("Too long: {chars} characters; at most {NAME_MAX_CHARS} are allowed.")
            }
            (Self::Zh, NameError::TooLong { chars }) => {
                format!("太长：当前 {chars} 个字符，最多 {NAME_MAX_CHARS} 个。")
            }
            (_, NameError::BadChar { ch, position, kind }) => self.bad_char(*ch, *position, *kind),
        }
    }

    fn bad_char(self, ch: char, position: usize, kind: BadCharKind) -> String {
        // A space or a line break does not show: name it and give its code point only.
        let code = u32::from(ch);
        match (self, kind) {
            (Self::En, BadCharKind::Space) => {
                return format!(
                    "Character {position} is a space (U+{code:04X}), which is not allowed. Use Chinese characters, letters, digits, '-' or '_'."
                );
            }
            (Self::Zh, BadCharKind::Space) => {
                return format!(
                    "第 {position} 个字符是空格（U+{code:04X}），不能使用。名称只能包含汉字、字母、数字、“-”和“_”。"
                );
            }
            _ => {}
        }
        let mut label = String::new();
        let shown = !(ch.is_control() || matches!(kind, BadCharKind::Control));
        match (self, shown) {
            (Self::En, true) => {
                let _ = write!(label, "'{ch}' (U+{:04X})", u32::from(ch));
            }
            (Self::Zh, true) => {
                let _ = write!(label, "“{ch}”（U+{:04X}）", u32::from(ch));
            }
            (Self::En, false) => {
                let _ = write!(label, "U+{:04X}", u32::from(ch));
            }
            (Self::Zh, false) => {
                let _ = write!(label, " U+{:04X} ", u32::from(ch));
            }
        }
        match self {
            Self::En => {
                let what = match kind {
                    BadCharKind::Space => "is a space, which is not allowed".to_owned(),
                    BadCharKind::Control => {
                        "is a control character (such as a line break), which is not allowed"
                            .to_owned()
                    }
                    BadCharKind::FullWidth(half) => {
                        format!("is a full-width character; type the half-width '{half}' instead")
                    }
                    BadCharKind::CjkPunctuation => {
                        "is Chinese punctuation, which is not allowed".to_owned()
                    }
                    BadCharKind::Emoji => "is an emoji, which is not allowed".to_owned(),
                    BadCharKind::AsciiPunctuation | BadCharKind::Other => {
                        "is not allowed".to_owned()
                    }
                };
                format!(
                    "Character {position}, {label}, {what}. Use Chinese characters, letters, digits, '-' or '_'."
                )
            }
            Self::Zh => {
                let what = match kind {
                    BadCharKind::Space => "是空格，不能使用".to_owned(),
                    BadCharKind::Control => "是控制字符（例如换行），不能使用".to_owned(),
                    BadCharKind::FullWidth(half) => {
                        format!("是全角字符，请改用半角的“{half}”")
                    }
                    BadCharKind::CjkPunctuation => "是中文标点，不能使用".to_owned(),
                    BadCharKind::Emoji => "是表情符号，不能使用".to_owned(),
                    BadCharKind::AsciiPunctuation | BadCharKind::Other => "不能使用".to_owned(),
                };
                format!(
                    "第 {position} 个字符{label}{what}。名称只能包含汉字、字母、数字、“-”和“_”。"
                )
            }
        }
    }

    /// The remark's warning above the soft limit.
    #[must_use]
    pub fn remark_warning(self, chars: usize, limit: usize) -> String {
        match self {
            Self::En => format!(
                "The remark has {chars} characters; tools such as Terraform accept at most {limit}. It will be sent as typed."
            ),
            Self::Zh => format!(
                "备注有 {chars} 个字符；Terraform 等工具最多接受 {limit} 个。仍会按原样提交。"
            ),
        }
    }

    /// Why the environment's credentials are not usable.
    #[must_use]
    pub fn creds_error(self, err: &CredentialsError) -> String {
        match (self, err) {
            (Self::En, CredentialsError::MissingEnv(var)) => {
                format!("{var} is not set, but the other AccessKey variable is; set both.")
            }
            (Self::Zh, CredentialsError::MissingEnv(var)) => {
                format!("未设置 {var}，但设置了另一个 AccessKey 变量；请两个都设置。")
            }
            (Self::En, CredentialsError::EmptyEnv(var)) => format!("{var} is set but empty."),
            (Self::Zh, CredentialsError::EmptyEnv(var)) => format!("{var} 已设置但为空。"),
        }
    }

    /// The Create button while a call is in flight.
    #[must_use]
    pub fn creating(self, secs: f32) -> String {
        match self {
            Self::En => format!("Creating… {secs:.1} s"),
            Self::Zh => format!("正在创建… {secs:.1} 秒"),
        }
    }

    /// The card after the user cancelled a create.
    #[must_use]
    pub fn cancelled(self, secs: f32) -> String {
        match self {
            Self::En => format!(
                "Cancelled after {secs:.1} s. The request may already have reached Alibaba Cloud: check the console (or the instance list) for this name before creating it again."
            ),
            Self::Zh => format!(
                "已在 {secs:.1} 秒后取消。请求可能已经到达阿里云：再次创建前，请先在控制台（或实例列表）中确认是否已有同名实例。"
            ),
        }
    }

    /// The sandbox banner's second half, naming where it listens.
    #[must_use]
    pub fn sandbox_at(self, url: &str) -> String {
        match self {
            Self::En => format!("local sandbox at {url}"),
            Self::Zh => format!("本地沙箱：{url}"),
        }
    }

    /// The heading line of the success card.
    #[must_use]
    pub fn created_line(self, edition: &str, region: &str) -> String {
        match self {
            Self::En => format!("Created · {edition} · {region}"),
            Self::Zh => format!("已创建 · {edition} · {region}"),
        }
    }

    /// An instance edition by its number (1 Standard, 2 Platinum).
    #[must_use]
    pub fn edition(self, instance_type: i64) -> String {
        match (self, instance_type) {
            (Self::En, 1) => "Standard".to_owned(),
            (Self::Zh, 1) => "标准版".to_owned(),
            (Self::En, 2) => "Platinum".to_owned(),
            (Self::Zh, 2) => "铂金版".to_owned(),
            (Self::En, n) => format!("type {n}"),
            (Self::Zh, n) => format!("类型 {n}"),
        }
    }

    /// The plain-language explanation for a service error code.
    #[must_use]
    pub fn hint(self, hint: Hint) -> &'static str {
        let (en, zh) = match hint {
            Hint::WrongSecret => (
                "The AccessKey secret does not match this AccessKey ID. Check for a space or line break pasted at the start or end of the secret, and that the ID and secret belong together.",
                "AccessKey Secret 与此 AccessKey ID 不匹配。请检查 Secret 首尾是否误粘贴了空格或换行，以及 ID 与 Secret 是否属于同一对。",
            ),
            Hint::UnknownKey => (
                "Alibaba Cloud does not know this AccessKey ID, or it is disabled. Check the ID in the RAM console and that the key is active.",
                "阿里云找不到此 AccessKey ID，或它已被禁用。请在 RAM 控制台核对 ID，并确认该 AccessKey 处于启用状态。",
            ),
            Hint::ClockSkew => (
                "This computer's clock differs from Alibaba Cloud's by more than 15 minutes. Set the clock to synchronise automatically, then try again.",
                "本机时钟与阿里云相差超过 15 分钟。请开启时间自动同步后重试。",
            ),
            Hint::NonceReused => (
                "A request with the same nonce was already received: an earlier attempt reached the service. Check whether the instance exists before creating it again.",
                "服务已收到过使用相同随机数的请求，说明之前的某次尝试已经到达服务端。再次创建前请先确认实例是否已存在。",
            ),
            Hint::SecurityToken => (
                "The STS security token is missing, expired or does not belong to this AccessKey. Get fresh temporary credentials and try again.",
                "STS 安全令牌缺失、已过期或与此 AccessKey 不匹配。请获取新的临时凭证后重试。",
            ),
            Hint::Throttled => (
                "Too many requests: the account may make at most 10 create calls per second. Wait a moment and try again.",
                "请求过于频繁：每个账号每秒最多调用 10 次创建接口。请稍候重试。",
            ),
            Hint::NoPermission => (
                "This RAM user may not create instances. Ask an administrator to grant the mq:CreateInstance permission (for example with the AliyunMQFullAccess policy).",
                "此 RAM 用户没有创建实例的权限。请联系管理员授予 mq:CreateInstance 权限（例如 AliyunMQFullAccess 策略）。",
            ),
            Hint::ServiceNotEnabled => (
                "ApsaraMQ for RocketMQ is not activated for this account. Activate it in the Alibaba Cloud console, then try again.",
                "此账号尚未开通云消息队列 RocketMQ 版。请先在阿里云控制台开通服务后重试。",
            ),
            Hint::RegionNotServed => (
                "This region does not offer ApsaraMQ for RocketMQ 4.x, or the endpoint does not match it. Choose another region.",
                "此地域不提供云消息队列 RocketMQ 4.x 版，或接入点与地域不符。请选择其他地域。",
            ),
            Hint::ServerTrouble => (
                "Alibaba Cloud had a problem on its side. The instance may or may not have been created: check the console for this name before trying again.",
                "阿里云服务端出现问题。实例可能已创建，也可能没有：重试前请先在控制台确认是否已有同名实例。",
            ),
            Hint::MissingParameter => (
                "A required parameter was missing from the request. This is a bug in onsdesk; please report it with the Request ID.",
                "请求缺少必需参数。这是 onsdesk 的缺陷，请附上请求 ID 反馈。",
            ),
            Hint::InvalidParameter => (
                "The service refused a value. The message above says which one and why.",
                "服务拒绝了某个参数值。上面的错误信息说明了是哪个参数以及原因。",
            ),
            Hint::WrongEndpoint => (
                "The endpoint does not offer this API. Check the region or the custom endpoint.",
                "该接入点不提供此 API。请检查地域或自定义接入点。",
            ),
            Hint::Network => (
                "No reply came back. Check the network connection (and proxy settings), then try again.",
                "没有收到回复。请检查网络连接（以及代理设置）后重试。",
            ),
            Hint::MaybeCreated => (
                "The request may have reached Alibaba Cloud before the connection failed, so the instance may exist. Check the console for this name before creating it again.",
                "连接中断前请求可能已经到达阿里云，实例可能已经存在。再次创建前请先在控制台确认是否已有同名实例。",
            ),
        };
        match self {
            Self::En => en,
            Self::Zh => zh,
        }
    }
}

macro_rules! texts {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        /// A fixed piece of text; [`Lang::t`] gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }

        impl T {
            fn en(self) -> &'static str {
                match self { $(Self::$key => $en),* }
            }
            fn zh(self) -> &'static str {
                match self { $(Self::$key => $zh),* }
            }
        }

        #[cfg(test)]
        const ALL: &[T] = &[$(T::$key),*];
    };
}

texts! {
    AppName => "onsdesk", "onsdesk";
    Region => "Region", "地域";
    Profile => "Profile", "凭证配置";
    ProfileEnvironment => "environment", "环境变量";
    ProfileSandbox => "sandbox", "沙箱";
    ProfileNone => "none", "无";
    ProfileLater => "Saved profiles in the OS keyring come in a later version.", "保存在系统密钥环中的凭证配置将在后续版本提供。";
    Language => "Language", "语言";
    Theme => "Theme", "主题";
    ThemeSystem => "Follow system", "跟随系统";
    ThemeLight => "Light", "浅色";
    ThemeDark => "Dark", "深色";
    Settings => "Connection settings", "连接设置";
    CustomEndpoint => "Custom endpoint", "自定义接入点";
    UseCustomEndpoint => "Use a custom endpoint", "使用自定义接入点";
    EndpointNote => "Plain http is allowed only to this computer (127.0.0.1).", "仅允许对本机（127.0.0.1）使用明文 http。";
    EndpointInUse => "Requests go to", "请求发往";
    ClosedRegion => "closed", "已关闭";
    CreateInstance => "Create instance", "创建实例";
    InstanceName => "Instance name", "实例名称";
    Remark => "Remark (optional)", "备注（可选）";
    NameRule => "3 to 64 characters: Chinese characters, letters, digits, '-' or '_'.", "3 到 64 个字符：汉字、字母、数字、“-”或“_”。";
    NameValid => "Valid name.", "名称有效。";
    Create => "Create", "创建";
    EnterHint => "Enter creates · Esc cancels", "回车创建 · Esc 取消";
    Cancel => "Cancel", "取消";
    Result => "Result", "结果";
    NothingYet => "The new instance's ID appears here.", "新实例的 ID 会显示在这里。";
    InstanceId => "Instance ID", "实例 ID";
    InstanceType => "Instance type", "实例类型";
    RequestId => "Request ID", "请求 ID";
    Time => "Time", "时间";
    Endpoints => "Endpoints", "接入点";
    EndpointsLoading => "Fetching the endpoints…", "正在获取接入点…";
    EndpointsFailed => "Could not fetch the endpoints:", "无法获取接入点：";
    EndpointsNone => "The service lists no endpoints yet.", "服务暂未列出接入点。";
    TcpEndpoint => "TCP", "TCP";
    TcpInternetEndpoint => "TCP (internet)", "TCP（公网）";
    HttpInternalEndpoint => "HTTP (internal)", "HTTP（内网）";
    HttpInternetEndpoint => "HTTP (internet)", "HTTP（公网）";
    HttpsInternetEndpoint => "HTTPS (internet)", "HTTPS（公网）";
    Copy => "Copy", "复制";
    Copied => "Copied", "已复制";
    CopyHint => "Ctrl+C copies the Instance ID while it has focus.", "实例 ID 获得焦点时按 Ctrl+C 即可复制。";
    Refused => "Not created", "未创建";
    OutcomeUnknown => "Outcome unknown", "结果未知";
    CancelledTitle => "Cancelled", "已取消";
    Code => "Code", "错误码";
    Message => "Message", "错误信息";
    WhatToDo => "What to do", "建议";
    Troubleshoot => "Troubleshooting guide", "排查指南";
    NetworkError => "Network error", "网络错误";
    BadReply => "Unexpected reply", "无法识别的回复";
    SetupError => "Could not prepare the request", "无法准备请求";
    NoCredsTitle => "No credentials found", "未找到凭证";
    NoCredsBody => "onsdesk needs an AccessKey to call Alibaba Cloud, and none is set.", "onsdesk 需要 AccessKey 才能调用阿里云，但当前没有设置。";
    NoCredsEnv => "Set these environment variables, then start onsdesk again:", "请设置以下环境变量，然后重新启动 onsdesk：";
    NoCredsLater => "Saved profiles in the OS keyring come in a later version.", "保存在系统密钥环中的凭证配置将在后续版本提供。";
    NoCredsOr => "Or try everything out without an account:", "或者无需账号，直接试用：";
    TrySandbox => "Try the sandbox", "试用沙箱";
    SandboxStarting => "Starting the sandbox…", "正在启动沙箱…";
    SandboxFailed => "The sandbox could not start:", "沙箱无法启动：";
    CredsProblem => "The credentials in the environment are not usable:", "环境变量中的凭证不可用：";
    SandboxBanner => "Sandbox — nothing is created on Alibaba Cloud", "沙箱模式 — 不会在阿里云上创建任何资源";
    History => "History", "创建记录";
    EndpointInvalid => "This endpoint is not usable:", "此接入点不可用：";
    HistorySearch => "Search", "搜索";
    HistorySearchHint => "name, instance ID or remark (Ctrl+F)", "名称、实例 ID 或备注（Ctrl+F）";
    HistoryLoading => "Loading the history…", "正在加载创建记录…";
    HistoryEmpty => "No create attempts recorded yet. Each create is recorded here before its request is sent.", "尚无创建记录。每次创建都会在发送请求前记录在这里。";
    HistoryNoMatch => "No entry matches the search.", "没有与搜索匹配的记录。";
    HistoryName => "Name", "名称";
    HistoryStatus => "Status", "状态";
    SortNewestHint => "Newest first. Click for oldest first.", "最新的在前。点击改为最早的在前。";
    SortOldestHint => "Oldest first. Click for newest first.", "最早的在前。点击改为最新的在前。";
    StatusPending => "pending", "等待结果";
    StatusCreated => "created", "已创建";
    StatusAdopted => "adopted", "已找回";
    StatusRefused => "refused", "被拒绝";
    StatusNotCreated => "not created", "未创建";
    StatusUnknown => "unknown", "结果未知";
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
    Dismiss => "Dismiss", "知道了";
}

/// Sentences of the history panel.
impl Lang {
    /// "12 of 40" under the search.
    #[must_use]
    pub fn history_count(self, shown: usize, total: usize) -> String {
        match self {
            Self::En if shown == total => format!("{total} entries"),
            Self::En => format!("{shown} of {total}"),
            Self::Zh if shown == total => format!("共 {total} 条"),
            Self::Zh => format!("{total} 条中的 {shown} 条"),
        }
    }

    /// A copy button's accessible name.
    #[must_use]
    pub fn history_copy_id(self, id: &str) -> String {
        match self {
            Self::En => format!("Copy instance ID {id}"),
            Self::Zh => format!("复制实例 ID {id}"),
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
                "无法读取创建记录文件（{reason}）。原文件已保留为 {}，并用能读取的 {recovered} 条记录开始了新的创建记录（{unreadable_lines} 行无法读取）。没有删除任何内容。",
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
        }
    }

    /// Why the history cannot be used.
    #[must_use]
    pub fn history_problem(self, problem: &super::history::Problem) -> String {
        use super::history::Problem;
        match (self, problem) {
            (Self::En, Problem::Newer { path, found }) => format!(
                "{} was written by a newer onsdesk (history format {found}). It is left untouched, and nothing is recorded until onsdesk is updated.",
                path.display()
            ),
            (Self::Zh, Problem::Newer { path, found }) => format!(
                "{} 由更新版本的 onsdesk 写入（记录格式 {found}）。该文件保持原样；在更新 onsdesk 之前不会记录任何创建。",
                path.display()
            ),
            (Self::En, Problem::NoDataDir) => {
                "No folder for the history: set ONSDESK_DATA_DIR or HOME. Creates are not recorded."
                    .to_owned()
            }
            (Self::Zh, Problem::NoDataDir) => {
                "没有可保存创建记录的文件夹：请设置 ONSDESK_DATA_DIR 或 HOME。创建不会被记录。"
                    .to_owned()
            }
            (Self::En, Problem::Other(why)) => {
                format!("The history cannot be opened: {why}. Creates are not recorded.")
            }
            (Self::Zh, Problem::Other(why)) => format!("无法打开创建记录：{why}。创建不会被记录。"),
        }
    }

    /// A change to the history could not be written.
    #[must_use]
    pub fn history_write_failed(self, why: &str) -> String {
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
    pub fn refresh_summary(self, r: &super::history::Refreshed) -> String {
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
    pub fn refresh_scope_failed(self, region: &str, endpoint: &str, why: &str) -> String {
        match self {
            Self::En => {
                format!("Could not check {region} at {endpoint}: {why}. Its entries are unchanged.")
            }
            Self::Zh => format!("无法查询 {region}（{endpoint}）：{why}。其记录保持不变。"),
        }
    }

    /// "Refresh status" failed as a whole.
    #[must_use]
    pub fn refresh_failed(self, why: &str) -> String {
        match self {
            Self::En => format!("Refresh status failed: {why}"),
            Self::Zh => format!("刷新状态失败：{why}"),
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
    pub fn history_export_failed(self, why: &str) -> String {
        match self {
            Self::En => format!("Could not export: {why}"),
            Self::Zh => format!("无法导出：{why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_translated() {
        // Identical in both languages only where Alibaba Cloud's console also keeps the word.
        let same_ok = [T::AppName, T::TcpEndpoint];
        for key in ALL {
            assert!(!key.en().is_empty() && !key.zh().is_empty(), "{key:?}");
            if !same_ok.contains(key) {
                assert_ne!(key.en(), key.zh(), "{key:?} is not translated");
            }
        }
    }

    #[test]
    fn locale_decides() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn validation_sentences() {
        let e = NameError::BadChar {
            ch: '\u{FF21}',
            position: 3,
            kind: BadCharKind::FullWidth('A'),
        };
        assert_eq!(
            Lang::Zh.name_error(&e),
            "第 3 个字符“Ａ”（U+FF21）是全角字符，请改用半角的“A”。名称只能包含汉字、字母、数字、“-”和“_”。"
        );
        assert!(Lang::En.name_error(&e).contains("half-width 'A'"));
        assert_eq!(
            Lang::En.name_error(&NameError::TooShort { chars: 1 }),
            "Too short: 1 character; a name needs at least 3."
        );
    }
}
