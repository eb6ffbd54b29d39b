//! Anonymity and publication (SPEC "Anonymity and publication", revision 2), in one place that
//! every output goes through: the JSON report, the pages, the charts, the CLI, the exports.
//!
//! The store keeps its sufficient statistics per cell: (team, wave) × question. A figure of a
//! scope is a sum of cells, and this module decides which cells a figure may use and whether
//! the reader may see it:
//!
//! 1. A cell with 1 ≤ n < `min_group_size` numeric answers shows its n in its own team's report
//!    of that wave and contributes to no other figure (organisation, several waves, trend); it
//!    is counted in `excluded_cells`. So no subtraction of two reports isolates it.
//! 2. A team lead sees a wave's results only once the wave is closed; while it is open they see
//!    counts only, and a several-waves scope leaves open waves out. Admins see interim results,
//!    marked `published: false`.
//! 3. A team lead sees an organisation figure only where at least two teams outside their
//!    assignment contribute to it, and no wave in the scope has exactly one such team (else
//!    the organisation minus their own teams would be one other team); otherwise its n only.
//! 4. Comments are listed only from (team, wave) cells with at least `comment_min_group_size`
//!    customers, in an order that does not follow time, under the same publication and
//!    two-teams rules.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::domain::{Audience, Cell, DimensionId, RatingKind, Scope, TeamId, WaveId};
use crate::engine::{Histogram, Moments};
use crate::store::surveys::Wave;

/// Responses of one (team, wave).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellResponses {
    pub employees: u64,
    pub customers: u64,
    /// NPS answers 0..=10.
    pub nps: [u64; 11],
}

impl CellResponses {
    fn nps_n(&self) -> u64 {
        self.nps.iter().sum()
    }
}

/// The sufficient statistics of a scope, per cell (from the summary tables or the recount).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cells {
    pub ratings: BTreeMap<(Cell, DimensionId, RatingKind), Histogram>,
    pub pairs: BTreeMap<(Cell, DimensionId), Moments>,
    pub responses: BTreeMap<Cell, CellResponses>,
}

/// Who reads a report: an admin, or a team lead with their teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub admin: bool,
    pub teams: Vec<TeamId>,
}

impl Reader {
    pub fn admin() -> Reader {
        Reader {
            admin: true,
            teams: vec![],
        }
    }
}

/// One figure as a reader may see it: its counts, and whether it shows only its n.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure<T> {
    pub value: T,
    pub withheld: bool,
}

/// What a scope discloses to a reader; `app::reports` turns it into the engine's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Disclosed {
    pub ratings: BTreeMap<(DimensionId, RatingKind), Histogram>,
    /// Per dimension: the paired sums (perceived − expected), zero when withheld.
    pub pairs: BTreeMap<DimensionId, Moments>,
    pub nps: Figure<[u64; 11]>,
    pub employees: u64,
    pub customers: u64,
    pub excluded_cells: u64,
    pub published: bool,
    /// Per dimension: customers with a numeric answer on exactly one of perceived and
    /// expected (a count; counts are not protected).
    pub pairs_left_out: BTreeMap<DimensionId, u64>,
    /// Teams with a cell left out of this scope's figures (too few answers).
    pub left_out_teams: BTreeSet<TeamId>,
    /// Whether the reader sees counts only (a team lead and an open wave).
    pub counts_only: bool,
    /// Whether some figure with answers shows its n only by the two-teams rule.
    pub withheld: bool,
    /// Organisation scope: per team with a response in scope, its cells that reach the
    /// threshold (for the stratified gap); empty when the reader may not see that figure.
    pub strata: BTreeMap<TeamId, BTreeMap<(DimensionId, RatingKind), Histogram>>,
}

/// Whether a wave's results are published: its `closes_at` has passed.
pub fn is_closed(wave: &Wave, now: chrono::NaiveDateTime) -> bool {
    wave.closes_at.is_some_and(|c| c <= now)
}

/// The rules of one report: who reads, which scope, the survey's waves and threshold.
pub struct Rules<'a> {
    pub reader: &'a Reader,
    pub scope: Scope,
    pub waves: &'a [Wave],
    pub now: chrono::NaiveDateTime,
    pub min_group_size: u64,
}

