//! Pre-flight: shortly after the user stops typing a valid name, one
//! `OnsInstanceInServiceList` call says whether the name is already taken in the region and
//! whether the region is at its instance quota. A hint only: it never blocks Create, and it is
//! silently skipped without credentials or network.
//!
//! The hint is derived, not invalidated by hand: each frame [`PreflightController::logic`]
//! computes the [`LookupKey`] (name, region, endpoint, credentials, signature, and what this
//! window learned changed in the cloud) and asks again, after a pause, whenever it differs
//! from the key the current hint was asked for.

use std::time::{Duration, Instant};

use crate::api::InstanceSummary;
use crate::credentials::CredentialSource;
use crate::signing::v3::SignatureVersion;
use crate::validation::validate_instance_name;

use super::session::WindowSession;
use super::tasks::Tasks;

/// How long typing must pause before the call.
pub const DEBOUNCE: Duration = Duration::from_millis(500);
/// Instances a region allows per account (`OnsInstanceCreate` refuses the ninth).
pub const REGION_QUOTA: usize = 8;

/// Everything a hint depends on. A hint is shown only for the key it was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupKey {
    name: String,
    region: String,
    endpoint: String,
    source: CredentialSource,
    signature: SignatureVersion,
    cloud_changes: u64,
}

impl LookupKey {
    /// The key for what is typed and selected now; `None` when there is nothing to ask
    /// (an invalid name, no credentials, an unusable endpoint).
    fn now(session: &WindowSession, name: &str) -> Option<Self> {
        validate_instance_name(name).ok()?;
        let (source, _) = session.ready()?;
        let target = session.target().ok()?;
        Some(Self {
            name: name.to_owned(),
            region: target.region.to_string(),
            endpoint: target.endpoint.to_string(),
            source: source.clone(),
            signature: session.saved.signature,
            cloud_changes: session.cloud_changes,
        })
    }
}

/// Where the look-up for the current key is.
#[derive(Debug)]
enum Lookup {
    Idle,
    /// Ask at `at` (typing may go on until then).
    Waiting {
        at: Instant,
    },
    Asking {
        seq: u64,
    },
    Known(Found),
}

/// What the region's list said.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    /// The instance already using this name.
    taken_by: Option<String>,
    /// Instances in the region.
    count: usize,
}

/// What the form shows under the name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameHint {
    Taken { id: String, region: String },
    QuotaFull { region: String, count: usize },
    Free { region: String, count: usize },
}

struct NamesRead {
    seq: u64,
    /// `None` when the list could not be read (the hint is then skipped).
    list: Option<crate::api::Listed<InstanceSummary>>,
}

/// The pre-flight feature's state.
pub struct PreflightController {
    key: Option<LookupKey>,
    lookup: Lookup,
    tasks: Tasks<NamesRead>,
}

impl std::fmt::Debug for PreflightController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreflightController")
            .field("key", &self.key)
            .field("lookup", &self.lookup)
            .finish_non_exhaustive()
    }
}

impl PreflightController {
    pub fn new(session: &WindowSession) -> Self {
        Self {
            key: None,
            lookup: Lookup::Idle,
            tasks: Tasks::new(session.runtime.clone(), session.ctx.clone()),
        }
    }

    /// Takes replies, re-derives the key for `name` and asks when the pause is over.
    pub fn logic(&mut self, session: &WindowSession, name: &str) {
        while let Some(NamesRead { seq, list }) = self.tasks.try_recv() {
            if !matches!(self.lookup, Lookup::Asking { seq: s } if s == seq) {
                continue;
            }
            self.lookup = match (list, &self.key) {
                (Some(list), Some(key)) => {
                    let taken_by = list
                        .iter()
                        .find(|i| i.instance_name == key.name)
                        .map(|i| i.instance_id.to_string());
                    // a list that left entries out cannot say a name is free
                    if taken_by.is_none() && !list.is_whole() {
                        Lookup::Idle
                    } else {
                        Lookup::Known(Found {
                            taken_by,
                            count: list.len() + list.left_out,
                        })
                    }
                }
                _ => Lookup::Idle,
            };
        }
        let key = LookupKey::now(session, name);
        if key != self.key {
            self.lookup = if key.is_some() {
                Lookup::Waiting {
                    at: Instant::now() + DEBOUNCE,
                }
            } else {
                Lookup::Idle
            };
            self.key = key;
        }
        let Lookup::Waiting { at } = self.lookup else {
            return;
        };
        let now = Instant::now();
        if at > now {
            // One repaint when the pause is over; nothing in between.
            session.ctx.request_repaint_after(at - now);
            return;
        }
        let Some(Ok(client)) = session.client() else {
            self.lookup = Lookup::Idle;
            return;
        };
        let seq = self.tasks.next_seq();
        self.lookup = Lookup::Asking { seq };
        self.tasks.spawn(
            async move {
                let list = match client.instances_in_service().await {
                    Ok(list) => Some(list),
                    Err(e) => {
                        tracing::debug!("pre-flight skipped: {e}");
                        None
                    }
                };
                NamesRead { seq, list }
            },
            move || NamesRead { seq, list: None },
        );
    }

    /// The hint for the current key, once known.
    pub fn hint(&self) -> Option<NameHint> {
        let (Some(key), Lookup::Known(found)) = (&self.key, &self.lookup) else {
            return None;
        };
        let region = key.region.clone();
        Some(match (&found.taken_by, found.count) {
            (Some(id), _) => NameHint::Taken {
                id: id.clone(),
                region,
            },
            (None, count) if count >= REGION_QUOTA => NameHint::QuotaFull { region, count },
            (None, count) => NameHint::Free { region, count },
        })
    }
}
