//! A small fork-join for the history's load: the calling thread and a few scoped helpers take
//! items one by one, and the results come back in item order as soon as each is ready. Hand
//! made rather than a thread-pool crate because the caller consumes results while later items
//! are still being worked on (the load builds its state while the rest of the file is decoded),
//! and an item a panicking helper left undone is done again on the calling thread.

/// Runs `work` on every item, on `threads` threads: the calling thread (which would only
/// wait otherwise) and scoped helpers, each taking the next item when done with one. Results
/// go to `consume` on the calling thread in item order, each as soon as it and those before
/// it are done. An item left without a result (a helper that panicked) is done again on the
/// calling thread. Stops at the first error.
pub(super) fn on_threads<I: Sync, T: Send>(
    items: &[I],
    threads: usize,
    work: impl Fn(&I) -> std::io::Result<T> + Sync,
    mut consume: impl FnMut(T),
) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

    struct Shared<T> {
        results: Vec<Option<std::io::Result<T>>>,
        helpers_running: usize,
    }
    /// Counts a helper out when it ends, even by panicking, and wakes the caller.
    struct Leaving<'a, T> {
        shared: &'a Mutex<Shared<T>>,
        changed: &'a Condvar,
    }
    impl<T> Drop for Leaving<'_, T> {
        fn drop(&mut self) {
            let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
            shared.helpers_running -= 1;
            self.changed.notify_all();
        }
    }
    fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        m.lock().unwrap_or_else(PoisonError::into_inner)
    }

    let next = AtomicUsize::new(0);
    let shared = Mutex::new(Shared {
        results: items.iter().map(|_| None).collect(),
        helpers_running: 0,
    });
    let changed = Condvar::new();
    let take_and_run = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = work(item);
            if let Some(slot) = lock(&shared).results.get_mut(i) {
                *slot = Some(result);
            }
            changed.notify_all();
        }
    };
    std::thread::scope(|scope| {
        let mut helpers = Vec::new();
        for _ in 1..threads.min(items.len()) {
            lock(&shared).helpers_running += 1;
            let spawned = std::thread::Builder::new()
                .name("onsdesk-history-load".to_owned())
                .spawn_scoped(scope, || {
                    let _leaving = Leaving {
                        shared: &shared,
                        changed: &changed,
                    };
                    take_and_run();
                });
            match spawned {
                Ok(helper) => helpers.push(helper),
                // Not needed: the others take its items.
                Err(_) => lock(&shared).helpers_running -= 1,
            }
        }
        take_and_run();
        let mut consume_in_order = || {
            for (i, item) in items.iter().enumerate() {
                let mut guard = lock(&shared);
                let result = loop {
                    if let Some(result) = guard.results.get_mut(i).and_then(Option::take) {
                        break Some(result);
                    }
                    if guard.helpers_running == 0 {
                        break None;
                    }
                    guard = changed.wait(guard).unwrap_or_else(PoisonError::into_inner);
                };
                drop(guard);
                consume(result.unwrap_or_else(|| work(item))?);
            }
            Ok(())
        };
        let outcome = consume_in_order();
        // Joined here so that a helper's panic stays with it (its items were redone).
        for helper in helpers {
            let _ = helper.join();
        }
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_and_the_first_error_stops() {
        let items: Vec<u64> = (0..50).collect();
        let mut seen = Vec::new();
        on_threads(&items, 4, |&i| Ok(i * 2), |r| seen.push(r)).unwrap();
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());

        let mut seen = Vec::new();
        let failed = on_threads(
            &items,
            3,
            |&i| {
                if i == 7 {
                    Err(std::io::Error::other("item 7"))
                } else {
                    Ok(i)
                }
            },
            |r| seen.push(r),
        );
        assert_eq!(failed.unwrap_err().to_string(), "item 7");
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }
}
