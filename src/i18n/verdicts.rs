//! Verdicts and withheld figures in words (SPEC "Words for verdicts (revision 3)" and "What a
//! withheld figure takes with it"), NL and EN, for every output that says them: the report
//! page, the workshop, the dashboard, the PDF pack, the workbook and the CLI.
//!
//! A verdict is said by what is known: `inconclusive` with p_adjusted < alpha is a difference
//! whose size is not yet certain; with p_adjusted ≥ alpha it is not clear yet. The Holm-adjusted
//! p stands next to it, the materiality is named with its value, and there are no double
//! negatives. A withheld figure says why (`withheld_reason`), with the threshold's number.

use super::format::{number, signed};
use super::Lang;
use crate::engine::{Comparison, DimensionReport, GroupStats, Nps, Verdict, WithheldReason};

/// What a dimension's comparison says, one step finer than [`Verdict`]: `inconclusive` split
/// by what is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    BlindSpot,
    HiddenStrength,
    Aligned,
    /// Inconclusive with p_adjusted < alpha: employees rate higher (or lower) than customers,
    /// but whether the difference reaches the materiality is not yet certain.
    Direction {
        higher: bool,
    },
    /// Inconclusive with p_adjusted ≥ alpha: the difference may be zero, or beyond the
    /// materiality.
    Unclear,
    /// `insufficient_data`: a group too small, or a figure withheld for the reader.
    Withheld,
}

impl Known {
    /// The CSS class and tone of the words (never a colour before the workshop's reveal).
    pub fn class(self) -> &'static str {
        match self {
            Known::BlindSpot => "blind",
            Known::HiddenStrength => "hidden",
            Known::Aligned => "aligned",
            Known::Direction { .. } | Known::Unclear => "inconclusive",
            Known::Withheld => "insufficient",
        }
    }
}

/// What is known of a dimension's gap.
pub fn known(d: &DimensionReport, alpha: f64) -> Known {
    match (d.verdict, &d.gap) {
        (Verdict::BlindSpot, _) => Known::BlindSpot,
        (Verdict::HiddenStrength, _) => Known::HiddenStrength,
        (Verdict::Aligned, _) => Known::Aligned,
        (Verdict::Inconclusive, Some(g)) if g.p_adjusted < alpha => Known::Direction {
            higher: g.value > 0.0,
        },
        (Verdict::Inconclusive, _) => Known::Unclear,
        (Verdict::InsufficientData, _) => Known::Withheld,
    }
}

