//! Scales and ticks: value ranges, nice steps, linear mappings.

use super::*;
use crate::engine::model::ScaleView;
use crate::i18n::charts::ChartText;

/// Scale bounds as floats, repaired when the report carries a degenerate scale.
pub fn scale_bounds(scale: ScaleView) -> (f64, f64) {
    let lo = f64::from(scale.min.min(scale.max));
    let hi = f64::from(scale.max.max(scale.min));
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    }
}

/// A "nice" tick step for a span and a target number of ticks.
pub fn nice_step(span: f64, target: f64) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    let raw = span / target.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Ticks that are multiples of `step` within [lo, hi].
pub fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if step.is_nan() || step <= 0.0 || !lo.is_finite() || !hi.is_finite() {
        return out;
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    for k in first..=last.min(first + 200) {
        let v = k as f64 * step;
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
    }
    out
}

/// Decimals needed to print ticks at `step`.
pub fn step_decimals(step: f64) -> usize {
    if step >= 1.0 - 1e-9 {
        0
    } else if step >= 0.1 - 1e-9 && ((step * 10.0).round() - step * 10.0).abs() < 1e-6 {
        1
    } else {
        2
    }
}

/// Linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub p0: i32,
    pub p1: i32,
}

impl Linear {
    pub fn new(d0: f64, d1: f64, p0: i32, p1: i32) -> Linear {
        let d1 = if (d1 - d0).abs() < 1e-12 {
            d0 + 1.0
        } else {
            d1
        };
        Linear { d0, d1, p0, p1 }
    }

    /// Like `map`, with the value clamped to the domain (for values outside the scale).
    pub fn map_clamped(&self, v: f64) -> i32 {
        self.map(v.clamp(self.d0.min(self.d1), self.d0.max(self.d1)))
    }

    pub fn map(&self, v: f64) -> i32 {
        let f = (v - self.d0) / (self.d1 - self.d0);
        let p = f64::from(self.p0) + f * f64::from(self.p1 - self.p0);
        p.round().clamp(-1.0e6, 1.0e6) as i32
    }
}

/// Ticks of a rating scale: every value when there are few, else a nice step.
pub fn scale_ticks(lo: f64, hi: f64, t: &ChartText) -> Vec<(f64, String)> {
    let step = if hi - lo <= 12.0 {
        1.0
    } else {
        nice_step(hi - lo, 10.0)
    };
    number_ticks(lo, hi, step, false, t)
}

/// The ticks from `lo` to `hi` by `step`, each labelled with the decimals the step needs;
/// `signed`: with a `+` for positive values.
pub fn number_ticks(
    lo: f64,
    hi: f64,
    step: f64,
    signed: bool,
    t: &ChartText,
) -> Vec<(f64, String)> {
    let decimals = step_decimals(step);
    let label = if signed { fmt_signed } else { fmt_num };
    ticks(lo, hi, step)
        .into_iter()
        .map(|v| (v, label(v, decimals, t)))
        .collect()
}
