//! The answers of a scope as the per-respondent figures need them (the knowledge score's
//! jackknife, the importance derived from NPS), kept between reports.
//!
//! Reading and unpacking every response of a large scope costs far more than the rest of a
//! report (about 100 ms for 62 500 responses, against 1.5 ms for the summaries and the
//! engine). Responses are only ever added: no route or command changes or deletes one, a team
//! with answers cannot be deleted, and surveys and waves are never deleted. So the number of
//! responses of a scope names the set of its responses exactly: a kept entry
//! is used only while the summary tables count as many responses in the scope as the entry was
//! built from, for the same database, the same dimensions and the same cells summed.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::domain::{Audience, Cell, DimensionId, RatingKind, ResponseId, Scope};
use crate::engine::{self, CustomerAnswer, CustomerAnswers, EmployeeAnswer, EmployeeAnswers};
use crate::store::packed::PackedAnswer;
use crate::store::surveys::{Dimension, Survey};
use crate::store::{self, AnyConnection};

/// What the per-respondent figures need, from exactly the cells the report's groups sum (so
/// the answers add up to the histograms, and no cell left out of a figure enters it here).
#[derive(Debug, Default)]
pub(super) struct PerRespondent {
    pub knowledge: Arc<engine::KnowledgeAnswers>,
    /// What the engine computed from `knowledge` before (kept with it).
    pub memo: Arc<engine::KnowledgeMemo>,
    /// Per dimension (in `dims` order); `withheld` is the report's to set.
    pub nps_perceived: Vec<engine::NpsPerceived>,
}

impl PerRespondent {
    /// No answers (a survey that asks nothing the per-respondent figures need).
    pub fn none(dimensions: usize) -> PerRespondent {
        PerRespondent {
            knowledge: Arc::default(),
            memo: Arc::default(),
            nps_perceived: vec![engine::NpsPerceived::default(); dimensions],
        }
    }
}

type Summed = BTreeSet<(Cell, DimensionId, RatingKind)>;

#[derive(Debug, Clone, PartialEq)]
struct Key {
    database: String,
    scope: Scope,
    dimensions: Vec<DimensionId>,
    summed: Summed,
    /// Whether customers' NPS answers feed the derived importance (no stated importance).
    nps_pairs: bool,
}

struct Entry {
    key: Key,
    /// How many responses the scope had when the entry was built.
    responses: u64,
    /// The largest response id among them.
    last_id: ResponseId,
    value: Arc<PerRespondent>,
}

/// The entries, most recently used first.
static KEPT: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
/// At most this many scopes are kept …
const MAX_ENTRIES: usize = 8;
/// … holding at most this many bytes of answers together (counted by [`bytes`]).
const MAX_BYTES: usize = 48 << 20;

/// The scope's answers in the cells of `summed`; `responses`: how many responses the summary
/// tables count in the scope now (in every cell, summed or not).
pub(super) fn per_respondent(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    summed: &Summed,
    responses: u64,
) -> diesel::QueryResult<Arc<PerRespondent>> {
    // Without a name for the database nothing is kept (and the report goes on).
    let key = store::database_identity(conn)
        .ok()
        .flatten()
        .map(|database| Key {
            database,
            scope,
            dimensions: dims.iter().map(|d| d.id).collect(),
            summed: summed.clone(),
            nps_pairs: nps_pairs(survey),
        });
    if let Some(key) = &key {
        match kept(key, responses) {
            Kept::Same(value) => return Ok(value),
            Kept::Fewer(entry) => {
                // Responses are only added: the ones since are those with a larger id — unless a
                // response with a smaller id committed later (PostgreSQL's sequences): then the
                // scope is read again as a whole (see `answers_added`).
                let added =
                    store::responses::answers_added(conn, scope, entry.last_id, entry.responses)?;
                if let Some(rows) = added.filter(|r| entry.responses + r.len() as u64 == responses)
                {
                    let last_id = rows.iter().map(|r| r.id).max().unwrap_or(entry.last_id);
                    let answers = Answers::new(survey, dims, summed);
                    // Responses only in cells the report does not sum (a lead's several waves
                    // while another wave is open) change nothing: the answers and memo stay.
                    let value = if rows.iter().any(|r| answers.sums(r)) {
                        Arc::new(answers.after(entry.value).read(&rows).done())
                    } else {
                        entry.value
                    };
                    keep(key.clone(), responses, last_id, value.clone());
                    return Ok(value);
                }
            }
            Kept::None => {}
        }
    }
    let rows = store::responses::answers_in_scope(conn, scope, None)?;
    let value = Arc::new(Answers::new(survey, dims, summed).read(&rows).done());
    // Keep it only when it holds exactly the responses the summaries count (a submission
    // committed between the two reads makes them differ: then the next report reads again).
    if let Some(key) = key.filter(|_| rows.len() as u64 == responses) {
        let last_id = rows.iter().map(|r| r.id).max().unwrap_or(ResponseId(0));
        keep(key, responses, last_id, value.clone());
    }
    Ok(value)
}

