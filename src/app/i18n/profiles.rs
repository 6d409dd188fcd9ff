//! The profiles dialog's words: its labels, keyring problems, test verdicts.

use super::Lang;
use crate::app::creds::{ProfileOpDone, ProfileProblem};
use crate::profiles::aliyun::ImportError;
use crate::profiles::check::Verdict;
use crate::profiles::{
    ConfigError, Corruption, Field, InputError, KeyringError, NameRule, ProfileError, Refusal,
};

texts! {
    /// A fixed piece of text of this feature; [`Lang::t`] gives it in a language.
    ProfilesText {
        ProfilesLoading => "Reading the profiles…", "正在读取凭证配置…";
        AddProfile => "Add profile", "添加凭证配置";
        ImportAliyun => "Import from ~/.aliyun/config.json", "从 ~/.aliyun/config.json 导入";
        DefaultMark => "(default)", "（默认）";
        StsExpired => "The STS token has expired: get new temporary credentials and edit this profile.", "STS 令牌已过期：请获取新的临时凭证并编辑此配置。";
        DeleteConfirm => "Delete", "删除";
        Keep => "Keep it", "保留";
        NewName => "New name", "新名称";
        Rename => "Rename", "重命名";
        UseProfile => "Use", "使用";
        Edit => "Edit", "编辑";
        SetDefault => "Make default", "设为默认";
        TestCredentials => "Test credentials", "测试凭证";
        Delete => "Delete…", "删除…";
        ProfileName => "Profile name", "配置名称";
        ProfileNameRule => "A profile name has 1 to 64 letters, digits, '-', '_' or '.', and does not start with '-' or '.'.", "配置名称为 1 到 64 个字母、数字、“-”、“_”或“.”，且不能以“-”或“.”开头。";
        AccessKeyId => "AccessKey ID", "AccessKey ID";
        AccessKeySecret => "AccessKey Secret", "AccessKey Secret";
        KeepSecretHint => "Leave the secret empty to keep the one in the keyring.", "Secret 留空则保留密钥环中已有的值。";
        StsCheckbox => "Temporary credentials (STS token)", "临时凭证（STS 令牌）";
        StsToken => "STS security token", "STS 安全令牌";
        StsExpires => "Token expires (UTC, optional)", "令牌过期时间（UTC，可选）";
        ExpiryFormat => "Write the expiry as YYYY-MM-DD HH:MM (UTC), or leave it empty.", "过期时间请写成 YYYY-MM-DD HH:MM（UTC），或留空。";
        DefaultRegion => "Default region", "默认地域";
        NoRegion => "(none)", "（无）";
        MakeDefault => "Make this the default profile", "设为默认凭证配置";
        Show => "Show", "显示";
        Hide => "Hide", "隐藏";
        SaveProfile => "Save", "保存";
        NeedAccessKeyId => "Enter the AccessKey ID.", "请输入 AccessKey ID。";
        NeedSecret => "Enter the AccessKey Secret.", "请输入 AccessKey Secret。";
        NeedToken => "Enter the STS security token.", "请输入 STS 安全令牌。";
        FixWhitespace => "Remove the whitespace pointed out above before saving.", "保存前请删除上面指出的空白字符。";
        TypedKey => "The key typed above", "上面输入的凭证";
        TestedInSandbox => "Tested against the local sandbox, not Alibaba Cloud: the sandbox knows only its demo key.", "这是在本地沙箱中测试的，不是在阿里云上：沙箱只认识它自己的演示 AccessKey。";
        SandboxUnknownKey => "the local sandbox does not know this key (it accepts only its demo key). Nothing was sent to Alibaba Cloud, so this says nothing about the key there.", "本地沙箱不认识此 AccessKey（它只接受自己的演示 AccessKey）。没有向阿里云发送任何请求，因此这不能说明该 AccessKey 在阿里云上是否有效。";
    }
}

