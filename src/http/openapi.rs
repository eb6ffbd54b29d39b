//! The OpenAPI 3 document, generated from the handlers' annotations, then refined here in one
//! place: the constraints the handlers enforce (lengths, formats, enumerations, ranges), an
//! example per request that works against `klantspiegel serve --demo`, and links from each
//! answer to the operations its ids feed (the invitation's tokens to `POST /api/v1/responses`),
//! so that a client generator or a fuzzer such as schemathesis can follow them.

use actix_web::HttpResponse;
use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;
use crate::http::JsonBody;

mod examples;
use examples::{examples, links, parameter_examples};

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
    info(title = "Klantspiegel API", description = "Compare how employees see their service with how customers see it. The request examples work against `klantspiegel serve --demo`."),
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
        api::exports::workshop_pdf,
        api::exports::report_xlsx,
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
        api::mailings::create_mailing,
        api::mailings::list_mailings,
        api::mailings::get_mailing,
        api::mailings::send_reminders,
        api::mailings::list_templates,
        api::mailings::set_template,
        api::mailings::reset_template,
        api::mailings::preview,
        api::audit::list_audit,
        api::live::start_live,
        api::live::live_state,
        api::live::open_dimension,
        api::live::reveal_dimension,
        api::live::end_live,
        api::live::guess,
        api::live::events,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::RowError))
)]
pub struct ApiDoc;

/// The document as served.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    doc["info"]["version"] = json!(env!("CARGO_PKG_VERSION"));
    for miss in refine(&mut doc) {
        tracing::warn!(miss, "OpenAPI refinement names nothing in the document");
    }
    doc
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json_line(document())
}

/// One character of a name or text: no control characters but tab, newline and return (what
/// `domain::optional_text` refuses).
const TEXT_CHAR: &str = r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]";

/// A required name: at most `max` characters, not blank, no control characters.
fn name(max: usize) -> Value {
    json!({
        "minLength": 1,
        "maxLength": max,
        "pattern": format!(r"^{TEXT_CHAR}*[^\s\u0000-\u001F\u007F-\u009F]{TEXT_CHAR}*$"),
    })
}

/// An optional text: at most `max` characters, no control characters.
fn text(max: usize) -> Value {
    json!({"maxLength": max, "pattern": format!("^{TEXT_CHAR}*$")})
}

fn range(min: i64, max: i64) -> Value {
    json!({"minimum": min, "maximum": max})
}

fn one_of(values: &[&str]) -> Value {
    json!({ "enum": values })
}

const DIMENSION_KEY: &str = "^[a-z][a-z0-9_]{0,63}$";

/// Adds `keywords` to a place in the document; returns a description of the place when it is
/// not there (a renamed type or route).
fn merge(doc: &mut Value, pointer: &str, keywords: Value) -> Option<String> {
    let Some(Value::Object(target)) = doc.pointer_mut(pointer) else {
        return Some(pointer.to_string());
    };
    if let Value::Object(extra) = keywords {
        target.extend(extra);
    }
    None
}

/// JSON Pointer escaping of a path (`/` → `~1`).
fn op(path: &str, method: &str) -> String {
    format!(
        "/paths/{}/{method}",
        path.replace('~', "~0").replace('/', "~1")
    )
}

