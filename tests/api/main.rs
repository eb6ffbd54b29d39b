//! One integration-test binary: every test gets its own database through `spawn_app()`.

mod admin;
mod browser;
mod charts;
mod cli;
mod comparison;
mod fuzz;
mod hardening;
mod helpers;
mod lifecycle;
mod migrations;
mod readme;
mod respondents;
mod team_leads;

/// Routes added by later modules that the OpenAPI document must also list.
pub const EXTRA_ROUTES: &[(&str, &str)] = &[
    ("/api/v1/responses", "post"),
    ("/api/v1/surveys/{id}/import", "post"),
    ("/api/v1/surveys/{id}/export.csv", "get"),
    ("/api/v1/surveys/{id}/comparison", "get"),
    ("/api/v1/surveys/{id}/trend", "get"),
    ("/api/v1/surveys/{id}/charts/{file}", "get"),
    ("/api/v1/surveys/{id}/actions", "post"),
    ("/api/v1/surveys/{id}/actions", "get"),
    ("/api/v1/actions/{id}", "patch"),
];
