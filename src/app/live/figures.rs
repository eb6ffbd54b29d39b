//! The figures of a reveal and of the closing view. The survey's figures are taken from the
//! comparison report of the session's scope as the facilitator may read it (so every anonymity
//! rule has been applied: a withheld figure is null here too); the guesses' part shows their
//! distribution and mean only from `MIN_GUESSES` guesses on, else their count alone.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::engine::{DimensionReport, GroupStats, Knowledge, WithheldReason};

/// Guesses a dimension needs before their distribution and mean are shown.
pub const MIN_GUESSES: usize = 3;

/// The team's prediction in the survey (the employees' `predicted` group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PredictedFigure {
    pub mean: f64,
    pub n: u64,
}

/// The customers' score with its interval: mean ± t₀.₉₇₅,n−1 · sd/√n.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CustomerFigure {
    pub mean: f64,
    /// Null when fewer than two answers give no spread to speak of.
    pub ci95: Option<[f64; 2]>,
    pub n: u64,
}

/// The reveal of one dimension (SPEC "The live workshop"). On a stream or state without the
/// facilitator's rights, `predicted`, `customer` and `withheld_reason` are null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Reveal {
    pub dimension_key: String,
    /// How many guessed.
    pub guesses: u64,
    /// Count per scale value (from the scale's minimum); null below three guesses.
    pub distribution: Option<Vec<u64>>,
    /// Null below three guesses.
    pub guess_mean: Option<f64>,
    pub predicted: Option<PredictedFigure>,
    pub customer: Option<CustomerFigure>,
    /// Why a survey figure is withheld (the report's reason), null when both are shown.
    pub withheld_reason: Option<WithheldReason>,
}

impl Reveal {
    /// The part a phone may see: the guesses' figures only.
    pub fn public(&self) -> Reveal {
        Reveal {
            predicted: None,
            customer: None,
            withheld_reason: None,
            ..self.clone()
        }
    }
}

/// The guesses' part of a reveal: (count, distribution, mean).
pub fn guesses_part(values: &[i32], min: i32, max: i32) -> (u64, Option<Vec<u64>>, Option<f64>) {
    let n = values.len() as u64;
    if values.len() < MIN_GUESSES {
        return (n, None, None);
    }
    let width = usize::try_from(max - min + 1).unwrap_or(0);
    let mut hist = vec![0u64; width];
    for v in values {
        if let Some(slot) = usize::try_from(v - min).ok().and_then(|i| hist.get_mut(i)) {
            *slot += 1;
        }
    }
    let mean = values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len() as f64;
    (n, Some(hist), Some(mean))
}

/// The prediction as the report shows it (None when withheld or not asked).
pub fn predicted(d: &DimensionReport) -> Option<PredictedFigure> {
    let p = d.predicted.as_ref()?;
    Some(PredictedFigure {
        mean: p.mean.filter(|_| !p.suppressed)?,
        n: p.n,
    })
}

/// The customers' score as the report shows it, with its t interval (None when withheld).
pub fn customer(g: &GroupStats) -> Option<CustomerFigure> {
    let mean = g.mean.filter(|_| !g.suppressed)?;
    let ci95 = match g.sd {
        Some(sd) if g.n >= 2 => {
            let n = g.n as f64;
            let half = crate::engine::t_quantile(0.975, n - 1.0) * sd / n.sqrt();
            half.is_finite().then_some([mean - half, mean + half])
        }
        _ => None,
    };
    Some(CustomerFigure { mean, ci95, n: g.n })
}

/// A reveal of one dimension from its guesses and its report row.
pub fn reveal(
    key: &str,
    values: &[i32],
    min: i32,
    max: i32,
    d: Option<&DimensionReport>,
) -> Reveal {
    let (guesses, distribution, guess_mean) = guesses_part(values, min, max);
    let (predicted, customer, withheld_reason) = match d {
        Some(d) => {
            let p = predicted(d);
            let c = customer(&d.customer);
            let reason = WithheldReason::first(
                c.is_none().then_some(d.customer.withheld_reason).flatten(),
                d.predicted
                    .as_ref()
                    .filter(|_| p.is_none())
                    .and_then(|g| g.withheld_reason),
            );
            (p, c, reason)
        }
        None => (None, None, None),
    };
    Reveal {
        dimension_key: key.to_string(),
        guesses,
        distribution,
        guess_mean,
        predicted,
        customer,
        withheld_reason,
    }
}

