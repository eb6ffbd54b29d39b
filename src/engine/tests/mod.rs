//! Engine tests: hand-computed values here, the scipy reference datasets in `reference`, the
//! false-alarm simulation (ignored; run with `--ignored`) in `simulation`.

use super::*;
use crate::domain::{SurveyId, TeamId};
use serde_json::Value;

mod knowledge;
mod reference;
mod simulation;

pub(super) fn moments(values: &[i64]) -> Moments {
    let mut m = Moments::default();
    for &v in values {
        m.n += 1;
        m.sum += i128::from(v);
        m.sum_sq += i128::from(v) * i128::from(v);
    }
    m
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

/// NPS answer counts from (answer, how many) pairs.
fn nps_counts(answers: &[(usize, u64)]) -> [u64; 11] {
    let mut c = [0u64; 11];
    for &(answer, n) in answers {
        c[answer] += n;
    }
    c
}

fn near(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        "{what}: {a} vs {b}"
    );
}

/// Every field of `want` (numbers to 1e-9 relative, or absolute below 1) equals `got`.
pub(super) fn check(got: &Value, want: &Value, path: &str) {
    match (got, want) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                "{path}: engine {x}, scipy {y}"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                check(p, q, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in y {
                let g = x.get(k).unwrap_or(&Value::Null);
                check(g, v, &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

/// Hand-checkable cases with values from scipy (tests/fixtures/reference/handcases.json).
#[test]
fn hand_cases_match_scipy() {
    let cases: Value = serde_json::from_str(include_str!(
        "../../../tests/fixtures/reference/handcases.json"
    ))
    .unwrap();
    for c in cases["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let got = match c["kind"].as_str().unwrap() {
            "welch" => serde_json::to_value(
                welch(
                    &moments(&ints(&c["self"])),
                    &moments(&ints(&c["perceived"])),
                    0.05,
                )
                .unwrap(),
            ),
            "paired" => {
                let p = ints(&c["perceived"]);
                let e = ints(&c["expected"]);
                let d: Vec<i64> = p.iter().zip(&e).map(|(a, b)| a - b).collect();
                serde_json::to_value(paired(&moments(&d)).unwrap())
            }
            "holm" => {
                let p: Vec<f64> = c["p_values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect();
                serde_json::to_value(holm(&p))
            }
            "nps" => {
                let counts: [u64; 11] = serde_json::from_value(c["counts"].clone()).unwrap();
                serde_json::to_value(nps(&counts, 5, None).unwrap())
            }
            "change" => {
                let first: Gap = serde_json::from_value(c["first"].clone()).unwrap();
                let second: Gap = serde_json::from_value(c["second"].clone()).unwrap();
                serde_json::to_value(gap_change("x", &first, &second))
            }
            other => panic!("unknown kind {other}"),
        }
        .unwrap();
        check(&got, &c["result"], name);
    }
}

#[test]
fn hand_computed_welch() {
    // self [7,8,9,8,8]: mean 8, s² = 0.5; perceived [6,7,6,5,6,7]: mean 37/6, s² = 17/30.
    let g = welch(
        &moments(&[7, 8, 9, 8, 8]),
        &moments(&[6, 7, 6, 5, 6, 7]),
        0.05,
    )
    .unwrap();
    near(g.value, 8.0 - 37.0 / 6.0, "gap");
    let se = (0.5 / 5.0 + (17.0 / 30.0) / 6.0_f64).sqrt();
    near(g.se, se, "se");
    let v1: f64 = 0.1;
    let v2: f64 = 17.0 / 180.0;
    near(
        g.df.unwrap(),
        (v1 + v2).powi(2) / (v1 * v1 / 4.0 + v2 * v2 / 5.0),
        "df",
    );
    near(g.p_value, 0.0025631232622938273, "p"); // scipy.stats.ttest_ind(equal_var=False)
}

#[test]
fn edge_cases() {
    // No answers, one answer: no statistics, no gap.
    assert_eq!(moments(&[]).mean(), None);
    assert_eq!(moments(&[7]).variance(), None);
    assert!(welch(&moments(&[7]), &moments(&[6, 7]), 0.05).is_none());
    // Zero variance with equal means: p = 1, ci = [0, 0], no Hedges' g.
    let g = welch(&moments(&[4, 4, 4]), &moments(&[4, 4]), 0.05).unwrap();
    assert_eq!(
        (g.value, g.p_value, g.ci95, g.hedges_g, g.df),
        (0.0, 1.0, [0.0, 0.0], None, None)
    );
    // Zero variance, different means (SPEC rev 2): the exact permutation p, 1 / C(5, 3), not 0.
    let g = welch(&moments(&[5, 5, 5]), &moments(&[3, 3]), 0.05).unwrap();
    assert_eq!((g.value, g.p_value, g.ci95), (2.0, 0.1, [2.0, 2.0]));
    assert_eq!((g.df, g.mdd), (None, None));
    // NPS: 2 promoters, 1 passive, 2 detractors of 5 → 0; below threshold → counts hidden.
    let c = nps_counts(&[(10, 1), (9, 1), (7, 1), (6, 1), (0, 1)]);
    let n = nps(&c, 5, None).unwrap();
    assert_eq!(
        (n.score, n.promoters, n.passives, n.detractors, n.n),
        (Some(0.0), Some(2), Some(1), Some(2), 5)
    );
    let n = nps(&c, 6, None).unwrap();
    assert_eq!((n.score, n.promoters, n.n), (None, None, 5));
    assert_eq!(nps(&[0; 11], 5, None), None);
}

/// A functional dimension with only the employees' `self` and the customers' `perceived`
/// answers.
pub(super) fn dimension(
    key: &str,
    label: &str,
    position: i32,
    employee: Histogram,
    customer: Histogram,
) -> DimensionInput {
    DimensionInput {
        key: key.into(),
        label: label.into(),
        category: Category::Functional,
        position,
        employee,
        predicted: None,
        customer,
        expected: None,
        paired: Moments::default(),
        paired_withheld: None,
        perceived_only: 0,
        expected_only: 0,
        importance: None,
        nps_perceived: NpsPerceived::default(),
    }
}

/// A published report of team 1 on 1–10 (threshold 5, alpha 0.05, the default materiality)
/// without NPS answers, strata or knowledge answers; tests change the fields they need.
pub(super) fn report_input(
    respondents: (u64, u64),
    dimensions: Vec<DimensionInput>,
) -> ReportInput {
    ReportInput {
        survey_id: SurveyId(1),
        wave_id: None,
        team_id: Some(TeamId(1)),
        scale_min: 1,
        scale_max: 10,
        min_group_size: 5,
        alpha: 0.05,
        materiality: default_materiality(1, 10),
        published: true,
        excluded_cells: 0,
        respondents: Respondents {
            employee: respondents.0,
            customer: respondents.1,
        },
        nps_counts: [0; 11],
        nps_withheld: None,
        dimensions,
        strata: Vec::new(),
        strata_withheld: None,
        knowledge: Default::default(),
        knowledge_memo: None,
    }
}

fn input(employee: &[Option<i32>], customer: &[Option<i32>], min: u64) -> ReportInput {
    let on_5 = |v: &[Option<i32>]| Histogram::from_values(v, 1, 5);
    let speed = dimension("speed", "Snelheid", 1, on_5(employee), on_5(customer));
    ReportInput {
        team_id: None,
        scale_max: 5,
        min_group_size: min,
        materiality: 0.2,
        ..report_input((employee.len() as u64, customer.len() as u64), vec![speed])
    }
}

#[test]
fn threshold_is_inclusive_and_dont_know_is_left_out() {
    let five = [Some(5), Some(5), Some(4), Some(5), Some(5), None];
    let cust = [Some(2), Some(3), Some(2), Some(3), Some(2)];
    let r = compare(&input(&five, &cust, 5));
    let d = &r.dimensions[0];
    assert_eq!((d.employee.n, d.employee.dont_know), (5, 1));
    assert_eq!(d.employee.histogram, Some(vec![0, 0, 0, 1, 4]));
    assert_eq!(d.verdict, Verdict::BlindSpot);
    // One answer fewer than the threshold: only counts.
    let r = compare(&input(&five, &cust, 6));
    let d = &r.dimensions[0];
    assert_eq!(
        (d.employee.n, d.employee.mean, d.employee.histogram.clone()),
        (5, None, None)
    );
    assert!(d.employee.suppressed);
    assert_eq!(d.gap, None);
    assert_eq!(d.verdict, Verdict::InsufficientData);
    // Everything "don't know".
    let r = compare(&input(&[None; 6], &cust, 5));
    assert_eq!(
        (
            r.dimensions[0].employee.n,
            r.dimensions[0].employee.dont_know
        ),
        (0, 6)
    );
    assert_eq!(r.dimensions[0].verdict, Verdict::InsufficientData);
}

#[test]
fn variance_is_exact_at_ten_million_ratings() {
    // 10 million ratings of 9 and 10 alternating: mean 9.5, variance = n/(4(n-1)).
    let mut h = Histogram::empty(10);
    h.add(9, 1, 5_000_000);
    h.add(10, 1, 5_000_000);
    let m = Moments::of_histogram(&h, 1);
    let n = 10_000_000f64;
    near(m.mean().unwrap(), 9.5, "mean");
    near(m.variance().unwrap(), n / (4.0 * (n - 1.0)), "variance");
}

#[test]
fn priority_prefers_certain_gaps_and_puts_insufficient_last() {
    let mut inp = input(&[], &[], 2);
    let mk = |key: &str, pos: i32, e: &[Option<i32>], c: &[Option<i32>]| {
        let (e, c) = (
            Histogram::from_values(e, 1, 5),
            Histogram::from_values(c, 1, 5),
        );
        dimension(key, key, pos, e, c)
    };
    inp.dimensions = vec![
        // Large but very uncertain gap: ci contains 0.
        mk(
            "a",
            1,
            &[Some(5), Some(1), Some(5)],
            &[Some(1), Some(5), Some(1)],
        ),
        // Moderate, certain gap.
        mk(
            "b",
            2,
            &[Some(4), Some(4), Some(5), Some(4)],
            &[Some(2), Some(2), Some(3), Some(2)],
        ),
        // Too few answers.
        mk("c", 3, &[Some(4)], &[Some(2), Some(2)]),
    ];
    let r = compare(&inp);
    let order: Vec<(&str, u32)> = r
        .dimensions
        .iter()
        .map(|d| (d.key.as_str(), d.priority))
        .collect();
    assert_eq!(order, vec![("b", 1), ("a", 2), ("c", 3)]);
}

#[test]
fn exact_p_where_nothing_varies() {
    // All 8s against all 6s, five each: only the observed split and its mirror are as
    // extreme, of C(10, 5) = 252 splits.
    let g = welch(&moments(&[8; 5]), &moments(&[6; 5]), 0.05).unwrap();
    assert_eq!(
        (g.se, g.p_value, g.df, g.mdd),
        (0.0, 2.0 / 252.0, None, None)
    );
    // Unequal sizes: the mirror split does not exist, 1 / C(11, 5) = 1/462.
    let g = welch(&moments(&[7; 5]), &moments(&[5; 6]), 0.05).unwrap();
    assert_eq!(g.p_value, 1.0 / 462.0);
    assert_eq!(binomial(10, 5), 252.0);
    assert_eq!(binomial(60, 30), 118_264_581_564_861_424.0);
    // Paired differences all −1 (n = 5): of 2⁵ sign patterns two are as extreme.
    let e = paired(&moments(&[-1; 5])).unwrap();
    assert_eq!((e.value, e.p_value, e.ci95), (-1.0, 0.0625, [-1.0, -1.0]));
    assert_eq!(paired(&moments(&[0; 5])).unwrap().p_value, 1.0);
}

#[test]
fn holm_by_hand() {
    // sorted 0.005, 0.01, 0.03, 0.04, 0.5 → ×5, ×4, ×3, ×2, ×1, running maximum, capped at 1
    assert_eq!(
        holm(&[0.01, 0.04, 0.03, 0.005, 0.5]),
        vec![0.04, 0.09, 0.09, 0.025, 0.5]
    );
    assert_eq!(holm(&[0.25, 0.25, 0.9]), vec![0.75, 0.75, 0.9]);
    assert_eq!(holm(&[0.6, 0.2]), vec![0.6, 0.4]);
    assert!(holm(&[]).is_empty());
}

#[test]
fn materiality_is_compared_exactly() {
    assert_eq!(default_materiality(1, 10), 0.9);
    assert_eq!(default_materiality(1, 5), 0.4);
    assert_eq!(default_materiality(0, 10), 1.0);
    let m = Materiality::from_f64(0.45);
    assert_eq!((m.ten_thousandths(), m.value()), (4500, 0.45));
    assert_eq!(Materiality::from_f64(-1.0).ten_thousandths(), 0);
    // 8.2 − 7.2 is 0.9999999999999991 in floating point, exactly 1 in fact.
    let (a, b) = (moments(&[7, 8, 9, 8, 9]), moments(&[6, 7, 8, 7, 8]));
    assert!(a.mean().unwrap() - b.mean().unwrap() < 1.0);
    let one = Materiality::from_f64(1.0);
    assert_eq!(one.size_of_gap(&a, &b), GapSize::ReachesPositive);
    assert_eq!(one.size_of_gap(&b, &a), GapSize::ReachesNegative);
    assert_eq!(
        Materiality::from_f64(1.0001).size_of_gap(&a, &b),
        GapSize::Inside
    );
}

fn gap_of(value: f64, se: f64, df: f64, p: f64) -> Gap {
    Gap {
        value,
        se,
        df: Some(df),
        ci95: [value, value],
        p_value: p,
        p_adjusted: p,
        hedges_g: None,
        mdd: None,
    }
}

#[test]
fn verdicts_by_hand() {
    let m = Materiality::from_f64(0.9);
    let (e, c) = (moments(&[8, 9, 8, 9]), moments(&[7, 8, 8, 8]));
    // gap 0.75 < 0.9: not a blind spot however small p is; TOST: 0.75 ± t₀.₉₅,₁₀·0.05 < 0.9.
    let g = gap_of(0.75, 0.05, 10.0, 1e-6);
    assert_eq!(verdict(Some(&g), &e, &c, 0.05, m), Verdict::Aligned);
    // The same gap with se 0.2: 0.75 + 1.812·0.2 = 1.11 > 0.9, so inconclusive.
    let g = gap_of(0.75, 0.2, 10.0, 0.01);
    assert_eq!(verdict(Some(&g), &e, &c, 0.05, m), Verdict::Inconclusive);
    // Gap 1.0 ≥ 0.9: blind spot only if the Holm-adjusted p is below alpha.
    let (e, c) = (moments(&[8, 9, 8, 9]), moments(&[7, 8, 7, 8]));
    let mut g = gap_of(1.0, 0.1, 10.0, 0.001);
    assert_eq!(verdict(Some(&g), &e, &c, 0.05, m), Verdict::BlindSpot);
    g.p_adjusted = 0.06;
    assert_eq!(verdict(Some(&g), &e, &c, 0.05, m), Verdict::Inconclusive);
    assert_eq!(verdict(None, &e, &c, 0.05, m), Verdict::InsufficientData);
    // se = 0: aligned when |gap| < materiality, exactly.
    let flat = welch(&moments(&[7; 5]), &moments(&[7; 5]), 0.05).unwrap();
    assert_eq!(
        verdict(Some(&flat), &moments(&[7; 5]), &moments(&[7; 5]), 0.05, m),
        Verdict::Aligned
    );
}

#[test]
fn nps_interval_by_hand() {
    // 8 promoters, 7 passives, 5 detractors: score 15, p₊ 0.4, p₋ 0.25,
    // half-width 1.96·100·√((0.65 − 0.0225)/20) = 34.7175…
    let c = nps_counts(&[(10, 3), (9, 5), (8, 4), (7, 3), (2, 5)]);
    let n = nps(&c, 5, None).unwrap();
    let half = 196.0 * (0.6275f64 / 20.0).sqrt();
    assert_eq!(n.score, Some(15.0));
    let [lo, hi] = n.ci95.unwrap();
    near(lo, 15.0 - half, "lo");
    near(hi, 15.0 + half, "hi");
    near(half, 34.717_459_584_479_97, "half");
}

#[test]
fn trend_change_df_by_hand() {
    // se₁ = 0.3 (df 8), se₂ = 0.4 (df 12): se = 0.5, df = 0.5⁴ / (0.3⁴/8 + 0.4⁴/12).
    let c = gap_change(
        "k",
        &gap_of(1.0, 0.3, 8.0, 0.0),
        &gap_of(0.2, 0.4, 12.0, 0.0),
    );
    near(c.change.unwrap(), -0.8, "change");
    near(c.se.unwrap(), 0.5, "se");
    let df = 0.0625 / (0.0081 / 8.0 + 0.0256 / 12.0);
    near(c.df.unwrap(), df, "df");
    near(c.p_value.unwrap(), t_two_sided_p(-0.8, 0.5, df), "p");
    // A wave with se = 0 contributes no df term; both 0: df and p null.
    let flat = welch(&moments(&[8; 5]), &moments(&[6; 5]), 0.05).unwrap();
    let c = gap_change("k", &flat, &gap_of(1.0, 0.4, 12.0, 0.0));
    near(c.df.unwrap(), 12.0, "df of the other wave");
    let c = gap_change("k", &flat, &flat);
    assert_eq!(
        (c.change, c.se, c.df, c.p_value),
        (Some(0.0), Some(0.0), None, None)
    );
}

fn hist(values: &[i32]) -> Histogram {
    let v: Vec<Option<i32>> = values.iter().map(|&x| Some(x)).collect();
    Histogram::from_values(&v, 1, 10)
}

/// Two teams, each exactly aligned; Noord has many employees and few customers, Zuid the
/// other way round. The organisation gap is 8/3, the within-team gap 0.
#[test]
fn simpson_pair_is_caught_by_the_stratified_gap() {
    let rep = |v: &[i32], times: usize| -> Vec<i32> { v.repeat(times) };
    let (noord_e, noord_c) = (rep(&[8, 9, 10], 10), rep(&[8, 9, 10], 2));
    let (zuid_e, zuid_c) = (rep(&[4, 5, 6], 2), rep(&[4, 5, 6], 10));
    let all_e: Vec<i32> = [noord_e.clone(), zuid_e.clone()].concat();
    let all_c: Vec<i32> = [noord_c.clone(), zuid_c.clone()].concat();
    let stratum = |id, e: &[i32], c: &[i32]| StratumInput {
        team_id: id,
        dimensions: vec![StratumDimension {
            key: "speed".into(),
            employee: hist(e),
            customer: hist(c),
        }],
    };
    let mut inp = input(&[], &[], 5);
    inp.scale_max = 10;
    inp.materiality = 0.9;
    inp.dimensions[0].employee = hist(&all_e);
    inp.dimensions[0].customer = hist(&all_c);
    inp.strata = vec![
        stratum(TeamId(1), &noord_e, &noord_c),
        stratum(TeamId(2), &zuid_e, &zuid_c),
        // a team with a response but too few answers: left out
        stratum(TeamId(3), &[7, 7], &[7]),
    ];
    let r = compare(&inp);
    let d = &r.dimensions[0];
    let gap = d.gap.as_ref().unwrap();
    // employees (30·9 + 6·5)/36 = 25/3, customers (6·9 + 30·5)/36 = 17/3
    near(gap.value, 8.0 / 3.0, "organisation gap");
    assert_eq!(d.verdict, Verdict::BlindSpot);
    let s = d.stratified_gap.as_ref().unwrap();
    assert_eq!(s.value, Some(0.0));
    assert_eq!((s.teams_used, s.teams_left_out), (2, 1));
    assert_eq!(s.composition_warning, Some(true));
    // w = 30·6/36 = 5 for both teams; s² = 20/29 for the thirty, 4/5 for the six:
    // se_t² = (20/29)/30 + (4/5)/6 in both, se = √(2·25·se_t²)/10.
    let se_t2: f64 = 20.0 / 29.0 / 30.0 + 0.8 / 6.0;
    near(s.se.unwrap(), (50.0 * se_t2).sqrt() / 10.0, "se");
    assert_eq!(s.p_value, Some(1.0));
    // A team's report has no stratified gap.
    inp.team_id = Some(TeamId(1));
    assert!(compare(&inp).dimensions[0].stratified_gap.is_none());
}
