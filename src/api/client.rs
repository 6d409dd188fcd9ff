//! The HTTP side: sign, POST the form to `/`, read the reply.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::response::{Parsed, parse};
use super::{
    ApiError, CreatedInstance, Delivery, InstanceBaseInfo, InstanceSummary, InstanceType,
    RegionInfo,
};
use crate::credentials::{Credentials, SecretString};
use crate::region::Endpoint;
use crate::signing::v3::{self, SignatureVersion};
use crate::signing::{Method, new_nonce, v1};

/// Connection and whole-request time limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    pub timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A shared HTTP client (rustls, HTTP/2, connection pool). Cheap to clone. Honours
/// `HTTPS_PROXY`/`NO_PROXY`, except for loopback endpoints, which are always reached directly.
#[derive(Clone, Debug)]
pub struct Transport {
    options: HttpOptions,
    /// HTTPS to Alibaba Cloud (or any non-loopback host), through a proxy if one is set.
    proxied: Arc<OnceLock<reqwest::Client>>,
    /// HTTPS to a loopback host: direct.
    direct: Arc<OnceLock<reqwest::Client>>,
    /// Plain HTTP, which the endpoint rules allow only to loopback (the sandbox): direct, and
    /// without loading the system's CA certificates, which would cost a cold CLI call ~10 ms.
    plain: Arc<OnceLock<reqwest::Client>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Proxied,
    Direct,
    Plain,
}

impl Transport {
    /// A transport with these limits; the underlying clients are built on first use.
    pub fn new(options: HttpOptions) -> Self {
        Self {
            options,
            proxied: Arc::default(),
            direct: Arc::default(),
            plain: Arc::default(),
        }
    }

    /// The limits in force.
    pub fn options(&self) -> HttpOptions {
        self.options
    }

    fn client_for(&self, endpoint: &Endpoint) -> Result<reqwest::Client, ApiError> {
        let route = match (endpoint.is_loopback(), endpoint.url().scheme()) {
            (true, "http") => Route::Plain,
            (true, _) => Route::Direct,
            (false, _) => Route::Proxied,
        };
        let cell = match route {
            Route::Proxied => &self.proxied,
            Route::Direct => &self.direct,
            Route::Plain => &self.plain,
        };
        if let Some(c) = cell.get() {
            return Ok(c.clone());
        }
        // rustls needs a process-wide crypto provider; installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("onsdesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(self.options.connect_timeout)
            .timeout(self.options.timeout)
            .https_only(false);
        if route != Route::Proxied {
            builder = builder.no_proxy();
        }
        if route == Route::Plain {
            builder = builder.tls_certs_only([]);
        }
        let client = builder
            .build()
            .map_err(|e| ApiError::Setup(format!("could not set up HTTPS: {}", error_chain(&e))))?;
        Ok(cell.get_or_init(|| client).clone())
    }
}

/// Where calls go: the endpoint, and the region whose instances they act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub endpoint: Endpoint,
    pub region: String,
}

/// A signed request ready to send. `Debug` hides the STS token.
#[derive(Clone)]
pub struct PreparedRequest {
    pub method: Method,
    /// The URL, with the query string for V3.
    pub url: reqwest::Url,
    pub signature_version: SignatureVersion,
    /// Every parameter sent: the form body for V1 (with `Signature`), the query for V3.
    pub params: v1::Params,
    /// Extra headers (V3: `x-acs-*` and `Authorization`).
    pub headers: Vec<(String, String)>,
    /// What was signed (V1: the string to sign; V3: the canonical request). No secret in it.
    pub string_to_sign: String,
}

impl PreparedRequest {
    /// The form body as sent (empty for V3, whose parameters are in the query).
    pub fn body(&self) -> String {
        match self.signature_version {
            SignatureVersion::V1 => v1::encode_form(&self.params),
            SignatureVersion::V3 => String::new(),
        }
    }

