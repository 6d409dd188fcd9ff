//! The Windows executables: `onsdesk.exe` is a GUI-subsystem program (no console on a
//! double-click), its twin `onsdesk-console` (shipped as `onsdesk.com`) a console one, and both
//! carry the icon: the `.ico`'s images, byte for byte, read back from the linked exe. The PE
//! checks run on Windows (in CI: the windows-gnu build under Wine, `.ci/windows`); on Linux
//! the readers and both forms of the icon resource (the MSVC `.res`, the GNU COFF object) are
//! tested here.

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

/// The sections of a PE image: (virtual address, bytes in the file).
fn pe_sections(exe: &[u8]) -> Option<Vec<(u32, &[u8])>> {
    let pe = usize::try_from(u32_at(exe, 0x3C)?).ok()?;
    let count = u16_at(exe, pe + 6)?;
    let optional_size = usize::from(u16_at(exe, pe + 20)?);
    let table = pe + 24 + optional_size;
    (0..usize::from(count))
        .map(|i| {
            let header = exe.get(table + 40 * i..table + 40 * (i + 1))?;
            let rva = u32_at(header, 12)?;
            let size = usize::try_from(u32_at(header, 16)?).ok()?;
            let at = usize::try_from(u32_at(header, 20)?).ok()?;
            Some((rva, exe.get(at..at + size)?))
        })
        .collect()
}

/// The resource directory of a PE image (data directory 2): its section's bytes from the
/// directory on, and the directory's address in the image.
#[cfg_attr(
    not(windows),
    expect(dead_code, reason = "only the Windows test reads it")
)]
fn pe_resources(exe: &[u8]) -> Option<(&[u8], u32)> {
    let (optional, plus) = optional_header(exe)?;
    let directories = optional + if plus { 112 } else { 96 };
    let rva = u32_at(exe, directories + 2 * 8)?;
    if rva == 0 {
        return None;
    }
    pe_sections(exe)?.into_iter().find_map(|(start, bytes)| {
        let offset = usize::try_from(rva.checked_sub(start)?).ok()?;
        Some((bytes.get(offset..)?, rva))
    })
}

/// One resource found in a resource tree.
#[derive(Debug, PartialEq, Eq)]
struct Leaf {
    kind: u16,
    id: u16,
    language: u16,
    data: Vec<u8>,
}

/// Every resource in a resource tree (types, names, languages; ordinals only), in the
/// tree's order, with the offset of its data entry. `rva` is the tree's address in the image:
/// a data entry's `OffsetToData` is an address in the image (in an object file, before
/// relocation, an offset in the section, and `rva` is 0).
fn resource_tree(tree: &[u8], rva: u32) -> Vec<(usize, Leaf)> {
    fn entries(tree: &[u8], at: usize) -> Vec<(u16, usize, bool)> {
        let named = u16_at(tree, at + 12).unwrap();
        assert_eq!(named, 0, "only ordinals are written");
        let ids = usize::from(u16_at(tree, at + 14).unwrap());
        let list: Vec<_> = (0..ids)
            .map(|i| {
                let entry = at + 16 + 8 * i;
                let id = u16::try_from(u32_at(tree, entry).unwrap()).unwrap();
                let offset = u32_at(tree, entry + 4).unwrap();
                (
                    id,
                    usize::try_from(offset & 0x7FFF_FFFF).unwrap(),
                    offset & 0x8000_0000 != 0,
                )
            })
            .collect();
        assert!(
            list.windows(2).all(|w| w[0].0 < w[1].0),
            "entries sorted by id, as Windows searches them: {list:?}"
        );
        list
    }
    let mut leaves = Vec::new();
    for (kind, names, is_dir) in entries(tree, 0) {
        assert!(is_dir, "a type leads to its names");
        for (id, languages, is_dir) in entries(tree, names) {
            assert!(is_dir, "a name leads to its languages");
            for (language, data_entry, is_dir) in entries(tree, languages) {
                assert!(!is_dir, "a language leads to the data");
                let address = u32_at(tree, data_entry).unwrap();
                let size = usize::try_from(u32_at(tree, data_entry + 4).unwrap()).unwrap();
                let at = usize::try_from(address.checked_sub(rva).unwrap()).unwrap();
                let leaf = Leaf {
                    kind,
                    id,
                    language,
                    data: tree[at..at + size].to_vec(),
                };
                leaves.push((data_entry, leaf));
            }
        }
    }
    leaves
}

#[cfg_attr(
    not(windows),
    expect(dead_code, reason = "only the Windows test reads it")
)]
fn resource_leaves(tree: &[u8], rva: u32) -> Vec<Leaf> {
    resource_tree(tree, rva)
        .into_iter()
        .map(|(_, leaf)| leaf)
        .collect()
}

