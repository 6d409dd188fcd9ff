//! Pre-flight: shortly after the user stops typing a valid name, one
//! `OnsInstanceInServiceList` call says whether the name is already taken in the region and
//! whether the region is at its instance quota. A hint only: it never blocks Create, and it is
//! silently skipped without credentials or network.

use std::time::{Duration, Instant};

use crate::api::{ApiError, InstanceSummary};
use crate::validation::validate_instance_name;

/// How long typing must pause before the call.
pub const DEBOUNCE: Duration = Duration::from_millis(500);
/// Instances a region allows per account (ons-api.md: OnsInstanceCreate).
pub const REGION_QUOTA: usize = 8;

/// The pre-flight request, one enum (see STYLE.md).
#[derive(Debug)]
pub enum Preflight {
    Idle,
    /// Typing happened; ask at `at` if the name is still this one.
    Due {
        name: String,
        at: Instant,
    },
    Pending {
        seq: u64,
        name: String,
        region: String,
    },
    Done {
        name: String,
        region: String,
        found: Found,
    },
}

/// What the region's list said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The instance already using this name.
    pub taken_by: Option<String>,
    /// Instances in the region.
    pub count: usize,
}

/// What the form shows under the name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    Taken { id: String, region: String },
    QuotaFull { region: String, count: usize },
    Free { region: String, count: usize },
}

impl Preflight {
    /// The name changed (or the region, or the credentials): ask again after the pause. One
    /// delayed repaint wakes the loop then; nothing repaints in between.
    pub fn touch(&mut self, name: &str) {
        if validate_instance_name(name).is_err() {
            *self = Self::Idle;
            return;
        }
        *self = Self::Due {
            name: name.to_owned(),
            at: Instant::now() + DEBOUNCE,
        };
    }

    /// The name to look up now, if the pause is over and the name is unchanged.
    pub fn due(&self, current: &str, _region: &str) -> Option<String> {
        match self {
            Self::Due { name, at } if name == current && Instant::now() >= *at => {
                Some(name.clone())
            }
            _ => None,
        }
    }

    /// When the next look is due (the app asks egui for one repaint then).
    pub fn due_at(&self) -> Option<Instant> {
        match self {
            Self::Due { at, .. } => Some(*at),
            _ => None,
        }
    }

    pub fn start(&mut self, seq: u64, name: String, region: String) {
        *self = Self::Pending { seq, name, region };
    }

    /// Takes a reply; a failure just drops the hint.
    pub fn finish(&mut self, reply: u64, result: Result<Vec<InstanceSummary>, ApiError>) {
        let Self::Pending { seq, name, region } = self else {
            return;
        };
        if *seq != reply {
            return;
        }
        *self = match result {
            Ok(list) => Self::Done {
                found: Found {
                    taken_by: list
                        .iter()
                        .find(|i| i.instance_name == *name)
                        .map(|i| i.instance_id.clone()),
                    count: list.len(),
                },
                name: std::mem::take(name),
                region: std::mem::take(region),
            },
            Err(e) => {
                tracing::debug!("pre-flight skipped: {e}");
                Self::Idle
            }
        };
    }

    /// The hint for this name in this region, if the last look was about them.
    pub fn hint(&self, current: &str, current_region: &str) -> Option<Hint> {
        let Self::Done {
            name,
            region,
            found,
        } = self
        else {
            return None;
        };
        if name != current || region != current_region {
            return None;
        }
        let region = region.clone();
        Some(match (&found.taken_by, found.count) {
            (Some(id), _) => Hint::Taken {
                id: id.clone(),
                region,
            },
            (None, count) if count >= REGION_QUOTA => Hint::QuotaFull { region, count },
            (None, count) => Hint::Free { region, count },
        })
    }
}
