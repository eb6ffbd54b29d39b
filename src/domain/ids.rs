//! Typed ids: a survey id cannot be passed where a wave id is expected, and a `Scope` cannot
//! have its wave and team swapped without a compile error. Stored as BIGINT on both backends
//! (`store::sql_types` maps them); serialised as plain numbers.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v)
            }
        }

        impl From<$name> for i64 {
            fn from(v: $name) -> i64 {
                v.0
            }
        }

        /// In the OpenAPI document an id is an integer (int64).
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <i64 as utoipa::PartialSchema>::schema()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

/// Calls `$m!` with every typed id (each with its doc), so that every list of them (these
/// types, `store::sql_types`' mappings) is this one.
macro_rules! with_id_types {
    ($m:ident) => {
        $m!(
            /// A survey (`surveys.id`).
            SurveyId,
            /// A wave of a survey (`waves.id`).
            WaveId,
            /// A team (`teams.id`).
            TeamId,
            /// A dimension of a survey (`dimensions.id`).
            DimensionId,
            /// A user (`users.id`).
            UserId,
            /// A workshop action (`actions.id`).
            ActionId,
            /// An invitation (`invitations.id`).
            InvitationId,
            /// A mailing of a wave (`mailings.id`).
            MailingId,
            /// One address of a mailing (`mail_recipients.id`).
            RecipientId,
            /// A response (`responses.id`).
            ResponseId,
            /// An e-mail in the outbox (`outbox.id`).
            MailId,
            /// A live workshop session (`live_sessions.id`).
            LiveSessionId,
        );
    };
}
pub(crate) use with_id_types;

with_id_types!(id_type);

/// The unit every anonymity rule counts in: one team's answers in one wave. A named struct, so
/// that team and wave cannot be swapped without a compile error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub team: TeamId,
    pub wave: WaveId,
}

/// Which responses a report covers: one survey, one wave or all, one team or the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub survey: SurveyId,
    pub wave: Option<WaveId>,
    pub team: Option<TeamId>,
}

impl Scope {
    pub fn new(survey: SurveyId, wave: Option<WaveId>, team: Option<TeamId>) -> Scope {
        Scope { survey, wave, team }
    }
}
