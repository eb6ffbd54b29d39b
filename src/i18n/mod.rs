//! Strings shown to people, one table per language (NL default, EN).

use serde::{Deserialize, Serialize};

/// One table of strings in both languages: each entry names a field, then gives its Dutch
/// text and, on the next line, its English one (`field: "nl",\n "en";`); a field of another
/// type than `&'static str` names it in brackets (`lang [Lang]: Lang::Nl, Lang::En;`).
/// Writes the struct, its Dutch and English values and the function that picks one by
/// language.
macro_rules! bilingual {
    // A page's table (`… in NL, EN with the language switch;`): its first fields are the
    // language's code and the other language's code and name.
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident in $nl_table:ident, $en_table:ident with the language switch;
        $(#[$pick_attr:meta])*
        $pick_vis:vis fn $pick:ident;
        $($entries:tt)+
    ) => {
        bilingual! {
            $(#[$attr])*
            $vis struct $name in $nl_table, $en_table;
            $(#[$pick_attr])*
            $pick_vis fn $pick;
            /// The page's language (`nl`, `en`).
            lang_code: "nl",
                "en";
            /// The other language, for the switch: its code and its name in itself.
            other_lang_code: "en",
                "nl";
            other_lang_name: "English",
                "Nederlands";
            $($entries)+
        }
    };
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident in $nl_table:ident, $en_table:ident;
        $(#[$pick_attr:meta])*
        $pick_vis:vis fn $pick:ident;
        $( $(#[$m:meta])* $field:ident $([$ty:ty])?: $nl:expr, $en:expr; )+
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $( $(#[$m])* pub $field: bilingual!(@type $($ty)?), )+
        }

        $vis static $nl_table: $name = $name { $( $field: $nl, )+ };

        $vis static $en_table: $name = $name { $( $field: $en, )+ };

        $(#[$pick_attr])*
        $pick_vis fn $pick(lang: $crate::i18n::Lang) -> &'static $name {
            match lang {
                $crate::i18n::Lang::Nl => &$nl_table,
                $crate::i18n::Lang::En => &$en_table,
            }
        }
    };
    (@type) => { &'static str };
    (@type $ty:ty) => { $ty };
}

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

    /// One of two things by language: the Dutch one or the English one.
    pub fn pick<T>(self, nl: T, en: T) -> T {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

bilingual! {
    /// General strings (reports, pages), one table per language.
    pub struct Text in NL, EN;
    pub fn text;
    col_priority: "#",
        "#";
    col_dimension: "Dimensie",
        "Dimension";
    col_employees: "Medewerkers",
        "Employees";
    col_prediction: "Voorspelling",
        "Prediction";
    col_customers: "Klanten",
        "Customers";
    col_gap: "Verschil",
        "Gap";
    col_ci95: "95%-interval",
        "95% interval";
    col_p: "p (Holm)",
        "p (Holm)";
    col_verdict: "Oordeel",
        "Verdict";
    respondents: "Respondenten",
        "Respondents";
    employees_word: "medewerkers",
        "employees";
    customers_word: "klanten",
        "customers";
    too_few: "te weinig antwoorden",
        "too few responses";
    suppressed_note: "Groepen met minder dan {n} antwoorden tonen alleen hun aantal (anonimiteit).",
        "Groups with fewer than {n} answers show their count only (anonymity).";
}

/// A verdict in words: its short name ([`verdicts::tag`]) with nothing known of the gap's sign.
pub fn verdict(lang: Lang, v: crate::engine::Verdict) -> &'static str {
    use crate::engine::Verdict;
    use verdicts::Known;
    let known = match v {
        Verdict::BlindSpot => Known::BlindSpot,
        Verdict::HiddenStrength => Known::HiddenStrength,
        Verdict::Aligned => Known::Aligned,
        Verdict::Inconclusive => Known::Unclear,
        Verdict::InsufficientData => Known::Withheld,
    };
    verdicts::tag(lang, known)
}
