//! Admin API for invitations once made: the list (never a token), revoking one, response
//! rates, and the XLSX export.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::instant;
use super::reports::{parse_lang, WaveQuery};
use super::{audited_change, SurveyQuery};
use crate::app::audit::{self, Action};
use crate::app::invitations::{self as app, ResponseRates};
use crate::domain::{Audience, InvitationId, SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::{db, AppState, JsonBody};
use crate::store::invitations::Invitation;
use crate::store::AnyConnection;

/// An invitation as listed: never its token.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitationView {
    pub id: InvitationId,
    pub wave_id: WaveId,
    pub team_id: TeamId,
    pub audience: Audience,
    pub max_uses: i64,
    pub uses: i64,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        InvitationView {
            id: i.id,
            wave_id: i.wave_id,
            team_id: i.team_id,
            audience: i.audience,
            max_uses: i64::from(i.max_uses),
            uses: i64::from(i.uses),
            expires_at: i.expires_at.map(instant),
            revoked: i.revoked,
            created_at: instant(i.created_at),
        }
    }
}

/// An admin's read of a survey's invitations: of one wave (`?wave_id=`), or of all.
async fn wave_read<T: Send + 'static>(
    state: &AppState,
    who: Principal,
    asked: SurveyQuery<WaveQuery>,
    read: fn(&mut AnyConnection, SurveyId, Option<WaveId>) -> Result<T, AppError>,
) -> Result<T, AppError> {
    who.require_admin()?;
    let (survey_id, wave_id) = (asked.survey_id, asked.query.wave_id);
    db(state, move |conn| read(conn, survey_id, wave_id)).await
}

handler! {
    (get, path = "/api/v1/surveys/{id}/invitations", tag = "admin",
        params(("id" = i64, Path, description = "survey id"), WaveQuery))
    responses((status = 200, body = Vec<InvitationView>)) errors(401, 403, 404) bearer
    fn list_invitations(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<WaveQuery>) {
        let list = wave_read(&state, who, asked, app::list).await?;
        Ok(HttpResponse::Ok().json_line(
            list.into_iter()
                .map(InvitationView::from)
                .collect::<Vec<_>>(),
        ))
    }
}

handler! {
    (delete, path = "/api/v1/invitations/{id}", tag = "admin",
        params(("id" = i64, Path, description = "invitation id")))
    responses((status = 204, description = "revoked: its link answers 410"))
    errors(401, 403, 404) bearer
    fn revoke_invitation(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<InvitationId>,
    ) {
        who.require_admin()?;
        let id = path.into_inner();
        let revoke = move |c: &mut _, _: &Principal| app::revoke(c, id);
        audited_change(
            &state,
            who,
            Action::InvitationRevoked,
            revoke,
            audit::revoked,
        )
        .await?;
        Ok(HttpResponse::NoContent().finish())
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}/response-rates", tag = "admin",
        params(("id" = i64, Path, description = "survey id"), WaveQuery))
    responses((status = 200, body = ResponseRates)) errors(401, 403, 404) bearer
    fn response_rates(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<WaveQuery>) {
        let rates = wave_read(&state, who, asked, app::response_rates).await?;
        Ok(HttpResponse::Ok().json_line(rates))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct XlsxQuery {
    pub wave_id: Option<WaveId>,
    /// `nl` (default) or `en`: sheet names and dimension labels.
    pub lang: Option<String>,
}

handler! {
    (get, path = "/api/v1/surveys/{id}/export.xlsx", tag = "admin",
        params(("id" = i64, Path, description = "survey id"), XlsxQuery))
    responses((status = 200, body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "the comparison per scope (organisation, each team with responses) and the responses, numbers as numbers"))
    errors(401, 403, 404) bearer
    fn export_xlsx(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<XlsxQuery>) {
        // The workbook holds raw responses: for the researchers (admins) only.
        who.require_admin()?;
        let SurveyQuery { survey_id, query } = asked;
        let lang = parse_lang(query.lang.as_deref())?;
        let wave_id = query.wave_id;
        let _permit = state.heavy.enter().await?;
        let bytes = db(&state, move |conn| {
            crate::app::exports::export_xlsx(conn, &who, survey_id, wave_id, lang)
        })
        .await?;
        Ok(HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"klantspiegel-{survey_id}.xlsx\""),
            ))
            .body(bytes))
    }
}
