//! Tables for spreadsheets and programs: one header row, then one row per record, in four
//! formats. `csv` is RFC 4180 (UTF-8, comma, `.` decimals, ISO dates); `csv-nl` is what Dutch
//! Excel opens by double-click (UTF-8 with BOM, `;`, `,` decimals, Dutch headers, dates as
//! `dd-mm-jjjj`); `xlsx` has real number, date, time and percentage cells, a bold frozen
//! header, an auto-filter and column widths; `json` is a list of objects keyed by the column
//! names. Every text cell of the spreadsheet formats is neutralised against formulas, and so
//! is every part of it that a reader splitting on `;` or `,` would make a cell of its own:
//! a leading `'`, never stripping. Rows are written one at a time and the bytes produced so
//! far can be taken (`take`), so that an export streams.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use rust_xlsxwriter::{Format as XlsxFormat, Workbook, Worksheet};

use crate::error::{AppError, AppResult};
use crate::i18n::Locale;

/// The formats a table is written in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray, serde::Serialize,
)]
#[strum(serialize_all = "kebab-case", ascii_case_insensitive)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Csv,
    CsvNl,
    Xlsx,
    Json,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvNl => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvNl => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }
}

/// A column: its name in `csv` and `json` (`session_id`), and the Fluent key of its header
/// in `csv-nl` (Dutch) and `xlsx` (the reader's language).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
}

/// One value; typed, so that each format writes it as what it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A number with `decimals` places (hours: 1.5).
    Number(f64, usize),
    /// A fraction (0.75 is 75 %); `None` when there is nothing to divide by.
    Percent(Option<f64>),
    Date(NaiveDate),
    Time(NaiveTime),
    Bool(bool),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}
impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}
impl From<Option<String>> for Cell {
    fn from(text: Option<String>) -> Self {
        text.map_or(Cell::Empty, Cell::Text)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}
impl From<Option<i64>> for Cell {
    fn from(n: Option<i64>) -> Self {
        n.map_or(Cell::Empty, Cell::Int)
    }
}

/// A spreadsheet would run text that starts with one of these as a formula.
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{fe63}' | '\u{ff20}')
}

/// `text` with a `'` before every part that a spreadsheet could read as a formula: the
/// start, and the start of every part after a `;` or `,` (a reader may split there).
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    neutralise_into(text, &mut out);
    out
}

/// `neutralise`, appended to `out`.
fn neutralise_into(text: &str, out: &mut String) {
    let mut at_start = true;
    for c in text.chars() {
        if at_start && formula_start(c) {
            out.push('\'');
        }
        at_start = matches!(c, ';' | ',');
        out.push(c);
    }
}

/// A table being written.
pub struct Table {
    format: Format,
    columns: Vec<Column>,
    out: Output,
    rows: usize,
    /// The csv field being written, kept between fields so that a row allocates nothing.
    field: String,
}

enum Output {
    Csv(Box<csv::Writer<Shared>>),
    Json(Vec<u8>),
    Xlsx(Box<Xlsx>),
}

struct Xlsx {
    workbook: Workbook,
    widths: Vec<usize>,
    date: XlsxFormat,
    time: XlsxFormat,
    percent: XlsxFormat,
}

impl Table {
    /// A table for programs and partners: `csv` and `json` name the columns by their keys.
    pub fn new(format: Format, columns: &[Column], locale: Locale) -> AppResult<Table> {
        Self::build(format, columns, locale, false)
    }

    /// A list for people (a coordinator's list of a course): `csv` too has headers in the
    /// reader's language and a BOM, so that any spreadsheet reads the accents right.
    pub fn for_people(format: Format, columns: &[Column], locale: Locale) -> AppResult<Table> {
        Self::build(format, columns, locale, true)
    }

