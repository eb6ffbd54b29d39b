//! What listeners are told: a session's state at one moment.

use std::collections::BTreeMap;

use super::is_facilitator;
use super::{closing_of, end_expired, lookup, parse, Caller, Closing, Reveal};
use crate::app::survey_or_404;
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::store::live::LiveSession;
use crate::store::{self, AnyConnection};

/// The open question as the phones get it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenQuestion {
    pub key: String,
    pub label_nl: String,
    pub label_en: String,
}

impl OpenQuestion {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.label_nl,
            Lang::En => &self.label_en,
        }
    }
}

/// Everything a listener may be told about a session at one moment (the facilitator's full
/// reveals; `Reveal::public` for everyone else).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub version: i64,
    pub over: bool,
    pub scale_min: i32,
    pub scale_max: i32,
    pub open: Option<OpenQuestion>,
    /// Guesses per dimension (after the end: the counts kept).
    pub counts: BTreeMap<String, u64>,
    /// Reveals in the order they were made.
    pub reveals: Vec<Reveal>,
    /// The survey's dimensions in their order: (key, NL label, EN label).
    pub dimensions: Vec<(String, String, String)>,
    pub expires_at: chrono::NaiveDateTime,
    pub participants: u64,
}

/// The session's state now (ending it first when it is past its four hours).
#[tracing::instrument(skip(conn))]
pub fn snapshot(
    conn: &mut AnyConnection,
    id: crate::domain::LiveSessionId,
) -> Result<Option<Snapshot>, AppError> {
    let Some(mut s) = store::live::find(conn, id)? else {
        return Ok(None);
    };
    if s.ended_at.is_none() && store::now() >= s.expires_at {
        end_expired(conn, &s)?;
        s = store::live::find(conn, id)?.unwrap_or(s);
    }
    let survey = survey_or_404(conn, s.survey_id)?;
    let dims = store::surveys::dimensions_of(conn, s.survey_id)?;
    let over = s.is_over(store::now());
    let counts = if s.ended_at.is_some() {
        store::live::final_counts(conn, id)?
    } else {
        store::live::guess_counts(conn, id)?
    };
    let reveals = store::live::reveals(conn, id)?
        .iter()
        .map(|(_, b)| parse(b))
        .collect::<Result<Vec<_>, _>>()?;
    let open = s
        .open_key
        .as_deref()
        .and_then(|k| dims.iter().find(|d| d.key == k))
        .map(|d| OpenQuestion {
            key: d.key.clone(),
            label_nl: d.label_nl.clone(),
            label_en: d.label_en.clone(),
        });
    Ok(Some(Snapshot {
        version: s.version,
        over,
        scale_min: survey.scale_min,
        scale_max: survey.scale_max,
        open: open.filter(|_| !over),
        counts: counts
            .into_iter()
            .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
            .collect(),
        reveals,
        dimensions: dims
            .iter()
            .map(|d| (d.key.clone(), d.label_nl.clone(), d.label_en.clone()))
            .collect(),
        expires_at: s.expires_at,
        participants: u64::try_from(store::live::participant_count(conn, id)?).unwrap_or(0),
    }))
}

/// The state of a session for `GET /api/v1/live/{code}`: the snapshot, and for the facilitator
/// the closing view of the reveals so far.
pub fn state(
    conn: &mut AnyConnection,
    code: &str,
    by: Caller,
    lang: Lang,
) -> Result<(LiveSession, Snapshot, bool, Option<Closing>), AppError> {
    let s = lookup(conn, code, by)?;
    let snap = snapshot(conn, s.id)?.ok_or(ErrorCode::LiveNotFound)?;
    let facilitator = by.who.is_some_and(|w| is_facilitator(w, &s));
    let closing = match by.who {
        Some(who) if facilitator && !snap.over => Some(closing_of(conn, who, &s, lang)?),
        _ => None,
    };
    Ok((s, snap, facilitator, closing))
}
