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

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use crate::domain::{Audience, Cell, DimensionId, RatingKind, ResponseId, Scope};
use crate::engine::{self, CustomerAnswer, CustomerAnswers, EmployeeAnswer, EmployeeAnswers};
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

#[derive(Debug, PartialEq)]
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
        if let Some(found) = kept(key, responses) {
            return Ok(found);
        }
    }
    let rows = store::responses::answers_in_scope(conn, scope)?;
    let value = Arc::new(build(survey, dims, summed, &rows));
    // Keep it only when it holds exactly the responses the summaries count (a submission
    // committed between the two reads makes them differ: then the next report reads again).
    if let Some(key) = key.filter(|_| rows.len() as u64 == responses) {
        keep(key, responses, value.clone());
    }
    Ok(value)
}

/// Forgets every kept entry (the benchmarks measure a report that reads every answer).
pub fn forget_kept_answers() {
    if let Ok(mut kept) = KEPT.lock() {
        kept.clear();
    }
}

fn kept(key: &Key, responses: u64) -> Option<Arc<PerRespondent>> {
    let mut kept = KEPT.lock().ok()?;
    let i = kept
        .iter()
        .position(|e| e.responses == responses && &e.key == key)?;
    let entry = kept.remove(i);
    let value = entry.value.clone();
    kept.insert(0, entry);
    Some(value)
}

fn keep(key: Key, responses: u64, value: Arc<PerRespondent>) {
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

/// Reads the answers of the rows in the cells `summed` names.
fn build(
    survey: &Survey,
    dims: &[Dimension],
    summed: &Summed,
    rows: &[store::responses::AnswerRow],
) -> PerRespondent {
    let index = |id: DimensionId| dims.iter().position(|d| d.id == id);
    let mut out = PerRespondent::none(dims.len());
    let mut knowledge = engine::KnowledgeAnswers::default();
    for row in rows {
        let cell = Cell {
            team: row.team_id,
            wave: row.wave_id,
        };
        let summed = |dim: DimensionId, kind: RatingKind| summed.contains(&(cell, dim, kind));
        let Ok(rated) = store::responses::unpack(ResponseId(0), &row.answers) else {
            continue;
        };
        match row.audience {
            Audience::Employee => {
                let mut mine: Vec<EmployeeAnswer> = Vec::new();
                for r in rated.iter().filter(|r| summed(r.dimension_id, r.kind)) {
                    let (Some(k), Some(v)) = (index(r.dimension_id), r.value) else {
                        continue;
                    };
                    let slot = match mine.iter().position(|a| a.dimension == k) {
                        Some(i) => &mut mine[i],
                        None => {
                            mine.push(EmployeeAnswer {
                                dimension: k,
                                self_rating: None,
                                predicted: None,
                            });
                            let last = mine.len() - 1;
                            &mut mine[last]
                        }
                    };
                    match r.kind {
                        RatingKind::SelfRating => slot.self_rating = Some(v),
                        RatingKind::Predicted => slot.predicted = Some(v),
                        _ => {}
                    }
                }
                if !mine.is_empty() {
                    knowledge.employees.push(EmployeeAnswers { answers: mine });
                }
            }
            Audience::Customer => {
                let mut mine = Vec::new();
                for r in rated
                    .iter()
                    .filter(|r| r.kind == RatingKind::Perceived && summed(r.dimension_id, r.kind))
                {
                    let (Some(k), Some(v)) = (index(r.dimension_id), r.value) else {
                        continue;
                    };
                    mine.push(CustomerAnswer {
                        dimension: k,
                        perceived: v,
                    });
                    if let (Some(nps), true) = (row.nps, nps_pairs(survey)) {
                        out.nps_perceived[k].add(v, nps);
                    }
                }
                if !mine.is_empty() {
                    knowledge.customers.push(CustomerAnswers { answers: mine });
                }
            }
        }
    }
    out.knowledge = Arc::new(knowledge);
    out.memo = Arc::new(engine::KnowledgeMemo::of(&out.knowledge));
    out
}
