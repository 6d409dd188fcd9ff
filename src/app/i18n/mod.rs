//! Every word the window shows, in English and Simplified Chinese. Nothing user-facing is
//! written anywhere else: views ask [`Lang::t`] for fixed text and the `Lang` methods for
//! sentences with numbers or names in them. Each feature's words live in their own file
//! (`form`, `result`, `profiles`, `history`, `instances`, `topics` for an instance's topics, groups and client config, and `errors` for the reasons things fail); the
//! words several features share are here. Every entry of a `texts!` table must give both
//! languages, so a missing translation does not compile.

use serde::{Deserialize, Serialize};

/// A table of fixed texts: an enum with both languages for each of its keys.
macro_rules! texts {
    ($(#[$doc:meta])* $name:ident { $($key:ident => $en:literal, $zh:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl super::Words for $name {
            fn en(self) -> &'static str {
                match self { $(Self::$key => $en),* }
            }
            fn zh(self) -> &'static str {
                match self { $(Self::$key => $zh),* }
            }
            #[cfg(test)]
            fn all() -> &'static [Self] {
                &[$(Self::$key),*]
            }
        }
    };
}

mod errors;
mod form;
mod history;
mod instances;
mod profiles;
mod result;
mod topics;

pub use errors::Advice;
pub use form::FormText;
pub use history::HistoryText;
pub use instances::InstancesText;
pub use profiles::ProfilesText;
pub use result::CardText;
pub use topics::{HeldWhat, TopicsText};

impl Lang {
    /// A region's name as the console says it (`China (Hangzhou)`, `华东1（杭州）`); an ID
    /// onsdesk does not know stays as it is.
    #[must_use]
    pub fn region_console_name(self, id: &str) -> String {
        match (crate::region::find(id), self) {
            (Some(r), Self::En) => r.name_en.to_owned(),
            (Some(r), Self::Zh) => r.name_zh.to_owned(),
            (None, _) => id.to_owned(),
        }
    }

    /// A region as the console names it, with its ID beside: `China (Hangzhou) · cn-hangzhou`,
    /// `华东1（杭州） · cn-hangzhou`; an ID onsdesk does not know stays as it is.
    #[must_use]
    pub fn region_name(self, id: &str) -> String {
        match crate::region::find(id) {
            Some(r) => format!("{} · {}", self.region_console_name(id), r.id),
            None => id.to_owned(),
        }
    }
}

/// A fixed text in both languages (every `texts!` table).
pub trait Words: Copy + std::fmt::Debug + PartialEq + 'static {
    fn en(self) -> &'static str;
    fn zh(self) -> &'static str;
    /// Every key of the table (the completeness test walks them).
    #[cfg(test)]
    fn all() -> &'static [Self];
}

