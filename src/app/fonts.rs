//! The window's fonts: the embedded CJK subset, so Chinese renders without any system font
//! (and in kittest), and, found in the background, an installed font for the rare characters
//! the subset lacks (CJK Extension B and later, e.g. 𠀀 U+20000, 𪚥 U+2A6A5).

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Noto Sans CJK SC, subset to GB2312 (SIL OFL 1.1; see `assets/OFL-NotoSansCJK.txt`).
const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/noto-sans-sc-gb2312.otf");

/// Rare ideographs that valid names may hold and the subset lacks: Extension B (U+20000…
/// U+2A6DF), the block most "rare character" fonts cover, from its start to its end.
pub const RARE_PROBES: [char; 6] = [
    '\u{20000}', // 𠀀
    '\u{20BB7}', // 𠮷
    '\u{2123D}', // 𡈽
    '\u{24B62}', // 𤭢
    '\u{29E3D}', // 𩸽
    '\u{2A6A5}', // 𪚥
];

/// Families known to cover Extension B, tried before the rest of the system's fonts: the
/// Extension B companions (HanaMin B, SimSun-ExtB, MingLiU-ExtB), then full CJK families
/// (Linux, Windows, macOS) that cover part of it, in that order.
const KNOWN_FAMILIES: &[&str] = &[
    "HanaMinB",
    "SimSun-ExtB",
    "MingLiU-ExtB",
    "PMingLiU-ExtB",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "Noto Sans CJK TC",
    "Noto Serif CJK TC",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Songti SC",
    "STSong",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimSun",
];

/// Adds the CJK font as the last fallback of both families: Latin text keeps egui's own
/// fonts, and every hanzi the subset has is drawn from it.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(insert("noto-sans-sc", FontData::from_static(NOTO_SANS_SC)));
}

fn insert(name: &str, data: FontData) -> FontInsert {
    FontInsert::new(
        name,
        data,
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    )
}

/// How many of [`RARE_PROBES`] the face `index` of `font` has an outline for.
pub fn rare_coverage(font: &[u8], index: u32) -> usize {
    use skrifa::MetadataProvider as _;
    let Ok(face) = skrifa::FontRef::from_index(font, index) else {
        return 0;
    };
    let charmap = face.charmap();
    let outlines = face.outline_glyphs();
    RARE_PROBES
        .iter()
        .filter(|&&c| {
            charmap
                .map(c)
                .is_some_and(|g| g != skrifa::GlyphId::NOTDEF && outlines.get(g).is_some())
        })
        .count()
}

/// An installed font chosen for the rare characters.
pub struct Found {
    /// Its family name, as the system knows it.
    pub family: String,
    /// The font file's bytes (memory-mapped where the system allows).
    pub data: FontData,
    /// How many of [`RARE_PROBES`] it has.
    pub coverage: usize,
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Found")
            .field("family", &self.family)
            .field("index", &self.data.index)
            .field("coverage", &self.coverage)
            .finish_non_exhaustive()
    }
}

/// The font of `collection` with the most of [`RARE_PROBES`]: the [`KNOWN_FAMILIES`] first,
/// then every other family; stops at the first that has them all. `None` when no font has any.
pub fn find_rare_font(
    collection: &mut fontique::Collection,
    cache: &mut fontique::SourceCache,
) -> Option<Found> {
    let others: Vec<String> = collection
        .family_names()
        .filter(|name| !KNOWN_FAMILIES.contains(name))
        .map(str::to_owned)
        .collect();
    let names = KNOWN_FAMILIES.iter().map(|&n| n.to_owned()).chain(others);
    let mut best: Option<Found> = None;
    for name in names {
        let Some(family) = collection.family_by_name(&name) else {
            continue;
        };
        for font in family.fonts() {
            let Some(blob) = font.load(Some(cache)) else {
                continue;
            };
            let coverage = rare_coverage(blob.as_ref(), font.index());
            if coverage > best.as_ref().map_or(0, |b| b.coverage) {
                let (bytes, _) = blob.into_raw_parts();
                best = Some(Found {
                    family: family.name().to_owned(),
                    data: FontData::from_blob(bytes, font.index()),
                    coverage,
                });
                if coverage == RARE_PROBES.len() {
                    return best;
                }
            }
        }
    }
    best
}

