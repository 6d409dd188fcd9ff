//! What every API action is to the client and the gate: a name, parameters, a rate limit, and
//! a check of its reply. The actions themselves are in `actions.rs`.

use serde::de::DeserializeOwned;

use super::{ApiError, CallKind};

/// One API action: its name, its parameters, and how its reply is checked.
pub trait Action {
    /// The API's name for it (`OnsInstanceCreate`).
    const NAME: &'static str;
    /// The rate limit it counts against.
    const KIND: CallKind;
    /// The reply's body as sent: nothing in it is believed yet.
    type Raw: DeserializeOwned;
    /// The reply once checked.
    type Output;

    /// The parameters sent, besides the common ones the signer adds.
    fn params(&self) -> Vec<(&'static str, String)>;

    /// Checks the reply: a value of `Output` is the proof that it was checked.
    fn check(&self, raw: Self::Raw) -> Result<Self::Output, ApiError>;
}
