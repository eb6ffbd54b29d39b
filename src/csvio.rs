//! SPEC's CSV format for responses: parsed and validated at the boundary (every bad cell
//! reported with its line and column), and written back for export.

use std::collections::{HashMap, HashSet};

use crate::domain::submission::Answer;
use crate::domain::{optional_text, parse_nps, Audience, RatingKind, Scale, TeamId};
use crate::error::ErrorCode;
use crate::error::RowError;
use crate::store::surveys::{Dimension, Survey};
use crate::store::teams::Team;

mod export;
pub use export::{escape_text, ExportLayout};

/// Cells that mean "don't know / not applicable".
pub const DONT_KNOW: &[&str] = &["nvt", "n.v.t.", "n/a", "dk"];
/// Most rows one import may hold.
pub const MAX_ROWS: usize = 200_000;
pub use crate::domain::submission::MAX_COMMENT;
pub const MAX_RESPONDENT: usize = 100;
/// Most problems an error report lists; the rest are counted (`rows_omitted`).
pub const MAX_PROBLEMS: usize = 1000;
/// Most columns a header may have (a survey's CSV has 6 fields and up to 4 per dimension).
pub const MAX_COLUMNS: usize = 1000;
/// Longest column name or cell text quoted in a problem.
const QUOTE_CHARS: usize = 60;

/// The problems of a file: the first `MAX_PROBLEMS` in file order, and how many more.
#[derive(Debug, Default)]
pub struct Problems {
    pub listed: Vec<RowError>,
    pub omitted: u64,
}

impl Problems {
    fn one(e: RowError) -> Problems {
        Problems {
            listed: vec![e],
            omitted: 0,
        }
    }

    fn push(&mut self, e: RowError) {
        if self.listed.len() < MAX_PROBLEMS {
            self.listed.push(e);
        } else {
            self.omitted += 1;
        }
    }

    fn extend(&mut self, errors: Vec<RowError>) {
        for e in errors {
            self.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// Every problem found, listed or not.
    pub fn total(&self) -> u64 {
        self.listed.len() as u64 + self.omitted
    }
}

/// A whole valid file: its rows and the delimiter it used.
#[derive(Debug)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub delimiter: u8,
}

/// A text quoted in a problem, cut to `QUOTE_CHARS` characters (a hostile file must not
/// make its error report as large as itself).
fn quote(s: &str) -> String {
    if s.chars().count() <= QUOTE_CHARS {
        return s.to_string();
    }
    let mut out: String = s.chars().take(QUOTE_CHARS - 1).collect();
    out.push('…');
    out
}

/// One validated CSV row, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub line: u64,
    pub audience: Audience,
    pub team_id: TeamId,
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

fn row_error(line: u64, column: Option<&str>, problem: ErrorCode) -> RowError {
    RowError {
        line,
        column: column.map(quote),
        problem,
    }
}

/// The file as UTF-8 text, or the problem that says how to save it so (Excel's plain "CSV"
/// is Windows-1252 on Dutch systems).
fn check_utf8(input: &[u8]) -> Result<(), RowError> {
    let Err(e) = std::str::from_utf8(input) else {
        return Ok(());
    };
    let at = e.valid_up_to();
    let line = 1 + input[..at].iter().filter(|&&b| b == b'\n').count() as u64;
    let byte = input.get(at).copied().unwrap_or(0);
    Err(row_error(
        line,
        None,
        ErrorCode::NotUtf8 {
            byte: format!("0x{byte:02X}"),
        },
    ))
}

/// The header line's delimiter (`,` or `;`, whichever it holds more of outside quotes; Dutch
/// Excel writes `;`) and its number of columns, read without parsing the line.
pub(crate) fn sniff_header(input: &[u8]) -> (u8, usize) {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for &b in input {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    if semicolons > commas {
        (b';', semicolons + 1)
    } else {
        (b',', commas + 1)
    }
}

/// Undoes the export's formula neutralisation: a leading `'` before `= + - @` is dropped.
fn unescape_text(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

fn parse_header(
    headers: &csv::StringRecord,
    ctx: &ImportContext,
    errors: &mut Problems,
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
                ErrorCode::ColumnTwice {
                    column: quote(name),
                },
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
                        errors.push(row_error(
                            1,
                            Some(name),
                            ErrorCode::ColumnUnknown {
                                column: quote(name),
                            },
                        ));
                        None
                    }
                    (Some(_), None) => {
                        errors.push(row_error(
                            1,
                            Some(name),
                            ErrorCode::ColumnSuffix {
                                column: quote(name),
                            },
                        ));
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
                ErrorCode::ColumnMissing {
                    column: required.to_string(),
                },
            ));
        }
    }
    cols
}

