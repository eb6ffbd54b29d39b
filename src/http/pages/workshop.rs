//! The workshop: one slide per dimension in survey position (the guess first, the customers'
//! view on reveal), the two questions, the form that records an action, and a closing slide
//! once every dimension has been revealed. What it may show comes from `app::reveal`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::render;
use super::session::{
    change_as, error_page, form_failed, form_team, form_user, page_reader, redirect,
};
use super::view::{
    action_rows, composition_text, dim_row, knowledge_sentences, mean_text, notes_text,
    scope_query, ActionRow, DimRow,
};
use crate::app::actions::{self, CreateAction};
use crate::app::audit::{workshop_action, Action::ActionCreated};
use crate::app::reveal::{self, Workshop};
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::error::ErrorCode;
use crate::http::{db, AppState};
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::verdicts::ReasonScope;
use crate::i18n::Lang;

/// One dimension's slide: before its reveal only the label and the employees' own rating.
pub struct Slide {
    /// The dimension's place in the survey: the slide's number.
    pub index: usize,
    pub key: String,
    pub label: String,
    /// The employees' own rating (shown before the reveal).
    pub employee: String,
    /// The customers' side: present only once revealed (else it is not in the page at all).
    pub row: Option<DimRow>,
    pub earlier: Vec<ActionRow>,
    /// The `revealed` value that adds this slide (the reveal button's form).
    pub reveal_value: String,
    /// An action was just recorded on this slide: the confirmation stands by its form.
    pub recorded: bool,
}

/// A line of the closing slide: a dimension with its gap, and the Holm-adjusted p.
pub struct ClosingLine {
    pub label: String,
    pub sentence: String,
    pub p_holm: String,
}

/// The closing slide, served only once every dimension has been revealed.
pub struct ClosingSlide {
    pub index: usize,
    pub blind_spots: Vec<ClosingLine>,
    pub hidden_strengths: Vec<ClosingLine>,
    /// Composition warnings of the scope, in words.
    pub composition: Vec<String>,
    /// The last slide, "Hoe goed kenden wij onze klanten?".
    pub knowledge: KnowledgeSlide,
}

/// The last slide: the knowledge score in words and the mirror quadrant (SPEC revision 3).
pub struct KnowledgeSlide {
    pub index: usize,
    pub heading: &'static str,
    /// The knowledge score as sentences, or the one sentence saying why there is none.
    pub sentences: Vec<String>,
    /// The quadrant chart's text alternative: its title, summary and lines.
    pub quadrant: crate::charts::describe::Description,
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
    slides: Vec<Slide>,
    closing: Option<ClosingSlide>,
    /// The slides revealed so far, as the `revealed` query value.
    revealed: String,
    /// The reader may record actions in this scope (not a team lead in the organisation scope).
    can_record: bool,
    /// The print view: the slides as they stand (revealed or not), and the script prints.
    print: bool,
    /// What the anonymity rules left out, in words.
    notes: Vec<String>,
    /// The reader may start a live session of this scope (its wave is closed).
    can_go_live: bool,
    live: &'a crate::i18n::live::LiveText,
}

#[derive(Deserialize)]
pub struct WorkshopQuery {
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    /// The slide an action was just recorded on.
    pub recorded: Option<usize>,
    /// The slides (survey positions) whose customers' view is shown: `1,3` or `all`.
    pub revealed: Option<String>,
    pub print: Option<u8>,
}

