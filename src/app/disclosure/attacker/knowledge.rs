//! The knowledge figures (SPEC "How well the team knows its customers", revision 3) in the
//! attacker's model.
//!
//! What the attacker observes. `bias` = (1/|D|) · Σ_{k∈D} (P_k − C_k) with P_k = Σ predicted_k
//! / n_k and C_k = Σ perceived_k / m_k: with the counts published, |D| · bias is a linear
//! combination of the shown groups' sums, and `look` feeds it to the solver as one more row
//! (nudging a predicted answer of dimension k moves it by exactly 1/n_k). `respondents` are
//! counts, which the rules do not protect (a nudge never moves them).
//!
//! Why the other figures add no sum. `mae` = mean |P_k − C_k|, `accuracy` = 1 − mae/range,
//! `rank_correlation` (ranks of P and C over D), `lowest_hit` (an order question on P and C)
//! and `skill` = 1 − Σ(P_k − C_k)²/Σ(S_k − C_k)² (over the dimensions of D whose self group is
//! shown) are functions of the means P_k, C_k, S_k of groups the same report shows, and of
//! nothing else: D is the set of dimensions where the report shows both the predicted and the
//! customer group, and the engine gives no `knowledge` unless the answers it is handed add up,
//! cell by cell, to exactly those shown groups. Whatever an attacker can work out from them,
//! they can work out from the shown means, which the solver already has as rows. The test
//! `knowledge_figures_are_functions_of_the_shown_means` checks this on random organisations
//! for every reader and scope, and `a_withheld_group_does_not_move_the_knowledge` checks that
//! changing a withheld group's answers leaves the whole published object (se and ci95
//! included) byte for byte the same.
//!
//! What is not modelled: the jackknife `se` (and its `ci95`) is a quadratic function of the
//! answers in the same shown cells, grouped by respondent; like a group's `sd` it is not a sum,
//! and the linear solver does not treat it (the invariance test covers it for withheld groups).

use proptest::prelude::*;

use super::solver::attack;
use super::*;
use crate::engine::{
    CustomerAnswer, CustomerAnswers, EmployeeAnswer, EmployeeAnswers, Knowledge, KnowledgeAnswers,
    KnowledgeDimension,
};

/// The knowledge answers of the cells `summed` (what `app::reports::answers` reads for a
/// report): per respondent their numeric answers in the summed (cell, dimension, kind).
pub(super) fn answers(
    org: &Org,
    summed: &BTreeSet<(Cell, DimensionId, RatingKind)>,
) -> KnowledgeAnswers {
    let mut out = KnowledgeAnswers::default();
    let summed = |cell: Cell, k: usize, kind| summed.contains(&(cell, dim_id(k), kind));
    let at = |v: &[Option<i32>], k: usize| v.get(k).copied().flatten();
    for (cell, es) in &org.employees {
        for e in es {
            let answers: Vec<EmployeeAnswer> = (0..org.dims)
                .filter_map(|k| {
                    let self_rating =
                        at(&e.rating, k).filter(|_| summed(*cell, k, RatingKind::SelfRating));
                    let predicted =
                        at(&e.predicted, k).filter(|_| summed(*cell, k, RatingKind::Predicted));
                    (self_rating.is_some() || predicted.is_some()).then_some(EmployeeAnswer {
                        dimension: k,
                        self_rating,
                        predicted,
                    })
                })
                .collect();
            if !answers.is_empty() {
                out.employees.push(EmployeeAnswers { answers });
            }
        }
    }
    for (cell, cs) in &org.customers {
        for c in cs {
            let answers: Vec<CustomerAnswer> = (0..org.dims)
                .filter_map(|k| {
                    at(&c.perceived, k)
                        .filter(|_| summed(*cell, k, RatingKind::Perceived))
                        .map(|perceived| CustomerAnswer {
                            dimension: k,
                            perceived,
                        })
                })
                .collect();
            if !answers.is_empty() {
                out.customers.push(CustomerAnswers { answers });
            }
        }
    }
    out
}

/// The deliberately wrong rule of the control: the knowledge figures over every dimension
/// whose predicted and customer groups have answers in the scope, withheld or not.
pub(super) fn over_every(org: &Org, input: &ReportInput) -> Option<Knowledge> {
    if !org.predicted {
        return None;
    }
    let dims: Vec<KnowledgeDimension> = input
        .dimensions
        .iter()
        .map(|d| KnowledgeDimension {
            in_d: d.predicted.as_ref().is_some_and(|p| p.n() > 0) && d.customer.n() > 0,
            self_shown: d.employee.n() > 0,
        })
        .collect();
    engine::knowledge(&dims, &input.knowledge, SCALE.1 - SCALE.0)
}

