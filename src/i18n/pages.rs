//! Page strings (questionnaire, dashboard, workshop), one table per language.

use super::Lang;

bilingual! {
    pub struct PageText in NL, EN with the language switch;
    pub fn page_text;
    /// Above the organisation's name on the questionnaire, and in its window title.
    questionnaire_title: "Vragenlijst",
        "Questionnaire";
    intro_employee: "Hoe goed is onze dienstverlening volgens u? Geef per stelling een cijfer en schat daarna in welk cijfer onze klanten zouden geven.",
        "How good is our service in your view? Rate each statement, then estimate the rating our customers would give.";
    intro_customer: "Hoe tevreden bent u over onze dienstverlening? Geef per stelling een cijfer.",
        "How satisfied are you with our service? Rate each statement.";
    /// The anonymity promise; `{min}` is the survey's threshold.
    anonymous_note: "Uw antwoorden zijn anoniem: ze worden niet aan uw uitnodiging gekoppeld en alleen getoond in groepen van minstens {min} personen.",
        "Your answers are anonymous: they are not linked to your invitation and only shown in groups of at least {min} people.";
    scale_hint: "laag",
        "low";
    dont_know: "Weet ik niet",
        "Don't know";
    q_self: "Uw oordeel",
        "Your rating";
    q_predicted: "Welk cijfer denkt u dat klanten hier geven?",
        "What rating do you think customers give here?";
    q_perceived: "Uw oordeel",
        "Your rating";
    q_expected: "Welk cijfer had u verwacht?",
        "What rating did you expect?";
    q_importance: "Hoe belangrijk is dit voor u?",
        "How important is this to you?";
    q_nps: "Hoe waarschijnlijk is het dat u ons aanbeveelt bij vrienden of collega's?",
        "How likely is it that you would recommend us to a friend or colleague?";
    nps_low: "zeer onwaarschijnlijk",
        "not at all likely";
    nps_high: "zeer waarschijnlijk",
        "extremely likely";
    q_comment: "Wilt u nog iets toelichten? (optioneel)",
        "Anything you would like to add? (optional)";
    submit: "Versturen",
        "Submit";
    thanks_title: "Hartelijk dank!",
        "Thank you!";
    thanks_body: "Uw antwoorden zijn opgeslagen. U kunt dit venster sluiten.",
        "Your answers have been saved. You can close this window.";
    problem_title: "Deze link werkt niet (meer)",
        "This link does not work (any more)";
    problem_used: "Deze uitnodiging is al gebruikt. Elke uitnodiging kan maar één keer worden ingevuld.",
        "This invitation has already been used. Each invitation can be answered once.";
    problem_expired: "Deze uitnodiging is verlopen.",
        "This invitation has expired.";
    problem_closed: "Deze meting is gesloten; er kunnen geen antwoorden meer worden gegeven.",
        "This survey round is closed; no more answers can be given.";
    problem_not_open: "Deze meting is nog niet geopend. Probeer het later opnieuw.",
        "This survey round has not opened yet. Please try again later.";
    problem_unknown: "Deze link is onbekend. Controleer of u de hele link hebt gekopieerd.",
        "This link is unknown. Please check that you copied the whole link.";
    problem_form: "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
        "The form has expired. Reload the page and try again.";
    problem_busy: "Te veel verzoeken vanaf uw adres. Probeer het over een minuut opnieuw.",
        "Too many requests from your address. Please try again in a minute.";
    fix_errors: "Niet alle antwoorden konden worden verwerkt:",
        "Not all answers could be processed:";
    problem_revoked: "Deze uitnodiging is ingetrokken. Neem contact op met wie u de link stuurde.",
        "This invitation has been withdrawn. Please contact whoever sent you the link.";
    about_team: "Deze vragenlijst gaat over",
        "This questionnaire is about";
    privacy_heading: "Privacy",
        "Privacy";
    contact_heading: "Vragen?",
        "Questions?";
    fallback_note: "",
        "(in Dutch: no English text was given)";
    scale_low_default: "zeer slecht",
        "very poor";
    scale_high_default: "uitstekend",
        "excellent";
    preview_note: "Voorbeeld: zo ziet de vragenlijst eruit. Antwoorden worden hier niet opgeslagen.",
        "Preview: this is how the questionnaire looks. Answers are not stored here.";
    /// The questionnaire when the database is unavailable (503).
    problem_unavailable: "De vragenlijst is even niet bereikbaar. Probeer het over een paar minuten opnieuw.",
        "The questionnaire is unavailable for a moment. Please try again in a few minutes.";
    unsent_title: "Uw antwoorden zijn nog niet verstuurd",
        "Your answers have not been sent yet";
    unsent_body: "Er ging iets mis aan onze kant; uw antwoorden zijn bewaard op deze pagina. Klik over een minuut op de knop om ze opnieuw te versturen.",
        "Something went wrong on our side; your answers are kept on this page. Press the button in a minute to send them again.";
    unsent_comment: "Uw opmerking:",
        "Your comment:";
    unsent_retry: "Opnieuw versturen",
        "Send again";
}

