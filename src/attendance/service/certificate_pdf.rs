//! The certificate of participation as a one-page A4 PDF (printpdf, no layout engine).
//! DejaVu Sans is embedded (subset to the glyphs used) so every name renders: José, Şükrü, Łukasz; the
//! PDF carries a ToUnicode map, so its text can be searched and copied.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;
use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb,
    TextItem,
};

use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Locale};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Everything the certificate says.
pub struct CertificateText {
    pub name: String,
    pub course_title: String,
    pub theme: String,
    pub trainers: Vec<String>,
    pub first_day: DateTime<Utc>,
    pub last_day: DateTime<Utc>,
    pub hours_attended: f64,
    pub sessions_attended: i64,
    pub sessions_expected: i64,
    pub code: String,
    pub url: String,
    pub issued_at: DateTime<Utc>,
}

/// The two faces, parsed once per process.
fn fonts() -> AppResult<&'static (ParsedFont, ParsedFont)> {
    static FONTS: OnceLock<Option<(ParsedFont, ParsedFont)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new())?;
            let bold = ParsedFont::from_bytes(BOLD, 0, &mut Vec::new())?;
            Some((regular, bold))
        })
        .as_ref()
        .ok_or_else(|| AppError::internal("the certificate font does not parse"))
}

/// "3 maart 2027" / "3 March 2027".
fn day(locale: Locale, at: DateTime<Utc>) -> String {
    let chrono_locale = match locale {
        Locale::Nl => chrono::Locale::nl_NL,
        Locale::En => chrono::Locale::en_GB,
    };
    at.with_timezone(&Amsterdam).format_localized("%-d %B %Y", chrono_locale).to_string()
}

/// "7,5" / "7.5"; whole hours without decimals.
fn hours(locale: Locale, hours: f64) -> String {
    let text = format!("{hours:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    match locale {
        Locale::Nl => text.replace('.', ","),
        Locale::En => text,
    }
}

/// The width of `text` in points at `size`, by the font's advance widths.
fn measure(font: &ParsedFont, text: &str, size: f32) -> f32 {
    let units = f32::from(font.units_per_em.max(1));
    let advance: u32 = text
        .chars()
        .map(|c| {
            font.lookup_glyph_index(c as u32).and_then(|g| font.get_glyph_width(g)).map_or(units as u32 / 2, u32::from)
        })
        .sum();
    advance as f32 * size / units
}

/// Split text into lines no wider than `width` (as `fits` says), at spaces where possible.
fn wrap(text: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && !fits(&format!("{line} {word}")) {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What the page holds, laid out from the top down before the fonts are cut to size.
enum Item {
    Text { line: String, size: f32, bold: bool, y: f32 },
    Rule { y: f32 },
}

struct Page<'a> {
    items: Vec<Item>,
    y: f32,
    regular: &'a ParsedFont,
    bold: &'a ParsedFont,
}

const LEFT: f32 = 70.0;
const TEXT_WIDTH: f32 = 455.0;

impl Page<'_> {
    fn text(&mut self, text: &str, size: f32, bold: bool, gap_after: f32) {
        let face = if bold { self.bold } else { self.regular };
        for line in wrap(text, |line| measure(face, line, size) <= TEXT_WIDTH) {
            self.y -= size * 1.25;
            self.items.push(Item::Text { line, size, bold, y: self.y });
        }
        self.y -= gap_after;
    }

    fn rule(&mut self, gap_after: f32) {
        self.y -= 6.0;
        self.items.push(Item::Rule { y: self.y });
        self.y -= gap_after;
    }

    /// Every character written in one face.
    fn chars(&self, in_bold: bool) -> BTreeSet<char> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Text { line, bold, .. } if *bold == in_bold => Some(line.chars()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn ops(&self, regular: &PdfFontHandle, bold: &PdfFontHandle) -> Vec<Op> {
        let point = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
        let mut ops = Vec::new();
        for item in &self.items {
            match item {
                Item::Text { line, size, bold: is_bold, y } => ops.extend([
                    Op::StartTextSection,
                    Op::SetFont { font: if *is_bold { bold.clone() } else { regular.clone() }, size: Pt(*size) },
                    Op::SetTextCursor { pos: Point { x: Pt(LEFT), y: Pt(*y) } },
                    Op::ShowText { items: vec![TextItem::Text(line.clone())] },
                    Op::EndTextSection,
                ]),
                Item::Rule { y } => ops.extend([
                    Op::SetOutlineColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.45, b: 0.35, icc_profile: None }) },
                    Op::SetOutlineThickness { pt: Pt(1.5) },
                    Op::DrawLine {
                        line: Line { points: vec![point(LEFT, *y), point(LEFT + TEXT_WIDTH, *y)], is_closed: false },
                    },
                ]),
            }
        }
        ops
    }
}

