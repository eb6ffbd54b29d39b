//! The attacker (SPEC "Anonymity and publication", revision 3). Random organisations hold
//! individual answers — employees' `self` ratings and predictions of the customers' score,
//! customers' `perceived` ratings on one or several dimensions and `expected` ratings (either
//! may be left out), NPS answers and comments — in teams and waves. Readers are an admin and
//! team leads whose assignment changes once, in either direction, with everything they read
//! before the change saved. Every figure a reader can obtain, in every scope and
//! before and after the change, is observed black-box: the real rules (`disclose`, the
//! engine's `compare`, `comment_cells`) decide what is shown, and which answers a figure sums
//! (with which weight) is found by nudging one answer at a time.
//!
//! Every figure is linear in the answers it sums (the sums behind means and histograms, the
//! paired sums, NPS promoters minus detractors, a comment list, the stratified gap whose
//! weights are counts, the knowledge `bias` whose weights are counts: `knowledge.rs` says why
//! the other knowledge figures add no sum). So a reader learns about a set S of answers
//! exactly when the span of the observed rows holds a non-zero vector supported on S (after
//! what the reader knows is projected out). The solver checks, for every reader:
//! - no single answer (a unit vector) and no small set — a cell below the threshold, the
//!   answers of one group beyond the pairs — is isolated;
//! - a team lead learns nothing about one team they have never been able to read, with every
//!   answer of the teams they could read taken as known.
//!
//! `control.rs` shows the attacker sees each of the four doors of the revision-2 rules;
//! `knowledge.rs` that it sees knowledge figures computed over a withheld dimension.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::domain::{Cell, DimensionId, RatingKind, Scope, SurveyId, TeamId, WaveId};
use crate::engine::{
    self, DimensionInput, Histogram, NpsPerceived, ReportInput, Respondents, StratumDimension,
    StratumInput,
};

mod control;
mod knowledge;
mod random;
mod report;
mod solver;

use report::{report, rules, Looked};
use solver::attack;

/// Scale 1–10; answers are drawn from 1–8 so that a nudge (+1) stays on the scale.
const SCALE: (i32, i32) = (1, 10);
const POINTS: usize = 10;

/// Dimension `k` (0-based) of the organisation; the first also carries `expected`, the pairs
/// and the derived figures of one dimension (NPS, comments belong to no dimension).
fn dim_id(k: usize) -> DimensionId {
    DimensionId(k as i64 + 1)
}

fn dim_key(k: usize) -> String {
    format!("d{}", k + 1)
}

/// One employee: per dimension the `self` rating and (when the survey asks it) the prediction
/// of the customers' score.
#[derive(Debug, Clone, Default)]
struct Employee {
    rating: Vec<Option<i32>>,
    predicted: Vec<Option<i32>>,
}

#[derive(Debug, Clone, Default)]
struct Customer {
    /// Per dimension.
    perceived: Vec<Option<i32>>,
    /// The first dimension's expectation.
    expected: Option<i32>,
    /// −1 detractor, 0 passive, +1 promoter.
    nps: Option<i32>,
    comment: Option<i32>,
}

#[derive(Debug, Clone, Default)]
struct Org {
    teams: Vec<TeamId>,
    waves: Vec<WaveId>,
    min: u64,
    comment_min: u64,
    /// How many dimensions (at least 1).
    dims: usize,
    /// Whether the survey asks employees to predict the customers' scores (then the report
    /// has `predicted` groups and, over three or more dimensions, `knowledge`).
    predicted: bool,
    employees: BTreeMap<Cell, Vec<Employee>>,
    customers: BTreeMap<Cell, Vec<Customer>>,
    /// Team leads: their teams before and after the one change.
    leads: Vec<(Vec<TeamId>, Vec<TeamId>)>,
}

/// One answer: which cell, which respondent, which question (and dimension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Var {
    SelfRating(Cell, usize, usize),
    Predicted(Cell, usize, usize),
    Perceived(Cell, usize, usize),
    Expected(Cell, usize),
    Nps(Cell, usize),
    Comment(Cell, usize),
}

impl Var {
    fn cell(self) -> Cell {
        match self {
            Var::SelfRating(c, ..)
            | Var::Predicted(c, ..)
            | Var::Perceived(c, ..)
            | Var::Expected(c, _)
            | Var::Nps(c, _)
            | Var::Comment(c, _) => c,
        }
    }
}

/// One answer of `x` moved up by one (its presence unchanged).
fn bump(x: &mut Option<i32>) {
    if let Some(x) = x {
        *x += 1;
    }
}