bilingual! {
    /// Strings of the team-lead pages (login, dashboard, report, workshop).
    pub struct AppText in APP_NL, APP_EN with the language switch;
    pub fn app_text;
    login_title: "Inloggen",
        "Log in";
    email: "E-mailadres",
        "E-mail address";
    password: "Wachtwoord",
        "Password";
    login_button: "Inloggen",
        "Log in";
    login_failed: "E-mailadres of wachtwoord onjuist.",
        "Wrong e-mail address or password.";
    logout: "Uitloggen",
        "Log out";
    dashboard: "Overzicht",
        "Overview";
    dashboard_title: "Metingen",
        "Surveys";
    no_surveys: "Er zijn nog geen metingen.",
        "There are no surveys yet.";
    wave: "Meting",
        "Wave";
    team: "Team",
        "Team";
    whole_organisation: "Hele organisatie",
        "Whole organisation";
    employees: "Medewerkers",
        "Employees";
    customers: "Klanten",
        "Customers";
    responses: "antwoorden",
        "responses";
    invited: "uitgenodigd",
        "invited";
    response_rate: "Respons",
        "Response rate";
    report: "Rapport",
        "Report";
    workshop: "Workshop",
        "Workshop";
    show: "Toon",
        "Show";
    respondents: "Respondenten",
        "Respondents";
    nps: "NPS",
        "NPS";
    too_few: "te weinig antwoorden",
        "too few responses";
    /// Before the names of teams whose small groups a figure leaves out.
    left_out_without: "Zonder",
        "Without";
    note_interim: "Tussenstand: deze meting loopt nog. Teamleiders zien de resultaten zodra zij gesloten is.",
        "Interim results: this wave is still open. Team leads see the results once it is closed.";
    note_counts_only: "Deze meting loopt nog: u ziet alleen het aantal antwoorden. De resultaten verschijnen zodra de meting gesloten is.",
        "This wave is still open: you see the number of responses only. The results appear once it is closed.";
    note_withheld: "Sommige cijfers van de hele organisatie tonen alleen hun aantal: er dragen te weinig teams buiten uw eigen teams aan bij.",
        "Some organisation-wide figures show their count only: too few teams outside your own contribute to them.";
    dimension: "Aspect",
        "Dimension";
    prediction: "Voorspelling",
        "Prediction";
    gap: "Verschil",
        "Gap";
    interval: "95%-interval",
        "95% interval";
    conclusion: "Conclusie",
        "Conclusion";
    charts: "Grafieken",
        "Charts";
    actions: "Acties",
        "Actions";
    no_actions: "Nog geen acties vastgelegd.",
        "No actions recorded yet.";
    decision: "Besluit",
        "Decision";
    description: "Wat gaan we doen?",
        "What will we do?";
    owner: "Wie?",
        "Who?";
    due_date: "Wanneer klaar?",
        "Done by?";
    status: "Status",
        "Status";
    gap_closed: "Effect",
        "Effect";
    agenda: "Agenda",
        "Agenda";
    agenda_intro: "We bespreken de aspecten één voor één, in de volgorde van de vragenlijst. Per aspect raadt u eerst welk cijfer klanten gaven; daarna tonen we hun oordeel.",
        "We discuss the dimensions one by one, in the order of the questionnaire. For each one, first guess the rating customers gave; then we show their view.";
    top_blind_spots: "Blinde vlekken",
        "Blind spots";
    top_hidden_strengths: "Verborgen krachten",
        "Hidden strengths";
    none: "geen",
        "none";
    slide_self: "Zo beoordelen wij onszelf",
        "How we rate ourselves";
    slide_guess: "Welk cijfer denkt u dat klanten gaven?",
        "What rating do you think customers gave?";
    reveal: "Onthul",
        "Reveal";
    reveal_hint: "Druk op R of spatie om het oordeel van klanten te tonen; ← en → bladeren.",
        "Press R or Space to show the customers' view; ← and → move between slides.";
    q_manage_or_improve: "Verwachtingen bijstellen of de dienstverlening verbeteren?",
        "Manage expectations, or improve the service?";
    q_what_who_when: "Wat gaan we doen, wie, wanneer?",
        "What will we do, who, by when?";
    record_action: "Actie vastleggen",
        "Record action";
    action_recorded: "De actie is vastgelegd.",
        "The action has been recorded.";
    earlier_actions: "Eerdere acties op dit aspect",
        "Earlier actions on this dimension";
    print: "Afdrukken",
        "Print";
    previous: "Vorige",
        "Previous";
    next: "Volgende",
        "Next";
    decision_manage_expectations: "Verwachtingen bijstellen",
        "Manage expectations";
    decision_improve_service: "Dienstverlening verbeteren",
        "Improve the service";
    decision_investigate: "Verder uitzoeken",
        "Investigate further";
    status_open: "open",
        "open";
    status_done: "gedaan",
        "done";
    status_dropped: "vervallen",
        "dropped";
    /// The composition warning: {within} is the within-team gap, {overall} the organisation's.
    composition_warning: "Let op: binnen de teams is het verschil {within}, voor de hele organisatie {overall}. De teams hebben een andere verhouding medewerkers en klanten; bespreek het verschil per team.",
        "Note: within the teams the gap is {within}, for the whole organisation {overall}. The teams have different mixes of employees and customers; discuss the gap per team.";
    forbidden: "U hebt geen toegang tot dit team.",
        "You have no access to this team.";
    not_found: "Niet gevonden.",
        "Not found.";
    /// The heading of an error page for any other refusal.
    problem: "Dit lukte niet",
        "That did not work";
    comments: "Opmerkingen van klanten",
        "Customer comments";
    /// The dashboard's paging: "{n}" teams, "{from}"–"{to}" of "{n}".
    dashboard_all_teams: "Alle {n} teams van deze meting",
        "All {n} teams of this wave";
    dashboard_older: "Oudere metingen",
        "Older waves";
    dashboard_newer: "Nieuwere metingen",
        "Newer waves";
    dashboard_next_teams: "Volgende teams",
        "Next teams";
    dashboard_previous_teams: "Vorige teams",
        "Previous teams";
    dashboard_showing: "Teams {from}–{to} van {n}.",
        "Teams {from}–{to} of {n}.";
    dashboard_back: "Terug naar het overzicht",
        "Back to the overview";
    dashboard_pages: "Pagina's",
        "Pages";
    org_actions_by_admin: "Acties voor de hele organisatie legt een beheerder vast; kies een team om een actie voor uw team vast te leggen.",
        "Organisation-wide actions are recorded by an admin; choose a team to record an action for your team.";
    chart_distribution_alt: "Verdeling van de scores:",
        "Distribution of the ratings:";
    chart_text: "{label}: medewerkers geven gemiddeld {employee}, klanten {customer}; verschil {gap}.",
        "{label}: employees give {employee} on average, customers {customer}; gap {gap}.";
    save: "Opslaan",
        "Save";
    action_updated: "De actie is bijgewerkt.",
        "The action has been updated.";
    edit: "Wijzigen",
        "Edit";
    chart_in_words: "Deze grafiek in woorden",
        "This chart in words";
    numbers_caption: "Per aspect: de gemiddelden, het verschil en de conclusie",
        "Per dimension: the means, the gap and the conclusion";
    download_pack: "Workshop-pakket (PDF)",
        "Workshop pack (PDF)";
    download_xlsx: "Werkmap (Excel)",
        "Workbook (Excel)";
    /// After "Zonder {teams}:": why their groups are left out; `{min}` is the threshold.
    left_out_why: "minder dan {min} antwoorden in een groep, die dus niet meetelt",
        "fewer than {min} responses in a group, which is therefore left out";
    /// The workshop's closing slide (served once every dimension is revealed).
    closing_title: "Samengevat: blinde vlekken en verborgen krachten",
        "In short: blind spots and hidden strengths";
    /// The accessible name of the workshop's previous/next buttons.
    slides_nav: "Dia's",
        "Slides";
    /// Counted nouns: one and many.
    employee_one: "medewerker",
        "employee";
    employee_many: "medewerkers",
        "employees";
    customer_one: "klant",
        "customer";
    customer_many: "klanten",
        "customers";
    /// The report's table: the Holm-adjusted p column and the verdict's words.
    col_p_holm: "p (Holm)",
        "p (Holm)";
    col_sentence: "Wat dit betekent",
        "What this means";
    col_interval: "95%-interval",
        "95% interval";
    /// The dashboard: a wave's status and dates (`{date}`), its columns and what they mean.
    wave_open: "open",
        "open";
    wave_closed: "gesloten",
        "closed";
    wave_not_open: "nog niet open",
        "not open yet";
    closes_on: "sluit op {date}",
        "closes on {date}";
    closed_on: "gesloten op {date}",
        "closed on {date}";
    opens_on: "opent op {date}",
        "opens on {date}";
    no_closing_date: "nog geen sluitingsdatum",
        "no closing date yet";
    col_scope: "Team",
        "Team";
    col_answered: "Antwoorden",
        "Responses";
    col_invited: "Uitgenodigd",
        "Invited";
    col_rate: "Respons",
        "Response rate";
    col_open: "Bekijken",
        "View";
    dashboard_legend: "Antwoorden: alle ingevulde vragenlijsten, ook via een teamlink. Uitgenodigd: verstuurde persoonlijke uitnodigingen. Respons: het deel van de persoonlijke uitnodigingen dat is ingevuld.",
        "Responses: every questionnaire filled in, also through a team link. Invited: personal invitations sent. Response rate: the share of personal invitations that were answered.";
    /// A team's group below the threshold on the dashboard; `{min}` is the threshold.
    dashboard_small: "een groep heeft minder dan {min} antwoorden en toont alleen het aantal",
        "a group has fewer than {min} responses and shows its count only";
}