/// The face cut down to the glyphs of `chars` (printpdf subsets only with its layout
/// engine, which we leave out): a certificate of some 30 kB instead of 740 kB. Falls back to
/// the whole face should cutting fail. The cut face keeps a Unicode cmap (the smallest one
/// could be Mac Roman, which printpdf would read as Unicode: "ı" and "–" would break).
fn subset(bytes: &[u8], full: &ParsedFont, chars: &BTreeSet<char>) -> ParsedFont {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};

    let mut glyphs: Vec<u16> = vec![0];
    for c in chars {
        if let Some(glyph) = full.lookup_glyph_index(*c as u32)
            && !glyphs.contains(&glyph)
        {
            glyphs.push(glyph);
        }
    }
    let cut = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .ok()
        .and_then(|data| data.table_provider(0).ok())
        .and_then(|provider| subset(&provider, &glyphs, &SubsetProfile::Minimal, CmapTarget::Unicode).ok())
        .and_then(|cut| ParsedFont::from_bytes(&cut, 0, &mut Vec::new()));
    cut.unwrap_or_else(|| {
        tracing::warn!("the certificate font could not be subset; embedding it whole");
        full.clone()
    })
}

/// The certificate in `locale` as PDF bytes.
pub fn render(text: &CertificateText, locale: Locale) -> AppResult<Vec<u8>> {
    let (regular, bold) = fonts()?;
    let t = |key: &str| locale.t(key);
    let t_args = |key: &str, args: Vec<(&str, Arg)>| locale.t_args(key, args);
    let mut doc = PdfDocument::new(&format!("{} – {}", t("certificates-pdf-title"), text.course_title));
    let mut page = Page { items: Vec::new(), y: 841.89 - 60.0, regular, bold };

    page.text("Wijkmakers Academie", 13.0, true, 4.0);
    page.rule(36.0);
    page.text(&t("certificates-pdf-title"), 28.0, true, 28.0);
    page.text(&t("certificates-pdf-declares"), 12.0, false, 10.0);
    page.text(&text.name, 24.0, true, 10.0);
    page.text(&t("certificates-pdf-took-part"), 12.0, false, 10.0);
    page.text(&text.course_title, 18.0, true, 30.0);

    let dates = if day(locale, text.first_day) == day(locale, text.last_day) {
        day(locale, text.first_day)
    } else {
        format!("{} – {}", day(locale, text.first_day), day(locale, text.last_day))
    };
    let facts = [
        (t("certificates-pdf-theme"), text.theme.clone()),
        (t("certificates-pdf-trainers"), if text.trainers.is_empty() { "–".into() } else { text.trainers.join(", ") }),
        (t("certificates-pdf-dates"), dates),
        (t("certificates-pdf-hours"), hours(locale, text.hours_attended)),
        (
            t("certificates-pdf-sessions"),
            t_args(
                "certificates-pdf-sessions-of",
                vec![
                    ("attended", Arg::Number(text.sessions_attended)),
                    ("expected", Arg::Number(text.sessions_expected)),
                ],
            ),
        ),
    ];
    for (label, value) in facts {
        page.text(&format!("{label}: {value}"), 12.0, false, 4.0);
    }
    page.y -= 40.0;
    page.rule(10.0);
    page.text(&format!("{}: {}", t("certificates-pdf-code"), text.code), 12.0, true, 4.0);
    page.text(&t("certificates-pdf-check"), 10.0, false, 2.0);
    page.text(&text.url, 10.0, false, 12.0);
    page.text(
        &t_args("certificates-pdf-issued", vec![("date", Arg::Text(day(locale, text.issued_at)))]),
        10.0,
        false,
        0.0,
    );

    let regular = PdfFontHandle::External(doc.add_font(&subset(REGULAR, regular, &page.chars(false))));
    let bold = PdfFontHandle::External(doc.add_font(&subset(BOLD, bold, &page.chars(true))));
    let a4 = PdfPage::new(Mm(210.0), Mm(297.0), page.ops(&regular, &bold));
    let bytes = doc.with_pages(vec![a4]).save(&PdfSaveOptions::default(), &mut Vec::new());
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_at_spaces_and_hours_read_in_both_languages() {
        let short = |line: &str| line.chars().count() <= 16;
        assert_eq!(
            wrap("Energiecoach worden in je eigen wijk", short),
            vec!["Energiecoach", "worden in je", "eigen wijk"]
        );
        assert_eq!(wrap("", short), vec![""]);
        let Ok((regular, _)) = fonts() else { panic!("the fonts parse") };
        let wide = measure(regular, "Certificate of participation", 28.0);
        assert!((300.0..TEXT_WIDTH).contains(&wide), "{wide}");
        assert!(measure(regular, "Łukasz", 12.0) > measure(regular, "Luk", 12.0));
        assert_eq!(hours(Locale::Nl, 7.5), "7,5");
        assert_eq!(hours(Locale::En, 7.5), "7.5");
        assert_eq!(hours(Locale::Nl, 6.0), "6");
        assert_eq!(hours(Locale::En, 2.25), "2.25");
    }

    /// A long title and a name outside Latin-1 fit the page and read back from the PDF.
    /// `CERTIFICATE_PDF=path` keeps the file to look at.
    #[test]
    fn a_certificate_renders_and_its_text_reads_back() {
        let at = |day: u32| chrono::NaiveDate::from_ymd_opt(2027, 3, day).and_then(|d| d.and_hms_opt(18, 30, 0));
        let (Some(first), Some(last)) = (at(2), at(30)) else { panic!("dates") };
        let text = CertificateText {
            name: "Şükrü Łukasz José van den Berg-Hoogeveen".into(),
            course_title: "Energiecoach worden: samen met de buren de wijk van het gas af, stap voor stap".into(),
            theme: "Energietransitie".into(),
            trainers: vec!["Tom Trainer".into(), "Fatma Yılmaz".into(), "Zoë de Vries".into()],
            first_day: first.and_utc(),
            last_day: last.and_utc(),
            hours_attended: 7.5,
            sessions_attended: 3,
            sessions_expected: 4,
            code: "ABCD-EFGH-JK".into(),
            url: "https://academie.example/certificaat/ABCD-EFGH-JK".into(),
            issued_at: last.and_utc(),
        };
        let bytes = render(&text, Locale::Nl).expect("rendered");
        assert!(bytes.len() < 150_000, "the fonts are subset: {} bytes", bytes.len());
        if let Ok(path) = std::env::var("CERTIFICATE_PDF") {
            std::fs::write(path, &bytes).expect("written");
        }
        let doc = lopdf::Document::load_mem(&bytes).expect("parses");
        let read = doc.extract_text(&[1]).expect("text");
        for expected in [
            "Şükrü Łukasz José",
            "Fatma Yılmaz",
            "Zoë de Vries",
            "3 van 4",
            "7,5",
            "2 maart 2027 – 30 maart 2027",
            "ABCD-EFGH-JK",
        ] {
            assert!(read.contains(expected), "{expected:?} in {read}");
        }
    }
}
