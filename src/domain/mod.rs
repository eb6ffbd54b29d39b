//! Validated values. Parsing happens once at the boundary; inner layers only see valid values.

pub mod ids;
pub mod password;
pub mod submission;
pub mod templates;

pub use ids::{
    ActionId, Cell, DimensionId, InvitationId, LiveSessionId, MailId, MailingId, RecipientId,
    ResponseId, Scope, SurveyId, TeamId, UserId, WaveId,
};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ErrorCode;

/// A validation failure that names the offending field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {code}")]
pub struct Invalid {
    pub field: String,
    pub code: ErrorCode,
}

impl Invalid {
    pub fn new(field: impl Into<String>, code: ErrorCode) -> Self {
        Invalid {
            field: field.into(),
            code,
        }
    }
}

/// An inclusive integer rating scale with `min < max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    min: i32,
    max: i32,
}

impl Scale {
    pub const MAX_POINTS: i32 = 101;

    pub fn new(min: i32, max: i32) -> Result<Scale, Invalid> {
        if min >= max {
            return Err(Invalid::new(
                "scale_max",
                ErrorCode::ScaleOrder { min, max },
            ));
        }
        if i64::from(max) - i64::from(min) + 1 > i64::from(Self::MAX_POINTS)
            || min < -1000
            || max > 1000
        {
            return Err(Invalid::new(
                "scale_max",
                ErrorCode::ScaleTooWide {
                    points: Self::MAX_POINTS,
                },
            ));
        }
        Ok(Scale { min, max })
    }
    pub fn min(self) -> i32 {
        self.min
    }
    pub fn max(self) -> i32 {
        self.max
    }
    pub fn points(self) -> usize {
        (self.max - self.min + 1) as usize
    }
    pub fn contains(self, v: i32) -> bool {
        v >= self.min && v <= self.max
    }
}

/// A rating value: on the scale, or `None` for "don't know / n.a.".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating(Option<i32>);

impl Rating {
    pub fn new(value: Option<i64>, scale: Scale, field: &str) -> Result<Rating, Invalid> {
        match value {
            None => Ok(Rating(None)),
            Some(v) => {
                let ok = i32::try_from(v).ok().filter(|v| scale.contains(*v));
                match ok {
                    Some(v) => Ok(Rating(Some(v))),
                    None => Err(Invalid::new(
                        field,
                        ErrorCode::OutsideScale {
                            value: v,
                            min: scale.min(),
                            max: scale.max(),
                        },
                    )),
                }
            }
        }
    }
    pub fn value(self) -> Option<i32> {
        self.0
    }
}

