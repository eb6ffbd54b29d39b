//! The live workshop's words, NL and EN: the phone's join page and the facilitator's screen
//! (the script reads them from the page, so no text lives in `static/live.js`).

bilingual! {
    /// Every text of the two live pages in one language. `{label}`, `{value}`, `{n}`, `{min}`,
    /// `{max}`, `{url}` and `{mae}` are filled in by the page's script.
    pub struct LiveText in NL, EN;
    pub fn live_text;
    lang_code: "nl",
        "en";
    title: "Live workshop",
        "Live workshop";
    join_heading: "Doe mee met de live workshop",
        "Join the live workshop";
    code_label: "Code op het scherm",
        "Code on the screen";
    join_button: "Meedoen",
        "Join";
    anonymous: "U doet anoniem mee: zonder naam en zonder account. Na de workshop blijft alleen het aantal gokken per vraag bewaard.",
        "You take part anonymously: no name, no account. After the workshop only the number of guesses per question is kept.";
    waiting: "Wacht op de eerste vraag van de begeleider.",
        "Waiting for the facilitator's first question.";
    question: "Welk cijfer gaven klanten voor {label}?",
        "What score did customers give for {label}?";
    scale_hint: "{min} is het laagste cijfer, {max} het hoogste.",
        "{min} is the lowest score, {max} the highest.";
    send: "Verstuur mijn gok",
        "Send my guess";
    received: "Ontvangen: uw gok is {value}. U kunt hem wijzigen tot de onthulling.",
        "Received: your guess is {value}. You can change it until the reveal.";
    closed: "Deze vraag is gesloten. Wacht op de volgende vraag.",
        "This question is closed. Wait for the next question.";
    reveal_heading: "Zo raadde het team",
        "How the team guessed";
    guesses: "{n} gok(ken)",
        "{n} guess(es)";
    guess_mean: "Gemiddelde gok",
        "Average guess";
    too_few: "Minder dan 3 gokken: alleen het aantal wordt getoond.",
        "Fewer than 3 guesses: only their number is shown.";
    distribution: "Aantal gokken per cijfer",
        "Guesses per score";
    ended: "De workshop is afgelopen. Dank u wel voor het meedoen!",
        "The workshop has ended. Thank you for taking part!";
    reconnecting: "Verbinding verbroken; opnieuw verbinden…",
        "Connection lost; reconnecting…";
    failed: "Dat lukte niet. Probeer het opnieuw.",
        "That did not work. Please try again.";
    start: "Live workshop starten",
        "Start a live workshop";
    start_hint: "Deelnemers raden op hun eigen telefoon, zonder account; u onthult per aspect.",
        "Participants guess on their own phones, without an account; you reveal one dimension at a time.";
    join_at: "Ga naar {url} of scan de QR-code",
        "Go to {url} or scan the QR code";
    qr_alt: "QR-code met de link om mee te doen",
        "QR code with the link to join";
    open: "Vraag openen",
        "Open question";
    reveal: "Onthullen",
        "Reveal";
    end: "Workshop beëindigen",
        "End the workshop";
    end_hint: "Na het beëindigen blijft alleen het aantal gokken per aspect bewaard.",
        "Once ended, only the number of guesses per dimension is kept.";
    is_open: "open",
        "open";
    participants: "deelnemers",
        "participants";
    team_guess: "Gok van het team",
        "Team's guess";
    prediction: "Voorspelling in de enquête",
        "Prediction in the survey";
    customers: "Cijfer van klanten",
        "Customers' score";
    interval: "95%-interval",
        "95% interval";
    not_asked: "niet gevraagd",
        "not asked";
    closing_heading: "Hoe goed kende het team zijn klanten?",
        "How well did the team know its customers?";
    live_mae: "Live gokken: gemiddeld {mae} punt naast het cijfer van klanten, over {n} aspect(en).",
        "Live guesses: {mae} points off the customers' score on average, over {n} dimension(s).";
    survey_mae: "Voorspelling in de enquête: gemiddeld {mae} punt ernaast, over {n} aspect(en).",
        "Prediction in the survey: {mae} points off on average, over {n} dimension(s).";
    no_closing: "Nog geen aspect met minstens 3 gokken en een getoond cijfer van klanten.",
        "No dimension yet with at least 3 guesses and a customers' score shown.";
    expires: "De workshop loopt tot",
        "The workshop runs until";
    back: "Terug naar de workshop",
        "Back to the workshop";
    dimensions: "Aspecten",
        "Dimensions";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

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
