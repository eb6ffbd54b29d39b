//! Setting up a study: teams, surveys with their dimensions, waves, invitations.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::templates::{self, MIRROR_DEFAULT};
use crate::domain::{
    check_name_chars, name_text, optional_text, Audience, CategoryKind, DimensionKey, Invalid,
    Scale, SurveyId, TeamId, WaveId,
};
use crate::engine::default_materiality;
use crate::error::{AppError, ErrorCode};
use crate::store::surveys::{
    Dimension, NewDimension, NewSurvey, NewWave, Survey, SurveySettings, SurveyTexts, Wave,
};
use crate::store::teams::Team;
use crate::store::{self, AnyConnection};

use super::{
    check_team, check_wave, check_wave_open, parse_given, survey_or_404, TeamRef, WaveRef,
};

// ---------- teams ----------

/// Creates a team with a unique name (409 `team_exists`).
#[tracing::instrument(skip(conn))]
pub fn create_team(conn: &mut AnyConnection, name: &str) -> Result<Team, AppError> {
    let name = name_text(name, "name", 100)?;
    if store::teams::find_by_name(conn, &name)?.is_some() {
        return Err(ErrorCode::TeamExists { name }.into());
    }
    Ok(store::teams::create(conn, &name)?)
}

/// Teams, all or only the given ones.
#[tracing::instrument(skip(conn))]
pub fn list_teams(
    conn: &mut AnyConnection,
    only: Option<&[TeamId]>,
) -> Result<Vec<Team>, AppError> {
    Ok(store::teams::list(conn, only)?)
}

/// Renames a team (404 when unknown, 409 `team_exists` when the name is taken).
#[tracing::instrument(skip(conn))]
pub fn rename_team(conn: &mut AnyConnection, id: TeamId, name: &str) -> Result<Team, AppError> {
    let name = name_text(name, "name", 100)?;
    store::write_tx(conn, |conn| {
        if let Some(other) = store::teams::find_by_name(conn, &name)? {
            if other.id != id {
                return Err(ErrorCode::TeamExists { name: name.clone() }.into());
            }
        }
        store::teams::rename(conn, id, &name)?
            .ok_or_else(|| ErrorCode::TeamNotFound { team: id.get() }.into())
    })
}

/// Deletes a team that nobody answered for (409 `team_has_responses` or `team_has_actions`
/// with the reason otherwise); its invitations are revoked, its links answer 410.
#[tracing::instrument(skip(conn))]
pub fn delete_team(conn: &mut AnyConnection, id: TeamId) -> Result<(), AppError> {
    store::write_tx(conn, |conn| {
        let team =
            store::teams::find(conn, id)?.ok_or(ErrorCode::TeamNotFound { team: id.get() })?;
        let (responses, actions) = store::teams::references(conn, id)?;
        if responses > 0 {
            return Err(ErrorCode::TeamHasResponses {
                team: team.name,
                responses,
            }
            .into());
        }
        if actions > 0 {
            return Err(ErrorCode::TeamHasActions {
                team: team.name,
                actions,
            }
            .into());
        }
        store::invitations::revoke_for_team(conn, id)?;
        store::teams::delete(conn, id)?;
        Ok(())
    })
}

// ---------- surveys ----------

#[derive(Deserialize, ToSchema, Default, Debug, Clone)]
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

