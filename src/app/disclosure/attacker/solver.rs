//! The solver: which answer sets the observed rows isolate, and the attack that asks it about
//! every small set and every other team.

use std::collections::BTreeSet;

use super::*;

/// The span of the observed rows with the answers a reader knows projected out (their
/// columns dropped), in reduced row echelon form. A vector supported on T lies in it exactly
/// when the null-space columns of T are linearly dependent, so each question costs a rank of
/// |T| short vectors instead of an elimination over every row (the rows number hundreds).
pub(super) struct Span {
    /// Kept column → its row in `rref` (a pivot) or its index among the free columns.
    place: Vec<Option<Place>>,
    rref: Vec<Vec<f64>>,
    /// The free (non-pivot) kept columns, in order.
    free: Vec<usize>,
}

#[derive(Clone, Copy)]
enum Place {
    Pivot(usize),
    Free(usize),
}

/// Entries closer to zero than this (after scaling rows to a largest entry of 1) are zero.
const EPS: f64 = 1e-9;

impl Span {
    pub(super) fn new(rows: &[Vec<f64>], width: usize, drop: &BTreeSet<usize>) -> Span {
        let cols: Vec<usize> = (0..width).filter(|c| !drop.contains(c)).collect();
        let mut m: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| {
                let row: Vec<f64> = cols.iter().map(|&c| r[c]).collect();
                let top = row.iter().fold(0.0f64, |a, x| a.max(x.abs()));
                if top > 0.0 {
                    row.iter().map(|x| x / top).collect()
                } else {
                    row
                }
            })
            .filter(|r| r.iter().any(|x| *x != 0.0))
            .collect();
        let mut place = vec![None; width];
        let mut pivots = Vec::new();
        let mut r = 0;
        for (j, &c) in cols.iter().enumerate() {
            let Some(p) = (r..m.len()).max_by(|&a, &b| m[a][j].abs().total_cmp(&m[b][j].abs()))
            else {
                continue;
            };
            if m[p][j].abs() <= EPS {
                continue;
            }
            m.swap(r, p);
            let inv = 1.0 / m[r][j];
            for x in m[r].iter_mut() {
                *x *= inv;
            }
            let pivot = m[r].clone();
            for (i, row) in m.iter_mut().enumerate() {
                let f = row[j];
                if i != r && f != 0.0 {
                    for (x, y) in row.iter_mut().zip(&pivot) {
                        *x -= f * y;
                    }
                    row[j] = 0.0;
                }
            }
            place[c] = Some(Place::Pivot(r));
            pivots.push(j);
            r += 1;
        }
        m.truncate(r);
        let mut free = Vec::new();
        let mut local = vec![0usize; width];
        for (j, &c) in cols.iter().enumerate() {
            local[c] = j;
            if place[c].is_none() {
                place[c] = Some(Place::Free(free.len()));
                free.push(j);
            }
        }
        // Rows keep only their entries in the free columns (the pivots are the identity).
        let rref = m
            .into_iter()
            .map(|row| free.iter().map(|&j| row[j]).collect())
            .collect();
        Span { place, rref, free }
    }

    /// Whether the span holds a vector non-zero on `target` and zero off it (dropped columns
    /// aside).
    pub(super) fn isolates(&self, target: &BTreeSet<usize>) -> bool {
        // The null space: x_free arbitrary, x_pivot(i) = −rref[i] · x_free. Its column for a
        // target column: −rref[i] for a pivot, the unit vector for a free column.
        let vectors: Vec<Vec<f64>> = target
            .iter()
            .filter_map(|&c| self.place.get(c).copied().flatten())
            .map(|p| match p {
                Place::Pivot(i) => self.rref[i].iter().map(|x| -x).collect(),
                Place::Free(f) => {
                    let mut v = vec![0.0; self.free.len()];
                    v[f] = 1.0;
                    v
                }
            })
            .collect();
        let n = vectors.len();
        n > 0 && independent(vectors) < n
    }
}

/// The rank of a set of vectors (Gaussian elimination with partial pivoting).
fn independent(mut m: Vec<Vec<f64>>) -> usize {
    let width = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..width {
        let Some(p) = (r..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs())) else {
            break;
        };
        if m[p][c].abs() <= EPS {
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

fn indices(vars: &[Var], set: &BTreeSet<Var>) -> BTreeSet<usize> {
    vars.iter()
        .enumerate()
        .filter(|(_, v)| set.contains(v))
        .map(|(i, _)| i)
        .collect()
}

/// Whether the observed rows span a vector supported on `target` (non-zero there), with the
/// answers in `known` known to the reader.
pub(super) fn isolates(
    rows: &[Vec<f64>],
    vars: &[Var],
    known: &BTreeSet<Var>,
    target: &BTreeSet<Var>,
) -> bool {
    let k = indices(vars, known);
    let t: BTreeSet<usize> = indices(vars, target).difference(&k).copied().collect();
    if t.is_empty() || rows.is_empty() {
        return false;
    }
    Span::new(rows, vars.len(), &k).isolates(&t)
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
    // Per cell and dimension, each kind of answer (expected: the first dimension only; NPS
    // belongs to none, listed with it).
    type Is = fn(&Var, usize) -> bool;
    let kinds: [(&str, Is); 5] = [
        (
            "self",
            |v, k| matches!(v, Var::SelfRating(_, _, d) if *d == k),
        ),
        (
            "predicted",
            |v, k| matches!(v, Var::Predicted(_, _, d) if *d == k),
        ),
        (
            "perceived",
            |v, k| matches!(v, Var::Perceived(_, _, d) if *d == k),
        ),
        ("expected", |v, k| k == 0 && matches!(v, Var::Expected(..))),
        ("nps", |v, k| k == 0 && matches!(v, Var::Nps(..))),
    ];
    let cells: BTreeSet<Cell> = vars.iter().map(|v| v.cell()).collect();
    let small = |s: &BTreeSet<Var>| (1..org.min).contains(&(s.len() as u64));
    for cell in &cells {
        for k in 0..org.dims {
            for (name, is) in kinds {
                let set: BTreeSet<Var> = vars
                    .iter()
                    .copied()
                    .filter(|v| v.cell() == *cell && is(v, k))
                    .collect();
                if small(&set) {
                    out.push((format!("{name} of {cell:?} in {}", dim_key(k)), set));
                }
            }
        }
    }
    // One group's answers beyond the pairs: perceived without expected, and the reverse.
    let beyond = |perceived_side: bool, keep: &dyn Fn(Cell) -> bool| -> BTreeSet<Var> {
        let mut set = BTreeSet::new();
        for (cell, cs) in org.customers.iter().filter(|(c, _)| keep(**c)) {
            for (i, c) in cs.iter().enumerate() {
                match (
                    c.perceived.first().copied().flatten(),
                    c.expected,
                    perceived_side,
                ) {
                    (Some(_), None, true) => {
                        set.insert(Var::Perceived(*cell, i, 0));
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
        let span = Span::new(&rows, vars.len(), &BTreeSet::new());
        for (name, set) in &smalls {
            if span.isolates(&indices(&vars, set)) {
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
        let span = Span::new(&rows, vars.len(), &indices(&vars, &known));
        for team in &org.teams {
            let theirs: BTreeSet<Var> = vars
                .iter()
                .copied()
                .filter(|v| v.cell().team == *team && !cells.contains(&v.cell()))
                .collect();
            if span.isolates(&indices(&vars, &theirs)) {
                found.push(format!("{who} learns about team {team} alone"));
            }
        }
    }
    found
}
