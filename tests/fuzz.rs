//! Robustness: the name validator, the reply parsers (JSON and XML error bodies), the whole
//! reply path (hostile `Date`, `Retry-After` and `Location` headers, long and mangled bodies
//! holding the STS token, IDs with control characters) and the sandbox's request parser take
//! any input without panicking, and no run of the STS token reaches anything we show or store.
//!
//! Each property runs `ONSDESK_FUZZ_CASES` generated inputs (default 1 000, so `cargo test`
//! stays quick). The recorded 1 000 000-input runs:
//! `ONSDESK_FUZZ_CASES=1000000 cargo test --release --test fuzz -- --test-threads 1`:
//! 4 × 1 000 000 inputs, no panic, 136 s on the 2-core CI machine kind (2026-11-28); with the
//! reply path and the redactor added, 6 × 1 000 000 inputs, no panic, no run of the
//! token in any output, 800 s on 2 cores shared with other builds (2026-11-29). The reply path
//! also reads every reply as each topic and group action's since.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is a failure"
)]

use onsdesk::api::actions::{
    CreateGroup, CreateInstance, CreateTopic, DeleteGroup, DeleteInstance, DeleteTopic,
    GetInstance, ListGroups, ListInstances, ListRegions, ListTopics, UpdateInstance,
};
use onsdesk::api::redact::{MIN_RUN, Redactor};
use onsdesk::api::response::{Parsed, parse};
use onsdesk::api::{ApiError, Reply, read_reply, time_from_millis};
use onsdesk::credentials::SecretString;
use onsdesk::ids::{GroupId, InstanceId, RequestId, TopicName};
use onsdesk::sandbox::gateway::{Gateway, GatewayRequest};
use onsdesk::sandbox::{Faults, SandboxConfig, http};
use onsdesk::validation::{RemarkCheck, validate_instance_name};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("ONSDESK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings that look like API replies: JSON and XML fragments, error fields, junk.
fn reply_body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("\"Code\":".to_owned()),
        Just("\"Message\":\"x\"".to_owned()),
        Just("\"RequestId\":".to_owned()),
        Just("\"Data\":{\"InstanceId\":\"MQ_INST_1\",\"InstanceType\":1}".to_owned()),
        Just(",".to_owned()),
        Just("<Error>".to_owned()),
        Just("</Error>".to_owned()),
        Just("<Code>".to_owned()),
        Just("</Code>".to_owned()),
        Just("<Message><![CDATA[".to_owned()),
        Just("]]></Message>".to_owned()),
        Just("&amp;&lt;&#x".to_owned()),
        "\\PC{0,8}",
        any::<u32>().prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..24).prop_map(|v| v.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..256),
    ]
}

/// Raw bytes shaped like HTTP request heads.
fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("POST / HTTP/1.1\r\n".to_owned()),
        Just("GET /?Action=OnsRegionList&Format=JSON HTTP/1.1\r\n".to_owned()),
        Just("Content-Length: ".to_owned()),
        Just("Transfer-Encoding: chunked\r\n".to_owned()),
        Just("Connection: close\r\n".to_owned()),
        Just(
            "Authorization: ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=b\r\n"
                .to_owned()
        ),
        Just("\r\n".to_owned()),
        Just(":".to_owned()),
        any::<u64>().prop_map(|n| n.to_string()),
        "\\PC{0,12}",
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..16).prop_map(|v| v.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// An STS token: real ones are ~600 characters of base64 starting `CAIS`.
fn sts_token() -> impl Strategy<Value = String> {
    prop_oneof!["CAIS[A-Za-z0-9+/]{200,700}={0,2}", "[A-Za-z0-9+/=]{8,40}",]
}

/// How an endpoint might have mangled the token on its way back.
#[derive(Clone, Copy, Debug)]
enum Mangle {
    AsIs,
    Encoded,
    EncodedTwice,
    LowerHex,
    PlusToSpace,
    SlashEncoded,
    PlusSpaceSlashEncodedThenEncoded,
    JsonSlash,
    JsonUnicode,
    XmlReference,
    Lowercase,
}

fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        Just(Mangle::AsIs),
        Just(Mangle::Encoded),
        Just(Mangle::EncodedTwice),
        Just(Mangle::LowerHex),
        Just(Mangle::PlusToSpace),
        Just(Mangle::SlashEncoded),
        Just(Mangle::PlusSpaceSlashEncodedThenEncoded),
        Just(Mangle::JsonSlash),
        Just(Mangle::JsonUnicode),
        Just(Mangle::XmlReference),
        Just(Mangle::Lowercase),
    ]
}

