//! The workbooks' words (`report.xlsx`, `export.xlsx`): column headers in the reader's
//! language instead of the JSON report's field names, and verdicts in words (SPEC "Words for
//! verdicts (revision 3)"). The workbook code names its columns by the JSON field
//! (`gap.p_adjusted`); this module says them.

use super::Lang;
use crate::engine::{Comparison, DimensionReport};

/// The header of a column named by its JSON field (`priority`, `customer.mean`,
/// `gap.p_adjusted`, `respondents.employee`, …); an unknown name is shown as it is.
pub fn column(lang: Lang, name: &str) -> String {
    let (block, field) = match name.split_once('.') {
        Some((b, f)) => (Some(b), f),
        None => (None, name),
    };
    let nl = lang == Lang::Nl;
    let block_words = block.map(|b| match (b, nl) {
        ("employee", true) => "Medewerkers (eigen oordeel)",
        ("employee", false) => "Employees (own rating)",
        ("predicted", true) => "Medewerkers (voorspelling)",
        ("predicted", false) => "Employees (prediction)",
        ("customer", true) => "Klanten (oordeel)",
        ("customer", false) => "Customers (rating)",
        ("expected", true) => "Klanten (verwachting)",
        ("expected", false) => "Customers (expectation)",
        ("gap", true) => "Verschil medewerkers − klanten",
        ("gap", false) => "Gap employees − customers",
        ("prediction_gap", true) => "Verschil voorspelling − klanten",
        ("prediction_gap", false) => "Gap prediction − customers",
        ("expectation_gap", true) => "Klanten: oordeel − verwachting",
        ("expectation_gap", false) => "Customers: rating − expectation",
        ("stratified_gap", true) => "Verschil binnen de teams",
        ("stratified_gap", false) => "Gap within teams",
        ("importance", true) => "Belang voor klanten",
        ("importance", false) => "Importance to customers",
        ("knowledge", true) => "Klantkennis",
        ("knowledge", false) => "Knowing the customers",
        ("effect", true) => "Effect",
        ("effect", false) => "Effect",
        ("respondents", true) => "Respondenten",
        ("respondents", false) => "Respondents",
        ("nps", _) => "NPS",
        (other, _) => other,
    });
    let field_words = match (block, field, nl) {
        (None, "priority", true) => "Prioriteit",
        (None, "priority", false) => "Priority",
        (None, "key", true) => "Sleutel",
        (None, "key", false) => "Key",
        (None, "label", true) => "Aspect",
        (None, "label", false) => "Dimension",
        (None, "verdict", true) => "Oordeel",
        (None, "verdict", false) => "Verdict",
        (None, "conclusion", true) => "Wat dit betekent",
        (None, "conclusion", false) => "What this means",
        (None, "survey_id", true) => "Vragenlijst (nummer)",
        (None, "survey_id", false) => "Survey (id)",
        (None, "wave_id", true) => "Meting (nummer)",
        (None, "wave_id", false) => "Wave (id)",
        (None, "team_id", true) => "Team (nummer)",
        (None, "team_id", false) => "Team (id)",
        (None, "published", true) => "Gepubliceerd",
        (None, "published", false) => "Published",
        (None, "excluded_cells", true) => "Kleine groepen weggelaten",
        (None, "excluded_cells", false) => "Small groups left out",
        (None, "min_group_size", true) => "Minimale groepsgrootte",
        (None, "min_group_size", false) => "Minimum group size",
        (None, "alpha", true) => "Alfa",
        (None, "alpha", false) => "Alpha",
        (None, "materiality", true) => "Drempel (relevant verschil)",
        (None, "materiality", false) => "Threshold (material gap)",
        (Some("respondents"), "employee", true) => "medewerkers",
        (Some("respondents"), "employee", false) => "employees",
        (Some("respondents"), "customer", true) => "klanten",
        (Some("respondents"), "customer", false) => "customers",
        (Some("expectation_gap"), "n", true) => "paren",
        (Some("expectation_gap"), "n", false) => "pairs",
        (Some("nps"), "score", true) => "score",
        (Some("nps"), "score", false) => "score",
        (None, "quadrant", true) => "Kwadrant (klanten)",
        (None, "quadrant", false) => "Quadrant (customers)",
        (None, "predicted_quadrant", true) => "Kwadrant (voorspelling)",
        (None, "predicted_quadrant", false) => "Quadrant (prediction)",
        (None, "in_words", true) => "In woorden",
        (None, "in_words", false) => "In words",
        (None, "dimension", true) => "Aspect",
        (None, "dimension", false) => "Dimension",
        (None, "decision", true) => "Besluit",
        (None, "decision", false) => "Decision",
        (None, "status", true) => "Status",
        (None, "status", false) => "Status",
        (None, "description", true) => "Omschrijving",
        (None, "description", false) => "Description",
        (None, "owner", true) => "Eigenaar",
        (None, "owner", false) => "Owner",
        (None, "due_date", true) => "Klaar op",
        (None, "due_date", false) => "Due",
        (None, "wave", true) => "Meting",
        (None, "wave", false) => "Wave",
        (Some("importance"), "source", true) => "bron",
        (Some("importance"), "source", false) => "source",
        (Some("knowledge"), "dimensions_used", true) => "aspecten gebruikt",
        (Some("knowledge"), "dimensions_used", false) => "dimensions used",
        (Some("knowledge"), "bias", true) => "te positief (+) of te negatief (−)",
        (Some("knowledge"), "bias", false) => "too positive (+) or too negative (−)",
        (Some("knowledge"), "mae", true) => "gemiddeld ernaast",
        (Some("knowledge"), "mae", false) => "mean absolute error",
        (Some("knowledge"), "accuracy", true) => "juistheid",
        (Some("knowledge"), "accuracy", false) => "accuracy",
        (Some("knowledge"), "rank_correlation", true) => "volgorde (Spearman ρ)",
        (Some("knowledge"), "rank_correlation", false) => "order (Spearman ρ)",
        (Some("knowledge"), "lowest_hit", true) => "laagste aspect herkend",
        (Some("knowledge"), "lowest_hit", false) => "lowest dimension seen",
        (Some("knowledge"), "skill", true) => "voorspellen tegen projecteren (skill)",
        (Some("knowledge"), "skill", false) => "predicting against projecting (skill)",
        (Some("effect"), "verdict", true) => "uitkomst",
        (Some("effect"), "verdict", false) => "outcome",
        (Some("effect"), "gap_before", true) => "kloof ervoor",
        (Some("effect"), "gap_before", false) => "gap before",
        (Some("effect"), "gap_after", true) => "kloof erna",
        (Some("effect"), "gap_after", false) => "gap after",
        (Some("effect"), "change", true) => "verandering",
        (Some("effect"), "change", false) => "change",
        (_, "se_bias", true) => "standaardfout (te positief)",
        (_, "se_bias", false) => "standard error (bias)",
        (_, "se_mae", true) => "standaardfout (ernaast)",
        (_, "se_mae", false) => "standard error (mean absolute error)",
        (_, "se_skill", true) => "standaardfout (skill)",
        (_, "se_skill", false) => "standard error (skill)",
        (_, "n", true) => "aantal",
        (_, "n", false) => "count",
        (_, "dont_know", true) => "weet niet",
        (_, "dont_know", false) => "don't know",
        (_, "mean", true) => "gemiddelde",
        (_, "mean", false) => "mean",
        (_, "sd", true) => "standaardafwijking",
        (_, "sd", false) => "standard deviation",
        (_, "value", true) => "waarde",
        (_, "value", false) => "value",
        (_, "se", true) => "standaardfout",
        (_, "se", false) => "standard error",
        (_, "df", true) => "vrijheidsgraden",
        (_, "df", false) => "degrees of freedom",
        (_, "ci95_low", true) => "95%-interval, ondergrens",
        (_, "ci95_low", false) => "95% interval, lower end",
        (_, "ci95_high", true) => "95%-interval, bovengrens",
        (_, "ci95_high", false) => "95% interval, upper end",
        (_, "p_value", true) => "p (ongecorrigeerd)",
        (_, "p_value", false) => "p (unadjusted)",
        (_, "p_adjusted", true) => "p (Holm)",
        (_, "p_adjusted", false) => "p (Holm)",
        (_, "hedges_g", _) => "Hedges' g",
        (_, "mdd", true) => "kleinste aantoonbare verschil",
        (_, "mdd", false) => "minimum detectable difference",
        (_, "pairs_left_out", true) => "zonder paar",
        (_, "pairs_left_out", false) => "without a pair",
        (_, "teams_used", true) => "teams gebruikt",
        (_, "teams_used", false) => "teams used",
        (_, "teams_left_out", true) => "teams niet gebruikt",
        (_, "teams_left_out", false) => "teams left out",
        (_, "composition_warning", true) => "de mix van teams vertekent het totaal",
        (_, "composition_warning", false) => "the mix of teams skews the total",
        (_, other, _) => other,
    };
    match block_words {
        Some(b) => format!("{b}: {field_words}"),
        None => field_words.to_string(),
    }
}

