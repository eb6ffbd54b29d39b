//! A read-through cache of surveys with their dimensions, per application instance. A survey
//! can change (its texts any time, its dimensions until the first response); every change
//! bumps its `revision`, and every token lookup reads the survey's current revision in the same
//! statement. A cached copy with another revision is reloaded, so an instance never serves a
//! survey changed elsewhere, while the respondent path still needs one query (the token)
//! instead of three. Waves are not cached: their dates come with the token's row.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use diesel::QueryResult;

use super::surveys::{self, Dimension, Survey};
use super::AnyConnection;
use crate::domain::SurveyId;

/// A survey with its dimensions in position order.
pub type SurveyParts = Arc<(Survey, Vec<Dimension>)>;

#[derive(Default)]
pub struct Cache {
    surveys: RwLock<HashMap<SurveyId, SurveyParts>>,
}

impl Cache {
    /// The survey at `revision` (as a token row read it), from the cache or loaded again.
    pub fn survey(
        &self,
        conn: &mut AnyConnection,
        id: SurveyId,
        revision: i32,
    ) -> QueryResult<Option<SurveyParts>> {
        if let Some(hit) = self
            .surveys
            .read()
            .ok()
            .and_then(|m| m.get(&id).filter(|p| p.0.revision == revision).cloned())
        {
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

    /// Forgets a survey (after this instance changed it; other instances notice the revision).
    pub fn forget(&self, id: SurveyId) {
        if let Ok(mut m) = self.surveys.write() {
            m.remove(&id);
        }
    }
}
