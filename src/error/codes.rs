//! Every refusal a person or a client can cause, in one table: its code in the API body, its
//! HTTP status, and its message in Dutch and English with the same parameters.
//!
//! The API answers with the English text (`{"error": {"code", "message", "field"}}`: the
//! message is for the developer reading the response; docs/api.md says so); pages, the CLI's
//! Dutch output and the import and mailing reports render the message in the reader's language
//! from the same variant. Nothing ever reads a kind back from a message: code the variant.
//!
//! Several variants share an API code (`validation_failed`, `not_found`, …): the code is the
//! kind a client branches on, the variant the exact sentence a person reads.

use crate::i18n::Lang;

macro_rules! error_codes {
    ($(
        $(#[$m:meta])*
        $variant:ident $({ $($p:ident : $t:ty),* $(,)? })? => $code:literal, $status:literal,
            nl: $nl:literal,
            en: $en:literal;
    )+) => {
        /// One refusal with its parameters. See the module documentation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum ErrorCode {
            $( $(#[$m])* $variant $({ $($p: $t),* })?, )+
        }

        impl ErrorCode {
            /// The code of the API body (`error.code`).
            pub fn code(&self) -> &'static str {
                match self { $( ErrorCode::$variant { .. } => $code, )+ }
            }

            /// The HTTP status this refusal is answered with.
            pub fn status(&self) -> u16 {
                match self { $( ErrorCode::$variant { .. } => $status, )+ }
            }

            /// The message in one language, parameters filled in.
            #[allow(unused_variables)]
            pub fn message(&self, lang: Lang) -> String {
                match self {
                    $( ErrorCode::$variant $({ $($p),* })? => match lang {
                        Lang::Nl => format!($nl),
                        Lang::En => format!($en),
                    }, )+
                }
            }

            /// One value of every variant (parameters at their defaults), for the test that
            /// every code has both texts.
            #[cfg(test)]
            pub fn samples() -> Vec<ErrorCode> {
                vec![ $( ErrorCode::$variant $({ $($p: Default::default()),* })?, )+ ]
            }
        }
    };
}

error_codes! {
    // ---------- who may do what ----------
    Unauthorized => "unauthorized", 401,
        nl: "U bent niet ingelogd: log in om verder te gaan.",
        en: "authentication required";
    AdminOnly => "forbidden", 403,
        nl: "Hiervoor is de rol beheerder nodig.",
        en: "this needs the admin role";
    NoTeamAccess { team: i64 } => "forbidden", 403,
        nl: "U hebt geen toegang tot team {team}.",
        en: "you have no access to team {team}";
    CsrfRefused => "forbidden", 403,
        nl: "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw en probeer het nog eens.",
        en: "missing or wrong CSRF token";
    FormTokenRefused => "forbidden", 403,
        nl: "Dit formulier is verlopen. Open de vragenlijst opnieuw via uw link.",
        en: "missing or wrong form token";
    OrganisationActionsAdminOnly => "forbidden", 403,
        nl: "Acties voor de hele organisatie worden door een beheerder vastgelegd.",
        en: "organisation-wide actions are recorded by an admin";

    // ---------- what does not exist ----------
    SurveyNotFound { survey: i64 } => "not_found", 404,
        nl: "Vragenlijst {survey} bestaat niet.",
        en: "survey {survey} not found";
    WaveNotFound { wave: i64 } => "not_found", 404,
        nl: "Meting {wave} bestaat niet (bij deze vragenlijst).",
        en: "wave {wave} of this survey not found";
    NoWaveYet { survey: i64 } => "not_found", 404,
        nl: "Vragenlijst {survey} heeft nog geen meting.",
        en: "survey {survey} has no wave yet";
    TeamNotFound { team: i64 } => "not_found", 404,
        nl: "Team {team} bestaat niet.",
        en: "team {team} not found";
    UserNotFound { user: i64 } => "not_found", 404,
        nl: "Gebruiker {user} bestaat niet.",
        en: "user {user} not found";
    ActionNotFound { action: i64 } => "not_found", 404,
        nl: "Actie {action} bestaat niet.",
        en: "action {action} not found";
    InvitationNotFound { invitation: i64 } => "not_found", 404,
        nl: "Uitnodiging {invitation} bestaat niet.",
        en: "invitation {invitation} not found";
    MailingNotFound { mailing: i64 } => "not_found", 404,
        nl: "Verzending {mailing} bestaat niet (bij deze meting).",
        en: "mailing {mailing} of this wave not found";
    TokenUnknown => "not_found", 404,
        nl: "Deze link is onbekend. Controleer of u de hele link hebt overgenomen.",
        en: "invitation not found (unknown token)";
    ChartNotFound { name: String } => "not_found", 404,
        nl: "Grafiek '{name}' bestaat niet.",
        en: "chart '{name}' not found";
    TemplateLanguageNotFound { lang: String } => "not_found", 404,
        nl: "Er is geen sjabloon in de taal '{lang}' (nl of en).",
        en: "template language '{lang}' not found (nl or en)";
    RecordNotFound => "not_found", 404,
        nl: "Dit bestaat niet (meer).",
        en: "record not found";
    RouteNotFound => "not_found", 404,
        nl: "Deze pagina bestaat niet.",
        en: "route not found";

    // ---------- refused changes (409) ----------
    TeamExists { name: String } => "team_exists", 409,
        nl: "Er bestaat al een team met de naam '{name}'.",
        en: "a team named '{name}' already exists";
    TeamHasResponses { team: String, responses: i64 } => "team_has_responses", 409,
        nl: "Team '{team}' heeft {responses} antwoord(en); een team met antwoorden kan niet worden verwijderd.",
        en: "team '{team}' has {responses} response(s); a team with responses cannot be deleted";
    TeamHasActions { team: String, actions: i64 } => "team_has_actions", 409,
        nl: "Voor team '{team}' zijn {actions} actie(s) vastgelegd; het kan niet worden verwijderd.",
        en: "team '{team}' has {actions} recorded action(s); a team with actions cannot be deleted";
    UserExists { email: String } => "user_exists", 409,
        nl: "Er bestaat al een gebruiker met het e-mailadres {email}.",
        en: "a user {email} already exists";
    LastAdmin => "last_admin", 409,
        nl: "Dit is de laatste beheerder: maak eerst iemand anders beheerder, anders kan niemand de console meer beheren.",
        en: "this is the last admin: make someone else an admin first, or no one could manage the console";
    OwnAccount => "own_account", 409,
        nl: "U kunt uw eigen account niet verwijderen.",
        en: "you cannot delete your own account";
    SurveyHasResponses => "survey_has_responses", 409,
        nl: "Er zijn al antwoorden: de schaal, de aspecten en de anonimiteitsdrempels kunnen niet meer veranderen.",
        en: "the survey has responses: its scale, dimensions and anonymity thresholds can no longer change";
    WaveClosed { wave: String } => "wave_closed", 409,
        nl: "Meting '{wave}' is gesloten: er komen geen antwoorden, uitnodigingen of e-mails meer bij.",
        en: "wave '{wave}' is closed: it takes no more responses, invitations or e-mail";
    WaveDatesFixed => "wave_closed", 409,
        nl: "Deze meting is gesloten en de uitkomsten zijn gepubliceerd; de data kunnen niet meer veranderen.",
        en: "this wave is closed; its dates can no longer change";
    TokenUsed => "token_used", 409,
        nl: "Met deze link is de vragenlijst al ingevuld. Dank u wel!",
        en: "this invitation has already been used";
    WaveNotOpen => "wave_not_open", 409,
        nl: "Deze meting is nog niet begonnen. Probeer het later opnieuw.",
        en: "this survey round has not opened yet";
    DatabaseNotEmpty => "not_empty", 409,
        nl: "De database bevat al teams of vragenlijsten; de demo laadt alleen in een lege database.",
        en: "the database already holds teams or surveys; the demo loads only into an empty database";
    AlreadyExists { detail: String } => "conflict", 409,
        nl: "Dit bestaat al ({detail}).",
        en: "already exists ({detail})";

    // ---------- the live workshop ----------
    LiveNotFound => "live_not_found", 404,
        nl: "Er is geen live workshop met deze code. Controleer de code op het scherm van de begeleider.",
        en: "no live session with this code";
    LiveEnded => "live_ended", 410,
        nl: "Deze live workshop is afgelopen. Dank u wel voor het meedoen!",
        en: "this live session has ended";
    LiveNotFacilitator => "forbidden", 403,
        nl: "Alleen wie deze live workshop is begonnen, kan vragen openen, onthullen of de workshop beëindigen.",
        en: "only the facilitator who started this live session can open, reveal or end it";
    LiveOrganisationAdminOnly => "forbidden", 403,
        nl: "Een live workshop voor de hele organisatie wordt door een beheerder geleid; kies uw team.",
        en: "a live session for the whole organisation is run by an admin; choose your team";
    LiveWaveOpen { wave: String } => "wave_not_closed", 409,
        nl: "Meting '{wave}' is nog open: een live workshop kan pas als de meting gesloten is en de uitkomsten gepubliceerd zijn.",
        en: "wave '{wave}' is still open: live sessions run on closed (published) waves only";
    LiveQuestionNotOpen { key: String } => "question_not_open", 409,
        nl: "Over deze vraag kunt u nu niet raden: wacht tot de begeleider de volgende vraag opent.",
        en: "dimension '{key}' is not open for guesses";
    LiveFull { max: i64 } => "live_full", 409,
        nl: "Deze live workshop is vol: er doen al {max} telefoons mee.",
        en: "this live session is full: {max} phones take part already";
    LiveAlreadyRevealed { key: String } => "already_revealed", 409,
        nl: "Deze vraag is al onthuld; een onthulde vraag gaat niet opnieuw open.",
        en: "dimension '{key}' has been revealed already; a revealed dimension does not open again";

    // ---------- links that no longer work (410) ----------
    TokenRevoked => "token_revoked", 410,
        nl: "Deze uitnodiging is ingetrokken.",
        en: "this invitation has been withdrawn";
    TokenExpired => "token_expired", 410,
        nl: "Deze uitnodiging is verlopen.",
        en: "this invitation has expired";
    RoundClosed => "wave_closed", 410,
        nl: "Deze meting is gesloten: er kunnen geen antwoorden meer bij.",
        en: "this survey round is closed";

    // ---------- answers ----------
    OutsideScale { value: i64, min: i32, max: i32 } => "validation_failed", 422,
        nl: "{value} ligt buiten de schaal {min}–{max}.",
        en: "{value} is outside the scale {min}–{max}";
    NpsRange { value: i64 } => "validation_failed", 422,
        nl: "De aanbevelingsvraag gaat van 0 tot en met 10; {value} kan niet.",
        en: "NPS must be between 0 and 10, got {value}";
    NpsForEmployee => "validation_failed", 422,
        nl: "Medewerkers beantwoorden de aanbevelingsvraag niet.",
        en: "employees do not answer the NPS question";
    UnknownDimension { key: String } => "validation_failed", 422,
        nl: "'{key}' is geen aspect van deze vragenlijst.",
        en: "'{key}' is not a dimension of this survey";
    KindNotAllowed { audience: String, kind: String } => "validation_failed", 422,
        nl: "Een {audience} geeft geen oordeel van de soort '{kind}'.",
        en: "a {audience} may not give a '{kind}' rating";
    KindNotAsked { kind: String } => "validation_failed", 422,
        nl: "Deze vragenlijst vraagt niet naar '{kind}'.",
        en: "this survey does not ask for '{kind}' ratings";
    NotWholeNumber { value: String } => "validation_failed", 422,
        nl: "{value} is geen geheel getal.",
        en: "{value} is not a whole number";
    NotWholeNumberOrNull { value: String } => "validation_failed", 422,
        nl: "{value} is geen geheel getal (of leeg voor 'weet niet').",
        en: "{value} is not a whole number or null";
    NoRating => "validation_failed", 422,
        nl: "Beantwoord ten minste één vraag.",
        en: "a submission needs at least one rating";
    GivenTwice => "validation_failed", 422,
        nl: "Dit veld is twee keer meegestuurd; stuur het één keer.",
        en: "this field is given twice; give it once";

    // ---------- values ----------
    NotOneOf { value: String, allowed: String } => "validation_failed", 422,
        nl: "'{value}' kan niet; kies uit: {allowed}.",
        en: "'{value}' is not one of: {allowed}";
    Required => "validation_failed", 422,
        nl: "Vul dit in.",
        en: "is required";
    TextEmpty => "validation_failed", 422,
        nl: "Vul dit in; het mag niet leeg zijn.",
        en: "must not be empty";
    TextTooLong { max: usize } => "validation_failed", 422,
        nl: "Dit is langer dan {max} tekens.",
        en: "is longer than {max} characters";
    TextControl => "validation_failed", 422,
        nl: "Dit bevat stuurtekens; laat die weg.",
        en: "contains control characters";
    NameInvisible { codepoint: String } => "validation_failed", 422,
        nl: "Een naam mag geen stuurtekens of onzichtbare opmaaktekens bevatten; deze bevat {codepoint} (zo'n teken kan tekst bijvoorbeeld achterstevoren laten lijken). Typ de naam opnieuw zonder dat teken.",
        en: "a name may not contain control or invisible formatting characters; this one holds {codepoint} (such a character can, for instance, make text appear reversed); type the name again without it";
    TextOneLine => "validation_failed", 422,
        nl: "Dit moet op één regel passen.",
        en: "must be one line";
    NotANumber { value: String } => "validation_failed", 422,
        nl: "'{value}' is geen getal.",
        en: "'{value}' is not a number";
    Between { min: String, max: String } => "validation_failed", 422,
        nl: "Kies een waarde van {min} tot en met {max}.",
        en: "must be between {min} and {max}";
    BetweenExclusive { min: String, max: String } => "validation_failed", 422,
        nl: "Kies een waarde tussen {min} en {max} (die twee zelf niet).",
        en: "must be between {min} and {max} (exclusive)";
    NotADate { value: String } => "validation_failed", 422,
        nl: "'{value}' is geen datum (JJJJ-MM-DD).",
        en: "'{value}' is not a date (YYYY-MM-DD)";
    NotADateTime { value: String } => "validation_failed", 422,
        nl: "'{value}' is geen datum met tijd (bijvoorbeeld 2027-03-01 09:00).",
        en: "'{value}' is not an RFC 3339 date-time";
    ClosesBeforeOpens => "validation_failed", 422,
        nl: "Het einde moet na het begin liggen.",
        en: "must be after opens_at";
    NotAnEmail => "validation_failed", 422,
        nl: "Dit is geen e-mailadres.",
        en: "not an e-mail address";
    AddressTooLong => "validation_failed", 422,
        nl: "Dit e-mailadres is langer dan 254 tekens.",
        en: "the address is longer than 254 characters";
    AddressNotBare => "validation_failed", 422,
        nl: "Dit is niet één kaal e-mailadres (zonder naam, spaties, <>, komma of puntkomma).",
        en: "the address is not a single bare address";
    AddressIpLiteral => "validation_failed", 422,
        nl: "Dit adres heeft een IP-adres als domein; de mailserver bezorgt alleen aan domeinnamen.",
        en: "the address has an IP address for a domain; the mail server delivers to domain names only";
    AddressNotAscii => "validation_failed", 422,
        nl: "Dit adres bevat tekens buiten ASCII (zoals ü of é); de mailserver kan dat niet bezorgen. Gebruik de ASCII-vorm van het adres (voor een domein: xn--…).",
        en: "the address holds characters outside ASCII (such as ü or é), which the mail server cannot deliver; give the ASCII form of the address (for a domain: xn--…)";

    // ---------- surveys, waves, teams, users ----------
    ScaleOrder { min: i32, max: i32 } => "validation_failed", 422,
        nl: "Het hoogste punt van de schaal ({max}) moet groter zijn dan het laagste ({min}).",
        en: "scale_max ({max}) must be greater than scale_min ({min})";
    ScaleTooWide { points: i32 } => "validation_failed", 422,
        nl: "Een schaal heeft ten hoogste {points} punten tussen -1000 en 1000.",
        en: "a scale has at most {points} points between -1000 and 1000";
    UnknownTemplate { name: String } => "validation_failed", 422,
        nl: "Sjabloon '{name}' bestaat niet (bekend: mirror-default).",
        en: "unknown template '{name}' (known: mirror-default)";
    NoDimensions => "validation_failed", 422,
        nl: "Een vragenlijst heeft ten minste één aspect nodig.",
        en: "a survey needs at least one dimension";
    TooManyDimensions { max: usize } => "validation_failed", 422,
        nl: "Een vragenlijst heeft ten hoogste {max} aspecten.",
        en: "a survey has at most {max} dimensions";
    DuplicateKey { key: String } => "validation_failed", 422,
        nl: "De sleutel '{key}' komt twee keer voor.",
        en: "duplicate dimension key '{key}'";
    KeyReserved { key: String } => "validation_failed", 422,
        nl: "'{key}' is een kolomnaam van het CSV-formaat; kies een andere sleutel.",
        en: "'{key}' is reserved (a column of the CSV format); choose another key";
    KeyInvalid { key: String } => "validation_failed", 422,
        nl: "'{key}' is geen geldige sleutel: kleine letters, cijfers en _, beginnend met een letter, ten hoogste 64 tekens.",
        en: "'{key}' is not a valid dimension key (lowercase letters, digits and _, starting with a letter, at most 64)";
    NotAWaveOfSurvey { wave: i64 } => "validation_failed", 422,
        nl: "Meting {wave} hoort niet bij deze vragenlijst.",
        en: "wave {wave} is not a wave of this survey";
    TeamDoesNotExist { team: i64 } => "validation_failed", 422,
        nl: "Team {team} bestaat niet.",
        en: "team {team} does not exist";
    ChooseFile => "validation_failed", 422,
        nl: "Kies een CSV-bestand.",
        en: "choose a CSV file";
    ChooseTeam => "validation_failed", 422,
        nl: "Kies een team.",
        en: "choose a team";
    LeadNeedsTeam => "validation_failed", 422,
        nl: "Een teamleider heeft ten minste één team nodig.",
        en: "a team_lead needs at least one team";
    PasswordTooShort { min: usize } => "validation_failed", 422,
        nl: "Het wachtwoord moet ten minste {min} tekens hebben.",
        en: "the password must be at least {min} characters";
    PasswordTooLong { max: usize } => "validation_failed", 422,
        nl: "Het wachtwoord mag ten hoogste {max} tekens hebben.",
        en: "the password must be at most {max} characters";
    PasswordCommon => "validation_failed", 422,
        nl: "Dit wachtwoord (of dit woord met cijfers of tekens erbij) staat op de lijst van veelgebruikte wachtwoorden en wordt als eerste geraden. Kies een zin van een paar eigen woorden.",
        en: "this password (or this word with digits or signs added) is on the list of commonly used passwords and would be guessed first; choose a phrase of a few words of your own";
    PasswordRepetitive => "validation_failed", 422,
        nl: "Dit wachtwoord herhaalt steeds dezelfde tekens (zoals aaaaaaaa of 12121212). Kies een zin van een paar eigen woorden.",
        en: "this password repeats the same characters (such as aaaaaaaa or 12121212); choose a phrase of a few words of your own";
    PasswordSequential => "validation_failed", 422,
        nl: "Dit wachtwoord is een reeks (zoals 12345678, abcdefgh of qwertyui). Kies een zin van een paar eigen woorden.",
        en: "this password is a sequence (such as 12345678, abcdefgh or qwertyui); choose a phrase of a few words of your own";
    PasswordPersonal => "validation_failed", 422,
        nl: "Dit wachtwoord bevat de naam Klantspiegel of uw eigen e-mailadres en is daardoor makkelijk te raden.",
        en: "this password contains the name Klantspiegel or your own e-mail address, which makes it easy to guess";
    ChartSize { width: u32, height: u32 } => "validation_failed", 422,
        nl: "{width}×{height} is geen mogelijke grootte voor een grafiek.",
        en: "{width}×{height} is not a supported size";

    // ---------- e-mail ----------
    PublicUrlMissing => "validation_failed", 422,
        nl: "E-mails hebben volledige links nodig: start de server met KLANTSPIEGEL_PUBLIC_URL (of --public-url) op het adres waarop respondenten hem bereiken.",
        en: "e-mails need absolute links: start the server with KLANTSPIEGEL_PUBLIC_URL (or --public-url) set to the address respondents reach it at";
    SmtpMissing => "validation_failed", 422,
        nl: "Er is geen mailserver ingesteld: zet KLANTSPIEGEL_SMTP_URL en KLANTSPIEGEL_MAIL_FROM.",
        en: "no SMTP server is configured: set KLANTSPIEGEL_SMTP_URL and KLANTSPIEGEL_MAIL_FROM";
    UnknownPlaceholder { name: String } => "validation_failed", 422,
        nl: "{{{name}}} is geen invulveld (bekend: {{link}}, {{organisation}}, {{closes_at}}).",
        en: "{{{name}}} is not a placeholder (known: {{link}}, {{organisation}}, {{closes_at}})";
    TestMailRefused { answer: String } => "mail_refused", 422,
        nl: "De mailserver nam de testmail niet aan: {answer}",
        en: "the mail server did not accept the test mail: {answer}";
    BodyNeedsLink => "validation_failed", 422,
        nl: "De tekst moet {{link}} bevatten: de persoonlijke link naar de vragenlijst.",
        en: "must contain {{link}}: the personal questionnaire link";

    // ---------- rows of a CSV file (imports and recipient lists) ----------
    UnreadableHeader { detail: String } => "unreadable_header", 422,
        nl: "De kopregel is onleesbaar: {detail}.",
        en: "unreadable header: {detail}";
    UnreadableRow { detail: String } => "unreadable_row", 422,
        nl: "Deze regel is onleesbaar: {detail}.",
        en: "unreadable row: {detail}";
    NotUtf8 { byte: String } => "not_utf8", 422,
        nl: "Het bestand is geen UTF-8-tekst (byte {byte}); Excel heeft het waarschijnlijk opgeslagen als 'CSV (gescheiden door lijstscheidingsteken)'. Kies in Excel Opslaan als → 'CSV UTF-8 (door komma's gescheiden) (*.csv)' en lees dat bestand in.",
        en: "the file is not UTF-8 text (byte {byte}); it was probably saved by Excel as 'CSV (gescheiden door lijstscheidingsteken)' in Windows-1252. In Excel choose Save as → 'CSV UTF-8 (door komma's gescheiden) (*.csv)' and import that file";
    HeaderTooWide { columns: usize, max: usize } => "too_many_columns", 422,
        nl: "De kopregel heeft {columns} kolommen; een bestand heeft er ten hoogste {max} (doelgroep, team, de vaste velden en tot vier per aspect).",
        en: "the header has {columns} columns; an import has at most {max} (audience, team, the optional fields and up to four per dimension)";
    RatingNotWhole { value: String } => "validation_failed", 422,
        nl: "'{value}' is geen heel cijfer op de schaal (en geen nvt, n.v.t., n/a of dk voor 'weet niet'); halve cijfers zoals 8,5 kunnen niet.",
        en: "'{value}' is not a whole number on the scale (nor nvt, n.v.t., n/a or dk for 'don't know'); half grades such as 8,5 are not possible";
    ColumnTwice { column: String } => "column_twice", 422,
        nl: "De kolom '{column}' komt twee keer voor.",
        en: "column '{column}' appears twice";
    ColumnUnknown { column: String } => "column_unknown", 422,
        nl: "Onbekende kolom '{column}': geen veld en geen aspect van deze vragenlijst.",
        en: "unknown column '{column}': not a field and not a dimension key of this survey";
    ColumnSuffix { column: String } => "column_unknown", 422,
        nl: "Onbekende kolom '{column}': het achtervoegsel moet .predicted, .expected of .importance zijn.",
        en: "unknown column '{column}': the suffix must be .predicted, .expected or .importance";
    ColumnMissing { column: String } => "column_missing", 422,
        nl: "De verplichte kolom '{column}' ontbreekt.",
        en: "the required column '{column}' is missing";
    TooManyRows { max: usize } => "too_many_rows", 422,
        nl: "Te veel regels: ten hoogste {max}; verder is niet gelezen.",
        en: "too many rows: at most {max}; stopped reading";
    RespondentTwice { respondent: String, first: u64 } => "respondent_twice", 422,
        nl: "Respondent '{respondent}' komt twee keer voor in dit bestand (eerst op regel {first}).",
        en: "respondent '{respondent}' appears twice in this file (first on line {first})";
    UnknownTeamName { name: String } => "unknown_team", 422,
        nl: "Onbekend team '{name}': maak het eerst aan (Teams) of corrigeer de naam.",
        en: "unknown team '{name}': create it first";
    UnknownTeamNameOrId { name: String } => "unknown_team", 422,
        nl: "'{name}' is geen team (geef de naam of het nummer).",
        en: "'{name}' is not a team (give its name or id)";
    RowWithoutRating => "no_rating", 422,
        nl: "Deze regel heeft geen enkel cijfer; een antwoord heeft er ten minste één nodig.",
        en: "the row has no rating: a response needs at least one";
    RowWithoutAudienceOrTeam => "validation_failed", 422,
        nl: "Deze regel mist een doelgroep of een team.",
        en: "the row lacks an audience or a team";
    AddressMissing => "address_missing", 422,
        nl: "Het e-mailadres ontbreekt.",
        en: "the address is missing";
    AddressTwice { first: u64 } => "address_twice", 422,
        nl: "Hetzelfde adres als op regel {first}.",
        en: "the same address as on line {first}";
    NoRecipients => "no_recipients", 422,
        nl: "Het bestand noemt geen ontvangers.",
        en: "the file names no recipients";
    ImportRejected { problems: u64 } => "import_rejected", 422,
        nl: "Er is niets opgeslagen: {problems} probleem/problemen in het bestand.",
        en: "nothing was stored: {problems} problem(s) in the file";

    // ---------- requests that cannot be read ----------
    MalformedJson { detail: String } => "bad_request", 400,
        nl: "Het verzoek is geen geldige JSON: {detail}.",
        en: "malformed JSON: {detail}";
    InvalidBody { detail: String } => "validation_failed", 422,
        nl: "De inhoud van het verzoek klopt niet: {detail}.",
        en: "invalid request body: {detail}";
    ExpectedJson => "bad_request", 400,
        nl: "Verwacht Content-Type: application/json.",
        en: "expected Content-Type: application/json";
    BadForm { detail: String } => "bad_request", 400,
        nl: "Het formulier kon niet worden gelezen: {detail}.",
        en: "bad form: {detail}";
    BadQuery { detail: String } => "bad_request", 400,
        nl: "De zoekparameters kloppen niet: {detail}.",
        en: "bad query string: {detail}";
    BodyUnreadable { detail: String } => "bad_request", 400,
        nl: "Het verzoek kon niet worden gelezen: {detail}.",
        en: "could not read the request body: {detail}";
    BodyTooLarge => "payload_too_large", 413,
        nl: "Het verzoek is te groot.",
        en: "request body too large";
    FileTooLarge { mb: u64 } => "payload_too_large", 413,
        nl: "Het bestand is te groot: ten hoogste {mb} MB.",
        en: "the file is too large: at most {mb} MB";
    BodyTooSlow => "request_timeout", 408,
        nl: "Het verzoek kwam te langzaam binnen; de verbinding is gesloten.",
        en: "the request body arrived too slowly; the connection is closed";
    /// A mailing's reminders within the cool-down (`KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS`).
    RemindersTooSoon { last: String, next: String, retry_after: u64 } => "reminders_too_soon", 409,
        nl: "De herinneringen van deze verzending gingen al uit op {last}; de volgende ronde kan vanaf {next}.",
        en: "this mailing's reminders were queued at {last}; the next round is allowed from {next}";
    RateLimited { retry_after: u64 } => "rate_limited", 429,
        nl: "Te veel pogingen; probeer het over {retry_after} seconden opnieuw.",
        en: "too many requests; try again in {retry_after} s";

    // ---------- the database cannot take the request now (503, Retry-After) ----------
    DatabaseBusy => "unavailable", 503,
        nl: "Het is even te druk; probeer het over een paar seconden opnieuw.",
        en: "the database is busy; try again in a moment";
    DatabaseFull => "unavailable", 503,
        nl: "De opslag is vol; probeer het later opnieuw.",
        en: "the database is unavailable (database or disk is full); try again later";
    DatabaseReadOnly => "unavailable", 503,
        nl: "De database neemt nu niets aan; probeer het later opnieuw.",
        en: "the database is unavailable (the database is read-only); try again later";
    DatabaseIo => "unavailable", 503,
        nl: "De opslag geeft een fout; probeer het later opnieuw.",
        en: "the database is unavailable (disk I/O error); try again later";
    DatabaseUnreachable => "unavailable", 503,
        nl: "De database is niet bereikbaar; probeer het later opnieuw.",
        en: "the database is unavailable (the database server does not answer); try again later";
    /// Heavy work (PDF, workbooks, exports, large charts) past `KLANTSPIEGEL_HEAVY_LIMIT`.
    HeavyBusy { retry_after: u64 } => "busy", 503,
        nl: "Er worden nu te veel rapporten en downloads tegelijk gemaakt; probeer het over {retry_after} seconden opnieuw.",
        en: "too many reports and downloads are being made at once; try again in {retry_after} s";
    /// Every pooled connection is in use (the database itself answers).
    PoolExhausted => "busy", 503,
        nl: "Het is even te druk: alle databaseverbindingen zijn in gebruik; probeer het over een paar seconden opnieuw.",
        en: "every database connection is in use; try again in a moment";
    SignInUnavailable => "unavailable", 503,
        nl: "De aanmelding van uw organisatie is nu niet bereikbaar; probeer het later opnieuw.",
        en: "the organisation's sign-in cannot be reached now; try again later";
    Internal => "internal", 500,
        nl: "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
        en: "internal error";
}

impl ErrorCode {
    /// The message as a sentence for a page: the English API texts start lower-case and have
    /// no full stop; the Dutch ones are sentences already.
    pub fn sentence(&self, lang: Lang) -> String {
        let m = self.message(lang);
        let mut chars = m.chars();
        let mut s: String = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => return m,
        };
        if !s.ends_with(['.', '!', '?']) {
            s.push('.');
        }
        s
    }
}

