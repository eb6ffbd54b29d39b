//! The demo organisation: 3 teams, the default survey, 2 waves, employees and customers with
//! discrepancies that differ per team and improve between waves where actions were taken.
//! Deterministic: the same database content every time.

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::surveys::{validate_survey, CreateSurvey};
use crate::domain::submission::Answer;
use crate::domain::templates::MIRROR_DEFAULT_DIMENSIONS;
use crate::domain::{ActionStatus, Audience, Decision, RatingKind, Role, SurveyId, WaveId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::store::responses::NewResponse;
use crate::store::{self, AnyConnection};

/// What the demo created, for the start-up message.
#[derive(Debug, Clone)]
pub struct DemoInfo {
    pub survey_id: SurveyId,
    pub wave_ids: Vec<WaveId>,
    pub employee_token: String,
    pub customer_token: String,
    pub admin_email: &'static str,
    pub admin_password: &'static str,
    pub lead_email: &'static str,
    pub lead_password: &'static str,
}

pub const ADMIN_EMAIL: &str = "beheer@demo.klantspiegel.nl";
pub const ADMIN_PASSWORD: &str = "demo-beheer";
pub const LEAD_EMAIL: &str = "teamleider@demo.klantspiegel.nl";
pub const LEAD_PASSWORD: &str = "demo-teamleider";
/// The demo's questionnaire links (team Klantenservice, second wave), printed on every start.
pub const EMPLOYEE_TOKEN: &str = "demo-medewerker-klantenservice";
pub const CUSTOMER_TOKEN: &str = "demo-klant-klantenservice";

/// A small deterministic generator (xorshift64*), so the demo needs no randomness crate (the
/// engine's simulation test draws from it too).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Approximately standard normal (Irwin–Hall with 12 uniforms).
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }
    fn rating(&mut self, mean: f64, sd: f64, min: i32, max: i32) -> i32 {
        ((mean + sd * self.normal()).round() as i32).clamp(min, max)
    }
}

struct TeamPlan {
    name: &'static str,
    employees: usize,
    customers: usize,
    invited_customers: i32,
    /// Per dimension (SPEC order): added to the employees' self rating.
    self_shift: [f64; 8],
    /// Per dimension: added to the customers' rating.
    customer_shift: [f64; 8],
    /// Dimension index that got an action in wave 1 (improves in wave 2).
    action_dim: Option<usize>,
    /// The employees predict the customers from their own view (they project), rather than
    /// from what they hear from customers: the demo's knowledge score shows the difference.
    projects: bool,
}

// SPEC order: customer_focus, expertise, flexibility, keeping_agreements, complaint_handling,
// friendliness, problem_resolution, speed.
const SELF_BASE: [f64; 8] = [7.6, 8.1, 7.2, 8.4, 7.9, 8.3, 7.2, 6.3];
const CUSTOMER_BASE: [f64; 8] = [7.3, 7.8, 6.9, 6.1, 5.7, 8.1, 6.7, 7.4];
const EXPECTED_BASE: [f64; 8] = [7.8, 8.2, 7.4, 8.5, 8.0, 8.0, 8.3, 7.6];

const COMMENTS: [&str; 6] = [
    "Heel vriendelijk aan de telefoon, maar de terugbelafspraak werd niet nagekomen.",
    "Snel geholpen, het probleem was in één keer opgelost.",
    "Mijn klacht lag drie weken stil voordat iemand reageerde.",
    "Deskundige medewerker, wist precies wat er aan de hand was.",
    "Ik moest mijn verhaal drie keer vertellen.",
    "Prima service, de monteur kwam op de afgesproken tijd.",
];

fn plans() -> [TeamPlan; 3] {
    [
        TeamPlan {
            name: "Klantenservice",
            employees: 14,
            customers: 46,
            invited_customers: 80,
            self_shift: [0.0, 0.0, 0.0, 0.3, 0.0, 0.2, 0.0, 0.0],
            customer_shift: [0.0, -0.1, 0.0, -0.2, 0.2, 0.1, -0.2, 0.3],
            action_dim: Some(3),
            projects: false,
        },
        TeamPlan {
            name: "Buitendienst",
            employees: 11,
            customers: 36,
            invited_customers: 60,
            self_shift: [0.0, 0.2, 0.2, 0.0, 0.3, 0.0, 0.1, 0.0],
            customer_shift: [0.1, 0.3, 0.6, 0.1, -0.4, 0.0, 0.2, -0.1],
            action_dim: Some(4),
            projects: true,
        },
        TeamPlan {
            name: "Backoffice",
            employees: 3,
            customers: 14,
            invited_customers: 30,
            self_shift: [0.0; 8],
            customer_shift: [0.0; 8],
            action_dim: None,
            projects: false,
        },
    ]
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .unwrap_or_default()
}

