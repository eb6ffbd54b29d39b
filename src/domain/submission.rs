//! A questionnaire submission: its wire form and the pure check against the rules of the
//! survey its token belongs to. The check runs where the token is resolved (the writer, inside
//! the transaction that takes the token's use) but is a plain function of its inputs: no I/O.

use std::collections::BTreeMap;

use super::{optional_text, parse_nps, Audience, Invalid, Rating, RatingKind, Scale};
use crate::domain::DimensionId;
use crate::error::ErrorCode;

/// Longest comment, in characters (questionnaire, API and CSV alike).
pub const MAX_COMMENT: usize = 2000;

/// A submission as it arrives (JSON or form), before validation.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RawSubmission {
    /// Per dimension key, per kind (`self`, `predicted`, `perceived`, `expected`, `importance`):
    /// a value on the survey's scale, or null for "don't know".
    #[schema(value_type = Object)]
    #[serde(default, deserialize_with = "unique_ratings")]
    pub ratings: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// 0–10, customers only.
    #[schema(value_type = Option<i64>)]
    pub nps: Option<serde_json::Value>,
    pub comment: Option<String>,
}

/// The `ratings` object, refusing a key given twice (at either level) instead of keeping the
/// last as serde_json would: `{"speed": {"self": 3, "self": 9}}` is a 422 naming
/// `ratings.speed.self`.
fn unique_ratings<'de, D>(
    de: D,
) -> Result<BTreeMap<String, BTreeMap<String, serde_json::Value>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::{Error, MapAccess, Visitor};
    use std::marker::PhantomData;

    /// A map whose keys must be unique; `path` names it in the error.
    struct Unique<V> {
        path: String,
        value: PhantomData<V>,
    }

    impl<'de, V: UniqueValue<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "an object ({})", self.path)
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = format!("{}.{key}", self.path);
                if out.contains_key(&key) {
                    return Err(M::Error::custom(format!(
                        "`{path}` is given twice; give each key once"
                    )));
                }
                let value = V::next(&mut map, path)?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    /// How a map's values are read: kinds hold plain values, dimensions hold unique maps.
    trait UniqueValue<'de>: Sized {
        fn next<M: MapAccess<'de>>(map: &mut M, path: String) -> Result<Self, M::Error>;
    }

    impl<'de> UniqueValue<'de> for serde_json::Value {
        fn next<M: MapAccess<'de>>(map: &mut M, _path: String) -> Result<Self, M::Error> {
            map.next_value()
        }
    }

    impl<'de> UniqueValue<'de> for BTreeMap<String, serde_json::Value> {
        fn next<M: MapAccess<'de>>(map: &mut M, path: String) -> Result<Self, M::Error> {
            map.next_value_seed(Seed(path))
        }
    }

    struct Seed(String);

    impl<'de> serde::de::DeserializeSeed<'de> for Seed {
        type Value = BTreeMap<String, serde_json::Value>;

        fn deserialize<D2: serde::Deserializer<'de>>(
            self,
            de: D2,
        ) -> Result<Self::Value, D2::Error> {
            de.deserialize_map(Unique::<serde_json::Value> {
                path: self.0,
                value: PhantomData,
            })
        }
    }

    de.deserialize_map(Unique::<BTreeMap<String, serde_json::Value>> {
        path: "ratings".to_string(),
        value: PhantomData,
    })
}

/// One answer to store: dimension id, kind and value (None = don't know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub dimension_id: DimensionId,
    pub kind: RatingKind,
    pub value: Option<i32>,
}

/// A validated submission, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSubmission {
    pub answers: Vec<Answer>,
    pub nps: Option<i32>,
    pub comment: Option<String>,
}

/// The rules a submission is checked against: who answers, on which scale, which kinds the
/// survey asks for, and which dimension keys it has.
pub struct Rules<'a, A, D>
where
    A: Fn(RatingKind) -> bool,
    D: Fn(&str) -> Option<DimensionId>,
{
    pub audience: Audience,
    pub scale: Scale,
    /// Whether the survey asks for this kind of rating.
    pub asks: &'a A,
    /// The id of a dimension key of the survey.
    pub dimension: &'a D,
}

impl RawSubmission {
    /// Checks every answer (422 naming the field, e.g. `ratings.speed.self`).
    pub fn validate<A, D>(&self, rules: &Rules<'_, A, D>) -> Result<ValidSubmission, Invalid>
    where
        A: Fn(RatingKind) -> bool,
        D: Fn(&str) -> Option<DimensionId>,
    {
        let audience = rules.audience;
        let mut answers = Vec::with_capacity(self.ratings.values().map(|k| k.len()).sum());
        for (key, kinds) in &self.ratings {
            let dimension_id = (rules.dimension)(key).ok_or_else(|| {
                Invalid::new(
                    format!("ratings.{key}"),
                    ErrorCode::UnknownDimension { key: key.clone() },
                )
            })?;
            for (kind_name, value) in kinds {
                // The field name is built only when there is something to say about it.
                let named = |mut e: Invalid| {
                    e.field = format!("ratings.{key}.{kind_name}");
                    e
                };
                let kind = RatingKind::parse_field(kind_name, "").map_err(named)?;
                if kind.audience() != audience {
                    return Err(named(Invalid::new(
                        "",
                        ErrorCode::KindNotAllowed {
                            audience: audience.to_string(),
                            kind: kind.to_string(),
                        },
                    )));
                }
                if !(rules.asks)(kind) {
                    return Err(named(Invalid::new(
                        "",
                        ErrorCode::KindNotAsked {
                            kind: kind.to_string(),
                        },
                    )));
                }
                let raw = match value {
                    serde_json::Value::Null => None,
                    serde_json::Value::Number(n) => match n.as_i64() {
                        Some(v) => Some(v),
                        None => {
                            return Err(named(Invalid::new(
                                "",
                                ErrorCode::NotWholeNumber {
                                    value: n.to_string(),
                                },
                            )))
                        }
                    },
                    other => {
                        return Err(named(Invalid::new(
                            "",
                            ErrorCode::NotWholeNumberOrNull {
                                value: other.to_string(),
                            },
                        )))
                    }
                };
                let rating = Rating::new(raw, rules.scale, "").map_err(named)?;
                answers.push(Answer {
                    dimension_id,
                    kind,
                    value: rating.value(),
                });
            }
        }
        if answers.is_empty() {
            return Err(Invalid::new("ratings", ErrorCode::NoRating));
        }
        let nps = match &self.nps {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => {
                if audience == Audience::Employee {
                    return Err(Invalid::new("nps", ErrorCode::NpsForEmployee));
                }
                let n = v.as_i64().ok_or_else(|| {
                    Invalid::new(
                        "nps",
                        ErrorCode::NotWholeNumber {
                            value: v.to_string(),
                        },
                    )
                })?;
                Some(parse_nps(n, "nps")?)
            }
        };
        let comment = match &self.comment {
            None => None,
            Some(c) => Some(optional_text(c, "comment", MAX_COMMENT)?).filter(|c| !c.is_empty()),
        };
        Ok(ValidSubmission {
            answers,
            nps,
            comment,
        })
    }
}