    fn build(format: Format, columns: &[Column], locale: Locale, for_people: bool) -> AppResult<Table> {
        let header_locale = if format == Format::CsvNl { Locale::Nl } else { locale };
        let keyed = format == Format::Json || (format == Format::Csv && !for_people);
        let headers: Vec<String> =
            columns.iter().map(|c| if keyed { c.key.to_owned() } else { header_locale.t(c.label) }).collect();
        let out = match format {
            Format::Csv | Format::CsvNl => {
                let delimiter = if format == Format::CsvNl { b';' } else { b',' };
                let bom = format == Format::CsvNl || for_people;
                let start = if bom { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(delimiter)
                    .quote_style(csv::QuoteStyle::NonNumeric)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(Shared(std::sync::Arc::new(std::sync::Mutex::new(start))));
                writer.write_record(headers.iter().map(|h| neutralise(h))).map_err(AppError::internal)?;
                Output::Csv(Box::new(writer))
            }
            Format::Json => Output::Json(b"[".to_vec()),
            Format::Xlsx => {
                let mut workbook = Workbook::new();
                let sheet = workbook.add_worksheet_with_constant_memory().map_err(AppError::internal)?;
                let bold = XlsxFormat::new().set_bold();
                for (col, header) in headers.iter().enumerate() {
                    sheet
                        .write_string_with_format(0, col as u16, neutralise(header), &bold)
                        .map_err(AppError::internal)?;
                }
                sheet.set_freeze_panes(1, 0).map_err(AppError::internal)?;
                let widths = headers.iter().map(|h| h.chars().count() + 2).collect();
                Output::Xlsx(Box::new(Xlsx {
                    workbook,
                    widths,
                    date: XlsxFormat::new().set_num_format("dd-mm-yyyy"),
                    time: XlsxFormat::new().set_num_format("hh:mm"),
                    percent: XlsxFormat::new().set_num_format("0.0%"),
                }))
            }
        };
        Ok(Table { format, columns: columns.to_vec(), out, rows: 0, field: String::new() })
    }

    /// Write one record; its cells in the order of the columns.
    pub fn row(&mut self, cells: Vec<Cell>) -> AppResult<()> {
        debug_assert_eq!(cells.len(), self.columns.len());
        let nl = self.format == Format::CsvNl;
        match &mut self.out {
            Output::Csv(writer) => {
                for cell in &cells {
                    self.field.clear();
                    csv_text(cell, nl, &mut self.field);
                    writer.write_field(&self.field).map_err(AppError::internal)?;
                }
                // the fields are written: this ends the record
                writer.write_record(None::<&[u8]>).map_err(AppError::internal)?;
            }
            Output::Json(buffer) => {
                let object: serde_json::Map<String, serde_json::Value> =
                    self.columns.iter().zip(&cells).map(|(c, cell)| (c.key.to_owned(), json_value(cell))).collect();
                if self.rows > 0 {
                    buffer.push(b',');
                }
                serde_json::to_writer(&mut *buffer, &object).map_err(AppError::internal)?;
            }
            Output::Xlsx(xlsx) => {
                let Xlsx { workbook, widths, date, time, percent } = &mut **xlsx;
                let sheet: &mut Worksheet = workbook.worksheet_from_index(0).map_err(AppError::internal)?;
                let row = (self.rows + 1) as u32;
                for (col, cell) in cells.iter().enumerate() {
                    let c = col as u16;
                    let shown = match cell {
                        Cell::Text(text) => {
                            let text = neutralise(text);
                            sheet.write_string(row, c, &text).map_err(AppError::internal)?;
                            text.chars().count()
                        }
                        Cell::Int(n) => {
                            sheet.write_number(row, c, *n as f64).map_err(AppError::internal)?;
                            n.to_string().len()
                        }
                        Cell::Number(n, _) => {
                            sheet.write_number(row, c, *n).map_err(AppError::internal)?;
                            6
                        }
                        Cell::Percent(Some(p)) => {
                            sheet.write_number_with_format(row, c, *p, percent).map_err(AppError::internal)?;
                            6
                        }
                        Cell::Date(d) => {
                            sheet.write_date_with_format(row, c, *d, date).map_err(AppError::internal)?;
                            10
                        }
                        Cell::Time(t) => {
                            sheet.write_time_with_format(row, c, *t, time).map_err(AppError::internal)?;
                            5
                        }
                        Cell::Bool(b) => {
                            sheet.write_boolean(row, c, *b).map_err(AppError::internal)?;
                            5
                        }
                        Cell::Percent(None) | Cell::Empty => 0,
                    };
                    if let Some(width) = widths.get_mut(col) {
                        *width = (*width).max(shown.min(60) + 2);
                    }
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The bytes written since the last call, to send on (empty for xlsx, which is one
    /// zip file at the end).
    pub fn take(&mut self) -> AppResult<Vec<u8>> {
        match &mut self.out {
            Output::Csv(writer) => {
                writer.flush().map_err(AppError::internal)?;
                Ok(writer.get_ref().take())
            }
            Output::Json(buffer) => Ok(std::mem::take(buffer)),
            Output::Xlsx(_) => Ok(Vec::new()),
        }
    }

    /// The rest of the table.
    pub fn finish(mut self) -> AppResult<Vec<u8>> {
        let rows = self.rows;
        let columns = self.columns.len();
        let mut rest = self.take()?;
        match self.out {
            Output::Csv(_) => Ok(rest),
            Output::Json(_) => {
                rest.push(b']');
                Ok(rest)
            }
            Output::Xlsx(xlsx) => {
                let Xlsx { mut workbook, widths, .. } = *xlsx;
                let sheet = workbook.worksheet_from_index(0).map_err(AppError::internal)?;
                if columns > 0 {
                    sheet.autofilter(0, 0, rows as u32, (columns - 1) as u16).map_err(AppError::internal)?;
                }
                for (col, width) in widths.iter().enumerate() {
                    sheet.set_column_width(col as u16, *width as f64).map_err(AppError::internal)?;
                }
                workbook.save_to_buffer().map_err(AppError::internal)
            }
        }
    }
}

/// The csv writer's output, from which the written bytes are taken as they come.
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Shared {
    fn take(&self) -> Vec<u8> {
        self.0.lock().map(|mut bytes| std::mem::take(&mut *bytes)).unwrap_or_default()
    }
}

impl std::io::Write for Shared {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text of `cell` in a csv file, appended to `out` (which holds nothing else).
fn csv_text(cell: &Cell, nl: bool, out: &mut String) {
    use std::fmt::Write;
    // writing into a String cannot fail
    let _ = match cell {
        Cell::Text(text) => {
            neutralise_into(text, out);
            Ok(())
        }
        Cell::Int(n) => write!(out, "{n}"),
        Cell::Number(n, places) => write!(out, "{n:.places$}"),
        Cell::Percent(Some(p)) if nl => write!(out, "{:.1}%", p * 100.0),
        Cell::Percent(Some(p)) => write!(out, "{p:.4}"),
        Cell::Date(d) if nl => write!(out, "{:02}-{:02}-{:04}", d.day(), d.month(), d.year()),
        Cell::Date(d) => write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        Cell::Time(t) => write!(out, "{:02}:{:02}", t.hour(), t.minute()),
        Cell::Bool(b) if nl => {
            out.push_str(if *b { "ja" } else { "nee" });
            Ok(())
        }
        Cell::Bool(b) => write!(out, "{b}"),
        Cell::Percent(None) | Cell::Empty => Ok(()),
    };
    if nl
        && matches!(cell, Cell::Number(..) | Cell::Percent(Some(_)))
        && let Some(point) = out.find('.')
    {
        out.replace_range(point..=point, ",");
    }
}

/// JSON keeps the data as it is (programs read it, not spreadsheets).
fn json_value(cell: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match cell {
        Cell::Text(text) => Value::String(text.clone()),
        Cell::Int(n) => (*n).into(),
        Cell::Number(n, places) => {
            let factor = 10f64.powi(*places as i32);
            serde_json::Number::from_f64((n * factor).round() / factor).map_or(Value::Null, Value::Number)
        }
        Cell::Percent(Some(p)) => {
            serde_json::Number::from_f64((p * 10_000.0).round() / 10_000.0).map_or(Value::Null, Value::Number)
        }
        Cell::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        Cell::Time(t) => Value::String(t.format("%H:%M").to_string()),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Percent(None) | Cell::Empty => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_wherever_a_cell_could_start() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+31 6 1234"), "'+31 6 1234");
        assert_eq!(neutralise("Priya;=1+1;"), "Priya;'=1+1;");
        assert_eq!(neutralise("a,@SUM(A1)"), "a,'@SUM(A1)");
        assert_eq!(neutralise("Ayşe"), "Ayşe");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn dutch_csv_has_a_bom_semicolons_decimal_commas_and_dutch_dates() {
        let columns = [Column { key: "name", label: "csv-name" }, Column { key: "rate", label: "csv-name" }];
        let mut table = Table::new(Format::CsvNl, &columns, Locale::En).unwrap();
        table.row(vec!["Priya;=1+1;".into(), Cell::Percent(Some(0.75))]).unwrap();
        table.row(vec![Cell::Date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), Cell::Number(1.5, 1)]).unwrap();
        let text = String::from_utf8(table.finish().unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'), "{text}");
        // every text field quoted (it may hold a separator), the formula part escaped
        assert!(text.contains("\"Priya;'=1+1;\";\"75,0%\""), "{text}");
        assert!(text.contains("\"01-12-2026\";\"1,5\""), "{text}");
    }

    #[test]
    fn json_is_a_list_of_objects() {
        let columns = [Column { key: "name", label: "csv-name" }, Column { key: "n", label: "csv-name" }];
        let mut table = Table::new(Format::Json, &columns, Locale::Nl).unwrap();
        table.row(vec!["=x".into(), Cell::Int(3)]).unwrap();
        table.row(vec![Cell::Empty, Cell::Int(4)]).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&table.finish().unwrap()).unwrap();
        assert_eq!(value, serde_json::json!([{"name": "=x", "n": 3}, {"name": null, "n": 4}]));
    }
}
