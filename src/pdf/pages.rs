//! The pack's pages: cover, summary, one per dimension, actions. Lists that do not fit say how
//! many were left out; only the action list continues on a further page, so that a pack of
//! eight dimensions has eleven pages whatever it holds, unless it has very many actions.

use super::layout::{
    Cell, Face, Flow, Metrics, Op, Page, Rgb, Style, BAND, CONTENT_BOTTOM, INK, MARGIN, MUTED,
    PAGE_W,
};
use super::{ActionLine, Chart, Pack, Section, Table, Tone};

const H1: Style = Style::new(Face::Bold, 20.0, INK);
const H2: Style = Style::new(Face::Bold, 12.5, INK);
const BODY: Style = Style::new(Face::Regular, 10.5, INK);
const BODY_BOLD: Style = Style::new(Face::Bold, 10.5, INK);
const SMALL: Style = Style::new(Face::Regular, 9.0, MUTED);
const QUESTION: Style = Style::new(Face::Bold, 13.0, INK);

/// Blind spot text: 6.5:1 on white.
const WARNING: Rgb = Rgb(0xA0, 0x40, 0x00);
/// Hidden strength text: 6.2:1 on white.
const GOOD: Rgb = Rgb(0x00, 0x6B, 0x4F);

fn tone_color(t: Tone) -> Rgb {
    match t {
        Tone::Warning => WARNING,
        Tone::Good => GOOD,
        Tone::Neutral => MUTED,
    }
}

pub fn lay_out(pack: &Pack, metrics: &Metrics) -> Vec<Page> {
    let mut f = Flow::new(metrics);
    cover(&mut f, pack);
    summary(&mut f, pack);
    for d in &pack.dimensions {
        dimension(&mut f, d);
    }
    actions(&mut f, pack);
    f.pages
}

fn cover(f: &mut Flow, pack: &Pack) {
    let c = &pack.cover;
    f.page(c.survey.clone(), false);
    f.y = 200.0;
    f.push(Op::Rect {
        x: MARGIN,
        y: 160.0,
        w: 6.0,
        h: 150.0,
        color: Rgb(0x00, 0x72, 0xB2),
    });
    let x = MARGIN + 22.0;
    f.left = x;
    f.y = 160.0;
    // However long the names (200 characters, right-to-left, emoji), the cover keeps its
    // shape: at most three lines each, the last ending in "…", so the facts never run into
    // the anonymity footnote at the bottom.
    f.paragraph_clamped(x, &c.kicker, Style::new(Face::Regular, 13.0, MUTED), 2);
    f.gap(6.0);
    f.paragraph_clamped(x, &c.organisation, Style::new(Face::Bold, 26.0, INK), 3);
    f.gap(4.0);
    f.paragraph_clamped(x, &c.survey, Style::new(Face::Regular, 20.0, INK), 3);
    f.y = f.y.max(330.0);
    f.gap(24.0);
    let label_w = c
        .facts
        .iter()
        .map(|(l, _)| metrics_width(f, l, BODY_BOLD))
        .fold(0.0, f32::max)
        + 16.0;
    let big = Style::new(Face::Regular, 13.0, INK);
    let big_bold = Style::new(Face::Bold, 13.0, INK);
    for (label, value) in &c.facts {
        let y = f.y;
        f.push(Op::Text {
            x,
            y: y + big.size,
            text: label.clone(),
            style: big_bold,
        });
        f.paragraph_clamped(x + label_w.max(110.0), value, big, 2);
        f.gap(4.0);
    }
    if let Some(n) = &c.notice {
        f.gap(16.0);
        let h = f.paragraph_height(x + 10.0, n, BODY_BOLD) + 14.0;
        f.push(Op::Rect {
            x,
            y: f.y,
            w: f.right - x,
            h,
            color: Rgb(0xFF, 0xF4, 0xEC),
        });
        f.gap(7.0);
        f.paragraph_at(x + 10.0, n, Style::new(Face::Bold, 10.5, WARNING));
        f.gap(7.0);
    }
    f.y = CONTENT_BOTTOM - 40.0;
    f.paragraph(&c.footnote, SMALL);
    f.left = MARGIN;
}

fn metrics_width(f: &Flow, text: &str, style: Style) -> f32 {
    f.metrics.width(text, style)
}

/// A section: heading, then bullets while they fit (keeping `reserve` free below), then a
/// line saying how many did not fit.
fn section(f: &mut Flow, s: &Section, style: Style, reserve: f32) {
    f.paragraph(&s.heading, H2);
    f.gap(2.0);
    if s.items.is_empty() {
        f.paragraph(&s.empty, Style::new(Face::Italic, style.size, MUTED));
        return;
    }
    let more_h = SMALL.line_height() + 2.0;
    for (i, item) in s.items.iter().enumerate() {
        let h = f.bullet_height(item, style);
        let last = i + 1 == s.items.len();
        let needed = if last { h } else { h + more_h };
        if f.room() - reserve < needed {
            let left = s.items.len() - i;
            f.paragraph(&s.more.replace("{n}", &left.to_string()), SMALL);
            return;
        }
        f.bullet(item, style);
        f.gap(1.5);
    }
}

fn chart(f: &mut Flow, c: &Chart) {
    f.svg(c.svg.clone(), c.aspect);
    if !c.caption.is_empty() {
        f.gap(3.0);
        f.paragraph(&c.caption, SMALL);
    }
}

fn chart_height(f: &Flow, c: &Chart) -> f32 {
    let caption = if c.caption.is_empty() {
        0.0
    } else {
        3.0 + f.paragraph_height(f.left, &c.caption, SMALL)
    };
    f.width() * c.aspect + caption
}

