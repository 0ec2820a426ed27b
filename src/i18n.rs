//! Languages: Dutch (the default, B1) and English. Every user-facing text comes from the
//! Fluent catalogues in `locales/`; times are shown in Europe/Amsterdam.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use serde::{Deserialize, Serialize};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        // no Unicode isolation marks around arguments: they end up in emails and subjects
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Nl,
    En,
}

/// An argument value for a message: text or a number (numbers pick plural forms).
pub enum Arg {
    Text(String),
    Number(i64),
}

impl Arg {
    /// An argument that was carried as text (a field error's): a whole number becomes a
    /// number again, so that plurals choose ("1 minuut", "5 minuten").
    pub fn read(value: &str) -> Arg {
        value.parse().map_or_else(|_| Arg::Text(value.to_owned()), Arg::Number)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}
impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}
impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}
impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Number(value)
    }
}
impl From<i32> for Arg {
    fn from(value: i32) -> Self {
        Arg::Number(value.into())
    }
}
impl From<&i64> for Arg {
    fn from(value: &i64) -> Self {
        Arg::Number(*value)
    }
}
impl From<&i32> for Arg {
    fn from(value: &i32) -> Self {
        Arg::Number((*value).into())
    }
}
impl From<&usize> for Arg {
    fn from(value: &usize) -> Self {
        Arg::Number(*value as i64)
    }
}
impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Arg::Number(value as i64)
    }
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Locale::Nl),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first supported language in an `Accept-Language` header, by quality.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut offers: Vec<(f32, Locale)> = accept_language
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality =
                    pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                Locale::from_code(primary).map(|l| (quality, l))
            })
            .filter(|(q, _)| *q > 0.0)
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0));
        offers.first().map(|(_, l)| *l)
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Locale::Nl => &NL,
            Locale::En => &EN,
        }
    }

    /// The message `key`; a missing key shows itself (and is caught by the catalogue test).
    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(self.langid(), key).unwrap_or_else(|| {
            tracing::error!(key, locale = self.code(), "missing message");
            key.to_owned()
        })
    }

    /// The message `key` if the catalogue has it (for optional labels).
    pub fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.langid(), key)
    }

    pub fn t_args<'a>(self, key: &str, args: impl IntoIterator<Item = (&'a str, Arg)>) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .into_iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text),
                    Arg::Number(n) => FluentValue::from(n),
                };
                (Cow::Owned(name.to_owned()), value)
            })
            .collect();
        LOCALES.try_lookup_with_args(self.langid(), key, &args).unwrap_or_else(|| {
            tracing::error!(key, locale = self.code(), "missing message");
            key.to_owned()
        })
    }

    fn chrono_locale(self) -> chrono::Locale {
        match self {
            Locale::Nl => chrono::Locale::nl_NL,
            Locale::En => chrono::Locale::en_GB,
        }
    }

    /// "dinsdag 3 maart 2027" / "Tuesday 3 March 2027", in Amsterdam.
    pub fn date(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&Amsterdam).format_localized("%A %-d %B %Y", self.chrono_locale()).to_string()
    }

    /// "3 mrt 2027" / "3 Mar 2027".
    pub fn short_date(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&Amsterdam).format_localized("%-d %b %Y", self.chrono_locale()).to_string()
    }

    /// "3 mrt 2027 19:30": a moment that fits a table cell on a phone.
    pub fn compact_datetime(self, at: DateTime<Utc>) -> String {
        format!("{} {}", self.short_date(at), self.time(at))
    }

    /// "19:30", in Amsterdam.
    pub fn time(self, at: DateTime<Utc>) -> String {
        at.with_timezone(&Amsterdam).format("%H:%M").to_string()
    }

    /// "dinsdag 3 maart 2027, 19:30".
    pub fn datetime(self, at: DateTime<Utc>) -> String {
        format!("{}, {}", self.date(at), self.time(at))
    }

    /// "dinsdag 3 maart 2027, 19:30–21:30".
    pub fn time_range(self, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
        let same_day = starts.with_timezone(&Amsterdam).date_naive() == ends.with_timezone(&Amsterdam).date_naive();
        if same_day {
            format!("{}, {}–{}", self.date(starts), self.time(starts), self.time(ends))
        } else {
            format!("{} – {}", self.datetime(starts), self.datetime(ends))
        }
    }

    /// "maart 2027" for a month filter.
    pub fn month(self, year: i32, month: u32) -> String {
        chrono::NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| d.format_localized("%B %Y", self.chrono_locale()).to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_number_carried_as_text_still_chooses_its_plural() {
        let one = Locale::Nl.t_args("field-password-throttled", [("minutes", Arg::read("1"))]);
        let five = Locale::En.t_args("field-register-throttled", [("minutes", Arg::read("5"))]);
        assert!(one.contains("1 minuut"), "{one}");
        assert!(five.contains("5 minutes"), "{five}");
        assert!(matches!(Arg::read("12a"), Arg::Text(_)));
    }

    use super::*;

    fn keys(file: &str) -> std::collections::BTreeSet<String> {
        file.lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn english_catalogue_is_complete() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        for entry in std::fs::read_dir(format!("{dir}/nl")).unwrap() {
            let name = entry.unwrap().file_name();
            let nl = std::fs::read_to_string(format!("{dir}/nl/{}", name.to_string_lossy())).unwrap();
            let en = std::fs::read_to_string(format!("{dir}/en/{}", name.to_string_lossy())).unwrap();
            let (nl, en) = (keys(&nl), keys(&en));
            assert!(!nl.is_empty());
            assert_eq!(nl.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in en: {name:?}");
            assert_eq!(en.difference(&nl).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in nl: {name:?}");
        }
    }

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9,nl;q=0.8"), Some(Locale::En));
        assert_eq!(Locale::negotiate("de-DE,nl;q=0.5,en;q=0.4"), Some(Locale::Nl));
        assert_eq!(Locale::negotiate("fr"), None);
        assert_eq!(Locale::negotiate("en;q=0"), None);
    }

    #[test]
    fn times_are_shown_in_amsterdam_across_dst() {
        let winter: DateTime<Utc> = "2027-03-27T18:30:00Z".parse().unwrap();
        let summer: DateTime<Utc> = "2027-03-28T17:30:00Z".parse().unwrap();
        assert_eq!(Locale::Nl.time(winter), "19:30");
        assert_eq!(Locale::Nl.time(summer), "19:30");
        assert_eq!(Locale::Nl.date(summer), "zondag 28 maart 2027");
        assert_eq!(Locale::En.date(summer), "Sunday 28 March 2027");
    }
}