bilingual! {
    /// The words of one language.
    pub struct VerdictText in NL, EN;
    pub fn verdict_text;
    /// Short names (a table cell, a chart's tag).
    tag_blind_spot: "blinde vlek",
        "blind spot";
    tag_hidden_strength: "verborgen kracht",
        "hidden strength";
    tag_aligned: "op één lijn",
        "aligned";
    tag_higher: "medewerkers hoger, omvang onzeker",
        "employees higher, size uncertain";
    tag_lower: "medewerkers lager, omvang onzeker",
        "employees lower, size uncertain";
    tag_unclear: "nog onduidelijk",
        "not clear yet";
    tag_withheld: "niet te vergelijken",
        "cannot be compared";
    /// The inconclusive-but-sure-of-its-sign tag in a chart's narrow column (the bar or the
    /// markers show the direction).
    chart_tag_direction: "omvang onzeker",
        "size uncertain";
    /// Sentences: `{gap}` the signed gap, `{m}` the materiality.
    blind_spot: "Medewerkers oordelen hoger dan klanten ({gap}), een verschil van minstens de drempel van {m}: een blinde vlek.",
        "Employees rate higher than customers ({gap}), a difference of at least the threshold of {m}: a blind spot.";
    hidden_strength: "Klanten oordelen hoger dan medewerkers zelf ({gap}), een verschil van minstens de drempel van {m}: een verborgen kracht.",
        "Customers rate higher than employees themselves ({gap}), a difference of at least the threshold of {m}: a hidden strength.";
    aligned: "Medewerkers en klanten oordelen ongeveer gelijk: het verschil ({gap}) ligt zeker binnen de drempel van {m}.",
        "Employees and customers rate about the same: the difference ({gap}) lies surely within the threshold of {m}.";
    higher: "Medewerkers oordelen hoger dan klanten ({gap}), maar of het verschil groter is dan de drempel van {m} is nog niet zeker.",
        "Employees rate higher than customers ({gap}), but whether the difference is larger than the threshold of {m} is not yet certain.";
    lower: "Medewerkers oordelen lager dan klanten ({gap}), maar of het verschil groter is dan de drempel van {m} is nog niet zeker.",
        "Employees rate lower than customers ({gap}), but whether the difference is larger than the threshold of {m} is not yet certain.";
    unclear: "Nog onduidelijk: het verschil ({gap}) kan nul zijn, maar ook groter dan {m}. Meer antwoorden geven uitsluitsel.",
        "Not clear yet: the difference ({gap}) may be zero, but may also be larger than {m}. More responses will tell.";
    /// `{groups}`: per group not shown, "Klanten: minder dan 5 antwoorden (n = 3)".
    withheld: "Niet te vergelijken. {groups}.",
        "Cannot be compared. {groups}.";
    /// The Holm-adjusted p: `{p}` is "= 0,012" or "< 0,001".
    p_holm: "p (Holm) {p}",
        "p (Holm) {p}";
    /// The raw p, labelled.
    p_raw: "ongecorrigeerde p {p}",
        "unadjusted p {p}";
    /// What the Holm-adjusted p is (a note under a table).
    p_holm_note: "p (Holm): de p-waarde gecorrigeerd voor het aantal aspecten dat dit rapport vergelijkt (methode van Holm). Een oordeel telt als aangetoond bij p (Holm) onder {alpha}.",
        "p (Holm): the p-value adjusted for the number of dimensions this report compares (Holm's method). A verdict counts as shown when p (Holm) is below {alpha}.";
    /// Why a figure is not shown (SPEC `withheld_reason`); `{min}` is the threshold.
    reason_interim: "nog niet gepubliceerd, want de meting loopt nog",
        "not published yet, as the wave is still open";
    reason_assignment_history: "niet getoond, want samen met de teams die u eerder kon inzien zou dit de resultaten van één ander team prijsgeven",
        "not shown, as together with the teams you could see before it would give away another team's results";
    reason_below_threshold: "minder dan {min} antwoorden",
        "fewer than {min} responses";
    reason_two_teams_rule: "niet getoond, want minder dan twee teams buiten uw eigen teams dragen eraan bij",
        "not shown, as fewer than two teams outside your own contribute to it";
    reason_nested_group: "niet getoond, want samen met een verwant cijfer zou het de antwoorden van minder dan {min} personen prijsgeven",
        "not shown, as together with a related figure it would give away the answers of fewer than {min} people";
    /// Group names inside a sentence.
    employees: "Medewerkers",
        "Employees";
    customers: "Klanten",
        "Customers";
}

/// The materiality as people write it: up to 4 decimals, no trailing zeros ("0,9", "0,45", "1").
pub fn materiality(lang: Lang, m: f64) -> String {
    let s = number(lang, m, 4);
    if s.contains([',', '.']) {
        s.trim_end_matches('0')
            .trim_end_matches([',', '.'])
            .to_string()
    } else {
        s
    }
}

/// `= 0,012` or `< 0,001`.
pub fn p_value(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        format!("< {}", number(lang, 0.001, 3))
    } else {
        format!("= {}", number(lang, p, 3))
    }
}

/// "p (Holm) = 0,034".
pub fn p_holm(lang: Lang, p_adjusted: f64) -> String {
    verdict_text(lang)
        .p_holm
        .replace("{p}", &p_value(lang, p_adjusted))
}

/// "ongecorrigeerde p = 0,012" / "unadjusted p = 0.012".
pub fn p_raw(lang: Lang, p: f64) -> String {
    verdict_text(lang).p_raw.replace("{p}", &p_value(lang, p))
}

