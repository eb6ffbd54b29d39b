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
