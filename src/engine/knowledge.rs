//! "How well the team knows its customers" (SPEC revision 3): how close the employees'
//! predictions of the customer scores come to what customers said, over the set D of
//! dimensions where the report shows both the `predicted` and the `customer` group.
//!
//! bias, mae, accuracy, Spearman's rank correlation, whether the customers' lowest-rated
//! dimension was among the two lowest predictions, and the skill of predicting over projecting
//! one's self-rating; the uncertainty of bias, mae and skill by the two-sample delete-one
//! jackknife over the respondents. The jackknife takes each respondent's answers
//! (`KnowledgeAnswers`); a leave-one-out value subtracts that respondent's answers from the
//! per-dimension sums (O(respondents × |D|)), it does not recount.
//!
//! Deterministic: the means come from exact integer sums, every sum over dimensions runs in
//! dimension order, and the leave-one-out values are sorted before they are summed, so the
//! same answers give the same bits in whatever order the respondents are listed.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::exact::cmp_means;
use super::model::Respondents;

mod memo;
mod sums;
pub use memo::KnowledgeMemo;
use sums::jackknife_se;

/// z of the jackknife interval (SPEC: the literal 1.96).
const Z: f64 = 1.96;

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

/// The numeric answers of every respondent of the scope, for the jackknife. The caller gives
/// only answers in cells the report includes (in an organisation report: not the cells left
/// out below the threshold), and only numeric answers (don't-knows are left out). Per
/// dimension and kind the answers must add up to the report's histograms: where they do not,
/// the report has no `knowledge` (see `compare`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnowledgeAnswers {
    /// One entry per employee response.
    pub employees: Vec<EmployeeAnswers>,
    /// One entry per customer response.
    pub customers: Vec<CustomerAnswers>,
}

/// One employee's answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmployeeAnswers {
    pub answers: Vec<EmployeeAnswer>,
}

/// One employee's numeric answers on one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmployeeAnswer {
    /// Index into `ReportInput::dimensions`.
    pub dimension: usize,
    pub self_rating: Option<i32>,
    pub predicted: Option<i32>,
}

/// One customer's answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerAnswers {
    pub answers: Vec<CustomerAnswer>,
}

/// One customer's numeric `perceived` answer on one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerAnswer {
    /// Index into `ReportInput::dimensions`.
    pub dimension: usize,
    pub perceived: i32,
}

/// What the report shows of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnowledgeDimension {
    /// Both the `predicted` and the `customer` group are shown: the dimension is in D.
    pub in_d: bool,
    /// The employees' `self` group is shown (skill's sums run over these dimensions of D).
    pub self_shown: bool,
}

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

/// One value per jackknifed statistic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KnowledgeSe {
    pub bias: Option<f64>,
    pub mae: Option<f64>,
    pub skill: Option<f64>,
}

/// θ ± 1.96 · se per jackknifed statistic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KnowledgeCi {
    pub bias: Option<[f64; 2]>,
    pub mae: Option<[f64; 2]>,
    pub skill: Option<[f64; 2]>,
}

/// How well the team knows its customers (SPEC revision 3), over the set D of dimensions
/// where the report shows both the employees' prediction and the customers' score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Knowledge {
    /// |D| (at least 3).
    pub dimensions_used: u64,
    /// Mean over D of (predicted − customer): above 0 the team thinks customers are more
    /// positive than they are.
    pub bias: f64,
    /// Mean over D of |predicted − customer|.
    pub mae: f64,
    /// 1 − mae / (scale_max − scale_min).
    pub accuracy: f64,
    /// Spearman's ρ of predicted and customer means over D (average ranks for ties); null
    /// when |D| < 4 or either side has no spread.
    pub rank_correlation: Option<f64>,
    /// Some dimension with the lowest customer mean has a predicted mean at or below the
    /// second smallest predicted mean (counted with repetition).
    pub lowest_hit: bool,
    /// 1 − Σ(P − C)² / Σ(S − C)² over the dimensions of D whose self group is shown; null
    /// when there are none or the denominator is 0.
    pub skill: Option<f64>,
    /// Two-sample delete-one jackknife; null where a leave-one-out value is undefined.
    pub se: KnowledgeSe,
    pub ci95: KnowledgeCi,
    /// Employees with a numeric `self` or `predicted` answer in D, customers with a numeric
    /// `perceived` answer in D.
    pub respondents: Respondents,
}

