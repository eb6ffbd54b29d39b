//! Issue 5: charts over HTTP and the CLI, both languages, determinism, suppression, access.

use crate::helpers::*;

fn demo_app() -> TestApp {
    let app = spawn_app();
    let out = cli(&app, &["demo"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app
}

const KINDS: [&str; 6] = [
    "mirror",
    "gaps",
    "distribution",
    "trend",
    "expectations",
    "quadrant",
];
const LABELS_NL: [&str; 8] = [
    "Klantgerichtheid",
    "Deskundigheid",
    "Flexibiliteit",
    "Nakomen van afspraken",
    "Afhandeling van klachten",
    "Vriendelijkheid",
    "Oplossen van het probleem",
    "Snelheid",
];
const LABELS_EN: [&str; 8] = [
    "Customer focus",
    "Expertise",
    "Flexibility",
    "Keeping agreements",
    "Complaint handling",
    "Friendliness",
    "Problem resolution",
    "Speed",
];

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

fn get_bytes(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let resp = match agent()
        .get(&app.url(path))
        .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
        .call()
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = resp.status();
    let ct = resp.content_type().to_string();
    let mut buf = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut buf).unwrap();
    (status, ct, buf)
}

#[test]
fn every_kind_in_both_languages_over_http_is_well_formed_and_deterministic() {
    let app = demo_app();
    for kind in KINDS {
        for (lang, labels) in [("nl", LABELS_NL), ("en", LABELS_EN)] {
            let path = format!("/api/v1/surveys/1/charts/{kind}.svg?wave_id=2&lang={lang}");
            let (status, ct, svg) = get_bytes(&app, &path);
            assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&svg));
            assert_eq!(ct, "image/svg+xml");
            let text = String::from_utf8(svg.clone()).unwrap();
            assert!(
                text.starts_with("<svg") || text.starts_with("<?xml"),
                "{path}"
            );
            assert!(text.trim_end().ends_with("</svg>"), "{path}");
            for l in labels {
                assert!(text.contains(l), "{path} lacks the label {l}");
            }
            assert_eq!(get_bytes(&app, &path).2, svg, "{path} is not deterministic");

            let path = format!("/api/v1/surveys/1/charts/{kind}.png?wave_id=2&lang={lang}");
            let (status, ct, png) = get_bytes(&app, &path);
            assert_eq!((status, ct.as_str()), (200, "image/png"), "{path}");
            assert_eq!(png_size(&png), (1280, 720));
            assert_eq!(get_bytes(&app, &path).2, png, "{path} is not deterministic");
        }
    }
    let (_, _, png) = get_bytes(
        &app,
        "/api/v1/surveys/1/charts/gaps.png?width=800&height=450",
    );
    assert_eq!(png_size(&png), (800, 450));
    assert_eq!(
        get_bytes(&app, "/api/v1/surveys/1/charts/gaps.png?width=100").0,
        422
    );
    assert_eq!(get_bytes(&app, "/api/v1/surveys/1/charts/pie.svg").0, 404);
    assert_eq!(
        get_bytes(&app, "/api/v1/surveys/1/charts/mirror.gif").0,
        404
    );
}

#[test]
fn a_team_below_the_threshold_is_drawn_as_too_few_responses() {
    let app = demo_app();
    // Team 3 (Backoffice) has 3 employees: below the threshold of 5.
    let (_, _, svg) = get_bytes(
        &app,
        "/api/v1/surveys/1/charts/mirror.svg?wave_id=1&team_id=3",
    );
    let text = String::from_utf8(svg).unwrap();
    assert!(text.contains("minder dan 5 antwoorden (n = 3)"), "{text}");
    let (_, _, svg) = get_bytes(
        &app,
        "/api/v1/surveys/1/charts/gaps.svg?wave_id=1&team_id=3&lang=en",
    );
    assert!(String::from_utf8(svg)
        .unwrap()
        .contains("fewer than 5 responses (n = 3)"));
}

#[test]
fn the_chart_command_writes_svg_and_png() {
    let app = demo_app();
    let dir = std::env::temp_dir().join(format!("ks-charts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for kind in KINDS {
        for ext in ["svg", "png"] {
            let out = dir.join(format!("{kind}.{ext}"));
            let o = cli(
                &app,
                &[
                    "chart",
                    "--survey",
                    "1",
                    "--kind",
                    kind,
                    "--wave",
                    "2",
                    "--lang",
                    "en",
                    "--out",
                    out.to_str().unwrap(),
                ],
                None,
            );
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let bytes = std::fs::read(&out).unwrap();
            // The CLI and the API draw the same bytes.
            let (_, _, api) = get_bytes(
                &app,
                &format!("/api/v1/surveys/1/charts/{kind}.{ext}?wave_id=2&lang=en"),
            );
            assert_eq!(bytes, api, "{kind}.{ext}");
        }
    }
    let o = cli(
        &app,
        &["chart", "--survey", "1", "--kind", "pie", "--out", "x.svg"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let o = cli(
        &app,
        &[
            "chart", "--survey", "1", "--kind", "mirror", "--out", "x.gif",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_committed_gallery_matches_what_the_code_draws() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("charts");
    let files = klantspiegel::gallery::render().unwrap();
    assert_eq!(files.len(), 25);
    for (name, bytes) in files {
        let committed = std::fs::read(dir.join(&name)).unwrap_or_else(|_| {
            panic!("charts/{name} is missing: run `cargo run -- gallery --out charts`")
        });
        assert!(committed == bytes, "charts/{name} differs from what the code draws: run `cargo run -- gallery --out charts`");
    }
}
