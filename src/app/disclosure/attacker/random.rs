//! Random organisations, and the property that the attacker finds nothing in them.

use proptest::prelude::*;

use std::collections::BTreeSet;

use super::solver::{attack, isolates};
use super::*;

/// Random organisations: 2–4 teams, 1–2 waves; one dimension without predictions (the
/// figures of revision 2's doors), or three with predictions (the knowledge figures).
pub(super) fn org() -> impl Strategy<Value = Org> {
    let shape = prop_oneof![1 => Just((1usize, false)), 3 => Just((3usize, true))];
    (2usize..=4, 1usize..=2, shape).prop_flat_map(|(nt, nw, (dims, predicted))| {
        let cells = nt * nw;
        let answer = proptest::option::weighted(0.85, 1i32..=8);
        let per_dim = proptest::collection::vec(answer.clone(), dims);
        let employee = (per_dim.clone(), per_dim.clone())
            .prop_map(|(rating, predicted)| Employee { rating, predicted });
        let customer = (
            per_dim,
            proptest::option::weighted(0.8, 1i32..=8),
            proptest::option::weighted(0.8, -1i32..=1),
            proptest::option::weighted(0.4, 1i32..=8),
        )
            .prop_map(|(perceived, expected, nps, comment)| Customer {
                perceived,
                expected,
                nps,
                comment,
            });
        // Cells: often empty or small, else around the threshold (5).
        let size = prop_oneof![Just(0usize), 1usize..5, 5usize..9];
        (
            proptest::collection::vec(
                size.clone()
                    .prop_flat_map(move |n| proptest::collection::vec(employee.clone(), n)),
                cells,
            ),
            proptest::collection::vec(
                size.prop_flat_map(move |n| proptest::collection::vec(customer.clone(), n)),
                cells,
            ),
            proptest::collection::vec(
                (proptest::collection::vec(any::<bool>(), nt), 0usize..nt),
                1..=2,
            ),
        )
            .prop_map(move |(emps, custs, leads)| {
                let teams: Vec<TeamId> = (1..=nt as i64).map(TeamId).collect();
                let waves: Vec<WaveId> = (1..=nw as i64).map(WaveId).collect();
                let keys: Vec<Cell> = teams
                    .iter()
                    .flat_map(|t| waves.iter().map(move |w| Cell { team: *t, wave: *w }))
                    .collect();
                let leads = leads
                    .into_iter()
                    .filter_map(|(mask, flip)| {
                        let before: Vec<TeamId> = teams
                            .iter()
                            .zip(&mask)
                            .filter(|(_, m)| **m)
                            .map(|(t, _)| *t)
                            .collect();
                        // The change adds or removes one team (a lead keeps at least one).
                        let t = teams[flip];
                        let after: Vec<TeamId> = if before.contains(&t) {
                            before.iter().copied().filter(|x| *x != t).collect()
                        } else {
                            before.iter().copied().chain([t]).collect()
                        };
                        (!before.is_empty() && !after.is_empty()).then_some((before, after))
                    })
                    .collect();
                Org {
                    teams: teams.clone(),
                    waves,
                    min: 5,
                    comment_min: 5,
                    dims,
                    predicted,
                    employees: keys.iter().copied().zip(emps).collect(),
                    customers: keys.iter().copied().zip(custs).collect(),
                    leads,
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn no_combination_of_outputs_over_time_isolates_an_answer_a_small_group_or_one_other_team(org in org()) {
        let found = attack(&org, Revision::Three, &[org.min]);
        prop_assert!(found.is_empty(), "{found:?} in {org:?}");
    }
}

/// The solver finds what it should: the organisation minus one team is the other.
#[test]
fn the_solver_finds_the_subtraction_attack() {
    let c1 = Cell {
        team: TeamId(1),
        wave: WaveId(1),
    };
    let c2 = Cell {
        team: TeamId(2),
        wave: WaveId(1),
    };
    let vars = vec![Var::SelfRating(c1, 0, 0), Var::SelfRating(c2, 0, 0)];
    let org_row = vec![1.0, 1.0];
    let team2 = vec![0.0, 1.0];
    let a = BTreeSet::from([vars[0]]);
    assert!(isolates(
        &[org_row.clone(), team2],
        &vars,
        &BTreeSet::new(),
        &a
    ));
    assert!(!isolates(
        std::slice::from_ref(&org_row),
        &vars,
        &BTreeSet::new(),
        &a
    ));
    // Knowing team 2, the organisation alone gives team 1.
    assert!(isolates(&[org_row], &vars, &BTreeSet::from([vars[1]]), &a));
    // A weighted combination is found too (the stratified gap's weights).
    let w = vec![0.3, 0.7];
    assert!(isolates(&[w, vec![0.0, 2.0]], &vars, &BTreeSet::new(), &a));
}

/// The random organisations do reach the knowledge figures: with a fixed seed, a good share
/// of them has a report (some reader, some scope) whose `knowledge` the attacker observes.
#[test]
fn the_random_organisations_exercise_the_knowledge_figures() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut predicted, mut with_knowledge) = (0, 0);
    for _ in 0..40 {
        let o = org().new_tree(&mut runner).expect("tree").current();
        if !o.predicted {
            continue;
        }
        predicted += 1;
        let seen = phases(&o, Revision::Three).iter().any(|(_, readers)| {
            readers.iter().any(|reader| {
                let w = o.waves.first().copied();
                let scopes = [None, Some(o.teams[0])].map(|t| Scope::new(SurveyId(1), w, t));
                scopes.iter().any(|s| {
                    look(&o, reader, *s, o.min, Revision::Three).contains_key("knowledge bias")
                })
            })
        });
        with_knowledge += usize::from(seen);
    }
    println!("{with_knowledge} of {predicted} organisations with predictions show knowledge");
    assert!(predicted >= 20, "{predicted}");
    assert!(
        with_knowledge * 4 >= predicted,
        "{with_knowledge} of {predicted}"
    );
}
