//! Every field of the scipy reference reports (tests/fixtures/reference, made by
//! make_reference.py) through the pure engine, to 1e-9. The CSV is aggregated here into the
//! engine's input the way the store does it: histograms, paired sums, pairs left out, and per
//! team the strata of the organisation scope.

use std::collections::HashMap;

use serde_json::Value;

use super::super::*;
use super::{check, dimension, report_input};
use crate::domain::{SurveyId, TeamId, WaveId};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reference");

fn read_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

struct Row {
    audience: String,
    team: String,
    nps: Option<usize>,
    cells: HashMap<String, String>,
}

impl Row {
    /// None: no answer; Some(None): don't know; Some(Some(v)): a rating.
    fn answer(&self, column: &str) -> Option<Option<i32>> {
        match self.cells.get(column).map(String::as_str).unwrap_or("") {
            "" => None,
            "nvt" | "n.v.t." | "n/a" | "dk" => Some(None),
            v => Some(Some(v.parse().unwrap())),
        }
    }

    fn rating(&self, column: &str) -> Option<i32> {
        self.answer(column).flatten()
    }
}

fn rows(name: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(format!("{DIR}/{name}")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let cells: HashMap<String, String> = headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            Row {
                audience: cells["audience"].clone(),
                team: cells["team"].clone(),
                nps: cells["nps"].parse().ok(),
                cells,
            }
        })
        .collect()
}

struct Meta {
    scale_min: i32,
    scale_max: i32,
    min_group_size: u64,
    alpha: f64,
    materiality: f64,
    teams: Vec<String>,
}

fn meta(m: &Value) -> Meta {
    Meta {
        scale_min: m["scale_min"].as_i64().unwrap() as i32,
        scale_max: m["scale_max"].as_i64().unwrap() as i32,
        min_group_size: m["min_group_size"].as_u64().unwrap(),
        alpha: m["alpha"].as_f64().unwrap(),
        materiality: m["materiality"].as_f64().unwrap(),
        teams: m["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect(),
    }
}

fn histogram(rows: &[&Row], column: &str, m: &Meta) -> Histogram {
    let values: Vec<Option<i32>> = rows.iter().filter_map(|r| r.answer(column)).collect();
    Histogram::from_values(&values, m.scale_min, m.scale_max)
}

/// The engine's input for `rows` (one scope of one wave); `organisation`: give the strata per
/// team, and leave out every team cell with 1 ≤ n < min_group_size numeric answers (SPEC
/// revision 2, as `app::disclosure` does); in a team's own report its small cells stay in.
/// Either way the small cells are counted in `excluded_cells`.
fn input(rows: &[&Row], keys: &[(String, Category)], m: &Meta, organisation: bool) -> ReportInput {
    let mut teams: Vec<&str> = Vec::new();
    for r in rows {
        if !teams.contains(&r.team.as_str()) {
            teams.push(&r.team);
        }
    }
    let small = |n: u64| n >= 1 && n < m.min_group_size;
    let excluded = std::cell::Cell::new(0u64);
    fn of_team<'r>(group: &[&'r Row], t: &str) -> Vec<&'r Row> {
        group.iter().copied().filter(|r| r.team == t).collect()
    }
    // The sum of the usable team cells of one column.
    let summed = |group: &[&Row], column: &str| -> Histogram {
        let mut total = histogram(&[], column, m);
        for t in &teams {
            let h = histogram(&of_team(group, t), column, m);
            if small(h.n()) {
                excluded.set(excluded.get() + 1);
                if organisation {
                    continue;
                }
            }
            for (a, b) in total.counts.iter_mut().zip(&h.counts) {
                *a += b;
            }
            total.dont_know += h.dont_know;
        }
        total
    };
    let emp: Vec<&Row> = rows
        .iter()
        .copied()
        .filter(|r| r.audience == "employee")
        .collect();
    let cus: Vec<&Row> = rows
        .iter()
        .copied()
        .filter(|r| r.audience == "customer")
        .collect();
    let dimensions = keys
        .iter()
        .enumerate()
        .map(|(i, (key, category))| {
            let expected = format!("{key}.expected");
            let mut paired = Moments::default();
            let (mut perceived_only, mut expected_only) = (0, 0);
            for t in &teams {
                let mut team_pairs = Moments::default();
                let (mut p_only, mut e_only) = (0u64, 0u64);
                for r in of_team(&cus, t) {
                    match (r.rating(key), r.rating(&expected)) {
                        (Some(p), Some(e)) => {
                            let d = i128::from(p - e);
                            team_pairs.n += 1;
                            team_pairs.sum += d;
                            team_pairs.sum_sq += d * d;
                        }
                        (None, None) => {}
                        (Some(_), None) => p_only += 1,
                        (None, Some(_)) => e_only += 1,
                    }
                }
                perceived_only += p_only;
                expected_only += e_only;
                // The disclosure's cell rules: enough pairs, and (nested groups) no cell
                // whose groups go beyond its pairs by 1 to min − 1.
                let small = |b: u64| b >= 1 && b < m.min_group_size;
                let nested = team_pairs.n > 0 && (small(p_only) || small(e_only));
                if organisation && (team_pairs.n < m.min_group_size || nested) {
                    continue;
                }
                paired.n += team_pairs.n;
                paired.sum += team_pairs.sum;
                paired.sum_sq += team_pairs.sum_sq;
            }
            DimensionInput {
                category: *category,
                predicted: Some(summed(&emp, &format!("{key}.predicted"))),
                expected: Some(summed(&cus, &expected)),
                paired,
                perceived_only,
                expected_only,
                ..dimension(key, key, i as i32, summed(&emp, key), summed(&cus, key))
            }
        })
        .collect();
    let strata = if organisation {
        teams
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let te = of_team(&emp, t);
                let tc = of_team(&cus, t);
                StratumInput {
                    team_id: TeamId(i as i64 + 1),
                    dimensions: keys
                        .iter()
                        .map(|(key, _)| StratumDimension {
                            key: key.clone(),
                            employee: histogram(&te, key, m),
                            customer: histogram(&tc, key, m),
                        })
                        .collect(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut nps_counts = [0u64; 11];
    for t in &teams {
        let mut team = [0u64; 11];
        for r in of_team(&cus, t) {
            if let Some(v) = r.nps {
                team[v] += 1;
            }
        }
        if small(team.iter().sum()) {
            excluded.set(excluded.get() + 1);
            if organisation {
                continue;
            }
        }
        for (a, b) in nps_counts.iter_mut().zip(team) {
            *a += b;
        }
    }
    ReportInput {
        team_id: (!organisation).then_some(TeamId(1)),
        scale_min: m.scale_min,
        scale_max: m.scale_max,
        min_group_size: m.min_group_size,
        alpha: m.alpha,
        materiality: m.materiality,
        excluded_cells: excluded.get(),
        nps_counts,
        strata,
        ..report_input((emp.len() as u64, cus.len() as u64), dimensions)
    }
}

fn keys_of(report: &Value) -> Vec<(String, Category)> {
    report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["key"].as_str().unwrap().to_string(),
                serde_json::from_value(d["category"].clone()).unwrap(),
            )
        })
        .collect()
}

