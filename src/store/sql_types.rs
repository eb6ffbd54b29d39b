//! How domain values travel through SQL on both backends: typed ids as BIGINT, domain enums as
//! their snake_case TEXT. Rows carry these types, so no query spells an audience, a rating
//! kind, a decision, a status or a role as a string literal.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;

use super::MultiBackend;
use crate::domain::{
    ActionId, ActionStatus, Audience, CategoryKind, Decision, DimensionId, InvitationId, Language,
    LiveSessionId, MailId, MailKind, MailStatus, MailingId, RatingKind, RecipientId, ResponseId,
    Role, SurveyId, TeamId, UserId, WaveId,
};

macro_rules! bigint_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        impl FromSql<BigInt, MultiBackend> for $name {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<i64, BigInt>().map($name)
            }
        }

        impl ToSql<BigInt, MultiBackend> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((BigInt, &self.0));
                Ok(IsNull::No)
            }
        }

        // Inserts and queries on an inner connection go through the inner backends.
        impl FromSql<BigInt, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Sqlite>>::from_sql(bytes).map($name)
            }
        }

        impl FromSql<BigInt, Pg> for $name {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <i64 as FromSql<BigInt, Pg>>::from_sql(bytes).map($name)
            }
        }

        impl ToSql<BigInt, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <i64 as ToSql<BigInt, Sqlite>>::to_sql(&self.0, out)
            }
        }

        impl ToSql<BigInt, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <i64 as ToSql<BigInt, Pg>>::to_sql(&self.0, out)
            }
        }

        // The group writer's own SQLite connection (rusqlite).
        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.0))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                <i64 as rusqlite::types::FromSql>::column_result(value).map($name)
            }
        }
    )+};
}

crate::domain::ids::with_id_types!(bigint_id);

macro_rules! text_enum {
    ($($name:ident),+) => {$(
        impl FromSql<Text, MultiBackend> for $name {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = bytes.from_sql::<String, Text>()?;
                $name::parse(&s).ok_or_else(|| {
                    format!("'{s}' is not a stored {}", stringify!($name)).into()
                })
            }
        }

        impl ToSql<Text, MultiBackend> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self.as_str()));
                Ok(IsNull::No)
            }
        }

        // Inserts and queries on an inner connection go through the inner backends.
        impl FromSql<Text, Sqlite> for $name {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
                $name::parse(&s).ok_or_else(|| {
                    format!("'{s}' is not a stored {}", stringify!($name)).into()
                })
            }
        }

        impl FromSql<Text, Pg> for $name {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                $name::parse(&s).ok_or_else(|| {
                    format!("'{s}' is not a stored {}", stringify!($name)).into()
                })
            }
        }

        impl ToSql<Text, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }
    )+};
}

text_enum!(
    Audience,
    RatingKind,
    CategoryKind,
    Decision,
    ActionStatus,
    Role,
    MailStatus,
    MailKind,
    Language
);
