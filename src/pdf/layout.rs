//! Page layout without a PDF in sight: text measured with the bundled DejaVu metrics, wrapped
//! into lines, and placed as drawing operations on A4 pages. `draw` turns the operations into
//! PDF; keeping the two apart lets the layout know every page before the first is drawn
//! (for "page 3 / 11").

use std::cell::RefCell;
use std::collections::HashMap;

use ab_glyph::{Font as _, FontRef};

use super::PdfError;

/// A4 portrait, in PDF points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
/// Where a page's content starts below its running header.
pub const CONTENT_TOP: f32 = 74.0;
/// Where a page's content ends above its footer.
pub const CONTENT_BOTTOM: f32 = PAGE_H - 46.0;

/// What stands for a character the bundled faces cannot draw.
pub const REPLACEMENT: char = '\u{FFFD}';

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const INK: Rgb = Rgb(0x1F, 0x1F, 0x1F);
/// 7.0:1 on white.
pub const MUTED: Rgb = Rgb(0x59, 0x59, 0x59);
pub const RULE: Rgb = Rgb(0xB8, 0xB8, 0xB8);
pub const BAND: Rgb = Rgb(0xF3, 0xF3, 0xF3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

/// A text style: face, size in points, colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
}

impl Style {
    pub const fn new(face: Face, size: f32, color: Rgb) -> Style {
        Style { face, size, color }
    }
    pub fn line_height(&self) -> f32 {
        self.size * 1.32
    }
}

/// One drawing operation on a page (y grows downwards, as in SVG).
#[derive(Debug, Clone)]
pub enum Op {
    /// Text with its baseline at (x, y).
    Text {
        x: f32,
        y: f32,
        text: String,
        style: Style,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Rgb,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// An SVG document drawn into the box as vectors.
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        svg: String,
    },
}

/// One laid-out page: its operations and its bookmark title.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub ops: Vec<Op>,
    pub bookmark: String,
    /// Whether the running header and footer are drawn (not on the cover).
    pub running: bool,
}

/// Glyph metrics of the three bundled faces, with the advances looked up so far.
pub struct Metrics {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
    italic: FontRef<'static>,
    advances: RefCell<HashMap<(u8, char), f32>>,
}

impl Metrics {
    pub fn load() -> Result<Metrics, PdfError> {
        let load = |bytes: &'static [u8]| {
            FontRef::try_from_slice(bytes).map_err(|e| PdfError::Font(e.to_string()))
        };
        Ok(Metrics {
            regular: load(dejavu::sans::regular())?,
            bold: load(dejavu::sans::bold())?,
            italic: load(dejavu::sans::oblique())?,
            advances: RefCell::new(HashMap::new()),
        })
    }

    /// The text as the face can draw it: a character it lacks (most emoji — DejaVu has the
    /// emoticons such as 😀 — and symbols outside its range) becomes U+FFFD, drawn as the
    /// replacement mark, so it shows as missing instead of vanishing or printing an empty box;
    /// joiners, variation selectors and skin-tone modifiers it lacks are left out.
    pub fn printable(&self, text: &str, face: Face) -> String {
        let font = self.face(face);
        let has = |c: char| font.glyph_id(c).0 != 0 || c == ' ';
        text.chars()
            .filter_map(|c| {
                if has(c) {
                    Some(c)
                } else if matches!(u32::from(c), 0x200C | 0x200D | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F)
                {
                    None
                } else if c.is_control() {
                    Some(' ')
                } else {
                    Some(REPLACEMENT)
                }
            })
            .collect()
    }

    /// At most `max_lines` lines of `text` wrapped into `max_w`; when it needs more, the last
    /// one shown ends in "…".
    pub fn wrap_at_most(
        &self,
        text: &str,
        style: Style,
        max_w: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines = self.wrap(text, style, max_w);
        if lines.len() <= max_lines.max(1) {
            return lines;
        }
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = self.ellipsis(last, style, max_w);
        }
        lines
    }

    /// One line within `max_w`, ending in "…" when it had to be cut.
    pub fn one_line(&self, text: &str, style: Style, max_w: f32) -> String {
        let text = self.printable(text, style.face);
        if self.width(&text, style) <= max_w {
            return text;
        }
        self.ellipsis(&text, style, max_w)
    }

    /// `line` shortened from its end until it fits `max_w` with "…" after it.
    fn ellipsis(&self, line: &str, style: Style, max_w: f32) -> String {
        let mut kept: Vec<char> = line.trim_end().chars().collect();
        loop {
            let candidate: String = kept.iter().collect::<String>().trim_end().to_string() + "…";
            if kept.is_empty() || self.width(&candidate, style) <= max_w {
                return candidate;
            }
            kept.pop();
        }
    }

    fn face(&self, face: Face) -> &FontRef<'static> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Italic => &self.italic,
        }
    }

    /// The advance width of a text in points. Kerning is left out: it moves a line of DejaVu
    /// text by a fraction of a point, which the page margins absorb.
    pub fn width(&self, text: &str, style: Style) -> f32 {
        let font = self.face(style.face);
        let mut cache = self.advances.borrow_mut();
        let em: f32 = text
            .chars()
            .map(|c| {
                *cache.entry((style.face as u8, c)).or_insert_with(|| {
                    let upem = font.units_per_em().unwrap_or(2048.0);
                    font.h_advance_unscaled(font.glyph_id(c)) / upem
                })
            })
            .sum();
        em * style.size
    }

    /// Greedy word wrap into lines no wider than `max_w`; a word longer than a line is cut.
    /// The lines are [`Metrics::printable`].
    pub fn wrap(&self, text: &str, style: Style, max_w: f32) -> Vec<String> {
        let text = self.printable(text, style.face);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, style) <= max_w {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone: cut it where it is wider than a line.
                let mut rest = word.to_string();
                while self.width(&rest, style) > max_w && rest.chars().count() > 1 {
                    let mut cut = String::new();
                    for c in rest.chars() {
                        cut.push(c);
                        if self.width(&cut, style) > max_w {
                            cut.pop();
                            break;
                        }
                    }
                    if cut.is_empty() {
                        break;
                    }
                    rest = rest[cut.len()..].to_string();
                    lines.push(cut);
                }
                line = rest;
            }
            lines.push(line);
        }
        lines
    }
}

