//! The survey form of the console: a stored survey as form fields, the fields back as a
//! change, and dimension rows with their errors (the form numbers its rows itself).

use super::form::number;
use super::{Errors, Fields};
use crate::app::survey_edit::UpdateSurvey;
use crate::app::surveys::{self as app, DimensionInput, SurveyTextsInput};
use crate::domain::templates::{self, MIRROR_DEFAULT};
use crate::error::AppError;
use crate::i18n::Lang;

/// Text fields of the questionnaire: (name, multi-line).
pub const TEXTS: [(&str, bool); 10] = [
    ("organisation", false),
    ("contact", false),
    ("introduction_nl", true),
    ("introduction_en", true),
    ("privacy_statement_nl", true),
    ("privacy_statement_en", true),
    ("scale_low_nl", false),
    ("scale_high_nl", false),
    ("scale_low_en", false),
    ("scale_high_en", false),
];
pub const FLAGS: [&str; 4] = ["ask_predicted", "ask_expected", "ask_importance", "ask_nps"];
/// Blank dimension rows offered under the filled ones.
pub const BLANK_ROWS: usize = 3;

pub struct DimRow {
    pub index: usize,
    pub key: String,
    pub label_nl: String,
    pub label_en: String,
    pub employee_nl: String,
    pub employee_en: String,
    pub customer_nl: String,
    pub customer_en: String,
    pub category: String,
    pub errors: Errors,
}

/// The dimension rows a form holds (by their index in the form), blank ones included.
fn form_rows(f: &Fields) -> Vec<(usize, DimensionInput)> {
    let mut out = Vec::new();
    for i in 0..60 {
        let g = |part: &str| f.get(&format!("dimensions[{i}].{part}"));
        if !f
            .0
            .iter()
            .any(|(k, _)| k.starts_with(&format!("dimensions[{i}].")))
        {
            continue;
        }
        out.push((
            i,
            DimensionInput {
                key: g("key"),
                label_nl: g("label_nl"),
                label_en: Some(g("label_en")),
                employee_statement_nl: Some(g("employee_statement_nl")),
                employee_statement_en: Some(g("employee_statement_en")),
                customer_statement_nl: Some(g("customer_statement_nl")),
                customer_statement_en: Some(g("customer_statement_en")),
                category: Some(g("category")),
            },
        ));
    }
    out
}

fn is_blank(d: &DimensionInput) -> bool {
    d.key.is_empty() && d.label_nl.is_empty()
}

/// The parts of a dimension row, in the order `put_dimension` takes them.
const DIMENSION_PARTS: [&str; 7] = [
    "key",
    "label_nl",
    "label_en",
    "employee_statement_nl",
    "employee_statement_en",
    "customer_statement_nl",
    "customer_statement_en",
];

/// Puts one dimension's fields (`dimensions[i].key`, …, `.category`).
fn put_dimension<'a>(
    put: &mut impl FnMut(&str, String),
    i: usize,
    texts: impl Iterator<Item = &'a str>,
    category: &str,
) {
    for (part, value) in DIMENSION_PARTS.iter().zip(texts) {
        put(&format!("dimensions[{i}].{part}"), value.to_string());
    }
    put(&format!("dimensions[{i}].category"), category.to_string());
}

