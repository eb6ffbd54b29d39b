//! Admin API: teams, surveys, waves, invitations.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{instant, parse_instant};
use crate::domain::templates::{self, MIRROR_DEFAULT};
use crate::domain::{
    optional_text, required_text, Audience, CategoryKind, DimensionKey, Invalid, Scale,
};
use crate::engine::default_materiality;
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::store::{
    self,
    surveys::{Dimension, NewDimension, NewSurvey, NewWave, Survey, Wave},
    teams::Team,
};

// ---------- teams ----------

#[derive(Deserialize, ToSchema)]
pub struct CreateTeam {
    pub name: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TeamView {
    pub id: i64,
    pub name: String,
}

impl From<Team> for TeamView {
    fn from(t: Team) -> Self {
        TeamView {
            id: t.id,
            name: t.name,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/teams", tag = "admin", request_body = CreateTeam,
    responses((status = 201, body = TeamView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_team(
    state: web::Data<AppState>,
    who: Principal,
    body: web::Json<CreateTeam>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let name = required_text(&body.name, "name", 100)?;
    let team = db(&state, move |conn| {
        if store::teams::find_by_name(conn, &name)?.is_some() {
            return Err(AppError::Conflict {
                code: "team_exists",
                message: format!("a team named '{name}' already exists"),
            });
        }
        Ok(store::teams::create(conn, &name)?)
    })
    .await?;
    Ok(HttpResponse::Created().json_line(TeamView::from(team)))
}

#[utoipa::path(get, path = "/api/v1/teams", tag = "admin",
    responses((status = 200, body = Vec<TeamView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_teams(
    state: web::Data<AppState>,
    who: Principal,
) -> Result<HttpResponse, AppError> {
    let only = who.visible_teams();
    let teams = db(&state, move |conn| {
        Ok(store::teams::list(conn, only.as_deref())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(teams.into_iter().map(TeamView::from).collect::<Vec<_>>()))
}

// ---------- surveys ----------

#[derive(Deserialize, ToSchema, Default)]
pub struct DimensionInput {
    pub key: String,
    pub label_nl: String,
    pub label_en: Option<String>,
    pub employee_statement_nl: Option<String>,
    pub employee_statement_en: Option<String>,
    pub customer_statement_nl: Option<String>,
    pub customer_statement_en: Option<String>,
    /// `functional` (default) or `emotional`.
    pub category: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateSurvey {
    pub title: String,
    /// `mirror-default` (used when no dimensions are given).
    pub template: Option<String>,
    pub scale_min: Option<i32>,
    pub scale_max: Option<i32>,
    /// Extra (or, without a template, all) dimensions.
    pub dimensions: Option<Vec<DimensionInput>>,
    /// Anonymity threshold (default 5).
    pub min_group_size: Option<i32>,
    /// Significance level (default 0.05).
    pub alpha: Option<f64>,
    /// Smallest gap that counts (default 5 % of the scale range).
    pub materiality: Option<f64>,
    pub ask_predicted: Option<bool>,
    pub ask_expected: Option<bool>,
    pub ask_importance: Option<bool>,
    pub ask_nps: Option<bool>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DimensionView {
    pub key: String,
    pub label_nl: String,
    pub label_en: String,
    pub employee_statement_nl: String,
    pub employee_statement_en: String,
    pub customer_statement_nl: String,
    pub customer_statement_en: String,
    pub category: String,
    pub position: i32,
}

impl From<Dimension> for DimensionView {
    fn from(d: Dimension) -> Self {
        DimensionView {
            key: d.key,
            label_nl: d.label_nl,
            label_en: d.label_en,
            employee_statement_nl: d.employee_statement_nl,
            employee_statement_en: d.employee_statement_en,
            customer_statement_nl: d.customer_statement_nl,
            customer_statement_en: d.customer_statement_en,
            category: d.category,
            position: d.position,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct WaveView {
    pub id: i64,
    pub survey_id: i64,
    pub name: String,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub closes_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<Wave> for WaveView {
    fn from(w: Wave) -> Self {
        WaveView {
            id: w.id,
            survey_id: w.survey_id,
            name: w.name,
            opens_at: instant(w.opens_at),
            closes_at: w.closes_at.map(instant),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SurveyView {
    pub id: i64,
    pub title: String,
    pub template: Option<String>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub min_group_size: i32,
    pub alpha: f64,
    pub materiality: f64,
    pub ask_predicted: bool,
    pub ask_expected: bool,
    pub ask_importance: bool,
    pub ask_nps: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub dimensions: Vec<DimensionView>,
    pub waves: Vec<WaveView>,
}

impl SurveyView {
    pub fn new(s: Survey, dims: Vec<Dimension>, waves: Vec<Wave>) -> SurveyView {
        SurveyView {
            id: s.id,
            title: s.title,
            template: s.template,
            scale_min: s.scale_min,
            scale_max: s.scale_max,
            min_group_size: s.min_group_size,
            alpha: s.alpha,
            materiality: s.materiality,
            ask_predicted: s.ask_predicted,
            ask_expected: s.ask_expected,
            ask_importance: s.ask_importance,
            ask_nps: s.ask_nps,
            created_at: instant(s.created_at),
            dimensions: dims.into_iter().map(DimensionView::from).collect(),
            waves: waves.into_iter().map(WaveView::from).collect(),
        }
    }
}

fn text_or(value: &Option<String>, fallback: &str, field: &str) -> Result<String, Invalid> {
    match value {
        Some(v) if !v.trim().is_empty() => optional_text(v, field, 500),
        _ => Ok(fallback.to_string()),
    }
}

/// Validates a survey request into rows to insert.
pub fn validate_survey(req: &CreateSurvey) -> Result<(NewSurvey, Vec<NewDimension>), Invalid> {
    let title = required_text(&req.title, "title", 200)?;
    let scale = Scale::new(req.scale_min.unwrap_or(1), req.scale_max.unwrap_or(10))?;
    let min_group_size = req.min_group_size.unwrap_or(5);
    if !(1..=1000).contains(&min_group_size) {
        return Err(Invalid::new("min_group_size", "must be between 1 and 1000"));
    }
    let alpha = req.alpha.unwrap_or(0.05);
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(Invalid::new("alpha", "must be between 0 and 1 (exclusive)"));
    }
    let materiality = req
        .materiality
        .unwrap_or_else(|| default_materiality(scale.min(), scale.max()));
    if !(materiality >= 0.0 && materiality <= f64::from(scale.max() - scale.min())) {
        return Err(Invalid::new(
            "materiality",
            "must be between 0 and the scale's range",
        ));
    }
    let template_name = match (&req.template, &req.dimensions) {
        (Some(t), _) => Some(t.trim().to_string()),
        (None, None) => Some(MIRROR_DEFAULT.to_string()),
        (None, Some(_)) => None,
    };
    let mut dims: Vec<NewDimension> = Vec::new();
    if let Some(name) = &template_name {
        let t = templates::template(name).ok_or_else(|| {
            Invalid::new(
                "template",
                format!("unknown template '{name}' (known: {MIRROR_DEFAULT})"),
            )
        })?;
        dims.extend(t.iter().map(|d| NewDimension {
            survey_id: 0,
            key: d.key.to_string(),
            label_nl: d.label_nl.to_string(),
            label_en: d.label_en.to_string(),
            employee_statement_nl: d.employee_statement_nl.to_string(),
            employee_statement_en: d.employee_statement_en.to_string(),
            customer_statement_nl: d.customer_statement_nl.to_string(),
            customer_statement_en: d.customer_statement_en.to_string(),
            category: d.category.as_str().to_string(),
            position: 0,
        }));
    }
    for (i, d) in req.dimensions.iter().flatten().enumerate() {
        let f = |name: &str| format!("dimensions[{i}].{name}");
        let key = DimensionKey::parse(d.key.trim(), &f("key"))?;
        if dims.iter().any(|x| x.key == key.as_str()) {
            return Err(Invalid::new(
                f("key"),
                format!("duplicate dimension key '{}'", key.as_str()),
            ));
        }
        let label_nl = required_text(&d.label_nl, &f("label_nl"), 100)?;
        let label_en = text_or(&d.label_en, &label_nl, &f("label_en"))?;
        let category = match &d.category {
            None => CategoryKind::Functional,
            Some(c) => CategoryKind::parse_field(c.trim(), &f("category"))?,
        };
        dims.push(NewDimension {
            survey_id: 0,
            key: key.as_str().to_string(),
            employee_statement_nl: text_or(
                &d.employee_statement_nl,
                &label_nl,
                &f("employee_statement_nl"),
            )?,
            employee_statement_en: text_or(
                &d.employee_statement_en,
                &label_en,
                &f("employee_statement_en"),
            )?,
            customer_statement_nl: text_or(
                &d.customer_statement_nl,
                &label_nl,
                &f("customer_statement_nl"),
            )?,
            customer_statement_en: text_or(
                &d.customer_statement_en,
                &label_en,
                &f("customer_statement_en"),
            )?,
            label_nl,
            label_en,
            category: category.as_str().to_string(),
            position: 0,
        });
    }
    if dims.is_empty() {
        return Err(Invalid::new(
            "dimensions",
            "a survey needs at least one dimension",
        ));
    }
    if dims.len() > 50 {
        return Err(Invalid::new(
            "dimensions",
            "a survey has at most 50 dimensions",
        ));
    }
    Ok((
        NewSurvey {
            title,
            template: template_name,
            scale_min: scale.min(),
            scale_max: scale.max(),
            min_group_size,
            alpha,
            materiality,
            ask_predicted: req.ask_predicted.unwrap_or(true),
            ask_expected: req.ask_expected.unwrap_or(true),
            ask_importance: req.ask_importance.unwrap_or(false),
            ask_nps: req.ask_nps.unwrap_or(true),
            created_at: store::now(),
        },
        dims,
    ))
}

#[utoipa::path(post, path = "/api/v1/surveys", tag = "admin", request_body = CreateSurvey,
    responses((status = 201, body = SurveyView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_survey(
    state: web::Data<AppState>,
    who: Principal,
    body: web::Json<CreateSurvey>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let (survey, dims) = validate_survey(&body)?;
    let view = db(&state, move |conn| {
        store::write_tx(conn, |conn| {
            let (s, d) = store::surveys::create(conn, survey, dims)?;
            Ok::<_, AppError>(SurveyView::new(s, d, vec![]))
        })
    })
    .await?;
    Ok(HttpResponse::Created().json_line(view))
}

#[utoipa::path(get, path = "/api/v1/surveys", tag = "admin",
    responses((status = 200, body = Vec<SurveyView>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_surveys(
    state: web::Data<AppState>,
    _who: Principal,
) -> Result<HttpResponse, AppError> {
    let views = db(&state, |conn| {
        let mut out = Vec::new();
        for s in store::surveys::list(conn)? {
            let dims = store::surveys::dimensions_of(conn, s.id)?;
            let waves = store::surveys::waves_of(conn, s.id)?;
            out.push(SurveyView::new(s, dims, waves));
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(views))
}

/// Loads a survey or answers 404.
pub fn survey_or_404(conn: &mut store::AnyConnection, id: i64) -> Result<Survey, AppError> {
    store::surveys::find(conn, id)?.ok_or_else(|| AppError::NotFound(format!("survey {id}")))
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "admin", params(("id" = i64, Path, description = "survey id")),
    responses((status = 200, body = SurveyView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_survey(
    state: web::Data<AppState>,
    _who: Principal,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let view = db(&state, move |conn| {
        let s = survey_or_404(conn, id)?;
        let dims = store::surveys::dimensions_of(conn, id)?;
        let waves = store::surveys::waves_of(conn, id)?;
        Ok(SurveyView::new(s, dims, waves))
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(view))
}

// ---------- waves ----------

#[derive(Deserialize, ToSchema)]
pub struct CreateWave {
    pub name: String,
    /// RFC 3339, e.g. `2026-03-01T00:00:00Z`.
    pub opens_at: String,
    pub closes_at: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/waves", tag = "admin", request_body = CreateWave,
    params(("id" = i64, Path, description = "survey id")),
    responses((status = 201, body = WaveView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_wave(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<i64>,
    body: web::Json<CreateWave>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let survey_id = path.into_inner();
    let name = required_text(&body.name, "name", 100)?;
    let opens_at = parse_instant(&body.opens_at, "opens_at")?;
    let closes_at = body
        .closes_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_instant(s, "closes_at"))
        .transpose()?;
    if let Some(c) = closes_at {
        if c <= opens_at {
            return Err(AppError::validation("closes_at", "must be after opens_at"));
        }
    }
    let wave = db(&state, move |conn| {
        survey_or_404(conn, survey_id)?;
        Ok(store::surveys::create_wave(
            conn,
            NewWave {
                survey_id,
                name,
                opens_at,
                closes_at,
                created_at: store::now(),
            },
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json_line(WaveView::from(wave)))
}

// ---------- invitations ----------

#[derive(Deserialize, ToSchema)]
pub struct CreateInvitations {
    pub wave_id: i64,
    pub team_id: i64,
    /// `employee` or `customer`.
    pub audience: String,
    /// How many tokens (default 1, at most 1000).
    pub count: Option<i64>,
    /// Uses per token (default 1: single use; more for a team link).
    pub max_uses: Option<i64>,
    pub expires_at: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitationsCreated {
    pub wave_id: i64,
    pub team_id: i64,
    pub audience: Audience,
    pub max_uses: i64,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The secret tokens. Shown only here, never again: only their hashes are stored.
    pub tokens: Vec<String>,
    /// The questionnaire link for each token.
    pub links: Vec<String>,
}

pub const MAX_TOKENS_PER_REQUEST: i64 = 1000;

#[utoipa::path(post, path = "/api/v1/surveys/{id}/invitations", tag = "admin", request_body = CreateInvitations,
    params(("id" = i64, Path, description = "survey id")),
    responses((status = 201, body = InvitationsCreated), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_invitations(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    path: web::Path<i64>,
    body: web::Json<CreateInvitations>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let survey_id = path.into_inner();
    let audience = Audience::parse_field(body.audience.trim(), "audience")?;
    let count = body.count.unwrap_or(1);
    if !(1..=MAX_TOKENS_PER_REQUEST).contains(&count) {
        return Err(AppError::validation(
            "count",
            format!("must be between 1 and {MAX_TOKENS_PER_REQUEST}"),
        ));
    }
    let max_uses = body.max_uses.unwrap_or(1);
    if !(1..=100_000).contains(&max_uses) {
        return Err(AppError::validation(
            "max_uses",
            "must be between 1 and 100000",
        ));
    }
    let expires_at = body
        .expires_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_instant(s, "expires_at"))
        .transpose()?;
    let (wave_id, team_id) = (body.wave_id, body.team_id);
    let mut tokens = Vec::with_capacity(count as usize);
    for _ in 0..count {
        tokens.push(
            store::invitations::new_token()
                .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?,
        );
    }
    let rows: Vec<store::invitations::NewInvitation> = tokens
        .iter()
        .map(|t| store::invitations::NewInvitation {
            survey_id,
            wave_id,
            team_id,
            audience: audience.as_str().to_string(),
            token_hash: store::invitations::hash_token(t),
            max_uses: max_uses as i32,
            uses: 0,
            expires_at,
            created_at: store::now(),
        })
        .collect();
    db(&state, move |conn| {
        survey_or_404(conn, survey_id)?;
        crate::service::check_wave(conn, survey_id, wave_id, crate::service::WaveRef::Field)?;
        if store::teams::find(conn, team_id)?.is_none() {
            return Err(AppError::validation(
                "team_id",
                format!("team {team_id} does not exist"),
            ));
        }
        store::write_tx(conn, |conn| store::invitations::insert_many(conn, &rows))?;
        Ok(())
    })
    .await?;
    let base = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let links = tokens.iter().map(|t| format!("{base}/r/{t}")).collect();
    Ok(HttpResponse::Created().json_line(InvitationsCreated {
        wave_id,
        team_id,
        audience,
        max_uses,
        expires_at: expires_at.map(instant),
        tokens,
        links,
    }))
}
