//! "Test credentials": one cheap read-only call (`OnsRegionList`) and a verdict a person can
//! act on.

use std::fmt;

use crate::api::{ApiError, Client, ErrorKind, Listed, RegionInfo, TransportCause};

/// What `OnsRegionList` said about a set of credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The key works (the call succeeded).
    Ok { regions: usize },
    /// `SignatureDoesNotMatch`: the secret is wrong.
    WrongSecret,
    /// `InvalidAccessKeyId.NotFound`.
    UnknownKey,
    /// `InvalidAccessKeyId.Inactive`.
    DisabledKey,
    /// `Forbidden.RAM`, `NoPermission`, …: the RAM user may not call ONS.
    MissingPermission { code: String },
    /// `InvalidSecurityToken.Expired`.
    ExpiredToken,
    /// Any other STS token problem (missing, malformed, not matching the key).
    TokenRejected { code: String },
    /// The local clock is too far off.
    ClockSkew { code: String },
    /// The MQ service is not enabled for the account.
    ServiceNotEnabled,
    /// No answer from the endpoint.
    NoNetwork(TransportCause),
    /// An answer that is not the service's (a redirect, a proxy's page, a body too large…).
    NotTheService(ApiError),
    /// Anything else the service said, verbatim.
    Other { code: String, message: String },
}

impl Verdict {
    /// Classifies the outcome of `OnsRegionList`.
    #[must_use]
    pub fn of(result: &Result<Listed<RegionInfo>, ApiError>) -> Self {
        let err = match result {
            Ok(regions) => {
                return Self::Ok {
                    regions: regions.len(),
                };
            }
            Err(e) => e,
        };
        let service = match err {
            ApiError::Service(s) => s,
            ApiError::Transport { cause, .. } => return Self::NoNetwork(cause.clone()),
            other => return Self::NotTheService(other.clone()),
        };
        let code = service.code.as_str();
        match service.kind() {
            ErrorKind::WrongSecret => Self::WrongSecret,
            ErrorKind::UnknownKey => Self::UnknownKey,
            ErrorKind::DisabledKey => Self::DisabledKey,
            ErrorKind::ExpiredToken => Self::ExpiredToken,
            ErrorKind::NotActivated => Self::ServiceNotEnabled,
            ErrorKind::NoPermission => Self::MissingPermission {
                code: code.to_owned(),
            },
            ErrorKind::SecurityToken => Self::TokenRejected {
                code: code.to_owned(),
            },
            ErrorKind::ClockSkew => Self::ClockSkew {
                code: code.to_owned(),
            },
            _ => Self::Other {
                code: code.to_owned(),
                message: service.message.clone(),
            },
        }
    }

    /// True only for [`Verdict::Ok`].
    #[must_use]
    pub fn is_ok(&self) -> bool {
        matches!(self, Self::Ok { .. })
    }

    /// A short machine-readable name (`ok`, `wrong_secret`, …) for `--json` and tests.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Ok { .. } => "ok",
            Self::WrongSecret => "wrong_secret",
            Self::UnknownKey => "unknown_key",
            Self::DisabledKey => "disabled_key",
            Self::MissingPermission { .. } => "missing_permission",
            Self::ExpiredToken => "expired_token",
            Self::TokenRejected { .. } => "token_rejected",
            Self::ClockSkew { .. } => "clock_skew",
            Self::ServiceNotEnabled => "service_not_enabled",
            Self::NoNetwork(_) => "no_network",
            Self::NotTheService(_) | Self::Other { .. } => "other",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok { regions } => write!(f, "OK: the credentials work ({regions} regions listed)"),
            Self::WrongSecret => f.write_str(
                "wrong secret: the AccessKey ID is known but the signature does not match \
                 (check the secret; a pasted space is a classic cause)",
            ),
            Self::UnknownKey => f.write_str("unknown key: no AccessKey with this ID exists"),
            Self::DisabledKey => f.write_str(
                "disabled key: this AccessKey is inactive; enable it or create a new one in the RAM console",
            ),
            Self::MissingPermission { code } => write!(
                f,
                "missing RAM permission ({code}): the key works but may not call ApsaraMQ for \
                 RocketMQ; grant the RAM user an mq policy (mq:CreateInstance to create)"
            ),
            Self::ExpiredToken => f.write_str(
                "expired STS token: get new temporary credentials and update the profile",
            ),
            Self::TokenRejected { code } => write!(
                f,
                "STS token refused ({code}): it is missing or does not belong to this AccessKey"
            ),
            Self::ClockSkew { code } => write!(
                f,
                "clock off ({code}): this computer's clock differs from the service's by more than 15 minutes"
            ),
            Self::ServiceNotEnabled => f.write_str(
                "the key works, but ApsaraMQ for RocketMQ is not enabled for this account",
            ),
            Self::NoNetwork(cause) => write!(f, "no network: {cause}"),
            Self::NotTheService(e) => write!(f, "{e}"),
            Self::Other { code, message } => write!(f, "the service answered {code}: {message}"),
        }
    }
}

/// Calls `OnsRegionList` with the client's credentials and judges the result.
pub async fn check(client: &Client) -> Verdict {
    Verdict::of(&client.region_list().await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Delivery, ServiceError};

    #[expect(clippy::result_large_err, reason = "mirrors the client's return type")]
    fn service(code: &str) -> Result<Listed<RegionInfo>, ApiError> {
        Err(ApiError::Service(ServiceError {
            http_status: 400,
            code: code.to_owned(),
            message: "msg".to_owned(),
            request_id: None,
            host_id: None,
            recommend: None,
        }))
    }

    #[test]
    fn codes_map_to_verdicts() {
        let cases = [
            ("SignatureDoesNotMatch", "wrong_secret"),
            ("InvalidAccessKeyId.NotFound", "unknown_key"),
            ("InvalidAccessKeyId.Inactive", "disabled_key"),
            ("Forbidden.RAM", "missing_permission"),
            ("NoPermission", "missing_permission"),
            ("InvalidSecurityToken.Expired", "expired_token"),
            (
                "InvalidSecurityToken.MismatchWithAccessKey",
                "token_rejected",
            ),
            ("MissingSecurityToken", "token_rejected"),
            ("InvalidTimeStamp.Expired", "clock_skew"),
            ("AUTH_SERVICE_CHECK_ERROR", "service_not_enabled"),
            ("Throttling.User", "other"),
        ];
        for (code, key) in cases {
            assert_eq!(Verdict::of(&service(code)).key(), key, "{code}");
        }
        assert_eq!(
            Verdict::of(&Ok(Listed::default())),
            Verdict::Ok { regions: 0 }
        );
        let v = Verdict::of(&Err(ApiError::Transport {
            delivery: Delivery::NotSent,
            cause: TransportCause::Network("connection refused".into()),
        }));
        assert_eq!(v.key(), "no_network");
        assert!(v.to_string().contains("connection refused"));
        assert!(
            Verdict::of(&service("Throttling.User"))
                .to_string()
                .contains("Throttling.User: msg")
        );
    }
}