/// The constraints the handlers enforce, per component schema and property.
fn constraints() -> Vec<(&'static str, &'static str, Value)> {
    let date_time = json!({"format": "date-time"});
    vec![
        ("CreateTeam", "name", name(100)),
        ("CreateWave", "name", name(100)),
        ("CreateWave", "opens_at", date_time.clone()),
        ("CreateWave", "closes_at", date_time.clone()),
        (
            "CreateInvitations",
            "audience",
            one_of(&["employee", "customer"]),
        ),
        ("CreateInvitations", "count", range(1, 1000)),
        ("CreateInvitations", "max_uses", range(1, 100_000)),
        ("CreateInvitations", "expires_at", date_time),
        ("CreateSurvey", "title", name(200)),
        ("CreateSurvey", "template", one_of(&["mirror-default"])),
        ("CreateSurvey", "scale_min", range(-1000, 1000)),
        ("CreateSurvey", "scale_max", range(-1000, 1000)),
        ("CreateSurvey", "min_group_size", range(1, 1000)),
        (
            "CreateSurvey",
            "alpha",
            json!({"exclusiveMinimum": 0, "exclusiveMaximum": 1}),
        ),
        ("CreateSurvey", "materiality", json!({"minimum": 0})),
        ("DimensionInput", "key", json!({"pattern": DIMENSION_KEY})),
        ("DimensionInput", "label_nl", name(100)),
        (
            "DimensionInput",
            "category",
            one_of(&["functional", "emotional"]),
        ),
        (
            "CreateAction",
            "dimension_key",
            json!({"pattern": DIMENSION_KEY}),
        ),
        (
            "CreateAction",
            "decision",
            one_of(&["manage_expectations", "improve_service", "investigate"]),
        ),
        ("CreateAction", "description", name(2000)),
        ("CreateAction", "owner", text(200)),
        ("CreateAction", "due_date", json!({"format": "date"})),
        (
            "UpdateAction",
            "status",
            one_of(&["open", "done", "dropped"]),
        ),
        ("UpdateAction", "description", name(2000)),
        ("UpdateAction", "owner", text(200)),
        (
            "UpdateAction",
            "due_date",
            json!({"pattern": r"^(\d{4}-\d{2}-\d{2})?$", "description": "`YYYY-MM-DD`; an empty string clears it."}),
        ),
        ("UpdateSurvey", "title", name(200)),
        ("UpdateSurvey", "template", one_of(&["mirror-default"])),
        ("UpdateSurvey", "scale_min", range(-1000, 1000)),
        ("UpdateSurvey", "scale_max", range(-1000, 1000)),
        ("UpdateSurvey", "min_group_size", range(1, 1000)),
        ("UpdateSurvey", "comment_min_group_size", range(1, 1000)),
        ("CreateSurvey", "comment_min_group_size", range(1, 1000)),
        (
            "UpdateSurvey",
            "alpha",
            json!({"exclusiveMinimum": 0, "exclusiveMaximum": 1}),
        ),
        ("UpdateSurvey", "materiality", json!({"minimum": 0})),
        ("UpdateTeam", "name", name(100)),
        ("UpdateWave", "name", name(100)),
        ("UpdateWave", "opens_at", json!({"format": "date-time"})),
        (
            "UpdateWave",
            "closes_at",
            json!({"pattern": r"^(\d{4}-\d{2}-\d{2}T.*)?$", "description": "RFC 3339; an empty string removes the end date."}),
        ),
        (
            "CreateUser",
            "email",
            json!({"format": "email", "maxLength": 200}),
        ),
        ("CreateUser", "role", one_of(&["admin", "team_lead"])),
        ("CreateUser", "password", json!({"minLength": 8})),
        ("UpdateUser", "role", one_of(&["admin", "team_lead"])),
        ("UpdateUser", "password", json!({"minLength": 8})),
        ("TemplateBody", "subject", name(200)),
        (
            "TemplateBody",
            "body",
            json!({"maxLength": 10_000, "pattern": "\\{link\\}"}),
        ),
        ("RawSubmission", "nps", range(0, 10)),
        (
            "DimensionBody",
            "dimension_key",
            json!({"pattern": DIMENSION_KEY}),
        ),
        (
            "GuessBody",
            "dimension_key",
            json!({"pattern": DIMENSION_KEY}),
        ),
        (
            "GuessBody",
            "value",
            json!({"description": "On the survey's scale (422 outside it)."}),
        ),
        ("RawSubmission", "comment", text(2000)),
        (
            "RawSubmission",
            "ratings",
            json!({
                "minProperties": 1,
                "propertyNames": {"pattern": DIMENSION_KEY},
                "additionalProperties": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": false,
                    "properties": {
                        "self": {"type": ["integer", "null"]},
                        "predicted": {"type": ["integer", "null"]},
                        "perceived": {"type": ["integer", "null"]},
                        "expected": {"type": ["integer", "null"]},
                        "importance": {"type": ["integer", "null"]},
                    },
                },
            }),
        ),
    ]
}

/// The questionnaire's texts with their lengths (in `CreateSurvey` and `UpdateSurvey`).
fn text_constraints() -> Vec<(&'static str, &'static str, Value)> {
    let lengths = [
        ("organisation", 200),
        ("contact", 500),
        ("introduction_nl", 4000),
        ("introduction_en", 4000),
        ("privacy_statement_nl", 4000),
        ("privacy_statement_en", 4000),
        ("scale_low_nl", 100),
        ("scale_high_nl", 100),
        ("scale_low_en", 100),
        ("scale_high_en", 100),
    ];
    ["CreateSurvey", "UpdateSurvey"]
        .into_iter()
        .flat_map(|schema| {
            lengths
                .iter()
                .map(move |(field, max)| (schema, *field, text(*max)))
        })
        .collect()
}

