//! "Refresh status": compare the history with what `OnsInstanceInServiceList` lists.
//!
//! Three steps, so the window never holds the store across the network:
//! 1. [`History::cloud_scopes`] (cheap, in memory): which (profile, region, endpoint) to ask;
//! 2. [`list_scopes`] (async, network): one `OnsInstanceInServiceList` per scope;
//! 3. [`History::apply_listings`] (blocking, one flushed append): mark entries in service or
//!    not found, and adopt pending or unknown entries whose exact name is listed.
//!
//! A scope includes the credential profile because an instance is visible only to its own
//! account: an entry is never marked "not found" by asking with another profile's key.
//!
//! A history entry names the endpoint it was made through, and the history file is plain text:
//! a refresh sends the current credentials (STS token included) only to the known region
//! endpoints, and to loopback only the sandbox's demo key, unless the caller says otherwise
//! ([`CustomEndpoints`]); the CLI asks for `--include-custom-endpoints`, the window asks the
//! user. Loopback is whatever process listens there, so a real key needs the same
//! confirmation there as on a custom endpoint.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::entry::{CloudCheck, CloudState, EntryId, Status, now_local};
use super::format::Record;
use super::{History, HistoryError};
use crate::api::{ApiError, Client, InstanceSummary, Target};
use crate::credentials::CredentialSource;
use crate::profiles::ResolveError;
use crate::region::{Endpoint, EndpointError, RegionId};

/// Whether a refresh may send credentials to custom endpoints: those that are not a known
/// region endpoint, loopback included unless the key is the sandbox's demo key
/// ([`sent_unasked`]). There is no default: the caller decides (the CLI by
/// `--include-custom-endpoints`, the window by asking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomEndpoints {
    /// Custom endpoints are not asked; their scopes are reported as not checked.
    Skip,
    /// Every scope is asked, custom endpoints too.
    Include,
}

/// True when the key `access_key_id` goes to `endpoint` without asking: any key to a known
/// region endpoint (public or VPC, see [`Endpoint::is_known_region_endpoint`]), and only the
/// sandbox's demo key to loopback. Loopback is whatever process listens there, not
/// necessarily the sandbox: a real key goes there only when the caller says so.
pub fn sent_unasked(endpoint: &str, access_key_id: &str) -> bool {
    Endpoint::parse(endpoint).is_ok_and(|e| {
        e.is_known_region_endpoint()
            || (e.is_loopback() && access_key_id == crate::sandbox::DEMO_ACCESS_KEY_ID)
    })
}

/// Where a set of entries was created: who asked, in which region, through which endpoint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CloudScope {
    /// The credential source as the entries recorded it (its `Display`).
    pub profile: String,
    pub region: String,
    pub endpoint: String,
}

impl CloudScope {
    /// The credentials the entries were made with.
    #[must_use]
    pub fn source(&self) -> CredentialSource {
        CredentialSource::from_recorded(&self.profile)
    }

    /// Where to ask about this scope. The history file is text anyone with access can edit:
    /// its endpoint must parse, and its region must be one ONS serves (any region ID's shape
    /// through a custom endpoint), before anything is sent.
    pub fn target(&self) -> Result<Target, ScopeFailure> {
        let endpoint =
            Endpoint::parse(&self.endpoint).map_err(|e| ScopeFailure::Endpoint(Arc::new(e)))?;
        let region = RegionId::parse(&self.region, !endpoint.is_known_region_endpoint())
            .map_err(|e| ScopeFailure::Endpoint(Arc::new(EndpointError::BadRegion(e))))?;
        Ok(Target { endpoint, region })
    }
}
/// Why a scope was not listed. The front ends put it into words (the window in its language
/// module, the command line in `onsdesk history refresh`).
#[derive(Clone, Debug)]
pub enum ScopeFailure {
    /// A custom endpoint (neither a known region endpoint nor loopback) under
    /// [`CustomEndpoints::Skip`]: not asked, so the credentials were not sent there.
    CustomEndpointSkipped,
    /// The endpoint the entries recorded is not usable.
    Endpoint(Arc<EndpointError>),
    /// The entries were made with other credentials than the ones at hand: another account
    /// cannot see their instances.
    OtherCredentials {
        recorded: CredentialSource,
        current: CredentialSource,
    },
    /// No credentials could be found to ask with.
    NoCredentials(Arc<ResolveError>),
    /// The listing call failed.
    Api(ApiError),
}

