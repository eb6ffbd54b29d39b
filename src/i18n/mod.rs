//! Strings shown to people, one table per language (NL default, EN).

use serde::{Deserialize, Serialize};

pub mod audit;
pub mod charts;
pub mod console;
mod console_strings;
pub mod console_time;
pub mod format;
pub mod knowledge;
pub mod live;
pub mod mail;
pub mod pack;
pub mod pages;
pub mod sign_in;
pub mod time;
pub mod verdicts;
pub mod workbook;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// Parses `nl` / `en` (case-insensitive); anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language from an `Accept-Language` header, NL by default.
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("nl") {
                return Lang::Nl;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Nl
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// General strings (reports, pages), one table per language.
pub struct Text {
    pub col_priority: &'static str,
    pub col_dimension: &'static str,
    pub col_employees: &'static str,
    pub col_prediction: &'static str,
    pub col_customers: &'static str,
    pub col_gap: &'static str,
    pub col_ci95: &'static str,
    pub col_p: &'static str,
    pub col_verdict: &'static str,
    pub respondents: &'static str,
    pub employees_word: &'static str,
    pub customers_word: &'static str,
    pub too_few: &'static str,
    pub suppressed_note: &'static str,
    pub verdict_blind_spot: &'static str,
    pub verdict_hidden_strength: &'static str,
    pub verdict_aligned: &'static str,
    pub verdict_inconclusive: &'static str,
    pub verdict_insufficient: &'static str,
}

pub static NL: Text = Text {
    col_priority: "#",
    col_dimension: "Dimensie",
    col_employees: "Medewerkers",
    col_prediction: "Voorspelling",
    col_customers: "Klanten",
    col_gap: "Verschil",
    col_ci95: "95%-interval",
    col_p: "p (Holm)",
    col_verdict: "Oordeel",
    respondents: "Respondenten",
    employees_word: "medewerkers",
    customers_word: "klanten",
    too_few: "te weinig antwoorden",
    suppressed_note: "Groepen met minder dan {n} antwoorden tonen alleen hun aantal (anonimiteit).",
    verdict_blind_spot: "blinde vlek",
    verdict_hidden_strength: "verborgen kracht",
    verdict_aligned: "op één lijn",
    verdict_inconclusive: "nog onduidelijk",
    verdict_insufficient: "niet te vergelijken",
};

pub static EN: Text = Text {
    col_priority: "#",
    col_dimension: "Dimension",
    col_employees: "Employees",
    col_prediction: "Prediction",
    col_customers: "Customers",
    col_gap: "Gap",
    col_ci95: "95% interval",
    col_p: "p (Holm)",
    col_verdict: "Verdict",
    respondents: "Respondents",
    employees_word: "employees",
    customers_word: "customers",
    too_few: "too few responses",
    suppressed_note: "Groups with fewer than {n} answers show their count only (anonymity).",
    verdict_blind_spot: "blind spot",
    verdict_hidden_strength: "hidden strength",
    verdict_aligned: "aligned",
    verdict_inconclusive: "not clear yet",
    verdict_insufficient: "cannot be compared",
};

pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// A verdict in words.
pub fn verdict(lang: Lang, v: crate::engine::Verdict) -> &'static str {
    let t = text(lang);
    match v {
        crate::engine::Verdict::BlindSpot => t.verdict_blind_spot,
        crate::engine::Verdict::HiddenStrength => t.verdict_hidden_strength,
        crate::engine::Verdict::Aligned => t.verdict_aligned,
        crate::engine::Verdict::Inconclusive => t.verdict_inconclusive,
        crate::engine::Verdict::InsufficientData => t.verdict_insufficient,
    }
}