/// Stores the histogram of `values` under `key`.
fn rate(
    cells: &mut Cells,
    key: (Cell, DimensionId, RatingKind),
    values: impl Iterator<Item = i32>,
) {
    let mut h = Histogram::empty(POINTS);
    for v in values {
        h.add(v, SCALE.0, 1);
    }
    cells.ratings.insert(key, h);
}

impl Org {
    fn vars(&self) -> Vec<Var> {
        let mut out = Vec::new();
        for (cell, es) in &self.employees {
            for (i, e) in es.iter().enumerate() {
                for (k, r) in e.rating.iter().enumerate() {
                    if r.is_some() {
                        out.push(Var::SelfRating(*cell, i, k));
                    }
                }
                for (k, p) in e.predicted.iter().enumerate() {
                    if p.is_some() && self.predicted {
                        out.push(Var::Predicted(*cell, i, k));
                    }
                }
            }
        }
        for (cell, cs) in &self.customers {
            for (i, c) in cs.iter().enumerate() {
                for (k, p) in c.perceived.iter().enumerate() {
                    if p.is_some() {
                        out.push(Var::Perceived(*cell, i, k));
                    }
                }
                let mut push = |present: bool, v: Var| {
                    if present {
                        out.push(v);
                    }
                };
                push(c.expected.is_some(), Var::Expected(*cell, i));
                push(c.nps.is_some(), Var::Nps(*cell, i));
                push(c.comment.is_some(), Var::Comment(*cell, i));
            }
        }
        out
    }

    /// The organisation with one answer moved, and by how much.
    fn nudged(&self, v: Var) -> (Org, f64) {
        let mut o = self.clone();
        let mut delta = 1.0;
        match v {
            Var::SelfRating(c, i, k) => {
                bump(&mut o.employees.get_mut(&c).expect("cell")[i].rating[k])
            }
            Var::Predicted(c, i, k) => {
                bump(&mut o.employees.get_mut(&c).expect("cell")[i].predicted[k])
            }
            Var::Perceived(c, i, k) => {
                bump(&mut o.customers.get_mut(&c).expect("cell")[i].perceived[k])
            }
            Var::Expected(c, i) => bump(&mut o.customers.get_mut(&c).expect("cell")[i].expected),
            Var::Comment(c, i) => bump(&mut o.customers.get_mut(&c).expect("cell")[i].comment),
            Var::Nps(c, i) => {
                let n = &mut o.customers.get_mut(&c).expect("cell")[i].nps;
                // A promoter becomes a passive (−1), anyone else moves up one category (+1).
                if *n == Some(1) {
                    *n = Some(0);
                    delta = -1.0;
                } else {
                    bump(n);
                }
            }
        }
        (o, delta)
    }

    /// The store's cells, every dimension.
    fn cells(&self) -> Cells {
        let mut cells = Cells::default();
        let at = |v: &[Option<i32>], k: usize| v.get(k).copied().flatten();
        for (cell, es) in &self.employees {
            for k in 0..self.dims {
                let key = (*cell, dim_id(k), RatingKind::SelfRating);
                rate(&mut cells, key, es.iter().filter_map(|e| at(&e.rating, k)));
                if self.predicted {
                    let key = (*cell, dim_id(k), RatingKind::Predicted);
                    rate(
                        &mut cells,
                        key,
                        es.iter().filter_map(|e| at(&e.predicted, k)),
                    );
                }
            }
            add_response(
                &mut cells,
                *cell,
                crate::domain::Audience::Employee,
                None,
                es.len() as u64,
            );
        }
        for (cell, cs) in &self.customers {
            for k in 0..self.dims {
                let key = (*cell, dim_id(k), RatingKind::Perceived);
                rate(
                    &mut cells,
                    key,
                    cs.iter().filter_map(|c| at(&c.perceived, k)),
                );
            }
            let key = (*cell, dim_id(0), RatingKind::Expected);
            rate(&mut cells, key, cs.iter().filter_map(|c| c.expected));
            let mut m = Moments::default();
            for c in cs {
                if let (Some(p), Some(e)) = (at(&c.perceived, 0), c.expected) {
                    let d = i128::from(p - e);
                    m.n += 1;
                    m.sum += d;
                    m.sum_sq += d * d;
                }
            }
            cells.pairs.insert((*cell, dim_id(0)), m);
            if cs.iter().any(|c| c.comment.is_some()) {
                cells.commented.insert(*cell);
            }
            for c in cs {
                // NPS −1/0/+1 stored as the answers 0, 7 and 10.
                let answer = c.nps.map(|s| match s {
                    -1 => 0,
                    0 => 7,
                    _ => 10,
                });
                add_response(
                    &mut cells,
                    *cell,
                    crate::domain::Audience::Customer,
                    answer,
                    1,
                );
            }
        }
        cells
    }

