//! The statistics, all on sufficient statistics (n, Σx, Σx², counts): Welch's test with its
//! interval, Hedges' g and minimum detectable difference; the exact permutation p where neither
//! group varies; the paired t-test with the exact sign-flip p; Holm's adjustment; the
//! equivalence (TOST) interval; NPS with its interval.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::input::{Moments, PairedSums};
use super::model::{Gap, Nps, PairedTest, WithheldReason};

/// Power the minimum detectable difference is computed for.
const MDD_POWER: f64 = 0.80;
/// z for the NPS interval (SPEC: 1.96).
const NPS_Z: f64 = 1.96;

fn student(df: f64) -> Option<StudentsT> {
    StudentsT::new(0.0, 1.0, df).ok()
}

/// The p-quantile of Student's t with `df` degrees of freedom (NaN if df or p is invalid).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    match student(df) {
        Some(t) if p > 0.0 && p < 1.0 => t.inverse_cdf(p),
        _ => f64::NAN,
    }
}

/// Two-sided p of `estimate / se` (se > 0) under Student's t with `df` degrees of freedom.
pub fn t_two_sided_p(estimate: f64, se: f64, df: f64) -> f64 {
    match student(df) {
        Some(t) => (2.0 * t.sf((estimate / se).abs())).min(1.0),
        None => f64::NAN,
    }
}

/// estimate ± t₀.₉₇₅,df · se.
fn ci95(estimate: f64, se: f64, df: f64) -> [f64; 2] {
    let half = t_quantile(0.975, df) * se;
    [estimate - half, estimate + half]
}

/// Binomial coefficient C(n, k) as a float (exact while below 2⁵³; +∞ past f64's range).
pub fn binomial(n: u64, k: u64) -> f64 {
    let k = k.min(n.saturating_sub(k));
    let mut c = 1.0_f64;
    for i in 1..=k {
        // c · (n − k + i) / i stays a whole number at every step.
        c = c * (n - k + i) as f64 / i as f64;
        if c.is_infinite() {
            break;
        }
    }
    c
}

/// Exact two-sided permutation p of mean(a) − mean(b) when neither group varies (se = 0):
/// 1 if the means are equal, else k / C(n_a + n_b, n_a) with k = 2 when n_a = n_b (the swapped
/// split is as extreme) and k = 1 otherwise. Only the observed split (and for equal sizes its
/// mirror) puts all the high values in one group.
pub fn permutation_p(a: &Moments, b: &Moments) -> f64 {
    let equal_means = i128::from(b.n) * a.sum == i128::from(a.n) * b.sum;
    if equal_means {
        return 1.0;
    }
    let k = if a.n == b.n { 2.0 } else { 1.0 };
    (k / binomial(a.n + b.n, a.n)).min(1.0)
}

/// Exact two-sided sign-flip p for n paired differences that are all the same non-zero
/// value: of the 2ⁿ sign patterns only all-plus and all-minus are as extreme, so 2 / 2ⁿ.
pub fn sign_flip_p(n: u64) -> f64 {
    (1.0 - n as f64).exp2().min(1.0)
}

/// Welch's comparison of group a minus group b (both with n ≥ 2); `alpha` for the mdd.
/// `p_adjusted` is the raw p here (a family of one); `compare` adjusts it over the report.
pub fn welch(a: &Moments, b: &Moments, alpha: f64) -> Option<Gap> {
    if a.n < 2 || b.n < 2 {
        return None;
    }
    let (m1, m2) = (a.mean()?, b.mean()?);
    let (s1, s2) = (a.variance()?, b.variance()?);
    let (n1, n2) = (a.n as f64, b.n as f64);
    let gap = m1 - m2;
    let (v1, v2) = (s1 / n1, s2 / n2);
    let se = (v1 + v2).sqrt();
    let pooled = (((n1 - 1.0) * s1 + (n2 - 1.0) * s2) / (n1 + n2 - 2.0)).sqrt();
    let hedges_g = (pooled > 0.0).then(|| gap / pooled * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)));
    let (df, ci95, p_value, mdd) = if se > 0.0 {
        let df = (v1 + v2).powi(2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
        let mdd = (t_quantile(1.0 - alpha / 2.0, df) + t_quantile(MDD_POWER, df)) * se;
        (
            Some(df),
            ci95(gap, se, df),
            t_two_sided_p(gap, se, df),
            Some(mdd),
        )
    } else {
        (None, [gap, gap], permutation_p(a, b), None)
    };
    Some(Gap {
        value: gap,
        se,
        df,
        ci95,
        p_value,
        p_adjusted: p_value,
        hedges_g,
        mdd,
    })
}

/// Paired t-test of the mean difference (perceived − expected), df = n − 1. Where every
/// difference is the same: p = 1 if it is 0, else the exact sign-flip p.
/// `pairs_left_out` is 0 here; `compare` fills it in from the input.
pub fn paired(d: &PairedSums) -> Option<PairedTest> {
    if d.n < 2 {
        return None;
    }
    let mean = d.mean()?;
    let se = (d.variance()? / d.n as f64).sqrt();
    let (ci95, p_value) = if se > 0.0 {
        let df = d.n as f64 - 1.0;
        (ci95(mean, se, df), t_two_sided_p(mean, se, df))
    } else if d.sum == 0 {
        ([mean, mean], 1.0)
    } else {
        ([mean, mean], sign_flip_p(d.n))
    };
    Some(PairedTest {
        value: mean,
        ci95,
        p_value,
        se,
        n: d.n,
    })
}

/// Holm's step-down adjustment, returned in the order given: sort ascending,
/// p₍ᵢ₎ → max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let mut adjusted = vec![0.0; m];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// The (1 − 2α) interval gap ± t₁₋α,df · se of the two one-sided tests (se > 0).
pub fn equivalence_interval(gap: &Gap, alpha: f64) -> Option<[f64; 2]> {
    let df = gap.df?;
    let half = t_quantile(1.0 - alpha, df) * gap.se;
    Some([gap.value - half, gap.value + half])
}

pub fn nps(
    counts: &[u64; 11],
    min_group_size: u64,
    withheld: Option<WithheldReason>,
) -> Option<Nps> {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    let reason = WithheldReason::first(
        withheld,
        (n < min_group_size).then_some(WithheldReason::BelowThreshold),
    );
    if reason.is_some() {
        return Some(Nps {
            score: None,
            promoters: None,
            passives: None,
            detractors: None,
            n,
            ci95: None,
            withheld_reason: reason,
        });
    }
    let promoters = counts[9] + counts[10];
    let passives = counts[7] + counts[8];
    let detractors: u64 = counts[..7].iter().sum();
    let nf = n as f64;
    let score = 100.0 * (promoters as f64 - detractors as f64) / nf;
    let (pp, pm) = (promoters as f64 / nf, detractors as f64 / nf);
    let half = NPS_Z * 100.0 * ((pp + pm - (pp - pm).powi(2)).max(0.0) / nf).sqrt();
    Some(Nps {
        score: Some(score),
        promoters: Some(promoters),
        passives: Some(passives),
        detractors: Some(detractors),
        n,
        ci95: Some([(score - half).max(-100.0), (score + half).min(100.0)]),
        withheld_reason: None,
    })
}
