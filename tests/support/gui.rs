//! Shared set-up for the kittest GUI tests: a runtime, the real app in a harness, and a
//! bounded step loop for waiting on real HTTP to the loopback sandbox.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed set-up should fail the test loudly"
)]

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use onsdesk::api::{Client, CreatedInstance, HttpOptions, Target, Transport};
use onsdesk::app::{AppOptions, HistoryLocation, Lang, OnsApp, Setup, StartCredentials};
use onsdesk::credentials::Credentials;
use onsdesk::profiles::ProfileStore;
use onsdesk::region::Endpoint;
use onsdesk::sandbox::{Faults, Sandbox, SandboxConfig, SeedInstance, demo_credentials};

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("test-worker")
        .enable_all()
        .build()
        .unwrap()
}

/// A sandbox started by the test itself (the test thread is not a UI thread).
pub fn start_sandbox(rt: &tokio::runtime::Runtime) -> Sandbox {
    #[expect(clippy::disallowed_methods, reason = "test set-up on the test thread")]
    rt.block_on(Sandbox::start(SandboxConfig::default()))
        .unwrap()
}

/// Creates `name` in `sandbox` (cn-hangzhou) with the demo key, behind the window's back: an
/// instance made elsewhere, or one whose reply the window never saw.
pub fn create_behind_the_window(
    rt: &tokio::runtime::Runtime,
    sandbox: &Sandbox,
    name: &str,
) -> CreatedInstance {
    let client = Client::new(
        Transport::new(HttpOptions::default()),
        Target {
            endpoint: Endpoint::parse(&sandbox.url()).unwrap(),
            region: onsdesk::region::RegionId::shaped("cn-hangzhou").unwrap(),
        },
        demo_credentials(),
    );
    #[expect(clippy::disallowed_methods, reason = "test set-up on the test thread")]
    rt.block_on(client.create_instance(name, None)).unwrap()
}

/// How a test starts the real app: in English, without saved settings, and with no endpoint,
/// no history and no profiles unless asked for.
///
/// ```ignore
/// let h = TestApp::new(StartCredentials::None).demo().history(location).start(&rt);
/// ```
#[must_use]
pub struct TestApp {
    credentials: StartCredentials,
    endpoint: Option<String>,
    demo: bool,
    history: HistoryLocation,
    profiles: Option<ProfileStore>,
    profile: Option<String>,
}

impl TestApp {
    pub fn new(credentials: StartCredentials) -> Self {
        Self {
            credentials,
            endpoint: None,
            demo: false,
            history: HistoryLocation::Off,
            profiles: None,
            profile: None,
        }
    }

    /// A custom endpoint, as `--endpoint URL` gives.
    pub fn endpoint(mut self, url: &str) -> Self {
        self.endpoint = Some(url.to_owned());
        self
    }

    /// Started as `onsdesk --demo`: the sandbox starts with the window.
    pub fn demo(mut self) -> Self {
        self.demo = true;
        self
    }

    /// Where the history is kept (a temporary folder per test, so tests run in parallel
    /// without touching the user's data).
    pub fn history(mut self, history: HistoryLocation) -> Self {
        self.history = history;
        self
    }

    /// A profile store (the in-memory keyring in tests).
    pub fn profiles(mut self, store: ProfileStore) -> Self {
        self.profiles = Some(store);
        self
    }

    /// The profile selected at start, as if remembered from the last run.
    pub fn remembered_profile(mut self, name: &str) -> Self {
        self.profile = Some(name.to_owned());
        self
    }

    /// The app in a 960×640 harness, after its first frame.
    pub fn start(self, rt: &tokio::runtime::Runtime) -> Harness<'static, OnsApp> {
        let handle = rt.handle().clone();
        let setup = Setup {
            options: AppOptions {
                demo: self.demo,
                endpoint: self.endpoint.map(|e| Endpoint::parse(&e).unwrap()),
                region: None,
            },
            credentials: self.credentials,
            lang: Some(Lang::En),
            use_storage: false,
            history: self.history,
            profiles: self.profiles,
            profile: self.profile,
        };
        let mut harness = Harness::builder()
            .with_size(egui::vec2(960.0, 640.0))
            .build_eframe(move |cc| OnsApp::with_setup(cc, handle, setup));
        harness.step();
        harness
    }
}

