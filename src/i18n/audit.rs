//! Strings of the console's audit page (/admin/audit), NL and EN, and each action's name in
//! words.

use super::Lang;
use crate::app::audit::Action;

bilingual! {
    pub struct AuditText in NL, EN;
    pub fn audit_text;
    title: "Auditlog",
        "Audit log";
    /// What the log holds, for the works council; `{days}` is the retention.
    intro: "Wie wat deed: elke wijziging (vragenlijsten, rondes, teams, gebruikers, uitnodigingen, mailings, imports), elke export van antwoorden, wie welke resultaten las (één regel per lezer, deel en dag), aanmeldingen en mislukte aanmeldingen, live sessies, en elke geweigerde poging. Nooit een wachtwoord, token of adres van een respondent. Niemand kan regels wijzigen of verwijderen; regels ouder dan {days} dagen worden automatisch verwijderd.",
        "Who did what: every change (surveys, waves, teams, users, invitations, mailings, imports), every export of responses, who read which results (one line per reader, scope and day), sign-ins and failed sign-ins, live sessions, and every refused attempt. Never a password, token or respondent's address. No one can change or delete entries; entries older than {days} days are deleted automatically.";
    actor: "Wie",
        "Who";
    actor_hint: "e-mailadres, admin-token, system of anonymous",
        "e-mail address, admin-token, system or anonymous";
    action: "Handeling",
        "Action";
    all_actions: "Alle handelingen",
        "All actions";
    since: "Vanaf (datum)",
        "From (date)";
    until: "Tot en met (datum)",
        "Up to and including (date)";
    filter: "Filteren",
        "Filter";
    download_csv: "Download als CSV",
        "Download as CSV";
    at: "Tijd (UTC)",
        "Time (UTC)";
    object: "Waarop",
        "On";
    outcome: "Uitkomst",
        "Outcome";
    detail: "Details",
        "Details";
    none: "Geen regels gevonden.",
        "No entries found.";
    older: "Oudere regels",
        "Older entries";
    newest: "Nieuwste regels",
        "Newest entries";
    ok: "gelukt",
        "ok";
    refused: "geweigerd",
        "refused";
    failed: "mislukt",
        "failed";
    times_utc: "Tijden in UTC.",
        "Times in UTC.";
}

impl AuditText {
    /// An outcome as stored (`ok`, `refused`, `failed`) in words.
    pub fn outcome_word(&self, outcome: &str) -> &'static str {
        match outcome {
            "ok" => self.ok,
            "refused" => self.refused,
            _ => self.failed,
        }
    }
}

/// An action in words.
pub fn action_label(lang: Lang, action: Action) -> &'static str {
    use Action::*;
    let (nl, en) = match action {
        SignIn => ("Aanmelden", "Sign-in"),
        SignOut => ("Afmelden", "Sign-out"),
        SurveyCreated => ("Vragenlijst gemaakt", "Survey created"),
        SurveyUpdated => ("Vragenlijst gewijzigd", "Survey changed"),
        WaveCreated => ("Ronde gemaakt", "Wave created"),
        WaveUpdated => ("Ronde gewijzigd", "Wave changed"),
        WaveClosed => ("Ronde gesloten", "Wave closed"),
        TeamCreated => ("Team gemaakt", "Team created"),
        TeamRenamed => ("Team hernoemd", "Team renamed"),
        TeamDeleted => ("Team verwijderd", "Team deleted"),
        UserCreated => ("Gebruiker gemaakt", "User created"),
        UserUpdated => ("Gebruiker gewijzigd", "User changed"),
        UserDeleted => ("Gebruiker verwijderd", "User deleted"),
        InvitationsCreated => ("Uitnodigingen gemaakt", "Invitations created"),
        InvitationRevoked => ("Uitnodiging ingetrokken", "Invitation revoked"),
        MailingCreated => ("Mailing klaargezet", "Mailing queued"),
        RemindersQueued => ("Herinneringen klaargezet", "Reminders queued"),
        MailsRetried => ("E-mails opnieuw klaargezet", "E-mails queued again"),
        TestMailSent => ("Testmail verstuurd", "Test e-mail sent"),
        TemplateSet => ("Mailtekst gewijzigd", "Mail text changed"),
        TemplateReset => ("Mailtekst teruggezet", "Mail text reset"),
        ActionCreated => ("Actie vastgelegd", "Action recorded"),
        ActionUpdated => ("Actie gewijzigd", "Action changed"),
        ResponsesImported => ("Antwoorden geïmporteerd", "Responses imported"),
        ResponsesExported => ("Antwoorden geëxporteerd", "Responses exported"),
        ResultsRead => ("Resultaten gelezen", "Results read"),
        LiveStarted => ("Live sessie gestart", "Live session started"),
        LiveEnded => ("Live sessie beëindigd", "Live session ended"),
        AuditPurged => ("Oude auditregels verwijderd", "Old audit entries deleted"),
        Request => ("Verzoek", "Request"),
    };
    lang.pick(nl, en)
}
