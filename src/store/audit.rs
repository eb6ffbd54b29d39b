//! The audit log: append-only rows. There is `insert`, `list`, `seen_since` (for the
//! once-a-day entries) and the retention `purge`; nothing updates a row.

use diesel::prelude::*;

use super::schema::audit_log;
use super::AnyConnection;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct Row {
    pub id: i64,
    pub at: chrono::NaiveDateTime,
    pub actor: String,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i64>,
    pub object_name: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewRow<'a> {
    pub at: chrono::NaiveDateTime,
    pub actor: &'a str,
    pub actor_user_id: Option<i64>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<i64>,
    pub object_name: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewRow<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// What a reader asks for: newest first, at most `limit`, below the id `before` (paging).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub since: Option<chrono::NaiveDateTime>,
    pub until: Option<chrono::NaiveDateTime>,
    pub before: Option<i64>,
    pub limit: i64,
}

pub fn list(conn: &mut AnyConnection, f: &Filter) -> QueryResult<Vec<Row>> {
    let mut q = audit_log::table
        .select(Row::as_select())
        .order(audit_log::id.desc())
        .limit(f.limit)
        .into_boxed();
    if let Some(actor) = &f.actor {
        q = q.filter(audit_log::actor.eq(actor.clone()));
    }
    if let Some(action) = &f.action {
        q = q.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(since) = f.since {
        q = q.filter(audit_log::at.ge(since));
    }
    if let Some(until) = f.until {
        q = q.filter(audit_log::at.lt(until));
    }
    if let Some(before) = f.before {
        q = q.filter(audit_log::id.lt(before));
    }
    q.load(conn)
}

/// Whether an entry with this actor, action, object and detail exists from `since` on.
pub fn seen_since(
    conn: &mut AnyConnection,
    row: &NewRow<'_>,
    since: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let mut q = audit_log::table
        .select(audit_log::id)
        .filter(audit_log::at.ge(since))
        .filter(audit_log::actor.eq(row.actor))
        .filter(audit_log::action.eq(row.action))
        .filter(audit_log::object_type.eq(row.object_type))
        .filter(audit_log::outcome.eq(row.outcome))
        .into_boxed();
    q = match row.object_id {
        Some(id) => q.filter(audit_log::object_id.eq(id)),
        None => q.filter(audit_log::object_id.is_null()),
    };
    q = match row.detail {
        Some(d) => q.filter(audit_log::detail.eq(d)),
        None => q.filter(audit_log::detail.is_null()),
    };
    Ok(q.limit(1).load::<i64>(conn)?.into_iter().next().is_some())
}

/// Deletes the entries from before `cutoff`; returns how many. The retention purge alone
/// calls this.
pub fn purge(conn: &mut AnyConnection, cutoff: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(audit_log::table.filter(audit_log::at.lt(cutoff))).execute(conn)
}