/// What the Holm-adjusted p means, with the report's alpha.
pub fn p_holm_note(lang: Lang, alpha: f64) -> String {
    verdict_text(lang)
        .p_holm_note
        .replace("{alpha}", &materiality(lang, alpha))
}

/// The short name of what is known ("blinde vlek", "nog onduidelijk", …).
pub fn tag(lang: Lang, k: Known) -> &'static str {
    let t = verdict_text(lang);
    match k {
        Known::BlindSpot => t.tag_blind_spot,
        Known::HiddenStrength => t.tag_hidden_strength,
        Known::Aligned => t.tag_aligned,
        Known::Direction { higher: true } => t.tag_higher,
        Known::Direction { higher: false } => t.tag_lower,
        Known::Unclear => t.tag_unclear,
        Known::Withheld => t.tag_withheld,
    }
}

/// The short name in a chart's tag column: as [`tag`], with "omvang onzeker" / "size
/// uncertain" for a difference whose direction the chart already shows.
pub fn chart_tag(lang: Lang, k: Known) -> &'static str {
    match k {
        Known::Direction { .. } => verdict_text(lang).chart_tag_direction,
        other => tag(lang, other),
    }
}

/// Every reason a figure can be withheld for, in the order pages list them.
pub const WITHHELD_REASONS: [WithheldReason; 5] = [
    WithheldReason::Interim,
    WithheldReason::AssignmentHistory,
    WithheldReason::BelowThreshold,
    WithheldReason::TwoTeamsRule,
    WithheldReason::NestedGroup,
];

/// Why a figure is not shown, in words, from its `withheld_reason` and the survey's threshold.
pub fn withheld_reason(lang: Lang, reason: WithheldReason, min_group_size: u64) -> String {
    let t = verdict_text(lang);
    let words = match reason {
        WithheldReason::Interim => t.reason_interim,
        WithheldReason::AssignmentHistory => t.reason_assignment_history,
        WithheldReason::TwoTeamsRule => t.reason_two_teams_rule,
        WithheldReason::NestedGroup => t.reason_nested_group,
        WithheldReason::BelowThreshold => t.reason_below_threshold,
    };
    words.replace("{min}", &min_group_size.to_string())
}

/// What the words for a withheld figure need from its report: the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonScope {
    pub min_group_size: u64,
}

impl ReasonScope {
    pub fn of(c: &Comparison) -> ReasonScope {
        ReasonScope {
            min_group_size: c.min_group_size,
        }
    }
}

/// Why a group's figures are not shown: the report's own `withheld_reason`; a group withheld
/// without one reads as below the threshold (the strictest words).
pub fn reason_of(g: &GroupStats) -> WithheldReason {
    g.withheld_reason.unwrap_or(WithheldReason::BelowThreshold)
}

/// A group's figure that is not shown: the reason in words with its count,
/// e.g. "minder dan 5 antwoorden (n = 3)".
pub fn withheld_group(lang: Lang, g: &GroupStats, scope: ReasonScope) -> String {
    format!(
        "{} (n = {})",
        withheld_reason(lang, reason_of(g), scope.min_group_size),
        g.n
    )
}

/// An NPS that is not shown: why, with its count ("minder dan 5 antwoorden (n = 3)").
pub fn withheld_nps(lang: Lang, nps: &Nps, c: &Comparison) -> String {
    let reason = nps
        .withheld_reason
        .unwrap_or(WithheldReason::BelowThreshold);
    format!(
        "{} (n = {})",
        withheld_reason(lang, reason, c.min_group_size),
        nps.n
    )
}