/// Forgets every kept entry (the benchmarks measure a report that reads every answer).
pub fn forget_kept_answers() {
    if let Ok(mut kept) = KEPT.lock() {
        kept.clear();
    }
}

enum Kept {
    /// An entry of as many responses as the scope has.
    Same(Arc<PerRespondent>),
    /// An entry of fewer (taken out: it is built on and kept again).
    Fewer(Entry),
    None,
}

fn kept(key: &Key, responses: u64) -> Kept {
    let Ok(mut kept) = KEPT.lock() else {
        return Kept::None;
    };
    let Some(i) = kept.iter().position(|e| &e.key == key) else {
        return Kept::None;
    };
    if kept[i].responses < responses {
        return Kept::Fewer(kept.remove(i));
    }
    if kept[i].responses > responses {
        return Kept::None;
    }
    let entry = kept.remove(i);
    let value = entry.value.clone();
    kept.insert(0, entry);
    Kept::Same(value)
}

fn keep(key: Key, responses: u64, last_id: ResponseId, value: Arc<PerRespondent>) {
    if bytes(&value) > MAX_BYTES {
        return;
    }
    let Ok(mut kept) = KEPT.lock() else {
        return;
    };
    // A scope's older entry (fewer responses) is of no more use.
    kept.retain(|e| e.key != key);
    kept.insert(
        0,
        Entry {
            key,
            responses,
            last_id,
            value,
        },
    );
    let mut total = 0;
    let mut keep_n = 0;
    for e in kept.iter() {
        total += bytes(&e.value);
        if keep_n == MAX_ENTRIES || total > MAX_BYTES {
            break;
        }
        keep_n += 1;
    }
    kept.truncate(keep_n);
}

/// What an entry's answers take in memory, from their own sizes and capacities.
fn bytes(v: &PerRespondent) -> usize {
    use std::mem::size_of;
    let k = &v.knowledge;
    let employees: usize = k
        .employees
        .iter()
        .map(|e| size_of::<EmployeeAnswers>() + e.answers.capacity() * size_of::<EmployeeAnswer>())
        .sum();
    let customers: usize = k
        .customers
        .iter()
        .map(|c| size_of::<CustomerAnswers>() + c.answers.capacity() * size_of::<CustomerAnswer>())
        .sum();
    employees + customers
}

fn nps_pairs(survey: &Survey) -> bool {
    !survey.ask_importance
}

/// Builds a [`PerRespondent`] from rows of the scope, reading only the answers in the cells
/// `summed` names.
struct Answers<'a> {
    nps_pairs: bool,
    dims: &'a [Dimension],
    /// Per cell, per dimension (in `dims` order): the kinds summed there, as bits.
    summed: HashMap<Cell, Vec<u8>>,
    out: PerRespondent,
    knowledge: engine::KnowledgeAnswers,
    /// One response's answers (reused: no allocation per response).
    scratch: Vec<PackedAnswer>,
}

