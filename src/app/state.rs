//! What is remembered between runs (preferences only: never a secret, never a draft that
//! could be submitted by accident). Runtime state lives in the app and its requests.

use serde::{Deserialize, Serialize};

use crate::signing::v3::SignatureVersion;

use super::i18n::Lang;

/// The key under which [`Saved`] is stored in eframe's storage.
pub const STORAGE_KEY: &str = "onsdesk.preferences";

/// The theme setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// egui's name for it.
    #[must_use]
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Which view the window shows under its top bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    /// The create form, its result and the history.
    #[default]
    Create,
    /// The region's instances: details, rename, delete.
    Instances,
}

/// Preferences saved with eframe's persistence (a plain-text RON file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    /// `None` follows the system locale.
    pub lang: Option<Lang>,
    pub theme: ThemeChoice,
    /// The last region used.
    pub region: Option<String>,
    /// A custom endpoint typed in the settings, and whether it is in use.
    pub custom_endpoint: String,
    pub use_custom_endpoint: bool,
    /// The profile last chosen: its NAME only (the secret stays in the keyring).
    pub profile: Option<String>,
    /// How requests are signed (V1 unless the user chose V3).
    pub signature: SignatureVersion,
    /// The view last shown.
    pub view: View,
}
