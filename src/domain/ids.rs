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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_type!(
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
);

/// Which responses a report covers: one survey, one wave or all, one team or the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub survey: SurveyId,
    pub wave: Option<WaveId>,
    pub team: Option<TeamId>,
}

impl Scope {
    pub fn new(survey: impl Into<SurveyId>, wave: Option<i64>, team: Option<i64>) -> Scope {
        Scope {
            survey: survey.into(),
            wave: wave.map(WaveId),
            team: team.map(TeamId),
        }
    }
}
