//! Use cases shared by the HTTP API and the CLI: each is one transaction over the store.

use std::collections::HashSet;

use crate::csvio::{self, ImportContext};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::comparison::Scope;
use crate::store::responses::NewResponse;
use crate::store::{self, AnyConnection};

/// How a wave was named: in a request body (422 naming `wave_id`) or as a filter (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveRef {
    Field,
    Filter,
}

/// Checks that the wave exists and belongs to the survey.
pub fn check_wave(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: i64,
    how: WaveRef,
) -> Result<(), AppError> {
    match store::surveys::find_wave(conn, wave_id)? {
        Some(w) if w.survey_id == survey_id => Ok(()),
        _ => Err(match how {
            WaveRef::Field => AppError::validation(
                "wave_id",
                format!("wave {wave_id} is not a wave of survey {survey_id}"),
            ),
            WaveRef::Filter => AppError::NotFound(format!("wave {wave_id} of survey {survey_id}")),
        }),
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Rows stored.
    pub imported: u64,
    /// Respondent ids already present in the wave: not stored again.
    pub duplicates: Vec<String>,
}

/// Imports a CSV into one wave: every row or none, in one transaction.
pub fn import_csv(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: i64,
    input: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportOutcome, AppError> {
    let survey = store::surveys::find(conn, survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {survey_id}")))?;
    check_wave(conn, survey_id, wave_id, WaveRef::Field)?;
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let teams = store::teams::list(conn, None)?;
    let ctx = ImportContext {
        survey: &survey,
        dimensions: &dims,
        teams: &teams,
    };
    let rows = csvio::parse(input, &ctx).map_err(|rows| AppError::ImportRejected {
        message: format!(
            "the import was rejected: {} problem(s); nothing was stored",
            rows.len()
        ),
        rows,
    })?;
    let total = rows.len() as u64;
    store::write_tx(conn, |conn| {
        let existing: HashSet<String> = store::responses::respondents_in_wave(conn, wave_id)?
            .into_iter()
            .collect();
        let now = store::now();
        let mut duplicates = Vec::new();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(r) = &row.respondent {
                if existing.contains(r) {
                    duplicates.push(r.clone());
                    continue;
                }
            }
            items.push((
                NewResponse {
                    survey_id,
                    wave_id,
                    team_id: row.team_id,
                    audience: row.audience.as_str().to_string(),
                    submitted_at: row.submitted_at.unwrap_or(now),
                    nps: row.nps,
                    comment: row.comment,
                    respondent: row.respondent,
                },
                row.ratings,
            ));
        }
        let imported = store::responses::insert_batch(conn, &items, survey.scale_min, &mut |n| {
            progress(n, total)
        })?;
        Ok(ImportOutcome {
            imported: imported.len() as u64,
            duplicates,
        })
    })
}

/// Exports a survey's responses (optionally one wave) as CSV.
pub fn export_csv(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: Option<i64>,
) -> Result<Vec<u8>, AppError> {
    let survey = store::surveys::find(conn, survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {survey_id}")))?;
    if let Some(w) = wave_id {
        check_wave(conn, survey_id, w, WaveRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let teams = store::teams::list(conn, None)?;
    let (responses, ratings) = store::responses::load_for_export(conn, survey_id, wave_id)?;
    csvio::write(&survey, &dims, &teams, &responses, &ratings).map_err(AppError::internal)
}

/// The comparison report for a scope; checks that wave and team exist.
pub fn comparison(
    conn: &mut AnyConnection,
    scope: Scope,
    lang: Lang,
) -> Result<crate::engine::Comparison, AppError> {
    let survey = store::surveys::find(conn, scope.survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {}", scope.survey_id)))?;
    if let Some(w) = scope.wave_id {
        check_wave(conn, scope.survey_id, w, WaveRef::Filter)?;
    }
    if let Some(t) = scope.team_id {
        if store::teams::find(conn, t)?.is_none() {
            return Err(AppError::NotFound(format!("team {t}")));
        }
    }
    let dims = store::surveys::dimensions_of(conn, scope.survey_id)?;
    Ok(store::comparison::comparison(
        conn, &survey, &dims, scope, lang,
    )?)
}

/// The trend report: per wave the gap block, and the change between consecutive waves.
pub fn trend(
    conn: &mut AnyConnection,
    survey_id: i64,
    team_id: Option<i64>,
    lang: Lang,
) -> Result<crate::engine::Trend, AppError> {
    let survey = store::surveys::find(conn, survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {survey_id}")))?;
    if let Some(t) = team_id {
        if store::teams::find(conn, t)?.is_none() {
            return Err(AppError::NotFound(format!("team {t}")));
        }
    }
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let mut reports = Vec::new();
    for w in store::surveys::waves_of(conn, survey_id)? {
        let scope = Scope {
            survey_id,
            wave_id: Some(w.id),
            team_id,
        };
        reports.push(crate::engine::WaveReport {
            wave_id: w.id,
            name: w.name.clone(),
            opens_at: w.opens_at.and_utc(),
            comparison: store::comparison::comparison(conn, &survey, &dims, scope, lang)?,
        });
    }
    let order: Vec<String> = dims.iter().map(|d| d.key.clone()).collect();
    Ok(crate::engine::trend(survey_id, team_id, &order, reports))
}

/// A submission as it arrives (JSON or form), before validation.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct RawSubmission {
    /// Per dimension key, per kind (`self`, `predicted`, `perceived`, `expected`, `importance`):
    /// a value on the survey's scale, or null for "don't know".
    #[schema(value_type = Object)]
    #[serde(default)]
    pub ratings:
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, serde_json::Value>>,
    /// 0–10, customers only.
    #[schema(value_type = Option<i64>)]
    pub nps: Option<serde_json::Value>,
    pub comment: Option<String>,
}

/// A validated submission, ready to store.
pub struct ValidSubmission {
    pub values: Vec<store::responses::NewRatingValue>,
    pub nps: Option<i32>,
    pub comment: Option<String>,
}

/// Validates a submission against the survey and the token's audience.
pub fn validate_submission(
    survey: &store::surveys::Survey,
    dims: &[store::surveys::Dimension],
    audience: crate::domain::Audience,
    sub: &RawSubmission,
) -> Result<ValidSubmission, AppError> {
    use crate::domain::{Audience, Invalid, Rating, RatingKind};
    let scale = survey.scale();
    let mut values = Vec::with_capacity(sub.ratings.values().map(|k| k.len()).sum());
    for (key, kinds) in &sub.ratings {
        let dim = dims.iter().find(|d| &d.key == key).ok_or_else(|| {
            Invalid::new(
                format!("ratings.{key}"),
                format!("unknown dimension '{key}'"),
            )
        })?;
        for (kind_name, value) in kinds {
            // The field name is built only when there is something to say about it.
            let named = |mut e: Invalid| {
                e.field = format!("ratings.{key}.{kind_name}");
                AppError::from(e)
            };
            let kind = RatingKind::parse_field(kind_name, "").map_err(named)?;
            if kind.audience() != audience {
                return Err(named(Invalid::new(
                    "",
                    format!("a {audience} may not give a '{kind}' rating"),
                )));
            }
            if !csvio::kind_asked(survey, kind) {
                return Err(named(Invalid::new(
                    "",
                    format!("this survey does not ask for '{kind}' ratings"),
                )));
            }
            let raw = match value {
                serde_json::Value::Null => None,
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(v) => Some(v),
                    None => {
                        return Err(named(Invalid::new(
                            "",
                            format!("{n} is not a whole number"),
                        )))
                    }
                },
                other => {
                    return Err(named(Invalid::new(
                        "",
                        format!("{other} is not a whole number or null"),
                    )))
                }
            };
            let rating = Rating::new(raw, scale, "").map_err(named)?;
            values.push(store::responses::NewRatingValue {
                dimension_id: dim.id,
                kind: kind.as_str(),
                value: rating.value(),
            });
        }
    }
    if values.is_empty() {
        return Err(Invalid::new("ratings", "a submission needs at least one rating").into());
    }
    let nps = match &sub.nps {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => {
            if audience == Audience::Employee {
                return Err(Invalid::new("nps", "employees do not answer the NPS question").into());
            }
            let n = v
                .as_i64()
                .ok_or_else(|| Invalid::new("nps", format!("{v} is not a whole number")))?;
            Some(crate::domain::parse_nps(n, "nps")?)
        }
    };
    let comment = match &sub.comment {
        None => None,
        Some(c) => Some(crate::domain::optional_text(
            c,
            "comment",
            csvio::MAX_COMMENT,
        )?)
        .filter(|c| !c.is_empty()),
    };
    Ok(ValidSubmission {
        values,
        nps,
        comment,
    })
}

/// Why a token cannot be used now.
pub fn token_state(
    inv: &store::invitations::Invitation,
    wave: &store::surveys::Wave,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    if inv.expires_at.is_some_and(|e| now >= e) {
        return Err(AppError::Gone {
            code: "token_expired",
            message: "this invitation has expired".into(),
        });
    }
    if wave.closes_at.is_some_and(|c| now >= c) {
        return Err(AppError::Gone {
            code: "wave_closed",
            message: "this survey round is closed".into(),
        });
    }
    if now < wave.opens_at {
        return Err(AppError::Conflict {
            code: "wave_not_open",
            message: "this survey round has not opened yet".into(),
        });
    }
    if inv.uses >= inv.max_uses {
        return Err(token_used());
    }
    Ok(())
}

/// Everything a questionnaire needs about a token, checked to be usable now.
pub struct TokenContext {
    pub invitation: store::invitations::Invitation,
    pub parts: store::cache::SurveyParts,
    pub wave: std::sync::Arc<store::surveys::Wave>,
    pub audience: crate::domain::Audience,
}

impl TokenContext {
    pub fn survey(&self) -> &store::surveys::Survey {
        &self.parts.0
    }
    pub fn dimensions(&self) -> &[store::surveys::Dimension] {
        &self.parts.1
    }
}

pub fn unknown_token() -> AppError {
    AppError::NotFound("invitation (unknown token)".into())
}

/// Whether a token is worth a query: empty and over-long (> 200 bytes) tokens are unknown.
pub fn token_looks_usable(token: &str) -> bool {
    !token.is_empty() && token.len() <= 200
}

/// The token's invitation, or 404.
pub fn find_invitation(
    conn: &mut AnyConnection,
    token: &str,
) -> Result<store::invitations::Invitation, AppError> {
    if !token_looks_usable(token) {
        return Err(unknown_token());
    }
    store::invitations::find_by_token(conn, token)?.ok_or_else(unknown_token)
}

/// The context of a found invitation (survey and wave from the cache), checked to be usable now.
pub fn invitation_context(
    conn: &mut AnyConnection,
    cache: &store::cache::Cache,
    invitation: store::invitations::Invitation,
) -> Result<TokenContext, AppError> {
    let wave = cache
        .wave(conn, invitation.wave_id)?
        .ok_or_else(unknown_token)?;
    let parts = cache
        .survey(conn, invitation.survey_id)?
        .ok_or_else(unknown_token)?;
    let audience =
        crate::domain::Audience::parse(&invitation.audience).ok_or_else(unknown_token)?;
    token_state(&invitation, &wave, store::now())?;
    Ok(TokenContext {
        invitation,
        parts,
        wave,
        audience,
    })
}

/// Everything a questionnaire needs about a token, checked to be usable now.
pub fn token_context(
    conn: &mut AnyConnection,
    cache: &store::cache::Cache,
    token: &str,
) -> Result<TokenContext, AppError> {
    let invitation = find_invitation(conn, token)?;
    invitation_context(conn, cache, invitation)
}

/// A validated submission, ready for the writer: which invitation it uses and what to store.
#[derive(Debug, Clone)]
pub struct PreparedSubmission {
    pub invitation_id: i64,
    pub response: NewResponse,
    pub values: Vec<store::responses::NewRatingValue>,
    pub scale_min: i32,
}

/// What the writer does with a looked-up invitation (None: unknown token, 404): checks that it
/// is usable now and validates the submission against its survey.
pub fn prepare_for(
    conn: &mut AnyConnection,
    cache: &store::cache::Cache,
    invitation: Option<store::invitations::Invitation>,
    sub: &RawSubmission,
) -> Result<PreparedSubmission, AppError> {
    let invitation = invitation.ok_or_else(unknown_token)?;
    prepare(&invitation_context(conn, cache, invitation)?, sub)
}

/// Validates a submission against its token's context (422 naming the field).
pub fn prepare(ctx: &TokenContext, sub: &RawSubmission) -> Result<PreparedSubmission, AppError> {
    let ValidSubmission {
        values,
        nps,
        comment,
    } = validate_submission(ctx.survey(), ctx.dimensions(), ctx.audience, sub)?;
    Ok(PreparedSubmission {
        invitation_id: ctx.invitation.id,
        response: NewResponse {
            survey_id: ctx.survey().id,
            wave_id: ctx.wave.id,
            team_id: ctx.invitation.team_id,
            audience: ctx.audience.as_str().to_string(),
            submitted_at: store::now(),
            nps,
            comment,
            respondent: None,
        },
        values,
        scale_min: ctx.survey().scale_min,
    })
}

/// The answer to a submission whose invitation has no use left.
pub fn token_used() -> AppError {
    AppError::Conflict {
        code: "token_used",
        message: "this invitation has already been used".into(),
    }
}

/// Inserts checked submissions whose token uses were taken, in the caller's transaction, with
/// one statement per table (and the summaries); their response ids in the order given.
/// Responses keep no link to their token.
pub fn insert_prepared(
    conn: &mut AnyConnection,
    subs: &[PreparedSubmission],
) -> Result<Vec<i64>, AppError> {
    let mut ids = vec![0; subs.len()];
    // Grouped by scale: the summaries store slots relative to the scale's minimum.
    let mut scales: Vec<i32> = subs.iter().map(|s| s.scale_min).collect();
    scales.sort_unstable();
    scales.dedup();
    for scale_min in scales {
        let idx: Vec<usize> = (0..subs.len())
            .filter(|&i| subs[i].scale_min == scale_min)
            .collect();
        let items: Vec<(NewResponse, Vec<store::responses::NewRatingValue>)> = idx
            .iter()
            .map(|&i| (subs[i].response.clone(), subs[i].values.clone()))
            .collect();
        let stored = store::responses::insert_batch(conn, &items, scale_min, &mut |_| {})?;
        for (i, id) in idx.into_iter().zip(stored) {
            ids[i] = id;
        }
    }
    Ok(ids)
}

/// Output format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

impl ChartFormat {
    /// From a file name's extension (`.svg` / `.png`).
    pub fn from_path(path: &str) -> Option<ChartFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".svg") {
            Some(ChartFormat::Svg)
        } else if lower.ends_with(".png") {
            Some(ChartFormat::Png)
        } else {
            None
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            ChartFormat::Svg => "image/svg+xml",
            ChartFormat::Png => "image/png",
        }
    }
}

/// What a chart shows: which survey, wave and team, in which language and size.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    pub scope: Scope,
    pub kind: crate::charts::ChartKind,
    pub lang: Lang,
    pub size: (u32, u32),
    pub format: ChartFormat,
    /// Draw only this dimension (workshop slides).
    pub dimension: Option<String>,
}

/// Computes the report a chart needs and draws it.
pub fn chart(conn: &mut AnyConnection, req: ChartRequest) -> Result<Vec<u8>, AppError> {
    use crate::charts::{self, ChartData, ChartError};
    let (min, max) = (charts::MIN_SIZE, charts::MAX_SIZE);
    if req.size.0 < min.0 || req.size.0 > max.0 {
        return Err(AppError::validation(
            "width",
            format!("must be between {} and {}", min.0, max.0),
        ));
    }
    if req.size.1 < min.1 || req.size.1 > max.1 {
        return Err(AppError::validation(
            "height",
            format!("must be between {} and {}", min.1, max.1),
        ));
    }
    let comparison;
    let trend_report;
    let unknown = |key: &str| {
        AppError::validation(
            "dimension",
            format!("'{key}' is not a dimension of this survey"),
        )
    };
    let data = if req.kind.needs_trend() {
        let mut t = trend(conn, req.scope.survey_id, req.scope.team_id, req.lang)?;
        if let Some(key) = &req.dimension {
            for w in &mut t.waves {
                w.dimensions.retain(|d| &d.key == key);
            }
            for c in &mut t.changes {
                c.dimensions.retain(|d| &d.key == key);
            }
            if t.waves.iter().all(|w| w.dimensions.is_empty()) && !t.waves.is_empty() {
                return Err(unknown(key));
            }
        }
        trend_report = t;
        ChartData::Trend(&trend_report)
    } else {
        let mut c = self::comparison(conn, req.scope, req.lang)?;
        if let Some(key) = &req.dimension {
            c.dimensions.retain(|d| &d.key == key);
            if c.dimensions.is_empty() {
                return Err(unknown(key));
            }
        }
        comparison = c;
        ChartData::Comparison(&comparison)
    };
    let out = match req.format {
        ChartFormat::Svg => {
            charts::render_svg(req.kind, data, req.lang, req.size).map(String::into_bytes)
        }
        ChartFormat::Png => charts::render_png(req.kind, data, req.lang, req.size),
    };
    out.map_err(|e| match e {
        ChartError::Size(w, h) => {
            AppError::validation("width", format!("{w}×{h} is not a supported size"))
        }
        other => AppError::internal(anyhow::anyhow!("chart drawing failed: {other}")),
    })
}