impl Lang {
    /// The accessible name of a button on a profile's row: the visible text ("Use",
    /// "Edit", …) is the same on every row, the name says whose it is.
    #[must_use]
    pub fn profile_action(self, action: ProfilesText, name: &str) -> String {
        match (self, action) {
            (Self::En, ProfilesText::UseProfile) => format!("Use profile {name}"),
            (Self::Zh, ProfilesText::UseProfile) => format!("使用凭证配置 {name}"),
            (Self::En, ProfilesText::Edit) => format!("Edit profile {name}"),
            (Self::Zh, ProfilesText::Edit) => format!("编辑凭证配置 {name}"),
            (Self::En, ProfilesText::Rename) => format!("Rename profile {name}"),
            (Self::Zh, ProfilesText::Rename) => format!("重命名凭证配置 {name}"),
            (Self::En, ProfilesText::SetDefault) => format!("Make profile {name} the default"),
            (Self::Zh, ProfilesText::SetDefault) => format!("将凭证配置 {name} 设为默认"),
            (Self::En, ProfilesText::TestCredentials) => format!("Test profile {name}"),
            (Self::Zh, ProfilesText::TestCredentials) => format!("测试凭证配置 {name}"),
            (Self::En, ProfilesText::Delete) => format!("Delete profile {name}…"),
            (Self::Zh, ProfilesText::Delete) => format!("删除凭证配置 {name}…"),
            (_, other) => format!("{} {name}", self.t(other)),
        }
    }

    /// The dialog's first line.
    #[must_use]
    pub fn stored_in(self, store: &str) -> String {
        match self {
            Self::En => format!(
                "Secrets and STS tokens are kept in the {store}; names, AccessKey IDs and regions in a small file. Nothing secret is ever written to a file."
            ),
            Self::Zh => format!(
                "Secret 和 STS 令牌保存在 {store} 中；名称、AccessKey ID 和地域保存在一个小文件里。任何机密信息都不会写入文件。"
            ),
        }
    }

    /// The editor's heading when editing.
    #[must_use]
    pub fn editing(self, name: &str) -> String {
        match self {
            Self::En => format!("Edit profile “{name}”"),
            Self::Zh => format!("编辑凭证配置“{name}”"),
        }
    }

    #[must_use]
    pub fn confirm_delete(self, name: &str) -> String {
        match self {
            Self::En => format!(
                "Delete profile “{name}” and its secret in the keyring? This cannot be undone."
            ),
            Self::Zh => format!("删除凭证配置“{name}”及其在密钥环中的 Secret？此操作无法撤销。"),
        }
    }

    #[must_use]
    pub fn testing(self, who: &str) -> String {
        match self {
            Self::En => format!("Testing {who} with OnsRegionList…"),
            Self::Zh => format!("正在用 OnsRegionList 测试 {who}…"),
        }
    }

    #[must_use]
    pub fn reading_profile(self, profile: &str) -> String {
        match self {
            Self::En => format!(
                "Reading profile “{profile}” from the keyring… (the keyring may ask to be unlocked)"
            ),
            Self::Zh => format!("正在从密钥环读取凭证配置“{profile}”…（密钥环可能会要求解锁）"),
        }
    }

    #[must_use]
    pub fn profile_unusable(self, profile: &str) -> String {
        match self {
            Self::En => format!("Profile “{profile}” cannot be used right now."),
            Self::Zh => format!("凭证配置“{profile}”暂时无法使用。"),
        }
    }

