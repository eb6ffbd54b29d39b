//! Charts: the report a chart needs, loaded with a pooled connection, then drawn after the
//! connection is released (drawing a PNG takes milliseconds that no connection should wait).

use crate::charts::{self, ChartData, ChartError, ChartKind};
use crate::domain::Scope;
use crate::engine::{Comparison, Trend};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::AnyConnection;

use super::accounts::Principal;
use super::reports;
use crate::error::ErrorCode;

/// Output format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

impl ChartFormat {
    /// From a file name's extension (`.svg` / `.png`).
    pub fn from_path(path: &str) -> Option<ChartFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".svg") {
            Some(ChartFormat::Svg)
        } else if lower.ends_with(".png") {
            Some(ChartFormat::Png)
        } else {
            None
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            ChartFormat::Svg => "image/svg+xml",
            ChartFormat::Png => "image/png",
        }
    }
}

/// What a chart shows: which survey, wave and team, in which language and size.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    pub scope: Scope,
    pub kind: ChartKind,
    pub lang: Lang,
    pub size: (u32, u32),
    pub format: ChartFormat,
    /// Draw only this dimension (workshop slides).
    pub dimension: Option<String>,
}

impl ChartRequest {
    /// Heavy work (`http::heavy`): a PNG (rasterised and compressed), or a chart larger than
    /// the default 1280×720. A page's SVG charts at their sizes are not.
    pub fn is_heavy(&self) -> bool {
        let (w, h) = self.size;
        let (dw, dh) = crate::charts::DEFAULT_SIZE;
        self.format == ChartFormat::Png
            || u64::from(w) * u64::from(h) > u64::from(dw) * u64::from(dh)
    }
}

/// The report behind a chart, ready to draw.
#[derive(Debug, Clone)]
pub enum ChartReport {
    Comparison(Comparison),
    Trend(Trend),
}

/// A chart's request with its report: what [`render`] draws.
#[derive(Debug, Clone)]
pub struct LoadedChart {
    pub request: ChartRequest,
    pub report: ChartReport,
}

/// Checks the request and loads the report a chart needs (the only part that needs the
/// database).
#[tracing::instrument(skip(conn, who))]
pub fn load(
    conn: &mut AnyConnection,
    who: &Principal,
    req: ChartRequest,
) -> Result<LoadedChart, AppError> {
    let (min, max) = (charts::MIN_SIZE, charts::MAX_SIZE);
    let sides = [
        ("width", req.size.0, min.0, max.0),
        ("height", req.size.1, min.1, max.1),
    ];
    for (field, value, min, max) in sides {
        if value < min || value > max {
            return Err(AppError::at(
                field,
                ErrorCode::Between {
                    min: min.to_string(),
                    max: max.to_string(),
                },
            ));
        }
    }
    let unknown = |key: &str| {
        AppError::at(
            "dimension",
            ErrorCode::UnknownDimension {
                key: key.to_string(),
            },
        )
    };
    let report = if req.kind.needs_trend() {
        let mut t = reports::trend(conn, who, req.scope.survey, req.scope.team, req.lang)?;
        if let Some(key) = &req.dimension {
            for w in &mut t.waves {
                w.dimensions.retain(|d| &d.key == key);
            }
            for c in &mut t.changes {
                c.dimensions.retain(|d| &d.key == key);
            }
            if t.waves.iter().all(|w| w.dimensions.is_empty()) && !t.waves.is_empty() {
                return Err(unknown(key));
            }
        }
        ChartReport::Trend(t)
    } else {
        let mut c = reports::comparison(conn, who, req.scope, req.lang)?;
        if let Some(key) = &req.dimension {
            c.dimensions.retain(|d| &d.key == key);
            if c.dimensions.is_empty() {
                return Err(unknown(key));
            }
            // One dimension has no rank to show: its priority would tell a workshop how the
            // other, unrevealed dimensions rank (SPEC "Nothing before the reveal").
            for d in &mut c.dimensions {
                d.priority = 0;
            }
        }
        ChartReport::Comparison(c)
    };
    Ok(LoadedChart {
        request: req,
        report,
    })
}

/// Draws a loaded chart (no database needed).
#[tracing::instrument(skip_all, fields(kind = ?chart.request.kind))]
pub fn render(chart: &LoadedChart) -> Result<Vec<u8>, AppError> {
    let req = &chart.request;
    let data = match &chart.report {
        ChartReport::Comparison(c) => ChartData::Comparison(c),
        ChartReport::Trend(t) => ChartData::Trend(t),
    };
    let out = match req.format {
        ChartFormat::Svg => {
            charts::render_svg(req.kind, data, req.lang, req.size).map(String::into_bytes)
        }
        ChartFormat::Png => charts::render_png(req.kind, data, req.lang, req.size),
    };
    out.map_err(|e| match e {
        ChartError::Size(w, h) => AppError::at(
            "width",
            ErrorCode::ChartSize {
                width: w,
                height: h,
            },
        ),
        other => AppError::internal(anyhow::anyhow!("chart drawing failed: {other}")),
    })
}

/// Loads and draws in one go (the CLI and the gallery, which hold no pool for others).
pub fn chart(
    conn: &mut AnyConnection,
    who: &Principal,
    req: ChartRequest,
) -> Result<Vec<u8>, AppError> {
    render(&load(conn, who, req)?)
}

pub use crate::charts::describe::Description;

/// A chart of a report in words (its text alternative on a page): the trend chart from the
/// trend, every other kind from the comparison.
pub fn describe(
    kind: ChartKind,
    comparison: &Comparison,
    trend: &Trend,
    lang: Lang,
) -> Description {
    let data = if kind.needs_trend() {
        ChartData::Trend(trend)
    } else {
        ChartData::Comparison(comparison)
    };
    crate::charts::describe::describe(kind, data, lang)
}
