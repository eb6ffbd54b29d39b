//! Palette, fonts and layout helpers shared by the chart kinds.
//!
//! All sizes are designed for 1280×720 and scaled with `Canvas::s` for other sizes. At 1280×720
//! no text is smaller than 20 px (plotters size; 16 px CSS font-size in SVG).

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::element::{Circle, DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

use super::ChartError;
use crate::engine::model::{DimensionReport, GroupStats, Respondents, ScaleView, Verdict};
use crate::i18n::charts::ChartText;

// Okabe–Ito palette.
pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

// Neutrals.
pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
pub const INK: RGBColor = RGBColor(0x1F, 0x1F, 0x1F);
pub const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Aligned (equivalence shown): dark neutral, 7.0:1 on white.
pub const ALIGNED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Inconclusive: lighter neutral grey, 3.4:1 on white (graphics need 3:1).
pub const INCONCLUSIVE: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);
pub const FAINT: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);
pub const GRID: RGBColor = RGBColor(0xD4, 0xD4, 0xD4);
pub const BAND: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);
pub const ZONE: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

/// Line colours for many series (trend chart), Okabe–Ito order without the yellow first.
pub const SERIES: [RGBColor; 8] = [
    BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY_BLUE, BLACK, YELLOW,
];

// Base sizes at 1280×720.
pub const MARGIN: f64 = 24.0;
pub const TITLE: f64 = 34.0;
pub const LABEL: f64 = 24.0;
pub const SMALL: f64 = 20.0;

pub fn verdict_color(v: Verdict) -> RGBColor {
    match v {
        Verdict::BlindSpot => VERMILLION,
        Verdict::HiddenStrength => GREEN,
        Verdict::Aligned => ALIGNED,
        Verdict::Inconclusive => INCONCLUSIVE,
        Verdict::InsufficientData => FAINT,
    }
}

/// Colour for text naming a verdict (darker where the line colour is light).
pub fn verdict_text_color(v: Verdict) -> RGBColor {
    match v {
        Verdict::BlindSpot => VERMILLION,
        Verdict::HiddenStrength => RGBColor(0x00, 0x7A, 0x59),
        Verdict::Aligned | Verdict::Inconclusive => MUTED,
        Verdict::InsufficientData => MUTED,
    }
}

pub const VERDICT_ORDER: [Verdict; 5] = [
    Verdict::BlindSpot,
    Verdict::HiddenStrength,
    Verdict::Aligned,
    Verdict::Inconclusive,
    Verdict::InsufficientData,
];

pub fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

static FONTS: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers the bundled DejaVu Sans faces with plotters (once per process).
pub fn ensure_fonts() -> Result<(), ChartError> {
    FONTS
        .get_or_init(|| {
            let faces = [
                (FontStyle::Normal, dejavu::sans::regular()),
                (FontStyle::Bold, dejavu::sans::bold()),
                (FontStyle::Italic, dejavu::sans::oblique()),
            ];
            for (style, bytes) in faces {
                plotters::style::register_font("sans-serif", style, bytes)
                    .map_err(|_| format!("cannot load the {} font", style.as_str()))?;
            }
            Ok(())
        })
        .clone()
        .map_err(ChartError::Draw)
}

/// The mean of a group, or `None` when it must not be shown (suppressed or empty).
pub fn usable(g: &GroupStats) -> Option<f64> {
    if g.suppressed {
        return None;
    }
    g.mean.filter(|m| m.is_finite())
}