fn bit(kind: RatingKind) -> u8 {
    match kind {
        RatingKind::SelfRating => 1,
        RatingKind::Predicted => 2,
        RatingKind::Perceived => 4,
        _ => 0,
    }
}

impl<'a> Answers<'a> {
    fn new(survey: &Survey, dims: &'a [Dimension], summed: &Summed) -> Answers<'a> {
        let mut cells: HashMap<Cell, Vec<u8>> = HashMap::new();
        for &(cell, dim, kind) in summed {
            if let Some(k) = dims.iter().position(|d| d.id == dim) {
                cells.entry(cell).or_insert_with(|| vec![0; dims.len()])[k] |= bit(kind);
            }
        }
        Answers {
            nps_pairs: nps_pairs(survey),
            dims,
            summed: cells,
            out: PerRespondent::none(dims.len()),
            knowledge: engine::KnowledgeAnswers::default(),
            scratch: Vec::new(),
        }
    }

    /// Goes on from a kept entry's answers (copied only where a report still holds them).
    fn after(mut self, before: Arc<PerRespondent>) -> Self {
        let before = Arc::try_unwrap(before).unwrap_or_else(|shared| PerRespondent {
            knowledge: shared.knowledge.clone(),
            memo: Arc::default(),
            nps_perceived: shared.nps_perceived.clone(),
        });
        self.knowledge =
            Arc::try_unwrap(before.knowledge).unwrap_or_else(|shared| (*shared).clone());
        self.out.nps_perceived = before.nps_perceived;
        self
    }

    /// Whether `row` is in a cell whose answers are read.
    fn sums(&self, row: &store::responses::AnswerRow) -> bool {
        self.summed.contains_key(&Cell {
            team: row.team_id,
            wave: row.wave_id,
        })
    }

    fn read(mut self, rows: &[store::responses::AnswerRow]) -> Self {
        for row in rows {
            let cell = Cell {
                team: row.team_id,
                wave: row.wave_id,
            };
            let Some(kinds) = self.summed.get(&cell) else {
                continue;
            };
            if store::responses::unpack_into(row.id, &row.answers, &mut self.scratch).is_err() {
                continue;
            }
            let index = |id: DimensionId| self.dims.iter().position(|d| d.id == id);
            let rated = self.scratch.iter().filter_map(|&(dim, kind, value)| {
                let k = index(dim)?;
                (kinds[k] & bit(kind) != 0).then_some((k, kind, value?))
            });
            match row.audience {
                Audience::Employee => {
                    let mut mine: Vec<EmployeeAnswer> = Vec::new();
                    for (k, kind, v) in rated {
                        let i = match mine.iter().position(|a| a.dimension == k) {
                            Some(i) => i,
                            None => {
                                mine.push(EmployeeAnswer {
                                    dimension: k,
                                    self_rating: None,
                                    predicted: None,
                                });
                                mine.len() - 1
                            }
                        };
                        match kind {
                            RatingKind::SelfRating => mine[i].self_rating = Some(v),
                            RatingKind::Predicted => mine[i].predicted = Some(v),
                            _ => {}
                        }
                    }
                    if !mine.is_empty() {
                        self.knowledge
                            .employees
                            .push(EmployeeAnswers { answers: mine });
                    }
                }
                Audience::Customer => {
                    let mut mine = Vec::new();
                    for (k, kind, v) in rated {
                        if kind != RatingKind::Perceived {
                            continue;
                        }
                        mine.push(CustomerAnswer {
                            dimension: k,
                            perceived: v,
                        });
                        if let (Some(nps), true) = (row.nps, self.nps_pairs) {
                            self.out.nps_perceived[k].add(v, nps);
                        }
                    }
                    if !mine.is_empty() {
                        self.knowledge
                            .customers
                            .push(CustomerAnswers { answers: mine });
                    }
                }
            }
        }
        self
    }

    fn done(mut self) -> PerRespondent {
        self.out.knowledge = Arc::new(self.knowledge);
        self.out.memo = Arc::new(engine::KnowledgeMemo::of(&self.out.knowledge));
        self.out
    }
}
