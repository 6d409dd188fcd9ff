//! The HTTP side: sign, POST the form to `/`, read the reply.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::actions::{
    Action, CreateInstance, DeleteInstance, GetInstance, ListInstances, ListRegions, UpdateInstance,
};
use super::gate::{Listed, read_reply};
use super::redact::Redactor;
use super::{
    ApiError, CreatedInstance, Delivery, InstanceBaseInfo, InstanceSummary, RegionInfo,
    ReplyProblem, SetupProblem, TransportCause,
};
use crate::credentials::{Credentials, SecretString};
use crate::ids::{InstanceId, RequestId};
use crate::region::{Endpoint, RegionId};
use crate::signing::v3::{self, SignatureVersion};
use crate::signing::{Method, new_nonce, v1};
use crate::text;

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

/// How long an idle connection is kept for the next call. A server closes an idle connection
/// after its own keep-alive time (5 s for Apache, Node and the sandbox), and a request sent
/// just as it does is lost: it may have arrived, so a create would have to look before sending
/// again. Letting ours go sooner, a call after a longer wait (a throttling backoff, the user's
/// pause) opens a new connection, while calls in a burst still share one.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(3);

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
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // The API never redirects, and following one would re-send the signed body (STS
            // token included) wherever `Location` points: a 3xx is reported, not followed.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(false);
        if route != Route::Proxied {
            builder = builder.no_proxy();
        }
        if route == Route::Plain {
            builder = builder.tls_certs_only([]);
        }
        let client = builder
            .build()
            .map_err(|e| ApiError::Setup(SetupProblem::Https(text::error_chain(&e))))?;
        Ok(cell.get_or_init(|| client).clone())
    }
}

/// Where calls go: the endpoint, and the region whose instances they act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub endpoint: Endpoint,
    pub region: RegionId,
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
            Some(token) => {
                Redactor::new(None, Some(&SecretString::from(token))).redact(&self.string_to_sign)
            }
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
    /// Takes these credentials' secret and STS token out of every reply.
    redactor: Arc<Redactor>,
    signature: SignatureVersion,
    /// Added to our clock when signing (corrects a skewed local clock).
    clock_offset: time::Duration,
}

/// Replies larger than this are not read (no API reply comes near it): a hostile endpoint
/// cannot make us hold an endless body.
pub const MAX_REPLY_BYTES: usize = 1 << 20;

/// What a reply said besides its body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyMeta {
    /// The service's clock, from the `Date` header (only a plausible one, see
    /// [`crate::clock::parse_http_date`]).
    pub server_date: Option<time::OffsetDateTime>,
    /// Our clock (offset applied) when the reply arrived.
    pub received_at: Option<time::OffsetDateTime>,
    /// A `Retry-After` hint, in seconds.
    pub retry_after: Option<Duration>,
    /// What we signed (for the signature doctor; no secret in it).
    pub string_to_sign: Option<String>,
}

/// A reply: the checked value or why there is none, and what the reply said besides its body
/// (the service's clock, a retry hint, what was signed), which the safe operations need even
/// when the call failed.
#[derive(Debug)]
pub struct Reply<T> {
    pub result: Result<T, ApiError>,
    pub meta: ReplyMeta,
}

impl Client {
    /// A client for `target` signing with `credentials`.
    pub fn new(transport: Transport, target: Target, credentials: Credentials) -> Self {
        Self {
            transport,
            target,
            redactor: Arc::new(Redactor::for_credentials(&credentials)),
            credentials,
            signature: SignatureVersion::V1,
            clock_offset: time::Duration::ZERO,
        }
    }

    /// Signs with our clock moved by `offset` (the service's clock minus ours). An offset beyond
    /// [`crate::clock::MAX_OFFSET`] is not applied.
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

    /// Our clock with the correction applied (uncorrected if the correction is out of range).
    pub fn now(&self) -> time::OffsetDateTime {
        let now = time::OffsetDateTime::now_utc();
        crate::clock::corrected(now, self.clock_offset).unwrap_or(now)
    }

    /// Takes this client's secret and STS token out of text.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
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

    /// `OnsInstanceCreate`. Not idempotent: see [`ApiError::outcome_unknown`] on failure, and
    /// [`crate::create`] for the safe create.
    pub async fn create_instance(
        &self,
        name: &str,
        remark: Option<&str>,
    ) -> Result<CreatedInstance, ApiError> {
        let action = CreateInstance {
            name: name.to_owned(),
            remark: remark.map(str::to_owned),
        };
        self.send(&action).await.result
    }

    /// `OnsInstanceInServiceList`: the region's instances.
    pub async fn instances_in_service(&self) -> Result<Listed<InstanceSummary>, ApiError> {
        self.send(&ListInstances { resources: false }).await.result
    }