/// The verdict of one dimension as a sentence (without its label), in the words of SPEC
/// "Words for verdicts (revision 3)": the gap, the materiality with its value, and for a
/// comparison that cannot be made, the group and the reason.
pub fn sentence(lang: Lang, d: &DimensionReport, c: &Comparison) -> String {
    let t = verdict_text(lang);
    let k = known(d, c.alpha);
    let Some(g) = d.gap.as_ref().filter(|_| k != Known::Withheld) else {
        let scope = ReasonScope::of(c);
        let mut groups: Vec<String> = [(t.employees, &d.employee), (t.customers, &d.customer)]
            .into_iter()
            .filter(|(_, g)| g.suppressed)
            .map(|(name, g)| format!("{name}: {}", withheld_group(lang, g, scope)))
            .collect();
        if groups.is_empty() {
            // Both groups shown, their gap not: it is withheld on its own.
            groups.push(format!(
                "{}: {}",
                t.employees,
                withheld_group(lang, &d.employee, scope)
            ));
        }
        return t.withheld.replace("{groups}", &groups.join("; "));
    };
    let words = match k {
        Known::BlindSpot => t.blind_spot,
        Known::HiddenStrength => t.hidden_strength,
        Known::Aligned => t.aligned,
        Known::Direction { higher: true } => t.higher,
        Known::Direction { higher: false } => t.lower,
        Known::Unclear | Known::Withheld => t.unclear,
    };
    words
        .replace("{gap}", &signed(lang, g.value, 2))
        .replace("{m}", &materiality(lang, c.materiality))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Category, Gap, Respondents, ScaleView};

    fn group(n: u64, mean: Option<f64>) -> GroupStats {
        GroupStats {
            n,
            dont_know: 0,
            mean,
            sd: mean.map(|_| 1.0),
            histogram: None,
            suppressed: mean.is_none(),
            withheld_reason: mean.is_none().then_some(WithheldReason::BelowThreshold),
        }
    }

    fn dim(verdict: Verdict, gap: Option<(f64, f64)>, customers: u64) -> DimensionReport {
        DimensionReport {
            key: "speed".into(),
            label: "Snelheid".into(),
            category: Category::Functional,
            priority: 1,
            employee: group(12, Some(7.5)),
            predicted: None,
            customer: group(customers, (customers >= 5).then_some(6.61)),
            expected: None,
            gap: gap.map(|(value, p_adjusted)| Gap {
                value,
                se: 0.3,
                df: Some(20.0),
                ci95: [value - 0.6, value + 0.6],
                p_value: p_adjusted / 8.0,
                p_adjusted,
                hedges_g: None,
                mdd: None,
            }),
            prediction_gap: None,
            expectation_gap: None,
            stratified_gap: None,
            verdict,
            withheld_reason: None,
            importance: None,
            quadrant: None,
            predicted_quadrant: None,
        }
    }

    fn report(d: DimensionReport, team: bool, published: bool) -> Comparison {
        Comparison {
            survey_id: crate::domain::SurveyId(1),
            wave_id: None,
            team_id: team.then_some(crate::domain::TeamId(1)),
            scale: ScaleView { min: 1, max: 10 },
            min_group_size: 5,
            alpha: 0.05,
            materiality: 0.9,
            published,
            excluded_cells: 0,
            respondents: Respondents {
                employee: 12,
                customer: 12,
            },
            nps: None,
            knowledge: None,
            dimensions: vec![d],
        }
    }

    fn said(lang: Lang, verdict: Verdict, gap: Option<(f64, f64)>, customers: u64) -> String {
        let c = report(dim(verdict, gap, customers), true, true);
        sentence(lang, &c.dimensions[0], &c)
    }

    #[test]
    fn inconclusive_is_said_by_what_is_known_with_the_materiality_named() {
        // SPEC "Words for verdicts (revision 3)", word for word.
        assert_eq!(
            said(Lang::Nl, Verdict::Inconclusive, Some((0.89, 0.012)), 12),
            "Medewerkers oordelen hoger dan klanten (+0,89), maar of het verschil groter is dan \
             de drempel van 0,9 is nog niet zeker."
        );
        assert_eq!(
            said(Lang::En, Verdict::Inconclusive, Some((-0.89, 0.012)), 12),
            "Employees rate lower than customers (−0.89), but whether the difference is larger \
             than the threshold of 0.9 is not yet certain."
        );
        assert_eq!(
            said(Lang::Nl, Verdict::Inconclusive, Some((0.89, 0.2)), 12),
            "Nog onduidelijk: het verschil (+0,89) kan nul zijn, maar ook groter dan 0,9. Meer \
             antwoorden geven uitsluitsel."
        );
        assert_eq!(
            said(Lang::En, Verdict::Inconclusive, Some((0.89, 0.05)), 12),
            "Not clear yet: the difference (+0.89) may be zero, but may also be larger than 0.9. \
             More responses will tell."
        );
        assert_eq!(
            said(Lang::Nl, Verdict::BlindSpot, Some((1.2, 0.001)), 12),
            "Medewerkers oordelen hoger dan klanten (+1,20), een verschil van minstens de drempel \
             van 0,9: een blinde vlek."
        );
        assert_eq!(
            said(Lang::En, Verdict::Aligned, Some((0.1, 0.9)), 12),
            "Employees and customers rate about the same: the difference (+0.10) lies surely \
             within the threshold of 0.9."
        );
        // No double negatives anywhere.
        for lang in [Lang::Nl, Lang::En] {
            let t = verdict_text(lang);
            for s in [
                t.blind_spot,
                t.hidden_strength,
                t.aligned,
                t.higher,
                t.lower,
                t.unclear,
            ] {
                assert!(!s.contains("geen aantoonbaar") && !s.contains("no demonstrable"));
            }
        }
    }

    #[test]
    fn a_comparison_that_cannot_be_made_says_why_with_the_threshold() {
        assert_eq!(
            said(Lang::Nl, Verdict::InsufficientData, None, 3),
            "Niet te vergelijken. Klanten: minder dan 5 antwoorden (n = 3)."
        );
        let mut d = dim(Verdict::InsufficientData, None, 24);
        d.customer.suppressed = true;
        d.customer.mean = None;
        d.customer.withheld_reason = Some(WithheldReason::TwoTeamsRule);
        let org = report(d.clone(), false, true);
        assert_eq!(
            sentence(Lang::En, &org.dimensions[0], &org),
            "Cannot be compared. Customers: not shown, as fewer than two teams outside your own \
             contribute to it (n = 24)."
        );
        d.customer.withheld_reason = Some(WithheldReason::Interim);
        let open = report(d, true, false);
        assert_eq!(
            sentence(Lang::Nl, &open.dimensions[0], &open),
            "Niet te vergelijken. Klanten: nog niet gepubliceerd, want de meting loopt nog (n = 24)."
        );
    }

    #[test]
    fn every_reason_in_both_languages_with_the_threshold() {
        let reasons = WITHHELD_REASONS;
        for lang in [Lang::Nl, Lang::En] {
            let said: Vec<String> = reasons
                .iter()
                .map(|&r| withheld_reason(lang, r, 7))
                .collect();
            let mut unique = said.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), reasons.len(), "{said:?}");
        }
        assert_eq!(
            withheld_reason(Lang::Nl, WithheldReason::BelowThreshold, 5),
            "minder dan 5 antwoorden"
        );
        assert_eq!(
            withheld_reason(Lang::En, WithheldReason::BelowThreshold, 7),
            "fewer than 7 responses"
        );
        assert!(withheld_reason(Lang::Nl, WithheldReason::NestedGroup, 5)
            .contains("minder dan 5 personen"));
    }

    #[test]
    fn numbers_in_the_words() {
        assert_eq!(materiality(Lang::Nl, 0.9), "0,9");
        assert_eq!(materiality(Lang::En, 0.45), "0.45");
        assert_eq!(materiality(Lang::Nl, 1.0), "1");
        assert_eq!(materiality(Lang::Nl, 0.1234), "0,1234");
        assert_eq!(p_holm(Lang::Nl, 0.0123), "p (Holm) = 0,012");
        assert_eq!(p_holm(Lang::En, 0.0004), "p (Holm) < 0.001");
        assert_eq!(p_raw(Lang::Nl, 0.5), "ongecorrigeerde p = 0,500");
    }
}
