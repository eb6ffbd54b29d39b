//! Knowledge, importance, quadrants and action effects against the independent reference
//! (tests/fixtures/knowledge/cases.json, made by make_reference.py with exact fractions,
//! numpy and scipy, the jackknife by brute force), every field to 1e-9; and the properties
//! the reference cannot show: order independence, the consistency guard, the cost.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::super::*;
use super::{check, dimension, report_input};
use crate::domain::{SurveyId, TeamId, WaveId};

fn cases() -> Value {
    serde_json::from_str(include_str!("../../../tests/fixtures/knowledge/cases.json")).unwrap()
}

/// Numeric answers of one respondent on dimension `k` of `kind` (null: no numeric answer).
fn answer(person: &Value, kind: &str, k: usize) -> Option<i32> {
    person[kind][k].as_i64().map(|v| v as i32)
}

fn hist(values: impl Iterator<Item = i32>, min: i32, max: i32) -> Histogram {
    let v: Vec<Option<i32>> = values.map(Some).collect();
    Histogram::from_values(&v, min, max)
}

/// The engine's input for one team's report of a knowledge case: histograms, importance,
/// the perceived × NPS sums and every respondent's answers, from the raw answers.
fn case_input(c: &Value) -> ReportInput {
    let (min, max) = (
        c["scale_min"].as_i64().unwrap() as i32,
        c["scale_max"].as_i64().unwrap() as i32,
    );
    let emps = c["employees"].as_array().unwrap();
    let custs = c["customers"].as_array().unwrap();
    let ask_importance = c["ask_importance"].as_bool().unwrap();
    let keys: Vec<String> = c["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let dimensions = keys
        .iter()
        .enumerate()
        .map(|(k, key)| {
            let mut nps_perceived = NpsPerceived::default();
            for cu in custs {
                if let (Some(x), Some(y)) = (answer(cu, "perceived", k), cu["nps"].as_i64()) {
                    nps_perceived.add(x, y as i32);
                }
            }
            let of = |people: &[Value], kind: &str| {
                hist(people.iter().filter_map(|p| answer(p, kind, k)), min, max)
            };
            DimensionInput {
                predicted: Some(of(emps, "predicted")),
                importance: ask_importance.then(|| of(custs, "importance")),
                nps_perceived,
                ..dimension(key, key, k as i32, of(emps, "self"), of(custs, "perceived"))
            }
        })
        .collect();
    let knowledge = KnowledgeAnswers {
        employees: emps
            .iter()
            .map(|e| EmployeeAnswers {
                answers: (0..keys.len())
                    .map(|k| EmployeeAnswer {
                        dimension: k,
                        self_rating: answer(e, "self", k),
                        predicted: answer(e, "predicted", k),
                    })
                    .filter(|a| a.self_rating.is_some() || a.predicted.is_some())
                    .collect(),
            })
            .collect(),
        customers: custs
            .iter()
            .map(|x| CustomerAnswers {
                answers: (0..keys.len())
                    .filter_map(|k| {
                        answer(x, "perceived", k).map(|v| CustomerAnswer {
                            dimension: k,
                            perceived: v,
                        })
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut nps_counts = [0u64; 11];
    for cu in custs {
        if let Some(v) = cu["nps"].as_u64() {
            nps_counts[v as usize] += 1;
        }
    }
    ReportInput {
        wave_id: Some(WaveId(1)),
        scale_min: min,
        scale_max: max,
        min_group_size: c["min_group_size"].as_u64().unwrap(),
        alpha: c["alpha"].as_f64().unwrap(),
        materiality: c["materiality"].as_f64().unwrap(),
        nps_counts,
        knowledge: knowledge.into(),
        ..report_input((emps.len() as u64, custs.len() as u64), dimensions)
    }
}

#[test]
fn knowledge_importance_and_quadrants_equal_the_reference() {
    let all = cases();
    let list = all["knowledge"].as_array().unwrap();
    assert_eq!(list.len(), 7);
    for c in list {
        let name = c["name"].as_str().unwrap();
        let report = compare(&case_input(c));
        let got = serde_json::to_value(&report).unwrap();
        check(
            &got["knowledge"],
            &c["expected"]["knowledge"],
            &format!("{name}.knowledge"),
        );
        for want in c["expected"]["dimensions"].as_array().unwrap() {
            let key = want["key"].as_str().unwrap();
            let d = got["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["key"] == key)
                .unwrap();
            check(d, want, &format!("{name}.{key}"));
        }
    }
}

#[test]
fn knowledge_change_and_the_trend_equal_the_reference() {
    let all = cases();
    for ch in all["changes"].as_array().unwrap() {
        let by_name = |n: &Value| {
            all["knowledge"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == *n)
                .unwrap()
                .clone()
        };
        let (a, b) = (by_name(&ch["from"]), by_name(&ch["to"]));
        let wave = |id: i64, day: &str, c: &Value| WaveReport {
            wave_id: WaveId(id),
            name: format!("w{id}"),
            opens_at: day.parse::<DateTime<Utc>>().unwrap(),
            comparison: compare(&case_input(c)),
        };
        // Given in reverse: the trend sorts by opens_at.
        let t = trend(
            SurveyId(1),
            Some(TeamId(1)),
            &[],
            vec![
                wave(2, "2025-09-01T08:00:00Z", &b),
                wave(1, "2025-03-01T08:00:00Z", &a),
            ],
        );
        let got = serde_json::to_value(&t).unwrap();
        let what = format!("{} → {}", ch["from"], ch["to"]);
        check(
            &got["waves"][0]["knowledge"],
            &a["expected"]["knowledge"],
            &what,
        );
        check(
            &got["waves"][1]["knowledge"],
            &b["expected"]["knowledge"],
            &what,
        );
        check(
            &got["changes"][0]["knowledge_change"],
            &ch["expected"],
            &what,
        );
    }
}

/// A single-dimension report of one wave (Holm over one test), from raw ratings.
fn wave_report(w: &Value, withheld: bool) -> Comparison {
    let ints = |v: &Value| -> Vec<i32> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap() as i32)
            .collect()
    };
    let mut employee = hist(ints(&w["self"]).into_iter(), 1, 10);
    employee.withheld = withheld.then_some(WithheldReason::TwoTeamsRule);
    let customer = hist(ints(&w["perceived"]).into_iter(), 1, 10);
    let speed = dimension("speed", "Snelheid", 1, employee, customer);
    compare(&ReportInput {
        wave_id: Some(WaveId(w["id"].as_i64().unwrap())),
        ..report_input((0, 0), vec![speed])
    })
}

#[test]
fn every_effect_verdict_equals_the_reference() {
    let all = cases();
    let list = all["effects"].as_array().unwrap();
    let mut verdicts = std::collections::BTreeSet::new();
    for c in list {
        let name = c["name"].as_str().unwrap();
        let waves = c["waves"].as_array().unwrap();
        // A withheld wave: real answers, the employees' group withheld for the reader.
        let withheld_data = &list[0]["waves"][0];
        let reports: Vec<Option<Comparison>> = waves
            .iter()
            .map(|w| match w["state"].as_str().unwrap() {
                "data" => Some(wave_report(w, false)),
                "withheld" => Some(wave_report(withheld_data, true)),
                _ => None,
            })
            .collect();
        let effect_waves: Vec<EffectWave<'_>> = waves
            .iter()
            .zip(&reports)
            .map(|(w, r)| EffectWave {
                wave: WaveId(w["id"].as_i64().unwrap()),
                opens_at: w["opens_at"].as_str().unwrap().parse().unwrap(),
                closed: w["closed"].as_bool().unwrap(),
                gap: GapState::of(r.as_ref().map(|r| &r.dimensions[0])),
            })
            .collect();
        let e = action_effect(
            WaveId(c["recorded_in"].as_i64().unwrap()),
            &effect_waves,
            1,
            0.05,
        );
        check(
            &serde_json::to_value(&e).unwrap(),
            &c["expected"],
            &format!("effect {name}"),
        );
        // The same from the trend's points (no histograms: the gaps' doubles decide).
        let points: Vec<Option<TrendPoint>> = reports
            .iter()
            .map(|r| {
                r.as_ref().map(|r| TrendPoint {
                    key: r.dimensions[0].key.clone(),
                    label: r.dimensions[0].label.clone(),
                    gap: r.dimensions[0].gap.clone(),
                    verdict: r.dimensions[0].verdict,
                    withheld_reason: r.dimensions[0].withheld_reason,
                })
            })
            .collect();
        let from_points: Vec<EffectWave<'_>> = effect_waves
            .iter()
            .zip(&points)
            .map(|(w, p)| EffectWave {
                gap: GapState::of_point(p.as_ref()),
                ..*w
            })
            .collect();
        let e2 = action_effect(
            WaveId(c["recorded_in"].as_i64().unwrap()),
            &from_points,
            1,
            0.05,
        );
        assert_eq!(e, e2, "effect {name} from the trend");
        verdicts.insert(serde_json::to_value(e.verdict).unwrap().to_string());
    }
    // Every verdict SPEC names occurs.
    assert_eq!(verdicts.len(), 7, "{verdicts:?}");
}

/// The jackknife's result does not depend on the order the respondents come in (the
/// leave-one-out values are summed exactly, as integer multiples of a power of two), to the last bit.
#[test]
fn knowledge_is_the_same_bits_in_any_order() {
    let all = cases();
    for c in all["knowledge"].as_array().unwrap() {
        let mut input = case_input(c);
        let first = compare(&input).knowledge;
        let answers = std::sync::Arc::make_mut(&mut input.knowledge);
        answers.employees.reverse();
        answers.customers.reverse();
        for e in &mut answers.employees {
            e.answers.reverse();
        }
        let again = compare(&input).knowledge;
        assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&again).unwrap(),
            "{}",
            c["name"]
        );
    }
}

/// Answers that do not add up to the histograms give no knowledge (rather than figures that
/// disagree with the means shown); empty answers too.
#[test]
fn knowledge_needs_answers_that_match_the_histograms() {
    let all = cases();
    let c = &all["knowledge"][0];
    let mut input = case_input(c);
    assert!(compare(&input).knowledge.is_some());
    if let Some(a) = std::sync::Arc::make_mut(&mut input.knowledge).customers[0]
        .answers
        .first_mut()
    {
        a.perceived += 1;
    }
    assert!(compare(&input).knowledge.is_none());
    input.knowledge = Default::default();
    assert!(compare(&input).knowledge.is_none());
}

/// Hand-checkable: P = (8, 6, 7), C = (7, 7, 5), S = (9, 6, 8) from one answer each would be
/// below any threshold; with the groups shown by a threshold of 1 the figures are
/// bias = (1 − 1 + 2)/3 = 2/3, mae = 4/3, skill = 1 − (1 + 1 + 4)/(4 + 1 + 9) = 4/7.
#[test]
fn knowledge_by_hand() {
    let dims = [KnowledgeDimension {
        in_d: true,
        self_shown: true,
    }; 3];
    let (p, c, s) = ([8, 6, 7], [7, 7, 5], [9, 6, 8]);
    let answers = KnowledgeAnswers {
        employees: vec![EmployeeAnswers {
            answers: (0..3)
                .map(|k| EmployeeAnswer {
                    dimension: k,
                    self_rating: Some(s[k]),
                    predicted: Some(p[k]),
                })
                .collect(),
        }],
        customers: vec![CustomerAnswers {
            answers: (0..3)
                .map(|k| CustomerAnswer {
                    dimension: k,
                    perceived: c[k],
                })
                .collect(),
        }],
    };
    let k = knowledge(&dims, &answers, 9).unwrap();
    assert!((k.bias - 2.0 / 3.0).abs() < 1e-15);
    assert!((k.mae - 4.0 / 3.0).abs() < 1e-15);
    assert!((k.accuracy - (1.0 - 4.0 / 27.0)).abs() < 1e-15);
    assert!((k.skill.unwrap() - 4.0 / 7.0).abs() < 1e-15);
    assert_eq!(k.rank_correlation, None); // |D| = 3
                                          // The customers' lowest is the third (5); predictions sorted 6, 7, 8: 7 ≤ 7, a hit.
    assert!(k.lowest_hit);
    // One respondent per group: taking them out empties every cell, so no se.
    assert_eq!((k.se.bias, k.se.mae, k.se.skill), (None, None, None));
    assert_eq!((k.respondents.employee, k.respondents.customer), (1, 1));
    // Two dimensions: no knowledge.
    assert!(knowledge(&dims[..2], &answers, 9).is_none());
}

#[test]
fn knowledge_change_by_hand() {
    let base = |mae: f64, se: Option<f64>| Knowledge {
        dimensions_used: 4,
        bias: 0.0,
        mae,
        accuracy: 0.0,
        rank_correlation: None,
        lowest_hit: false,
        skill: None,
        se: KnowledgeSe {
            mae: se,
            ..Default::default()
        },
        ci95: KnowledgeCi::default(),
        respondents: Respondents {
            employee: 0,
            customer: 0,
        },
    };
    // se = √(0.3² + 0.4²) = 0.5; z = −0.98 / 0.5 = −1.96: p = 0.04999579… (scipy
    // 2·norm.sf(1.96) = 0.04999579029644087; statrs's erfc is within 5e-11 of it here).
    let ch = knowledge_change(&base(1.2, Some(0.3)), &base(0.22, Some(0.4)));
    assert!((ch.mae + 0.98).abs() < 1e-15);
    assert!((ch.se.unwrap() - 0.5).abs() < 1e-15);
    assert!(
        (ch.p_value.unwrap() - 0.049_995_790_296_440_87).abs() < 1e-10,
        "{ch:?}"
    );
    let ch = knowledge_change(&base(1.2, None), &base(0.2, Some(0.4)));
    assert_eq!((ch.se, ch.p_value), (None, None));
    let ch = knowledge_change(&base(1.2, Some(0.0)), &base(1.2, Some(0.0)));
    assert_eq!((ch.se, ch.p_value), (Some(0.0), None));
}

/// The leave-one-out values come from sums minus the respondent's answers: 2 000 employees
/// and 20 000 customers on 8 dimensions take well under a second even unoptimised.
#[test]
fn the_jackknife_is_linear_in_the_respondents() {
    let dims = [KnowledgeDimension {
        in_d: true,
        self_shown: true,
    }; 8];
    let rating = |i: usize, k: usize, salt: usize| ((i * 7 + k * 3 + salt) % 10) as i32 + 1;
    let answers = KnowledgeAnswers {
        employees: (0..2_000)
            .map(|i| EmployeeAnswers {
                answers: (0..8)
                    .map(|k| EmployeeAnswer {
                        dimension: k,
                        self_rating: Some(rating(i, k, 1)),
                        predicted: Some(rating(i, k, 4)),
                    })
                    .collect(),
            })
            .collect(),
        customers: (0..20_000)
            .map(|i| CustomerAnswers {
                answers: (0..8)
                    .map(|k| CustomerAnswer {
                        dimension: k,
                        perceived: rating(i, k * k, 2),
                    })
                    .collect(),
            })
            .collect(),
    };
    let start = std::time::Instant::now();
    let k = knowledge(&dims, &answers, 9).unwrap();
    let took = start.elapsed();
    assert_eq!(
        (k.respondents.employee, k.respondents.customer),
        (2_000, 20_000)
    );
    assert!(k.se.mae.is_some_and(|se| se > 0.0));
    assert!(took.as_secs_f64() < 2.0, "{took:?}");
}

/// Quadrants from exact figures: a dimension exactly on both crosshairs is `keep_up`; a
/// missing figure gives null.
#[test]
fn quadrants_by_hand() {
    let r = |n: i128, d: i128| Some(super::super::exact::Exact::ratio(n, d).unwrap());
    let figures = vec![
        QuadrantFigures {
            importance: r(9, 2),
            customer: r(6, 1),
            predicted: r(8, 1),
        },
        QuadrantFigures {
            importance: r(7, 2),
            customer: r(8, 1),
            predicted: r(5, 1),
        },
        // exactly the means: importance (9/2 + 7/2 + 4)/3 = 4, customers (6 + 8 + 7)/3 = 7
        QuadrantFigures {
            importance: r(4, 1),
            customer: r(7, 1),
            predicted: None,
        },
        QuadrantFigures {
            importance: None,
            customer: r(2, 1),
            predicted: r(2, 1),
        },
    ];
    let q = quadrants(&figures);
    use Quadrant::*;
    assert_eq!(
        q,
        vec![
            (Some(ConcentrateHere), Some(KeepUp)),
            (Some(PossibleOverkill), Some(LowPriority)),
            (Some(KeepUp), None),
            (None, None),
        ]
    );
    assert!(quadrants(&[QuadrantFigures::default()])[0] == (None, None));
}

/// A memo kept with the answers (as `app::reports` keeps a scope's answers between reports)
/// gives what the computation gives, and is not used for another set of shown dimensions.
#[test]
fn a_memo_gives_what_the_computation_gives() {
    let all = cases();
    for c in all["knowledge"].as_array().unwrap() {
        let mut input = case_input(c);
        let plain = compare(&input).knowledge;
        input.knowledge_memo = Some(std::sync::Arc::new(KnowledgeMemo::of(&input.knowledge)));
        assert_eq!(compare(&input).knowledge, plain, "{}", c["name"]);
        assert_eq!(compare(&input).knowledge, plain, "{}: memo", c["name"]);
        // A threshold above every group hides them all: D changes, and so does the result.
        input.min_group_size = 1_000;
        let hidden = compare(&input).knowledge;
        assert!(hidden.is_none(), "{}", c["name"]);
        input.min_group_size = case_input(c).min_group_size;
        assert_eq!(compare(&input).knowledge, plain, "{}: back", c["name"]);
        // Answers changed in place are not the memo's answers any more.
        let answers = std::sync::Arc::make_mut(&mut input.knowledge);
        answers.customers.truncate(answers.customers.len() / 2);
        let changed = compare(&input).knowledge;
        input.knowledge_memo = None;
        assert_eq!(changed, compare(&input).knowledge, "{}: changed", c["name"]);
    }
}
