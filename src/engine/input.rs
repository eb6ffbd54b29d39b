//! The engine's input: per-group counts (histograms) and exact integer moments, as the store
//! computes them with one GROUP BY. No raw rows.

use super::model::{Category, Respondents};

/// Counts of one group's answers to one question: `counts[i]` is the number of answers
/// with value `scale.min + i`; `dont_know` counts "don't know" answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: Vec<u64>,
    pub dont_know: u64,
}

impl Histogram {
    pub fn empty(points: usize) -> Histogram {
        Histogram {
            counts: vec![0; points],
            dont_know: 0,
        }
    }

    /// Builds a histogram from raw values (`None` = don't know). Values off the scale are ignored.
    pub fn from_values(values: &[Option<i32>], scale_min: i32, scale_max: i32) -> Histogram {
        let mut h = Histogram::empty((scale_max - scale_min + 1).max(0) as usize);
        for v in values {
            match v {
                None => h.dont_know += 1,
                Some(v) => h.add(*v, scale_min, 1),
            }
        }
        h
    }

    pub fn add(&mut self, value: i32, scale_min: i32, count: u64) {
        let idx = i64::from(value) - i64::from(scale_min);
        if let Some(slot) = usize::try_from(idx)
            .ok()
            .and_then(|i| self.counts.get_mut(i))
        {
            *slot += count;
        }
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Exact moments of integer data: n, Σx, Σx² in integer arithmetic, so the variance has no
/// catastrophic cancellation however many ratings there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moments {
    pub n: u64,
    pub sum: i128,
    pub sum_sq: i128,
}

impl Moments {
    pub fn of_histogram(h: &Histogram, scale_min: i32) -> Moments {
        let mut m = Moments::default();
        for (i, &c) in h.counts.iter().enumerate() {
            let v = i128::from(scale_min) + i as i128;
            let c128 = i128::from(c);
            m.n += c;
            m.sum += c128 * v;
            m.sum_sq += c128 * v * v;
        }
        m
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }

    /// Sample variance (n − 1), computed as (nΣx² − (Σx)²) / (n(n − 1)) exactly in integers.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = i128::from(self.n);
        let num = n * self.sum_sq - self.sum * self.sum;
        Some(num.max(0) as f64 / (n * (n - 1)) as f64)
    }
}

/// Sums over customers who gave both a perceived and an expected rating, of d = perceived − expected.
pub type PairedSums = Moments;

/// Everything the engine needs about one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionInput {
    pub key: String,
    pub label: String,
    pub category: Category,
    pub position: i32,
    pub employee: Histogram,
    /// `None` when the survey does not ask employees to predict.
    pub predicted: Option<Histogram>,
    pub customer: Histogram,
    /// `None` when the survey does not ask customers for their expectation.
    pub expected: Option<Histogram>,
    pub paired: PairedSums,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub survey_id: i64,
    pub wave_id: Option<i64>,
    pub team_id: Option<i64>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub min_group_size: u64,
    pub alpha: f64,
    pub materiality: f64,
    pub respondents: Respondents,
    /// Count of NPS answers 0..=10.
    pub nps_counts: [u64; 11],
    /// In dimension position order.
    pub dimensions: Vec<DimensionInput>,
}

/// Default materiality: 5 % of the scale's range.
pub fn default_materiality(scale_min: i32, scale_max: i32) -> f64 {
    0.05 * f64::from(scale_max - scale_min)
}
