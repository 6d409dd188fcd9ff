//! The intents that cross features: what one feature asks [`super::OnsApp`] to do for another.
//! Below every feature, so each can name them without reaching up to the window.

use super::creds::Selection;
use super::i18n::Lang;
use super::state::ThemeChoice;

/// An intent that crosses features, applied once per frame by [`OnsApp`]. What stays inside
/// one feature (Create, Cancel, Check again, a profile operation) is that feature's own
/// business and never comes through here.
#[derive(Debug)]
pub enum AppCommand {
    SetLang(Lang),
    SetTheme(ThemeChoice),
    StartSandbox,
    /// Put this text on the clipboard (and show "Copied" next to it).
    Copy(String),
    /// Use these credentials from now on.
    Select(Selection),
    OpenProfiles,
    DismissKeyringNotice,
    /// Show this instance in the Instances view, ready for `task` (the create card's next
    /// steps).
    OpenInstance {
        id: crate::ids::InstanceId,
        task: InstanceTask,
    },
}

/// What another feature can open an instance's details for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceTask {
    /// Its topics, the cursor in Topic name.
    AddTopic,
    /// Its groups, the cursor in Group ID.
    AddGroup,
    /// Its client config.
    Connect,
}
