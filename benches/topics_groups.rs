//! The topics and groups of 20 instances in one region, against the sandbox with 100 ms added
//! to every reply. Target: at most twice the time the API's rate limit itself imposes — 40
//! lists at 10 topic and group calls a second need four one-second windows, so the last may
//! start after 3 s, plus one reply: a floor of 3.1 s
//! ([`topics_groups::list_many_floor`]), a target of 6.2 s.
//!
//! Two measurements:
//! - `library`: [`topics_groups::list_many`], what the window's view of a region and
//!   `instances list` use: all 40 lists at once, paced by the shared rate limit;
//! - `cli`: `onsdesk topics list` then `onsdesk groups list` for each instance, one process
//!   after another, as a script would run them (start-up, credentials, a signed call and the
//!   output, 40 times).
//!
//! A bench binary (no criterion): each run takes seconds of mostly waiting, so ten runs and
//! their min/median/max say more than statistics over thousands. Run with
//! `cargo bench --bench topics_groups`.

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
#![expect(
    clippy::disallowed_methods,
    reason = "a bench binary: its main thread owns the runtime and waits on purpose"
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use onsdesk::api::{Client, HttpOptions, Target, Transport};
use onsdesk::ids::InstanceId;
use onsdesk::pacing::{Policy, RESOURCE_CALLS_PER_SECOND};
use onsdesk::region::Endpoint;
use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig, SeedInstance};
use onsdesk::topics_groups;

#[path = "support/stats.rs"]
#[allow(dead_code, reason = "this bench uses the spread, not the median alone")]
mod stats;

const INSTANCES: usize = 20;
const REPLY_DELAY: Duration = Duration::from_millis(100);
const RUNS: usize = 10;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, times: Vec<Duration>, floor: Duration) {
    let (min, median, max) = stats::spread(times);
    let target = floor * 2;
    println!(
        "{what}: min {} median {} max {} | rate-limit floor {} target {} → {}",
        ms(min),
        ms(median),
        ms(max),
        ms(floor),
        ms(target),
        if max <= target {
            "within target"
        } else {
            "OVER TARGET"
        }
    );
}

/// Runs `onsdesk FAMILY list ID --json`; true when it listed one entry.
fn cli_list(url: &str, data: &Path, family: &str, id: &str) -> bool {
    let Ok(out) = Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args([family, "list", id, "--endpoint", url, "--json"])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        )
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("ONSDESK_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .output()
    else {
        return false;
    };
    let listed: Option<serde_json::Value> = serde_json::from_slice(&out.stdout).ok();
    let ok =
        out.status.success() && listed.as_ref().and_then(|v| v.as_array()).map(Vec::len) == Some(1);
    if !ok {
        eprintln!(
            "unexpected result: {:?} {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    ok
}

fn run_cli(url: &str, data: &Path, ids: &[InstanceId]) -> Option<Duration> {
    let started = Instant::now();
    for id in ids {
        for family in ["topics", "groups"] {
            if !cli_list(url, data, family, id) {
                return None;
            }
        }
    }
    Some(started.elapsed())
}

fn main() {
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-sandbox")
        .enable_all()
        .build()
    else {
        return;
    };
    let config = SandboxConfig {
        faults: Faults {
            reply_delay: REPLY_DELAY,
            ..Faults::default()
        },
        seed: (0..INSTANCES)
            .filter_map(|i| {
                SeedInstance::parse(&format!(
                    "fleet-{i:02}:orders-{i}:GID_orders-{i}:cn-hangzhou"
                ))
                .ok()
            })
            .collect(),
        ..SandboxConfig::default()
    };
    let Ok(sb) = rt.block_on(Sandbox::start(config)) else {
        eprintln!("the sandbox did not start");
        return;
    };
    let url = sb.url();
    let ids: Vec<InstanceId> = sb
        .instances()
        .iter()
        .filter_map(|i| InstanceId::parse(&i.id).ok())
        .collect();
    let (Ok(endpoint), Ok(region), Ok(data)) = (
        Endpoint::parse(&url),
        onsdesk::region::RegionId::known("cn-hangzhou"),
        tempfile::tempdir(),
    ) else {
        return;
    };
    let client = Client::new(
        Transport::new(HttpOptions::default()),
        Target { endpoint, region },
        sandbox::demo_credentials(),
    );
    let floor = topics_groups::list_many_floor(ids.len(), RESOURCE_CALLS_PER_SECOND, REPLY_DELAY);
    println!(
        "{} instances in one region, {} ms added to every reply, {} topic and group calls a second",
        ids.len(),
        REPLY_DELAY.as_millis(),
        RESOURCE_CALLS_PER_SECOND
    );

    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let held = rt.block_on(topics_groups::list_many(
            &client,
            ids.clone(),
            Policy::default(),
            |_, _| {},
        ));
        times.push(started.elapsed());
        let whole = held.iter().all(|h| {
            h.topics.as_ref().is_ok_and(|t| t.len() == 1)
                && h.groups.as_ref().is_ok_and(|g| g.len() == 1)
        });
        if !whole {
            eprintln!("an instance was not listed whole");
        }
        // Let the one-second window empty so runs do not queue behind each other.
        std::thread::sleep(Duration::from_millis(1_100));
    }
    report(
        &format!("library list_many, {} lists ({RUNS} runs)", ids.len() * 2),
        times,
        floor,
    );

    // One warm-up run (the binary's first start reads it from disk).
    let _ = run_cli(&url, data.path(), &ids[..1]);
    let times: Vec<Duration> = (0..RUNS)
        .filter_map(|_| run_cli(&url, data.path(), &ids))
        .collect();
    report(
        &format!(
            "cli topics list + groups list, {} processes in turn ({} runs)",
            ids.len() * 2,
            times.len()
        ),
        times,
        floor,
    );
}
