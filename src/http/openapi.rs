//! The OpenAPI 3 document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Klantspiegel API", description = "Compare how employees see their service with how customers see it."),
    modifiers(&BearerAuth),
    paths(
        api::admin::create_team,
        api::admin::list_teams,
        api::admin::create_survey,
        api::admin::list_surveys,
        api::admin::get_survey,
        api::admin::create_wave,
        api::admin::create_invitations,
        api::reports::submit,
        api::reports::import,
        api::reports::export,
        api::reports::comparison,
        api::reports::trend,
        api::reports::chart,
        api::actions::create_action,
        api::actions::list_actions,
        api::actions::update_action,
        api::manage::update_survey,
        api::manage::update_team,
        api::manage::delete_team,
        api::manage::update_wave,
        api::users::list_users,
        api::users::create_user,
        api::users::update_user,
        api::users::delete_user,
        api::invitations::list_invitations,
        api::invitations::revoke_invitation,
        api::invitations::response_rates,
        api::invitations::export_xlsx,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::RowError))
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
