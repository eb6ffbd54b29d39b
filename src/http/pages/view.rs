//! What the report and the workshop show of a scope: one row per dimension, the actions with
//! whether their gap closed, the filters. Numbers go through `i18n::format`.

use crate::app::reports::{Notes, Overview};
use crate::domain::{ActionId, TeamId, WaveId};
use crate::engine::{Comparison, DimensionReport, GroupStats, Trend, Verdict};
use crate::i18n::format::{number as num, signed};
use crate::i18n::pages::AppText;
use crate::i18n::Lang;
use crate::store::actions::Action;

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
    pub key: String,
    pub label: String,
    pub employee: String,
    pub predicted: String,
    pub customer: String,
    pub expected: String,
    pub gap: String,
    pub interval: String,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
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

pub fn mean_text(lang: Lang, t: &AppText, g: &GroupStats) -> String {
    match g.mean {
        Some(m) => num(lang, m, 1),
        None => format!("{} (n = {})", t.too_few, g.n),
    }
}

pub fn p_text(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        format!("p < {}", num(lang, 0.001, 3))
    } else {
        format!("p = {}", num(lang, p, 3))
    }
}

pub fn dim_row(lang: Lang, t: &AppText, d: &DimensionReport) -> DimRow {
    let (gap, interval) = match &d.gap {
        Some(g) => (
            signed(lang, g.value, 2),
            format!(
                "[{}; {}] · {}",
                signed(lang, g.ci95[0], 2),
                signed(lang, g.ci95[1], 2),
                p_text(lang, g.p_value)
            ),
        ),
        None => ("—".into(), "—".into()),
    };
    DimRow {
        priority: d.priority,
        key: d.key.clone(),
        label: d.label.clone(),
        employee: mean_text(lang, t, &d.employee),
        predicted: d
            .predicted
            .as_ref()
            .map(|g| mean_text(lang, t, g))
            .unwrap_or_else(|| "—".into()),
        customer: mean_text(lang, t, &d.customer),
        expected: d
            .expected
            .as_ref()
            .map(|g| mean_text(lang, t, g))
            .unwrap_or_else(|| "—".into()),
        gap: gap.clone(),
        interval,
        verdict: crate::i18n::verdict(lang, d.verdict),
        verdict_class: match d.verdict {
            Verdict::BlindSpot => "blind",
            Verdict::HiddenStrength => "hidden",
            Verdict::Aligned => "aligned",
            Verdict::Inconclusive => "inconclusive",
            Verdict::InsufficientData => "insufficient",
        },
        composition: match (&d.stratified_gap, &d.gap) {
            (Some(st), Some(g)) if st.composition_warning == Some(true) => t
                .composition_warning
                .replace("{within}", &signed(lang, st.value.unwrap_or(g.value), 2))
                .replace("{overall}", &signed(lang, g.value, 2)),
            _ => String::new(),
        },
        sentence: t.sentence(d.verdict, &d.label),
        suppressed: d.verdict == Verdict::InsufficientData,
        chart_text: t
            .chart_text
            .replace("{label}", &d.label)
            .replace("{employee}", &mean_text(lang, t, &d.employee))
            .replace("{customer}", &mean_text(lang, t, &d.customer))
            .replace("{gap}", &gap),
    }
}

/// Whether the gap closed after an action: the change from the action's wave to the next one.
pub fn closed_text(
    lang: Lang,
    t: &AppText,
    trend: &Trend,
    a: &Action,
    alpha: f64,
) -> (String, &'static str) {
    let change = trend
        .changes
        .iter()
        .find(|c| c.from_wave_id == a.wave_id)
        .and_then(|c| c.dimensions.iter().find(|d| d.key == a.dimension_key));
    let before = trend
        .waves
        .iter()
        .find(|w| w.wave_id == a.wave_id)
        .and_then(|w| w.dimensions.iter().find(|d| d.key == a.dimension_key))
        .and_then(|d| d.gap.as_ref());
    match (change, before) {
        (Some(c), Some(g1)) => match (c.change, c.p_value) {
            (Some(ch), Some(p)) => {
                let after = g1.value + ch;
                let detail = format!(
                    "{} → {} ({})",
                    signed(lang, g1.value, 2),
                    signed(lang, after, 2),
                    p_text(lang, p)
                );
                // Closed: the change goes against the gap's sign, and is significant (methodology §7).
                let against = ch * g1.value < 0.0;
                let significant = p < alpha;
                match (against, significant) {
                    (true, true) => (format!("{}: {detail}", t.closed_yes), "yes"),
                    (false, true) => (format!("{}: {detail}", t.closed_wider), "no"),
                    _ => (format!("{}: {detail}", t.closed_no), "pending"),
                }
            }
            _ => (t.too_few.to_string(), "pending"),
        },
        _ => (t.closed_pending.to_string(), "pending"),
    }
}

pub fn action_rows(lang: Lang, t: &AppText, l: &Overview) -> Vec<ActionRow> {
    l.actions
        .iter()
        .map(|a| {
            let (closed, closed_class) = closed_text(lang, t, &l.trend, a, l.survey.alpha);
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

pub fn respondents_text(lang: Lang, t: &AppText, c: &Comparison) -> (String, String) {
    let r = format!(
        "{} {} · {} {}",
        c.respondents.employee,
        t.employees.to_lowercase(),
        c.respondents.customer,
        t.customers.to_lowercase()
    );
    let nps = match &c.nps {
        None => "—".into(),
        Some(n) => match n.score {
            Some(s) => format!("{} (n = {})", signed(lang, s, 0), n.n),
            None => format!("{} (n = {})", t.too_few, n.n),
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

/// What the anonymity and publication rules left out of the page's scope, in words.
pub fn notes_text(t: &AppText, n: &Notes) -> Vec<String> {
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
            t.too_few
        ));
    }
    if n.withheld {
        out.push(t.note_withheld.to_string());
    }
    out
}
