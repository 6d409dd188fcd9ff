//! Which language the user's system asks for, as a pure function of what the OS reports.
//!
//! Two sources, read once at start ([`OsLocale::current`]):
//! - the POSIX variables `LC_ALL`, `LC_MESSAGES`, `LANG` (the first non-empty one is the
//!   locale) and GNU's `LANGUAGE` priority list. A terminal on Linux or macOS sets them; a
//!   Windows process or a macOS app started from Finder usually has none.
//! - the system's preferred languages as `sys-locale` reports them: Windows'
//!   `GetUserPreferredUILanguages`, macOS' `CFLocaleCopyPreferredLanguages` (System Settings →
//!   Language & Region), and on Linux the same variables again.
//!
//! [`choose`] decides: a real POSIX locale (not `C`/`POSIX`) wins, as every Unix program lets
//! it, with `LANGUAGE` refining it the way gettext does; otherwise the system's list, in its
//! order. The first language the app has wins; `None` when it has none of them.

/// What the OS says about the user's language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsLocale {
    /// `LC_ALL`, `LC_MESSAGES`, `LANG`: the first one set and non-empty.
    pub posix: Option<String>,
    /// GNU `LANGUAGE`: colon-separated, most preferred first.
    pub language: Option<String>,
    /// The system's preferred languages (BCP 47 tags), most preferred first.
    pub system: Vec<String>,
}

impl OsLocale {
    /// Reads the process environment and asks the OS (`sys-locale`).
    #[must_use]
    pub fn current() -> Self {
        Self::from_parts(|name| std::env::var(name).ok(), sys_locale::get_locales())
    }

    /// [`OsLocale::current`] over any variable lookup and system list (tests pass their own).
    pub fn from_parts(
        env: impl Fn(&str) -> Option<String>,
        system: impl IntoIterator<Item = String>,
    ) -> Self {
        let var = |name: &str| env(name).filter(|v| !v.is_empty());
        Self {
            posix: var("LC_ALL")
                .or_else(|| var("LC_MESSAGES"))
                .or_else(|| var("LANG")),
            language: var("LANGUAGE"),
            system: system.into_iter().collect(),
        }
    }
}

/// The language subtag of a POSIX locale (`zh_CN.UTF-8@x` → `zh`) or a BCP 47 tag
/// (`zh-Hans-CN` → `zh`), lowercased.
fn primary(tag: &str) -> String {
    tag.split(['_', '-', '.', '@'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// `C`, `POSIX` and `C.UTF-8` name no language: they are what a minimal system or a service
/// runs with, not a user's choice.
fn names_a_language(locale: &str) -> bool {
    let p = primary(locale);
    !(p.is_empty() || p == "c" || p == "posix")
}

/// The first of `preferences` whose language is in `available` (primary subtags such as
/// `"en"`, `"zh"`).
fn first_available<'a>(
    preferences: impl IntoIterator<Item = impl AsRef<str>>,
    available: &[&'a str],
) -> Option<&'a str> {
    preferences.into_iter().find_map(|tag| {
        let p = primary(tag.as_ref());
        available
            .iter()
            .copied()
            .find(|a| a.eq_ignore_ascii_case(&p))
    })
}

/// The language to start in, from `available` (primary subtags, e.g. `["en", "zh"]`).
///
/// 1. A POSIX locale that names a language: `LANGUAGE`'s list when set (gettext's rule),
///    else the locale itself. `LANG=de_DE` with no German in `available` gives `None`: the
///    user asked for German, so the caller's default applies, not the system's list.
/// 2. Otherwise (unset, or `C`/`POSIX`): the system's preferred languages, in order.
#[must_use]
pub fn choose<'a>(os: &OsLocale, available: &[&'a str]) -> Option<&'a str> {
    match &os.posix {
        Some(locale) if names_a_language(locale) => match &os.language {
            Some(list) => first_available(list.split(':'), available),
            None => first_available([locale], available),
        },
        _ => first_available(&os.system, available),
    }
}