impl std::fmt::Display for ErrorCode {
    /// The English message (logs, the API, `to_string`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_status_and_both_texts() {
        let samples = ErrorCode::samples();
        assert!(samples.len() > 90, "{} variants", samples.len());
        for e in samples {
            let (nl, en) = (e.message(Lang::Nl), e.message(Lang::En));
            assert!(!nl.trim().is_empty() && !en.trim().is_empty(), "{e:?}");
            assert_ne!(nl, en, "{e:?}: the Dutch text is the English one");
            assert!((400..600).contains(&e.status()), "{e:?}");
            assert!(
                !e.code().is_empty()
                    && e.code()
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
        }
    }

    #[test]
    fn parameters_are_filled_in_both_languages() {
        let e = ErrorCode::NpsRange { value: 12 };
        assert_eq!(e.message(Lang::En), "NPS must be between 0 and 10, got 12");
        assert_eq!(
            e.message(Lang::Nl),
            "De aanbevelingsvraag gaat van 0 tot en met 10; 12 kan niet."
        );
        let p = ErrorCode::UnknownPlaceholder {
            name: "naam".into(),
        };
        assert_eq!(
            p.message(Lang::En),
            "{naam} is not a placeholder (known: {link}, {organisation}, {closes_at})"
        );
        assert_eq!(e.status(), 422);
        assert_eq!(e.code(), "validation_failed");
    }
}
