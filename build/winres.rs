//! A Windows resource file (`.res`) holding the app icon, written from an `.ico` in plain Rust.
//!
//! MSVC's `link.exe` (and `lld-link`) take a `.res` as an ordinary input and embed it as the
//! executable's resources, so no resource compiler (`rc.exe`, `llvm-rc`, `windres`) is needed:
//! the build works wherever cargo does, including the cross-target `cargo clippy` in CI, where
//! build scripts run but nothing links.
//!
//! Layout (Win32 "resource file format"): an empty header entry, then one entry per image
//! (type `RT_ICON`, ids 1..=n, the image bytes exactly as in the `.ico`), then one
//! `RT_GROUP_ICON` entry (id 1) listing them. Every entry starts on a 4-byte boundary.
//!
//! Shared by `build.rs` and the integration tests (`tests/it/windows_exe.rs`).

/// `RT_ICON`: one image of an icon.
pub const RT_ICON: u16 = 3;
/// `RT_GROUP_ICON`: the directory of an icon's images; the shell shows the first group.
pub const RT_GROUP_ICON: u16 = 14;
/// `LANG_NEUTRAL`.
const LANGUAGE: u16 = 0;
/// `MOVEABLE | DISCARDABLE`, what resource compilers write for icon images.
const FLAGS_ICON: u16 = 0x1010;
/// `MOVEABLE | PURE | DISCARDABLE`, what they write for icon groups.
const FLAGS_GROUP: u16 = 0x1030;

/// One image of an `.ico`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IconImage<'a> {
    /// Width in pixels; 0 means 256.
    pub width: u8,
    /// Height in pixels; 0 means 256.
    pub height: u8,
    pub colors: u8,
    pub planes: u16,
    pub bit_count: u16,
    /// The image (a PNG, or a DIB without the file header).
    pub data: &'a [u8],
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The images of an `.ico` file, in its order.
pub fn parse_ico(ico: &[u8]) -> Result<Vec<IconImage<'_>>, String> {
    let bad = |what: &str| format!("not a usable .ico file: {what}");
    if u16_at(ico, 0) != Some(0) || u16_at(ico, 2) != Some(1) {
        return Err(bad("no ICONDIR header"));
    }
    let count = u16_at(ico, 4).ok_or_else(|| bad("truncated header"))?;
    if count == 0 {
        return Err(bad("no images"));
    }
    (0..usize::from(count))
        .map(|i| {
            let entry = 6 + 16 * i;
            let head = ico
                .get(entry..entry + 16)
                .ok_or_else(|| bad("truncated directory"))?;
            let size = u32_at(head, 8).ok_or_else(|| bad("truncated directory"))?;
            let offset = u32_at(head, 12).ok_or_else(|| bad("truncated directory"))?;
            let start = usize::try_from(offset).map_err(|_| bad("offset too large"))?;
            let len = usize::try_from(size).map_err(|_| bad("image too large"))?;
            let data = ico
                .get(start..start.saturating_add(len))
                .ok_or_else(|| bad("an image runs past the end of the file"))?;
            Ok(IconImage {
                width: head[0],
                height: head[1],
                colors: head[2],
                planes: u16_at(head, 4).unwrap_or(1),
                bit_count: u16_at(head, 6).unwrap_or(32),
                data,
            })
        })
        .collect()
}

/// Appends one resource entry: header (ordinal type and name), data, padding to 4 bytes.
fn push_entry(
    out: &mut Vec<u8>,
    kind: u16,
    id: u16,
    flags: u16,
    data: &[u8],
) -> Result<(), String> {
    let size = u32::try_from(data.len()).map_err(|_| "a resource is over 4 GiB".to_owned())?;
    out.extend_from_slice(&size.to_le_bytes()); // DataSize
    out.extend_from_slice(&32u32.to_le_bytes()); // HeaderSize
    out.extend_from_slice(&[0xFF, 0xFF]); // TYPE: an ordinal follows
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&[0xFF, 0xFF]); // NAME: an ordinal follows
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // DataVersion
    out.extend_from_slice(&flags.to_le_bytes()); // MemoryFlags
    out.extend_from_slice(&LANGUAGE.to_le_bytes()); // LanguageId
    out.extend_from_slice(&0u32.to_le_bytes()); // Version
    out.extend_from_slice(&0u32.to_le_bytes()); // Characteristics
    out.extend_from_slice(data);
    out.resize(out.len().next_multiple_of(4), 0);
    Ok(())
}

/// The `.res` bytes for an icon: every image of `ico`, and the group that names them.
pub fn icon_res(ico: &[u8]) -> Result<Vec<u8>, String> {
    let images = parse_ico(ico)?;
    let count = u16::try_from(images.len()).map_err(|_| "too many images".to_owned())?;
    let mut out = Vec::with_capacity(ico.len() + 64 * images.len() + 64);
    // the empty entry every .res file starts with (type 0, name 0, no data)
    push_entry(&mut out, 0, 0, 0, &[])?;
    let mut group = Vec::with_capacity(6 + 14 * images.len());
    group.extend_from_slice(&0u16.to_le_bytes()); // reserved
    group.extend_from_slice(&1u16.to_le_bytes()); // type: icon
    group.extend_from_slice(&count.to_le_bytes());
    for (id, image) in (1..=count).zip(&images) {
        push_entry(&mut out, RT_ICON, id, FLAGS_ICON, image.data)?;
        let size = u32::try_from(image.data.len()).map_err(|_| "image too large".to_owned())?;
        group.extend_from_slice(&[image.width, image.height, image.colors, 0]);
        group.extend_from_slice(&image.planes.to_le_bytes());
        group.extend_from_slice(&image.bit_count.to_le_bytes());
        group.extend_from_slice(&size.to_le_bytes());
        group.extend_from_slice(&id.to_le_bytes()); // the RT_ICON entry's id
    }
    push_entry(&mut out, RT_GROUP_ICON, 1, FLAGS_GROUP, &group)?;
    Ok(out)
}