/// "Klanten: te weinig antwoorden (n = 3)" for each of employees/customers whose numbers
/// may not be shown in a dimension, or `None` when both can be shown.
pub fn missing_note(t: &ChartText, d: &DimensionReport) -> Option<String> {
    let mut parts = Vec::new();
    if usable(&d.employee).is_none() {
        parts.push(format!(
            "{}: {} (n = {})",
            t.employees, t.too_few, d.employee.n
        ));
    }
    if usable(&d.customer).is_none() {
        parts.push(format!(
            "{}: {} (n = {})",
            t.customers, t.too_few, d.customer.n
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Scale bounds as floats, repaired when the report carries a degenerate scale.
pub fn scale_bounds(scale: ScaleView) -> (f64, f64) {
    let lo = f64::from(scale.min.min(scale.max));
    let hi = f64::from(scale.max.max(scale.min));
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    }
}

/// A number with the language's decimal separator and a real minus sign.
pub fn fmt_num(v: f64, decimals: usize, t: &ChartText) -> String {
    let s = format!("{:.*}", decimals, v.abs()).replace('.', t.decimal);
    let zero = s.chars().all(|c| c == '0' || c == ',' || c == '.');
    if v < 0.0 && !zero {
        format!("−{s}")
    } else {
        s
    }
}

/// Like `fmt_num` with a `+` for positive values.
pub fn fmt_signed(v: f64, decimals: usize, t: &ChartText) -> String {
    let s = fmt_num(v, decimals, t);
    let zero = s.chars().all(|c| c == '0' || c == ',' || c == '.');
    if v > 0.0 && !zero {
        format!("+{s}")
    } else {
        s
    }
}

pub fn respondents_line(t: &ChartText, r: &Respondents) -> String {
    format!(
        "{}: n = {} · {}: n = {}",
        t.employees, r.employee, t.customers, r.customer
    )
}

/// A "nice" tick step for a span and a target number of ticks.
pub fn nice_step(span: f64, target: f64) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    let raw = span / target.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Ticks that are multiples of `step` within [lo, hi].
pub fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if step.is_nan() || step <= 0.0 || !lo.is_finite() || !hi.is_finite() {
        return out;
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    for k in first..=last.min(first + 200) {
        let v = k as f64 * step;
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
    }
    out
}

/// Decimals needed to print ticks at `step`.
pub fn step_decimals(step: f64) -> usize {
    if step >= 1.0 - 1e-9 {
        0
    } else if step >= 0.1 - 1e-9 && ((step * 10.0).round() - step * 10.0).abs() < 1e-6 {
        1
    } else {
        2
    }
}

/// Linear map from data values to pixels.
#[derive(Debug, Clone, Copy)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub p0: i32,
    pub p1: i32,
}

impl Linear {
    pub fn new(d0: f64, d1: f64, p0: i32, p1: i32) -> Linear {
        let d1 = if (d1 - d0).abs() < 1e-12 {
            d0 + 1.0
        } else {
            d1
        };
        Linear { d0, d1, p0, p1 }
    }

    /// Like `map`, with the value clamped to the domain (for values outside the scale).
    pub fn map_clamped(&self, v: f64) -> i32 {
        self.map(v.clamp(self.d0.min(self.d1), self.d0.max(self.d1)))
    }

    pub fn map(&self, v: f64) -> i32 {
        let f = (v - self.d0) / (self.d1 - self.d0);
        let p = f64::from(self.p0) + f * f64::from(self.p1 - self.p0);
        p.round().clamp(-1.0e6, 1.0e6) as i32
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
    Italic,
}

#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub size: f64,
    pub weight: Weight,
}

impl Font {
    pub fn with_size(self, size: f64) -> Font {
        Font { size, ..self }
    }

    pub fn with_weight(self, weight: Weight) -> Font {
        Font { weight, ..self }
    }
}

/// Anchor of a text: horizontal and vertical position of the given point.
pub type Anchor = (HPos, VPos);
pub const LEFT: Anchor = (HPos::Left, VPos::Center);
pub const RIGHT: Anchor = (HPos::Right, VPos::Center);
pub const CENTER: Anchor = (HPos::Center, VPos::Center);
pub const TOP_LEFT: Anchor = (HPos::Left, VPos::Top);
pub const TOP_CENTER: Anchor = (HPos::Center, VPos::Top);

/// Marker shapes for data points and legends.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    Dot(RGBColor),
    Square(RGBColor),
    Ring(RGBColor),
    Diamond(RGBColor),
    TriangleUp(RGBColor),
    TriangleDown(RGBColor),
    Hexagon(RGBColor),
    Cross(RGBColor),
    /// A short thick line (legend only).
    Line(RGBColor),
    /// A filled rectangle (legend only).
    Swatch(RGBColor),
    /// A whisker with end caps (legend only).
    Whisker(RGBColor),
    /// No marker: the legend item is plain text.
    None,
}

/// Marker shape `i` of the series in a multi-line chart.
pub fn series_marker(i: usize) -> Marker {
    let c = SERIES[i % SERIES.len()];
    match (i / SERIES.len() + i) % 8 {
        0 => Marker::Dot(c),
        1 => Marker::Square(c),
        2 => Marker::Diamond(c),
        3 => Marker::TriangleUp(c),
        4 => Marker::TriangleDown(c),
        5 => Marker::Ring(c),
        6 => Marker::Cross(c),
        _ => Marker::Hexagon(c),
    }
}

pub struct LegendItem {
    pub marker: Marker,
    pub label: String,
}

impl LegendItem {
    pub fn new(marker: Marker, label: impl Into<String>) -> LegendItem {
        LegendItem {
            marker,
            label: label.into(),
        }
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
    /// Pixel backends place text higher than SVG viewers do (plotters puts the baseline at
    /// half the font size below the top); text is moved down by this fraction of its size
    /// so both outputs look alike.
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
            text_drop: if svg { 0.0 } else { 0.12 },
        }
    }

    /// A length in pixels scaled from the 1280×720 design (at least 1).
    pub fn px(&self, base: f64) -> i32 {
        ((base * self.s).round() as i32).max(1)
    }

    pub fn font(&self, base: f64, weight: Weight) -> Font {
        Font {
            size: base * self.s,
            weight,
        }
    }

    /// The smallest font size used anywhere (20 px at 1280×720).
    pub fn min_size(&self) -> f64 {
        SMALL * self.s
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
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: width.max(1) as u32,
        };
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
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: width.max(1) as u32,
        };
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
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: width.max(1) as u32,
        };
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
        let r = self.px(9.0);
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

