//! `klantspiegel pack`: the workshop pack as a PDF file. Part of the binary (`main.rs`); the
//! pack itself is `app::pack`, the same as the API's `workshop.pdf`.

use std::path::PathBuf;

use klantspiegel::app;
use klantspiegel::app::accounts::Principal;
use klantspiegel::domain::{SurveyId, TeamId, WaveId};

use super::{with_conn, write_out, DbArg, Failure, LangArg};

/// Write the workshop pack (PDF): cover, summary, a page per dimension, the actions.
#[derive(clap::Args)]
pub struct PackArgs {
    #[arg(long)]
    survey: SurveyId,
    #[arg(long)]
    wave: WaveId,
    /// A team; without it, the whole organisation.
    #[arg(long)]
    team: Option<TeamId>,
    #[arg(long, value_enum, default_value = "nl")]
    lang: LangArg,
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

/// Writes the pack (as an admin, like every CLI report) and says what it wrote.
pub fn run(a: PackArgs) -> Result<(), Failure> {
    let req = app::pack::PackRequest {
        survey_id: a.survey,
        wave_id: Some(a.wave),
        team_id: a.team,
        lang: a.lang.into(),
    };
    let bytes = with_conn(&a.db, |conn| {
        app::pack::workshop_pack(conn, &Principal::admin_token(), req)
    })?;
    write_out(&a.out, &bytes)
}