/// Applies constraints, examples and links; returns what it could not find.
fn refine(doc: &mut Value) -> Vec<String> {
    let mut misses = Vec::new();
    for (schema, property, keywords) in constraints().into_iter().chain(text_constraints()) {
        let at = format!("/components/schemas/{schema}/properties/{property}");
        misses.extend(merge(doc, &at, keywords));
    }
    // A submission without ratings is refused (422), so the schema requires them.
    misses.extend(merge(
        doc,
        "/components/schemas/RawSubmission",
        json!({"required": ["ratings"]}),
    ));
    for (path, method, content_type, example) in examples() {
        let at = format!(
            "{}/requestBody/content/{}",
            op(path, method),
            content_type.replace('/', "~1")
        );
        misses.extend(merge(doc, &at, json!({ "example": example })));
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for operation in paths.values_mut().filter_map(Value::as_object_mut) {
            for parameters in operation
                .values_mut()
                .filter_map(|o| o.get_mut("parameters"))
                .filter_map(Value::as_array_mut)
            {
                for p in parameters.iter_mut() {
                    if p["name"] == "lang" {
                        p["schema"]["enum"] = if p["in"] == "path" {
                            json!(["nl", "en"])
                        } else {
                            json!(["nl", "en", null])
                        };
                    }
                    if p["name"] == "kind" {
                        p["schema"]["enum"] = json!(["invitation", "reminder", null]);
                    }
                    let example = p["name"].as_str().and_then(parameter_examples);
                    if let (Some(e), Some(p)) = (example, p.as_object_mut()) {
                        p.insert("example".into(), e);
                    }
                }
            }
        }
    }
    let files: Vec<String> = crate::charts::ChartKind::ALL
        .iter()
        .flat_map(|k| ["svg", "png"].map(|ext| format!("{}.{ext}", k.as_str())))
        .collect();
    let chart = op("/api/v1/surveys/{id}/charts/{file}", "get");
    if let Some(Value::Array(parameters)) = doc.pointer_mut(&format!("{chart}/parameters")) {
        for p in parameters.iter_mut().filter(|p| p["name"] == "file") {
            p["schema"]["enum"] = json!(files);
        }
    } else {
        misses.push(chart);
    }
    let audit = op("/api/v1/audit", "get");
    if let Some(Value::Array(parameters)) = doc.pointer_mut(&format!("{audit}/parameters")) {
        for p in parameters.iter_mut() {
            match p["name"].as_str() {
                Some("since" | "until") => p["schema"]["format"] = json!("date-time"),
                Some("limit") => {
                    p["schema"]["minimum"] = json!(1);
                    p["schema"]["maximum"] = json!(crate::app::audit::MAX_LIMIT);
                }
                Some("action") => {
                    let mut names: Vec<Value> = crate::app::audit::Action::ALL
                        .iter()
                        .map(|a| json!(a.as_str()))
                        .collect();
                    names.push(Value::Null);
                    p["schema"]["enum"] = Value::Array(names);
                }
                _ => {}
            }
        }
    } else {
        misses.push(audit);
    }
    for (path, status, name, link) in links() {
        let at = format!("{}/responses/{status}", op(path, "post"));
        match doc.pointer_mut(&at).and_then(Value::as_object_mut) {
            Some(response) => {
                let all = response.entry("links").or_insert_with(|| json!({}));
                all[name] = link;
            }
            None => misses.push(at),
        }
    }
    misses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refinement_finds_its_place() {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        assert_eq!(refine(&mut doc), Vec::<String>::new());
        let invitations = &doc["paths"]["/api/v1/surveys/{id}/invitations"]["post"];
        assert_eq!(
            invitations["responses"]["201"]["links"]["Submit"]["requestBody"]["token"],
            "$response.body#/tokens/0"
        );
    }

    #[test]
    fn links_name_operations_and_parameters_that_exist() {
        let doc = document();
        let mut operations = std::collections::HashMap::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, o) in item.as_object().unwrap() {
                operations.insert(
                    o["operationId"].as_str().unwrap().to_string(),
                    (path, method, o),
                );
            }
        }
        for (_, _, _, link) in links() {
            let id = link["operationId"].as_str().unwrap();
            let (path, _, target) = operations.get(id).unwrap_or_else(|| panic!("{id}"));
            for name in link["parameters"]
                .as_object()
                .into_iter()
                .flat_map(|p| p.keys())
            {
                let (place, name) = name.split_once('.').unwrap();
                let declared = target["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == place));
                assert!(declared, "{id}: no {place} parameter {name} ({path})");
            }
        }
    }

    #[test]
    fn path_parameters_are_in_the_path_and_the_rest_in_the_query() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for o in item.as_object().unwrap().values() {
                for p in o["parameters"].as_array().into_iter().flatten() {
                    let in_path = path.contains(&format!("{{{}}}", p["name"].as_str().unwrap()));
                    let place = if in_path { "path" } else { "query" };
                    assert_eq!(p["in"], place, "{path}: {p}");
                }
            }
        }
    }
}
