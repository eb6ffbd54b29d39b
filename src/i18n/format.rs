//! Numbers as people read them, in one place for pages, charts, tables and packs: the
//! language's decimal separator, a real minus sign (−), and no sign on a value that rounds
//! to zero ("0,00", never "−0,00").

use super::Lang;

/// The decimal separator of a language.
pub fn decimal(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => ",",
        Lang::En => ".",
    }
}

/// `v` with `decimals` decimals and the given separator.
pub fn number_with(v: f64, decimals: usize, separator: &str) -> String {
    let s = format!("{:.*}", decimals, v.abs()).replace('.', separator);
    if v < 0.0 && !rounds_to_zero(&s) {
        format!("−{s}")
    } else {
        s
    }
}

/// Like [`number_with`], with a `+` on positive values.
pub fn signed_with(v: f64, decimals: usize, separator: &str) -> String {
    let s = number_with(v, decimals, separator);
    if v > 0.0 && !rounds_to_zero(&s) {
        format!("+{s}")
    } else {
        s
    }
}

/// `v` in the language's notation.
pub fn number(lang: Lang, v: f64, decimals: usize) -> String {
    number_with(v, decimals, decimal(lang))
}

/// `v` in the language's notation, with a `+` on positive values.
pub fn signed(lang: Lang, v: f64, decimals: usize) -> String {
    signed_with(v, decimals, decimal(lang))
}

fn rounds_to_zero(s: &str) -> bool {
    s.chars().all(|c| c == '0' || c == ',' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_notation_for_every_output() {
        assert_eq!(number(Lang::Nl, -0.001, 2), "0,00");
        assert_eq!(signed(Lang::Nl, -0.001, 2), "0,00");
        assert_eq!(signed(Lang::Nl, 0.004, 2), "0,00");
        assert_eq!(signed(Lang::Nl, -1.234, 2), "−1,23");
        assert_eq!(signed(Lang::En, 1.235, 1), "+1.2");
        assert_eq!(number(Lang::En, 7.0, 0), "7");
    }
}
