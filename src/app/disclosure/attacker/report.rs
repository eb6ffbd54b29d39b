//! One scope's report as the real code builds it, for the attacker: the rules of
//! `disclose`, the engine's input assembled as `app::reports` assembles it, the engine's
//! `compare`.

use super::*;

/// What the engine's input and the real rules make of one scope for one reader: the report,
/// with the disclosure decisions that built it.
pub(super) struct Looked {
    pub(super) report: engine::Comparison,
    pub(super) input: ReportInput,
    pub(super) disclosed: Disclosed,
    pub(super) cells: Cells,
}

/// The report of one scope as the real code builds it: `disclose` decides what the reader
/// may see, the engine's input is assembled from it as `app::reports` does (the knowledge
/// answers from exactly the cells `disclose` sums), and the engine's `compare` computes.
pub(super) fn report(org: &Org, reader: &Reader, scope: Scope, min: u64) -> Looked {
    let cells = org.cells();
    let waves = org.waves_closed();
    let d = disclose(&cells, &rules(reader, scope, &waves, min), POINTS);
    let get = |k: usize, kind| {
        d.ratings
            .get(&(dim_id(k), kind))
            .cloned()
            .unwrap_or_else(|| Histogram::empty(POINTS))
    };
    let dimensions = (0..org.dims)
        .map(|k| {
            let pairs = d.pairs.get(&dim_id(k)).cloned().unwrap_or_default();
            DimensionInput {
                key: dim_key(k),
                label: dim_key(k),
                category: engine::Category::Functional,
                position: k as i32 + 1,
                employee: get(k, RatingKind::SelfRating),
                predicted: org.predicted.then(|| get(k, RatingKind::Predicted)),
                customer: get(k, RatingKind::Perceived),
                expected: (k == 0).then(|| get(k, RatingKind::Expected)),
                paired: pairs.moments,
                paired_withheld: pairs.withheld,
                perceived_only: if k == 0 { pairs.perceived_only } else { 0 },
                expected_only: if k == 0 { pairs.expected_only } else { 0 },
                importance: None,
                nps_perceived: NpsPerceived::default(),
            }
        })
        .collect();
    let strata: Vec<StratumInput> = d
        .strata
        .iter()
        .map(|(team, h)| StratumInput {
            team_id: *team,
            dimensions: (0..org.dims)
                .map(|k| {
                    let get = |kind| {
                        h.get(&(dim_id(k), kind))
                            .cloned()
                            .unwrap_or_else(|| Histogram::empty(POINTS))
                    };
                    StratumDimension {
                        key: dim_key(k),
                        employee: get(RatingKind::SelfRating),
                        customer: get(RatingKind::Perceived),
                    }
                })
                .collect(),
        })
        .collect();
    // The knowledge answers, as `app::reports` reads them: the scope's answers in the cells
    // `disclose` summed, none when the reader sees counts only or nothing is predicted.
    let answers = if org.predicted && !d.counts_only {
        knowledge::answers(org, &d.summed)
    } else {
        Default::default()
    };
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
        dimensions,
        strata,
        strata_withheld: d.strata_withheld,
        knowledge: std::sync::Arc::new(answers),
        knowledge_memo: None,
    };
    Looked {
        report: engine::compare(&input),
        input,
        disclosed: d,
        cells,
    }
}

/// The rules a reader's view of a scope follows (every wave closed before `now`).
pub(super) fn rules<'a>(
    reader: &'a Reader,
    scope: Scope,
    waves: &'a [Wave],
    min: u64,
) -> Rules<'a> {
    Rules {
        reader,
        scope,
        waves,
        now: now(),
        min_group_size: min,
    }
}

fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}
