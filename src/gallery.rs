//! The chart gallery (folder `charts/`): every kind drawn from the demo data, NL and EN, SVG and
//! PNG. `klantspiegel gallery --out charts` writes it; a test checks the committed files still
//! equal what the code draws.

use crate::app::accounts::Principal;
use crate::app::charts::{self, ChartFormat, ChartRequest};
use crate::charts::ChartKind;
use crate::domain::{Scope, TeamId};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::{self, DatabaseUrl};

/// (file name, bytes) for every gallery image, in a fixed order.
pub fn render() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| anyhow::anyhow!("{e}"))?;
    let name: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let path = std::env::temp_dir().join(format!("klantspiegel-gallery-{name}.db"));
    let url =
        DatabaseUrl::parse(&format!("sqlite://{}", path.display())).map_err(anyhow::Error::msg)?;
    let result = (|| {
        let mut conn = store::connect(&url)?;
        store::run_migrations(&mut conn)?;
        let info = crate::demo::load(&mut conn).map_err(|e| anyhow::anyhow!("demo: {e}"))?;
        // The latest wave with answers (the demo's open wave has none yet).
        let latest = info.wave_ids.last().copied();
        let mut files = Vec::new();
        for lang in [Lang::Nl, Lang::En] {
            for kind in ChartKind::ALL {
                for format in [ChartFormat::Svg, ChartFormat::Png] {
                    let req = ChartRequest {
                        scope: Scope::new(info.survey_id, latest, None),
                        kind,
                        lang,
                        size: crate::charts::DEFAULT_SIZE,
                        format,
                        dimension: None,
                    };
                    let bytes = charts::chart(&mut conn, &Principal::admin_token(), req)
                        .map_err(|e: AppError| anyhow::anyhow!("{kind:?}: {e}"))?;
                    let ext = match format {
                        ChartFormat::Svg => "svg",
                        ChartFormat::Png => "png",
                    };
                    files.push((format!("{}-{}.{ext}", kind.as_str(), lang.code()), bytes));
                }
            }
        }
        // A team below the anonymity threshold (Backoffice: 3 employees).
        let req = ChartRequest {
            scope: Scope::new(info.survey_id, latest, Some(TeamId(3))),
            kind: ChartKind::Mirror,
            lang: Lang::Nl,
            size: crate::charts::DEFAULT_SIZE,
            format: ChartFormat::Png,
            dimension: None,
        };
        files.push((
            "mirror-backoffice-nl.png".to_string(),
            charts::chart(&mut conn, &Principal::admin_token(), req)
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ));
        Ok(files)
    })();
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", path.display()));
    }
    result
}