    /// Whitespace around a pasted value, pointed out (never stripped behind the user's back).
    #[must_use]
    pub fn whitespace_note(self, what: &str, first: Option<char>, last: Option<char>) -> String {
        let name = |c: char| -> String {
            let code = u32::from(c);
            match (self, c) {
                (Self::En, ' ') => format!("a space (U+{code:04X})"),
                (Self::En, '\t') => format!("a tab (U+{code:04X})"),
                (Self::En, '\n' | '\r') => format!("a line break (U+{code:04X})"),
                (Self::En, _) => format!("a whitespace character (U+{code:04X})"),
                (Self::Zh, ' ') => format!("空格（U+{code:04X}）"),
                (Self::Zh, '\t') => format!("制表符（U+{code:04X}）"),
                (Self::Zh, '\n' | '\r') => format!("换行（U+{code:04X}）"),
                (Self::Zh, _) => format!("空白字符（U+{code:04X}）"),
            }
        };
        let place = match (self, first, last) {
            (Self::En, Some(f), Some(l)) => {
                format!("begins with {} and ends with {}", name(f), name(l))
            }
            (Self::En, Some(f), None) => format!("begins with {}", name(f)),
            (Self::En, None, Some(l)) => format!("ends with {}", name(l)),
            (Self::Zh, Some(f), Some(l)) => format!("开头有{}，结尾有{}", name(f), name(l)),
            (Self::Zh, Some(f), None) => format!("开头有{}", name(f)),
            (Self::Zh, None, Some(l)) => format!("结尾有{}", name(l)),
            (_, None, None) => String::new(),
        };
        match self {
            Self::En => format!(
                "The {what} {place}, probably pasted by accident. Alibaba Cloud would answer SignatureDoesNotMatch or an unknown key. Delete it in the field above."
            ),
            Self::Zh => format!(
                "{what}{place}，可能是粘贴时带进来的。阿里云会因此返回 SignatureDoesNotMatch 或找不到该 AccessKey。请在上面的输入框中删除它。"
            ),
        }
    }

    /// A profile operation's problem, in words.
    #[must_use]
    pub fn problem(self, problem: &ProfileProblem) -> String {
        match (self, problem) {
            (_, ProfileProblem::Profile(e)) => self.profile_error(e),
            (_, ProfileProblem::Import(e)) => self.import_error(e),
            (Self::En, ProfileProblem::Panicked) => {
                "onsdesk failed internally while doing this (a bug); nothing may have changed."
                    .to_owned()
            }
            (Self::Zh, ProfileProblem::Panicked) => {
                "onsdesk 执行此操作时内部出错（缺陷）；可能没有任何改变。".to_owned()
            }
        }
    }

    /// What the profile store refused.
    #[must_use]
    pub fn profile_error(self, e: &ProfileError) -> String {
        match (self, e) {
            (_, ProfileError::Keyring(k)) => self.keyring_error(k),
            (_, ProfileError::Config(c)) => self.config_error(c),
            (_, ProfileError::InvalidInput(i)) => self.input_error(i),
            (Self::En, ProfileError::NotFound(n)) => {
                format!("There is no profile named “{n}” (any more).")
            }
            (Self::Zh, ProfileError::NotFound(n)) => {
                format!("没有名为“{n}”的凭证配置（可能已被删除）。")
            }
            (Self::En, ProfileError::AlreadyExists(n)) => {
                format!("A profile named “{n}” already exists; choose another name.")
            }
            (Self::Zh, ProfileError::AlreadyExists(n)) => {
                format!("已存在名为“{n}”的凭证配置，请换一个名称。")
            }
            (Self::En, e @ (ProfileError::InvalidName { .. } | ProfileError::NoDataDir)) => {
                e.to_string()
            }
            (Self::Zh, ProfileError::InvalidName { name, reason }) => {
                let reason = match reason {
                    NameRule::Empty => "名称为空",
                    NameRule::TooLong => "超过 64 个字符",
                    NameRule::BadStart => "不能以“-”或“.”开头",
                    NameRule::BadCharacter => "只能使用字母、数字、“-”、“_”和“.”",
                };
                format!("配置名称“{name}”无效：{reason}。")
            }
            (Self::Zh, ProfileError::NoDataDir) => {
                "没有数据文件夹：请设置 ONSDESK_DATA_DIR 或 HOME。".to_owned()
            }
        }
    }

