//! Fonts (bundled, no system fonts), text anchors, and the words and numbers charts print.

use std::sync::OnceLock;

use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontStyle;

use crate::charts::ChartError;
use crate::engine::model::{Comparison, DimensionReport, GroupStats, Respondents, ScaleView};
use crate::i18n::charts::ChartText;
use crate::i18n::verdicts::{self, ReasonScope};

static FONTS: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers the bundled DejaVu Sans faces with plotters (once per process).
pub fn ensure_fonts() -> Result<(), ChartError> {
    FONTS
        .get_or_init(|| {
            let faces = [
                (FontStyle::Normal, dejavu::sans::regular()),
                (FontStyle::Bold, dejavu::sans::bold()),
                (FontStyle::Italic, dejavu::sans::oblique()),
            ];
            for (style, bytes) in faces {
                plotters::style::register_font("sans-serif", style, bytes)
                    .map_err(|_| format!("cannot load the {} font", style.as_str()))?;
            }
            Ok(())
        })
        .clone()
        .map_err(ChartError::Draw)
}

/// The mean of a group, or `None` when it must not be shown (suppressed or empty).
pub fn usable(g: &GroupStats) -> Option<f64> {
    if g.suppressed {
        return None;
    }
    g.mean.filter(|m| m.is_finite())
}

/// "Klanten: minder dan 5 antwoorden (n = 3)" for each of employees/customers whose numbers
/// may not be shown in a dimension (with the reason in words), or `None` when both can be shown.
pub fn missing_note(t: &ChartText, d: &DimensionReport, report: &Comparison) -> Option<String> {
    let scope = ReasonScope::of(report);
    let mut parts = Vec::new();
    if usable(&d.employee).is_none() {
        parts.push(format!(
            "{}: {}",
            t.employees,
            verdicts::withheld_group(t.lang, &d.employee, scope)
        ));
    }
    if usable(&d.customer).is_none() {
        parts.push(format!(
            "{}: {}",
            t.customers,
            verdicts::withheld_group(t.lang, &d.customer, scope)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// A dimension's verdict as a chart's tag, said by what is known.
pub fn verdict_tag(t: &ChartText, d: &DimensionReport, report: &Comparison) -> &'static str {
    verdicts::chart_tag(t.lang, verdicts::known(d, report.alpha))
}

/// The composition warning of a report in words, naming its dimensions; `None` when no
/// dimension has `stratified_gap.composition_warning`.
pub fn composition_warning(t: &ChartText, report: &Comparison) -> Option<String> {
    let labels: Vec<&str> = report
        .dimensions
        .iter()
        .filter(|d| {
            d.stratified_gap
                .as_ref()
                .is_some_and(|s| s.composition_warning == Some(true))
        })
        .map(|d| d.label.as_str())
        .collect();
    (!labels.is_empty()).then(|| {
        t.composition_warning
            .replace("{labels}", &labels.join(", "))
    })
}

/// A number in the chart's language (`i18n::format`, the one formatter of every output).
pub fn fmt_num(v: f64, decimals: usize, t: &ChartText) -> String {
    crate::i18n::format::number_with(v, decimals, t.decimal)
}

/// Like `fmt_num` with a `+` for positive values.
pub fn fmt_signed(v: f64, decimals: usize, t: &ChartText) -> String {
    crate::i18n::format::signed_with(v, decimals, t.decimal)
}

pub fn respondents_line(t: &ChartText, r: &Respondents) -> String {
    format!(
        "{}: n = {} · {}: n = {}",
        t.employees, r.employee, t.customers, r.customer
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
    Italic,
}

#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub size: f64,
    pub weight: Weight,
}

impl Font {
    pub fn with_size(self, size: f64) -> Font {
        Font { size, ..self }
    }

    pub fn with_weight(self, weight: Weight) -> Font {
        Font { weight, ..self }
    }
}

/// Anchor of a text: horizontal and vertical position of the given point.
pub type Anchor = (HPos, VPos);
pub const LEFT: Anchor = (HPos::Left, VPos::Center);
pub const RIGHT: Anchor = (HPos::Right, VPos::Center);
pub const CENTER: Anchor = (HPos::Center, VPos::Center);
pub const TOP_LEFT: Anchor = (HPos::Left, VPos::Top);
pub const TOP_CENTER: Anchor = (HPos::Center, VPos::Top);

/// Axis title for a rating scale, e.g. "Gemiddelde score (1 = laag, 10 = hoog)".
pub fn scale_title(t: &ChartText, scale: ScaleView) -> String {
    format!(
        "{} ({} = {}, {} = {})",
        t.axis_mean,
        scale.min.min(scale.max),
        t.low,
        scale.max.max(scale.min),
        t.high
    )
}