/// Where an importance figure comes from, in words.
pub fn importance_source(lang: Lang, s: crate::engine::ImportanceSource) -> &'static str {
    use crate::engine::ImportanceSource;
    match (lang, s) {
        (Lang::Nl, ImportanceSource::Stated) => "gevraagd (gemiddeld belang)",
        (Lang::Nl, ImportanceSource::Derived) => "afgeleid (samenhang met NPS, r)",
        (Lang::En, ImportanceSource::Stated) => "stated (mean importance)",
        (Lang::En, ImportanceSource::Derived) => "derived (correlation with NPS, r)",
    }
}

/// Yes or no in words.
pub fn yes_no(lang: Lang, v: bool) -> &'static str {
    match (lang, v) {
        (Lang::Nl, true) => "ja",
        (Lang::Nl, false) => "nee",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    }
}

/// A dimension's verdict in words: its short name ("blinde vlek", "nog onduidelijk") and the
/// sentence with the gap, the materiality and the Holm-adjusted p.
pub fn verdict(lang: Lang, d: &DimensionReport, c: &Comparison) -> (String, String) {
    use super::verdicts;
    let tag = verdicts::tag(lang, verdicts::known(d, c.alpha)).to_string();
    let sentence = match &d.gap {
        Some(g) => format!(
            "{} ({})",
            verdicts::sentence(lang, d, c),
            verdicts::p_holm(lang, g.p_adjusted)
        ),
        None => verdicts::sentence(lang, d, c),
    };
    (tag, sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_the_readers_language() {
        assert_eq!(
            column(Lang::Nl, "customer.mean"),
            "Klanten (oordeel): gemiddelde"
        );
        assert_eq!(
            column(Lang::En, "customer.mean"),
            "Customers (rating): mean"
        );
        assert_eq!(
            column(Lang::Nl, "gap.p_adjusted"),
            "Verschil medewerkers − klanten: p (Holm)"
        );
        assert_eq!(
            column(Lang::En, "gap.p_value"),
            "Gap employees − customers: p (unadjusted)"
        );
        assert_eq!(
            column(Lang::Nl, "expectation_gap.n"),
            "Klanten: oordeel − verwachting: paren"
        );
        assert_eq!(
            column(Lang::Nl, "respondents.customer"),
            "Respondenten: klanten"
        );
        assert_eq!(column(Lang::En, "verdict"), "Verdict");
        // Every column the workbook writes has words in both languages, none twice.
        let blocks = ["employee", "predicted", "customer", "expected"];
        let mut names: Vec<String> = ["priority", "key", "label", "verdict", "conclusion"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for b in blocks {
            for f in ["n", "dont_know", "mean", "sd"] {
                names.push(format!("{b}.{f}"));
            }
        }
        for b in ["gap", "prediction_gap"] {
            for f in [
                "value",
                "se",
                "df",
                "ci95_low",
                "ci95_high",
                "p_value",
                "p_adjusted",
                "hedges_g",
                "mdd",
            ] {
                names.push(format!("{b}.{f}"));
            }
        }
        for lang in [Lang::Nl, Lang::En] {
            let said: Vec<String> = names.iter().map(|n| column(lang, n)).collect();
            for (n, s) in names.iter().zip(&said) {
                assert!(!s.contains('_') && s != n, "{n} is not in words: {s}");
            }
            let mut unique = said.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), said.len());
        }
    }
}
