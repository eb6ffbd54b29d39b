//! Invitations: secret tokens, stored only as SHA-256 hashes.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};

use super::schema::{invitations, surveys, waves};
use super::{row_and_new, AnyConnection};
use crate::domain::{Audience, InvitationId, SurveyId, TeamId, WaveId};

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = invitations)]
    pub struct Invitation {
        pub id: InvitationId,
        ..,
        /// Revoked by an admin (or with its team): the link answers 410.
        pub revoked: bool,
    }

    #[derive(Debug, Clone, Insertable)]
    #[diesel(table_name = invitations)]
    pub struct NewInvitation {
        pub survey_id: SurveyId,
        pub wave_id: WaveId,
        pub team_id: TeamId,
        pub audience: Audience,
        pub token_hash: String,
        pub max_uses: i32,
        pub uses: i32,
        pub expires_at: Option<chrono::NaiveDateTime>,
        pub created_at: chrono::NaiveDateTime,
    }
}

impl Invitation {
    /// A personal invitation (one use) counts towards a response rate; a team link (several
    /// uses) does not: nobody knows how many people saw it.
    pub fn is_personal(&self) -> bool {
        self.max_uses == 1
    }
}

/// An invitation with what decides whether it can be used now, read in the same statement:
/// its wave's dates and its survey's revision. Nothing here comes from a cache, so a wave
/// closed or a survey changed by another instance counts at once.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRow {
    pub invitation: Invitation,
    pub opens_at: chrono::NaiveDateTime,
    pub closes_at: Option<chrono::NaiveDateTime>,
    pub survey_revision: i32,
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

/// Looks a token up by its hash, with its wave's dates and its survey's revision. The lookup
/// goes through the unique index on the hash, so the secret itself is never compared byte by
/// byte against stored data.
pub fn find_by_token(conn: &mut AnyConnection, token: &str) -> QueryResult<Option<TokenRow>> {
    invitations::table
        .inner_join(waves::table.on(waves::id.eq(invitations::wave_id)))
        .inner_join(surveys::table.on(surveys::id.eq(invitations::survey_id)))
        .filter(invitations::token_hash.eq(hash_token(token)))
        .select((
            Invitation::as_select(),
            waves::opens_at,
            waves::closes_at,
            surveys::revision,
        ))
        .get_result(conn)
        .optional()
        .map(|row| {
            row.map(
                |(invitation, opens_at, closes_at, survey_revision)| TokenRow {
                    invitation,
                    opens_at,
                    closes_at,
                    survey_revision,
                },
            )
        })
}

/// The columns of [`TokenRow`] as raw SQL reads them (PostgreSQL's locking lookup).
#[derive(QueryableByName)]
struct LockedRow {
    #[diesel(sql_type = BigInt)]
    id: InvitationId,
    #[diesel(sql_type = BigInt)]
    survey_id: SurveyId,
    #[diesel(sql_type = BigInt)]
    wave_id: WaveId,
    #[diesel(sql_type = BigInt)]
    team_id: TeamId,
    #[diesel(sql_type = Text)]
    audience: Audience,
    #[diesel(sql_type = Text)]
    token_hash: String,
    #[diesel(sql_type = Integer)]
    max_uses: i32,
    #[diesel(sql_type = Integer)]
    uses: i32,
    #[diesel(sql_type = Nullable<Timestamp>)]
    expires_at: Option<chrono::NaiveDateTime>,
    #[diesel(sql_type = Timestamp)]
    created_at: chrono::NaiveDateTime,
    #[diesel(sql_type = Bool)]
    revoked: bool,
    #[diesel(sql_type = Timestamp)]
    opens_at: chrono::NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    closes_at: Option<chrono::NaiveDateTime>,
    #[diesel(sql_type = Integer)]
    survey_revision: i32,
}

/// The invitations of several tokens (by hash) in one query, keyed by hash. On PostgreSQL the
/// invitation rows stay locked until the transaction ends (`FOR UPDATE`), so their `uses` are
/// current and [`add_uses`] can take uses without re-reading them; their wave and survey rows
/// are held shared, so closing the wave or changing the survey waits for this group, and a
/// group that starts after such a change reads the new row.
pub fn lock_by_hashes(
    conn: &mut AnyConnection,
    hashes: &[String],
) -> QueryResult<std::collections::HashMap<String, TokenRow>> {
    let rows: Vec<TokenRow> = match conn {
        // Locked in id order, so two instances locking overlapping groups cannot deadlock.
        AnyConnection::Postgresql(c) => diesel::sql_query(
            "SELECT i.id, i.survey_id, i.wave_id, i.team_id, i.audience, i.token_hash, \
                    i.max_uses, i.uses, i.expires_at, i.created_at, i.revoked, \
                    w.opens_at, w.closes_at, s.revision AS survey_revision \
             FROM invitations i JOIN waves w ON w.id = i.wave_id \
                  JOIN surveys s ON s.id = i.survey_id \
             WHERE i.token_hash = ANY($1) ORDER BY i.id \
             FOR UPDATE OF i FOR SHARE OF w, s",
        )
        .bind::<diesel::sql_types::Array<Text>, _>(hashes)
        .load::<LockedRow>(c)?
        .into_iter()
        .map(|r| TokenRow {
            invitation: Invitation {
                id: r.id,
                survey_id: r.survey_id,
                wave_id: r.wave_id,
                team_id: r.team_id,
                audience: r.audience,
                token_hash: r.token_hash,
                max_uses: r.max_uses,
                uses: r.uses,
                expires_at: r.expires_at,
                created_at: r.created_at,
                revoked: r.revoked,
            },
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            survey_revision: r.survey_revision,
        })
        .collect(),
        // SQLite: the write transaction (BEGIN IMMEDIATE) already excludes other writers.
        AnyConnection::Sqlite(_) => {
            let mut out = Vec::with_capacity(hashes.len());
            for chunk in hashes.chunks(500) {
                let found: Vec<(
                    Invitation,
                    chrono::NaiveDateTime,
                    Option<chrono::NaiveDateTime>,
                    i32,
                )> = invitations::table
                    .inner_join(waves::table.on(waves::id.eq(invitations::wave_id)))
                    .inner_join(surveys::table.on(surveys::id.eq(invitations::survey_id)))
                    .filter(invitations::token_hash.eq_any(chunk))
                    .select((
                        Invitation::as_select(),
                        waves::opens_at,
                        waves::closes_at,
                        surveys::revision,
                    ))
                    .load(conn)?;
                out.extend(found.into_iter().map(
                    |(invitation, opens_at, closes_at, survey_revision)| TokenRow {
                        invitation,
                        opens_at,
                        closes_at,
                        survey_revision,
                    },
                ));
            }
            out
        }
    };
    Ok(rows
        .into_iter()
        .map(|r| (r.invitation.token_hash.clone(), r))
        .collect())
}

