//! The spreadsheets, laid out: the report workbook (`report.xlsx`, SPEC "Exports for the
//! workshop"), the researchers' workbook (`export.xlsx`) and the CSV export as Dutch Excel opens
//! it. `app::exports` gathers what a reader may see (through `app::reports`); this module only
//! writes it: a sheet per scope with numbers as numbers, an about sheet, the responses.

mod figures;
mod sheet_names;

pub use figures::ActionRow;
pub use sheet_names::SheetNames;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::engine::{Comparison, DimensionReport, Gap, GroupStats};
use crate::i18n::pack::pack_text;
use crate::i18n::Lang;

#[derive(thiserror::Error, Debug)]
pub enum WorkbookError {
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("reading the CSV export: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the CSV export: {0}")]
    Io(#[from] std::io::Error),
}

/// One scope of a workbook: its name (a team's, or the organisation's) and its comparison.
#[derive(Debug, Clone)]
pub struct Scope {
    pub name: String,
    pub comparison: Comparison,
}

/// The UTF-8 byte-order mark: Excel reads the file as UTF-8 only when it starts with it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rewrites a comma-separated export for Dutch Excel: a byte-order mark, then the same cells
/// separated by `;` (Excel in a Dutch locale uses the comma as its decimal sign).
pub fn excel_csv(csv_bytes: &[u8]) -> Result<Vec<u8>, WorkbookError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_bytes);
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .from_writer(&mut out);
        for record in reader.records() {
            w.write_record(&record?)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// One cell of a dimension row: a number, a text, or nothing (a figure not shown).
enum Value {
    Number(Option<f64>),
    Text(String),
}

impl Value {
    /// Writes the cell: a finite number in the number format, a text as it is, else nothing.
    fn write(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        formats: &Formats,
    ) -> Result<(), XlsxError> {
        match self {
            Value::Number(Some(v)) if v.is_finite() => {
                sheet.write_number_with_format(row, col, *v, &formats.number)?;
            }
            Value::Number(_) => {}
            Value::Text(s) => {
                sheet.write_string(row, col, s)?;
            }
        }
        Ok(())
    }
}

fn group(prefix: &str, g: Option<&GroupStats>, out: &mut Vec<(String, Value)>) {
    out.push((format!("{prefix}.n"), Value::Number(g.map(|g| g.n as f64))));
    out.push((
        format!("{prefix}.dont_know"),
        Value::Number(g.map(|g| g.dont_know as f64)),
    ));
    out.push((
        format!("{prefix}.mean"),
        Value::Number(g.and_then(|g| g.mean)),
    ));
    out.push((format!("{prefix}.sd"), Value::Number(g.and_then(|g| g.sd))));
}

fn gap(prefix: &str, g: Option<&Gap>, out: &mut Vec<(String, Value)>) {
    let f = |name: &str, v: Option<f64>| (format!("{prefix}.{name}"), Value::Number(v));
    out.push(f("value", g.map(|g| g.value)));
    out.push(f("se", g.map(|g| g.se)));
    out.push(f("df", g.and_then(|g| g.df)));
    out.push(f("ci95_low", g.map(|g| g.ci95[0])));
    out.push(f("ci95_high", g.map(|g| g.ci95[1])));
    out.push(f("p_value", g.map(|g| g.p_value)));
    out.push(f("p_adjusted", g.map(|g| g.p_adjusted)));
    out.push(f("hedges_g", g.and_then(|g| g.hedges_g)));
    out.push(f("mdd", g.and_then(|g| g.mdd)));
}

/// A dimension as (column, value) pairs; the column names follow the JSON report's fields
/// (their headers in words come from `i18n::workbook`), the verdict in words.
fn dimension_cells(lang: Lang, c: &Comparison, d: &DimensionReport) -> Vec<(String, Value)> {
    let text = |s: &str| Value::Text(s.to_string());
    let (verdict, conclusion) = crate::i18n::workbook::verdict(lang, d, c);
    let mut out = vec![
        (
            "priority".into(),
            Value::Number(Some(f64::from(d.priority))),
        ),
        ("key".into(), text(&d.key)),
        ("label".into(), text(&d.label)),
        ("verdict".into(), Value::Text(verdict)),
        ("conclusion".into(), Value::Text(conclusion)),
    ];
    group("employee", Some(&d.employee), &mut out);
    group("predicted", d.predicted.as_ref(), &mut out);
    group("customer", Some(&d.customer), &mut out);
    group("expected", d.expected.as_ref(), &mut out);
    gap("gap", d.gap.as_ref(), &mut out);
    gap("prediction_gap", d.prediction_gap.as_ref(), &mut out);
    let e = d.expectation_gap.as_ref();
    let ef = |name: &str, v: Option<f64>| (format!("expectation_gap.{name}"), Value::Number(v));
    out.push(ef("value", e.and_then(|e| e.value)));
    out.push(ef("ci95_low", e.and_then(|e| e.ci95).map(|c| c[0])));
    out.push(ef("ci95_high", e.and_then(|e| e.ci95).map(|c| c[1])));
    out.push(ef("p_value", e.and_then(|e| e.p_value)));
    out.push(ef("p_adjusted", e.and_then(|e| e.p_adjusted)));
    out.push(ef("n", e.map(|e| e.n as f64)));
    out.push(ef("pairs_left_out", e.map(|e| e.pairs_left_out as f64)));
    let s = d.stratified_gap.as_ref();
    let sf = |name: &str, v: Option<f64>| (format!("stratified_gap.{name}"), Value::Number(v));
    out.push(sf("value", s.and_then(|s| s.value)));
    out.push(sf("se", s.and_then(|s| s.se)));
    out.push(sf("df", s.and_then(|s| s.df)));
    out.push(sf("ci95_low", s.and_then(|s| s.ci95).map(|c| c[0])));
    out.push(sf("ci95_high", s.and_then(|s| s.ci95).map(|c| c[1])));
    out.push(sf("p_value", s.and_then(|s| s.p_value)));
    out.push(sf("teams_used", s.map(|s| s.teams_used as f64)));
    out.push(sf("teams_left_out", s.map(|s| s.teams_left_out as f64)));
    out.push((
        "stratified_gap.composition_warning".into(),
        match s.and_then(|s| s.composition_warning) {
            Some(w) => text(crate::i18n::workbook::yes_no(lang, w)),
            None => Value::Number(None),
        },
    ));
    let imp = d.importance.as_ref();
    let words = crate::i18n::charts::text(lang);
    out.push((
        "importance.source".into(),
        match imp.map(|i| i.source) {
            Some(s) => text(crate::i18n::workbook::importance_source(lang, s)),
            None => Value::Number(None),
        },
    ));
    let imf = |name: &str, v: Option<f64>| (format!("importance.{name}"), Value::Number(v));
    out.push(imf("value", imp.and_then(|i| i.value)));
    out.push(imf("ci95_low", imp.and_then(|i| i.ci95).map(|c| c[0])));
    out.push(imf("ci95_high", imp.and_then(|i| i.ci95).map(|c| c[1])));
    out.push(imf("n", imp.map(|i| i.n as f64)));
    for (name, q) in [
        ("quadrant", d.quadrant),
        ("predicted_quadrant", d.predicted_quadrant),
    ] {
        out.push((
            name.into(),
            match q {
                Some(q) => text(words.quadrant(q)),
                None => Value::Number(None),
            },
        ));
    }
    out
}

/// One comparison as a sheet: a header row, then one row per dimension in priority order;
/// a figure that may not be shown is an empty cell.
fn write_comparison(
    sheet: &mut Worksheet,
    lang: Lang,
    c: &Comparison,
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (r, d) in c.dimensions.iter().enumerate() {
        let cells = dimension_cells(lang, c, d);
        for (col, (name, value)) in cells.iter().enumerate() {
            let col = col as u16;
            if r == 0 {
                let header = crate::i18n::workbook::column(lang, name);
                sheet.write_string_with_format(0, col, &header, &formats.bold)?;
                sheet.set_column_width(col, if col < 5 { 18 } else { 12 })?;
            }
            let row = r as u32 + 1;
            value.write(sheet, row, col, formats)?;
        }
    }
    sheet.set_freeze_panes(1, 3)?;
    Ok(())
}

struct Formats {
    bold: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            number: Format::new().set_num_format("0.00"),
        }
    }
}

