//! The macOS bundle template (assets/macos/Info.plist, used by scripts/macos-app.sh) stays
//! true to the program: the bundle identifier is the name of the data folder that
//! `directories` derives on macOS, the executable and icon it names exist.

fn plist_string(plist: &str, key: &str) -> String {
    let at = plist
        .find(&format!("<key>{key}</key>"))
        .unwrap_or_else(|| panic!("no {key} in Info.plist"));
    let rest = &plist[at..];
    let start = rest.find("<string>").unwrap() + "<string>".len();
    let end = rest.find("</string>").unwrap();
    rest[start..end].to_owned()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_bundle_identifier_is_the_data_folder_name() {
    let plist = read("assets/macos/Info.plist");
    // src/paths.rs: ProjectDirs::from(qualifier, organization, application); on macOS the data
    // folder is ~/Library/Application Support/<qualifier>.<organization>.<application>
    let paths = read("src/paths.rs");
    let call = paths
        .split("ProjectDirs::from(")
        .nth(1)
        .expect("paths.rs uses ProjectDirs");
    let args: Vec<&str> = call[..call.find(')').unwrap()]
        .split(',')
        .map(|a| a.trim().trim_matches('"'))
        .collect();
    assert_eq!(plist_string(&plist, "CFBundleIdentifier"), args.join("."));
}

#[test]
fn the_bundle_names_what_it_holds() {
    let plist = read("assets/macos/Info.plist");
    assert_eq!(
        plist_string(&plist, "CFBundleExecutable"),
        env!("CARGO_PKG_NAME")
    );
    let icon = plist_string(&plist, "CFBundleIconFile");
    let icns = std::fs::read(format!(
        "{}/assets/macos/{icon}.icns",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert!(icns.starts_with(b"icns"), "an Apple icon file");
    assert_eq!(plist_string(&plist, "LSMinimumSystemVersion"), "11.0");
    assert_eq!(plist_string(&plist, "CFBundlePackageType"), "APPL");
}
