//! The group writer's SQLite path: one connection of its own with cached statements. Per
//! submission the hot path looks the token up, takes one of its uses (an UPDATE) and inserts
//! the response; per group it upserts the summaries. diesel prepares UPDATE and upsert
//! statements anew on every call, which costs more than the writes themselves. Everything
//! else uses diesel; the statements here mirror `invitations::find_by_token`,
//! `invitations::consume`, `responses::insert_batch` and `Deltas::apply`.

use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::invitations::{hash_token, Invitation};
use super::responses::{pack, NewRatingValue, NewResponse};
use super::summaries::Deltas;

const FIND: &str = "SELECT id, survey_id, wave_id, team_id, audience, token_hash, max_uses, uses, \
    expires_at, created_at FROM invitations WHERE token_hash = ?1";
const CONSUME: &str = "UPDATE invitations SET uses = uses + 1 WHERE id = ?1 AND uses < max_uses";
const INSERT_RESPONSE: &str = "INSERT INTO responses \
    (survey_id, wave_id, team_id, audience, submitted_at, nps, comment, respondent, answers) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/// diesel's text form of a timestamp on SQLite, so both write and read the same text.
const TIMESTAMP: &str = "%Y-%m-%d %H:%M:%S%.f";

/// One submission to store: the invitation whose use it takes, and the response.
pub struct IngestItem<'a> {
    pub invitation_id: i64,
    pub response: &'a NewResponse,
    pub values: &'a [NewRatingValue],
    pub scale_min: i32,
}

pub struct SqliteIngest {
    conn: rusqlite::Connection,
}

impl SqliteIngest {
    /// Opens the database file with the pool's settings (WAL, synchronous = FULL, foreign keys).
    pub fn open(path: &str) -> rusqlite::Result<SqliteIngest> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
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
    /// The invitation of a token (looked up by its hash), as the transaction sees it.
    pub fn invitation(&self, token: &str) -> rusqlite::Result<Option<Invitation>> {
        let mut stmt = self.tx.prepare_cached(FIND)?;
        stmt.query_row([hash_token(token)], |row| {
            Ok(Invitation {
                id: row.get(0)?,
                survey_id: row.get(1)?,
                wave_id: row.get(2)?,
                team_id: row.get(3)?,
                audience: row.get(4)?,
                token_hash: row.get(5)?,
                max_uses: row.get(6)?,
                uses: row.get(7)?,
                expires_at: row
                    .get::<_, Option<String>>(8)?
                    .map(|s| timestamp(8, &s))
                    .transpose()?,
                created_at: timestamp(9, &row.get::<_, String>(9)?)?,
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
            r.audience,
            r.submitted_at.format(TIMESTAMP).to_string(),
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
    NaiveDateTime::parse_from_str(text, TIMESTAMP).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
    })
}
