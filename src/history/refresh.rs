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
//! endpoints and to loopback unless the caller says otherwise ([`CustomEndpoints`]); the CLI
//! asks for `--include-custom-endpoints`, the window asks the user.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::entry::{CloudCheck, CloudState, EntryId, Status, now_local};
use super::format::Record;
use super::{History, HistoryError};
use crate::api::{ApiError, Client, InstanceSummary};
use crate::credentials::CredentialSource;
use crate::profiles::ResolveError;
use crate::region::{Endpoint, EndpointError};

/// Whether a refresh may send credentials to custom endpoints: those that are neither a known
/// region endpoint nor loopback ([`is_trusted_endpoint`]). There is no default: the caller
/// decides (the CLI by `--include-custom-endpoints`, the window by asking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomEndpoints {
    /// Custom endpoints are not asked; their scopes are reported as not checked.
    Skip,
    /// Every scope is asked, custom endpoints too.
    Include,
}

/// True for an endpoint credentials go to without asking: a known region endpoint (public or
/// VPC, see [`Endpoint::is_known_region_endpoint`]) or loopback (the sandbox).
pub fn is_trusted_endpoint(endpoint: &str) -> bool {
    Endpoint::parse(endpoint).is_ok_and(|e| e.is_known_region_endpoint() || e.is_loopback())
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
                        Some(found) if !held.contains(&found.instance_id) => {
                            held.insert(found.instance_id.clone());
                            records.push(Record::Status {
                                id: entry.id,
                                status: Status::Adopted {
                                    instance_id: found.instance_id.clone(),
                                    instance_type: found.instance_type.0,
                                },
                                at: now,
                            });
                            summary.adopted.push(Adoption {
                                id: entry.id,
                                name: entry.name.clone(),
                                instance_id: found.instance_id.clone(),
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
/// one after the other. With [`CustomEndpoints::Skip`], a scope on a custom endpoint is not
/// asked (`make_client` is not even called for it) and fails with
/// [`ScopeFailure::CustomEndpointSkipped`].
pub async fn list_scopes(
    scopes: Vec<CloudScope>,
    custom: CustomEndpoints,
    make_client: impl Fn(&CloudScope) -> Result<Client, ScopeFailure>,
) -> Vec<ScopeListing> {
    let mut out = Vec::with_capacity(scopes.len());
    for scope in scopes {
        if custom == CustomEndpoints::Skip && !is_trusted_endpoint(&scope.endpoint) {
            out.push(ScopeListing {
                scope,
                result: Err(ScopeFailure::CustomEndpointSkipped),
            });
            continue;
        }
        let result = match make_client(&scope) {
            Ok(client) => client
                .instances_in_service()
                .await
                .map_err(ScopeFailure::Api),
            Err(reason) => Err(reason),
        };
        out.push(ScopeListing { scope, result });
    }
    out
}
