//! Palette, fonts and layout helpers shared by the chart kinds.
//!
//! All sizes are designed for 1280×720 and scaled with `Canvas::s` for other sizes. At 1280×720
//! no text is smaller than 20 px (plotters size; 16 px CSS font-size in SVG).

mod axis;
mod canvas;
mod marker;
mod palette;
mod rows;
mod text;

pub use axis::*;
pub use canvas::*;
pub use marker::*;
pub use palette::*;
pub use rows::*;
pub use text::*;
