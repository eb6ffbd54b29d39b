//! The questionnaire's form fields as a submission, the same shape the JSON API takes.

use std::collections::BTreeMap;

use crate::domain::submission::RawSubmission;
use crate::error::{AppError, ErrorCode};

/// Turns form fields (`r.KEY.KIND` = value | `dk` | empty, `nps`, `comment`) into a submission.
/// A field given twice is refused (422 naming it), as in JSON: the form never sends one twice.
pub fn form_to_submission(fields: &[(String, String)]) -> Result<RawSubmission, AppError> {
    let mut sub = RawSubmission::default();
    let mut ratings: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (name, value) in fields {
        if name != "csrf" && !seen.insert(name.as_str()) {
            let field = match name.strip_prefix("r.") {
                Some(rest) => format!("ratings.{rest}"),
                None => name.clone(),
            };
            return Err(AppError::at(field, ErrorCode::GivenTwice));
        }
        let value = value.trim();
        if let Some(rest) = name.strip_prefix("r.") {
            let Some((key, kind)) = rest.rsplit_once('.') else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let v = if value == "dk" {
                serde_json::Value::Null
            } else {
                value
                    .parse::<i64>()
                    .map(serde_json::Value::from)
                    .unwrap_or_else(|_| serde_json::Value::String(value.to_string()))
            };
            ratings
                .entry(key.to_string())
                .or_default()
                .insert(kind.to_string(), v);
        } else if name == "nps" && !value.is_empty() {
            sub.nps = Some(
                value
                    .parse::<i64>()
                    .map(serde_json::Value::from)
                    .unwrap_or_else(|_| serde_json::Value::String(value.to_string())),
            );
        } else if name == "comment" && !value.is_empty() {
            sub.comment = Some(value.to_string());
        }
    }
    sub.ratings = ratings;
    Ok(sub)
}
