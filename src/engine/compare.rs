//! Assembling the comparison report: groups, gaps, verdict, priority.

use super::input::{Histogram, Moments, ReportInput};
use super::model::*;
use super::stats::{nps, paired, welch};

struct Group {
    stats: GroupStats,
    moments: Moments,
    visible: bool,
}

fn group(h: &Histogram, scale_min: i32, min_group_size: u64) -> Group {
    let moments = Moments::of_histogram(h, scale_min);
    let visible = moments.n >= min_group_size.max(1);
    let stats = GroupStats {
        n: moments.n,
        dont_know: h.dont_know,
        mean: if visible { moments.mean() } else { None },
        sd: if visible {
            moments.variance().map(f64::sqrt)
        } else {
            None
        },
        histogram: visible.then(|| h.counts.clone()),
        suppressed: !visible,
    };
    Group {
        stats,
        moments,
        visible,
    }
}

fn verdict(gap: Option<&Gap>, alpha: f64, materiality: f64) -> Verdict {
    match gap {
        None => Verdict::InsufficientData,
        Some(g) if g.p_value < alpha && g.value >= materiality => Verdict::BlindSpot,
        Some(g) if g.p_value < alpha && g.value <= -materiality => Verdict::HiddenStrength,
        Some(_) => Verdict::Aligned,
    }
}

/// The smallest absolute gap the interval still allows: 0 when it contains 0.
fn smallest_plausible(g: &Gap) -> f64 {
    let [lo, hi] = g.ci95;
    if lo <= 0.0 && hi >= 0.0 {
        0.0
    } else {
        lo.abs().min(hi.abs())
    }
}

/// Builds the comparison report.
pub fn compare(input: &ReportInput) -> Comparison {
    let min = input.min_group_size;
    let smin = input.scale_min;
    let mut rows: Vec<(i32, DimensionReport)> = input
        .dimensions
        .iter()
        .map(|d| {
            let employee = group(&d.employee, smin, min);
            let customer = group(&d.customer, smin, min);
            let predicted = d.predicted.as_ref().map(|h| group(h, smin, min));
            let expected = d.expected.as_ref().map(|h| group(h, smin, min));
            let gap = (employee.visible && customer.visible)
                .then(|| welch(&employee.moments, &customer.moments))
                .flatten();
            let prediction_gap = predicted
                .as_ref()
                .filter(|p| p.visible && customer.visible)
                .and_then(|p| welch(&p.moments, &customer.moments));
            let expectation_gap = (expected.is_some() && customer.visible && d.paired.n >= min)
                .then(|| paired(&d.paired))
                .flatten();
            let verdict = verdict(gap.as_ref(), input.alpha, input.materiality);
            let report = DimensionReport {
                key: d.key.clone(),
                label: d.label.clone(),
                category: d.category,
                priority: 0,
                employee: employee.stats,
                predicted: predicted.map(|g| g.stats),
                customer: customer.stats,
                expected: expected.map(|g| g.stats),
                gap,
                prediction_gap,
                expectation_gap,
                verdict,
            };
            (d.position, report)
        })
        .collect();

    rows.sort_by(|(pa, a), (pb, b)| {
        let key = |r: &DimensionReport| match (&r.gap, r.verdict) {
            (Some(g), v) if v != Verdict::InsufficientData => {
                Some((smallest_plausible(g), g.value.abs()))
            }
            _ => None,
        };
        match (key(a), key(b)) {
            (Some((sa, ga)), Some((sb, gb))) => {
                sb.total_cmp(&sa).then(gb.total_cmp(&ga)).then(pa.cmp(pb))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => pa.cmp(pb),
        }
    });
    let dimensions = rows
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut r))| {
            r.priority = i as u32 + 1;
            r
        })
        .collect();

    Comparison {
        survey_id: input.survey_id,
        wave_id: input.wave_id,
        team_id: input.team_id,
        scale: ScaleView {
            min: input.scale_min,
            max: input.scale_max,
        },
        min_group_size: input.min_group_size,
        alpha: input.alpha,
        materiality: input.materiality,
        respondents: input.respondents,
        nps: nps(&input.nps_counts, min),
        dimensions,
    }
}