    fn waves_closed(&self) -> Vec<Wave> {
        let t = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 1, d)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default()
        };
        self.waves
            .iter()
            .map(|w| Wave {
                id: *w,
                survey_id: SurveyId(1),
                name: format!("w{w}"),
                opens_at: t(1),
                closes_at: Some(t(2)),
                created_at: t(1),
            })
            .collect()
    }
}

/// Which rules the observations follow: today's, or revision 2 for the controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Revision {
    Three,
    /// Revision 2: a lead gets the stratified value where two outside teams have a cell at or
    /// above the threshold, no nested-group rule, no history (`control.rs`).
    Two,
    /// Today's rules, except that the knowledge figures are computed over every dimension with
    /// predictions and customer scores, the withheld ones included: a deliberately wrong rule
    /// for the knowledge control (`knowledge.rs`).
    KnowledgeOverEvery,
}

/// What one scope shows a reader: observable name → value (absent: withheld).
fn look(
    org: &Org,
    reader: &Reader,
    scope: Scope,
    min: u64,
    rev: Revision,
) -> BTreeMap<String, f64> {
    let Looked {
        report: r,
        input,
        disclosed: d,
        cells,
    } = report(org, reader, scope, min);
    let waves = org.waves_closed();
    let rules = rules(reader, scope, &waves, min);
    let mut out = BTreeMap::new();
    let mut put = |k: String, v: Option<f64>| {
        if let Some(v) = v {
            out.insert(k, v);
        }
    };
    let sum = |g: &engine::GroupStats| g.mean.map(|m| m * g.n as f64);
    for k in 0..org.dims {
        let key = dim_key(k);
        let Some(dim) = r.dimensions.iter().find(|x| x.key == key) else {
            continue;
        };
        put(format!("self {key}"), sum(&dim.employee));
        put(
            format!("predicted {key}"),
            dim.predicted.as_ref().and_then(sum),
        );
        put(format!("perceived {key}"), sum(&dim.customer));
        put(
            format!("expected {key}"),
            dim.expected.as_ref().and_then(sum),
        );
        match rev {
            Revision::Three | Revision::KnowledgeOverEvery => {
                let e = dim.expectation_gap.as_ref();
                put(
                    format!("pairs {key}"),
                    e.and_then(|e| Some(e.value? * e.n as f64)),
                );
                put(
                    format!("stratified {key}"),
                    dim.stratified_gap.as_ref().and_then(|s| s.value),
                );
            }
            Revision::Two if k == 0 => {
                // The pairs whenever the groups are shown and enough pairs exist (no nested rule).
                let pairs = d.pairs.get(&dim_id(0)).cloned().unwrap_or_default();
                let shown = dim.customer.withheld_reason.is_none()
                    && dim
                        .expected
                        .as_ref()
                        .is_some_and(|e| e.withheld_reason.is_none())
                    && pairs
                        .withheld
                        .is_none_or(|r| r == WithheldReason::NestedGroup)
                    && pairs.moments.n >= min;
                put(
                    format!("pairs {key}"),
                    shown.then_some(pairs.moments.sum as f64),
                );
                put(
                    format!("stratified {key}"),
                    rev2_stratified(&d, &cells, &rules, &input, &key),
                );
            }
            Revision::Two => {}
        }
    }
    put(
        "nps".into(),
        r.nps
            .as_ref()
            .and_then(|n| Some(n.promoters? as f64 - n.detractors? as f64)),
    );
    // The knowledge figures. `bias` is the one that is linear in the answers: the mean over D
    // of P_k − C_k, P_k = Σ predicted_k / n_k, so |D| · bias is a combination of the shown
    // groups' sums with the published counts as weights. The others are nonlinear functions
    // of the same shown means, and add no sum (`knowledge.rs` argues and tests it).
    let knowledge = match rev {
        Revision::KnowledgeOverEvery => knowledge::over_every(org, &input),
        _ => r.knowledge.as_deref().cloned(),
    };
    if let Some(k) = knowledge {
        put(
            "knowledge bias".into(),
            Some(k.bias * k.dimensions_used as f64),
        );
    }
    // The comment list, as the sum of the listed comments.
    let listed = comment_cells(&cells, &rules, org.comment_min);
    if !listed.is_empty() {
        let total: i32 = listed
            .iter()
            .filter_map(|c| org.customers.get(c))
            .flatten()
            .filter_map(|c| c.comment)
            .sum();
        put("comments".into(), Some(f64::from(total)));
    }
    out
}