/// The form's fields for a stored survey (or the defaults of a new one).
pub fn survey_fields(full: Option<&app::SurveyFull>) -> Fields {
    let mut v: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, val: String| v.push((k.to_string(), val));
    match full {
        Some((s, dims, _)) => {
            put("title", s.title.clone());
            put("template", s.template.clone().unwrap_or_default());
            put("scale_min", s.scale_min.to_string());
            put("scale_max", s.scale_max.to_string());
            put("min_group_size", s.min_group_size.to_string());
            put(
                "comment_min_group_size",
                s.comment_min_group_size.to_string(),
            );
            put("alpha", s.alpha.to_string());
            put("materiality", s.materiality.to_string());
            for (name, on) in
                FLAGS
                    .iter()
                    .zip([s.ask_predicted, s.ask_expected, s.ask_importance, s.ask_nps])
            {
                if on {
                    put(name, "true".into());
                }
            }
            let tx = &s.texts;
            for (name, value) in TEXTS.iter().map(|t| t.0).zip([
                &tx.organisation,
                &tx.contact,
                &tx.introduction_nl,
                &tx.introduction_en,
                &tx.privacy_statement_nl,
                &tx.privacy_statement_en,
                &tx.scale_low_nl,
                &tx.scale_high_nl,
                &tx.scale_low_en,
                &tx.scale_high_en,
            ]) {
                put(name, value.clone().unwrap_or_default());
            }
            for (i, d) in dims.iter().enumerate() {
                let c = d.category.as_str();
                let texts = [&d.key, &d.label_nl, &d.label_en, &d.employee_statement_nl];
                let more = [
                    &d.employee_statement_en,
                    &d.customer_statement_nl,
                    &d.customer_statement_en,
                ];
                put_dimension(
                    &mut put,
                    i,
                    texts.into_iter().chain(more).map(String::as_str),
                    c,
                );
            }
        }
        None => {
            put("template", MIRROR_DEFAULT.into());
            put("scale_min", "1".into());
            put("scale_max", "10".into());
            put("min_group_size", "5".into());
            put("comment_min_group_size", "10".into());
            put("alpha", "0.05".into());
            for name in ["ask_predicted", "ask_expected", "ask_nps"] {
                put(name, "true".into());
            }
            for (i, d) in templates::template(MIRROR_DEFAULT)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let texts = [d.key, d.label_nl, d.label_en, d.employee_statement_nl];
                let more = [
                    d.employee_statement_en,
                    d.customer_statement_nl,
                    d.customer_statement_en,
                ];
                put_dimension(
                    &mut put,
                    i,
                    texts.into_iter().chain(more),
                    d.category.as_str(),
                );
            }
        }
    }
    Fields::new(v)
}

/// Rows to show: the form's filled rows, renumbered, then blank ones; errors on their row.
pub fn view_rows(f: &Fields, errors: &Errors) -> Vec<DimRow> {
    let filled: Vec<(usize, DimensionInput)> = form_rows(f)
        .into_iter()
        .filter(|(_, d)| !is_blank(d))
        .collect();
    let mut rows: Vec<DimRow> = filled
        .iter()
        .enumerate()
        .map(|(i, (orig, d))| {
            let mut row_errors = Errors::default();
            for (field, msg) in &errors.0 {
                if let Some(rest) = field.strip_prefix(&format!("dimensions[{orig}].")) {
                    let part = match rest {
                        r if r.starts_with("employee") => "employee",
                        r if r.starts_with("customer") => "customer",
                        r => r,
                    };
                    row_errors.0.push((part.to_string(), msg.clone()));
                }
            }
            DimRow {
                index: i,
                key: d.key.clone(),
                label_nl: d.label_nl.clone(),
                label_en: d.label_en.clone().unwrap_or_default(),
                employee_nl: d.employee_statement_nl.clone().unwrap_or_default(),
                employee_en: d.employee_statement_en.clone().unwrap_or_default(),
                customer_nl: d.customer_statement_nl.clone().unwrap_or_default(),
                customer_en: d.customer_statement_en.clone().unwrap_or_default(),
                category: d.category.clone().unwrap_or_default(),
                errors: row_errors,
            }
        })
        .collect();
    let n = rows.len();
    for i in n..(n + BLANK_ROWS).min(50) {
        rows.push(DimRow {
            index: i,
            key: String::new(),
            label_nl: String::new(),
            label_en: String::new(),
            employee_nl: String::new(),
            employee_en: String::new(),
            customer_nl: String::new(),
            customer_en: String::new(),
            category: String::new(),
            errors: Errors::default(),
        });
    }
    rows
}