fn encode(s: &str) -> String {
    onsdesk::signing::percent_encode(s).to_string()
}

fn apply(m: Mangle, t: &str) -> String {
    match m {
        Mangle::AsIs => t.to_owned(),
        Mangle::Encoded => encode(t),
        Mangle::EncodedTwice => encode(&encode(t)),
        Mangle::LowerHex => encode(t).to_lowercase(),
        Mangle::PlusToSpace => t.replace('+', " "),
        Mangle::SlashEncoded => t.replace('/', "%2F"),
        Mangle::PlusSpaceSlashEncodedThenEncoded => {
            encode(&t.replace('+', " ").replace('/', "%2F"))
        }
        Mangle::JsonSlash => t.replace('/', "\\/"),
        Mangle::JsonUnicode => t.replace('+', "\\u002B").replace('=', "\\u003d"),
        Mangle::XmlReference => t.replace('+', "&#43;").replace('/', "&#x2F;"),
        Mangle::Lowercase => t.to_lowercase(),
    }
}

/// Where a (mangled) token, or a piece of it, is put in a reply.
#[derive(Clone, Debug)]
struct Placed {
    mangle: Mangle,
    /// A piece of the token: start and length as fractions of it.
    from: f64,
    len: f64,
    /// 0: a quoted string to sign, 1: plain text, 2: a JSON key's value, 3: a header line.
    frame: u8,
}

fn placed() -> impl Strategy<Value = Placed> {
    (mangle(), 0.0..1.0f64, 0.0..1.0f64, 0u8..4).prop_map(|(mangle, from, len, frame)| Placed {
        mangle,
        from,
        len,
        frame,
    })
}

#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "fractions of a short string's length"
)]
fn render(p: &Placed, token: &str) -> String {
    let n = token.len();
    let start = ((p.from * n as f64) as usize).min(n.saturating_sub(1));
    let len = (((p.len * n as f64) as usize).max(1)).min(n - start);
    let piece = if p.len > 0.5 {
        token
    } else {
        &token[start..start + len]
    };
    let mangled = apply(p.mangle, piece);
    match p.frame {
        0 => format!(
            "server string to sign is:POST&%2F&AccessKeyId%3Dk%26SecurityToken%3D{}%26Timestamp%3D2026",
            encode(&mangled)
        ),
        1 => mangled,
        2 => format!("\"SecurityToken\": \"{mangled}\""),
        _ => format!("x-acs-security-token:{mangled}\nx-acs-date:2026"),
    }
}

/// IDs as a hostile server might send them: valid, or with control characters, quotes, HCL.
fn hostile_id() -> impl Strategy<Value = String> {
    prop_oneof![
        "MQ_INST_[0-9]{16}_[A-Za-z0-9]{8}",
        "[A-F0-9]{8}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{12}",
        "MQ_INST_[0-9]{1,4}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{202e}\"${}\\\\\n ]{1,4}[a-z]{0,8}",
        "\\PC{0,80}",
        ".{0,20}",
    ]
}