/// The window's language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
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
    pub fn t(self, key: impl Words) -> &'static str {
        match self {
            Self::En => key.en(),
            Self::Zh => key.zh(),
        }
    }

    /// The language's IETF tag, for screen readers.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
        }
    }

    /// Sentences said one after the other: a space between them in English, none in Chinese
    /// (whose full stop ends a sentence without one).
    #[must_use]
    pub fn sentences(self, parts: &[&str]) -> String {
        let parts = parts.iter().filter(|p| !p.is_empty());
        match self {
            Self::En => parts.copied().collect::<Vec<_>>().join(" "),
            Self::Zh => parts.copied().collect(),
        }
    }

    /// A field's text, then what is said about it.
    #[must_use]
    pub fn value_then(self, value: &str, said: &str) -> String {
        match self {
            Self::En => format!("{value}. {said}"),
            Self::Zh => format!("{value}。{said}"),
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
}

mod words {
    texts! {
        /// Words several features share (the window's chrome, copy buttons, dialogs).
        T {
            AppName => "onsdesk", "onsdesk";
            Region => "Region", "地域";
            Profile => "Profile", "凭证配置";
            ProfileEnvironment => "from environment", "来自环境变量";
            ProfileSandbox => "sandbox", "沙箱";
            ProfileNone => "none", "无";
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
            NameRule => "3 to 64 characters: Chinese characters, letters, digits, '-' or '_'.", "3 到 64 个字符：汉字、字母、数字、“-”或“_”。";
            Cancel => "Cancel", "取消";
            InstanceId => "Instance ID", "实例 ID";
            InstanceType => "Instance type", "实例类型";
            RequestId => "Request ID", "请求 ID";
            Time => "Time", "时间";
            Copy => "Copy", "复制";
            Copied => "Copied", "已复制";
            CopyKeptOnX11 => "Kept on the clipboard for 10 minutes after onsdesk closes, unless something else is copied.", "onsdesk 关闭后仍在剪贴板中保留 10 分钟（除非复制了其他内容）。";
            Code => "Code", "错误码";
            Message => "Message", "错误信息";
            SandboxBanner => "Sandbox — nothing is created on Alibaba Cloud", "沙箱模式 — 不会在阿里云上创建任何资源";
            EndpointInvalid => "This endpoint is not usable:", "此接入点不可用：";
            Dismiss => "Dismiss", "知道了";
            DefaultWord => "default", "默认";
            ManageProfiles => "Profiles…", "管理凭证…";
            ProfilesTitle => "Credential profiles", "凭证配置";
            Close => "Close", "关闭";
            NoProfilesYet => "No profiles yet.", "还没有凭证配置。";
            UsingEnvInstead => "Working with the credentials from the environment variables for this session.", "本次会话改用环境变量中的凭证。";
            UseEnvForSession => "To work without the keyring for this session, set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET and start onsdesk again. onsdesk never falls back to a plain-text file.", "如需在不使用密钥环的情况下继续本次工作，请设置 ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET 后重新启动 onsdesk。onsdesk 绝不会退而使用明文文件。";
            SignatureVersion => "Signature", "签名版本";
            SignatureV1 => "V1 (HMAC-SHA1, default)", "V1（HMAC-SHA1，默认）";
            SignatureV3 => "V3 (ACS3-HMAC-SHA256)", "V3（ACS3-HMAC-SHA256）";
            CustomEndpointShown => "Custom endpoint:", "自定义接入点：";
            ViewShown => "Shown now", "当前显示";
            ResizeHistory => "Resize the history panel", "调整创建记录面板的高度";
        }
    }
}
pub use words::T;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{BadCharKind, NameError};

    /// Both languages, and different, for every key of `W` but the listed ones.
    fn translated<W: Words>(same_ok: &[W]) {
        for &key in W::all() {
            assert!(!key.en().is_empty() && !key.zh().is_empty(), "{key:?}");
            if !same_ok.contains(&key) {
                assert_ne!(key.en(), key.zh(), "{key:?} is not translated");
            }
        }
    }

    #[test]
    fn every_text_is_translated() {
        // Identical in both languages only where Alibaba Cloud's console also keeps the word.
        translated(&[T::AppName]);
        translated::<FormText>(&[]);
        translated(&[CardText::TcpEndpoint]);
        translated(&[ProfilesText::AccessKeyId, ProfilesText::AccessKeySecret]);
        // Alibaba Cloud's console keeps Topic and Group in Chinese too.
        translated(&[HistoryText::KindTopic, HistoryText::KindGroup]);
        translated(&[
            InstancesText::Badge,
            InstancesText::ColTopics,
            InstancesText::ColGroups,
        ]);
        translated(&[
            TopicsText::GroupId,
            TopicsText::ColTopic,
            TopicsText::ColGroup,
            TopicsText::ConfigTopic,
            TopicsText::ConfigGroup,
        ]);
    }

    #[test]
    fn locale_decides() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn sentences_are_joined_as_each_language_writes_them() {
        assert_eq!(
            Lang::En.sentences(&["Invalid name.", "", "Too short."]),
            "Invalid name. Too short."
        );
        assert_eq!(
            Lang::Zh.sentences(&["名称无效。", "太短。"]),
            "名称无效。太短。"
        );
        assert_eq!(Lang::En.tag(), "en");
        assert_eq!(Lang::Zh.tag(), "zh-CN");
    }

    /// What a screen reader says about a name that is too short does not change with each
    /// key typed (it would be said again every time).
    #[test]
    fn the_spoken_verdict_does_not_count() {
        let one = Lang::En.name_error_said(&NameError::TooShort { chars: 1 });
        let two = Lang::En.name_error_said(&NameError::TooShort { chars: 2 });
        assert_eq!(one, two);
        assert_eq!(
            one,
            "Invalid name. Too short: a name needs at least 3 characters."
        );
        assert_eq!(
            Lang::Zh.name_error_said(&NameError::TooLong { chars: 70 }),
            "名称无效。太长：名称最多 64 个字符。"
        );
        assert_eq!(
            Lang::En.name_error_said(&NameError::Empty),
            Lang::En.t(T::NameRule)
        );
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
