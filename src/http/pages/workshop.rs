//! The workshop: one slide per dimension in priority order, the two questions, and the form
//! that records an action.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::report::load_page;
use super::session::{error_page, page_user, redirect};
use super::view::{action_rows, dim_row, notes_text, scope_query, ActionRow, DimRow, ScopeQuery};
use super::{lang_of, render, MessagePage};
use crate::app::actions::{self, CreateAction};
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::engine::Verdict;
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::{db, AppState};
use crate::i18n::pages::{app_text, AppText};

pub struct Slide {
    pub index: usize,
    pub row: DimRow,
    pub earlier: Vec<ActionRow>,
    /// Whether the customers' view is shown: only then is it in the page at all.
    pub revealed: bool,
    /// The `revealed` value that adds this slide (the reveal button's form).
    pub reveal_value: String,
    /// An action was just recorded on this slide: the confirmation stands by its form.
    pub recorded: bool,
}

#[derive(askama::Template)]
#[template(path = "workshop.html")]
struct WorkshopPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    csrf: String,
    survey_id: SurveyId,
    survey_title: String,
    scope_label: String,
    query: String,
    wave_id: WaveId,
    team_value: String,
    blind_spots: Vec<String>,
    hidden_strengths: Vec<String>,
    slides: Vec<Slide>,
    /// The slides revealed so far, as the `revealed` query value.
    revealed: String,
    /// The reader may record actions in this scope (not a team lead in the organisation scope).
    can_record: bool,
    /// The print view: every slide revealed, and the script prints.
    print: bool,
    /// What the anonymity rules left out, in words.
    notes: Vec<String>,
}

#[derive(Deserialize)]
pub struct WorkshopQuery {
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    /// The slide an action was just recorded on.
    pub recorded: Option<usize>,
    /// The slides whose customers' view is shown: `1,3` or `all`.
    pub revealed: Option<String>,
    pub print: Option<u8>,
}

/// The revealed slides: numbers in 1..=n from `1,3`, or all of them for `all`.
fn revealed_set(value: Option<&str>, n: usize) -> Vec<usize> {
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

fn revealed_value(set: &[usize]) -> String {
    set.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[tracing::instrument(skip_all)]
pub async fn workshop(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    q: web::Query<WorkshopQuery>,
) -> HttpResponse {
    let survey_id = path.into_inner();
    let q = q.into_inner();
    let team_id = q.team_id;
    let scope = ScopeQuery {
        wave_id: q.wave_id,
        team_id,
        updated: None,
    };
    let (lang, who, loaded) = match load_page(&state, &req, survey_id, scope).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let t = app_text(lang);
    let Some(wave_id) = loaded.wave_id else {
        return error_page(
            lang,
            &ErrorCode::NoWaveYet {
                survey: survey_id.get(),
            }
            .into(),
        );
    };
    let print = q.print == Some(1);
    let n = loaded.comparison.dimensions.len();
    let revealed = if print {
        (1..=n).collect()
    } else {
        revealed_set(q.revealed.as_deref(), n)
    };
    let all_actions = action_rows(lang, t, &loaded);
    let slides = loaded
        .comparison
        .dimensions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let index = i + 1;
            let mut with = revealed.clone();
            with.push(index);
            with.sort_unstable();
            with.dedup();
            Slide {
                index,
                row: dim_row(lang, t, d),
                earlier: loaded
                    .actions
                    .iter()
                    .zip(&all_actions)
                    .filter(|(a, _)| a.dimension_key == d.key)
                    .map(|(_, r)| r.clone())
                    .collect(),
                revealed: revealed.contains(&index),
                reveal_value: revealed_value(&with),
                recorded: q.recorded == Some(index),
            }
        })
        .collect();
    let pick = |v: Verdict| -> Vec<String> {
        loaded
            .comparison
            .dimensions
            .iter()
            .filter(|d| d.verdict == v)
            .take(3)
            .map(|d| d.label.clone())
            .collect()
    };
    let wave_name = loaded
        .waves
        .iter()
        .find(|w| w.id == wave_id)
        .map(|w| w.name.clone())
        .unwrap_or_default();
    let team_name = match team_id {
        None => t.whole_organisation.to_string(),
        Some(id) => loaded
            .teams
            .iter()
            .find(|tm| tm.id == id)
            .map(|tm| tm.name.clone())
            .unwrap_or_default(),
    };
    render(
        StatusCode::OK,
        &WorkshopPage {
            lang: t.lang_code,
            title: t.workshop,
            t,
            csrf: who.csrf.clone().unwrap_or_default(),
            survey_id,
            survey_title: loaded.survey.title.clone(),
            scope_label: format!("{team_name} · {wave_name}"),
            query: scope_query(Some(wave_id), team_id, lang),
            wave_id,
            team_value: team_id.map(|t| t.to_string()).unwrap_or_default(),
            blind_spots: pick(Verdict::BlindSpot),
            hidden_strengths: pick(Verdict::HiddenStrength),
            slides,
            revealed: revealed_value(&revealed),
            can_record: actions::may_act_on(&who, team_id),
            print,
            notes: notes_text(t, &loaded.notes),
        },
    )
}

#[derive(Deserialize)]
pub struct ActionForm {
    csrf: String,
    dimension_key: String,
    wave_id: WaveId,
    team_id: Option<String>,
    decision: String,
    description: String,
    owner: Option<String>,
    due_date: Option<String>,
    slide: Option<usize>,
    /// The slides revealed when the form was sent: they stay revealed.
    revealed: Option<String>,
}

/// The workshop's action form: records the action, then back to the same slide, still
/// revealed, with the confirmation beside the form.
#[tracing::instrument(skip_all)]
pub async fn record_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    form: web::Form<ActionForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match page_user(&state, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let form = form.into_inner();
    if let Err(e) = who.check_csrf(Some(&form.csrf)) {
        return error_page(lang, &e);
    }
    let survey_id = path.into_inner();
    let team_id = match form
        .team_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match s.parse::<TeamId>() {
            Ok(v) => Some(v),
            Err(_) => {
                return error_page(
                    lang,
                    &AppError::at(
                        "team_id",
                        ErrorCode::NotANumber {
                            value: s.to_string(),
                        },
                    ),
                )
            }
        },
    };
    let create = CreateAction {
        dimension_key: form.dimension_key,
        wave_id: form.wave_id,
        team_id,
        decision: form.decision,
        description: form.description,
        owner: form.owner,
        due_date: form.due_date,
    };
    let who2 = who.clone();
    match db(&state, move |conn| {
        actions::create(conn, &who2, survey_id, &create)
    })
    .await
    {
        Ok(_) => {
            let slide = form.slide.unwrap_or(0);
            let revealed = revealed_value(&revealed_set(form.revealed.as_deref(), 1000));
            redirect(&format!(
                "/surveys/{survey_id}/workshop?{}&revealed={revealed}&recorded={slide}#slide-{slide}",
                scope_query(Some(form.wave_id), team_id, lang)
            ))
        }
        Err(e) if e.is_validation() => {
            let t = app_text(lang);
            let msg = e.message(lang);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MessagePage {
                    lang: t.lang_code,
                    title: t.record_action,
                    heading: t.record_action,
                    body: &msg,
                    kind: "problem",
                },
            )
        }
        Err(e) => error_page(lang, &e),
    }
}

/// Static script for the workshop (served from the binary; CSP allows only 'self').
pub const WORKSHOP_JS: &str = include_str!("../../../static/workshop.js");

pub async fn workshop_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(WORKSHOP_JS)
}

pub async fn root() -> HttpResponse {
    redirect("/dashboard")
}
