use super::*;
use serde_json::Value;

fn moments(values: &[i64]) -> Moments {
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

fn near(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        "{what}: {a} vs {b}"
    );
}

/// Hand-checkable cases with values from scipy (tests/fixtures/reference/handcases.json).
#[test]
fn hand_cases_match_scipy() {
    let cases: Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/reference/handcases.json"
    ))
    .unwrap();
    for c in cases["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let r = &c["result"];
        if c["kind"] == "welch" {
            let g = welch(
                &moments(&ints(&c["self"])),
                &moments(&ints(&c["perceived"])),
            )
            .unwrap();
            near(g.value, r["value"].as_f64().unwrap(), name);
            near(g.se, r["se"].as_f64().unwrap(), name);
            near(g.p_value, r["p_value"].as_f64().unwrap(), name);
            near(g.ci95[0], r["ci95"][0].as_f64().unwrap(), name);
            near(g.ci95[1], r["ci95"][1].as_f64().unwrap(), name);
            assert_eq!(g.df.is_some(), !r["df"].is_null(), "{name} df");
            if let Some(df) = g.df {
                near(df, r["df"].as_f64().unwrap(), name);
            }
            assert_eq!(g.hedges_g.is_some(), !r["hedges_g"].is_null(), "{name} g");
            if let Some(h) = g.hedges_g {
                near(h, r["hedges_g"].as_f64().unwrap(), name);
            }
        } else {
            let p = ints(&c["perceived"]);
            let e = ints(&c["expected"]);
            let d: Vec<i64> = p.iter().zip(&e).map(|(a, b)| a - b).collect();
            let g = paired(&moments(&d)).unwrap();
            near(g.value, r["value"].as_f64().unwrap(), name);
            near(g.p_value, r["p_value"].as_f64().unwrap(), name);
            near(g.ci95[0], r["ci95"][0].as_f64().unwrap(), name);
            near(g.ci95[1], r["ci95"][1].as_f64().unwrap(), name);
            assert_eq!(g.n, r["n"].as_u64().unwrap());
        }
    }
}

#[test]
fn hand_computed_welch() {
    // self [7,8,9,8,8]: mean 8, s² = 0.5; perceived [6,7,6,5,6,7]: mean 37/6, s² = 17/30.
    let g = welch(&moments(&[7, 8, 9, 8, 8]), &moments(&[6, 7, 6, 5, 6, 7])).unwrap();
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
    assert!(welch(&moments(&[7]), &moments(&[6, 7])).is_none());
    // Zero variance with equal means: p = 1, ci = [0, 0], no Hedges' g.
    let g = welch(&moments(&[4, 4, 4]), &moments(&[4, 4])).unwrap();
    assert_eq!(
        (g.value, g.p_value, g.ci95, g.hedges_g, g.df),
        (0.0, 1.0, [0.0, 0.0], None, None)
    );
    // Zero variance, different means: p = 0.
    let g = welch(&moments(&[5, 5, 5]), &moments(&[3, 3])).unwrap();
    assert_eq!((g.value, g.p_value, g.ci95), (2.0, 0.0, [2.0, 2.0]));
    // NPS: 2 promoters, 1 passive, 2 detractors of 5 → 0; below threshold → counts hidden.
    let mut c = [0u64; 11];
    c[10] = 1;
    c[9] = 1;
    c[7] = 1;
    c[6] = 1;
    c[0] = 1;
    let n = nps(&c, 5).unwrap();
    assert_eq!(
        (n.score, n.promoters, n.passives, n.detractors, n.n),
        (Some(0.0), Some(2), Some(1), Some(2), 5)
    );
    let n = nps(&c, 6).unwrap();
    assert_eq!((n.score, n.promoters, n.n), (None, None, 5));
    assert_eq!(nps(&[0; 11], 5), None);
}

fn input(employee: &[Option<i32>], customer: &[Option<i32>], min: u64) -> ReportInput {
    ReportInput {
        survey_id: 1,
        wave_id: None,
        team_id: None,
        scale_min: 1,
        scale_max: 5,
        min_group_size: min,
        alpha: 0.05,
        materiality: 0.2,
        respondents: Respondents {
            employee: employee.len() as u64,
            customer: customer.len() as u64,
        },
        nps_counts: [0; 11],
        dimensions: vec![DimensionInput {
            key: "speed".into(),
            label: "Snelheid".into(),
            category: Category::Functional,
            position: 1,
            employee: Histogram::from_values(employee, 1, 5),
            predicted: None,
            customer: Histogram::from_values(customer, 1, 5),
            expected: None,
            paired: Moments::default(),
        }],
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
    let mk = |key: &str, pos: i32, e: &[Option<i32>], c: &[Option<i32>]| DimensionInput {
        key: key.into(),
        label: key.into(),
        category: Category::Functional,
        position: pos,
        employee: Histogram::from_values(e, 1, 5),
        predicted: None,
        customer: Histogram::from_values(c, 1, 5),
        expected: None,
        paired: Moments::default(),
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