impl Rules<'_> {
    fn open(&self, wave_id: WaveId) -> bool {
        self.waves
            .iter()
            .find(|w| w.id == wave_id)
            .is_none_or(|w| !is_closed(w, self.now))
    }

    /// A report of one team in one wave: the team's own cells, nothing summed.
    fn own_cells(&self) -> bool {
        self.scope.team.is_some() && self.scope.wave.is_some()
    }

    /// Whether a cell belongs in the reader's scope: its team and wave match the scope, and
    /// (team leads) no open wave in a several-waves scope.
    fn in_scope(&self, cell: Cell) -> bool {
        self.scope.team.is_none_or(|t| t == cell.team)
            && self.scope.wave.is_none_or(|w| w == cell.wave)
            && (self.reader.admin || self.scope.wave.is_some() || !self.open(cell.wave))
    }

    /// Team leads see counts only of a single open wave.
    fn counts_only(&self) -> bool {
        !self.reader.admin && self.scope.wave.is_some_and(|w| self.open(w))
    }

    fn published(&self, cells: &Cells) -> bool {
        match self.scope.wave {
            Some(w) => !self.open(w),
            None if self.reader.admin => cells.responses.keys().all(|c| !self.open(c.wave)),
            // Team leads' several-waves scopes leave the open waves out.
            None => true,
        }
    }

    /// Whether a cell of `n` answers may be summed into a figure of this scope.
    fn usable(&self, n: u64) -> bool {
        self.own_cells() || n == 0 || n >= self.min_group_size
    }

    fn small(&self, n: u64) -> bool {
        n >= 1 && n < self.min_group_size
    }

    /// The two-teams rule for a team lead's organisation figure, given the cells with numeric
    /// answers that the figure sums.
    fn two_teams_hold<'c>(&self, contributing: impl Iterator<Item = &'c Cell>) -> bool {
        if self.reader.admin || self.scope.team.is_some() {
            return true;
        }
        let mut outside: BTreeSet<TeamId> = BTreeSet::new();
        let mut per_wave: BTreeMap<WaveId, BTreeSet<TeamId>> = BTreeMap::new();
        for cell in contributing {
            if !self.reader.teams.contains(&cell.team) {
                outside.insert(cell.team);
                per_wave.entry(cell.wave).or_default().insert(cell.team);
            }
        }
        outside.len() >= 2 && per_wave.values().all(|teams| teams.len() != 1)
    }
}

