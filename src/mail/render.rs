//! Writing one e-mail from a template: the placeholders `{link}`, `{organisation}` and
//! `{closes_at}` are filled in one pass (a value that itself holds `{link}` stays as it is), a
//! reminder gets its prefix and opening line, and every mail ends with the opt-out link.

use crate::domain::{Audience, Invalid, MailKind};
use crate::error::ErrorCode;
use crate::i18n::mail::mail_text;
use crate::i18n::Lang;

/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &["link", "organisation", "closes_at"];

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;

/// A subject and body with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

impl Template {
    /// The default template of a language and audience (four in all: employees are asked about
    /// their own service, customers about the service they got).
    pub fn default_for(lang: Lang, audience: Audience) -> Template {
        let (subject, body) = mail_text(lang).default_for(audience);
        Template {
            subject: subject.to_string(),
            body: body.to_string(),
        }
    }
}

/// What fills the placeholders of one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values<'a> {
    pub link: &'a str,
    pub organisation: &'a str,
    pub closes_at: &'a str,
    pub opt_out: &'a str,
}

/// A written e-mail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Written {
    pub subject: String,
    pub body: String,
}

/// Writes one mail.
pub fn write(template: &Template, kind: MailKind, lang: Lang, v: &Values<'_>) -> Written {
    let t = mail_text(lang);
    let fill = |s: &str| {
        fill(s, |name| match name {
            "link" => Some(v.link),
            "organisation" => Some(v.organisation),
            "closes_at" => Some(v.closes_at),
            _ => None,
        })
    };
    // A subject is one line, whatever a value holds.
    let mut subject: String = fill(&template.subject)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut body = fill(&template.body);
    if kind == MailKind::Reminder {
        subject = format!("{}{subject}", t.reminder_prefix);
        body = format!("{}\n\n{body}", t.reminder_intro);
    }
    let footer = t.footer.replace("{opt_out}", v.opt_out);
    body = format!("{}\n\n-- \n{footer}\n", body.trim_end());
    Written { subject, body }
}

/// Replaces each `{name}` for which `value` has a value; leaves everything else.
fn fill<'v>(s: &str, value: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(s.len() + 64);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            value(name).map(|v| (v, close))
        }) {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders named in a text (`{name}` with a name of letters and `_`).
fn named(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphabetic() || c == '_') =>
            {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Checks a survey's own template: a one-line subject, a body with `{link}`, and no
/// placeholder but the three known ones. Fields are named `subject` and `body`.
pub fn check(subject: &str, body: &str) -> Result<Template, Invalid> {
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(Invalid::new("subject", ErrorCode::TextEmpty));
    }
    if subject.chars().count() > SUBJECT_MAX {
        return Err(Invalid::new(
            "subject",
            ErrorCode::TextTooLong { max: SUBJECT_MAX },
        ));
    }
    if subject.chars().any(char::is_control) {
        return Err(Invalid::new("subject", ErrorCode::TextOneLine));
    }
    if body.chars().count() > BODY_MAX {
        return Err(Invalid::new(
            "body",
            ErrorCode::TextTooLong { max: BODY_MAX },
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::new("body", ErrorCode::TextControl));
    }
    for (field, text) in [("subject", subject), ("body", body)] {
        if let Some(unknown) = named(text).into_iter().find(|n| !PLACEHOLDERS.contains(n)) {
            return Err(Invalid::new(
                field,
                ErrorCode::UnknownPlaceholder {
                    name: unknown.to_string(),
                },
            ));
        }
    }
    if !named(body).contains(&"link") {
        return Err(Invalid::new("body", ErrorCode::BodyNeedsLink));
    }
    Ok(Template {
        subject: subject.to_string(),
        body: body.trim_end().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            link: "https://k.example/r/TOKEN",
            organisation: "Gemeente {link} Zandvoort",
            closes_at: "1 mei 2026 om 00:00 (Nederlandse tijd)",
            opt_out: "https://k.example/o/OPT",
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_the_footer_added() {
        let t = Template {
            subject: "Enquête {organisation}".into(),
            body: "Link: {link}\nSluit {closes_at}. {unknown} {".into(),
        };
        let w = write(&t, MailKind::Invitation, Lang::Nl, &values());
        assert_eq!(w.subject, "Enquête Gemeente {link} Zandvoort");
        assert_eq!(
            w.body,
            "Link: https://k.example/r/TOKEN\nSluit 1 mei 2026 om 00:00 (Nederlandse tijd). {unknown} {\n\n-- \n\
             Liever geen e-mail meer over deze vragenlijst? Meld u af: https://k.example/o/OPT\n"
        );
    }

    #[test]
    fn a_reminder_says_so() {
        let w = write(
            &Template::default_for(Lang::En, Audience::Customer),
            MailKind::Reminder,
            Lang::En,
            &values(),
        );
        assert_eq!(
            w.subject,
            "Reminder: How satisfied are you with Gemeente {link} Zandvoort?"
        );
        assert!(w.body.starts_with("Perhaps it slipped your mind"));
        assert!(w.body.contains("\nhttps://k.example/r/TOKEN\n"));
        assert!(w.body.ends_with("Opt out: https://k.example/o/OPT\n"));
    }

    #[test]
    fn templates_are_checked() {
        assert_eq!(check("", "{link}").unwrap_err().field, "subject");
        assert_eq!(check("a\nb", "{link}").unwrap_err().field, "subject");
        let e = check("Hoi", "Geen link").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code == ErrorCode::BodyNeedsLink),
            ("body", true)
        );
        let e = check("Hoi {naam}", "{link}").unwrap_err();
        assert_eq!(e.field, "subject");
        assert_eq!(
            e.code,
            ErrorCode::UnknownPlaceholder {
                name: "naam".into()
            }
        );
        let ok = check(" Hoi {organisation} ", "Klik {link} voor {closes_at}\n\n").unwrap();
        assert_eq!(ok.subject, "Hoi {organisation}");
        assert_eq!(ok.body, "Klik {link} voor {closes_at}");
        for lang in [Lang::Nl, Lang::En] {
            for audience in [Audience::Employee, Audience::Customer] {
                let d = Template::default_for(lang, audience);
                assert_eq!(check(&d.subject, &d.body).unwrap(), d);
            }
        }
    }
}
