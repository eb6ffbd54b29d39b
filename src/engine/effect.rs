//! What an action did (SPEC revision 3, "What the actions did"): the gap of the action's
//! dimension in the wave it was recorded in (W₁) against the first later closed wave (W₂), with
//! the trend's change formulas and a verdict. The rule lives here; pages, workshop, PDF and
//! workbook only show it.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::exact::Exact;
use super::input::{Histogram, Moments};
use super::model::{DimensionReport, Gap, TrendPoint, Verdict};
use super::trend::gap_change;
use crate::domain::WaveId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EffectVerdict {
    /// A gap of the dimension in W₁ or W₂ is withheld for the reader; figures null.
    Withheld,
    /// W₂'s verdict is `aligned`.
    Closed,
    /// The sign flipped (neither gap 0) and W₂'s verdict is a blind spot or hidden strength.
    Reversed,
    /// |gap_after| < |gap_before| and p < alpha.
    Narrowed,
    /// |gap_after| > |gap_before| and p < alpha.
    Widened,
    Unchanged,
    /// No later closed wave has measured the gap yet; every other field null.
    NotYetMeasured,
}

/// An action's effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ActionEffect {
    /// W₂ (null when not yet measured).
    #[schema(value_type = Option<i64>)]
    pub wave_id: Option<WaveId>,
    pub gap_before: Option<f64>,
    pub gap_after: Option<f64>,
    /// gap_after − gap_before.
    pub change: Option<f64>,
    /// √(se₁² + se₂²).
    pub se: Option<f64>,
    /// se⁴ / Σ seᵢ⁴/dfᵢ over the waves with se > 0; null when both se are 0.
    pub df: Option<f64>,
    /// Two-sided t p-value with that df; null with df.
    pub p_value: Option<f64>,
    pub verdict: EffectVerdict,
}

impl ActionEffect {
    fn without_figures(wave_id: Option<WaveId>, verdict: EffectVerdict) -> ActionEffect {
        ActionEffect {
            wave_id,
            gap_before: None,
            gap_after: None,
            change: None,
            se: None,
            df: None,
            p_value: None,
            verdict,
        }
    }
}

/// One side of the comparison: the dimension's gap block in one wave as the reader sees it.
#[derive(Debug, Clone, Copy)]
pub struct EffectSide<'a> {
    pub gap: &'a Gap,
    pub verdict: Verdict,
    /// The employees' and customers' histograms when shown (for the exact comparison of the
    /// two gaps' sizes and signs); None falls back to the gaps' doubles.
    pub employee: Option<&'a [u64]>,
    pub customer: Option<&'a [u64]>,
}

