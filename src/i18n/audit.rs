//! Strings of the console's audit page (/admin/audit), NL and EN, and each action's name in
//! words.

use super::Lang;
use crate::app::audit::Action;

pub struct AuditText {
    pub title: &'static str,
    /// What the log holds, for the works council; `{days}` is the retention.
    pub intro: &'static str,
    pub actor: &'static str,
    pub actor_hint: &'static str,
    pub action: &'static str,
    pub all_actions: &'static str,
    pub since: &'static str,
    pub until: &'static str,
    pub filter: &'static str,
    pub download_csv: &'static str,
    pub at: &'static str,
    pub object: &'static str,
    pub outcome: &'static str,
    pub detail: &'static str,
    pub none: &'static str,
    pub older: &'static str,
    pub newest: &'static str,
    pub ok: &'static str,
    pub refused: &'static str,
    pub failed: &'static str,
    pub times_utc: &'static str,
}

pub const NL: AuditText = AuditText {
    title: "Auditlog",
    intro: "Wie wat deed: elke wijziging (vragenlijsten, rondes, teams, gebruikers, uitnodigingen, mailings, imports), elke export van antwoorden, wie welke resultaten las (één regel per lezer, deel en dag), aanmeldingen en mislukte aanmeldingen, live sessies, en elke geweigerde poging. Nooit een wachtwoord, token of adres van een respondent. Niemand kan regels wijzigen of verwijderen; regels ouder dan {days} dagen worden automatisch verwijderd.",
    actor: "Wie",
    actor_hint: "e-mailadres, admin-token, system of anonymous",
    action: "Handeling",
    all_actions: "Alle handelingen",
    since: "Vanaf (datum)",
    until: "Tot en met (datum)",
    filter: "Filteren",
    download_csv: "Download als CSV",
    at: "Tijd (UTC)",
    object: "Waarop",
    outcome: "Uitkomst",
    detail: "Details",
    none: "Geen regels gevonden.",
    older: "Oudere regels",
    newest: "Nieuwste regels",
    ok: "gelukt",
    refused: "geweigerd",
    failed: "mislukt",
    times_utc: "Tijden in UTC.",
};

pub const EN: AuditText = AuditText {
    title: "Audit log",
    intro: "Who did what: every change (surveys, waves, teams, users, invitations, mailings, imports), every export of responses, who read which results (one line per reader, scope and day), sign-ins and failed sign-ins, live sessions, and every refused attempt. Never a password, token or respondent's address. No one can change or delete entries; entries older than {days} days are deleted automatically.",
    actor: "Who",
    actor_hint: "e-mail address, admin-token, system or anonymous",
    action: "Action",
    all_actions: "All actions",
    since: "From (date)",
    until: "Up to and including (date)",
    filter: "Filter",
    download_csv: "Download as CSV",
    at: "Time (UTC)",
    object: "On",
    outcome: "Outcome",
    detail: "Details",
    none: "No entries found.",
    older: "Older entries",
    newest: "Newest entries",
    ok: "ok",
    refused: "refused",
    failed: "failed",
    times_utc: "Times in UTC.",
};

pub fn audit_text(lang: Lang) -> &'static AuditText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
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
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}
