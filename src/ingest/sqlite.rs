//! The group writer's SQLite path: one connection of its own with cached statements. Per
//! submission the hot path looks the token up, takes one of its uses (an UPDATE) and inserts
//! the response; per group it upserts the summaries. diesel prepares UPDATE and upsert
//! statements anew on every call, which costs more than the writes themselves. Everything
//! else uses diesel; the statements here mirror `invitations::find_by_token`,
//! `invitations::add_uses`, `responses::insert_batch` and `Deltas::apply`.

use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::tokens;
use super::Outcomes;
use crate::domain::submission::{Answer, RawSubmission};
use crate::domain::{Audience, InvitationId};
use crate::error::AppError;
use crate::store::cache::Cache;
use crate::store::health::{self, Fault};
use crate::store::invitations::{hash_token, Invitation, TokenRow};
use crate::store::responses::{pack, NewResponse};
use crate::store::summaries::Deltas;
use crate::store::AnyConnection;

const FIND: &str = "SELECT i.id, i.survey_id, i.wave_id, i.team_id, i.audience, i.token_hash, \
    i.max_uses, i.uses, i.expires_at, i.created_at, i.revoked, w.opens_at, w.closes_at, s.revision \
    FROM invitations i JOIN waves w ON w.id = i.wave_id JOIN surveys s ON s.id = i.survey_id \
    WHERE i.token_hash = ?1";
const CONSUME: &str = "UPDATE invitations SET uses = uses + 1 WHERE id = ?1 AND uses < max_uses";
const INSERT_RESPONSE: &str = "INSERT INTO responses \
    (survey_id, wave_id, team_id, audience, submitted_at, nps, comment, respondent, answers) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/// diesel's text form of a timestamp on SQLite (`%F %T%.f`), so both write and read the same text.
const TIMESTAMP: &str = "%Y-%m-%d %H:%M:%S%.f";

/// One submission to store: the invitation whose use it takes, and the response.
pub struct IngestItem<'a> {
    pub invitation_id: InvitationId,
    pub response: &'a NewResponse,
    pub values: &'a [Answer],
    pub scale_min: i32,
}

pub struct SqliteIngest {
    conn: rusqlite::Connection,
}

impl SqliteIngest {
    /// Opens the database file with the pool's settings (WAL, synchronous = FULL, foreign keys).
    /// A group waits at most `LOCK_WAIT` for another writer (an import, the CLI): its
    /// submissions are then answered 503 instead of waiting on.
    pub fn open(path: &str) -> rusqlite::Result<SqliteIngest> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(super::LOCK_WAIT)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        Ok(SqliteIngest { conn })
    }

    /// Starts a group: one `BEGIN IMMEDIATE` transaction.
    pub fn begin(&mut self) -> rusqlite::Result<IngestTx<'_>> {
        Ok(IngestTx {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
            deltas: Deltas::default(),
        })
    }
}

/// A group's transaction. Dropped without `commit`, it rolls back.
pub struct IngestTx<'c> {
    tx: rusqlite::Transaction<'c>,
    deltas: Deltas,
}

impl IngestTx<'_> {
    /// The invitation of a token (looked up by its hash) with its wave's dates and its
    /// survey's revision, as the transaction sees them.
    pub fn invitation(&self, token: &str) -> rusqlite::Result<Option<TokenRow>> {
        let mut stmt = self.tx.prepare_cached(FIND)?;
        stmt.query_row([hash_token(token)], |row| {
            let invitation = Invitation {
                id: row.get(0)?,
                survey_id: row.get(1)?,
                wave_id: row.get(2)?,
                team_id: row.get(3)?,
                audience: {
                    let a: String = row.get(4)?;
                    Audience::parse(&a).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            4,
                            rusqlite::types::Type::Text,
                            format!("unknown audience '{a}'").into(),
                        )
                    })?
                },
                token_hash: row.get(5)?,
                max_uses: row.get(6)?,
                uses: row.get(7)?,
                expires_at: row
                    .get::<_, Option<String>>(8)?
                    .map(|s| timestamp(8, &s))
                    .transpose()?,
                created_at: timestamp(9, &row.get::<_, String>(9)?)?,
                revoked: row.get(10)?,
            };
            Ok(TokenRow {
                invitation,
                opens_at: timestamp(11, &row.get::<_, String>(11)?)?,
                closes_at: row
                    .get::<_, Option<String>>(12)?
                    .map(|s| timestamp(12, &s))
                    .transpose()?,
                survey_revision: row.get(13)?,
            })
        })
        .optional()
    }

    /// Takes one use of the item's invitation and inserts its response. None when the
    /// invitation is used up (nothing stored).
    pub fn store(&mut self, item: &IngestItem) -> rusqlite::Result<Option<i64>> {
        if self
            .tx
            .prepare_cached(CONSUME)?
            .execute([item.invitation_id])?
            == 0
        {
            return Ok(None);
        }
        let r = item.response;
        self.tx.prepare_cached(INSERT_RESPONSE)?.execute(params![
            r.survey_id,
            r.wave_id,
            r.team_id,
            r.audience.as_str(),
            format_timestamp(r.submitted_at),
            r.nps,
            r.comment,
            r.respondent,
            pack(item.values),
        ])?;
        self.deltas.add(r, item.values, item.scale_min);
        Ok(Some(self.tx.last_insert_rowid()))
    }

    /// Writes the group's summary deltas and commits.
    pub fn commit(self) -> rusqlite::Result<()> {
        self.deltas.apply_sqlite(&self.tx)?;
        self.tx.commit()
    }
}

