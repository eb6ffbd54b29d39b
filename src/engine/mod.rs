//! The comparison engine: per-group summaries in, the comparison report out.
//! Pure: no I/O, no database. Every formula is SPEC's; see docs/methodology.md.

pub mod model;

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

pub use model::*;

/// Counts of one group's answers to one question: `counts[i]` is the number of answers
/// with value `scale.min + i`; `dont_know` counts "don't know" answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: Vec<u64>,
    pub dont_know: u64,
    /// Shown as its count only, whatever its size: the anonymity rules outside the engine
    /// (`app::disclosure`) decided that this figure may not be shown to this reader.
    pub withheld: bool,
}

impl Histogram {
    pub fn empty(points: usize) -> Histogram {
        Histogram {
            counts: vec![0; points],
            dont_know: 0,
            withheld: false,
        }
    }

    /// Builds a histogram from raw values (`None` = don't know). Values off the scale are ignored.
    pub fn from_values(values: &[Option<i32>], scale_min: i32, scale_max: i32) -> Histogram {
        let mut h = Histogram::empty((scale_max - scale_min + 1).max(0) as usize);
        for v in values {
            match v {
                None => h.dont_know += 1,
                Some(v) => h.add(*v, scale_min, 1),
            }
        }
        h
    }

    pub fn add(&mut self, value: i32, scale_min: i32, count: u64) {
        let idx = i64::from(value) - i64::from(scale_min);
        if let Some(slot) = usize::try_from(idx)
            .ok()
            .and_then(|i| self.counts.get_mut(i))
        {
            *slot += count;
        }
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Exact moments of integer data: n, Σx, Σx² in integer arithmetic, so the variance has no
/// catastrophic cancellation however many ratings there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moments {
    pub n: u64,
    pub sum: i128,
    pub sum_sq: i128,
}

impl Moments {
    pub fn of_histogram(h: &Histogram, scale_min: i32) -> Moments {
        let mut m = Moments::default();
        for (i, &c) in h.counts.iter().enumerate() {
            let v = i128::from(scale_min) + i as i128;
            let c128 = i128::from(c);
            m.n += c;
            m.sum += c128 * v;
            m.sum_sq += c128 * v * v;
        }
        m
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }

    /// Sample variance (n − 1), computed as (nΣx² − (Σx)²) / (n(n − 1)) exactly in integers.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = i128::from(self.n);
        let num = n * self.sum_sq - self.sum * self.sum;
        Some(num.max(0) as f64 / (n * (n - 1)) as f64)
    }
}

/// Sums over customers who gave both a perceived and an expected rating, of d = perceived − expected.
pub type PairedSums = Moments;

/// Everything the engine needs about one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionInput {
    pub key: String,
    pub label: String,
    pub category: Category,
    pub position: i32,
    pub employee: Histogram,
    /// `None` when the survey does not ask employees to predict.
    pub predicted: Option<Histogram>,
    pub customer: Histogram,
    /// `None` when the survey does not ask customers for their expectation.
    pub expected: Option<Histogram>,
    pub paired: PairedSums,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub survey_id: i64,
    pub wave_id: Option<i64>,
    pub team_id: Option<i64>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub min_group_size: u64,
    pub alpha: f64,
    pub materiality: f64,
    /// False for an admin's interim report of an open wave; carried into the report.
    pub published: bool,
    /// Cells (1 ≤ n < min_group_size) inside the scope left out of its figures (SPEC
    /// "Anonymity and publication"); carried into the report.
    pub excluded_cells: u64,
    pub respondents: Respondents,
    /// Count of NPS answers 0..=10.
    pub nps_counts: [u64; 11],
    /// The NPS split is shown as its count only (anonymity rules outside the engine).
    pub nps_withheld: bool,
    /// In dimension position order.
    pub dimensions: Vec<DimensionInput>,
}

/// Default materiality: 5 % of the scale's range.
pub fn default_materiality(scale_min: i32, scale_max: i32) -> f64 {
    0.05 * f64::from(scale_max - scale_min)
}

struct Group {
    stats: GroupStats,
    moments: Moments,
    visible: bool,
}

fn group(h: &Histogram, scale_min: i32, min_group_size: u64) -> Group {
    let moments = Moments::of_histogram(h, scale_min);
    let visible = moments.n >= min_group_size.max(1) && !h.withheld;
    let stats = GroupStats {
        n: moments.n,
        dont_know: h.dont_know,
        mean: if visible { moments.mean() } else { None },
        sd: if visible {
            moments.variance().map(f64::sqrt)
        } else {
            None
        },
        histogram: visible.then(|| h.counts.clone()),
        suppressed: !visible,
    };
    Group {
        stats,
        moments,
        visible,
    }
}

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

