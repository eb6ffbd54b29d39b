//! The stratified (within-team) gap of the organisation scope: each team's Welch gap, weighted
//! by n_e·n_c / (n_e + n_c), so teams with different mixes of employees and customers cannot
//! manufacture an organisation-wide gap (Simpson's paradox).

use super::input::{Materiality, Moments, StratumInput};
use super::model::{StratifiedGap, WithheldReason};
use super::stats::{t_quantile, t_two_sided_p, welch};

/// One used team: its weight, Welch gap, se and df, and its exact sums for the warning.
struct TeamGap {
    weight: f64,
    gap: f64,
    se: f64,
    df: f64,
    employee: Moments,
    customer: Moments,
}

/// The stratified gap of dimension `key` over `strata`, or None when no team has both groups
/// at or above the threshold. `organisation`: the scope's own employee and customer moments
/// when both are visible (for `composition_warning`).
#[allow(clippy::too_many_arguments)]
pub fn stratified_gap(
    key: &str,
    strata: &[StratumInput],
    scale_min: i32,
    min_group_size: u64,
    alpha: f64,
    materiality: Materiality,
    organisation: Option<(&Moments, &Moments)>,
    withheld: Option<WithheldReason>,
) -> Option<StratifiedGap> {
    let threshold = min_group_size.max(1);
    let used: Vec<TeamGap> = strata
        .iter()
        .filter_map(|s| s.dimensions.iter().find(|d| d.key == key))
        .filter_map(|d| {
            let employee = Moments::of_histogram(&d.employee, scale_min);
            let customer = Moments::of_histogram(&d.customer, scale_min);
            if employee.n < threshold || customer.n < threshold {
                return None;
            }
            let g = welch(&employee, &customer, alpha)?;
            let (ne, nc) = (employee.n as f64, customer.n as f64);
            Some(TeamGap {
                weight: ne * nc / (ne + nc),
                gap: g.value,
                se: g.se,
                // A team without spread contributes no df term (its se is 0); SPEC gives it
                // n_e + n_c − 2 so the formula stays defined.
                df: g.df.unwrap_or(ne + nc - 2.0),
                employee,
                customer,
            })
        })
        .collect();
    if used.is_empty() {
        return None;
    }
    if withheld.is_some() {
        // Only the counts: the value's weights differ from the plain means, so with the
        // reader's own team subtracted it could single out one other team.
        return Some(StratifiedGap {
            value: None,
            se: None,
            df: None,
            ci95: None,
            p_value: None,
            teams_used: used.len() as u64,
            teams_left_out: (strata.len() - used.len()) as u64,
            composition_warning: None,
            withheld_reason: withheld,
        });
    }
    let total: f64 = used.iter().map(|t| t.weight).sum();
    let value = used.iter().map(|t| t.weight * t.gap).sum::<f64>() / total;
    let se = used
        .iter()
        .map(|t| t.weight * t.weight * t.se * t.se)
        .sum::<f64>()
        .sqrt()
        / total;
    let (df, ci95, p_value) = if se > 0.0 {
        let denominator: f64 = used
            .iter()
            .map(|t| (t.weight / total).powi(4) * t.se.powi(4) / t.df)
            .sum();
        let df = se.powi(4) / denominator;
        let half = t_quantile(0.975, df) * se;
        (
            Some(df),
            [value - half, value + half],
            Some(t_two_sided_p(value, se, df)),
        )
    } else {
        (None, [value, value], None)
    };
    let composition_warning = organisation
        .map(|(e, c)| composition_differs(e, c, &used, value, materiality))
        .unwrap_or(false);
    Some(StratifiedGap {
        value: Some(value),
        se: Some(se),
        df,
        ci95: Some(ci95),
        p_value,
        teams_used: used.len() as u64,
        teams_left_out: (strata.len() - used.len()) as u64,
        composition_warning: organisation.is_some().then_some(composition_warning),
        withheld_reason: None,
    })
}

/// |organisation gap − stratified value| ≥ materiality, decided in exact fractions
/// (falling back to floating point only if the fractions outgrow 128 bits).
fn composition_differs(
    e: &Moments,
    c: &Moments,
    used: &[TeamGap],
    value: f64,
    materiality: Materiality,
) -> bool {
    let exact = || -> Option<bool> {
        // w_t·gap_t = (n_c·Σe − n_e·Σc) / (n_e + n_c); w_t = n_e·n_c / (n_e + n_c).
        let mut weighted = Ratio::ZERO;
        let mut weights = Ratio::ZERO;
        for t in used {
            let (ne, nc) = (i128::from(t.employee.n), i128::from(t.customer.n));
            let diff = nc
                .checked_mul(t.employee.sum)?
                .checked_sub(ne.checked_mul(t.customer.sum)?)?;
            weighted = weighted.add(Ratio::new(diff, ne + nc)?)?;
            weights = weights.add(Ratio::new(ne.checked_mul(nc)?, ne + nc)?)?;
        }
        let stratified = weighted.div(weights)?;
        let (ne, nc) = (i128::from(e.n), i128::from(c.n));
        let organisation = Ratio::new(
            nc.checked_mul(e.sum)?.checked_sub(ne.checked_mul(c.sum)?)?,
            ne.checked_mul(nc)?,
        )?;
        let d = organisation.sub(stratified)?;
        // |d.num / d.den| ≥ m / 10000  ⇔  10000·|d.num| ≥ m·d.den
        Some(
            d.num.checked_abs()?.checked_mul(10_000)?
                >= materiality.ten_thousandths().checked_mul(d.den)?,
        )
    };
    exact().unwrap_or_else(|| {
        let gap = e.mean().unwrap_or(0.0) - c.mean().unwrap_or(0.0);
        (gap - value).abs() >= materiality.value()
    })
}

/// A reduced fraction with a positive denominator; every operation is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

impl Ratio {
    const ZERO: Ratio = Ratio { num: 0, den: 1 };

    fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Some(Ratio {
            num: sign * (num / g),
            den: sign * (den / g),
        })
    }

    fn add(self, o: Ratio) -> Option<Ratio> {
        let g = gcd(self.den, o.den).max(1);
        let (a, b) = (self.den / g, o.den / g);
        Ratio::new(
            self.num
                .checked_mul(b)?
                .checked_add(o.num.checked_mul(a)?)?,
            self.den.checked_mul(b)?,
        )
    }

    fn sub(self, o: Ratio) -> Option<Ratio> {
        self.add(Ratio {
            num: o.num.checked_neg()?,
            den: o.den,
        })
    }

    fn div(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(o.den)?, self.den.checked_mul(o.num)?)
    }
}
