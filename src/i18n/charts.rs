//! Chart strings, one table per language (NL default, EN). Used by `crate::charts`.

use super::Lang;
use crate::engine::model::{Quadrant, Verdict};

/// Every piece of text a chart can show. Dimension labels come from the report itself.
#[derive(Debug)]
pub struct ChartText {
    pub title_mirror: &'static str,
    pub title_gaps: &'static str,
    pub title_distribution: &'static str,
    pub title_trend: &'static str,
    pub title_expectations: &'static str,
    pub title_quadrant: &'static str,

    pub sub_mirror: &'static str,
    pub sub_gaps: &'static str,
    pub sub_distribution: &'static str,
    pub sub_trend: &'static str,
    pub sub_expectations: &'static str,
    pub sub_quadrant: &'static str,

    /// Short group names ("Medewerkers", "Klanten").
    pub employees: &'static str,
    pub customers: &'static str,

    pub legend_employees: &'static str,
    pub legend_customers: &'static str,
    pub legend_predicted: &'static str,
    pub legend_expected: &'static str,
    pub legend_perceived: &'static str,
    /// Followed by the materiality, e.g. "verwaarloosbaar (±0,5)".
    pub legend_negligible: &'static str,
    pub legend_ci: &'static str,
    pub legend_score: &'static str,
    /// Legend key for the distribution chart when rows are too small to name each bar.
    pub legend_bars: &'static str,

    pub axis_mean: &'static str,
    pub low: &'static str,
    pub high: &'static str,
    pub axis_gap: &'static str,
    pub gap_left: &'static str,
    pub gap_right: &'static str,
    pub axis_share: &'static str,
    pub axis_wave: &'static str,

    pub exp_below: &'static str,
    pub exp_above: &'static str,
    pub exp_even: &'static str,

    pub verdict_blind_spot: &'static str,
    pub verdict_hidden_strength: &'static str,
    pub verdict_aligned: &'static str,
    pub verdict_inconclusive: &'static str,
    /// A verdict or gap that cannot be shown (`insufficient_data`); the reason, with the
    /// threshold's number, comes from `i18n::verdicts`.
    pub too_few: &'static str,

    pub not_asked: &'static str,
    pub no_answers: &'static str,
    pub no_data: &'static str,
    pub no_expectations: &'static str,
    pub one_wave: &'static str,

    /// The mirror quadrant (Martilla & James): the four quadrants' names.
    pub q_concentrate_here: &'static str,
    pub q_keep_up: &'static str,
    pub q_low_priority: &'static str,
    pub q_possible_overkill: &'static str,
    /// y-axis title for stated importance (followed by the scale) and for derived importance.
    pub axis_importance_stated: &'static str,
    pub axis_importance_derived: &'static str,
    /// x-axis title (followed by the scale).
    pub axis_customer_score: &'static str,
    pub legend_arrow: &'static str,
    /// Label of the crosshairs ("gemiddelde").
    pub crosshair: &'static str,
    /// Start of the text alternative's crosshair sentence.
    pub crosshairs_at: &'static str,
    pub importance_word: &'static str,
    /// "volgens de voorspelling": where the employees' prediction puts a dimension.
    pub by_prediction: &'static str,
    /// The footnote's head: the dimensions the chart cannot place.
    pub not_placed: &'static str,
    pub no_importance: &'static str,
    pub not_shown: &'static str,
    pub no_spread: &'static str,
    pub few_nps: &'static str,
    pub at_least: &'static str,
    pub stated_word: &'static str,
    pub derived_word: &'static str,
    pub no_quadrant_data: &'static str,

    /// The composition warning inside the mirror and gaps charts; `{labels}` are the dimensions
    /// whose organisation-wide gap differs from the gap within teams by the materiality or more.
    pub composition_warning: &'static str,
    /// The language (the verdicts' and reasons' words come from `i18n::verdicts`).
    pub lang: Lang,

