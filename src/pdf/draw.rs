//! Laid-out pages to PDF bytes with krilla: text as real text in the embedded (subset) DejaVu
//! faces, charts as vectors through usvg and krilla-svg. No clock, no random ids: the same
//! pages give the same bytes.

use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document};
use krilla_svg::{SurfaceExt, SvgSettings};
use usvg::fontdb;

use super::layout::{Face, Op, Page, Rgb, Style, MARGIN, PAGE_H, PAGE_W};
use super::PdfError;

/// The running header of every page but the cover, and the document's metadata.
pub struct Frame<'a> {
    pub title: &'a str,
    pub lang: &'a str,
    /// Left of the header: survey · team · wave.
    pub header: &'a str,
    /// "Pagina" / "Page".
    pub page_word: &'a str,
}

struct Fonts {
    regular: Font,
    bold: Font,
    italic: Font,
}

impl Fonts {
    fn load() -> Result<Fonts, PdfError> {
        let load = |bytes: &'static [u8], name: &str| {
            Font::new(Data::from(bytes), 0)
                .ok_or_else(|| PdfError::Font(format!("cannot read the {name} face")))
        };
        Ok(Fonts {
            regular: load(dejavu::sans::regular(), "regular")?,
            bold: load(dejavu::sans::bold(), "bold")?,
            italic: load(dejavu::sans::oblique(), "oblique")?,
        })
    }

    fn get(&self, face: Face) -> Font {
        match face {
            Face::Regular => self.regular.clone(),
            Face::Bold => self.bold.clone(),
            Face::Italic => self.italic.clone(),
        }
    }
}

/// The fonts the charts' SVG text resolves to: the bundled DejaVu faces only (never the
/// system's), with `sans-serif` mapped to DejaVu Sans.
fn svg_fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for bytes in [
            dejavu::sans::regular(),
            dejavu::sans::bold(),
            dejavu::sans::oblique(),
        ] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
        }
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw_op(surface: &mut Surface, fonts: &Fonts, op: &Op) -> Result<(), PdfError> {
    match op {
        Op::Text { x, y, text, style } => {
            if text.is_empty() {
                return Ok(());
            }
            surface.set_stroke(None);
            surface.set_fill(Some(fill(style.color)));
            surface.draw_text(
                Point::from_xy(*x, *y),
                fonts.get(style.face),
                style.size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Line {
            from,
            to,
            width,
            color: c,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.0, from.1);
            pb.line_to(to.0, to.1);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(*c).into(),
                    width: *width,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            color: c,
        } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*c)));
                surface.draw_path(&path);
            }
        }
        Op::Svg { x, y, w, h, svg } => {
            let options = usvg::Options {
                font_family: "DejaVu Sans".into(),
                fontdb: svg_fonts(),
                ..Default::default()
            };
            let tree =
                usvg::Tree::from_str(svg, &options).map_err(|e| PdfError::Chart(e.to_string()))?;
            let size = Size::from_wh(*w, *h)
                .ok_or_else(|| PdfError::Chart(format!("chart box {w}×{h}")))?;
            surface.push_transform(&Transform::from_translate(*x, *y));
            let drawn = surface.draw_svg(&tree, size, SvgSettings::default());
            surface.pop();
            drawn.ok_or_else(|| PdfError::Chart("the chart could not be drawn".into()))?;
        }
    }
    Ok(())
}

/// The style of the running header and the page number.
pub const HEADER_STYLE: Style = Style::new(Face::Regular, 9.0, super::layout::MUTED);

/// The running header (survey · team · wave) and the page number.
fn running(frame: &Frame, index: usize, total: usize) -> Vec<Op> {
    use super::layout::RULE;
    let small = HEADER_STYLE;
    vec![
        Op::Text {
            x: MARGIN,
            y: 34.0,
            text: frame.header.to_string(),
            style: small,
        },
        Op::Line {
            from: (MARGIN, 44.0),
            to: (PAGE_W - MARGIN, 44.0),
            width: 0.6,
            color: RULE,
        },
        Op::Text {
            x: MARGIN,
            y: PAGE_H - 24.0,
            text: format!("{} {} / {}", frame.page_word, index + 1, total),
            style: small,
        },
    ]
}

/// Draws the pages into one PDF document.
pub fn document(frame: &Frame, pages: &[Page]) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(frame.title.to_string())
            .language(frame.lang.to_string())
            .creator("Klantspiegel".to_string()),
    );
    let total = pages.len();
    let mut outline = Outline::new();
    for (i, page) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| PdfError::Layout("page size".into()))?;
        let mut p = doc.start_page_with(settings);
        let mut surface = p.surface();
        let extra = if page.running {
            running(frame, i, total)
        } else {
            Vec::new()
        };
        for op in extra.iter().chain(&page.ops) {
            draw_op(&mut surface, &fonts, op)?;
        }
        surface.finish();
        p.finish();
        if !page.bookmark.is_empty() {
            outline.push_child(OutlineNode::new(
                page.bookmark.clone(),
                krilla::destination::XyzDestination::new(i, Point::from_xy(0.0, 0.0)),
            ));
        }
    }
    doc.set_outline(outline);
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}
