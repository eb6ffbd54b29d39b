//! Strings of signing in with the organisation's account (OpenID Connect), NL and EN.

use super::Lang;

pub struct SignInText {
    /// The login page's button to the organisation's sign-in.
    pub with_organisation: &'static str,
    /// Between the organisation's sign-in and the password form.
    pub or_password: &'static str,
    /// The login page when password sign-in is off and no provider is configured.
    pub no_sign_in: &'static str,
    /// A posted password while password sign-in is off.
    pub password_off: &'static str,
    /// The heading of every refusal page.
    pub refused_title: &'static str,
    pub unknown: &'static str,
    pub unverified: &'static str,
    pub bound_elsewhere: &'static str,
    pub not_started: &'static str,
    pub cancelled: &'static str,
    pub failed: &'static str,
    pub unavailable: &'static str,
    pub back_to_login: &'static str,
    /// `GET /logout` (a link never logs out): the page with the button that does.
    pub logout_title: &'static str,
    pub logout_question: &'static str,
    pub logout_button: &'static str,
}

pub static NL: SignInText = SignInText {
    with_organisation: "Inloggen met uw organisatie-account",
    or_password: "of met e-mailadres en wachtwoord",
    no_sign_in: "Inloggen is op deze server uitgeschakeld. Vraag de beheerder.",
    password_off: "Inloggen met een wachtwoord staat uit. Log in met uw organisatie-account.",
    refused_title: "Inloggen niet gelukt",
    unknown: "Uw organisatie-account is niet bekend in Klantspiegel. Vraag de beheerder om u toe te voegen met het e-mailadres van dit account.",
    unverified: "Uw organisatie heeft het e-mailadres van dit account niet bevestigd, dus Klantspiegel kan u er niet mee laten inloggen. Vraag uw IT-afdeling het adres te bevestigen.",
    bound_elsewhere: "Uw Klantspiegel-account is al gekoppeld aan een ander organisatie-account. Log in met dat account, of vraag de beheerder.",
    not_started: "Deze inlogpoging is verlopen, al gebruikt of in een andere browser begonnen. Begin opnieuw.",
    cancelled: "Het inloggen bij uw organisatie is afgebroken.",
    failed: "Het antwoord van uw organisatie kon niet worden gecontroleerd. Begin opnieuw.",
    unavailable: "De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw.",
    back_to_login: "Terug naar inloggen",
    logout_title: "Uitloggen",
    logout_question: "Wilt u uitloggen? Klik op de knop; een link alleen logt u niet uit.",
    logout_button: "Uitloggen",
};

pub static EN: SignInText = SignInText {
    with_organisation: "Sign in with your organisation account",
    or_password: "or with e-mail address and password",
    no_sign_in: "Signing in is turned off on this server. Ask the administrator.",
    password_off: "Signing in with a password is turned off. Sign in with your organisation account.",
    refused_title: "Sign-in failed",
    unknown: "Your organisation account is not known to Klantspiegel. Ask the administrator to add you with this account's e-mail address.",
    unverified: "Your organisation has not verified this account's e-mail address, so Klantspiegel cannot sign you in with it. Ask your IT department to verify the address.",
    bound_elsewhere: "Your Klantspiegel account is already linked to another organisation account. Sign in with that account, or ask the administrator.",
    not_started: "This sign-in has expired, was used already or was started in another browser. Please start again.",
    cancelled: "Signing in with your organisation was cancelled.",
    failed: "Your organisation's answer could not be checked. Please start again.",
    unavailable: "Your organisation's sign-in service cannot be reached now. Please try again later.",
    back_to_login: "Back to sign-in",
    logout_title: "Log out",
    logout_question: "Do you want to log out? Press the button; a link alone does not log you out.",
    logout_button: "Log out",
};

pub fn sign_in_text(lang: Lang) -> &'static SignInText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}
