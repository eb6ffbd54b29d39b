//! The live workshop's words, NL and EN: the phone's join page and the facilitator's screen
//! (the script reads them from the page, so no text lives in `static/live.js`).

use super::Lang;

/// Every text of the two live pages in one language. `{label}`, `{value}`, `{n}`, `{min}`,
/// `{max}`, `{url}` and `{mae}` are filled in by the page's script.
pub struct LiveText {
    pub lang_code: &'static str,
    pub title: &'static str,
    pub join_heading: &'static str,
    pub code_label: &'static str,
    pub join_button: &'static str,
    pub anonymous: &'static str,
    pub waiting: &'static str,
    pub question: &'static str,
    pub scale_hint: &'static str,
    pub send: &'static str,
    pub received: &'static str,
    pub closed: &'static str,
    pub reveal_heading: &'static str,
    pub guesses: &'static str,
    pub guess_mean: &'static str,
    pub too_few: &'static str,
    pub distribution: &'static str,
    pub ended: &'static str,
    pub reconnecting: &'static str,
    pub failed: &'static str,
    pub start: &'static str,
    pub start_hint: &'static str,
    pub join_at: &'static str,
    pub qr_alt: &'static str,
    pub open: &'static str,
    pub reveal: &'static str,
    pub end: &'static str,
    pub end_hint: &'static str,
    pub is_open: &'static str,
    pub participants: &'static str,
    pub team_guess: &'static str,
    pub prediction: &'static str,
    pub customers: &'static str,
    pub interval: &'static str,
    pub not_asked: &'static str,
    pub closing_heading: &'static str,
    pub live_mae: &'static str,
    pub survey_mae: &'static str,
    pub no_closing: &'static str,
    pub expires: &'static str,
    pub back: &'static str,
    pub dimensions: &'static str,
}

const NL: LiveText = LiveText {
    lang_code: "nl",
    title: "Live workshop",
    join_heading: "Doe mee met de live workshop",
    code_label: "Code op het scherm",
    join_button: "Meedoen",
    anonymous: "U doet anoniem mee: zonder naam en zonder account. Na de workshop blijft alleen het aantal gokken per vraag bewaard.",
    waiting: "Wacht op de eerste vraag van de begeleider.",
    question: "Welk cijfer gaven klanten voor {label}?",
    scale_hint: "{min} is het laagste cijfer, {max} het hoogste.",
    send: "Verstuur mijn gok",
    received: "Ontvangen: uw gok is {value}. U kunt hem wijzigen tot de onthulling.",
    closed: "Deze vraag is gesloten. Wacht op de volgende vraag.",
    reveal_heading: "Zo raadde het team",
    guesses: "{n} gok(ken)",
    guess_mean: "Gemiddelde gok",
    too_few: "Minder dan 3 gokken: alleen het aantal wordt getoond.",
    distribution: "Aantal gokken per cijfer",
    ended: "De workshop is afgelopen. Dank u wel voor het meedoen!",
    reconnecting: "Verbinding verbroken; opnieuw verbinden…",
    failed: "Dat lukte niet. Probeer het opnieuw.",
    start: "Live workshop starten",
    start_hint: "Deelnemers raden op hun eigen telefoon, zonder account; u onthult per aspect.",
    join_at: "Ga naar {url} of scan de QR-code",
    qr_alt: "QR-code met de link om mee te doen",
    open: "Vraag openen",
    reveal: "Onthullen",
    end: "Workshop beëindigen",
    end_hint: "Na het beëindigen blijft alleen het aantal gokken per aspect bewaard.",
    is_open: "open",
    participants: "deelnemers",
    team_guess: "Gok van het team",
    prediction: "Voorspelling in de enquête",
    customers: "Cijfer van klanten",
    interval: "95%-interval",
    not_asked: "niet gevraagd",
    closing_heading: "Hoe goed kende het team zijn klanten?",
    live_mae: "Live gokken: gemiddeld {mae} punt naast het cijfer van klanten, over {n} aspect(en).",
    survey_mae: "Voorspelling in de enquête: gemiddeld {mae} punt ernaast, over {n} aspect(en).",
    no_closing: "Nog geen aspect met minstens 3 gokken en een getoond cijfer van klanten.",
    expires: "De workshop loopt tot",
    back: "Terug naar de workshop",
    dimensions: "Aspecten",
};

const EN: LiveText = LiveText {
    lang_code: "en",
    title: "Live workshop",
    join_heading: "Join the live workshop",
    code_label: "Code on the screen",
    join_button: "Join",
    anonymous: "You take part anonymously: no name, no account. After the workshop only the number of guesses per question is kept.",
    waiting: "Waiting for the facilitator's first question.",
    question: "What score did customers give for {label}?",
    scale_hint: "{min} is the lowest score, {max} the highest.",
    send: "Send my guess",
    received: "Received: your guess is {value}. You can change it until the reveal.",
    closed: "This question is closed. Wait for the next question.",
    reveal_heading: "How the team guessed",
    guesses: "{n} guess(es)",
    guess_mean: "Average guess",
    too_few: "Fewer than 3 guesses: only their number is shown.",
    distribution: "Guesses per score",
    ended: "The workshop has ended. Thank you for taking part!",
    reconnecting: "Connection lost; reconnecting…",
    failed: "That did not work. Please try again.",
    start: "Start a live workshop",
    start_hint: "Participants guess on their own phones, without an account; you reveal one dimension at a time.",
    join_at: "Go to {url} or scan the QR code",
    qr_alt: "QR code with the link to join",
    open: "Open question",
    reveal: "Reveal",
    end: "End the workshop",
    end_hint: "Once ended, only the number of guesses per dimension is kept.",
    is_open: "open",
    participants: "participants",
    team_guess: "Team's guess",
    prediction: "Prediction in the survey",
    customers: "Customers' score",
    interval: "95% interval",
    not_asked: "not asked",
    closing_heading: "How well did the team know its customers?",
    live_mae: "Live guesses: {mae} points off the customers' score on average, over {n} dimension(s).",
    survey_mae: "Prediction in the survey: {mae} points off on average, over {n} dimension(s).",
    no_closing: "No dimension yet with at least 3 guesses and a customers' score shown.",
    expires: "The workshop runs until",
    back: "Back to the workshop",
    dimensions: "Dimensions",
};

pub fn live_text(lang: Lang) -> &'static LiveText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phone_asks_the_specs_question() {
        assert_eq!(
            live_text(Lang::Nl)
                .question
                .replace("{label}", "Deskundigheid"),
            "Welk cijfer gaven klanten voor Deskundigheid?"
        );
        assert_eq!(live_text(Lang::En).lang_code, "en");
    }
}
