//! The e-mails' own words, NL and EN: the default invitation template, what a reminder adds,
//! the opt-out footer every mail carries, and the opt-out page.

use super::Lang;
use crate::domain::Language;

impl From<Language> for Lang {
    fn from(l: Language) -> Lang {
        match l {
            Language::Nl => Lang::Nl,
            Language::En => Lang::En,
        }
    }
}

impl From<Lang> for Language {
    fn from(l: Lang) -> Language {
        match l {
            Lang::Nl => Language::Nl,
            Lang::En => Language::En,
        }
    }
}

pub struct MailText {
    /// The default subject and body (placeholders `{link}`, `{organisation}`, `{closes_at}`).
    pub default_subject: &'static str,
    pub default_body: &'static str,
    /// Put before a reminder's subject, and the line above its body.
    pub reminder_prefix: &'static str,
    pub reminder_intro: &'static str,
    /// The footer of every mail; `{opt_out}` is the opt-out link.
    pub footer: &'static str,
    /// `{closes_at}` of a wave without a closing date.
    pub no_closing_date: &'static str,
    /// chrono format of `{closes_at}` (UTC).
    pub closes_at_format: &'static str,
    // the opt-out page
    pub opt_out_title: &'static str,
    pub opt_out_question: &'static str,
    pub opt_out_button: &'static str,
    pub opt_out_done: &'static str,
    pub opt_out_unknown: &'static str,
}

pub static NL: MailText = MailText {
    default_subject: "Uw mening gevraagd: de Klantspiegel van {organisation}",
    default_body: "Goedendag,\n\n\
{organisation} wil weten hoe u onze dienstverlening ervaart. Het invullen duurt ongeveer \
vijf minuten. Uw antwoorden zijn anoniem: een rapport toont alleen groepen, nooit één persoon.\n\n\
Uw persoonlijke link (alleen voor u):\n{link}\n\n\
De vragenlijst sluit op {closes_at}.\n\n\
Hartelijk dank voor uw tijd!",
    reminder_prefix: "Herinnering: ",
    reminder_intro: "Misschien is het u ontschoten: uw antwoorden zijn nog van harte welkom.",
    footer: "Liever geen e-mail meer over deze vragenlijst? Meld u af: {opt_out}",
    no_closing_date: "(nog geen sluitingsdatum)",
    closes_at_format: "%d-%m-%Y om %H:%M (UTC)",
    opt_out_title: "Afmelden",
    opt_out_question: "Wilt u geen e-mail meer ontvangen over deze vragenlijst?",
    opt_out_button: "Afmelden",
    opt_out_done: "U bent afgemeld: u krijgt over deze vragenlijst geen e-mail meer.",
    opt_out_unknown: "Deze afmeldlink is niet (meer) geldig. Na het sluiten van de vragenlijst \
bewaren wij geen e-mailadressen meer, dus u krijgt er ook geen e-mail meer over.",
};

pub static EN: MailText = MailText {
    default_subject: "Your view, please: the Klantspiegel of {organisation}",
    default_body: "Hello,\n\n\
{organisation} would like to know how you experience our service. It takes about five \
minutes. Your answers are anonymous: a report shows groups only, never one person.\n\n\
Your personal link (for you only):\n{link}\n\n\
The questionnaire closes on {closes_at}.\n\n\
Thank you for your time!",
    reminder_prefix: "Reminder: ",
    reminder_intro: "Perhaps it slipped your mind: your answers are still most welcome.",
    footer: "Rather have no more e-mail about this questionnaire? Opt out: {opt_out}",
    no_closing_date: "(no closing date yet)",
    closes_at_format: "%-d %B %Y at %H:%M (UTC)",
    opt_out_title: "Opt out",
    opt_out_question: "Would you rather receive no more e-mail about this questionnaire?",
    opt_out_button: "Opt out",
    opt_out_done: "You have opted out: you will receive no more e-mail about this questionnaire.",
    opt_out_unknown: "This opt-out link is not (or no longer) valid. Once the questionnaire \
closes we keep no e-mail addresses, so you will receive no more e-mail about it.",
};

