//! Just enough HTTP/1.1 for the sandbox: read one request (head + `Content-Length` body),
//! write one response. Kept separate and pure so it can be fuzzed.

use std::fmt::Write as _;

/// Largest request head accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// Largest request body accepted: an ONS call's parameters are a few hundred bytes, and every
/// open connection may hold this much.
pub const MAX_BODY: usize = 64 * 1024;

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    /// The request target, e.g. `/?Action=…`.
    pub target: String,
    pub content_length: usize,
    pub content_type: Option<String>,
    pub keep_alive: bool,
    /// Every header, names lowercased.
    pub headers: Vec<(String, String)>,
    /// Bytes of the head, including the blank line.
    pub len: usize,
}

/// Why a request head was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("request head larger than {MAX_HEAD} bytes")]
    TooLarge,
    #[error("request body larger than {MAX_BODY} bytes")]
    BodyTooLarge,
    #[error("chunked request bodies are not supported; send Content-Length")]
    Chunked,
    #[error("more than one Content-Length header")]
    DuplicateContentLength,
}

impl HeadError {
    /// The HTTP status that answers it.
    pub fn status(&self) -> u16 {
        match self {
            Self::TooLarge => 431,
            Self::BodyTooLarge => 413,
            Self::Malformed(_) | Self::Chunked | Self::DuplicateContentLength => 400,
        }
    }
}

/// Parses a request head from the start of `buf`. `Ok(None)`: need more bytes.
pub fn parse_head(buf: &[u8]) -> Result<Option<Head>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => return Err(HeadError::TooLarge),
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(HeadError::Malformed(e.to_string())),
    };
    if len > MAX_HEAD {
        return Err(HeadError::TooLarge);
    }
    let mut content_length: Option<usize> = None;
    let mut content_type = None;
    let mut keep_alive = req.version == Some(1);
    let mut all = Vec::with_capacity(req.headers.len());
    for h in req.headers.iter() {
        let value = String::from_utf8_lossy(h.value);
        all.push((h.name.to_ascii_lowercase(), value.clone().into_owned()));
        if h.name.eq_ignore_ascii_case("content-length") {
            // Two lengths (even equal ones) are how requests are smuggled past a proxy.
            if content_length.is_some() {
                return Err(HeadError::DuplicateContentLength);
            }
            let digits = value.trim();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HeadError::Malformed(format!(
                    "bad Content-Length {value:?}"
                )));
            }
            content_length = Some(digits.parse().unwrap_or(usize::MAX));
        } else if h.name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.into_owned());
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(HeadError::Chunked);
        } else if h.name.eq_ignore_ascii_case("connection") {
            let v = value.to_ascii_lowercase();
            if v.contains("close") {
                keep_alive = false;
            } else if v.contains("keep-alive") {
                keep_alive = true;
            }
        }
    }
    let content_length = content_length.unwrap_or(0);
    if content_length > MAX_BODY {
        return Err(HeadError::BodyTooLarge);
    }
    Ok(Some(Head {
        method: req.method.unwrap_or_default().to_owned(),
        target: req.path.unwrap_or_default().to_owned(),
        content_length,
        content_type,
        keep_alive,
        headers: all,
        len,
    }))
}

/// One response to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// The `Date` header value (the sandbox's clock, which a fault can skew).
    pub date: String,
}

/// Serialises a response.
pub fn write_response(resp: &Response, keep_alive: bool) -> Vec<u8> {
    let mut out = String::with_capacity(resp.body.len() + 200);
    let _ = write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nDate: {}\r\nConnection: {}\r\n\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        resp.body.len(),
        resp.date,
        if keep_alive { "keep-alive" } else { "close" },
    );
    out.push_str(&resp.body);
    out.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

pub use crate::clock::{http_date, parse_http_date};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_post_head() {
        let raw = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\n\r\nA=1&B";
        let head = parse_head(raw).unwrap().unwrap();
        assert_eq!(head.method, "POST");
        assert_eq!(head.content_length, 5);
        assert!(head.keep_alive);
        assert_eq!(&raw[head.len..], b"A=1&B");
        assert_eq!(parse_head(&raw[..20]), Ok(None));
    }

    #[test]
    fn refuses_what_it_cannot_handle() {
        assert!(matches!(
            parse_head(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(HeadError::Chunked)
        ));
        assert!(matches!(
            parse_head(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            Err(HeadError::Malformed(_))
        ));
        assert!(matches!(
            parse_head(b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"),
            Err(HeadError::BodyTooLarge)
        ));
        assert!(matches!(
            parse_head(b"\x00\x01 garbage\r\n\r\n"),
            Err(HeadError::Malformed(_))
        ));
        let long = vec![b'a'; MAX_HEAD + 10];
        assert!(parse_head(&long).is_err());
    }

    #[test]
    fn two_content_lengths_are_refused_even_when_equal() {
        for raw in [
            &b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nA=1"[..],
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 10\r\n\r\nA=1",
        ] {
            let err = parse_head(raw).unwrap_err();
            assert_eq!(err, HeadError::DuplicateContentLength);
            assert_eq!(err.status(), 400);
        }
        // a sign or spaces inside are not a length either
        assert!(matches!(
            parse_head(b"POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nA=1"),
            Err(HeadError::Malformed(_))
        ));
        let err = parse_head(b"POST / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n").unwrap_err();
        assert_eq!(err.status(), 413);
    }
}
