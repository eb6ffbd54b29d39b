//! Anonymity and publication (SPEC "Anonymity and publication", revisions 2 and 3), in one
//! place that every output goes through: the JSON report, the pages, the charts, the CLI, the
//! PDF and the workbooks.
//!
//! Every published figure is a sum over answer sets, and the store keeps those sums per cell:
//! (team, wave) × question. A figure of a scope sums cells; this module decides, per figure and
//! per reader, which cells it may sum and whether the reader may see it, and says why not
//! (`WithheldReason`, the first that applies):
//!
//! 1. `interim` — a team lead sees a wave's results only once the wave is closed; while it is
//!    open they see counts only, and a several-waves scope leaves open waves out. Admins see
//!    interim results, marked `published: false`.
//! 2. `assignment_history` — a team lead's rights over time (`Reader::history`): a team added to
//!    a lead whose earlier organisation figures of a wave would, minus the added team, single
//!    out one other team, is not shown to that lead for that wave.
//! 3. `below_threshold` — a cell with 1 ≤ n < `min_group_size` numeric answers shows its n in
//!    its own team's report of that wave and is summed into no other figure (organisation,
//!    several waves, trend); a figure with fewer answers than the threshold shows its n (the
//!    engine decides this last part).
//! 4. `two_teams_rule` — a team lead sees an organisation figure only where at least two teams
//!    outside every team they have been able to read (K, per wave) contribute to *that* figure,
//!    and no wave in it has exactly one such team. A lead never gets the stratified gap's value.
//! 5. `nested_group` — two figures over answer sets A ⊂ B are both shown only when B \ A holds
//!    no answers or at least the threshold: the expectation pairs are a subset of the perceived
//!    and of the expected answers.
//!
//! Comments are listed only from (team, wave) cells with at least `comment_min_group_size`
//! customers, in an order that does not follow time, under the same publication, history and
//! two-teams rules.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::domain::{Audience, Cell, DimensionId, RatingKind, Scope, TeamId, WaveId};
use crate::engine::{Histogram, Moments, WithheldReason};
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
    /// Cells with at least one customer comment (a cell without one adds nothing to a comment
    /// list, so it does not count towards the two-teams rule of one).
    pub commented: BTreeSet<Cell>,
}

impl Cells {
    fn numeric(&self, cell: Cell, dim: DimensionId, kind: RatingKind) -> u64 {
        self.ratings.get(&(cell, dim, kind)).map_or(0, Histogram::n)
    }
}

/// What a team lead has been able to read before (SPEC "Rights over time"); empty for an
/// admin. Kept per e-mail address in the database (`store::history`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Per wave: teams whose results of that wave the lead could read under an earlier
    /// assignment (today's teams are in `Reader::teams`).
    pub known: BTreeMap<WaveId, BTreeSet<TeamId>>,
    /// Waves published while the reader was an admin: every team counts as read.
    pub all_known: BTreeSet<WaveId>,
    /// A team's results of a wave that this lead may not read (`assignment_history`).
    pub withheld: BTreeSet<Cell>,
}

/// Who reads a report: an admin, or a team lead with their teams and their history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub admin: bool,
    /// Teams assigned today.
    pub teams: Vec<TeamId>,
    pub history: History,
}

impl Reader {
    pub fn admin() -> Reader {
        Reader {
            admin: true,
            teams: vec![],
            history: History::default(),
        }
    }

    /// A team lead without history beyond today's teams.
    pub fn lead(teams: Vec<TeamId>) -> Reader {
        Reader {
            admin: false,
            teams,
            history: History::default(),
        }
    }

    /// Whether the reader has been able to read this team's results of this wave (K).
    pub fn knows(&self, cell: Cell) -> bool {
        if self.admin || self.history.all_known.contains(&cell.wave) {
            return true;
        }
        if self.history.withheld.contains(&cell) {
            return false;
        }
        self.teams.contains(&cell.team)
            || self
                .history
                .known
                .get(&cell.wave)
                .is_some_and(|k| k.contains(&cell.team))
    }

    /// Whether this team's results of this wave are withheld from the reader by the history.
    pub fn history_withholds(&self, cell: Cell) -> bool {
        !self.admin && self.history.withheld.contains(&cell)
    }
}

/// One figure as a reader may see it: its counts, and why it shows its n only (None: shown,
/// unless the engine finds it below the threshold).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure<T> {
    pub value: T,
    pub withheld: Option<WithheldReason>,
}

