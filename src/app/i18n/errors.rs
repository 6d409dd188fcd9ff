//! Why something failed, in words: advice for a service error by its kind, and the typed
//! reasons (an unusable endpoint, an unrecorded attempt, a panicked task, a failed sandbox,
//! unusable environment credentials) that reach the window.

use super::{CardText, Lang, T};
use crate::api::{
    ApiError, Delivery, ErrorKind, ListOf, MAX_REPLY_BYTES, ReplyProblem, SetupProblem,
    TransportCause,
};
use crate::app::creds::SandboxProblem;
use crate::app::tasks::Failure;
use crate::credentials::CredentialsError;
use crate::history::HistoryError;
use crate::region::EndpointError;

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

impl Lang {
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
            Advice::Service(K::SecurityToken | K::ExpiredToken) => (
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

    /// A create was not sent: its endpoint is not usable.
    #[must_use]
    pub fn endpoint_not_usable(self, e: &EndpointError) -> String {
        format!("{} {}", self.t(T::EndpointInvalid), self.endpoint_error(e))
    }

    /// A create was not sent: its attempt could not be recorded in the history first.
    #[must_use]
    pub fn not_recorded(self, problem: &HistoryError) -> String {
        match self {
            Self::En => format!(
                "The attempt could not be recorded in the history, so nothing was sent. {}",
                self.history_problem(problem)
            ),
            Self::Zh => format!(
                "无法在创建记录中登记此次尝试，因此没有发送任何请求。{}",
                self.history_problem(problem)
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
            (Self::Zh, EndpointError::UserInfo(shown)) => format!(
                "“{shown}”包含用户名或密码：接入点不能携带凭证，请去掉“用户:密码@”部分，凭证请使用 AccessKey 凭证配置"
            ),
            (Self::Zh, EndpointError::TooLong(shown, max)) => {
                format!("“{shown}”不是有效的接入点：超过 {max} 个字符")
            }
        }
    }

    /// Why a call failed, in one line (the API's own message for API errors).
    #[must_use]
    pub fn failure(self, failure: &Failure) -> String {
        match failure {
            Failure::Api(e) => self.api_error(e),
            Failure::Panicked => self.t(CardText::InternalFaultExplained).to_owned(),
        }
    }

    /// A failed call in one line: the service's Code and Message as it said them, anything
    /// else in this language (what a library or a body said is quoted as it came).
    #[must_use]
    pub fn api_error(self, e: &ApiError) -> String {
        match (self, e) {
            (Self::En, e) => e.to_string(),
            (Self::Zh, ApiError::Service(s)) => s.to_string(),
            (Self::Zh, ApiError::Transport { delivery, cause }) => {
                let note = match delivery {
                    Delivery::NotSent => "（请求未发出）",
                    Delivery::MaybeReceived => "（请求可能已到达服务）",
                };
                format!("{}{note}", self.transport_cause(cause))
            }
            (
                Self::Zh,
                ApiError::BadReply {
                    http_status,
                    problem,
                    ..
                },
            ) => self.reply_problem(*http_status, problem),
            (Self::Zh, ApiError::Setup(p)) => self.setup_problem(p),
        }
    }

    /// Why no usable reply came.
    #[must_use]
    pub fn transport_cause(self, cause: &TransportCause) -> String {
        match (self, cause) {
            (Self::En, c) => c.to_string(),
            (Self::Zh, TransportCause::Timeout) => "超时未收到回复".to_owned(),
            (Self::Zh, TransportCause::Deadline) => "截止时间前未收到回复".to_owned(),
            (Self::Zh, TransportCause::Network(said)) => said.clone(),
        }
    }

    /// Why a reply is not an API reply, or not one to believe, with its HTTP status.
    #[must_use]
    pub fn reply_problem(self, http_status: u16, problem: &ReplyProblem) -> String {
        if self == Self::En {
            return crate::api::bad_reply_text(http_status, problem);
        }
        let untrusted = "：此回复不可信";
        let said = match problem {
            ReplyProblem::Redirected { location } => format!(
                "接入点重定向到 {}；阿里云 API 从不重定向，因此没有跟随，也没有向那里发送任何内容（请检查接入点和代理）",
                location.as_deref().unwrap_or("（没有 Location 头）")
            ),
            ReplyProblem::TooLarge => format!(
                "回复超过 {} MiB，不是 API 回复，未读取",
                MAX_REPLY_BYTES >> 20
            ),
            ReplyProblem::BadRequestId {
                shown,
                code,
                message,
            } => format!("回复的 RequestId 不是 RequestId（{shown}）；{code}：{message}"),
            ReplyProblem::NotJson { error, excerpt } => {
                format!("无法读取 JSON 回复（{error}）：{excerpt}")
            }
            ReplyProblem::NotAnError { excerpt } => {
                format!("状态码表示出错，但回复内容不是错误：{excerpt}")
            }
            ReplyProblem::SaysFailed { excerpt } => {
                format!("回复表示调用未成功，但没有给出错误码：{excerpt}")
            }
            ReplyProblem::UnexpectedShape { error, excerpt } => {
                format!("回复的结构与预期不符（{error}）：{excerpt}")
            }
            ReplyProblem::Empty => "回复内容为空".to_owned(),
            ReplyProblem::NotApi { excerpt } => format!("不是 API 回复：{excerpt}"),
            ReplyProblem::NoRequestId => format!("回复没有 RequestId{untrusted}"),
            ReplyProblem::BadId { what, shown } => {
                format!("回复中的 {what}“{shown}”无效{untrusted}")
            }
            ReplyProblem::OtherInstance { described, asked } => {
                format!("回复描述的是 {described}，而不是所查询的 {asked}{untrusted}")
            }
            ReplyProblem::LeftOut(list) => {
                let which = match list {
                    ListOf::Instances => "地域的实例列表",
                    ListOf::Topics => "实例的 Topic 列表",
                    ListOf::Groups => "实例的 Group 列表",
                };
                format!("{which}中有未通过检查的条目，因此无法据此确认某项不存在")
            }
        };
        if problem.is_about_content() {
            said
        } else {
            format!("HTTP {http_status}：{said}")
        }
    }

    /// Why a call was not made, or its answer is missing, for a reason of onsdesk's own.
    #[must_use]
    pub fn setup_problem(self, problem: &SetupProblem) -> String {
        match (self, problem) {
            (Self::En, p) => p.to_string(),
            (Self::Zh, SetupProblem::Https(said)) => format!("无法建立 HTTPS 连接：{said}"),
            (Self::Zh, SetupProblem::ListingStopped) => "列表读取意外中止".to_owned(),
            (Self::Zh, SetupProblem::NoLook) => "没能进行核查".to_owned(),
            (Self::Zh, SetupProblem::DetailsNotRead { limit }) => {
                format!("只读取前 {limit} 个实例的详情")
            }
            (Self::Zh, SetupProblem::DetailsLost) => "无法读取详情".to_owned(),
        }
    }

    /// Why the sandbox did not start.
    #[must_use]
    pub fn sandbox_problem(self, why: &SandboxProblem) -> String {
        match why {
            SandboxProblem::Io(e) => e.to_string(),
            SandboxProblem::Panicked => self.t(CardText::InternalFaultExplained).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every failure of onsdesk's own is said in Chinese in the Chinese window; only what
    /// came from elsewhere (here "said", "x") stays as it came.
    #[test]
    fn every_failure_of_onsdesks_own_is_said_in_chinese() {
        let problems = [
            ReplyProblem::Redirected { location: None },
            ReplyProblem::TooLarge,
            ReplyProblem::BadRequestId {
                shown: "x".into(),
                code: "x".into(),
                message: "x".into(),
            },
            ReplyProblem::NotJson {
                error: "x".into(),
                excerpt: "x".into(),
            },
            ReplyProblem::NotAnError {
                excerpt: "x".into(),
            },
            ReplyProblem::SaysFailed {
                excerpt: "x".into(),
            },
            ReplyProblem::UnexpectedShape {
                error: "x".into(),
                excerpt: "x".into(),
            },
            ReplyProblem::Empty,
            ReplyProblem::NotApi {
                excerpt: "x".into(),
            },
            ReplyProblem::NoRequestId,
            ReplyProblem::BadId {
                what: "InstanceId",
                shown: "x".into(),
            },
            ReplyProblem::OtherInstance {
                described: "x".into(),
                asked: "x".into(),
            },
            ReplyProblem::LeftOut(ListOf::Instances),
            ReplyProblem::LeftOut(ListOf::Topics),
            ReplyProblem::LeftOut(ListOf::Groups),
        ];
        let mut errors: Vec<ApiError> = problems
            .into_iter()
            .map(|problem| ApiError::BadReply {
                http_status: 502,
                problem,
                request_id: None,
            })
            .collect();
        errors.extend(
            [
                SetupProblem::Https("said".into()),
                SetupProblem::ListingStopped,
                SetupProblem::NoLook,
                SetupProblem::DetailsNotRead { limit: 64 },
                SetupProblem::DetailsLost,
            ]
            .map(ApiError::Setup),
        );
        for cause in [TransportCause::Timeout, TransportCause::Deadline] {
            for delivery in [Delivery::NotSent, Delivery::MaybeReceived] {
                errors.push(ApiError::Transport {
                    delivery,
                    cause: cause.clone(),
                });
            }
        }
        for e in &errors {
            let (en, zh) = (Lang::En.api_error(e), Lang::Zh.api_error(e));
            assert_eq!(en, e.to_string());
            let english_words = zh
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() > 1)
                .filter(|w| {
                    ![
                        "HTTP",
                        "HTTPS",
                        "JSON",
                        "API",
                        "MiB",
                        "RequestId",
                        "InstanceId",
                        "Location",
                        "Topic",
                        "Group",
                        "said",
                    ]
                    .contains(w)
                })
                .collect::<Vec<_>>();
            assert!(english_words.is_empty(), "{zh:?} (English: {en:?})");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh:?}"
            );
        }
    }
}
