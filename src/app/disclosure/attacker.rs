//! The attacker: random organisations (teams, waves, small cells, team leads with random
//! assignments), every figure each reader can obtain over time (before and after a wave
//! closes), and a solver that looks for a linear combination of those figures isolating fewer
//! than `min_group_size` answers, or telling a team lead something about one team outside their
//! assignment. It treats `disclose` as a black box: which cells a figure sums is found by
//! changing one answer of one cell (its n unchanged, so no rule changes) and watching the
//! figure.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::domain::{Cell, DimensionId, RatingKind, Scope, SurveyId, TeamId, WaveId};

const POINTS: usize = 3;

#[derive(Debug, Clone)]
struct Org {
    teams: Vec<TeamId>,
    waves: Vec<WaveId>,
    /// Waves closed at the first look (all are closed at the second).
    closed_first: Vec<bool>,
    min: u64,
    /// Per (team, wave): a rating histogram and NPS answers.
    ratings: BTreeMap<Cell, Vec<u64>>,
    nps: BTreeMap<Cell, [u64; 11]>,
    leads: Vec<Vec<TeamId>>,
}

fn org() -> impl Strategy<Value = Org> {
    (2usize..=4, 1usize..=3, 3u64..=6).prop_flat_map(|(nt, nw, min)| {
        let teams: Vec<TeamId> = (1..=nt as i64).map(TeamId).collect();
        let waves: Vec<WaveId> = (1..=nw as i64).map(WaveId).collect();
        let cells = nt * nw;
        // Sizes: often empty or small, else up to twice the threshold.
        let size = prop_oneof![Just(0u64), 1..min, min..(2 * min + 1)];
        (
            Just(teams),
            Just(waves),
            proptest::collection::vec(any::<bool>(), nw),
            Just(min),
            proptest::collection::vec((size.clone(), 0u64..1000), cells),
            proptest::collection::vec((size, 0u64..1000), cells),
            proptest::collection::vec(proptest::collection::vec(any::<bool>(), nt), 1..=3),
        )
            .prop_map(|(teams, waves, closed_first, min, r, n, leads)| {
                let keys: Vec<Cell> = teams
                    .iter()
                    .flat_map(|t| waves.iter().map(move |w| Cell { team: *t, wave: *w }))
                    .collect();
                let spread = |n: u64, seed: u64, points: usize| -> Vec<u64> {
                    let mut h = vec![0u64; points];
                    for i in 0..n {
                        h[((seed + i * 7 + i * i) % points as u64) as usize] += 1;
                    }
                    h
                };
                let ratings = keys
                    .iter()
                    .zip(&r)
                    .map(|(k, (n, seed))| (*k, spread(*n, *seed, POINTS)))
                    .collect();
                let nps = keys
                    .iter()
                    .zip(&n)
                    .map(|(k, (n, seed))| {
                        let v = spread(*n, *seed, 11);
                        let mut a = [0u64; 11];
                        a.copy_from_slice(&v);
                        (*k, a)
                    })
                    .collect();
                let leads = leads
                    .into_iter()
                    .map(|mask| {
                        teams
                            .iter()
                            .zip(mask)
                            .filter(|(_, m)| *m)
                            .map(|(t, _)| *t)
                            .collect::<Vec<TeamId>>()
                    })
                    .filter(|l: &Vec<TeamId>| !l.is_empty())
                    .collect();
                Org {
                    teams,
                    waves,
                    closed_first,
                    min,
                    ratings,
                    nps,
                    leads,
                }
            })
    })
}

/// The figures' cells: the rating family (dimension 1, `self`) and the NPS family.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Rating,
    Nps,
}

fn cells_of(org: &Org) -> Cells {
    let mut cells = Cells::default();
    for (tw, h) in &org.ratings {
        cells.ratings.insert(
            (*tw, DimensionId(1), RatingKind::SelfRating),
            Histogram {
                counts: h.clone(),
                dont_know: 0,
                withheld: None,
            },
        );
    }
    for (tw, a) in &org.nps {
        cells.responses.insert(
            *tw,
            CellResponses {
                employees: 0,
                customers: a.iter().sum(),
                nps: *a,
            },
        );
    }
    cells
}

