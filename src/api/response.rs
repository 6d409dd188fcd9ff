//! Reading what the service answered: typed success bodies, and errors from JSON, XML or
//! anything else, never losing the HTTP status, Code, Message or RequestId.
//!
//! The body is untrusted: it is redacted (the STS token in any shape, see [`Redactor`]) before
//! anything is read from it, every text field is made printable, a RequestId must have its
//! format, and of the rest only a short excerpt is kept.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::ReplyProblem;
use super::redact::Redactor;
use crate::ids::RequestId;
use crate::text::{excerpt, shortened, shortened_multiline};

/// Text from a reply (a name, a remark, an endpoint) is cut to this many characters.
pub const MAX_TEXT_CHARS: usize = 512;

/// A service error's Message is kept to this many characters (its line breaks kept: a V3
/// `SignatureDoesNotMatch` quotes a canonical request over several lines); its Code,
/// Recommend and HostId to [`MAX_TEXT_CHARS`]. A reply can make them as long as it likes.
const MAX_MESSAGE_CHARS: usize = 4096;

/// An error the service answered with (decided on `Code`, never on the HTTP status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceError {
    #[serde(rename = "HttpStatus")]
    pub http_status: u16,
    #[serde(rename = "Code")]
    pub code: String,
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(rename = "RequestId", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(rename = "HostId", skip_serializing_if = "Option::is_none")]
    pub host_id: Option<String>,
    #[serde(rename = "Recommend", skip_serializing_if = "Option::is_none")]
    pub recommend: Option<String>,
}

/// The marker after which `SignatureDoesNotMatch` messages carry the server's string to sign.
const SERVER_STRING_TO_SIGN: &str = "server string to sign is:";

impl ServiceError {
    /// For `SignatureDoesNotMatch`: the string the server signed, to compare with ours.
    pub fn server_string_to_sign(&self) -> Option<&str> {
        let at = self.message.find(SERVER_STRING_TO_SIGN)?;
        Some(self.message.get(at + SERVER_STRING_TO_SIGN.len()..)?.trim())
    }

    /// The reply's `Recommend` when it is a link onsdesk may offer to open: HTTPS to one of
    /// Alibaba Cloud's own sites (`api.aliyun.com/troubleshoot?…` in every real reply), with no
    /// user name or port. Any other link came from an endpoint that is not Alibaba's (a custom
    /// one, a proxy) and could lead anywhere, a look-alike login page included.
    pub fn troubleshoot_link(&self) -> Option<&str> {
        let text = self.recommend.as_deref()?;
        let url = reqwest::Url::parse(text).ok()?;
        let host = url.host_str()?;
        let alibaba = ["aliyun.com", "alibabacloud.com"]
            .iter()
            .any(|site| host == *site || host.strip_suffix(site).is_some_and(|h| h.ends_with('.')));
        (url.scheme() == "https"
            && alibaba
            && url.username().is_empty()
            && url.password().is_none()
            && url.port().is_none())
        .then_some(text)
    }

    /// Server trouble: for a create, the instance may or may not exist.
    pub fn is_server_fault(&self) -> bool {
        self.kind() == super::ErrorKind::ServerTrouble || self.http_status >= 500
    }

    /// Asked to slow down: by the service, or by something answering 429 in its place.
    pub fn is_throttling(&self) -> bool {
        self.kind() == super::ErrorKind::Throttled
    }

    /// The service's own throttling code (`Throttling`, `Throttling.User`…): the request was
    /// not acted on. A 429 with any other code came from something in front of the service,
    /// which may have passed the request on.
    pub fn is_own_throttle(&self) -> bool {
        self.code == "Throttling" || self.code.starts_with("Throttling.")
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
        Ok(())
    }
}

/// An error envelope's fields, of whatever JSON type the reply gave them: a reply may make a
/// Message a number or a Recommend an object, and is still an error (see [`field_text`]).
#[derive(Deserialize)]
struct JsonError {
    #[serde(rename = "Code")]
    code: Option<serde_json::Value>,
    #[serde(rename = "Message")]
    message: Option<serde_json::Value>,
    #[serde(rename = "RequestId")]
    request_id: Option<serde_json::Value>,
    #[serde(rename = "HostId")]
    host_id: Option<serde_json::Value>,
    #[serde(rename = "Recommend")]
    recommend: Option<serde_json::Value>,
}

