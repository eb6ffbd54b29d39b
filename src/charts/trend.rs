//! Trend chart: the gap (employees − customers) per dimension across waves, on a time axis
//! (wave start), one line per dimension with a direct label at its end.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;
use plotters::style::RGBColor;

use super::common::{
    nice_step, number_ticks, series_marker, Font, Linear, Weight, GRID, INK, LABEL, MARGIN, MUTED,
    RIGHT, SERIES, SMALL, TOP_CENTER, TOP_LEFT, YELLOW,
};
use super::{ChartError, Drawing};
use crate::engine::model::Trend;

/// One dimension's gaps across the waves.
struct Series {
    label: String,
    gaps: Vec<Option<f64>>,
}

fn collect_series(report: &Trend) -> Vec<Series> {
    let mut keys: Vec<&str> = Vec::new();
    for w in &report.waves {
        for p in &w.dimensions {
            if !keys.contains(&p.key.as_str()) {
                keys.push(&p.key);
            }
        }
    }
    keys.iter()
        .map(|key| {
            let mut label = (*key).to_string();
            let gaps = report
                .waves
                .iter()
                .map(|w| {
                    let p = w.dimensions.iter().find(|p| p.key == *key)?;
                    label.clone_from(&p.label);
                    p.gap.as_ref().map(|g| g.value).filter(|v| v.is_finite())
                })
                .collect();
            Series { label, gaps }
        })
        .collect()
}

/// Spreads label centres (sorted by wish) at least `h` apart within [lo, hi].
fn spread(wish: &[i32], h: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..wish.len()).collect();
    order.sort_by_key(|&i| (wish[i], i));
    let mut ys: Vec<i32> = order.iter().map(|&i| wish[i].clamp(lo, hi)).collect();
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + h);
    }
    if let Some(last) = ys.last_mut() {
        *last = (*last).min(hi);
    }
    for k in (0..ys.len().saturating_sub(1)).rev() {
        ys[k] = ys[k].min(ys[k + 1] - h);
    }
    if let Some(first) = ys.first_mut() {
        *first = (*first).max(lo);
    }
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + h);
    }
    let mut out = vec![0; wish.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = ys[k];
    }
    out
}

