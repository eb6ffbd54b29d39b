//! Expectations chart: per dimension the customers' expectation (ring) and experience
//! (square) on the rating scale, joined by a line coloured by the paired difference, with the
//! expectation gap (experience − expectation) written at the right.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::common::{
    fmt_signed, row_note, usable, verdict_color, verdict_text_color, LegendItem, Marker, Rows,
    Weight, LEFT, ORANGE_MARK, SMALL,
};
use super::{ChartError, Drawing};
use crate::engine::model::{Comparison, DimensionReport, Verdict};
use crate::i18n::charts::ChartText;

/// How a dimension's expectation gap reads: below, above, or no clear difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Below,
    Above,
    Even,
}

impl Reading {
    /// Reuses the verdict colours: below expectations is the problem colour.
    fn as_verdict(self) -> Verdict {
        match self {
            Reading::Below => Verdict::BlindSpot,
            Reading::Above => Verdict::HiddenStrength,
            Reading::Even => Verdict::Aligned,
        }
    }

    fn color(self) -> RGBColor {
        verdict_color(self.as_verdict())
    }

    fn text_color(self) -> RGBColor {
        verdict_text_color(self.as_verdict())
    }

    fn name(self, t: &ChartText) -> &'static str {
        match self {
            Reading::Below => t.exp_below,
            Reading::Above => t.exp_above,
            Reading::Even => t.exp_even,
        }
    }
}

/// The gap value and its reading, when both groups may be shown.
fn reading(d: &DimensionReport, alpha: f64) -> Option<(f64, Reading)> {
    usable(&d.customer)?;
    usable(d.expected.as_ref()?)?;
    let g = d.expectation_gap.as_ref()?;
    let value = g.value.filter(|v| v.is_finite())?;
    let significant = g.p_value.is_some_and(|p| p.is_finite() && p < alpha);
    let r = if significant && value < 0.0 {
        Reading::Below
    } else if significant && value > 0.0 {
        Reading::Above
    } else {
        Reading::Even
    };
    Some((value, r))
}

