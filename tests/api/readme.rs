//! The README's "Using the API" walkthrough, run as written with the binary under test as
//! `klantspiegel` (it needs bash, curl and jq: README step 1). It must work from an empty
//! database, take every id from the answers, and leave the demo's `klantspiegel.db` alone.

use std::process::Command;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The first ```sh block after `heading`.
fn sh_block<'a>(readme: &'a str, heading: &str) -> &'a str {
    let section = &readme[readme.find(heading).expect("the heading")..];
    let start = section.find("```sh\n").expect("a sh block") + 6;
    let len = section[start..].find("```").expect("the block's end");
    &section[start..start + len]
}

#[test]
fn the_readme_api_walkthrough_runs_on_its_own_database() {
    for tool in ["curl", "jq"] {
        let found = Command::new(tool).arg("--version").output().is_ok();
        assert!(found, "{tool} is not installed: README step 1 installs it");
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let script = sh_block(&readme, "## Using the API");
    assert!(script.contains("--database sqlite://walkthrough.db"));
    // Another free port than 8081: tests run side by side, and something may use 8081.
    let port = free_port().to_string();
    let script = format!(
        "set -euo pipefail\n{}\nwait\n",
        script.replace("8081", &port)
    );

    let dir = std::env::temp_dir().join(format!("ks-readme-{port}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let demo_db = dir.join("klantspiegel.db");
    std::fs::write(&demo_db, "the demo's database").unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_klantspiegel"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("timeout")
        .args(["120", "bash", "-c", &script])
        .current_dir(&dir)
        .env("PATH", path)
        .env_remove("KLANTSPIEGEL_ADMIN_TOKEN")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let log = std::fs::read_to_string(dir.join("walkthrough.log")).unwrap_or_default();
    assert!(
        out.status.success(),
        "{said}\n{}\nserver log:\n{log}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert!(said.contains("team 1, survey 1, wave 1"), "{said}");
    let invitations: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("invitations.json")).unwrap())
            .unwrap();
    assert_eq!(invitations["tokens"].as_array().unwrap().len(), 3);
    assert!(said.contains("{\"status\":\"stored\"}\n"), "{said}");
    assert!(said.contains("\"code\":\"token_used\""), "{said}");
    assert!(said.contains("\"customer\": 1"), "{said}");
    assert!(
        said.contains("\"verdict\": \"insufficient_data\""),
        "{said}"
    );
    // The server stopped gracefully and said where it listened.
    assert!(
        log.contains(&format!("listening on http://127.0.0.1:{port}")),
        "{log}"
    );

    // The demo's database is untouched, and nothing else was made beside the walkthrough's files.
    assert_eq!(
        std::fs::read_to_string(&demo_db).unwrap(),
        "the demo's database"
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|f| !f.starts_with("walkthrough.db"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["invitations.json", "klantspiegel.db", "walkthrough.log"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