    /// The parameters with the STS token replaced, for logs and "show request".
    pub fn redacted_params(&self) -> v1::Params {
        let mut p = self.params.clone();
        if let Some(token) = p.get_mut("SecurityToken") {
            "<redacted>".clone_into(token);
        }
        p
    }

    /// What was signed, with the STS token (which V1 signs as a parameter) replaced.
    pub fn redacted_string_to_sign(&self) -> String {
        match self.security_token() {
            Some(token) => SecretString::from(token).redact_from(&self.string_to_sign),
            None => self.string_to_sign.clone(),
        }
    }

    fn security_token(&self) -> Option<&str> {
        self.params
            .get("SecurityToken")
            .map(String::as_str)
            .or_else(|| {
                self.headers
                    .iter()
                    .find(|(k, _)| k == "x-acs-security-token")
                    .map(|(_, v)| v.as_str())
            })
    }

    /// The headers with the STS token replaced.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| {
                if k == "x-acs-security-token" {
                    (k.clone(), "<redacted>".to_owned())
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect()
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("signature", &self.signature_version)
            .field("params", &self.redacted_params())
            .field("headers", &self.redacted_headers())
            .finish_non_exhaustive()
    }
}

/// An ONS API client for one target and one set of credentials. Cheap to build per call.
#[derive(Clone, Debug)]
pub struct Client {
    transport: Transport,
    target: Target,
    credentials: Credentials,
    signature: SignatureVersion,
    /// Added to our clock when signing (corrects a skewed local clock).
    clock_offset: time::Duration,
}

/// What a reply said besides its body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyMeta {
    /// The service's clock, from the `Date` header.
    pub server_date: Option<time::OffsetDateTime>,
    /// Our clock (offset applied) when the reply arrived.
    pub received_at: Option<time::OffsetDateTime>,
    /// A `Retry-After` hint, in seconds.
    pub retry_after: Option<Duration>,
    /// What we signed (for the signature doctor; no secret in it).
    pub string_to_sign: Option<String>,
}

#[derive(Deserialize)]
struct CreateReply {
    #[serde(rename = "RequestId")]
    request_id: String,
    #[serde(rename = "Data")]
    data: CreateData,
}

#[derive(Deserialize)]
struct CreateData {
    #[serde(rename = "InstanceId")]
    instance_id: String,
    #[serde(rename = "InstanceType", default = "super::standard")]
    instance_type: InstanceType,
}

#[derive(Deserialize)]
struct InServiceReply {
    #[serde(rename = "Data")]
    data: InServiceData,
}

#[derive(Deserialize)]
struct InServiceData {
    #[serde(rename = "InstanceVO", default)]
    instances: Vec<InstanceSummary>,
}

#[derive(Deserialize)]
struct BaseInfoReply {
    #[serde(rename = "InstanceBaseInfo")]
    info: InstanceBaseInfo,
}

/// A reply that carries nothing but its RequestId (update, delete).
#[derive(Deserialize)]
struct RequestIdReply {
    #[serde(rename = "RequestId", default)]
    request_id: String,
}

#[derive(Deserialize)]
struct RegionListReply {
    #[serde(rename = "Data")]
    data: RegionListData,
}

#[derive(Deserialize)]
struct RegionListData {
    #[serde(rename = "RegionDo", default)]
    regions: Vec<RegionInfo>,
}

impl Client {
    /// A client for `target` signing with `credentials`.
    pub fn new(transport: Transport, target: Target, credentials: Credentials) -> Self {
        Self {
            transport,
            target,
            credentials,
            signature: SignatureVersion::V1,
            clock_offset: time::Duration::ZERO,
        }
    }

    /// Signs with our clock moved by `offset` (the service's clock minus ours).
    #[must_use]
    pub fn with_clock_offset(mut self, offset: time::Duration) -> Self {
        self.clock_offset = offset;
        self
    }

    /// The AccessKey ID calls are signed with (not a secret).
    pub fn access_key_id(&self) -> &str {
        &self.credentials.access_key_id
    }

