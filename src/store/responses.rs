//! Responses and their answers. A response is one row; its answers are packed into the row
//! (`answers`: a JSON array of `[dimension_id, kind, value]`, value null for "don't know"), so
//! a submission writes one row, and the summary tables are updated in the same transaction.
//! The `ratings` view unpacks the answers for the full recount and ad-hoc SQL.

use diesel::prelude::*;

use super::schema::responses;
use super::summaries::narrow_to_scope;
use super::{row_and_new, AnyConnection, MultiBackend};
use crate::domain::submission::Answer;
use crate::domain::{
    Audience, DimensionId, RatingKind, ResponseId, Scope, SurveyId, TeamId, WaveId,
};

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = responses)]
    pub struct Response {
        pub id: ResponseId,
        ..,
        pub answers: String,
    }

    /// A response to store (its answers travel beside it as [`Answer`]s).
    #[derive(Debug, Clone, PartialEq)]
    pub struct NewResponse {
        pub survey_id: SurveyId,
        pub wave_id: WaveId,
        pub team_id: TeamId,
        pub audience: Audience,
        pub submitted_at: chrono::NaiveDateTime,
        pub nps: Option<i32>,
        pub comment: Option<String>,
        pub respondent: Option<String>,
    }
}

/// The row as inserted: the response with its packed answers.
#[derive(Debug, Insertable)]
#[diesel(table_name = responses)]
struct ResponseInsert<'a> {
    survey_id: SurveyId,
    wave_id: WaveId,
    team_id: TeamId,
    audience: Audience,
    submitted_at: chrono::NaiveDateTime,
    nps: Option<i32>,
    comment: Option<&'a str>,
    respondent: Option<&'a str>,
    answers: String,
}

impl<'a> ResponseInsert<'a> {
    fn new(r: &'a NewResponse, values: &[Answer]) -> Self {
        ResponseInsert {
            survey_id: r.survey_id,
            wave_id: r.wave_id,
            team_id: r.team_id,
            audience: r.audience,
            submitted_at: r.submitted_at,
            nps: r.nps,
            comment: r.comment.as_deref(),
            respondent: r.respondent.as_deref(),
            answers: pack(values),
        }
    }
}

/// One answer of a stored response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    pub response_id: ResponseId,
    pub dimension_id: DimensionId,
    pub kind: RatingKind,
    pub value: Option<i32>,
}

/// The packed form of a response's answers: `[[dimension_id,"kind",value],…]` in the given
/// order. Kinds are fixed lowercase names, so no escaping is needed.
pub fn pack(values: &[Answer]) -> String {
    let mut out = String::with_capacity(2 + values.len() * 20);
    out.push('[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_int(&mut out, v.dimension_id.get());
        out.push_str(",\"");
        out.push_str(v.kind.as_str());
        out.push_str("\",");
        match v.value {
            Some(x) => push_int(&mut out, i64::from(x)),
            None => out.push_str("null"),
        }
        out.push(']');
    }
    out.push(']');
    out
}

/// Appends an integer in decimal (the hot path packs a dozen per submission).
fn push_int(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    for &c in &buf[i..] {
        out.push(char::from(c));
    }
}

/// Unpacks a response's answers (the inverse of [`pack`]; also reads PostgreSQL's spacing).
pub fn unpack(response_id: ResponseId, answers: &str) -> QueryResult<Vec<RatingRow>> {
    let mut fast = Vec::new();
    if super::packed::read(answers, &mut fast).is_some() {
        return Ok(fast
            .into_iter()
            .map(|(dimension_id, kind, value)| RatingRow {
                response_id,
                dimension_id,
                kind,
                value,
            })
            .collect());
    }
    unpack_json(response_id, answers)
}

/// Unpacks a response's answers into `out` (cleared first) without allocating when `out` has
/// room: the per-respondent figures read every response of a scope.
pub fn unpack_into(
    response_id: ResponseId,
    answers: &str,
    out: &mut Vec<super::packed::PackedAnswer>,
) -> QueryResult<()> {
    if super::packed::read(answers, out).is_none() {
        *out = unpack_json(response_id, answers)?
            .into_iter()
            .map(|r| (r.dimension_id, r.kind, r.value))
            .collect();
    }
    Ok(())
}

