//! The mirror quadrant (Martilla & James's importance–performance grid): importance up, the
//! customers' score across, crosshairs at the means over the dimensions with both figures,
//! the four quadrants named, a labelled square per dimension where customers put it and an
//! arrow from where the employees' prediction put it. Dimensions the chart cannot place are
//! named in a footnote with the reason.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

use super::common::{
    fmt_num, nice_step, number_ticks, scale_bounds, step_decimals, ticks, usable,
    verdict_text_color, LegendItem, Linear, Marker, Weight, BAND, BLUE, GRID, INK, LEFT, MARGIN,
    MUTED, ORANGE_MARK, RIGHT, SMALL, TOP_CENTER, TOP_LEFT,
};
use super::{ChartError, Drawing};
use crate::engine::model::{Comparison, DimensionReport, ImportanceSource, Quadrant, Verdict};
use crate::engine::DERIVED_MIN_N;
use crate::i18n::charts::ChartText;

/// One dimension the chart can place.
pub(crate) struct Placed<'a> {
    pub dimension: &'a DimensionReport,
    pub importance: f64,
    pub customer: f64,
    pub predicted: Option<f64>,
}

/// The dimensions with both an importance and a customers' score shown, in report order.
pub(crate) fn placed(report: &Comparison) -> Vec<Placed<'_>> {
    report
        .dimensions
        .iter()
        .filter_map(|d| {
            Some(Placed {
                dimension: d,
                importance: d
                    .importance
                    .as_ref()
                    .and_then(|i| i.value)
                    .filter(|v| v.is_finite())?,
                customer: usable(&d.customer)?,
                predicted: d.predicted.as_ref().and_then(usable),
            })
        })
        .collect()
}