/// The mailings page of a wave (researchers).
pub struct MailingsPageText {
    pub title: &'static str,
    pub intro: &'static str,
    pub none_yet: &'static str,
    pub col_mailing: &'static str,
    pub col_recipients: &'static str,
    pub col_queued: &'static str,
    pub col_sent: &'static str,
    pub col_failed: &'static str,
    pub col_opted_out: &'static str,
    pub col_reminders_sent: &'static str,
    pub col_cancelled: &'static str,
    pub addresses_deleted: &'static str,
    /// "{n}" mails and the server's answer follow.
    pub refused: &'static str,
    pub send_reminders: &'static str,
    pub reminders_queued: &'static str,
    pub upload_title: &'static str,
    pub upload_help: &'static str,
    pub upload_button: &'static str,
    pub upload_done: &'static str,
    /// After `upload_done`: which delimiter the file used ("{sep}": `,` or `;`).
    pub read_with: &'static str,
    pub not_ready: &'static str,
    pub problems: &'static str,
    pub line: &'static str,
    pub column: &'static str,
    pub closed: &'static str,
}

pub static NL_PAGE: MailingsPageText = MailingsPageText {
    title: "Uitnodigingen per e-mail",
    intro: "Elke ontvanger krijgt een persoonlijke link en een afmeldlink. Bij het sluiten van de \
ronde worden de e-mailadressen verwijderd; de aantallen blijven.",
    none_yet: "Voor deze ronde is nog geen e-mail verstuurd.",
    col_mailing: "Verzending",
    col_recipients: "Ontvangers",
    col_queued: "In de wachtrij",
    col_sent: "Verstuurd",
    col_failed: "Mislukt",
    col_opted_out: "Afgemeld",
    col_reminders_sent: "Herinneringen verstuurd",
    col_cancelled: "Niet verstuurd",
    addresses_deleted: "adressen verwijderd",
    refused: "De mailserver weigerde {n} e-mail(s) met dit antwoord:",
    send_reminders: "Herinnering sturen aan wie nog niet antwoordde",
    reminders_queued: "Herinneringen in de wachtrij:",
    upload_title: "Ontvangers toevoegen",
    upload_help:
        "Plak een CSV met de kolommen email, team (naam of nummer), audience (employee of \
customer) en eventueel lang (nl of en). Is één regel fout, dan wordt niets verstuurd.",
    upload_button: "Uitnodigingen versturen",
    upload_done: "De uitnodigingen staan in de wachtrij.",
    read_with: "Het bestand is gelezen met {sep} als scheidingsteken.",
    not_ready: "Deze server verstuurt geen e-mail:",
    problems: "Er is niets verstuurd. Verbeter deze regels:",
    line: "regel",
    column: "kolom",
    closed: "Deze ronde is gesloten: er gaat geen e-mail meer uit.",
};

pub static EN_PAGE: MailingsPageText = MailingsPageText {
    title: "Invitations by e-mail",
    intro: "Every recipient gets a personal link and an opt-out link. When the wave closes the \
e-mail addresses are deleted; the counts stay.",
    none_yet: "No e-mail has been sent for this wave yet.",
    col_mailing: "Mailing",
    col_recipients: "Recipients",
    col_queued: "Queued",
    col_sent: "Sent",
    col_failed: "Failed",
    col_opted_out: "Opted out",
    col_reminders_sent: "Reminders sent",
    col_cancelled: "Not sent",
    addresses_deleted: "addresses deleted",
    refused: "The mail server refused {n} e-mail(s) with this answer:",
    send_reminders: "Remind those who have not answered",
    reminders_queued: "Reminders queued:",
    upload_title: "Add recipients",
    upload_help:
        "Paste a CSV with the columns email, team (name or number), audience (employee or \
customer) and optionally lang (nl or en). If one row is wrong, nothing is sent.",
    upload_button: "Send the invitations",
    upload_done: "The invitations are queued.",
    read_with: "The file was read with {sep} as its delimiter.",
    not_ready: "This server sends no e-mail:",
    problems: "Nothing was sent. Please correct these rows:",
    line: "line",
    column: "column",
    closed: "This wave is closed: no more e-mail goes out.",
};

pub fn mailings_page_text(lang: Lang) -> &'static MailingsPageText {
    match lang {
        Lang::Nl => &NL_PAGE,
        Lang::En => &EN_PAGE,
    }
}

pub fn mail_text(lang: Lang) -> &'static MailText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// `{closes_at}` in words.
pub fn closes_at(lang: Lang, at: Option<chrono::NaiveDateTime>) -> String {
    let t = mail_text(lang);
    match at {
        Some(at) => at.format(t.closes_at_format).to_string(),
        None => t.no_closing_date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_dates_in_both_languages() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 4, 3)
            .unwrap()
            .and_hms_opt(22, 0, 0)
            .unwrap();
        assert_eq!(closes_at(Lang::Nl, Some(at)), "03-04-2026 om 22:00 (UTC)");
        assert_eq!(closes_at(Lang::En, Some(at)), "3 April 2026 at 22:00 (UTC)");
        assert_eq!(closes_at(Lang::En, None), "(no closing date yet)");
    }
}
