//! The Windows executables: `onsdesk.exe` is a GUI-subsystem program (no console on a
//! double-click), its twin `onsdesk-console` (shipped as `onsdesk.com`) a console one, and both
//! carry the icon. The PE checks run on Windows; on Linux the CI's Windows clippy run
//! compiles them, and the parsers and the icon resource are tested here.

#[path = "../../build/winres.rs"]
mod winres;

/// `IMAGE_SUBSYSTEM_WINDOWS_GUI`: no console is created for the process.
const SUBSYSTEM_GUI: u16 = 2;
/// `IMAGE_SUBSYSTEM_WINDOWS_CUI`: a console program.
#[cfg_attr(
    not(windows),
    expect(dead_code, reason = "only the Windows test reads it")
)]
const SUBSYSTEM_CONSOLE: u16 = 3;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The optional header's offset and whether it is PE32+.
fn optional_header(exe: &[u8]) -> Option<(usize, bool)> {
    if exe.get(0..2)? != b"MZ" {
        return None;
    }
    let pe = usize::try_from(u32_at(exe, 0x3C)?).ok()?;
    if exe.get(pe..pe + 4)? != b"PE\0\0" {
        return None;
    }
    let optional = pe + 4 + 20; // signature, COFF file header
    match u16_at(exe, optional)? {
        0x10B => Some((optional, false)),
        0x20B => Some((optional, true)),
        _ => None,
    }
}

/// The `Subsystem` field of a PE image; `None` for anything that is not one.
fn pe_subsystem(exe: &[u8]) -> Option<u16> {
    let (optional, _) = optional_header(exe)?;
    u16_at(exe, optional + 68)
}

/// The size of the resource data directory (index 2) of a PE image.
#[cfg_attr(
    not(windows),
    expect(dead_code, reason = "only the Windows test reads it")
)]
fn pe_resource_size(exe: &[u8]) -> Option<u32> {
    let (optional, plus) = optional_header(exe)?;
    let directories = optional + if plus { 112 } else { 96 };
    u32_at(exe, directories + 2 * 8 + 4)
}

#[cfg(windows)]
#[test]
fn the_window_exe_opens_no_console_and_the_twin_is_a_console_program() {
    let gui = std::fs::read(env!("CARGO_BIN_EXE_onsdesk")).unwrap();
    let console = std::fs::read(env!("CARGO_BIN_EXE_onsdesk-console")).unwrap();
    assert_eq!(pe_subsystem(&gui), Some(SUBSYSTEM_GUI));
    assert_eq!(pe_subsystem(&console), Some(SUBSYSTEM_CONSOLE));
    for exe in [&gui, &console] {
        assert!(
            pe_resource_size(exe).is_some_and(|n| n > 0),
            "no resources: no icon"
        );
    }
}

#[cfg(not(windows))]
#[test]
fn the_console_twin_elsewhere_points_to_onsdesk() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_onsdesk-console"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `onsdesk` instead"));
}

