//! The min, median and max of a plain bench binary's runs: the benches that are not
//! criterion's (each run is a whole start or listing, and a handful of them say more than
//! statistics over thousands) share this.

use std::time::Duration;

/// Min, median and max of `times`; zero when there are none.
pub fn spread(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    let min = times.first().copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    (min, median, max)
}

/// The median of `times`; zero when there are none.
pub fn median(times: &[Duration]) -> Duration {
    spread(times.to_vec()).1
}
