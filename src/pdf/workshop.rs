//! The workshop pack in words (SPEC "Exports for the workshop"): what `app::pack` gathered of
//! one scope — already as the reader may see it — is put into sentences, tables and charts of
//! the reader's language, then laid out and drawn by this module's pages. Nothing here reads
//! the database or decides what may be shown.

use chrono::{NaiveDate, NaiveDateTime};

use super::{
    ActionLine, ActionsPage, Chart, Cover, DimensionPage, Pack, PdfError, Section, Summary, Table,
    Tone,
};
use crate::charts::{self, ChartData, ChartKind};
use crate::domain::{ActionStatus, Decision, TeamId};
use crate::engine::{ActionEffect, Comparison, DimensionReport, Gap, GroupStats, Trend, Verdict};
use crate::i18n::format::{number, signed};
use crate::i18n::pack::{pack_text, PackText};
use crate::i18n::pages::app_text;
use crate::i18n::Lang;

/// Everything a workshop pack shows, gathered by `app::pack` as the reader may see it.
#[derive(Debug, Clone)]
pub struct Workshop {
    pub lang: Lang,
    /// An admin's pack of an open wave says "interim"; a team lead's says "counts only".
    pub reader_is_admin: bool,
    /// The organisation named on the cover: the survey's own, else its title.
    pub organisation: String,
    /// The survey's title.
    pub survey: String,
    /// None: the whole organisation.
    pub team: Option<TeamName>,
    /// The wave shown.
    pub wave: Option<WaveFacts>,
    pub comparison: Comparison,
    pub trend: Trend,
    /// Customers in a team before its comments are listed (named in the footnote).
    pub comment_min_group_size: i32,
    /// The comments the reader may see.
    pub comments: Vec<String>,
    /// Actions of the scope and organisation-wide ones, oldest first.
    pub actions: Vec<ActionFacts>,
}

/// A team of the pack: its name when the reader may see it, else its number.
#[derive(Debug, Clone)]
pub struct TeamName {
    pub id: TeamId,
    pub name: Option<String>,
}

/// The wave a pack shows.
#[derive(Debug, Clone)]
pub struct WaveFacts {
    pub name: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: Option<NaiveDateTime>,
}

/// One recorded action, as facts.
#[derive(Debug, Clone)]
pub struct ActionFacts {
    pub dimension_key: String,
    pub decision: Decision,
    pub status: ActionStatus,
    pub description: String,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    /// The name of the wave it was recorded in.
    pub wave: Option<String>,
    /// What it did (`app::effects`).
    pub effect: Option<ActionEffect>,
}

/// Puts the pack into words, lays it out and draws it. The same input gives the same bytes.
pub fn render(w: &Workshop) -> Result<Vec<u8>, PdfError> {
    super::render(&content(w)?)
}

fn date(d: NaiveDateTime) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// The names of the scope: (team, wave, period).
fn names(w: &Workshop, t: &PackText) -> (String, String, String) {
    let team = match &w.team {
        None => t.whole_organisation.to_string(),
        Some(TeamName { name: Some(n), .. }) => n.clone(),
        Some(TeamName { id, name: None }) => format!("{} {id}", t.team),
    };
    let wave_name = w.wave.as_ref().map(|v| v.name.clone()).unwrap_or_default();
    let period = w
        .wave
        .as_ref()
        .map(|v| match v.closes_at {
            Some(c) => format!("{} – {}", date(v.opens_at), date(c)),
            None => format!("{} –", date(v.opens_at)),
        })
        .unwrap_or_default();
    (team, wave_name, period)
}

