//! Surveys, their dimensions and waves.

use diesel::prelude::*;

use super::schema::{dimensions, surveys, waves};
use super::AnyConnection;
use crate::domain::{CategoryKind, Scale};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct Survey {
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
    pub created_at: chrono::NaiveDateTime,
}

impl Survey {
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
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = dimensions)]
pub struct Dimension {
    pub id: i64,
    pub survey_id: i64,
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

impl Dimension {
    pub fn label(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Nl => &self.label_nl,
            crate::i18n::Lang::En => &self.label_en,
        }
    }
    pub fn category_kind(&self) -> CategoryKind {
        CategoryKind::parse(&self.category).unwrap_or(CategoryKind::Functional)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dimensions)]
pub struct NewDimension {
    pub survey_id: i64,
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

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = waves)]
pub struct Wave {
    pub id: i64,
    pub survey_id: i64,
    pub name: String,
    pub opens_at: chrono::NaiveDateTime,
    pub closes_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

impl Wave {
    /// Open for answers at `at`: opened, and not yet closed.
    pub fn is_open_at(&self, at: chrono::NaiveDateTime) -> bool {
        at >= self.opens_at && self.closes_at.is_none_or(|c| at < c)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = waves)]
pub struct NewWave {
    pub survey_id: i64,
    pub name: String,
    pub opens_at: chrono::NaiveDateTime,
    pub closes_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

/// Inserts a survey with its dimensions (positions are taken from the order given).
/// Call inside a transaction.
#[tracing::instrument(skip_all)]
pub fn create(
    conn: &mut AnyConnection,
    survey: NewSurvey,
    dims: Vec<NewDimension>,
) -> QueryResult<(Survey, Vec<Dimension>)> {
    let created: Survey = diesel::insert_into(surveys::table)
        .values(&survey)
        .returning(surveys::all_columns)
        .get_result(conn)?;
    for (i, mut d) in dims.into_iter().enumerate() {
        d.survey_id = created.id;
        d.position = i as i32 + 1;
        diesel::insert_into(dimensions::table)
            .values(&d)
            .execute(conn)?;
    }
    let dims = dimensions_of(conn, created.id)?;
    Ok((created, dims))
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Survey>> {
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
pub fn dimensions_of(conn: &mut AnyConnection, survey_id: i64) -> QueryResult<Vec<Dimension>> {
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
pub fn waves_of(conn: &mut AnyConnection, survey_id: i64) -> QueryResult<Vec<Wave>> {
    waves::table
        .filter(waves::survey_id.eq(survey_id))
        .order((waves::opens_at.asc(), waves::id.asc()))
        .select(Wave::as_select())
        .load(conn)
}

/// The wave a report shows when none is named: the last to open (ties: the last created). The
/// web report and the CLI's `report` and `chart` both default to it.
pub fn latest_wave(conn: &mut AnyConnection, survey_id: i64) -> QueryResult<Option<Wave>> {
    waves::table
        .filter(waves::survey_id.eq(survey_id))
        .order((waves::opens_at.desc(), waves::id.desc()))
        .select(Wave::as_select())
        .first(conn)
        .optional()
}

pub fn find_wave(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Wave>> {
    waves::table
        .find(id)
        .select(Wave::as_select())
        .get_result(conn)
        .optional()
}
