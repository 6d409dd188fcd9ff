//! `onsdesk instances list --all-regions` against the sandbox with 100 ms added to every reply.
//! Target: it finishes in at most twice the time the API's rate limit itself
//! imposes — the earliest moment the last region's call may start under the limit, plus one
//! reply ([`instances::rate_limit_floor`]). At 50 list calls per second and 27 regions every
//! call may start at once, so the floor is one reply: 100 ms, and the target 200 ms.
//!
//! Two measurements:
//! - `cli`: the whole command as a user runs it, a fresh process each time (start-up,
//!   credentials, the history lookup for `InHistory`, 27 concurrent signed calls, JSON out);
//! - `library`: [`instances::list_regions`] alone, at 50/s and at 10/s (where the limit binds:
//!   27 calls need three one-second windows, floor 2.1 s), to show the pacing adds little.
//!
//! A bench binary (no criterion): each run takes 0.1-2 s of mostly waiting, so a handful of
//! runs and their min/median/max say more than statistics over thousands. Run with
//! `cargo bench --bench instances`.

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
use onsdesk::instances;
use onsdesk::pacing::Policy;
use onsdesk::region::{Endpoint, REGIONS};
use onsdesk::sandbox::{self, Faults, Sandbox, SandboxConfig, SeedInstance};

#[path = "support/stats.rs"]
#[allow(dead_code, reason = "this bench uses the spread, not the median alone")]
mod stats;

const REPLY_DELAY: Duration = Duration::from_millis(100);
const CLI_RUNS: usize = 10;
const LIBRARY_RUNS: usize = 5;

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
        if median <= target {
            "within target"
        } else {
            "OVER TARGET"
        }
    );
}

fn run_cli(url: &str, data: &Path) -> Option<Duration> {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_onsdesk"))
        .args([
            "instances",
            "list",
            "--all-regions",
            "--endpoint",
            url,
            "--json",
        ])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", sandbox::DEMO_ACCESS_KEY_ID)
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            sandbox::DEMO_ACCESS_KEY_SECRET,
        )
        .env_remove("ALIBABA_CLOUD_SECURITY_TOKEN")
        .env("ONSDESK_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .output()
        .ok()?;
    let took = started.elapsed();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    if !out.status.success() || listed.as_array().map(Vec::len) != Some(3) {
        eprintln!(
            "unexpected result: {:?} {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(took)
}

fn clients(url: &str) -> Option<Vec<Client>> {
    let transport = Transport::new(HttpOptions::default());
    REGIONS
        .iter()
        .map(|r| {
            Some(Client::new(
                transport.clone(),
                Target {
                    endpoint: Endpoint::parse(url).ok()?,
                    region: onsdesk::region::RegionId::known(r.id).ok()?,
                },
                sandbox::demo_credentials(),
            ))
        })
        .collect()
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
    let seed = |spec: &str| SeedInstance::parse(spec).ok();
    let config = SandboxConfig {
        faults: Faults {
            reply_delay: REPLY_DELAY,
            ..Faults::default()
        },
        seed: [
            "orders-prod:3:2:cn-hangzhou",
            "billing:0:1:cn-beijing",
            "sg-edge:0:0:ap-southeast-1",
        ]
        .into_iter()
        .filter_map(seed)
        .collect(),
        ..SandboxConfig::default()
    };
    let Ok(sb) = rt.block_on(Sandbox::start(config)) else {
        eprintln!("the sandbox did not start");
        return;
    };
    let url = sb.url();
    let Ok(data) = tempfile::tempdir() else {
        return;
    };
    println!(
        "{} regions, {} ms added to every reply",
        REGIONS.len(),
        REPLY_DELAY.as_millis()
    );

    // One warm-up run (the binary's first start reads it from disk).
    let _ = run_cli(&url, data.path());
    let times: Vec<Duration> = (0..CLI_RUNS)
        .filter_map(|_| run_cli(&url, data.path()))
        .collect();
    let floor = instances::rate_limit_floor(REGIONS.len(), 50, REPLY_DELAY);
    report(
        &format!("cli instances list --all-regions ({} runs)", times.len()),
        times,
        floor,
    );

    for per_second in [50, 10] {
        let mut times = Vec::new();
        for _ in 0..LIBRARY_RUNS {
            let Some(clients) = clients(&url) else {
                return;
            };
            let started = Instant::now();
            let policy = Policy {
                reads_per_second: per_second,
                ..Policy::default()
            };
            let listings = rt.block_on(instances::list_regions(clients, policy, |_, _| {}));
            times.push(started.elapsed());
            if listings.iter().any(|l| l.result.is_err()) {
                eprintln!("a region failed");
            }
            // Let the one-second window empty so runs do not queue behind each other.
            std::thread::sleep(Duration::from_millis(1100));
        }
        report(
            &format!("library list_regions at {per_second}/s ({LIBRARY_RUNS} runs)"),
            times,
            instances::rate_limit_floor(REGIONS.len(), per_second, REPLY_DELAY),
        );
    }
}
