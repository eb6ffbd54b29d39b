//! JSON API under /api/v1.

use actix_web::web;

pub mod actions;
pub mod admin;
pub mod reports;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/teams", web::post().to(admin::create_team))
        .route("/teams", web::get().to(admin::list_teams))
        .route("/surveys", web::post().to(admin::create_survey))
        .route("/surveys", web::get().to(admin::list_surveys))
        .route("/surveys/{id}", web::get().to(admin::get_survey))
        .route("/surveys/{id}/waves", web::post().to(admin::create_wave))
        .route(
            "/surveys/{id}/invitations",
            web::post().to(admin::create_invitations),
        )
        .route("/responses", web::post().to(reports::submit))
        .route("/surveys/{id}/import", web::post().to(reports::import))
        .route("/surveys/{id}/export.csv", web::get().to(reports::export))
        .route(
            "/surveys/{id}/comparison",
            web::get().to(reports::comparison),
        )
        .route("/surveys/{id}/trend", web::get().to(reports::trend))
        .route("/surveys/{id}/charts/{file}", web::get().to(reports::chart))
        .route(
            "/surveys/{id}/actions",
            web::post().to(actions::create_action),
        )
        .route(
            "/surveys/{id}/actions",
            web::get().to(actions::list_actions),
        )
        .route("/actions/{id}", web::patch().to(actions::update_action));
}

/// Renders a stored UTC instant as RFC 3339.
pub fn instant(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}
