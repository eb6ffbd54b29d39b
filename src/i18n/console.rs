//! Strings of the researcher's console (/admin), NL and EN, and the messages its forms show
//! next to a field (`field_hint`) or for a refused change (`conflict_message`).

use super::Lang;

pub use super::console_strings::{EN, NL};

pub struct ConsoleText {
    pub lang_code: &'static str,
    pub other_lang_code: &'static str,
    pub other_lang_name: &'static str,
    pub console: &'static str,
    pub overview: &'static str,
    pub teams: &'static str,
    pub users: &'static str,
    pub surveys: &'static str,
    pub dashboard: &'static str,
    pub save: &'static str,
    pub add: &'static str,
    pub delete: &'static str,
    pub rename: &'static str,
    pub saved: &'static str,
    pub deleted: &'static str,
    pub fix_errors: &'static str,
    pub not_admin: &'static str,
    pub overview_title: &'static str,
    pub next_step: &'static str,
    pub step_teams: &'static str,
    pub step_survey: &'static str,
    pub step_wave: &'static str,
    pub step_links: &'static str,
    pub step_wait: &'static str,
    pub step_report: &'static str,
    pub go: &'static str,
    pub public_url_missing: &'static str,
    pub public_url_is: &'static str,
    pub status_not_open: &'static str,
    pub status_open: &'static str,
    pub status_closed: &'static str,
    pub status: &'static str,
    pub opens: &'static str,
    pub closes: &'static str,
    pub no_end: &'static str,
    pub invited: &'static str,
    pub answered: &'static str,
    pub rate: &'static str,
    pub link_uses: &'static str,
    pub responses: &'static str,
    pub no_waves: &'static str,
    pub no_surveys: &'static str,
    pub no_invitations: &'static str,
    pub new_survey: &'static str,
    pub edit: &'static str,
    pub open: &'static str,
    pub team: &'static str,
    pub audience: &'static str,
    pub employees: &'static str,
    pub customers: &'static str,
    pub team_name: &'static str,
    pub add_team: &'static str,
    pub no_teams: &'static str,
    pub delete_team_hint: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub role_admin: &'static str,
    pub role_team_lead: &'static str,
    pub lead_teams: &'static str,
    pub password: &'static str,
    pub new_password: &'static str,
    pub add_user: &'static str,
    pub you: &'static str,
    pub survey_title: &'static str,
    pub dimensions: &'static str,
    pub template_default: &'static str,
    pub own_dimensions: &'static str,
    pub dim_key: &'static str,
    pub dim_label_nl: &'static str,
    pub dim_label_en: &'static str,
    pub dim_employee_nl: &'static str,
    pub dim_employee_en: &'static str,
    pub dim_customer_nl: &'static str,
    pub dim_customer_en: &'static str,
    pub dim_category: &'static str,
    pub functional: &'static str,
    pub emotional: &'static str,
    pub dims_locked: &'static str,
    pub scale: &'static str,
    pub scale_min: &'static str,
    pub scale_max: &'static str,
    pub settings: &'static str,
    pub min_group_size: &'static str,
    pub comment_min_group_size: &'static str,
    pub alpha: &'static str,
    pub materiality: &'static str,
    pub ask_predicted: &'static str,
    pub ask_expected: &'static str,
    pub ask_importance: &'static str,
    pub ask_nps: &'static str,
    pub texts: &'static str,
    pub organisation: &'static str,
    pub contact: &'static str,
    pub introduction_nl: &'static str,
    pub introduction_en: &'static str,
    pub privacy_statement_nl: &'static str,
    pub privacy_statement_en: &'static str,
    pub scale_low_nl: &'static str,
    pub scale_high_nl: &'static str,
    pub scale_low_en: &'static str,
    pub scale_high_en: &'static str,
    pub preview: &'static str,
    pub preview_employees: &'static str,
    pub preview_customers: &'static str,
    pub waves: &'static str,
    pub add_wave: &'static str,
    pub wave_name: &'static str,
    pub opens_at: &'static str,
    pub closes_at: &'static str,
    pub create_survey: &'static str,
    pub wave: &'static str,
    pub dates: &'static str,
    pub save_dates: &'static str,
    pub close_now: &'static str,
    pub close_warning: &'static str,
    pub wave_closed_note: &'static str,
    pub personal_links: &'static str,
    pub personal_hint: &'static str,
    pub count: &'static str,
    pub make_links: &'static str,
    pub make_links_csv: &'static str,
    pub links_made: &'static str,
    pub links_once: &'static str,
    pub download_csv: &'static str,
    pub team_links: &'static str,
    pub team_link_hint: &'static str,
    pub max_uses: &'static str,
    pub make_team_link: &'static str,
    pub poster_heading: &'static str,
    pub poster_scan: &'static str,
    pub print_poster: &'static str,
    pub invitations: &'static str,
    pub kind: &'static str,
    pub kind_personal: &'static str,
    pub kind_team_link: &'static str,
    pub uses: &'static str,
    pub expires: &'static str,
    pub revoked: &'static str,
    pub live: &'static str,
    pub revoke: &'static str,
    pub monitor: &'static str,
    pub monitor_hint: &'static str,
    pub import: &'static str,
    pub import_file: &'static str,
    pub import_button: &'static str,
    pub imported: &'static str,
    pub import_rejected: &'static str,
    pub line: &'static str,
    pub column: &'static str,
    pub problem: &'static str,
    pub exports: &'static str,
    pub export_csv: &'static str,
    pub export_excel: &'static str,
    pub export_xlsx: &'static str,
    pub report: &'static str,
    pub workshop: &'static str,
    pub whole: &'static str,
    pub back_to_wave: &'static str,
    pub link: &'static str,
    pub logout: &'static str,
}