/// An app talking to `url` (a test's stub) with a key of its own, not the sandbox's demo key,
/// and a secret long enough that the reply redactor leaves replies alone.
pub fn app_at(rt: &tokio::runtime::Runtime, url: &str) -> Harness<'static, OnsApp> {
    let credentials =
        Credentials::new("onsdesk-test-key-id", "p4ssw0rd-that-is-long-enough".into());
    TestApp::new(StartCredentials::Given(credentials))
        .endpoint(url)
        .start(rt)
}

/// Turns the mouse wheel by `points` at `at`, then lets the scroll settle.
#[allow(
    dead_code,
    reason = "the benches scroll with it; the tests include this file too"
)]
pub fn wheel(harness: &mut Harness<'static, OnsApp>, at: egui::Pos2, points: f32) {
    harness.event(egui::Event::PointerMoved(at));
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -points),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    for _ in 0..120 {
        harness.step();
    }
}

/// An app talking to `sandbox` with the demo key.
pub fn app_on(rt: &tokio::runtime::Runtime, sandbox: &Sandbox) -> Harness<'static, OnsApp> {
    TestApp::new(StartCredentials::Given(demo_credentials()))
        .endpoint(&sandbox.url())
        .start(rt)
}

/// An app talking to `sandbox` with the demo key, keeping its history in `dir`.
pub fn app_on_with_history(
    rt: &tokio::runtime::Runtime,
    sandbox: &Sandbox,
    dir: &std::path::Path,
) -> Harness<'static, OnsApp> {
    TestApp::new(StartCredentials::Given(demo_credentials()))
        .endpoint(&sandbox.url())
        .history(HistoryLocation::Dir(dir.to_path_buf()))
        .start(rt)
}

/// A window on `sandbox` that presses Enter on the name "orders-prod", held in cn-hangzhou by
/// a colleague's instance (seeded: made a month before), with the create answered `503`
/// (nothing done), as a reply that may or may not have arrived: the look after it finds the
/// name taken. Returns the window as Enter left it, and the colleague's InstanceId.
pub fn press_create_on_a_taken_name_answered_503(
    rt: &tokio::runtime::Runtime,
    sandbox: &Sandbox,
) -> (Harness<'static, OnsApp>, String) {
    let theirs = sandbox.seed_instance(&SeedInstance::new("orders-prod", "cn-hangzhou"));
    let mut h = app_on(rt, sandbox);
    type_into(&mut h, "Instance name", "orders-prod");
    step_until(&mut h, "the pre-flight hint", |h| {
        has_label_containing(h, "An instance with this name already exists")
    });
    // the next request, the create, is answered 503 (nothing done)
    sandbox.set_faults(Faults {
        unavailable_first: 1,
        ..Faults::default()
    });
    h.key_press(egui::Key::Enter);
    (h, theirs)
}

/// An app with credentials but no reachable endpoint (nothing is sent in form tests).
pub fn offline_app(rt: &tokio::runtime::Runtime) -> Harness<'static, OnsApp> {
    TestApp::new(StartCredentials::Given(Credentials::new(
        "test-id",
        "test-secret".into(),
    )))
    .endpoint("http://127.0.0.1:9/")
    .start(rt)
}