/// The "about" sheet: one row per scope with its counts and settings.
fn write_about(
    sheet: &mut Worksheet,
    lang: Lang,
    scopes: &[Scope],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let t = pack_text(lang);
    let header = [
        t.scope,
        "survey_id",
        "wave_id",
        "team_id",
        "published",
        "excluded_cells",
        "min_group_size",
        "alpha",
        "materiality",
        "respondents.employee",
        "respondents.customer",
        "nps.score",
        "nps.n",
        "nps.ci95_low",
        "nps.ci95_high",
    ];
    for (col, h) in header.iter().enumerate() {
        let h = match col {
            0 => h.to_string(),
            _ => crate::i18n::workbook::column(lang, h),
        };
        sheet.write_string_with_format(0, col as u16, &h, &formats.bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 24 } else { 14 })?;
    }
    for (r, scope) in scopes.iter().enumerate() {
        let (name, c) = (&scope.name, &scope.comparison);
        let row = r as u32 + 1;
        sheet.write_string(row, 0, name)?;
        let nps = c.nps.as_ref();
        let numbers = [
            Some(c.survey_id.get() as f64),
            c.wave_id.map(|w| w.get() as f64),
            c.team_id.map(|t| t.get() as f64),
            None,
            Some(c.excluded_cells as f64),
            Some(c.min_group_size as f64),
            Some(c.alpha),
            Some(c.materiality),
            Some(c.respondents.employee as f64),
            Some(c.respondents.customer as f64),
            nps.and_then(|n| n.score),
            nps.map(|n| n.n as f64),
            nps.and_then(|n| n.ci95).map(|ci| ci[0]),
            nps.and_then(|n| n.ci95).map(|ci| ci[1]),
        ];
        for (i, v) in numbers.iter().enumerate() {
            let col = i as u16 + 1;
            if let Some(v) = v.filter(|v| v.is_finite()) {
                sheet.write_number(row, col, v)?;
            }
        }
        sheet.write_boolean(row, 4, c.published)?;
    }
    Ok(())
}

