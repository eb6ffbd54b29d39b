//! Worksheet names Excel accepts, from any team name (issue 28.1). Excel's rules: 1 to 31
//! UTF-16 code units (an emoji is two), none of `[]:*?/\`, no apostrophe at the start or the
//! end, not `History`, and unique regardless of case. A team's own name stays untouched in the
//! cells; only the tab's name is adapted:
//!
//! - `[]:*?/\` and control characters become `_`;
//! - an apostrophe at either end becomes the typographic one (`'s-Hertogenbosch` →
//!   `’s-Hertogenbosch`), which Excel allows and a reader reads the same;
//! - a name is cut at 31 units, never inside a character;
//! - a name already taken (in any case) gets ` (2)`, ` (3)`, … within the 31 units.
//!
//! The workbook's own sheets (the organisation, the responses, the about sheet) are reserved
//! before any team is named, so a team named like one of them never shifts it.

/// Excel's limit on a sheet name, in UTF-16 code units.
pub const MAX_UNITS: usize = 31;

/// Hands out unique sheet names for one workbook.
#[derive(Debug, Default)]
pub struct SheetNames {
    /// Every name given or reserved, lower-cased (Excel compares regardless of case).
    taken: Vec<String>,
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

/// The longest prefix of `s` within `units` UTF-16 code units.
fn cut(s: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &s[..i];
        }
    }
    s
}

/// A name with the forbidden characters replaced and its ends made legal.
fn clean(name: &str) -> String {
    let replaced: String = name
        .trim()
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if replaced.is_empty() {
        "_".to_string()
    } else {
        replaced
    }
}

/// An apostrophe at either end becomes `’` (one UTF-16 unit, as the apostrophe).
fn fix_ends(name: &str) -> String {
    let mut s = name.to_string();
    if s.starts_with('\'') {
        s.replace_range(..1, "’");
    }
    if s.ends_with('\'') {
        let at = s.len() - 1;
        s.replace_range(at.., "’");
    }
    s
}

impl SheetNames {
    pub fn new() -> SheetNames {
        SheetNames {
            taken: vec![key("History")],
        }
    }

    fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&key(name))
    }

    /// Reserves a name the workbook itself uses (a legal name of at most 31 units), so no
    /// team takes it; returns it.
    pub fn reserve(&mut self, name: &str) -> String {
        let legal = fix_ends(cut(&clean(name), MAX_UNITS));
        self.taken.push(key(&legal));
        legal
    }

    /// A legal name for `wanted` that no earlier sheet has (in any case); reserved from now on.
    pub fn name(&mut self, wanted: &str) -> String {
        let base = clean(wanted);
        let first = fix_ends(cut(&base, MAX_UNITS));
        if !self.is_taken(&first) {
            self.taken.push(key(&first));
            return first;
        }
        for n in 2.. {
            let suffix = format!(" ({n})");
            let stem = cut(&base, MAX_UNITS - suffix.len());
            let candidate = fix_ends(&format!("{}{suffix}", stem.trim_end()));
            if !self.is_taken(&candidate) {
                self.taken.push(key(&candidate));
                return candidate;
            }
        }
        unreachable!("there is always a free number")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> usize {
        s.encode_utf16().count()
    }

    /// Excel's rules, as rust_xlsxwriter checks them, plus uniqueness regardless of case.
    fn legal(names: &[String]) {
        for n in names {
            assert!((1..=31).contains(&units(n)), "{n}");
            assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
            assert!(!n.starts_with('\'') && !n.ends_with('\''), "{n}");
        }
        let mut keys: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), names.len(), "{names:?}");
    }

    #[test]
    fn apostrophes_at_the_ends_become_typographic() {
        let mut s = SheetNames::new();
        let got = [
            s.name("'s-Hertogenbosch"),
            s.name("'t Gooi"),
            s.name("Zuid'"),
            s.name("'"),
            s.name("Jan's team"),
        ];
        assert_eq!(
            got,
            ["’s-Hertogenbosch", "’t Gooi", "Zuid’", "’", "Jan's team"]
        );
        legal(&got);
    }

    #[test]
    fn the_limit_counts_utf16_units_and_never_splits_a_character() {
        let mut s = SheetNames::new();
        // 20 emoji are 40 units: 15 fit (30 units), the 16th would make 32.
        let emoji = "😀".repeat(20);
        let got = s.name(&emoji);
        assert_eq!(got, "😀".repeat(15));
        assert_eq!(units(&got), 30);
        let long = "Een heel lange teamnaam die echt niet past";
        let a = s.name(long);
        assert_eq!(a, "Een heel lange teamnaam die ech");
        assert_eq!(units(&a), 31);
        // The same long name again: the number fits within the limit.
        let b = s.name(long);
        assert_eq!(b, "Een heel lange teamnaam die (2)");
        // An apostrophe that a cut brings to the end is fixed too.
        let c = s.name("Afdeling Noord-Brabant en Zuid'erland");
        assert_eq!(c, "Afdeling Noord-Brabant en Zuid’");
        legal(&[got, a, b, c]);
    }

    #[test]
    fn forbidden_characters_and_collisions_regardless_of_case() {
        let mut s = SheetNames::new();
        let responses = s.reserve("Antwoorden");
        let got = [
            s.name("Klant/service"),
            s.name("klant_service"),
            s.name("KLANT_SERVICE"),
            s.name("[Noord]: *Zuid?* \\West"),
            s.name("ANTWOORDEN"),
            s.name("history"),
            s.name("Ärzte"),
            s.name("ärzte"),
            s.name("   "),
        ];
        assert_eq!(
            got,
            [
                "Klant_service",
                "klant_service (2)",
                "KLANT_SERVICE (3)",
                "_Noord__ _Zuid__ _West",
                "ANTWOORDEN (2)",
                "history (2)",
                "Ärzte",
                "ärzte (2)",
                "_",
            ]
        );
        assert_eq!(responses, "Antwoorden");
        let mut all = got.to_vec();
        all.push(responses);
        legal(&all);
    }
}
