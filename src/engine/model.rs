//! Wire types of the comparison report (SPEC "Comparison report"). Pure data, serialisable.

use crate::domain::{SurveyId, TeamId, WaveId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::effect::{ActionEffect, EffectVerdict};
pub use super::importance::{Importance, ImportanceSource, Quadrant};
pub use super::knowledge::{Knowledge, KnowledgeChange, KnowledgeCi, KnowledgeSe};

/// The survey's rating scale, inclusive on both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScaleView {
    pub min: i32,
    pub max: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Respondents {
    pub employee: u64,
    pub customer: u64,
}

/// Why a figure shows its count only (SPEC "Anonymity and publication", revision 3). Where
/// several apply, the first in this order is given (the derived `Ord` is that order).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WithheldReason {
    /// A team lead and an open wave: results are published when the wave closes.
    Interim,
    /// The reader's earlier rights would let these results single out another team.
    AssignmentHistory,
    /// Fewer answers than `min_group_size`.
    BelowThreshold,
    /// Fewer than two teams outside the reader's own contribute to this figure.
    TwoTeamsRule,
    /// A figure over a subset of another's answers that would single out a few answers.
    NestedGroup,
}

impl WithheldReason {
    /// The first that applies of two (None: none does).
    pub fn first(a: Option<WithheldReason>, b: Option<WithheldReason>) -> Option<WithheldReason> {
        match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, None) => x,
            (None, y) => y,
        }
    }
}

/// NPS block. Below the anonymity threshold only `n` is filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Nps {
    pub score: Option<f64>,
    pub promoters: Option<u64>,
    pub passives: Option<u64>,
    pub detractors: Option<u64>,
    pub n: u64,
    /// score ± 1.96 · 100 · √((p₊ + p₋ − (p₊ − p₋)²)/n), clipped to [−100, 100].
    pub ci95: Option<[f64; 2]>,
    /// Why only `n` is given (null when the split is shown).
    pub withheld_reason: Option<WithheldReason>,
}

/// Summary of one group's answers to one question. Below the anonymity threshold
/// `mean`, `sd` and `histogram` are null; `n` and `dont_know` are always given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupStats {
    pub n: u64,
    pub dont_know: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Count per scale value, from `scale.min` to `scale.max`.
    pub histogram: Option<Vec<u64>>,
    /// True when the group's numbers are hidden (below the threshold, or withheld for the
    /// reader: `withheld_reason` says why).
    pub suppressed: bool,
    /// Why only `n` is given (null when the group is shown).
    pub withheld_reason: Option<WithheldReason>,
}

/// Welch comparison of two independent groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Gap {
    pub value: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// Welch–Satterthwaite degrees of freedom (null when se = 0).
    pub df: Option<f64>,
    pub ci95: [f64; 2],
    /// Two-sided Welch p; where se = 0 the exact permutation p.
    pub p_value: f64,
    /// Holm-adjusted within the report, over the dimensions where this block is not null.
    pub p_adjusted: f64,
    pub hedges_g: Option<f64>,
    /// Smallest |gap| detected with 80 % power: (t₁₋α/₂,df + t₀.₈₀,df) · se; null when se = 0.
    pub mdd: Option<f64>,
}

/// Paired difference perceived − expected over customers who gave both. When withheld
/// (`withheld_reason`), only `n` and the three counts are given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ExpectationGap {
    pub value: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    /// Paired t-test; where every difference is the same non-zero value, the exact sign-flip p.
    pub p_value: Option<f64>,
    /// Holm-adjusted within the report, over the dimensions where this block has a p-value.
    pub p_adjusted: Option<f64>,
    /// Number of pairs.
    pub n: u64,
    /// Customers with a numeric answer on exactly one of perceived and expected
    /// (`perceived_only + expected_only`).
    pub pairs_left_out: u64,
    /// Customers with a numeric perceived answer but none on expected.
    pub perceived_only: u64,
    /// Customers with a numeric expected answer but none on perceived.
    pub expected_only: u64,
    /// Standard error of the mean difference.
    pub se: Option<f64>,
    /// Why only the counts are given (null when the figures are shown).
    pub withheld_reason: Option<WithheldReason>,
}

/// The paired test's figures (what `ExpectationGap` shows when it may).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairedTest {
    pub value: f64,
    pub ci95: [f64; 2],
    pub p_value: f64,
    pub se: f64,
    pub n: u64,
}

