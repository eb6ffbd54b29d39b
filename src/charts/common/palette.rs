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

// The same hues darkened for lines, markers and text on white and on the row bands (#F3F3F3):
// every marker reaches 3:1 there (WCAG 1.4.11), every text colour 4.5:1 (1.4.3). The light
// originals stay for areas (the distribution's ramp), which carry their numbers in text.
/// Orange for markers and lines: 4.0:1 on white, 3.6:1 on a band.
pub const ORANGE_MARK: RGBColor = RGBColor(0xB8, 0x6E, 0x00);
/// Sky blue for markers and lines: 3.9:1 on white, 3.5:1 on a band.
pub const SKY_BLUE_MARK: RGBColor = RGBColor(0x1F, 0x88, 0xC2);
/// Reddish purple for markers and lines: 4.1:1 on white, 3.7:1 on a band.
pub const PURPLE_MARK: RGBColor = RGBColor(0xB8, 0x60, 0x8F);
/// Yellow for markers and lines (dark olive): 4.3:1 on white, 3.9:1 on a band.
pub const YELLOW_MARK: RGBColor = RGBColor(0x8A, 0x7A, 0x00);
/// Vermillion for text: 5.5:1 on white, 5.0:1 on a band.
pub const VERMILLION_TEXT: RGBColor = RGBColor(0xB3, 0x47, 0x00);

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

/// Line colours for many series (trend chart), Okabe–Ito order without the yellow first,
/// darkened where the original is too light for a line on white.
pub const SERIES: [RGBColor; 8] = [
    BLUE,
    VERMILLION,
    GREEN,
    ORANGE_MARK,
    PURPLE_MARK,
    SKY_BLUE_MARK,
    BLACK,
    YELLOW_MARK,
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
        Verdict::BlindSpot => VERMILLION_TEXT,
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

/// WCAG 2 relative luminance.
pub fn luminance(c: RGBColor) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::distribution::{rating_color, text_on};

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn markers_reach_3_to_1_and_text_4_5_to_1_on_white_and_on_the_bands() {
        let markers = [BLUE, VERMILLION, GREEN, ORANGE_MARK, INCONCLUSIVE, ALIGNED];
        for bg in [WHITE, BAND] {
            for c in markers.iter().chain(SERIES.iter()) {
                assert!(
                    contrast(*c, bg) >= 3.0,
                    "{c:?} on {bg:?}: {}",
                    contrast(*c, bg)
                );
            }
            for v in VERDICT_ORDER {
                let c = verdict_text_color(v);
                assert!(contrast(c, bg) >= 4.5, "{v:?} text {c:?} on {bg:?}");
            }
            for c in [INK, MUTED] {
                assert!(contrast(c, bg) >= 4.5);
            }
        }
        // The light originals do not (which is why the marks above are darkened).
        assert!(contrast(ORANGE, WHITE) < 3.0 && contrast(SKY_BLUE, WHITE) < 3.0);
    }

    #[test]
    fn text_on_every_rating_colour_reaches_4_5_to_1() {
        for k in [2, 5, 7, 10, 11] {
            for i in 0..k {
                let c = rating_color(i, k);
                assert!(contrast(text_on(c), c) >= 4.5, "{i}/{k}: {c:?}");
            }
        }
    }
}
