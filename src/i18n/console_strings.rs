//! The console's strings ([`ConsoleText`]), each in Dutch and English; `console` re-exports
//! them.

bilingual! {
    pub struct ConsoleText in NL, EN with the language switch;
    pub fn console_text;
    console: "Beheer",
        "Console";
    overview: "Overzicht",
        "Overview";
    teams: "Teams",
        "Teams";
    users: "Gebruikers",
        "Users";
    surveys: "Onderzoeken",
        "Surveys";
    dashboard: "Resultaten",
        "Results";
    /// The audit log's link in the menu.
    audit_log: "Auditlog",
        "Audit log";
    save: "Opslaan",
        "Save";
    add: "Toevoegen",
        "Add";
    delete: "Verwijderen",
        "Delete";
    rename: "Naam wijzigen",
        "Rename";
    saved: "Opgeslagen.",
        "Saved.";
    deleted: "Verwijderd.",
        "Deleted.";
    fix_errors: "Niet alles kon worden opgeslagen: zie de velden hieronder. Er is niets veranderd.",
        "Not everything could be saved: see the fields below. Nothing was changed.";
    not_admin: "Deze pagina is alleen voor beheerders.",
        "This page is for admins only.";
    overview_title: "Beheer",
        "Console";
    next_step: "Volgende stap",
        "Next step";
    step_teams: "Maak eerst de teams aan waarvan u medewerkers en klanten wilt bevragen.",
        "First add the teams whose employees and customers you want to ask.";
    step_survey: "Stel het onderzoek op: titel, aspecten, schaal en de teksten van de vragenlijst.",
        "Set up the survey: title, dimensions, scale and the questionnaire's texts.";
    step_wave: "Plan een meting: wanneer begint en sluit de vragenlijst?",
        "Plan a wave: when does the questionnaire open and close?";
    step_links: "Maak de uitnodigingslinks voor medewerkers en klanten.",
        "Make the invitation links for employees and customers.";
    step_wait: "De meting loopt: volg de respons en maak zo nodig meer links.",
        "The wave is running: follow the responses and make more links if needed.";
    step_report: "Bespreek de uitkomsten: open het rapport en de workshop.",
        "Discuss the results: open the report and the workshop.";
    go: "Ga naar deze stap",
        "Go to this step";
    public_url_missing: "Er is geen publiek adres ingesteld: links zijn relatief (/r/…) en werken alleen als u ze aanvult met het adres van deze server. Start de server met --public-url https://uw-adres of zet KLANTSPIEGEL_PUBLIC_URL.",
        "No public address is configured: links are relative (/r/…) and work only once you put this server's address in front. Start the server with --public-url https://your-address or set KLANTSPIEGEL_PUBLIC_URL.";
    public_url_is: "Links beginnen met",
        "Links start with";
    status_not_open: "nog niet open",
        "not open yet";
    status_open: "open",
        "open";
    status_closed: "gesloten",
        "closed";
    status: "Status",
        "Status";
    opens: "Begint",
        "Opens";
    closes: "Sluit",
        "Closes";
    no_end: "geen einddatum",
        "no end date";
    invited: "Uitgenodigd",
        "Invited";
    answered: "Beantwoord",
        "Answered";
    rate: "Respons",
        "Rate";
    link_uses: "Via teamlinks",
        "Via team links";
    responses: "Antwoorden",
        "Responses";
    no_waves: "Nog geen metingen.",
        "No waves yet.";
    no_surveys: "Nog geen onderzoeken.",
        "No surveys yet.";
    no_invitations: "Nog geen uitnodigingen.",
        "No invitations yet.";
    new_survey: "Nieuw onderzoek",
        "New survey";
    edit: "Bewerken",
        "Edit";
    open: "Openen",
        "Open";
    team: "Team",
        "Team";
    audience: "Doelgroep",
        "Audience";
    employees: "Medewerkers",
        "Employees";
    customers: "Klanten",
        "Customers";
    team_name: "Naam van het team",
        "Team name";
    add_team: "Team toevoegen",
        "Add team";
    no_teams: "Nog geen teams.",
        "No teams yet.";
    delete_team_hint: "Een team met antwoorden kan niet worden verwijderd; de links van een verwijderd team werken niet meer. Verwijderen vraagt eerst om bevestiging.",
        "A team with responses cannot be deleted; the links of a deleted team stop working. Deleting asks for confirmation first.";
    email: "E-mailadres",
        "E-mail address";
    role: "Rol",
        "Role";
    role_admin: "beheerder",
        "admin";
    role_team_lead: "teamleider",
        "team lead";
    lead_teams: "Teams (voor een teamleider)",
        "Teams (for a team lead)";
    password: "Wachtwoord (minstens 8 tekens, geen bekend of voorspelbaar wachtwoord)",
        "Password (at least 8 characters, not a well-known or predictable one)";
    new_password: "Nieuw wachtwoord (leeg: ongewijzigd)",
        "New password (empty: unchanged)";
    add_user: "Gebruiker toevoegen",
        "Add user";
    you: "u",
        "you";
    survey_title: "Titel",
        "Title";
    dimensions: "Aspecten",
        "Dimensions";
    template_default: "Standaardset: 8 aspecten (klantgerichtheid, deskundigheid, flexibiliteit, nakomen van afspraken, klachtafhandeling, vriendelijkheid, oplossen van het probleem, snelheid)",
        "Default set: 8 dimensions (customer focus, expertise, flexibility, keeping agreements, complaint handling, friendliness, problem resolution, speed)";
    own_dimensions: "Eigen aspecten (vul hieronder in; lege regels tellen niet mee)",
        "Own dimensions (fill in below; empty rows are left out)";
    dim_key: "Sleutel",
        "Key";
    dim_label_nl: "Naam (NL)",
        "Name (NL)";
    dim_label_en: "Naam (EN)",
        "Name (EN)";
    dim_employee_nl: "Stelling voor medewerkers (NL)",
        "Statement for employees (NL)";
    dim_employee_en: "Stelling voor medewerkers (EN)",
        "Statement for employees (EN)";
    dim_customer_nl: "Stelling voor klanten (NL)",
        "Statement for customers (NL)";
    dim_customer_en: "Stelling voor klanten (EN)",
        "Statement for customers (EN)";
    dim_category: "Soort",
        "Category";
    functional: "functioneel",
        "functional";
    emotional: "emotioneel",
        "emotional";
    dims_locked: "Er zijn al antwoorden: de schaal en de aspecten liggen vast.",
        "There are responses: the scale and the dimensions are fixed.";
    scale: "Schaal",
        "Scale";
    scale_min: "Laagste waarde",
        "Lowest value";
    scale_max: "Hoogste waarde",
        "Highest value";
    settings: "Instellingen",
        "Settings";
    min_group_size: "Kleinste groep die getoond wordt (anonimiteit)",
        "Smallest group shown (anonymity)";
    comment_min_group_size: "Kleinste groep klanten waarvan opmerkingen getoond worden",
        "Smallest group of customers whose comments are shown";
    alpha: "Significantieniveau (alpha), bijv. 0.05",
        "Significance level (alpha), e.g. 0.05";
    materiality: "Kleinste verschil dat telt (leeg: 10% van het bereik van de schaal)",
        "Smallest gap that counts (empty: 10% of the scale's range)";
    ask_predicted: "Medewerkers voorspellen het oordeel van klanten",
        "Employees predict the customers' rating";
    ask_expected: "Klanten geven ook hun verwachting",
        "Customers also give their expectation";
    ask_importance: "Klanten geven ook het belang",
        "Customers also give the importance";
    ask_nps: "Klanten geven een NPS-score",
        "Customers give an NPS score";
    texts: "Teksten van de vragenlijst",
        "The questionnaire's texts";
    organisation: "Naam van de organisatie",
        "Organisation name";
    contact: "Contact voor vragen (naam, e-mailadres)",
        "Contact for questions (name, e-mail)";
    introduction_nl: "Inleiding (NL)",
        "Introduction (NL)";
    introduction_en: "Inleiding (EN; leeg: de Nederlandse)",
        "Introduction (EN; empty: the Dutch one)";
    privacy_statement_nl: "Privacyverklaring (NL)",
        "Privacy statement (NL)";
    privacy_statement_en: "Privacyverklaring (EN; leeg: de Nederlandse)",
        "Privacy statement (EN; empty: the Dutch one)";
    scale_low_nl: "Label laagste waarde (NL), bijv. zeer slecht",
        "Label of the lowest value (NL), e.g. zeer slecht";
    scale_high_nl: "Label hoogste waarde (NL), bijv. uitstekend",
        "Label of the highest value (NL), e.g. uitstekend";
    scale_low_en: "Label laagste waarde (EN), bijv. very poor",
        "Label of the lowest value (EN), e.g. very poor";
    scale_high_en: "Label hoogste waarde (EN), bijv. excellent",
        "Label of the highest value (EN), e.g. excellent";
    preview: "Voorbeeld zonder link",
        "Preview without a link";
    preview_employees: "Vragenlijst voor medewerkers",
        "Questionnaire for employees";
    preview_customers: "Vragenlijst voor klanten",
        "Questionnaire for customers";
    waves: "Metingen",
        "Waves";
    add_wave: "Meting toevoegen",
        "Add wave";
    wave_name: "Naam van de meting",
        "Wave name";
    opens_at: "Begint (Nederlandse tijd, Europe/Amsterdam; leeg: nu)",
        "Opens (Dutch time, Europe/Amsterdam; empty: now)";
    closes_at: "Sluit (Nederlandse tijd, Europe/Amsterdam; leeg: geen einddatum)",
        "Closes (Dutch time, Europe/Amsterdam; empty: no end date)";
    create_survey: "Onderzoek aanmaken",
        "Create survey";
    wave: "Meting",
        "Wave";
    dates: "Naam en data",
        "Name and dates";
    save_dates: "Opslaan",
        "Save";
    close_now: "Nu sluiten",
        "Close now";
    close_warning: "Een gesloten meting gaat niet meer open: er komen geen antwoorden meer bij en teamleiders zien de uitkomsten. U krijgt eerst een bevestigingsvraag.",
        "A closed wave does not reopen: it takes no more answers and team leads see its results. You are asked to confirm first.";
    wave_closed_note: "Deze meting is gesloten: geen nieuwe antwoorden, links of imports.",
        "This wave is closed: no new answers, links or imports.";
    personal_links: "Persoonlijke links",
        "Personal links";
    personal_hint: "Eén link per persoon, één keer te gebruiken. Ze tellen mee in het responspercentage.",
        "One link per person, used once. They count in the response rate.";
    count: "Aantal links",
        "Number of links";
    make_links: "Links maken en tonen",
        "Make and show the links";
    make_links_csv: "Links maken als CSV-bestand (voor een mailing)",
        "Make the links as a CSV file (for a mail merge)";
    links_made: "Nieuwe links",
        "New links";
    links_once: "Bewaar deze links nu: ze worden maar één keer getoond (alleen een versleutelde vorm wordt bewaard).",
        "Keep these links now: they are shown only once (only a hashed form is stored).";
    download_csv: "Download deze links als CSV",
        "Download these links as CSV";
    team_links: "Teamlinks (QR-code en poster)",
        "Team links (QR code and poster)";
    team_link_hint: "Eén link voor velen, bijvoorbeeld op een poster bij de balie. Antwoorden via een teamlink tellen niet mee in het responspercentage.",
        "One link for many, e.g. on a poster at the front desk. Answers through a team link do not count in the response rate.";
    max_uses: "Maximaal aantal antwoorden",
        "Maximum number of answers";
    make_team_link: "Teamlink maken",
        "Make team link";
    poster_heading: "Uw mening telt",
        "Your opinion counts";
    poster_scan: "Scan de QR-code of ga naar",
        "Scan the QR code or go to";
    print_poster: "Druk deze pagina af: de poster past op A4.",
        "Print this page: the poster fits on A4.";
    invitations: "Uitnodigingen",
        "Invitations";
    kind: "Soort",
        "Kind";
    kind_personal: "persoonlijk",
        "personal";
    kind_team_link: "teamlink",
        "team link";
    uses: "Gebruikt",
        "Used";
    expires: "Verloopt",
        "Expires";
    revoked: "ingetrokken",
        "revoked";
    live: "actief",
        "live";
    revoke: "Intrekken",
        "Revoke";
    monitor: "Respons",
        "Responses";
    monitor_hint: "Respons = beantwoorde persoonlijke links / persoonlijke links. Antwoorden via teamlinks staan apart; e-mail die de mailserver weigerde telt niet als uitgenodigd (kolom Mislukt).",
        "Rate = personal links answered / personal links. Answers through team links are shown apart; e-mail the mail server refused does not count as invited (column Failed).";
    import: "Antwoorden importeren (CSV)",
        "Import responses (CSV)";
    import_file: "CSV-bestand",
        "CSV file";
    import_button: "Importeren",
        "Import";
    imported: "Antwoorden geïmporteerd:",
        "Responses imported:";
    import_rejected: "Het bestand is niet geïmporteerd; er is niets opgeslagen. Dit moet anders:",
        "The file was not imported; nothing was stored. To fix:";
    line: "Regel",
        "Line";
    column: "Kolom",
        "Column";
    problem: "Probleem",
        "Problem";
    exports: "Exporteren",
        "Export";
    export_csv: "CSV",
        "CSV";
    export_excel: "CSV voor Excel",
        "CSV for Excel";
    export_xlsx: "Excel-werkmap (XLSX)",
        "Excel workbook (XLSX)";
    report: "Rapport",
        "Report";
    workshop: "Workshop",
        "Workshop";
    whole: "Totaal",
        "Total";
    back_to_wave: "Terug naar de meting",
        "Back to the wave";
    link: "Link",
        "Link";
    logout: "Uitloggen",
        "Log out";
    cancel: "Annuleren",
        "Cancel";
    closed_done: "De meting is gesloten. De uitkomsten staan klaar voor de teamleiders.",
        "The wave is closed. Its results are ready for the team leads.";
    delete_team_title: "Team verwijderen",
        "Delete team";
    delete_team_question: "Team '{team}' verwijderen?",
        "Delete team '{team}'?";
    delete_team_undone: "Dit kan niet ongedaan worden gemaakt: het team en zijn naam verdwijnen.",
        "This cannot be undone: the team and its name are gone.";
    delete_team_links: "Alle links en uitnodigingen van dit team werken daarna niet meer. Een team met antwoorden of acties kan niet worden verwijderd.",
        "Every link and invitation of this team stops working. A team with responses or actions cannot be deleted.";
    delete_team_button: "Ja, team verwijderen",
        "Yes, delete the team";
    employee_count: "1 medewerker|{n} medewerkers",
        "1 employee|{n} employees";
    customer_count: "1 klant|{n} klanten",
        "1 customer|{n} customers";
    team_count: "1 team|{n} teams",
        "1 team|{n} teams";
    edit_teams: "Teams beheren",
        "Manage teams";
    times_in_zone: "Alle tijden in Nederlandse tijd (Europe/Amsterdam).",
        "All times in Dutch time (Europe/Amsterdam).";
    mail_failed: "Mislukt",
        "Failed";
    invitation_wave_closed: "meting gesloten",
        "wave closed";
    used_up: "gebruikt",
        "used";
    close_title: "Meting sluiten",
        "Close the wave";
    close_question: "Meting '{wave}' nu sluiten?",
        "Close wave '{wave}' now?";
    close_undone_answers: "Dit kan niet ongedaan worden gemaakt: een gesloten meting gaat nooit meer open en neemt geen antwoorden of imports meer aan.",
        "This cannot be undone: a closed wave never reopens and takes no more answers or imports.";
    close_undone_links: "Alle links van deze meting werken daarna niet meer; er kunnen geen nieuwe bij.",
        "Every link of this wave stops working; no new ones can be made.";
    close_undone_mail: "Binnen een minuut worden de e-mailadressen van deze meting gewist; e-mail die nog in de wachtrij staat gaat niet meer uit. De aantallen blijven.",
        "Within a minute the wave's e-mail addresses are erased; mail still queued is not sent. The counts stay.";
    close_undone_results: "Teamleiders zien daarna de uitkomsten van deze meting.",
        "Team leads then see the wave's results.";
    wave_sections: "Onderdelen van deze meting",
        "Parts of this wave";
    links_section: "Links",
        "Links";
    mail_section: "Uitnodigingen per e-mail",
        "Invitations by e-mail";
    choose_team: "— kies een team —",
        "— choose a team —";
    import_help_title: "Hoe ziet het bestand eruit?",
        "What does the file look like?";
    import_help: "Een CSV-bestand (UTF-8, komma of puntkomma) met een kopregel: audience (employee of customer), team (de naam), eventueel respondent, nps en comment, en per aspect een kolom met de sleutel van het aspect (bijvoorbeeld speed) en eventueel speed.predicted, speed.expected of speed.importance. Eén antwoord per regel. Is één regel fout, dan wordt niets opgeslagen en staan alle fouten hieronder.",
        "A CSV file (UTF-8, comma or semicolon) with a header row: audience (employee or customer), team (its name), optionally respondent, nps and comment, and per dimension a column named by the dimension's key (e.g. speed), optionally speed.predicted, speed.expected or speed.importance. One response per row. If one row is wrong nothing is stored, and every problem is listed here.";
    import_help_values: "Cijfers zijn hele getallen op de schaal van de vragenlijst (dus 8, niet 8,5). Een lege cel is geen antwoord; nvt, n.v.t., n/a of dk betekent 'weet niet'.",
        "Ratings are whole numbers on the survey's scale (so 8, not 8.5). An empty cell is no answer; nvt, n.v.t., n/a or dk means 'don't know'.";
    import_template: "Download een voorbeeldbestand voor deze vragenlijst (CSV)",
        "Download an example file for this survey (CSV)";
    imported_n: "Antwoorden geïmporteerd: {n}.",
        "Responses imported: {n}.";
    mail_queued_n: "{n} uitnodiging(en) staan in de wachtrij en gaan nu uit.",
        "{n} invitation(s) are queued and going out now.";
    /// After `mail_queued_n`: which delimiter the file used ("{sep}": `,` or `;`).
    mail_read_with: "Het bestand is gelezen met {sep} als scheidingsteken.",
        "The file was read with {sep} as the delimiter.";
    reminders_queued_n: "{n} herinnering(en) in de wachtrij.",
        "{n} reminder(s) queued.";
    /// A mailing within its reminders' cool-down: "{last}" and "{next}" are dates and times.
    mail_remind_cooldown: "Herinneringen gingen uit op {last}; de volgende ronde kan vanaf {next}.",
        "Reminders went out on {last}; the next round is possible from {next}.";
    retried_n: "{n} e-mail(s) worden opnieuw verstuurd.",
        "{n} e-mail(s) are being sent again.";
    test_sent: "De testmail is verstuurd naar uw eigen adres.",
        "The test mail was sent to your own address.";
    mail_problems: "Er is niets verstuurd. Verbeter deze regels:",
        "Nothing was sent. Please correct these rows:";
    mail_not_sent: "Er is niets verstuurd:",
        "Nothing was sent:";
    lang_nl: "Nederlands",
        "Dutch";
    lang_en: "Engels",
        "English";
    mail_intro: "Elke ontvanger krijgt een persoonlijke link en een afmeldlink. Uitnodigingen per e-mail tellen mee in de respons; e-mail die de mailserver weigert telt niet als uitgenodigd. Bij het sluiten van de meting worden de e-mailadressen gewist; de aantallen blijven.",
        "Every recipient gets a personal link and an opt-out link. Invitations by e-mail count in the response rate; e-mail the mail server refuses does not count as invited. When the wave closes the e-mail addresses are erased; the counts stay.";
    mail_no_smtp: "Deze server verstuurt geen e-mail: er is geen mailserver ingesteld (KLANTSPIEGEL_SMTP_URL en KLANTSPIEGEL_MAIL_FROM).",
        "This server sends no e-mail: no mail server is configured (KLANTSPIEGEL_SMTP_URL and KLANTSPIEGEL_MAIL_FROM).";
    mail_none_yet: "Voor deze meting is nog geen e-mail verstuurd.",
        "No e-mail has been sent for this wave yet.";
    mail_mailing: "Verzending",
        "Mailing";
    mail_addresses_deleted: "adressen gewist",
        "addresses erased";
    mail_recipients: "Ontvangers",
        "Recipients";
    mail_queued: "In de wachtrij",
        "Queued";
    mail_sent: "Verstuurd",
        "Sent";
    mail_opted_out: "Afgemeld",
        "Opted out";
    mail_reminders_sent: "Herinneringen verstuurd",
        "Reminders sent";
    mail_cancelled: "Niet verstuurd",
        "Not sent";
    mail_failed_title: "Geweigerd door de mailserver",
        "Refused by the mail server";
    mail_address: "Adres",
        "Address";
    mail_answer: "Antwoord van de mailserver",
        "The mail server's answer";
    mail_retry: "Opnieuw proberen",
        "Try again";
    mail_retry_all: "Alle geweigerde opnieuw proberen",
        "Try all refused ones again";
    mail_kind_invitation: "uitnodiging",
        "invitation";
    mail_kind_reminder: "herinnering",
        "reminder";
    mail_send_reminders: "Herinnering sturen aan wie nog niet antwoordde",
        "Remind those who have not answered";
    mail_remind_wait: "Er staat nog e-mail in de wachtrij; herinneren kan weer als die verstuurd is (ververs de pagina).",
        "Mail is still queued; reminding is possible again once it is sent (reload the page).";
    mail_closed: "Deze meting is gesloten: er gaat geen e-mail meer uit.",
        "This wave is closed: no more e-mail goes out.";
    mail_upload_title: "Ontvangers toevoegen",
        "Add recipients";
    mail_upload_help: "Een CSV met de kolommen email, team (naam of nummer), audience (employee of customer) en eventueel lang (nl of en). Kies een bestand of plak de tekst. Is één regel fout, dan wordt niets verstuurd.",
        "A CSV with the columns email, team (name or number), audience (employee or customer) and optionally lang (nl or en). Choose a file or paste the text. If one row is wrong, nothing is sent.";
    mail_upload_file: "CSV-bestand met ontvangers",
        "CSV file of recipients";
    mail_upload_paste: "Of plak de ontvangers (CSV)",
        "Or paste the recipients (CSV)";
    mail_upload_button: "Uitnodigingen versturen",
        "Send the invitations";
    mail_texts: "Tekst van de e-mails",
        "The e-mails' text";
    mail_texts_help: "Invulvelden: {link} (de persoonlijke link, verplicht), {organisation} en {closes_at}. Een herinnering krijgt dezelfde tekst met een regel erboven; elke e-mail eindigt met een afmeldlink.",
        "Placeholders: {link} (the personal link, required), {organisation} and {closes_at}. A reminder gets the same text with a line above it; every e-mail ends with an opt-out link.";
    mail_default_text: "standaardtekst",
        "default text";
    mail_subject: "Onderwerp",
        "Subject";
    mail_body: "Tekst",
        "Text";
    mail_save_text: "Tekst opslaan",
        "Save the text";
    mail_reset_text: "Terug naar de standaardtekst",
        "Back to the default text";
    mail_preview: "Voorbeeld zoals een ontvanger het krijgt",
        "Preview as a recipient gets it";
    mail_language: "Taal",
        "Language";
    mail_show_preview: "Voorbeeld tonen",
        "Show preview";
    mail_test: "Testmail",
        "Test mail";
    mail_test_button: "Stuur een testmail naar",
        "Send a test mail to";
    poster_title: "Poster met teamlink",
        "Poster with a team link";
    qr_alt: "QR-code met de link naar de vragenlijst voor team {team}",
        "QR code with the link to the questionnaire for team {team}";
    download_poster: "Download de poster (HTML) om later opnieuw af te drukken",
        "Download the poster (HTML) to print it again later";
}
