//! The regions ONS serves, as data, and the endpoint a call goes to.

use std::fmt;
use std::net::IpAddr;

/// The region used when none is chosen.
pub const DEFAULT_REGION: &str = "cn-hangzhou";

/// Variables giving the default region, strongest first: the aliyun CLI's (in its order),
/// then Terraform's alicloud provider's. The aliyun CLI also reads the bare `REGION_ID` and
/// `REGION`; onsdesk does not: other tools and CI hosts set those to regions of other clouds.
pub const ENV_REGION_VARS: [&str; 4] = [
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABACLOUD_REGION_ID",
    "ALICLOUD_REGION_ID",
    "ALICLOUD_REGION",
];

/// The region the environment gives: `(variable, region)` for the first of
/// [`ENV_REGION_VARS`] that is set and not blank.
pub fn from_env_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<(&'static str, String)> {
    ENV_REGION_VARS.iter().find_map(|&var| {
        lookup(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .map(|v| (var, v))
    })
}

/// One ONS region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// The RegionId, e.g. `cn-hangzhou`.
    pub id: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese name, as the console shows it.
    pub name_zh: &'static str,
    /// Marked closed in Alibaba's list: still listed, but new instances are unlikely to work.
    pub closed: bool,
}

const fn r(id: &'static str, name_en: &'static str, name_zh: &'static str) -> Region {
    Region {
        id,
        name_en,
        name_zh,
        closed: false,
    }
}

/// The regions ONS serves, from its API reference (refreshable at run time: `OnsRegionList`).
pub const REGIONS: &[Region] = &[
    r("cn-hangzhou", "China (Hangzhou)", "华东1（杭州）"),
    r("cn-shanghai", "China (Shanghai)", "华东2（上海）"),
    r("cn-qingdao", "China (Qingdao)", "华北1（青岛）"),
    r("cn-beijing", "China (Beijing)", "华北2（北京）"),
    r("cn-zhangjiakou", "China (Zhangjiakou)", "华北3（张家口）"),
    r("cn-huhehaote", "China (Hohhot)", "华北5（呼和浩特）"),
    r("cn-wulanchabu", "China (Ulanqab)", "华北6（乌兰察布）"),
    r("cn-shenzhen", "China (Shenzhen)", "华南1（深圳）"),
    r("cn-chengdu", "China (Chengdu)", "西南1（成都）"),
    r("cn-hongkong", "China (Hong Kong)", "中国香港"),
    r("ap-northeast-1", "Japan (Tokyo)", "日本（东京）"),
    r("ap-southeast-1", "Singapore", "新加坡"),
    Region {
        id: "ap-southeast-2",
        name_en: "Australia (Sydney)",
        name_zh: "澳大利亚（悉尼）",
        closed: true,
    },
    r(
        "ap-southeast-3",
        "Malaysia (Kuala Lumpur)",
        "马来西亚（吉隆坡）",
    ),
    r(
        "ap-southeast-5",
        "Indonesia (Jakarta)",
        "印度尼西亚（雅加达）",
    ),
    r("ap-southeast-6", "Philippines (Manila)", "菲律宾（马尼拉）"),
    r("ap-south-1", "India (Mumbai)", "印度（孟买）"),
    r("eu-central-1", "Germany (Frankfurt)", "德国（法兰克福）"),
    r("eu-west-1", "UK (London)", "英国（伦敦）"),
    r("us-east-1", "US (Virginia)", "美国（弗吉尼亚）"),
    r("us-west-1", "US (Silicon Valley)", "美国（硅谷）"),
    r("me-east-1", "UAE (Dubai)", "阿联酋（迪拜）"),
    r("mq-internet-access", "Public network", "公网"),
    r(
        "cn-hangzhou-finance",
        "China East 1 Finance",
        "华东1 金融云",
    ),
    r(
        "cn-shanghai-finance-1",
        "China East 2 Finance",
        "华东2 金融云",
    ),
    r(
        "cn-shenzhen-finance-1",
        "China South 1 Finance",
        "华南1 金融云",
    ),
    r(
        "cn-beijing-finance-1",
        "China North 2 Finance",
        "华北2 金融云",
    ),
];

