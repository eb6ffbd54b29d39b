//! The knowledge score and an action's effect in words (SPEC revision 3: "Pages, the workshop,
//! the PDF pack and the XLSX say it in words"), NL and EN, for every output that shows them.

use super::format::number;
use super::Lang;
use crate::engine::{ActionEffect, Comparison, EffectVerdict, Knowledge};

/// The heading of the knowledge block (the workshop's closing slide, the PDF's summary page).
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "Hoe goed kenden wij onze klanten?",
        Lang::En => "How well did we know our customers?",
    }
}

/// The heading of the knowledge block on the report page.
pub fn report_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "Hoe goed kent het team zijn klanten?",
        Lang::En => "How well does the team know its customers?",
    }
}

/// A number with its sign, in the language's notation (`+0,4`, `−0,2`).
fn signed(lang: Lang, v: f64, decimals: usize) -> String {
    let s = number(lang, v.abs(), decimals);
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−{s}")
    } else {
        s
    }
}

/// The knowledge figures as sentences: accuracy, bias, the lowest-rated aspect, predicting
/// against projecting (where defined), and the rank agreement (where defined).
pub fn sentences(lang: Lang, k: &Knowledge) -> Vec<String> {
    let pct = number(lang, 100.0 * k.accuracy, 0);
    let mae = number(lang, k.mae, 2);
    let n = k.dimensions_used;
    let bias = number(lang, k.bias.abs(), 1);
    let mut out = vec![match lang {
        Lang::Nl => format!(
            "Het team voorspelde het cijfer van klanten voor {pct} % juist: gemiddeld {mae} punt ernaast, over {n} aspecten."
        ),
        Lang::En => format!(
            "The team predicted the customers' score {pct} % right: {mae} points off on average, over {n} dimensions."
        ),
    }];
    out.push(match (lang, bias == number(lang, 0.0, 1), k.bias > 0.0) {
        (Lang::Nl, true, _) => {
            "Het team schat klanten gemiddeld niet te positief en niet te negatief in.".into()
        }
        (Lang::En, true, _) => {
            "On average the team rates its customers neither too positively nor too negatively."
                .into()
        }
        (Lang::Nl, false, true) => {
            format!("Het team schat klanten gemiddeld {bias} punt te positief in.")
        }
        (Lang::Nl, false, false) => {
            format!("Het team schat klanten gemiddeld {bias} punt te negatief in.")
        }
        (Lang::En, false, true) => {
            format!("The team rates its customers {bias} points too positively on average.")
        }
        (Lang::En, false, false) => {
            format!("The team rates its customers {bias} points too negatively on average.")
        }
    });
    out.push(
        match (lang, k.lowest_hit) {
            (Lang::Nl, true) => "Het team wist welk aspect klanten het laagst waarderen.",
            (Lang::Nl, false) => "Het team had niet door welk aspect klanten het laagst waarderen.",
            (Lang::En, true) => "The team knew which dimension customers rate lowest.",
            (Lang::En, false) => "The team did not see which dimension customers rate lowest.",
        }
        .to_string(),
    );
    if let Some(s) = k.skill {
        let v = signed(lang, s, 2);
        out.push(match (lang, s > 0.0) {
            (Lang::Nl, true) => format!(
                "Voorspellen werkte beter dan de eigen mening doortrekken naar klanten (skill {v})."
            ),
            (Lang::Nl, false) => format!(
                "Voorspellen werkte niet beter dan de eigen mening doortrekken naar klanten: het team projecteert zijn eigen beeld (skill {v})."
            ),
            (Lang::En, true) => format!(
                "Predicting worked better than projecting the team's own view onto customers (skill {v})."
            ),
            (Lang::En, false) => format!(
                "Predicting worked no better than projecting the team's own view onto customers (skill {v})."
            ),
        });
    }
    if let Some(r) = k.rank_correlation {
        let v = signed(lang, r, 2);
        out.push(match lang {
            Lang::Nl => {
                format!("De volgorde van de aspecten kwam overeen met die van klanten: ρ = {v}.")
            }
            Lang::En => {
                format!("The order of the dimensions agreed with the customers' order: ρ = {v}.")
            }
        });
    }
    out
}

/// Why there is no knowledge score (fewer than three dimensions with both figures shown).
pub fn none(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "Te weinig aspecten met zowel een voorspelling als een klantcijfer (minstens 3) om te zeggen hoe goed het team zijn klanten kent.",
        Lang::En => "Too few dimensions with both a prediction and a customer score (at least 3) to say how well the team knows its customers.",
    }
}