impl AppText {
    pub fn decision(&self, d: &str) -> &'static str {
        match d {
            "manage_expectations" => self.decision_manage_expectations,
            "improve_service" => self.decision_improve_service,
            "investigate" => self.decision_investigate,
            _ => "",
        }
    }
    pub fn status(&self, s: &str) -> &'static str {
        match s {
            "open" => self.status_open,
            "done" => self.status_done,
            "dropped" => self.status_dropped,
            _ => "",
        }
    }
    /// "1 medewerker", "12 medewerkers".
    pub fn count_employees(&self, n: u64) -> String {
        count(n, self.employee_one, self.employee_many)
    }
    /// "1 klant", "12 klanten".
    pub fn count_customers(&self, n: u64) -> String {
        count(n, self.customer_one, self.customer_many)
    }
}

/// A number with its noun, singular for one.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The sentence on a page answered 429 at sign-in: how long to wait, and until when
/// (Amsterdam's clock): "Te veel mislukte pogingen. Probeer het over 4 minuten opnieuw, na
/// 14:05 (Nederlandse tijd)." / "Too many failed attempts. Please try again in 4 minutes,
/// after 14:05 (Netherlands time)."
pub fn try_again_in(lang: Lang, seconds: u64, now: chrono::NaiveDateTime) -> String {
    let until = super::time::amsterdam(now + chrono::Duration::seconds(seconds as i64));
    let clock = until.format("%H:%M");
    let minutes = seconds.div_ceil(60);
    // The words of the wait: some seconds, one minute, some minutes.
    let (secs, one_minute, mins) = match lang {
        Lang::Nl => ("seconden", "1 minuut", "minuten"),
        Lang::En => ("seconds", "1 minute", "minutes"),
    };
    let wait = match (seconds, minutes) {
        (s, _) if s < 60 => format!("{s} {secs}"),
        (_, 1) => one_minute.to_string(),
        (_, m) => format!("{m} {mins}"),
    };
    match lang {
        Lang::Nl => format!(
            "Te veel mislukte pogingen. Probeer het over {wait} opnieuw, na {clock} (Nederlandse tijd)."
        ),
        Lang::En => format!(
            "Too many failed attempts. Please try again in {wait}, after {clock} (Netherlands time)."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_in_seconds_one_minute_or_minutes() {
        let now = chrono::NaiveDate::from_ymd_opt(2027, 1, 15)
            .and_then(|d| d.and_hms_opt(13, 0, 0))
            .unwrap_or_default();
        for (lang, seconds, said) in [
            (Lang::Nl, 30, "Te veel mislukte pogingen. Probeer het over 30 seconden opnieuw, na 14:00 (Nederlandse tijd)."),
            (Lang::En, 60, "Too many failed attempts. Please try again in 1 minute, after 14:01 (Netherlands time)."),
            (Lang::Nl, 181, "Te veel mislukte pogingen. Probeer het over 4 minuten opnieuw, na 14:03 (Nederlandse tijd)."),
            (Lang::En, 240, "Too many failed attempts. Please try again in 4 minutes, after 14:04 (Netherlands time)."),
        ] {
            assert_eq!(try_again_in(lang, seconds, now), said);
        }
    }
}
