//! Every chart in words: a title, one summary sentence and one line per dimension (or per
//! dimension and wave), in the chart's language. The SVG carries them as `<title>` and
//! `<desc>`; pages show them beside the chart as its text alternative.

use super::common::{composition_warning, fmt_num, fmt_signed, usable, verdict_tag};
use super::{quadrant, ChartData, ChartKind};
use crate::engine::model::{Comparison, DimensionReport, GroupStats, ImportanceSource};
use crate::i18n::charts::{text, ChartText};
use crate::i18n::verdicts::{self, ReasonScope};
use crate::i18n::Lang;

/// A chart in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    pub title: String,
    pub summary: String,
    pub lines: Vec<String>,
}

impl Description {
    /// Everything in one text (the SVG's `<desc>`).
    pub fn text(&self) -> String {
        let mut s = self.summary.clone();
        for l in &self.lines {
            s.push('\n');
            s.push_str(l);
        }
        s
    }
}

fn mean(t: &ChartText, g: &GroupStats, scope: ReasonScope) -> String {
    match usable(g) {
        Some(m) => fmt_num(m, 1, t),
        None => verdicts::withheld_group(t.lang, g, scope),
    }
}

fn gap_text(t: &ChartText, d: &DimensionReport) -> String {
    match &d.gap {
        Some(g) => format!(
            "{} {} [{}; {}]",
            t.axis_gap,
            fmt_signed(g.value, 2, t),
            fmt_signed(g.ci95[0], 2, t),
            fmt_signed(g.ci95[1], 2, t)
        ),
        None => format!("{} —", t.axis_gap),
    }
}

