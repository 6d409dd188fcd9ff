//! The one rule for a test that needs what a machine may lack (a Secret Service, an X server):
//! it says why and passes, except where `ONSDESK_NO_SKIP=1`, which CI sets: there it fails.

/// Set to `1` (CI sets it), a test that cannot run here fails instead of skipping.
pub const NO_SKIP_ENV: &str = "ONSDESK_NO_SKIP";

/// Skips the calling test, saying `why` on stderr; fails it instead when `ONSDESK_NO_SKIP=1`.
/// The caller returns right after.
#[track_caller]
pub fn skip(what: &str, why: &str) {
    assert!(
        std::env::var(NO_SKIP_ENV).as_deref() != Ok("1"),
        "{what} cannot run: {why} ({NO_SKIP_ENV}=1: no test may skip)"
    );
    eprintln!("SKIPPED {what}: {why}");
}