/// One dimension of the closing view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ClosingRow {
    pub dimension_key: String,
    pub guess_mean: f64,
    pub predicted_mean: Option<f64>,
    pub customer_mean: f64,
}

/// The closing view: the live guesses against the customers beside the survey's prediction,
/// over the dimensions with at least three guesses and a shown customer figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Closing {
    /// The dimensions compared (at least three guesses, a shown customer score).
    pub dimensions_used: u64,
    /// Mean over those of |guess mean − customer mean|; null when there are none.
    pub live_mae: Option<f64>,
    /// Mean |predicted − customer| over those of them with a shown prediction.
    pub survey_mae: Option<f64>,
    /// How many dimensions `survey_mae` covers.
    pub survey_dimensions_used: u64,
    pub dimensions: Vec<ClosingRow>,
    /// The report's knowledge figures of the scope (the survey prediction over every
    /// dimension), where the report gives them.
    pub knowledge: Option<Knowledge>,
}

/// The closing view of the reveals so far.
pub fn closing(reveals: &[Reveal], knowledge: Option<Knowledge>) -> Closing {
    let rows: Vec<ClosingRow> = reveals
        .iter()
        .filter(|r| r.guesses >= MIN_GUESSES as u64)
        .filter_map(|r| {
            Some(ClosingRow {
                dimension_key: r.dimension_key.clone(),
                guess_mean: r.guess_mean?,
                predicted_mean: r.predicted.as_ref().map(|p| p.mean),
                customer_mean: r.customer.as_ref()?.mean,
            })
        })
        .collect();
    let mae = |xs: &[f64]| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    let live: Vec<f64> = rows
        .iter()
        .map(|r| (r.guess_mean - r.customer_mean).abs())
        .collect();
    let survey: Vec<f64> = rows
        .iter()
        .filter_map(|r| Some((r.predicted_mean? - r.customer_mean).abs()))
        .collect();
    Closing {
        dimensions_used: rows.len() as u64,
        live_mae: mae(&live),
        survey_mae: mae(&survey),
        survey_dimensions_used: survey.len() as u64,
        dimensions: rows,
        knowledge,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_three_guesses_only_the_count() {
        assert_eq!(guesses_part(&[3, 4], 1, 5), (2, None, None));
        assert_eq!(
            guesses_part(&[3, 4, 4], 1, 5),
            (3, Some(vec![0, 0, 1, 2, 0]), Some(11.0 / 3.0))
        );
    }

    #[test]
    fn the_customer_interval_is_a_t_interval() {
        let g = GroupStats {
            n: 5,
            dont_know: 0,
            mean: Some(7.0),
            sd: Some(1.0),
            histogram: None,
            suppressed: false,
            withheld_reason: None,
        };
        let c = customer(&g).unwrap();
        // t(0.975, 4) = 2.776445105...
        let half = 2.776_445_105_197_793 / 5f64.sqrt();
        let [lo, hi] = c.ci95.unwrap();
        assert!((lo - (7.0 - half)).abs() < 1e-9 && (hi - (7.0 + half)).abs() < 1e-9);
        let withheld = GroupStats {
            mean: None,
            sd: None,
            suppressed: true,
            withheld_reason: Some(WithheldReason::BelowThreshold),
            ..g
        };
        assert_eq!(customer(&withheld), None);
    }

    #[test]
    fn the_closing_compares_dimensions_with_three_guesses_and_a_customer_score() {
        let r = |k: &str, n: u64, m: Option<f64>, p: Option<f64>, c: Option<f64>| Reveal {
            dimension_key: k.into(),
            guesses: n,
            distribution: None,
            guess_mean: m,
            predicted: p.map(|mean| PredictedFigure { mean, n: 5 }),
            customer: c.map(|mean| CustomerFigure {
                mean,
                ci95: None,
                n: 5,
            }),
            withheld_reason: None,
        };
        let c = closing(
            &[
                r("a", 4, Some(7.0), Some(8.0), Some(6.0)),
                r("b", 3, Some(5.0), None, Some(6.0)),
                r("c", 2, None, Some(8.0), Some(6.0)),
                r("d", 5, Some(5.0), Some(8.0), None),
            ],
            None,
        );
        assert_eq!(c.dimensions_used, 2);
        assert_eq!(c.live_mae, Some(1.0));
        assert_eq!(c.survey_mae, Some(2.0));
        assert_eq!(c.survey_dimensions_used, 1);
    }
}
