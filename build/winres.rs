//! The app icon as Windows resources, written from an `.ico` in plain Rust, in the two forms
//! the Windows linkers take:
//!
//! - a resource file (`.res`) for MSVC's `link.exe` (and `lld-link`), which embed it as an
//!   ordinary input ([`icon_res`]);
//! - a COFF object with a `.rsrc` section for GNU ld (the windows-gnu targets), which refuses
//!   a `.res` ([`icon_coff`]; what `windres -O coff` would make of the `.res`).
//!
//! So no resource compiler (`rc.exe`, `llvm-rc`, `windres`) is needed: the build works
//! wherever cargo does, including the cross-target `cargo clippy` in CI, where build scripts
//! run but nothing links.
//!
//! The resources: one `RT_ICON` per image (ids 1..=n, the image bytes exactly as in the
//! `.ico`), and one `RT_GROUP_ICON` (id 1) listing them, all language-neutral. In a `.res`,
//! an empty header entry comes first and every entry starts on a 4-byte boundary; in the
//! `.rsrc` section, a tree of directories (types, names, languages) leads to data entries.
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

/// One resource: its type and name (both ordinals), the memory flags a `.res` records, and
/// its bytes. Every resource here is language-neutral.
struct Resource<'a> {
    kind: u16,
    id: u16,
    flags: u16,
    data: std::borrow::Cow<'a, [u8]>,
}

/// An icon's resources: one `RT_ICON` per image of `ico` (ids 1..=n, the image bytes as in
/// the `.ico`), then the `RT_GROUP_ICON` (id 1) that lists them.
fn icon_resources(ico: &[u8]) -> Result<Vec<Resource<'_>>, String> {
    let images = parse_ico(ico)?;
    let count = u16::try_from(images.len()).map_err(|_| "too many images".to_owned())?;
    let mut resources = Vec::with_capacity(images.len() + 1);
    let mut group = Vec::with_capacity(6 + 14 * images.len());
    group.extend_from_slice(&0u16.to_le_bytes()); // reserved
    group.extend_from_slice(&1u16.to_le_bytes()); // type: icon
    group.extend_from_slice(&count.to_le_bytes());
    for (id, image) in (1..=count).zip(&images) {
        let size = u32::try_from(image.data.len()).map_err(|_| "image too large".to_owned())?;
        group.extend_from_slice(&[image.width, image.height, image.colors, 0]);
        group.extend_from_slice(&image.planes.to_le_bytes());
        group.extend_from_slice(&image.bit_count.to_le_bytes());
        group.extend_from_slice(&size.to_le_bytes());
        group.extend_from_slice(&id.to_le_bytes()); // the RT_ICON entry's id
        resources.push(Resource {
            kind: RT_ICON,
            id,
            flags: FLAGS_ICON,
            data: image.data.into(),
        });
    }
    resources.push(Resource {
        kind: RT_GROUP_ICON,
        id: 1,
        flags: FLAGS_GROUP,
        data: group.into(),
    });
    Ok(resources)
}

/// Appends one `.res` entry: header (ordinal type and name), data, padding to 4 bytes.
fn push_res_entry(out: &mut Vec<u8>, resource: &Resource<'_>) -> Result<(), String> {
    let size =
        u32::try_from(resource.data.len()).map_err(|_| "a resource is over 4 GiB".to_owned())?;
    out.extend_from_slice(&size.to_le_bytes()); // DataSize
    out.extend_from_slice(&32u32.to_le_bytes()); // HeaderSize
    out.extend_from_slice(&[0xFF, 0xFF]); // TYPE: an ordinal follows
    out.extend_from_slice(&resource.kind.to_le_bytes());
    out.extend_from_slice(&[0xFF, 0xFF]); // NAME: an ordinal follows
    out.extend_from_slice(&resource.id.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // DataVersion
    out.extend_from_slice(&resource.flags.to_le_bytes()); // MemoryFlags
    out.extend_from_slice(&LANGUAGE.to_le_bytes()); // LanguageId
    out.extend_from_slice(&0u32.to_le_bytes()); // Version
    out.extend_from_slice(&0u32.to_le_bytes()); // Characteristics
    out.extend_from_slice(&resource.data);
    out.resize(out.len().next_multiple_of(4), 0);
    Ok(())
}

/// The `.res` bytes for an icon (for MSVC's linker): every image of `ico`, and the group
/// that names them.
pub fn icon_res(ico: &[u8]) -> Result<Vec<u8>, String> {
    let resources = icon_resources(ico)?;
    let mut out = Vec::with_capacity(ico.len() + 64 * resources.len() + 32);
    // the empty entry every .res file starts with (type 0, name 0, no data)
    let empty = Resource {
        kind: 0,
        id: 0,
        flags: 0,
        data: (&[][..]).into(),
    };
    push_res_entry(&mut out, &empty)?;
    for resource in &resources {
        push_res_entry(&mut out, resource)?;
    }
    Ok(out)
}

/// The processors a COFF object is written for, from cargo's `CARGO_CFG_TARGET_ARCH`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Machine {
    X86_64,
    X86,
    Aarch64,
}