/// A reply body: JSON or XML shapes with hostile fields, HTML, junk, long padding.
fn hostile_body(
    token: &str,
    placed: &[Placed],
    ids: &(String, String),
    shape: u8,
    pad: usize,
) -> Vec<u8> {
    let mut text: String = placed
        .iter()
        .map(|p| render(p, token))
        .collect::<Vec<_>>()
        .join(" ");
    text.insert_str(0, &"x".repeat(pad));
    let json = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let (instance_id, request_id) = ids;
    match shape % 11 {
        0 => format!(
            r#"{{"RequestId":{},"Code":"SignatureDoesNotMatch","Message":{},"Recommend":{}}}"#,
            json(request_id),
            json(&text),
            json(&format!("https://api.aliyun.com/troubleshoot?q={text}"))
        ),
        1 => format!(
            r#"{{"RequestId":{},"Data":{{"InstanceId":{},"InstanceType":1}}}}"#,
            json(request_id),
            json(instance_id)
        ),
        2 => format!(
            r#"{{"RequestId":{},"Data":{{"InstanceVO":[{{"InstanceId":{},"InstanceName":{}}}]}}}}"#,
            json(request_id),
            json(instance_id),
            json(&text)
        ),
        3 => format!(
            "<?xml version='1.0'?><Error><RequestId>{request_id}</RequestId><Code>{text}</Code><Message><![CDATA[{text}]]></Message></Error>"
        ),
        4 => format!("<html><body>{text}</body></html>"),
        6 => format!(
            r#"{{"RequestId":{},"InstanceBaseInfo":{{"InstanceId":{},"InstanceName":{},"Remark":{},"CreateTime":{},"Endpoints":{{"TcpEndpoint":{}}}}}}}"#,
            json(request_id),
            json(instance_id),
            json(&text),
            json(&text),
            json(&text),
            json(&text)
        ),
        7 => format!(r#"{{"RequestId":{}}}"#, json(request_id)),
        8 => format!(
            r#"{{"RequestId":{},"Data":{{"InstanceVO":[{{"InstanceId":{},"CreateTime":{},"TopicCount":{}}}],"RegionDo":[{{"OnsRegionId":{},"RegionName":{}}}]}}}}"#,
            json(request_id),
            json(instance_id),
            pad.wrapping_mul(7_919_000_000_000).wrapping_sub(9_000_000_000_000_000),
            json(&text),
            json(instance_id),
            json(&text)
        ),
        9 => format!(
            r#"{{"RequestId":{},"Data":{{"PublishInfoDo":[{{"Topic":{},"InstanceId":{},"MessageType":{},"ServiceStatus":{},"Remark":{},"CreateTime":{}}},{{"Topic":{}}}]}}}}"#,
            json(request_id),
            json(request_id),
            json(instance_id),
            json(&text),
            pad.wrapping_mul(31).wrapping_sub(200),
            json(&text),
            pad.wrapping_mul(7_919_000_000_000).wrapping_sub(9_000_000_000_000_000),
            json(instance_id)
        ),
        10 => format!(
            r#"{{"RequestId":{},"Data":{{"SubscribeInfoDo":[{{"GroupId":{},"InstanceId":{},"GroupType":{},"Remark":{},"CreateTime":{}}},{{"GroupId":{},"GroupType":{}}}]}}}}"#,
            json(request_id),
            json(request_id),
            json(instance_id),
            json(&text),
            json(&text),
            json(&text),
            json(instance_id),
            pad
        ),
        _ => format!("{{\"Code\":{},\"Message\":{}", json(&text), json(&text)),
    }
    .into_bytes()
}

/// Hostile header values: plausible and implausible dates, huge and junk numbers, locations
/// holding the token.
fn date_header() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i32..=9999, 1u8..=12, 1u8..=28, 0u8..24, 0u8..60).prop_map(|(y, mo, d, h, mi)| {
            let month = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][usize::from(mo - 1)];
            format!("Mon, {d:02} {month} {y:04} {h:02}:{mi:02}:59 GMT")
        }),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        "[ -~]{0,40}",
    ]
}

fn retry_after_header() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        Just("100000".to_owned()),
        Just(u64::MAX.to_string()),
        "-?[0-9]{1,30}",
        "[ -~]{0,20}",
    ]
}

/// Every STS token piece of at least [`MIN_RUN`] characters that `text` holds, however
/// percent-encoded (up to three times), JSON-escaped or with `+` as a space, any case.
fn leaked(text: &str, token: &str) -> Option<String> {
    let fold = |s: &str| s.to_lowercase().replace(' ', "+");
    let mut views = vec![fold(&text.replace("\\/", "/"))];
    for _ in 0..3 {
        let last = views.last().cloned().unwrap_or_default();
        views.push(fold(
            &percent_encoding::percent_decode_str(&last).decode_utf8_lossy(),
        ));
    }
    let token = fold(token);
    if token.len() < MIN_RUN {
        return views
            .iter()
            .any(|v| v.contains(&token))
            .then(|| token.clone());
    }
    let windows: std::collections::HashSet<&[u8]> = token.as_bytes().windows(MIN_RUN).collect();
    views.iter().find_map(|v| {
        v.as_bytes()
            .windows(MIN_RUN)
            .find(|w| windows.contains(w))
            .map(|w| String::from_utf8_lossy(w).into_owned())
    })
}

fn create_action() -> CreateInstance {
    CreateInstance {
        name: "fuzz-name".to_owned(),
        remark: None,
    }
}

