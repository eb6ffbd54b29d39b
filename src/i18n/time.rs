//! Times as people in the Netherlands read them: the database keeps UTC, people read
//! Europe/Amsterdam (CET, UTC+1; CEST, UTC+2 from the last Sunday of March 01:00 UTC to the last
//! Sunday of October 01:00 UTC, the EU rule since 1996), with the zone named.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::Lang;

/// The months' names, (Dutch, English).
const MONTHS: [(&str, &str); 12] = [
    ("januari", "January"),
    ("februari", "February"),
    ("maart", "March"),
    ("april", "April"),
    ("mei", "May"),
    ("juni", "June"),
    ("juli", "July"),
    ("augustus", "August"),
    ("september", "September"),
    ("oktober", "October"),
    ("november", "November"),
    ("december", "December"),
];

/// The last Sunday of a month at 01:00 UTC.
fn last_sunday_0100(year: i32, month: u32) -> Option<NaiveDateTime> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let mut day = first_next.pred_opt()?;
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt()?;
    }
    day.and_hms_opt(1, 0, 0)
}

/// Whether summer time (CEST) holds in Amsterdam at a UTC instant.
pub fn is_summer_time(utc: NaiveDateTime) -> bool {
    let year = utc.year();
    match (last_sunday_0100(year, 3), last_sunday_0100(year, 10)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    }
}

/// A UTC instant as Amsterdam's wall-clock time.
pub fn amsterdam(utc: NaiveDateTime) -> NaiveDateTime {
    utc + Duration::hours(if is_summer_time(utc) { 2 } else { 1 })
}

fn month(lang: Lang, m: u32) -> &'static str {
    let (nl, en) = MONTHS[(m.clamp(1, 12) - 1) as usize];
    lang.pick(nl, en)
}

/// The date in Amsterdam: "31 januari 2027" / "31 January 2027".
pub fn date(lang: Lang, utc: NaiveDateTime) -> String {
    let local = amsterdam(utc);
    format!(
        "{} {} {}",
        local.day(),
        month(lang, local.month()),
        local.year()
    )
}

/// Date and time in Amsterdam with the zone named: "31 januari 2027 om 17:00 (Nederlandse
/// tijd)" / "31 January 2027 at 17:00 (Netherlands time)".
pub fn date_time(lang: Lang, utc: NaiveDateTime) -> String {
    let local = amsterdam(utc);
    let clock = local.format("%H:%M");
    match lang {
        Lang::Nl => format!("{} om {clock} (Nederlandse tijd)", date(lang, utc)),
        Lang::En => format!("{} at {clock} (Netherlands time)", date(lang, utc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn winter_and_summer_time_with_the_switch_on_the_minute() {
        // 2027: summer time from Sunday 28 March 01:00 UTC to Sunday 31 October 01:00 UTC.
        assert_eq!(amsterdam(at(2027, 1, 31, 16, 0)), at(2027, 1, 31, 17, 0));
        assert_eq!(amsterdam(at(2027, 3, 28, 0, 59)), at(2027, 3, 28, 1, 59));
        assert_eq!(amsterdam(at(2027, 3, 28, 1, 0)), at(2027, 3, 28, 3, 0));
        assert_eq!(amsterdam(at(2027, 10, 31, 0, 59)), at(2027, 10, 31, 2, 59));
        assert_eq!(amsterdam(at(2027, 10, 31, 1, 0)), at(2027, 10, 31, 2, 0));
        // 2026: 29 March and 25 October.
        assert!(!is_summer_time(at(2026, 3, 29, 0, 0)));
        assert!(is_summer_time(at(2026, 3, 29, 1, 0)));
        assert!(is_summer_time(at(2026, 10, 25, 0, 59)));
        assert!(!is_summer_time(at(2026, 10, 25, 1, 0)));
        // New Year's Eve in UTC is New Year's Day in Amsterdam.
        assert_eq!(date(Lang::En, at(2026, 12, 31, 23, 30)), "1 January 2027");
    }

    #[test]
    fn dates_in_words_with_the_zone_named() {
        assert_eq!(
            date_time(Lang::Nl, at(2027, 1, 31, 16, 0)),
            "31 januari 2027 om 17:00 (Nederlandse tijd)"
        );
        assert_eq!(
            date_time(Lang::En, at(2027, 6, 4, 20, 0)),
            "4 June 2027 at 22:00 (Netherlands time)"
        );
        assert_eq!(date(Lang::Nl, at(2027, 5, 1, 10, 0)), "1 mei 2027");
    }
}
