//! The console's clock: times are stored in UTC and typed and shown in Dutch time
//! (Europe/Amsterdam: CET, UTC+1, and CEST, UTC+2, from the last Sunday of March 01:00 UTC to
//! the last Sunday of October 01:00 UTC — the EU rule since 1996). Pages name the zone.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// The zone's name, as pages show it.
pub const ZONE: &str = "Europe/Amsterdam";

/// Whether summer time (CEST) holds at a UTC instant, and a UTC instant in Dutch time: the
/// pages' clock ([`super::time`]).
pub use super::time::{amsterdam as to_local, is_summer_time};

/// The zone's abbreviation at a UTC instant: CET or CEST.
pub fn abbreviation(utc: NaiveDateTime) -> &'static str {
    if is_summer_time(utc) {
        "CEST"
    } else {
        "CET"
    }
}

/// A Dutch wall-clock time in UTC. An hour that occurs twice (the last Sunday of October,
/// 02:00–03:00) is read as the first (summer time); one that does not occur (the last Sunday of
/// March, 02:00–03:00) as winter time — as Python's zoneinfo does.
pub fn from_local(local: NaiveDateTime) -> NaiveDateTime {
    let summer = local - Duration::hours(2);
    if is_summer_time(summer) {
        summer
    } else {
        local - Duration::hours(1)
    }
}

/// An instant as a form field of type `datetime-local` holds it (Dutch time).
pub fn form_value(utc: NaiveDateTime) -> String {
    to_local(utc).format("%Y-%m-%dT%H:%M").to_string()
}

/// An instant as pages show it: Dutch time with the zone's abbreviation.
pub fn show(utc: NaiveDateTime) -> String {
    format!(
        "{} {}",
        to_local(utc).format("%Y-%m-%d %H:%M"),
        abbreviation(utc)
    )
}

/// A typed date-time (Dutch time unless it names its offset) as RFC 3339 in UTC:
/// `2027-03-01T09:00` (what `datetime-local` sends), `2027-03-01 09:00`, `2027-03-01` and
/// RFC 3339 itself; None when it is none of these.
pub fn parse_typed(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc).to_rfc3339());
    }
    let local = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    })?;
    Some(from_local(local).and_utc().to_rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    /// Expected values from Python's zoneinfo (the IANA database), Europe/Amsterdam.
    #[test]
    fn utc_to_dutch_time_matches_the_tz_database() {
        for (utc, local, abbr) in [
            ("2027-03-28T00:59:00", "2027-03-28 01:59", "CET"),
            ("2027-03-28T01:00:00", "2027-03-28 03:00", "CEST"),
            ("2027-10-31T00:59:00", "2027-10-31 02:59", "CEST"),
            ("2027-10-31T01:00:00", "2027-10-31 02:00", "CET"),
            ("2026-12-07T12:00:00", "2026-12-07 13:00", "CET"),
            ("2026-07-01T08:30:00", "2026-07-01 10:30", "CEST"),
        ] {
            assert_eq!(show(at(utc)), format!("{local} {abbr}"), "{utc}");
        }
    }

    #[test]
    fn dutch_time_to_utc_matches_the_tz_database() {
        for (local, utc) in [
            ("2027-03-01T09:00", "2027-03-01T08:00:00+00:00"),
            ("2027-07-01T09:00", "2027-07-01T07:00:00+00:00"),
            // Does not occur (clocks jump 02:00 → 03:00): read as winter time.
            ("2027-03-28T02:30", "2027-03-28T01:30:00+00:00"),
            // Occurs twice: the first (summer time).
            ("2027-10-31T02:30", "2027-10-31T00:30:00+00:00"),
        ] {
            assert_eq!(parse_typed(local).as_deref(), Some(utc), "{local}");
        }
        assert_eq!(
            parse_typed("2027-03-01 09:00").as_deref(),
            Some("2027-03-01T08:00:00+00:00")
        );
        assert_eq!(
            parse_typed("2027-03-01").as_deref(),
            Some("2027-02-28T23:00:00+00:00")
        );
        assert_eq!(
            parse_typed("2027-03-01T09:00:00Z").as_deref(),
            Some("2027-03-01T09:00:00+00:00")
        );
        assert_eq!(parse_typed("morgen"), None);
        assert_eq!(form_value(at("2027-07-01T07:00:00")), "2027-07-01T09:00");
    }
}
