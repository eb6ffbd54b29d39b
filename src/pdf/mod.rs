//! The workshop pack as a PDF (SPEC "Exports for the workshop"): a cover, a summary, one page
//! per dimension and a page with every action. `app::pack` decides what may be shown (through
//! `app::reports`) and gathers it; [`workshop`] puts it into words of the reader's language;
//! here text is wrapped, pages are filled and krilla writes the bytes.

pub mod draw;
pub mod layout;
mod pages;
pub mod workshop;

/// The colour a verdict is named in: dark enough for text (≥ 4.5:1 on white).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Blind spot: dark vermillion.
    Warning,
    /// Hidden strength: dark bluish green.
    Good,
    Neutral,
}

/// A chart drawn as vectors: its SVG and its height over width.
#[derive(Debug, Clone)]
pub struct Chart {
    pub svg: String,
    pub aspect: f32,
    /// One sentence naming what the chart shows (printed under it; none when empty).
    pub caption: String,
}

/// A heading with its items, or a sentence when there are none.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub heading: String,
    pub items: Vec<String>,
    pub empty: String,
    /// Printed when items did not fit ("{n}" is replaced by their number).
    pub more: String,
}

#[derive(Debug, Clone, Default)]
pub struct Cover {
    pub kicker: String,
    pub organisation: String,
    pub survey: String,
    /// (label, value): team, wave, dates, respondents.
    pub facts: Vec<(String, String)>,
    /// Interim results, or counts only while the wave is open.
    pub notice: Option<String>,
    pub footnote: String,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub heading: String,
    pub lines: Vec<String>,
    pub blind_spots: Section,
    pub hidden_strengths: Section,
    /// The composition warning (stratified gap), one item per dimension it concerns.
    pub warnings: Section,
    pub chart: Option<Chart>,
    pub comments: Section,
    /// "Hoe goed kenden wij onze klanten?": the knowledge score in words (SPEC revision 3).
    pub knowledge: Section,
    /// The mirror quadrant, on the summary's second page with its own heading.
    pub quadrant: Option<(String, Chart)>,
}

/// A table: a header row and rows of cells; the first column is left-aligned, the others
/// right-aligned numbers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct DimensionPage {
    pub heading: String,
    pub verdict: String,
    pub tone: Tone,
    pub sentence: String,
    pub table: Table,
    /// Gap lines under the table ("Verschil: +2,30 [1,50; 3,10] · p = …").
    pub facts: Vec<String>,
    pub charts: Vec<Chart>,
    pub questions_heading: String,
    pub questions: Vec<String>,
    pub actions: Section,
}

/// One recorded action, in words.
#[derive(Debug, Clone)]
pub struct ActionLine {
    /// "Nakomen van afspraken — Dienstverlening verbeteren (open)".
    pub title: String,
    pub description: String,
    /// "Wie: Fatima · Klaar: 01-03-2026 · Meting: Voorjaar 2026".
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct ActionsPage {
    pub heading: String,
    pub actions: Vec<ActionLine>,
    pub empty: String,
}

/// Everything the pack shows, already in words and numbers of the reader's language.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    /// Document title (metadata).
    pub title: String,
    /// `nl` or `en`.
    pub lang: String,
    /// The running header of every page: survey · team · wave.
    pub header: String,
    pub page_word: String,
    pub cover: Cover,
    pub summary: Summary,
    pub dimensions: Vec<DimensionPage>,
    pub actions: ActionsPage,
}

#[derive(thiserror::Error, Debug)]
pub enum PdfError {
    #[error("font: {0}")]
    Font(String),
    #[error("chart: {0}")]
    Chart(String),
    #[error("layout: {0}")]
    Layout(String),
    #[error("writing the PDF failed: {0}")]
    Write(String),
}

/// Lays out and writes the pack. The same pack gives the same bytes.
pub fn render(pack: &Pack) -> Result<Vec<u8>, PdfError> {
    let metrics = layout::Metrics::load()?;
    let pages = pages::lay_out(pack, &metrics);
    // The running header is one line: cut with "…" where a long title would run off the page.
    let header = metrics.one_line(
        &pack.header,
        draw::HEADER_STYLE,
        layout::PAGE_W - 2.0 * layout::MARGIN,
    );
    let frame = draw::Frame {
        title: &pack.title,
        lang: &pack.lang,
        header: &header,
        page_word: &pack.page_word,
    };
    draw::document(&frame, &pages)
}