/// [`choose`] for this process: the language the system asks for, among `available`.
#[must_use]
pub fn system_language<'a>(available: &[&'a str]) -> Option<&'a str> {
    choose(&OsLocale::current(), available)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &[&str] = &["en", "zh"];

    fn os(vars: &[(&str, &str)], system: &[&str]) -> OsLocale {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        OsLocale::from_parts(
            |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            system.iter().map(|s| (*s).to_owned()),
        )
    }

    #[test]
    fn windows_and_finder_have_no_variables_so_the_system_list_decides() {
        // Windows: GetUserPreferredUILanguages; macOS from Finder: the preferred languages
        assert_eq!(choose(&os(&[], &["zh-CN"]), APP), Some("zh"));
        assert_eq!(choose(&os(&[], &["zh-Hans-CN", "en-US"]), APP), Some("zh"));
        assert_eq!(choose(&os(&[], &["zh-Hant-TW"]), APP), Some("zh"));
        assert_eq!(choose(&os(&[], &["en-GB", "zh-CN"]), APP), Some("en"));
        // a language the app lacks is skipped in favour of the next one the user listed
        assert_eq!(choose(&os(&[], &["de-DE", "zh-CN"]), APP), Some("zh"));
        assert_eq!(choose(&os(&[], &["de-DE", "fr-FR"]), APP), None);
        assert_eq!(choose(&os(&[], &[]), APP), None);
    }

    #[test]
    fn a_posix_locale_wins_over_the_system_list() {
        // a terminal's LANG is the user's say for this process, as for every Unix program
        let o = os(&[("LANG", "en_US.UTF-8")], &["zh-CN"]);
        assert_eq!(choose(&o, APP), Some("en"));
        let o = os(&[("LANG", "zh_CN.UTF-8")], &["en-US"]);
        assert_eq!(choose(&o, APP), Some("zh"));
        // LC_ALL over LC_MESSAGES over LANG; empty values do not count
        let o = os(
            &[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "zh_TW.Big5"),
                ("LANG", "en_US"),
            ],
            &[],
        );
        assert_eq!(choose(&o, APP), Some("zh"));
        let o = os(&[("LC_ALL", "en_US"), ("LANG", "zh_CN")], &[]);
        assert_eq!(choose(&o, APP), Some("en"));
        // the user asked for German: no silent switch to the system's Chinese
        let o = os(&[("LANG", "de_DE.UTF-8")], &["zh-CN"]);
        assert_eq!(choose(&o, APP), None);
    }

    #[test]
    fn c_and_posix_locales_defer_to_the_system() {
        for c in ["C", "POSIX", "C.UTF-8", "c.utf8"] {
            let o = os(&[("LANG", c)], &["zh-CN"]);
            assert_eq!(choose(&o, APP), Some("zh"), "{c}");
        }
        // and LANGUAGE is ignored under C, as gettext does
        let o = os(&[("LC_ALL", "C"), ("LANGUAGE", "en")], &["zh-CN"]);
        assert_eq!(choose(&o, APP), Some("zh"));
    }

    #[test]
    fn language_refines_a_real_locale_like_gettext() {
        let o = os(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "zh_CN:en")], &[]);
        assert_eq!(choose(&o, APP), Some("zh"));
        let o = os(&[("LANG", "zh_CN.UTF-8"), ("LANGUAGE", "fr:en")], &[]);
        assert_eq!(choose(&o, APP), Some("en"));
        let o = os(&[("LANG", "zh_CN.UTF-8"), ("LANGUAGE", "fr")], &[]);
        assert_eq!(choose(&o, APP), None);
    }

    #[test]
    fn tags_are_read_by_their_primary_subtag_only() {
        assert_eq!(primary("zh_CN.UTF-8@stroke"), "zh");
        assert_eq!(primary("ZH-hans"), "zh");
        assert_eq!(primary("en"), "en");
        // "zha" (Zhuang) is not Chinese
        assert_eq!(choose(&os(&[], &["zha-CN"]), APP), None);
    }

    #[test]
    fn current_reads_without_panicking() {
        let o = OsLocale::current();
        let _ = choose(&o, APP);
    }
}
