//! The memo a caller keeps beside a set of answers (see [`KnowledgeMemo`]).

use super::{Knowledge, KnowledgeAnswers, KnowledgeDimension, Tallies};

/// What the engine computed from one set of answers, kept beside them by a caller that keeps
/// the answers between reports (`app::reports` does, per scope): the tallies, and the last
/// knowledge figures with what they were computed for. The answers must not change while a
/// memo is attached to them; a memo is only ever used for the answers it was made with.
#[derive(Debug, Default)]
pub struct KnowledgeMemo {
    /// The answers it was made for: used with no others (a memo made by `Default` with none).
    answers: std::sync::Weak<KnowledgeAnswers>,
    tallies: std::sync::OnceLock<(usize, Tallies)>,
    last: std::sync::Mutex<Option<Computed>>,
}

/// Knowledge figures with the shown dimensions and the scale range they were computed for.
type Computed = (Vec<KnowledgeDimension>, i32, Option<Knowledge>);

/// A memo means nothing of its own: two inputs that differ only in it are the same input.
impl PartialEq for KnowledgeMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl KnowledgeMemo {
    /// A memo for these answers.
    pub fn of(answers: &std::sync::Arc<KnowledgeAnswers>) -> KnowledgeMemo {
        KnowledgeMemo {
            answers: std::sync::Arc::downgrade(answers),
            ..KnowledgeMemo::default()
        }
    }

    /// Whether this memo was made for exactly these answers (the same allocation, still alive:
    /// answers changed through `Arc::make_mut` are another allocation or cut the link).
    pub(crate) fn is_for(&self, answers: &std::sync::Arc<KnowledgeAnswers>) -> bool {
        self.answers
            .upgrade()
            .is_some_and(|a| std::sync::Arc::ptr_eq(&a, answers))
    }

    /// The tallies of `answers` over `dims` dimensions, counted once.
    pub(crate) fn tallies(&self, answers: &KnowledgeAnswers, dims: usize) -> Tallies {
        match self
            .tallies
            .get_or_init(|| (dims, Tallies::of(answers, dims)))
        {
            (n, t) if *n == dims => t.clone(),
            _ => Tallies::of(answers, dims),
        }
    }

    /// The knowledge figures for `dims` and `scale_range`: the kept ones when they were
    /// computed for the same, else `compute`'s (then kept).
    pub(crate) fn knowledge(
        &self,
        dims: &[KnowledgeDimension],
        scale_range: i32,
        compute: impl FnOnce() -> Option<Knowledge>,
    ) -> Option<Knowledge> {
        if let Ok(last) = self.last.lock() {
            if let Some((d, r, k)) = last.as_ref() {
                if d == dims && *r == scale_range {
                    return k.clone();
                }
            }
        }
        let k = compute();
        if let Ok(mut last) = self.last.lock() {
            *last = Some((dims.to_vec(), scale_range, k.clone()));
        }
        k
    }
}
