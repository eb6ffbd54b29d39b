//! The trend over waves: each wave's gap block and the change between consecutive waves.

use statrs::distribution::{ContinuousCDF, Normal};

use super::model::*;

/// One wave's report, with the wave's identity, as input to the trend.
#[derive(Debug, Clone)]
pub struct WaveReport {
    pub wave_id: i64,
    pub name: String,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub comparison: Comparison,
}

/// Change in gap between two waves: gap₂ − gap₁, se = √(se₁² + se₂²), two-sided normal p.
pub fn gap_change(first: &Gap, second: &Gap) -> (f64, f64, f64) {
    let change = second.value - first.value;
    let se = (first.se * first.se + second.se * second.se).sqrt();
    let p = if se == 0.0 {
        if change == 0.0 {
            1.0
        } else {
            0.0
        }
    } else {
        match Normal::new(0.0, 1.0) {
            Ok(n) => (2.0 * n.sf((change / se).abs())).min(1.0),
            Err(_) => f64::NAN,
        }
    };
    (change, se, p)
}

/// The trend report over waves (given in any order; sorted by `opens_at`, then id).
/// Dimensions appear in `key_order` (the survey's position order).
pub fn trend(
    survey_id: i64,
    team_id: Option<i64>,
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
                        (Some(g1), Some(g2)) => {
                            let (change, se, p) = gap_change(g1, g2);
                            GapChange {
                                key: pb.key.clone(),
                                change: Some(change),
                                se: Some(se),
                                p_value: Some(p),
                            }
                        }
                        _ => GapChange {
                            key: pb.key.clone(),
                            change: None,
                            se: None,
                            p_value: None,
                        },
                    }
                })
                .collect();
            TrendChange {
                from_wave_id: a.wave_id,
                to_wave_id: b.wave_id,
                dimensions,
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
