//! The result card's words: outcomes, the steps of a safe create, the signature doctor,
//! "Show request".

use super::Lang;
use crate::doctor::Diagnosis;
use crate::operation::Step;
use std::fmt::Write as _;

/// A parameter value in the doctor's sentence: quoted, or "absent".
fn show(lang: Lang, v: Option<&str>) -> String {
    match (lang, v) {
        (_, Some(v)) => format!("{v:?}"),
        (Lang::En, None) => "(absent)".to_owned(),
        (Lang::Zh, None) => "（无）".to_owned(),
    }
}

texts! {
    /// A fixed piece of text of this feature; [`Lang::t`] gives it in a language.
    CardText {
        Result => "Result", "结果";
        SentName => "Name", "名称";
        SentRemark => "Remark", "备注";
        NothingYet => "The new instance's ID appears here.", "新实例的 ID 会显示在这里。";
        Endpoints => "Endpoints", "接入点";
        EndpointsLoading => "Fetching the endpoints…", "正在获取接入点…";
        EndpointsFailed => "Could not fetch the endpoints:", "无法获取接入点：";
        EndpointsNone => "The service lists no endpoints yet.", "服务暂未列出接入点。";
        TcpEndpoint => "TCP", "TCP";
        TcpInternetEndpoint => "TCP (internet)", "TCP（公网）";
        HttpInternalEndpoint => "HTTP (internal)", "HTTP（内网）";
        HttpInternetEndpoint => "HTTP (internet)", "HTTP（公网）";
        HttpsInternetEndpoint => "HTTPS (internet)", "HTTPS（公网）";
        CopyHint => "Ctrl+C copies the Instance ID while it has focus.", "实例 ID 获得焦点时按 Ctrl+C 即可复制。";
        Refused => "Not created", "未创建";
        OutcomeUnknown => "Outcome unknown", "结果未知";
        InternalFault => "Internal error", "内部错误";
        InternalFaultExplained => "onsdesk failed internally (a bug) while the request was under way: it may or may not have reached Alibaba Cloud. Check again before creating it again.", "onsdesk 在请求进行中发生内部错误（缺陷）：请求可能已到达阿里云，也可能没有。再次创建前请先再次检查。";
        CancelledTitle => "Cancelled", "已取消";
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
        ProfilesInKeyring => "The secret goes into the OS keyring, never into a file.", "Secret 只保存在系统密钥环中，不会写入任何文件。";
        AddProfileWelcome => "Add a profile…", "添加凭证配置…";
        AdoptedExplained => "The reply was lost; we found the instance by its name.", "回复丢失了；我们按名称找到了该实例。";
        TerraformTitle => "Terraform", "Terraform 配置";
        CopyTerraform => "Copy Terraform", "复制 Terraform 配置";
        CopyTerraformHint => "Copies an alicloud_ons_instance block for this instance and its terraform import command.", "复制此实例的 alicloud_ons_instance 配置块及其 terraform import 命令。";
        TerraformBlock => "Show the Terraform block", "查看 Terraform 配置块";
        SignatureDoctor => "Signature check", "签名诊断";
        CheckAgain => "Check again", "再次检查";
        StillUnknown => "Still unknown: the instance list could not be read:", "仍然未知：无法读取实例列表：";
        RequestTitle => "The signed request", "签名后的请求";
        RequestNote => "Signed just now for the name and remark in the form. Create signs again with a fresh time and nonce. The AccessKey Secret is never sent; an STS token is shown as <redacted>.", "按表单中的名称和备注刚刚签名。点击“创建”时会用新的时间和随机数重新签名。AccessKey Secret 从不随请求发送；STS 令牌显示为 <redacted>。";
        FormParams => "Form parameters (body)", "表单参数（请求体）";
        QueryParams => "Query parameters", "查询参数";
        Headers => "Headers", "请求头";
        AliyunCliTitle => "The same with the aliyun CLI", "用 aliyun CLI 执行同样的操作";
        CopyAliyunCli => "Copy as aliyun CLI command", "复制为 aliyun CLI 命令";
        CopyInstanceId => "Copy instance ID", "复制实例 ID";
        CopiedSentence => "Copied.", "已复制。";
        CopyRequestId => "Copy request ID", "复制请求 ID";
        CopyTcpEndpoint => "Copy TCP endpoint", "复制 TCP 接入点";
        CopyTcpInternetEndpoint => "Copy TCP internet endpoint", "复制 TCP 公网接入点";
        CopyHttpInternalEndpoint => "Copy HTTP internal endpoint", "复制 HTTP 内网接入点";
        CopyHttpInternetEndpoint => "Copy HTTP internet endpoint", "复制 HTTP 公网接入点";
        CopyHttpsInternetEndpoint => "Copy HTTPS internet endpoint", "复制 HTTPS 公网接入点";
        CloseTitle => "A create is running", "正在创建实例";
        CloseBody => "If you close now, the instance may still be created: the request may already have reached Alibaba Cloud. The attempt stays in the history as pending; Refresh status there finds out whether it exists.", "如果现在关闭，实例仍可能被创建：请求可能已经到达阿里云。这次尝试会以“等待结果”状态保留在创建记录中；在那里点击“刷新状态”即可确认实例是否存在。";
        KeepOpen => "Keep open", "不关闭";
        CloseAnyway => "Close anyway", "仍然关闭";
    }
}