/// Why a report has no knowledge score, in words: where groups of the prediction or the
/// customer score are withheld (an open wave, the two-teams rule, too few answers, …), which
/// reasons keep the figure away; otherwise [`none`].
pub fn missing(lang: Lang, c: &Comparison) -> String {
    use crate::engine::WithheldReason;
    let asked: Vec<_> = c
        .dimensions
        .iter()
        .filter_map(|d| d.predicted.as_ref().map(|p| (p, &d.customer)))
        .collect();
    let shown = asked
        .iter()
        .filter(|(p, cu)| !p.suppressed && !cu.suppressed)
        .count();
    let mut reasons: Vec<WithheldReason> = Vec::new();
    for (p, cu) in &asked {
        for g in [*p, *cu].into_iter().filter(|g| g.suppressed) {
            let r = super::verdicts::reason_of(g);
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
    }
    // Fewer than three dimensions asked: the score can never exist, whatever is withheld.
    if asked.len() < 3 || shown >= 3 || reasons.is_empty() {
        return none(lang).to_string();
    }
    let why: Vec<String> = reasons
        .into_iter()
        .map(|r| super::verdicts::withheld_reason(lang, r, c.min_group_size))
        .collect();
    let (n, total, why) = (asked.len() - shown, asked.len(), why.join("; "));
    match lang {
        Lang::Nl => format!(
            "Hoe goed het team zijn klanten kent, is hier niet te zeggen: bij {n} van de \
             {total} aspecten wordt de voorspelling of het klantcijfer niet getoond ({why})."
        ),
        Lang::En => format!(
            "How well the team knows its customers cannot be said here: for {n} of the \
             {total} dimensions the prediction or the customer score is not shown ({why})."
        ),
    }
}

/// An action's effect in words: what happened to its gap by the next closed wave.
pub fn effect(lang: Lang, e: &ActionEffect) -> String {
    let figures = match (e.gap_before, e.gap_after) {
        (Some(b), Some(a)) => format!(" ({} → {})", signed(lang, b, 2), signed(lang, a, 2)),
        _ => String::new(),
    };
    let p = e
        .p_value
        .map(|p| format!(", p = {}", number(lang, p, 3)))
        .unwrap_or_default();
    let (nl, en) = match e.verdict {
        EffectVerdict::Closed => ("kloof gedicht: medewerkers en klanten liggen nu op één lijn", "gap closed: employees and customers are now aligned"),
        EffectVerdict::Narrowed => ("kloof kleiner geworden", "gap narrowed"),
        EffectVerdict::Widened => ("kloof groter geworden", "gap widened"),
        EffectVerdict::Reversed => ("kloof omgeslagen naar de andere kant", "gap reversed to the other side"),
        EffectVerdict::Unchanged => ("geen aantoonbare verandering van de kloof", "no demonstrable change of the gap"),
        EffectVerdict::Withheld => ("effect niet te tonen: een van de twee kloven wordt om anonimiteitsredenen niet getoond", "effect not shown: one of the two gaps is withheld for anonymity"),
        EffectVerdict::NotYetMeasured => ("effect nog niet gemeten: er is nog geen latere, gesloten meting", "effect not yet measured: no later closed wave yet"),
    };
    let text = lang.pick(nl, en);
    let with_figures = !matches!(
        e.verdict,
        EffectVerdict::Withheld | EffectVerdict::NotYetMeasured
    );
    if with_figures {
        format!("{text}{figures}{p}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{KnowledgeCi, KnowledgeSe, Respondents};

    fn k(bias: f64, skill: Option<f64>, hit: bool) -> Knowledge {
        Knowledge {
            dimensions_used: 8,
            bias,
            mae: 0.77,
            accuracy: 0.915,
            rank_correlation: Some(0.07),
            lowest_hit: hit,
            skill,
            se: KnowledgeSe {
                bias: None,
                mae: None,
                skill: None,
            },
            ci95: KnowledgeCi {
                bias: None,
                mae: None,
                skill: None,
            },
            respondents: Respondents {
                employee: 11,
                customer: 36,
            },
        }
    }

    #[test]
    fn the_knowledge_score_reads_as_sentences_in_both_languages() {
        let s = sentences(Lang::Nl, &k(0.4, Some(-0.15), false));
        assert_eq!(
            s[0],
            "Het team voorspelde het cijfer van klanten voor 92 % juist: gemiddeld 0,77 punt ernaast, over 8 aspecten."
        );
        assert_eq!(
            s[1],
            "Het team schat klanten gemiddeld 0,4 punt te positief in."
        );
        assert_eq!(
            s[2],
            "Het team had niet door welk aspect klanten het laagst waarderen."
        );
        assert!(
            s[3].contains("projecteert") && s[3].contains("−0,15"),
            "{}",
            s[3]
        );
        let e = sentences(Lang::En, &k(-0.2, Some(0.44), true));
        assert_eq!(
            e[1],
            "The team rates its customers 0.2 points too negatively on average."
        );
        assert_eq!(e[2], "The team knew which dimension customers rate lowest.");
        assert!(e[3].starts_with("Predicting worked better"), "{}", e[3]);
        assert_eq!(sentences(Lang::Nl, &k(0.01, None, true)).len(), 4);
    }
}