#[test]
fn the_pe_reader_finds_the_subsystem_and_refuses_other_formats() {
    // a minimal PE32+ header: "MZ", e_lfanew = 0x80, "PE\0\0", a COFF header, the magic
    let mut exe = vec![0u8; 0x200];
    exe[0..2].copy_from_slice(b"MZ");
    exe[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
    exe[0x80..0x84].copy_from_slice(b"PE\0\0");
    let optional = 0x80 + 24;
    exe[optional..optional + 2].copy_from_slice(&0x20Bu16.to_le_bytes());
    exe[optional + 68..optional + 70].copy_from_slice(&SUBSYSTEM_GUI.to_le_bytes());
    assert_eq!(pe_subsystem(&exe), Some(SUBSYSTEM_GUI));
    exe[optional..optional + 2].copy_from_slice(&0x10Bu16.to_le_bytes());
    assert_eq!(pe_subsystem(&exe), Some(SUBSYSTEM_GUI));
    exe[0x80] = b'X';
    assert_eq!(pe_subsystem(&exe), None);
    assert_eq!(pe_subsystem(b"MZ"), None);
    // this platform's own binary, when it is not Windows, is no PE
    if !cfg!(windows) {
        let own = std::fs::read(env!("CARGO_BIN_EXE_onsdesk")).unwrap();
        assert_eq!(pe_subsystem(&own), None);
    }
}

/// One entry of a `.res` file, read independently of the writer.
struct ResEntry {
    kind: u16,
    id: u16,
    data: Vec<u8>,
}

fn read_res(res: &[u8]) -> Vec<ResEntry> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at < res.len() {
        assert!(at.is_multiple_of(4), "entries start on 4-byte boundaries");
        let size = usize::try_from(u32_at(res, at).unwrap()).unwrap();
        let header = usize::try_from(u32_at(res, at + 4).unwrap()).unwrap();
        assert_eq!(header, 32, "ordinal type and name: a 32-byte header");
        assert_eq!(u16_at(res, at + 8), Some(0xFFFF));
        assert_eq!(u16_at(res, at + 12), Some(0xFFFF));
        entries.push(ResEntry {
            kind: u16_at(res, at + 10).unwrap(),
            id: u16_at(res, at + 14).unwrap(),
            data: res[at + header..at + header + size].to_vec(),
        });
        at += (header + size).next_multiple_of(4);
    }
    assert_eq!(at, res.len());
    entries
}

#[test]
fn the_icon_resource_holds_every_image_of_the_ico_and_one_group() {
    let ico = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/windows/onsdesk.ico"
    ))
    .unwrap();
    let images = winres::parse_ico(&ico).unwrap();
    let sizes: Vec<u8> = images.iter().map(|i| i.width).collect();
    assert_eq!(
        sizes,
        [0, 64, 48, 32, 24, 16],
        "256 (written as 0) down to 16"
    );
    assert!(
        images[0].data.starts_with(b"\x89PNG"),
        "the 256 px image is a PNG"
    );

    let entries = read_res(&winres::icon_res(&ico).unwrap());
    assert_eq!(entries.len(), 1 + images.len() + 1);
    assert!(entries[0].kind == 0 && entries[0].id == 0 && entries[0].data.is_empty());
    for (n, (entry, image)) in entries[1..=images.len()].iter().zip(&images).enumerate() {
        assert_eq!(entry.kind, winres::RT_ICON);
        assert_eq!(usize::from(entry.id), n + 1);
        assert_eq!(entry.data, image.data);
    }
    let group = entries.last().unwrap();
    assert_eq!((group.kind, group.id), (winres::RT_GROUP_ICON, 1));
    assert_eq!(u16_at(&group.data, 2), Some(1), "an icon, not a cursor");
    assert_eq!(usize::from(u16_at(&group.data, 4).unwrap()), images.len());
    for (n, image) in images.iter().enumerate() {
        let e = &group.data[6 + 14 * n..6 + 14 * (n + 1)];
        assert_eq!(e[0], image.width);
        assert_eq!(
            usize::try_from(u32_at(e, 8).unwrap()).unwrap(),
            image.data.len()
        );
        assert_eq!(usize::from(u16_at(e, 12).unwrap()), n + 1);
    }
}

#[test]
fn a_broken_ico_is_refused_with_a_reason() {
    assert!(winres::parse_ico(b"").is_err());
    assert!(
        winres::parse_ico(&[0, 0, 1, 0, 0, 0])
            .unwrap_err()
            .contains("no images")
    );
    // one entry whose image runs past the end
    let mut ico = vec![0, 0, 1, 0, 1, 0];
    ico.extend_from_slice(&[16, 16, 0, 0, 1, 0, 32, 0]);
    ico.extend_from_slice(&1000u32.to_le_bytes());
    ico.extend_from_slice(&22u32.to_le_bytes());
    assert!(winres::icon_res(&ico).unwrap_err().contains("past the end"));
}