/// The report workbook: a sheet per scope (the requested one first), then the about sheet.
/// Sheet names follow Excel's rules ([`SheetNames`]); the cells keep every name as it is.
pub fn report(
    lang: Lang,
    scopes: &[Scope],
    actions: &[ActionRow],
) -> Result<Vec<u8>, WorkbookError> {
    let t = pack_text(lang);
    let mut names = SheetNames::new();
    let about_name = names.reserve(t.sheet_about);
    let actions_name = names.reserve(t.sheet_actions);
    let (mut book, formats) = scope_sheets(&mut names, SheetNames::name, lang, scopes)?;
    let sheet = book.add_worksheet().set_name(actions_name)?;
    figures::write_actions(sheet, lang, actions, &formats)?;
    let about = book.add_worksheet().set_name(about_name)?;
    write_about(about, lang, scopes, &formats)?;
    Ok(book.save_to_buffer()?)
}

/// A new workbook with a sheet per scope (the first named by `first`, the others made
/// unique), then the knowledge sheet of them all (its name reserved before the scopes').
fn scope_sheets(
    names: &mut SheetNames,
    first: fn(&mut SheetNames, &str) -> String,
    lang: Lang,
    scopes: &[Scope],
) -> Result<(Workbook, Formats), XlsxError> {
    let knowledge_name = names.reserve(pack_text(lang).sheet_knowledge);
    let mut book = Workbook::new();
    let formats = Formats::new();
    for (i, scope) in scopes.iter().enumerate() {
        let name = if i == 0 {
            first(names, &scope.name)
        } else {
            names.name(&scope.name)
        };
        let sheet = book.add_worksheet().set_name(name)?;
        write_comparison(sheet, lang, &scope.comparison, &formats)?;
    }
    let knowledge = book.add_worksheet().set_name(knowledge_name)?;
    figures::write_knowledge(knowledge, lang, scopes, &formats)?;
    Ok((book, formats))
}

/// The researchers' workbook: the organisation's sheet, a sheet per team, then the responses
/// (the CSV export's cells, ratings and NPS as numbers). `scopes[0]` is the organisation.
pub fn export(
    lang: Lang,
    scopes: &[Scope],
    responses_csv: &[u8],
) -> Result<Vec<u8>, WorkbookError> {
    let t = pack_text(lang);
    let mut names = SheetNames::new();
    let responses_name = names.reserve(t.sheet_responses);
    // The organisation's sheet keeps its name as it is.
    let (mut book, formats) = scope_sheets(&mut names, SheetNames::reserve, lang, scopes)?;
    let sheet = book.add_worksheet().set_name(responses_name)?;
    write_responses(sheet, responses_csv, &formats.bold)?;
    Ok(book.save_to_buffer()?)
}

/// The responses sheet: the CSV export's cells, with ratings and NPS as numbers.
fn write_responses(
    sheet: &mut Worksheet,
    csv_bytes: &[u8],
    bold: &Format,
) -> Result<(), WorkbookError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_bytes);
    let text_columns = ["audience", "team", "submitted_at", "respondent", "comment"];
    let mut header: Vec<String> = Vec::new();
    for (r, record) in reader.records().enumerate() {
        let record = record?;
        for (c, cell) in record.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            if r == 0 {
                header.push(cell.to_string());
                sheet.write_string_with_format(row, col, cell, bold)?;
                continue;
            }
            let is_text = header
                .get(c)
                .is_none_or(|h| text_columns.contains(&h.as_str()));
            match cell.parse::<f64>() {
                Ok(v) if !is_text && v.is_finite() => sheet.write_number(row, col, v),
                _ if cell.is_empty() => Ok(&mut *sheet),
                _ => sheet.write_string(row, col, cell),
            }?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_csv_has_a_bom_and_semicolons_and_keeps_quoted_cells() {
        let out = excel_csv(b"audience,team,comment\ncustomer,Balie,\"goed; snel, vriendelijk\"\n")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}audience;team;comment\ncustomer;Balie;\"goed; snel, vriendelijk\"\n"
        );
    }
}
