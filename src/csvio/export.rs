//! The export side of the CSV format: one row per response, written as it is read, so an
//! export of any size streams in constant memory; text cells neutralised for spreadsheets.

use std::collections::HashMap;

use crate::domain::{Audience, DimensionId, RatingKind, TeamId};
use crate::store::responses::{RatingRow, Response};
use crate::store::surveys::{Dimension, Survey};
use crate::store::teams::Team;

/// Neutralises spreadsheet formulas: a text cell starting with `= + - @` (or a tab/CR) gets a leading `'`.
pub fn escape_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
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

/// How an export writes its rows: the header and, per response, one cell per column. Rows
/// are written one at a time, so an export of any size streams in constant memory.
pub struct ExportLayout {
    header: Vec<String>,
    dims: Vec<DimensionId>,
    extras: Vec<RatingKind>,
    team_names: HashMap<TeamId, String>,
}

impl ExportLayout {
    pub fn new(survey: &Survey, dims: &[Dimension], teams: &[Team]) -> ExportLayout {
        let extras = extra_kinds(survey);
        // The CSV's own columns, then the dimensions'.
        let mut header: Vec<String> = crate::domain::RESERVED_KEYS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for d in dims {
            header.push(d.key.clone());
            for k in &extras {
                header.push(format!("{}.{}", d.key, k.as_str()));
            }
        }
        ExportLayout {
            header,
            dims: dims.iter().map(|d| d.id).collect(),
            extras,
            team_names: teams.iter().map(|t| (t.id, t.name.clone())).collect(),
        }
    }

    /// A CSV writer on `out` that has written the header: `,`-separated UTF-8, or with
    /// `excel` a byte-order mark and `;`, which Dutch Excel opens directly.
    pub fn start<W: std::io::Write>(
        &self,
        mut out: W,
        excel: bool,
    ) -> Result<csv::Writer<W>, csv::Error> {
        if excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_writer(out);
        w.write_record(&self.header)?;
        Ok(w)
    }

    /// Writes one response with its answers (SPEC's format, so exports re-import).
    pub fn write_row<W: std::io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        resp: &Response,
        mine: &[RatingRow],
    ) -> Result<(), csv::Error> {
        let audience = resp.audience;
        w.write_field(audience.as_str())?;
        w.write_field(escape_text(
            self.team_names
                .get(&resp.team_id)
                .map(String::as_str)
                .unwrap_or(""),
        ))?;
        w.write_field(
            resp.submitted_at
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        )?;
        w.write_field(
            resp.respondent
                .as_deref()
                .map(escape_text)
                .unwrap_or_default(),
        )?;
        w.write_field(resp.nps.map(|n| n.to_string()).unwrap_or_default())?;
        w.write_field(resp.comment.as_deref().map(escape_text).unwrap_or_default())?;
        let cell = |dim_id: DimensionId, kind: RatingKind| -> String {
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
        for &d in &self.dims {
            w.write_field(cell(d, own))?;
            for k in &self.extras {
                w.write_field(cell(d, *k))?;
            }
        }
        w.write_record(None::<&[u8]>)
    }
}