/// [`unpack`] by a general JSON parser: whatever JSON the column holds, and the error's words.
fn unpack_json(response_id: ResponseId, answers: &str) -> QueryResult<Vec<RatingRow>> {
    // Borrowed kinds: no allocation per answer (a report's knowledge figures unpack every
    // response of the scope).
    let triples: Vec<(i64, &str, Option<i32>)> = serde_json::from_str(answers).map_err(|e| {
        diesel::result::Error::DeserializationError(
            format!("response {response_id}: unreadable answers: {e}").into(),
        )
    })?;
    triples
        .into_iter()
        .map(|(dimension_id, kind, value)| {
            let kind = RatingKind::parse(kind).ok_or_else(|| {
                diesel::result::Error::DeserializationError(
                    format!("response {response_id}: unknown rating kind '{kind}'").into(),
                )
            })?;
            Ok(RatingRow {
                response_id,
                dimension_id: DimensionId(dimension_id),
                kind,
                value,
            })
        })
        .collect()
}

/// External respondent ids already present in a wave (for duplicate detection on import).
pub fn respondents_in_wave(conn: &mut AnyConnection, wave_id: WaveId) -> QueryResult<Vec<String>> {
    responses::table
        .filter(responses::wave_id.eq(wave_id))
        .filter(responses::respondent.is_not_null())
        .select(responses::respondent.assume_not_null())
        .load(conn)
}

/// Responses of a survey (optionally one wave) in id order, with their answers unpacked
/// in the order they were given.
pub fn load_for_export(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> QueryResult<(Vec<Response>, Vec<RatingRow>)> {
    let mut rq = responses::table
        .filter(responses::survey_id.eq(survey_id))
        .select(Response::as_select())
        .order(responses::id.asc())
        .into_boxed();
    if let Some(w) = wave_id {
        rq = rq.filter(responses::wave_id.eq(w));
    }
    let rows: Vec<Response> = rq.load(conn)?;
    let mut ratings = Vec::new();
    for r in &rows {
        ratings.extend(unpack(r.id, &r.answers)?);
    }
    Ok((rows, ratings))
}

/// One page of a survey's responses (optionally one wave) in id order: the first `limit`
/// with an id above `after_id`. An export reads page after page, so it never holds more.
/// The survey is compared as `+survey_id`, which keeps SQLite off the `responses_scope` index:
/// through it every page would sort all the survey's rows by id (an export of 300 000
/// responses took 9.5 s that way, 1.5 s walking the primary key in order).
pub fn export_page(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
    after_id: ResponseId,
    limit: i64,
) -> QueryResult<Vec<Response>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Bool};
    let mut rq = responses::table
        .filter(sql::<Bool>("(+survey_id) = ").bind::<BigInt, _>(survey_id))
        .filter(responses::id.gt(after_id))
        .select(Response::as_select())
        .order(responses::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(w) = wave_id {
        rq = rq.filter(responses::wave_id.eq(w));
    }
    rq.load(conn)
}

/// One response's answers as a per-respondent figure needs them (the knowledge score's
/// jackknife, the derived importance): where it belongs, its NPS answer and its packed answers.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct AnswerRow {
    pub id: ResponseId,
    pub team_id: TeamId,
    pub wave_id: WaveId,
    pub audience: Audience,
    pub nps: Option<i32>,
    pub answers: String,
}

/// The responses of a scope, as a boxed query to go on with.
fn in_scope(scope: Scope) -> responses::BoxedQuery<'static, MultiBackend> {
    let q = responses::table
        .filter(responses::survey_id.eq(scope.survey))
        .into_boxed();
    narrow_to_scope!(q, responses, scope)
}

/// The responses of a scope with an id above `after` (the responses added since). The scope's
/// columns are compared as `+survey_id` etc., which keeps SQLite off the indexes and on the
/// primary key: the few new rows are found without walking the scope's.
fn added_in_scope(scope: Scope, after: ResponseId) -> responses::BoxedQuery<'static, MultiBackend> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Bool};
    let mut q = responses::table
        .filter(responses::id.gt(after))
        .filter(sql::<Bool>("(+survey_id) = ").bind::<BigInt, _>(scope.survey))
        .into_boxed();
    if let Some(w) = scope.wave {
        q = q.filter(sql::<Bool>("(+wave_id) = ").bind::<BigInt, _>(w));
    }
    if let Some(t) = scope.team {
        q = q.filter(sql::<Bool>("(+team_id) = ").bind::<BigInt, _>(t));
    }
    q
}

