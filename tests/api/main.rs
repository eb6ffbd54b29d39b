//! One integration-test binary: every test gets its own database through `spawn_app()`.

mod admin;
mod anonymity;
mod anonymity_rev3;
mod browser;
mod browser_a11y;
mod charts;
mod cli;
mod comparison;
mod console;
mod console_browser;
mod console_pages;
mod exports;
mod faults;
mod fuzz;
mod hardening;
mod helpers;
mod knowledge;
mod lifecycle;
mod mail;
mod migrations;
mod oidc;
mod readme;
mod respondents;
mod team_leads;
mod working_day;
mod workshop;