/// Geometry of a chart with one row per dimension: rank, label, plot panel, tag column.
pub struct RowFrame {
    pub left: i32,
    pub right: i32,
    pub rank_x: i32,
    pub label_x: i32,
    pub label_w: i32,
    /// Start of an optional extra column between labels and panel.
    pub extra_x: i32,
    pub panel_x0: i32,
    pub panel_x1: i32,
    pub tag_x: i32,
    pub top: i32,
    pub row_h: i32,
    pub n: usize,
    labels: Vec<Fitted>,
    ranks: Vec<String>,
    rank_font: Font,
}

impl RowFrame {
    /// `extra_w`: width of an extra column between labels and panel; `tag_w`: width of the
    /// tag column at the right (0 for none).
    #[allow(clippy::too_many_arguments)]
    pub fn layout<DB: DrawingBackend>(
        c: &Canvas<'_, DB>,
        labels: &[&str],
        ranks: &[u32],
        top: i32,
        bottom: i32,
        extra_w: i32,
        tag_w: i32,
    ) -> Result<RowFrame, ChartError> {
        let n = labels.len().max(1);
        let m = c.px(MARGIN);
        let left = m;
        let right = c.w - m;
        let row_h = ((bottom - top) / n as i32).max(1);
        let gap = c.px(18.0);
        let rank_font = c.font(SMALL, Weight::Bold);
        let ranks: Vec<String> = ranks.iter().map(|r| r.to_string()).collect();
        let mut rank_w = 0;
        for r in &ranks {
            rank_w = rank_w.max(c.text_w(r, rank_font)?);
        }
        let rank_x = left + c.px(10.0);
        let label_x = if rank_w > 0 {
            rank_x + rank_w + c.px(14.0)
        } else {
            left + c.px(10.0)
        };
        let lf = c.font(LABEL, Weight::Regular);
        let mut natural = 0;
        for l in labels {
            natural = natural.max(c.text_w(l, lf)?);
        }
        let cap = (f64::from(c.w) * 0.27) as i32;
        let label_w = natural.min(cap).max(c.px(60.0));
        let max_lines = if row_h >= 2 * c.line_h(c.font(SMALL, Weight::Regular)) + c.px(4.0) {
            2
        } else {
            1
        };
        let mut fitted = Vec::with_capacity(labels.len());
        for l in labels {
            fitted.push(c.fit(l, label_w, max_lines, lf)?);
        }
        let extra_x = label_x + label_w + gap;
        let panel_x0 = extra_x + if extra_w > 0 { extra_w + gap } else { 0 };
        let tag_x = if tag_w > 0 {
            right - c.px(8.0) - tag_w
        } else {
            right
        };
        let panel_x1 = if tag_w > 0 {
            tag_x - gap
        } else {
            right - c.px(8.0)
        };
        Ok(RowFrame {
            left,
            right,
            rank_x,
            label_x,
            label_w,
            extra_x,
            panel_x0,
            panel_x1: panel_x1.max(panel_x0 + 10),
            tag_x,
            top,
            row_h,
            n: labels.len(),
            labels: fitted,
            ranks,
            rank_font,
        })
    }

    pub fn row_top(&self, i: usize) -> i32 {
        self.top + i as i32 * self.row_h
    }

    pub fn center(&self, i: usize) -> i32 {
        self.row_top(i) + self.row_h / 2
    }

    pub fn bottom(&self) -> i32 {
        self.row_top(self.n)
    }