/// The responses of a scope added after `after` ([`answers_in_scope`] with `after`), when the
/// scope holds exactly `kept` responses up to that id; None when it holds more. SQLite has one
/// writer at a time, so its ids follow the commits and nothing joins below `after`; PostgreSQL's
/// sequences hand ids out before the commit, so a smaller id can commit later: there the
/// responses up to `after` are counted, after the read (a response below `after` committed
/// before the count was read or before this read is counted here).
pub fn answers_added(
    conn: &mut AnyConnection,
    scope: Scope,
    after: ResponseId,
    kept: u64,
) -> QueryResult<Option<Vec<AnswerRow>>> {
    let rows = answers_in_scope(conn, scope, Some(after))?;
    if let AnyConnection::Postgresql(_) = conn {
        let below: i64 = in_scope(scope)
            .filter(responses::id.le(after))
            .select(diesel::dsl::count_star())
            .get_result(conn)?;
        if u64::try_from(below).ok() != Some(kept) {
            return Ok(None);
        }
    }
    Ok(Some(rows))
}

/// The customers' responses of a scope that carry a comment.
fn commented_in(scope: Scope) -> responses::BoxedQuery<'static, MultiBackend> {
    in_scope(scope)
        .filter(responses::audience.eq(Audience::Customer))
        .filter(responses::comment.is_not_null())
}

/// Every response of a scope with its answers (no times, no comments); with `after`, only
/// those with a larger id ([`added_in_scope`]).
pub fn answers_in_scope(
    conn: &mut AnyConnection,
    scope: Scope,
    after: Option<ResponseId>,
) -> QueryResult<Vec<AnswerRow>> {
    match after {
        None => in_scope(scope),
        Some(id) => added_in_scope(scope, id),
    }
    .select((
        responses::id,
        responses::team_id,
        responses::wave_id,
        responses::audience,
        responses::nps,
        responses::answers,
    ))
    .load(conn)
}

/// Number of responses per (wave, team, audience) of a survey.
pub fn counts_by_scope(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
) -> QueryResult<Vec<(WaveId, TeamId, Audience, i64)>> {
    counts_in(conn, survey_id, None)
}

/// [`counts_by_scope`] of some waves of a survey only (the dashboard's page).
pub fn counts_by_scope_of_waves(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    waves: &[WaveId],
) -> QueryResult<Vec<(WaveId, TeamId, Audience, i64)>> {
    counts_in(conn, survey_id, Some(waves))
}

fn counts_in(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    waves: Option<&[WaveId]>,
) -> QueryResult<Vec<(WaveId, TeamId, Audience, i64)>> {
    use diesel::dsl::count_star;
    let mut q = responses::table
        .filter(responses::survey_id.eq(survey_id))
        .group_by((responses::wave_id, responses::team_id, responses::audience))
        .select((
            responses::wave_id,
            responses::team_id,
            responses::audience,
            count_star(),
        ))
        .into_boxed();
    if let Some(waves) = waves {
        q = q.filter(responses::wave_id.eq_any(waves.to_vec()));
    }
    q.load(conn)
}

pub fn count_all(conn: &mut AnyConnection) -> QueryResult<i64> {
    responses::table.count().get_result(conn)
}

/// Number of responses of one survey.
pub fn count_for_survey(conn: &mut AnyConnection, survey_id: SurveyId) -> QueryResult<i64> {
    responses::table
        .filter(responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)
}

/// Inserts many responses with their answers and updates the summaries. Call inside a
/// transaction. `progress` is called with the number of responses written so far.
pub fn insert_batch(
    conn: &mut AnyConnection,
    items: &[(NewResponse, Vec<Answer>)],
    scale_min: i32,
    progress: &mut dyn FnMut(u64),
) -> QueryResult<Vec<i64>> {
    // PostgreSQL gets multi-row statements (each costs a round trip); SQLite gets a cached
    // single-row statement (no round trips, and no new statement to parse per batch size).
    const CHUNK: usize = 500;
    let mut all_ids = Vec::with_capacity(items.len());
    for chunk in items.chunks(CHUNK) {
        let rows: Vec<ResponseInsert> = chunk
            .iter()
            .map(|(r, values)| ResponseInsert::new(r, values))
            .collect();
        match conn {
            AnyConnection::Postgresql(c) => all_ids.extend(
                diesel::insert_into(responses::table)
                    .values(&rows)
                    .returning(responses::id)
                    .get_results::<i64>(c)?,
            ),
            AnyConnection::Sqlite(c) => {
                for row in &rows {
                    all_ids.push(
                        diesel::insert_into(responses::table)
                            .values(row)
                            .returning(responses::id)
                            .get_result::<i64>(c)?,
                    );
                }
            }
        }
        progress(all_ids.len() as u64);
    }
    let mut deltas = super::summaries::Deltas::default();
    for (resp, values) in items {
        deltas.add(resp, values, scale_min);
    }
    deltas.apply(conn)?;
    Ok(all_ids)
}

