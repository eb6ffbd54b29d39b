//! Chart strings, one table per language (NL default, EN). Used by `crate::charts`.

use super::Lang;
use crate::engine::model::{Quadrant, Verdict};

bilingual! {
    /// Every piece of text a chart can show. Dimension labels come from the report itself.
    #[derive(Debug)]
    pub struct ChartText in NL, EN;
    /// The chart strings for `lang`.
    pub fn text;
    title_mirror: "Spiegel: hoe zien medewerkers en klanten de service?",
        "Mirror: how do employees and customers see the service?";
    title_gaps: "Kloof tussen zelfbeeld en klantbeeld",
        "Gap between self-image and customer image";
    title_distribution: "Verdeling van de scores",
        "Distribution of ratings";
    title_trend: "Ontwikkeling van de kloof per meting",
        "Gap across waves";
    title_expectations: "Verwachting en beleving van klanten",
        "Customer expectations and experience";
    title_quadrant: "Belang en cijfer: waar moet het team iets doen?",
        "Importance and score: where should the team act?";

    sub_mirror: "Gemiddelde score per aspect, belangrijkste gespreksonderwerp bovenaan",
        "Mean rating per dimension, most important topic for discussion at the top";
    sub_gaps: "Kloof = gemiddelde medewerkers − gemiddelde klanten, met 95%-betrouwbaarheidsinterval",
        "Gap = employees' mean − customers' mean, with 95% confidence interval";
    sub_distribution: "Aandeel van elke score per aspect (zonder ‘weet niet’)",
        "Share of each rating per dimension (excluding ‘don't know’)";
    sub_trend: "Kloof = gemiddelde medewerkers − gemiddelde klanten; boven 0 zien medewerkers het positiever",
        "Gap = employees' mean − customers' mean; above 0 employees are more positive";
    sub_expectations: "Verschil = beleving − verwachting; onder 0 blijft de service achter bij de verwachting",
        "Difference = experience − expectation; below 0 the service falls short";
    sub_quadrant: "Belang voor klanten tegen hun cijfer per aspect; de pijl loopt van de voorspelling van medewerkers naar het cijfer van klanten",
        "Importance to customers against their score per dimension; the arrow runs from the employees' prediction to the customers' score";

    /// Short group names ("Medewerkers", "Klanten").
    employees: "Medewerkers",
        "Employees";
    customers: "Klanten",
        "Customers";

    legend_employees: "Medewerkers over zichzelf",
        "Employees about themselves";
    legend_customers: "Klanten",
        "Customers";
    legend_predicted: "Voorspelling door medewerkers",
        "Employees' prediction";
    legend_expected: "Verwachting van klanten",
        "Customers' expectation";
    legend_perceived: "Beleving van klanten",
        "Customers' experience";
    /// Followed by the materiality, e.g. "verwaarloosbaar (±0,5)".
    legend_negligible: "verwaarloosbaar",
        "negligible";
    legend_ci: "95%-interval",
        "95% interval";
    legend_score: "Score:",
        "Rating:";
    /// Legend key for the distribution chart when rows are too small to name each bar.
    legend_bars: "Per aspect: bovenste balk medewerkers, onderste balk klanten",
        "Per dimension: top bar employees, bottom bar customers";

    axis_mean: "Gemiddelde score",
        "Mean rating";
    low: "laag",
        "low";
    high: "hoog",
        "high";
    axis_gap: "Kloof",
        "Gap";
    gap_left: "← klanten positiever",
        "← customers more positive";
    gap_right: "medewerkers positiever →",
        "employees more positive →";
    axis_share: "Aandeel van de antwoorden",
        "Share of answers";
    axis_wave: "Meting (startdatum)",
        "Wave (start date)";

    exp_below: "onder verwachting",
        "below expectations";
    exp_above: "boven verwachting",
        "above expectations";
    exp_even: "geen duidelijk verschil",
        "no clear difference";

    /// An inconclusive verdict on a chart (the other verdicts read as the report says them).
    verdict_inconclusive: "nog niet zeker",
        "not certain yet";
    /// A verdict or gap that cannot be shown (`insufficient_data`); the reason, with the
    /// threshold's number, comes from `i18n::verdicts`.
    too_few: "niet te vergelijken",
        "cannot be compared";

    not_asked: "niet gevraagd",
        "not asked";
    no_answers: "geen antwoorden",
        "no answers";
    no_data: "Geen gegevens om te tonen",
        "No data to show";
    no_expectations: "In deze meting is klanten niet naar hun verwachting gevraagd",
        "This survey did not ask customers about their expectations";
    one_wave: "Nog maar één meting: de ontwikkeling volgt na de volgende meting",
        "Only one wave so far: the trend follows after the next wave";

    /// The mirror quadrant (Martilla & James): the four quadrants' names.
    q_concentrate_here: "Concentreer hier",
        "Concentrate here";
    q_keep_up: "Goed zo, vasthouden",
        "Keep up the good work";
    q_low_priority: "Lage prioriteit",
        "Low priority";
    q_possible_overkill: "Mogelijk overdreven",
        "Possible overkill";
    /// y-axis title for stated importance (followed by the scale) and for derived importance.
    axis_importance_stated: "Belang volgens klanten",
        "Importance to customers";
    axis_importance_derived: "Belang: samenhang met de NPS (r)",
        "Importance: correlation with NPS (r)";
    /// x-axis title (followed by the scale).
    axis_customer_score: "Cijfer van klanten",
        "Customers' score";
    legend_arrow: "van voorspelling naar klantcijfer",
        "from prediction to customers' score";
    /// Label of the crosshairs ("gemiddelde").
    crosshair: "gemiddelde",
        "mean";
    /// Start of the text alternative's crosshair sentence.
    crosshairs_at: "Kruislijnen op het gemiddelde",
        "Crosshairs at the means";
    importance_word: "belang",
        "importance";
    /// "volgens de voorspelling": where the employees' prediction puts a dimension.
    by_prediction: "volgens de voorspelling",
        "by the prediction";
    /// The footnote's head: the dimensions the chart cannot place.
    not_placed: "Niet in de grafiek",
        "Not in the chart";
    no_importance: "geen belang",
        "no importance";
    not_shown: "niet getoond",
        "not shown";
    no_spread: "geen spreiding",
        "no spread";
    few_nps: "te weinig klanten met een NPS-antwoord",
        "too few customers with an NPS answer";
    at_least: "minimaal",
        "at least";
    stated_word: "door klanten opgegeven",
        "stated by customers";
    derived_word: "afgeleid uit de NPS",
        "derived from NPS";
    no_quadrant_data: "Nog geen aspect met zowel een belang als een cijfer van klanten om te tonen",
        "No dimension has both an importance and a customers' score to show yet";

    /// The composition warning inside the mirror and gaps charts; `{labels}` are the dimensions
    /// whose organisation-wide gap differs from the gap within teams by the materiality or more.
    composition_warning: "Let op: bij {labels} wijkt het verschil over de hele organisatie af van het verschil binnen de teams. De mix van teams vertekent het totaal; bespreek het per team.",
        "Note: for {labels} the organisation-wide gap differs from the gap within teams. The mix of teams skews the total; discuss it per team.";
    /// The language (the verdicts' and reasons' words come from `i18n::verdicts`).
    lang [Lang]: Lang::Nl,
        Lang::En;

    /// Decimal separator for numbers on charts.
    decimal: ",",
        ".";
    /// chrono format string for wave dates.
    date_format: "%d-%m-%Y",
        "%Y-%m-%d";
}

impl ChartText {
    /// A verdict's short name: the report's words ([`super::verdict`]), but the chart's own for
    /// an inconclusive verdict and for insufficient data.
    pub fn verdict(&self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Inconclusive => self.verdict_inconclusive,
            Verdict::InsufficientData => self.too_few,
            other => super::verdict(self.lang, other),
        }
    }

    pub fn quadrant(&self, q: Quadrant) -> &'static str {
        match q {
            Quadrant::ConcentrateHere => self.q_concentrate_here,
            Quadrant::KeepUp => self.q_keep_up,
            Quadrant::LowPriority => self.q_low_priority,
            Quadrant::PossibleOverkill => self.q_possible_overkill,
        }
    }
}
