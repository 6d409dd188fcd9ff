//! Every word the window shows, in English and Simplified Chinese. Nothing user-facing is
//! written anywhere else: views ask [`Lang::t`] for fixed text and the `Lang` methods below
//! for sentences with numbers or names in them.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::credentials::CredentialsError;
use crate::validation::{BadCharKind, NAME_MAX_CHARS, NAME_MIN_CHARS, NameError};

use crate::create::Step;
use crate::doctor::Diagnosis;
use crate::profiles::KeyringError;
use crate::profiles::check::Verdict;

use crate::api::ErrorKind;
use crate::region::EndpointError;

use super::create::{Failure, NotSent};
use super::history::HistoryProblem;
use super::preflight::{NameHint, REGION_QUOTA};
use super::profiles::{OpDone, ProfileProblem};
use super::session::SandboxProblem;

/// What to advise about a failed call, beyond its Code and Message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    /// The service's error, by its kind.
    Service(ErrorKind),
    /// No reply, and the request never left this machine.
    Network,
    /// No usable reply, and the request may have been acted on.
    MaybeCreated,
}

/// A parameter value in the doctor's sentence: quoted, or "absent".
fn show(lang: Lang, v: Option<&str>) -> String {
    match (lang, v) {
        (_, Some(v)) => format!("{v:?}"),
        (Lang::En, None) => "(absent)".to_owned(),
        (Lang::Zh, None) => "（无）".to_owned(),
    }
}

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

    // ---- profiles ----------------------------------------------------------------------------

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
            (_, ProfileProblem::Keyring(k)) => self.keyring_error(k),
            (Self::En, ProfileProblem::NotFound(n)) => {
                format!("There is no profile named “{n}” (any more).")
            }
            (Self::Zh, ProfileProblem::NotFound(n)) => {
                format!("没有名为“{n}”的凭证配置（可能已被删除）。")
            }
            (Self::En, ProfileProblem::AlreadyExists(n)) => {
                format!("A profile named “{n}” already exists; choose another name.")
            }
            (Self::Zh, ProfileProblem::AlreadyExists(n)) => {
                format!("已存在名为“{n}”的凭证配置，请换一个名称。")
            }
            (_, ProfileProblem::Text(t)) => t.clone(),
            (Self::En, ProfileProblem::Panicked) => {
                "onsdesk failed internally while doing this (a bug); nothing may have changed."
                    .to_owned()
            }
            (Self::Zh, ProfileProblem::Panicked) => {
                "onsdesk 执行此操作时内部出错（缺陷）；可能没有任何改变。".to_owned()
            }
        }
    }

    /// What the keyring said, and what to do about it.
    #[must_use]
    pub fn keyring_error(self, err: &KeyringError) -> String {
        match (self, err) {
            (Self::En, KeyringError::Unavailable { store, detail }) => {
                format!("The {store} is not available ({detail}).")
            }
            (Self::Zh, KeyringError::Unavailable { store, detail }) => {
                format!("{store} 不可用（{detail}）。")
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
                "{store} 中凭证配置“{profile}”的条目格式不正确（{what}）。请删除该配置后重新添加。"
            ),
            (
                Self::En,
                KeyringError::Refused {
                    store,
                    profile,
                    detail,
                },
            ) => format!("The {store} refused the entry for profile “{profile}”: {detail}."),
            (
                Self::Zh,
                KeyringError::Refused {
                    store,
                    profile,
                    detail,
                },
            ) => format!("{store} 拒绝了凭证配置“{profile}”的条目：{detail}。"),
        }
    }

    /// What a finished profile operation did.
    #[must_use]
    pub fn op_done(self, done: &OpDone) -> String {
        match (self, done) {
            (
                Self::En,
                OpDone::Added {
                    name,
                    is_default: true,
                },
            ) => format!("Profile “{name}” saved; it is the default."),
            (
                Self::Zh,
                OpDone::Added {
                    name,
                    is_default: true,
                },
            ) => format!("凭证配置“{name}”已保存，并设为默认。"),
            (Self::En, OpDone::Added { name, .. }) => format!("Profile “{name}” saved."),
            (Self::Zh, OpDone::Added { name, .. }) => format!("凭证配置“{name}”已保存。"),
            (Self::En, OpDone::Updated(name)) => format!("Profile “{name}” updated."),
            (Self::Zh, OpDone::Updated(name)) => format!("凭证配置“{name}”已更新。"),
            (Self::En, OpDone::Renamed { old, new }) => format!("Profile “{old}” is now “{new}”."),
            (Self::Zh, OpDone::Renamed { old, new }) => {
                format!("凭证配置“{old}”已重命名为“{new}”。")
            }
            (Self::En, OpDone::Deleted(name)) => {
                format!("Profile “{name}” and its keyring entry deleted.")
            }
            (Self::Zh, OpDone::Deleted(name)) => format!("凭证配置“{name}”及其密钥环条目已删除。"),
            (Self::En, OpDone::DefaultSet(name)) => format!("“{name}” is now the default profile."),
            (Self::Zh, OpDone::DefaultSet(name)) => format!("“{name}”现在是默认凭证配置。"),
            (
                Self::En,
                OpDone::Imported {
                    aliyun_name, name, ..
                },
            ) => format!(
                "Imported aliyun profile “{aliyun_name}” as “{name}”; its secret is now in the keyring."
            ),
            (
                Self::Zh,
                OpDone::Imported {
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
            (Self::En, Verdict::NoNetwork { detail }) => format!("No network: {detail}"),
            (Self::Zh, Verdict::NoNetwork { detail }) => format!("网络不通：{detail}"),
            (_, Verdict::Other { code, message }) if code.is_empty() => message.clone(),
            (Self::En, Verdict::Other { code, message }) => format!("The service answered {code}: {message}"),
            (Self::Zh, Verdict::Other { code, message }) => format!("服务返回 {code}：{message}"),
        }
    }

    // ---- the safe create ----------------------------------------------------------------------

    /// The heading of the success card when the instance was found after a lost reply.
    #[must_use]
    pub fn adopted_line(self, edition: &str, region: &str) -> String {
        match self {
            Self::En => format!("Adopted · {edition} · {region}"),
            Self::Zh => format!("已找回 · {edition} · {region}"),
        }
    }

    #[must_use]
    pub fn unknown_explained(self, name: &str, region: &str) -> String {
        match self {
            Self::En => format!(
                "We could not find out whether “{name}” was created in {region}: no usable reply came back, and the region's instance list could not be read either. The instance may exist (and be billed). Check again before creating it again."
            ),
            Self::Zh => format!(
                "无法确定“{name}”是否已在 {region} 创建：没有收到可用的回复，也无法读取该地域的实例列表。实例可能已经存在（并开始计费）。再次创建前请先再次检查。"
            ),
        }
    }

    #[must_use]
    pub fn checked_not_found(self, name: &str, region: &str) -> String {
        match self {
            Self::En => format!(
                "Checked again: no instance named “{name}” exists in {region}, so nothing was created. It is safe to create it again."
            ),
            Self::Zh => format!(
                "已再次检查：{region} 中没有名为“{name}”的实例，因此没有创建任何资源。可以放心重新创建。"
            ),
        }
    }

    /// "3 h 20 min" / "3 小时 20 分钟", to the nearest minute above a minute (`Date` has whole
    /// seconds and the reply took a moment).
    fn duration_words(self, offset: time::Duration) -> String {
        let secs = offset.whole_seconds().unsigned_abs();
        let secs = if secs >= 60 {
            (secs + 30) / 60 * 60
        } else {
            secs
        };
        let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
        match (self, h, m) {
            (Self::En, 0, 0) => format!("{s} s"),
            (Self::En, 0, m) => format!("{m} min"),
            (Self::En, h, 0) => format!("{h} h"),
            (Self::En, h, m) => format!("{h} h {m} min"),
            (Self::Zh, 0, 0) => format!("{s} 秒"),
            (Self::Zh, 0, m) => format!("{m} 分钟"),
            (Self::Zh, h, 0) => format!("{h} 小时"),
            (Self::Zh, h, m) => format!("{h} 小时 {m} 分钟"),
        }
    }

    /// The local clock was off and the create corrected for it.
    #[must_use]
    pub fn clock_off(self, offset: time::Duration) -> String {
        let amount = self.duration_words(offset);
        let behind = offset.is_positive();
        match (self, behind) {
            (Self::En, true) => format!(
                "Your computer's clock is {amount} behind Alibaba Cloud's. onsdesk corrected for it this time; set the clock to synchronise automatically."
            ),
            (Self::En, false) => format!(
                "Your computer's clock is {amount} ahead of Alibaba Cloud's. onsdesk corrected for it this time; set the clock to synchronise automatically."
            ),
            (Self::Zh, true) => {
                format!("本机时钟比阿里云慢 {amount}。onsdesk 这次已自动校正；请开启时间自动同步。")
            }
            (Self::Zh, false) => {
                format!("本机时钟比阿里云快 {amount}。onsdesk 这次已自动校正；请开启时间自动同步。")
            }
        }
    }

    #[must_use]
    pub fn steps_title(self, n: usize) -> String {
        match self {
            Self::En => format!("What happened ({n} steps)"),
            Self::Zh => format!("经过（{n} 步）"),
        }
    }

    /// One step of the safe create.
    #[must_use]
    pub fn step(self, step: &Step) -> String {
        match (self, step) {
            (Self::En, Step::Attempt { n }) => format!("Sent the create request (attempt {n})."),
            (Self::Zh, Step::Attempt { n }) => format!("发送创建请求（第 {n} 次）。"),
            (Self::En, Step::NotSentRetrying { detail }) => {
                format!("The request never left this computer ({detail}); sending it again.")
            }
            (Self::Zh, Step::NotSentRetrying { detail }) => {
                format!("请求没有发出（{detail}），重新发送。")
            }
            #[expect(
                clippy::cast_precision_loss,
                reason = "a wait in ms, shown to a tenth of a second"
            )]
            (Self::En, Step::Throttled { wait_ms }) => format!(
                "Throttled by the service; waited {:.1} s.",
                *wait_ms as f64 / 1000.0
            ),
            #[expect(
                clippy::cast_precision_loss,
                reason = "a wait in ms, shown to a tenth of a second"
            )]
            (Self::Zh, Step::Throttled { wait_ms }) => {
                format!("请求被限流，等待了 {:.1} 秒。", *wait_ms as f64 / 1000.0)
            }
            (_, Step::ClockCorrected { offset_secs }) => {
                let amount = self.duration_words(time::Duration::seconds(*offset_secs));
                match self {
                    Self::En => format!(
                        "The service refused our timestamp; corrected the clock by {amount} and signed again."
                    ),
                    Self::Zh => format!("服务拒绝了时间戳；已将时钟校正 {amount} 并重新签名。"),
                }
            }
            (Self::En, Step::Reconciling { detail }) => format!(
                "No usable reply ({detail}); looking for the name in the region before anything else."
            ),
            (Self::Zh, Step::Reconciling { detail }) => {
                format!("没有可用的回复（{detail}）；先在该地域中按名称查找实例。")
            }
            (Self::En, Step::Found { instance_id }) => format!("Found it: {instance_id}."),
            (Self::Zh, Step::Found { instance_id }) => format!("找到了：{instance_id}。"),
            (Self::En, Step::NotFound) => "Not found: that attempt created nothing.".to_owned(),
            (Self::Zh, Step::NotFound) => "没有找到：那次尝试没有创建任何实例。".to_owned(),
            (Self::En, Step::ReconcileFailed { detail }) => {
                format!("Could not list the region's instances: {detail}")
            }
            (Self::Zh, Step::ReconcileFailed { detail }) => {
                format!("无法列出该地域的实例：{detail}")
            }
        }
    }

    /// The signature doctor's finding.
    #[must_use]
    pub fn diagnosis(self, d: &Diagnosis) -> String {
        match (self, d) {
            (Self::En, Diagnosis::WrongSecret { whitespace: true }) => "The request arrived exactly as signed, so the AccessKey Secret is wrong: it begins or ends with whitespace, probably pasted by accident. Edit the profile and enter the secret without it.".to_owned(),
            (Self::Zh, Diagnosis::WrongSecret { whitespace: true }) => "请求按签名原样到达，因此是 AccessKey Secret 有误：它的开头或结尾有空白字符，可能是粘贴时带入的。请编辑凭证配置，重新输入不含空白的 Secret。".to_owned(),
            (Self::En, Diagnosis::WrongSecret { whitespace: false }) => "The request arrived exactly as signed, so the AccessKey Secret does not belong to this AccessKey ID. Check that the secret is the one shown when the key was created.".to_owned(),
            (Self::Zh, Diagnosis::WrongSecret { whitespace: false }) => "请求按签名原样到达，因此是 AccessKey Secret 与此 AccessKey ID 不匹配。请确认 Secret 是创建该 AccessKey 时显示的那一个。".to_owned(),
            (Self::En, Diagnosis::Method { ours, theirs }) => format!("We signed a {ours} request but the service received {theirs}: a proxy or redirect changed it."),
            (Self::Zh, Diagnosis::Method { ours, theirs }) => format!("我们签名的是 {ours} 请求，服务端收到的却是 {theirs}：代理或重定向修改了请求。"),
            (Self::En, Diagnosis::Params(diffs)) => {
                let mut out = "The service saw different parameters than we signed (a proxy or gateway rewrote the request):".to_owned();
                for d in diffs {
                    let _ = write!(out, " {}: we signed {}, it saw {};", d.name, show(self, d.ours.as_deref()), show(self, d.theirs.as_deref()));
                }
                out
            }
            (Self::Zh, Diagnosis::Params(diffs)) => {
                let mut out = "服务端看到的参数与我们签名的不同（代理或网关改写了请求）：".to_owned();
                for d in diffs {
                    let _ = write!(out, " {}：我们签名的是 {}，服务端看到的是 {}；", d.name, show(self, d.ours.as_deref()), show(self, d.theirs.as_deref()));
                }
                out
            }
            (Self::En, Diagnosis::Other { position }) => format!("The string the service signed differs from ours from character {position} on: the request was altered on the way."),
            (Self::Zh, Diagnosis::Other { position }) => format!("服务端签名的字符串从第 {position} 个字符起与我们的不同：请求在途中被修改了。"),
        }
    }

    /// The pre-flight hint under the name.
    #[must_use]
    pub fn preflight(self, hint: &NameHint) -> String {
        match (self, hint) {
            (Self::En, NameHint::Taken { id, region }) => format!(
                "An instance with this name already exists in {region} ({id}). Creating it again will be refused."
            ),
            (Self::Zh, NameHint::Taken { id, region }) => {
                format!("{region} 中已有同名实例（{id}）。再次创建会被拒绝。")
            }
            (Self::En, NameHint::QuotaFull { region, count }) => format!(
                "{region} already has {count} instances, the most a region allows ({REGION_QUOTA}). A create will be refused."
            ),
            (Self::Zh, NameHint::QuotaFull { region, count }) => format!(
                "{region} 已有 {count} 个实例，达到单个地域的上限（{REGION_QUOTA} 个）。创建会被拒绝。"
            ),
            (Self::En, NameHint::Free { region, count }) => {
                format!("The name is free in {region} ({count} of {REGION_QUOTA} instances used).")
            }
            (Self::Zh, NameHint::Free { region, count }) => {
                format!("该名称在 {region} 中可用（已用 {count}/{REGION_QUOTA} 个实例）。")
            }
        }
    }

    /// What to do about a failed call; `None` for error kinds without advice (their Code and
    /// Message are shown verbatim).
    #[must_use]
    pub fn advice(self, advice: Advice) -> Option<&'static str> {
        use ErrorKind as K;
        let (en, zh) = match advice {
            Advice::Service(K::WrongSecret) => (
                "The AccessKey secret does not match this AccessKey ID. Check for a space or line break pasted at the start or end of the secret, and that the ID and secret belong together.",
                "AccessKey Secret 与此 AccessKey ID 不匹配。请检查 Secret 首尾是否误粘贴了空格或换行，以及 ID 与 Secret 是否属于同一对。",
            ),
            Advice::Service(K::UnknownKey | K::DisabledKey) => (
                "Alibaba Cloud does not know this AccessKey ID, or it is disabled. Check the ID in the RAM console and that the key is active.",
                "阿里云找不到此 AccessKey ID，或它已被禁用。请在 RAM 控制台核对 ID，并确认该 AccessKey 处于启用状态。",
            ),
            Advice::Service(K::ClockSkew) => (
                "This computer's clock differs from Alibaba Cloud's by more than 15 minutes. Set the clock to synchronise automatically, then try again.",
                "本机时钟与阿里云相差超过 15 分钟。请开启时间自动同步后重试。",
            ),
            Advice::Service(K::NonceReused) => (
                "A request with the same nonce was already received: an earlier attempt reached the service. Check whether the instance exists before creating it again.",
                "服务已收到过使用相同随机数的请求，说明之前的某次尝试已经到达服务端。再次创建前请先确认实例是否已存在。",
            ),
            Advice::Service(K::SecurityToken) => (
                "The STS security token is missing, expired or does not belong to this AccessKey. Get fresh temporary credentials and try again.",
                "STS 安全令牌缺失、已过期或与此 AccessKey 不匹配。请获取新的临时凭证后重试。",
            ),
            Advice::Service(K::Throttled) => (
                "Too many requests: the account may make at most 10 create calls per second. Wait a moment and try again.",
                "请求过于频繁：每个账号每秒最多调用 10 次创建接口。请稍候重试。",
            ),
            Advice::Service(K::NoPermission) => (
                "This RAM user may not create instances. Ask an administrator to grant the mq:CreateInstance permission (for example with the AliyunMQFullAccess policy).",
                "此 RAM 用户没有创建实例的权限。请联系管理员授予 mq:CreateInstance 权限（例如 AliyunMQFullAccess 策略）。",
            ),
            Advice::Service(K::NotActivated) => (
                "ApsaraMQ for RocketMQ is not activated for this account. Activate it in the Alibaba Cloud console, then try again.",
                "此账号尚未开通云消息队列 RocketMQ 版。请先在阿里云控制台开通服务后重试。",
            ),
            Advice::Service(K::RegionNotServed) => (
                "This region does not offer ApsaraMQ for RocketMQ 4.x, or the endpoint does not match it. Choose another region.",
                "此地域不提供云消息队列 RocketMQ 4.x 版，或接入点与地域不符。请选择其他地域。",
            ),
            Advice::Service(K::ServerTrouble) => (
                "Alibaba Cloud had a problem on its side. The instance may or may not have been created: check the console for this name before trying again.",
                "阿里云服务端出现问题。实例可能已创建，也可能没有：重试前请先在控制台确认是否已有同名实例。",
            ),
            Advice::Service(K::MissingParameter) => (
                "A required parameter was missing from the request. This is a bug in onsdesk; please report it with the Request ID.",
                "请求缺少必需参数。这是 onsdesk 的缺陷，请附上请求 ID 反馈。",
            ),
            Advice::Service(K::InvalidParameter) => (
                "The service refused a value. The message above says which one and why.",
                "服务拒绝了某个参数值。上面的错误信息说明了是哪个参数以及原因。",
            ),
            Advice::Service(K::WrongEndpoint) => (
                "The endpoint does not offer this API. Check the region or the custom endpoint.",
                "该接入点不提供此 API。请检查地域或自定义接入点。",
            ),
            Advice::Network => (
                "No reply came back. Check the network connection (and proxy settings), then try again.",
                "没有收到回复。请检查网络连接（以及代理设置）后重试。",
            ),
            Advice::MaybeCreated => (
                "The request may have reached Alibaba Cloud before the connection failed, so the instance may exist. Check the console for this name before creating it again.",
                "连接中断前请求可能已经到达阿里云，实例可能已经存在。再次创建前请先在控制台确认是否已有同名实例。",
            ),
            Advice::Service(K::DuplicateName | K::QuotaReached | K::NotFound | K::Other) => {
                return None;
            }
        };
        Some(match self {
            Self::En => en,
            Self::Zh => zh,
        })
    }

    /// Why a create was not sent.
    #[must_use]
    pub fn not_sent(self, why: &NotSent) -> String {
        match (self, why) {
            (_, NotSent::Endpoint(e)) => {
                format!("{} {}", self.t(T::EndpointInvalid), self.endpoint_error(e))
            }
            (Self::En, NotSent::NotRecorded(p)) => format!(
                "The attempt could not be recorded in the history, so nothing was sent. {}",
                self.history_problem(p)
            ),
            (Self::Zh, NotSent::NotRecorded(p)) => format!(
                "无法在创建记录中登记此次尝试，因此没有发送任何请求。{}",
                self.history_problem(p)
            ),
        }
    }

    /// An endpoint that cannot be used, in words.
    #[must_use]
    pub fn endpoint_error(self, e: &EndpointError) -> String {
        match (self, e) {
            (Self::En, e) => e.to_string(),
            (Self::Zh, EndpointError::Invalid(url, why)) => {
                format!("“{url}”不是有效的接入点：{why}")
            }
            (Self::Zh, EndpointError::PlainHttp(url)) => format!(
                "“{url}”使用明文 http：只有本机地址（127.0.0.1、::1、localhost）可以这样做，请使用 https"
            ),
            (Self::Zh, EndpointError::Scheme(scheme)) => {
                format!("不支持接入点协议“{scheme}”，请使用 https")
            }
            (Self::Zh, EndpointError::BadRegion(region)) => {
                format!("“{region}”不是地域 ID（只能包含字母、数字和“-”）")
            }
        }
    }

    /// Why a call failed, in one line (the API's own message for API errors).
    #[must_use]
    pub fn failure(self, failure: &Failure) -> String {
        match failure {
            Failure::Api(e) => e.to_string(),
            Failure::Panicked => self.t(T::InternalFaultExplained).to_owned(),
        }
    }

    /// Why the sandbox did not start.
    #[must_use]
    pub fn sandbox_problem(self, why: &SandboxProblem) -> String {
        match why {
            SandboxProblem::Io(e) => e.to_string(),
            SandboxProblem::Panicked => self.t(T::InternalFaultExplained).to_owned(),
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
    ProfileEnvironment => "from environment", "来自环境变量";
    ProfileSandbox => "sandbox", "沙箱";
    ProfileNone => "none", "无";
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
    InternalFault => "Internal error", "内部错误";
    InternalFaultExplained => "onsdesk failed internally (a bug) while the request was under way: it may or may not have reached Alibaba Cloud. Check again before creating it again.", "onsdesk 在请求进行中发生内部错误（缺陷）：请求可能已到达阿里云，也可能没有。再次创建前请先再次检查。";
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
    NoCredsEnv => "Or set these environment variables, then start onsdesk again:", "或者设置以下环境变量，然后重新启动 onsdesk：";
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
    DefaultWord => "default", "默认";
    ManageProfiles => "Profiles…", "管理凭证…";
    ProfilesTitle => "Credential profiles", "凭证配置";
    ProfilesInKeyring => "The secret goes into the OS keyring, never into a file.", "Secret 只保存在系统密钥环中，不会写入任何文件。";
    Close => "Close", "关闭";
    ProfilesLoading => "Reading the profiles…", "正在读取凭证配置…";
    NoProfilesYet => "No profiles yet.", "还没有凭证配置。";
    AddProfile => "Add profile", "添加凭证配置";
    AddProfileWelcome => "Add a profile…", "添加凭证配置…";
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
    UsingEnvInstead => "Working with the credentials from the environment variables for this session.", "本次会话改用环境变量中的凭证。";
    UseEnvForSession => "To work without the keyring for this session, set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET and start onsdesk again. onsdesk never falls back to a plain-text file.", "如需在不使用密钥环的情况下继续本次工作，请设置 ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET 后重新启动 onsdesk。onsdesk 绝不会退而使用明文文件。";
    AdoptedExplained => "The reply was lost; we found the instance by its name.", "回复丢失了；我们按名称找到了该实例。";
    TerraformTitle => "Terraform", "Terraform 配置";
    CopyTerraform => "Copy Terraform", "复制 Terraform 配置";
    SignatureDoctor => "Signature check", "签名诊断";
    CheckAgain => "Check again", "再次检查";
    StillUnknown => "Still unknown: the instance list could not be read:", "仍然未知：无法读取实例列表：";
    ShowRequest => "Show request", "查看请求";
    ShowRequestHint => "The exact signed request Create would send, without the secret.", "查看“创建”将发送的完整签名请求（不含 Secret）。";
    RequestTitle => "The signed request", "签名后的请求";
    RequestNote => "Signed just now for the name and remark in the form. Create signs again with a fresh time and nonce. The AccessKey Secret is never sent; an STS token is shown as <redacted>.", "按表单中的名称和备注刚刚签名。点击“创建”时会用新的时间和随机数重新签名。AccessKey Secret 从不随请求发送；STS 令牌显示为 <redacted>。";
    SignatureVersion => "Signature", "签名版本";
    SignatureV1 => "V1 (HMAC-SHA1, default)", "V1（HMAC-SHA1，默认）";
    SignatureV3 => "V3 (ACS3-HMAC-SHA256)", "V3（ACS3-HMAC-SHA256）";
    FormParams => "Form parameters (body)", "表单参数（请求体）";
    QueryParams => "Query parameters", "查询参数";
    Headers => "Headers", "请求头";
    AliyunCliTitle => "The same with the aliyun CLI", "用 aliyun CLI 执行同样的操作";
    CopyAliyunCli => "Copy as aliyun CLI command", "复制为 aliyun CLI 命令";
}

/// Sentences of the history panel.
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
    pub fn history_problem(self, problem: &HistoryProblem) -> String {
        use HistoryProblem as Problem;
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
        let same_ok = [
            T::AppName,
            T::TcpEndpoint,
            T::AccessKeyId,
            T::AccessKeySecret,
        ];
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