/// Net Promoter answer, 0–10.
pub fn parse_nps(value: i64, field: &str) -> Result<i32, Invalid> {
    if (0..=10).contains(&value) {
        Ok(value as i32)
    } else {
        Err(Invalid::new(field, ErrorCode::NpsRange { value }))
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(rename_all = "snake_case")]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
            /// Parses or names the allowed values in the error.
            pub fn parse_field(s: &str, field: &str) -> Result<$name, Invalid> {
                Self::parse(s).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    Invalid::new(
                        field,
                        ErrorCode::NotOneOf {
                            value: s.to_string(),
                            allowed: allowed.join(", "),
                        },
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// Who answers a questionnaire.
    Audience { Employee => "employee", Customer => "customer" }
);

string_enum!(
    /// What a rating is about.
    RatingKind {
        SelfRating => "self",
        Predicted => "predicted",
        Perceived => "perceived",
        Expected => "expected",
        Importance => "importance",
    }
);

impl RatingKind {
    /// The audience that may give this kind of rating.
    pub fn audience(self) -> Audience {
        match self {
            RatingKind::SelfRating | RatingKind::Predicted => Audience::Employee,
            _ => Audience::Customer,
        }
    }
}

string_enum!(
    /// Dimension category.
    CategoryKind { Functional => "functional", Emotional => "emotional" }
);

string_enum!(
    /// A workshop decision for one dimension.
    Decision {
        ManageExpectations => "manage_expectations",
        ImproveService => "improve_service",
        Investigate => "investigate",
    }
);

string_enum!(
    ActionStatus { Open => "open", Done => "done", Dropped => "dropped" }
);

string_enum!(
    Role { Admin => "admin", TeamLead => "team_lead" }
);

string_enum!(
    /// Where an e-mail of the outbox stands: `queued` (waiting, perhaps for a retry), `sending`
    /// (claimed by one instance), `sent` (accepted by the SMTP server), `failed` (refused for good,
    /// or out of retries) or `cancelled` (its wave closed, or its recipient opted out, first).
    MailStatus {
        Queued => "queued",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// What an e-mail of a mailing is: the personal invitation, or a reminder of it.
    MailKind { Invitation => "invitation", Reminder => "reminder" }
);

string_enum!(
    /// The language of a recipient's e-mails and of a survey's mail template.
    Language { Nl => "nl", En => "en" }
);

/// A dimension key: lowercase ASCII letters, digits and `_`, starting with a letter, at most 64.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DimensionKey(String);

/// Names a dimension key may not take: the CSV's own columns (a survey with a dimension `nps`
/// would write an export it cannot import). Keys with a `.` are refused by the character rule.
pub const RESERVED_KEYS: &[&str] = &[
    "audience",
    "team",
    "submitted_at",
    "respondent",
    "nps",
    "comment",
];

impl DimensionKey {
    pub fn parse(s: &str, field: &str) -> Result<DimensionKey, Invalid> {
        if RESERVED_KEYS.contains(&s) {
            return Err(Invalid::new(
                field,
                ErrorCode::KeyReserved { key: s.to_string() },
            ));
        }
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(DimensionKey(s.to_string()))
        } else {
            Err(Invalid::new(
                field,
                ErrorCode::KeyInvalid { key: s.to_string() },
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A control character (tab and newline included), or an invisible formatting character
/// (Unicode category Cf: the bidirectional overrides and isolates U+202A–U+202E and
/// U+2066–U+2069, the marks U+200E, U+200F and U+061C, zero-width spaces, the byte-order mark,
/// soft hyphens, tag characters …), or a line or paragraph separator. Zero-width (non-)joiners
/// (U+200C, U+200D) stay allowed: scripts such as Persian and emoji sequences need them.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            u32::from(c),
            0x00AD
                | 0x0600..=0x0605
                | 0x061C
                | 0x06DD
                | 0x070F
                | 0x0890..=0x0891
                | 0x08E2
                | 0x180E
                | 0x200B
                | 0x200E..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x2064
                | 0x2066..=0x206F
                | 0xFEFF
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0001
                | 0xE0020..=0xE007F
        )
}

/// Refuses a name holding an invisible or control character ([`is_invisible`]): a team named
/// with U+202E shows its letters reversed in every list, chart and export.
pub fn check_name_chars(s: &str, field: &str) -> Result<(), Invalid> {
    match s.chars().find(|c| is_invisible(*c)) {
        Some(c) => Err(Invalid::new(
            field,
            ErrorCode::NameInvisible {
                codepoint: format!("U+{:04X}", u32::from(c)),
            },
        )),
        None => Ok(()),
    }
}

/// A name (of a team, survey, wave or dimension): trimmed, non-empty, of bounded length, on
/// one line and without invisible formatting characters.
pub fn name_text(s: &str, field: &str, max_chars: usize) -> Result<String, Invalid> {
    check_name_chars(s.trim(), field)?;
    required_text(s, field, max_chars)
}

/// A trimmed, non-empty text of bounded length.
pub fn required_text(s: &str, field: &str, max_chars: usize) -> Result<String, Invalid> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Invalid::new(field, ErrorCode::TextEmpty));
    }
    optional_text(t, field, max_chars)
}

/// A text of bounded length (may be empty).
pub fn optional_text(s: &str, field: &str, max_chars: usize) -> Result<String, Invalid> {
    let t = s.trim();
    if t.chars().count() > max_chars {
        return Err(Invalid::new(
            field,
            ErrorCode::TextTooLong { max: max_chars },
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::new(field, ErrorCode::TextControl));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_rejects_inverted_and_accepts_likert() {
        assert_eq!(Scale::new(5, 1).unwrap_err().field, "scale_max");
        assert_eq!(Scale::new(3, 3).unwrap_err().field, "scale_max");
        assert_eq!(Scale::new(1, 5).unwrap().points(), 5);
    }

    #[test]
    fn rating_on_and_off_scale() {
        let s = Scale::new(1, 10).unwrap();
        assert_eq!(Rating::new(Some(10), s, "x").unwrap().value(), Some(10));
        assert_eq!(Rating::new(None, s, "x").unwrap().value(), None);
        let e = Rating::new(Some(11), s, "ratings.speed.perceived").unwrap_err();
        assert_eq!(e.field, "ratings.speed.perceived");
        assert!(Rating::new(Some(0), s, "x").is_err());
    }

    #[test]
    fn kinds_belong_to_audiences() {
        assert_eq!(RatingKind::parse("self"), Some(RatingKind::SelfRating));
        assert_eq!(RatingKind::SelfRating.audience(), Audience::Employee);
        assert_eq!(RatingKind::Expected.audience(), Audience::Customer);
        assert!(RatingKind::parse_field("selfie", "k")
            .unwrap_err()
            .code
            .to_string()
            .contains("self, predicted"));
    }

    #[test]
    fn names_refuse_control_and_invisible_formatting_characters() {
        assert_eq!(
            name_text("  Klantenservice ", "name", 100).unwrap(),
            "Klantenservice"
        );
        // Scripts and emoji pass, joiners included.
        for ok in [
            "'s-Hertogenbosch",
            "فريق الدعم",
            "צוות",
            "👩\u{200D}💻 Team",
            "می\u{200C}خواهم",
        ] {
            assert!(name_text(ok, "name", 100).is_ok(), "{ok}");
        }
        for (bad, cp) in [
            ("Team\u{202E}ecivres", "U+202E"),
            ("\u{202A}Balie", "U+202A"),
            ("Ba\u{2066}lie\u{2069}", "U+2066"),
            ("Ba\u{200B}lie", "U+200B"),
            ("Ba\u{200F}lie", "U+200F"),
            ("Balie\u{FEFF}", "U+FEFF"),
            ("Ba\u{00AD}lie", "U+00AD"),
            ("Ba\tlie", "U+0009"),
            ("Ba\nlie", "U+000A"),
            ("Ba\u{0007}lie", "U+0007"),
            ("Balie\u{E0041}", "U+E0041"),
            ("Ba\u{2028}lie", "U+2028"),
        ] {
            let e = name_text(bad, "name", 100).unwrap_err();
            assert_eq!(e.field, "name");
            assert_eq!(
                e.code,
                ErrorCode::NameInvisible {
                    codepoint: cp.into()
                },
                "{bad:?}"
            );
        }
    }

    #[test]
    fn dimension_keys() {
        assert!(DimensionKey::parse("keeping_agreements", "k").is_ok());
        assert!(DimensionKey::parse("Keeping", "k").is_err());
        assert!(DimensionKey::parse("1x", "k").is_err());
        assert!(DimensionKey::parse("", "k").is_err());
        assert!(DimensionKey::parse("a.b", "k").is_err());
        for key in RESERVED_KEYS {
            assert_eq!(DimensionKey::parse(key, "k").unwrap_err().field, "k");
        }
    }
}