    /// Why the profiles file could not be read or written.
    #[must_use]
    pub fn config_error(self, e: &ConfigError) -> String {
        match (self, e) {
            (Self::En, e) => e.to_string(),
            (Self::Zh, ConfigError::Read { path, source }) => {
                format!("无法读取 {}：{source}", path.display())
            }
            (Self::Zh, ConfigError::Write { path, source }) => {
                format!("无法写入 {}：{source}", path.display())
            }
            (Self::Zh, ConfigError::Lock { path, source }) => {
                format!("无法锁定 {}：{source}", path.display())
            }
            (Self::Zh, ConfigError::Busy { path, waited }) => format!(
                "另一个 onsdesk 进程正在修改凭证配置：其锁（{}）在 {} 秒后仍未释放，因此没有做任何修改；请在该进程结束后重试",
                path.display(),
                waited.as_secs()
            ),
            (Self::Zh, ConfigError::Parse { path, detail }) => format!(
                "{} 不是有效的凭证配置文件（{detail}）；请修复或移走它。",
                path.display()
            ),
            (Self::Zh, ConfigError::TooNew { path, version }) => format!(
                "{} 由更新版本的 onsdesk 写入（格式 {version}）；请更新 onsdesk。",
                path.display()
            ),
        }
    }

    /// A field's value refused (never the value itself).
    #[must_use]
    pub fn input_error(self, e: &InputError) -> String {
        let field = |f: &Field| match f {
            Field::AccessKeyId => "AccessKey ID",
            Field::Secret => "AccessKey Secret",
            Field::SecurityToken => "STS 安全令牌",
        };
        match (self, e) {
            (Self::En, e) => e.to_string(),
            (Self::Zh, InputError::Empty(f)) => format!("{}为空。", field(f)),
            (
                Self::Zh,
                InputError::SurroundingWhitespace {
                    field: f,
                    first,
                    last,
                },
            ) => self.whitespace_note(field(f), *first, *last),
            (Self::Zh, InputError::ControlCharacter(f)) => {
                format!(
                    "{}包含控制字符或不可见的格式字符；未保存任何内容。",
                    field(f)
                )
            }
            (
                Self::Zh,
                InputError::TooLong {
                    field: f,
                    max_chars,
                },
            ) => {
                format!("{}超过 {max_chars} 个字符；未保存任何内容。", field(f))
            }
            (Self::Zh, InputError::WhitespaceInAccessKeyId) => {
                "AccessKey ID 中含有空白字符，而 AccessKey ID 从不包含空白字符。".to_owned()
            }
            (Self::Zh, InputError::StsWithoutToken) => "STS 凭证配置需要安全令牌。".to_owned(),
            (Self::Zh, InputError::TokenWithoutSts) => {
                "提供了安全令牌，但该配置没有标记为 STS。".to_owned()
            }
            (Self::Zh, InputError::StsSwitchNeedsSecrets) => {
                "在普通 AccessKey 与 STS 之间切换时，需要重新输入 Secret（以及令牌）。".to_owned()
            }
            (Self::Zh, InputError::NotAnOrphanButAProfile(name)) => {
                format!("“{name}”属于一个凭证配置；请删除该凭证配置。没有删除任何内容。")
            }
            (Self::Zh, InputError::NotAnOrphan(name)) => {
                format!("“{name}”不是孤立的密钥环条目。没有删除任何内容。")
            }
        }
    }

