//! The document's examples (one per request, valid against `klantspiegel serve --demo`) and
//! its links from each answer to the operations its ids feed.

use serde_json::{json, Value};

/// Request examples, valid against the demo organisation (survey 1, its open wave 3, team 1
/// Klantenservice, and the demo's customer link).
pub(super) fn examples() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    let json = "application/json";
    vec![
        ("/api/v1/teams", "post", json, json!({"name": "Klantenservice Noord"})),
        (
            "/api/v1/surveys",
            "post",
            json,
            json!({"title": "Klantspiegel 2027", "template": "mirror-default"}),
        ),
        (
            "/api/v1/surveys/{id}/waves",
            "post",
            json,
            json!({"name": "Voorjaar 2027", "opens_at": "2027-03-01T08:00:00Z", "closes_at": "2027-04-30T22:00:00Z"}),
        ),
        (
            "/api/v1/surveys/{id}/invitations",
            "post",
            json,
            json!({"wave_id": 3, "team_id": 1, "audience": "customer", "count": 2, "max_uses": 1}),
        ),
        (
            "/api/v1/responses",
            "post",
            json,
            json!({
                "token": crate::demo::CUSTOMER_TOKEN,
                "ratings": {
                    "keeping_agreements": {"perceived": 6, "expected": 8},
                    "friendliness": {"perceived": 9, "expected": null},
                },
                "nps": 7,
                "comment": "Vriendelijk, maar ik werd niet teruggebeld.",
            }),
        ),
        (
            "/api/v1/surveys/{id}/import",
            "post",
            "text/csv",
            json!("audience,team,keeping_agreements,keeping_agreements.expected\ncustomer,Klantenservice,6,8\n"),
        ),
        (
            "/api/v1/surveys/{id}/actions",
            "post",
            json,
            json!({"dimension_key": "keeping_agreements", "wave_id": 2, "team_id": 1, "decision": "improve_service", "description": "Terugbelafspraken in de gedeelde agenda zetten.", "owner": "Teamleider", "due_date": "2027-01-15"}),
        ),
        (
            "/api/v1/actions/{id}",
            "patch",
            json,
            json!({"status": "done"}),
        ),
        (
            "/api/v1/surveys/{id}",
            "patch",
            json,
            json!({"organisation": "Gemeente Zuidstad", "scale_low_nl": "zeer slecht", "scale_high_nl": "uitstekend"}),
        ),
        ("/api/v1/teams/{id}", "patch", json, json!({"name": "Klantenservice"})),
        (
            "/api/v1/surveys/{id}/waves/{wave_id}",
            "patch",
            json,
            json!({"name": "Winter 2026"}),
        ),
        (
            "/api/v1/users",
            "post",
            json,
            json!({"email": "teamleider.noord@demo.klantspiegel.nl", "role": "team_lead", "team_ids": [1], "password": "noord-wachtwoord"}),
        ),
        ("/api/v1/users/{id}", "patch", json, json!({"role": "admin"})),
        (
            "/api/v1/surveys/{id}/waves/{wave_id}/mailings",
            "post",
            "text/csv",
            json!("email,team,audience,lang\nklant1@example.nl,Klantenservice,customer,nl\nmedewerker1@example.nl,Klantenservice,employee,en\n"),
        ),
        (
            "/api/v1/surveys/{id}/mail-templates/{lang}",
            "put",
            json,
            json!({"subject": "Uw mening over {organisation}", "body": "Goedendag,\n\nUw persoonlijke link: {link}\nDe vragenlijst sluit op {closes_at}."}),
        ),
        (
            "/api/v1/surveys/{id}/live",
            "post",
            json,
            json!({"wave_id": 2, "team_id": 1}),
        ),
        (
            "/api/v1/live/{code}/open",
            "post",
            json,
            json!({"dimension_key": "keeping_agreements"}),
        ),
        (
            "/api/v1/live/{code}/reveal",
            "post",
            json,
            json!({"dimension_key": "keeping_agreements"}),
        ),
        (
            "/api/v1/live/{code}/guesses",
            "post",
            json,
            json!({"dimension_key": "keeping_agreements", "value": 7}),
        ),
    ]
}

/// Example values for parameters, by name (the demo's ids).
pub(super) fn parameter_examples(name: &str) -> Option<Value> {
    Some(match name {
        "id" => json!(1),
        "wave_id" => json!(3),
        "team_id" => json!(1),
        "lang" => json!("nl"),
        "file" => json!("mirror.svg"),
        "mailing_id" => json!(1),
        "kind" => json!("invitation"),
        "code" => json!("K7M2QX"),
        _ => return None,
    })
}

/// Links: which answer's ids feed which operation (OpenAPI runtime expressions).
pub(super) fn links() -> Vec<(&'static str, &'static str, &'static str, Value)> {
    let survey = |operation_id: &str| json!({"operationId": operation_id, "parameters": {"path.id": "$response.body#/id"}});
    let wave = |operation_id: &str| json!({"operationId": operation_id, "parameters": {"path.id": "$response.body#/survey_id", "query.wave_id": "$response.body#/id"}});
    vec![
        ("/api/v1/surveys", "201", "GetSurvey", survey("get_survey")),
        (
            "/api/v1/surveys",
            "201",
            "CreateWave",
            survey("create_wave"),
        ),
        ("/api/v1/surveys", "201", "Trend", survey("trend")),
        (
            "/api/v1/surveys",
            "201",
            "ListActions",
            survey("list_actions"),
        ),
        ("/api/v1/surveys", "201", "Chart", survey("chart")),
        (
            "/api/v1/surveys/{id}/waves",
            "201",
            "CreateInvitations",
            json!({"operationId": "create_invitations", "parameters": {"path.id": "$response.body#/survey_id"}, "requestBody": {"wave_id": "$response.body#/id"}}),
        ),
        (
            "/api/v1/surveys/{id}/waves",
            "201",
            "CreateAction",
            json!({"operationId": "create_action", "parameters": {"path.id": "$response.body#/survey_id"}, "requestBody": {"wave_id": "$response.body#/id"}}),
        ),
        (
            "/api/v1/surveys/{id}/waves",
            "201",
            "Comparison",
            wave("comparison"),
        ),
        (
            "/api/v1/surveys/{id}/waves",
            "201",
            "Import",
            wave("import"),
        ),
        (
            "/api/v1/surveys/{id}/waves",
            "201",
            "Export",
            wave("export"),
        ),
        (
            "/api/v1/surveys/{id}/invitations",
            "201",
            "Submit",
            json!({
                "operationId": "submit",
                "description": "Answer the questionnaire with the first token of the answer.",
                "requestBody": {"token": "$response.body#/tokens/0"},
            }),
        ),
        (
            "/api/v1/surveys/{id}/waves/{wave_id}/mailings",
            "201",
            "GetMailing",
            json!({"operationId": "get_mailing", "parameters": {"path.id": "$request.path.id", "path.wave_id": "$response.body#/wave_id", "path.mailing_id": "$response.body#/id"}}),
        ),
        (
            "/api/v1/surveys/{id}/waves/{wave_id}/mailings",
            "201",
            "SendReminders",
            json!({"operationId": "send_reminders", "parameters": {"path.id": "$request.path.id", "path.wave_id": "$response.body#/wave_id", "path.mailing_id": "$response.body#/id"}}),
        ),
        (
            "/api/v1/surveys/{id}/actions",
            "201",
            "UpdateAction",
            json!({"operationId": "update_action", "parameters": {"path.id": "$response.body#/id"}}),
        ),
    ]
}