/// Adds `n` uses to each invitation in one statement (PostgreSQL) or one per invitation.
/// The caller has checked, on rows it holds locked, that the uses are left.
pub fn add_uses(conn: &mut AnyConnection, uses: &[(i64, i32)]) -> QueryResult<()> {
    use diesel::sql_types::Array;
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

/// The invitations of a survey (optionally one wave), newest first.
pub fn list(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> QueryResult<Vec<Invitation>> {
    let mut q = invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .select(Invitation::as_select())
        .order(invitations::id.desc())
        .into_boxed();
    if let Some(w) = wave_id {
        q = q.filter(invitations::wave_id.eq(w));
    }
    q.load(conn)
}

pub fn find(conn: &mut AnyConnection, id: InvitationId) -> QueryResult<Option<Invitation>> {
    invitations::table
        .find(id)
        .select(Invitation::as_select())
        .get_result(conn)
        .optional()
}

/// Revokes one invitation; false when it does not exist.
pub fn revoke(conn: &mut AnyConnection, id: InvitationId) -> QueryResult<bool> {
    diesel::update(invitations::table.find(id))
        .set(invitations::revoked.eq(true))
        .execute(conn)
        .map(|n| n > 0)
}

/// Revokes every invitation of a team; how many were still live.
pub fn revoke_for_team(conn: &mut AnyConnection, team_id: TeamId) -> QueryResult<usize> {
    diesel::update(
        invitations::table
            .filter(invitations::team_id.eq(team_id))
            .filter(invitations::revoked.eq(false)),
    )
    .set(invitations::revoked.eq(true))
    .execute(conn)
}

/// Uses of a survey's invitations per (wave, team, audience): personal invitations (one use
/// each) and what they were used for, and the uses of team links apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseCounts {
    pub wave_id: WaveId,
    pub team_id: TeamId,
    pub audience: Audience,
    /// Personal invitations that count: live ones, and revoked ones that were used.
    pub invited: i64,
    /// Personal invitations used.
    pub answered: i64,
    /// Uses of team links (never in a rate's denominator).
    pub link_uses: i64,
    /// Personal invitations whose e-mail the server refused for good and that were not
    /// answered (never in `invited`).
    pub failed: i64,
}

type ByScope = std::collections::BTreeMap<(WaveId, TeamId, Audience), UseCounts>;

fn entry(
    map: &mut ByScope,
    wave_id: WaveId,
    team_id: TeamId,
    audience: Audience,
) -> &mut UseCounts {
    map.entry((wave_id, team_id, audience))
        .or_insert(UseCounts {
            wave_id,
            team_id,
            audience,
            invited: 0,
            answered: 0,
            link_uses: 0,
            failed: 0,
        })
}

/// [`UseCounts`] of a survey (optionally one wave), ordered by wave, team and audience.
pub fn use_counts(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> QueryResult<Vec<UseCounts>> {
    let mut q = invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .select((
            invitations::id,
            invitations::wave_id,
            invitations::team_id,
            invitations::audience,
            invitations::max_uses,
            invitations::uses,
            invitations::revoked,
        ))
        .into_boxed();
    if let Some(w) = wave_id {
        q = q.filter(invitations::wave_id.eq(w));
    }
    let rows: Vec<(InvitationId, WaveId, TeamId, Audience, i32, i32, bool)> = q.load(conn)?;
    let mut by_scope = ByScope::default();
    // Refused e-mails: linked to their invitation while the wave is open; after it closed the
    // link is gone and the (unanswered) invitation revoked (`mailings::delete_addresses`).
    let mut failed_links = std::collections::HashSet::new();
    for (wave_id, team_id, audience, invitation) in
        super::mailings::failed_invitations(conn, survey_id, wave_id)?
    {
        match invitation {
            Some(id) => {
                failed_links.insert(id);
            }
            None => entry(&mut by_scope, wave_id, team_id, audience).failed += 1,
        }
    }
    for (id, wave_id, team_id, audience, max_uses, uses, revoked) in rows {
        let c = entry(&mut by_scope, wave_id, team_id, audience);
        if max_uses == 1 && uses == 0 && failed_links.contains(&id) {
            c.failed += 1;
        } else if max_uses == 1 {
            if !revoked || uses > 0 {
                c.invited += 1;
            }
            c.answered += i64::from(uses);
        } else {
            c.link_uses += i64::from(uses);
        }
    }
    Ok(by_scope.into_values().collect())
}