/// The within-team gap of the organisation scope (SPEC "stratified_gap"). For a team lead
/// only the two counts are given (`withheld_reason`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StratifiedGap {
    pub value: Option<f64>,
    pub se: Option<f64>,
    /// Null when se = 0.
    pub df: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    /// Null when se = 0.
    pub p_value: Option<f64>,
    /// Teams whose employee and customer groups both reach the threshold.
    pub teams_used: u64,
    /// Teams with at least one response in the scope that are not used.
    pub teams_left_out: u64,
    /// |gap − value| ≥ materiality: the mix of teams moves the organisation gap.
    pub composition_warning: Option<bool>,
    /// Why only the counts are given (null when the figures are shown).
    pub withheld_reason: Option<WithheldReason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    BlindSpot,
    HiddenStrength,
    /// Equivalence shown: the (1 − 2α) interval lies inside ±materiality.
    Aligned,
    /// No demonstrable difference, and no demonstrable agreement either.
    Inconclusive,
    InsufficientData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Functional,
    Emotional,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DimensionReport {
    pub key: String,
    pub label: String,
    pub category: Category,
    pub priority: u32,
    /// Employees' `self` ratings.
    pub employee: GroupStats,
    /// Employees' `predicted` ratings; null when the survey does not ask for predictions.
    pub predicted: Option<GroupStats>,
    /// Customers' `perceived` ratings.
    pub customer: GroupStats,
    /// Customers' `expected` ratings; null when the survey does not ask for expectations.
    pub expected: Option<GroupStats>,
    pub gap: Option<Gap>,
    pub prediction_gap: Option<Gap>,
    pub expectation_gap: Option<ExpectationGap>,
    /// Organisation scope only (else null).
    pub stratified_gap: Option<StratifiedGap>,
    pub verdict: Verdict,
    /// Why the gap and its verdict are not given (null when they are): the first reason of
    /// its two groups.
    pub withheld_reason: Option<WithheldReason>,
    /// How much the dimension matters to customers (stated or derived); null when the survey
    /// has no answers to base it on.
    pub importance: Option<Importance>,
    /// Martilla & James by importance and the customers' score; null where either is not shown.
    pub quadrant: Option<Quadrant>,
    /// The same by importance and the employees' predicted score, with the same crosshairs.
    pub predicted_quadrant: Option<Quadrant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Comparison {
    pub survey_id: SurveyId,
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    pub scale: ScaleView,
    pub min_group_size: u64,
    pub alpha: f64,
    /// The survey's materiality, as the exact decimal (ten-thousandths) the verdict uses.
    pub materiality: f64,
    /// False while a wave in the scope is still open (an admin's interim report; team leads
    /// then see counts only).
    pub published: bool,
    /// Cells (team × wave × question) with 1 ≤ n < min_group_size inside the scope, left out
    /// of its figures so that no answer of a small group can be worked out.
    pub excluded_cells: u64,
    pub respondents: Respondents,
    pub nps: Option<Nps>,
    /// How well the team knows its customers; null with fewer than 3 dimensions where both
    /// the prediction and the customers' score are shown. (Boxed: the report stays small to
    /// move.)
    pub knowledge: Option<Box<Knowledge>>,
    /// In priority order (1 first).
    pub dimensions: Vec<DimensionReport>,
}

/// One dimension's gap in one wave (trend report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendPoint {
    pub key: String,
    pub label: String,
    pub gap: Option<Gap>,
    pub verdict: Verdict,
    /// Why the gap is not given (null when it is).
    pub withheld_reason: Option<WithheldReason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendWave {
    pub wave_id: WaveId,
    pub name: String,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub respondents: Respondents,
    pub dimensions: Vec<TrendPoint>,
    /// The wave's `knowledge` (as in its comparison report).
    pub knowledge: Option<Knowledge>,
}

/// Change in gap between two consecutive waves: gap₂ − gap₁, se = √(se₁² + se₂²),
/// df = se⁴ / Σ seᵢ⁴/dfᵢ (waves with se = 0 contribute no term), two-sided t p-value.
/// Null fields where either wave has no gap; df and p_value null when both se are 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GapChange {
    pub key: String,
    pub change: Option<f64>,
    pub se: Option<f64>,
    pub df: Option<f64>,
    pub p_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendChange {
    pub from_wave_id: WaveId,
    pub to_wave_id: WaveId,
    pub dimensions: Vec<GapChange>,
    /// Null unless both waves have `knowledge`.
    pub knowledge_change: Option<KnowledgeChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Trend {
    pub survey_id: SurveyId,
    pub team_id: Option<TeamId>,
    /// Waves ordered by `opens_at`.
    pub waves: Vec<TrendWave>,
    pub changes: Vec<TrendChange>,
}