pub fn draw<DB: DrawingBackend>(d: Drawing<DB>, report: &Comparison) -> Result<(), ChartError> {
    let Drawing { c, t, top } = d;
    let lang = t.lang;
    let scope = crate::i18n::verdicts::ReasonScope::of(report);
    let dims = &report.dimensions;
    if dims.iter().all(|d| d.expected.is_none()) {
        return c.message(t.no_expectations, top);
    }
    let alpha = if report.alpha.is_finite() {
        report.alpha
    } else {
        0.05
    };
    let readings: Vec<Option<(f64, Reading)>> = dims.iter().map(|d| reading(d, alpha)).collect();

    let mut items = vec![
        LegendItem::new(Marker::Ring(ORANGE_MARK), t.legend_expected),
        LegendItem::new(Marker::Square(ORANGE_MARK), t.legend_perceived),
    ];
    for r in [Reading::Below, Reading::Above, Reading::Even] {
        if readings.iter().flatten().any(|(_, x)| *x == r) {
            items.push(LegendItem::new(Marker::Line(r.color()), r.name(t)));
        }
    }

    // Tag column: "−0,8 onder verwachting".
    let value_font = c.font(SMALL, Weight::Bold);
    let word_font = c.font(SMALL, Weight::Regular);
    let note_font = c.font(SMALL, Weight::Italic);
    let space = c.px(8.0);
    let mut value_w = 0;
    let mut words_w = 0;
    let mut note_w = 0;
    for (d, r) in dims.iter().zip(&readings) {
        match r {
            Some((v, r)) => {
                value_w = value_w.max(c.text_w(&fmt_signed(*v, 1, t), value_font)?);
                words_w = words_w.max(c.text_w(r.name(t), word_font)?);
            }
            None => {
                let note = if d.expected.is_none() {
                    t.not_asked
                } else {
                    crate::i18n::verdicts::tag(lang, crate::i18n::verdicts::Known::Withheld)
                };
                note_w = note_w.max(c.text_w(note, note_font)?);
            }
        }
    }
    let tag_total = (value_w + space + words_w).max(note_w).min(c.w / 4);

    let (rows, axis) = Rows::on_scale(c, t, report, items, top, tag_total)?;
    let frame = &rows.frame;
    let (r, line_w) = frame.marker_sizes(c);
    for (i, d) in dims.iter().enumerate() {
        let y = frame.center(i);
        let perceived = usable(&d.customer);
        let expected = d.expected.as_ref().and_then(usable);
        let reading = readings[i];
        let xs: Vec<i32> = [expected, perceived]
            .into_iter()
            .flatten()
            .map(|v| axis.map_clamped(v))
            .collect();
        if let (Some(e), Some(p)) = (expected, perceived) {
            let color = reading.map_or(verdict_color(Verdict::Aligned), |(_, r)| r.color());
            let (x0, x1) = (axis.map_clamped(e.min(p)), axis.map_clamped(e.max(p)));
            if x1 > x0 {
                c.line(vec![(x0, y), (x1, y)], color, line_w)?;
            }
        }
        if let Some(e) = expected {
            c.marker(
                Marker::Ring(ORANGE_MARK),
                (axis.map_clamped(e), y),
                r + c.px(2.0),
            )?;
        }
        if let Some(p) = perceived {
            c.marker(Marker::Square(ORANGE_MARK), (axis.map_clamped(p), y), r)?;
        }

        // Customers below the threshold are named, never silently left out.
        let hidden = perceived.is_none() || (d.expected.is_some() && expected.is_none());
        let note = if hidden {
            let smaller = match &d.expected {
                Some(e) if e.n < d.customer.n => e,
                _ => &d.customer,
            };
            Some(format!(
                "{}: {}",
                t.customers,
                crate::i18n::verdicts::withheld_group(lang, smaller, scope)
            ))
        } else if d.expected.is_none() {
            Some(format!("{}: {}", t.legend_expected, t.not_asked))
        } else {
            None
        };
        if let Some(note) = note {
            row_note(c, frame, i, &xs, &note)?;
        }

        match reading {
            Some((v, r)) => {
                let value = fmt_signed(v, 1, t);
                c.text(
                    &value,
                    (frame.tag_x + value_w, y),
                    value_font,
                    r.text_color(),
                    super::common::RIGHT,
                )?;
                let x = frame.tag_x + value_w + space;
                let name = c.ellipsize(r.name(t), frame.right - x, word_font)?;
                c.text(&name, (x, y), word_font, r.text_color(), LEFT)?;
            }
            None => {
                let note = if d.expected.is_none() {
                    t.not_asked
                } else {
                    crate::i18n::verdicts::tag(lang, crate::i18n::verdicts::Known::Withheld)
                };
                let note = c.ellipsize(note, frame.right - frame.tag_x, note_font)?;
                c.text(
                    &note,
                    (frame.tag_x, y),
                    note_font,
                    verdict_text_color(Verdict::InsufficientData),
                    LEFT,
                )?;
            }
        }
    }

    rows.finish(c)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{check_render, comparison_in};
    use super::super::{ChartData, ChartKind};
    use crate::i18n::Lang;

    #[test]
    fn without_expectations_says_so() {
        let mut report = comparison_in(4, false, Lang::En);
        for d in &mut report.dimensions {
            d.expected = None;
            d.expectation_gap = None;
        }
        check_render(
            ChartKind::Expectations,
            ChartData::Comparison(&report),
            Lang::En,
            &["did not ask customers about their expectations"],
        );
        report.dimensions[0].expected = comparison_in(1, false, Lang::En).dimensions[0]
            .expected
            .clone();
        check_render(
            ChartKind::Expectations,
            ChartData::Comparison(&report),
            Lang::En,
            &["not asked", "Keeping agreements"],
        );
    }
}