impl<'a> EffectSide<'a> {
    /// The side of a dimension's report block, when its gap is shown.
    pub fn of(d: &'a DimensionReport) -> Option<EffectSide<'a>> {
        Some(EffectSide {
            gap: d.gap.as_ref()?,
            verdict: d.verdict,
            employee: d.employee.histogram.as_deref(),
            customer: d.customer.histogram.as_deref(),
        })
    }

    /// The side of a trend point, when its gap is shown. A trend point carries no
    /// histograms, so sizes and signs are compared on the gaps' doubles.
    pub fn of_point(p: &'a TrendPoint) -> Option<EffectSide<'a>> {
        Some(EffectSide {
            gap: p.gap.as_ref()?,
            verdict: p.verdict,
            employee: None,
            customer: None,
        })
    }

    /// The gap as an exact fraction, from the histograms.
    fn exact(&self, scale_min: i32) -> Option<Exact> {
        let mean = |counts: &[u64]| {
            let h = Histogram {
                counts: counts.to_vec(),
                dont_know: 0,
                withheld: None,
            };
            let m = Moments::of_histogram(&h, scale_min);
            Exact::ratio(m.sum, i128::from(m.n))
        };
        Some(mean(self.employee?)?.sub(&mean(self.customer?)?))
    }
}

/// The effect between two shown gaps (W₁ `before`, W₂ `after`), the verdict by SPEC's order
/// (closed, reversed, narrowed, widened, unchanged). Signs and sizes are compared exactly
/// when both sides carry their histograms.
pub fn effect_between(
    wave_id: WaveId,
    before: &EffectSide<'_>,
    after: &EffectSide<'_>,
    scale_min: i32,
    alpha: f64,
) -> ActionEffect {
    let change = gap_change("", before.gap, after.gap);
    let (sign_before, sign_after, size) = match (before.exact(scale_min), after.exact(scale_min)) {
        (Some(b), Some(a)) => (b.sign(), a.sign(), a.abs().cmp(&b.abs())),
        _ => {
            let (b, a) = (before.gap.value, after.gap.value);
            (
                b.partial_cmp(&0.0).unwrap_or(Ordering::Equal),
                a.partial_cmp(&0.0).unwrap_or(Ordering::Equal),
                a.abs().total_cmp(&b.abs()),
            )
        }
    };
    let significant = change.p_value.is_some_and(|p| p < alpha);
    let flipped = sign_before != Ordering::Equal
        && sign_after != Ordering::Equal
        && sign_before != sign_after;
    let verdict = if after.verdict == Verdict::Aligned {
        EffectVerdict::Closed
    } else if flipped && matches!(after.verdict, Verdict::BlindSpot | Verdict::HiddenStrength) {
        EffectVerdict::Reversed
    } else if significant && size == Ordering::Less {
        EffectVerdict::Narrowed
    } else if significant && size == Ordering::Greater {
        EffectVerdict::Widened
    } else {
        EffectVerdict::Unchanged
    };
    ActionEffect {
        wave_id: Some(wave_id),
        gap_before: Some(before.gap.value),
        gap_after: Some(after.gap.value),
        change: change.change,
        se: change.se,
        df: change.df,
        p_value: change.p_value,
        verdict,
    }
}

/// A wave's state for the action's dimension, as the reader's report of the action's scope
/// (its team, or the organisation) shows it.
#[derive(Debug, Clone, Copy)]
pub enum GapState<'a> {
    /// The gap is shown.
    Shown(EffectSide<'a>),
    /// The report has the dimension but withholds its gap from this reader (any
    /// `withheld_reason`, below the threshold included).
    Withheld,
    /// Nothing measured: nobody in the scope answered in this wave.
    Absent,
}

impl<'a> GapState<'a> {
    /// From the dimension's block in the reader's report (None: the wave has no report).
    pub fn of(d: Option<&'a DimensionReport>) -> GapState<'a> {
        match d {
            None => GapState::Absent,
            Some(d) => EffectSide::of(d).map_or(GapState::Withheld, GapState::Shown),
        }
    }

    /// From the dimension's point in the reader's trend (None: the trend has no such wave,
    /// i.e. nobody in the scope answered in it).
    pub fn of_point(p: Option<&'a TrendPoint>) -> GapState<'a> {
        match p {
            None => GapState::Absent,
            Some(p) => EffectSide::of_point(p).map_or(GapState::Withheld, GapState::Shown),
        }
    }
}

/// One wave of the survey, for choosing W₂.
#[derive(Debug, Clone, Copy)]
pub struct EffectWave<'a> {
    pub wave: WaveId,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    /// Closed (published): results may be read.
    pub closed: bool,
    pub gap: GapState<'a>,
}

/// The effect of an action recorded in wave `recorded_in` (W₁), over the survey's `waves` (in
/// any order; W₁ among them). W₂ is the first later (by `opens_at`, then id) closed wave where
/// both gaps are shown. Without one: `withheld` when some later closed wave measured the gap
/// (or W₁'s is withheld and a later closed wave measured it) but the reader may not see both,
/// else `not_yet_measured`.
pub fn action_effect(
    recorded_in: WaveId,
    waves: &[EffectWave<'_>],
    scale_min: i32,
    alpha: f64,
) -> ActionEffect {
    let Some(first) = waves.iter().find(|w| w.wave == recorded_in) else {
        return ActionEffect::without_figures(None, EffectVerdict::NotYetMeasured);
    };
    let mut later: Vec<&EffectWave<'_>> = waves
        .iter()
        .filter(|w| w.closed && w.opens_at > first.opens_at)
        .filter(|w| !matches!(w.gap, GapState::Absent))
        .collect();
    later.sort_by(|a, b| a.opens_at.cmp(&b.opens_at).then(a.wave.cmp(&b.wave)));
    let Some(measured) = later.first() else {
        return ActionEffect::without_figures(None, EffectVerdict::NotYetMeasured);
    };
    if let GapState::Shown(before) = first.gap {
        if let Some((w, after)) = later.iter().find_map(|w| match w.gap {
            GapState::Shown(after) => Some((w.wave, after)),
            _ => None,
        }) {
            return effect_between(w, &before, &after, scale_min, alpha);
        }
    }
    if matches!(first.gap, GapState::Absent) {
        return ActionEffect::without_figures(None, EffectVerdict::NotYetMeasured);
    }
    ActionEffect::without_figures(Some(measured.wave), EffectVerdict::Withheld)
}
