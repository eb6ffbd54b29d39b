//! Charts of the comparison report (SPEC "Charts", and revision 3's `quadrant`): the same
//! drawing code renders SVG and PNG.
//!
//! Each kind lives in its own module with a `draw` function that is generic over the plotters
//! backend; only `render_svg` / `render_png` create backends. Text comes from
//! `crate::i18n::charts`, the font (DejaVu Sans) ships inside the binary, and the output is a
//! pure function of the input (no randomness, clocks or hash-map order).

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use serde::{Deserialize, Serialize};

use crate::engine::model::{Comparison, Trend};
use crate::i18n::charts::ChartText;
use crate::i18n::Lang;

pub mod common;
pub mod describe;
pub mod distribution;
pub mod expectations;
pub mod gaps;
pub mod mirror;
pub mod quadrant;
pub mod trend;

/// The chart kinds of SPEC "Charts".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    Mirror,
    Gaps,
    Distribution,
    Trend,
    Expectations,
    /// Importance against the customers' score (SPEC revision 3, the mirror quadrant).
    Quadrant,
}

impl ChartKind {
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Mirror,
        ChartKind::Gaps,
        ChartKind::Distribution,
        ChartKind::Trend,
        ChartKind::Expectations,
        ChartKind::Quadrant,
    ];

    /// Parses a kind name (`mirror`, `gaps`, …), case-insensitive.
    pub fn parse(s: &str) -> Option<ChartKind> {
        let s = s.trim();
        ChartKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Mirror => "mirror",
            ChartKind::Gaps => "gaps",
            ChartKind::Distribution => "distribution",
            ChartKind::Trend => "trend",
            ChartKind::Expectations => "expectations",
            ChartKind::Quadrant => "quadrant",
        }
    }

    /// True for the kind drawn from a `Trend`; the others take a `Comparison`.
    pub fn needs_trend(self) -> bool {
        matches!(self, ChartKind::Trend)
    }
}

impl std::fmt::Display for ChartKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The report a chart is drawn from: `Trend` for `ChartKind::Trend`, `Comparison` otherwise.
#[derive(Debug, Clone, Copy)]
pub enum ChartData<'a> {
    Comparison(&'a Comparison),
    Trend(&'a Trend),
}

#[derive(thiserror::Error, Debug)]
pub enum ChartError {
    /// The kind needs the other report type (see `ChartKind::needs_trend`).
    #[error("this chart kind needs the other report type (trend vs comparison)")]
    WrongData,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("chart size {0}×{1} is outside {MIN_SIZE:?}..={MAX_SIZE:?}")]
    Size(u32, u32),
}

/// The projector size charts are designed for.
pub const DEFAULT_SIZE: (u32, u32) = (1280, 720);
/// Smallest accepted size (width, height).
pub const MIN_SIZE: (u32, u32) = (480, 270);
/// Largest accepted size (width, height).
pub const MAX_SIZE: (u32, u32) = (4096, 4096);

fn check_size(size: (u32, u32)) -> Result<(), ChartError> {
    let (w, h) = size;
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 || w > MAX_SIZE.0 || h > MAX_SIZE.1 {
        return Err(ChartError::Size(w, h));
    }
    Ok(())
}

fn check_data(kind: ChartKind, data: &ChartData<'_>) -> Result<(), ChartError> {
    match (kind.needs_trend(), data) {
        (true, ChartData::Trend(_)) | (false, ChartData::Comparison(_)) => Ok(()),
        _ => Err(ChartError::WrongData),
    }
}

/// A chart being drawn: its canvas, the texts of its language and the y where the content
/// starts, below the heading.
pub struct Drawing<'c, 'a, DB: DrawingBackend> {
    pub c: &'c common::Canvas<'a, DB>,
    pub t: &'static ChartText,
    pub top: i32,
}