/// An error field as text: a string as it is, anything else as its JSON (`null` as nothing).
fn field_text(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// How a body was understood.
#[derive(Debug, PartialEq)]
pub enum Parsed<T> {
    /// A success body of the expected shape.
    Ok(T),
    /// An error envelope (JSON or XML).
    Service(ServiceError),
    /// Neither: keep what we can show.
    Unreadable {
        problem: ReplyProblem,
        request_id: Option<String>,
    },
}

/// Reads a response body. A JSON body with a `Code` is an error whatever the status (unless
/// it also says `"Success": true`), and one whose `Success` is anything but true is not a
/// success; an XML body is read for its error fields; anything else is reported readably.
/// `redactor` takes the caller's secrets out of the body before anything is read from it, and
/// out of every field afterwards, the RequestId included (escapes decoded by the parser could
/// re-form them).
pub fn parse<T: serde::de::DeserializeOwned>(
    http_status: u16,
    body: &[u8],
    redactor: &Redactor,
) -> Parsed<T> {
    let redacted = redactor.redact(&String::from_utf8_lossy(body));
    let trimmed = redacted.trim_start();
    let clean = |s: &str| shortened(&redactor.redact(s), MAX_TEXT_CHARS);
    let clean_message = |s: &str| shortened_multiline(&redactor.redact(s), MAX_MESSAGE_CHARS);
    let redact = |s: &str| redactor.redact(s);
    let parsed = parse_redacted(
        http_status,
        trimmed,
        &Cleaners {
            text: &clean,
            message: &clean_message,
            redact: &redact,
        },
    );
    match parsed {
        Parsed::Service(e) => match &e.request_id {
            Some(id) if !RequestId::is_valid(id) => Parsed::Unreadable {
                problem: ReplyProblem::BadRequestId {
                    shown: excerpt(id),
                    code: e.code,
                    message: excerpt(&e.message),
                },
                request_id: None,
            },
            _ => Parsed::Service(e),
        },
        Parsed::Unreadable {
            problem,
            request_id,
        } => Parsed::Unreadable {
            problem,
            request_id: request_id.filter(|id| RequestId::is_valid(id)),
        },
        ok @ Parsed::Ok(_) => ok,
    }
}

/// What [`parse_redacted`] passes a reply's text through.
struct Cleaners<'a> {
    /// A short field (a Code, a name): redacted, printable, cut.
    text: &'a dyn Fn(&str) -> String,
    /// A service's Message: redacted, printable with its line breaks, cut.
    message: &'a dyn Fn(&str) -> String,
    /// Only redacted: a success body's strings once JSON's escapes are decoded (the gate makes
    /// them printable and cuts them as it checks each field).
    redact: &'a dyn Fn(&str) -> String,
}

/// Every string of `value` (keys aside) passed through `redact`: the body was redacted as it
/// came, but JSON's own escapes (`\u0051` for `Q`) can spell a secret that only decoding shows.
fn redact_strings(value: &mut serde_json::Value, redact: &dyn Fn(&str) -> String) {
    match value {
        serde_json::Value::String(s) => {
            let redacted = redact(s);
            if redacted != *s {
                *s = redacted;
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                redact_strings(item, redact);
            }
        }
        serde_json::Value::Object(fields) => {
            for (_, field) in fields.iter_mut() {
                redact_strings(field, redact);
            }
        }
        _ => {}
    }
}

/// A JSON value read with no key twice in one object: JSON leaves a repeated key's meaning to
/// each reader (serde takes the last, another reader the first), so a body that repeats one
/// could show two readers two different replies. Such a body is not JSON onsdesk reads.
struct Strict(serde_json::Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(items.into())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if fields.contains_key(&key) {
                // Not the key itself: decoded, and cut to an excerpt, it could carry part of
                // a secret that no redaction then recognises.
                return Err(serde::de::Error::custom(
                    "an object gives one of its keys twice",
                ));
            }
            fields.insert(key, value);
        }
        Ok(fields.into())
    }
}

/// Whether the body says it succeeded: `Success` as `true` (or `"true"`) says so, and any other
/// value it has (`false`, `"false"`, `0`…) says it did not; without one (or `null`), it says
/// nothing.
fn success_field(value: &serde_json::Value) -> Option<bool> {
    match value.get("Success")? {
        serde_json::Value::Null => None,
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) => Some(s.trim().eq_ignore_ascii_case("true")),
        _ => Some(false),
    }
}