/// The paired sums (perceived − expected) of one dimension as a reader may see them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairFigure {
    /// The sums over the pair cells the figure may use (counted even when withheld).
    pub moments: Moments,
    pub withheld: Option<WithheldReason>,
    /// Customers in scope with a numeric perceived answer and none on expected.
    pub perceived_only: u64,
    /// Customers in scope with a numeric expected answer and none on perceived.
    pub expected_only: u64,
}

/// What a scope discloses to a reader; `app::reports` turns it into the engine's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Disclosed {
    pub ratings: BTreeMap<(DimensionId, RatingKind), Histogram>,
    pub pairs: BTreeMap<DimensionId, PairFigure>,
    pub nps: Figure<[u64; 11]>,
    pub employees: u64,
    pub customers: u64,
    pub excluded_cells: u64,
    pub published: bool,
    /// Teams with a cell left out of this scope's figures (too few answers).
    pub left_out_teams: BTreeSet<TeamId>,
    /// Whether the reader sees counts only (a team lead and an open wave).
    pub counts_only: bool,
    /// Whether some figure with answers shows its n only by the two-teams rule.
    pub withheld: bool,
    /// Whether some figure shows its n only by the reader's assignment history.
    pub history_withheld: bool,
    /// Organisation scope: per team with a response in scope, its cells that reach the
    /// threshold (for the stratified gap's counts and, for admins, its value).
    pub strata: BTreeMap<TeamId, BTreeMap<(DimensionId, RatingKind), Histogram>>,
    pub strata_withheld: Option<WithheldReason>,
    /// The cells each rating figure sums (for the per-respondent figures built from the same
    /// answers: the knowledge score, the derived importance).
    pub summed: BTreeSet<(Cell, DimensionId, RatingKind)>,
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
    /// (team leads) no open wave in a several-waves scope, and no cell the history withholds
    /// summed into a several-waves scope of that team.
    fn in_scope(&self, cell: Cell) -> bool {
        self.scope.team.is_none_or(|t| t == cell.team)
            && self.scope.wave.is_none_or(|w| w == cell.wave)
            && (self.reader.admin || self.scope.wave.is_some() || !self.open(cell.wave))
            && !(self.scope.team.is_some()
                && self.scope.wave.is_none()
                && self.reader.history_withholds(cell))
    }

    /// Team leads see counts only of a single open wave.
    fn counts_only(&self) -> bool {
        !self.reader.admin && self.scope.wave.is_some_and(|w| self.open(w))
    }

    /// A team lead's own team in a wave the history withholds: counts only.
    fn history_withheld(&self) -> bool {
        match (self.scope.team, self.scope.wave) {
            (Some(team), Some(wave)) => self.reader.history_withholds(Cell { team, wave }),
            _ => false,
        }
    }

    /// The reasons that apply to every figure of this scope alike (before the cells).
    fn scope_reason(&self) -> Option<WithheldReason> {
        if self.counts_only() {
            Some(WithheldReason::Interim)
        } else if self.history_withheld() {
            Some(WithheldReason::AssignmentHistory)
        } else {
            None
        }
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
    /// answers that the figure sums: at least two teams outside K, and no wave with exactly
    /// one (else the organisation minus the lead's teams would be one other team).
    fn two_teams<'c>(
        &self,
        contributing: impl Iterator<Item = &'c Cell>,
    ) -> Option<WithheldReason> {
        if self.reader.admin || self.scope.team.is_some() {
            return None;
        }
        let mut outside: BTreeSet<TeamId> = BTreeSet::new();
        let mut per_wave: BTreeMap<WaveId, BTreeSet<TeamId>> = BTreeMap::new();
        for cell in contributing {
            if !self.reader.knows(*cell) {
                outside.insert(cell.team);
                per_wave.entry(cell.wave).or_default().insert(cell.team);
            }
        }
        let holds = outside.len() >= 2 && per_wave.values().all(|teams| teams.len() != 1);
        (!holds).then_some(WithheldReason::TwoTeamsRule)
    }
}

