//! Importance and the mirror quadrant (SPEC revision 3): how much each dimension matters to
//! customers — stated (their `importance` ratings) or derived (the correlation of their
//! `perceived` rating with their NPS answer) — and where each dimension falls in Martilla &
//! James's importance–performance grid, by the customers' score and by the employees'
//! prediction of it.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::exact::Exact;
use super::input::{Histogram, Moments};
use super::model::WithheldReason;
use super::stats::t_quantile;

/// z of the Fisher interval (SPEC: the literal 1.96).
const Z: f64 = 1.96;
/// The derived importance needs at least this many customers (and `min_group_size`).
pub const DERIVED_MIN_N: u64 = 10;

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

/// Sufficient statistics of (x = `perceived` rating of one dimension, y = NPS answer) over the
/// customers (responses) of the scope who gave both as numbers, exact. The same cells as the
/// report's other figures (in an organisation report, not the cells left out below the
/// threshold).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NpsPerceived {
    pub n: u64,
    pub sum_x: i128,
    pub sum_y: i128,
    pub sum_xx: i128,
    pub sum_yy: i128,
    pub sum_xy: i128,
    /// Shown as its count only, whatever its size, for this reason (the anonymity rules
    /// outside the engine).
    pub withheld: Option<super::model::WithheldReason>,
}

impl NpsPerceived {
    /// Adds one customer's (perceived, nps).
    pub fn add(&mut self, perceived: i32, nps: i32) {
        let (x, y) = (i128::from(perceived), i128::from(nps));
        self.n += 1;
        self.sum_x += x;
        self.sum_y += y;
        self.sum_xx += x * x;
        self.sum_yy += y * y;
        self.sum_xy += x * y;
    }
}

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportanceSource {
    /// The customers' own importance ratings, on the survey's scale.
    Stated,
    /// Pearson's r between the customers' rating of the dimension and their NPS answer.
    Derived,
}

/// How much a dimension matters to customers. `value` and `ci95` are null where the figure
/// may not be shown (too few answers, no spread, or withheld for the reader); `n` is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Importance {
    pub source: ImportanceSource,
    /// Stated: the mean rating. Derived: Pearson's r.
    pub value: Option<f64>,
    /// Stated: mean ± t₀.₉₇₅,n−1 · sd/√n. Derived: tanh(atanh(r) ± 1.96/√(n − 3)), [r, r]
    /// when |r| = 1.
    pub ci95: Option<[f64; 2]>,
    /// Stated: customers with a numeric importance rating. Derived: customers with both a
    /// numeric rating of the dimension and an NPS answer.
    pub n: u64,
    /// Why `value` is null when the anonymity rules withhold it (below the threshold
    /// included); null when shown, or when only the lack of spread hides it.
    pub withheld_reason: Option<super::model::WithheldReason>,
}