fn shares(t: &ChartText, g: &GroupStats, min: i32, scope: ReasonScope) -> String {
    let Some(h) = g.histogram.as_ref().filter(|_| !g.suppressed) else {
        return verdicts::withheld_group(t.lang, g, scope);
    };
    let total: u64 = h.iter().sum();
    if total == 0 {
        return t.no_answers.to_string();
    }
    h.iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(i, c)| {
            let pct = (*c as f64) * 100.0 / total as f64;
            format!("{}: {}%", min + i as i32, fmt_num(pct, 0, t))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn comparison_lines(kind: ChartKind, t: &ChartText, c: &Comparison) -> Vec<String> {
    let (min, scope) = (c.scale.min, ReasonScope::of(c));
    let mean = |t: &ChartText, g: &GroupStats| mean(t, g, scope);
    c.dimensions
        .iter()
        .map(|d| {
            let head = match d.priority {
                0 => d.label.clone(),
                p => format!("{p}. {}", d.label),
            };
            match kind {
                ChartKind::Mirror => {
                    let predicted = d
                        .predicted
                        .as_ref()
                        .map(|p| format!(", {} {}", t.legend_predicted, mean(t, p)))
                        .unwrap_or_default();
                    format!(
                        "{head}: {} {}, {} {}{predicted}; {}.",
                        t.legend_employees,
                        mean(t, &d.employee),
                        t.legend_customers,
                        mean(t, &d.customer),
                        verdict_tag(t, d, c)
                    )
                }
                ChartKind::Gaps => {
                    format!("{head}: {}; {}.", gap_text(t, d), verdict_tag(t, d, c))
                }
                ChartKind::Quadrant => quadrant_line(t, &head, d, scope),
                ChartKind::Distribution => format!(
                    "{head}: {} {}; {} {}.",
                    t.employees,
                    shares(t, &d.employee, min, scope),
                    t.customers,
                    shares(t, &d.customer, min, scope)
                ),
                _ => {
                    let expected = d
                        .expected
                        .as_ref()
                        .map(|e| mean(t, e))
                        .unwrap_or_else(|| t.not_asked.to_string());
                    let diff = d
                        .expectation_gap
                        .as_ref()
                        .and_then(|e| e.value)
                        .map(|v| fmt_signed(v, 2, t))
                        .unwrap_or_else(|| "—".into());
                    format!(
                        "{head}: {} {expected}, {} {}; {diff}.",
                        t.legend_expected,
                        t.legend_perceived,
                        mean(t, &d.customer)
                    )
                }
            }
        })
        .collect()
}

/// One dimension of the quadrant chart: its importance (with interval and n), the customers'
/// and the predicted score, the quadrant and where the prediction puts it.
fn quadrant_line(t: &ChartText, head: &str, d: &DimensionReport, scope: ReasonScope) -> String {
    let mean = |t: &ChartText, g: &GroupStats| mean(t, g, scope);
    let importance = match &d.importance {
        Some(i) => match (i.value, i.ci95) {
            (Some(v), Some([lo, hi])) => format!(
                "{} {} [{}; {}] (n = {})",
                t.importance_word,
                fmt_num(v, 2, t),
                fmt_num(lo, 2, t),
                fmt_num(hi, 2, t),
                i.n
            ),
            _ => format!("{} — (n = {})", t.importance_word, i.n),
        },
        None => t.no_importance.to_string(),
    };
    let predicted = d
        .predicted
        .as_ref()
        .map(|p| format!(", {} {}", t.legend_predicted, mean(t, p)))
        .unwrap_or_default();
    let mut line = format!(
        "{head}: {importance}, {} {}{predicted}",
        t.legend_customers,
        mean(t, &d.customer)
    );
    if let Some(q) = d.quadrant {
        line.push_str(&format!("; {}", t.quadrant(q)));
    }
    if let Some(p) = d.predicted_quadrant {
        line.push_str(&format!("; {} {}", t.by_prediction, t.quadrant(p)));
    }
    line.push('.');
    line
}

/// The quadrant chart's summary: what it shows, the importance's source and the crosshairs,
/// and the dimensions it cannot place with the reason.
fn quadrant_summary(t: &ChartText, c: &Comparison) -> String {
    let placed = quadrant::placed(c);
    let mut s = format!("{}.", t.sub_quadrant);
    if let Some(source) = quadrant::source(c) {
        let word = match source {
            ImportanceSource::Stated => t.stated_word,
            ImportanceSource::Derived => t.derived_word,
        };
        s.push_str(&format!(" {} {word}.", capitalised(t.importance_word)));
    }
    match quadrant::crosshairs(&placed) {
        Some((i, k)) => s.push_str(&format!(
            " {}: {} {}, {} {}.",
            t.crosshairs_at,
            t.importance_word,
            fmt_num(i, 2, t),
            t.legend_customers.to_lowercase(),
            fmt_num(k, 2, t)
        )),
        None => s.push_str(&format!(" {}.", t.no_quadrant_data)),
    }
    if let Some(note) = quadrant::footnote(t, c) {
        s.push_str(&format!(" {note}."));
    }
    s
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The words of a chart.
pub fn describe(kind: ChartKind, data: ChartData<'_>, lang: Lang) -> Description {
    let t = text(lang);
    let (title, sub) = match kind {
        ChartKind::Mirror => (t.title_mirror, t.sub_mirror),
        ChartKind::Gaps => (t.title_gaps, t.sub_gaps),
        ChartKind::Distribution => (t.title_distribution, t.sub_distribution),
        ChartKind::Trend => (t.title_trend, t.sub_trend),
        ChartKind::Expectations => (t.title_expectations, t.sub_expectations),
        ChartKind::Quadrant => (t.title_quadrant, t.sub_quadrant),
    };
    let lines = match data {
        ChartData::Comparison(c) => comparison_lines(kind, t, c),
        ChartData::Trend(tr) => tr
            .waves
            .iter()
            .flat_map(|w| {
                w.dimensions.iter().map(move |d| {
                    let gap = d
                        .gap
                        .as_ref()
                        .map(|g| fmt_signed(g.value, 2, t))
                        .unwrap_or_else(|| t.too_few.to_string());
                    format!("{} · {}: {} {gap}.", w.name, d.label, t.axis_gap)
                })
            })
            .collect(),
    };
    let summary = match (kind, data) {
        (ChartKind::Quadrant, ChartData::Comparison(c)) => quadrant_summary(t, c),
        (ChartKind::Mirror | ChartKind::Gaps, ChartData::Comparison(c)) => {
            match composition_warning(t, c) {
                Some(w) => format!("{sub}. {w}"),
                None => format!("{sub}."),
            }
        }
        _ => format!("{sub}."),
    };
    Description {
        title: title.to_string(),
        summary,
        lines,
    }
}

/// Puts `<title>` and `<desc>` first inside the `<svg>` element, with `role="img"`.
pub fn annotate_svg(svg: &str, d: &Description) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(end);
    format!(
        "{open} role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n<title id=\"chart-title\">{}</title>\n<desc id=\"chart-desc\">{}</desc>{}",
        escape(&d.title),
        escape(&d.text()),
        &rest[1..]
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