fn revealed_value(set: &[usize]) -> String {
    set.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The workshop page's slides from what `app::reveal` let through.
fn slides(
    lang: Lang,
    t: &AppText,
    w: &Workshop,
    revealed: &[usize],
    recorded: Option<usize>,
) -> Vec<Slide> {
    let l = &w.overview;
    let scope = ReasonScope::of(&l.comparison);
    let all_actions = action_rows(lang, t, l);
    w.slides
        .iter()
        .map(|s| {
            let mut with = revealed.to_vec();
            with.push(s.position);
            with.sort_unstable();
            with.dedup();
            Slide {
                index: s.position,
                key: s.key.clone(),
                label: s.label.clone(),
                employee: mean_text(lang, &s.employee, scope),
                row: w
                    .report_of(&s.key)
                    .filter(|_| s.revealed)
                    .map(|d| dim_row(lang, t, &l.comparison, d, s.position)),
                earlier: l
                    .actions
                    .iter()
                    .zip(&all_actions)
                    .filter(|(a, _)| a.dimension_key == s.key)
                    .map(|(_, r)| r.clone())
                    .collect(),
                reveal_value: revealed_value(&with),
                recorded: recorded == Some(s.position),
            }
        })
        .collect()
}

fn closing_slide(lang: Lang, t: &AppText, w: &Workshop) -> Option<ClosingSlide> {
    let closing = w.closing()?;
    let c = &w.overview.comparison;
    let line = |d: &crate::engine::DimensionReport| ClosingLine {
        label: d.label.clone(),
        sentence: crate::i18n::verdicts::sentence(lang, d, c),
        p_holm: d
            .gap
            .as_ref()
            .map(|g| crate::i18n::verdicts::p_holm(lang, g.p_adjusted))
            .unwrap_or_default(),
    };
    let knowledge = KnowledgeSlide {
        index: w.slides.len() + 2,
        heading: crate::i18n::knowledge::heading(lang),
        sentences: knowledge_sentences(lang, c),
        quadrant: crate::app::charts::describe(
            crate::charts::ChartKind::Quadrant,
            c,
            &w.overview.trend,
            lang,
        ),
    };
    Some(ClosingSlide {
        knowledge,
        index: w.slides.len() + 1,
        blind_spots: closing.blind_spots.iter().map(line).collect(),
        hidden_strengths: closing.hidden_strengths.iter().map(line).collect(),
        composition: c
            .dimensions
            .iter()
            .map(|d| (d, composition_text(lang, t, d)))
            .filter(|(_, text)| !text.is_empty())
            .map(|(d, text)| format!("{}: {text}", d.label))
            .collect(),
    })
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
    let (lang, who) = or_page!(page_reader(&state, &req).await);
    let who2 = who.clone();
    let (wave_q, revealed_q) = (q.wave_id, q.revealed.clone());
    let loaded = match db(&state, move |conn| {
        reveal::workshop(
            conn,
            &who2,
            survey_id,
            wave_q,
            team_id,
            revealed_q.as_deref(),
            lang,
        )
    })
    .await
    {
        Ok(w) => w,
        Err(e) => return error_page(lang, &e),
    };
    let t = app_text(lang);
    let Some(wave_id) = loaded.overview.wave_id else {
        return error_page(
            lang,
            &ErrorCode::NoWaveYet {
                survey: survey_id.get(),
            }
            .into(),
        );
    };
    let print = q.print == Some(1);
    let revealed: Vec<usize> = loaded
        .slides
        .iter()
        .filter(|s| s.revealed)
        .map(|s| s.position)
        .collect();
    let l = &loaded.overview;
    let wave_name = l
        .waves
        .iter()
        .find(|w| w.id == wave_id)
        .map(|w| w.name.clone())
        .unwrap_or_default();
    let team_name = match team_id {
        None => t.whole_organisation.to_string(),
        Some(id) => l
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
            survey_title: l.survey.title.clone(),
            scope_label: format!("{team_name} · {wave_name}"),
            query: scope_query(Some(wave_id), team_id, lang),
            wave_id,
            team_value: team_id.map(|t| t.to_string()).unwrap_or_default(),
            slides: slides(lang, t, &loaded, &revealed, q.recorded),
            closing: closing_slide(lang, t, &loaded),
            revealed: revealed_value(&revealed),
            can_record: actions::may_act_on(&who, team_id),
            print,
            notes: notes_text(t, &l.notes, l.comparison.min_group_size),
            can_go_live: crate::app::live::may_run(&who, team_id)
                && l.waves.iter().any(|w| {
                    w.id == wave_id && crate::app::disclosure::is_closed(w, crate::store::now())
                }),
            live: crate::i18n::live::live_text(lang),
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
    let form = form.into_inner();
    let (lang, who) = or_page!(form_user(&state, &req, &form.csrf).await);
    let survey_id = path.into_inner();
    let team_id = form_team(form.team_id.as_deref());
    let team_id = or_page!(team_id.map_err(|e| error_page(lang, &e)));
    let create = CreateAction {
        dimension_key: form.dimension_key,
        wave_id: form.wave_id,
        team_id,
        decision: form.decision,
        description: form.description,
        owner: form.owner,
        due_date: form.due_date,
    };
    let create = move |c: &mut _, who: &_| actions::create(c, who, survey_id, &create);
    match change_as(&state, who, ActionCreated, create, workshop_action).await {
        Ok(_) => {
            let slide = form.slide.unwrap_or(0);
            let revealed = revealed_value(&reveal::revealed_set(form.revealed.as_deref(), 1000));
            redirect(&format!(
                "/surveys/{survey_id}/workshop?{}&revealed={revealed}&recorded={slide}#slide-{slide}",
                scope_query(Some(form.wave_id), team_id, lang)
            ))
        }
        Err(e) => form_failed(lang, app_text(lang).record_action, &e),
    }
}

/// Static script for the workshop (served from the binary; CSP allows only 'self').
pub const WORKSHOP_JS: &str = include_str!("../../../static/workshop.js");

pub async fn workshop_js() -> HttpResponse {
    super::asset(super::JS, WORKSHOP_JS)
}

pub async fn root() -> HttpResponse {
    redirect("/dashboard")
}