/// Martilla & James's four quadrants (importance up, performance across).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important, scored below the crosshair.
    ConcentrateHere,
    /// Important, scored at or above it.
    KeepUp,
    /// Less important, scored below.
    LowPriority,
    /// Less important, scored at or above.
    PossibleOverkill,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [
        Quadrant::ConcentrateHere,
        Quadrant::KeepUp,
        Quadrant::LowPriority,
        Quadrant::PossibleOverkill,
    ];

    /// From "importance ≥ its crosshair" and "score ≥ its crosshair".
    pub fn of(important: bool, scores_well: bool) -> Quadrant {
        match (important, scores_well) {
            (true, false) => Quadrant::ConcentrateHere,
            (true, true) => Quadrant::KeepUp,
            (false, false) => Quadrant::LowPriority,
            (false, true) => Quadrant::PossibleOverkill,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------------

/// Stated importance from the customers' importance ratings: None without answers; the
/// count only below `min_group_size` or when withheld.
pub fn stated(h: &Histogram, scale_min: i32, min_group_size: u64) -> Option<Importance> {
    let m = Moments::of_histogram(h, scale_min);
    if m.n == 0 {
        return None;
    }
    let reason = WithheldReason::first(
        h.withheld,
        (m.n < min_group_size.max(1)).then_some(WithheldReason::BelowThreshold),
    );
    let shown = reason.is_none() && m.n >= 2;
    let figures = shown
        .then(|| {
            let mean = m.mean()?;
            let se = (m.variance()? / m.n as f64).sqrt();
            let half = if se > 0.0 {
                t_quantile(0.975, m.n as f64 - 1.0) * se
            } else {
                0.0
            };
            Some((mean, [mean - half, mean + half]))
        })
        .flatten();
    Some(importance(ImportanceSource::Stated, figures, m.n, reason))
}

/// The importance figures: value and interval (when shown), count and why not shown.
fn importance(
    source: ImportanceSource,
    figures: Option<(f64, [f64; 2])>,
    n: u64,
    withheld_reason: Option<WithheldReason>,
) -> Importance {
    Importance {
        source,
        value: figures.map(|f| f.0),
        ci95: figures.map(|f| f.1),
        n,
        withheld_reason,
    }
}

/// Derived importance, Pearson's r of perceived and NPS: None without pairs; the count only
/// below max(10, `min_group_size`), without spread on either side, or when withheld.
pub fn derived(s: &NpsPerceived, min_group_size: u64) -> Option<Importance> {
    if s.n == 0 {
        return None;
    }
    let n = i128::from(s.n);
    let a = n * s.sum_xx - s.sum_x * s.sum_x;
    let b = n * s.sum_yy - s.sum_y * s.sum_y;
    let reason = WithheldReason::first(
        s.withheld,
        (s.n < DERIVED_MIN_N.max(min_group_size)).then_some(WithheldReason::BelowThreshold),
    );
    let shown = reason.is_none() && a > 0 && b > 0;
    let figures = shown.then(|| {
        let num = n * s.sum_xy - s.sum_x * s.sum_y;
        // |r| = 1 exactly when num² = a·b.
        let perfect = match (num.checked_mul(num), a.checked_mul(b)) {
            (Some(x), Some(y)) => x == y,
            // Beyond i128: num² against a·b in arbitrary precision.
            _ => {
                let num = Exact::int(num);
                num.mul(&num) == Exact::int(a).mul(&Exact::int(b))
            }
        };
        if perfect {
            let r = if num > 0 { 1.0 } else { -1.0 };
            return (r, [r, r]);
        }
        let r = (num as f64 / ((a as f64).sqrt() * (b as f64).sqrt())).clamp(-1.0, 1.0);
        let z = r.atanh();
        let h = Z / (s.n as f64 - 3.0).sqrt();
        (r, [(z - h).tanh(), (z + h).tanh()])
    });
    Some(importance(ImportanceSource::Derived, figures, s.n, reason))
}

/// One dimension's figures for the quadrant, exactly: importance (stated: the mean as a
/// fraction; derived: the published double), the customers' and the employees' predicted
/// mean (fractions). None where the figure is not shown.
#[derive(Debug, Clone, Default)]
pub struct QuadrantFigures {
    pub importance: Option<Exact>,
    pub customer: Option<Exact>,
    pub predicted: Option<Exact>,
}

impl QuadrantFigures {
    /// The exact importance of a shown block: stated from the histogram's sums, derived from
    /// the double it publishes.
    pub fn importance_of(
        block: Option<&Importance>,
        histogram: Option<&Histogram>,
        scale_min: i32,
    ) -> Option<Exact> {
        let block = block?;
        let value = block.value?;
        match block.source {
            ImportanceSource::Stated => {
                let m = Moments::of_histogram(histogram?, scale_min);
                Exact::ratio(m.sum, i128::from(m.n))
            }
            ImportanceSource::Derived => Exact::from_f64(value),
        }
    }

    /// The exact mean of shown moments.
    pub fn mean_of(m: &Moments, shown: bool) -> Option<Exact> {
        if !shown || m.n == 0 {
            return None;
        }
        Exact::ratio(m.sum, i128::from(m.n))
    }
}

/// `quadrant` and `predicted_quadrant` per dimension. The crosshairs are the means over the
/// dimensions with both an importance and a customer figure; every comparison with them is
/// exact (x ≥ Σ/m ⇔ m·x ≥ Σ), and a figure on a crosshair counts as ≥.
pub fn quadrants(figures: &[QuadrantFigures]) -> Vec<(Option<Quadrant>, Option<Quadrant>)> {
    let both: Vec<&QuadrantFigures> = figures
        .iter()
        .filter(|f| f.importance.is_some() && f.customer.is_some())
        .collect();
    let m = both.len() as i128;
    if m == 0 {
        return vec![(None, None); figures.len()];
    }
    let importance_sum = Exact::sum(both.iter().filter_map(|f| f.importance.as_ref()));
    let customer_sum = Exact::sum(both.iter().filter_map(|f| f.customer.as_ref()));
    let at_least = |x: &Exact, sum: &Exact| x.mul_int(m).cmp(sum) != Ordering::Less;
    figures
        .iter()
        .map(|f| {
            let Some(i) = f.importance.as_ref() else {
                return (None, None);
            };
            let important = at_least(i, &importance_sum);
            let by = |score: &Option<Exact>| {
                score
                    .as_ref()
                    .map(|s| Quadrant::of(important, at_least(s, &customer_sum)))
            };
            (by(&f.customer), by(&f.predicted))
        })
        .collect()
}
