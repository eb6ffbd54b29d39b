//! One integration-test binary: every test gets its own database through `spawn_app()`.

mod admin;
mod browser;
mod charts;
mod comparison;
mod faults;
mod fuzz;
mod hardening;
mod helpers;
mod migrations;
mod respondents;
mod team_leads;