/// Parses and validates a whole CSV. Either every row is valid, or the problems are returned
/// (the first `MAX_PROBLEMS`; `parse_file` also counts the rest).
pub fn parse(input: &[u8], ctx: &ImportContext) -> Result<Vec<ParsedRow>, Vec<RowError>> {
    parse_file(input, ctx).map(|p| p.rows).map_err(|p| p.listed)
}

/// Parses and validates a whole CSV, `,`- or `;`-separated. Memory stays bounded by the input:
/// a header with more than `MAX_COLUMNS` columns is refused before it is split, at most
/// `MAX_PROBLEMS` problems are kept, and rows are no longer kept once one is bad.
pub fn parse_file(input: &[u8], ctx: &ImportContext) -> Result<Parsed, Problems> {
    check_utf8(input).map_err(Problems::one)?;
    let (delimiter, columns_in_header) = sniff_header(input);
    if columns_in_header > MAX_COLUMNS {
        return Err(Problems::one(row_error(
            1,
            None,
            ErrorCode::HeaderTooWide {
                columns: columns_in_header,
                max: MAX_COLUMNS,
            },
        )));
    }
    let scale = ctx.survey.scale();
    let teams: HashMap<&str, TeamId> = ctx.teams.iter().map(|t| (t.name.as_str(), t.id)).collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(input);
    let mut errors = Problems::default();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(Problems::one(row_error(
                1,
                None,
                ErrorCode::UnreadableHeader {
                    detail: e.to_string(),
                },
            )))
        }
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
    let mut read = 0usize;
    let mut respondents: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                errors.push(row_error(
                    line,
                    None,
                    ErrorCode::UnreadableRow {
                        detail: e.to_string(),
                    },
                ));
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if read >= MAX_ROWS {
            errors.push(row_error(
                line,
                None,
                ErrorCode::TooManyRows { max: MAX_ROWS },
            ));
            break;
        }
        read += 1;
        match parse_row(line, &record, &columns, &names, ctx, scale, &teams) {
            Ok(row) => {
                if let Some(r) = &row.respondent {
                    if let Some(first) = respondents.insert(r.clone(), line) {
                        errors.push(row_error(
                            line,
                            Some("respondent"),
                            ErrorCode::RespondentTwice {
                                respondent: r.clone(),
                                first,
                            },
                        ));
                        continue;
                    }
                }
                // Once a row is bad nothing is stored: only the problems are worth keeping.
                if errors.is_empty() {
                    rows.push(row)
                }
            }
            Err(e) => {
                if rows.capacity() > 0 {
                    rows = Vec::new();
                }
                errors.extend(e)
            }
        }
    }
    if errors.is_empty() {
        Ok(Parsed { rows, delimiter })
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
    teams: &HashMap<&str, TeamId>,
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
                    ErrorCode::NotOneOf {
                        value: quote(v),
                        allowed: "employee, customer".into(),
                    },
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
                    ErrorCode::UnknownTeamName { name: quote(v) },
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
                    ErrorCode::NotADateTime { value: quote(v) },
                ));
                None
            }
        },
        _ => None,
    };
    // A free text: none when empty, an error when too long.
    let text = |c: Column, field: &str, max: usize, errors: &mut Vec<RowError>| match cell(c) {
        Some((_, v)) if !v.is_empty() => match optional_text(unescape_text(v), field, max) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push(row_error(line, Some(field), e.code));
                None
            }
        },
        _ => None,
    };
    let respondent = text(
        Column::Respondent,
        "respondent",
        MAX_RESPONDENT,
        &mut errors,
    );
    let nps = match cell(Column::Nps) {
        Some((_, v)) if !v.is_empty() => match v
            .parse::<i64>()
            .map_err(|_| ErrorCode::NotWholeNumber { value: quote(v) })
            .and_then(|n| parse_nps(n, "nps").map_err(|e| e.code))
        {
            Ok(n) if audience == Some(Audience::Employee) => {
                let _ = n;
                errors.push(row_error(line, Some("nps"), ErrorCode::NpsForEmployee));
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
    let comment = text(Column::Comment, "comment", MAX_COMMENT, &mut errors);
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
                ErrorCode::KindNotAllowed {
                    audience: aud.to_string(),
                    kind: kind.to_string(),
                },
            ));
            continue;
        }
        if !ctx.survey.asks(kind) {
            errors.push(row_error(
                line,
                Some(name),
                ErrorCode::KindNotAsked {
                    kind: kind.to_string(),
                },
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
                        ErrorCode::OutsideScale {
                            value: n,
                            min: scale.min(),
                            max: scale.max(),
                        },
                    ));
                    continue;
                }
                Err(_) => {
                    errors.push(row_error(
                        line,
                        Some(name),
                        ErrorCode::RatingNotWhole { value: quote(v) },
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
        errors.push(row_error(line, None, ErrorCode::RowWithoutRating));
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
                errors.push(row_error(line, None, ErrorCode::RowWithoutAudienceOrTeam));
            }
            Err(errors)
        }
    }
}
