//! Gaps chart: diverging horizontal bars of the gap (employees − customers) per dimension,
//! with 95% confidence whiskers, a zero line and the materiality zone.

use plotters::prelude::DrawingBackend;

use super::common::{
    fmt_num, fmt_signed, missing_note, nice_step, number_ticks, verdict_color, verdict_tag,
    verdict_tag_w, verdict_text_color, LegendItem, Linear, Marker, Rows, Weight, BAND, INK, LEFT,
    MUTED, RIGHT, SMALL, TOP_CENTER, VERDICT_ORDER, WHITE, ZONE,
};
use super::{ChartError, Drawing};
use crate::engine::model::{Comparison, Verdict};

pub fn draw<DB: DrawingBackend>(d: Drawing<DB>, report: &Comparison) -> Result<(), ChartError> {
    let Drawing { c, t, top } = d;
    let dims = &report.dimensions;
    let materiality = if report.materiality.is_finite() && report.materiality > 0.0 {
        report.materiality
    } else {
        0.0
    };
    let mut items = Vec::new();
    for v in VERDICT_ORDER {
        if v != Verdict::InsufficientData && dims.iter().any(|d| d.verdict == v) {
            items.push(LegendItem::new(
                Marker::Swatch(verdict_color(v)),
                t.verdict(v),
            ));
        }
    }
    items.push(LegendItem::new(Marker::Whisker(INK), t.legend_ci));
    if materiality > 0.0 {
        items.push(LegendItem::new(
            Marker::Swatch(ZONE),
            format!("{} (±{})", t.legend_negligible, fmt_num(materiality, 2, t)),
        ));
    }
    let tag_font = c.font(SMALL, Weight::Bold);
    let tag_w = verdict_tag_w(c, t, report, tag_font)?;
    let rows = Rows::layout(c, dims, items, top, 0, tag_w)?;
    let frame = &rows.frame;

    // Symmetric axis, wide enough for every whisker plus its value label.
    let value_font = c.font(SMALL, Weight::Bold);
    let gaps: Vec<Option<&crate::engine::model::Gap>> = dims
        .iter()
        .map(|d| d.gap.as_ref().filter(|g| g.value.is_finite()))
        .collect();
    let half = f64::from((frame.panel_x1 - frame.panel_x0) / 2 - c.px(10.0)).max(10.0);
    let label_gap = c.px(8.0);
    let mut bound = materiality.max(0.5);
    for g in gaps.iter().flatten() {
        let reach = g.value.abs().max(ci_reach(g, g.value >= 0.0));
        let tw = f64::from(c.text_w(&fmt_signed(g.value, 1, t), value_font)? + label_gap);
        let room = (half - tw).max(half * 0.3);
        bound = bound.max(reach * half / room);
    }
    let step = nice_step(2.0 * bound, 8.0);
    let bound = (bound / step - 1e-9).ceil() * step;
    let mid = (frame.panel_x0 + frame.panel_x1) / 2;
    let axis = Linear::new(-bound, bound, mid - half as i32, mid + half as i32);

    if materiality > 0.0 && materiality < bound {
        c.rect(
            (axis.map(-materiality), frame.top),
            (axis.map(materiality), frame.bottom()),
            ZONE,
        )?;
    }
    let tick_list = number_ticks(-bound, bound, step, true, t);
    let axis_bottom = frame.draw_x_axis(c, &axis, &tick_list, "")?;
    // Axis title with the direction captions at both ends.
    let f = c.font(SMALL, Weight::Regular);
    let cap_y = axis_bottom;
    let left_w = c.text_w(t.gap_left, f)?;
    let right_w = c.text_w(t.gap_right, f)?;
    let title_w = c.text_w(t.axis_gap, f)?;
    let (ax0, ax1) = (axis.map(-bound), axis.map(bound));
    if left_w + right_w + c.px(20.0) <= ax1 - ax0 {
        c.text(t.gap_left, (ax0, cap_y), f, MUTED, (LEFT.0, TOP_CENTER.1))?;
        c.text(t.gap_right, (ax1, cap_y), f, MUTED, (RIGHT.0, TOP_CENTER.1))?;
        let free = (ax1 - ax0) - 2 * left_w.max(right_w) - c.px(40.0);
        if title_w <= free {
            c.text(t.axis_gap, (mid, cap_y), f, INK, TOP_CENTER)?;
        }
    } else {
        c.text(t.axis_gap, (mid, cap_y), f, INK, TOP_CENTER)?;
    }
    frame.draw_labels(c)?;

    let zero = axis.map(0.0);
    let bar_h = (frame.row_h * 11 / 20).max(2);
    let cap_h = (frame.row_h * 3 / 10).max(2);
    let whisker_w = c.px(2.5).max(1);
    for (i, d) in dims.iter().enumerate() {
        let y = frame.center(i);
        match gaps[i] {
            Some(g) => {
                let x = axis.map(g.value);
                let (x0, x1) = if x < zero { (x, zero) } else { (zero, x) };
                if x1 > x0 {
                    c.rect(
                        (x0, y - bar_h / 2),
                        (x1, y + bar_h / 2),
                        verdict_color(d.verdict),
                    )?;
                }
                let (lo, hi) = (g.ci95[0].min(g.ci95[1]), g.ci95[0].max(g.ci95[1]));
                let has_ci = lo.is_finite() && hi.is_finite() && hi > lo;
                if has_ci {
                    let (wl, wh) = (axis.map(lo.max(-bound)), axis.map(hi.min(bound)));
                    c.line(vec![(wl, y), (wh, y)], INK, whisker_w)?;
                    for wx in [wl, wh] {
                        c.line(
                            vec![(wx, y - cap_h / 2), (wx, y + cap_h / 2)],
                            INK,
                            whisker_w,
                        )?;
                    }
                }
                let label = fmt_signed(g.value, 1, t);
                let positive = g.value >= 0.0;
                let reach = g
                    .value
                    .abs()
                    .max(if has_ci { ci_reach(g, positive) } else { 0.0 });
                let end = axis.map(if positive { reach } else { -reach });
                if positive {
                    c.text(&label, (end + label_gap, y), value_font, INK, LEFT)?;
                } else {
                    c.text(&label, (end - label_gap, y), value_font, INK, RIGHT)?;
                }
            }
            None => {
                // Never hide a dimension: say why there is no bar.
                let note = missing_note(t, d, report).unwrap_or_else(|| {
                    crate::i18n::verdicts::tag(t.lang, crate::i18n::verdicts::Known::Withheld)
                        .to_string()
                });
                let nf = c.font(SMALL, Weight::Italic);
                let max_w = frame.panel_x1 - frame.panel_x0 - c.px(20.0);
                let note = c.ellipsize(&note, max_w, nf)?;
                let w = c.text_w(&note, nf)?;
                let bg = if i % 2 == 0 { BAND } else { WHITE };
                c.rect(
                    (zero - w / 2 - c.px(8.0), y - c.line_h(nf) / 2),
                    (zero + w / 2 + c.px(8.0), y + c.line_h(nf) / 2),
                    bg,
                )?;
                c.text(&note, (zero, y), nf, MUTED, super::common::CENTER)?;
            }
        }
        let tf = if d.verdict == Verdict::InsufficientData {
            c.font(SMALL, Weight::Italic)
        } else {
            tag_font
        };
        let tag = c.ellipsize(verdict_tag(t, d, report), tag_w, tf)?;
        c.text(
            &tag,
            (frame.tag_x, y),
            tf,
            verdict_text_color(d.verdict),
            LEFT,
        )?;
    }
    c.line(
        vec![(zero, frame.top), (zero, frame.bottom())],
        INK,
        c.px(2.0),
    )?;

    rows.finish(c)
}

/// How far the confidence interval reaches on the bar's side of zero.
fn ci_reach(g: &crate::engine::model::Gap, positive: bool) -> f64 {
    let (lo, hi) = (g.ci95[0].min(g.ci95[1]), g.ci95[0].max(g.ci95[1]));
    if !lo.is_finite() || !hi.is_finite() {
        return 0.0;
    }
    if positive {
        hi.max(0.0)
    } else {
        (-lo).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{check_render, comparison_in};
    use super::super::{ChartData, ChartKind};
    use crate::i18n::Lang;

    #[test]
    fn huge_and_degenerate_gaps_render() {
        let mut report = comparison_in(4, false, Lang::En);
        if let Some(g) = report.dimensions[0].gap.as_mut() {
            g.value = 9.0;
            g.ci95 = [f64::NEG_INFINITY, f64::NAN];
        }
        if let Some(g) = report.dimensions[1].gap.as_mut() {
            g.value = 0.0;
            g.ci95 = [0.0, 0.0];
        }
        report.dimensions[2].gap = None;
        check_render(
            ChartKind::Gaps,
            ChartData::Comparison(&report),
            Lang::En,
            &["+9.0", "cannot be compared"],
        );
    }
}