fn content(w: &Workshop) -> Result<Pack, PdfError> {
    let lang = w.lang;
    let t = pack_text(lang);
    let c = &w.comparison;
    let (team, wave, period) = names(w, t);
    let survey = w.survey.clone();
    let respondents = format!(
        "{} {} · {} {}",
        c.respondents.employee,
        crate::i18n::text(lang).employees_word,
        c.respondents.customer,
        crate::i18n::text(lang).customers_word
    );
    let notice = (!c.published).then(|| {
        if w.reader_is_admin {
            t.notice_interim.to_string()
        } else {
            t.notice_counts_only.to_string()
        }
    });
    let cover = Cover {
        kicker: t.pack.to_string(),
        organisation: w.organisation.clone(),
        survey: survey.clone(),
        facts: vec![
            (t.team.to_string(), team.clone()),
            (t.wave.to_string(), wave.clone()),
            (t.period.to_string(), period),
            (t.respondents.to_string(), respondents.clone()),
        ],
        notice,
        footnote: t
            .footnote
            .replace("{n}", &c.min_group_size.to_string())
            .replace("{c}", &w.comment_min_group_size.max(1).to_string()),
    };
    let dimensions = c
        .dimensions
        .iter()
        .map(|d| dimension_page(w, d))
        .collect::<Result<Vec<_>, PdfError>>()?;
    Ok(Pack {
        title: format!("{} — {survey} — {team} — {wave}", t.pack),
        lang: lang.code().to_string(),
        header: format!("{survey} · {team} · {wave}"),
        page_word: t.page.to_string(),
        cover,
        summary: summary(w, respondents)?,
        dimensions,
        actions: ActionsPage {
            heading: t.all_actions.to_string(),
            actions: w.actions.iter().map(|a| action_line(w, a, true)).collect(),
            empty: t.no_actions.to_string(),
        },
    })
}

fn summary(w: &Workshop, respondents: String) -> Result<Summary, PdfError> {
    let lang = w.lang;
    let t = pack_text(lang);
    let c = &w.comparison;
    let mut lines = vec![format!("{}: {respondents}", t.respondents)];
    if let Some(n) = &c.nps {
        let score = match n.score {
            Some(s) => format!("{} (n = {})", signed(lang, s, 0), n.n),
            None => crate::i18n::verdicts::withheld_nps(lang, n, c),
        };
        lines.push(format!("{}: {score}", t.nps));
    }
    if c.excluded_cells > 0 {
        lines.push(t.excluded.replace("{n}", &c.excluded_cells.to_string()));
    }
    let listed = |v: Verdict| -> Vec<String> {
        c.dimensions
            .iter()
            .filter(|d| d.verdict == v)
            .map(|d| match &d.gap {
                Some(g) => format!("{} ({} {})", d.label, t.gap, signed(lang, g.value, 2)),
                None => d.label.clone(),
            })
            .collect()
    };
    let section = |heading: &str, items: Vec<String>, empty: &str, more: &str| Section {
        heading: heading.to_string(),
        items,
        empty: empty.to_string(),
        more: more.to_string(),
    };
    let warnings = c
        .dimensions
        .iter()
        .filter_map(|d| {
            let s = d
                .stratified_gap
                .as_ref()
                .filter(|s| s.composition_warning == Some(true))?;
            let gap = d.gap.as_ref()?;
            Some(
                t.composition_item
                    .replace("{label}", &d.label)
                    .replace("{gap}", &signed(lang, gap.value, 2))
                    .replace("{within}", &signed(lang, s.value?, 2)),
            )
        })
        .collect();
    Ok(Summary {
        heading: t.summary.to_string(),
        lines,
        blind_spots: section(t.blind_spots, listed(Verdict::BlindSpot), t.none, t.more),
        hidden_strengths: section(
            t.hidden_strengths,
            listed(Verdict::HiddenStrength),
            t.none,
            t.more,
        ),
        warnings: section(t.composition, warnings, "", t.more),
        chart: Some(chart(
            ChartKind::Mirror,
            ChartData::Comparison(c),
            lang,
            mirror_size(c.dimensions.len()),
            t.chart_mirror,
        )?),
        comments: section(t.comments, w.comments.clone(), t.no_comments, t.more),
        knowledge: section(
            crate::i18n::knowledge::heading(lang),
            match &c.knowledge {
                Some(k) => crate::i18n::knowledge::sentences(lang, k),
                None => Vec::new(),
            },
            &crate::i18n::knowledge::missing(lang, c),
            t.more,
        ),
        quadrant: Some((
            t.quadrant_heading.to_string(),
            chart(
                ChartKind::Quadrant,
                ChartData::Comparison(c),
                lang,
                (PRINT_WIDTH, 620),
                t.chart_quadrant,
            )?,
        )),
    })
}

/// Charts for paper: 880 px across the 499 pt column, their text at the design's pixel size
/// (`charts` keeps it there up to 800 px and more): the smallest prints at 9.1 pt.
const PRINT_WIDTH: u32 = 880;

