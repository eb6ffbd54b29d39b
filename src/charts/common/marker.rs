//! Marker shapes for data points and legends, and the legend's items.

use plotters::style::RGBColor;

use super::SERIES;

/// Marker shapes for data points and legends.
#[derive(Debug, Clone, Copy)]
pub enum Marker {
    Dot(RGBColor),
    Square(RGBColor),
    Ring(RGBColor),
    Diamond(RGBColor),
    TriangleUp(RGBColor),
    TriangleDown(RGBColor),
    Hexagon(RGBColor),
    Cross(RGBColor),
    /// A short thick line (legend only).
    Line(RGBColor),
    /// A filled rectangle (legend only).
    Swatch(RGBColor),
    /// A whisker with end caps (legend only).
    Whisker(RGBColor),
    /// No marker: the legend item is plain text.
    None,
}

/// Marker shape `i` of the series in a multi-line chart.
pub fn series_marker(i: usize) -> Marker {
    let c = SERIES[i % SERIES.len()];
    match (i / SERIES.len() + i) % 8 {
        0 => Marker::Dot(c),
        1 => Marker::Square(c),
        2 => Marker::Diamond(c),
        3 => Marker::TriangleUp(c),
        4 => Marker::TriangleDown(c),
        5 => Marker::Ring(c),
        6 => Marker::Cross(c),
        _ => Marker::Hexagon(c),
    }
}

pub struct LegendItem {
    pub marker: Marker,
    pub label: String,
}

impl LegendItem {
    pub fn new(marker: Marker, label: impl Into<String>) -> LegendItem {
        LegendItem {
            marker,
            label: label.into(),
        }
    }
}
