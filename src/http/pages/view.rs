//! What the report and the workshop show of a scope: one row per dimension, the actions with
//! whether their gap closed, the filters. Numbers go through `i18n::format`.

use crate::app::reports::{Notes, Overview};
use crate::domain::{ActionId, TeamId, WaveId};
use crate::engine::{
    ActionEffect, Comparison, DimensionReport, EffectVerdict, GroupStats, Verdict,
};
use crate::i18n::format::{number as num, signed};
use crate::i18n::pages::AppText;
use crate::i18n::verdicts::{self, ReasonScope};
use crate::i18n::Lang;

#[derive(serde::Deserialize)]
pub struct ScopeQuery {
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    /// The action just changed on the report page (its confirmation is shown by it).
    pub updated: Option<ActionId>,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct DimRow {
    pub priority: u32,
    /// The dimension's place in the survey (1 first): the workshop's order before the reveals.
    pub position: usize,
    pub key: String,
    pub label: String,
    pub employee: String,
    pub predicted: String,
    pub customer: String,
    pub expected: String,
    pub gap: String,
    /// The gap's 95% interval, "[+0,22; +1,57]", or "—".
    pub interval: String,
    /// "p (Holm) = 0,034" next to the verdict, or empty when there is no gap.
    pub p_holm: String,
    /// The Holm-adjusted p alone ("0,034", "< 0,001"; "—" without a gap): its table column.
    pub p_adjusted: String,
    /// The verdict's short name, said by what is known (SPEC "Words for verdicts").
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    /// The verdict as a sentence (without the label), with the gap and the materiality.
    pub sentence: String,
    /// The composition warning in words (organisation scope), or empty.
    pub composition: String,
    pub suppressed: bool,
    /// The dimension's chart in one sentence (its text alternative on the page).
    pub chart_text: String,
}

#[derive(Clone)]
pub struct ActionRow {
    pub id: ActionId,
    pub team_id: Option<TeamId>,
    /// `open`, `done` or `dropped` (the edit form's value).
    pub status_value: &'static str,
    /// `YYYY-MM-DD` (the edit form's value).
    pub due_value: String,
    pub dimension: String,
    pub decision: &'static str,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    pub wave: String,
    pub closed: String,
    pub closed_class: &'static str,
}

/// A group's mean, or why it is not shown with its count ("minder dan 5 antwoorden (n = 3)").
pub fn mean_text(lang: Lang, g: &GroupStats, scope: ReasonScope) -> String {
    match g.mean {
        Some(m) => num(lang, m, 1),
        None => verdicts::withheld_group(lang, g, scope),
    }
}

pub fn p_text(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        format!("p < {}", num(lang, 0.001, 3))
    } else {
        format!("p = {}", num(lang, p, 3))
    }
}

/// The composition warning of a dimension in words, or empty (SPEC `composition_warning`:
/// "pages and charts say so in words").
pub fn composition_text(lang: Lang, t: &AppText, d: &DimensionReport) -> String {
    let within = d
        .stratified_gap
        .as_ref()
        .and_then(|s| match s.composition_warning {
            Some(true) => s.value,
            _ => None,
        });
    match (within, &d.gap) {
        (Some(within), Some(g)) => t
            .composition_warning
            .replace("{within}", &signed(lang, within, 2))
            .replace("{overall}", &signed(lang, g.value, 2)),
        _ => String::new(),
    }
}

/// One dimension of a report as the pages show it. `position` is its place in the survey.
pub fn dim_row(
    lang: Lang,
    t: &AppText,
    c: &Comparison,
    d: &DimensionReport,
    position: usize,
) -> DimRow {
    let scope = ReasonScope::of(c);
    let (gap, interval, p_holm) = match &d.gap {
        Some(g) => (
            signed(lang, g.value, 2),
            format!(
                "[{}; {}]",
                signed(lang, g.ci95[0], 2),
                signed(lang, g.ci95[1], 2),
            ),
            verdicts::p_holm(lang, g.p_adjusted),
        ),
        None => ("—".into(), "—".into(), String::new()),
    };
    let known = verdicts::known(d, c.alpha);
    let p_adjusted = match &d.gap {
        Some(g) => verdicts::p_value(lang, g.p_adjusted)
            .trim_start_matches("= ")
            .to_string(),
        None => "—".into(),
    };
    DimRow {
        p_adjusted,
        priority: d.priority,
        position,
        key: d.key.clone(),
        label: d.label.clone(),
        employee: mean_text(lang, &d.employee, scope),
        predicted: d
            .predicted
            .as_ref()
            .map(|g| mean_text(lang, g, scope))
            .unwrap_or_else(|| "—".into()),
        customer: mean_text(lang, &d.customer, scope),
        expected: d
            .expected
            .as_ref()
            .map(|g| mean_text(lang, g, scope))
            .unwrap_or_else(|| "—".into()),
        gap: gap.clone(),
        interval,
        p_holm,
        verdict: verdicts::tag(lang, known),
        verdict_class: known.class(),
        composition: composition_text(lang, t, d),
        sentence: verdicts::sentence(lang, d, c),
        suppressed: d.verdict == Verdict::InsufficientData,
        chart_text: t
            .chart_text
            .replace("{label}", &d.label)
            .replace("{employee}", &mean_text(lang, &d.employee, scope))
            .replace("{customer}", &mean_text(lang, &d.customer, scope))
            .replace("{gap}", &gap),
    }
}