/// Applies the rules to the cells of a scope.
pub fn disclose(cells: &Cells, rules: &Rules, points: usize) -> Disclosed {
    let in_scope = |cell: &Cell| rules.in_scope(*cell);
    let counts_only = rules.counts_only();
    let mut excluded = 0u64;
    let mut left_out_teams = BTreeSet::new();

    // Rating figures: per (dimension, kind), the usable cells summed.
    let mut ratings: BTreeMap<(DimensionId, RatingKind), (Histogram, Vec<Cell>)> = BTreeMap::new();
    let mut strata: BTreeMap<TeamId, BTreeMap<(DimensionId, RatingKind), Histogram>> =
        BTreeMap::new();
    for ((tw, dim, kind), h) in cells.ratings.iter().filter(|((tw, _, _), _)| in_scope(tw)) {
        let n = h.n();
        let entry = ratings
            .entry((*dim, *kind))
            .or_insert_with(|| (Histogram::empty(points), Vec::new()));
        if rules.small(n) {
            excluded += 1;
            if !rules.usable(n) {
                left_out_teams.insert(tw.team);
                continue;
            }
        }
        add(&mut entry.0, h);
        if n > 0 {
            entry.1.push(*tw);
        }
        if n >= rules.min_group_size && rules.scope.team.is_none() {
            add(
                strata
                    .entry(tw.team)
                    .or_default()
                    .entry((*dim, *kind))
                    .or_insert_with(|| Histogram::empty(points)),
                h,
            );
        }
    }
    let mut withheld = false;
    let ratings = ratings
        .into_iter()
        .map(|(key, (mut h, contributing))| {
            let by_rule = !rules.two_teams_hold(contributing.iter());
            withheld |= by_rule && h.n() > 0;
            h.withheld = counts_only || by_rule;
            (key, h)
        })
        .collect();

    // Paired sums: a cell with fewer pairs than the threshold is never summed.
    let mut pairs: BTreeMap<DimensionId, (Moments, Vec<Cell>)> = BTreeMap::new();
    for ((tw, dim), m) in cells.pairs.iter().filter(|((tw, _), _)| in_scope(tw)) {
        let entry = pairs.entry(*dim).or_default();
        if m.n < rules.min_group_size && !rules.own_cells() {
            continue;
        }
        entry.0.n += m.n;
        entry.0.sum += m.sum;
        entry.0.sum_sq += m.sum_sq;
        if m.n > 0 {
            entry.1.push(*tw);
        }
    }
    let pairs = pairs
        .into_iter()
        .map(|(dim, (m, contributing))| {
            let shown = !counts_only && rules.two_teams_hold(contributing.iter());
            (dim, if shown { m } else { Moments::default() })
        })
        .collect();

    // NPS and respondents.
    let mut nps = [0u64; 11];
    let mut nps_cells = Vec::new();
    let (mut employees, mut customers) = (0, 0);
    for (tw, r) in cells.responses.iter().filter(|(tw, _)| in_scope(tw)) {
        employees += r.employees;
        customers += r.customers;
        let n = r.nps_n();
        if rules.small(n) {
            excluded += 1;
            if !rules.usable(n) {
                left_out_teams.insert(tw.team);
                continue;
            }
        }
        for (total, c) in nps.iter_mut().zip(r.nps) {
            *total += c;
        }
        if n > 0 {
            nps_cells.push(*tw);
        }
    }
    let nps_withheld = counts_only || !rules.two_teams_hold(nps_cells.iter());

    // Customers with only one of perceived and expected, per dimension, over the scope.
    let mut pairs_left_out: BTreeMap<DimensionId, u64> = BTreeMap::new();
    for ((tw, dim, kind), h) in cells.ratings.iter().filter(|((tw, _, _), _)| in_scope(tw)) {
        if matches!(kind, RatingKind::Perceived | RatingKind::Expected) {
            let paired = cells.pairs.get(&(*tw, *dim)).map_or(0, |m| m.n);
            // n_perceived + n_expected − 2·pairs, added one side at a time.
            *pairs_left_out.entry(*dim).or_default() += h.n().saturating_sub(paired);
        }
    }

    // The within-team figure: every team with a response in scope takes part (the engine
    // uses those whose groups reach the threshold); teams outside a team lead's assignment
    // count as for any figure.
    let strata_shown = rules.scope.team.is_none() && !counts_only && {
        let used: Vec<Cell> = cells
            .ratings
            .iter()
            .filter(|((tw, _, _), h)| in_scope(tw) && h.n() >= rules.min_group_size)
            .map(|((tw, _, _), _)| *tw)
            .collect();
        rules.two_teams_hold(used.iter())
    };
    if strata_shown {
        for tw in cells.responses.keys().filter(|tw| in_scope(tw)) {
            strata.entry(tw.team).or_default();
        }
    }
    Disclosed {
        ratings,
        pairs,
        nps: Figure {
            value: nps,
            withheld: nps_withheld,
        },
        employees,
        customers,
        excluded_cells: excluded,
        published: rules.published(cells),
        left_out_teams,
        counts_only,
        withheld: withheld && !counts_only,
        pairs_left_out,
        strata: if strata_shown {
            strata
        } else {
            BTreeMap::new()
        },
    }
}

fn add(total: &mut Histogram, h: &Histogram) {
    for (t, c) in total.counts.iter_mut().zip(&h.counts) {
        *t += c;
    }
    total.dont_know += h.dont_know;
}

/// Which (team, wave) comment cells a reader may see listed: cells of published waves (for
/// team leads) with at least `comment_min` customers, under the two-teams rule for the
/// organisation scope. Empty when none may be shown.
pub fn comment_cells(cells: &Cells, rules: &Rules, comment_min: u64) -> Vec<Cell> {
    if rules.counts_only() {
        return Vec::new();
    }
    let usable: Vec<Cell> = cells
        .responses
        .iter()
        .filter(|(tw, r)| rules.in_scope(**tw) && r.customers >= comment_min.max(1))
        .map(|(tw, _)| *tw)
        .collect();
    if rules.two_teams_hold(usable.iter()) {
        usable
    } else {
        Vec::new()
    }
}

/// Puts comments in an order that does not follow submission time (by a hash of the text),
/// so that a list read before and after one more answer does not point at it.
pub fn unordered(mut comments: Vec<String>) -> Vec<String> {
    comments.sort_by_cached_key(|c| Sha256::digest(c.as_bytes()));
    comments
}

/// Adds one summary row: audience counts and NPS per (team, wave).
pub fn add_response(cells: &mut Cells, tw: Cell, audience: Audience, nps: Option<i32>, n: u64) {
    let r = cells.responses.entry(tw).or_default();
    match audience {
        Audience::Employee => r.employees += n,
        Audience::Customer => {
            r.customers += n;
            if let Some(slot) = nps
                .and_then(|v| usize::try_from(v).ok())
                .and_then(|i| r.nps.get_mut(i))
            {
                *slot += n;
            }
        }
    }
}

#[cfg(test)]
mod attacker;
