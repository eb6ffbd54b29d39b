//! A read-through cache of surveys, their dimensions and waves, per application instance.
//! These rows never change once created (the API has no update or delete for them), so every
//! instance may cache them without coordination; the respondent path then needs one query
//! (the token) instead of four.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use diesel::QueryResult;

use super::surveys::{self, Dimension, Survey, Wave};
use super::AnyConnection;

/// A survey with its dimensions in position order.
pub type SurveyParts = Arc<(Survey, Vec<Dimension>)>;

#[derive(Default)]
pub struct Cache {
    surveys: RwLock<HashMap<i64, SurveyParts>>,
    waves: RwLock<HashMap<i64, Arc<Wave>>>,
}

impl Cache {
    pub fn survey(&self, conn: &mut AnyConnection, id: i64) -> QueryResult<Option<SurveyParts>> {
        if let Some(hit) = self.surveys.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(Some(hit));
        }
        let Some(survey) = surveys::find(conn, id)? else {
            return Ok(None);
        };
        let dims = surveys::dimensions_of(conn, id)?;
        let parts = Arc::new((survey, dims));
        if let Ok(mut m) = self.surveys.write() {
            m.insert(id, parts.clone());
        }
        Ok(Some(parts))
    }

    pub fn wave(&self, conn: &mut AnyConnection, id: i64) -> QueryResult<Option<Arc<Wave>>> {
        if let Some(hit) = self.waves.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(Some(hit));
        }
        let Some(wave) = surveys::find_wave(conn, id)? else {
            return Ok(None);
        };
        let wave = Arc::new(wave);
        if let Ok(mut m) = self.waves.write() {
            m.insert(id, wave.clone());
        }
        Ok(Some(wave))
    }
}