impl Machine {
    /// The machine for a Rust target architecture; `None` for one Windows does not run on.
    pub fn from_target_arch(arch: &str) -> Option<Self> {
        match arch {
            "x86_64" => Some(Self::X86_64),
            "x86" => Some(Self::X86),
            "aarch64" => Some(Self::Aarch64),
            _ => None,
        }
    }

    /// `IMAGE_FILE_MACHINE_*`.
    pub const fn id(self) -> u16 {
        match self {
            Self::X86_64 => 0x8664,
            Self::X86 => 0x014C,
            Self::Aarch64 => 0xAA64,
        }
    }

    /// The relocation that stores a symbol's address relative to the image base (an RVA):
    /// `IMAGE_REL_AMD64_ADDR32NB`, `IMAGE_REL_I386_DIR32NB`, `IMAGE_REL_ARM64_ADDR32NB`.
    pub const fn rva_relocation(self) -> u16 {
        match self {
            Self::X86_64 => 3,
            Self::X86 => 7,
            Self::Aarch64 => 2,
        }
    }
}

/// `IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_ALIGN_4BYTES | IMAGE_SCN_MEM_READ |
/// IMAGE_SCN_MEM_WRITE`, what resource compilers give `.rsrc`.
const RSRC_CHARACTERISTICS: u32 = 0xC030_0040;
/// A resource directory entry's offset points at another directory when this bit is set.
const SUBDIRECTORY: u32 = 0x8000_0000;
/// `IMAGE_SYM_CLASS_STATIC`.
const SYM_CLASS_STATIC: u8 = 3;

/// Sizes of the parts of a resource tree: `IMAGE_RESOURCE_DIRECTORY`,
/// `IMAGE_RESOURCE_DIRECTORY_ENTRY`, `IMAGE_RESOURCE_DATA_ENTRY`.
const DIRECTORY: usize = 16;
const DIRECTORY_ENTRY: usize = 8;
const DATA_ENTRY: usize = 16;

fn push_u32(out: &mut Vec<u8>, value: usize) -> Result<(), String> {
    let value = u32::try_from(value).map_err(|_| "the resources are over 4 GiB".to_owned())?;
    out.extend_from_slice(&value.to_le_bytes());
    Ok(())
}

/// A directory of `entries` (ordinal, offset in the section of what each leads to).
fn push_directory(
    out: &mut Vec<u8>,
    entries: &[(u16, usize)],
    leads_to_directories: bool,
) -> Result<(), String> {
    let count = u16::try_from(entries.len()).map_err(|_| "too many resources".to_owned())?;
    out.extend_from_slice(&[0; 12]); // Characteristics, TimeDateStamp, Major/MinorVersion
    out.extend_from_slice(&0u16.to_le_bytes()); // NumberOfNamedEntries
    out.extend_from_slice(&count.to_le_bytes()); // NumberOfIdEntries
    for &(id, offset) in entries {
        out.extend_from_slice(&u32::from(id).to_le_bytes());
        let offset = u32::try_from(offset)
            .ok()
            .filter(|o| o & SUBDIRECTORY == 0)
            .ok_or_else(|| "the resources are over 2 GiB".to_owned())?;
        let flag = if leads_to_directories {
            SUBDIRECTORY
        } else {
            0
        };
        out.extend_from_slice(&(offset | flag).to_le_bytes());
    }
    Ok(())
}