pub fn nps(counts: &[u64; 11], min_group_size: u64, withheld: bool) -> Option<Nps> {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    if n < min_group_size || withheld {
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

fn verdict(gap: Option<&Gap>, alpha: f64, materiality: f64) -> Verdict {
    match gap {
        None => Verdict::InsufficientData,
        Some(g) if g.p_value < alpha && g.value >= materiality => Verdict::BlindSpot,
        Some(g) if g.p_value < alpha && g.value <= -materiality => Verdict::HiddenStrength,
        Some(_) => Verdict::Aligned,
    }
}

/// The smallest absolute gap the interval still allows: 0 when it contains 0.
fn smallest_plausible(g: &Gap) -> f64 {
    let [lo, hi] = g.ci95;
    if lo <= 0.0 && hi >= 0.0 {
        0.0
    } else {
        lo.abs().min(hi.abs())
    }
}

/// Builds the comparison report.
pub fn compare(input: &ReportInput) -> Comparison {
    let min = input.min_group_size;
    let smin = input.scale_min;
    let mut rows: Vec<(i32, DimensionReport)> = input
        .dimensions
        .iter()
        .map(|d| {
            let employee = group(&d.employee, smin, min);
            let customer = group(&d.customer, smin, min);
            let predicted = d.predicted.as_ref().map(|h| group(h, smin, min));
            let expected = d.expected.as_ref().map(|h| group(h, smin, min));
            let gap = (employee.visible && customer.visible)
                .then(|| welch(&employee.moments, &customer.moments))
                .flatten();
            let prediction_gap = predicted
                .as_ref()
                .filter(|p| p.visible && customer.visible)
                .and_then(|p| welch(&p.moments, &customer.moments));
            let expectation_gap = (expected.is_some() && customer.visible && d.paired.n >= min)
                .then(|| paired(&d.paired))
                .flatten();
            let verdict = verdict(gap.as_ref(), input.alpha, input.materiality);
            let report = DimensionReport {
                key: d.key.clone(),
                label: d.label.clone(),
                category: d.category,
                priority: 0,
                employee: employee.stats,
                predicted: predicted.map(|g| g.stats),
                customer: customer.stats,
                expected: expected.map(|g| g.stats),
                gap,
                prediction_gap,
                expectation_gap,
                verdict,
            };
            (d.position, report)
        })
        .collect();

    rows.sort_by(|(pa, a), (pb, b)| {
        let key = |r: &DimensionReport| match (&r.gap, r.verdict) {
            (Some(g), v) if v != Verdict::InsufficientData => {
                Some((smallest_plausible(g), g.value.abs()))
            }
            _ => None,
        };
        match (key(a), key(b)) {
            (Some((sa, ga)), Some((sb, gb))) => {
                sb.total_cmp(&sa).then(gb.total_cmp(&ga)).then(pa.cmp(pb))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => pa.cmp(pb),
        }
    });
    let dimensions = rows
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut r))| {
            r.priority = i as u32 + 1;
            r
        })
        .collect();

    Comparison {
        survey_id: input.survey_id,
        wave_id: input.wave_id,
        team_id: input.team_id,
        scale: ScaleView {
            min: input.scale_min,
            max: input.scale_max,
        },
        min_group_size: input.min_group_size,
        alpha: input.alpha,
        materiality: input.materiality,
        published: input.published,
        excluded_cells: input.excluded_cells,
        respondents: input.respondents,
        nps: nps(&input.nps_counts, min, input.nps_withheld),
        dimensions,
    }
}

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

#[cfg(test)]
mod tests {
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
        let n = nps(&c, 5, false).unwrap();
        assert_eq!(
            (n.score, n.promoters, n.passives, n.detractors, n.n),
            (Some(0.0), Some(2), Some(1), Some(2), 5)
        );
        let n = nps(&c, 6, false).unwrap();
        assert_eq!((n.score, n.promoters, n.n), (None, None, 5));
        let n = nps(&c, 5, true).unwrap();
        assert_eq!((n.score, n.promoters, n.n), (None, None, 5));
        assert_eq!(nps(&[0; 11], 5, false), None);
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
            published: true,
            excluded_cells: 0,
            respondents: Respondents {
                employee: employee.len() as u64,
                customer: customer.len() as u64,
            },
            nps_counts: [0; 11],
            nps_withheld: false,
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
}
