//! Changing a study once it exists: a survey's settings, texts and (until the first response)
//! its scale and dimensions; a wave's name and dates, including closing it now.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::{name_text, Scale, SurveyId, WaveId};
use crate::error::AppError;
use crate::store::surveys::{Dimension, Survey, SurveySettings, Wave, WaveChanges};
use crate::store::{self, AnyConnection};

use super::survey_or_404;
use super::surveys::{
    check_alpha, check_group_size, check_materiality, parse_instant, survey_request,
    validate_dimensions, validate_texts, DimensionInput, SurveyTextsInput, MIN_GROUP_SIZE_FLOOR,
};
use crate::error::ErrorCode;

survey_request! {
    /// A change to a survey: what is given changes, what is left out stays. A text given as ""
    /// is cleared. `template` or `dimensions` replace the dimensions, and `scale_min` /
    /// `scale_max` the scale: both only until the survey's first response.
    #[derive(Deserialize, ToSchema, Default, Debug, Clone)]
    pub struct UpdateSurvey {
        pub title: Option<String>,
        pub template: Option<String>,
        pub dimensions: Option<Vec<DimensionInput>>,
        pub scale_min: Option<i32>,
        pub scale_max: Option<i32>,
        pub min_group_size: Option<i32>,
        pub comment_min_group_size: Option<i32>,
        pub alpha: Option<f64>,
        pub materiality: Option<f64>,
        pub ask_predicted: Option<bool>,
        pub ask_expected: Option<bool>,
        pub ask_importance: Option<bool>,
        pub ask_nps: Option<bool>,
    }
}

/// Keeps a stored text where the change leaves it out.
fn merge_text(given: &Option<String>, stored: &Option<String>) -> Option<String> {
    match given {
        Some(v) => Some(v.clone()),
        None => stored.clone(),
    }
}

/// Changes a survey in one transaction (see [`UpdateSurvey`]); 409 `survey_has_responses`
/// when the scale or the dimensions would change after the first response.
#[tracing::instrument(skip(conn, req))]
pub fn update_survey(
    conn: &mut AnyConnection,
    id: SurveyId,
    req: &UpdateSurvey,
) -> Result<(Survey, Vec<Dimension>), AppError> {
    let current = survey_or_404(conn, id)?;
    let title = match &req.title {
        Some(t) => name_text(t, "title", 200)?,
        None => current.title.clone(),
    };
    let scale = Scale::new(
        req.scale_min.unwrap_or(current.scale_min),
        req.scale_max.unwrap_or(current.scale_max),
    )?;
    let scale_changes = scale.min() != current.scale_min || scale.max() != current.scale_max;
    let materiality = match (req.materiality, scale_changes) {
        (Some(m), _) => check_materiality(Some(m), scale)?,
        (None, true) => check_materiality(None, scale)?,
        (None, false) => current.materiality,
    };
    let t = &current.texts;
    let given = req.texts();
    let texts = validate_texts(&SurveyTextsInput {
        organisation: merge_text(&given.organisation, &t.organisation),
        contact: merge_text(&given.contact, &t.contact),
        introduction_nl: merge_text(&given.introduction_nl, &t.introduction_nl),
        introduction_en: merge_text(&given.introduction_en, &t.introduction_en),
        privacy_statement_nl: merge_text(&given.privacy_statement_nl, &t.privacy_statement_nl),
        privacy_statement_en: merge_text(&given.privacy_statement_en, &t.privacy_statement_en),
        scale_low_nl: merge_text(&given.scale_low_nl, &t.scale_low_nl),
        scale_high_nl: merge_text(&given.scale_high_nl, &t.scale_high_nl),
        scale_low_en: merge_text(&given.scale_low_en, &t.scale_low_en),
        scale_high_en: merge_text(&given.scale_high_en, &t.scale_high_en),
    })?;
    let new_dims = if req.template.is_some() || req.dimensions.is_some() {
        Some(validate_dimensions(
            req.template.as_deref(),
            req.dimensions.as_deref(),
        )?)
    } else {
        None
    };
    let min_group_size = check_group_size(
        req.min_group_size.unwrap_or(current.min_group_size),
        MIN_GROUP_SIZE_FLOOR,
        "min_group_size",
    )?;
    let comment_min_group_size = check_group_size(
        req.comment_min_group_size
            .unwrap_or(current.comment_min_group_size),
        min_group_size,
        "comment_min_group_size",
    )?;
    let changes = SurveySettings {
        title,
        template: match &new_dims {
            Some((template, _)) => template.clone(),
            None => current.template.clone(),
        },
        scale_min: scale.min(),
        scale_max: scale.max(),
        min_group_size,
        alpha: check_alpha(req.alpha.unwrap_or(current.alpha))?,
        materiality,
        ask_predicted: req.ask_predicted.unwrap_or(current.ask_predicted),
        ask_expected: req.ask_expected.unwrap_or(current.ask_expected),
        ask_importance: req.ask_importance.unwrap_or(current.ask_importance),
        ask_nps: req.ask_nps.unwrap_or(current.ask_nps),
        texts,
        comment_min_group_size,
    };
    let dims = new_dims.map(|(_, d)| d);
    store::write_tx(conn, |conn| {
        // First the row lock (submissions in flight finish first), then the count.
        store::surveys::bump_revision(conn, id)?
            .ok_or(ErrorCode::SurveyNotFound { survey: id.get() })?;
        // With answers, what decides which figures are shown is fixed: a lower threshold
        // would show a small cell, two thresholds subtract (SPEC, revision 3).
        let fixed_changes = dims.is_some()
            || scale_changes
            || changes.min_group_size != current.min_group_size
            || changes.comment_min_group_size != current.comment_min_group_size
            || changes.ask_importance != current.ask_importance;
        if fixed_changes && store::responses::count_for_survey(conn, id)? > 0 {
            return Err(ErrorCode::SurveyHasResponses.into());
        }
        Ok(store::surveys::update(conn, id, &changes, dims)?)
    })
}

