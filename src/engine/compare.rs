//! Assembling one scope's comparison report: groups, gaps, Holm per block, verdict, the
//! stratified gap, priority.

use super::importance::{self, QuadrantFigures};
use super::input::{DimensionInput, GapSize, Histogram, Materiality, Moments, ReportInput};
use super::knowledge::{self, KnowledgeDimension, Tallies};
use super::model::*;
use super::stats::{equivalence_interval, holm, nps, paired, welch};
use super::stratified::stratified_gap;

struct Group {
    stats: GroupStats,
    moments: Moments,
    visible: bool,
}

fn group(h: &Histogram, scale_min: i32, min_group_size: u64) -> Group {
    let moments = Moments::of_histogram(h, scale_min);
    let reason = WithheldReason::first(
        h.withheld,
        (moments.n < min_group_size.max(1)).then_some(WithheldReason::BelowThreshold),
    );
    let visible = reason.is_none();
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
        withheld_reason: reason,
    };
    Group {
        stats,
        moments,
        visible,
    }
}

/// SPEC's verdict, after Holm. `employee`/`customer`: the moments the gap was computed from,
/// for the exact comparison with the materiality.
pub fn verdict(
    gap: Option<&Gap>,
    employee: &Moments,
    customer: &Moments,
    alpha: f64,
    materiality: Materiality,
) -> Verdict {
    let Some(g) = gap else {
        return Verdict::InsufficientData;
    };
    let size = materiality.size_of_gap(employee, customer);
    let significant = g.p_adjusted < alpha;
    match size {
        GapSize::ReachesPositive if significant => return Verdict::BlindSpot,
        GapSize::ReachesNegative if significant => return Verdict::HiddenStrength,
        _ => {}
    }
    let m = materiality.value();
    let aligned = match equivalence_interval(g, alpha) {
        // Two one-sided tests: the (1 − 2α) interval strictly inside (−m, +m).
        Some([lo, hi]) => lo > -m && hi < m,
        // se = 0: no sampling spread, so equivalence is |gap| < m, exactly.
        None => size == GapSize::Inside,
    };
    if aligned {
        Verdict::Aligned
    } else {
        Verdict::Inconclusive
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

/// One dimension's report before Holm, verdict and priority.
struct Draft {
    position: i32,
    report: DimensionReport,
    employee: Moments,
    customer: Moments,
    /// The predicted group's moments (None when the survey does not ask predictions).
    predicted: Option<Moments>,
    /// Which groups are shown.
    employee_shown: bool,
    predicted_shown: bool,
    customer_shown: bool,
    /// The figures of the quadrant, exactly.
    quadrant: QuadrantFigures,
}

fn draft(input: &ReportInput, d: &DimensionInput, materiality: Materiality) -> Draft {
    let (min, smin, alpha) = (input.min_group_size, input.scale_min, input.alpha);
    let employee = group(&d.employee, smin, min);
    let customer = group(&d.customer, smin, min);
    let predicted = d.predicted.as_ref().map(|h| group(h, smin, min));
    let expected = d.expected.as_ref().map(|h| group(h, smin, min));
    let gap = (employee.visible && customer.visible)
        .then(|| welch(&employee.moments, &customer.moments, alpha))
        .flatten();
    let prediction_gap = predicted
        .as_ref()
        .filter(|p| p.visible && customer.visible)
        .and_then(|p| welch(&p.moments, &customer.moments, alpha));
    let expectation_gap = expected.as_ref().map(|e| {
        // The pairs are a subset of both groups' answers: a figure of them needs both groups
        // shown, enough pairs, and nothing the disclosure withholds (nested groups, two teams).
        // Nested groups (SPEC revision 3): the pairs are a subset of the perceived and of the
        // expected answers (the groups sum the same cells); what those hold beyond the pairs
        // must be none or at least the threshold, else the difference is a few answers.
        let small = |beyond: u64| beyond >= 1 && beyond < min.max(1);
        let nested = (d.paired.n > 0
            && (small(customer.moments.n.saturating_sub(d.paired.n))
                || small(e.moments.n.saturating_sub(d.paired.n))))
        .then_some(WithheldReason::NestedGroup);
        let reason = [
            customer.stats.withheld_reason,
            e.stats.withheld_reason,
            (d.paired.n < min.max(1)).then_some(WithheldReason::BelowThreshold),
            d.paired_withheld,
            nested,
        ]
        .into_iter()
        .fold(None, WithheldReason::first);
        let test = reason.is_none().then(|| paired(&d.paired)).flatten();
        ExpectationGap {
            value: test.map(|t| t.value),
            ci95: test.map(|t| t.ci95),
            p_value: test.map(|t| t.p_value),
            p_adjusted: test.map(|t| t.p_value),
            n: d.paired.n,
            pairs_left_out: d.perceived_only + d.expected_only,
            perceived_only: d.perceived_only,
            expected_only: d.expected_only,
            se: test.map(|t| t.se),
            withheld_reason: reason,
        }
    });
    let organisation =
        (employee.visible && customer.visible).then_some((&employee.moments, &customer.moments));
    let stratified_gap = (input.team_id.is_none() && !input.strata.is_empty())
        .then(|| {
            stratified_gap(
                &d.key,
                &input.strata,
                smin,
                min,
                alpha,
                materiality,
                organisation,
                input.strata_withheld,
            )
        })
        .flatten();
    let importance = match &d.importance {
        Some(h) => importance::stated(h, smin, min),
        None => importance::derived(&d.nps_perceived, min),
    };
    let predicted_shown = predicted.as_ref().is_some_and(|p| p.visible);
    let gap_reason = WithheldReason::first(
        employee.stats.withheld_reason,
        customer.stats.withheld_reason,
    );
    let quadrant = QuadrantFigures {
        importance: QuadrantFigures::importance_of(
            importance.as_ref(),
            d.importance.as_ref(),
            smin,
        ),
        customer: QuadrantFigures::mean_of(&customer.moments, customer.visible),
        predicted: predicted
            .as_ref()
            .and_then(|p| QuadrantFigures::mean_of(&p.moments, p.visible)),
    };
    Draft {
        position: d.position,
        employee_shown: employee.visible,
        predicted_shown,
        customer_shown: customer.visible,
        predicted: predicted.as_ref().map(|p| p.moments),
        quadrant,
        report: DimensionReport {
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
            stratified_gap,
            verdict: Verdict::InsufficientData,
            withheld_reason: gap_reason,
            importance,
            quadrant: None,
            predicted_quadrant: None,
        },
        employee: employee.moments,
        customer: customer.moments,
    }
}

/// Holm within the report, one family per block, over the dimensions where the block is not
/// null.
fn adjust(drafts: &mut [Draft]) {
    fn family<T>(
        drafts: &mut [Draft],
        block: impl Fn(&mut DimensionReport) -> Option<&mut T>,
        p: impl Fn(&T) -> f64,
        set: impl Fn(&mut T, f64),
    ) {
        let raw: Vec<f64> = drafts
            .iter_mut()
            .filter_map(|d| block(&mut d.report).map(|b| p(b)))
            .collect();
        let mut adjusted = holm(&raw).into_iter();
        for d in drafts.iter_mut() {
            if let Some(b) = block(&mut d.report) {
                set(b, adjusted.next().unwrap_or(1.0));
            }
        }
    }
    family(
        drafts,
        |r| r.gap.as_mut(),
        |g| g.p_value,
        |g, p| g.p_adjusted = p,
    );
    family(
        drafts,
        |r| r.prediction_gap.as_mut(),
        |g| g.p_value,
        |g, p| g.p_adjusted = p,
    );
    family(
        drafts,
        |r| r.expectation_gap.as_mut().filter(|e| e.p_value.is_some()),
        |g| g.p_value.unwrap_or(1.0),
        |g, p| g.p_adjusted = Some(p),
    );
}

/// The knowledge figures over the dimensions (in input order) where the prediction and the
/// customers' score are shown. None unless the answers add up, cell by cell, to the groups
/// the report shows (so `knowledge` can never disagree with the means on the page).
fn knowledge_of(input: &ReportInput, drafts: &[Draft]) -> Option<Knowledge> {
    let dims: Vec<KnowledgeDimension> = drafts
        .iter()
        .map(|d| KnowledgeDimension {
            in_d: d.predicted_shown && d.customer_shown,
            self_shown: d.employee_shown,
        })
        .collect();
    let memo = input
        .knowledge_memo
        .as_deref()
        .filter(|m| m.is_for(&input.knowledge));
    let tallies = match memo {
        Some(memo) => memo.tallies(&input.knowledge, drafts.len()),
        None => Tallies::of(&input.knowledge, drafts.len()),
    };
    let same = |t: knowledge::Tally, m: &Moments| t.n == i128::from(m.n) && t.sum == m.sum;
    let consistent = drafts.iter().zip(&dims).enumerate().all(|(k, (d, dim))| {
        !dim.in_d
            || (d
                .predicted
                .as_ref()
                .is_some_and(|p| same(tallies.predicted[k], p))
                && same(tallies.perceived[k], &d.customer)
                && (!dim.self_shown || same(tallies.self_rating[k], &d.employee)))
    });
    if !consistent {
        return None;
    }
    let range = input.scale_max - input.scale_min;
    let compute = || knowledge::knowledge_with(&dims, &input.knowledge, &tallies, range);
    match memo {
        Some(memo) => memo.knowledge(&dims, range, compute),
        None => compute(),
    }
}

/// Builds the comparison report.
pub fn compare(input: &ReportInput) -> Comparison {
    let materiality = Materiality::from_f64(input.materiality);
    let mut drafts: Vec<Draft> = input
        .dimensions
        .iter()
        .map(|d| draft(input, d, materiality))
        .collect();
    adjust(&mut drafts);
    let knowledge = knowledge_of(input, &drafts).map(Box::new);
    let figures: Vec<QuadrantFigures> = drafts.iter().map(|d| d.quadrant.clone()).collect();
    for (d, (q, pq)) in drafts.iter_mut().zip(importance::quadrants(&figures)) {
        d.report.quadrant = q;
        d.report.predicted_quadrant = pq;
    }
    for d in &mut drafts {
        d.report.verdict = verdict(
            d.report.gap.as_ref(),
            &d.employee,
            &d.customer,
            input.alpha,
            materiality,
        );
    }

    drafts.sort_by(|a, b| {
        let key = |r: &DimensionReport| match (&r.gap, r.verdict) {
            (Some(g), v) if v != Verdict::InsufficientData => {
                Some((smallest_plausible(g), g.value.abs()))
            }
            _ => None,
        };
        let (pa, pb) = (a.position, b.position);
        match (key(&a.report), key(&b.report)) {
            (Some((sa, ga)), Some((sb, gb))) => {
                sb.total_cmp(&sa).then(gb.total_cmp(&ga)).then(pa.cmp(&pb))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => pa.cmp(&pb),
        }
    });
    let dimensions = drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| DimensionReport {
            priority: i as u32 + 1,
            ..d.report
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
        materiality: materiality.value(),
        published: input.published,
        excluded_cells: input.excluded_cells,
        respondents: input.respondents,
        nps: nps(&input.nps_counts, input.min_group_size, input.nps_withheld),
        knowledge,
        dimensions,
    }
}
