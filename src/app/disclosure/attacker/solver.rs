//! The solver: which answer sets the observed rows isolate, and the attack that asks it about
//! every small set and every other team.

use std::collections::BTreeSet;

use super::*;

/// Rank by Gaussian elimination with partial pivoting, on the columns not in `drop`.
pub(super) fn rank(rows: &[Vec<f64>], drop: &BTreeSet<usize>) -> usize {
    let cols: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .filter(|c| !drop.contains(c))
        .collect();
    let mut m: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| cols.iter().map(|&c| r[c]).collect())
        .collect();
    let scale = m
        .iter()
        .flatten()
        .fold(0.0f64, |a, x| a.max(x.abs()))
        .max(1e-300);
    let eps = 1e-9 * scale;
    let mut r = 0;
    for c in 0..cols.len() {
        let Some(p) = (r..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs())) else {
            break;
        };
        if m[p][c].abs() <= eps {
            continue;
        }
        m.swap(r, p);
        let pivot = m[r].clone();
        for row in m.iter_mut().skip(r + 1) {
            let f = row[c] / pivot[c];
            if f != 0.0 {
                for (x, y) in row.iter_mut().zip(&pivot) {
                    *x -= f * y;
                }
            }
        }
        r += 1;
    }
    r
}

/// Whether the observed rows span a vector supported on `target` (non-zero there), with the
/// answers in `known` known to the reader.
pub(super) fn isolates(
    rows: &[Vec<f64>],
    vars: &[Var],
    known: &BTreeSet<Var>,
    target: &BTreeSet<Var>,
) -> bool {
    let idx = |set: &BTreeSet<Var>| -> BTreeSet<usize> {
        vars.iter()
            .enumerate()
            .filter(|(_, v)| set.contains(v))
            .map(|(i, _)| i)
            .collect()
    };
    let k = idx(known);
    let t: BTreeSet<usize> = idx(target).difference(&k).copied().collect();
    if t.is_empty() || rows.is_empty() {
        return false;
    }
    let both: BTreeSet<usize> = k.union(&t).copied().collect();
    rank(rows, &both) < rank(rows, &k)
}

/// The small answer sets no output may isolate: single answers (comments are listed one by
/// one by design, so not those), cells below the threshold, and the answers of one group
/// beyond the pairs (per cell, per wave, overall) when they are fewer than the threshold.
fn small_sets(org: &Org, vars: &[Var]) -> Vec<(String, BTreeSet<Var>)> {
    let mut out: Vec<(String, BTreeSet<Var>)> = vars
        .iter()
        .filter(|v| !matches!(v, Var::Comment(..)))
        .map(|v| (format!("{v:?}"), BTreeSet::from([*v])))
        .collect();
    type Is = fn(&Var) -> bool;
    let kinds: [(&str, Is); 4] = [
        ("self", |v| matches!(v, Var::SelfRating(..))),
        ("perceived", |v| matches!(v, Var::Perceived(..))),
        ("expected", |v| matches!(v, Var::Expected(..))),
        ("nps", |v| matches!(v, Var::Nps(..))),
    ];
    let cells: BTreeSet<Cell> = vars.iter().map(|v| v.cell()).collect();
    let small = |s: &BTreeSet<Var>| (1..org.min).contains(&(s.len() as u64));
    for cell in &cells {
        for (name, is) in kinds {
            let set: BTreeSet<Var> = vars
                .iter()
                .copied()
                .filter(|v| v.cell() == *cell && is(v))
                .collect();
            if small(&set) {
                out.push((format!("{name} of {cell:?}"), set));
            }
        }
    }
    // One group's answers beyond the pairs: perceived without expected, and the reverse.
    let beyond = |perceived_side: bool, keep: &dyn Fn(Cell) -> bool| -> BTreeSet<Var> {
        let mut set = BTreeSet::new();
        for (cell, cs) in org.customers.iter().filter(|(c, _)| keep(**c)) {
            for (i, c) in cs.iter().enumerate() {
                match (c.perceived, c.expected, perceived_side) {
                    (Some(_), None, true) => {
                        set.insert(Var::Perceived(*cell, i));
                    }
                    (None, Some(_), false) => {
                        set.insert(Var::Expected(*cell, i));
                    }
                    _ => {}
                }
            }
        }
        set
    };
    for side in [true, false] {
        let mut groups: Vec<(String, BTreeSet<Var>)> =
            vec![("beyond the pairs".into(), beyond(side, &|_| true))];
        for w in &org.waves {
            groups.push((
                format!("beyond the pairs in {w}"),
                beyond(side, &|c| c.wave == *w),
            ));
        }
        for c in &cells {
            groups.push((
                format!("beyond the pairs in {c:?}"),
                beyond(side, &|x| x == *c),
            ));
        }
        out.extend(groups.into_iter().filter(|(_, s)| small(s)));
    }
    out
}

/// Everything a lead reads in every phase: the cells whose team results they could read.
fn readable(readers: &[Reader], org: &Org) -> BTreeSet<Cell> {
    let mut out = BTreeSet::new();
    for r in readers {
        for t in &r.teams {
            for w in &org.waves {
                let cell = Cell { team: *t, wave: *w };
                if !r.history_withholds(cell) {
                    out.insert(cell);
                }
            }
        }
    }
    out
}

/// The violations the attacker finds (empty: none).
pub(super) fn attack(org: &Org, rev: Revision, mins: &[u64]) -> Vec<String> {
    let vars = org.vars();
    let smalls = small_sets(org, &vars);
    let mut found = Vec::new();
    for (who, readers) in phases(org, rev) {
        let rows = observe(org, &readers, &vars, mins, rev);
        for (name, set) in &smalls {
            if isolates(&rows, &vars, &BTreeSet::new(), set) {
                found.push(format!("{who} isolates {name}"));
            }
        }
        if readers.iter().any(|r| r.admin) {
            continue;
        }
        let cells = readable(&readers, org);
        let known: BTreeSet<Var> = vars
            .iter()
            .copied()
            .filter(|v| cells.contains(&v.cell()))
            .collect();
        for team in &org.teams {
            let theirs: BTreeSet<Var> = vars
                .iter()
                .copied()
                .filter(|v| v.cell().team == *team && !cells.contains(&v.cell()))
                .collect();
            if isolates(&rows, &vars, &known, &theirs) {
                found.push(format!("{who} learns about team {team} alone"));
            }
        }
    }
    found
}
