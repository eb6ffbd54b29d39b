//! The comparison as an aligned text table (CLI `report --format table`).

use crate::engine::{Comparison, GroupStats, Verdict};
use crate::i18n::{self, Lang};

fn mean(g: &GroupStats) -> String {
    match g.mean {
        Some(m) => format!("{m:.2}"),
        None => format!("n={}", g.n),
    }
}

/// Renders the report; suppressed groups show their count only.
pub fn table(report: &Comparison, lang: Lang) -> String {
    let t = i18n::text(lang);
    let headers = [
        t.col_priority,
        t.col_dimension,
        t.col_employees,
        t.col_prediction,
        t.col_customers,
        t.col_gap,
        t.col_ci95,
        t.col_p,
        t.col_verdict,
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for d in &report.dimensions {
        let (gap, ci, p) = match &d.gap {
            Some(g) => (
                format!("{:+.2}", g.value),
                format!("[{:+.2}, {:+.2}]", g.ci95[0], g.ci95[1]),
                // The Holm-adjusted p beside the verdict (SPEC "Words for verdicts").
                if g.p_adjusted < 0.001 {
                    "<0.001".to_string()
                } else {
                    format!("{:.3}", g.p_adjusted)
                },
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        rows.push(vec![
            d.priority.to_string(),
            d.label.clone(),
            mean(&d.employee),
            d.predicted.as_ref().map(mean).unwrap_or_else(|| "—".into()),
            mean(&d.customer),
            gap,
            ci,
            p,
            i18n::verdicts::tag(lang, i18n::verdicts::known(d, report.alpha)).to_string(),
        ]);
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - c.chars().count();
            // Text columns left, numbers right.
            if i == 1 || i == 8 {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            } else {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            }
            s.push_str("  ");
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = String::new();
    out.push_str(&format!(
        "{}: {} {}, {} {}\n",
        t.respondents,
        report.respondents.employee,
        t.employees_word,
        report.respondents.customer,
        t.customers_word
    ));
    if let Some(nps) = &report.nps {
        match nps.score {
            Some(s) => out.push_str(&format!("NPS: {s:+.1} (n={})\n", nps.n)),
            None => out.push_str(&format!(
                "NPS: {}\n",
                i18n::verdicts::withheld_nps(lang, nps, report)
            )),
        }
    }
    out.push('\n');
    out.push_str(&line(
        &headers.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
    ));
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for r in &rows {
        out.push_str(&line(r));
    }
    if report
        .dimensions
        .iter()
        .any(|d| d.verdict == Verdict::InsufficientData)
    {
        out.push_str(&format!(
            "\n{}\n",
            t.suppressed_note
                .replace("{n}", &report.min_group_size.to_string())
        ));
    }
    out
}
