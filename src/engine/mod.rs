//! The comparison engine: per-group summaries in, the comparison report out.
//! Pure: no I/O, no database. Every formula is SPEC's; see docs/methodology.md.
//!
//! - `model`: the wire types of the report (serialisable).
//! - `input`: what the store hands in (histograms, exact moments).
//! - `stats`: the tests on sufficient statistics.
//! - `compare`: one scope's report; `trend`: the report over waves.

mod compare;
mod input;
pub mod model;
mod stats;
mod trend;

pub use compare::compare;
pub use input::*;
pub use model::*;
pub use stats::{nps, paired, welch};
pub use trend::{gap_change, trend, WaveReport};

#[cfg(test)]
mod tests;
