//! The attacker (SPEC "Anonymity and publication", revision 3). Random organisations hold
//! individual answers — employees' `self` ratings, customers' `perceived` and `expected`
//! ratings (either may be left out), NPS answers and comments — in teams and waves. Readers are
//! an admin and team leads whose assignment changes once, in either direction, with everything
//! they read before the change saved. Every figure a reader can obtain, in every scope and
//! before and after the change, is observed black-box: the real rules (`disclose`, the
//! engine's `compare`, `comment_cells`) decide what is shown, and which answers a figure sums
//! (with which weight) is found by nudging one answer at a time.
//!
//! Every figure is linear in the answers it sums (the sums behind means and histograms, the
//! paired sums, NPS promoters minus detractors, a comment list, the stratified gap whose
//! weights are counts). So a reader learns about a set S of answers exactly when the span of
//! the observed rows holds a non-zero vector supported on S (after what the reader knows is
//! projected out). The solver checks, for every reader:
//! - no single answer (a unit vector) and no small set — a cell below the threshold, the
//!   answers of one group beyond the pairs — is isolated;
//! - a team lead learns nothing about one team they have never been able to read, with every
//!   answer of the teams they could read taken as known.
//!
//! `control.rs` shows the attacker sees each of the four doors of the revision-2 rules.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::domain::{Cell, DimensionId, RatingKind, Scope, SurveyId, TeamId, WaveId};
use crate::engine::{
    self, DimensionInput, Histogram, NpsPerceived, ReportInput, Respondents, StratumDimension,
    StratumInput,
};

mod control;
mod random;
mod solver;

use solver::attack;

const DIM: DimensionId = DimensionId(1);
/// Scale 1–10; answers are drawn from 1–8 so that a nudge (+1) stays on the scale.
const SCALE: (i32, i32) = (1, 10);
const POINTS: usize = 10;

#[derive(Debug, Clone, Default)]
struct Customer {
    perceived: Option<i32>,
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
    employees: BTreeMap<Cell, Vec<Option<i32>>>,
    customers: BTreeMap<Cell, Vec<Customer>>,
    /// Team leads: their teams before and after the one change.
    leads: Vec<(Vec<TeamId>, Vec<TeamId>)>,
}

/// One answer: which cell, which respondent, which question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Var {
    SelfRating(Cell, usize),
    Perceived(Cell, usize),
    Expected(Cell, usize),
    Nps(Cell, usize),
    Comment(Cell, usize),
}

impl Var {
    fn cell(self) -> Cell {
        match self {
            Var::SelfRating(c, _)
            | Var::Perceived(c, _)
            | Var::Expected(c, _)
            | Var::Nps(c, _)
            | Var::Comment(c, _) => c,
        }
    }
}

impl Org {
    fn vars(&self) -> Vec<Var> {
        let mut out = Vec::new();
        for (cell, es) in &self.employees {
            for (i, e) in es.iter().enumerate() {
                if e.is_some() {
                    out.push(Var::SelfRating(*cell, i));
                }
            }
        }
        for (cell, cs) in &self.customers {
            for (i, c) in cs.iter().enumerate() {
                let mut push = |present: bool, v: Var| {
                    if present {
                        out.push(v);
                    }
                };
                push(c.perceived.is_some(), Var::Perceived(*cell, i));
                push(c.expected.is_some(), Var::Expected(*cell, i));
                push(c.nps.is_some(), Var::Nps(*cell, i));
                push(c.comment.is_some(), Var::Comment(*cell, i));
            }
        }
        out
    }