/// Declares a survey request: its own fields, then the questionnaire's texts (listed in the
/// request rather than flattened, so the OpenAPI schema keeps one object), with `texts()` to
/// take them out and `with_texts()` to put them back.
macro_rules! survey_request {
    ($(#[$attr:meta])* pub struct $name:ident { $($(#[$fattr:meta])* pub $field:ident: $ty:ty,)* }) => {
        $crate::app::surveys::survey_request! {
            @texts $(#[$attr])* $name { $($(#[$fattr])* $field: $ty,)* }
            /// The organisation that asks, shown on top of the questionnaire.
            organisation,
            /// Who to ask about the survey (a name, an address).
            contact,
            introduction_nl,
            introduction_en,
            privacy_statement_nl,
            privacy_statement_en,
            /// The label of the scale's lowest value, e.g. "zeer slecht".
            scale_low_nl,
            /// The label of the scale's highest value, e.g. "uitstekend".
            scale_high_nl,
            scale_low_en,
            scale_high_en,
        }
    };
    (
        @texts $(#[$attr:meta])* $name:ident { $($(#[$fattr:meta])* $field:ident: $ty:ty,)* }
        $($(#[$tattr:meta])* $text:ident,)*
    ) => {
        $(#[$attr])*
        pub struct $name {
            $($(#[$fattr])* pub $field: $ty,)*
            $($(#[$tattr])* pub $text: Option<String>,)*
        }

        impl $name {
            /// The questionnaire's texts of the request.
            pub fn texts(&self) -> SurveyTextsInput {
                SurveyTextsInput {
                    $($text: self.$text.clone(),)*
                }
            }

            /// The request with these texts.
            pub fn with_texts(mut self, t: SurveyTextsInput) -> Self {
                $(self.$text = t.$text;)*
                self
            }
        }
    };
}
pub(crate) use survey_request;

survey_request! {
    #[derive(Deserialize, ToSchema, Default)]
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
        /// Smallest gap that counts (default 10 % of the scale range).
        pub materiality: Option<f64>,
        pub ask_predicted: Option<bool>,
        pub ask_expected: Option<bool>,
        pub ask_importance: Option<bool>,
        pub ask_nps: Option<bool>,
        /// Customers in a team before its comments are listed (default 10).
        pub comment_min_group_size: Option<i32>,
    }
}

survey_request! {
    /// The questionnaire's texts as a request gives them (empty: not given).
    #[derive(Deserialize, ToSchema, Default, Debug, Clone)]
    pub struct SurveyTextsInput {}
}

/// Validates the texts: trimmed, empty ones left out, each within its length.
pub fn validate_texts(t: &SurveyTextsInput) -> Result<SurveyTexts, Invalid> {
    let f = |v: &Option<String>, field: &str, max: usize| -> Result<Option<String>, Invalid> {
        match v.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) if field == "organisation" => name_text(s, field, max).map(Some),
            Some(s) => optional_text(s, field, max).map(Some),
        }
    };
    Ok(SurveyTexts {
        organisation: f(&t.organisation, "organisation", 200)?,
        contact: f(&t.contact, "contact", 500)?,
        introduction_nl: f(&t.introduction_nl, "introduction_nl", 4000)?,
        introduction_en: f(&t.introduction_en, "introduction_en", 4000)?,
        privacy_statement_nl: f(&t.privacy_statement_nl, "privacy_statement_nl", 4000)?,
        privacy_statement_en: f(&t.privacy_statement_en, "privacy_statement_en", 4000)?,
        scale_low_nl: f(&t.scale_low_nl, "scale_low_nl", 100)?,
        scale_high_nl: f(&t.scale_high_nl, "scale_high_nl", 100)?,
        scale_low_en: f(&t.scale_low_en, "scale_low_en", 100)?,
        scale_high_en: f(&t.scale_high_en, "scale_high_en", 100)?,
    })
}

/// Checks a group-size setting: from `min` (3 for the anonymity threshold, the threshold
/// itself for the comment threshold) to 1000.
pub fn check_group_size(value: i32, min: i32, field: &str) -> Result<i32, Invalid> {
    if (min..=1000).contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::new(
            field,
            ErrorCode::Between {
                min: min.to_string(),
                max: "1000".into(),
            },
        ))
    }
}

/// The smallest anonymity threshold a survey may set (SPEC: an integer ≥ 3).
pub const MIN_GROUP_SIZE_FLOOR: i32 = 3;

fn text_or(value: &Option<String>, fallback: &str, field: &str) -> Result<String, Invalid> {
    match value {
        Some(v) if !v.trim().is_empty() => optional_text(v, field, 500),
        _ => Ok(fallback.to_string()),
    }
}

/// Validates a survey request into rows to insert.
pub fn validate_survey(req: &CreateSurvey) -> Result<(NewSurvey, Vec<NewDimension>), Invalid> {
    let title = name_text(&req.title, "title", 200)?;
    let scale = Scale::new(req.scale_min.unwrap_or(1), req.scale_max.unwrap_or(10))?;
    let min_group_size = check_group_size(
        req.min_group_size.unwrap_or(5),
        MIN_GROUP_SIZE_FLOOR,
        "min_group_size",
    )?;
    // Comments are listed only from cells at least as large as the anonymity threshold.
    let comment_min_group_size = check_group_size(
        req.comment_min_group_size.unwrap_or(10.max(min_group_size)),
        min_group_size,
        "comment_min_group_size",
    )?;
    let alpha = check_alpha(req.alpha.unwrap_or(0.05))?;
    let materiality = check_materiality(req.materiality, scale)?;
    let texts = validate_texts(&req.texts())?;
    let (template_name, dims) =
        validate_dimensions(req.template.as_deref(), req.dimensions.as_deref())?;
    Ok((
        NewSurvey {
            settings: SurveySettings {
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
                texts,
                comment_min_group_size,
            },
            created_at: store::now(),
        },
        dims,
    ))
}

/// Checks a significance level (strictly between 0 and 1).
pub fn check_alpha(alpha: f64) -> Result<f64, Invalid> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(alpha)
    } else {
        Err(Invalid::new(
            "alpha",
            ErrorCode::BetweenExclusive {
                min: "0".into(),
                max: "1".into(),
            },
        ))
    }
}

/// The smallest gap that counts: given, or 10 % of the scale's range; within the range.
pub fn check_materiality(materiality: Option<f64>, scale: Scale) -> Result<f64, Invalid> {
    let m = materiality.unwrap_or_else(|| default_materiality(scale.min(), scale.max()));
    if m >= 0.0 && m <= f64::from(scale.max() - scale.min()) {
        Ok(m)
    } else {
        Err(Invalid::new(
            "materiality",
            ErrorCode::Between {
                min: "0".into(),
                max: (scale.max() - scale.min()).to_string(),
            },
        ))
    }
}

/// A survey's dimensions: a template's (the default one when neither is given) followed by
/// the given ones, or only the given ones. Returns the template's name too.
pub fn validate_dimensions(
    template: Option<&str>,
    given: Option<&[DimensionInput]>,
) -> Result<(Option<String>, Vec<NewDimension>), Invalid> {
    let template_name = match (template.map(str::trim), given) {
        (Some(t), _) if !t.is_empty() => Some(t.to_string()),
        (_, None) => Some(MIRROR_DEFAULT.to_string()),
        (_, Some(_)) => None,
    };
    let mut dims: Vec<NewDimension> = Vec::new();
    if let Some(name) = &template_name {
        let unknown = ErrorCode::UnknownTemplate { name: name.clone() };
        let t = templates::template(name).ok_or_else(|| Invalid::new("template", unknown))?;
        dims.extend(t.iter().map(|d| NewDimension {
            survey_id: SurveyId(0),
            key: d.key.to_string(),
            label_nl: d.label_nl.to_string(),
            label_en: d.label_en.to_string(),
            employee_statement_nl: d.employee_statement_nl.to_string(),
            employee_statement_en: d.employee_statement_en.to_string(),
            customer_statement_nl: d.customer_statement_nl.to_string(),
            customer_statement_en: d.customer_statement_en.to_string(),
            category: d.category,
            position: 0,
        }));
    }
    for (i, d) in given.into_iter().flatten().enumerate() {
        dims.push(validate_dimension(i, d, &dims)?);
    }
    if dims.is_empty() {
        return Err(Invalid::new("dimensions", ErrorCode::NoDimensions));
    }
    if dims.len() > 50 {
        return Err(Invalid::new(
            "dimensions",
            ErrorCode::TooManyDimensions { max: 50 },
        ));
    }
    Ok((template_name, dims))
}

fn validate_dimension(
    i: usize,
    d: &DimensionInput,
    before: &[NewDimension],
) -> Result<NewDimension, Invalid> {
    let f = |name: &str| format!("dimensions[{i}].{name}");
    let key = DimensionKey::parse(d.key.trim(), &f("key"))?;
    if before.iter().any(|x| x.key == key.as_str()) {
        return Err(Invalid::new(
            f("key"),
            ErrorCode::DuplicateKey {
                key: key.as_str().to_string(),
            },
        ));
    }
    let label_nl = name_text(&d.label_nl, &f("label_nl"), 100)?;
    let label_en = text_or(&d.label_en, &label_nl, &f("label_en"))?;
    check_name_chars(&label_en, &f("label_en"))?;
    let category = match d.category.as_deref().map(str::trim) {
        None | Some("") => CategoryKind::Functional,
        Some(c) => CategoryKind::parse_field(c, &f("category"))?,
    };
    Ok(NewDimension {
        survey_id: SurveyId(0),
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
        category,
        position: 0,
    })
}

/// Validates and creates a survey with its dimensions, in one transaction.
#[tracing::instrument(skip_all)]
pub fn create_survey(
    conn: &mut AnyConnection,
    req: &CreateSurvey,
) -> Result<(Survey, Vec<Dimension>), AppError> {
    let (survey, dims) = validate_survey(req)?;
    store::write_tx(conn, |conn| {
        Ok::<_, AppError>(store::surveys::create(conn, survey, dims)?)
    })
}

/// A survey with its dimensions (in position order) and waves (by opening date).
pub type SurveyFull = (Survey, Vec<Dimension>, Vec<Wave>);

/// One survey with its dimensions and waves, or 404.
#[tracing::instrument(skip(conn))]
pub fn get_survey(conn: &mut AnyConnection, survey_id: SurveyId) -> Result<SurveyFull, AppError> {
    let s = survey_or_404(conn, survey_id)?;
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let waves = store::surveys::waves_of(conn, survey_id)?;
    Ok((s, dims, waves))
}

/// Every survey with its dimensions and waves.
#[tracing::instrument(skip(conn))]
pub fn list_surveys(conn: &mut AnyConnection) -> Result<Vec<SurveyFull>, AppError> {
    let mut out = Vec::new();
    for s in store::surveys::list(conn)? {
        let dims = store::surveys::dimensions_of(conn, s.id)?;
        let waves = store::surveys::waves_of(conn, s.id)?;
        out.push((s, dims, waves));
    }
    Ok(out)
}

// ---------- waves ----------

#[derive(Deserialize, ToSchema)]
pub struct CreateWave {
    pub name: String,
    /// RFC 3339, e.g. `2026-03-01T00:00:00Z`.
    pub opens_at: String,
    pub closes_at: Option<String>,
}

/// Validates and creates a wave of a survey.
#[tracing::instrument(skip(conn, req))]
pub fn create_wave(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    req: &CreateWave,
) -> Result<Wave, AppError> {
    let name = name_text(&req.name, "name", 100)?;
    let opens_at = parse_instant(&req.opens_at, "opens_at")?;
    let closes_at = parse_given(&req.closes_at, |s| parse_instant(s, "closes_at"))?;
    if let Some(c) = closes_at {
        if c <= opens_at {
            return Err(AppError::at("closes_at", ErrorCode::ClosesBeforeOpens));
        }
    }
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
}

// ---------- invitations ----------

#[derive(Deserialize, ToSchema)]
pub struct CreateInvitations {
    pub wave_id: WaveId,
    pub team_id: TeamId,
    /// `employee` or `customer`.
    pub audience: String,
    /// How many tokens (default 1, at most 1000).
    pub count: Option<i64>,
    /// Uses per token (default 1: single use; more for a team link).
    pub max_uses: Option<i64>,
    pub expires_at: Option<String>,
}

pub const MAX_TOKENS_PER_REQUEST: i64 = 1000;

/// Invitations made: their secret tokens, shown once (only their hashes are stored).
#[derive(Debug, Clone)]
pub struct InvitationsMade {
    pub wave_id: WaveId,
    pub team_id: TeamId,
    pub audience: Audience,
    pub max_uses: i64,
    pub expires_at: Option<chrono::NaiveDateTime>,
    pub tokens: Vec<String>,
}

/// Validates and creates invitations; the tokens are returned once, only hashes are kept.
#[tracing::instrument(skip(conn, req))]
pub fn create_invitations(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    req: &CreateInvitations,
) -> Result<InvitationsMade, AppError> {
    let audience = Audience::parse_field(req.audience.trim(), "audience")?;
    let count = req.count.unwrap_or(1);
    if !(1..=MAX_TOKENS_PER_REQUEST).contains(&count) {
        return Err(AppError::at(
            "count",
            ErrorCode::Between {
                min: "1".into(),
                max: MAX_TOKENS_PER_REQUEST.to_string(),
            },
        ));
    }
    let max_uses = req.max_uses.unwrap_or(1);
    if !(1..=100_000).contains(&max_uses) {
        return Err(AppError::at(
            "max_uses",
            ErrorCode::Between {
                min: "1".into(),
                max: "100000".into(),
            },
        ));
    }
    let expires_at = parse_given(&req.expires_at, |s| parse_instant(s, "expires_at"))?;
    let (wave_id, team_id) = (req.wave_id, req.team_id);
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
            audience,
            token_hash: store::invitations::hash_token(t),
            max_uses: max_uses as i32,
            uses: 0,
            expires_at,
            created_at: store::now(),
        })
        .collect();
    survey_or_404(conn, survey_id)?;
    check_wave(conn, survey_id, wave_id, WaveRef::Field)?;
    check_team(conn, team_id, TeamRef::Field("team_id"))?;
    // A closed wave takes no answers: a link for it would be dead on arrival.
    check_wave_open(conn, wave_id)?;
    store::write_tx(conn, |conn| store::invitations::insert_many(conn, &rows))?;
    Ok(InvitationsMade {
        wave_id,
        team_id,
        audience,
        max_uses,
        expires_at,
        tokens,
    })
}

/// Parses an RFC 3339 instant into the stored UTC form.
pub fn parse_instant(s: &str, field: &str) -> Result<chrono::NaiveDateTime, Invalid> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|d| d.with_timezone(&chrono::Utc).naive_utc())
        .map_err(|_| {
            Invalid::new(
                field,
                ErrorCode::NotADateTime {
                    value: s.to_string(),
                },
            )
        })
}