/// Draws `kind` onto any plotters drawing area (does not call `present`): the heading every
/// kind has, then the kind's own drawing below it (unless there is no data, which the chart
/// then says).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    data: ChartData<'_>,
    lang: Lang,
) -> Result<(), ChartError> {
    common::ensure_fonts()?;
    check_data(kind, &data)?;
    let c = common::Canvas::new(area);
    let t = crate::i18n::charts::text(lang);
    let (title, subtitle, empty) = heading(kind, data, t);
    let Some(top) = c.begin(t, title, &subtitle, empty)? else {
        return Ok(());
    };
    let d = Drawing { c: &c, t, top };
    match (kind, data) {
        (ChartKind::Mirror, ChartData::Comparison(r)) => mirror::draw(warned(d, r)?, r),
        (ChartKind::Gaps, ChartData::Comparison(r)) => gaps::draw(warned(d, r)?, r),
        (ChartKind::Distribution, ChartData::Comparison(r)) => distribution::draw(d, r),
        (ChartKind::Expectations, ChartData::Comparison(r)) => expectations::draw(d, r),
        (ChartKind::Quadrant, ChartData::Comparison(r)) => quadrant::draw(d, r),
        (ChartKind::Trend, ChartData::Trend(r)) => trend::draw(d, r),
        _ => Err(ChartError::WrongData),
    }
}

/// Title, subtitle and whether there is nothing to draw, per kind.
fn heading(
    kind: ChartKind,
    data: ChartData<'_>,
    t: &'static ChartText,
) -> (&'static str, String, bool) {
    let r = match data {
        ChartData::Trend(r) => {
            let empty = r.waves.iter().all(|w| w.dimensions.is_empty());
            return (t.title_trend, t.sub_trend.to_string(), empty);
        }
        ChartData::Comparison(r) => r,
    };
    let respondents =
        |sub: &str| format!("{sub} · {}", common::respondents_line(t, &r.respondents));
    let (title, subtitle) = match kind {
        ChartKind::Mirror => (t.title_mirror, respondents(t.sub_mirror)),
        ChartKind::Gaps => (t.title_gaps, respondents(t.sub_gaps)),
        ChartKind::Distribution => (t.title_distribution, respondents(t.sub_distribution)),
        ChartKind::Expectations => (
            t.title_expectations,
            format!(
                "{} · {}: n = {}",
                t.sub_expectations, t.customers, r.respondents.customer
            ),
        ),
        // A trend is never drawn from a comparison (`check_data`).
        ChartKind::Quadrant | ChartKind::Trend => (t.title_quadrant, t.sub_quadrant.to_string()),
    };
    (title, subtitle, r.dimensions.is_empty())
}

/// SPEC `composition_warning`: the mirror and gaps charts say so in words (under the heading),
/// not only the page.
fn warned<'c, 'a, DB: DrawingBackend>(
    d: Drawing<'c, 'a, DB>,
    report: &Comparison,
) -> Result<Drawing<'c, 'a, DB>, ChartError> {
    match common::composition_warning(d.t, report) {
        Some(w) => Ok(Drawing {
            top: d.c.warning(&w, d.top)?,
            ..d
        }),
        None => Ok(d),
    }
}

/// Renders a chart as an SVG document.
pub fn render_svg(
    kind: ChartKind,
    data: ChartData<'_>,
    lang: Lang,
    size: (u32, u32),
) -> Result<String, ChartError> {
    check_size(size)?;
    check_data(kind, &data)?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root, kind, data, lang)?;
        root.present().map_err(common::draw_err)?;
    }
    Ok(describe::annotate_svg(
        &out,
        &describe::describe(kind, data, lang),
    ))
}