/// Applies the rules to the cells of a scope.
pub fn disclose(cells: &Cells, rules: &Rules, points: usize) -> Disclosed {
    let in_scope = |cell: &Cell| rules.in_scope(*cell);
    let scope_reason = rules.scope_reason();
    let mut excluded = 0u64;
    let mut left_out_teams = BTreeSet::new();
    let mut summed = BTreeSet::new();

    // Rating figures: per (dimension, kind), the usable cells summed.
    let mut ratings: BTreeMap<(DimensionId, RatingKind), (Histogram, Vec<Cell>)> = BTreeMap::new();
    let mut strata: BTreeMap<TeamId, BTreeMap<(DimensionId, RatingKind), Histogram>> =
        BTreeMap::new();
    for ((cell, dim, kind), h) in cells.ratings.iter().filter(|((c, _, _), _)| in_scope(c)) {
        let n = h.n();
        let entry = ratings
            .entry((*dim, *kind))
            .or_insert_with(|| (Histogram::empty(points), Vec::new()));
        if rules.small(n) {
            excluded += 1;
            if !rules.usable(n) {
                left_out_teams.insert(cell.team);
                continue;
            }
        }
        add(&mut entry.0, h);
        summed.insert((*cell, *dim, *kind));
        if n > 0 {
            entry.1.push(*cell);
        }
        if n >= rules.min_group_size && rules.scope.team.is_none() {
            add(
                strata
                    .entry(cell.team)
                    .or_default()
                    .entry((*dim, *kind))
                    .or_insert_with(|| Histogram::empty(points)),
                h,
            );
        }
    }
    let mut withheld = false;
    let ratings: BTreeMap<(DimensionId, RatingKind), Histogram> = ratings
        .into_iter()
        .map(|(key, (mut h, contributing))| {
            let by_rule = rules.two_teams(contributing.iter());
            withheld |= by_rule.is_some() && h.n() > 0;
            h.withheld = WithheldReason::first(scope_reason, by_rule);
            (key, h)
        })
        .collect();

    // Paired sums: a cell with fewer pairs than the threshold is never summed. Nested groups:
    // a cell's pairs are a subset of its perceived and of its expected answers, and every
    // cell's groups can be had from the reports (a team's several waves minus its other
    // waves), so a cell whose perceived or expected answers go beyond its pairs by 1 to
    // min − 1 is never summed either; in its own report its pairs show their n only.
    let mut pairs: BTreeMap<DimensionId, (PairFigure, Vec<Cell>)> = BTreeMap::new();
    for ((cell, dim), m) in cells.pairs.iter().filter(|((c, _), _)| in_scope(c)) {
        let entry = pairs.entry(*dim).or_default();
        let (np, ne) = (
            cells.numeric(*cell, *dim, RatingKind::Perceived),
            cells.numeric(*cell, *dim, RatingKind::Expected),
        );
        let (beyond_p, beyond_e) = (np.saturating_sub(m.n), ne.saturating_sub(m.n));
        entry.0.perceived_only += beyond_p;
        entry.0.expected_only += beyond_e;
        let nested = m.n > 0 && (rules.small(beyond_p) || rules.small(beyond_e));
        if nested && rules.own_cells() {
            entry.0.withheld = Some(WithheldReason::NestedGroup);
        }
        if (m.n < rules.min_group_size || nested) && !rules.own_cells() {
            continue;
        }
        entry.0.moments.n += m.n;
        entry.0.moments.sum += m.sum;
        entry.0.moments.sum_sq += m.sum_sq;
        if m.n > 0 {
            entry.1.push(*cell);
        }
    }
    // (The engine checks the nested rule once more on the figure: the pairs against the
    // perceived and expected groups it is given, which sum the same cells.)
    let pairs = pairs
        .into_iter()
        .map(|(dim, (mut figure, contributing))| {
            figure.withheld = [
                scope_reason,
                rules.two_teams(contributing.iter()),
                figure.withheld,
            ]
            .into_iter()
            .fold(None, WithheldReason::first);
            (dim, figure)
        })
        .collect();

    // NPS and respondents.
    let mut nps = [0u64; 11];
    let mut nps_cells = Vec::new();
    let (mut employees, mut customers) = (0, 0);
    for (cell, r) in cells.responses.iter().filter(|(c, _)| in_scope(c)) {
        employees += r.employees;
        customers += r.customers;
        let n = r.nps_n();
        if rules.small(n) {
            excluded += 1;
            if !rules.usable(n) {
                left_out_teams.insert(cell.team);
                continue;
            }
        }
        for (total, c) in nps.iter_mut().zip(r.nps) {
            *total += c;
        }
        if n > 0 {
            nps_cells.push(*cell);
        }
    }
    let nps_withheld = WithheldReason::first(scope_reason, rules.two_teams(nps_cells.iter()));

    // The within-team figure: every team with a response in scope takes part (the engine
    // uses those whose groups reach the threshold). A team lead gets its counts only: its
    // weights differ from the plain means, so with the lead's own team subtracted it could
    // single out one other team even where two contribute.
    let strata_withheld = if rules.scope.team.is_some() {
        None
    } else if let Some(r) = scope_reason {
        Some(r)
    } else if !rules.reader.admin {
        Some(WithheldReason::TwoTeamsRule)
    } else {
        None
    };
    if rules.scope.team.is_none() {
        for cell in cells.responses.keys().filter(|c| in_scope(c)) {
            strata.entry(cell.team).or_default();
        }
    }
    let history_withheld = rules.history_withheld();
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
        counts_only: rules.counts_only(),
        withheld: withheld && scope_reason.is_none(),
        history_withheld,
        strata,
        strata_withheld,
        summed,
    }
}