    /// The organisation with one answer moved by `delta` (its presence unchanged).
    fn nudged(&self, v: Var) -> (Org, f64) {
        let mut o = self.clone();
        let bump = |x: &mut Option<i32>| {
            if let Some(x) = x {
                *x += 1;
            }
        };
        let mut delta = 1.0;
        match v {
            Var::SelfRating(c, i) => bump(&mut o.employees.get_mut(&c).expect("cell")[i]),
            Var::Perceived(c, i) => bump(&mut o.customers.get_mut(&c).expect("cell")[i].perceived),
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

    /// The store's cells of one dimension.
    fn cells(&self) -> Cells {
        let mut cells = Cells::default();
        let hist = |values: &mut dyn Iterator<Item = i32>| {
            let mut h = Histogram::empty(POINTS);
            for v in values {
                h.add(v, SCALE.0, 1);
            }
            h
        };
        for (cell, es) in &self.employees {
            let h = hist(&mut es.iter().flatten().copied());
            cells
                .ratings
                .insert((*cell, DIM, RatingKind::SelfRating), h);
            add_response(
                &mut cells,
                *cell,
                crate::domain::Audience::Employee,
                None,
                es.len() as u64,
            );
        }
        for (cell, cs) in &self.customers {
            let p = hist(&mut cs.iter().filter_map(|c| c.perceived));
            let e = hist(&mut cs.iter().filter_map(|c| c.expected));
            cells.ratings.insert((*cell, DIM, RatingKind::Perceived), p);
            cells.ratings.insert((*cell, DIM, RatingKind::Expected), e);
            let mut m = Moments::default();
            for c in cs {
                if let (Some(p), Some(e)) = (c.perceived, c.expected) {
                    let d = i128::from(p - e);
                    m.n += 1;
                    m.sum += d;
                    m.sum_sq += d * d;
                }
            }
            cells.pairs.insert((*cell, DIM), m);
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
}

/// What one scope shows a reader: observable name → value (absent: withheld).
fn look(
    org: &Org,
    reader: &Reader,
    scope: Scope,
    min: u64,
    rev: Revision,
) -> BTreeMap<&'static str, f64> {
    let cells = org.cells();
    let waves = org.waves_closed();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let rules = Rules {
        reader,
        scope,
        waves: &waves,
        now,
        min_group_size: min,
    };
    let d = disclose(&cells, &rules, POINTS);
    let get = |kind| {
        d.ratings
            .get(&(DIM, kind))
            .cloned()
            .unwrap_or_else(|| Histogram::empty(POINTS))
    };
    let pairs = d.pairs.get(&DIM).cloned().unwrap_or_default();
    let strata: Vec<StratumInput> = d
        .strata
        .iter()
        .map(|(team, h)| StratumInput {
            team_id: *team,
            dimensions: vec![StratumDimension {
                key: "d".into(),
                employee: h
                    .get(&(DIM, RatingKind::SelfRating))
                    .cloned()
                    .unwrap_or_else(|| Histogram::empty(POINTS)),
                customer: h
                    .get(&(DIM, RatingKind::Perceived))
                    .cloned()
                    .unwrap_or_else(|| Histogram::empty(POINTS)),
            }],
        })
        .collect();
    let input = ReportInput {
        survey_id: SurveyId(1),
        wave_id: scope.wave,
        team_id: scope.team,
        scale_min: SCALE.0,
        scale_max: SCALE.1,
        min_group_size: min,
        alpha: 0.05,
        materiality: 0.9,
        published: d.published,
        excluded_cells: d.excluded_cells,
        respondents: Respondents {
            employee: d.employees,
            customer: d.customers,
        },
        nps_counts: d.nps.value,
        nps_withheld: d.nps.withheld,
        dimensions: vec![DimensionInput {
            key: "d".into(),
            label: "d".into(),
            category: engine::Category::Functional,
            position: 1,
            employee: get(RatingKind::SelfRating),
            predicted: None,
            customer: get(RatingKind::Perceived),
            expected: Some(get(RatingKind::Expected)),
            paired: pairs.moments,
            paired_withheld: pairs.withheld,
            perceived_only: pairs.perceived_only,
            expected_only: pairs.expected_only,
            importance: None,
            nps_perceived: NpsPerceived::default(),
        }],
        strata,
        strata_withheld: d.strata_withheld,
        knowledge: Default::default(),
        knowledge_memo: None,
    };
    let r = engine::compare(&input);
    let dim = &r.dimensions[0];
    let mut out = BTreeMap::new();
    let mut put = |k: &'static str, v: Option<f64>| {
        if let Some(v) = v {
            out.insert(k, v);
        }
    };
    let sum = |g: &engine::GroupStats| g.mean.map(|m| m * g.n as f64);
    put("self", sum(&dim.employee));
    put("perceived", sum(&dim.customer));
    put("expected", dim.expected.as_ref().and_then(sum));
    put(
        "nps",
        r.nps
            .as_ref()
            .and_then(|n| Some(n.promoters? as f64 - n.detractors? as f64)),
    );
    match rev {
        Revision::Three => {
            let e = dim.expectation_gap.as_ref();
            put("pairs", e.and_then(|e| Some(e.value? * e.n as f64)));
            put(
                "stratified",
                dim.stratified_gap.as_ref().and_then(|s| s.value),
            );
        }
        Revision::Two => {
            // The pairs whenever the groups are shown and enough pairs exist (no nested rule).
            let shown = dim.customer.withheld_reason.is_none()
                && dim
                    .expected
                    .as_ref()
                    .is_some_and(|e| e.withheld_reason.is_none())
                && pairs
                    .withheld
                    .is_none_or(|r| r == WithheldReason::NestedGroup)
                && pairs.moments.n >= min;
            put("pairs", shown.then_some(pairs.moments.sum as f64));
            put("stratified", rev2_stratified(&d, &cells, &rules, &input));
        }
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
        put("comments", Some(f64::from(total)));
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
        "d",
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
            Revision::Three => {
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
                let mut block: BTreeMap<&'static str, Vec<f64>> =
                    base.keys().map(|k| (*k, vec![0.0; vars.len()])).collect();
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
                            row[i] = (b - a) / delta;
                        }
                    }
                }
                rows.extend(block.into_values());
            }
        }
    }
    rows
}