/// The widest font atlas the window makes. egui makes its glyph atlas as wide as the largest
/// texture the GPU takes (16 384 pixels with Mesa), 32 pixels high to start, and it grows in
/// height as glyphs come. Its first frame rasterises a few hundred glyphs: one 4 096-pixel row
/// holds them, and the atlas that is filled, copied into the frame's texture update and
/// uploaded is a quarter of the size (0.5 instead of 2 MB). Grown to its most, 4 096 pixels
/// square, it holds some 50 000 hanzi at 14 points before egui clears it and starts again.
pub const ATLAS_WIDTH: usize = 4096;

/// Keeps the atlas at most [`ATLAS_WIDTH`] wide: for eframe's `raw_input_hook`, before each
/// pass. The window shows no image anywhere near that size.
pub fn narrow_atlas(raw_input: &mut egui::RawInput) {
    raw_input.max_texture_side = raw_input.max_texture_side.map(|side| side.min(ATLAS_WIDTH));
}

/// The system's fonts for the characters no embedded font has (Korean, Arabic, … in a remark
/// or a topic's description): eframe's system font provider, started in the background once
/// the first frame is on screen rather than beside it. Enumerating the system's fonts takes
/// tens of milliseconds of CPU on a background thread; on a two-core machine, beside the first
/// frame, that thread took the core the display server needed (docs/performance.md).
///
/// Registered with the window's context before its first frame (adding a provider later would
/// discard every glyph laid out so far), it finds nothing to do until [`Self::start`]: a
/// lookup that comes first starts the enumeration itself and waits for it, as eframe's own
/// provider does for a lookup before its enumeration is done.
#[derive(Default)]
pub struct SystemFontsAfterStart {
    provider: std::sync::OnceLock<egui_system_font_provider::SystemFontProvider>,
}

impl SystemFontsAfterStart {
    /// Starts enumerating the system's fonts on a background thread; once is enough.
    pub fn start(&self) -> &egui_system_font_provider::SystemFontProvider {
        self.provider
            .get_or_init(egui_system_font_provider::SystemFontProvider::new)
    }

    /// Whether [`Self::start`] (or a lookup) has started the enumeration.
    pub fn started(&self) -> bool {
        self.provider.get().is_some()
    }
}

impl std::fmt::Debug for SystemFontsAfterStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemFontsAfterStart")
            .field("started", &self.started())
            .finish()
    }
}

/// Only `font_for`: the system font provider installs nothing up front (`fonts_for_family`,
/// which egui asks when it makes its fonts, stays the default empty list and so starts
/// nothing).
impl egui::epaint::text::FontProvider for SystemFontsAfterStart {
    fn font_for(&self, request: &egui::epaint::text::FallbackRequest<'_>) -> Option<FontInsert> {
        self.start().font_for(request)
    }
}

/// What the real window adds to the embedded fonts (a test's window has only those, so a
/// missing glyph fails it): the system's fonts through [`SystemFontsAfterStart`], started by a
/// task on `runtime` (behind the start gate, like all background work: it only spawns the
/// enumeration's thread), and the search for a rare-character font, made when a name first
/// needs it and added after the embedded fonts, so the subset keeps drawing what it has.
pub fn add_system_fonts(ctx: &egui::Context, runtime: &tokio::runtime::Handle) {
    let system = std::sync::Arc::new(SystemFontsAfterStart::default());
    ctx.add_font_provider(std::sync::Arc::clone(&system) as _);
    runtime.spawn(async move {
        system.start();
    });
    allow_rare_font_search(ctx);
}

/// Where a window keeps whether it may search the system for a rare-character font, and
/// whether it has started to.
fn search_id() -> egui::Id {
    egui::Id::unique("onsdesk.rare_font_search")
}

/// The search for a rare-character font, per window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum RareSearch {
    /// Not allowed (tests: only the embedded fonts).
    #[default]
    Off,
    /// Allowed, and started the first time a name needs a letter no loaded font has.
    Allowed,
    Started,
}

/// Lets this window look for an installed font with the rare characters, the first time a name
/// holds a letter the loaded fonts lack ([`missing_glyphs`]). Enumerating the system's fonts
/// reads the disk and takes tens of milliseconds of CPU: done at start, it competed with the
/// window's own start on a two-core machine for a font almost no name needs.
fn allow_rare_font_search(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(search_id(), RareSearch::Allowed));
}