    /// `OnsInstanceInServiceList` with `NeedResourceInfo=true`: the region's instances with
    /// their topic and group counts.
    pub async fn instances_with_resources(&self) -> Result<Listed<InstanceSummary>, ApiError> {
        self.send(&ListInstances { resources: true }).await.result
    }

    /// `OnsInstanceBaseInfo`: an instance's details and client endpoints.
    pub async fn instance_base_info(
        &self,
        instance_id: &InstanceId,
    ) -> Result<InstanceBaseInfo, ApiError> {
        let action = GetInstance {
            instance_id: instance_id.clone(),
        };
        self.send(&action).await.result
    }

    /// `OnsRegionList`: cheap and read-only, so also the "test credentials" call.
    pub async fn region_list(&self) -> Result<Listed<RegionInfo>, ApiError> {
        self.send(&ListRegions).await.result
    }

    /// `OnsInstanceUpdate`: a new name and/or remark (`None` leaves a field unchanged).
    /// Returns the RequestId. Idempotent: sending the same values again changes nothing.
    pub async fn update_instance(
        &self,
        instance_id: &InstanceId,
        name: Option<&str>,
        remark: Option<&str>,
    ) -> Result<RequestId, ApiError> {
        let action = UpdateInstance {
            instance_id: instance_id.clone(),
            name: name.map(str::to_owned),
            remark: remark.map(str::to_owned),
        };
        self.send(&action).await.result
    }

    /// `OnsInstanceDelete`: irreversible, refused while the instance has topics or groups.
    /// Returns the RequestId. No idempotency token: see [`crate::instances::delete`] for a
    /// delete whose reply may be lost.
    pub async fn delete_instance(&self, instance_id: &InstanceId) -> Result<RequestId, ApiError> {
        let action = DeleteInstance {
            instance_id: instance_id.clone(),
        };
        self.send(&action).await.result
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

    /// Signs `action` for this client at `now` with `nonce` (pure; nothing is sent): what
    /// `--dry-run` prints.
    pub fn prepare_action<A: Action>(
        &self,
        action: &A,
        now: time::OffsetDateTime,
        nonce: &str,
    ) -> PreparedRequest {
        let params = action.params();
        let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.prepare(A::NAME, &borrowed, now, nonce)
    }

    /// Signs `action` (fresh time and nonce), sends it, and reads the reply through the one
    /// gate ([`crate::api::read_reply`]): the value in the reply is the action's checked output.
    pub async fn send<A: Action>(&self, action: &A) -> Reply<A::Output> {
        let prepared = self.prepare_action(action, self.now(), &new_nonce());
        self.send_prepared(action, &prepared).await
    }

    /// Sends a request already signed for `action` (by [`Client::prepare_action`], perhaps
    /// changed since: the tests tamper with one) and reads its reply through the gate as
    /// `action`'s.
    pub async fn send_prepared<A: Action>(
        &self,
        action: &A,
        prepared: &PreparedRequest,
    ) -> Reply<A::Output> {
        let string_to_sign = Some(prepared.redacted_string_to_sign());
        let reply = match self.exchange(prepared).await {
            Ok(raw) => read_reply(
                action,
                raw.status,
                &raw.headers,
                &raw.body,
                &self.redactor,
                raw.received_at,
            ),
            Err(e) => Reply {
                result: Err(e),
                meta: ReplyMeta::default(),
            },
        };
        Reply {
            result: reply.result,
            meta: ReplyMeta {
                string_to_sign,
                ..reply.meta
            },
        }
    }

    /// Sends the request once (no redirect followed) and reads at most [`MAX_REPLY_BYTES`].
    async fn exchange(&self, prepared: &PreparedRequest) -> Result<RawReply, ApiError> {
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
        let mut sent = request
            .body(prepared.body())
            .send()
            .await
            .map_err(|e| transport_error(&e))?;
        let received_at = self.now();
        let status = sent.status().as_u16();
        let headers = std::mem::take(sent.headers_mut());
        let mut body = Vec::new();
        while let Some(chunk) = sent.chunk().await.map_err(|e| transport_error(&e))? {
            if body.len().saturating_add(chunk.len()) > MAX_REPLY_BYTES {
                return Err(ApiError::BadReply {
                    http_status: status,
                    problem: ReplyProblem::TooLarge,
                    request_id: None,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawReply {
            status,
            headers,
            body,
            received_at,
        })
    }
}

/// A reply as it came, before anything in it is believed.
struct RawReply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
    received_at: time::OffsetDateTime,
}

fn transport_error(e: &reqwest::Error) -> ApiError {
    // A connect error (DNS, refused, TLS set-up, connect timeout) means no request byte left.
    let delivery = if e.is_connect() || e.is_builder() {
        Delivery::NotSent
    } else {
        Delivery::MaybeReceived
    };
    let cause = if e.is_timeout() && !e.is_connect() {
        TransportCause::Timeout
    } else {
        TransportCause::Network(text::error_chain(e))
    };
    ApiError::Transport { delivery, cause }
}
