//! The palette (Okabe–Ito, colour-blind safe), neutrals, base sizes at 1280×720, and the
//! colours of the verdicts.

use plotters::style::RGBColor;

use crate::engine::model::Verdict;

// Okabe–Ito palette.
pub const BLACK: RGBColor = RGBColor(0x00, 0x00, 0x00);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

// Neutrals.
pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
pub const INK: RGBColor = RGBColor(0x1F, 0x1F, 0x1F);
pub const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Aligned (equivalence shown): dark neutral, 7.0:1 on white.
pub const ALIGNED: RGBColor = RGBColor(0x59, 0x59, 0x59);
/// Inconclusive: lighter neutral grey, 3.4:1 on white (graphics need 3:1).
pub const INCONCLUSIVE: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);
pub const FAINT: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);
pub const GRID: RGBColor = RGBColor(0xD4, 0xD4, 0xD4);
pub const BAND: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);
pub const ZONE: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

/// Line colours for many series (trend chart), Okabe–Ito order without the yellow first.
pub const SERIES: [RGBColor; 8] = [
    BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY_BLUE, BLACK, YELLOW,
];

// Base sizes at 1280×720.
pub const MARGIN: f64 = 24.0;
pub const TITLE: f64 = 34.0;
pub const LABEL: f64 = 24.0;
pub const SMALL: f64 = 20.0;

pub fn verdict_color(v: Verdict) -> RGBColor {
    match v {
        Verdict::BlindSpot => VERMILLION,
        Verdict::HiddenStrength => GREEN,
        Verdict::Aligned => ALIGNED,
        Verdict::Inconclusive => INCONCLUSIVE,
        Verdict::InsufficientData => FAINT,
    }
}

/// Colour for text naming a verdict (darker where the line colour is light).
pub fn verdict_text_color(v: Verdict) -> RGBColor {
    match v {
        Verdict::BlindSpot => VERMILLION,
        Verdict::HiddenStrength => RGBColor(0x00, 0x7A, 0x59),
        Verdict::Aligned | Verdict::Inconclusive => MUTED,
        Verdict::InsufficientData => MUTED,
    }
}

pub const VERDICT_ORDER: [Verdict; 5] = [
    Verdict::BlindSpot,
    Verdict::HiddenStrength,
    Verdict::Aligned,
    Verdict::Inconclusive,
    Verdict::InsufficientData,
];
