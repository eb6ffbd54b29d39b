//! One row per dimension: the frame of the mirror, gaps, distribution and expectations charts.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::*;
use crate::charts::ChartError;
use crate::engine::model::{Comparison, DimensionReport};
use crate::i18n::charts::ChartText;

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
        // Rank 0: no rank shown (a chart of one dimension, e.g. a workshop slide).
        let ranks: Vec<String> = ranks
            .iter()
            .map(|r| {
                if *r == 0 {
                    String::new()
                } else {
                    r.to_string()
                }
            })
            .collect();
        let rank_w = c.widest(ranks.iter().map(String::as_str), rank_font)?;
        let rank_x = left + c.px(10.0);
        let label_x = if rank_w > 0 {
            rank_x + rank_w + c.px(14.0)
        } else {
            left + c.px(10.0)
        };
        let lf = c.font(LABEL, Weight::Regular);
        let natural = c.widest(labels.iter().copied(), lf)?;
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

/// The frame of a row chart with its legend at the bottom: the legend is measured first (the
/// rows end above it) and drawn last.
pub struct Rows {
    pub frame: RowFrame,
    legend: Vec<LegendItem>,
    legend_y: i32,
}

impl Rows {
    /// Lays out one row per dimension of `dims` between `top` and the `legend` (see
    /// `RowFrame::layout` for `extra_w` and `tag_w`) and draws the bands behind the rows.
    pub fn layout<DB: DrawingBackend>(
        c: &Canvas<'_, DB>,
        dims: &[DimensionReport],
        legend: Vec<LegendItem>,
        top: i32,
        extra_w: i32,
        tag_w: i32,
    ) -> Result<Rows, ChartError> {
        let m = c.px(MARGIN);
        let legend_h = c.legend(&legend, m, c.w - m, 0, false)?;
        let legend_y = c.h - c.px(12.0) - legend_h;
        let rows_bottom = legend_y - RowFrame::x_axis_height(c);
        let labels: Vec<&str> = dims.iter().map(|d| d.label.as_str()).collect();
        let ranks: Vec<u32> = dims.iter().map(|d| d.priority).collect();
        let frame = RowFrame::layout(c, &labels, &ranks, top, rows_bottom, extra_w, tag_w)?;
        frame.draw_bands(c)?;
        Ok(Rows {
            frame,
            legend,
            legend_y,
        })
    }

    /// Draws the legend: the last thing a row chart draws.
    pub fn finish<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), ChartError> {
        let m = c.px(MARGIN);
        c.legend(&self.legend, m, c.w - m, self.legend_y, true)?;
        Ok(())
    }

    /// The rows of the mirror and expectations charts (no extra column): laid out as `layout`
    /// does, with the rating scale along the panel (inset so that markers at its ends fit),
    /// its ticks and title, and the row labels drawn.
    pub fn on_scale<DB: DrawingBackend>(
        c: &Canvas<'_, DB>,
        t: &ChartText,
        report: &Comparison,
        legend: Vec<LegendItem>,
        top: i32,
        tag_w: i32,
    ) -> Result<(Rows, Linear), ChartError> {
        let rows = Rows::layout(c, &report.dimensions, legend, top, 0, tag_w)?;
        let f = &rows.frame;
        let (lo, hi) = scale_bounds(report.scale);
        let pad = c.px(22.0);
        let axis = Linear::new(lo, hi, f.panel_x0 + pad, f.panel_x1 - pad);
        let title = scale_title(t, report.scale);
        f.draw_x_axis(c, &axis, &scale_ticks(lo, hi, t), &title)?;
        f.draw_labels(c)?;
        Ok((rows, axis))
    }
}

impl RowFrame {
    /// Radius of a marker on the scale axis and width of the line joining the markers of a row.
    pub fn marker_sizes<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> (i32, i32) {
        let r = c.px(11.0).min(self.row_h / 3).max(2);
        let line_w = c.px(6.0).min(self.row_h / 6).max(1);
        (r, line_w)
    }
}

/// The width of the verdict tag column: the widest tag in `font`, at most a fifth of the chart.
pub fn verdict_tag_w<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    t: &ChartText,
    report: &Comparison,
    font: Font,
) -> Result<i32, ChartError> {
    let tags = report.dimensions.iter().map(|d| verdict_tag(t, d, report));
    Ok(c.widest(tags, font)?.min(c.w / 5))
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
