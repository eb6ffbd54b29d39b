//! The engine's input: per-group counts (histograms) and exact integer moments, as the store
//! computes them with one GROUP BY. No raw rows.

use super::importance::NpsPerceived;
use super::knowledge::KnowledgeAnswers;
use super::model::{Category, Respondents, WithheldReason};
use crate::domain::{SurveyId, TeamId, WaveId};

/// Counts of one group's answers to one question: `counts[i]` is the number of answers
/// with value `scale.min + i`; `dont_know` counts "don't know" answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: Vec<u64>,
    pub dont_know: u64,
    /// Shown as its count only, whatever its size, for this reason: the anonymity rules
    /// outside the engine (`app::disclosure`) decided that this figure may not be shown to
    /// this reader. (`below_threshold` the engine decides itself.)
    pub withheld: Option<WithheldReason>,
}

impl Histogram {
    pub fn empty(points: usize) -> Histogram {
        Histogram {
            counts: vec![0; points],
            dont_know: 0,
            withheld: None,
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
    /// Employees' `self` answers in the scope.
    pub employee: Histogram,
    /// `None` when the survey does not ask employees to predict.
    pub predicted: Option<Histogram>,
    /// Customers' `perceived` answers in the scope.
    pub customer: Histogram,
    /// `None` when the survey does not ask customers for their expectation.
    pub expected: Option<Histogram>,
    /// n, Σd, Σd² of d = perceived − expected over the customers (responses) in the scope who
    /// gave a numeric answer to both.
    pub paired: PairedSums,
    /// Why the paired sums may not be shown to this reader (the two-teams rule, nested groups:
    /// `app::disclosure`); None when they may.
    pub paired_withheld: Option<WithheldReason>,
    /// Customers (responses) in the scope with a numeric `perceived` answer for this dimension
    /// and none on `expected` (a don't-know or no answer); 0 when the survey does not ask for
    /// expectations.
    pub perceived_only: u64,
    /// The reverse: a numeric `expected` answer and none on `perceived`.
    pub expected_only: u64,
    /// Customers' `importance` answers in the scope; `None` when the survey does not ask it
    /// (`ask_importance` false: the importance is then derived from `nps_perceived`).
    pub importance: Option<Histogram>,
    /// Sums over the customers in the scope with both a numeric `perceived` rating of this
    /// dimension and an NPS answer (for the derived importance).
    pub nps_perceived: NpsPerceived,
}

/// One team's answers inside an organisation-wide scope, for the stratified gap.
#[derive(Debug, Clone, PartialEq)]
pub struct StratumInput {
    pub team_id: TeamId,
    /// One entry per dimension, matched to `ReportInput::dimensions` by `key` (give them in
    /// the same order). A dimension without an entry counts as not used for that team.
    pub dimensions: Vec<StratumDimension>,
}

/// One team's `self` and `perceived` answers to one dimension, within the report's scope
/// (same wave filter, same cells left out as the organisation figures).
#[derive(Debug, Clone, PartialEq)]
pub struct StratumDimension {
    pub key: String,
    /// The team's employees' `self` answers.
    pub employee: Histogram,
    /// The team's customers' `perceived` answers.
    pub customer: Histogram,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub survey_id: SurveyId,
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub min_group_size: u64,
    pub alpha: f64,
    /// The survey setting; the engine uses it rounded to ten-thousandths (see `Materiality`).
    pub materiality: f64,
    /// False for an admin's interim report of an open wave; carried into the report.
    pub published: bool,
    /// Cells (1 ≤ n < min_group_size) inside the scope left out of its figures (SPEC
    /// "Anonymity and publication"); carried into the report.
    pub excluded_cells: u64,
    pub respondents: Respondents,
    /// Count of NPS answers 0..=10.
    pub nps_counts: [u64; 11],
    /// The NPS split is shown as its count only, for this reason (anonymity rules outside the
    /// engine).
    pub nps_withheld: Option<WithheldReason>,
    /// In dimension position order.
    pub dimensions: Vec<DimensionInput>,
    /// Organisation scope (`team_id` None) only: one entry per team with at least one response
    /// (any audience) in the scope, so `teams_left_out` can count the teams the stratified gap
    /// does not use. Empty: no stratified gap (team scopes, or not supplied).
    pub strata: Vec<StratumInput>,
    /// The stratified gap shows its counts only, for this reason (a team lead never gets its
    /// value: SPEC revision 3).
    pub strata_withheld: Option<WithheldReason>,
    /// Every respondent's numeric answers in the cells the report includes, for the
    /// knowledge figures and their jackknife (must add up to the dimensions' histograms;
    /// empty: no `knowledge`).
    pub knowledge: std::sync::Arc<KnowledgeAnswers>,
    /// What was computed before from these very answers (`app::reports` keeps a scope's
    /// answers between reports, with their memo); None: compute everything.
    pub knowledge_memo: Option<std::sync::Arc<super::knowledge::KnowledgeMemo>>,
}

/// Default materiality: 10 % of the scale's range (1–10: 0.9; 1–5: 0.4; 0–10: 1.0).
pub fn default_materiality(scale_min: i32, scale_max: i32) -> f64 {
    // Divide (correctly rounded) rather than multiply by 0.1, so 9 gives the double nearest 0.9.
    f64::from(scale_max - scale_min) / 10.0
}

/// The materiality as an exact decimal: a whole number of ten-thousandths of a scale point.
/// A gap is compared with it in integers, so a gap of exactly the materiality always reaches
/// it, whatever the floating-point rounding of the two means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Materiality {
    ten_thousandths: i128,
}

/// Where a gap lies relative to ±materiality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapSize {
    /// gap ≥ +materiality.
    ReachesPositive,
    /// gap ≤ −materiality.
    ReachesNegative,
    /// −materiality < gap < +materiality.
    Inside,
}

impl Materiality {
    /// Rounds the stored setting to ten-thousandths (negative or not finite: 0).
    pub fn from_f64(m: f64) -> Materiality {
        let t = (m * 10_000.0).round();
        let ten_thousandths = if t.is_finite() && t > 0.0 {
            t as i128
        } else {
            0
        };
        Materiality { ten_thousandths }
    }

    pub fn ten_thousandths(self) -> i128 {
        self.ten_thousandths
    }

    /// The nearest double to the decimal.
    pub fn value(self) -> f64 {
        self.ten_thousandths as f64 / 10_000.0
    }

    /// gap = mean(a) − mean(b) against ±materiality, exactly:
    /// 10000·(n_b·Σa − n_a·Σb) against materiality·10000·n_a·n_b.
    pub fn size_of_gap(self, a: &Moments, b: &Moments) -> GapSize {
        let (na, nb) = (i128::from(a.n), i128::from(b.n));
        let d = nb
            .saturating_mul(a.sum)
            .saturating_sub(na.saturating_mul(b.sum))
            .saturating_mul(10_000);
        let m = self.ten_thousandths.saturating_mul(na).saturating_mul(nb);
        if d >= m {
            GapSize::ReachesPositive
        } else if d <= -m {
            GapSize::ReachesNegative
        } else {
            GapSize::Inside
        }
    }
}
