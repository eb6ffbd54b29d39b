//! A posted form (`application/x-www-form-urlencoded`) read into a typed struct: a name that
//! repeats fills a `Vec` (checkboxes such as `team_ids`) and otherwise counts once (its first
//! value); an empty value is `None` for an `Option`; a present checkbox is `true`; numbers and
//! ids are parsed from their text. Fields typed by hand that may not parse (a count, a date) are
//! `String`s in the form structs, parsed by `app` or with [`number`], so what was typed can be
//! shown again beside its error.

use serde::de::value::{Error as DeError, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use crate::error::{AppError, ErrorCode};

/// Every field of a form, in the order of first appearance, with all its values.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, Vec<String>)>);

impl Fields {
    pub fn new(pairs: Vec<(String, String)>) -> Fields {
        let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
        for (k, v) in pairs {
            match grouped.iter_mut().find(|(name, _)| *name == k) {
                Some((_, values)) => values.push(v),
                None => grouped.push((k, vec![v])),
            }
        }
        Fields(grouped)
    }

    /// The first value of a field, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.first())
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Reads the form into `T`.
    pub fn read<T: de::DeserializeOwned>(&self) -> Result<T, DeError> {
        T::deserialize(Whole(self.0.clone()))
    }
}

impl<'de> de::Deserialize<'de> for Fields {
    /// A form read into `Fields` keeps everything (for forms whose names are numbered).
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        struct All;
        impl<'de> Visitor<'de> for All {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("form fields")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Vec<String>>()? {
                    out.push((k, v));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(All)
    }
}

/// A number typed into a field: None when empty; 422 naming the field when it is no number.
/// A decimal comma is read as a point.
pub fn number<T: std::str::FromStr>(field: &str, typed: &str) -> Result<Option<T>, AppError> {
    let v = typed.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.replace(',', ".").parse::<T>().map(Some).map_err(|_| {
        AppError::at(
            field,
            ErrorCode::NotANumber {
                value: v.to_string(),
            },
        )
    })
}

/// The whole form: a map of names to [`Values`].
struct Whole(Vec<(String, Vec<String>)>);

impl<'de> de::Deserializer<'de> for Whole {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(MapDeserializer::new(
            self.0.into_iter().map(|(k, v)| (k, Values(v))),
        ))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The values of one name.
struct Values(Vec<String>);

impl<'de> IntoDeserializer<'de, DeError> for Values {
    type Deserializer = Values;
    fn into_deserializer(self) -> Values {
        self
    }
}

impl Values {
    fn first(&self) -> &str {
        self.0.first().map(String::as_str).unwrap_or("")
    }

    fn parse<T: std::str::FromStr>(&self) -> Result<T, DeError> {
        let v = self.first().trim();
        v.parse()
            .map_err(|_| de::Error::custom(format!("'{v}' is not a number")))
    }
}

macro_rules! parsed {
    ($($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            visitor.$visit(self.parse()?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Values {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_string(self.first().to_string())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.first().trim().is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.first().trim() {
            "" | "false" | "0" | "off" | "no" => visitor.visit_bool(false),
            _ => visitor.visit_bool(true),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(SeqDeserializer::new(
            self.0.into_iter().map(|v| Values(vec![v])),
        ))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_enum(self.first().trim().to_string().into_deserializer())
    }

    parsed! {
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16, deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64, deserialize_u8 => visit_u8, deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32, deserialize_u64 => visit_u64, deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
    }

    forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple tuple_struct map
        struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Audience, TeamId};

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Example {
        name: String,
        team_id: Option<TeamId>,
        audience: Option<Audience>,
        #[serde(default)]
        team_ids: Vec<TeamId>,
        #[serde(default)]
        ask_nps: bool,
        count: String,
    }

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn forms_read_into_typed_structs() {
        let f = fields(&[
            ("csrf", "x"),
            ("name", "Balie"),
            ("name", "second is ignored"),
            ("team_id", ""),
            ("audience", "employee"),
            ("team_ids", "2"),
            ("team_ids", "5"),
            ("ask_nps", "true"),
            ("count", "8,5"),
        ]);
        let e: Example = f.read().unwrap();
        assert_eq!(
            e,
            Example {
                name: "Balie".into(),
                team_id: None,
                audience: Some(Audience::Employee),
                team_ids: vec![TeamId(2), TeamId(5)],
                ask_nps: true,
                count: "8,5".into(),
            }
        );
        let e: Example = fields(&[("name", "x"), ("team_id", "3"), ("count", "")])
            .read()
            .unwrap();
        assert_eq!(
            (e.team_id, e.audience, e.ask_nps),
            (Some(TeamId(3)), None, false)
        );
        assert!(fields(&[("name", "x"), ("team_id", "drie"), ("count", "")])
            .read::<Example>()
            .is_err());
        assert!(
            fields(&[("name", "x"), ("audience", "boss"), ("count", "")])
                .read::<Example>()
                .is_err()
        );
    }

    #[test]
    fn typed_numbers_parse_with_a_decimal_comma_or_name_their_field() {
        assert_eq!(number::<f64>("alpha", " 0,05 ").unwrap(), Some(0.05));
        assert_eq!(number::<u32>("count", "").unwrap(), None);
        let e = number::<u32>("count", "tien").unwrap_err();
        assert_eq!(e.field().as_deref(), Some("count"));
        assert_eq!(e.message(crate::i18n::Lang::Nl), "'tien' is geen getal.");
    }
}