fn summary(f: &mut Flow, pack: &Pack) {
    let s = &pack.summary;
    f.page(s.heading.clone(), true);
    f.paragraph(&s.heading, H1);
    f.gap(4.0);
    for l in &s.lines {
        f.paragraph(l, BODY);
    }
    f.gap(8.0);
    section(f, &s.knowledge, BODY, 0.0);
    f.gap(8.0);
    section(f, &s.blind_spots, BODY, 0.0);
    f.gap(8.0);
    section(f, &s.hidden_strengths, BODY, 0.0);
    if !s.warnings.items.is_empty() {
        f.gap(8.0);
        section(
            f,
            &s.warnings,
            Style::new(Face::Regular, 10.5, WARNING),
            0.0,
        );
    }
    if let Some(c) = &s.chart {
        f.gap(10.0);
        if chart_height(f, c) < f.room() - 60.0 {
            chart(f, c);
        }
    }
    f.gap(10.0);
    section(f, &s.comments, Style::new(Face::Italic, 10.0, INK), 0.0);
    if let Some((heading, c)) = &s.quadrant {
        f.page(heading.clone(), true);
        f.paragraph(heading, H1);
        f.gap(6.0);
        chart(f, c);
    }
}

fn table(f: &mut Flow, t: &Table) {
    let cols = t.header.len().max(1);
    let first_w = 150.0;
    let rest = (f.width() - first_w) / (cols.saturating_sub(1).max(1)) as f32;
    let cells = |row: &[String], style: Style| -> Vec<Cell> {
        row.iter()
            .enumerate()
            .map(|(i, text)| {
                if i == 0 {
                    Cell::left(0.0, text.clone(), style)
                } else {
                    Cell::right(
                        first_w + rest * (i - 1) as f32,
                        rest - 4.0,
                        text.clone(),
                        style,
                    )
                }
            })
            .collect()
    };
    let head = Style::new(Face::Bold, 9.5, MUTED);
    f.row(&cells(&t.header, head), head.line_height() + 2.0);
    f.rule();
    f.gap(3.0);
    for (i, r) in t.rows.iter().enumerate() {
        if i % 2 == 1 {
            let y = f.y - 1.5;
            f.push(Op::Rect {
                x: f.left,
                y,
                w: f.width(),
                h: BODY.line_height(),
                color: BAND,
            });
        }
        f.row(&cells(r, BODY), BODY.line_height());
    }
    f.gap(2.0);
    f.rule();
}

fn dimension(f: &mut Flow, d: &super::DimensionPage) {
    f.page(d.heading.clone(), true);
    f.paragraph(&d.heading, H1);
    f.gap(2.0);
    let tag = Style::new(Face::Bold, 11.5, tone_color(d.tone));
    f.paragraph(&d.verdict, tag);
    f.paragraph(&d.sentence, BODY);
    f.gap(8.0);
    table(f, &d.table);
    f.gap(5.0);
    for l in &d.facts {
        f.paragraph(l, Style::new(Face::Regular, 9.5, INK));
    }
    // Questions and at least a few actions stay on the page: charts get what is left.
    let questions_h: f32 = 26.0
        + d.questions
            .iter()
            .map(|q| f.paragraph_height(f.left + 10.0, q, QUESTION) + 6.0)
            .sum::<f32>();
    // Room for the actions recorded here (up to three), else for the line saying there are none.
    let actions_h = 24.0
        + d.actions
            .items
            .iter()
            .take(3)
            .map(|a| f.bullet_height(a, BODY) + 1.5)
            .sum::<f32>()
            .max(BODY.line_height());
    for c in &d.charts {
        f.gap(5.0);
        if chart_height(f, c) <= f.room() - questions_h - actions_h {
            chart(f, c);
        }
    }
    f.gap(6.0);
    let top = f.y;
    let h = questions_h - 10.0;
    f.push(Op::Rect {
        x: f.left,
        y: top,
        w: f.width(),
        h,
        color: BAND,
    });
    f.gap(8.0);
    f.paragraph_at(f.left + 10.0, &d.questions_heading, SMALL);
    for q in &d.questions {
        f.paragraph_at(f.left + 10.0, q, QUESTION);
        f.gap(6.0);
    }
    f.y = top + h + 12.0;
    let actions = d.actions.clone();
    section(f, &actions, BODY, 0.0);
}

fn action_height(f: &Flow, a: &ActionLine) -> f32 {
    f.paragraph_height(f.left, &a.title, BODY_BOLD)
        + f.paragraph_height(f.left + 12.0, &a.description, BODY)
        + f.paragraph_height(f.left + 12.0, &a.detail, SMALL)
        + 10.0
}

fn actions(f: &mut Flow, pack: &Pack) {
    let a = &pack.actions;
    f.page(a.heading.clone(), true);
    f.paragraph(&a.heading, H1);
    f.gap(8.0);
    if a.actions.is_empty() {
        f.paragraph(&a.empty, Style::new(Face::Italic, 10.5, MUTED));
        return;
    }
    for item in &a.actions {
        if action_height(f, item) > f.room() {
            f.page(String::new(), true);
        }
        f.paragraph(&item.title, BODY_BOLD);
        f.paragraph_at(f.left + 12.0, &item.description, BODY);
        f.paragraph_at(f.left + 12.0, &item.detail, SMALL);
        f.gap(4.0);
        let y = f.y;
        f.push(Op::Line {
            from: (f.left, y),
            to: (PAGE_W - MARGIN, y),
            width: 0.4,
            color: super::layout::RULE,
        });
        f.gap(6.0);
    }
}