fn parse_redacted<T: serde::de::DeserializeOwned>(
    http_status: u16,
    trimmed: &str,
    cleaners: &Cleaners<'_>,
) -> Parsed<T> {
    let (clean, clean_message, redact) = (cleaners.text, cleaners.message, cleaners.redact);
    if trimmed.starts_with('{') {
        let mut value: serde_json::Value = match serde_json::from_str::<Strict>(trimmed) {
            Ok(Strict(v)) => v,
            Err(e) => {
                return Parsed::Unreadable {
                    problem: ReplyProblem::NotJson {
                        error: clean(&e.to_string()),
                        excerpt: excerpt(trimmed),
                    },
                    request_id: None,
                };
            }
        };
        // Every string as decoded, its keys' too: JSON's escapes (`\u0051` for `Q`) can spell
        // a secret that the redaction of the raw body could not see. What is shown of the body
        // is this, written out again, never the body as it came.
        redact_strings(&mut value, redact);
        let shown = redact(&value.to_string());
        // A body with an error Code is an error, with or without Data, unless it says in so
        // many words that it succeeded; and so is any body with an error's status.
        let success = success_field(&value);
        let has_code = value.get("Code").is_some_and(|c| !c.is_null());
        let looks_like_error =
            has_code && success != Some(true) || !(200..300).contains(&http_status);
        if looks_like_error
            && let Ok(err) = serde_json::from_value::<JsonError>(value.clone())
            && let Some(code) = field_text(err.code)
        {
            return Parsed::Service(ServiceError {
                http_status,
                code: clean(&code),
                message: clean_message(&field_text(err.message).unwrap_or_default()),
                request_id: field_text(err.request_id).as_deref().map(redact),
                host_id: field_text(err.host_id).as_deref().map(clean),
                recommend: field_text(err.recommend).as_deref().map(clean),
            });
        }
        let request_id = value
            .get("RequestId")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        if success == Some(false) {
            return Parsed::Unreadable {
                problem: ReplyProblem::SaysFailed {
                    excerpt: excerpt(&shown),
                },
                request_id,
            };
        }
        return match serde_json::from_value::<T>(value) {
            Ok(t) if (200..300).contains(&http_status) => Parsed::Ok(t),
            Ok(_) => Parsed::Unreadable {
                problem: ReplyProblem::NotAnError {
                    excerpt: excerpt(&shown),
                },
                request_id,
            },
            Err(e) => Parsed::Unreadable {
                problem: ReplyProblem::UnexpectedShape {
                    error: clean(&e.to_string()),
                    excerpt: excerpt(&shown),
                },
                request_id,
            },
        };
    }
    if trimmed.starts_with('<')
        && let Some(code) = xml_field(trimmed, "Code")
    {
        return Parsed::Service(ServiceError {
            http_status,
            code: clean(&code),
            message: clean_message(&xml_field(trimmed, "Message").unwrap_or_default()),
            request_id: xml_field(trimmed, "RequestId").as_deref().map(redact),
            host_id: xml_field(trimmed, "HostId").as_deref().map(clean),
            recommend: xml_field(trimmed, "Recommend").as_deref().map(clean),
        });
    }
    let problem = if trimmed.is_empty() {
        ReplyProblem::Empty
    } else {
        ReplyProblem::NotApi {
            excerpt: excerpt(trimmed),
        }
    };
    Parsed::Unreadable {
        problem,
        request_id: None,
    }
}

