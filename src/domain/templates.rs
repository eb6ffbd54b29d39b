//! Dimension templates. `mirror-default` is SPEC's default set, in SPEC order.

use super::CategoryKind;

/// One dimension of a template, with both languages.
#[derive(Debug, Clone, Copy)]
pub struct TemplateDimension {
    pub key: &'static str,
    pub label_nl: &'static str,
    pub label_en: &'static str,
    pub employee_statement_nl: &'static str,
    pub employee_statement_en: &'static str,
    pub customer_statement_nl: &'static str,
    pub customer_statement_en: &'static str,
    pub category: CategoryKind,
}

pub const MIRROR_DEFAULT: &str = "mirror-default";

const fn dim(
    key: &'static str,
    label_nl: &'static str,
    label_en: &'static str,
    statements: [&'static str; 4],
    category: CategoryKind,
) -> TemplateDimension {
    TemplateDimension {
        key,
        label_nl,
        label_en,
        employee_statement_nl: statements[0],
        employee_statement_en: statements[1],
        customer_statement_nl: statements[2],
        customer_statement_en: statements[3],
        category,
    }
}

pub const MIRROR_DEFAULT_DIMENSIONS: [TemplateDimension; 8] = [
    dim(
        "customer_focus",
        "Klantgerichtheid",
        "Customer focus",
        [
            "Wij stellen de klant centraal in alles wat we doen.",
            "We put the customer first in everything we do.",
            "Zij stellen mij als klant centraal.",
            "They put me as a customer first.",
        ],
        CategoryKind::Emotional,
    ),
    dim(
        "expertise",
        "Deskundigheid",
        "Expertise",
        [
            "Wij hebben de kennis en kunde om klanten goed te helpen.",
            "We have the knowledge and skills to help customers well.",
            "Zij hebben de kennis en kunde om mij goed te helpen.",
            "They have the knowledge and skills to help me well.",
        ],
        CategoryKind::Functional,
    ),
    dim(
        "flexibility",
        "Flexibiliteit",
        "Flexibility",
        [
            "Wij passen ons aan de wensen en omstandigheden van de klant aan.",
            "We adapt to the customer's wishes and circumstances.",
            "Zij passen zich aan mijn wensen en omstandigheden aan.",
            "They adapt to my wishes and circumstances.",
        ],
        CategoryKind::Functional,
    ),
    dim(
        "keeping_agreements",
        "Nakomen van afspraken",
        "Keeping agreements",
        [
            "Wij komen onze afspraken met klanten na.",
            "We keep our agreements with customers.",
            "Zij komen hun afspraken met mij na.",
            "They keep their agreements with me.",
        ],
        CategoryKind::Functional,
    ),
    dim(
        "complaint_handling",
        "Afhandeling van klachten",
        "Complaint handling",
        [
            "Wij handelen klachten snel en zorgvuldig af.",
            "We handle complaints quickly and carefully.",
            "Zij handelen mijn klachten snel en zorgvuldig af.",
            "They handle my complaints quickly and carefully.",
        ],
        CategoryKind::Functional,
    ),
    dim(
        "friendliness",
        "Vriendelijkheid",
        "Friendliness",
        [
            "Wij zijn vriendelijk en respectvol tegen klanten.",
            "We are friendly and respectful towards customers.",
            "Zij zijn vriendelijk en respectvol tegen mij.",
            "They are friendly and respectful towards me.",
        ],
        CategoryKind::Emotional,
    ),
    dim(
        "problem_resolution",
        "Oplossen van het probleem",
        "Problem resolution",
        [
            "Wij lossen het probleem van de klant echt op.",
            "We actually solve the customer's problem.",
            "Zij lossen mijn probleem echt op.",
            "They actually solve my problem.",
        ],
        CategoryKind::Functional,
    ),
    dim(
        "speed",
        "Snelheid",
        "Speed",
        [
            "Wij helpen klanten snel.",
            "We help customers quickly.",
            "Zij helpen mij snel.",
            "They help me quickly.",
        ],
        CategoryKind::Functional,
    ),
];

/// The dimensions of a named template, or `None` for an unknown name.
pub fn template(name: &str) -> Option<&'static [TemplateDimension]> {
    match name {
        MIRROR_DEFAULT => Some(&MIRROR_DEFAULT_DIMENSIONS),
        _ => None,
    }
}
