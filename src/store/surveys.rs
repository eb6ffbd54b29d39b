//! Surveys, their dimensions and waves.

use diesel::prelude::*;

use super::schema::{dimensions, surveys, waves};
use super::{row_and_new, AnyConnection};
use crate::domain::{CategoryKind, DimensionId, RatingKind, Scale, SurveyId, WaveId};

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = surveys)]
    pub struct Survey {
        pub id: SurveyId,
        ..,
        pub created_at: chrono::NaiveDateTime,
        /// Bumped on every change: an instance whose cached copy has another revision reloads it.
        pub revision: i32,
    }

    /// A survey's editable settings: what a new survey is made with, and what a change writes
    /// whole.
    #[derive(Debug, Clone, Insertable, AsChangeset)]
    #[diesel(table_name = surveys, treat_none_as_null = true)]
    pub struct SurveySettings {
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
        #[diesel(embed)]
        pub texts: SurveyTexts,
        pub comment_min_group_size: i32,
    }
}

/// What the questionnaire says about who asks (None: not given; an English text that is not
/// given falls back to the Dutch one).
#[derive(Debug, Clone, PartialEq, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = surveys, treat_none_as_null = true)]
pub struct SurveyTexts {
    pub organisation: Option<String>,
    pub contact: Option<String>,
    pub introduction_nl: Option<String>,
    pub introduction_en: Option<String>,
    pub privacy_statement_nl: Option<String>,
    pub privacy_statement_en: Option<String>,
    pub scale_low_nl: Option<String>,
    pub scale_high_nl: Option<String>,
    pub scale_low_en: Option<String>,
    pub scale_high_en: Option<String>,
}

impl Survey {
    /// Whether the survey asks for this kind of rating (`self` and `perceived` always).
    pub fn asks(&self, kind: RatingKind) -> bool {
        match kind {
            RatingKind::SelfRating | RatingKind::Perceived => true,
            RatingKind::Predicted => self.ask_predicted,
            RatingKind::Expected => self.ask_expected,
            RatingKind::Importance => self.ask_importance,
        }
    }

    /// The stored scale was validated on the way in; fall back to 1–10 if the row was edited by hand.
    pub fn scale(&self) -> Scale {
        Scale::new(self.scale_min, self.scale_max)
            .or_else(|_| Scale::new(1, 10))
            .unwrap_or_else(|_| unreachable_scale())
    }
}

fn unreachable_scale() -> Scale {
    // Scale::new(1, 10) cannot fail; this keeps `scale()` total without a panic path.
    match Scale::new(0, 1) {
        Ok(s) => s,
        Err(_) => Scale::new(1, 2).unwrap_or_else(|_| unreachable_scale()),
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = surveys)]
pub struct NewSurvey {
    #[diesel(embed)]
    pub settings: SurveySettings,
    pub created_at: chrono::NaiveDateTime,
}

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = dimensions)]
    pub struct Dimension {
        pub id: DimensionId,
        ..
    }

    #[derive(Debug, Clone, Insertable)]
    #[diesel(table_name = dimensions)]
    pub struct NewDimension {
        pub survey_id: SurveyId,
        pub key: String,
        pub label_nl: String,
        pub label_en: String,
        pub employee_statement_nl: String,
        pub employee_statement_en: String,
        pub customer_statement_nl: String,
        pub customer_statement_en: String,
        pub category: CategoryKind,
        pub position: i32,
    }
}

impl Dimension {
    /// The label in one of the two languages (`english` false: Dutch).
    pub fn label_in(&self, english: bool) -> &str {
        if english {
            &self.label_en
        } else {
            &self.label_nl
        }
    }
}

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = waves)]
    pub struct Wave {
        pub id: WaveId,
        ..
    }

    #[derive(Debug, Clone, Insertable)]
    #[diesel(table_name = waves)]
    pub struct NewWave {
        pub survey_id: SurveyId,
        pub name: String,
        pub opens_at: chrono::NaiveDateTime,
        pub closes_at: Option<chrono::NaiveDateTime>,
        pub created_at: chrono::NaiveDateTime,
    }
}

impl Wave {
    /// Open for answers at `at`: opened, and not yet closed.
    pub fn is_open_at(&self, at: chrono::NaiveDateTime) -> bool {
        at >= self.opens_at && self.closes_at.is_none_or(|c| at < c)
    }
}

