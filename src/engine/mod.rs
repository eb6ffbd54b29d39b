//! The comparison engine: per-group summaries in, the comparison report out.
//! Pure: no I/O, no database. Every formula is SPEC's; see docs/methodology.md.
//!
//! - `model`: the wire types of the report (serialisable).
//! - `input`: what the store hands in (histograms, exact moments).
//! - `stats`: the tests on sufficient statistics (Welch, exact permutation and sign-flip p,
//!   paired t, Holm, equivalence interval, NPS).
//! - `stratified`: the within-team gap of the organisation scope.
//! - `compare`: one scope's report (verdict, priority); `trend`: the report over waves.
//! - `knowledge`: how well the team knows its customers (with the jackknife);
//!   `importance`: stated or derived importance and the mirror quadrant; `effect`: what an
//!   action did; `exact`: the exact rationals those compare with.

mod compare;
mod effect;
mod exact;
mod importance;
mod input;
mod knowledge;
pub mod model;
mod stats;
mod stratified;
mod trend;

pub use compare::{compare, verdict};
pub use effect::{action_effect, effect_between, EffectSide, EffectWave, GapState};
pub use importance::{derived as derived_importance, quadrants, stated as stated_importance};
pub use importance::{NpsPerceived, QuadrantFigures, DERIVED_MIN_N};
pub use input::*;
pub use knowledge::{knowledge, knowledge_change};
pub use knowledge::{
    CustomerAnswer, CustomerAnswers, EmployeeAnswer, EmployeeAnswers, KnowledgeAnswers,
    KnowledgeDimension, KnowledgeMemo,
};
pub use model::*;
pub use stats::{
    binomial, equivalence_interval, holm, nps, paired, permutation_p, sign_flip_p, t_quantile,
    t_two_sided_p, welch,
};
pub use stratified::stratified_gap;
pub use trend::{gap_change, trend, WaveReport};

#[cfg(test)]
mod tests;
