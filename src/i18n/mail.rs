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

bilingual! {
    pub struct MailText in NL, EN;
    pub fn mail_text;
    /// The default subjects and bodies (placeholders `{link}`, `{organisation}`, `{closes_at}`):
    /// employees are asked about their own service and their guess of the customers' view,
    /// customers about the service they got.
    employee_subject: "Hoe goed is onze dienstverlening? Uw oordeel voor {organisation}",
        "How good is our service? Your view for {organisation}";
    employee_body: "Beste collega,\n\n\
{organisation} vraagt u hoe goed onze dienstverlening aan klanten is: eerst uw eigen oordeel, \
daarna uw inschatting van het cijfer dat klanten ons geven. Klanten beantwoorden dezelfde \
vragen; in een workshop leggen we beide beelden naast elkaar. Het invullen duurt ongeveer vijf \
minuten. Uw antwoorden zijn anoniem: een rapport toont alleen groepen, nooit één persoon.\n\n\
Uw persoonlijke link (alleen voor u):\n{link}\n\n\
De vragenlijst sluit op {closes_at}.\n\n\
Dank voor uw medewerking!",
        "Dear colleague,\n\n\
{organisation} asks you how good our service to customers is: first your own view, then your \
guess of the rating customers give us. Customers answer the same questions; in a workshop we \
put both views side by side. It takes about five minutes. Your answers are anonymous: a \
report shows groups only, never one person.\n\n\
Your personal link (for you only):\n{link}\n\n\
The questionnaire closes on {closes_at}.\n\n\
Thank you for taking part!";
    customer_subject: "Hoe tevreden bent u over {organisation}?",
        "How satisfied are you with {organisation}?";
    customer_body: "Goedendag,\n\n\
{organisation} wil graag weten hoe u de dienstverlening ervaart die u van ons kreeg. Het \
invullen duurt ongeveer vijf minuten. Uw antwoorden zijn anoniem: een rapport toont alleen \
groepen, nooit één persoon.\n\n\
Uw persoonlijke link (alleen voor u):\n{link}\n\n\
De vragenlijst sluit op {closes_at}.\n\n\
Hartelijk dank voor uw tijd!",
        "Hello,\n\n\
{organisation} would like to know how you experienced the service you got from us. It takes \
about five minutes. Your answers are anonymous: a report shows groups only, never one \
person.\n\n\
Your personal link (for you only):\n{link}\n\n\
The questionnaire closes on {closes_at}.\n\n\
Thank you for your time!";
    /// Put before a reminder's subject, and the line above its body.
    reminder_prefix: "Herinnering: ",
        "Reminder: ";
    reminder_intro: "Misschien is het u ontschoten: uw antwoorden zijn nog van harte welkom.",
        "Perhaps it slipped your mind: your answers are still most welcome.";
    /// The footer of every mail; `{opt_out}` is the opt-out link.
    footer: "Liever geen e-mail meer over deze vragenlijst? Meld u af: {opt_out}",
        "Rather have no more e-mail about this questionnaire? Opt out: {opt_out}";
    /// `{closes_at}` of a wave without a closing date.
    no_closing_date: "(nog geen sluitingsdatum)",
        "(no closing date yet)";
    // the opt-out page; `{survey}` names the survey ("de vragenlijst ‘…’ van …")
    opt_out_title: "Afmelden",
        "Opt out";
    opt_out_question: "Wilt u geen e-mail meer ontvangen over {survey}?",
        "Would you rather receive no more e-mail about {survey}?";
    opt_out_button: "Afmelden",
        "Opt out";
    opt_out_done: "U bent afgemeld: u krijgt over {survey} geen e-mail meer.",
        "You have opted out: you will receive no more e-mail about {survey}.";
    opt_out_unknown: "Deze afmeldlink is niet (meer) geldig. Na het sluiten van de vragenlijst \
bewaren wij geen e-mailadressen meer, dus u krijgt er ook geen e-mail meer over.",
        "This opt-out link is not (or no longer) valid. Once the questionnaire \
closes we keep no e-mail addresses, so you will receive no more e-mail about it.";
    /// The survey named on the opt-out page: `{title}` and `{organisation}`, or the title alone.
    survey_of: "de vragenlijst ‘{title}’ van {organisation}",
        "the questionnaire ‘{title}’ of {organisation}";
    survey_alone: "de vragenlijst ‘{title}’",
        "the questionnaire ‘{title}’";
}

impl MailText {
    /// The default subject and body for an audience.
    pub fn default_for(&self, audience: crate::domain::Audience) -> (&'static str, &'static str) {
        match audience {
            crate::domain::Audience::Employee => (self.employee_subject, self.employee_body),
            crate::domain::Audience::Customer => (self.customer_subject, self.customer_body),
        }
    }

    /// A survey named on the opt-out page.
    pub fn survey_named(&self, title: &str, organisation: Option<&str>) -> String {
        match organisation.map(str::trim).filter(|o| !o.is_empty()) {
            Some(o) => self
                .survey_of
                .replace("{title}", title)
                .replace("{organisation}", o),
            None => self.survey_alone.replace("{title}", title),
        }
    }
}

/// `{organisation}` of a mail: the survey's organisation text, its title only when that is
/// empty (issue 24: never the survey's title where an organisation is given).
pub fn organisation_or_title<'a>(organisation: &'a Option<String>, title: &'a str) -> &'a str {
    organisation
        .as_deref()
        .filter(|o| !o.trim().is_empty())
        .unwrap_or(title)
}

/// `{closes_at}` in words: Amsterdam time with the zone named.
pub fn closes_at(lang: Lang, at: Option<chrono::NaiveDateTime>) -> String {
    match at {
        Some(at) => super::time::date_time(lang, at),
        None => mail_text(lang).no_closing_date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_dates_in_amsterdam_time_with_the_zone_named() {
        // 22:00 UTC on 3 April 2026 is midnight in Amsterdam (summer time): the 4th.
        let at = chrono::NaiveDate::from_ymd_opt(2026, 4, 3)
            .unwrap()
            .and_hms_opt(22, 0, 0)
            .unwrap();
        assert_eq!(
            closes_at(Lang::Nl, Some(at)),
            "4 april 2026 om 00:00 (Nederlandse tijd)"
        );
        assert_eq!(
            closes_at(Lang::En, Some(at)),
            "4 April 2026 at 00:00 (Netherlands time)"
        );
        assert_eq!(closes_at(Lang::En, None), "(no closing date yet)");
    }

    #[test]
    fn four_defaults_that_ask_each_audience_its_own_question() {
        use crate::domain::Audience;
        let (_, employee) = NL.default_for(Audience::Employee);
        let (_, customer) = NL.default_for(Audience::Customer);
        assert!(employee.contains("uw eigen oordeel") && employee.contains("inschatting"));
        assert!(!employee.contains("hoe u de dienstverlening ervaart"));
        assert!(customer.contains("hoe u de dienstverlening ervaart die u van ons kreeg"));
        let (_, employee) = EN.default_for(Audience::Employee);
        assert!(employee.contains("your own view") && employee.contains("guess"));
        let (subject, _) = EN.default_for(Audience::Customer);
        assert_eq!(subject, "How satisfied are you with {organisation}?");
        assert_eq!(
            NL.survey_named("Klantspiegel 2027", Some("Gemeente Zandvoort")),
            "de vragenlijst ‘Klantspiegel 2027’ van Gemeente Zandvoort"
        );
        assert_eq!(
            EN.survey_named("Klantspiegel 2027", Some(" ")),
            "the questionnaire ‘Klantspiegel 2027’"
        );
    }
}
