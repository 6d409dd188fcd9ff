//! onsdesk: create ApsaraMQ for RocketMQ (ONS) instances on Alibaba Cloud.
//!
//! The core (validation, signing, the API client, credentials, the history, the sandbox) knows nothing of
//! the GUI; [`cli`] and [`app`] are two thin front ends over it.

pub mod api;
pub mod app;
pub mod cli;
pub mod clock;
pub mod connect;
pub mod create;
pub mod credentials;
pub mod doctor;
pub mod files;
pub mod history;
pub mod ids;
pub mod instances;
pub mod locale;
pub mod operation;
pub mod pacing;
pub mod paths;
pub mod percent;
pub mod profiles;
pub mod region;
pub mod resources;
pub mod sandbox;
pub mod signing;
pub mod snippets;
pub mod text;
pub mod topics_groups;
pub mod validation;