fn waves_at(org: &Org, all_closed: bool) -> Vec<Wave> {
    let t = |d: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 1, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default()
    };
    org.waves
        .iter()
        .zip(&org.closed_first)
        .map(|(w, closed)| Wave {
            id: *w,
            survey_id: SurveyId(1),
            name: format!("w{w}"),
            opens_at: t(1),
            closes_at: (all_closed || *closed).then(|| t(2)),
            created_at: t(1),
        })
        .collect()
}

/// The value a reader sees of a figure, or None when it shows its n only (withheld, or below
/// the threshold in the engine).
fn visible(d: &Disclosed, family: Family, min: u64) -> Option<Vec<u64>> {
    match family {
        Family::Rating => d
            .ratings
            .get(&(DimensionId(1), RatingKind::SelfRating))
            .filter(|h| h.withheld.is_none() && h.n() >= min)
            .map(|h| h.counts.clone()),
        Family::Nps => {
            let n: u64 = d.nps.value.iter().sum();
            (d.nps.withheld.is_none() && n >= min).then(|| d.nps.value.to_vec())
        }
    }
}

/// Moves one answer of a cell to another value (its n unchanged).
fn nudge(org: &Org, family: Family, cell: Cell) -> Option<Org> {
    let mut o = org.clone();
    let h: &mut [u64] = match family {
        Family::Rating => o.ratings.get_mut(&cell)?,
        Family::Nps => o.nps.get_mut(&cell)?,
    };
    let from = h.iter().position(|c| *c > 0)?;
    let to = (from + 1) % h.len();
    h[from] -= 1;
    h[to] += 1;
    Some(o)
}

/// Every (reader, time, scope) a reader can ask for, and per family the cells each visible
/// figure sums (found by nudging).
fn observations(org: &Org, reader: &Reader, family: Family) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let keys: Vec<Cell> = org.ratings.keys().copied().collect();
    let mut scopes: Vec<(Option<WaveId>, Option<TeamId>)> = Vec::new();
    for w in std::iter::once(None).chain(org.waves.iter().map(|w| Some(*w))) {
        scopes.push((w, None));
        for t in &org.teams {
            if reader.admin || reader.teams.contains(t) {
                scopes.push((w, Some(*t)));
            }
        }
    }
    for all_closed in [false, true] {
        let waves = waves_at(org, all_closed);
        let now = chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        for (w, t) in &scopes {
            let look = |o: &Org| {
                let rules = Rules {
                    reader,
                    scope: Scope::new(SurveyId(1), *w, *t),
                    waves: &waves,
                    now,
                    min_group_size: o.min,
                };
                visible(&disclose(&cells_of(o), &rules, POINTS), family, o.min)
            };
            let Some(base) = look(org) else { continue };
            let set: Vec<Cell> = keys
                .iter()
                .copied()
                .filter(|c| nudge(org, family, *c).is_some_and(|o| look(&o) != Some(base.clone())))
                .collect();
            rows.push(set);
        }
    }
    rows
}

/// Rank of 0/1 rows over the rationals (Gaussian elimination; entries stay small).
fn rank(rows: &[Vec<f64>]) -> usize {
    let mut m: Vec<Vec<f64>> = rows.to_vec();
    let cols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..m.len()).find(|&i| m[i][c].abs() > 1e-9) else {
            continue;
        };
        m.swap(r, p);
        for i in 0..m.len() {
            if i != r && m[i][c].abs() > 1e-9 {
                let f = m[i][c] / m[r][c];
                let pivot = m[r].clone();
                for (x, y) in m[i].iter_mut().zip(&pivot) {
                    *x -= f * y;
                }
            }
        }
        r += 1;
    }
    r
}

