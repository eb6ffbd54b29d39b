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
}

impl Histogram {
    pub fn empty(points: usize) -> Histogram {
        Histogram {
            counts: vec![0; points],
            dont_know: 0,
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
#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct ReportInput {
    pub survey_id: i64,
    pub wave_id: Option<i64>,
    pub team_id: Option<i64>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub min_group_size: u64,
    pub alpha: f64,
    pub materiality: f64,
    pub respondents: Respondents,
    /// Count of NPS answers 0..=10.
    pub nps_counts: [u64; 11],
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
    let visible = moments.n >= min_group_size.max(1);
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
        respondents: input.respondents,
        nps: nps(&input.nps_counts, min),
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
