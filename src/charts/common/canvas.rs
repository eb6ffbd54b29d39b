//! The canvas every chart kind draws on: header, legend, markers, text that fits.

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

use super::*;
use crate::charts::ChartError;
use crate::i18n::charts::ChartText;

pub fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// An unfilled line style of `width` pixels (at least 1).
fn stroke(color: RGBColor, width: i32) -> ShapeStyle {
    ShapeStyle {
        color: color.to_rgba(),
        filled: false,
        stroke_width: width.max(1) as u32,
    }
}

/// A label fitted into a width: one or more lines at a font size.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub lines: Vec<String>,
    pub font: Font,
}

/// Drawing helpers over one drawing area, in backend pixels.
pub struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    pub w: i32,
    pub h: i32,
    /// Scale relative to 1280×720.
    pub s: f64,
    /// Text scale: `s`, but full design size up to 800 px wide (an A4 column prints it ≥ 9 pt).
    pub ts: f64,
    /// Pixel backends place text higher than SVG viewers (plotters puts the baseline half the
    /// font size below the top): text moves down by this fraction of its size to match.
    text_drop: f64,
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>) -> Canvas<'a, DB> {
        let (w, h) = area.dim_in_pixel();
        let s = (f64::from(w) / 1280.0).min(f64::from(h) / 720.0);
        let svg = std::any::type_name::<DB>().contains("SVGBackend");
        Canvas {
            area,
            w: i32::try_from(w).unwrap_or(i32::MAX),
            h: i32::try_from(h).unwrap_or(i32::MAX),
            s,
            ts: s.max((f64::from(w) / 800.0).min(1.0)),
            text_drop: if svg { 0.0 } else { 0.12 },
        }
    }

    /// A length in pixels scaled from the 1280×720 design (at least 1).
    pub fn px(&self, base: f64) -> i32 {
        ((base * self.s).round() as i32).max(1)
    }

    pub fn font(&self, base: f64, weight: Weight) -> Font {
        Font {
            size: base * self.ts,
            weight,
        }
    }

    /// The smallest font size used anywhere (20 px at 1280×720).
    pub fn min_size(&self) -> f64 {
        SMALL * self.ts
    }

    /// Line height for a font.
    pub fn line_h(&self, f: Font) -> i32 {
        (f.size * 1.08).ceil() as i32
    }

    fn style(&self, f: Font, color: RGBColor, anchor: Anchor) -> TextStyle<'static> {
        let style = match f.weight {
            Weight::Regular => FontStyle::Normal,
            Weight::Bold => FontStyle::Bold,
            Weight::Italic => FontStyle::Italic,
        };
        FontDesc::new(FontFamily::SansSerif, f.size, style)
            .color(&color)
            .pos(Pos::new(anchor.0, anchor.1))
    }

    pub fn clear(&self) -> Result<(), ChartError> {
        self.area.fill(&WHITE).map_err(draw_err)
    }

    pub fn text_w(&self, text: &str, f: Font) -> Result<i32, ChartError> {
        if text.is_empty() {
            return Ok(0);
        }
        let (w, _) = self
            .area
            .estimate_text_size(text, &self.style(f, INK, LEFT))
            .map_err(draw_err)?;
        Ok(i32::try_from(w).unwrap_or(i32::MAX))
    }

    /// The width of the widest of `texts` (0 for none).
    pub fn widest<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
        f: Font,
    ) -> Result<i32, ChartError> {
        let mut w = 0;
        for text in texts {
            w = w.max(self.text_w(text, f)?);
        }
        Ok(w)
    }

    pub fn text(
        &self,
        text: &str,
        at: (i32, i32),
        f: Font,
        color: RGBColor,
        anchor: Anchor,
    ) -> Result<(), ChartError> {
        if text.is_empty() {
            return Ok(());
        }
        let at = (at.0, at.1 + (f.size * self.text_drop).round() as i32);
        self.area
            .draw(&Text::new(text, at, self.style(f, color, anchor)))
            .map_err(draw_err)
    }

    /// Draws the lines of a fitted label, vertically centred on `at.1`.
    pub fn text_lines(
        &self,
        fitted: &Fitted,
        at: (i32, i32),
        color: RGBColor,
        h: HPos,
    ) -> Result<(), ChartError> {
        let lh = self.line_h(fitted.font);
        let n = fitted.lines.len() as i32;
        for (i, line) in fitted.lines.iter().enumerate() {
            let y = at.1 + (2 * i as i32 - (n - 1)) * lh / 2;
            self.text(line, (at.0, y), fitted.font, color, (h, VPos::Center))?;
        }
        Ok(())
    }

    pub fn rect(&self, a: (i32, i32), b: (i32, i32), color: RGBColor) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new([a, b], color.filled()))
            .map_err(draw_err)
    }

    pub fn line(
        &self,
        pts: Vec<(i32, i32)>,
        color: RGBColor,
        width: i32,
    ) -> Result<(), ChartError> {
        let style = stroke(color, width);
        self.area
            .draw(&PathElement::new(pts, style))
            .map_err(draw_err)
    }

    pub fn dashed(
        &self,
        pts: Vec<(i32, i32)>,
        color: RGBColor,
        width: i32,
        dash: i32,
    ) -> Result<(), ChartError> {
        let style = stroke(color, width);
        self.area
            .draw(&DashedPathElement::new(
                pts,
                dash.max(1),
                dash.max(1),
                style,
            ))
            .map_err(draw_err)
    }

    pub fn dot(&self, at: (i32, i32), r: i32, color: RGBColor) -> Result<(), ChartError> {
        self.area
            .draw(&Circle::new(at, r.max(1), color.filled()))
            .map_err(draw_err)
    }

    pub fn ring(
        &self,
        at: (i32, i32),
        r: i32,
        width: i32,
        color: RGBColor,
    ) -> Result<(), ChartError> {
        let style = stroke(color, width);
        self.area
            .draw(&Circle::new(at, r.max(1), style))
            .map_err(draw_err)
    }

    pub fn polygon(&self, pts: Vec<(i32, i32)>, color: RGBColor) -> Result<(), ChartError> {
        self.area
            .draw(&Polygon::new(pts, color.filled()))
            .map_err(draw_err)
    }

    /// Draws a marker of "radius" `r` centred on `at`, with a white halo so overlapping
    /// markers stay distinguishable.
    pub fn marker(&self, m: Marker, at: (i32, i32), r: i32) -> Result<(), ChartError> {
        let (x, y) = at;
        let halo = self.px(2.0);
        // Yellow needs a dark edge to stand out on white.
        let (edge, halo) = match m {
            Marker::Dot(YELLOW)
            | Marker::Square(YELLOW)
            | Marker::Ring(YELLOW)
            | Marker::Diamond(YELLOW)
            | Marker::TriangleUp(YELLOW)
            | Marker::TriangleDown(YELLOW)
            | Marker::Hexagon(YELLOW)
            | Marker::Cross(YELLOW) => (MUTED, self.px(1.5)),
            _ => (WHITE, halo),
        };
        match m {
            Marker::Dot(c) => {
                self.dot(at, r + halo, edge)?;
                self.dot(at, r, c)
            }
            Marker::Square(c) => {
                let q = r * 9 / 10;
                self.rect(
                    (x - q - halo, y - q - halo),
                    (x + q + halo, y + q + halo),
                    edge,
                )?;
                self.rect((x - q, y - q), (x + q, y + q), c)
            }
            Marker::Ring(c) => {
                // Filled discs rather than a stroked circle: crisp in both backends.
                let wdt = self.px(4.0).min(r / 2).max(1);
                self.dot(at, r + halo, edge)?;
                self.dot(at, r, c)?;
                self.dot(at, r - wdt, WHITE)
            }
            Marker::Diamond(c) => {
                let d = r * 5 / 4;
                let h = d + halo * 3 / 2;
                self.polygon(vec![(x, y - h), (x + h, y), (x, y + h), (x - h, y)], edge)?;
                self.polygon(vec![(x, y - d), (x + d, y), (x, y + d), (x - d, y)], c)
            }
            Marker::TriangleUp(c) | Marker::TriangleDown(c) => {
                let up = matches!(m, Marker::TriangleUp(_));
                let tri = |d: i32| {
                    let sgn = if up { 1 } else { -1 };
                    vec![
                        (x, y - sgn * d * 6 / 5),
                        (x + d * 6 / 5, y + sgn * d * 4 / 5),
                        (x - d * 6 / 5, y + sgn * d * 4 / 5),
                    ]
                };
                self.polygon(tri(r + halo * 2), edge)?;
                self.polygon(tri(r), c)
            }
            Marker::Hexagon(c) => {
                let hex = |d: f64| {
                    (0..6)
                        .map(|k| {
                            let a = std::f64::consts::PI / 3.0 * f64::from(k);
                            (
                                x + (d * a.cos()).round() as i32,
                                y + (d * a.sin()).round() as i32,
                            )
                        })
                        .collect::<Vec<_>>()
                };
                self.polygon(hex(f64::from(r + halo) * 1.1), edge)?;
                self.polygon(hex(f64::from(r) * 1.1), c)
            }
            Marker::Cross(c) => {
                let d = r;
                let w = self.px(5.0);
                self.line(vec![(x - d, y - d), (x + d, y + d)], edge, w + 2 * halo)?;
                self.line(vec![(x - d, y + d), (x + d, y - d)], edge, w + 2 * halo)?;
                self.line(vec![(x - d, y - d), (x + d, y + d)], c, w)?;
                self.line(vec![(x - d, y + d), (x + d, y - d)], c, w)
            }
            Marker::Line(c) => {
                let w = self.px(6.0);
                self.line(vec![(x - 2 * r, y), (x + 2 * r, y)], c, w)
            }
            Marker::Swatch(c) => self.rect((x - r, y - r), (x + r, y + r), c),
            Marker::Whisker(c) => {
                let w = self.px(2.5);
                self.line(vec![(x - 2 * r, y), (x + 2 * r, y)], c, w)?;
                self.line(vec![(x - 2 * r, y - r), (x - 2 * r, y + r)], c, w)?;
                self.line(vec![(x + 2 * r, y - r), (x + 2 * r, y + r)], c, w)
            }
            Marker::None => Ok(()),
        }
    }

    /// Width a legend marker takes (including the space after it).
    fn marker_w(&self, m: Marker, r: i32) -> i32 {
        match m {
            Marker::None => 0,
            Marker::Line(_) | Marker::Whisker(_) => 4 * r + self.px(10.0),
            _ => 2 * r + self.px(10.0),
        }
    }

    /// Fits `text` into `max_w` pixels: one line at `f` if possible, else wrapped at spaces
    /// into up to `max_lines` lines, shrinking the font down to the minimum size, and
    /// finally shortened with an ellipsis. Never returns text wider than `max_w` unless even
    /// one character does not fit.
    pub fn fit(
        &self,
        text: &str,
        max_w: i32,
        max_lines: usize,
        f: Font,
    ) -> Result<Fitted, ChartError> {
        let min = self.min_size().min(f.size);
        let mut size = f.size;
        loop {
            let font = f.with_size(size);
            if self.text_w(text, font)? <= max_w {
                return Ok(Fitted {
                    lines: vec![text.to_string()],
                    font,
                });
            }
            if max_lines >= 2 {
                if let Some(lines) = self.wrap(text, max_w, max_lines, font)? {
                    return Ok(Fitted { lines, font });
                }
            }
            if size <= min + 1e-9 {
                break;
            }
            size = (size - self.s.max(0.25)).max(min);
        }
        // Still too long at the minimum size: wrap greedily and shorten the last line.
        let font = f.with_size(min);
        let mut lines = self.greedy_lines(text, max_w, font)?;
        let max_lines = max_lines.max(1);
        if lines.len() > max_lines {
            let rest = lines[max_lines - 1..].join(" ");
            lines.truncate(max_lines - 1);
            lines.push(rest);
        }
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            out.push(self.ellipsize(&line, max_w, font)?);
        }
        Ok(Fitted { lines: out, font })
    }

    /// Balanced wrap into at most `max_lines` lines that each fit, if possible.
    fn wrap(
        &self,
        text: &str,
        max_w: i32,
        max_lines: usize,
        f: Font,
    ) -> Result<Option<Vec<String>>, ChartError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < 2 {
            return Ok(None);
        }
        // Two lines: the split that minimises the wider line.
        let mut best: Option<(i32, Vec<String>)> = None;
        for k in 1..words.len() {
            let a = words[..k].join(" ");
            let b = words[k..].join(" ");
            let w = self.text_w(&a, f)?.max(self.text_w(&b, f)?);
            if w <= max_w && best.as_ref().is_none_or(|(bw, _)| w < *bw) {
                best = Some((w, vec![a, b]));
            }
        }
        if let Some((_, lines)) = best {
            return Ok(Some(lines));
        }
        if max_lines > 2 {
            let lines = self.greedy_lines(text, max_w, f)?;
            if lines.len() <= max_lines {
                let mut ok = true;
                for l in &lines {
                    ok &= self.text_w(l, f)? <= max_w;
                }
                if ok {
                    return Ok(Some(lines));
                }
            }
        }
        Ok(None)
    }

    fn greedy_lines(&self, text: &str, max_w: i32, f: Font) -> Result<Vec<String>, ChartError> {
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for word in text.split_whitespace() {
            let candidate = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if cur.is_empty() || self.text_w(&candidate, f)? <= max_w {
                cur = candidate;
            } else {
                lines.push(std::mem::take(&mut cur));
                cur = word.to_string();
            }
        }
        if !cur.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        Ok(lines)
    }

    /// Shortens `text` with "…" until it fits.
    pub fn ellipsize(&self, text: &str, max_w: i32, f: Font) -> Result<String, ChartError> {
        if self.text_w(text, f)? <= max_w {
            return Ok(text.to_string());
        }
        let chars: Vec<char> = text.chars().collect();
        let mut n = chars.len();
        while n > 0 {
            n -= 1;
            let candidate = format!("{}…", chars[..n].iter().collect::<String>().trim_end());
            if self.text_w(&candidate, f)? <= max_w {
                return Ok(candidate);
            }
        }
        Ok("…".to_string())
    }

    /// Clears the area and draws title and subtitle. Returns the y where the content starts,
    /// or `None` when there is nothing to draw (`empty`): then the "no data" message is drawn.
    pub fn begin(
        &self,
        t: &ChartText,
        title: &str,
        subtitle: &str,
        empty: bool,
    ) -> Result<Option<i32>, ChartError> {
        self.clear()?;
        let top = self.header(title, subtitle)?;
        if empty {
            self.message(t.no_data, top)?;
            return Ok(None);
        }
        Ok(Some(top))
    }

    /// Title and subtitle; returns the y where the content starts.
    pub fn header(&self, title: &str, subtitle: &str) -> Result<i32, ChartError> {
        let m = self.px(MARGIN);
        let max_w = self.w - 2 * m;
        let tf = self.font(TITLE, Weight::Bold);
        let title = self.fit(title, max_w, 1, tf)?;
        let mut y = self.px(18.0);
        self.text_lines(
            &title,
            (m, y + self.line_h(title.font) / 2),
            INK,
            HPos::Left,
        )?;
        y += self.line_h(title.font) + self.px(6.0);
        if !subtitle.is_empty() {
            let sf = self.font(SMALL, Weight::Regular);
            let sub = self.fit(subtitle, max_w, 2, sf)?;
            let h = self.line_h(sub.font) * sub.lines.len() as i32;
            self.text_lines(&sub, (m, y + h / 2), MUTED, HPos::Left)?;
            y += h;
        }
        Ok(y + self.px(16.0))
    }

    /// A warning in words under the header (up to two lines, dark orange, bold), e.g. the
    /// composition warning; returns the y where the content starts below it.
    pub fn warning(&self, text: &str, top: i32) -> Result<i32, ChartError> {
        let m = self.px(MARGIN);
        let f = self.font(SMALL, Weight::Bold);
        let fitted = self.fit(text, self.w - 2 * m, 2, f)?;
        let h = self.line_h(fitted.font) * fitted.lines.len() as i32;
        let y = top - self.px(8.0);
        self.text_lines(&fitted, (m, y + h / 2), VERMILLION_TEXT, HPos::Left)?;
        Ok(y + h + self.px(12.0))
    }

    /// A centred message in the content area (no data etc.).
    pub fn message(&self, msg: &str, top: i32) -> Result<(), ChartError> {
        let m = self.px(MARGIN);
        let f = self.font(LABEL, Weight::Italic);
        let fitted = self.fit(msg, self.w - 2 * m, 3, f)?;
        let y = top + (self.h - top) / 2;
        self.text_lines(&fitted, (self.w / 2, y), MUTED, HPos::Center)
    }

    /// Lays out (and, when `draw`, draws) legend items centred between x0 and x1, starting
    /// at y; wraps to more lines when needed. Returns the height used.
    pub fn legend(
        &self,
        items: &[LegendItem],
        x0: i32,
        x1: i32,
        y: i32,
        draw: bool,
    ) -> Result<i32, ChartError> {
        if items.is_empty() {
            return Ok(0);
        }
        let f = self.font(SMALL, Weight::Regular);
        let r = ((9.0 * self.ts).round() as i32).max(1); // as large as the text beside it
        let gap = self.px(30.0);
        let max_w = (x1 - x0).max(1);
        let lh = self.line_h(f).max(2 * r) + self.px(10.0);
        // Measure and ellipsize each item.
        let mut measured: Vec<(Marker, String, i32)> = Vec::with_capacity(items.len());
        for it in items {
            let mw = self.marker_w(it.marker, r);
            let label = self.ellipsize(&it.label, (max_w - mw).max(1), f)?;
            let w = mw + self.text_w(&label, f)?;
            measured.push((it.marker, label, w));
        }
        // Break into lines.
        let mut lines: Vec<Vec<usize>> = vec![Vec::new()];
        let mut cur_w = 0;
        for (i, (_, _, w)) in measured.iter().enumerate() {
            let extra = if cur_w == 0 { *w } else { gap + *w };
            if cur_w > 0 && cur_w + extra > max_w {
                lines.push(Vec::new());
                cur_w = *w;
            } else {
                cur_w += extra;
            }
            if let Some(last) = lines.last_mut() {
                last.push(i);
            }
        }
        if draw {
            for (li, line) in lines.iter().enumerate() {
                let total: i32 = line.iter().map(|&i| measured[i].2).sum::<i32>()
                    + gap * (line.len() as i32 - 1);
                let mut x = x0 + (max_w - total) / 2;
                let cy = y + li as i32 * lh + lh / 2;
                for &i in line {
                    let (marker, label, w) = &measured[i];
                    let mw = self.marker_w(*marker, r);
                    if mw > 0 {
                        let mx = x + (mw - self.px(10.0)) / 2;
                        self.marker(*marker, (mx, cy), r)?;
                    }
                    self.text(label, (x + mw, cy), f, INK, LEFT)?;
                    x += w + gap;
                }
            }
        }
        Ok(lh * lines.len() as i32)
    }
}