fn timestamp(column: usize, text: &str) -> rusqlite::Result<NaiveDateTime> {
    parse_timestamp(text)
        .map(Ok)
        .unwrap_or_else(|| NaiveDateTime::parse_from_str(text, TIMESTAMP))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                column,
                rusqlite::types::Type::Text,
                Box::new(e),
            )
        })
}

/// `%F %T%.f` written directly (chrono interprets its format string on every call): the
/// fraction has 0, 3, 6 or 9 digits, the fewest that hold it, as chrono's `%.f` does.
pub fn format_timestamp(t: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let mut s = String::with_capacity(29);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let nanos = t.nanosecond() % 1_000_000_000;
    let _ = if nanos == 0 {
        Ok(())
    } else if nanos.is_multiple_of(1_000_000) {
        write!(s, ".{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        write!(s, ".{:06}", nanos / 1_000)
    } else {
        write!(s, ".{nanos:09}")
    };
    s
}

/// Reads `YYYY-MM-DD HH:MM:SS[.fraction]`; None for anything else (the caller falls back to
/// chrono's parser, which also reports the error).
fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let mut nanos = 0;
    if b.len() > 19 {
        let digits = b.get(20..)?;
        if b[19] != b'.' || digits.is_empty() || digits.len() > 9 {
            return None;
        }
        nanos = num(20..b.len())? * 10u32.pow(9 - digits.len() as u32);
    }
    chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?
        .and_hms_nano_opt(num(11..13)?, num(14..16)?, num(17..19)?, nanos)
}

/// A group that failed as a whole: a database fault (busy, full, read-only) is a 503 for its
/// submissions, anything else a 500.
fn group_failed(e: rusqlite::Error) -> AppError {
    use rusqlite::ErrorCode as C;
    let fault = match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => Some(Fault::Busy),
        Some(C::DiskFull) => Some(Fault::Full),
        Some(C::ReadOnly) => Some(Fault::ReadOnly),
        Some(C::SystemIoFailure | C::CannotOpen) => Some(Fault::Io),
        _ => health::classify(&e.to_string()),
    };
    match fault {
        Some(fault) => AppError::unavailable(fault, &format!("storing submissions: {e}")),
        None => AppError::internal(anyhow::anyhow!("storing submissions: {e}")),
    }
}

/// SQLite: per submission a cached lookup, check, use and insert, all in one transaction.
pub(super) fn store_group(
    ingest: &mut SqliteIngest,
    reader: &mut AnyConnection,
    cache: &Cache,
    jobs: &[(String, RawSubmission)],
) -> Result<Outcomes, AppError> {
    let mut tx = ingest.begin().map_err(group_failed)?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for (token, submission) in jobs {
        let invitation = if tokens::token_looks_usable(token) {
            tx.invitation(token).map_err(group_failed)?
        } else {
            None
        };
        outcomes.push(
            match tokens::prepare_for(reader, cache, invitation, submission) {
                Err(e) => Err(e),
                Ok(p) => tx
                    .store(&IngestItem {
                        invitation_id: p.invitation_id,
                        response: &p.response,
                        values: &p.values,
                        scale_min: p.scale_min,
                    })
                    .map_err(group_failed)?
                    .ok_or_else(tokens::token_used),
            },
        );
    }
    tx.commit().map_err(group_failed)?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_chrono_both_ways() {
        let base = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(7, 5, 9)
            .unwrap();
        for nanos in [
            0,
            5_000_000,
            123_000_000,
            456_000,
            123_456_000,
            7,
            999_999_999,
        ] {
            let t = base + chrono::Duration::nanoseconds(nanos);
            let text = format_timestamp(t);
            assert_eq!(text, t.format(TIMESTAMP).to_string());
            assert_eq!(parse_timestamp(&text), Some(t), "{text}");
        }
        assert_eq!(parse_timestamp("2026-11-22T07:05:09"), None);
        assert_eq!(parse_timestamp("2026-11-22 07:05:09."), None);
        assert_eq!(parse_timestamp("2026-13-22 07:05:09"), None);
        assert!(timestamp(0, "not a time").is_err());
    }
}
