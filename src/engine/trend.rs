//! The trend over waves: each wave's gap block and the change between consecutive waves.

use super::knowledge::knowledge_change;
use super::model::*;
use super::stats::t_two_sided_p;
use crate::domain::{SurveyId, TeamId, WaveId};

/// One wave's report, with the wave's identity, as input to the trend.
#[derive(Debug, Clone)]
pub struct WaveReport {
    pub wave_id: WaveId,
    pub name: String,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub comparison: Comparison,
}

/// Change in gap between two waves: gap₂ − gap₁, se = √(se₁² + se₂²),
/// df = se⁴ / Σ seᵢ⁴/dfᵢ over the waves with se > 0 (Welch–Satterthwaite), and the two-sided
/// t p-value with that df. When both waves have se = 0, df and p are None.
pub fn gap_change(key: &str, first: &Gap, second: &Gap) -> GapChange {
    let change = second.value - first.value;
    let se = (first.se * first.se + second.se * second.se).sqrt();
    let terms: f64 = [first, second]
        .iter()
        .filter(|g| g.se > 0.0)
        .filter_map(|g| Some(g.se.powi(4) / g.df?))
        .sum();
    let df = (se > 0.0 && terms > 0.0).then(|| se.powi(4) / terms);
    GapChange {
        key: key.to_string(),
        change: Some(change),
        se: Some(se),
        df,
        p_value: df.map(|df| t_two_sided_p(change, se, df)),
    }
}

/// The trend report over waves (given in any order; sorted by `opens_at`, then id).
/// Dimensions appear in `key_order` (the survey's position order).
pub fn trend(
    survey_id: SurveyId,
    team_id: Option<TeamId>,
    key_order: &[String],
    mut waves: Vec<WaveReport>,
) -> Trend {
    waves.sort_by(|a, b| a.opens_at.cmp(&b.opens_at).then(a.wave_id.cmp(&b.wave_id)));
    let points = |c: &Comparison| -> Vec<TrendPoint> {
        key_order
            .iter()
            .filter_map(|k| c.dimensions.iter().find(|d| &d.key == k))
            .map(|d| TrendPoint {
                key: d.key.clone(),
                label: d.label.clone(),
                gap: d.gap.clone(),
                verdict: d.verdict,
                withheld_reason: d.withheld_reason,
            })
            .collect()
    };
    let out_waves: Vec<TrendWave> = waves
        .iter()
        .map(|w| TrendWave {
            wave_id: w.wave_id,
            name: w.name.clone(),
            opens_at: w.opens_at,
            respondents: w.comparison.respondents,
            dimensions: points(&w.comparison),
            knowledge: w.comparison.knowledge.as_deref().cloned(),
        })
        .collect();
    let changes = out_waves
        .windows(2)
        .map(|pair| {
            let (a, b) = (&pair[0], &pair[1]);
            let dimensions = b
                .dimensions
                .iter()
                .map(|pb| {
                    let before = a
                        .dimensions
                        .iter()
                        .find(|pa| pa.key == pb.key)
                        .and_then(|pa| pa.gap.as_ref());
                    match (before, pb.gap.as_ref()) {
                        (Some(g1), Some(g2)) => gap_change(&pb.key, g1, g2),
                        _ => GapChange {
                            key: pb.key.clone(),
                            change: None,
                            se: None,
                            df: None,
                            p_value: None,
                        },
                    }
                })
                .collect();
            let knowledge_change = match (&a.knowledge, &b.knowledge) {
                (Some(k1), Some(k2)) => Some(knowledge_change(k1, k2)),
                _ => None,
            };
            TrendChange {
                from_wave_id: a.wave_id,
                to_wave_id: b.wave_id,
                dimensions,
                knowledge_change,
            }
        })
        .collect();
    Trend {
        survey_id,
        team_id,
        waves: out_waves,
        changes,
    }
}
