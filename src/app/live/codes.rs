//! Join codes: six characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L),
//! drawn from the operating system's randomness, stored only as their SHA-256. 31⁶ ≈ 8.9 · 10⁸
//! codes against at most `TOTAL_FAILURES` failed look-ups per window in total: with ten sessions
//! running for their whole four hours, an attacker's chance to hit one is below 10⁻⁴.
//!
//! Failed look-ups are counted per device (the phone's cookie) and in total, in the database
//! (`rate_limits`), so every instance counts them; never per client address, since a room of
//! phones shares one address behind its NAT. Over the total, only devices that joined the
//! session before (and its facilitator) still get through: a correct guess then looks exactly
//! like a wrong one.

use crate::error::{AppError, ErrorCode};
use crate::store::{self, AnyConnection};

/// The characters of a code.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Characters in a code.
pub const LENGTH: usize = 6;
/// Failed look-ups one device may make per window.
pub const DEVICE_FAILURES: i32 = 10;
/// Failed look-ups of all devices together per window.
pub const TOTAL_FAILURES: i32 = 300;
/// The window of both limits.
pub const WINDOW_SECS: i64 = 600;

/// A new random code.
pub fn new_code() -> Result<String, AppError> {
    let mut out = String::with_capacity(LENGTH);
    while out.len() < LENGTH {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
        // Rejection sampling: 248 = 8 · 31, so every character is equally likely.
        for x in b {
            if out.len() < LENGTH && usize::from(x) < 248 {
                out.push(char::from(ALPHABET[usize::from(x) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// A typed code in its stored form: upper case, spaces and dashes dropped; None when it cannot
/// be a code (such a look-up costs nothing and counts nothing).
pub fn normalise(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// The stored form of a code.
pub fn hash(code: &str) -> String {
    store::invitations::hash_token(code)
}

fn device_bucket(device: &str) -> String {
    format!(
        "live:device:{}",
        &store::invitations::hash_token(device)[..32]
    )
}

const TOTAL_BUCKET: &str = "live:total";

fn refusal(start: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> AppError {
    let retry = (start + chrono::Duration::seconds(WINDOW_SECS) - now)
        .num_seconds()
        .max(1);
    ErrorCode::RateLimited {
        retry_after: u64::try_from(retry).unwrap_or(1),
    }
    .into()
}

/// Refuses a device that is over its limit (429), before the code is looked at.
pub fn check_device(conn: &mut AnyConnection, device: Option<&str>) -> Result<(), AppError> {
    let Some(device) = device else {
        return Ok(());
    };
    let now = store::now();
    match store::live::limit_hits(conn, &device_bucket(device), now, WINDOW_SECS)? {
        Some((hits, start)) if hits >= DEVICE_FAILURES => Err(refusal(start, now)),
        _ => Ok(()),
    }
}

/// The devices among `devices` that are over their limit, each with its refusal (one query).
pub fn limited_devices(
    conn: &mut AnyConnection,
    devices: &[&str],
) -> Result<std::collections::HashMap<String, AppError>, AppError> {
    let now = store::now();
    let buckets: Vec<String> = devices.iter().map(|d| device_bucket(d)).collect();
    let over = store::live::limits_over(conn, &buckets, now, WINDOW_SECS, DEVICE_FAILURES)?;
    Ok(devices
        .iter()
        .zip(&buckets)
        .filter_map(|(d, b)| {
            over.iter()
                .find(|(bucket, _)| bucket == b)
                .map(|(_, start)| (d.to_string(), refusal(*start, now)))
        })
        .collect())
}

/// Whether failed look-ups in total are over their limit (then only known devices pass).
pub fn total_exceeded(conn: &mut AnyConnection) -> Result<Option<AppError>, AppError> {
    let now = store::now();
    Ok(
        match store::live::limit_hits(conn, TOTAL_BUCKET, now, WINDOW_SECS)? {
            Some((hits, start)) if hits >= TOTAL_FAILURES => Some(refusal(start, now)),
            _ => None,
        },
    )
}

/// Counts a failed look-up for the device and in total.
pub fn count_failure(conn: &mut AnyConnection, device: Option<&str>) -> Result<(), AppError> {
    let now = store::now();
    let window = chrono::Duration::seconds(WINDOW_SECS);
    store::write_tx(conn, |conn| {
        if let Some(d) = device {
            store::sessions::hit(conn, &device_bucket(d), now, window)?;
        }
        store::sessions::hit(conn, TOTAL_BUCKET, now, window)?;
        Ok::<(), diesel::result::Error>(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_unmistakable_characters() {
        for _ in 0..200 {
            let c = new_code().unwrap();
            assert_eq!(c.len(), 6);
            assert!(!c.contains(['0', 'O', '1', 'I', 'L']), "{c}");
            assert_eq!(normalise(&c.to_lowercase()), Some(c));
        }
        assert_eq!(normalise(" abc-d2e "), Some("ABCD2E".into()));
        assert_eq!(normalise("ABC0DE"), None);
        assert_eq!(normalise("ABCDE"), None);
    }
}