/// One scope's listing, or why it could not be had.
#[derive(Clone, Debug)]
pub struct ScopeListing {
    pub scope: CloudScope,
    pub result: Result<Vec<InstanceSummary>, ScopeFailure>,
}

impl ScopeListing {
    /// Not asked because its endpoint would need the user's confirmation
    /// ([`CustomEndpoints::Skip`]).
    pub fn skipped_custom_endpoint(&self) -> bool {
        matches!(self.result, Err(ScopeFailure::CustomEndpointSkipped))
    }
}

/// An entry whose instance was found by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adoption {
    pub id: EntryId,
    pub name: String,
    pub instance_id: String,
}

/// What a refresh did.
#[derive(Clone, Debug, Default)]
pub struct RefreshSummary {
    /// Entries whose instance is listed.
    pub in_service: usize,
    /// Entries whose instance (or, for unresolved ones, whose name) is not listed.
    pub not_found: usize,
    /// Pending or unknown entries whose instance was found by exact name.
    pub adopted: Vec<Adoption>,
    /// Scopes that could not be listed, with the reason; their entries are unchanged.
    pub failed: Vec<(CloudScope, ScopeFailure)>,
}

impl History {
    /// The distinct scopes of the entries shown (not removed), optionally one region only.
    pub fn cloud_scopes(&self, region: Option<&str>) -> Vec<CloudScope> {
        let scopes: BTreeSet<CloudScope> = self
            .entries()
            .filter(|e| region.is_none_or(|r| e.region == r))
            .map(|e| CloudScope {
                profile: e.profile.clone(),
                region: e.region.clone(),
                endpoint: e.endpoint.clone(),
            })
            .collect();
        scopes.into_iter().collect()
    }

    /// Marks each entry of a listed scope in service or not found, and adopts unresolved
    /// entries (pending, unknown) whose exact name is listed — the newest such entry per
    /// instance, and only if no other entry already holds that InstanceId. Refused and
    /// not-created entries are left as they are. Writes everything in one flushed append.
    /// Blocks.
    pub fn apply_listings(
        &mut self,
        listings: &[ScopeListing],
    ) -> Result<RefreshSummary, HistoryError> {
        let now = now_local();
        let mut summary = RefreshSummary::default();
        let mut held: HashSet<String> = self
            .state
            .slots
            .iter()
            .filter_map(|s| s.entry.instance_id().map(str::to_owned))
            .collect();
        let mut records = Vec::new();
        for listing in listings {
            let instances = match &listing.result {
                Ok(list) => list,
                Err(reason) => {
                    summary.failed.push((listing.scope.clone(), reason.clone()));
                    continue;
                }
            };
            let ids: HashSet<&str> = instances.iter().map(|i| i.instance_id.as_str()).collect();
            let by_name: HashMap<&str, &InstanceSummary> = instances
                .iter()
                .map(|i| (i.instance_name.as_str(), i))
                .collect();
            // Newest first, so the latest of several attempts at one name adopts it.
            let mut in_scope: Vec<_> = self
                .entries()
                .filter(|e| {
                    e.profile == listing.scope.profile
                        && e.region == listing.scope.region
                        && e.endpoint == listing.scope.endpoint
                })
                .collect();
            in_scope.sort_by_key(|e| std::cmp::Reverse(e.at));
            for entry in in_scope {
                let state = if let Some(id) = entry.instance_id() {
                    if ids.contains(id) {
                        CloudState::InService
                    } else {
                        CloudState::NotFound
                    }
                } else if entry.status.is_unresolved() {
                    match by_name.get(entry.name.as_str()) {
                        Some(found) if !held.contains(found.instance_id.as_str()) => {
                            held.insert(found.instance_id.to_string());
                            records.push(Record::Status {
                                id: entry.id,
                                status: Status::Adopted {
                                    instance_id: found.instance_id.to_string(),
                                    instance_type: found.instance_type.0,
                                },
                                at: now,
                            });
                            summary.adopted.push(Adoption {
                                id: entry.id,
                                name: entry.name.clone(),
                                instance_id: found.instance_id.to_string(),
                            });
                            CloudState::InService
                        }
                        // Listed, but held by another entry: this attempt did not make it.
                        Some(_) => continue,
                        None => CloudState::NotFound,
                    }
                } else {
                    continue;
                };
                match state {
                    CloudState::InService => summary.in_service += 1,
                    CloudState::NotFound => summary.not_found += 1,
                }
                records.push(Record::Cloud {
                    id: entry.id,
                    cloud: CloudCheck {
                        state,
                        checked_at: now,
                    },
                });
            }
        }
        self.append(records)?;
        Ok(summary)
    }
}

