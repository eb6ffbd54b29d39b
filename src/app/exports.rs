//! Exports for spreadsheets: the CSV export as Dutch Excel opens it (UTF-8 with a byte-order
//! mark, `;` between cells); the report workbook (`report.xlsx`, SPEC "Exports for the
//! workshop"): the comparison of each scope as a sheet, numbers as numbers, for any reader; and
//! the researchers' workbook (`export.xlsx`), the same sheets and the responses. Figures come
//! only from `reports::comparison` with the reader's `Principal`, so the anonymity and
//! publication rules hold as in every other output.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::domain::{Scope, SurveyId, TeamId, WaveId};
use crate::engine::{Comparison, DimensionReport, Gap, GroupStats};
use crate::error::AppError;
use crate::i18n::pack::pack_text;
use crate::i18n::Lang;
use crate::store::{self, AnyConnection};

use super::accounts::Principal;
use super::reports;
use super::{check_wave, survey_or_404, WaveRef};

/// Which workbook: a survey's wave (the default wave when none is named), one team or the
/// whole organisation with every team the reader may see.
#[derive(Debug, Clone, Copy)]
pub struct WorkbookRequest {
    pub survey_id: SurveyId,
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    pub lang: Lang,
}

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
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
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

/// One cell of a dimension row: a number, a text, or nothing (a figure not shown).
enum Value {
    Number(Option<f64>),
    Text(String),
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

/// A dimension as (column, value) pairs; the column names follow the JSON report's fields.
fn dimension_cells(lang: Lang, d: &DimensionReport) -> Vec<(String, Value)> {
    let text = |s: &str| Value::Text(s.to_string());
    let verdict = serde_json::to_value(d.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut out = vec![
        (
            "priority".into(),
            Value::Number(Some(f64::from(d.priority))),
        ),
        ("key".into(), text(&d.key)),
        ("label".into(), text(&d.label)),
        ("verdict".into(), Value::Text(verdict)),
        (
            "conclusion".into(),
            text(crate::i18n::verdict(lang, d.verdict)),
        ),
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
            Some(w) => Value::Text(w.to_string()),
            None => Value::Number(None),
        },
    ));
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
        let cells = dimension_cells(lang, d);
        for (col, (name, value)) in cells.iter().enumerate() {
            let col = col as u16;
            if r == 0 {
                sheet.write_string_with_format(0, col, name, &formats.bold)?;
                sheet.set_column_width(col, if col < 5 { 18 } else { 12 })?;
            }
            let row = r as u32 + 1;
            match value {
                Value::Number(Some(v)) if v.is_finite() => {
                    sheet.write_number_with_format(row, col, *v, &formats.number)?;
                }
                Value::Number(_) => {}
                Value::Text(s) => {
                    sheet.write_string(row, col, s)?;
                }
            }
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
    scopes: &[(String, Comparison)],
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
        sheet.write_string_with_format(0, col as u16, *h, &formats.bold)?;
        sheet.set_column_width(col as u16, if col == 0 { 24 } else { 14 })?;
    }
    for (r, (name, c)) in scopes.iter().enumerate() {
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

/// The report workbook and the wave it shows. The requested scope is the first sheet; for
/// the organisation, every team the reader may see that answered follows; an "about" sheet
/// ends it.
#[tracing::instrument(skip(conn, who))]
pub fn report_workbook(
    conn: &mut AnyConnection,
    who: &Principal,
    req: WorkbookRequest,
) -> Result<(Option<WaveId>, Vec<u8>), AppError> {
    let t = pack_text(req.lang);
    who.check_team(req.team_id)?;
    let wave_id = match req.wave_id {
        Some(w) => Some(w),
        None => reports::default_wave(conn, who, req.survey_id)?,
    };
    let first = reports::comparison(
        conn,
        who,
        Scope::new(req.survey_id, wave_id, req.team_id),
        req.lang,
    )?;
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let team_name = |id: TeamId| {
        teams
            .iter()
            .find(|tm| tm.id == id)
            .map(|tm| tm.name.clone())
            .unwrap_or_else(|| format!("{} {id}", t.team))
    };
    let mut scopes = vec![(
        match req.team_id {
            Some(id) => team_name(id),
            None => t.whole_organisation.to_string(),
        },
        first,
    )];
    if req.team_id.is_none() {
        for tm in &teams {
            let scope = Scope::new(req.survey_id, wave_id, Some(tm.id));
            let c = reports::comparison(conn, who, scope, req.lang)?;
            if c.respondents.employee + c.respondents.customer > 0 {
                scopes.push((tm.name.clone(), c));
            }
        }
    }
    let mut book = Workbook::new();
    let formats = Formats::new();
    let mut used = Vec::new();
    for (name, c) in &scopes {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(name, &mut used))
            .map_err(xlsx_error)?;
        write_comparison(sheet, req.lang, c, &formats).map_err(xlsx_error)?;
    }
    let about = book.add_worksheet();
    let about_name = match req.lang {
        Lang::Nl => "Over dit rapport",
        Lang::En => "About this report",
    };
    about
        .set_name(sheet_name(about_name, &mut used))
        .map_err(xlsx_error)?;
    write_about(about, req.lang, &scopes, &formats).map_err(xlsx_error)?;
    Ok((wave_id, book.save_to_buffer().map_err(xlsx_error)?))
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
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
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
    let mut teams_with_responses: Vec<TeamId> = store::responses::counts_by_scope(conn, survey_id)?
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
    let formats = Formats::new();
    let mut used = Vec::new();
    for (name, c) in &comparisons {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(name, &mut used))
            .map_err(xlsx_error)?;
        write_comparison(sheet, lang, c, &formats).map_err(xlsx_error)?;
    }
    let sheet = book.add_worksheet();
    let responses = match lang {
        Lang::Nl => "Antwoorden",
        Lang::En => "Responses",
    };
    sheet
        .set_name(sheet_name(responses, &mut used))
        .map_err(xlsx_error)?;
    write_responses(sheet, &csv_bytes, &formats.bold)?;
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