fn mirror_size(dimensions: usize) -> (u32, u32) {
    let h = 200 + 52 * dimensions.max(1) as u32;
    (PRINT_WIDTH, h.clamp(charts::MIN_SIZE.1, 720))
}

fn chart(
    kind: ChartKind,
    data: ChartData<'_>,
    lang: Lang,
    size: (u32, u32),
    caption: &str,
) -> Result<Chart, PdfError> {
    let svg =
        charts::render_svg(kind, data, lang, size).map_err(|e| PdfError::Chart(e.to_string()))?;
    Ok(Chart {
        svg,
        aspect: size.1 as f32 / size.0 as f32,
        caption: caption.to_string(),
    })
}

fn mean_cell(lang: Lang, g: &GroupStats) -> (String, String) {
    match (g.mean, g.sd) {
        (Some(m), sd) => (
            number(lang, m, 2),
            sd.map(|s| number(lang, s, 2)).unwrap_or_else(|| "—".into()),
        ),
        _ => ("—".into(), "—".into()),
    }
}

fn group_row(lang: Lang, label: &str, g: &GroupStats) -> Vec<String> {
    let (mean, sd) = mean_cell(lang, g);
    vec![
        label.to_string(),
        mean,
        sd,
        g.n.to_string(),
        g.dont_know.to_string(),
    ]
}

fn p_text(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        format!("p < {}", number(lang, 0.001, 3))
    } else {
        format!("p = {}", number(lang, p, 3))
    }
}

/// "label: value · interval [lo; hi]", the start of every gap's line.
fn estimate(lang: Lang, t: &PackText, label: &str, value: f64, ci: [f64; 2]) -> String {
    format!(
        "{label}: {} · {} [{}; {}]",
        signed(lang, value, 2),
        t.interval,
        signed(lang, ci[0], 2),
        signed(lang, ci[1], 2),
    )
}

fn gap_line(lang: Lang, t: &PackText, label: &str, g: &Gap) -> String {
    let mut s = format!(
        "{} · {} · {} {}",
        estimate(lang, t, label, g.value, g.ci95),
        p_text(lang, g.p_value),
        t.holm,
        p_text(lang, g.p_adjusted)
    );
    if let Some(h) = g.hedges_g {
        s.push_str(&format!(" · Hedges' g = {}", signed(lang, h, 2)));
    }
    s
}

fn facts(lang: Lang, t: &PackText, d: &DimensionReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(g) = &d.gap {
        out.push(gap_line(lang, t, t.gap, g));
    }
    if let Some(g) = &d.prediction_gap {
        out.push(gap_line(lang, t, t.prediction_gap, g));
    }
    if let Some((e, value, ci, p)) = d
        .expectation_gap
        .as_ref()
        .and_then(|e| Some((e, e.value?, e.ci95?, e.p_value?)))
    {
        out.push(format!(
            "{} · {} · n = {} {}",
            estimate(lang, t, t.expectation_gap, value, ci),
            p_text(lang, p),
            e.n,
            t.pairs
        ));
    }
    if let Some((s, value, ci)) = d
        .stratified_gap
        .as_ref()
        .and_then(|s| Some((s, s.value?, s.ci95?)))
    {
        out.push(format!(
            "{} · {} {}{}",
            estimate(lang, t, t.stratified_gap, value, ci),
            s.teams_used,
            t.teams_used,
            if s.composition_warning == Some(true) {
                format!(" · {}", t.composition)
            } else {
                String::new()
            }
        ));
    }
    out
}

fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::BlindSpot => Tone::Warning,
        Verdict::HiddenStrength => Tone::Good,
        _ => Tone::Neutral,
    }
}

/// The comparison of one dimension only (the charts of its page).
fn only(c: &Comparison, key: &str) -> Comparison {
    let mut one = c.clone();
    one.dimensions.retain(|d| d.key == key);
    one
}

/// The trend of one dimension only, when there are at least two waves to compare.
fn trend_of(t: &Trend, key: &str) -> Option<Trend> {
    if t.waves.len() < 2 {
        return None;
    }
    let mut one = t.clone();
    for w in &mut one.waves {
        w.dimensions.retain(|d| d.key == key);
    }
    for c in &mut one.changes {
        c.dimensions.retain(|d| d.key == key);
    }
    Some(one)
}