    /// Alternating light bands behind the rows.
    pub fn draw_bands<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        for i in (0..self.n).step_by(2) {
            c.rect(
                (self.left, self.row_top(i)),
                (self.right, self.row_top(i + 1)),
                BAND,
            )?;
        }
        Ok(())
    }

    pub fn draw_labels<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        for (i, fitted) in self.labels.iter().enumerate() {
            let y = self.center(i);
            if let Some(rank) = self.ranks.get(i) {
                c.text(rank, (self.rank_x, y), self.rank_font, MUTED, LEFT)?;
            }
            c.text_lines(fitted, (self.label_x, y), INK, HPos::Left)?;
        }
        Ok(())
    }

    /// Vertical grid lines at the ticks, tick labels under the rows and an axis title.
    /// Returns the y below the axis.
    pub fn draw_x_axis<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        axis: &Linear,
        ticks: &[(f64, String)],
        title: &str,
    ) -> Result<i32, ChartError> {
        let f = c.font(SMALL, Weight::Regular);
        let bottom = self.bottom();
        for (v, _) in ticks {
            let x = axis.map(*v);
            c.line(vec![(x, self.top), (x, bottom)], GRID, c.px(1.5))?;
        }
        c.line(
            vec![(self.panel_x0, bottom), (self.panel_x1, bottom)],
            MUTED,
            c.px(1.5),
        )?;
        let ty = bottom + c.px(6.0);
        for (v, label) in ticks {
            let x = axis.map(*v);
            c.line(vec![(x, bottom), (x, ty)], MUTED, c.px(1.5))?;
            c.text(label, (x, ty + c.px(2.0)), f, MUTED, TOP_CENTER)?;
        }
        let mut y = ty + c.line_h(f) + c.px(6.0);
        if !title.is_empty() {
            let width = self.panel_x1 - self.panel_x0;
            let title = c.ellipsize(title, width, f)?;
            c.text(
                &title,
                ((self.panel_x0 + self.panel_x1) / 2, y),
                f,
                INK,
                TOP_CENTER,
            )?;
            y += c.line_h(f);
        }
        Ok(y)
    }

    /// Height `draw_x_axis` needs (with a title line).
    pub fn x_axis_height<DB: DrawingBackend>(c: &Canvas<'_, DB>) -> i32 {
        let f = c.font(SMALL, Weight::Regular);
        c.px(8.0) + 2 * c.line_h(f) + c.px(8.0)
    }
}

/// Writes a "too few responses"-style note in a row of a scale panel, on the side away
/// from the markers already drawn (`taken` = their x pixels).
pub fn row_note<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    frame: &RowFrame,
    row: usize,
    taken: &[i32],
    note: &str,
) -> Result<(), ChartError> {
    let f = c.font(SMALL, Weight::Italic);
    let pad = c.px(14.0);
    let y = frame.center(row);
    let (x0, x1) = (frame.panel_x0 + pad, frame.panel_x1 - pad);
    let clear = c.px(34.0);
    let lines = if frame.row_h >= 2 * c.line_h(f) + c.px(4.0) {
        2
    } else {
        1
    };
    if taken.is_empty() {
        let fitted = c.fit(note, x1 - x0, lines, f)?;
        return c.text_lines(&fitted, ((x0 + x1) / 2, y), MUTED, HPos::Center);
    }
    let lo = taken.iter().copied().min().unwrap_or(x0);
    let hi = taken.iter().copied().max().unwrap_or(x1);
    // Room left of the markers vs right of them.
    let left_room = lo - clear - x0;
    let right_room = x1 - (hi + clear);
    if right_room >= left_room {
        let fitted = c.fit(note, right_room.max(1), lines, f)?;
        c.text_lines(&fitted, (hi + clear, y), MUTED, HPos::Left)
    } else {
        let fitted = c.fit(note, left_room.max(1), lines, f)?;
        c.text_lines(&fitted, (lo - clear, y), MUTED, HPos::Right)
    }
}

/// Ticks of a rating scale: every value when there are few, else a nice step.
pub fn scale_ticks(lo: f64, hi: f64, t: &ChartText) -> Vec<(f64, String)> {
    let step = if hi - lo <= 12.0 {
        1.0
    } else {
        nice_step(hi - lo, 10.0)
    };
    ticks(lo, hi, step)
        .into_iter()
        .map(|v| (v, fmt_num(v, step_decimals(step), t)))
        .collect()
}

/// Axis title for a rating scale, e.g. "Gemiddelde score (1 = laag, 10 = hoog)".
pub fn scale_title(t: &ChartText, scale: ScaleView) -> String {
    format!(
        "{} ({} = {}, {} = {})",
        t.axis_mean,
        scale.min.min(scale.max),
        t.low,
        scale.max.max(scale.min),
        t.high
    )
}