/// Lists each scope's instances with a client from `make_client` (which may refuse a scope,
/// e.g. when it has no credentials for that profile: the reason is kept). One call per scope,
/// one after the other. With [`CustomEndpoints::Skip`], a scope whose key would not be sent
/// unasked ([`sent_unasked`]) is not asked and fails with
/// [`ScopeFailure::CustomEndpointSkipped`]; for one that is neither a known region endpoint nor
/// loopback, `make_client` is not even called.
pub async fn list_scopes(
    scopes: Vec<CloudScope>,
    custom: CustomEndpoints,
    make_client: impl Fn(&CloudScope) -> Result<Client, ScopeFailure>,
) -> Vec<ScopeListing> {
    let skip = custom == CustomEndpoints::Skip;
    let mut out = Vec::with_capacity(scopes.len());
    for scope in scopes {
        // Any key may go to a known region endpoint, and the demo key to loopback.
        let may_be_sent = Endpoint::parse(&scope.endpoint)
            .is_ok_and(|e| e.is_known_region_endpoint() || e.is_loopback());
        let result = if skip && !may_be_sent {
            Err(ScopeFailure::CustomEndpointSkipped)
        } else {
            match make_client(&scope) {
                Ok(client) if skip && !sent_unasked(&scope.endpoint, client.access_key_id()) => {
                    Err(ScopeFailure::CustomEndpointSkipped)
                }
                Ok(client) => match client.instances_in_service().await {
                    // "not found" is only believed from a whole list
                    Ok(listed) if listed.is_whole() => Ok(listed.items),
                    Ok(_) => Err(ScopeFailure::Api(crate::create::left_out_error())),
                    Err(e) => Err(ScopeFailure::Api(e)),
                },
                Err(reason) => Err(reason),
            }
        };
        out.push(ScopeListing { scope, result });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::DEMO_ACCESS_KEY_ID;

    #[test]
    fn a_real_key_goes_unasked_only_to_a_known_region_endpoint() {
        let real = "LTAI5tRealKeyOfSomeone";
        for known in [
            "https://ons.cn-hangzhou.aliyuncs.com/",
            "https://ons-vpc.cn-beijing.aliyuncs.com/",
        ] {
            assert!(sent_unasked(known, real), "{known}");
            assert!(sent_unasked(known, DEMO_ACCESS_KEY_ID), "{known}");
        }
        for loopback in [
            "http://127.0.0.1:9/",
            "http://localhost:9/",
            "http://[::1]:9/",
        ] {
            assert!(!sent_unasked(loopback, real), "{loopback}");
            assert!(sent_unasked(loopback, DEMO_ACCESS_KEY_ID), "{loopback}");
        }
        for custom in ["https://ons.custom-gateway.example/", "not a url"] {
            assert!(!sent_unasked(custom, real), "{custom}");
            assert!(!sent_unasked(custom, DEMO_ACCESS_KEY_ID), "{custom}");
        }
    }
}