/// Nothing in this text can act on a terminal: no control, format or separator character.
fn printable_line(text: &str) -> bool {
    !text.chars().any(onsdesk::text::needs_escape)
}

/// No control character can reach a terminal from this text, but line breaks (a service's
/// Message keeps them; the CLI escapes them when it prints one).
fn printable(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && c != '\n')
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_reply_path_takes_hostile_replies_and_leaks_no_token(
        token in sts_token(),
        placed in prop::collection::vec(placed(), 0..4),
        ids in (hostile_id(), hostile_id()),
        shape in any::<u8>(),
        pad in prop_oneof![Just(0usize), 0usize..400],
        status in prop_oneof![Just(200u16), Just(400), Just(307), Just(502), 100u16..600],
        date in date_header(),
        retry_after in retry_after_header(),
        location in prop::option::of((placed(), "[ -~]{0,30}")),
        extra_ids in prop::collection::vec(hostile_id(), 0..3),
    ) {
        let secret = SecretString::from("fuzz-secret-value");
        let token_secret = SecretString::from(token.as_str());
        let redactor = Redactor::new(Some(&secret), Some(&token_secret));
        let mut body = hostile_body(&token, &placed, &ids, shape, pad);
        for id in &extra_ids {
            body.extend_from_slice(id.as_bytes());
        }
        let mut headers = reqwest::header::HeaderMap::new();
        let mut put = |name: reqwest::header::HeaderName, value: &str| {
            if let Ok(v) = reqwest::header::HeaderValue::from_bytes(value.as_bytes()) {
                headers.insert(name, v);
            }
        };
        put(reqwest::header::DATE, &date);
        put(reqwest::header::RETRY_AFTER, &retry_after);
        if let Some((p, junk)) = &location {
            put(reqwest::header::LOCATION, &format!("https://{junk}/?t={}", render(p, &token)));
        }
        let now = time::OffsetDateTime::now_utc();

        let mut shown = Vec::new();
        // Every action's reply goes through the one gate: whatever came, a value that passes
        // it holds only well-formed IDs and printable text, and an error says nothing raw.
        let asked = InstanceId::parse("MQ_INST_1880770869020000_BXSuW61e").unwrap();
        let Reply { result: created, meta } =
            read_reply(&create_action(), status, &headers, &body, &redactor, now);
        match &created {
            Ok(c) => {
                prop_assert!(InstanceId::is_valid(&c.instance_id), "{:?}", c.instance_id);
                prop_assert!(RequestId::is_valid(&c.request_id));
                prop_assert!((200..300).contains(&status));
                let tf = onsdesk::snippets::terraform("fuzz-name", "", &c.instance_id);
                prop_assert_eq!(tf.lines().count(), 5, "{}", tf);
                shown.push(tf);
                shown.push(format!("{c:?}"));
            }
            Err(e) => {
                prop_assert!(printable(&e.to_string()), "{}", e);
                if (300..400).contains(&status) {
                    let is_bad_reply = matches!(e, ApiError::BadReply { .. });
                    prop_assert!(e.outcome_unknown() && is_bad_reply, "{}", e);
                }
                shown.push(e.to_string());
                shown.push(format!("{e:?}"));
                if let Some(s) = e.service() {
                    shown.push(serde_json::to_string(s).unwrap());
                    prop_assert!(s.request_id.as_deref().is_none_or(RequestId::is_valid));
                    if let Some(theirs) = s.server_string_to_sign() {
                        let d = onsdesk::doctor::diagnose("POST&%2F&A%3D1", theirs, &secret);
                        shown.push(d.to_string());
                    }
                }
            }
        }
        shown.push(format!("{meta:?}"));
        if let Some(server) = meta.server_date {
            prop_assert!(onsdesk::clock::PLAUSIBLE_YEARS.contains(&server.year()));
            if let Some(offset) = onsdesk::clock::offset_from_date(server, now) {
                let _ = onsdesk::clock::corrected(now, offset);
                shown.push(onsdesk::clock::describe_offset(offset));
            }
        }
        for resources in [false, true] {
            let listed = read_reply(&ListInstances { resources }, status, &headers, &body, &redactor, now);
            match listed.result {
                Ok(list) => {
                    for i in &list {
                        prop_assert!(InstanceId::is_valid(&i.instance_id));
                        prop_assert!(printable_line(&i.instance_name));
                        prop_assert!(i.instance_name.chars().count() <= onsdesk::api::MAX_TEXT_CHARS + 1);
                        if let Some(at) = i.create_time {
                            shown.push(onsdesk::clock::minutes_in(at, time::UtcOffset::from_hms(14, 0, 0).unwrap()));
                        }
                    }
                    shown.push(format!("{list:?}"));
                }
                Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
            }
        }
        let info = read_reply(&GetInstance { instance_id: asked.clone() }, status, &headers, &body, &redactor, now);
        match info.result {
            Ok(info) => {
                prop_assert_eq!(&info.instance_id, &asked, "a base info is about what was asked");
                for text in [&info.instance_name, &info.remark] {
                    prop_assert!(printable_line(text));
                }
                for e in [&info.endpoints.tcp, &info.endpoints.tcp_internet].into_iter().flatten() {
                    prop_assert!(printable_line(e));
                }
                shown.push(format!("{info:?}"));
            }
            Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
        }
        let update = UpdateInstance { instance_id: asked.clone(), name: Some("n".into()), remark: None };
        let delete = DeleteInstance { instance_id: asked.clone() };
        for result in [
            read_reply(&update, status, &headers, &body, &redactor, now).result,
            read_reply(&delete, status, &headers, &body, &redactor, now).result,
        ] {
            match result {
                Ok(id) => {
                    prop_assert!(RequestId::is_valid(&id));
                    shown.push(id.to_string());
                }
                Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
            }
        }
        // The topic and group actions: listed names well formed, every entry about the
        // instance asked for, text printable and short, times showable in any zone.
        let topics = ListTopics { instance_id: asked.clone(), topic: Some("orders".into()) };
        match read_reply(&topics, status, &headers, &body, &redactor, now).result {
            Ok(list) => {
                for t in &list {
                    prop_assert!(TopicName::is_valid(&t.topic));
                    prop_assert_eq!(&t.instance_id, &asked);
                    prop_assert!(printable_line(&t.remark));
                    prop_assert!(t.remark.chars().count() <= onsdesk::api::MAX_TEXT_CHARS + 1);
                    if let Some(at) = t.create_time {
                        shown.push(onsdesk::clock::minutes_in(at, time::UtcOffset::from_hms(-12, 0, 0).unwrap()));
                    }
                    shown.push(t.message_type.map(|m| m.english_name().into_owned()).unwrap_or_default());
                    shown.push(t.service_status.map(|s| s.english_name().into_owned()).unwrap_or_default());
                }
                shown.push(format!("{list:?}"));
            }
            Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
        }
        let groups = ListGroups { instance_id: asked.clone(), group_id: None };
        match read_reply(&groups, status, &headers, &body, &redactor, now).result {
            Ok(list) => {
                for g in &list {
                    prop_assert!(GroupId::is_valid(&g.group_id));
                    prop_assert_eq!(&g.instance_id, &asked);
                    prop_assert!(printable_line(&g.remark));
                    if let Some(t) = &g.group_type {
                        prop_assert!(printable_line(t.as_api_str()));
                    }
                }
                shown.push(format!("{list:?}"));
            }
            Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
        }
        let topic = TopicName::parse("orders").unwrap();
        let group = GroupId::parse("GID_orders").unwrap();
        for result in [
            read_reply(&CreateTopic { instance_id: asked.clone(), topic: topic.to_string(), message_type: onsdesk::resources::MessageType::Normal, remark: String::new() }, status, &headers, &body, &redactor, now).result,
            read_reply(&DeleteTopic { instance_id: asked.clone(), topic }, status, &headers, &body, &redactor, now).result,
            read_reply(&CreateGroup { instance_id: asked.clone(), group_id: group.to_string(), group_type: onsdesk::resources::GroupType::Tcp, remark: String::new() }, status, &headers, &body, &redactor, now).result,
            read_reply(&DeleteGroup { instance_id: asked.clone(), group_id: group }, status, &headers, &body, &redactor, now).result,
        ] {
            match result {
                Ok(id) => {
                    prop_assert!(RequestId::is_valid(&id));
                    shown.push(id.to_string());
                }
                Err(e) => {
                    prop_assert!(printable(&e.to_string()), "{}", e);
                    shown.extend([e.to_string(), format!("{e:?}")]);
                }
            }
        }
        match read_reply(&ListRegions, status, &headers, &body, &redactor, now).result {
            Ok(regions) => {
                for r in &regions {
                    prop_assert!(onsdesk::region::RegionId::shaped(&r.region_id).is_ok());
                    prop_assert!(printable_line(&r.region_name));
                }
                shown.push(format!("{regions:?}"));
            }
            Err(e) => shown.extend([e.to_string(), format!("{e:?}")]),
        }
        for text in &shown {
            prop_assert_eq!(leaked(text, &token), None, "in {}", text);
            prop_assert!(!text.contains("fuzz-secret-value"));
        }
    }

    #[test]
    fn any_time_a_reply_gives_can_be_shown_in_any_zone(
        millis in prop_oneof![
            any::<i64>(),
            Just(253_402_300_799_000i64),
            Just(-377_705_116_800_000i64),
            -400_000_000_000_000i64..400_000_000_000_000,
        ],
        offset_secs in -93_599i32..=93_599,
    ) {
        let offset = time::UtcOffset::from_whole_seconds(offset_secs).unwrap();
        if let Some(at) = time_from_millis(millis) {
            prop_assert!((1..=9998).contains(&at.year()));
            let shown = onsdesk::clock::minutes_in(at, offset);
            prop_assert!(!shown.is_empty());
            prop_assert!(at.checked_to_offset(offset).is_some());
        }
    }

    #[test]
    fn the_redactor_leaves_no_run_of_the_token(
        token in sts_token(),
        placed in prop::collection::vec(placed(), 1..6),
        noise in "\\PC{0,40}",
    ) {
        let redactor = Redactor::new(None, Some(&SecretString::from(token.as_str())));
        let text = placed.iter().map(|p| render(p, &token)).collect::<Vec<_>>().join(&noise);
        let out = redactor.redact(&text);
        prop_assert_eq!(leaked(&out, &token), None, "{} -> {}", text, out);
    }

    #[test]
    fn the_name_validator_takes_any_string(name in "\\PC{0,80}|.{0,80}") {
        let verdict = validate_instance_name(&name);
        // Whatever it says, it says it consistently with the rule.
        let n = name.chars().count();
        if verdict.is_ok() {
            prop_assert!((3..=64).contains(&n));
        }
        let _ = verdict.map_err(|e| e.to_string());
        let _ = RemarkCheck::of(&name).warning();
    }

    #[test]
    fn the_reply_parser_takes_any_body(status in 100u16..600, body in reply_body()) {
        match parse::<serde_json::Value>(status, &body, &Redactor::default()) {
            Parsed::Ok(_) => prop_assert!((200..300).contains(&status)),
            Parsed::Service(e) => { let _ = e.to_string(); let _ = e.server_string_to_sign(); }
            Parsed::Unreadable { problem, .. } => {
                let said = problem.to_string();
                prop_assert!(!said.is_empty());
                prop_assert!(!said.chars().any(onsdesk::text::needs_escape), "{said:?}");
            }
        }
    }

    #[test]
    fn the_sandbox_request_parser_takes_any_bytes(raw in request_bytes()) {
        if let Ok(Some(head)) = http::parse_head(&raw) {
            prop_assert!(head.len <= raw.len());
            let body_end = (head.len + head.content_length).min(raw.len());
            let request = GatewayRequest::from_http(&head.method, &head.target, head.content_type.as_deref(), &raw[head.len..body_end])
                .with_headers(head.headers);
            let mut gateway = Gateway::new(SandboxConfig::default().keys, Faults::default());
            let reply = gateway.handle(&request, time::OffsetDateTime::now_utc());
            prop_assert!(reply.status >= 400, "an unsigned request must be refused");
        }
    }

    #[test]
    fn the_gateway_takes_any_parameters(params in prop::collection::vec(("[A-Za-z]{1,16}", "\\PC{0,24}"), 0..12), get in any::<bool>()) {
        let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&params).finish();
        let request = if get {
            GatewayRequest::from_http("GET", &format!("/?{body}"), None, b"")
        } else {
            GatewayRequest::from_http("POST", "/", Some("application/x-www-form-urlencoded"), body.as_bytes())
        };
        let mut gateway = Gateway::new(SandboxConfig::default().keys, Faults::default());
        let reply = gateway.handle(&request, time::OffsetDateTime::now_utc());
        prop_assert!(reply.status >= 400);
        prop_assert!(gateway.instances().is_empty());
    }
}
