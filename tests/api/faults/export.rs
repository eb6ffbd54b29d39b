//! The streamed export writes what the whole-file export wrote, and Dutch Excel's files import.

use crate::helpers::*;

/// A file in the export's own format for the survey whose export header is `header`:
/// `n` rows across two teams and both audiences, with don't-knows, quotes, commas, formula
/// cells and explicit times, so that importing it and exporting again gives the same bytes.
fn canonical(header: &str, n: usize) -> String {
    let columns: Vec<&str> = header.split(',').collect();
    let mut out = format!("{header}\n");
    for i in 0..n {
        let employee = i % 3 == 0;
        let team = if i % 2 == 0 {
            "Klantenservice"
        } else {
            "Buitendienst"
        };
        let mut row: Vec<String> = vec![
            if employee { "employee" } else { "customer" }.to_string(),
            team.to_string(),
            format!(
                "2026-03-{:02}T{:02}:{:02}:{:02}Z",
                1 + i % 28,
                i % 24,
                i % 60,
                (i * 7) % 60
            ),
            if i % 5 == 0 {
                format!("r{i:05}")
            } else {
                String::new()
            },
            if !employee && i % 4 != 0 {
                (i % 11).to_string()
            } else {
                String::new()
            },
            match i % 6 {
                1 => "\"Goed, maar \"\"traag\"\"\"".to_string(),
                2 => "'=SUM(A1:A2)".to_string(),
                4 => "\"twee\nregels\"".to_string(),
                _ => String::new(),
            },
        ];
        for (j, col) in columns[6..].iter().enumerate() {
            let kind = col.split_once('.').map(|(_, k)| k);
            let asked = matches!(
                (employee, kind),
                (true, None | Some("predicted")) | (false, None | Some("expected" | "importance"))
            );
            row.push(if !asked || (i + j) % 9 == 0 {
                String::new()
            } else if (i + j) % 13 == 0 {
                "nvt".to_string()
            } else {
                (1 + (i * 3 + j) % 10).to_string()
            });
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn the_streamed_export_gives_back_the_imported_file_byte_for_byte() {
    let app = spawn_app();
    let w = world(&app);
    let empty = app.get(&format!("/api/v1/surveys/{}/export.csv", w.survey));
    assert_eq!(empty.status, 200);
    let header = empty.body.trim_end().to_string();
    assert!(header.starts_with("audience,team,submitted_at,respondent,nps,comment,"));
    // More rows than one page (2000), so pages are joined.
    let file = canonical(&header, 4_321);
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        file.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.json(),
        serde_json::json!({"imported": 4321, "duplicates": [], "delimiter": ","})
    );
    let export = app.get(&format!(
        "/api/v1/surveys/{}/export.csv?wave_id={}",
        w.survey, w.wave
    ));
    assert_eq!(export.status, 200);
    assert_eq!(
        export.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        export.body == file,
        "the export differs from the file it came from"
    );
    // The CLI writes the same file.
    let out_path = std::env::temp_dir().join(format!("ks-export-{}.csv", w.survey));
    let out = cli(
        &app,
        &[
            "export",
            "--survey",
            &w.survey.to_string(),
            "--out",
            out_path.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&out_path).unwrap();
    let _ = std::fs::remove_file(&out_path);
    assert!(written == file, "the CLI export differs");

    // Excel's flavour: a byte-order mark and `;`; it imports again and says so.
    let excel = app.get(&format!(
        "/api/v1/surveys/{}/export.csv?wave_id={}&excel=1",
        w.survey, w.wave
    ));
    assert!(excel
        .body
        .starts_with("\u{feff}audience;team;submitted_at;"));
    let w2 = app.create_wave(w.survey, "Najaar 2026", "2026-01-01T00:00:00Z");
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={w2}", w.survey),
        "text/csv",
        excel.body.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["imported"], 4321);
    assert_eq!(r.json()["delimiter"], ";");
    let again = app.get(&format!(
        "/api/v1/surveys/{}/export.csv?wave_id={w2}",
        w.survey
    ));
    assert!(
        again.body == file,
        "the ;-file did not import the same answers"
    );
    // What fails before the first byte has its own status.
    let r = app.get("/api/v1/surveys/999/export.csv");
    assert_eq!(r.error(404).0, "not_found");
}

#[test]
fn a_windows_1252_file_is_refused_with_what_to_do() {
    let app = spawn_app();
    let w = world(&app);
    // What Dutch Excel's plain "CSV" writes: `;` and Windows-1252 (é = 0xE9).
    let file = b"audience;team;speed;comment\ncustomer;Klantenservice;7;Prima\ncustomer;Klantenservice;8;Caf\xe9 was dicht\n";
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        file,
    );
    assert_eq!(r.error(422).0, "import_rejected");
    let v = r.json();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["line"], 3);
    let msg = v["rows"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("not UTF-8") && msg.contains("CSV UTF-8"),
        "{msg}"
    );
    assert_eq!(app.count("responses"), 0);
    // Saved as CSV UTF-8 (with Excel's byte-order mark and `;`), it imports.
    let utf8 = "\u{feff}audience;team;speed;comment\ncustomer;Klantenservice;7;Prima\ncustomer;Klantenservice;8;Café was dicht\n";
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        utf8.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.json(),
        serde_json::json!({"imported": 2, "duplicates": [], "delimiter": ";"})
    );
}