/// Whether some non-zero combination of the observed figures lies within `target` cells
/// (after cells in `known` are taken as known and projected out).
fn isolates(obs: &[Vec<Cell>], cols: &[Cell], known: &[Cell], target: &[Cell]) -> bool {
    let unknown: Vec<Cell> = cols
        .iter()
        .copied()
        .filter(|c| !known.contains(c))
        .collect();
    let row = |set: &[Cell]| -> Vec<f64> {
        unknown
            .iter()
            .map(|c| if set.contains(c) { 1.0 } else { 0.0 })
            .collect()
    };
    let r: Vec<Vec<f64>> = obs.iter().map(|s| row(s)).collect();
    let t: Vec<Vec<f64>> = target
        .iter()
        .filter(|c| unknown.contains(c))
        .map(|c| row(std::slice::from_ref(c)))
        .collect();
    if t.is_empty() {
        return false;
    }
    let both: Vec<Vec<f64>> = r.iter().chain(&t).cloned().collect();
    rank(&r) + t.len() > rank(&both)
}

fn n_of(org: &Org, family: Family, c: &Cell) -> u64 {
    match family {
        Family::Rating => org.ratings.get(c).map_or(0, |h| h.iter().sum()),
        Family::Nps => org.nps.get(c).map_or(0, |h| h.iter().sum()),
    }
}

/// Every set of non-empty cells with fewer than `min` answers in all.
fn small_sets(org: &Org, family: Family) -> Vec<Vec<Cell>> {
    let cells: Vec<Cell> = org
        .ratings
        .keys()
        .copied()
        .filter(|c| n_of(org, family, c) > 0)
        .collect();
    let mut out = Vec::new();
    for mask in 1u32..(1 << cells.len()) {
        let set: Vec<Cell> = (0..cells.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| cells[i])
            .collect();
        if set.iter().map(|c| n_of(org, family, c)).sum::<u64>() < org.min {
            out.push(set);
        }
    }
    out
}

fn check(org: &Org) -> Result<(), TestCaseError> {
    let cols: Vec<Cell> = org.ratings.keys().copied().collect();
    let mut readers = vec![Reader::admin()];
    readers.extend(org.leads.iter().map(|teams| Reader::lead(teams.clone())));
    for family in [Family::Rating, Family::Nps] {
        let smalls = small_sets(org, family);
        for reader in &readers {
            let obs = observations(org, reader, family);
            for set in &smalls {
                prop_assert!(
                    !isolates(&obs, &cols, &[], set),
                    "{family:?}: {reader:?} isolates {set:?} ({} answers) from {obs:?}",
                    set.iter().map(|c| n_of(org, family, c)).sum::<u64>()
                );
            }
            if reader.admin {
                continue;
            }
            // A team lead knows their own teams; nothing may single out one other team.
            let own: Vec<Cell> = cols
                .iter()
                .copied()
                .filter(|c| reader.teams.contains(&c.team))
                .collect();
            for team in org.teams.iter().filter(|t| !reader.teams.contains(t)) {
                let theirs: Vec<Cell> = cols
                    .iter()
                    .copied()
                    .filter(|c| c.team == *team)
                    .filter(|c| n_of(org, family, c) > 0)
                    .collect();
                prop_assert!(
                    !isolates(&obs, &cols, &own, &theirs),
                    "{family:?}: {reader:?} learns about team {team} alone from {obs:?}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_combination_of_outputs_isolates_a_small_group_or_one_other_team(org in org()) {
        check(&org)?;
    }
}

/// The solver finds what it should: with the revision-1 rule (small cells summed into the
/// organisation), organisation minus the other team isolates the small cell.
#[test]
fn the_solver_finds_the_subtraction_attack() {
    let cell = |t, w| Cell {
        team: TeamId(t),
        wave: WaveId(w),
    };
    let a = cell(1, 1);
    let b = cell(2, 1);
    let cols = vec![a, b];
    // Observed: the organisation (a + b) and team b alone.
    let obs = vec![vec![a, b], vec![b]];
    assert!(isolates(&obs, &cols, &[], &[a]));
    // With only the organisation, neither is isolated.
    assert!(!isolates(&obs[..1], &cols, &[], &[a]));
    // A team lead of b learns a from the organisation alone.
    assert!(isolates(&obs[..1], &cols, &[b], &[a]));
}
