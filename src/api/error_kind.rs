//! The one table of Alibaba Cloud's error codes: every place that decides on a service error
//! (the window's hints, the credential check, the safe create, the CLI, the signature doctor)
//! matches on [`ErrorKind`], never on the code text.
//!
//! Decide on `Code`, never on the HTTP status: the same code comes with different statuses.
//! Codes not in the table are [`ErrorKind::Other`] and are shown verbatim.
//!
//! | Code | Kind | meaning |
//! | --- | --- | --- |
//! | `SignatureDoesNotMatch`, `IncompleteSignature` | [`WrongSecret`](ErrorKind::WrongSecret) | wrong secret (often a pasted space) or an encoding bug; the message ends with the string the server signed |
//! | `InvalidAccessKeyId.NotFound`, `InvalidAccessKeyId` | [`UnknownKey`](ErrorKind::UnknownKey) | no AccessKey with this ID |
//! | `InvalidAccessKeyId.Inactive` | [`DisabledKey`](ErrorKind::DisabledKey) | the AccessKey is disabled |
//! | `InvalidTimeStamp.Expired`, `InvalidTimeStamp.Format`, `IllegalTimestamp` | [`ClockSkew`](ErrorKind::ClockSkew) | the local clock is off by more than 15 minutes |
//! | `SignatureNonceUsed` | [`NonceReused`](ErrorKind::NonceReused) | a nonce was reused: after a retry, the first copy arrived |
//! | `InvalidSecurityToken.Expired` | [`ExpiredToken`](ErrorKind::ExpiredToken) | the STS token has expired: get new temporary credentials |
//! | `MissingSecurityToken`, `InvalidSecurityToken.*` | [`SecurityToken`](ErrorKind::SecurityToken) | STS token missing, malformed or not matching the key |
//! | `Throttling`, `Throttling.*` | [`Throttled`](ErrorKind::Throttled) | slow down and retry later |
//! | `Forbidden`, `Forbidden.*`, `NoPermission*` | [`NoPermission`](ErrorKind::NoPermission) | the RAM user lacks the permission (`mq:CreateInstance`) |
//! | `AUTH_SERVICE_CHECK_ERROR` | [`NotActivated`](ErrorKind::NotActivated) | the MQ service is not enabled for the account |
//! | `BIZ_REGION_NOT_FOUND`, `ONS_SERVICE_UNSUPPORTED` | [`RegionNotServed`](ErrorKind::RegionNotServed) | the region does not offer the service |
//! | `InvalidAction.NotFound`, `InvalidApi.NotFound` | [`WrongEndpoint`](ErrorKind::WrongEndpoint) | wrong Action, Version or endpoint |
//! | `MissingParameter`, `Missing<Name>` | [`MissingParameter`](ErrorKind::MissingParameter) | a required parameter is absent |
//! | `InvalidParameter`, `BIZ_FIELD_CHECK_INVALID` | [`InvalidParameter`](ErrorKind::InvalidParameter) | a value was refused; the message says why |
//! | `BIZ_INSTANCE_NAME_DUPLICATED` | [`DuplicateName`](ErrorKind::DuplicateName) | an instance with this name exists (the code is not published; these are the sandbox's) |
//! | `BIZ_TOPIC_EXISTED`, `BIZ_GROUP_EXISTED` | [`DuplicateName`](ErrorKind::DuplicateName) | a topic or group already holds the name in the instance (topics and groups share one namespace). The real codes are not published: these are the sandbox's |
//! | `BIZ_INSTANCE_QUOTA_EXCEEDED` | [`QuotaReached`](ErrorKind::QuotaReached) | the region has its 8 instances (not published; the sandbox's) |
//! | `Group.NumLimited` | [`QuotaReached`](ErrorKind::QuotaReached) | the instance has its 1,000 groups ("group count exceed limit"; documented) |
//! | `BIZ_INSTANCE_NOT_FOUND` | [`NotFound`](ErrorKind::NotFound) | no such instance (not published; the sandbox's) |
//! | `INSTANCE_NOT_FOUND`, `AUTH_RESOURCE_OWNER_ERROR` | [`NotFound`](ErrorKind::NotFound) | a topic or group call names no instance of this account and region (not published: Terraform's provider reads these two as "gone"; the sandbox answers the first) |
//! | `BIZ_TOPIC_NOT_FOUND`, `BIZ_GROUP_NOT_FOUND` | [`NotFound`](ErrorKind::NotFound) | no such topic or group in the instance (not published; the sandbox's) |
//! | `InternalError`, `ServiceUnavailable`, `ONS_SYSTEM_ERROR`, `UnknownError`, or HTTP ≥ 500 | [`ServerTrouble`](ErrorKind::ServerTrouble) | server trouble: for a create, the outcome may be unknown |

use super::ServiceError;

/// What a service error code means, whatever its exact spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    WrongSecret,
    UnknownKey,
    DisabledKey,
    ClockSkew,
    NonceReused,
    ExpiredToken,
    SecurityToken,
    Throttled,
    NoPermission,
    NotActivated,
    RegionNotServed,
    WrongEndpoint,
    MissingParameter,
    InvalidParameter,
    /// The name is taken: an instance's in its region, a topic's or group's in its instance.
    DuplicateName,
    /// A quota is full: the region's instances, or the instance's groups.
    QuotaReached,
    /// No such instance, topic or group (the caller knows which it asked about).
    NotFound,
    ServerTrouble,
    /// Not in the table: show Code and Message verbatim.
    Other,
}

