//! The signature doctor: when the service answers `SignatureDoesNotMatch`, compare the string
//! it signed (the end of its Message) with ours and say what differs. When they are identical
//! the request arrived intact, so the secret is wrong.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use crate::api::{ApiError, ErrorKind};
use crate::credentials::SecretString;
use crate::text::printable;

/// What the comparison found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Diagnosis {
    /// Same string: the request arrived as signed, so the secret does not match the AccessKey ID.
    /// `whitespace` is true when the secret we used begins or ends with whitespace.
    WrongSecret { whitespace: bool },
    /// The HTTP method differs (a proxy or redirect changed it).
    Method { ours: String, theirs: String },
    /// Parameters differ: what we signed versus what the service saw.
    Params(Vec<ParamDiff>),
    /// The strings differ in a way not explained by parameters: the first differing position.
    Other { position: usize },
}

/// One parameter that differs. `None`: absent on that side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamDiff {
    pub name: String,
    pub ours: Option<String>,
    pub theirs: Option<String>,
}

/// The doctor's report for a failed call: `Some` for a wrong-signature error whose message
/// carries the server's string to sign, when we kept ours (`ours`). The one entry point for the
/// CLI and the window.
pub fn diagnose_error(
    err: &ApiError,
    ours: Option<&str>,
    secret: &SecretString,
) -> Option<Diagnosis> {
    let service = err
        .service()
        .filter(|s| s.kind() == ErrorKind::WrongSecret)?;
    Some(diagnose(ours?, service.server_string_to_sign()?, secret))
}

/// Compares our string to sign with the server's.
pub fn diagnose(ours: &str, theirs: &str, secret: &SecretString) -> Diagnosis {
    if ours == theirs {
        return Diagnosis::WrongSecret {
            whitespace: secret.has_surrounding_whitespace(),
        };
    }
    let (Some((our_method, our_params)), Some((their_method, their_params))) =
        (split(ours), split(theirs))
    else {
        return Diagnosis::Other {
            position: first_difference(ours, theirs),
        };
    };
    if our_method != their_method {
        return Diagnosis::Method {
            ours: our_method.to_owned(),
            theirs: their_method.to_owned(),
        };
    }
    let diffs: Vec<ParamDiff> = our_params
        .keys()
        .chain(their_params.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| our_params.get(*k) != their_params.get(*k))
        .map(|k| ParamDiff {
            name: k.clone(),
            ours: our_params.get(k).cloned(),
            theirs: their_params.get(k).cloned(),
        })
        .collect();
    if diffs.is_empty() {
        Diagnosis::Other {
            position: first_difference(ours, theirs),
        }
    } else {
        Diagnosis::Params(diffs)
    }
}

/// `METHOD&%2F&enc(query)` → method and decoded parameters (STS tokens hidden).
fn split(sts: &str) -> Option<(&str, BTreeMap<String, String>)> {
    let (method, rest) = sts.split_once('&')?;
    let query = rest.strip_prefix("%2F&")?;
    let decoded = percent_decode_str(query).decode_utf8().ok()?;
    let mut params = BTreeMap::new();
    for pair in decoded.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode_str(k).decode_utf8_lossy().into_owned();
        let v = if k == "SecurityToken" {
            "<redacted>".to_owned()
        } else {
            percent_decode_str(v).decode_utf8_lossy().into_owned()
        };
        params.insert(k, v);
    }
    Some((method, params))
}

fn first_difference(a: &str, b: &str) -> usize {
    a.chars()
        .zip(b.chars())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.chars().count().min(b.chars().count()))
}

impl std::fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongSecret { whitespace: true } => f.write_str(
                "The request arrived exactly as signed, so the AccessKey secret is wrong: it begins or ends with whitespace, probably pasted by accident.",
            ),
            Self::WrongSecret { whitespace: false } => f.write_str(
                "The request arrived exactly as signed, so the AccessKey secret does not belong to this AccessKey ID. Check that the secret is the one shown when the key was created.",
            ),
            Self::Method { ours, theirs } => write!(
                f,
                "We signed a {ours} request but the service received {}: a proxy or redirect changed it.",
                printable(theirs)
            ),
            Self::Params(diffs) => {
                f.write_str("The service saw different parameters than we signed (a proxy or gateway rewrote the request):")?;
                for d in diffs {
                    let show = |v: &Option<String>| v.as_deref().map_or_else(|| "(absent)".to_owned(), |v| format!("{v:?}"));
                    write!(f, " {}: we signed {}, it saw {};", printable(&d.name), show(&d.ours), show(&d.theirs))?;
                }
                Ok(())
            }
            Self::Other { position } => write!(
                f,
                "The string the service signed differs from ours from character {position} on; the request was altered on the way."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = "POST&%2F&AccessKeyId%3Dk%26Action%3DOnsInstanceCreate%26InstanceName%3D%25E6%25B5%258B-a%26Remark%3Da%2520b";

    #[test]
    fn identical_means_the_secret_is_wrong() {
        assert_eq!(
            diagnose(OURS, OURS, &SecretString::from("s")),
            Diagnosis::WrongSecret { whitespace: false }
        );
        assert_eq!(
            diagnose(OURS, OURS, &SecretString::from("s ")),
            Diagnosis::WrongSecret { whitespace: true }
        );
    }

    #[test]
    fn a_rewritten_parameter_is_named() {
        let theirs = OURS.replace("a%2520b", "a%252Bb");
        let Diagnosis::Params(diffs) = diagnose(OURS, &theirs, &SecretString::from("s")) else {
            panic!()
        };
        assert_eq!(
            diffs,
            vec![ParamDiff {
                name: "Remark".into(),
                ours: Some("a b".into()),
                theirs: Some("a+b".into())
            }]
        );
        assert!(
            diagnose(OURS, &theirs, &SecretString::from("s"))
                .to_string()
                .contains("Remark: we signed \"a b\", it saw \"a+b\"")
        );
        let get = OURS.replacen("POST", "GET", 1);
        assert!(matches!(
            diagnose(OURS, &get, &SecretString::from("s")),
            Diagnosis::Method { .. }
        ));
    }

    #[test]
    fn chinese_names_are_decoded() {
        let theirs = OURS.replace("%25E6%25B5%258B-a", "x-a");
        let Diagnosis::Params(diffs) = diagnose(OURS, &theirs, &SecretString::from("s")) else {
            panic!()
        };
        assert_eq!(diffs[0].ours.as_deref(), Some("测-a"));
    }
}
