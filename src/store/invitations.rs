//! Invitations: secret tokens, stored only as SHA-256 hashes.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::schema::invitations;
use super::AnyConnection;
use crate::domain::Audience;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: i64,
    pub survey_id: i64,
    pub wave_id: i64,
    pub team_id: i64,
    pub audience: Audience,
    pub token_hash: String,
    pub max_uses: i32,
    pub uses: i32,
    pub expires_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation {
    pub survey_id: i64,
    pub wave_id: i64,
    pub team_id: i64,
    pub audience: Audience,
    pub token_hash: String,
    pub max_uses: i32,
    pub uses: i32,
    pub expires_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

/// A fresh random token (256 bits, URL-safe base64).
pub fn new_token() -> Result<String, getrandom::Error> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a token: lowercase hex SHA-256.
pub fn hash_token(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(token.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// Inserts invitations (one per hash) in one statement per backend batch.
pub fn insert_many(conn: &mut AnyConnection, rows: &[NewInvitation]) -> QueryResult<usize> {
    match conn {
        AnyConnection::Postgresql(c) => diesel::insert_into(invitations::table)
            .values(rows)
            .execute(c),
        AnyConnection::Sqlite(c) => diesel::insert_into(invitations::table)
            .values(rows)
            .execute(c),
    }
}

/// Looks a token up by its hash. The lookup goes through the unique index on the hash,
/// so the secret itself is never compared byte by byte against stored data.
pub fn find_by_token(conn: &mut AnyConnection, token: &str) -> QueryResult<Option<Invitation>> {
    invitations::table
        .filter(invitations::token_hash.eq(hash_token(token)))
        .select(Invitation::as_select())
        .get_result(conn)
        .optional()
}

/// The invitations of several tokens (by hash) in one query, keyed by hash. On PostgreSQL the
/// rows stay locked until the transaction ends (`FOR UPDATE`), so their `uses` are current and
/// [`add_uses`] can take uses without re-reading them.
pub fn lock_by_hashes(
    conn: &mut AnyConnection,
    hashes: &[String],
) -> QueryResult<std::collections::HashMap<String, Invitation>> {
    let rows: Vec<Invitation> = match conn {
        // Locked in id order, so two instances locking overlapping groups cannot deadlock.
        AnyConnection::Postgresql(c) => invitations::table
            .filter(invitations::token_hash.eq_any(hashes))
            .select(Invitation::as_select())
            .order(invitations::id.asc())
            .for_update()
            .load(c)?,
        // SQLite: the write transaction (BEGIN IMMEDIATE) already excludes other writers.
        AnyConnection::Sqlite(c) => invitations::table
            .filter(invitations::token_hash.eq_any(hashes))
            .select(Invitation::as_select())
            .load(c)?,
    };
    Ok(rows
        .into_iter()
        .map(|i| (i.token_hash.clone(), i))
        .collect())
}

/// Adds `n` uses to each invitation in one statement (PostgreSQL) or one per invitation.
/// The caller has checked, on rows it holds locked, that the uses are left.
pub fn add_uses(conn: &mut AnyConnection, uses: &[(i64, i32)]) -> QueryResult<()> {
    use diesel::sql_types::{Array, BigInt, Integer};
    match conn {
        AnyConnection::Postgresql(c) => {
            let (ids, counts): (Vec<i64>, Vec<i32>) = uses.iter().copied().unzip();
            diesel::sql_query(
                "UPDATE invitations SET uses = invitations.uses + w.n \
                 FROM unnest($1::bigint[], $2::int[]) AS w(id, n) WHERE invitations.id = w.id",
            )
            .bind::<Array<BigInt>, _>(ids)
            .bind::<Array<Integer>, _>(counts)
            .execute(c)?;
        }
        AnyConnection::Sqlite(c) => {
            for &(id, n) in uses {
                diesel::update(invitations::table.find(id))
                    .set(invitations::uses.eq(invitations::uses + n))
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Invitation counts (sum of max_uses) per (wave, team, audience) of a survey, for response rates.
pub fn capacity_by_scope(
    conn: &mut AnyConnection,
    survey_id: i64,
) -> QueryResult<Vec<(i64, i64, Audience, i64)>> {
    use diesel::dsl::sum;
    let rows: Vec<(i64, i64, Audience, Option<i64>)> = invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .group_by((
            invitations::wave_id,
            invitations::team_id,
            invitations::audience,
        ))
        .select((
            invitations::wave_id,
            invitations::team_id,
            invitations::audience,
            sum(invitations::max_uses),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(w, t, a, s)| (w, t, a, s.unwrap_or(0)))
        .collect())
}
