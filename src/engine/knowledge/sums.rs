//! The jackknife's sums: the same whatever the order of the respondents.

/// The jackknife se from the leave-one-out values of the two groups (None when a value is
/// undefined). The sums do not depend on the order of the respondents ([`order_free_sum`]).
pub(super) fn jackknife_se(employees: &[Option<f64>], customers: &[Option<f64>]) -> Option<f64> {
    fn part(values: &[Option<f64>]) -> Option<f64> {
        let v: Vec<f64> = values.iter().copied().collect::<Option<Vec<f64>>>()?;
        if v.is_empty() {
            return Some(0.0);
        }
        let n = v.len() as f64;
        let mean = order_free_sum(&v, |x| x) / n;
        Some((n - 1.0) / n * order_free_sum(&v, |x| (x - mean).powi(2)))
    }
    Some((part(employees)? + part(customers)?).sqrt())
}

/// Σ f(x) over `values`, the same whatever their order: each term is rounded to a multiple of
/// 2^e and the multiples are added as integers (exactly), with e chosen from the largest term
/// and the count (which do not depend on the order) so that the sum cannot overflow and each
/// term keeps about 100 bits relative to the largest. Non-finite terms are added last, sorted.
/// Sorting every time cost more than the whole rest of the jackknife at 60 000 respondents.
fn order_free_sum(values: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let terms: Vec<f64> = values.iter().map(|&x| f(x)).collect();
    let largest = terms
        .iter()
        .filter(|t| t.is_finite())
        .fold(0.0f64, |m, t| m.max(t.abs()));
    let mut odd: Vec<f64> = terms.iter().copied().filter(|t| !t.is_finite()).collect();
    odd.sort_by(f64::total_cmp);
    let rest: f64 = odd.iter().sum();
    if largest == 0.0 {
        return rest;
    }
    // largest · 2^shift < 2^(125 − bits(n)): n such terms stay below 2^125.
    let count_bits = (usize::BITS - terms.len().leading_zeros()) as i32;
    let shift = (125 - count_bits - 1 - largest.log2().ceil() as i32).clamp(-1000, 1000);
    let scale = 2f64.powi(shift);
    let fixed: i128 = terms
        .iter()
        .filter(|t| t.is_finite())
        .map(|t| (t * scale).round() as i128)
        .sum();
    fixed as f64 / scale + rest
}