/// A region ID as it may be used: the ID of a region ONS serves ([`REGIONS`]), or, where a
/// custom endpoint says where calls go, any ID of the same shape (1 to 64 lowercase ASCII
/// letters, digits and `-`, starting with a letter or digit). Nothing else builds one, so a
/// `RegionId` never carries an escape sequence to a terminal or a made-up host to DNS.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct RegionId(String);

/// A region ID was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    /// Not of the shape of a region ID.
    #[error("'{0}' is not a region ID (lowercase letters, digits and '-', at most 64)")]
    Malformed(String),
    /// Well formed, but not a region onsdesk knows, and no endpoint says where it is.
    #[error(
        "'{0}' is not a region ONS serves (`onsdesk instances list --all-regions` asks every \
         known one); for a region onsdesk does not list yet, also pass --endpoint \
         https://ons.{0}.aliyuncs.com"
    )]
    Unknown(String),
}

impl RegionId {
    /// The ID of a region in [`REGIONS`] (surrounding blanks ignored).
    pub fn known(s: &str) -> Result<Self, RegionError> {
        let id = Self::shaped(s)?;
        if find(&id.0).is_some() {
            Ok(id)
        } else {
            Err(RegionError::Unknown(id.0))
        }
    }

    /// Any well-formed region ID: only where a custom endpoint says where calls go.
    pub fn shaped(s: &str) -> Result<Self, RegionError> {
        let s = s.trim();
        let well_formed = (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-');
        if well_formed {
            Ok(Self(s.to_owned()))
        } else {
            Err(RegionError::Malformed(crate::text::shortened(s, 80)))
        }
    }

    /// [`RegionId::known`], or [`RegionId::shaped`] when `custom_endpoint` is true.
    pub fn parse(s: &str, custom_endpoint: bool) -> Result<Self, RegionError> {
        if custom_endpoint {
            Self::shaped(s)
        } else {
            Self::known(s)
        }
    }

    /// The default region ([`DEFAULT_REGION`]).
    pub fn default_region() -> Self {
        Self(DEFAULT_REGION.to_owned())
    }

    /// The ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a region in [`REGIONS`].
    pub fn is_known(&self) -> bool {
        find(&self.0).is_some()
    }
}

impl std::ops::Deref for RegionId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RegionId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RegionId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RegionId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Looks a region up by its id.
pub fn find(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id)
}

/// Which network an endpoint host is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Network {
    /// `ons.<region>.aliyuncs.com`
    #[default]
    Public,
    /// `ons-vpc.<region>.aliyuncs.com`, reachable from inside a VPC.
    Vpc,
}

/// A validated endpoint URL: `https://` anywhere, plain `http://` only to loopback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(reqwest::Url);

impl Endpoint {
    /// The official endpoint of a region ONS serves. An ID that is not in [`REGIONS`] is
    /// refused ([`EndpointError::BadRegion`]): its host would be a guess, and asking DNS for
    /// `ons.<anything>.aliyuncs.com` tells the network what was typed.
    pub fn for_region(region: &str, network: Network) -> Result<Self, EndpointError> {
        let region = RegionId::known(region).map_err(EndpointError::BadRegion)?;
        let host = match network {
            Network::Public => format!("https://ons.{region}.aliyuncs.com/"),
            Network::Vpc => format!("https://ons-vpc.{region}.aliyuncs.com/"),
        };
        Self::parse(&host)
    }

