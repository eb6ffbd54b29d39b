//! Mirror chart: per dimension, employees' self-rating (dot), customers' rating (square) and
//! the employees' prediction (ring) on the rating scale, joined by a line coloured by verdict.

use plotters::prelude::DrawingBackend;

use super::common::{
    missing_note, row_note, usable, verdict_color, verdict_tag, verdict_tag_w, verdict_text_color,
    LegendItem, Marker, Rows, Weight, BLUE, ORANGE_MARK, SMALL, VERDICT_ORDER,
};
use super::{ChartError, Drawing};
use crate::engine::model::Comparison;

pub fn draw<DB: DrawingBackend>(d: Drawing<DB>, report: &Comparison) -> Result<(), ChartError> {
    let Drawing { c, t, top } = d;
    let dims = &report.dimensions;
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

    // Verdict tags at the right.
    let tag_font = c.font(SMALL, Weight::Bold);
    let tag_w = verdict_tag_w(c, t, report, tag_font)?;
    let (rows, axis) = Rows::on_scale(c, t, report, items, top, tag_w)?;
    let frame = &rows.frame;
    let (r, line_w) = frame.marker_sizes(c);
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
            row_note(c, frame, i, &xs, &note)?;
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

    rows.finish(c)
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