pub fn draw<DB: DrawingBackend>(d: Drawing<DB>, report: &Trend) -> Result<(), ChartError> {
    let Drawing { c, t, top } = d;
    let series = collect_series(report);
    let m = c.px(MARGIN);
    let small = c.font(SMALL, Weight::Regular);
    let bold = c.font(SMALL, Weight::Bold);
    let italic = c.font(SMALL, Weight::Italic);
    let lh = c.line_h(small);

    // Footnote: every wave in which a dimension could not be shown, and a single-wave note.
    let mut missing = Vec::new();
    for s in &series {
        let waves: Vec<&str> = report
            .waves
            .iter()
            .zip(&s.gaps)
            .filter(|(_, g)| g.is_none())
            .map(|(w, _)| w.name.as_str())
            .collect();
        if !waves.is_empty() {
            missing.push(format!("{} ({})", s.label, waves.join(", ")));
        }
    }
    let mut foot = Vec::new();
    if !missing.is_empty() {
        let mut first = t.too_few.chars();
        let head: String = first
            .next()
            .map(|ch| ch.to_uppercase().chain(first).collect())
            .unwrap_or_default();
        foot.push(format!("{head}: {}", missing.join("; ")));
    }
    if report.waves.len() == 1 {
        foot.push(t.one_wave.to_string());
    }
    let mut foot_fitted = Vec::new();
    for f in &foot {
        foot_fitted.push(c.fit(f, c.w - 2 * m, 2, italic)?);
    }
    let foot_h: i32 = foot_fitted
        .iter()
        .map(|f| c.line_h(f.font) * f.lines.len() as i32)
        .sum();
    let foot_y = c.h - c.px(12.0) - foot_h;

    // Vertical layout: y-axis title, panel, wave names, dates, axis title, footnote.
    let panel_top = top + lh + c.px(8.0);
    let axis_h = c.px(8.0) + 3 * lh + c.px(8.0);
    let panel_bottom = foot_y - axis_h - c.px(4.0);

    // Value range.
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.gaps.iter().flatten())
        .copied()
        .collect();
    let mut lo = values.iter().copied().fold(0.0f64, f64::min);
    let mut hi = values.iter().copied().fold(0.0f64, f64::max);
    if hi - lo < 1.0 {
        let mid = (hi + lo) / 2.0;
        lo = lo.min(mid - 0.5);
        hi = hi.max(mid + 0.5);
    }
    let step = nice_step(hi - lo, 6.0);
    let lo = ((lo - 0.05 * (hi - lo)) / step).floor() * step;
    let hi = ((hi + 0.05 * (hi - lo)) / step).ceil() * step;
    let y_ticks = number_ticks(lo, hi, step, true, t);
    let ytick_w = c.widest(y_ticks.iter().map(|(_, l)| l.as_str()), small)?;

    // Right-hand label column.
    let label_font = c.font(LABEL - 2.0, Weight::Regular);
    let mark_r = c.px(8.0);
    let mark_w = 2 * mark_r + c.px(10.0);
    // The text next to each line end; a dimension without any gap is greyed (the footnote
    // says why).
    let end_texts: Vec<(String, Font, RGBColor)> = series
        .iter()
        .map(|s| {
            if s.gaps.iter().any(Option::is_some) {
                (s.label.clone(), label_font, INK)
            } else {
                (
                    s.label.clone(),
                    label_font.with_weight(Weight::Italic),
                    MUTED,
                )
            }
        })
        .collect();
    let mut natural = 0;
    for (text, font, _) in &end_texts {
        natural = natural.max(c.text_w(text, *font)?);
    }
    let label_w = natural.min(c.w * 27 / 100 - mark_w);
    let label_x = c.w - m - label_w - mark_w;
    let panel_x0 = m + ytick_w + c.px(12.0);
    let panel_x1 = label_x - c.px(24.0);

    // Time axis with room for the first and last wave names.
    let times: Vec<f64> = report
        .waves
        .iter()
        .map(|w| w.opens_at.timestamp() as f64)
        .collect();
    let names: Vec<String> = report.waves.iter().map(|w| w.name.clone()).collect();
    let dates: Vec<String> = report
        .waves
        .iter()
        .map(|w| w.opens_at.format(t.date_format).to_string())
        .collect();
    let mut half_w = Vec::with_capacity(names.len());
    for (n, d) in names.iter().zip(&dates) {
        half_w.push(c.text_w(n, bold)?.max(c.text_w(d, small)?) / 2);
    }
    // Room for the first and last wave's name beside the panel's ends.
    let pad = |w: Option<&i32>| {
        w.copied()
            .unwrap_or(0)
            .max(c.px(30.0))
            .min((panel_x1 - panel_x0) / 4)
    };
    let (pad_l, pad_r) = (pad(half_w.first()), pad(half_w.last()));
    let t0 = times.iter().copied().fold(f64::INFINITY, f64::min);
    let t1 = times.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let xs: Vec<i32> = if t1 > t0 {
        let xa = Linear::new(t0, t1, panel_x0 + pad_l, panel_x1 - pad_r);
        times.iter().map(|&v| xa.map(v)).collect()
    } else {
        // One wave (or all on one day): at the right, next to the labels.
        vec![panel_x1 - pad_r; times.len()]
    };
    let ya = Linear::new(lo, hi, panel_bottom, panel_top);

    // Grid, zero line, axes.
    for (v, l) in &y_ticks {
        let y = ya.map(*v);
        c.line(vec![(panel_x0, y), (panel_x1, y)], GRID, c.px(1.5))?;
        c.text(l, (panel_x0 - c.px(10.0), y), small, MUTED, RIGHT)?;
    }
    for &x in &xs {
        c.line(vec![(x, panel_top), (x, panel_bottom)], GRID, c.px(1.5))?;
    }
    let zero = ya.map(0.0);
    c.line(vec![(panel_x0, zero), (panel_x1, zero)], MUTED, c.px(2.5))?;
    c.line(
        vec![(panel_x0, panel_bottom), (panel_x1, panel_bottom)],
        MUTED,
        c.px(1.5),
    )?;
    c.text(t.axis_gap, (m, top), small, INK, TOP_LEFT)?;

    // Wave names and dates, shortened where neighbours are close.
    let ty = panel_bottom + c.px(8.0);
    for (i, &x) in xs.iter().enumerate() {
        let mut room = c.w;
        if i > 0 {
            room = room.min(x - xs[i - 1]);
        }
        if i + 1 < xs.len() {
            room = room.min(xs[i + 1] - x);
        }
        let room = (room - c.px(12.0)).max(c.px(40.0));
        c.line(vec![(x, panel_bottom), (x, ty)], MUTED, c.px(1.5))?;
        let name = c.ellipsize(&names[i], room, bold)?;
        c.text(&name, (x, ty), bold, INK, TOP_CENTER)?;
        let date = c.ellipsize(&dates[i], room, small)?;
        c.text(&date, (x, ty + lh), small, MUTED, TOP_CENTER)?;
    }
    c.text(
        t.axis_wave,
        ((panel_x0 + panel_x1) / 2, ty + 2 * lh + c.px(4.0)),
        small,
        INK,
        TOP_CENTER,
    )?;

    // Lines and markers.
    let line_w = c.px(4.0);
    let r = c.px(8.0);
    let polyline = |run: Vec<(i32, i32)>, color: RGBColor| -> Result<(), ChartError> {
        if run.len() < 2 {
            return Ok(());
        }
        if color == YELLOW {
            // A dark edge so the yellow line reads on white.
            c.line(run.clone(), MUTED, line_w + c.px(3.0))?;
        }
        c.line(run, color, line_w)
    };
    for (i, s) in series.iter().enumerate() {
        let color = SERIES[i % SERIES.len()];
        let mut run: Vec<(i32, i32)> = Vec::new();
        for (k, g) in s.gaps.iter().enumerate() {
            match g {
                Some(v) => run.push((xs[k], ya.map(*v))),
                None => polyline(std::mem::take(&mut run), color)?,
            }
        }
        polyline(run, color)?;
    }
    for (i, s) in series.iter().enumerate() {
        for (k, g) in s.gaps.iter().enumerate() {
            if let Some(v) = g {
                c.marker(series_marker(i), (xs[k], ya.map(*v)), r)?;
            }
        }
    }

    // Direct labels at the right, spread so they never overlap.
    let row = c.line_h(label_font) + c.px(4.0);
    let wish: Vec<i32> = series
        .iter()
        .map(|s| {
            s.gaps
                .iter()
                .rev()
                .flatten()
                .next()
                .map_or(panel_bottom, |v| ya.map(*v))
        })
        .collect();
    let placed = spread(
        &wish,
        row,
        panel_top + row / 2,
        panel_bottom.max(panel_top + row / 2),
    );
    for (i, s) in series.iter().enumerate() {
        let y = placed[i];
        let last = s
            .gaps
            .iter()
            .enumerate()
            .rev()
            .find_map(|(k, g)| g.map(|v| (k, v)));
        let color = SERIES[i % SERIES.len()];
        if let Some((k, v)) = last {
            if k + 1 == xs.len() {
                c.line(
                    vec![(xs[k] + r + c.px(4.0), ya.map(v)), (label_x - c.px(4.0), y)],
                    color,
                    c.px(1.5),
                )?;
            }
        }
        c.marker(series_marker(i), (label_x + mark_r, y), mark_r)?;
        let (text, font, ink) = &end_texts[i];
        let fitted = c.fit(text, label_w, 1, *font)?;
        c.text_lines(&fitted, (label_x + mark_w, y), *ink, HPos::Left)?;
    }

    let mut y = foot_y;
    for f in &foot_fitted {
        let h = c.line_h(f.font) * f.lines.len() as i32;
        c.text_lines(f, (m, y + h / 2), MUTED, HPos::Left)?;
        y += h;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{check_render, label, trend_in};
    use super::super::{ChartData, ChartKind};
    use super::spread;
    use crate::i18n::Lang;

    #[test]
    fn renders_both_languages_with_every_label() {
        for lang in [Lang::Nl, Lang::En] {
            let report = trend_in(true, lang);
            let mut expect: Vec<&str> = (0..8).map(|i| label(i, lang)).collect();
            expect.push(match lang {
                Lang::Nl => "Niet te vergelijken",
                Lang::En => "Cannot be compared",
            });
            check_render(ChartKind::Trend, ChartData::Trend(&report), lang, &expect);
        }
    }

    #[test]
    fn single_wave_and_missing_dimension_render() {
        let mut report = trend_in(false, Lang::En);
        report.waves.truncate(1);
        report.changes.clear();
        report.waves[0].dimensions[2].gap = None;
        check_render(
            ChartKind::Trend,
            ChartData::Trend(&report),
            Lang::En,
            &["Cannot be compared: Complaint handling", "Only one wave"],
        );
    }

    #[test]
    fn labels_are_spread_apart() {
        let ys = spread(&[100, 100, 101, 300], 20, 0, 400);
        let mut sorted = ys.clone();
        sorted.sort();
        assert!(sorted.windows(2).all(|w| w[1] - w[0] >= 20), "{ys:?}");
        let ys = spread(&[390, 395, 399], 20, 0, 400);
        assert!(ys.iter().all(|&y| y <= 400), "{ys:?}");
    }
}