/// The scope's report: every field of scipy's, dimensions matched by key.
fn check_report(got: &Comparison, want: &Value, scope: &str) {
    let got = serde_json::to_value(got).unwrap();
    for (k, v) in want.as_object().unwrap() {
        if k != "dimensions" {
            check(&got[k], v, &format!("{scope}.{k}"));
        }
    }
    let got_dims = got["dimensions"].as_array().unwrap();
    assert_eq!(got_dims.len(), want["dimensions"].as_array().unwrap().len());
    for w in want["dimensions"].as_array().unwrap() {
        let key = w["key"].as_str().unwrap();
        let g = got_dims.iter().find(|d| d["key"] == key).unwrap();
        check(g, w, &format!("{scope}.{key}"));
    }
}

/// (scope name, engine input) for the organisation and each team of one wave's CSV.
fn scopes(csv: &str, keys: &[(String, Category)], m: &Meta) -> Vec<(String, ReportInput)> {
    let all = rows(csv);
    let refs: Vec<&Row> = all.iter().collect();
    let mut out = vec![("all".to_string(), input(&refs, keys, m, true))];
    for t in &m.teams {
        let team: Vec<&Row> = all.iter().filter(|r| &r.team == t).collect();
        out.push((t.clone(), input(&team, keys, m, false)));
    }
    out
}

#[test]
fn every_dataset_and_scope_equals_scipy() {
    let datasets = read_json("datasets.json");
    let mut checked = 0;
    for (name, d) in datasets.as_object().unwrap() {
        if name.starts_with('_') {
            continue;
        }
        let m = meta(d);
        let waves: Vec<(String, String)> = match d["waves"].as_array() {
            Some(w) => w
                .iter()
                .map(|w| {
                    (
                        w["csv"].as_str().unwrap().to_string(),
                        w["expected"].as_str().unwrap().to_string(),
                    )
                })
                .collect(),
            None => vec![(
                d["csv"].as_str().unwrap().to_string(),
                d["expected"].as_str().unwrap().to_string(),
            )],
        };
        for (csv, expected) in waves {
            let want = read_json(&expected);
            let keys = keys_of(&want["all"]);
            for (scope, inp) in scopes(&csv, &keys, &m) {
                check_report(&compare(&inp), &want[&scope], &format!("{csv}:{scope}"));
                checked += 1;
            }
        }
    }
    assert!(checked >= 17, "{checked} scopes");
}

#[test]
fn two_wave_trend_equals_scipy() {
    let datasets = read_json("datasets.json");
    let d = &datasets["edge11"];
    let m = meta(d);
    let want = read_json(d["trend"].as_str().unwrap());
    let waves = d["waves"].as_array().unwrap();
    let first = read_json(waves[0]["expected"].as_str().unwrap());
    let keys = keys_of(&first["all"]);
    let key_order: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    let per_wave: Vec<Vec<(String, ReportInput)>> = waves
        .iter()
        .map(|w| scopes(w["csv"].as_str().unwrap(), &keys, &m))
        .collect();
    for (i, (scope, _)) in per_wave[0].iter().enumerate() {
        // Given in reverse: the trend sorts by opens_at.
        let reports: Vec<WaveReport> = per_wave
            .iter()
            .enumerate()
            .rev()
            .map(|(wi, scopes)| WaveReport {
                wave_id: WaveId(wi as i64 + 1),
                name: waves[wi]["name"].as_str().unwrap().to_string(),
                opens_at: waves[wi]["opens_at"].as_str().unwrap().parse().unwrap(),
                comparison: compare(&scopes[i].1),
            })
            .collect();
        let t = trend(SurveyId(1), None, &key_order, reports);
        assert_eq!(t.waves[0].wave_id, WaveId(1));
        check(
            &serde_json::to_value(&t).unwrap(),
            &want[scope],
            &format!("trend:{scope}"),
        );
    }
}