    /// A custom endpoint: a URL (`https://host[:port]/`) or a bare host (taken as https).
    ///
    /// Refused: user info (`user:password@`, never repeated in the error), a query or fragment,
    /// plain http except to loopback, a host name that DNS cannot carry (over 253 characters or
    /// a label over 63) and an endpoint over [`MAX_ENDPOINT_CHARS`] characters. Errors show the
    /// input with any user info removed, control characters escaped and length capped.
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        let input = input.trim();
        let shown = shown(input);
        if input.chars().count() > MAX_ENDPOINT_CHARS {
            return Err(EndpointError::TooLong(shown, MAX_ENDPOINT_CHARS));
        }
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        if has_user_info(&with_scheme) {
            return Err(EndpointError::UserInfo(shown));
        }
        let url = reqwest::Url::parse(&with_scheme)
            .map_err(|e| EndpointError::Invalid(shown.clone(), e.to_string()))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(EndpointError::UserInfo(shown));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(EndpointError::PlainHttp(shown)),
            other => {
                return Err(EndpointError::Scheme(crate::text::printable(other)));
            }
        }
        match url.host() {
            None => return Err(EndpointError::Invalid(shown, "no host".to_owned())),
            Some(url::Host::Domain(domain)) => {
                let domain = domain.strip_suffix('.').unwrap_or(domain);
                if domain.len() > 253 || domain.split('.').any(|label| label.len() > 63) {
                    return Err(EndpointError::Invalid(
                        shown,
                        "the host name is longer than DNS allows (253 characters, 63 per label)"
                            .to_owned(),
                    ));
                }
            }
            Some(_) => {}
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(EndpointError::Invalid(
                shown,
                "an endpoint has no query or fragment".to_owned(),
            ));
        }
        Ok(Self(url))
    }

    /// True for the official public or VPC endpoint of a region in [`REGIONS`], over https on
    /// the default port: where credentials may go without asking.
    pub fn is_known_region_endpoint(&self) -> bool {
        self.0.scheme() == "https"
            && self.0.port().is_none()
            && self.0.path() == "/"
            && REGIONS.iter().any(|r| {
                [Network::Public, Network::Vpc].into_iter().any(|network| {
                    Self::for_region(r.id, network).is_ok_and(|known| known.0 == self.0)
                })
            })
    }

    /// The URL requests are POSTed to.
    pub fn url(&self) -> &reqwest::Url {
        &self.0
    }

    /// The host (and port, if any), for display.
    pub fn host(&self) -> String {
        match (self.0.host_str(), self.0.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => String::new(),
        }
    }

    /// True for loopback endpoints (the sandbox).
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// The longest endpoint accepted, in characters.
pub const MAX_ENDPOINT_CHARS: usize = 512;

/// True when the authority of `url` (`scheme://authority/…`) has user info (`…@host`).
fn has_user_info(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    authority.contains('@')
}

