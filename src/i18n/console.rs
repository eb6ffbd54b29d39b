//! Strings of the researcher's console (/admin), NL and EN, and the messages its forms show
//! next to a field (`field_hint`) or for a refused change (`conflict_message`).

pub use super::console_strings::{console_text, ConsoleText, EN, NL};

/// A count in words, from a pattern "one|{n} many": "1 medewerker", "3 medewerkers".
pub fn count_of(pattern: &str, n: i64) -> String {
    let (one, many) = pattern.split_once('|').unwrap_or((pattern, pattern));
    if n == 1 {
        one.to_string()
    } else {
        many.replace("{n}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_dimension_fields_by_their_last_part_and_fall_back() {
        assert_eq!(NL.lang_code, "nl");
        assert_eq!(EN.lang_code, "en");
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count_of(NL.employee_count, 1), "1 medewerker");
        assert_eq!(count_of(NL.employee_count, 0), "0 medewerkers");
        assert_eq!(count_of(EN.customer_count, 1), "1 customer");
        assert_eq!(count_of(EN.customer_count, 12), "12 customers");
    }
}