pub fn console_text(lang: Lang) -> &'static ConsoleText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// (field, NL, EN): what to put next to a field that failed validation.
const HINTS: &[(&str, &str, &str)] = &[
    ("name", "Vul een naam in (hooguit 100 tekens).", "Enter a name (at most 100 characters)."),
    ("title", "Vul een titel in (hooguit 200 tekens).", "Enter a title (at most 200 characters)."),
    ("email", "Vul een geldig e-mailadres in.", "Enter a valid e-mail address."),
    ("password", "Kies een wachtwoord van minstens 8 tekens.", "Choose a password of at least 8 characters."),
    ("role", "Kies beheerder of teamleider.", "Choose admin or team lead."),
    ("team_ids", "Kies voor een teamleider minstens één bestaand team.", "Choose at least one existing team for a team lead."),
    ("opens_at", "Vul een datum en tijd in, bijv. 2026-03-01 09:00.", "Enter a date and time, e.g. 2026-03-01 09:00."),
    ("closes_at", "Vul een datum en tijd in na het begin, of laat het veld leeg.", "Enter a date and time after the opening, or leave it empty."),
    ("min_group_size", "Vul een geheel getal van 1 tot en met 1000 in.", "Enter a whole number from 1 to 1000."),
    ("comment_min_group_size", "Vul een geheel getal van 1 tot en met 1000 in.", "Enter a whole number from 1 to 1000."),
    ("alpha", "Vul een getal tussen 0 en 1 in, bijv. 0.05.", "Enter a number between 0 and 1, e.g. 0.05."),
    ("materiality", "Vul een getal van 0 tot het bereik van de schaal in, of laat het veld leeg.", "Enter a number from 0 to the scale's range, or leave it empty."),
    ("scale_min", "Vul een geheel getal in dat lager is dan de hoogste waarde.", "Enter a whole number below the highest value."),
    ("scale_max", "De hoogste waarde ligt boven de laagste; de schaal heeft hooguit 101 punten.", "The highest value is above the lowest; the scale has at most 101 points."),
    ("template", "Kies de standaardset of eigen aspecten.", "Choose the default set or own dimensions."),
    ("dimensions", "Een onderzoek heeft 1 tot 50 aspecten.", "A survey has 1 to 50 dimensions."),
    ("key", "Een sleutel bestaat uit kleine letters, cijfers en _, begint met een letter en komt één keer voor.", "A key is lowercase letters, digits and _, starts with a letter and is unique."),
    ("label_nl", "Vul een Nederlandse naam in (hooguit 100 tekens).", "Enter a Dutch name (at most 100 characters)."),
    ("category", "Kies functioneel of emotioneel.", "Choose functional or emotional."),
    ("text", "Deze tekst is te lang of bevat ongeldige tekens.", "This text is too long or holds invalid characters."),
    ("count", "Vul een aantal van 1 tot en met 1000 in.", "Enter a number from 1 to 1000."),
    ("max_uses", "Vul een aantal van 1 tot en met 100000 in.", "Enter a number from 1 to 100000."),
    ("team_id", "Kies een team.", "Choose a team."),
    ("audience", "Kies medewerkers of klanten.", "Choose employees or customers."),
    ("file", "Kies een CSV-bestand.", "Choose a CSV file."),
    ("other", "Controleer dit veld.", "Check this field."),
];