/// The text of the first `<name>…</name>` element, XML entities decoded.
fn xml_field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let rest = xml.get(start..)?;
    let raw = rest.get(..rest.find(&close)?)?;
    let raw = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
        .map_or_else(|| unescape_xml(raw), str::to_owned);
    Some(raw)
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::SecretString;

    fn none() -> Redactor {
        Redactor::default()
    }

    /// A token of a real STS token's length and alphabet.
    fn long_token() -> String {
        (0..640)
            .map(|i| {
                char::from(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                        [(i * 37 + i / 64) % 64],
                )
            })
            .collect()
    }

    fn with_token(token: &str) -> Redactor {
        Redactor::new(None, Some(&SecretString::from(token)))
    }

    fn leaks(text: &str, token: &str) -> Option<String> {
        token
            .as_bytes()
            .windows(crate::api::redact::MIN_RUN)
            .filter_map(|w| std::str::from_utf8(w).ok())
            .find(|w| text.contains(w))
            .map(str::to_owned)
    }

    #[test]
    fn a_long_token_in_an_odd_body_is_redacted_before_the_excerpt_is_cut() {
        let token = long_token();
        let body = format!("<html><body>{} {token} tail</body></html>", "x".repeat(150));
        let Parsed::Unreadable { problem, .. } =
            parse::<Ok_>(502, body.as_bytes(), &with_token(&token))
        else {
            panic!()
        };
        let detail = problem.to_string();
        assert_eq!(leaks(&detail, &token), None, "{detail}");
        assert!(detail.contains("<redacted>"), "{detail}");
        assert!(detail.chars().count() < 400, "{detail}");
    }

    #[test]
    fn error_fields_are_printable_and_request_ids_have_their_format() {
        let body = br#"{"RequestId":"R-1","Code":"Bad\u001b[2J","Message":"a\u001b]0;title\u0007b\nc","Recommend":"https://x/\u001b[31m"}"#;
        let Parsed::Service(e) = parse::<Ok_>(400, body, &none()) else {
            panic!()
        };
        assert_eq!(e.code, "Bad\\u{1b}[2J");
        assert_eq!(e.message, "a\\u{1b}]0;title\\u{7}b\nc");
        assert_eq!(e.recommend.as_deref(), Some("https://x/\\u{1b}[31m"));
        let body = br#"{"RequestId":"R-1\nforged line","Code":"X","Message":"m"}"#;
        let Parsed::Unreadable {
            problem,
            request_id,
        } = parse::<Ok_>(400, body, &none())
        else {
            panic!()
        };
        let detail = problem.to_string();
        assert_eq!(request_id, None);
        assert!(
            detail.contains("not a RequestId") && !detail.contains('\n'),
            "{detail}"
        );
    }

    /// Only a link to Alibaba Cloud's own sites is offered to open.
    #[test]
    fn only_alibabas_troubleshoot_links_are_offered() {
        let with = |url: &str| ServiceError {
            http_status: 400,
            code: "Throttling.User".into(),
            message: String::new(),
            request_id: None,
            host_id: None,
            recommend: Some(url.into()),
        };
        for good in [
            "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Ons&requestId=R-1",
            "https://next.api.aliyun.com/troubleshoot?q=x",
            "https://www.alibabacloud.com/help",
        ] {
            assert_eq!(with(good).troubleshoot_link(), Some(good));
        }
        for bad in [
            "https://evil.example/login",
            "http://api.aliyun.com/troubleshoot",
            "https://api.aliyun.com.evil.example/troubleshoot",
            "https://evilaliyun.com/troubleshoot",
            "https://api.aliyun.com@evil.example/",
            "https://user@api.aliyun.com/",
            "https://api.aliyun.com:8443/",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "api.aliyun.com/troubleshoot",
        ] {
            assert_eq!(with(bad).troubleshoot_link(), None, "{bad}");
        }
        assert_eq!(
            ServiceError {
                recommend: None,
                ..with("")
            }
            .troubleshoot_link(),
            None
        );
    }

    /// A reply can make its error as long as it likes: the Code, Recommend and Message kept
    /// are bounded (a 100 000-character Message would otherwise fill a terminal).
    #[test]
    fn error_fields_are_bounded() {
        let long = "C".repeat(100_000);
        let body = format!(
            r#"{{"RequestId":"R-1","Code":"{long}","Message":"{}","Recommend":"{long}"}}"#,
            "\\u001b".repeat(100_000)
        );
        let Parsed::Service(e) = parse::<Ok_>(400, body.as_bytes(), &none()) else {
            panic!()
        };
        assert_eq!(e.code.chars().count(), MAX_TEXT_CHARS + 1, "cut, with …");
        assert!(e.code.ends_with('…'));
        assert_eq!(
            e.recommend.map(|r| r.chars().count()),
            Some(MAX_TEXT_CHARS + 1)
        );
        // 100 000 ESCs, each escaped as `\u{1b}` (6 characters): cut at the last whole escape
        // that fits, so the message is the bound less the escape that did not fit
        assert_eq!(
            e.message.chars().count(),
            MAX_MESSAGE_CHARS / 6 * 6 + 1,
            "{}",
            &e.message[..40]
        );
        assert!(e.message.ends_with("\\u{1b}…"), "{}", &e.message[..40]);
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Ok_ {
        #[serde(rename = "RequestId")]
        request_id: String,
    }

    #[test]
    fn a_secret_spelt_with_json_escapes_or_every_byte_encoded_is_redacted_in_success_fields() {
        #[derive(Debug, Deserialize)]
        struct Remarked {
            #[serde(rename = "Remark")]
            remark: String,
            #[serde(rename = "Items")]
            items: Vec<String>,
        }
        let secret = "Qz7PvXk2mN9wLr4TtY8uJc1BhD5sEa";
        let redactor = Redactor::new(Some(&SecretString::from(secret)), None);
        let escaped = format!("\\u0051{}", &secret[1..]);
        let every_byte = secret.bytes().fold(String::new(), |mut all, b| {
            let _ = std::fmt::Write::write_fmt(&mut all, format_args!("%{b:02x}"));
            all
        });
        let body =
            format!(r#"{{"RequestId":"R1","Remark":"a {escaped} b","Items":["{every_byte}"]}}"#);
        let Parsed::Ok(r) = parse::<Remarked>(200, body.as_bytes(), &redactor) else {
            panic!("{body}")
        };
        assert_eq!(r.remark, "a <redacted> b", "{body}");
        assert_eq!(r.items, ["<redacted>"]);
    }

    /// A secret spelt with JSON escapes reaches nothing the caller keeps or shows: not an
    /// error's RequestId (which otherwise has its format), not an excerpt of a body of an
    /// unexpected shape, not a key.
    #[test]
    fn a_secret_spelt_with_json_escapes_is_redacted_in_request_ids_and_excerpts() {
        let secret = "Zq9SuperSecretValue7Xy";
        let redactor = Redactor::new(Some(&SecretString::from(secret)), None);
        let escaped = format!("Zq9\\u0053{}", &secret[4..]);
        for (status, body) in [
            (
                400,
                format!(r#"{{"RequestId":"{escaped}","Code":"BIZ_TOPIC_EXISTED","Message":"m"}}"#),
            ),
            (
                200,
                format!(r#"{{"RequestId":"{escaped}","Code":"Throttling"}}"#),
            ),
            (
                200,
                format!(r#"{{"RequestId":"R1","Success":false,"{escaped}":1}}"#),
            ),
            (200, format!(r#"{{"Unexpected":"{escaped}"}}"#)),
            (500, format!(r#"{{"RequestId":"R1","Data":"{escaped}"}}"#)),
            (
                200,
                format!(r#"{{"RequestId":"{escaped}","Success":"false"}}"#),
            ),
            // a key given twice, long enough that an excerpt of it would cut the secret short
            (
                200,
                format!(
                    r#"{{"RequestId":"R1","{pad}{escaped}":1,"{pad}{escaped}":2}}"#,
                    pad = "A".repeat(279)
                ),
            ),
        ] {
            assert!(body.contains("\\u0053"), "{body}");
            let parsed = parse::<Ok_>(status, body.as_bytes(), &redactor);
            let said = format!("{parsed:?}");
            // not the secret, nor any 8 characters of it in a row
            for run in secret.as_bytes().windows(8) {
                let run = std::str::from_utf8(run).unwrap();
                assert!(!said.contains(run), "{body}: {run} in {said}");
            }
            assert!(
                !matches!(parsed, Parsed::Ok(_)),
                "{body}: read as a success"
            );
        }
    }

    /// A key given twice in one object (at the top, or deep in `Data`) makes the body
    /// unreadable: which of the two counts is up to each reader.
    #[test]
    fn a_body_that_gives_a_key_twice_is_not_read() {
        for body in [
            r#"{"RequestId":"R1","RequestId":"R2"}"#,
            r#"{"RequestId":"R1","Data":{"Items":[{"Topic":"orders","Topic":"evil"}]}}"#,
            r#"{"RequestId":"R1","Code":"X","Code":"Y"}"#,
        ] {
            match parse::<Ok_>(200, body.as_bytes(), &none()) {
                Parsed::Unreadable {
                    problem: ReplyProblem::NotJson { error, .. },
                    ..
                } => assert!(
                    error.contains("gives one of its keys twice"),
                    "{body}: {error}"
                ),
                other => panic!("{body}: {other:?}"),
            }
        }
        // the same key in two objects is no repeat
        let body = r#"{"RequestId":"R1","Data":[{"Topic":"a"},{"Topic":"b"}]}"#;
        assert!(matches!(
            parse::<Ok_>(200, body.as_bytes(), &none()),
            Parsed::Ok(_)
        ));
    }

    #[test]
    fn a_200_with_an_error_code_or_saying_it_failed_is_no_success() {
        let service = |body: &str| match parse::<Ok_>(200, body.as_bytes(), &none()) {
            Parsed::Service(e) => (e.code, e.message, e.recommend),
            other => panic!("{body}: {other:?}"),
        };
        let (code, ..) = service(
            r#"{"RequestId":"R1","Code":"InternalError","Message":"m","Success":false,"Data":null}"#,
        );
        assert_eq!(code, "InternalError");
        let (_, message, _) = service(r#"{"RequestId":"R1","Code":"InternalError","Message":500}"#);
        assert_eq!(message, "500");
        let (.., recommend) =
            service(r#"{"RequestId":"R1","Code":"Forbidden.RAM","Recommend":{"url":"x"}}"#);
        assert_eq!(recommend.as_deref(), Some(r#"{"url":"x"}"#));
        // `Success` that is anything but true, in whatever JSON type, says it failed.
        for success in ["false", r#""false""#, "0", r#""no""#, "{}"] {
            let body = format!(r#"{{"RequestId":"R1","Code":null,"Success":{success}}}"#);
            assert!(
                matches!(
                    parse::<Ok_>(200, body.as_bytes(), &none()),
                    Parsed::Unreadable {
                        problem: ReplyProblem::SaysFailed { .. },
                        ..
                    }
                ),
                "{body}"
            );
        }
        // What says it succeeded, in so many words or by having no Code, is read as it is.
        for body in [
            r#"{"RequestId":"R1","Code":"200","Success":true,"Data":{}}"#,
            r#"{"RequestId":"R1","Data":{}}"#,
            r#"{"RequestId":"R1","Code":null}"#,
            r#"{"RequestId":"R1","Code":null,"Success":"true"}"#,
            r#"{"RequestId":"R1","Success":null}"#,
        ] {
            assert!(
                matches!(parse::<Ok_>(200, body.as_bytes(), &none()), Parsed::Ok(_)),
                "{body}"
            );
        }
    }

    #[test]
    fn json_error_keeps_every_field() {
        let body = br#"{"RequestId":"R1","HostId":"ons.cn-hangzhou.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature does not match our calculation. server string to sign is:POST&%2F&A%3D1","Recommend":"https://api.aliyun.com/troubleshoot?q=x"}"#;
        let Parsed::Service(e) = parse::<Ok_>(400, body, &none()) else {
            panic!()
        };
        assert_eq!(e.code, "SignatureDoesNotMatch");
        assert_eq!(e.request_id.as_deref(), Some("R1"));
        assert_eq!(e.server_string_to_sign(), Some("POST&%2F&A%3D1"));
        assert_eq!(e.http_status, 400);
    }

    #[test]
    fn xml_error_is_read() {
        let body = b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R2</RequestId><HostId>h</HostId><Code>Throttling.User</Code><Message>Request was denied due to user flow control &amp; more.</Message></Error>";
        let Parsed::Service(e) = parse::<Ok_>(503, body, &none()) else {
            panic!()
        };
        assert_eq!(e.code, "Throttling.User");
        assert_eq!(
            e.message,
            "Request was denied due to user flow control & more."
        );
        assert!(e.is_throttling());
    }

    #[test]
    fn html_and_empty_bodies_are_readable_errors() {
        assert!(
            matches!(parse::<Ok_>(502, b"<html><body>Bad Gateway</body></html>", &none()), Parsed::Unreadable { problem: ReplyProblem::NotApi { excerpt }, .. } if excerpt.contains("Bad Gateway"))
        );
        assert!(matches!(
            parse::<Ok_>(200, b"", &none()),
            Parsed::Unreadable {
                problem: ReplyProblem::Empty,
                ..
            }
        ));
        assert!(matches!(
            parse::<Ok_>(200, b"{not json", &none()),
            Parsed::Unreadable { .. }
        ));
    }

    #[test]
    fn success_parses() {
        assert_eq!(
            parse::<Ok_>(200, br#"{"RequestId":"R"}"#, &none()),
            Parsed::Ok(Ok_ {
                request_id: "R".into()
            })
        );
    }
}