/// Change of the knowledge between consecutive waves of the trend: mae₂ − mae₁,
/// se = √(se₁² + se₂²), two-sided normal p. se null when either wave's se is; p null then and
/// where se = 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KnowledgeChange {
    pub mae: f64,
    pub se: Option<f64>,
    pub p_value: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------------

/// n and Σx of one cell, exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub n: i128,
    pub sum: i128,
}

impl Tally {
    fn add(&mut self, v: i32) {
        self.n += 1;
        self.sum += i128::from(v);
    }

    /// This tally with `less` taken out.
    fn less(self, less: Tally) -> Tally {
        Tally {
            n: self.n - less.n,
            sum: self.sum - less.sum,
        }
    }

    /// The mean with `less` taken out (None when nothing is left). Converted through i64 where
    /// the figures fit (always, in practice): the same rounding as from i128, without the
    /// software conversion that cost a quarter of the jackknife.
    fn mean_without(&self, less: Tally) -> Option<f64> {
        let (n, sum) = (self.n - less.n, self.sum - less.sum);
        if n <= 0 {
            return None;
        }
        Some(match (i64::try_from(sum), i64::try_from(n)) {
            (Ok(s), Ok(n)) => s as f64 / n as f64,
            _ => sum as f64 / n as f64,
        })
    }
}

/// Per dimension the exact tallies of the three kinds, over all the answers given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tallies {
    pub predicted: Vec<Tally>,
    pub self_rating: Vec<Tally>,
    pub perceived: Vec<Tally>,
}

impl Tallies {
    /// Answers on dimensions ≥ `dims` are ignored.
    pub fn of(answers: &KnowledgeAnswers, dims: usize) -> Tallies {
        let mut t = Tallies {
            predicted: vec![Tally::default(); dims],
            self_rating: vec![Tally::default(); dims],
            perceived: vec![Tally::default(); dims],
        };
        for e in &answers.employees {
            for a in &e.answers {
                if a.dimension < dims {
                    if let Some(v) = a.predicted {
                        t.predicted[a.dimension].add(v);
                    }
                    if let Some(v) = a.self_rating {
                        t.self_rating[a.dimension].add(v);
                    }
                }
            }
        }
        for c in &answers.customers {
            for a in &c.answers {
                if a.dimension < dims {
                    t.perceived[a.dimension].add(a.perceived);
                }
            }
        }
        t
    }
}

/// The three statistics the jackknife recomputes, from per-dimension means.
struct Means<'a> {
    /// Dimensions of D, in report order.
    d: &'a [usize],
    /// Dimensions of D whose self group is shown (skill's sums).
    ds: &'a [usize],
}

impl Means<'_> {
    /// (bias, mae) from P and C indexed by dimension.
    fn bias_mae(&self, p: &[f64], c: &[f64]) -> (f64, f64) {
        let m = self.d.len() as f64;
        let (mut bias, mut mae) = (0.0, 0.0);
        for &k in self.d {
            let diff = p[k] - c[k];
            bias += diff;
            mae += diff.abs();
        }
        (bias / m, mae / m)
    }

    /// skill from P, S, C; None when there are no dimensions or the denominator is 0.
    /// `s_eq_c(k)`: whether S_k = C_k exactly (a zero denominator is decided exactly).
    fn skill(
        &self,
        p: &[f64],
        s: &[f64],
        c: &[f64],
        s_eq_c: impl Fn(usize) -> bool,
    ) -> Option<f64> {
        if self.ds.is_empty() || self.ds.iter().all(|&k| s_eq_c(k)) {
            return None;
        }
        let (mut num, mut den) = (0.0, 0.0);
        for &k in self.ds {
            num += (p[k] - c[k]).powi(2);
            den += (s[k] - c[k]).powi(2);
        }
        (den > 0.0).then(|| 1.0 - num / den)
    }
}