fn dimension_page(w: &Workshop, d: &DimensionReport) -> Result<DimensionPage, PdfError> {
    let lang = w.lang;
    let t = pack_text(lang);
    let app = app_text(lang);
    let c = &w.comparison;
    let mut rows = vec![group_row(lang, t.self_rating, &d.employee)];
    if let Some(p) = &d.predicted {
        rows.push(group_row(lang, t.predicted, p));
    }
    rows.push(group_row(lang, t.perceived, &d.customer));
    if let Some(e) = &d.expected {
        rows.push(group_row(lang, t.expected, e));
    }
    let mut fact_lines = facts(lang, t, d);
    let groups = [
        Some(&d.employee),
        d.predicted.as_ref(),
        Some(&d.customer),
        d.expected.as_ref(),
    ];
    if groups.iter().flatten().any(|g| g.mean.is_none()) {
        fact_lines.push(t.hidden_note.replace("{n}", &c.min_group_size.to_string()));
    }
    let one = only(c, &d.key);
    let mut charts_here = vec![chart(
        ChartKind::Distribution,
        ChartData::Comparison(&one),
        lang,
        (PRINT_WIDTH, 270),
        t.chart_distribution,
    )?];
    if let Some(tr) = trend_of(&w.trend, &d.key) {
        charts_here.push(chart(
            ChartKind::Trend,
            ChartData::Trend(&tr),
            lang,
            (PRINT_WIDTH, 270),
            "",
        )?);
    }
    let actions: Vec<String> = w
        .actions
        .iter()
        .filter(|a| a.dimension_key == d.key)
        .map(|a| {
            let line = action_line(w, a, false);
            format!("{} — {} ({})", line.title, line.description, line.detail)
        })
        .collect();
    Ok(DimensionPage {
        heading: format!("{}. {}", d.priority, d.label),
        verdict: crate::i18n::verdicts::tag(lang, crate::i18n::verdicts::known(d, c.alpha))
            .to_string(),
        tone: tone(d.verdict),
        sentence: crate::i18n::workbook::verdict(lang, d, c).1,
        table: Table {
            header: vec![
                t.group.to_string(),
                t.mean.to_string(),
                t.sd.to_string(),
                t.n.to_string(),
                t.dont_know.to_string(),
            ],
            rows,
        },
        facts: fact_lines,
        charts: charts_here,
        questions_heading: t.questions.to_string(),
        questions: vec![
            app.q_manage_or_improve.to_string(),
            app.q_what_who_when.to_string(),
        ],
        actions: Section {
            heading: t.actions_here.to_string(),
            items: actions,
            empty: t.no_actions_here.to_string(),
            more: t.more_actions.to_string(),
        },
    })
}

/// An action in words; `with_dimension` names its dimension (the list of all actions).
fn action_line(w: &Workshop, a: &ActionFacts, with_dimension: bool) -> ActionLine {
    let lang = w.lang;
    let t = pack_text(lang);
    let app = app_text(lang);
    let decision = app.decision(a.decision.as_str());
    let status = app.status(a.status.as_str());
    let title = if with_dimension {
        let label = w
            .comparison
            .dimensions
            .iter()
            .find(|d| d.key == a.dimension_key)
            .map(|d| d.label.clone())
            .unwrap_or_else(|| a.dimension_key.clone());
        format!("{label} — {decision} ({status})")
    } else {
        format!("{decision} ({status})")
    };
    let mut detail = Vec::new();
    if let Some(owner) = &a.owner {
        detail.push(format!("{}: {owner}", t.who));
    }
    if let Some(due) = a.due_date {
        detail.push(format!("{}: {}", t.due, due.format("%d-%m-%Y")));
    }
    if let Some(wave) = &a.wave {
        detail.push(format!("{}: {wave}", t.wave));
    }
    if let Some(e) = &a.effect {
        detail.push(format!(
            "{}: {}",
            app.gap_closed,
            crate::i18n::knowledge::effect(lang, e)
        ));
    }
    ActionLine {
        title,
        description: a.description.clone(),
        detail: detail.join(" · "),
    }
}