/// Lays content out top to bottom on pages; each page starts below the running header.
pub struct Flow<'m> {
    pub metrics: &'m Metrics,
    pub pages: Vec<Page>,
    pub y: f32,
    /// Left and right edges of the text column.
    pub left: f32,
    pub right: f32,
}

impl<'m> Flow<'m> {
    pub fn new(metrics: &'m Metrics) -> Flow<'m> {
        Flow {
            metrics,
            pages: Vec::new(),
            y: CONTENT_TOP,
            left: MARGIN,
            right: PAGE_W - MARGIN,
        }
    }

    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    /// Starts a page with a bookmark title.
    pub fn page(&mut self, bookmark: impl Into<String>, running: bool) {
        self.pages.push(Page {
            ops: Vec::new(),
            bookmark: bookmark.into(),
            running,
        });
        self.y = CONTENT_TOP;
    }

    /// Room left on the current page.
    pub fn room(&self) -> f32 {
        CONTENT_BOTTOM - self.y
    }

    pub fn push(&mut self, op: Op) {
        if self.pages.is_empty() {
            self.page("", true);
        }
        let op = match op {
            Op::Text { x, y, text, style } => Op::Text {
                x,
                y,
                text: self.metrics.printable(&text, style.face),
                style,
            },
            other => other,
        };
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
        }
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// One line of text at x (no wrapping), advancing the cursor.
    pub fn line_at(&mut self, x: f32, text: &str, style: Style) {
        let baseline = self.y + style.size;
        self.push(Op::Text {
            x,
            y: baseline,
            text: text.to_string(),
            style,
        });
        self.y += style.line_height();
    }

    /// A wrapped paragraph from `x` to the right edge; returns the lines drawn.
    pub fn paragraph_at(&mut self, x: f32, text: &str, style: Style) -> usize {
        let lines = self.metrics.wrap(text, style, self.right - x);
        let n = lines.len();
        for l in lines {
            self.line_at(x, &l, style);
        }
        n
    }

    pub fn paragraph(&mut self, text: &str, style: Style) -> usize {
        self.paragraph_at(self.left, text, style)
    }

    /// A paragraph from `x` of at most `max_lines` lines ([`Metrics::wrap_at_most`]).
    pub fn paragraph_clamped(&mut self, x: f32, text: &str, style: Style, max_lines: usize) {
        for l in self
            .metrics
            .wrap_at_most(text, style, self.right - x, max_lines)
        {
            self.line_at(x, &l, style);
        }
    }

    /// The height a paragraph would take from `x` to the right edge.
    pub fn paragraph_height(&self, x: f32, text: &str, style: Style) -> f32 {
        self.metrics.wrap(text, style, self.right - x).len() as f32 * style.line_height()
    }

    /// A bullet item: a marker, then the text wrapped beside it.
    pub fn bullet(&mut self, text: &str, style: Style) {
        let y = self.y;
        self.push(Op::Text {
            x: self.left + 2.0,
            y: y + style.size,
            text: "•".into(),
            style,
        });
        self.paragraph_at(self.left + 14.0, text, style);
    }

    pub fn bullet_height(&self, text: &str, style: Style) -> f32 {
        self.paragraph_height(self.left + 14.0, text, style)
    }

    /// A horizontal rule across the column.
    pub fn rule(&mut self) {
        let y = self.y;
        self.push(Op::Line {
            from: (self.left, y),
            to: (self.right, y),
            width: 0.6,
            color: RULE,
        });
    }

    /// A row of cells: each (x offset from the left edge, text, style, right-aligned width).
    pub fn row(&mut self, cells: &[Cell], style_h: f32) {
        for c in cells {
            let x = match c.align_right {
                Some(w) => self.left + c.x + w - self.metrics.width(&c.text, c.style),
                None => self.left + c.x,
            };
            self.push(Op::Text {
                x,
                y: self.y + c.style.size,
                text: c.text.clone(),
                style: c.style,
            });
        }
        self.y += style_h;
    }

    /// An SVG drawn at full column width with the given aspect (height / width).
    pub fn svg(&mut self, svg: String, aspect: f32) {
        let w = self.width();
        let h = w * aspect;
        self.push(Op::Svg {
            x: self.left,
            y: self.y,
            w,
            h,
            svg,
        });
        self.y += h;
    }
}

/// One cell of a table row.
#[derive(Debug, Clone)]
pub struct Cell {
    pub x: f32,
    pub text: String,
    pub style: Style,
    /// Right-align the text within this width.
    pub align_right: Option<f32>,
}

impl Cell {
    pub fn left(x: f32, text: impl Into<String>, style: Style) -> Cell {
        Cell {
            x,
            text: text.into(),
            style,
            align_right: None,
        }
    }
    pub fn right(x: f32, w: f32, text: impl Into<String>, style: Style) -> Cell {
        Cell {
            x,
            text: text.into(),
            style,
            align_right: Some(w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_and_wrapped_within_the_width() {
        let m = Metrics::load().unwrap();
        let s = Style::new(Face::Regular, 10.0, INK);
        let one = m.width("Klantspiegel", s);
        assert!(one > 40.0 && one < 80.0, "{one}");
        assert!((m.width("Klantspiegel", Style { size: 20.0, ..s }) - 2.0 * one).abs() < 0.01);
        let text = "Wij komen onze afspraken met klanten na, ook als het druk is op de afdeling.";
        let lines = m.wrap(text, s, 120.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| m.width(l, s) <= 120.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let long = m.wrap(&"x".repeat(200), s, 100.0);
        assert!(long.len() > 1 && long.iter().all(|l| m.width(l, s) <= 100.0));
        assert_eq!(m.wrap("", s, 100.0), vec![String::new()]);
    }

    #[test]
    fn characters_the_font_lacks_are_replaced_visibly_and_long_text_is_clamped() {
        let m = Metrics::load().unwrap();
        let s = Style::new(Face::Regular, 10.0, INK);
        // DejaVu has Hebrew, ☺, the emoticons (😀) and the zero-width joiner, not most other
        // emoji: each of those becomes U+FFFD, a skin tone it lacks is left out.
        assert_eq!(
            m.printable("Team 😀 ☺ שלום 🎉 👩\u{200D}💻 👍🏽", Face::Regular),
            "Team 😀 ☺ שלום \u{FFFD} \u{FFFD}\u{200D}\u{FFFD} \u{FFFD}"
        );
        assert_eq!(m.printable("a\tb", Face::Bold), "a b");
        let long = "Wij komen onze afspraken met klanten na, ook als het druk is. ".repeat(5);
        let lines = m.wrap_at_most(&long, s, 150.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| m.width(l, s) <= 150.0), "{lines:?}");
        assert_eq!(
            m.wrap_at_most("Kort", s, 150.0, 3),
            vec!["Kort".to_string()]
        );
        let one = m.one_line(&long, s, 100.0);
        assert!(one.ends_with('…') && m.width(&one, s) <= 100.0, "{one}");
    }
}