/// The crosshairs (importance, customers' score): the means over the placed dimensions.
pub(crate) fn crosshairs(placed: &[Placed<'_>]) -> Option<(f64, f64)> {
    if placed.is_empty() {
        return None;
    }
    let m = placed.len() as f64;
    Some((
        placed.iter().map(|p| p.importance).sum::<f64>() / m,
        placed.iter().map(|p| p.customer).sum::<f64>() / m,
    ))
}

/// The importance's source across the report (a survey either asks it or derives it).
pub(crate) fn source(report: &Comparison) -> Option<ImportanceSource> {
    report
        .dimensions
        .iter()
        .find_map(|d| d.importance.as_ref().map(|i| i.source))
}

/// Why a dimension is not placed, in words with the numbers; None when it is placed.
pub(crate) fn reason(t: &ChartText, report: &Comparison, d: &DimensionReport) -> Option<String> {
    let min = report.min_group_size;
    let mut parts = Vec::new();
    match &d.importance {
        None => parts.push(t.no_importance.to_string()),
        Some(i) if i.value.is_none() => {
            let need = match i.source {
                ImportanceSource::Stated => min,
                ImportanceSource::Derived => min.max(DERIVED_MIN_N),
            };
            parts.push(if i.n < need {
                match i.source {
                    ImportanceSource::Stated => format!(
                        "{}: {} (n = {})",
                        t.importance_word,
                        crate::i18n::verdicts::withheld_reason(
                            t.lang,
                            i.withheld_reason
                                .unwrap_or(crate::engine::WithheldReason::BelowThreshold),
                            need
                        ),
                        i.n
                    ),
                    ImportanceSource::Derived => format!(
                        "{}: {} (n = {}, {} {need})",
                        t.importance_word, t.few_nps, i.n, t.at_least
                    ),
                }
            } else if i.source == ImportanceSource::Derived {
                format!("{}: {} / {}", t.importance_word, t.no_spread, t.not_shown)
            } else {
                format!("{}: {}", t.importance_word, t.not_shown)
            });
        }
        Some(_) => {}
    }
    if usable(&d.customer).is_none() {
        let n = d.customer.n;
        parts.push(if n < min {
            format!(
                "{}: {}",
                t.customers,
                crate::i18n::verdicts::withheld_group(
                    t.lang,
                    &d.customer,
                    crate::i18n::verdicts::ReasonScope::of(report)
                )
            )
        } else {
            format!("{}: {}", t.customers, t.not_shown)
        });
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An axis range around `values`, padded, on nice steps, within [lo, hi].
fn range(values: &[f64], lo: f64, hi: f64, min_span: f64) -> (f64, f64, f64) {
    let mut a = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut b = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !a.is_finite() || !b.is_finite() {
        (a, b) = (lo, hi);
    }
    if b - a < min_span {
        let mid = (a + b) / 2.0;
        a = mid - min_span / 2.0;
        b = mid + min_span / 2.0;
    }
    let pad = 0.12 * (b - a);
    let step = nice_step(b - a + 2.0 * pad, 5.0);
    let a = (((a - pad) / step).floor() * step).max(lo);
    let b = (((b + pad) / step).ceil() * step).min(hi);
    (a, b, step)
}

/// The quadrant names' colours: the verdicts' text colours (4.5:1 on white and on the band,
/// tested in `common::palette`), the problem colour for "concentrate here".
fn quadrant_color(q: Quadrant) -> RGBColor {
    match q {
        Quadrant::ConcentrateHere => verdict_text_color(Verdict::BlindSpot),
        Quadrant::KeepUp => verdict_text_color(Verdict::HiddenStrength),
        Quadrant::LowPriority | Quadrant::PossibleOverkill => MUTED,
    }
}

/// A text box (x0, y0, x1, y1).
type Rect = (i32, i32, i32, i32);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

pub fn draw<DB: DrawingBackend>(d: Drawing<DB>, report: &Comparison) -> Result<(), ChartError> {
    let Drawing { c, t, top } = d;
    let placed = placed(report);
    let Some((cross_i, cross_c)) = crosshairs(&placed) else {
        let note = footnote(t, report);
        let msg = match note {
            Some(n) => format!("{}. {n}", t.no_quadrant_data),
            None => t.no_quadrant_data.to_string(),
        };
        return c.message(&msg, top);
    };
    let m = c.px(MARGIN);
    let small = c.font(SMALL, Weight::Regular);
    let bold = c.font(SMALL, Weight::Bold);
    let italic = c.font(SMALL, Weight::Italic);
    let lh = c.line_h(small);

    // Legend and footnote at the bottom.
    let mut items = vec![LegendItem::new(
        Marker::Square(ORANGE_MARK),
        t.legend_customers,
    )];
    let any_prediction = placed.iter().any(|p| p.predicted.is_some());
    if any_prediction {
        items.push(LegendItem::new(Marker::Ring(BLUE), t.legend_predicted));
        items.push(LegendItem::new(Marker::Line(MUTED), t.legend_arrow));
    }
    let legend_h = c.legend(&items, m, c.w - m, 0, false)?;
    let foot = match footnote(t, report) {
        Some(f) => Some(c.fit(&f, c.w - 2 * m, 3, italic)?),
        None => None,
    };
    let foot_h = foot
        .as_ref()
        .map_or(0, |f| c.line_h(f.font) * f.lines.len() as i32);
    let foot_y = c.h - c.px(10.0) - foot_h;
    let legend_y = foot_y - legend_h;

    // Axes.
    let derived = source(report) == Some(ImportanceSource::Derived);
    let (s_lo, s_hi) = scale_bounds(report.scale);
    let mut xs: Vec<f64> = placed.iter().map(|p| p.customer).collect();
    xs.extend(placed.iter().filter_map(|p| p.predicted));
    xs.push(cross_c);
    let (x0, x1, x_step) = range(&xs, s_lo, s_hi, 1.0);
    let mut ys: Vec<f64> = placed.iter().map(|p| p.importance).collect();
    ys.push(cross_i);
    let (y0, y1, y_step) = if derived {
        range(&ys, -1.0, 1.0, 0.2)
    } else {
        range(&ys, s_lo, s_hi, 1.0)
    };
    let x_dec = step_decimals(x_step);
    let y_ticks = number_ticks(y0, y1, y_step, false, t);
    let ytick_w = c.widest(y_ticks.iter().map(|(_, l)| l.as_str()), small)?;
    let scale = format!(
        "({} = {}, {} = {})",
        report.scale.min, t.low, report.scale.max, t.high
    );
    let y_title = if derived {
        t.axis_importance_derived.to_string()
    } else {
        format!("{} {scale}", t.axis_importance_stated)
    };
    let x_title = format!("{} {scale}", t.axis_customer_score);

    let panel_top = top + lh + c.px(10.0);
    let panel_bottom = legend_y - (c.px(8.0) + 2 * lh + c.px(10.0));
    let panel_x0 = m + ytick_w + c.px(12.0);
    let panel_x1 = c.w - m;
    let xa = Linear::new(x0, x1, panel_x0, panel_x1);
    let ya = Linear::new(y0, y1, panel_bottom, panel_top);
    let (cx, cy) = (xa.map_clamped(cross_c), ya.map_clamped(cross_i));

    // "Concentrate here" shaded: important, scored below the mean.
    c.rect((panel_x0, panel_top), (cx, cy), BAND)?;
    for (v, l) in &y_ticks {
        let y = ya.map(*v);
        c.line(vec![(panel_x0, y), (panel_x1, y)], GRID, c.px(1.0))?;
        c.text(l, (panel_x0 - c.px(8.0), y), small, MUTED, RIGHT)?;
    }
    let x_ticks = ticks(x0, x1, x_step);
    for v in &x_ticks {
        let x = xa.map(*v);
        c.line(vec![(x, panel_top), (x, panel_bottom)], GRID, c.px(1.0))?;
        c.line(
            vec![(x, panel_bottom), (x, panel_bottom + c.px(6.0))],
            MUTED,
            c.px(1.5),
        )?;
        c.text(
            &fmt_num(*v, x_dec, t),
            (x, panel_bottom + c.px(8.0)),
            small,
            MUTED,
            TOP_CENTER,
        )?;
    }
    c.line(
        vec![
            (panel_x0, panel_top),
            (panel_x0, panel_bottom),
            (panel_x1, panel_bottom),
        ],
        MUTED,
        c.px(1.5),
    )?;
    let x_title = c.ellipsize(&x_title, panel_x1 - panel_x0, small)?;
    c.text(
        &x_title,
        ((panel_x0 + panel_x1) / 2, panel_bottom + c.px(10.0) + lh),
        small,
        INK,
        TOP_CENTER,
    )?;
    let y_title = c.ellipsize(&y_title, c.w - 2 * m, small)?;
    c.text(&y_title, (m, top), small, INK, TOP_LEFT)?;

    // Crosshairs, dashed, each with a small "mean" label.
    c.dashed(
        vec![(cx, panel_top), (cx, panel_bottom)],
        INK,
        c.px(2.0),
        c.px(8.0),
    )?;
    c.dashed(
        vec![(panel_x0, cy), (panel_x1, cy)],
        INK,
        c.px(2.0),
        c.px(8.0),
    )?;

    // The quadrants' names in their corners.
    let pad = c.px(8.0);
    let name_w = |x_from: i32, x_to: i32| (x_to - x_from - 2 * pad).max(c.px(40.0));
    let corners = [
        (
            Quadrant::ConcentrateHere,
            (panel_x0 + pad, panel_top + pad),
            name_w(panel_x0, cx),
            HPos::Left,
            VPos::Top,
        ),
        (
            Quadrant::KeepUp,
            (panel_x1 - pad, panel_top + pad),
            name_w(cx, panel_x1),
            HPos::Right,
            VPos::Top,
        ),
        (
            Quadrant::LowPriority,
            (panel_x0 + pad, panel_bottom - pad),
            name_w(panel_x0, cx),
            HPos::Left,
            VPos::Bottom,
        ),
        (
            Quadrant::PossibleOverkill,
            (panel_x1 - pad, panel_bottom - pad),
            name_w(cx, panel_x1),
            HPos::Right,
            VPos::Bottom,
        ),
    ];
    // Labels keep off the crosshairs where they can.
    let line = c.px(3.0);
    let mut taken: Vec<Rect> = vec![
        (cx - line, panel_top, cx + line, panel_bottom),
        (panel_x0, cy - line, panel_x1, cy + line),
    ];
    for (q, (x, y), w, h, v) in corners {
        let name = c.ellipsize(t.quadrant(q), w, bold)?;
        let tw = c.text_w(&name, bold)?;
        c.text(&name, (x, y), bold, quadrant_color(q), (h, v))?;
        let bx = if matches!(h, HPos::Left) { x } else { x - tw };
        let by = if matches!(v, VPos::Top) { y } else { y - lh };
        taken.push((bx, by, bx + tw, by + lh));
    }
    let mean_label = c.ellipsize(t.crosshair, c.px(200.0), italic)?;
    c.text(
        &mean_label,
        (cx + c.px(6.0), panel_bottom - pad - lh - c.px(4.0)),
        italic,
        MUTED,
        (HPos::Left, VPos::Bottom),
    )?;

    // Markers: the arrow from the prediction to the customers' score, the ring, the square.
    let r = c.px(10.0);
    let points: Vec<(i32, i32, Option<i32>)> = placed
        .iter()
        .map(|p| {
            (
                xa.map_clamped(p.customer),
                ya.map_clamped(p.importance),
                p.predicted.map(|v| xa.map_clamped(v)),
            )
        })
        .collect();
    for &(x, y, pred) in &points {
        let Some(px) = pred else { continue };
        let dx = x - px;
        if dx.abs() > 2 * r + c.px(6.0) {
            let dir = dx.signum();
            let tip = x - dir * (r + c.px(3.0));
            let head = c.px(12.0);
            c.line(vec![(px, y), (tip - dir * head, y)], MUTED, c.px(3.0))?;
            c.polygon(
                vec![
                    (tip, y),
                    (tip - dir * head, y - head * 2 / 3),
                    (tip - dir * head, y + head * 2 / 3),
                ],
                MUTED,
            )?;
        }
        c.marker(Marker::Ring(BLUE), (px, y), r + c.px(2.0))?;
        taken.push((px - r, y - r, px + r, y + r));
    }
    for &(x, y, _) in &points {
        c.marker(Marker::Square(ORANGE_MARK), (x, y), r)?;
        taken.push((x - r, y - r, x + r, y + r));
    }

    // Labels beside the squares, placed where they overlap nothing drawn before.
    let label_font = small;
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by_key(|&i| (points[i].1, points[i].0, i));
    let max_label = ((panel_x1 - panel_x0) / 3).max(c.px(60.0));
    for i in order {
        let (x, y, pred) = points[i];
        let label = c.ellipsize(&placed[i].dimension.label, max_label, label_font)?;
        let w = c.text_w(&label, label_font)?;
        let gap = r + c.px(6.0);
        // The arrow's side is taken: prefer the other side first.
        let pred_left = pred.is_some_and(|p| p < x);
        let sides: [(i32, i32); 6] = if pred_left {
            [(1, 0), (1, -1), (1, 1), (-1, -1), (-1, 1), (-1, 0)]
        } else {
            [(-1, 0), (-1, -1), (-1, 1), (1, -1), (1, 1), (1, 0)]
        };
        let candidate = |(sx, sy): (i32, i32)| -> Rect {
            let bx = if sx > 0 { x + gap } else { x - gap - w };
            let by = y - lh / 2 + sy * (lh / 2 + r);
            (bx, by, bx + w, by + lh)
        };
        let inside =
            |b: Rect| b.0 >= panel_x0 && b.2 <= panel_x1 && b.1 >= panel_top && b.3 <= panel_bottom;
        let chosen = sides
            .iter()
            .map(|&s| candidate(s))
            .find(|b| inside(*b) && !taken.iter().any(|o| overlaps(*b, *o)))
            .or_else(|| sides.iter().map(|&s| candidate(s)).find(|b| inside(*b)))
            .unwrap_or_else(|| candidate(sides[0]));
        c.text(
            &label,
            (chosen.0, (chosen.1 + chosen.3) / 2),
            label_font,
            INK,
            LEFT,
        )?;
        taken.push(chosen);
    }

    c.legend(&items, m, c.w - m, legend_y, true)?;
    if let Some(f) = &foot {
        c.text_lines(
            f,
            (m, foot_y + c.line_h(f.font) * f.lines.len() as i32 / 2),
            MUTED,
            HPos::Left,
        )?;
    }
    Ok(())
}

/// "Niet in de grafiek: Snelheid (belang: minder dan 5 antwoorden (n = 3)); …", or
/// None when every dimension is placed — or none has an importance at all (the message then
/// says it once, not per dimension).
pub(crate) fn footnote(t: &ChartText, report: &Comparison) -> Option<String> {
    if report.dimensions.iter().all(|d| d.importance.is_none()) {
        return None;
    }
    let missing: Vec<String> = report
        .dimensions
        .iter()
        .filter_map(|d| reason(t, report, d).map(|r| format!("{} ({r})", d.label)))
        .collect();
    (!missing.is_empty()).then(|| format!("{}: {}", t.not_placed, missing.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{check_render, comparison_in};
    use super::super::{render_svg, ChartData, ChartKind, DEFAULT_SIZE};
    use crate::engine::model::{Importance, ImportanceSource, Quadrant, WithheldReason};
    use crate::i18n::Lang;

    /// The fixture report with stated importance on every dimension but the last (too few).
    fn with_importance(lang: Lang) -> crate::engine::model::Comparison {
        let mut r = comparison_in(8, true, lang);
        let values = [8.6, 8.9, 7.4, 7.9, 6.8, 7.2, 6.9, 8.1];
        let n = r.dimensions.len();
        for (i, d) in r.dimensions.iter_mut().enumerate() {
            let v = values[i];
            d.importance = Some(Importance {
                source: ImportanceSource::Stated,
                value: (i + 2 < n).then_some(v),
                ci95: (i + 2 < n).then_some([v - 0.4, v + 0.4]),
                n: if i + 2 < n { 40 } else { 3 },
                withheld_reason: (i + 2 >= n).then_some(WithheldReason::BelowThreshold),
            });
        }
        r
    }

    #[test]
    fn names_the_quadrants_the_dimensions_and_what_it_cannot_place() {
        for lang in [Lang::Nl, Lang::En] {
            let r = with_importance(lang);
            let names: &[&str] = match lang {
                Lang::Nl => &[
                    "Concentreer hier",
                    "Goed zo, vasthouden",
                    "Lage prioriteit",
                    "Mogelijk overdreven",
                    "Niet in de grafiek",
                    "minder dan 5 antwoorden (n = 3)",
                ],
                Lang::En => &[
                    "Concentrate here",
                    "Keep up the good work",
                    "Low priority",
                    "Possible overkill",
                    "Not in the chart",
                    "fewer than 5 responses (n = 3)",
                ],
            };
            // With $KLANTSPIEGEL_CHART_DIR set, written there to look at.
            if let Ok(dir) = std::env::var("KLANTSPIEGEL_CHART_DIR") {
                for size in [DEFAULT_SIZE, crate::charts::MIN_SIZE, (800, 1200)] {
                    let png = crate::charts::render_png(
                        ChartKind::Quadrant,
                        ChartData::Comparison(&r),
                        lang,
                        size,
                    )
                    .unwrap();
                    let name = format!("{dir}/quadrant-sample-{}-{}.png", lang.code(), size.0);
                    std::fs::write(name, png).unwrap();
                }
            }
            let mut expect: Vec<&str> = names.to_vec();
            let labels: Vec<String> = r.dimensions.iter().map(|d| d.label.clone()).collect();
            expect.extend(labels.iter().map(String::as_str));
            check_render(
                ChartKind::Quadrant,
                ChartData::Comparison(&r),
                lang,
                &expect,
            );
        }
    }

    /// The text alternative names the crosshairs, each dimension's quadrant and where the
    /// prediction puts it, and why a dimension is missing.
    #[test]
    fn the_text_alternative_says_it_all() {
        let mut r = with_importance(Lang::Nl);
        r.dimensions[0].quadrant = Some(Quadrant::ConcentrateHere);
        r.dimensions[0].predicted_quadrant = Some(Quadrant::KeepUp);
        let d = crate::charts::describe::describe(
            ChartKind::Quadrant,
            ChartData::Comparison(&r),
            Lang::Nl,
        );
        assert_eq!(d.title, "Belang en cijfer: waar moet het team iets doen?");
        // Crosshairs: the means of the six placed dimensions' importance and customer score.
        let placed = super::placed(&r);
        assert_eq!(placed.len(), 6);
        let (i, k) = super::crosshairs(&placed).unwrap();
        let want_i = [8.6, 8.9, 7.4, 7.9, 6.8, 7.2].iter().sum::<f64>() / 6.0;
        let want_k = [6.1, 6.4, 6.2, 7.9, 7.0, 7.6].iter().sum::<f64>() / 6.0;
        assert!((i - want_i).abs() < 1e-12 && (k - want_k).abs() < 1e-12);
        assert!(
            d.summary
                .contains("Kruislijnen op het gemiddelde: belang 7,80, klanten 6,87."),
            "{}",
            d.summary
        );
        assert!(d.summary.contains("Belang door klanten opgegeven."));
        assert!(d.summary.contains(
            "Snelheid (belang: minder dan 5 antwoorden (n = 3), Klanten: minder dan 5 \
             antwoorden (n = 3))"
        ));
        assert_eq!(
            d.lines[0],
            "1. Nakomen van afspraken: belang 8,60 [8,20; 9,00] (n = 40), Klanten 6,1, \
             Voorspelling door medewerkers 7,9; Concentreer hier; volgens de voorspelling Goed \
             zo, vasthouden."
        );
    }

    #[test]
    fn without_importance_says_so_in_words() {
        let r = comparison_in(4, false, Lang::En);
        let svg = render_svg(
            ChartKind::Quadrant,
            ChartData::Comparison(&r),
            Lang::En,
            DEFAULT_SIZE,
        )
        .unwrap();
        let text = super::super::fixtures::svg_text(&svg);
        assert!(
            text.contains("No dimension has both an importance"),
            "{text}"
        );
        assert!(text.contains("no importance"));
    }

    #[test]
    fn derived_importance_uses_its_own_axis_and_minimum() {
        let mut r = comparison_in(5, false, Lang::Nl);
        let rs = [0.42, 0.18, -0.05, 0.31, 0.0];
        for (i, d) in r.dimensions.iter_mut().enumerate() {
            d.importance = Some(Importance {
                source: ImportanceSource::Derived,
                value: (i < 4).then_some(rs[i]),
                ci95: (i < 4).then_some([rs[i] - 0.3, rs[i] + 0.3]),
                n: if i < 4 { 41 } else { 8 },
                withheld_reason: (i >= 4).then_some(WithheldReason::BelowThreshold),
            });
            d.quadrant = Some(Quadrant::KeepUp);
        }
        check_render(
            ChartKind::Quadrant,
            ChartData::Comparison(&r),
            Lang::Nl,
            &[
                "samenhang met de NPS",
                "te weinig klanten met een NPS-antwoord (n = 8, minimaal 10)",
            ],
        );
    }
}