/// The icon's resources as the `.res` holds them (less its empty first entry), sorted by type
/// and name as a resource tree lists them: what every linked form must hold.
fn expected_leaves() -> Vec<Leaf> {
    let mut leaves: Vec<Leaf> = read_res(&winres::icon_res(&read_ico()).unwrap())
        .into_iter()
        .skip(1)
        .map(|e| Leaf {
            kind: e.kind,
            id: e.id,
            language: 0,
            data: e.data,
        })
        .collect();
    leaves.sort_by_key(|l| (l.kind, l.id));
    leaves
}

fn read_ico() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/windows/onsdesk.ico"
    ))
    .unwrap()
}

#[cfg(windows)]
#[test]
fn the_window_exe_opens_no_console_and_the_twin_is_a_console_program() {
    let gui = std::fs::read(env!("CARGO_BIN_EXE_onsdesk")).unwrap();
    let console = std::fs::read(env!("CARGO_BIN_EXE_onsdesk-console")).unwrap();
    assert_eq!(pe_subsystem(&gui), Some(SUBSYSTEM_GUI));
    assert_eq!(pe_subsystem(&console), Some(SUBSYSTEM_CONSOLE));
}

/// The icon Explorer shows is the first `RT_GROUP_ICON` of the exe: both exes hold the
/// group and every image of `assets/windows/onsdesk.ico`, byte for byte.
#[cfg(windows)]
#[test]
fn both_exes_carry_every_image_of_the_icon() {
    let expected = expected_leaves();
    assert!(expected.iter().any(|l| l.kind == winres::RT_GROUP_ICON));
    for exe in [
        env!("CARGO_BIN_EXE_onsdesk"),
        env!("CARGO_BIN_EXE_onsdesk-console"),
    ] {
        let bytes = std::fs::read(exe).unwrap();
        let (tree, rva) = pe_resources(&bytes).unwrap_or_else(|| panic!("{exe}: no resources"));
        assert_eq!(resource_leaves(tree, rva), expected, "{exe}");
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
    let ico = read_ico();
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

/// The COFF object GNU ld links: one `.rsrc` section holding the same resources as the
/// `.res`, each data entry's address relocated against the section (so the linker makes it
/// an address in the image), for each processor Windows runs on.
#[test]
fn the_gnu_object_holds_the_same_resources_as_the_res() {
    let expected = expected_leaves();
    for (machine, id, relocation) in [
        (winres::Machine::X86_64, 0x8664, 3),
        (winres::Machine::X86, 0x014C, 7),
        (winres::Machine::Aarch64, 0xAA64, 2),
    ] {
        let object = winres::icon_coff(&read_ico(), machine).unwrap();
        assert_eq!(u16_at(&object, 0), Some(id), "{machine:?}");
        assert_eq!(u16_at(&object, 2), Some(1), "one section");
        assert_eq!(u16_at(&object, 16), Some(0), "no optional header");
        let section = &object[20..60];
        assert_eq!(&section[..8], b".rsrc\0\0\0");
        let size = usize::try_from(u32_at(section, 16).unwrap()).unwrap();
        let at = usize::try_from(u32_at(section, 20).unwrap()).unwrap();
        let relocations_at = usize::try_from(u32_at(section, 24).unwrap()).unwrap();
        let relocations = usize::from(u16_at(section, 32).unwrap());
        let tree = &object[at..at + size];

        let found = resource_tree(tree, 0);
        assert_eq!(
            found.iter().map(|(_, leaf)| leaf).collect::<Vec<_>>(),
            expected.iter().collect::<Vec<_>>(),
            "{machine:?}"
        );
        // one relocation per data entry, at its OffsetToData, against symbol 0 (the section)
        let mut relocated: Vec<usize> = (0..relocations)
            .map(|i| {
                let r = relocations_at + 10 * i;
                assert_eq!(u32_at(&object, r + 4), Some(0), "symbol 0");
                assert_eq!(u16_at(&object, r + 8), Some(relocation), "{machine:?}");
                usize::try_from(u32_at(&object, r).unwrap()).unwrap()
            })
            .collect();
        relocated.sort_unstable();
        let mut data_entries: Vec<usize> = found.iter().map(|(entry, _)| *entry).collect();
        data_entries.sort_unstable();
        assert_eq!(relocated, data_entries, "{machine:?}");
        // symbol 0 is the section's own, static
        let symbols = usize::try_from(u32_at(&object, 8).unwrap()).unwrap();
        assert_eq!(&object[symbols..symbols + 8], b".rsrc\0\0\0");
        assert_eq!(u16_at(&object, symbols + 12), Some(1), "in section 1");
        assert_eq!(object[symbols + 16], 3, "IMAGE_SYM_CLASS_STATIC");
    }
    assert_eq!(
        winres::Machine::from_target_arch("x86_64"),
        Some(winres::Machine::X86_64)
    );
    assert_eq!(winres::Machine::from_target_arch("arm"), None);
}