/// The rows of a report in the survey's order of dimensions (`positions`: the keys in survey
/// order), each with its position; dimensions not named there follow in report order.
pub fn rows_in_survey_order(
    lang: Lang,
    t: &AppText,
    c: &Comparison,
    positions: &[String],
) -> Vec<DimRow> {
    let mut rows: Vec<DimRow> = c
        .dimensions
        .iter()
        .map(|d| {
            let at = positions
                .iter()
                .position(|k| *k == d.key)
                .unwrap_or(positions.len() + d.priority as usize);
            dim_row(lang, t, c, d, at + 1)
        })
        .collect();
    rows.sort_by_key(|r| r.position);
    for (i, r) in rows.iter_mut().enumerate() {
        r.position = i + 1;
    }
    rows
}

/// The knowledge score of a report in words, or the sentence saying why there is none.
pub fn knowledge_sentences(lang: Lang, c: &Comparison) -> Vec<String> {
    match &c.knowledge {
        Some(k) => crate::i18n::knowledge::sentences(lang, k),
        None => vec![crate::i18n::knowledge::missing(lang, c)],
    }
}

/// What an action did, in words (`i18n::knowledge::effect`), with its CSS class: the gap
/// closed or narrowed (`yes`), widened or reversed (`no`), else `pending`.
pub fn effect_text(lang: Lang, e: Option<&ActionEffect>) -> (String, &'static str) {
    let Some(e) = e else {
        return (String::new(), "pending");
    };
    let class = match e.verdict {
        EffectVerdict::Closed | EffectVerdict::Narrowed => "yes",
        EffectVerdict::Widened | EffectVerdict::Reversed => "no",
        EffectVerdict::Unchanged | EffectVerdict::Withheld | EffectVerdict::NotYetMeasured => {
            "pending"
        }
    };
    (crate::i18n::knowledge::effect(lang, e), class)
}

pub fn action_rows(lang: Lang, t: &AppText, l: &Overview) -> Vec<ActionRow> {
    l.actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (closed, closed_class) = effect_text(lang, l.effects.get(i));
            ActionRow {
                id: a.id,
                team_id: a.team_id,
                status_value: a.status.as_str(),
                due_value: a
                    .due_date
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                dimension: l
                    .comparison
                    .dimensions
                    .iter()
                    .find(|d| d.key == a.dimension_key)
                    .map(|d| d.label.clone())
                    .unwrap_or_else(|| a.dimension_key.clone()),
                decision: t.decision(a.decision.as_str()),
                description: a.description.clone(),
                owner: a.owner.clone().unwrap_or_default(),
                due: a
                    .due_date
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_default(),
                status: t.status(a.status.as_str()),
                wave: l
                    .waves
                    .iter()
                    .find(|w| w.id == a.wave_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                closed,
                closed_class,
            }
        })
        .collect()
}

pub fn scope_query(wave_id: Option<WaveId>, team_id: Option<TeamId>, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(w) = wave_id {
        parts.push(format!("wave_id={w}"));
    }
    if let Some(t) = team_id {
        parts.push(format!("team_id={t}"));
    }
    parts.push(format!("lang={}", lang.code()));
    parts.join("&")
}

pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    }
}

/// "1 medewerker · 12 klanten" and the NPS (or why it is not shown).
pub fn respondents_text(lang: Lang, t: &AppText, c: &Comparison) -> (String, String) {
    let r = format!(
        "{} · {}",
        t.count_employees(c.respondents.employee),
        t.count_customers(c.respondents.customer)
    );
    let nps = match &c.nps {
        None => "—".into(),
        Some(n) => match n.score {
            Some(s) => format!("{} (n = {})", signed(lang, s, 0), n.n),
            None => verdicts::withheld_nps(lang, n, c),
        },
    };
    (r, nps)
}

pub fn options(l: &Overview, t: &AppText, team_id: Option<TeamId>) -> (Vec<Opt>, Vec<Opt>) {
    let waves = l
        .waves
        .iter()
        .map(|w| Opt {
            value: w.id.to_string(),
            label: w.name.clone(),
            selected: Some(w.id) == l.wave_id,
        })
        .collect();
    let mut teams = vec![Opt {
        value: String::new(),
        label: t.whole_organisation.to_string(),
        selected: team_id.is_none(),
    }];
    teams.extend(l.teams.iter().map(|tm| Opt {
        value: tm.id.to_string(),
        label: tm.name.clone(),
        selected: Some(tm.id) == team_id,
    }));
    (waves, teams)
}

/// What the anonymity and publication rules left out of the page's scope, in words, with the
/// threshold's number.
pub fn notes_text(t: &AppText, n: &Notes, min_group_size: u64) -> Vec<String> {
    let mut out = Vec::new();
    if n.counts_only {
        out.push(t.note_counts_only.to_string());
    }
    if n.interim {
        out.push(t.note_interim.to_string());
    }
    if !n.left_out_teams.is_empty() {
        out.push(format!(
            "{} {}: {}.",
            t.left_out_without,
            n.left_out_teams.join(", "),
            t.left_out_why.replace("{min}", &min_group_size.to_string())
        ));
    }
    if n.withheld {
        out.push(t.note_withheld.to_string());
    }
    out
}
