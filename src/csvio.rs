//! SPEC's CSV format for responses: parsed and validated at the boundary (every bad cell
//! reported with its line and column), and written back for export.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::domain::submission::Answer;
use crate::domain::{optional_text, parse_nps, Audience, RatingKind, Scale};
use crate::error::RowError;
use crate::store::responses::{RatingRow, Response};
use crate::store::surveys::{Dimension, Survey};
use crate::store::teams::Team;

/// Cells that mean "don't know / not applicable".
pub const DONT_KNOW: &[&str] = &["nvt", "n.v.t.", "n/a", "dk"];
/// Most rows one import may hold.
pub const MAX_ROWS: usize = 200_000;
pub use crate::domain::submission::MAX_COMMENT;
pub const MAX_RESPONDENT: usize = 100;

/// One validated CSV row, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub line: u64,
    pub audience: Audience,
    pub team_id: i64,
    pub submitted_at: Option<chrono::NaiveDateTime>,
    pub respondent: Option<String>,
    pub nps: Option<i32>,
    pub comment: Option<String>,
    pub ratings: Vec<Answer>,
}

#[derive(Debug, Clone, Copy)]
enum Column {
    Audience,
    Team,
    SubmittedAt,
    Respondent,
    Nps,
    Comment,
    /// Dimension index and the kind: `None` = the audience's own rating (self / perceived).
    Rating(usize, Option<RatingKind>),
}

/// What an import needs to know about the survey.
pub struct ImportContext<'a> {
    pub survey: &'a Survey,
    pub dimensions: &'a [Dimension],
    pub teams: &'a [Team],
}

fn row_error(line: u64, column: Option<&str>, message: impl Into<String>) -> RowError {
    RowError {
        line,
        column: column.map(str::to_string),
        message: message.into(),
    }
}