impl Lang {
    /// The accessible name of the Copy button next to an endpoint (the visible text stays
    /// "Copy"): what it copies.
    #[must_use]
    pub fn copy_endpoint(self, endpoint: CardText) -> &'static str {
        self.t(match endpoint {
            CardText::TcpInternetEndpoint => CardText::CopyTcpInternetEndpoint,
            CardText::HttpInternalEndpoint => CardText::CopyHttpInternalEndpoint,
            CardText::HttpInternetEndpoint => CardText::CopyHttpInternetEndpoint,
            CardText::HttpsInternetEndpoint => CardText::CopyHttpsInternetEndpoint,
            _ => CardText::CopyTcpEndpoint,
        })
    }

    /// What a screen reader announces while a create runs (without the ticking seconds, so
    /// it is said once).
    #[must_use]
    pub fn creating_announcement(self, name: &str) -> String {
        match self {
            Self::En => format!("Creating “{name}”…"),
            Self::Zh => format!("正在创建“{name}”…"),
        }
    }

    /// What a screen reader announces when a create succeeded: the card's title and the ID.
    #[must_use]
    pub fn created_announcement(self, title: &str, instance_id: &str) -> String {
        match self {
            Self::En => format!("{title}. Instance ID {instance_id}. Ctrl+C copies it."),
            Self::Zh => format!("{title}。实例 ID {instance_id}。按 Ctrl+C 即可复制。"),
        }
    }

    /// What the focused Instance ID says after its ID, to a screen reader: how the create
    /// ended, what and where, and how to copy it; or, once copied, that it was.
    #[must_use]
    pub fn instance_id_said(self, title: &str, name: &str, region: &str, copied: bool) -> String {
        let what = match self {
            Self::En => format!("{title}: “{name}” in {region}."),
            Self::Zh => format!("{title}：“{name}”，{region}。"),
        };
        if copied {
            self.sentences(&[self.t(CardText::CopiedSentence), &what])
        } else {
            self.sentences(&[&what, self.t(CardText::CopyHint)])
        }
    }

    /// What a screen reader announces when a create failed or its outcome is unknown: the
    /// card's title, then what was said.
    #[must_use]
    pub fn failed_announcement(self, title: &str, detail: &str) -> String {
        match self {
            Self::En => format!("{title}: {detail}"),
            Self::Zh => format!("{title}：{detail}"),
        }
    }

    /// The card after the user cancelled a create.
    #[must_use]
    pub fn cancelled(self, secs: f32) -> String {
        match self {
            Self::En => format!(
                "Cancelled after {secs:.1} s. Cancelling cannot take back a request that already reached Alibaba Cloud, so the instance may exist: Check again before creating it again."
            ),
            Self::Zh => format!(
                "已在 {secs:.1} 秒后取消。取消无法撤回已到达阿里云的请求，实例可能已经存在：再次创建前请先点击“再次检查”。"
            ),
        }
    }

    /// The heading line of the success card.
    #[must_use]
    pub fn created_line(self, edition: &str) -> String {
        match self {
            Self::En => format!("Created · {edition}"),
            Self::Zh => format!("已创建 · {edition}"),
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

    /// The heading of the success card when the instance was found after a lost reply.
    #[must_use]
    pub fn adopted_line(self, edition: &str) -> String {
        match self {
            Self::En => format!("Adopted · {edition}"),
            Self::Zh => format!("已找回 · {edition}"),
        }
    }

    /// Why a create's outcome is unknown: the region's list could not be read, or (`may_land`)
    /// it was read and does not show the instance, but a request whose reply was lost can
    /// still take effect.
    #[must_use]
    pub fn unknown_explained(self, name: &str, region: &str, may_land: bool) -> String {
        match self {
            Self::En if may_land => format!(
                "We could not find out whether “{name}” was created in {region}: no usable reply came back, and {region} does not list it yet, but a request whose reply was lost can still take effect for a while. The instance may appear (and be billed). Check again before creating it again."
            ),
            Self::Zh if may_land => format!(
                "无法确定“{name}”是否已在 {region} 创建：没有收到可用的回复，{region} 目前也没有列出它，但回复丢失的请求在一段时间内仍可能生效。实例可能会出现（并开始计费）。再次创建前请先再次检查。"
            ),
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

    /// After a lost reply, the look found the name held by an instance made before the
    /// attempt: the card's finding, in place of advice.
    #[must_use]
    pub fn taken_after_lost(self, name: &str, region: &str) -> String {
        match self {
            Self::En => format!(
                "The reply was lost, so onsdesk listed {region}: an instance named “{name}” is there, made before this create. The name is taken: nothing was created, and the create was not sent again. Choose another name."
            ),
            Self::Zh => format!(
                "回复丢失，onsdesk 列出了 {region} 的实例：已有名为“{name}”的实例，创建于本次之前。该名称已被占用：没有创建任何资源，也没有再次发送创建请求。请换一个名称。"
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
        let said = |error: &crate::api::ApiError| self.api_error(error);
        match (self, step) {
            (Self::En, Step::Attempt { n }) => format!("Sent the create request (attempt {n})."),
            (Self::Zh, Step::Attempt { n }) => format!("发送创建请求（第 {n} 次）。"),
            (Self::En, Step::NotSentRetrying { error }) => {
                format!(
                    "The request never left this computer ({}); sending it again.",
                    said(error)
                )
            }
            (Self::Zh, Step::NotSentRetrying { error }) => {
                format!("请求没有发出（{}），重新发送。", said(error))
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
            (Self::En, Step::Looking { error }) => format!(
                "No usable reply ({}); looking for the name in the region before anything else.",
                said(error)
            ),
            (Self::Zh, Step::Looking { error }) => {
                format!(
                    "没有可用的回复（{}）；先在该地域中按名称查找实例。",
                    said(error)
                )
            }
            (Self::En, Step::InEffect { found: Some(id) }) => format!("Found it: {id}."),
            (Self::Zh, Step::InEffect { found: Some(id) }) => format!("找到了：{id}。"),
            (Self::En, Step::InEffect { found: None }) => "Found it.".to_owned(),
            (Self::Zh, Step::InEffect { found: None }) => "找到了。".to_owned(),
            (Self::En, Step::NotInEffect) => {
                "Not found: that attempt has not created it, so far.".to_owned()
            }
            (Self::Zh, Step::NotInEffect) => "没有找到：那次尝试目前还没有创建实例。".to_owned(),
            (Self::En, Step::Taken) => "Found the name held by an instance made before this \
                attempt: the attempt did not create it, and nothing more was sent."
                .to_owned(),
            (Self::Zh, Step::Taken) => {
                "该名称已被本次尝试之前创建的实例占用：这次尝试没有创建实例，也不再发送。"
                    .to_owned()
            }
            (Self::En, Step::LookFailed { error }) => {
                format!("Could not list the region's instances: {}", said(error))
            }
            (Self::Zh, Step::LookFailed { error }) => {
                format!("无法列出该地域的实例：{}", said(error))
            }
            (Self::En, Step::Resending { error } | Step::ReadRetrying { error }) => {
                format!("No usable reply ({}); asking again.", said(error))
            }
            (Self::Zh, Step::Resending { error } | Step::ReadRetrying { error }) => {
                format!("没有可用的回复（{}），重新发送。", said(error))
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
}
