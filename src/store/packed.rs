//! Reading a response's packed answers (`[[dimension_id,"kind",value],…]`, see
//! [`super::responses::pack`]) without a JSON library: a report's per-respondent figures read
//! every response of the scope, and a general JSON parser (a vector per response, a tuple per
//! answer) cost most of a first report over 62 500 responses. Anything this reader does not
//! expect (escapes, numbers with a fraction, an unknown kind) it leaves to the general parser
//! behind [`super::responses::unpack`], which also words the error.

use crate::domain::{DimensionId, RatingKind};

/// One answer: dimension, kind, value (None: "don't know").
pub type PackedAnswer = (DimensionId, RatingKind, Option<i32>);

/// Reads `text` into `out` (cleared first); None when the text is not in the packed form as
/// [`super::responses::pack`] writes it or PostgreSQL spaces it (then `out` holds a part).
pub fn read(text: &str, out: &mut Vec<PackedAnswer>) -> Option<()> {
    out.clear();
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    r.eat(b'[')?;
    if r.peek() == Some(b']') {
        r.i += 1;
        return r.end();
    }
    loop {
        r.eat(b'[')?;
        let dimension = r.int()?;
        r.eat(b',')?;
        let kind = r.kind()?;
        r.eat(b',')?;
        r.space();
        let value = if r.s[r.i..].starts_with(b"null") {
            r.i += 4;
            None
        } else {
            Some(i32::try_from(r.int()?).ok()?)
        };
        r.eat(b']')?;
        out.push((DimensionId(dimension), kind, value));
        match r.next()? {
            b',' => continue,
            b']' => return r.end(),
            _ => return None,
        }
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    /// JSON's white space (not the form feed Rust's ASCII white space also counts).
    fn space(&mut self) {
        while self
            .s
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    /// The next byte after white space.
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    /// Only white space is left.
    fn end(&mut self) -> Option<()> {
        self.space();
        (self.i == self.s.len()).then_some(())
    }

    /// An integer in decimal, at most as large as an i64 holds.
    fn int(&mut self) -> Option<i64> {
        self.space();
        let negative = self.s.get(self.i) == Some(&b'-');
        if negative {
            self.i += 1;
        }
        let start = self.i;
        let mut n: i64 = 0;
        while let Some(d) = self.s.get(self.i).filter(|c| c.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
            self.i += 1;
        }
        // JSON writes no leading zeros ("07").
        if self.i == start || (self.s[start] == b'0' && self.i - start > 1) {
            return None;
        }
        Some(if negative { -n } else { n })
    }

    /// A kind's name in quotes (no escapes: the kinds are plain lowercase words).
    fn kind(&mut self) -> Option<RatingKind> {
        self.eat(b'"')?;
        let start = self.i;
        while *self.s.get(self.i)? != b'"' {
            if self.s[self.i] == b'\\' {
                return None;
            }
            self.i += 1;
        }
        let name = &self.s[start..self.i];
        self.i += 1;
        RatingKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().as_bytes() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Option<Vec<PackedAnswer>> {
        let mut out = Vec::new();
        read(text, &mut out).map(|()| out)
    }

    #[test]
    fn reads_what_pack_writes_and_postgresql_spacing() {
        assert_eq!(
            read_all(r#"[[12,"perceived",-3],[1000000007,"expected",null],[3,"self",10]]"#),
            Some(vec![
                (DimensionId(12), RatingKind::Perceived, Some(-3)),
                (DimensionId(1_000_000_007), RatingKind::Expected, None),
                (DimensionId(3), RatingKind::SelfRating, Some(10)),
            ])
        );
        assert_eq!(
            read_all(" [ [12, \"predicted\", 4] ,\n[3, \"self\", null] ] "),
            Some(vec![
                (DimensionId(12), RatingKind::Predicted, Some(4)),
                (DimensionId(3), RatingKind::SelfRating, None),
            ])
        );
        assert_eq!(read_all("[]"), Some(vec![]));
        assert_eq!(read_all(" [ ] "), Some(vec![]));
    }

    #[test]
    fn leaves_anything_else_to_the_general_parser() {
        for text in [
            "",
            "[",
            "[[1,2]]",
            r#"[[1,"self",4]"#,
            r#"[[1,"self",4]]x"#,
            r#"[[1,"self",4],]"#,
            r#"[[1,"self",4.0]]"#,
            r#"[[1,"self",1e2]]"#,
            r#"[[1,"se\u006cf",4]]"#,
            r#"[[1,"unknown",4]]"#,
            r#"[[1,"self",2147483648]]"#,
            r#"[[99999999999999999999,"self",4]]"#,
            r#"[[-,"self",4]]"#,
            r#"[[1,"self",nul]]"#,
            r#"[[1,"self",4,5]]"#,
            r#"[[012,"self",4]]"#,
            r#"[[1,"self",07]]"#,
            r#"[[1,"self",-07]]"#,
            "[[1,\"self\",4]\x0c]",
        ] {
            assert_eq!(read_all(text), None, "{text}");
        }
        assert_eq!(
            read_all(r#"[[10,"self",0]]"#),
            Some(vec![(DimensionId(10), RatingKind::SelfRating, Some(0))])
        );
        assert_eq!(
            read_all(r#"[[1,"self",-2147483648]]"#),
            Some(vec![(
                DimensionId(1),
                RatingKind::SelfRating,
                Some(i32::MIN)
            )])
        );
    }
}