/// A change to a wave: what is given changes. A `closes_at` in the past closes the wave now.
#[derive(Deserialize, ToSchema, Default, Debug, Clone)]
pub struct UpdateWave {
    pub name: Option<String>,
    /// RFC 3339.
    pub opens_at: Option<String>,
    /// RFC 3339; "" leaves the wave open-ended.
    pub closes_at: Option<String>,
}

/// Changes a wave of a survey. A closed wave (its `closes_at` passed) keeps its dates: moving
/// them is 409 `wave_closed` (reopening would let a later report be subtracted from an earlier
/// one); only its name can change.
#[tracing::instrument(skip(conn, req))]
pub fn update_wave(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    req: &UpdateWave,
) -> Result<Wave, AppError> {
    let name = req
        .name
        .as_deref()
        .map(|n| name_text(n, "name", 100))
        .transpose()?;
    let opens_at = req
        .opens_at
        .as_deref()
        .map(|s| parse_instant(s, "opens_at"))
        .transpose()?;
    let closes_at = req
        .closes_at
        .as_deref()
        .map(|s| match s.trim() {
            "" => Ok(None),
            s => parse_instant(s, "closes_at").map(Some),
        })
        .transpose()?;
    store::write_tx(conn, |conn| {
        let wave = super::wave_of(conn, survey_id, wave_id, super::WaveRef::Filter)?;
        let now = store::now();
        let new_opens = opens_at.unwrap_or(wave.opens_at);
        let new_closes = closes_at.unwrap_or(wave.closes_at);
        let was_closed = wave.closes_at.is_some_and(|c| c <= now);
        if was_closed && (new_opens != wave.opens_at || new_closes != wave.closes_at) {
            return Err(ErrorCode::WaveDatesFixed.into());
        }
        if let Some(c) = new_closes {
            if c <= new_opens {
                return Err(AppError::at("closes_at", ErrorCode::ClosesBeforeOpens));
            }
        }
        Ok(store::surveys::update_wave(
            conn,
            wave_id,
            &WaveChanges {
                name: name.clone().unwrap_or(wave.name),
                opens_at: new_opens,
                closes_at: new_closes,
            },
        )?)
    })
}

/// Closes a wave now (the console's "close now"); 409 `wave_closed` when it already is. A
/// wave that has not opened yet opens and closes at once: it never takes an answer.
#[tracing::instrument(skip(conn))]
pub fn close_wave(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
) -> Result<Wave, AppError> {
    let now = chrono::Utc::now();
    let rfc =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let not_open_yet =
        store::surveys::find_wave(conn, wave_id)?.is_some_and(|w| w.opens_at >= now.naive_utc());
    update_wave(
        conn,
        survey_id,
        wave_id,
        &UpdateWave {
            opens_at: not_open_yet.then(|| rfc(now - chrono::Duration::seconds(1))),
            closes_at: Some(rfc(now)),
            ..Default::default()
        },
    )
}