/// Undoes the export's formula neutralisation: a leading `'` before `= + - @` is dropped.
fn unescape_text(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

/// Neutralises spreadsheet formulas: a text cell starting with `= + - @` (or a tab/CR) gets a leading `'`.
pub fn escape_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn parse_header(
    headers: &csv::StringRecord,
    ctx: &ImportContext,
    errors: &mut Vec<RowError>,
) -> Vec<Column> {
    let mut cols = Vec::with_capacity(headers.len());
    let mut seen = HashSet::new();
    for (i, raw) in headers.iter().enumerate() {
        let name = if i == 0 {
            raw.trim_start_matches('\u{feff}')
        } else {
            raw
        }
        .trim();
        if !seen.insert(name.to_string()) {
            errors.push(row_error(
                1,
                Some(name),
                format!("column '{name}' appears twice"),
            ));
        }
        let col = match name {
            "audience" => Some(Column::Audience),
            "team" => Some(Column::Team),
            "submitted_at" => Some(Column::SubmittedAt),
            "respondent" => Some(Column::Respondent),
            "nps" => Some(Column::Nps),
            "comment" => Some(Column::Comment),
            other => {
                let (key, kind) = match other.split_once('.') {
                    Some((k, suffix)) => (k, Some(suffix)),
                    None => (other, None),
                };
                let dim = ctx.dimensions.iter().position(|d| d.key == key);
                let kind = match kind {
                    None => Some(None),
                    Some(s) => match RatingKind::parse(s) {
                        Some(
                            k @ (RatingKind::Predicted
                            | RatingKind::Expected
                            | RatingKind::Importance),
                        ) => Some(Some(k)),
                        _ => None,
                    },
                };
                match (dim, kind) {
                    (Some(d), Some(k)) => Some(Column::Rating(d, k)),
                    (None, _) => {
                        errors.push(row_error(1, Some(name), format!("unknown column '{name}': not a field and not a dimension key of this survey")));
                        None
                    }
                    (Some(_), None) => {
                        errors.push(row_error(1, Some(name), format!("unknown column '{name}': the suffix must be .predicted, .expected or .importance")));
                        None
                    }
                }
            }
        };
        cols.push(col.unwrap_or(Column::Comment));
    }
    for required in ["audience", "team"] {
        if !seen.contains(required) {
            errors.push(row_error(
                1,
                Some(required),
                format!("the required column '{required}' is missing"),
            ));
        }
    }
    cols
}

/// Parses and validates a whole CSV. Either every row is valid, or every problem is returned.
pub fn parse(input: &[u8], ctx: &ImportContext) -> Result<Vec<ParsedRow>, Vec<RowError>> {
    let scale = ctx.survey.scale();
    let teams: HashMap<&str, i64> = ctx.teams.iter().map(|t| (t.name.as_str(), t.id)).collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let mut errors = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(vec![row_error(1, None, format!("unreadable header: {e}"))]),
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let columns = parse_header(&headers, ctx, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut respondents: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                errors.push(row_error(line, None, format!("unreadable row: {e}")));
                if errors.len() > 1000 {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(row_error(
                line,
                None,
                format!("too many rows: an import holds at most {MAX_ROWS}"),
            ));
            break;
        }
        match parse_row(line, &record, &columns, &names, ctx, scale, &teams) {
            Ok(row) => {
                if let Some(r) = &row.respondent {
                    if let Some(first) = respondents.insert(r.clone(), line) {
                        errors.push(row_error(line, Some("respondent"), format!("respondent '{r}' appears twice in this file (first on line {first})")));
                        continue;
                    }
                }
                rows.push(row)
            }
            Err(mut e) => errors.append(&mut e),
        }
        if errors.len() > 1000 {
            errors.push(row_error(
                line,
                None,
                "more than 1000 errors; stopped reading",
            ));
            break;
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn parse_row(
    line: u64,
    record: &csv::StringRecord,
    columns: &[Column],
    names: &[String],
    ctx: &ImportContext,
    scale: Scale,
    teams: &HashMap<&str, i64>,
) -> Result<ParsedRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let cell = |c: Column| -> Option<(usize, &str)> {
        columns
            .iter()
            .position(|x| std::mem::discriminant(x) == std::mem::discriminant(&c))
            .and_then(|i| record.get(i).map(|v| (i, v.trim())))
    };
    let audience = match cell(Column::Audience) {
        Some((_, v)) => match Audience::parse(&v.to_ascii_lowercase()) {
            Some(a) => Some(a),
            None => {
                errors.push(row_error(
                    line,
                    Some("audience"),
                    format!("'{v}' is not employee or customer"),
                ));
                None
            }
        },
        None => None,
    };
    let team_id = match cell(Column::Team) {
        Some((_, v)) => match teams.get(unescape_text(v)) {
            Some(id) => Some(*id),
            None => {
                errors.push(row_error(
                    line,
                    Some("team"),
                    format!("unknown team '{v}': create it first"),
                ));
                None
            }
        },
        None => None,
    };
    let submitted_at = match cell(Column::SubmittedAt) {
        Some((_, v)) if !v.is_empty() => match chrono::DateTime::parse_from_rfc3339(v) {
            Ok(d) => Some(d.with_timezone(&chrono::Utc).naive_utc()),
            Err(_) => {
                errors.push(row_error(
                    line,
                    Some("submitted_at"),
                    format!("'{v}' is not an RFC 3339 date-time"),
                ));
                None
            }
        },
        _ => None,
    };
    let respondent = match cell(Column::Respondent) {
        Some((_, v)) if !v.is_empty() => {
            match optional_text(unescape_text(v), "respondent", MAX_RESPONDENT) {
                Ok(s) => Some(s),
                Err(e) => {
                    errors.push(row_error(line, Some("respondent"), e.message));
                    None
                }
            }
        }
        _ => None,
    };
    let nps = match cell(Column::Nps) {
        Some((_, v)) if !v.is_empty() => match v
            .parse::<i64>()
            .map_err(|_| format!("'{v}' is not a whole number"))
            .and_then(|n| parse_nps(n, "nps").map_err(|e| e.message))
        {
            Ok(n) if audience == Some(Audience::Employee) => {
                let _ = n;
                errors.push(row_error(
                    line,
                    Some("nps"),
                    "employees do not answer the NPS question",
                ));
                None
            }
            Ok(n) => Some(n),
            Err(m) => {
                errors.push(row_error(line, Some("nps"), m));
                None
            }
        },
        _ => None,
    };
    let comment = match cell(Column::Comment) {
        Some((_, v)) if !v.is_empty() => {
            match optional_text(unescape_text(v), "comment", MAX_COMMENT) {
                Ok(s) => Some(s),
                Err(e) => {
                    errors.push(row_error(line, Some("comment"), e.message));
                    None
                }
            }
        }
        _ => None,
    };
    let mut ratings = Vec::new();
    for (i, col) in columns.iter().enumerate() {
        let Column::Rating(d, kind) = *col else {
            continue;
        };
        let v = record.get(i).unwrap_or("").trim();
        if v.is_empty() {
            continue;
        }
        let Some(aud) = audience else { continue };
        let kind = match (kind, aud) {
            (None, Audience::Employee) => RatingKind::SelfRating,
            (None, Audience::Customer) => RatingKind::Perceived,
            (Some(k), _) => k,
        };
        let name = names.get(i).map(String::as_str).unwrap_or("");
        if kind.audience() != aud {
            errors.push(row_error(
                line,
                Some(name),
                format!("a {aud} does not give a '{kind}' rating"),
            ));
            continue;
        }
        if !ctx.survey.asks(kind) {
            errors.push(row_error(
                line,
                Some(name),
                format!("this survey does not ask for '{kind}' ratings"),
            ));
            continue;
        }
        let value = if DONT_KNOW.contains(&v.to_ascii_lowercase().as_str()) {
            None
        } else {
            match v.parse::<i64>() {
                Ok(n) if n >= i64::from(scale.min()) && n <= i64::from(scale.max()) => {
                    Some(n as i32)
                }
                Ok(n) => {
                    errors.push(row_error(
                        line,
                        Some(name),
                        format!("{n} is outside the scale {}–{}", scale.min(), scale.max()),
                    ));
                    continue;
                }
                Err(_) => {
                    errors.push(row_error(
                        line,
                        Some(name),
                        format!("'{v}' is not a whole number or one of nvt, n.v.t., n/a, dk"),
                    ));
                    continue;
                }
            }
        };
        ratings.push(Answer {
            dimension_id: ctx.dimensions[d].id,
            kind,
            value,
        });
    }
    if errors.is_empty() && ratings.is_empty() {
        errors.push(row_error(
            line,
            None,
            "the row has no rating: a response needs at least one",
        ));
    }
    match (errors.is_empty(), audience, team_id) {
        (true, Some(audience), Some(team_id)) => Ok(ParsedRow {
            line,
            audience,
            team_id,
            submitted_at,
            respondent,
            nps,
            comment,
            ratings,
        }),
        _ => {
            if errors.is_empty() {
                errors.push(row_error(line, None, "the row lacks an audience or a team"));
            }
            Err(errors)
        }
    }
}

/// The extra kinds a survey's CSV carries, in column order.
fn extra_kinds(survey: &Survey) -> Vec<RatingKind> {
    [
        RatingKind::Predicted,
        RatingKind::Expected,
        RatingKind::Importance,
    ]
    .into_iter()
    .filter(|k| survey.asks(*k))
    .collect()
}

/// Writes responses in SPEC's CSV format (the import's own format, so exports re-import).
pub fn write(
    survey: &Survey,
    dims: &[Dimension],
    teams: &[Team],
    responses: &[Response],
    ratings: &[RatingRow],
) -> Result<Vec<u8>, csv::Error> {
    let extras = extra_kinds(survey);
    let mut header: Vec<String> = [
        "audience",
        "team",
        "submitted_at",
        "respondent",
        "nps",
        "comment",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for d in dims {
        header.push(d.key.clone());
        for k in &extras {
            header.push(format!("{}.{}", d.key, k.as_str()));
        }
    }
    let team_names: HashMap<i64, &str> = teams.iter().map(|t| (t.id, t.name.as_str())).collect();
    let mut by_response: BTreeMap<i64, Vec<&RatingRow>> = BTreeMap::new();
    for r in ratings {
        by_response.entry(r.response_id).or_default().push(r);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    for resp in responses {
        let audience = resp.audience;
        let mut row: Vec<String> = vec![
            audience.as_str().to_string(),
            escape_text(team_names.get(&resp.team_id).copied().unwrap_or("")),
            resp.submitted_at
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            resp.respondent
                .as_deref()
                .map(escape_text)
                .unwrap_or_default(),
            resp.nps.map(|n| n.to_string()).unwrap_or_default(),
            resp.comment.as_deref().map(escape_text).unwrap_or_default(),
        ];
        let mine = by_response.get(&resp.id).map(Vec::as_slice).unwrap_or(&[]);
        let cell = |dim_id: i64, kind: RatingKind| -> String {
            match mine
                .iter()
                .find(|r| r.dimension_id == dim_id && r.kind == kind)
            {
                None => String::new(),
                Some(r) => r
                    .value
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "nvt".into()),
            }
        };
        let own = match audience {
            Audience::Employee => RatingKind::SelfRating,
            Audience::Customer => RatingKind::Perceived,
        };
        for d in dims {
            row.push(cell(d.id, own));
            for k in &extras {
                row.push(cell(d.id, *k));
            }
        }
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