/// Customer comments in scope with the (team, wave) they belong to. No order is promised and
/// no time is given: `app::disclosure` decides which may be listed and in what order.
pub fn comments_by_cell(
    conn: &mut AnyConnection,
    scope: Scope,
) -> QueryResult<Vec<(TeamId, WaveId, String)>> {
    commented_in(scope)
        .select((
            responses::team_id,
            responses::wave_id,
            responses::comment.assume_not_null(),
        ))
        .load(conn)
}

/// The cells of a scope with at least one customer comment, by reading the responses
/// themselves (the recount's path: it must not lean on the summary tables it checks).
pub fn commented_cells_scan(
    conn: &mut AnyConnection,
    scope: Scope,
) -> QueryResult<Vec<(TeamId, WaveId)>> {
    commented_in(scope)
        .select((responses::team_id, responses::wave_id))
        .distinct()
        .load(conn)
}

/// The (team, wave) cells of a scope with at least one customer comment (every report asks).
pub fn commented_cells(
    conn: &mut AnyConnection,
    scope: Scope,
) -> QueryResult<Vec<(TeamId, WaveId)>> {
    // The scope's cells with customers come from the summaries; each is probed once through
    // the partial index `responses_commented` (its WHERE is repeated literally). SQLite would
    // rather walk `responses_scope` and read rows until it meets a comment (a whole cell when
    // it has none), so it is told which index to use.
    let hint = match conn {
        AnyConnection::Sqlite(_) => " INDEXED BY responses_commented",
        AnyConnection::Postgresql(_) => "",
    };
    let rows: Vec<super::summaries::CellRow> = diesel::sql_query(format!(
        "SELECT c.team_id, c.wave_id FROM \
           (SELECT DISTINCT team_id, wave_id FROM response_counts{} AND audience = 'customer') c \
         WHERE EXISTS (SELECT 1 FROM responses r{hint} \
           WHERE r.survey_id = {} AND r.wave_id = c.wave_id AND r.team_id = c.team_id \
             AND r.audience = 'customer' AND r.comment IS NOT NULL)",
        super::summaries::scope_sql(scope),
        scope.survey
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.team_id, r.wave_id)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_round_trips_and_reads_postgres_spacing() {
        let values = vec![
            Answer {
                dimension_id: DimensionId(12),
                kind: RatingKind::Perceived,
                value: Some(-3),
            },
            Answer {
                dimension_id: DimensionId(1_000_000_007),
                kind: RatingKind::Expected,
                value: None,
            },
            Answer {
                dimension_id: DimensionId(3),
                kind: RatingKind::SelfRating,
                value: Some(10),
            },
        ];
        let text = pack(&values);
        assert_eq!(
            text,
            r#"[[12,"perceived",-3],[1000000007,"expected",null],[3,"self",10]]"#
        );
        let rows = unpack(ResponseId(9), &text).unwrap();
        let back: Vec<(i64, &str, Option<i32>)> = rows
            .iter()
            .map(|r| (r.dimension_id.get(), r.kind.as_str(), r.value))
            .collect();
        assert_eq!(
            back,
            vec![
                (12, "perceived", Some(-3)),
                (1_000_000_007, "expected", None),
                (3, "self", Some(10))
            ]
        );
        assert_eq!(pack(&[]), "[]");
        let pg = unpack(
            ResponseId(9),
            r#"[[12, "perceived", 4], [3, "self", null]]"#,
        )
        .unwrap();
        assert_eq!((pg[0].value, pg[1].value), (Some(4), None));
        assert!(unpack(ResponseId(9), "[[1,2]]").is_err());
    }
}
