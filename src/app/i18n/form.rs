//! The create form's words: the field labels, validation sentences, the pre-flight hint.

use super::{Lang, T};
use crate::validation::BadCharKind;
use crate::validation::NAME_MAX_CHARS;
use crate::validation::NAME_MIN_CHARS;
use crate::validation::NameError;
use std::fmt::Write as _;

texts! {
    /// A fixed piece of text of this feature; [`Lang::t`] gives it in a language.
    FormText {
        InstanceName => "Instance name", "实例名称";
        Remark => "Remark (optional)", "备注（可选）";
        NameValid => "Valid name.", "名称有效。";
        Create => "Create", "创建";
        EnterHint => "Enter creates · Esc cancels", "回车创建 · Esc 取消";
        ShowRequest => "Show request", "查看请求";
        NewInstance => "New instance", "新建实例";
        NewInstanceHint => "Clear the form and start a new instance.", "清空表单，开始创建新实例。";
        ShowRequestHint => "The exact signed request Create would send, without the secret.", "查看“创建”将发送的完整签名请求（不含 Secret）。";
        NameInvalid => "Invalid name.", "名称无效。";
        CreatedJustNow => "Created just now:", "刚刚已创建：";
        CreateAnother => "To create another, give it a new name.", "如需再创建，请换一个名称。";
        FixNameFirst => "Nothing was sent: correct the name first.", "未发送任何请求：请先修正名称。";
        NoCredsEnter => "Nothing was sent: there are no credentials yet. Add a profile, set the environment variables, or try the sandbox (on the right).", "未发送任何请求：还没有凭证。请添加凭证配置、设置环境变量，或试用沙箱（见右侧）。";
    }
}

impl Lang {
    /// Under the name field when no installed font can draw some of its characters (rare
    /// ideographs beyond the embedded subset): which ones, and that the name is still fine.
    #[must_use]
    pub fn unshown_chars(self, chars: &[char]) -> String {
        const SHOWN: usize = 5;
        let mut codes = String::new();
        for (i, c) in chars.iter().take(SHOWN).enumerate() {
            if i > 0 {
                codes.push_str(", ");
            }
            let _ = write!(codes, "U+{:04X}", u32::from(*c));
        }
        if chars.len() > SHOWN {
            codes.push_str(", …");
        }
        match self {
            Self::En => format!(
                "This name contains characters no installed font can show: {codes}. It is still valid; it will show correctly where a font has them."
            ),
            Self::Zh => format!(
                "此名称包含本机已安装的字体都无法显示的字符：{codes}。名称仍然有效；在装有相应字体的地方会正常显示。"
            ),
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

    /// The Create button while a call is in flight.
    #[must_use]
    pub fn creating(self, secs: f32) -> String {
        match self {
            Self::En => format!("Creating… {secs:.1} s"),
            Self::Zh => format!("正在创建… {secs:.1} 秒"),
        }
    }

    /// The name in the form is the instance created just now (shown on the card), as a
    /// screen reader says it.
    #[must_use]
    pub fn created_just_now(self, id: &str) -> String {
        match self {
            Self::En => format!(
                "{} {id}. {}",
                self.t(FormText::CreatedJustNow),
                self.t(FormText::CreateAnother)
            ),
            Self::Zh => format!(
                "{}{id}。{}",
                self.t(FormText::CreatedJustNow),
                self.t(FormText::CreateAnother)
            ),
        }
    }

    /// What a screen reader says about a name that is not valid. As on screen, but without
    /// the count of a name too short or too long: a reader says a field's description again
    /// each time it changes, and a count would change with every key typed.
    #[must_use]
    pub fn name_error_said(self, err: &NameError) -> String {
        let why = match (self, err) {
            (Self::En, NameError::TooShort { .. }) => {
                format!("Too short: a name needs at least {NAME_MIN_CHARS} characters.")
            }
            (Self::Zh, NameError::TooShort { .. }) => {
                format!("太短：名称至少需要 {NAME_MIN_CHARS} 个字符。")
            }
            (Self::En, NameError::TooLong { .. }) => {
                format!("Too long: a name has at most {NAME_MAX_CHARS} characters.")
            }
            (Self::Zh, NameError::TooLong { .. }) => {
                format!("太长：名称最多 {NAME_MAX_CHARS} 个字符。")
            }
            _ => self.name_error(err),
        };
        if matches!(err, NameError::Empty) {
            return why;
        }
        self.sentences(&[self.t(FormText::NameInvalid), &why])
    }

    /// The pre-flight hint under the name: the name is taken by instance `id`.
    #[must_use]
    pub fn name_taken(self, id: &str, region: &str) -> String {
        match self {
            Self::En => format!(
                "An instance with this name already exists in {region} ({id}). Creating it again will be refused."
            ),
            Self::Zh => format!("{region} 中已有同名实例（{id}）。再次创建会被拒绝。"),
        }
    }

    /// The pre-flight hint under the name: the region holds `count` of its `quota` instances.
    #[must_use]
    pub fn region_quota_full(self, region: &str, count: usize, quota: usize) -> String {
        match self {
            Self::En => format!(
                "{region} already has {count} instances, the most a region allows ({quota}). A create will be refused."
            ),
            Self::Zh => format!(
                "{region} 已有 {count} 个实例，达到单个地域的上限（{quota} 个）。创建会被拒绝。"
            ),
        }
    }

    /// The pre-flight hint under the name: the name is free, `count` of `quota` used.
    #[must_use]
    pub fn name_free(self, region: &str, count: usize, quota: usize) -> String {
        match self {
            Self::En => {
                format!("The name is free in {region} ({count} of {quota} instances used).")
            }
            Self::Zh => format!("该名称在 {region} 中可用（已用 {count}/{quota} 个实例）。"),
        }
    }
}