    /// Decimal separator for numbers on charts.
    pub decimal: &'static str,
    /// chrono format string for wave dates.
    pub date_format: &'static str,
}

impl ChartText {
    pub fn verdict(&self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::BlindSpot => self.verdict_blind_spot,
            Verdict::HiddenStrength => self.verdict_hidden_strength,
            Verdict::Aligned => self.verdict_aligned,
            Verdict::Inconclusive => self.verdict_inconclusive,
            Verdict::InsufficientData => self.too_few,
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

pub static NL: ChartText = ChartText {
    title_mirror: "Spiegel: hoe zien medewerkers en klanten de service?",
    title_gaps: "Kloof tussen zelfbeeld en klantbeeld",
    title_distribution: "Verdeling van de scores",
    title_trend: "Ontwikkeling van de kloof per meting",
    title_expectations: "Verwachting en beleving van klanten",
    title_quadrant: "Belang en cijfer: waar moet het team iets doen?",

    sub_mirror: "Gemiddelde score per aspect, belangrijkste gespreksonderwerp bovenaan",
    sub_gaps: "Kloof = gemiddelde medewerkers − gemiddelde klanten, met 95%-betrouwbaarheidsinterval",
    sub_distribution: "Aandeel van elke score per aspect (zonder ‘weet niet’)",
    sub_trend: "Kloof = gemiddelde medewerkers − gemiddelde klanten; boven 0 zien medewerkers het positiever",
    sub_expectations: "Verschil = beleving − verwachting; onder 0 blijft de service achter bij de verwachting",
    sub_quadrant: "Belang voor klanten tegen hun cijfer per aspect; de pijl loopt van de voorspelling van medewerkers naar het cijfer van klanten",

    employees: "Medewerkers",
    customers: "Klanten",

    legend_employees: "Medewerkers over zichzelf",
    legend_customers: "Klanten",
    legend_predicted: "Voorspelling door medewerkers",
    legend_expected: "Verwachting van klanten",
    legend_perceived: "Beleving van klanten",
    legend_negligible: "verwaarloosbaar",
    legend_ci: "95%-interval",
    legend_score: "Score:",
    legend_bars: "Per aspect: bovenste balk medewerkers, onderste balk klanten",

    axis_mean: "Gemiddelde score",
    low: "laag",
    high: "hoog",
    axis_gap: "Kloof",
    gap_left: "← klanten positiever",
    gap_right: "medewerkers positiever →",
    axis_share: "Aandeel van de antwoorden",
    axis_wave: "Meting (startdatum)",

    exp_below: "onder verwachting",
    exp_above: "boven verwachting",
    exp_even: "geen duidelijk verschil",

    verdict_blind_spot: "blinde vlek",
    verdict_hidden_strength: "verborgen kracht",
    verdict_aligned: "op één lijn",
    verdict_inconclusive: "nog niet zeker",
    too_few: "niet te vergelijken",

    not_asked: "niet gevraagd",
    no_answers: "geen antwoorden",
    no_data: "Geen gegevens om te tonen",
    no_expectations: "In deze meting is klanten niet naar hun verwachting gevraagd",
    one_wave: "Nog maar één meting: de ontwikkeling volgt na de volgende meting",

    q_concentrate_here: "Concentreer hier",
    q_keep_up: "Goed zo, vasthouden",
    q_low_priority: "Lage prioriteit",
    q_possible_overkill: "Mogelijk overdreven",
    axis_importance_stated: "Belang volgens klanten",
    axis_importance_derived: "Belang: samenhang met de NPS (r)",
    axis_customer_score: "Cijfer van klanten",
    legend_arrow: "van voorspelling naar klantcijfer",
    crosshair: "gemiddelde",
    crosshairs_at: "Kruislijnen op het gemiddelde",
    importance_word: "belang",
    by_prediction: "volgens de voorspelling",
    not_placed: "Niet in de grafiek",
    no_importance: "geen belang",
    not_shown: "niet getoond",
    no_spread: "geen spreiding",
    few_nps: "te weinig klanten met een NPS-antwoord",
    at_least: "minimaal",
    stated_word: "door klanten opgegeven",
    derived_word: "afgeleid uit de NPS",
    no_quadrant_data: "Nog geen aspect met zowel een belang als een cijfer van klanten om te tonen",

    composition_warning: "Let op: bij {labels} wijkt het verschil over de hele organisatie af van het verschil binnen de teams. De mix van teams vertekent het totaal; bespreek het per team.",
    lang: Lang::Nl,

    decimal: ",",
    date_format: "%d-%m-%Y",
};

pub static EN: ChartText = ChartText {
    title_mirror: "Mirror: how do employees and customers see the service?",
    title_gaps: "Gap between self-image and customer image",
    title_distribution: "Distribution of ratings",
    title_trend: "Gap across waves",
    title_expectations: "Customer expectations and experience",
    title_quadrant: "Importance and score: where should the team act?",

    sub_mirror: "Mean rating per dimension, most important topic for discussion at the top",
    sub_gaps: "Gap = employees' mean − customers' mean, with 95% confidence interval",
    sub_distribution: "Share of each rating per dimension (excluding ‘don't know’)",
    sub_trend: "Gap = employees' mean − customers' mean; above 0 employees are more positive",
    sub_expectations: "Difference = experience − expectation; below 0 the service falls short",
    sub_quadrant: "Importance to customers against their score per dimension; the arrow runs from the employees' prediction to the customers' score",

    employees: "Employees",
    customers: "Customers",

    legend_employees: "Employees about themselves",
    legend_customers: "Customers",
    legend_predicted: "Employees' prediction",
    legend_expected: "Customers' expectation",
    legend_perceived: "Customers' experience",
    legend_negligible: "negligible",
    legend_ci: "95% interval",
    legend_score: "Rating:",
    legend_bars: "Per dimension: top bar employees, bottom bar customers",

    axis_mean: "Mean rating",
    low: "low",
    high: "high",
    axis_gap: "Gap",
    gap_left: "← customers more positive",
    gap_right: "employees more positive →",
    axis_share: "Share of answers",
    axis_wave: "Wave (start date)",

    exp_below: "below expectations",
    exp_above: "above expectations",
    exp_even: "no clear difference",

    verdict_blind_spot: "blind spot",
    verdict_hidden_strength: "hidden strength",
    verdict_aligned: "aligned",
    verdict_inconclusive: "not certain yet",
    too_few: "cannot be compared",

    not_asked: "not asked",
    no_answers: "no answers",
    no_data: "No data to show",
    no_expectations: "This survey did not ask customers about their expectations",
    one_wave: "Only one wave so far: the trend follows after the next wave",

    q_concentrate_here: "Concentrate here",
    q_keep_up: "Keep up the good work",
    q_low_priority: "Low priority",
    q_possible_overkill: "Possible overkill",
    axis_importance_stated: "Importance to customers",
    axis_importance_derived: "Importance: correlation with NPS (r)",
    axis_customer_score: "Customers' score",
    legend_arrow: "from prediction to customers' score",
    crosshair: "mean",
    crosshairs_at: "Crosshairs at the means",
    importance_word: "importance",
    by_prediction: "by the prediction",
    not_placed: "Not in the chart",
    no_importance: "no importance",
    not_shown: "not shown",
    no_spread: "no spread",
    few_nps: "too few customers with an NPS answer",
    at_least: "at least",
    stated_word: "stated by customers",
    derived_word: "derived from NPS",
    no_quadrant_data: "No dimension has both an importance and a customers' score to show yet",

    composition_warning: "Note: for {labels} the organisation-wide gap differs from the gap within teams. The mix of teams skews the total; discuss it per team.",
    lang: Lang::En,

    decimal: ".",
    date_format: "%Y-%m-%d",
};

/// The chart strings for `lang`.
pub fn text(lang: Lang) -> &'static ChartText {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}