/// Reads the survey form; field errors carry the form's own row numbers.
pub fn read_form(f: &Fields, with_dims: bool) -> Result<UpdateSurvey, AppError> {
    let rows: Vec<(usize, DimensionInput)> = form_rows(f)
        .into_iter()
        .filter(|(_, d)| !is_blank(d))
        .collect();
    // Edits to the default set's rows make them the survey's own dimensions (never thrown away).
    let own = f.get("template").is_empty() || !same_as_template(&rows, &f.get("template"));
    let texts = {
        let g = |n: &str| Some(f.get(n));
        SurveyTextsInput {
            organisation: g("organisation"),
            contact: g("contact"),
            introduction_nl: g("introduction_nl"),
            introduction_en: g("introduction_en"),
            privacy_statement_nl: g("privacy_statement_nl"),
            privacy_statement_en: g("privacy_statement_en"),
            scale_low_nl: g("scale_low_nl"),
            scale_high_nl: g("scale_high_nl"),
            scale_low_en: g("scale_low_en"),
            scale_high_en: g("scale_high_en"),
        }
    };
    let settings = f.has("settings");
    let flag = |n: &str| settings.then(|| f.has(n));
    Ok(UpdateSurvey {
        title: Some(f.get("title")),
        template: (with_dims && !own).then(|| f.get("template")),
        dimensions: (with_dims && own).then(|| rows.iter().map(|(_, d)| d.clone()).collect()),
        scale_min: if with_dims {
            number("scale_min", &f.get("scale_min"))?
        } else {
            None
        },
        scale_max: if with_dims {
            number("scale_max", &f.get("scale_max"))?
        } else {
            None
        },
        min_group_size: number("min_group_size", &f.get("min_group_size"))?,
        comment_min_group_size: number("comment_min_group_size", &f.get("comment_min_group_size"))?,
        alpha: number("alpha", &f.get("alpha"))?,
        materiality: number("materiality", &f.get("materiality"))?,
        ask_predicted: flag("ask_predicted"),
        ask_expected: flag("ask_expected"),
        ask_importance: flag("ask_importance"),
        ask_nps: flag("ask_nps"),
        ..UpdateSurvey::default()
    }
    .with_texts(texts))
}

/// Whether the form's rows are the template's dimensions as they stand (a form without rows
/// counts as unchanged).
fn same_as_template(rows: &[(usize, DimensionInput)], template: &str) -> bool {
    let Some(dims) = templates::template(template) else {
        return true;
    };
    rows.is_empty()
        || (rows.len() == dims.len()
            && rows.iter().zip(dims.iter()).all(|((_, r), d)| {
                let same = |a: &Option<String>, b: &str| a.as_deref().unwrap_or("") == b;
                r.key == d.key
                    && r.label_nl == d.label_nl
                    && same(&r.label_en, d.label_en)
                    && same(&r.employee_statement_nl, d.employee_statement_nl)
                    && same(&r.employee_statement_en, d.employee_statement_en)
                    && same(&r.customer_statement_nl, d.customer_statement_nl)
                    && same(&r.customer_statement_en, d.customer_statement_en)
                    && same(&r.category, d.category.as_str())
            }))
}

/// An error from `app` with a dimension index renamed to the form's row.
pub fn form_errors(lang: Lang, f: &Fields, e: &AppError) -> Option<Errors> {
    let rows: Vec<usize> = form_rows(f)
        .into_iter()
        .filter(|(_, d)| !is_blank(d))
        .map(|(i, _)| i)
        .collect();
    let mut errors = Errors::from_error(lang, e)?;
    for (field, _) in errors.0.iter_mut() {
        if let Some(rest) = field.strip_prefix("dimensions[") {
            if let Some((n, tail)) = rest.split_once(']') {
                if let Some(orig) = n.parse::<usize>().ok().and_then(|n| rows.get(n)) {
                    *field = format!("dimensions[{orig}]{tail}");
                }
            }
        }
    }
    Some(errors)
}
