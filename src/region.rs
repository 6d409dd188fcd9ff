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
    /// The official endpoint for a region id (any well-formed id; the table is advisory).
    pub fn for_region(region: &str, network: Network) -> Result<Self, EndpointError> {
        if region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(EndpointError::BadRegion(region.to_owned()));
        }
        let host = match network {
            Network::Public => format!("https://ons.{region}.aliyuncs.com/"),
            Network::Vpc => format!("https://ons-vpc.{region}.aliyuncs.com/"),
        };
        Self::parse(&host)
    }

    /// A custom endpoint: a URL (`https://host[:port]/`) or a bare host (taken as https).
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        let input = input.trim();
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        let url = reqwest::Url::parse(&with_scheme)
            .map_err(|e| EndpointError::Invalid(input.to_owned(), e.to_string()))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(EndpointError::PlainHttp(input.to_owned())),
            other => return Err(EndpointError::Scheme(other.to_owned())),
        }
        if url.host().is_none() {
            return Err(EndpointError::Invalid(
                input.to_owned(),
                "no host".to_owned(),
            ));
        }
        if url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(EndpointError::Invalid(
                input.to_owned(),
                "an endpoint has no query, fragment or user info".to_owned(),
            ));
        }
        Ok(Self(url))
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
    #[error("'{0}' is not a region id (letters, digits and '-')")]
    BadRegion(String),
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
}
