//! Strings of signing in with the organisation's account (OpenID Connect), NL and EN.

bilingual! {
    pub struct SignInText in NL, EN;
    pub fn sign_in_text;
    /// The login page's button to the organisation's sign-in.
    with_organisation: "Inloggen met uw organisatie-account",
        "Sign in with your organisation account";
    /// Between the organisation's sign-in and the password form.
    or_password: "of met e-mailadres en wachtwoord",
        "or with e-mail address and password";
    /// The login page when password sign-in is off and no provider is configured.
    no_sign_in: "Inloggen is op deze server uitgeschakeld. Vraag de beheerder.",
        "Signing in is turned off on this server. Ask the administrator.";
    /// A posted password while password sign-in is off.
    password_off: "Inloggen met een wachtwoord staat uit. Log in met uw organisatie-account.",
        "Signing in with a password is turned off. Sign in with your organisation account.";
    /// The heading of every refusal page.
    refused_title: "Inloggen niet gelukt",
        "Sign-in failed";
    unknown: "Uw organisatie-account is niet bekend in Klantspiegel. Vraag de beheerder om u toe te voegen met het e-mailadres van dit account.",
        "Your organisation account is not known to Klantspiegel. Ask the administrator to add you with this account's e-mail address.";
    unverified: "Uw organisatie heeft het e-mailadres van dit account niet bevestigd, dus Klantspiegel kan u er niet mee laten inloggen. Vraag uw IT-afdeling het adres te bevestigen.",
        "Your organisation has not verified this account's e-mail address, so Klantspiegel cannot sign you in with it. Ask your IT department to verify the address.";
    bound_elsewhere: "Uw Klantspiegel-account is al gekoppeld aan een ander organisatie-account. Log in met dat account, of vraag de beheerder.",
        "Your Klantspiegel account is already linked to another organisation account. Sign in with that account, or ask the administrator.";
    not_started: "Deze inlogpoging is verlopen, al gebruikt of in een andere browser begonnen. Begin opnieuw.",
        "This sign-in has expired, was used already or was started in another browser. Please start again.";
    cancelled: "Het inloggen bij uw organisatie is afgebroken.",
        "Signing in with your organisation was cancelled.";
    failed: "Het antwoord van uw organisatie kon niet worden gecontroleerd. Begin opnieuw.",
        "Your organisation's answer could not be checked. Please start again.";
    unavailable: "De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw.",
        "Your organisation's sign-in service cannot be reached now. Please try again later.";
    back_to_login: "Terug naar inloggen",
        "Back to sign-in";
    /// `GET /logout` (a link never logs out): the page with the button that does.
    logout_title: "Uitloggen",
        "Log out";
    logout_question: "Wilt u uitloggen? Klik op de knop; een link alleen logt u niet uit.",
        "Do you want to log out? Press the button; a link alone does not log you out.";
    logout_button: "Uitloggen",
        "Log out";
}
