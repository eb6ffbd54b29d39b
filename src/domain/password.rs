//! Which passwords people may choose, in the style of NIST SP 800-63B (§5.1.1.2 of revision 3,
//! §3.1.1.2 of revision 4): a minimum length and a generous maximum, any characters, no
//! composition rules — but no password that an attacker tries first:
//!
//! - one of the 20,000 most common passwords (`passwords/common.txt`) or a Dutch favourite
//!   (`passwords/dutch.txt`), also with digits or signs around it (`welkom123`, `Zomer2024!`);
//! - repetitive (`aaaaaaaa`, eight spaces, `12121212`, `abcabcab`);
//! - sequential (`12345678`, `abcdefgh`, `87654321`, keyboard rows such as `qwertyui`);
//! - the name of this service or the user's own e-mail address.
//!
//! The refusal says why, in the reader's language (an [`ErrorCode`]); the API names the field
//! `password`. Checked where a password is chosen (the API, the console, `klantspiegel user
//! add`), never at sign-in: existing passwords keep working.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::error::ErrorCode;

/// The shortest password accepted (NIST's minimum for a password people choose; the demo's
/// `demo-beheer` has 11).
pub const MIN_LENGTH: usize = 8;
/// The longest: NIST asks for at least 64; longer only costs hashing time.
pub const MAX_LENGTH: usize = 256;

/// The service's own name: a password built on it is guessed early.
const SERVICE_WORDS: &[&str] = &["klantspiegel"];

/// Keyboard rows (QWERTY, AZERTY, QWERTZ) and the digit row: a password that is a stretch of
/// one of them, either way, is sequential.
const ROWS: &[&str] = &[
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertzuiop",
    "yxcvbnm",
];

fn known() -> &'static HashSet<&'static str> {
    static KNOWN: OnceLock<HashSet<&'static str>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        [
            include_str!("passwords/common.txt"),
            include_str!("passwords/dutch.txt"),
        ]
        .iter()
        .flat_map(|list| list.lines())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
    })
}

/// How many passwords the lists hold (for the documentation and its test).
pub fn known_count() -> usize {
    known().len()
}

/// The same few characters over and over: at most two distinct ones, or a unit of at most
/// four repeated (`abcabcab`).
fn repetitive(chars: &[char]) -> bool {
    let distinct: HashSet<&char> = chars.iter().collect();
    if distinct.len() <= 2 {
        return true;
    }
    (1..=4.min(chars.len() / 2)).any(|p| (p..chars.len()).all(|i| chars[i] == chars[i - p]))
}

/// Each character one above (or each one below) the one before, or a stretch of a keyboard
/// row in either direction.
fn sequential(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return true;
    }
    let reversed: String = lower.chars().rev().collect();
    ROWS.iter()
        .any(|row| row.contains(lower) || row.contains(reversed.as_str()))
}

/// Whether the password, or its letters without the digits and signs around them, is on
/// the lists.
fn well_known(lower: &str) -> bool {
    let known = known();
    if known.contains(lower) {
        return true;
    }
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    core != lower && core.chars().count() >= 4 && known.contains(core)
}

/// Built on the service's name or on the user's e-mail address (its part before the `@`,
/// when it has at least four characters).
fn personal(lower: &str, email: Option<&str>) -> bool {
    if SERVICE_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let Some(email) = email.map(|e| e.trim().to_lowercase()) else {
        return false;
    };
    let local = email.split('@').next().unwrap_or("");
    lower == email || (local.chars().count() >= 4 && lower.contains(local))
}

/// Checks a password someone chooses (for the account `email`, when known).
pub fn check(password: &str, email: Option<&str>) -> Result<(), ErrorCode> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_LENGTH {
        return Err(ErrorCode::PasswordTooShort { min: MIN_LENGTH });
    }
    if chars.len() > MAX_LENGTH {
        return Err(ErrorCode::PasswordTooLong { max: MAX_LENGTH });
    }
    let lower = password.to_lowercase();
    if repetitive(&chars) {
        return Err(ErrorCode::PasswordRepetitive);
    }
    if sequential(&lower) {
        return Err(ErrorCode::PasswordSequential);
    }
    if well_known(&lower) {
        return Err(ErrorCode::PasswordCommon);
    }
    if personal(&lower, email) {
        return Err(ErrorCode::PasswordPersonal);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_hold_thousands_with_the_dutch_ones() {
        // 19,6xx lines of the common list and the Dutch ones, some in both.
        assert!(
            (19_500..20_000).contains(&known_count()),
            "{}",
            known_count()
        );
        for p in [
            "wachtwoord",
            "welkom01",
            "welkom123",
            "qwerty123",
            "password",
            "iloveyou",
        ] {
            assert!(known().contains(p), "{p}");
        }
    }

    #[test]
    fn the_breaks_of_issue_28_are_refused_each_with_its_reason() {
        use ErrorCode::*;
        for (password, why) in [
            ("1234567", PasswordTooShort { min: 8 }),
            ("12345678", PasswordSequential),
            ("password", PasswordCommon),
            ("        ", PasswordRepetitive),
            ("aaaaaaaa", PasswordRepetitive),
            ("12121212", PasswordRepetitive),
            ("abcabcab", PasswordRepetitive),
            ("abcdefgh", PasswordSequential),
            ("87654321", PasswordSequential),
            ("qwertyui", PasswordSequential),
            ("LKJHGFDSA", PasswordSequential),
            ("wachtwoord", PasswordCommon),
            ("Wachtwoord", PasswordCommon),
            ("welkom01", PasswordCommon),
            ("welkom123", PasswordCommon),
            ("Welkom2024!", PasswordCommon),
            ("qwerty123", PasswordCommon),
            ("Zomer2025", PasswordCommon),
            ("!!Feyenoord1908", PasswordCommon),
            ("klantspiegel", PasswordPersonal),
            ("mijn-klantspiegel-1", PasswordPersonal),
        ] {
            assert_eq!(check(password, None), Err(why), "{password:?}");
        }
        assert_eq!(
            check(&"x".repeat(257), None),
            Err(PasswordTooLong { max: 256 })
        );
        assert_eq!(
            check("jan.jansen-2027", Some("Jan.Jansen@example.nl")),
            Err(PasswordPersonal)
        );
        assert_eq!(check("jan@x.nl", Some("jan@x.nl")), Err(PasswordPersonal));
    }

    #[test]
    fn the_demos_and_good_passwords_pass() {
        for password in [
            crate::demo::ADMIN_PASSWORD,
            crate::demo::LEAD_PASSWORD,
            "een-lang-wachtwoord",
            "lang-genoeg",
            "beheerder-wachtwoord",
            "correct horse battery staple",
            "Tr0ub4dor&3",
            "fiets-molen-tulp-7",
            "ç'est-très-bien",
            "😀🙂😎🤖🐸🦊🐼🐨",
        ] {
            assert_eq!(
                check(password, Some("jan@example.nl")),
                Ok(()),
                "{password}"
            );
        }
        // A short local part is not held against anyone.
        assert_eq!(check("jan-en-piet-samen", Some("jan@x.nl")), Ok(()));
    }
}