/// True when the database holds no survey yet.
pub fn is_empty(conn: &mut AnyConnection) -> Result<bool, AppError> {
    Ok(store::surveys::list(conn)?.is_empty() && store::teams::list(conn, None)?.is_empty())
}

/// Loads the demo organisation in one transaction. Fails with 409 when the database is not empty.
pub fn load(conn: &mut AnyConnection) -> Result<DemoInfo, AppError> {
    if !is_empty(conn)? {
        return Err(ErrorCode::DatabaseNotEmpty.into());
    }
    let admin_hash = crate::password::hash(ADMIN_PASSWORD).map_err(AppError::Internal)?;
    let lead_hash = crate::password::hash(LEAD_PASSWORD).map_err(AppError::Internal)?;
    store::write_tx(conn, |conn| {
        let mut rng = Rng(0x4B4C_414E_5453_5045);
        let plans = plans();
        let mut team_ids = Vec::new();
        for p in &plans {
            team_ids.push(store::teams::create(conn, p.name)?.id);
        }
        let (survey, dims) = validate_survey(&CreateSurvey {
            title: "Klantspiegel 2026".into(),
            template: Some("mirror-default".into()),
            scale_min: Some(1),
            scale_max: Some(10),
            dimensions: None,
            min_group_size: None,
            alpha: None,
            materiality: None,
            ask_predicted: None,
            ask_expected: None,
            ask_importance: None,
            ask_nps: None,
            ..Default::default()
        })?;
        let (survey, dims) = store::surveys::create(conn, survey, dims)?;
        let waves = [
            (
                "Voorjaar 2026",
                at(2026, 3, 2, 8),
                Some(at(2026, 4, 30, 22)),
            ),
            // Both measured waves are closed, so their results are published to team leads.
            ("Najaar 2026", at(2026, 9, 1, 8), Some(at(2026, 11, 20, 22))),
        ];
        let mut wave_ids = Vec::new();
        for (name, opens, closes) in waves {
            wave_ids.push(
                store::surveys::create_wave(
                    conn,
                    store::surveys::NewWave {
                        survey_id: survey.id,
                        name: name.into(),
                        opens_at: opens,
                        closes_at: closes,
                        created_at: opens,
                    },
                )?
                .id,
            );
        }
        let mut items: Vec<(NewResponse, Vec<Answer>)> = Vec::new();
        let mut invitations = Vec::new();
        for (wi, &wave_id) in wave_ids.iter().enumerate() {
            let opens = waves[wi].1;
            for (ti, p) in plans.iter().enumerate() {
                let team_id = team_ids[ti];
                // Invitations: used ones match the responses, so the response rate is real.
                for (audience, invited, used) in [
                    (
                        Audience::Employee,
                        p.employees as i32 + 2,
                        p.employees as i32,
                    ),
                    (Audience::Customer, p.invited_customers, p.customers as i32),
                ] {
                    for k in 0..invited {
                        let token = format!("demo-{wi}-{ti}-{audience}-{k}");
                        invitations.push(store::invitations::NewInvitation {
                            survey_id: survey.id,
                            wave_id,
                            team_id,
                            audience,
                            token_hash: store::invitations::hash_token(&token),
                            max_uses: 1,
                            uses: i32::from(k < used),
                            expires_at: None,
                            created_at: opens,
                        });
                    }
                }
                for e in 0..p.employees {
                    let mut values = Vec::new();
                    for (di, d) in dims.iter().enumerate() {
                        let mean = SELF_BASE[di] + p.self_shift[di];
                        let dk = rng.unit() < 0.04;
                        values.push(Answer {
                            dimension_id: d.id,
                            kind: RatingKind::SelfRating,
                            value: (!dk).then(|| rng.rating(mean, 0.9, 1, 10)),
                        });
                        let cust = CUSTOMER_BASE[di] + p.customer_shift[di];
                        // One team knows its customers (close to their score), one projects
                        // its own view onto them.
                        let predicted = if p.projects { mean - 0.2 } else { cust + 0.1 };
                        values.push(Answer {
                            dimension_id: d.id,
                            kind: RatingKind::Predicted,
                            value: Some(rng.rating(predicted, 1.0, 1, 10)),
                        });
                    }
                    items.push((
                        NewResponse {
                            survey_id: survey.id,
                            wave_id,
                            team_id,
                            audience: Audience::Employee,
                            submitted_at: opens + chrono::Duration::hours(2 + 5 * e as i64),
                            nps: None,
                            comment: None,
                            respondent: None,
                        },
                        values,
                    ));
                }
                for c in 0..p.customers {
                    let mut values = Vec::new();
                    let mut sum = 0.0;
                    let mut count = 0.0;
                    for (di, d) in dims.iter().enumerate() {
                        let mut mean = CUSTOMER_BASE[di] + p.customer_shift[di];
                        if wi == 1 {
                            // Wave 2: the dimension that got an action improved clearly; others drift.
                            mean += if p.action_dim == Some(di) { 1.5 } else { 0.1 };
                        }
                        let dk = rng.unit() < 0.05;
                        let v = (!dk).then(|| rng.rating(mean, 1.4, 1, 10));
                        if let Some(v) = v {
                            sum += f64::from(v);
                            count += 1.0;
                        }
                        values.push(Answer {
                            dimension_id: d.id,
                            kind: RatingKind::Perceived,
                            value: v,
                        });
                        // A customer who does not know how it went says so for the expectation
                        // too: no customer gives one of the two alone (nested groups).
                        let expected = rng.rating(EXPECTED_BASE[di], 1.0, 1, 10);
                        values.push(Answer {
                            dimension_id: d.id,
                            kind: RatingKind::Expected,
                            value: (!dk).then_some(expected),
                        });
                    }
                    let avg = if count > 0.0 { sum / count } else { 7.0 };
                    let nps = (rng.unit() > 0.15).then(|| rng.rating(avg + 0.3, 1.5, 0, 10));
                    let comment = (rng.unit() < 0.25).then(|| {
                        COMMENTS[(rng.next() % COMMENTS.len() as u64) as usize].to_string()
                    });
                    items.push((
                        NewResponse {
                            survey_id: survey.id,
                            wave_id,
                            team_id,
                            audience: Audience::Customer,
                            submitted_at: opens + chrono::Duration::hours(3 + 7 * c as i64),
                            nps,
                            comment,
                            respondent: Some(format!(
                                "{}-{}-k{:03}",
                                wi + 1,
                                p.name.to_lowercase(),
                                c + 1
                            )),
                        },
                        values,
                    ));
                }
            }
        }
        store::invitations::insert_many(conn, &invitations)?;
        store::responses::insert_batch(conn, &items, survey.scale_min, &mut |_| {})?;

        // Actions recorded in the spring workshop; the autumn wave shows whether they worked.
        let now = at(2026, 5, 12, 10);
        let actions = [
            (Some(team_ids[0]), MIRROR_DEFAULT_DIMENSIONS[3].key, Decision::ImproveService, "Terugbelafspraken vastleggen in het klantsysteem en dagelijks nalopen in de ochtendstart.", "Teamleider Klantenservice", at(2026, 6, 30, 0).date(), ActionStatus::Done),
            (Some(team_ids[1]), MIRROR_DEFAULT_DIMENSIONS[4].key, Decision::ImproveService, "Elke klacht binnen twee werkdagen terugbellen; wekelijks de openstaande klachten bespreken.", "Planner Buitendienst", at(2026, 7, 15, 0).date(), ActionStatus::Done),
            (Some(team_ids[0]), MIRROR_DEFAULT_DIMENSIONS[7].key, Decision::ManageExpectations, "Klanten laten weten dat we sneller zijn dan ze denken: doorlooptijden op de website.", "Communicatie", at(2026, 9, 1, 0).date(), ActionStatus::Open),
            (None, MIRROR_DEFAULT_DIMENSIONS[6].key, Decision::Investigate, "Uitzoeken waarom klanten vaker terugbellen voor hetzelfde probleem (klantreis in kaart brengen).", "Kwaliteitsmedewerker", at(2026, 10, 1, 0).date(), ActionStatus::Open),
        ];
        for (team_id, key, decision, description, owner, due, status) in actions {
            store::actions::create(
                conn,
                &store::actions::NewAction {
                    survey_id: survey.id,
                    wave_id: wave_ids[0],
                    team_id,
                    dimension_key: key.into(),
                    decision,
                    description: description.into(),
                    owner: Some(owner.into()),
                    due_date: Some(due),
                    status,
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
        store::users::create(conn, ADMIN_EMAIL, &admin_hash, Role::Admin, &[])?;
        store::users::create(conn, LEAD_EMAIL, &lead_hash, Role::TeamLead, &[team_ids[0]])?;

        // An open wave without answers yet, for the two links that try the questionnaire.
        let open_wave = store::surveys::create_wave(
            conn,
            store::surveys::NewWave {
                survey_id: survey.id,
                name: "Winter 2026".into(),
                opens_at: at(2026, 11, 25, 8),
                closes_at: None,
                created_at: at(2026, 11, 25, 8),
            },
        )?
        .id;
        // Two team links into the open wave, to try the questionnaire. Fixed tokens (like the
        // demo's other invitations), so a restart over this database can print them again.
        let employee_token = EMPLOYEE_TOKEN.to_string();
        let customer_token = CUSTOMER_TOKEN.to_string();
        let fresh: Vec<_> = [
            (Audience::Employee, &employee_token),
            (Audience::Customer, &customer_token),
        ]
        .into_iter()
        .map(|(audience, token)| store::invitations::NewInvitation {
            survey_id: survey.id,
            wave_id: open_wave,
            team_id: team_ids[0],
            audience,
            token_hash: store::invitations::hash_token(token),
            max_uses: 100,
            uses: 0,
            expires_at: None,
            created_at: store::now(),
        })
        .collect();
        store::invitations::insert_many(conn, &fresh)?;
        Ok(DemoInfo {
            survey_id: survey.id,
            wave_ids,
            employee_token,
            customer_token,
            admin_email: ADMIN_EMAIL,
            admin_password: ADMIN_PASSWORD,
            lead_email: LEAD_EMAIL,
            lead_password: LEAD_PASSWORD,
        })
    })
}

/// The demo in a database that already holds it (a restart over the demo's database), found by
/// its questionnaire link; None when the database holds something else.
pub fn existing(conn: &mut AnyConnection) -> Result<Option<DemoInfo>, AppError> {
    let Some(row) = store::invitations::find_by_token(conn, EMPLOYEE_TOKEN)? else {
        return Ok(None);
    };
    let invitation = row.invitation;
    let wave_ids = store::surveys::waves_of(conn, invitation.survey_id)?
        .into_iter()
        .map(|w| w.id)
        .collect();
    Ok(Some(DemoInfo {
        survey_id: invitation.survey_id,
        wave_ids,
        employee_token: EMPLOYEE_TOKEN.to_string(),
        customer_token: CUSTOMER_TOKEN.to_string(),
        admin_email: ADMIN_EMAIL,
        admin_password: ADMIN_PASSWORD,
        lead_email: LEAD_EMAIL,
        lead_password: LEAD_PASSWORD,
    }))
}

/// What `serve --demo` says: it loads the demo into an empty database, or finds it again on a
/// restart; either way it prints the demo's addresses.
pub fn start_message(
    conn: &mut AnyConnection,
    base: &str,
    admin_token: bool,
) -> Result<String, AppError> {
    if is_empty(conn)? {
        let info = load(conn)?;
        return Ok(format!(
            "Demo loaded.\n\n{}",
            banner(&info, base, admin_token)
        ));
    }
    Ok(match existing(conn)? {
        Some(info) => format!(
            "The demo is already in this database (loaded on an earlier start).\n\n{}",
            banner(&info, base, admin_token)
        ),
        None => "The database already holds other data; the demo was not loaded.".to_string(),
    })
}

/// The demo's addresses and log-ins. The API line only when `KLANTSPIEGEL_ADMIN_TOKEN` is set
/// (`admin_token`): without it the API answers 401 to a bearer call.
pub fn banner(info: &DemoInfo, base: &str, admin_token: bool) -> String {
    let api = if admin_token {
        format!(
            "  API comparison:     {base}/api/v1/surveys/{}/comparison (Authorization: Bearer $KLANTSPIEGEL_ADMIN_TOKEN)\n",
            info.survey_id
        )
    } else {
        String::new()
    };
    format!(
        "  Dashboard:          {base}/dashboard\n\
         \x20 Log in as admin:    {} / {}\n\
         \x20 Log in as team lead: {} / {}  (team Klantenservice)\n\
         \x20 Report:             {base}/surveys/{}\n\
         \x20 Workshop:           {base}/surveys/{}/workshop?wave_id={}&team_id=1\n\
         \x20 Employee form:      {base}/r/{}\n\
         \x20 Customer form:      {base}/r/{}?lang=en\n{api}",
        info.admin_email,
        info.admin_password,
        info.lead_email,
        info.lead_password,
        info.survey_id,
        info.survey_id,
        info.wave_ids.first().map_or(1, |w| w.get()),
        info.employee_token,
        info.customer_token,
    )
}