/// The knowledge figures recomputed from nothing but the means the report shows, by the
/// SPEC's definitions: (dimensions_used, bias, mae, accuracy, rank_correlation, lowest_hit,
/// skill).
type FromMeans = (u64, f64, f64, f64, Option<f64>, bool, Option<f64>);

fn from_shown_means(r: &engine::Comparison) -> Option<FromMeans> {
    let mut dims: Vec<&engine::DimensionReport> = r.dimensions.iter().collect();
    dims.sort_by_key(|d| d.key.clone());
    // (P, C, S) of the dimensions of D.
    let d: Vec<(f64, f64, Option<f64>)> = dims
        .iter()
        .filter_map(|x| {
            Some((
                x.predicted.as_ref()?.mean?,
                x.customer.mean?,
                x.employee.mean,
            ))
        })
        .collect();
    if d.len() < 3 {
        return None;
    }
    let m = d.len() as f64;
    let bias = d.iter().map(|(p, c, _)| p - c).sum::<f64>() / m;
    let mae = d.iter().map(|(p, c, _)| (p - c).abs()).sum::<f64>() / m;
    let accuracy = 1.0 - mae / f64::from(SCALE.1 - SCALE.0);
    let ranks = |v: Vec<f64>| -> Vec<f64> {
        v.iter()
            .map(|x| {
                let below = v.iter().filter(|y| *y < x).count() as f64;
                let equal = v.iter().filter(|y| *y == x).count() as f64;
                below + (equal + 1.0) / 2.0
            })
            .collect()
    };
    let pearson = |u: &[f64], v: &[f64]| -> Option<f64> {
        let n = u.len() as f64;
        let (mu, mv) = (u.iter().sum::<f64>() / n, v.iter().sum::<f64>() / n);
        let suv: f64 = u.iter().zip(v).map(|(a, b)| (a - mu) * (b - mv)).sum();
        let suu: f64 = u.iter().map(|a| (a - mu).powi(2)).sum();
        let svv: f64 = v.iter().map(|b| (b - mv).powi(2)).sum();
        (suu > 0.0 && svv > 0.0).then(|| suv / (suu * svv).sqrt())
    };
    let ps: Vec<f64> = d.iter().map(|x| x.0).collect();
    let cs: Vec<f64> = d.iter().map(|x| x.1).collect();
    let rank_correlation = if d.len() >= 4 {
        pearson(&ranks(ps.clone()), &ranks(cs.clone()))
    } else {
        None
    };
    let mut sorted = ps.clone();
    sorted.sort_by(f64::total_cmp);
    let lowest_c = cs.iter().copied().fold(f64::INFINITY, f64::min);
    let lowest_hit = d.iter().any(|(p, c, _)| *c == lowest_c && *p <= sorted[1]);
    let with_self: Vec<(f64, f64, f64)> = d
        .iter()
        .filter_map(|(p, c, s)| Some((*p, *c, (*s)?)))
        .collect();
    let num: f64 = with_self.iter().map(|(p, c, _)| (p - c).powi(2)).sum();
    let den: f64 = with_self.iter().map(|(_, c, s)| (s - c).powi(2)).sum();
    let skill = (!with_self.is_empty() && den > 0.0).then(|| 1.0 - num / den);
    Some((
        d.len() as u64,
        bias,
        mae,
        accuracy,
        rank_correlation,
        lowest_hit,
        skill,
    ))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Every reader's every scope: the report of the real rules.
fn every_report(org: &Org) -> Vec<(String, Scope, engine::Comparison)> {
    let mut out = Vec::new();
    for (who, readers) in phases(org, Revision::Three) {
        for reader in &readers {
            for w in std::iter::once(None).chain(org.waves.iter().map(|w| Some(*w))) {
                let teams = std::iter::once(None).chain(
                    org.teams
                        .iter()
                        .filter(|t| reader.admin || reader.teams.contains(t))
                        .map(|t| Some(*t)),
                );
                for t in teams {
                    let scope = Scope::new(SurveyId(1), w, t);
                    let r = report(org, reader, scope, org.min).report;
                    out.push((who.clone(), scope, r));
                }
            }
        }
    }
    out
}

fn cell(team: i64, wave: i64) -> Cell {
    Cell {
        team: TeamId(team),
        wave: WaveId(wave),
    }
}

/// `n` employees answering every one of `dims` dimensions, values spread over 1–8.
fn employees(n: usize, dims: usize, from: i32) -> Vec<Employee> {
    (0..n)
        .map(|i| {
            let v = |k: usize| Some(1 + (from + i as i32 * 3 + k as i32 * 2) % 8);
            Employee {
                rating: (0..dims).map(v).collect(),
                predicted: (0..dims).map(|k| v(k + 1)).collect(),
            }
        })
        .collect()
}

fn customers(n: usize, dims: usize, from: i32) -> Vec<Customer> {
    (0..n)
        .map(|i| {
            let v = |k: usize| 1 + (from + i as i32 * 5 + k as i32) % 8;
            Customer {
                perceived: (0..dims).map(|k| Some(v(k))).collect(),
                expected: Some(v(7)),
                nps: Some((v(3) % 3) - 1),
                comment: None,
            }
        })
        .collect()
}

fn org(teams: i64, dims: usize) -> Org {
    Org {
        teams: (1..=teams).map(TeamId).collect(),
        waves: vec![WaveId(1)],
        min: 5,
        comment_min: 5,
        dims,
        predicted: true,
        ..Org::default()
    }
}

/// One team of six employees and six customers on four dimensions; only three employees
/// predict the third dimension, so its predicted group is below the threshold everywhere.
fn small_prediction() -> Org {
    let mut o = org(1, 4);
    let mut es = employees(6, 4, 1);
    for e in es.iter_mut().skip(3) {
        e.predicted[2] = None;
    }
    o.employees.insert(cell(1, 1), es);
    o.customers.insert(cell(1, 1), customers(6, 4, 2));
    o
}

/// Three teams on four dimensions, a lead of team 1; team 3 has only two predictions of the
/// second dimension, so the organisation's predicted group of that dimension sums teams 1 and
/// 2 alone and is withheld from the lead by the two-teams rule.
fn two_teams_prediction() -> Org {
    let mut o = org(3, 4);
    for t in 1..=3 {
        let mut es = employees(6, 4, t as i32);
        if t == 3 {
            for e in es.iter_mut().skip(2) {
                e.predicted[1] = None;
            }
        }
        o.employees.insert(cell(t, 1), es);
        o.customers
            .insert(cell(t, 1), customers(6, 4, 3 * t as i32));
    }
    o.leads = vec![(vec![TeamId(1)], vec![TeamId(1)])];
    o
}

fn found(org: &Org, rev: Revision, what: &str) -> bool {
    attack(org, rev, &[org.min])
        .iter()
        .any(|f| f.contains(what))
}

/// The team's own report shows the knowledge over the three dimensions with a shown
/// prediction; |D| · bias is Σ (P_k − C_k) over them, and the attacker observes it.
#[test]
fn the_attacker_observes_the_knowledge_bias() {
    let o = small_prediction();
    let scope = Scope::new(SurveyId(1), Some(WaveId(1)), Some(TeamId(1)));
    let seen = look(&o, &Reader::admin(), scope, o.min, Revision::Three);
    let mean = |xs: Vec<i32>| f64::from(xs.iter().sum::<i32>()) / xs.len() as f64;
    let es = &o.employees[&cell(1, 1)];
    let cs = &o.customers[&cell(1, 1)];
    let expected: f64 = [0usize, 1, 3]
        .iter()
        .map(|&k| {
            mean(es.iter().filter_map(|e| e.predicted[k]).collect())
                - mean(cs.iter().filter_map(|c| c.perceived[k]).collect())
        })
        .sum();
    let bias = seen.get("knowledge bias").copied();
    assert!(
        bias.is_some_and(|b| close(b, expected)),
        "{bias:?} vs {expected}"
    );
    let r = report(&o, &Reader::admin(), scope, o.min).report;
    let k = r.knowledge.as_deref().expect("knowledge");
    assert_eq!(k.dimensions_used, 3);
    assert_eq!((k.respondents.employee, k.respondents.customer), (6, 6));
    // The wrong rule takes the third dimension in: four dimensions.
    let input = report(&o, &Reader::admin(), scope, o.min).input;
    assert_eq!(over_every(&o, &input).map(|k| k.dimensions_used), Some(4));
}

/// Control: with the knowledge computed over every dimension, the withheld one included, the
/// attacker recovers the sum of the three predictions below the threshold (own report) and
/// another team's predictions (a lead's organisation figure under the two-teams rule). On
/// today's rules the same organisations give nothing away.
#[test]
fn knowledge_over_a_withheld_dimension_is_found_and_closed_now() {
    let cases = [
        (
            small_prediction(),
            "isolates predicted of Cell { team: TeamId(1), wave: WaveId(1) } in d3",
        ),
        (
            two_teams_prediction(),
            "lead [TeamId(1)] → [TeamId(1)] learns about team 2 alone",
        ),
    ];
    for (o, door) in cases {
        assert!(found(&o, Revision::KnowledgeOverEvery, door), "{door}");
        assert_eq!(attack(&o, Revision::Three, &[o.min]), Vec::<String>::new());
    }
}

/// Changing a withheld group's answers leaves the published knowledge object (every field:
/// se, ci95 and respondents included) the same; under the wrong rule it moves the bias by
/// exactly the change over |D|.
#[test]
fn a_withheld_group_does_not_move_the_knowledge() {
    let raise = |o: &mut Org, c: Cell, k: usize| {
        for e in o.employees.get_mut(&c).expect("cell") {
            if let Some(p) = e.predicted[k].as_mut() {
                *p += 2;
            }
        }
    };
    // Below the threshold, in the team's own report.
    let before = small_prediction();
    let mut after = before.clone();
    raise(&mut after, cell(1, 1), 2);
    let scope = Scope::new(SurveyId(1), Some(WaveId(1)), Some(TeamId(1)));
    let k = |o: &Org| report(o, &Reader::admin(), scope, o.min).report.knowledge;
    assert!(k(&before).is_some());
    assert_eq!(k(&before), k(&after));
    let wrong = |o: &Org| {
        let input = report(o, &Reader::admin(), scope, o.min).input;
        over_every(o, &input).map(|k| k.bias)
    };
    let (b0, b1) = (wrong(&before).expect("bias"), wrong(&after).expect("bias"));
    assert!(close(b1 - b0, 2.0 / 4.0), "{b0} → {b1}");

    // The two-teams rule: team 2's predictions of the second dimension, in team 1's lead's
    // organisation report; the admin's organisation report does move.
    let before = two_teams_prediction();
    let mut after = before.clone();
    raise(&mut after, cell(2, 1), 1);
    let lead = Reader::lead(vec![TeamId(1)]);
    let org_scope = Scope::new(SurveyId(1), Some(WaveId(1)), None);
    let k = |o: &Org, r: &Reader| report(o, r, org_scope, o.min).report.knowledge;
    let shown = k(&before, &lead).expect("knowledge");
    assert_eq!(shown.dimensions_used, 3);
    assert_eq!(Some(shown), k(&after, &lead));
    let admin = |o: &Org| k(o, &Reader::admin()).expect("knowledge");
    let (a0, a1) = (admin(&before), admin(&after));
    assert_eq!(a0.dimensions_used, 4);
    // Team 2's six predictions up by 2, in the group of teams 1 and 2 (team 3's two are below
    // the threshold and left out): P moves by 12/12, bias by a quarter of that.
    assert!(
        close(a1.bias - a0.bias, 12.0 / 12.0 / 4.0),
        "{a0:?} → {a1:?}"
    );
}

/// Every figure of `knowledge` but the jackknife and the counts is the SPEC's function of the
/// means the same report shows (so it adds no sum to what the solver has).
fn check_functions_of_shown_means(o: &Org) -> Result<usize, String> {
    let mut checked = 0;
    for (who, scope, r) in every_report(o) {
        let ours = from_shown_means(&r);
        let Some(k) = r.knowledge.as_deref() else {
            // No knowledge only where fewer than three dimensions show both groups.
            if ours.is_some() {
                return Err(format!("{who} {scope:?}: no knowledge, but {ours:?}"));
            }
            continue;
        };
        let Some((used, bias, mae, accuracy, rank, lowest, skill)) = ours else {
            return Err(format!(
                "{who} {scope:?}: knowledge over hidden means: {k:?}"
            ));
        };
        let same_opt = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => close(a, b),
            (None, None) => true,
            _ => false,
        };
        let ok = k.dimensions_used == used
            && close(k.bias, bias)
            && close(k.mae, mae)
            && close(k.accuracy, accuracy)
            && same_opt(k.rank_correlation, rank)
            && k.lowest_hit == lowest
            && same_opt(k.skill, skill);
        if !ok {
            return Err(format!(
                "{who} {scope:?}: {k:?} against the shown means {ours:?}"
            ));
        }
        checked += 1;
    }
    Ok(checked)
}

#[test]
fn knowledge_figures_are_functions_of_the_shown_means_in_the_fixed_organisations() {
    // The admin's four scopes (the organisation and the team, one wave and every wave).
    assert_eq!(check_functions_of_shown_means(&small_prediction()), Ok(4));
    // The admin's eight scopes, the lead's four in each of the two phases.
    let two = check_functions_of_shown_means(&two_teams_prediction());
    assert_eq!(two, Ok(16));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn knowledge_figures_are_functions_of_the_shown_means(o in super::random::org()) {
        let checked = check_functions_of_shown_means(&o);
        prop_assert!(checked.is_ok(), "{checked:?} in {o:?}");
    }
}
