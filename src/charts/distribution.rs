//! Distribution chart: per dimension the share of each rating, employees above customers, as
//! 100%-stacked horizontal bars on a diverging colour ramp (low = vermillion, high = blue).

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::common::{
    luminance, LegendItem, Linear, Marker, RowFrame, Rows, Weight, BLACK, BLUE, LEFT, MUTED,
    ORANGE, RIGHT, SKY_BLUE, SMALL, VERMILLION, WHITE,
};
use super::{ChartError, Drawing};
use crate::engine::model::{Comparison, DimensionReport, GroupStats};

/// Colour of rating `i` of `k` values on a diverging ramp built from the Okabe–Ito vermillion,
/// orange, sky blue and blue with lighter steps towards a neutral middle, so neighbouring
/// ratings differ in lightness as well as hue.
pub fn rating_color(i: usize, k: usize) -> RGBColor {
    const STOPS: [RGBColor; 7] = [
        VERMILLION,
        ORANGE,
        RGBColor(0xF3, 0xD0, 0x8A),
        RGBColor(0xDD, 0xDD, 0xDD),
        RGBColor(0xA6, 0xD4, 0xF2),
        SKY_BLUE,
        BLUE,
    ];
    if k <= 1 {
        return STOPS[3];
    }
    let f = i.min(k - 1) as f64 / (k - 1) as f64 * (STOPS.len() - 1) as f64;
    let j = (f.floor() as usize).min(STOPS.len() - 2);
    let u = f - j as f64;
    let (a, b) = (STOPS[j], STOPS[j + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// White or black, whichever contrasts more with `c` (WCAG relative luminance): at least
/// 4.58:1 for any colour.
pub fn text_on(c: RGBColor) -> RGBColor {
    let l = luminance(c);
    if (1.05) / (l + 0.05) >= (l + 0.05) / 0.05 {
        WHITE
    } else {
        BLACK
    }
}

/// The histogram to draw, or `None` when the group must not (or cannot) be shown.
fn shown(g: &GroupStats) -> Option<&[u64]> {
    if g.suppressed {
        return None;
    }
    g.histogram.as_deref()
}

pub fn draw<DB: DrawingBackend>(d: Drawing<DB>, report: &Comparison) -> Result<(), ChartError> {
    let Drawing { c, t, top } = d;
    let lang = t.lang;
    let scope = crate::i18n::verdicts::ReasonScope::of(report);
    let dims = &report.dimensions;

    let smin = report.scale.min.min(report.scale.max);
    let smax = report.scale.max.max(report.scale.min);
    let k = dims
        .iter()
        .flat_map(|d| [shown(&d.employee), shown(&d.customer)])
        .flatten()
        .map(<[u64]>::len)
        .max()
        .unwrap_or(0)
        .max(usize::try_from(i64::from(smax) - i64::from(smin) + 1).unwrap_or(1));

    // With many dimensions the bars get thinner than a line of text: then the bars are not
    // named per row (the legend says which is which) and carry no percentages.
    let line = c.line_h(c.font(SMALL, Weight::Regular));
    let rows_h = c.h - top - RowFrame::x_axis_height(c) - 2 * line;
    let per_row = rows_h / dims.len() as i32;
    let tight = per_row < 2 * line + c.px(6.0);

    let mut items = Vec::new();
    if tight {
        items.push(LegendItem::new(Marker::None, t.legend_bars));
    }
    items.push(LegendItem::new(Marker::None, t.legend_score));
    for i in 0..k {
        let v = i64::from(smin) + i as i64;
        let label = if i == 0 {
            format!("{v} ({})", t.low)
        } else if i + 1 == k {
            format!("{v} ({})", t.high)
        } else {
            v.to_string()
        };
        items.push(LegendItem::new(Marker::Swatch(rating_color(i, k)), label));
    }

    let small = c.font(SMALL, Weight::Regular);
    let group_w = if tight {
        0
    } else {
        c.text_w(t.employees, small)?
            .max(c.text_w(t.customers, small)?)
    };
    let n_text = |d: &DimensionReport, g: &GroupStats| {
        if tight {
            format!("n = {} / {}", d.employee.n, d.customer.n)
        } else {
            format!("n = {}", g.n)
        }
    };
    let mut tag_w = 0;
    for d in dims {
        for g in [&d.employee, &d.customer] {
            tag_w = tag_w.max(c.text_w(&n_text(d, g), small)?);
        }
    }
    let rows = Rows::layout(c, dims, items, top, group_w, tag_w)?;
    let frame = &rows.frame;
    let axis = Linear::new(0.0, 100.0, frame.panel_x0, frame.panel_x1);
    let ticks: Vec<(f64, String)> = [0.0, 25.0, 50.0, 75.0, 100.0]
        .into_iter()
        .map(|v| (v, format!("{v:.0}%")))
        .collect();
    frame.draw_x_axis(c, &axis, &ticks, t.axis_share)?;
    frame.draw_labels(c)?;

    let gap = (frame.row_h / 16).max(1);
    let bar_h = ((frame.row_h - 3 * gap) * 9 / 20).clamp(2, c.px(30.0));
    let sep = c.px(2.0).max(1);
    let pct_font = c.font(SMALL, Weight::Regular);
    let note_font = c.font(SMALL, Weight::Italic);
    for (i, d) in dims.iter().enumerate() {
        let y = frame.center(i);
        let rows = [
            (t.employees, &d.employee, y - gap / 2 - bar_h / 2),
            (t.customers, &d.customer, y + gap / 2 + bar_h / 2 + gap % 2),
        ];
        if tight {
            c.text(
                &n_text(d, &d.employee),
                (frame.right - c.px(8.0), y),
                small,
                MUTED,
                RIGHT,
            )?;
        }
        for (name, g, cy) in rows {
            if !tight {
                c.text(name, (frame.extra_x, cy), small, MUTED, LEFT)?;
                c.text(
                    &n_text(d, g),
                    (frame.right - c.px(8.0), cy),
                    small,
                    MUTED,
                    RIGHT,
                )?;
            }
            let hist = shown(g);
            let total: u64 = hist.map(|h| h.iter().sum()).unwrap_or(0);
            let reason = crate::i18n::verdicts::withheld_reason(
                lang,
                crate::i18n::verdicts::reason_of(g),
                scope.min_group_size,
            );
            let note = match hist {
                None => Some(reason.as_str()),
                Some(_) if total == 0 => Some(t.no_answers),
                Some(_) => None,
            };
            if let Some(note) = note {
                let max_w = frame.panel_x1 - frame.panel_x0 - c.px(16.0);
                let note = c.ellipsize(note, max_w, note_font)?;
                c.text(
                    &note,
                    (frame.panel_x0 + c.px(8.0), cy),
                    note_font,
                    MUTED,
                    LEFT,
                )?;
                continue;
            }
            let Some(hist) = hist else { continue };
            let (y0, y1) = (cy - bar_h / 2, cy + bar_h / 2);
            let mut acc = 0u64;
            for (j, &count) in hist.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let x0 = axis.map(acc as f64 * 100.0 / total as f64);
                acc += count;
                let x1 = axis.map(acc as f64 * 100.0 / total as f64);
                let color = rating_color(j, k);
                let right_edge = if acc == total { x1 } else { x1 - sep };
                if right_edge > x0 {
                    c.rect((x0, y0), (right_edge, y1), color)?;
                }
                let pct = (count as f64 * 100.0 / total as f64).round();
                let label = format!("{pct:.0}%");
                if !tight && c.text_w(&label, pct_font)? + c.px(8.0) <= right_edge - x0 {
                    c.text(
                        &label,
                        ((x0 + right_edge) / 2, cy),
                        pct_font,
                        text_on(color),
                        super::common::CENTER,
                    )?;
                }
            }
        }
    }

    rows.finish(c)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{check_render, comparison_in};
    use super::super::{ChartData, ChartKind};
    use super::rating_color;
    use crate::i18n::Lang;

    #[test]
    fn ramp_runs_from_vermillion_to_blue() {
        assert_eq!(rating_color(0, 10), super::VERMILLION);
        assert_eq!(rating_color(9, 10), super::BLUE);
        assert_eq!(rating_color(0, 1), rating_color(0, 1));
    }

    #[test]
    fn odd_histograms_render() {
        let mut report = comparison_in(3, false, Lang::En);
        report.dimensions[0].employee.histogram = Some(vec![0; 10]);
        report.dimensions[1].customer.histogram = Some(vec![5, 0, 0]);
        report.dimensions[2].employee.histogram = None;
        report.dimensions[2].employee.withheld_reason =
            Some(crate::engine::WithheldReason::NestedGroup);
        check_render(
            ChartKind::Distribution,
            ChartData::Comparison(&report),
            Lang::En,
            &["no answers", "not shown"],
        );
    }
}
