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
    // Each name's words as (Dutch, English).
    let block_words = block.map(|b| match b {
        "employee" => ("Medewerkers (eigen oordeel)", "Employees (own rating)"),
        "predicted" => ("Medewerkers (voorspelling)", "Employees (prediction)"),
        "customer" => ("Klanten (oordeel)", "Customers (rating)"),
        "expected" => ("Klanten (verwachting)", "Customers (expectation)"),
        "gap" => (
            "Verschil medewerkers − klanten",
            "Gap employees − customers",
        ),
        "prediction_gap" => (
            "Verschil voorspelling − klanten",
            "Gap prediction − customers",
        ),
        "expectation_gap" => (
            "Klanten: oordeel − verwachting",
            "Customers: rating − expectation",
        ),
        "stratified_gap" => ("Verschil binnen de teams", "Gap within teams"),
        "importance" => ("Belang voor klanten", "Importance to customers"),
        "knowledge" => ("Klantkennis", "Knowing the customers"),
        "effect" => ("Effect", "Effect"),
        "respondents" => ("Respondenten", "Respondents"),
        "nps" => ("NPS", "NPS"),
        other => (other, other),
    });
    let (field_nl, field_en) = match (block, field) {
        (None, "priority") => ("Prioriteit", "Priority"),
        (None, "key") => ("Sleutel", "Key"),
        (None, "label") => ("Aspect", "Dimension"),
        (None, "verdict") => ("Oordeel", "Verdict"),
        (None, "conclusion") => ("Wat dit betekent", "What this means"),
        (None, "survey_id") => ("Vragenlijst (nummer)", "Survey (id)"),
        (None, "wave_id") => ("Meting (nummer)", "Wave (id)"),
        (None, "team_id") => ("Team (nummer)", "Team (id)"),
        (None, "published") => ("Gepubliceerd", "Published"),
        (None, "excluded_cells") => ("Kleine groepen weggelaten", "Small groups left out"),
        (None, "min_group_size") => ("Minimale groepsgrootte", "Minimum group size"),
        (None, "alpha") => ("Alfa", "Alpha"),
        (None, "materiality") => ("Drempel (relevant verschil)", "Threshold (material gap)"),
        (Some("respondents"), "employee") => ("medewerkers", "employees"),
        (Some("respondents"), "customer") => ("klanten", "customers"),
        (Some("expectation_gap"), "n") => ("paren", "pairs"),
        (Some("nps"), "score") => ("score", "score"),
        (None, "quadrant") => ("Kwadrant (klanten)", "Quadrant (customers)"),
        (None, "predicted_quadrant") => ("Kwadrant (voorspelling)", "Quadrant (prediction)"),
        (None, "in_words") => ("In woorden", "In words"),
        (None, "dimension") => ("Aspect", "Dimension"),
        (None, "decision") => ("Besluit", "Decision"),
        (None, "status") => ("Status", "Status"),
        (None, "description") => ("Omschrijving", "Description"),
        (None, "owner") => ("Eigenaar", "Owner"),
        (None, "due_date") => ("Klaar op", "Due"),
        (None, "wave") => ("Meting", "Wave"),
        (Some("importance"), "source") => ("bron", "source"),
        (Some("knowledge"), "dimensions_used") => ("aspecten gebruikt", "dimensions used"),
        (Some("knowledge"), "bias") => (
            "te positief (+) of te negatief (−)",
            "too positive (+) or too negative (−)",
        ),
        (Some("knowledge"), "mae") => ("gemiddeld ernaast", "mean absolute error"),
        (Some("knowledge"), "accuracy") => ("juistheid", "accuracy"),
        (Some("knowledge"), "rank_correlation") => ("volgorde (Spearman ρ)", "order (Spearman ρ)"),
        (Some("knowledge"), "lowest_hit") => ("laagste aspect herkend", "lowest dimension seen"),
        (Some("knowledge"), "skill") => (
            "voorspellen tegen projecteren (skill)",
            "predicting against projecting (skill)",
        ),
        (Some("effect"), "verdict") => ("uitkomst", "outcome"),
        (Some("effect"), "gap_before") => ("kloof ervoor", "gap before"),
        (Some("effect"), "gap_after") => ("kloof erna", "gap after"),
        (Some("effect"), "change") => ("verandering", "change"),
        (_, "se_bias") => ("standaardfout (te positief)", "standard error (bias)"),
        (_, "se_mae") => (
            "standaardfout (ernaast)",
            "standard error (mean absolute error)",
        ),
        (_, "se_skill") => ("standaardfout (skill)", "standard error (skill)"),
        (_, "n") => ("aantal", "count"),
        (_, "dont_know") => ("weet niet", "don't know"),
        (_, "mean") => ("gemiddelde", "mean"),
        (_, "sd") => ("standaardafwijking", "standard deviation"),
        (_, "value") => ("waarde", "value"),
        (_, "se") => ("standaardfout", "standard error"),
        (_, "df") => ("vrijheidsgraden", "degrees of freedom"),
        (_, "ci95_low") => ("95%-interval, ondergrens", "95% interval, lower end"),
        (_, "ci95_high") => ("95%-interval, bovengrens", "95% interval, upper end"),
        (_, "p_value") => ("p (ongecorrigeerd)", "p (unadjusted)"),
        (_, "p_adjusted") => ("p (Holm)", "p (Holm)"),
        (_, "hedges_g") => ("Hedges' g", "Hedges' g"),
        (_, "mdd") => (
            "kleinste aantoonbare verschil",
            "minimum detectable difference",
        ),
        (_, "pairs_left_out") => ("zonder paar", "without a pair"),
        (_, "teams_used") => ("teams gebruikt", "teams used"),
        (_, "teams_left_out") => ("teams niet gebruikt", "teams left out"),
        (_, "composition_warning") => (
            "de mix van teams vertekent het totaal",
            "the mix of teams skews the total",
        ),
        (_, other) => (other, other),
    };
    let field_words = lang.pick(field_nl, field_en);
    match block_words {
        Some((nl, en)) => format!("{}: {field_words}", lang.pick(nl, en)),
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
        for (lang, name, said) in [
            (Lang::Nl, "customer.mean", "Klanten (oordeel): gemiddelde"),
            (Lang::En, "customer.mean", "Customers (rating): mean"),
            (
                Lang::Nl,
                "gap.p_adjusted",
                "Verschil medewerkers − klanten: p (Holm)",
            ),
            (
                Lang::En,
                "gap.p_value",
                "Gap employees − customers: p (unadjusted)",
            ),
            (
                Lang::Nl,
                "expectation_gap.n",
                "Klanten: oordeel − verwachting: paren",
            ),
            (Lang::Nl, "respondents.customer", "Respondenten: klanten"),
            (Lang::En, "verdict", "Verdict"),
        ] {
            assert_eq!(column(lang, name), said, "{name}");
        }
        // Every column the workbook writes has words in both languages, none twice.
        let groups = ["employee", "predicted", "customer", "expected"];
        let group_fields = ["n", "dont_know", "mean", "sd"];
        let gap_fields = [
            "value",
            "se",
            "df",
            "ci95_low",
            "ci95_high",
            "p_value",
            "p_adjusted",
            "hedges_g",
            "mdd",
        ];
        let blocks = [
            (&groups[..], &group_fields[..]),
            (&["gap", "prediction_gap"][..], &gap_fields[..]),
        ];
        let mut names: Vec<String> = ["priority", "key", "label", "verdict", "conclusion"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (block_names, fields) in blocks {
            for b in block_names {
                names.extend(fields.iter().map(|f| format!("{b}.{f}")));
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