impl ErrorKind {
    /// The kind of a service error code (the HTTP status only decides for codes not in the
    /// table: 5xx is server trouble).
    #[must_use]
    pub fn of(code: &str, http_status: u16) -> Self {
        match code {
            "SignatureDoesNotMatch" | "IncompleteSignature" => Self::WrongSecret,
            "InvalidAccessKeyId.NotFound" | "InvalidAccessKeyId" => Self::UnknownKey,
            "InvalidAccessKeyId.Inactive" => Self::DisabledKey,
            "InvalidTimeStamp.Expired" | "InvalidTimeStamp.Format" | "IllegalTimestamp" => {
                Self::ClockSkew
            }
            "SignatureNonceUsed" => Self::NonceReused,
            "InvalidSecurityToken.Expired" => Self::ExpiredToken,
            "AUTH_SERVICE_CHECK_ERROR" => Self::NotActivated,
            "BIZ_REGION_NOT_FOUND" | "ONS_SERVICE_UNSUPPORTED" => Self::RegionNotServed,
            "InvalidAction.NotFound" | "InvalidApi.NotFound" => Self::WrongEndpoint,
            "InvalidParameter" | "BIZ_FIELD_CHECK_INVALID" => Self::InvalidParameter,
            "BIZ_INSTANCE_NAME_DUPLICATED" | "BIZ_TOPIC_EXISTED" | "BIZ_GROUP_EXISTED" => {
                Self::DuplicateName
            }
            "BIZ_INSTANCE_QUOTA_EXCEEDED" | "Group.NumLimited" => Self::QuotaReached,
            "BIZ_INSTANCE_NOT_FOUND"
            | "INSTANCE_NOT_FOUND"
            | "AUTH_RESOURCE_OWNER_ERROR"
            | "BIZ_TOPIC_NOT_FOUND"
            | "BIZ_GROUP_NOT_FOUND" => Self::NotFound,
            "InternalError" | "ServiceUnavailable" | "ONS_SYSTEM_ERROR" | "UnknownError" => {
                Self::ServerTrouble
            }
            c if c == "Throttling" || c.starts_with("Throttling.") => Self::Throttled,
            c if c == "Forbidden"
                || c.starts_with("Forbidden.")
                || c.starts_with("NoPermission") =>
            {
                Self::NoPermission
            }
            c if c == "MissingSecurityToken" || c.starts_with("InvalidSecurityToken") => {
                Self::SecurityToken
            }
            c if c.starts_with("Missing") => Self::MissingParameter,
            _ if http_status == 429 => Self::Throttled,
            _ if http_status >= 500 => Self::ServerTrouble,
            _ => Self::Other,
        }
    }
}

impl ErrorKind {
    /// True when the service refuses every attempt of one request alike, whatever an earlier
    /// attempt did: the key, the signature, the permission, the endpoint, a missing parameter.
    /// Any other refusal (a duplicate name, a quota, "no such topic", an invalid parameter that
    /// may say "exists", an expired token, a clock) may be the doing of an earlier attempt
    /// that arrived, or may not have refused that one.
    #[must_use]
    pub fn refuses_every_attempt_alike(self) -> bool {
        matches!(
            self,
            Self::WrongSecret
                | Self::UnknownKey
                | Self::NoPermission
                | Self::NotActivated
                | Self::RegionNotServed
                | Self::WrongEndpoint
                | Self::MissingParameter
        )
    }
}

impl ServiceError {
    /// What this error's code means.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::of(&self.code, self.http_status)
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind::{self, *};

    #[test]
    fn every_documented_code_has_its_kind() {
        for (code, kind) in [
            ("SignatureDoesNotMatch", WrongSecret),
            ("IncompleteSignature", WrongSecret),
            ("InvalidAccessKeyId.NotFound", UnknownKey),
            ("InvalidAccessKeyId.Inactive", DisabledKey),
            ("InvalidTimeStamp.Expired", ClockSkew),
            ("IllegalTimestamp", ClockSkew),
            ("SignatureNonceUsed", NonceReused),
            ("MissingSecurityToken", SecurityToken),
            ("InvalidSecurityToken.Expired", ExpiredToken),
            ("InvalidSecurityToken.MismatchWithAccessKey", SecurityToken),
            ("Throttling", Throttled),
            ("Throttling.User", Throttled),
            ("Forbidden.RAM", NoPermission),
            ("NoPermission", NoPermission),
            ("AUTH_SERVICE_CHECK_ERROR", NotActivated),
            ("BIZ_REGION_NOT_FOUND", RegionNotServed),
            ("InvalidApi.NotFound", WrongEndpoint),
            ("MissingInstanceName", MissingParameter),
            ("BIZ_FIELD_CHECK_INVALID", InvalidParameter),
            ("ServiceUnavailable", ServerTrouble),
            ("ONS_SYSTEM_ERROR", ServerTrouble),
            ("Group.NumLimited", QuotaReached),
            ("BIZ_TOPIC_EXISTED", DuplicateName),
            ("BIZ_GROUP_EXISTED", DuplicateName),
            ("INSTANCE_NOT_FOUND", NotFound),
            ("AUTH_RESOURCE_OWNER_ERROR", NotFound),
            ("BIZ_TOPIC_NOT_FOUND", NotFound),
            ("BIZ_GROUP_NOT_FOUND", NotFound),
        ] {
            assert_eq!(ErrorKind::of(code, 400), kind, "{code}");
        }
    }

    #[test]
    fn unknown_codes_are_other_unless_the_server_failed() {
        assert_eq!(ErrorKind::of("SomethingNew", 400), Other);
        assert_eq!(ErrorKind::of("", 400), Other);
        assert_eq!(ErrorKind::of("SomethingNew", 502), ServerTrouble);
    }
}