/// Inserts a survey with its dimensions (positions are taken from the order given).
/// Call inside a transaction.
#[tracing::instrument(skip_all)]
pub fn create(
    conn: &mut AnyConnection,
    survey: NewSurvey,
    dims: Vec<NewDimension>,
) -> QueryResult<(Survey, Vec<Dimension>)> {
    let id: SurveyId = diesel::insert_into(surveys::table)
        .values(&survey)
        .returning(surveys::id)
        .get_result(conn)?;
    let created = find(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
    insert_dimensions(conn, created.id, dims)?;
    let dims = dimensions_of(conn, created.id)?;
    Ok((created, dims))
}

fn insert_dimensions(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    dims: Vec<NewDimension>,
) -> QueryResult<()> {
    for (i, mut d) in dims.into_iter().enumerate() {
        d.survey_id = survey_id;
        d.position = i as i32 + 1;
        diesel::insert_into(dimensions::table)
            .values(&d)
            .execute(conn)?;
    }
    Ok(())
}

/// Takes the survey's row lock and bumps its revision: the first statement of every change,
/// so a change waits for the submissions in flight (they hold the row shared) and every
/// instance reloads its cached copy afterwards. None when the survey does not exist.
pub fn bump_revision(conn: &mut AnyConnection, id: SurveyId) -> QueryResult<Option<i32>> {
    diesel::update(surveys::table.find(id))
        .set(surveys::revision.eq(surveys::revision + 1))
        .returning(surveys::revision)
        .get_result(conn)
        .optional()
}

/// Writes a survey's settings and texts, and (when given) replaces its dimensions. Call
/// inside a transaction, after [`bump_revision`].
pub fn update(
    conn: &mut AnyConnection,
    id: SurveyId,
    changes: &SurveySettings,
    dims: Option<Vec<NewDimension>>,
) -> QueryResult<(Survey, Vec<Dimension>)> {
    diesel::update(surveys::table.find(id))
        .set(changes)
        .execute(conn)?;
    let updated = find(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
    if let Some(dims) = dims {
        diesel::delete(dimensions::table.filter(dimensions::survey_id.eq(id))).execute(conn)?;
        insert_dimensions(conn, id, dims)?;
    }
    Ok((updated, dimensions_of(conn, id)?))
}

pub fn find(conn: &mut AnyConnection, id: SurveyId) -> QueryResult<Option<Survey>> {
    surveys::table
        .find(id)
        .select(Survey::as_select())
        .get_result(conn)
        .optional()
}

pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<Survey>> {
    surveys::table
        .select(Survey::as_select())
        .order(surveys::id.asc())
        .load(conn)
}

/// Dimensions of a survey in position order.
pub fn dimensions_of(conn: &mut AnyConnection, survey_id: SurveyId) -> QueryResult<Vec<Dimension>> {
    dimensions::table
        .filter(dimensions::survey_id.eq(survey_id))
        .order(dimensions::position.asc())
        .select(Dimension::as_select())
        .load(conn)
}

pub fn create_wave(conn: &mut AnyConnection, wave: NewWave) -> QueryResult<Wave> {
    diesel::insert_into(waves::table)
        .values(&wave)
        .returning(waves::all_columns)
        .get_result(conn)
}

/// Waves of a survey by opening time.
pub fn waves_of(conn: &mut AnyConnection, survey_id: SurveyId) -> QueryResult<Vec<Wave>> {
    waves::table
        .filter(waves::survey_id.eq(survey_id))
        .order((waves::opens_at.asc(), waves::id.asc()))
        .select(Wave::as_select())
        .load(conn)
}

/// What a wave change writes (all three, as validated).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = waves, treat_none_as_null = true)]
pub struct WaveChanges {
    pub name: String,
    pub opens_at: chrono::NaiveDateTime,
    pub closes_at: Option<chrono::NaiveDateTime>,
}

/// Changes a wave; the update takes the wave's row lock, so it waits for the submissions in
/// flight (they hold the row shared) and the ones after it see the new dates.
pub fn update_wave(
    conn: &mut AnyConnection,
    id: WaveId,
    changes: &WaveChanges,
) -> QueryResult<Wave> {
    diesel::update(waves::table.find(id))
        .set(changes)
        .execute(conn)?;
    find_wave(conn, id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find_wave(conn: &mut AnyConnection, id: WaveId) -> QueryResult<Option<Wave>> {
    waves::table
        .find(id)
        .select(Wave::as_select())
        .get_result(conn)
        .optional()
}