    /// Why the aliyun CLI's profile could not be imported.
    #[must_use]
    pub fn import_error(self, e: &ImportError) -> String {
        match (self, e) {
            (_, ImportError::Profile(p)) => self.profile_error(p),
            (Self::En, e) => e.to_string(),
            (Self::Zh, ImportError::NoHome) => {
                "找不到主目录，因此找不到 ~/.aliyun/config.json。".to_owned()
            }
            (Self::Zh, ImportError::Read { path, source }) => {
                format!("无法读取 {}：{source}", path.display())
            }
            (Self::Zh, ImportError::NotAFile { path }) => format!(
                "{} 不是普通文件；请选择 aliyun CLI 的 config.json。",
                path.display()
            ),
            (Self::Zh, ImportError::TooLarge { path }) => format!(
                "{} 超过 {} MiB；aliyun CLI 的 config.json 通常只有几 KiB。",
                path.display(),
                crate::profiles::aliyun::MAX_CONFIG_BYTES / (1024 * 1024)
            ),
            (Self::Zh, ImportError::Parse { path, line, column }) => format!(
                "{} 不是有效的 aliyun CLI 配置（JSON 错误位于第 {line} 行第 {column} 列）。",
                path.display()
            ),
            (
                Self::Zh,
                ImportError::NoSuchProfile {
                    path,
                    name,
                    available,
                },
            ) => format!(
                "{} 中没有名为“{name}”的配置（现有：{available}）。",
                path.display()
            ),
            (Self::Zh, ImportError::NoCurrent { path }) => {
                format!("{} 没有指定当前配置（current）。", path.display())
            }
            (Self::Zh, ImportError::UnsupportedMode { name, mode }) => format!(
                "aliyun 配置“{name}”使用“{mode}”模式；onsdesk 只导入 AK 和 StsToken 模式的配置（其他模式请设置 ALIBABA_CLOUD_* 环境变量，或手动添加凭证配置）。"
            ),
            (Self::Zh, ImportError::Invalid { name, problem }) => {
                format!("aliyun 配置“{name}”：{}", self.input_error(problem))
            }
        }
    }

    /// What the keyring said, and what to do about it.
    #[must_use]
    pub fn keyring_error(self, err: &KeyringError) -> String {
        match (self, err) {
            // Without the keyring's own message (a D-Bus error name means nothing to most):
            // it is in the log.
            (Self::En, KeyringError::Unavailable { store, .. }) => format!(
                "The {store} is not available: no keyring service runs on this computer (as on a headless Linux machine or in WSL)."
            ),
            (Self::Zh, KeyringError::Unavailable { store, .. }) => {
                format!(
                    "{store} 不可用：这台计算机上没有运行密钥环服务（例如无图形界面的 Linux 主机或 WSL）。"
                )
            }
            (Self::En, KeyringError::Locked { store, detail }) => format!(
                "The {store} is locked or refused access ({detail}). Unlock it (log in to the desktop session, or answer its unlock prompt), then choose the profile again."
            ),
            (Self::Zh, KeyringError::Locked { store, detail }) => format!(
                "{store} 已锁定或拒绝访问（{detail}）。请解锁（登录桌面会话或响应解锁提示）后重新选择该配置。"
            ),
            (Self::En, KeyringError::Missing { store, profile }) => format!(
                "The {store} has no secret for profile “{profile}” (was it deleted outside onsdesk?). Delete the profile and add it again."
            ),
            (Self::Zh, KeyringError::Missing { store, profile }) => format!(
                "{store} 中没有凭证配置“{profile}”的 Secret（是否在 onsdesk 之外被删除了？）。请删除该配置后重新添加。"
            ),
            (
                Self::En,
                KeyringError::Corrupt {
                    store,
                    profile,
                    what,
                },
            ) => format!(
                "The {store} entry for profile “{profile}” is not in onsdesk's format ({what}). Delete the profile and add it again."
            ),
            (
                Self::Zh,
                KeyringError::Corrupt {
                    store,
                    profile,
                    what,
                },
            ) => format!(
                "{store} 中凭证配置“{profile}”的条目格式不正确（{}）。请删除该配置后重新添加。",
                corruption_zh(*what)
            ),
            (
                Self::En,
                KeyringError::Refused {
                    store,
                    profile,
                    why,
                },
            ) => format!("The {store} refused the entry for profile “{profile}”: {why}."),
            (
                Self::Zh,
                KeyringError::Refused {
                    store,
                    profile,
                    why,
                },
            ) => format!(
                "{store} 拒绝了凭证配置“{profile}”的条目：{}。",
                refusal_zh(why)
            ),
        }
    }