/// Starts the search if this window allows it and has not started it yet.
fn start_rare_font_search(ctx: &egui::Context) {
    let start = ctx.data_mut(|d| {
        let state = d.get_temp_mut_or_default::<RareSearch>(search_id());
        let start = *state == RareSearch::Allowed;
        if start {
            *state = RareSearch::Started;
        }
        start
    });
    if start {
        find_rare_font_in_background(ctx);
    }
}

/// Looks for an installed font with the rare characters on a background thread (enumerating
/// the system's fonts takes a while and reads the disk) and adds it, after the embedded subset,
/// when found; the window repaints once then. Call after [`install`].
fn find_rare_font_in_background(ctx: &egui::Context) {
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("rare-cjk-font".to_owned())
        .spawn(move || {
            let started = std::time::Instant::now();
            let mut collection = fontique::Collection::new(fontique::CollectionOptions {
                shared: false,
                system_fonts: true,
            });
            let mut cache = fontique::SourceCache::new(fontique::SourceCacheOptions::default());
            let found = find_rare_font(&mut collection, &mut cache);
            tracing::debug!(
                "rare CJK font search took {:?}: {found:?}",
                started.elapsed()
            );
            if let Some(found) = found {
                ctx.add_font(insert(&format!("system:{}", found.family), found.data));
                ctx.request_repaint();
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("no search for a rare CJK font: {e}");
    }
}

/// The letters of `text` (what a name may hold; anything else gets its own error) that no font
/// of the window can draw (the embedded ones, the rare font once found, and the system's
/// fallback fonts egui asks for on demand), each once. The first time there is one, the search
/// for an installed rare-character font starts (if the window allows it).
pub fn missing_glyphs(ctx: &egui::Context, text: &str) -> Vec<char> {
    if text.is_ascii() {
        return Vec::new();
    }
    let font_id = egui::FontId::proportional(14.0);
    let mut missing: Vec<char> = Vec::new();
    ctx.fonts_mut(|fonts| {
        for c in text.chars() {
            if c.is_alphanumeric() && !missing.contains(&c) && !fonts.has_glyph(&font_id, c) {
                missing.push(c);
            }
        }
    });
    if !missing.is_empty() {
        start_rare_font_search(ctx);
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::{NOTO_SANS_SC, RARE_PROBES, find_rare_font, insert, missing_glyphs, rare_coverage};

    /// Squares for U+20000, U+20BB7 and U+2A6A5 only (`tests/data/make_rare_cjk_font.py`).
    const RARE_TEST_FONT: &[u8] = include_bytes!("../../tests/data/rare-cjk-test.ttf");

    /// A collection of only the given fonts: what the search sees is under the test's control.
    fn collection_of(fonts: &[&'static [u8]]) -> fontique::Collection {
        let mut collection = fontique::Collection::new(fontique::CollectionOptions {
            shared: false,
            system_fonts: false,
        });
        for font in fonts {
            collection.register_fonts(fontique::Blob::from(font.to_vec()), None);
        }
        collection
    }

    fn cache() -> fontique::SourceCache {
        fontique::SourceCache::new(fontique::SourceCacheOptions::default())
    }

    #[test]
    fn coverage_counts_the_rare_characters_a_font_has() {
        assert_eq!(
            rare_coverage(NOTO_SANS_SC, 0),
            0,
            "the GB2312 subset has none"
        );
        assert_eq!(rare_coverage(RARE_TEST_FONT, 0), 3);
        assert_eq!(rare_coverage(b"not a font", 0), 0);
        assert!(RARE_PROBES.contains(&'\u{20000}') && RARE_PROBES.contains(&'\u{2A6A5}'));
    }

    #[test]
    fn the_search_finds_the_font_with_the_rare_characters_and_only_that() {
        let mut without = collection_of(&[NOTO_SANS_SC]);
        assert!(find_rare_font(&mut without, &mut cache()).is_none());

        let mut with = collection_of(&[NOTO_SANS_SC, RARE_TEST_FONT]);
        let found = find_rare_font(&mut with, &mut cache()).expect("the test font");
        assert_eq!(found.family, "Onsdesk Rare Test");
        assert_eq!(found.coverage, 3);
    }

    /// Runs one pass of `ctx` on `input`, dropping the font texture it would upload.
    fn one_pass(ctx: &egui::Context, input: egui::RawInput, add: impl FnMut(&mut egui::Ui)) {
        let mut output = ctx.run_ui(input, add);
        output.textures_delta.clear();
    }

    /// The glyph check the name field's note uses, before and after the found font is added.
    #[test]
    fn missing_glyphs_follow_the_installed_fonts() {
        let ctx = egui::Context::default();
        super::install(&ctx);
        let missing = |ctx: &egui::Context| {
            let mut out = Vec::new();
            one_pass(ctx, egui::RawInput::default(), |ui| {
                out = missing_glyphs(ui.ctx(), "订单𠀀服务 𪚥-_1");
            });
            out
        };
        assert_eq!(missing(&ctx), vec!['\u{20000}', '\u{2A6A5}']);

        let mut collection = collection_of(&[RARE_TEST_FONT]);
        let found = find_rare_font(&mut collection, &mut cache()).expect("the test font");
        ctx.add_font(insert("rare", found.data));
        assert_eq!(missing(&ctx), Vec::<char>::new());
    }

    /// The system's fonts are searched only when a name first needs a letter the loaded
    /// fonts lack, and only in a window that allows it: not at start.
    #[test]
    fn the_rare_font_search_waits_for_a_name_that_needs_it() {
        let state = |ctx: &egui::Context| {
            ctx.data_mut(|d| d.get_temp::<super::RareSearch>(super::search_id()))
                .unwrap_or_default()
        };
        let check = |ctx: &egui::Context, text: &str| {
            one_pass(ctx, egui::RawInput::default(), |ui| {
                missing_glyphs(ui.ctx(), text);
            });
        };
        // a window that does not allow it (the tests' harness) never searches
        let ctx = egui::Context::default();
        super::install(&ctx);
        check(&ctx, "订单𠀀服务");
        assert_eq!(state(&ctx), super::RareSearch::Off);

        let ctx = egui::Context::default();
        super::install(&ctx);
        super::allow_rare_font_search(&ctx);
        check(&ctx, "orders-prod");
        check(&ctx, "订单服务");
        assert_eq!(
            state(&ctx),
            super::RareSearch::Allowed,
            "nothing lacked a font"
        );
        check(&ctx, "订单𠀀服务");
        assert_eq!(state(&ctx), super::RareSearch::Started);
    }

    /// The system's fonts are not enumerated for text the embedded fonts draw, however much
    /// of it a window lays out: only once started, or once a character needs them.
    #[test]
    fn system_fonts_wait_for_a_start_or_a_character_only_they_have() {
        let layout = |ctx: &egui::Context, text: &str| {
            one_pass(ctx, egui::RawInput::default(), |ui| {
                ui.label(text);
            });
        };
        let ctx = egui::Context::default();
        ctx.set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
        super::install(&ctx);
        let system = std::sync::Arc::new(super::SystemFontsAfterStart::default());
        ctx.add_font_provider(std::sync::Arc::clone(&system) as _);
        layout(&ctx, "orders-prod 订单服务 ✔ ⚠");
        assert!(!system.started(), "{system:?}");
        // Hangul: in none of the embedded fonts.
        layout(&ctx, "주문");
        assert!(system.started(), "{system:?}");

        let system = super::SystemFontsAfterStart::default();
        system.start();
        assert!(system.started());
    }

    /// The atlas is at most 4 096 pixels wide, whatever the GPU takes; a smaller GPU limit
    /// stays.
    #[test]
    fn the_atlas_is_at_most_4096_wide() {
        for (gpu, width) in [(16_384, 4_096), (4_096, 4_096), (2_048, 2_048)] {
            let ctx = egui::Context::default();
            let mut input = egui::RawInput {
                max_texture_side: Some(gpu),
                ..Default::default()
            };
            super::narrow_atlas(&mut input);
            one_pass(&ctx, input, |ui| {
                ui.label("orders-prod");
            });
            assert_eq!(
                ctx.fonts(|f| f.font_image_size()[0]),
                width,
                "GPU limit {gpu}"
            );
        }
    }
}
