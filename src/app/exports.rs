//! Exports for spreadsheets: the CSV export as Dutch Excel opens it (UTF-8 with a byte-order
//! mark, `;` between cells), and an XLSX workbook with the comparison per scope (numbers as
//! numbers) and, for admins, the responses.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::domain::Scope;
use crate::engine::{Comparison, GroupStats};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::{self, AnyConnection};

use super::accounts::Principal;

use super::{check_wave, survey_or_404, WaveRef};

/// The UTF-8 byte-order mark: Excel reads the file as UTF-8 only when it starts with it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rewrites a comma-separated export for Dutch Excel: a byte-order mark, then the same cells
/// separated by `;` (Excel in a Dutch locale uses the comma as its decimal sign).
pub fn excel_csv(csv_bytes: &[u8]) -> Result<Vec<u8>, AppError> {
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
            w.write_record(&record.map_err(AppError::internal)?)
                .map_err(AppError::internal)?;
        }
        w.flush().map_err(AppError::internal)?;
    }
    Ok(out)
}

/// The CSV export of a survey (optionally one wave) for Dutch Excel.
#[tracing::instrument(skip(conn))]
pub fn export_excel_csv(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: Option<i64>,
) -> Result<Vec<u8>, AppError> {
    excel_csv(&super::csv::export_csv(conn, survey_id, wave_id)?)
}

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::internal(anyhow::anyhow!("writing the workbook: {e}"))
}

/// A sheet name: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut candidate = clean.clone();
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("{clean} {n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

fn number_or_blank(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        sheet.write_number(row, col, v)?;
    }
    Ok(())
}

const COMPARISON_HEADER: [&str; 13] = [
    "priority",
    "key",
    "dimension",
    "employees_n",
    "employees_mean",
    "predicted_mean",
    "customers_n",
    "customers_mean",
    "expected_mean",
    "gap",
    "ci95_low",
    "ci95_high",
    "p_value",
];

fn mean(g: &Option<GroupStats>) -> Option<f64> {
    g.as_ref().and_then(|g| g.mean)
}

/// One comparison as a sheet: a row per dimension in priority order, numbers as numbers,
/// empty cells where a group is too small to show.
fn write_comparison(sheet: &mut Worksheet, c: &Comparison, bold: &Format) -> Result<(), XlsxError> {
    for (i, h) in COMPARISON_HEADER
        .iter()
        .chain(["verdict"].iter())
        .enumerate()
    {
        sheet.write_string_with_format(0, i as u16, *h, bold)?;
    }
    for (r, d) in c.dimensions.iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_number(row, 0, f64::from(d.priority))?;
        sheet.write_string(row, 1, &d.key)?;
        sheet.write_string(row, 2, &d.label)?;
        sheet.write_number(row, 3, d.employee.n as f64)?;
        number_or_blank(sheet, row, 4, d.employee.mean)?;
        number_or_blank(sheet, row, 5, mean(&d.predicted))?;
        sheet.write_number(row, 6, d.customer.n as f64)?;
        number_or_blank(sheet, row, 7, d.customer.mean)?;
        number_or_blank(sheet, row, 8, mean(&d.expected))?;
        number_or_blank(sheet, row, 9, d.gap.as_ref().map(|g| g.value))?;
        number_or_blank(sheet, row, 10, d.gap.as_ref().map(|g| g.ci95[0]))?;
        number_or_blank(sheet, row, 11, d.gap.as_ref().map(|g| g.ci95[1]))?;
        number_or_blank(sheet, row, 12, d.gap.as_ref().map(|g| g.p_value))?;
        let verdict = serde_json::to_value(d.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        sheet.write_string(row, 13, &verdict)?;
    }
    Ok(())
}

/// The responses sheet: the CSV export's cells, with ratings and NPS as numbers.
fn write_responses(sheet: &mut Worksheet, csv_bytes: &[u8], bold: &Format) -> Result<(), AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_bytes);
    let text_columns = ["audience", "team", "submitted_at", "respondent", "comment"];
    let mut header: Vec<String> = Vec::new();
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(AppError::internal)?;
        for (c, cell) in record.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            if r == 0 {
                header.push(cell.to_string());
                sheet
                    .write_string_with_format(row, col, cell, bold)
                    .map_err(xlsx_error)?;
                continue;
            }
            let is_text = header
                .get(c)
                .is_none_or(|h| text_columns.contains(&h.as_str()));
            match cell.parse::<f64>() {
                Ok(v) if !is_text && v.is_finite() => sheet.write_number(row, col, v),
                _ if cell.is_empty() => Ok(&mut *sheet),
                _ => sheet.write_string(row, col, cell),
            }
            .map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// The workbook of a survey's wave (the latest one to open when none is given): the
/// comparison of the whole organisation and of each team with responses, then the responses.
/// For admins only (the responses are raw data).
#[tracing::instrument(skip(conn))]
pub fn export_xlsx(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: i64,
    wave_id: Option<i64>,
    lang: Lang,
) -> Result<Vec<u8>, AppError> {
    survey_or_404(conn, survey_id)?;
    let wave_id = match wave_id {
        Some(w) => {
            check_wave(conn, survey_id, w, WaveRef::Filter)?;
            Some(w)
        }
        None => super::reports::default_wave(conn, who, survey_id)?,
    };
    let mut teams_with_responses: Vec<i64> = store::responses::counts_by_scope(conn, survey_id)?
        .into_iter()
        .filter(|(w, _, _, n)| Some(*w) == wave_id && *n > 0)
        .map(|(_, t, _, _)| t)
        .collect();
    teams_with_responses.sort_unstable();
    teams_with_responses.dedup();
    let teams = store::teams::list(conn, None)?;
    let mut scopes = vec![(
        match lang {
            Lang::Nl => "Organisatie".to_string(),
            Lang::En => "Organisation".to_string(),
        },
        None,
    )];
    scopes.extend(
        teams
            .iter()
            .filter(|t| teams_with_responses.contains(&t.id))
            .map(|t| (t.name.clone(), Some(t.id))),
    );
    let mut comparisons = Vec::new();
    for (name, team) in scopes {
        let c = super::reports::comparison(conn, who, Scope::new(survey_id, wave_id, team), lang)?;
        comparisons.push((name, c));
    }
    let csv_bytes = super::csv::export_csv(conn, survey_id, wave_id)?;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut used = Vec::new();
    for (name, c) in &comparisons {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(name, &mut used))
            .map_err(xlsx_error)?;
        write_comparison(sheet, c, &bold).map_err(xlsx_error)?;
    }
    let sheet = book.add_worksheet();
    let responses = match lang {
        Lang::Nl => "Antwoorden",
        Lang::En => "Responses",
    };
    sheet
        .set_name(sheet_name(responses, &mut used))
        .map_err(xlsx_error)?;
    write_responses(sheet, &csv_bytes, &bold)?;
    book.save_to_buffer().map_err(xlsx_error)
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

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("Klant/service", &mut used), "Klant_service");
        assert_eq!(sheet_name("klant_service", &mut used), "klant_service 2");
        assert_eq!(
            sheet_name("Een heel lange teamnaam die niet past", &mut used)
                .chars()
                .count(),
            28
        );
    }
}