    /// The clock correction in force.
    pub fn clock_offset(&self) -> time::Duration {
        self.clock_offset
    }

    /// Our clock with the correction applied.
    pub fn now(&self) -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc() + self.clock_offset
    }

    /// Signs with `version` instead of the default V1.
    #[must_use]
    pub fn with_signature(mut self, version: SignatureVersion) -> Self {
        self.signature = version;
        self
    }

    /// Where this client's calls go.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// `OnsInstanceCreate`. Not idempotent: see [`ApiError::outcome_unknown`] on failure.
    pub async fn create_instance(
        &self,
        name: &str,
        remark: Option<&str>,
    ) -> Result<CreatedInstance, ApiError> {
        self.create_instance_with_meta(name, remark).await.0
    }

    /// [`Client::create_instance`], also returning what the reply said besides its body
    /// (the service's clock and retry hints, for the safe create).
    pub async fn create_instance_with_meta(
        &self,
        name: &str,
        remark: Option<&str>,
    ) -> (Result<CreatedInstance, ApiError>, ReplyMeta) {
        let mut params = vec![("InstanceName", name)];
        if let Some(remark) = remark {
            params.push(("Remark", remark));
        }
        let (reply, meta) = self
            .call_with_meta::<CreateReply>("OnsInstanceCreate", &params)
            .await;
        let created = reply.map(|reply| CreatedInstance {
            instance_id: reply.data.instance_id,
            instance_type: reply.data.instance_type,
            request_id: reply.request_id,
        });
        (created, meta)
    }

    /// `OnsInstanceInServiceList`: the region's instances.
    pub async fn instances_in_service(&self) -> Result<Vec<InstanceSummary>, ApiError> {
        let reply: InServiceReply = self.call("OnsInstanceInServiceList", &[]).await?;
        Ok(reply.data.instances)
    }

    /// `OnsInstanceBaseInfo`: an instance's details and client endpoints.
    pub async fn instance_base_info(
        &self,
        instance_id: &str,
    ) -> Result<InstanceBaseInfo, ApiError> {
        let reply: BaseInfoReply = self
            .call("OnsInstanceBaseInfo", &[("InstanceId", instance_id)])
            .await?;
        Ok(reply.info)
    }

    /// `OnsRegionList`: cheap and read-only, so also the "test credentials" call.
    pub async fn region_list(&self) -> Result<Vec<RegionInfo>, ApiError> {
        let reply: RegionListReply = self.call("OnsRegionList", &[]).await?;
        Ok(reply.data.regions)
    }

    /// `OnsInstanceInServiceList` with `NeedResourceInfo=true`: the region's instances with
    /// their topic and group counts.
    pub async fn instances_with_resources(&self) -> Result<Vec<InstanceSummary>, ApiError> {
        self.instances_with_resources_with_meta().await.0
    }

    /// [`Client::instances_with_resources`], also returning what the reply said besides its
    /// body (throttling hints, the service's clock).
    pub async fn instances_with_resources_with_meta(
        &self,
    ) -> (Result<Vec<InstanceSummary>, ApiError>, ReplyMeta) {
        let (reply, meta) = self
            .call_with_meta::<InServiceReply>(
                "OnsInstanceInServiceList",
                &[("NeedResourceInfo", "true")],
            )
            .await;
        (reply.map(|r| r.data.instances), meta)
    }

    /// [`Client::instances_in_service`], also returning what the reply said besides its body.
    pub async fn instances_in_service_with_meta(
        &self,
    ) -> (Result<Vec<InstanceSummary>, ApiError>, ReplyMeta) {
        let (reply, meta) = self
            .call_with_meta::<InServiceReply>("OnsInstanceInServiceList", &[])
            .await;
        (reply.map(|r| r.data.instances), meta)
    }

    /// [`Client::instance_base_info`], also returning what the reply said besides its body.
    pub async fn instance_base_info_with_meta(
        &self,
        instance_id: &str,
    ) -> (Result<InstanceBaseInfo, ApiError>, ReplyMeta) {
        let (reply, meta) = self
            .call_with_meta::<BaseInfoReply>("OnsInstanceBaseInfo", &[("InstanceId", instance_id)])
            .await;
        (reply.map(|r| r.info), meta)
    }

    /// `OnsInstanceUpdate`: a new name and/or remark (`None` leaves a field unchanged).
    /// Returns the RequestId. Idempotent: sending the same values again changes nothing.
    pub async fn update_instance(
        &self,
        instance_id: &str,
        name: Option<&str>,
        remark: Option<&str>,
    ) -> Result<String, ApiError> {
        self.update_instance_with_meta(instance_id, name, remark)
            .await
            .0
    }

    /// [`Client::update_instance`], also returning what the reply said besides its body.
    pub async fn update_instance_with_meta(
        &self,
        instance_id: &str,
        name: Option<&str>,
        remark: Option<&str>,
    ) -> (Result<String, ApiError>, ReplyMeta) {
        let mut params = vec![("InstanceId", instance_id)];
        if let Some(name) = name {
            params.push(("InstanceName", name));
        }
        if let Some(remark) = remark {
            params.push(("Remark", remark));
        }
        let (reply, meta) = self
            .call_with_meta::<RequestIdReply>("OnsInstanceUpdate", &params)
            .await;
        (reply.map(|r| r.request_id), meta)
    }

    /// `OnsInstanceDelete`: irreversible, refused while the instance has topics or groups.
    /// Returns the RequestId. No idempotency token: see [`crate::instances::delete`] for a
    /// delete whose reply may be lost.
    pub async fn delete_instance(&self, instance_id: &str) -> Result<String, ApiError> {
        self.delete_instance_with_meta(instance_id).await.0
    }

    /// [`Client::delete_instance`], also returning what the reply said besides its body.
    pub async fn delete_instance_with_meta(
        &self,
        instance_id: &str,
    ) -> (Result<String, ApiError>, ReplyMeta) {
        let (reply, meta) = self
            .call_with_meta::<RequestIdReply>("OnsInstanceDelete", &[("InstanceId", instance_id)])
            .await;
        (reply.map(|r| r.request_id), meta)
    }

    /// Signs a request for `action` at `now` with `nonce` (pure; nothing is sent).
    pub fn prepare(
        &self,
        action: &str,
        params: &[(&str, &str)],
        now: time::OffsetDateTime,
        nonce: &str,
    ) -> PreparedRequest {
        let mut all = Vec::with_capacity(params.len() + 1);
        all.push(("RegionId", self.target.region.as_str()));
        all.extend_from_slice(params);
        match self.signature {
            SignatureVersion::V1 => {
                let signed = v1::sign(
                    &v1::Request {
                        method: Method::Post,
                        action,
                        params: &all,
                    },
                    &self.credentials,
                    now,
                    nonce,
                );
                PreparedRequest {
                    method: Method::Post,
                    url: self.target.endpoint.url().clone(),
                    signature_version: SignatureVersion::V1,
                    params: signed.params,
                    headers: Vec::new(),
                    string_to_sign: signed.string_to_sign.to_string(),
                }
            }
            SignatureVersion::V3 => self.prepare_v3(action, &all, now, nonce),
        }
    }

    fn prepare_v3(
        &self,
        action: &str,
        params: &[(&str, &str)],
        now: time::OffsetDateTime,
        nonce: &str,
    ) -> PreparedRequest {
        let host = self.target.endpoint.host();
        let signed = v3::sign(
            &v3::Request {
                method: Method::Post,
                host: &host,
                action,
                query: params,
                headers: &[],
                body: b"",
            },
            &self.credentials,
            now,
            nonce,
        );
        let mut url = self.target.endpoint.url().clone();
        url.set_query(Some(signed.stages.canonical_query.as_str()));
        // reqwest sets `host` itself from the URL.
        let headers = signed
            .headers
            .into_iter()
            .filter(|(name, _)| name != "host")
            .collect();
        PreparedRequest {
            method: Method::Post,
            url,
            signature_version: SignatureVersion::V3,
            params: params
                .iter()
                .map(|&(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            headers,
            string_to_sign: signed.stages.canonical_request.to_string(),
        }
    }

    /// Signs (fresh time and nonce) and sends `action`, reading the reply as `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        self.call_with_meta(action, params).await.0
    }

    /// [`Client::call`], also returning what the reply said besides its body.
    pub async fn call_with_meta<T: DeserializeOwned>(
        &self,
        action: &str,
        params: &[(&str, &str)],
    ) -> (Result<T, ApiError>, ReplyMeta) {
        let prepared = self.prepare(action, params, self.now(), &new_nonce());
        self.send_with_meta(&prepared).await
    }

    /// Sends a prepared request and reads the reply as `T`.
    pub async fn send<T: DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
    ) -> Result<T, ApiError> {
        self.send_with_meta(prepared).await.0
    }

    /// [`Client::send`], also returning what the reply said besides its body.
    pub async fn send_with_meta<T: DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
    ) -> (Result<T, ApiError>, ReplyMeta) {
        let mut meta = ReplyMeta {
            string_to_sign: Some(prepared.redacted_string_to_sign()),
            ..ReplyMeta::default()
        };
        let result = self.send_inner(prepared, &mut meta).await;
        (result, meta)
    }

    async fn send_inner<T: DeserializeOwned>(
        &self,
        prepared: &PreparedRequest,
        meta: &mut ReplyMeta,
    ) -> Result<T, ApiError> {
        let http = self.transport.client_for(&self.target.endpoint)?;
        tracing::debug!(request = ?prepared, "sending");
        let mut request = http
            .post(prepared.url.clone())
            .header(reqwest::header::ACCEPT, "application/json");
        if prepared.signature_version == SignatureVersion::V1 {
            request = request.header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded; charset=utf-8",
            );
        }
        for (name, value) in &prepared.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let sent = request
            .body(prepared.body())
            .send()
            .await
            .map_err(|e| transport_error(&e))?;
        let status = sent.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            sent.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        meta.received_at = Some(self.now());
        meta.server_date =
            header(reqwest::header::DATE).and_then(|d| crate::clock::parse_http_date(&d));
        meta.retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = sent.bytes().await.map_err(|e| transport_error(&e))?;
        // The service quotes the string it signed back in SignatureDoesNotMatch, and V1 signs
        // the STS token as a parameter: scrub it before the text goes anywhere.
        let scrub = |text: &str| self.scrub(text);
        tracing::debug!(status, body = %scrub(&String::from_utf8_lossy(&body)), "reply");
        match parse::<T>(status, &body) {
            Parsed::Ok(t) => Ok(t),
            Parsed::Service(mut e) => {
                e.message = scrub(&e.message);
                Err(ApiError::Service(e))
            }
            Parsed::Unreadable { detail, request_id } => Err(ApiError::BadReply {
                http_status: status,
                detail: scrub(&detail),
                request_id,
            }),
        }
    }

    /// `text` without the STS token or the secret in any encoding.
    fn scrub(&self, text: &str) -> String {
        let text = self.credentials.secret.redact_from(text);
        match &self.credentials.security_token {
            Some(token) => token.redact_from(&text),
            None => text,
        }
    }
}

fn transport_error(e: &reqwest::Error) -> ApiError {
    // A connect error (DNS, refused, TLS set-up, connect timeout) means no request byte left.
    let delivery = if e.is_connect() || e.is_builder() {
        Delivery::NotSent
    } else {
        Delivery::MaybeReceived
    };
    let what = if e.is_timeout() && !e.is_connect() {
        "no reply in time".to_owned()
    } else {
        error_chain(e)
    };
    ApiError::Transport {
        delivery,
        message: what,
    }
}

/// An error and its causes on one line: "a: b: c".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