/// Revision 2's stratified gap for any reader: shown where two outside teams (today's
/// assignment) have a cell at or above the threshold.
fn rev2_stratified(
    d: &Disclosed,
    cells: &Cells,
    rules: &Rules,
    input: &ReportInput,
    key: &str,
) -> Option<f64> {
    if rules.scope.team.is_some() || d.counts_only {
        return None;
    }
    if !rules.reader.admin {
        let outside: BTreeSet<TeamId> = cells
            .ratings
            .iter()
            .filter(|((c, _, _), h)| rules.in_scope(*c) && h.n() >= rules.min_group_size)
            .map(|((c, _, _), _)| c.team)
            .filter(|t| !rules.reader.teams.contains(t))
            .collect();
        if outside.len() < 2 {
            return None;
        }
    }
    let m = engine::Materiality::from_f64(0.9);
    engine::stratified_gap(
        key,
        &input.strata,
        SCALE.0,
        rules.min_group_size,
        0.05,
        m,
        None,
        None,
    )
    .and_then(|s| s.value)
}

/// The readers of an organisation, each with the sequence of (reader, threshold) under which
/// they observe: an admin; each lead before and after their change.
fn phases(org: &Org, rev: Revision) -> Vec<(String, Vec<Reader>)> {
    let mut out = vec![("admin".to_string(), vec![Reader::admin()])];
    let cells = org.cells();
    for (before, after) in &org.leads {
        let first = Reader::lead(before.clone());
        let second = match rev {
            Revision::Two => Reader::lead(after.clone()),
            Revision::Three | Revision::KnowledgeOverEvery => {
                let mut history = History::default();
                let added: BTreeSet<TeamId> = after
                    .iter()
                    .filter(|t| !before.contains(t))
                    .copied()
                    .collect();
                for w in &org.waves {
                    history.known.insert(*w, before.iter().copied().collect());
                    let known = |t: TeamId| first.knows(Cell { team: t, wave: *w });
                    for team in singled_out(&cells, *w, org.min, org.comment_min, &known, &added) {
                        history.withheld.insert(Cell { team, wave: *w });
                    }
                }
                Reader {
                    admin: false,
                    teams: after.clone(),
                    history,
                }
            }
        };
        out.push((format!("lead {before:?} → {after:?}"), vec![first, second]));
    }
    out
}

/// The observed rows (coefficients over `vars`) of every figure the reader sequence obtains.
fn observe(
    org: &Org,
    readers: &[Reader],
    vars: &[Var],
    mins: &[u64],
    rev: Revision,
) -> Vec<Vec<f64>> {
    let mut rows = Vec::new();
    for reader in readers {
        let mut scopes = Vec::new();
        for w in std::iter::once(None).chain(org.waves.iter().map(|w| Some(*w))) {
            scopes.push(Scope::new(SurveyId(1), w, None));
            for t in &org.teams {
                if reader.admin || reader.teams.contains(t) {
                    scopes.push(Scope::new(SurveyId(1), w, Some(*t)));
                }
            }
        }
        for &min in mins {
            for scope in &scopes {
                let base = look(org, reader, *scope, min, rev);
                if base.is_empty() {
                    continue;
                }
                let mut block: BTreeMap<String, Vec<f64>> = base
                    .keys()
                    .map(|k| (k.clone(), vec![0.0; vars.len()]))
                    .collect();
                for (i, v) in vars.iter().enumerate() {
                    let c = v.cell();
                    let in_scope = scope.team.is_none_or(|t| t == c.team)
                        && scope.wave.is_none_or(|w| w == c.wave);
                    if !in_scope {
                        continue;
                    }
                    let (o, delta) = org.nudged(*v);
                    let moved = look(&o, reader, *scope, min, rev);
                    for (k, row) in block.iter_mut() {
                        if let (Some(a), Some(b)) = (base.get(k), moved.get(k)) {
                            // Coefficients are ratios of small integers: what is left of a
                            // zero after rounding is taken as the zero it is.
                            let c = (b - a) / delta;
                            row[i] = if c.abs() < 1e-9 { 0.0 } else { c };
                        }
                    }
                }
                rows.extend(block.into_values());
            }
        }
    }
    rows
}