/// Steps the harness until `done` holds, for at most 15 s of real time (replies come from
/// real HTTP on other threads, so simulated time does not help).
#[track_caller]
pub fn step_until(
    harness: &mut Harness<'static, OnsApp>,
    what: &str,
    done: impl Fn(&Harness<'static, OnsApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        harness.step();
        if done(harness) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        #[expect(
            clippy::disallowed_methods,
            reason = "the test thread waits for real HTTP"
        )]
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn has_label(harness: &Harness<'static, OnsApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

pub fn has_label_containing(harness: &Harness<'static, OnsApp>, part: &str) -> bool {
    harness.query_all_by_label_contains(part).next().is_some()
}

/// Whether the node with exactly this label is enabled.
pub fn is_enabled(harness: &Harness<'static, OnsApp>, label: &str) -> bool {
    !harness.get_by_label(label).accesskit_node().is_disabled()
}

/// The `InstanceId` shown large on the success card (the history line adds a suffix).
pub fn shown_instance_id(harness: &Harness<'static, OnsApp>) -> Option<String> {
    harness
        .query_all_by_label_contains("MQ_INST_")
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .find(|l| !l.contains(' '))
}

/// Every text the last frame put on the clipboard.
pub fn copied_texts(harness: &Harness<'static, OnsApp>) -> Vec<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// Types `text` into the field labelled `label` (focusing it first).
pub fn type_into(harness: &mut Harness<'static, OnsApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.step();
    harness.get_by_label(label).type_text(text);
    harness.step();
    harness.step();
}

/// What the top bar's profile selector shows.
pub fn selected_profile(harness: &Harness<'static, OnsApp>) -> Option<String> {
    combo_value(harness, "Profile")
}

/// What the combo box labelled `label` shows.
pub fn combo_value(harness: &Harness<'static, OnsApp>, label: &str) -> Option<String> {
    let node = harness.get_by_label(label);
    let node = node.accesskit_node();
    node.value().or_else(|| {
        node.children()
            .find_map(|c| c.label().or_else(|| c.value()))
    })
}

/// Whether any node in the accessibility tree (label or value) contains `needle`: what a
/// screen reader, and so a user, could get at.
pub fn tree_contains(harness: &Harness<'static, OnsApp>, needle: &str) -> bool {
    harness
        .query_all(
            egui_kittest::kittest::by()
                .include_labels()
                .predicate(move |n| {
                    n.label().is_some_and(|l| l.contains(needle))
                        || n.value().is_some_and(|v| v.contains(needle))
                }),
        )
        .next()
        .is_some()
}

/// A profile store on the in-memory keyring (keyring-core's mock) and a temporary data dir.
/// Returns the mock store too, so a test can make the keyring fail.
pub fn memory_profiles(
    dir: &std::path::Path,
) -> (ProfileStore, std::sync::Arc<keyring_core::mock::Store>) {
    let mock = keyring_core::mock::Store::new().unwrap();
    let secrets =
        onsdesk::profiles::SecretStore::from_store(mock.clone(), "Secret Service keyring");
    (ProfileStore::new(dir, secrets), mock)
}

/// Every label and value in the tree (for a failing test's message).
pub fn dump(harness: &Harness<'static, OnsApp>) -> String {
    harness
        .query_all(
            egui_kittest::kittest::by()
                .include_labels()
                .predicate(|_| true),
        )
        .filter_map(|n| {
            let n = n.accesskit_node();
            let l = n.label().unwrap_or_default();
            let v = n.value().unwrap_or_default();
            (!l.is_empty() || !v.is_empty()).then(|| format!("[{l}|{v}]"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Activates the control labelled `label` the way assistive technology does (an accesskit
/// click: works wherever the control is scrolled to).
pub fn click(harness: &mut Harness<'static, OnsApp>, label: &str) {
    harness.get_by_label(label).click_accesskit();
    // One step: the clipboard and other output of the click's frame stay readable.
    harness.step();
}

/// A text the last frame drew: what is shown of it (a cut text ends in its "…"), and the
/// colour of its first part.
#[derive(Debug)]
pub struct Painted {
    pub shown: String,
    /// Its lines as laid out (wrapped).
    pub rows: Vec<String>,
    pub color: egui::Color32,
}

/// Every text the last frame drew (what a sighted user reads, where the accessibility tree
/// gives the whole text).
pub fn painted_texts(harness: &Harness<'static, OnsApp>) -> Vec<Painted> {
    fn walk(shape: &egui::Shape, out: &mut Vec<Painted>) {
        match shape {
            egui::Shape::Vec(shapes) => {
                for s in shapes {
                    walk(s, out);
                }
            }
            egui::Shape::Text(text) => {
                let rows: Vec<String> = text
                    .galley
                    .rows
                    .iter()
                    .map(|row| row.row.glyphs.iter().map(|g| g.chr).collect())
                    .collect();
                let shown = rows.concat();
                let color = text.override_text_color.unwrap_or_else(|| {
                    text.galley
                        .job
                        .sections
                        .first()
                        .map_or(text.fallback_color, |s| s.format.color)
                });
                out.push(Painted { shown, rows, color });
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

/// The control that has the keyboard focus: its name, and what a screen reader reads after
/// it (its description).
pub fn focused(harness: &Harness<'static, OnsApp>) -> Option<(String, Option<String>)> {
    harness
        .query_all(egui_kittest::kittest::by())
        .find(|n| n.accesskit_node().is_focused())
        .map(|n| {
            let node = n.accesskit_node();
            (node.label().unwrap_or_default(), node.description())
        })
}

/// The name of the control that has the keyboard focus.
pub fn focused_label(harness: &Harness<'static, OnsApp>) -> Option<String> {
    focused(harness).map(|(label, _)| label)
}

/// What a screen reader reads after the focused control's name.
pub fn focused_description(harness: &Harness<'static, OnsApp>) -> Option<String> {
    focused(harness).and_then(|(_, description)| description)
}