/// The leave-one-out values of each statistic, per group (None: undefined).
#[derive(Default)]
struct Loo {
    bias_e: Vec<Option<f64>>,
    mae_e: Vec<Option<f64>>,
    skill_e: Vec<Option<f64>>,
    bias_c: Vec<Option<f64>>,
    mae_c: Vec<Option<f64>>,
    skill_c: Vec<Option<f64>>,
}

fn interval(theta: f64, se: Option<f64>) -> Option<[f64; 2]> {
    se.map(|se| [theta - Z * se, theta + Z * se])
}

/// Average ranks (doubled, so they are integers) of `values` compared by `cmp`.
fn doubled_ranks(n: usize, cmp: impl Fn(usize, usize) -> Ordering) -> Vec<i128> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    let mut ranks = vec![0i128; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && cmp(order[j + 1], order[i]) == Ordering::Equal {
            j += 1;
        }
        // Positions i..=j share the rank ((i + 1) + (j + 1)) / 2; doubled: i + j + 2.
        for &idx in &order[i..=j] {
            ranks[idx] = (i + j + 2) as i128;
        }
        i = j + 1;
    }
    ranks
}

/// Pearson's r of two integer sequences (None without spread on either side).
fn pearson_int(u: &[i128], v: &[i128]) -> Option<f64> {
    let n = u.len() as i128;
    let su: i128 = u.iter().sum();
    let sv: i128 = v.iter().sum();
    let suu: i128 = u.iter().map(|x| x * x).sum();
    let svv: i128 = v.iter().map(|x| x * x).sum();
    let suv: i128 = u.iter().zip(v).map(|(x, y)| x * y).sum();
    let a = n * suu - su * su;
    let b = n * svv - sv * sv;
    if a == 0 || b == 0 {
        return None;
    }
    let num = n * suv - su * sv;
    Some((num as f64 / ((a as f64) * (b as f64)).sqrt()).clamp(-1.0, 1.0))
}

/// The knowledge figures, or None when |D| < 3 (or a cell of D has no answers).
/// `scale_range` = scale_max − scale_min.
pub fn knowledge(
    dims: &[KnowledgeDimension],
    answers: &KnowledgeAnswers,
    scale_range: i32,
) -> Option<Knowledge> {
    knowledge_with(
        dims,
        answers,
        &Tallies::of(answers, dims.len()),
        scale_range,
    )
}