/// Renders a chart as a PNG image (RGB, 8 bit).
pub fn render_png(
    kind: ChartKind,
    data: ChartData<'_>,
    lang: Lang,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;

    check_size(size)?;
    check_data(kind, &data)?;
    let (w, h) = size;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        draw(&root, kind, data, lang)?;
        root.present().map_err(common::draw_err)?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, w, h, image::ColorType::Rgb8)
        .map_err(common::draw_err)?;
    Ok(png)
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Hand-made reports and output checks shared by the chart tests.

    use crate::domain::{SurveyId, TeamId, WaveId};
    use chrono::{TimeZone, Utc};

    use crate::engine::model::{
        Category, Comparison, DimensionReport, ExpectationGap, Gap, GapChange, GroupStats, Nps,
        Respondents, ScaleView, Trend, TrendChange, TrendPoint, TrendWave, Verdict, WithheldReason,
    };
    use crate::i18n::Lang;

    /// (key, NL label, EN label).
    pub const DIMS: [(&str, &str, &str); 8] = [
        (
            "keeping_agreements",
            "Nakomen van afspraken",
            "Keeping agreements",
        ),
        (
            "problem_resolution",
            "Oplossen van het probleem",
            "Problem resolution",
        ),
        (
            "complaint_handling",
            "Afhandeling van klachten",
            "Complaint handling",
        ),
        ("expertise", "Deskundigheid", "Expertise"),
        ("flexibility", "Flexibiliteit", "Flexibility"),
        ("customer_focus", "Klantgerichtheid", "Customer focus"),
        ("friendliness", "Vriendelijkheid", "Friendliness"),
        ("speed", "Snelheid", "Speed"),
    ];

    /// (employee self, predicted, customer perceived, customer expected) per dimension.
    const MEANS: [(f64, f64, f64, f64); 8] = [
        (8.4, 7.9, 6.1, 8.2),
        (7.9, 7.4, 6.4, 8.0),
        (7.2, 6.8, 6.2, 7.4),
        (7.0, 7.3, 7.9, 7.6),
        (7.3, 7.0, 7.0, 7.2),
        (7.8, 7.5, 7.6, 7.9),
        (8.6, 8.3, 8.5, 8.0),
        (7.1, 6.9, 6.5, 7.5),
    ];

    pub fn label(i: usize, lang: Lang) -> &'static str {
        let (_, nl, en) = DIMS[i % DIMS.len()];
        match lang {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// A deterministic bell-shaped histogram on 1..=10 around `mean`.
    fn histogram(n: u64, mean: f64) -> Vec<u64> {
        let w: Vec<f64> = (1..=10)
            .map(|v| (-(f64::from(v) - mean).powi(2) / 2.4).exp())
            .collect();
        let sum: f64 = w.iter().sum();
        let mut h: Vec<u64> = w
            .iter()
            .map(|x| (x / sum * n as f64).floor() as u64)
            .collect();
        let rest = n - h.iter().sum::<u64>();
        let top = mean.round().clamp(1.0, 10.0) as usize - 1;
        h[top] += rest;
        h
    }

    pub fn group(n: u64, mean: f64) -> GroupStats {
        GroupStats {
            n,
            dont_know: 1,
            mean: Some(mean),
            sd: Some(1.2),
            histogram: Some(histogram(n - 1, mean)),
            suppressed: false,
            withheld_reason: None,
        }
    }

    pub fn suppressed(n: u64) -> GroupStats {
        GroupStats {
            n,
            dont_know: 0,
            mean: None,
            sd: None,
            histogram: None,
            suppressed: true,
            withheld_reason: Some(WithheldReason::BelowThreshold),
        }
    }

    fn gap(value: f64) -> Gap {
        Gap {
            value,
            ci95: [value - 0.6, value + 0.6],
            p_value: if value.abs() > 0.6 { 0.004 } else { 0.4 },
            hedges_g: Some(value / 1.2),
            se: 0.3,
            df: Some(40.0),
            p_adjusted: if value.abs() > 0.6 { 0.004 } else { 0.4 },
            mdd: Some(0.85),
        }
    }

    fn verdict(g: f64) -> Verdict {
        if g.abs() <= 0.6 {
            Verdict::Aligned
        } else if g > 0.0 {
            Verdict::BlindSpot
        } else {
            Verdict::HiddenStrength
        }
    }

    /// A 1–10 report with `n` dimensions (labels repeat after 8); with `suppress`, the
    /// customers of the last dimension are below the threshold.
    pub fn comparison_in(n: usize, suppress: bool, lang: Lang) -> Comparison {
        let dimensions = (0..n)
            .map(|i| {
                let (e, p, c, x) = MEANS[i % MEANS.len()];
                let hidden = suppress && i + 1 == n;
                let customer = if hidden { suppressed(3) } else { group(41, c) };
                let expected = if hidden { suppressed(3) } else { group(40, x) };
                let g = e - c;
                DimensionReport {
                    key: format!("{}_{i}", DIMS[i % DIMS.len()].0),
                    label: label(i, lang).to_string(),
                    category: Category::Functional,
                    priority: i as u32 + 1,
                    employee: group(14, e),
                    predicted: Some(group(14, p)),
                    customer,
                    expected: Some(expected),
                    gap: (!hidden).then(|| gap(g)),
                    prediction_gap: (!hidden).then(|| gap(p - c)),
                    expectation_gap: (!hidden).then(|| ExpectationGap {
                        value: Some(c - x),
                        ci95: Some([c - x - 0.5, c - x + 0.5]),
                        p_value: Some(if (c - x).abs() > 0.5 { 0.01 } else { 0.3 }),
                        n: 38,
                        se: Some(0.25),
                        p_adjusted: Some(if (c - x).abs() > 0.5 { 0.01 } else { 0.3 }),
                        pairs_left_out: 0,
                        perceived_only: 0,
                        expected_only: 0,
                        withheld_reason: None,
                    }),
                    stratified_gap: None,
                    verdict: if hidden {
                        Verdict::InsufficientData
                    } else {
                        verdict(g)
                    },
                    withheld_reason: hidden.then_some(WithheldReason::BelowThreshold),
                    importance: None,
                    quadrant: None,
                    predicted_quadrant: None,
                }
            })
            .collect();
        Comparison {
            survey_id: SurveyId(1),
            wave_id: Some(WaveId(2)),
            team_id: Some(TeamId(3)),
            scale: ScaleView { min: 1, max: 10 },
            min_group_size: 5,
            alpha: 0.05,
            materiality: 0.45,
            published: true,
            excluded_cells: 0,
            respondents: Respondents {
                employee: 14,
                customer: 41,
            },
            nps: Some(Nps {
                score: Some(12.0),
                promoters: Some(15),
                passives: Some(16),
                detractors: Some(10),
                n: 41,
                ci95: None,
                withheld_reason: None,
            }),
            knowledge: None,
            dimensions,
        }
    }

    pub fn comparison(n: usize, suppress: bool) -> Comparison {
        comparison_in(n, suppress, Lang::Nl)
    }

    /// Three waves; the blind spots shrink. With `suppress`, "Snelheid" has too few
    /// customers in the middle wave.
    pub fn trend_in(suppress: bool, lang: Lang) -> Trend {
        let dates = [(2024, 3, 4), (2024, 10, 7), (2025, 4, 14)];
        let names = ["Voorjaar 2024", "Najaar 2024", "Voorjaar 2025"];
        let shrink = [1.0, 0.7, 0.35];
        let waves = dates
            .iter()
            .enumerate()
            .map(|(w, &(y, m, d))| TrendWave {
                wave_id: WaveId(w as i64 + 1),
                name: names[w].to_string(),
                opens_at: Utc
                    .with_ymd_and_hms(y, m, d, 8, 0, 0)
                    .single()
                    .unwrap_or_default(),
                respondents: Respondents {
                    employee: 14,
                    customer: 40,
                },
                dimensions: (0..8)
                    .map(|i| {
                        let (e, _, c, _) = MEANS[i];
                        let factor = if i < 3 {
                            shrink[w]
                        } else {
                            1.0 - 0.1 * w as f64
                        };
                        let g = (e - c) * factor;
                        let hidden = suppress && i == 7 && w == 1;
                        TrendPoint {
                            key: DIMS[i].0.to_string(),
                            label: label(i, lang).to_string(),
                            gap: (!hidden).then(|| gap(g)),
                            withheld_reason: hidden.then_some(WithheldReason::BelowThreshold),
                            verdict: if hidden {
                                Verdict::InsufficientData
                            } else {
                                verdict(g)
                            },
                        }
                    })
                    .collect(),
                knowledge: None,
            })
            .collect();
        let changes = (1..3)
            .map(|w| TrendChange {
                from_wave_id: WaveId(w),
                to_wave_id: WaveId(w + 1),
                dimensions: DIMS
                    .iter()
                    .map(|(k, _, _)| GapChange {
                        key: k.to_string(),
                        change: None,
                        se: None,
                        df: None,
                        p_value: None,
                    })
                    .collect(),
                knowledge_change: None,
            })
            .collect();
        Trend {
            survey_id: SurveyId(1),
            team_id: None,
            waves,
            changes,
        }
    }

    pub fn trend(suppress: bool) -> Trend {
        trend_in(suppress, Lang::Nl)
    }

    /// A minimal XML well-formedness check: balanced tags, quoted attributes, and no bare
    /// `&` or `<` in text.
    pub fn assert_well_formed(svg: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find(['<', '&']) {
            let (text, tail) = rest.split_at(start);
            assert!(!text.contains('>'), "bare '>' in text: {text}");
            if tail.starts_with('&') {
                let end = tail.find(';').expect("unterminated entity");
                let entity = &tail[1..end];
                assert!(
                    ["lt", "gt", "amp", "quot", "apos"].contains(&entity)
                        || entity.starts_with('#'),
                    "bad entity &{entity};"
                );
                rest = &tail[end + 1..];
                continue;
            }
            let end = tail.find('>').expect("unterminated tag");
            let tag = &tail[1..end];
            rest = &tail[end + 1..];
            if tag.starts_with('?') || tag.starts_with('!') {
                continue;
            }
            assert!(!tag.contains('<'), "'<' inside tag: {tag}");
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().expect("closing tag without opening");
                assert_eq!(open, name.trim(), "mismatched tags");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap_or("").to_string();
                stack.push(name);
            }
        }
        assert!(!rest.contains('>'), "bare '>' at the end");
        assert!(stack.is_empty(), "unclosed tags: {stack:?}");
        assert!(svg.contains("<svg"), "not an SVG");
    }

    /// The text content of an SVG with entities decoded (for label checks).
    pub fn svg_text(svg: &str) -> String {
        svg.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    pub fn assert_png(png: &[u8], size: (u32, u32)) {
        let img =
            image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("PNG decodes");
        assert_eq!((img.width(), img.height()), size);
    }

    /// Renders `kind` in SVG and PNG twice and checks the output.
    pub fn check_render(
        kind: super::ChartKind,
        data: super::ChartData<'_>,
        lang: Lang,
        must_contain: &[&str],
    ) {
        let svg = super::render_svg(kind, data, lang, super::DEFAULT_SIZE).expect("svg");
        assert_well_formed(&svg);
        let text = svg_text(&svg);
        for s in must_contain {
            assert!(text.contains(s), "{kind} ({lang:?}) SVG lacks {s:?}");
        }
        let again = super::render_svg(kind, data, lang, super::DEFAULT_SIZE).expect("svg");
        assert_eq!(svg, again, "SVG not deterministic");
        let png = super::render_png(kind, data, lang, super::DEFAULT_SIZE).expect("png");
        assert_png(&png, super::DEFAULT_SIZE);
        let again = super::render_png(kind, data, lang, super::DEFAULT_SIZE).expect("png");
        assert!(png == again, "PNG not deterministic");
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{
        assert_png, assert_well_formed, check_render, comparison, comparison_in, label, svg_text,
        trend,
    };
    use super::*;

    /// Every kind in both languages and the edge cases (many long labels with markup in them,
    /// a 1–5 scale, one wave, the smallest and odd sizes) render to a PNG of the asked size and
    /// a well-formed SVG that names every dimension. With `$KLANTSPIEGEL_CHART_DIR` set, the
    /// charts are also written there to look at.
    #[test]
    fn every_kind_and_edge_case_renders_and_can_be_dumped() {
        let dir = std::env::var("KLANTSPIEGEL_CHART_DIR").ok();
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir).expect("dir");
        }
        let write = |name: String, bytes: &[u8]| {
            if let Some(dir) = &dir {
                std::fs::write(format!("{dir}/{name}"), bytes).expect("write");
            }
        };
        for lang in [Lang::Nl, Lang::En] {
            let c = fixtures::comparison_in(8, true, lang);
            let t = fixtures::trend_in(true, lang);
            for kind in ChartKind::ALL {
                let data = if kind.needs_trend() {
                    ChartData::Trend(&t)
                } else {
                    ChartData::Comparison(&c)
                };
                let base = format!("{}-{}", kind.as_str(), lang.code());
                let png = render_png(kind, data, lang, DEFAULT_SIZE).expect("png");
                assert_png(&png, DEFAULT_SIZE);
                write(format!("{base}.png"), &png);
                let svg = render_svg(kind, data, lang, DEFAULT_SIZE).expect("svg");
                assert_well_formed(&svg);
                write(format!("{base}.svg"), svg.as_bytes());
            }
        }
        // Edge cases: many long labels, a 1–5 scale, one wave, small and large sizes.
        let mut many = fixtures::comparison_in(14, true, Lang::Nl);
        many.dimensions[1].label =
            "Een heel erg lange omschrijving van een aspect van de dienstverlening".to_string();
        many.dimensions[2].label = "R&D <support> & \"co\"".to_string();
        let mut likert = fixtures::comparison_in(5, true, Lang::En);
        likert.scale = crate::engine::model::ScaleView { min: 1, max: 5 };
        for d in &mut likert.dimensions {
            for g in [&mut d.employee, &mut d.customer] {
                if let Some(m) = g.mean.as_mut() {
                    *m /= 2.0;
                }
                g.histogram = g
                    .histogram
                    .as_ref()
                    .map(|h| h.chunks(2).map(|c| c.iter().sum()).collect());
            }
        }
        let mut one = fixtures::trend_in(true, Lang::Nl);
        one.waves.truncate(1);
        let cases: [(&str, ChartKind, ChartData<'_>, (u32, u32)); 7] = [
            (
                "many-mirror",
                ChartKind::Mirror,
                ChartData::Comparison(&many),
                DEFAULT_SIZE,
            ),
            (
                "many-dist",
                ChartKind::Distribution,
                ChartData::Comparison(&many),
                DEFAULT_SIZE,
            ),
            (
                "likert-dist",
                ChartKind::Distribution,
                ChartData::Comparison(&likert),
                DEFAULT_SIZE,
            ),
            (
                "likert-mirror",
                ChartKind::Mirror,
                ChartData::Comparison(&likert),
                (1920, 1080),
            ),
            (
                "one-trend",
                ChartKind::Trend,
                ChartData::Trend(&one),
                DEFAULT_SIZE,
            ),
            (
                "small-gaps",
                ChartKind::Gaps,
                ChartData::Comparison(&many),
                MIN_SIZE,
            ),
            (
                "tall-exp",
                ChartKind::Expectations,
                ChartData::Comparison(&likert),
                (800, 1200),
            ),
        ];
        for (name, kind, data, size) in cases {
            let png = render_png(kind, data, Lang::Nl, size).expect("png");
            assert_png(&png, size);
            write(format!("edge-{name}.png"), &png);
            let svg = render_svg(kind, data, Lang::Nl, size).expect("svg");
            assert_well_formed(&svg);
            if let ChartData::Comparison(c) = data {
                let text = svg_text(&svg);
                for d in &c.dimensions {
                    // Long labels may be shortened with an ellipsis; their start is always shown.
                    let start: String = d.label.chars().take(12).collect();
                    assert!(text.contains(&start), "{name}: no {start:?}");
                }
            }
        }
    }

    /// Every comparison kind, in both languages, names every dimension and the suppressed group.
    #[test]
    fn comparison_kinds_render_both_languages_with_every_label() {
        for kind in [
            ChartKind::Mirror,
            ChartKind::Gaps,
            ChartKind::Distribution,
            ChartKind::Expectations,
        ] {
            for lang in [Lang::Nl, Lang::En] {
                let report = comparison_in(8, true, lang);
                let mut expect: Vec<&str> = (0..8).map(|i| label(i, lang)).collect();
                expect.push(match lang {
                    Lang::Nl => "minder dan 5 antwoorden",
                    Lang::En => "fewer than 5 responses",
                });
                check_render(kind, ChartData::Comparison(&report), lang, &expect);
            }
        }
    }

    /// SPEC `composition_warning`: "pages and charts say so in words" — a line inside the
    /// mirror and gaps charts, in both languages, naming the dimension; none without it.
    #[test]
    fn the_composition_warning_is_a_line_in_the_mirror_and_gaps_charts() {
        use crate::engine::model::StratifiedGap;
        for lang in [Lang::Nl, Lang::En] {
            let mut report = comparison_in(8, false, lang);
            report.team_id = None;
            report.dimensions[2].stratified_gap = Some(StratifiedGap {
                value: Some(0.1),
                se: Some(0.2),
                df: Some(30.0),
                ci95: Some([-0.3, 0.5]),
                p_value: Some(0.6),
                teams_used: 3,
                teams_left_out: 0,
                composition_warning: Some(true),
                withheld_reason: None,
            });
            let said = match lang {
                Lang::Nl => "Let op: bij",
                Lang::En => "Note: for",
            };
            for kind in [ChartKind::Mirror, ChartKind::Gaps] {
                let svg =
                    render_svg(kind, ChartData::Comparison(&report), lang, DEFAULT_SIZE).unwrap();
                // Drawn as text in the chart (not only in its <desc>), naming the dimension.
                let drawn = format!("{said} {}", label(2, lang));
                assert_eq!(svg.matches(&drawn).count(), 2, "{kind:?} {lang:?}: {svg}");
                assert!(svg.contains(&format!(">\n{drawn}")), "{kind:?} {lang:?}");
                let d = describe::describe(kind, ChartData::Comparison(&report), lang);
                assert!(d.summary.contains(said), "{}", d.summary);
            }
            report.dimensions[2].stratified_gap = None;
            let svg = render_svg(
                ChartKind::Mirror,
                ChartData::Comparison(&report),
                lang,
                DEFAULT_SIZE,
            )
            .unwrap();
            assert!(!svg.contains(said));
        }
    }

    #[test]
    fn kind_names_round_trip() {
        for k in ChartKind::ALL {
            assert_eq!(ChartKind::parse(k.as_str()), Some(k));
            assert_eq!(ChartKind::parse(&k.as_str().to_uppercase()), Some(k));
        }
        assert_eq!(ChartKind::parse("pie"), None);
    }

    #[test]
    fn wrong_data_and_size_are_errors() {
        let c = comparison(8, true);
        let t = trend(true);
        assert!(matches!(
            render_svg(
                ChartKind::Trend,
                ChartData::Comparison(&c),
                Lang::Nl,
                DEFAULT_SIZE
            ),
            Err(ChartError::WrongData)
        ));
        assert!(matches!(
            render_png(
                ChartKind::Mirror,
                ChartData::Trend(&t),
                Lang::En,
                DEFAULT_SIZE
            ),
            Err(ChartError::WrongData)
        ));
        assert!(matches!(
            render_svg(
                ChartKind::Mirror,
                ChartData::Comparison(&c),
                Lang::Nl,
                (0, 720)
            ),
            Err(ChartError::Size(0, 720))
        ));
        assert!(matches!(
            render_png(
                ChartKind::Gaps,
                ChartData::Comparison(&c),
                Lang::Nl,
                (100_000, 720)
            ),
            Err(ChartError::Size(..))
        ));
    }

    #[test]
    fn every_kind_renders_at_other_sizes() {
        let c = comparison(8, true);
        let t = trend(true);
        for kind in ChartKind::ALL {
            let data = if kind.needs_trend() {
                ChartData::Trend(&t)
            } else {
                ChartData::Comparison(&c)
            };
            for size in [MIN_SIZE, (1920, 1080), (800, 1200)] {
                let png = render_png(kind, data, Lang::Nl, size).expect("png");
                fixtures::assert_png(&png, size);
                let svg = render_svg(kind, data, Lang::En, size).expect("svg");
                fixtures::assert_well_formed(&svg);
            }
        }
    }

    #[test]
    fn empty_reports_render_a_message() {
        let mut c = comparison(8, false);
        c.dimensions.clear();
        let mut t = trend(false);
        t.waves.clear();
        t.changes.clear();
        for kind in ChartKind::ALL {
            let data = if kind.needs_trend() {
                ChartData::Trend(&t)
            } else {
                ChartData::Comparison(&c)
            };
            let svg = render_svg(kind, data, Lang::En, DEFAULT_SIZE).expect("svg");
            fixtures::assert_well_formed(&svg);
            assert!(svg.contains("No data to show"), "{kind}");
        }
    }
}
