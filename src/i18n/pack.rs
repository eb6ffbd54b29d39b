//! Strings of the workshop pack (PDF) and the report workbook (XLSX), one table per language.

bilingual! {
    pub struct PackText in NL, EN;
    pub fn pack_text;
    pack: "Workshop-pakket",
        "Workshop pack";
    page: "Pagina",
        "Page";
    team: "Team",
        "Team";
    wave: "Meting",
        "Wave";
    period: "Periode",
        "Period";
    respondents: "Respondenten",
        "Respondents";
    whole_organisation: "Hele organisatie",
        "Whole organisation";
    footnote: "Groepen met minder dan {n} antwoorden tonen alleen hun aantal; opmerkingen van klanten staan er alleen bij als een team minstens {c} klanten had. Zo blijft ieder antwoord anoniem.",
        "Groups with fewer than {n} answers show their count only; customer comments are listed only where a team had at least {c} customers. This keeps every answer anonymous.";
    notice_interim: "Tussenstand: deze meting is nog open. De cijfers kunnen nog veranderen en zijn alleen voor beheerders zichtbaar.",
        "Interim results: this wave is still open. The figures may still change and are visible to admins only.";
    notice_counts_only: "Deze meting is nog open: tot zij sluit ziet u alleen het aantal antwoorden, geen uitkomsten.",
        "This wave is still open: until it closes you see the number of responses only, no results.";
    summary: "Samenvatting",
        "Summary";
    nps: "NPS",
        "NPS";
    excluded: "{n} kleine groep(en) tellen niet mee in deze cijfers (anonimiteit).",
        "{n} small group(s) are left out of these figures (anonymity).";
    blind_spots: "Blinde vlekken: medewerkers zien het beter dan klanten",
        "Blind spots: employees see it better than customers";
    hidden_strengths: "Verborgen krachten: klanten zien het beter dan medewerkers",
        "Hidden strengths: customers see it better than employees";
    none: "Geen.",
        "None.";
    composition: "Let op: samenstelling van teams",
        "Note: the mix of teams";
    composition_item: "{label}: het verschil over de hele organisatie ({gap}) wijkt af van het verschil binnen de teams ({within}). Teams met veel medewerkers of veel klanten vertekenen het totaal; bespreek dit aspect per team.",
        "{label}: the organisation-wide gap ({gap}) differs from the gap within teams ({within}). Teams with many employees or many customers skew the total; discuss this dimension per team.";
    comments: "Opmerkingen van klanten",
        "Customer comments";
    no_comments: "Geen opmerkingen om te tonen (te weinig klanten per team, of nog geen opmerkingen).",
        "No comments to show (too few customers per team, or no comments yet).";
    more: "… en nog {n} (zie het rapport).",
        "… and {n} more (see the report).";
    group: "Groep",
        "Group";
    mean: "Gemiddelde",
        "Mean";
    sd: "SD",
        "SD";
    n: "n",
        "n";
    dont_know: "weet niet",
        "don't know";
    self_rating: "Medewerkers (eigen oordeel)",
        "Employees (own rating)";
    predicted: "Medewerkers (voorspelling)",
        "Employees (prediction)";
    perceived: "Klanten (oordeel)",
        "Customers (rating)";
    expected: "Klanten (verwachting)",
        "Customers (expectation)";
    hidden_note: "— = niet getoond: minder dan {n} antwoorden, of de meting is nog open.",
        "— = not shown: fewer than {n} answers, or the wave is still open.";
    gap: "Verschil medewerkers − klanten",
        "Gap employees − customers";
    prediction_gap: "Voorspelling − klanten",
        "Prediction − customers";
    expectation_gap: "Klanten: oordeel − verwachting",
        "Customers: rating − expectation";
    stratified_gap: "Verschil binnen de teams",
        "Gap within teams";
    interval: "95%-interval",
        "95% interval";
    holm: "na Holm-correctie",
        "Holm-adjusted";
    pairs: "paren",
        "pairs";
    teams_used: "teams",
        "teams";
    questions: "Bespreek samen",
        "Discuss together";
    actions_here: "Acties op dit aspect",
        "Actions on this dimension";
    no_actions_here: "Nog geen acties vastgelegd.",
        "No actions recorded yet.";
    more_actions: "… en nog {n} (zie de laatste pagina).",
        "… and {n} more (see the last page).";
    all_actions: "Alle acties",
        "All actions";
    no_actions: "Nog geen acties vastgelegd.",
        "No actions recorded yet.";
    who: "Wie",
        "Who";
    due: "Klaar",
        "Due";
    chart_mirror: "Spiegel: per aspect het oordeel van medewerkers (cirkel), hun voorspelling (ring) en het oordeel van klanten (vierkant).",
        "Mirror: per dimension the employees' rating (dot), their prediction (ring) and the customers' rating (square).";
    /// The heading of the summary's second page and the quadrant chart's caption.
    quadrant_heading: "Waar werken we aan? Belang tegen klantoordeel",
        "Where do we act? Importance against the customers' rating";
    chart_quadrant: "Kwadrant: per aspect het belang voor klanten (omhoog) en hun oordeel (opzij); de pijl loopt van de voorspelling van medewerkers naar het oordeel van klanten.",
        "Quadrant: per dimension its importance to customers (up) and their rating (across); the arrow runs from the employees' prediction to the customers' rating.";
    chart_distribution: "Verdeling van de scores van medewerkers (boven) en klanten (onder).",
        "Distribution of the ratings of employees (top) and customers (bottom).";
    published: "Gepubliceerd",
        "Published";
    scope: "Bereik",
        "Scope";
    priority: "Prioriteit",
        "Priority";
    key: "Sleutel",
        "Key";
    verdict: "Oordeel",
        "Verdict";
    materiality: "Relevantiegrens",
        "Materiality";
    alpha: "Alfa",
        "Alpha";
    min_group_size: "Minimale groepsgrootte",
        "Minimum group size";
    yes: "ja",
        "yes";
    no: "nee",
        "no";
    /// The workbooks' own sheets: the export's organisation sheet, its responses, the report's
    /// about sheet.
    sheet_organisation: "Organisatie",
        "Organisation";
    sheet_responses: "Antwoorden",
        "Responses";
    sheet_about: "Over dit rapport",
        "About this report";
    sheet_knowledge: "Klantkennis",
        "Knowing the customers";
    sheet_actions: "Acties",
        "Actions";
}
