//! Mirror chart: per dimension, employees' self-rating (dot), customers' rating (square) and
//! the employees' prediction (ring) on the rating scale, joined by a line coloured by verdict.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::common::{
    composition_warning, missing_note, respondents_line, row_note, scale_bounds, scale_ticks,
    scale_title, usable, verdict_color, verdict_tag, verdict_text_color, Canvas, LegendItem,
    Linear, Marker, RowFrame, Weight, BLUE, MARGIN, ORANGE_MARK, SMALL, VERDICT_ORDER,
};
use super::ChartError;
use crate::engine::model::Comparison;
use crate::i18n::charts::text;
use crate::i18n::Lang;

pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Comparison,
    lang: Lang,
) -> Result<(), ChartError> {
    let t = text(lang);
    let c = Canvas::new(area);
    let subtitle = format!(
        "{} · {}",
        t.sub_mirror,
        respondents_line(t, &report.respondents)
    );
    let dims = &report.dimensions;
    let Some(top) = c.begin(t, t.title_mirror, &subtitle, dims.is_empty())? else {
        return Ok(());
    };
    // SPEC `composition_warning`: the chart says so in words, not only the page.
    let top = match composition_warning(t, report) {
        Some(w) => c.warning(&w, top)?,
        None => top,
    };

    // Legend: the three markers and the verdicts that occur.
    let mut items = vec![
        LegendItem::new(Marker::Dot(BLUE), t.legend_employees),
        LegendItem::new(Marker::Square(ORANGE_MARK), t.legend_customers),
    ];
    if dims.iter().any(|d| d.predicted.is_some()) {
        items.push(LegendItem::new(Marker::Ring(BLUE), t.legend_predicted));
    }
    for v in VERDICT_ORDER {
        if dims.iter().any(|d| d.verdict == v) {
            items.push(LegendItem::new(
                Marker::Line(verdict_color(v)),
                t.verdict(v),
            ));
        }
    }
    let m = c.px(MARGIN);
    let legend_h = c.legend(&items, m, c.w - m, 0, false)?;
    let legend_y = c.h - c.px(12.0) - legend_h;
    let rows_bottom = legend_y - RowFrame::x_axis_height(&c);

    // Verdict tags at the right.
    let tag_font = c.font(SMALL, Weight::Bold);
    let mut tag_w = 0;
    for d in dims {
        tag_w = tag_w.max(c.text_w(verdict_tag(t, d, report), tag_font)?);
    }
    tag_w = tag_w.min(c.w / 5);

    let labels: Vec<&str> = dims.iter().map(|d| d.label.as_str()).collect();
    let ranks: Vec<u32> = dims.iter().map(|d| d.priority).collect();
    let frame = RowFrame::layout(&c, &labels, &ranks, top, rows_bottom, 0, tag_w)?;
    frame.draw_bands(&c)?;

    let (lo, hi) = scale_bounds(report.scale);
    let pad = c.px(22.0);
    let axis = Linear::new(lo, hi, frame.panel_x0 + pad, frame.panel_x1 - pad);
    frame.draw_x_axis(
        &c,
        &axis,
        &scale_ticks(lo, hi, t),
        &scale_title(t, report.scale),
    )?;
    frame.draw_labels(&c)?;

    let r = c.px(11.0).min(frame.row_h / 3).max(2);
    let line_w = c.px(6.0).min(frame.row_h / 6).max(1);
    for (i, d) in dims.iter().enumerate() {
        let y = frame.center(i);
        let e = usable(&d.employee);
        let k = usable(&d.customer);
        let p = d.predicted.as_ref().and_then(usable);
        let xs: Vec<i32> = [e, k, p]
            .into_iter()
            .flatten()
            .map(|v| axis.map_clamped(v))
            .collect();
        if let (Some(x0), Some(x1)) = (xs.iter().min(), xs.iter().max()) {
            if x1 > x0 {
                c.line(vec![(*x0, y), (*x1, y)], verdict_color(d.verdict), line_w)?;
            }
        }
        if let Some(p) = p {
            c.marker(Marker::Ring(BLUE), (axis.map_clamped(p), y), r + c.px(2.0))?;
        }
        if let Some(k) = k {
            c.marker(Marker::Square(ORANGE_MARK), (axis.map_clamped(k), y), r)?;
        }
        if let Some(e) = e {
            c.marker(Marker::Dot(BLUE), (axis.map_clamped(e), y), r)?;
        }

        // Groups that may not be shown are named, never silently left out.
        if let Some(note) = missing_note(t, d, report) {
            row_note(&c, &frame, i, &xs, &note)?;
        }

        let tag = c.ellipsize(verdict_tag(t, d, report), tag_w, tag_font)?;
        let tf = if d.verdict == crate::engine::model::Verdict::InsufficientData {
            c.font(SMALL, Weight::Italic)
        } else {
            tag_font
        };
        c.text(
            &tag,
            (frame.tag_x, y),
            tf,
            verdict_text_color(d.verdict),
            super::common::LEFT,
        )?;
    }

    c.legend(&items, m, c.w - m, legend_y, true)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{check_render, comparison_in};
    use super::super::{ChartData, ChartKind};
    use crate::i18n::Lang;

    #[test]
    fn special_characters_stay_well_formed() {
        let mut report = comparison_in(3, false, Lang::En);
        report.dimensions[0].label = "R&D <support> \"team\" & 'co'".to_string();
        check_render(
            ChartKind::Mirror,
            ChartData::Comparison(&report),
            Lang::En,
            &["R&D <support>"],
        );
    }

    #[test]
    fn long_labels_and_many_rows_render() {
        let mut report = comparison_in(14, true, Lang::Nl);
        report.dimensions[1].label =
            "Een heel erg lange omschrijving van een aspect van de dienstverlening".to_string();
        check_render(
            ChartKind::Mirror,
            ChartData::Comparison(&report),
            Lang::Nl,
            &[],
        );
    }
}
