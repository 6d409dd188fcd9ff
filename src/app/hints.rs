//! Which plain-language hint fits a service error code (codes from ons-api.md). Pure, so the
//! mapping is tested without a window; the words themselves live in [`super::i18n`].

/// What to tell the user about an error, beyond its Code and Message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    WrongSecret,
    UnknownKey,
    ClockSkew,
    NonceReused,
    SecurityToken,
    Throttled,
    NoPermission,
    ServiceNotEnabled,
    RegionNotServed,
    ServerTrouble,
    MissingParameter,
    InvalidParameter,
    WrongEndpoint,
    /// No reply, and the request never left this machine.
    Network,
    /// No usable reply, and the request may have been acted on.
    MaybeCreated,
}

/// The hint for a service error code; `None` for codes ons-api.md does not list (those are
/// shown verbatim).
pub fn for_code(code: &str) -> Option<Hint> {
    let hint = match code {
        "SignatureDoesNotMatch" | "IncompleteSignature" => Hint::WrongSecret,
        "InvalidAccessKeyId.NotFound" | "InvalidAccessKeyId.Inactive" | "InvalidAccessKeyId" => {
            Hint::UnknownKey
        }
        "InvalidTimeStamp.Expired" | "InvalidTimeStamp.Format" | "IllegalTimestamp" => {
            Hint::ClockSkew
        }
        "SignatureNonceUsed" => Hint::NonceReused,
        "Throttling" | "Throttling.User" | "Throttling.Api" => Hint::Throttled,
        "Forbidden.RAM" | "NoPermission" => Hint::NoPermission,
        "AUTH_SERVICE_CHECK_ERROR" => Hint::ServiceNotEnabled,
        "BIZ_REGION_NOT_FOUND" | "ONS_SERVICE_UNSUPPORTED" => Hint::RegionNotServed,
        "InternalError" | "ServiceUnavailable" | "ONS_SYSTEM_ERROR" => Hint::ServerTrouble,
        "InvalidParameter" | "BIZ_FIELD_CHECK_INVALID" => Hint::InvalidParameter,
        "InvalidAction.NotFound" | "InvalidApi.NotFound" => Hint::WrongEndpoint,
        c if c == "MissingSecurityToken" || c.starts_with("InvalidSecurityToken") => {
            Hint::SecurityToken
        }
        c if c.starts_with("Missing") => Hint::MissingParameter,
        _ => return None,
    };
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_have_hints() {
        assert_eq!(for_code("SignatureDoesNotMatch"), Some(Hint::WrongSecret));
        assert_eq!(for_code("InvalidTimeStamp.Expired"), Some(Hint::ClockSkew));
        assert_eq!(for_code("Throttling.User"), Some(Hint::Throttled));
        assert_eq!(for_code("Forbidden.RAM"), Some(Hint::NoPermission));
        assert_eq!(
            for_code("AUTH_SERVICE_CHECK_ERROR"),
            Some(Hint::ServiceNotEnabled)
        );
        assert_eq!(
            for_code("BIZ_REGION_NOT_FOUND"),
            Some(Hint::RegionNotServed)
        );
        assert_eq!(
            for_code("InvalidSecurityToken.Expired"),
            Some(Hint::SecurityToken)
        );
        assert_eq!(for_code("MissingSecurityToken"), Some(Hint::SecurityToken));
        assert_eq!(
            for_code("MissingInstanceName"),
            Some(Hint::MissingParameter)
        );
        assert_eq!(for_code("ServiceUnavailable"), Some(Hint::ServerTrouble));
    }

    #[test]
    fn unknown_codes_have_none() {
        assert_eq!(for_code("BIZ_INSTANCE_NAME_DUPLICATED"), None);
        assert_eq!(for_code(""), None);
    }
}
