//! What the window starts from outside itself: the command line's options and where its
//! credentials come from.

use crate::credentials::Credentials;
use crate::region::Endpoint;

/// What the command line says about the window.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Start the in-process sandbox and use it (`--demo`).
    pub demo: bool,
    /// A custom endpoint (`--endpoint`).
    pub endpoint: Option<Endpoint>,
    /// The region (`--region`).
    pub region: Option<String>,
}

/// Where the window's credentials come from at start.
#[derive(Clone, Debug)]
pub enum StartCredentials {
    /// `ALIBABA_CLOUD_*` environment variables (what `onsdesk` does).
    FromEnvironment,
    /// These, labelled as coming from the environment (tests).
    Given(Credentials),
    /// None: the first-run card shows.
    None,
}
