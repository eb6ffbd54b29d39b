//! The workshop's guess-then-reveal (SPEC "Anonymity and publication", revision 3: "Nothing
//! before the reveal"). The workshop page is built only from what this module hands it: the
//! dimensions in their survey position, each with the employees' own rating, and the customers'
//! side (scores, gaps, verdict, priority, trend, knowledge) only of the dimensions revealed so
//! far. The closing view with the blind spots and hidden strengths exists only once every
//! dimension has been revealed. So no part of the page — agenda, slide order, titles, colours,
//! other slides, the print view, the HTML source — can say what customers scored before that
//! dimension is revealed: the server never puts it there.

use crate::domain::{SurveyId, TeamId, WaveId};
use crate::engine::{DimensionReport, GroupStats, Verdict};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::{self, AnyConnection};

use super::accounts::Principal;
use super::reports::{self, Overview};

/// One dimension of the workshop, in survey position.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// 1-based place in the survey: the slide's number, and what `revealed` names.
    pub position: usize,
    pub key: String,
    pub label: String,
    /// The employees' own rating (shown before the reveal: it is the team's, not the customers').
    pub employee: GroupStats,
    pub revealed: bool,
}

/// The closing view: what the reveals showed, in priority order.
#[derive(Debug, Clone, PartialEq)]
pub struct Closing {
    pub blind_spots: Vec<DimensionReport>,
    pub hidden_strengths: Vec<DimensionReport>,
}

/// What the workshop page may show.
pub struct Workshop {
    /// The scope's overview, with the customers' side of the revealed dimensions only: its
    /// comparison lists the revealed dimensions alone (no knowledge before the last reveal), its
    /// trend the revealed dimensions' gaps alone.
    pub overview: Overview,
    /// Every dimension in survey position.
    pub slides: Vec<Slide>,
}

impl Workshop {
    /// Whether every dimension has been revealed.
    pub fn all_revealed(&self) -> bool {
        !self.slides.is_empty() && self.slides.iter().all(|s| s.revealed)
    }

    /// The revealed report of a dimension.
    pub fn report_of(&self, key: &str) -> Option<&DimensionReport> {
        self.overview
            .comparison
            .dimensions
            .iter()
            .find(|d| d.key == key)
    }

    /// The closing view, only once every dimension has been revealed.
    pub fn closing(&self) -> Option<Closing> {
        if !self.all_revealed() {
            return None;
        }
        let pick = |v: Verdict| -> Vec<DimensionReport> {
            let mut out: Vec<DimensionReport> = self
                .overview
                .comparison
                .dimensions
                .iter()
                .filter(|d| d.verdict == v)
                .cloned()
                .collect();
            out.sort_by_key(|d| d.priority);
            out
        };
        Some(Closing {
            blind_spots: pick(Verdict::BlindSpot),
            hidden_strengths: pick(Verdict::HiddenStrength),
        })
    }
}

/// The revealed positions: numbers in 1..=n from `1,3`, or all of them for `all`.
pub fn revealed_set(value: Option<&str>, n: usize) -> Vec<usize> {
    match value.map(str::trim) {
        Some("all") => (1..=n).collect(),
        Some(v) => {
            let mut set: Vec<usize> = v
                .split(',')
                .filter_map(|x| x.trim().parse().ok())
                .filter(|i| (1..=n).contains(i))
                .collect();
            set.sort_unstable();
            set.dedup();
            set
        }
        None => Vec::new(),
    }
}

/// Keeps of an overview only what the reveals so far allow (see the module's words).
pub fn redact(mut overview: Overview, positions: &[String], revealed: &[usize]) -> Workshop {
    let mut dims = std::mem::take(&mut overview.comparison.dimensions);
    // Survey position; a dimension the survey no longer names goes last, by key (never by
    // priority, which would rank the blind spots).
    dims.sort_by(|a, b| {
        let pa = positions.iter().position(|k| *k == a.key);
        let pb = positions.iter().position(|k| *k == b.key);
        match (pa, pb) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.key.cmp(&b.key),
        }
    });
    let slides: Vec<Slide> = dims
        .iter()
        .enumerate()
        .map(|(i, d)| Slide {
            position: i + 1,
            key: d.key.clone(),
            label: d.label.clone(),
            employee: d.employee.clone(),
            revealed: revealed.contains(&(i + 1)),
        })
        .collect();
    let shown: Vec<String> = slides
        .iter()
        .filter(|s| s.revealed)
        .map(|s| s.key.clone())
        .collect();
    let everything = !slides.is_empty() && shown.len() == slides.len();
    overview.comparison.dimensions = dims
        .into_iter()
        .filter(|d| shown.contains(&d.key))
        .collect();
    if !everything {
        overview.comparison.knowledge = None;
    }
    for w in &mut overview.trend.waves {
        w.dimensions.retain(|d| shown.contains(&d.key));
        if !everything {
            w.knowledge = None;
        }
    }
    for c in &mut overview.trend.changes {
        c.dimensions.retain(|d| shown.contains(&d.key));
        if !everything {
            c.knowledge_change = None;
        }
    }
    Workshop { overview, slides }
}

/// The workshop of a scope as `who` may see it with the slides at `revealed` (survey
/// positions) revealed.
#[tracing::instrument(skip(conn, who))]
pub fn workshop(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
    team_id: Option<TeamId>,
    revealed: Option<&str>,
    lang: Lang,
) -> Result<Workshop, AppError> {
    let overview = reports::overview(conn, who, survey_id, wave_id, team_id, lang)?;
    let positions: Vec<String> = store::surveys::dimensions_of(conn, survey_id)?
        .into_iter()
        .map(|d| d.key)
        .collect();
    let n = overview.comparison.dimensions.len();
    Ok(redact(overview, &positions, &revealed_set(revealed, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revealed_positions_are_read_leniently() {
        assert_eq!(revealed_set(Some("3,1,3,0,99,x"), 8), vec![1, 3]);
        assert_eq!(revealed_set(Some("all"), 3), vec![1, 2, 3]);
        assert_eq!(revealed_set(None, 3), Vec::<usize>::new());
    }
}