    /// What a finished profile operation did.
    #[must_use]
    pub fn op_done(self, done: &ProfileOpDone) -> String {
        match (self, done) {
            (
                Self::En,
                ProfileOpDone::Added {
                    name,
                    is_default: true,
                },
            ) => format!("Profile “{name}” saved; it is the default."),
            (
                Self::Zh,
                ProfileOpDone::Added {
                    name,
                    is_default: true,
                },
            ) => format!("凭证配置“{name}”已保存，并设为默认。"),
            (Self::En, ProfileOpDone::Added { name, .. }) => format!("Profile “{name}” saved."),
            (Self::Zh, ProfileOpDone::Added { name, .. }) => format!("凭证配置“{name}”已保存。"),
            (Self::En, ProfileOpDone::Updated(name)) => format!("Profile “{name}” updated."),
            (Self::Zh, ProfileOpDone::Updated(name)) => format!("凭证配置“{name}”已更新。"),
            (Self::En, ProfileOpDone::Renamed { old, new }) => {
                format!("Profile “{old}” is now “{new}”.")
            }
            (Self::Zh, ProfileOpDone::Renamed { old, new }) => {
                format!("凭证配置“{old}”已重命名为“{new}”。")
            }
            (Self::En, ProfileOpDone::Deleted(name)) => {
                format!("Profile “{name}” and its keyring entry deleted.")
            }
            (Self::Zh, ProfileOpDone::Deleted(name)) => {
                format!("凭证配置“{name}”及其密钥环条目已删除。")
            }
            (Self::En, ProfileOpDone::DefaultSet(name)) => {
                format!("“{name}” is now the default profile.")
            }
            (Self::Zh, ProfileOpDone::DefaultSet(name)) => format!("“{name}”现在是默认凭证配置。"),
            (
                Self::En,
                ProfileOpDone::Imported {
                    aliyun_name, name, ..
                },
            ) => format!(
                "Imported aliyun profile “{aliyun_name}” as “{name}”; its secret is now in the keyring."
            ),
            (
                Self::Zh,
                ProfileOpDone::Imported {
                    aliyun_name, name, ..
                },
            ) => {
                format!("已将 aliyun 配置“{aliyun_name}”导入为“{name}”，其 Secret 已保存到密钥环。")
            }
        }
    }

    /// After an import: the aliyun CLI's file still holds the secret in plain text.
    #[must_use]
    pub fn plain_text_file_remains(self, file: &std::path::Path) -> String {
        let file = file.display();
        match self {
            Self::En => format!(
                "{file} still holds the secret in plain text. onsdesk did not change it: delete the secret from it (or the file) when you no longer need it for the aliyun CLI."
            ),
            Self::Zh => format!(
                "{file} 中仍以明文保存着该 Secret。onsdesk 没有修改它：不再需要 aliyun CLI 使用它时，请自行从文件中删除该 Secret（或删除该文件）。"
            ),
        }
    }