/// An endpoint as an error may show it: user info replaced by `***`, control characters
/// escaped, at most 80 characters.
fn shown(input: &str) -> String {
    let without_user = match input.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(end);
            match authority.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://***@{host}{tail}"),
                None => input.to_owned(),
            }
        }
        None => match input.split_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => input.to_owned(),
        },
    };
    let mut chars = without_user.chars();
    let mut out = crate::text::printable(&chars.by_ref().take(80).collect::<String>());
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// An endpoint was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EndpointError {
    #[error("'{0}' is not a valid endpoint: {1}")]
    Invalid(String, String),
    #[error("'{0}' uses plain http: only loopback (127.0.0.1, ::1, localhost) may; use https")]
    PlainHttp(String),
    #[error("the endpoint scheme '{0}' is not supported; use https")]
    Scheme(String),
    #[error("{0}")]
    BadRegion(RegionError),
    #[error(
        "'{0}' has user info (user:password@) in it: onsdesk never sends that; remove it and \
         use an AccessKey profile"
    )]
    UserInfo(String),
    #[error("'{0}' is not a valid endpoint: longer than {1} characters")]
    TooLong(String, usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_variables_aliyun_cli_first_then_terraform() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(from_env_lookup(env(&[])), None);
        assert_eq!(
            from_env_lookup(env(&[("ALICLOUD_REGION", "cn-beijing")])),
            Some(("ALICLOUD_REGION", "cn-beijing".to_owned()))
        );
        assert_eq!(
            from_env_lookup(env(&[
                ("ALICLOUD_REGION", "cn-beijing"),
                ("ALIBABA_CLOUD_REGION_ID", " cn-shanghai "),
            ])),
            Some(("ALIBABA_CLOUD_REGION_ID", "cn-shanghai".to_owned()))
        );
        // blank counts as unset; the generic names are not read
        assert_eq!(
            from_env_lookup(env(&[
                ("ALIBABA_CLOUD_REGION_ID", ""),
                ("REGION", "us-east-1"),
                ("ALICLOUD_REGION_ID", "cn-qingdao"),
            ])),
            Some(("ALICLOUD_REGION_ID", "cn-qingdao".to_owned()))
        );
    }

    #[test]
    fn region_endpoints() {
        let e = Endpoint::for_region("cn-hangzhou", Network::Public).unwrap();
        assert_eq!(e.to_string(), "https://ons.cn-hangzhou.aliyuncs.com/");
        let e = Endpoint::for_region("cn-beijing", Network::Vpc).unwrap();
        assert_eq!(e.host(), "ons-vpc.cn-beijing.aliyuncs.com");
        assert!(Endpoint::for_region("cn hangzhou", Network::Public).is_err());
        assert!(find(DEFAULT_REGION).is_some());
        assert_eq!(REGIONS.len(), 27);
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9/",
            "http://[::1]:1/",
            "http://localhost:9",
            "https://example.com",
            "ons.cn-hangzhou.aliyuncs.com",
        ] {
            assert!(Endpoint::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/",
            "http://example.com",
            "http://128.0.0.1/",
            "ftp://127.0.0.1/",
            "https://u:p@h/",
            "https://h/?a=b",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Endpoint::parse("http://ons.cn-hangzhou.aliyuncs.com"),
            Err(EndpointError::PlainHttp(_))
        ));
    }

    #[test]
    fn user_info_is_refused_without_repeating_the_password() {
        for input in [
            "https://admin:hunter2-pw@ons.cn-hangzhou.aliyuncs.com/",
            "admin:hunter2-pw@ons.cn-hangzhou.aliyuncs.com",
            "https://admin:hunter2-pw@h:99999999/",
            "https://admin:hunter2-pw@bad host/",
            "http://admin:hunter2-pw@example.com/",
        ] {
            let err = Endpoint::parse(input).unwrap_err();
            let text = err.to_string();
            assert!(!text.contains("hunter2"), "{input}: {text}");
            assert!(matches!(err, EndpointError::UserInfo(_)), "{input}: {text}");
            assert!(text.contains("user info"), "{text}");
        }
        // A password in an otherwise unparsable endpoint is not repeated either.
        let text = Endpoint::parse("https://a:hunter2-pw@[::1/")
            .unwrap_err()
            .to_string();
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn overlong_endpoints_are_refused() {
        let label = "a".repeat(64);
        let err = Endpoint::parse(&format!("https://{label}.example.com/")).unwrap_err();
        assert!(err.to_string().contains("longer than DNS allows"), "{err}");
        let host = vec!["abcdefghij"; 26].join(".");
        assert!(Endpoint::parse(&format!("https://{host}/")).is_err());
        let err =
            Endpoint::parse(&format!("https://h.example.com/{}", "p".repeat(600))).unwrap_err();
        assert!(matches!(err, EndpointError::TooLong(..)), "{err}");
        assert!(err.to_string().chars().count() < 200, "{err}");
        assert!(Endpoint::parse(&format!("https://{}.example.com/", "a".repeat(63))).is_ok());
    }

    #[test]
    fn known_region_endpoints() {
        assert!(
            Endpoint::for_region("cn-hangzhou", Network::Public)
                .unwrap()
                .is_known_region_endpoint()
        );
        assert!(
            Endpoint::parse("ons-vpc.eu-west-1.aliyuncs.com")
                .unwrap()
                .is_known_region_endpoint()
        );
        for custom in [
            "https://ons.cn-hangzhou.aliyuncs.com.evil.example/",
            "https://ons.cn-hangzhou.aliyuncs.com:8443/",
            "https://ons.nowhere-9.aliyuncs.com/",
            "https://ons.cn-hangzhou.aliyuncs.com/elsewhere",
            "http://127.0.0.1:9/",
        ] {
            assert!(
                !Endpoint::parse(custom).unwrap().is_known_region_endpoint(),
                "{custom}"
            );
        }
    }
}