/// [`knowledge`] with the answers' tallies (`Tallies::of(answers, dims.len())`) given.
pub(crate) fn knowledge_with(
    dims: &[KnowledgeDimension],
    answers: &KnowledgeAnswers,
    tallies: &Tallies,
    scale_range: i32,
) -> Option<Knowledge> {
    let nd = dims.len();
    let d: Vec<usize> = (0..nd).filter(|&k| dims[k].in_d).collect();
    if d.len() < 3 || scale_range <= 0 {
        return None;
    }
    if d.iter()
        .any(|&k| tallies.predicted[k].n == 0 || tallies.perceived[k].n == 0)
    {
        return None;
    }
    let ds: Vec<usize> = d
        .iter()
        .copied()
        .filter(|&k| dims[k].self_shown && tallies.self_rating[k].n > 0)
        .collect();
    let in_d: Vec<bool> = (0..nd).map(|k| dims[k].in_d).collect();
    let in_ds: Vec<bool> = (0..nd).map(|k| ds.contains(&k)).collect();
    let means = Means { d: &d, ds: &ds };

    let none = Tally::default();
    let mean_of = |t: &[Tally]| -> Vec<f64> {
        t.iter()
            .map(|x| x.mean_without(none).unwrap_or(f64::NAN))
            .collect()
    };
    let (p, s, c) = (
        mean_of(&tallies.predicted),
        mean_of(&tallies.self_rating),
        mean_of(&tallies.perceived),
    );
    let exact_eq = |a: Tally, b: Tally| cmp_means(a.sum, a.n, b.sum, b.n) == Ordering::Equal;

    let (bias, mae) = means.bias_mae(&p, &c);
    let skill = means.skill(&p, &s, &c, |k| {
        exact_eq(tallies.self_rating[k], tallies.perceived[k])
    });

    // Spearman over D, ranks decided on the exact means.
    let pt: Vec<Tally> = d.iter().map(|&k| tallies.predicted[k]).collect();
    let ct: Vec<Tally> = d.iter().map(|&k| tallies.perceived[k]).collect();
    let by = |t: &[Tally]| {
        let t = t.to_vec();
        move |a: usize, b: usize| cmp_means(t[a].sum, t[a].n, t[b].sum, t[b].n)
    };
    let rank_correlation = if d.len() >= 4 {
        pearson_int(
            &doubled_ranks(d.len(), by(&pt)),
            &doubled_ranks(d.len(), by(&ct)),
        )
    } else {
        None
    };

    // The customers' lowest dimension(s) against the second smallest prediction.
    let cmp_p = by(&pt);
    let cmp_c = by(&ct);
    let mut p_order: Vec<usize> = (0..d.len()).collect();
    p_order.sort_by(|&a, &b| cmp_p(a, b));
    let second = p_order[1];
    let lowest_c = (0..d.len())
        .min_by(|&a, &b| cmp_c(a, b))
        .unwrap_or_default();
    let lowest_hit = (0..d.len())
        .any(|i| cmp_c(i, lowest_c) == Ordering::Equal && cmp_p(i, second) != Ordering::Greater);

    // The jackknife. Employees used by bias/mae: a predicted answer in D; by skill: a
    // predicted or self answer in a dimension of skill's sums. Customers likewise. A
    // leave-one-out value is undefined where taking the respondent out empties a cell the
    // statistic reads.
    let skill_cell = |self_t: Tally, perceived_t: Tally| {
        self_t.n > 0 && perceived_t.n > 0 && exact_eq(self_t, perceived_t)
    };
    let (ne, nc) = (answers.employees.len(), answers.customers.len());
    let mut loo = Loo {
        bias_e: Vec::with_capacity(ne),
        mae_e: Vec::with_capacity(ne),
        skill_e: Vec::with_capacity(ne),
        bias_c: Vec::with_capacity(nc),
        mae_c: Vec::with_capacity(nc),
        skill_c: Vec::with_capacity(nc),
    };
    let mut respondents_e = 0u64;
    let mut less_p = vec![none; nd];
    let mut less_s = vec![none; nd];
    let (mut pj, mut sj) = (p.clone(), s.clone());
    let mut touched: Vec<usize> = Vec::with_capacity(2 * nd);
    for e in &answers.employees {
        let (mut uses_p, mut uses_skill) = (false, false);
        touched.clear();
        for a in e
            .answers
            .iter()
            .filter(|a| a.dimension < nd && in_d[a.dimension])
        {
            let k = a.dimension;
            if let Some(v) = a.predicted {
                less_p[k].add(v);
                uses_p = true;
                uses_skill |= in_ds[k];
                touched.push(k);
            }
            if let Some(v) = a.self_rating {
                less_s[k].add(v);
                uses_skill |= in_ds[k];
                touched.push(k);
            }
        }
        if touched.is_empty() {
            continue;
        }
        respondents_e += 1;
        let (mut ok_d, mut ok_ds) = (true, true);
        for &k in &touched {
            match tallies.predicted[k].mean_without(less_p[k]) {
                Some(x) => pj[k] = x,
                None => {
                    ok_d = false;
                    ok_ds &= !in_ds[k];
                }
            }
            if in_ds[k] {
                match tallies.self_rating[k].mean_without(less_s[k]) {
                    Some(x) => sj[k] = x,
                    None => ok_ds = false,
                }
            }
        }
        if uses_p {
            let (b, m) = means.bias_mae(&pj, &c);
            loo.bias_e.push(ok_d.then_some(b));
            loo.mae_e.push(ok_d.then_some(m));
        }
        if uses_skill && skill.is_some() {
            let sk = ok_ds
                .then(|| {
                    means.skill(&pj, &sj, &c, |k| {
                        skill_cell(tallies.self_rating[k].less(less_s[k]), tallies.perceived[k])
                    })
                })
                .flatten();
            loo.skill_e.push(sk);
        }
        for &k in &touched {
            pj[k] = p[k];
            sj[k] = s[k];
            less_p[k] = none;
            less_s[k] = none;
        }
    }

    let mut respondents_c = 0u64;
    let mut less_c = vec![none; nd];
    let mut cj = c.clone();
    for cu in &answers.customers {
        let mut uses_skill = false;
        touched.clear();
        for a in cu
            .answers
            .iter()
            .filter(|a| a.dimension < nd && in_d[a.dimension])
        {
            less_c[a.dimension].add(a.perceived);
            uses_skill |= in_ds[a.dimension];
            touched.push(a.dimension);
        }
        if touched.is_empty() {
            continue;
        }
        respondents_c += 1;
        let (mut ok_d, mut ok_ds) = (true, true);
        for &k in &touched {
            match tallies.perceived[k].mean_without(less_c[k]) {
                Some(x) => cj[k] = x,
                None => {
                    ok_d = false;
                    ok_ds &= !in_ds[k];
                }
            }
        }
        let (b, m) = means.bias_mae(&p, &cj);
        loo.bias_c.push(ok_d.then_some(b));
        loo.mae_c.push(ok_d.then_some(m));
        if uses_skill && skill.is_some() {
            let sk = ok_ds
                .then(|| {
                    means.skill(&p, &s, &cj, |k| {
                        skill_cell(tallies.self_rating[k], tallies.perceived[k].less(less_c[k]))
                    })
                })
                .flatten();
            loo.skill_c.push(sk);
        }
        for &k in &touched {
            cj[k] = c[k];
            less_c[k] = none;
        }
    }

    let se_bias = jackknife_se(&loo.bias_e, &loo.bias_c);
    let se_mae = jackknife_se(&loo.mae_e, &loo.mae_c);
    let se_skill = skill.and_then(|_| jackknife_se(&loo.skill_e, &loo.skill_c));
    Some(Knowledge {
        dimensions_used: d.len() as u64,
        bias,
        mae,
        accuracy: 1.0 - mae / f64::from(scale_range),
        rank_correlation,
        lowest_hit,
        skill,
        se: KnowledgeSe {
            bias: se_bias,
            mae: se_mae,
            skill: se_skill,
        },
        ci95: KnowledgeCi {
            bias: interval(bias, se_bias),
            mae: interval(mae, se_mae),
            skill: skill.and_then(|k| interval(k, se_skill)),
        },
        respondents: Respondents {
            employee: respondents_e,
            customer: respondents_c,
        },
    })
}

/// The change of the knowledge between two consecutive waves.
pub fn knowledge_change(first: &Knowledge, second: &Knowledge) -> KnowledgeChange {
    let mae = second.mae - first.mae;
    let se = match (first.se.mae, second.se.mae) {
        (Some(a), Some(b)) => Some((a * a + b * b).sqrt()),
        _ => None,
    };
    let p_value = se.filter(|&se| se > 0.0).map(|se| {
        let z = (mae / se).abs();
        statrs::function::erf::erfc(z / std::f64::consts::SQRT_2).min(1.0)
    });
    KnowledgeChange { mae, se, p_value }
}
