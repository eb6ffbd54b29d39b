//! One integration-test binary: every test gets its own database through `spawn_app()`.

mod admin;
mod comparison;
mod helpers;
mod respondents;

/// Routes added by later modules that the OpenAPI document must also list.
pub const EXTRA_ROUTES: &[(&str, &str)] = &[];
