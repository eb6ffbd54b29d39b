//! A real full disk: the database on a small tmpfs (mounting needs root, which this machine
//! kind gives every session and CI), filled up under a running server, then freed.

use diesel::Connection;
use std::io::Write;
use std::process::Command;
use std::time::Duration;

use super::*;

/// A tmpfs of `size` mounted on a fresh directory; unmounted when dropped.
struct Tmpfs(TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let dir = TempDir::new("ks-disk");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir.0)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mounting a tmpfs needs root (CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(dir)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0 .0).status();
    }
}

/// Fills the filesystem with one file until the disk says no more.
fn fill(path: &std::path::Path) -> u64 {
    let mut f = std::fs::File::create(path).unwrap();
    let block = vec![b'x'; 64 * 1024];
    let mut written = 0u64;
    loop {
        match f.write(&block) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) => {
                assert_eq!(e.raw_os_error(), Some(28), "{e}");
                break;
            }
        }
    }
    // The last few bytes too, so not even a page fits.
    while f.write(b"x").is_ok_and(|n| n == 1) {
        written += 1;
    }
    written
}

#[test]
fn a_full_disk_answers_503_fails_healthz_logs_the_cause_once_and_recovers() {
    let disk = Tmpfs::mount("8m");
    let logs = TempDir::new("ks-disk-log");
    let db = disk.0 .0.join("klantspiegel.db");
    let server = serve(&format!("sqlite://{}", db.display()), &logs.0);
    let c = &server.client;
    let (survey, wave, _) = c.setup(1);
    let team = c.get(
        "/api/v1/teams",
        &[("Authorization", &format!("Bearer {ADMIN_TOKEN}"))],
    );
    let team = team.json()[0]["id"].as_i64().unwrap();
    let link = c.post(
        &format!("/api/v1/surveys/{survey}/invitations"),
        serde_json::json!({"wave_id": wave, "team_id": team, "audience": "customer", "max_uses": 100000}),
    );
    assert_eq!(link.status, 201, "{}", link.body);
    let link = link.json()["tokens"][0].as_str().unwrap().to_string();
    assert_eq!(c.get("/healthz", &[]).status, 200);

    let filler = disk.0 .0.join("filler");
    fill(&filler);
    let comment = "v".repeat(1900);
    let (mut stored, mut first_503) = (0i64, None);
    for i in 0..5000 {
        let r = c.post_public("/api/v1/responses", answer(&link, &comment));
        match r.status {
            201 => stored += 1,
            503 => {
                assert_unavailable(&r);
                assert!(
                    r.json()["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("database or disk is full"),
                    "{}",
                    r.body
                );
                first_503 = Some(i);
                break;
            }
            other => panic!("submission {i} answered {other}: {}", r.body),
        }
    }
    assert!(first_503.is_some(), "the disk never filled up");
    let (health, took) = timed(|| c.get("/healthz", &[]));
    assert_unavailable(&health);
    assert!(
        health.body.contains("database or disk is full"),
        "{}",
        health.body
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    for _ in 0..20 {
        assert_unavailable(&c.post_public("/api/v1/responses", answer(&link, &comment)));
    }

    std::fs::remove_file(&filler).unwrap();
    let r = c.post_public("/api/v1/responses", answer(&link, "weer ruimte"));
    assert_eq!(r.status, 201, "{}", r.body);
    stored += 1;
    assert_eq!(c.get("/healthz", &[]).status, 200);

    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let n: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM responses")
        .load(&mut conn)
        .unwrap();
    assert_eq!(n[0].n, stored, "every 201 stored, no 503");

    let log = server.log_text();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("database unavailable"))
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    assert!(
        lines[0].contains("database or disk is full"),
        "{}",
        lines[0]
    );
    assert!(!log.contains("internal error"), "{log}");
    assert!(!log.contains("backtrace"), "{log}");
    drop(conn);
    drop(server);
}