/// (code, NL, EN): what a refused change (409) means.
const CONFLICTS: &[(&str, &str, &str)] = &[
    (
        "team_exists",
        "Er bestaat al een team met deze naam.",
        "A team with this name already exists.",
    ),
    (
        "team_has_responses",
        "Dit team heeft al antwoorden; een team met antwoorden kan niet worden verwijderd.",
        "This team has responses; a team with responses cannot be deleted.",
    ),
    (
        "team_has_actions",
        "Voor dit team zijn acties vastgelegd; het kan niet worden verwijderd.",
        "Actions were recorded for this team; it cannot be deleted.",
    ),
    (
        "user_exists",
        "Er bestaat al een gebruiker met dit e-mailadres.",
        "A user with this e-mail address already exists.",
    ),
    (
        "own_account",
        "U kunt uw eigen account niet verwijderen.",
        "You cannot delete your own account.",
    ),
    (
        "survey_has_responses",
        "Er zijn al antwoorden: de schaal en de aspecten kunnen niet meer veranderen.",
        "There are responses: the scale and the dimensions can no longer change.",
    ),
    (
        "wave_closed",
        "Deze meting is gesloten; de data kunnen niet meer veranderen.",
        "This wave is closed; its dates can no longer change.",
    ),
    (
        "other",
        "Dit kon niet worden opgeslagen.",
        "This could not be saved.",
    ),
];

fn lookup(table: &[(&str, &'static str, &'static str)], key: &str, lang: Lang) -> &'static str {
    let row = table
        .iter()
        .find(|(k, _, _)| *k == key)
        .or_else(|| table.iter().find(|(k, _, _)| *k == "other"));
    match (row, lang) {
        (Some((_, nl, _)), Lang::Nl) => nl,
        (Some((_, _, en)), Lang::En) => en,
        (None, _) => "",
    }
}

/// What to put next to a field that failed validation, in the page's language. Dimension
/// fields (`dimensions[2].key`) are named by their last part; texts share one message.
pub fn field_hint(lang: Lang, field: &str) -> &'static str {
    let last = field.rsplit('.').next().unwrap_or(field);
    let key = match last {
        "organisation"
        | "contact"
        | "introduction_nl"
        | "introduction_en"
        | "privacy_statement_nl"
        | "privacy_statement_en"
        | "scale_low_nl"
        | "scale_high_nl"
        | "scale_low_en"
        | "scale_high_en"
        | "label_en"
        | "employee_statement_nl"
        | "employee_statement_en"
        | "customer_statement_nl"
        | "customer_statement_en" => "text",
        other => other,
    };
    lookup(HINTS, key, lang)
}

/// What a refused change (409) means, in the page's language.
pub fn conflict_message(lang: Lang, code: &str) -> &'static str {
    lookup(CONFLICTS, code, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_dimension_fields_by_their_last_part_and_fall_back() {
        assert_eq!(
            field_hint(Lang::En, "dimensions[3].key"),
            "A key is lowercase letters, digits and _, starts with a letter and is unique."
        );
        assert_eq!(field_hint(Lang::Nl, "nonsense"), "Controleer dit veld.");
        assert_eq!(
            conflict_message(Lang::En, "nope"),
            "This could not be saved."
        );
        assert_eq!(NL.lang_code, "nl");
        assert_eq!(EN.lang_code, "en");
    }
}