/// The contents of a `.rsrc` section: the tree (types, then each type's names, then one
/// language per name), the data entries, the data. Also the offsets of the data entries'
/// `OffsetToData` fields: they hold offsets in the section, which the linker must turn into
/// addresses in the image (RVAs).
fn rsrc_section(resources: &[Resource<'_>]) -> Result<(Vec<u8>, Vec<usize>), String> {
    // Windows looks entries up by binary search: types, and names within a type, ascending.
    let mut order: Vec<&Resource<'_>> = resources.iter().collect();
    order.sort_by_key(|r| (r.kind, r.id));
    let mut kinds: Vec<u16> = order.iter().map(|r| r.kind).collect();
    kinds.dedup();
    let named = |kind: u16| order.iter().filter(move |r| r.kind == kind);

    // where each part starts
    let names_at = DIRECTORY + DIRECTORY_ENTRY * kinds.len();
    let languages_at = names_at + DIRECTORY * kinds.len() + DIRECTORY_ENTRY * order.len();
    let data_entries_at = languages_at + (DIRECTORY + DIRECTORY_ENTRY) * order.len();
    let data_at = (data_entries_at + DATA_ENTRY * order.len()).next_multiple_of(8);

    let mut out = Vec::new();
    let mut type_dirs = Vec::with_capacity(kinds.len());
    let mut at = names_at;
    for &kind in &kinds {
        type_dirs.push((kind, at));
        at += DIRECTORY + DIRECTORY_ENTRY * named(kind).count();
    }
    push_directory(&mut out, &type_dirs, true)?;
    let mut language_dir = languages_at;
    for &kind in &kinds {
        let entries: Vec<(u16, usize)> = named(kind)
            .map(|r| {
                let entry = (r.id, language_dir);
                language_dir += DIRECTORY + DIRECTORY_ENTRY;
                entry
            })
            .collect();
        push_directory(&mut out, &entries, true)?;
    }
    for n in 0..order.len() {
        push_directory(
            &mut out,
            &[(LANGUAGE, data_entries_at + DATA_ENTRY * n)],
            false,
        )?;
    }
    let mut relocations = Vec::with_capacity(order.len());
    let mut data = data_at;
    for resource in &order {
        relocations.push(out.len());
        push_u32(&mut out, data)?; // OffsetToData, relocated to an RVA
        push_u32(&mut out, resource.data.len())?; // Size
        out.extend_from_slice(&[0; 8]); // CodePage, Reserved
        data = (data + resource.data.len()).next_multiple_of(8);
    }
    out.resize(data_at, 0);
    for resource in &order {
        out.extend_from_slice(&resource.data);
        out.resize(out.len().next_multiple_of(8), 0);
    }
    Ok((out, relocations))
}

/// The icon's resources as a COFF object file with one `.rsrc` section, for GNU ld (which
/// takes no `.res`): what `windres -O coff` makes from the `.res`. The section's data
/// entries point at their data through relocations against the section's own symbol.
pub fn icon_coff(ico: &[u8], machine: Machine) -> Result<Vec<u8>, String> {
    const FILE_HEADER: usize = 20;
    const SECTION_HEADER: usize = 40;
    const RELOCATION: usize = 10;
    let (section, relocations) = rsrc_section(&icon_resources(ico)?)?;
    let count = u16::try_from(relocations.len()).map_err(|_| "too many resources".to_owned())?;
    let section_at = FILE_HEADER + SECTION_HEADER;
    let relocations_at = section_at + section.len();
    let symbols_at = relocations_at + RELOCATION * relocations.len();

    let mut out = Vec::with_capacity(symbols_at + 2 * 18 + 4);
    // IMAGE_FILE_HEADER
    out.extend_from_slice(&machine.id().to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // NumberOfSections
    out.extend_from_slice(&0u32.to_le_bytes()); // TimeDateStamp: reproducible
    push_u32(&mut out, symbols_at)?; // PointerToSymbolTable
    out.extend_from_slice(&2u32.to_le_bytes()); // NumberOfSymbols: the section and its aux record
    out.extend_from_slice(&0u16.to_le_bytes()); // SizeOfOptionalHeader
    out.extend_from_slice(&0u16.to_le_bytes()); // Characteristics
    // IMAGE_SECTION_HEADER
    out.extend_from_slice(b".rsrc\0\0\0");
    out.extend_from_slice(&0u32.to_le_bytes()); // VirtualSize
    out.extend_from_slice(&0u32.to_le_bytes()); // VirtualAddress
    push_u32(&mut out, section.len())?; // SizeOfRawData
    push_u32(&mut out, section_at)?; // PointerToRawData
    push_u32(&mut out, relocations_at)?; // PointerToRelocations
    out.extend_from_slice(&0u32.to_le_bytes()); // PointerToLinenumbers
    out.extend_from_slice(&count.to_le_bytes()); // NumberOfRelocations
    out.extend_from_slice(&0u16.to_le_bytes()); // NumberOfLinenumbers
    out.extend_from_slice(&RSRC_CHARACTERISTICS.to_le_bytes());
    out.extend_from_slice(&section);
    // IMAGE_RELOCATION: at this offset, add the RVA of symbol 0 (the section)
    for &offset in &relocations {
        push_u32(&mut out, offset)?;
        out.extend_from_slice(&0u32.to_le_bytes()); // SymbolTableIndex
        out.extend_from_slice(&machine.rva_relocation().to_le_bytes());
    }
    // the section's symbol, and its auxiliary section definition
    out.extend_from_slice(b".rsrc\0\0\0");
    out.extend_from_slice(&0u32.to_le_bytes()); // Value
    out.extend_from_slice(&1u16.to_le_bytes()); // SectionNumber
    out.extend_from_slice(&0u16.to_le_bytes()); // Type
    out.push(SYM_CLASS_STATIC);
    out.push(1); // NumberOfAuxSymbols
    push_u32(&mut out, section.len())?; // Length
    out.extend_from_slice(&count.to_le_bytes()); // NumberOfRelocations
    out.extend_from_slice(&0u16.to_le_bytes()); // NumberOfLinenumbers
    out.extend_from_slice(&[0; 10]); // CheckSum, Number, Selection, padding
    // the string table: only its own size
    out.extend_from_slice(&4u32.to_le_bytes());
    Ok(out)
}
