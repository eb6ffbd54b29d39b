//! The statistics on sufficient statistics: Welch, paired t, NPS.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::input::{Moments, PairedSums};
use super::model::{ExpectationGap, Gap, Nps};

/// Two-sided p-value and 95 % interval for `estimate` with standard error `se` and
/// Student's t with `df` degrees of freedom. se = 0: p = 1 if the estimate is 0, else 0.
fn t_inference(estimate: f64, se: f64, df: f64) -> (f64, [f64; 2]) {
    if se == 0.0 || !se.is_finite() {
        let p = if estimate == 0.0 { 1.0 } else { 0.0 };
        return (p, [estimate, estimate]);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => {
            let stat = estimate / se;
            let p = (2.0 * t.sf(stat.abs())).min(1.0);
            let crit = t.inverse_cdf(0.975);
            (p, [estimate - crit * se, estimate + crit * se])
        }
        Err(_) => (f64::NAN, [f64::NAN, f64::NAN]),
    }
}

/// Welch's comparison of group a minus group b (both visible and with n ≥ 2).
pub fn welch(a: &Moments, b: &Moments) -> Option<Gap> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (m1, m2) = (a.mean()?, b.mean()?);
    let (s1, s2) = (a.variance()?, b.variance()?);
    let (n1, n2) = (a.n as f64, b.n as f64);
    let gap = m1 - m2;
    let (v1, v2) = (s1 / n1, s2 / n2);
    let se = (v1 + v2).sqrt();
    let df = if se > 0.0 {
        Some((v1 + v2).powi(2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0)))
    } else {
        None
    };
    let (p_value, ci95) = t_inference(gap, se, df.unwrap_or(f64::INFINITY));
    let pooled = (((n1 - 1.0) * s1 + (n2 - 1.0) * s2) / (n1 + n2 - 2.0)).sqrt();
    let hedges_g = (pooled > 0.0).then(|| gap / pooled * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)));
    Some(Gap {
        value: gap,
        ci95,
        p_value,
        hedges_g,
        se,
        df,
    })
}

/// Paired t-test of the mean difference (perceived − expected).
pub fn paired(d: &PairedSums) -> Option<ExpectationGap> {
    if d.n < 2 {
        return None;
    }
    let mean = d.mean()?;
    let se = (d.variance()? / d.n as f64).sqrt();
    let (p_value, ci95) = t_inference(mean, se, d.n as f64 - 1.0);
    Some(ExpectationGap {
        value: mean,
        ci95,
        p_value,
        n: d.n,
        se,
    })
}

pub fn nps(counts: &[u64; 11], min_group_size: u64) -> Option<Nps> {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    if n < min_group_size {
        return Some(Nps {
            score: None,
            promoters: None,
            passives: None,
            detractors: None,
            n,
        });
    }
    let promoters = counts[9] + counts[10];
    let passives = counts[7] + counts[8];
    let detractors: u64 = counts[..7].iter().sum();
    Some(Nps {
        score: Some(100.0 * (promoters as f64 - detractors as f64) / n as f64),
        promoters: Some(promoters),
        passives: Some(passives),
        detractors: Some(detractors),
        n,
    })
}