    /// "Test credentials" in words.
    #[must_use]
    pub fn verdict(self, v: &Verdict) -> String {
        match (self, v) {
            (Self::En, Verdict::Ok { regions }) => format!("OK: the credentials work ({regions} regions listed)."),
            (Self::Zh, Verdict::Ok { regions }) => format!("正常：凭证可用（列出了 {regions} 个地域）。"),
            (Self::En, Verdict::WrongSecret) => "Wrong secret: the AccessKey ID is known but the signature does not match. Check the secret (a pasted space is a classic cause).".to_owned(),
            (Self::Zh, Verdict::WrongSecret) => "Secret 错误：AccessKey ID 存在，但签名不匹配。请检查 Secret（常见原因是粘贴时带入了空格）。".to_owned(),
            (Self::En, Verdict::UnknownKey) => "Unknown key: no AccessKey with this ID exists.".to_owned(),
            (Self::Zh, Verdict::UnknownKey) => "未知的 AccessKey：不存在此 ID 的 AccessKey。".to_owned(),
            (Self::En, Verdict::DisabledKey) => "Disabled key: this AccessKey is inactive. Enable it or create a new one in the RAM console.".to_owned(),
            (Self::Zh, Verdict::DisabledKey) => "AccessKey 已禁用：请在 RAM 控制台启用它或新建一个。".to_owned(),
            (Self::En, Verdict::MissingPermission { code }) => format!("Missing RAM permission ({code}): the key works but may not call ApsaraMQ for RocketMQ. Grant the RAM user an mq policy (mq:CreateInstance to create)."),
            (Self::Zh, Verdict::MissingPermission { code }) => format!("缺少 RAM 权限（{code}）：凭证有效，但无权调用云消息队列 RocketMQ 版。请为 RAM 用户授予 mq 相关策略（创建需要 mq:CreateInstance）。"),
            (Self::En, Verdict::ExpiredToken) => "Expired STS token: get new temporary credentials and edit the profile.".to_owned(),
            (Self::Zh, Verdict::ExpiredToken) => "STS 令牌已过期：请获取新的临时凭证并编辑此配置。".to_owned(),
            (Self::En, Verdict::TokenRejected { code }) => format!("STS token refused ({code}): it is missing or does not belong to this AccessKey."),
            (Self::Zh, Verdict::TokenRejected { code }) => format!("STS 令牌被拒绝（{code}）：令牌缺失或与此 AccessKey 不匹配。"),
            (Self::En, Verdict::ClockSkew { code }) => format!("Clock off ({code}): this computer's clock differs from the service's by more than 15 minutes."),
            (Self::Zh, Verdict::ClockSkew { code }) => format!("时钟不准（{code}）：本机时钟与服务端相差超过 15 分钟。"),
            (Self::En, Verdict::ServiceNotEnabled) => "The key works, but ApsaraMQ for RocketMQ is not activated for this account.".to_owned(),
            (Self::Zh, Verdict::ServiceNotEnabled) => "凭证有效，但此账号尚未开通云消息队列 RocketMQ 版。".to_owned(),
            (Self::En, Verdict::NoNetwork(cause)) => format!("No network: {}", self.transport_cause(cause)),
            (Self::Zh, Verdict::NoNetwork(cause)) => format!("网络不通：{}", self.transport_cause(cause)),
            (_, Verdict::NotTheService(e)) => self.api_error(e),
            (Self::En, Verdict::Other { code, message }) => format!("The service answered {code}: {message}"),
            (Self::Zh, Verdict::Other { code, message }) => format!("服务返回 {code}：{message}"),
        }
    }
}

/// How a keyring entry is not what onsdesk wrote, in Chinese.
fn corruption_zh(what: Corruption) -> &'static str {
    match what {
        Corruption::NotUtf8 => "不是 UTF-8",
        Corruption::Undecodable => "存储无法解码",
        Corruption::NotJson => "不是 onsdesk 写入的 JSON",
        Corruption::OtherVersion => "由其他版本的 onsdesk 写入",
        Corruption::EmptySecret => "Secret 为空",
        Corruption::NoToken => "缺少 STS 令牌",
    }
}

/// Why the keyring refused an entry, in Chinese (the keyring's own words quoted as they came).
fn refusal_zh(why: &Refusal) -> String {
    match why {
        Refusal::TooLong { attr, limit } => format!("{attr} 超过了存储的长度上限 {limit}"),
        Refusal::Invalid { attr, why } => format!("{attr} 无效：{why}"),
        Refusal::Ambiguous { count } => {
            format!("有 {count} 个条目与之匹配，请用密钥环自带的工具删除多余的条目")
        }
    }
}