fn add(total: &mut Histogram, h: &Histogram) {
    for (t, c) in total.counts.iter_mut().zip(&h.counts) {
        *t += c;
    }
    total.dont_know += h.dont_know;
}

/// Which (team, wave) comment cells a reader may see listed: cells of published waves (for
/// team leads) with at least `comment_min` customers, under the history and two-teams rules
/// for the organisation scope. Empty when none may be shown.
pub fn comment_cells(cells: &Cells, rules: &Rules, comment_min: u64) -> Vec<Cell> {
    if rules.scope_reason().is_some() {
        return Vec::new();
    }
    let usable: Vec<Cell> = cells
        .responses
        .iter()
        .filter(|(c, r)| rules.in_scope(**c) && r.customers >= comment_min.max(1))
        .map(|(c, _)| *c)
        .collect();
    let contributing = usable.iter().filter(|c| cells.commented.contains(c));
    if rules.two_teams(contributing).is_none() {
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
pub fn add_response(cells: &mut Cells, cell: Cell, audience: Audience, nps: Option<i32>, n: u64) {
    let r = cells.responses.entry(cell).or_default();
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

/// The teams of `added` whose results of `wave` a team lead may not read: the lead could read
/// an organisation figure of that wave (at least two contributing teams outside `known`), and
/// with the added teams known fewer than two would be left — the saved figure minus the
/// teams the lead then reads would be one other team (SPEC "Rights over time").
pub fn singled_out(
    cells: &Cells,
    wave: WaveId,
    min_group_size: u64,
    comment_min: u64,
    known: &dyn Fn(TeamId) -> bool,
    added: &BTreeSet<TeamId>,
) -> BTreeSet<TeamId> {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        Rating(DimensionId, RatingKind),
        Pairs(DimensionId),
        Nps,
        Comments,
    }
    let mut figures: BTreeMap<Key, BTreeSet<TeamId>> = BTreeMap::new();
    let mut contribute = |key: Key, team: TeamId, n: u64, min: u64| {
        if n >= min.max(1) {
            figures.entry(key).or_default().insert(team);
        }
    };
    for ((cell, dim, kind), h) in cells.ratings.iter().filter(|((c, _, _), _)| c.wave == wave) {
        contribute(Key::Rating(*dim, *kind), cell.team, h.n(), min_group_size);
    }
    for ((cell, dim), m) in cells.pairs.iter().filter(|((c, _), _)| c.wave == wave) {
        contribute(Key::Pairs(*dim), cell.team, m.n, min_group_size);
    }
    for (cell, r) in cells.responses.iter().filter(|(c, _)| c.wave == wave) {
        contribute(Key::Nps, cell.team, r.nps_n(), min_group_size);
        if cells.commented.contains(cell) {
            contribute(Key::Comments, cell.team, r.customers, comment_min);
        }
    }
    let mut out = BTreeSet::new();
    for teams in figures.values() {
        let outside: BTreeSet<TeamId> = teams.iter().copied().filter(|t| !known(*t)).collect();
        let left = outside.iter().filter(|t| !added.contains(t)).count();
        if outside.len() >= 2 && left < 2 {
            out.extend(outside.intersection(added).copied());
        }
    }
    out
}

#[cfg(test)]
mod attacker;
