//! The recipients CSV of a mailing: columns `email`, `team` (name or id), `audience`
//! (`employee` or `customer`) and optionally `lang` (`nl`, the default, or `en`), in any order;
//! other columns are ignored. Separated by `,` or by `;` (what Dutch Excel saves), whichever
//! the header holds more of, as imports are. Every bad row is reported with its line and
//! column, and no message repeats an address.

use std::collections::HashMap;

use crate::domain::{Audience, Language, TeamId};
use crate::error::ErrorCode;
use crate::error::RowError;
use crate::store::teams::Team;

/// At most this many recipients per upload.
pub const MAX_RECIPIENTS: usize = 10_000;

/// One valid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub line: u64,
    pub email: String,
    pub team_id: TeamId,
    pub audience: Audience,
    pub lang: Language,
}

fn row_error(line: u64, column: Option<&str>, problem: ErrorCode) -> RowError {
    RowError::new(line, column, problem)
}

/// The form in which two addresses are the same: trimmed and lower-cased.
pub fn address_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A whole valid file: its rows and the delimiter it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<Recipient>,
    /// `,` or `;`.
    pub delimiter: u8,
}

/// Parses and checks the whole file: every row valid, or every problem.
pub fn parse(input: &[u8], teams: &[Team]) -> Result<Parsed, Vec<RowError>> {
    let (delimiter, _) = crate::csvio::sniff_header(input);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![row_error(
                1,
                None,
                ErrorCode::UnreadableHeader {
                    detail: e.to_string(),
                },
            )])
        }
    };
    let position = |name: &str| {
        headers.iter().position(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case(name)
        })
    };
    let mut errors = Vec::new();
    let mut required = |name: &'static str| {
        let p = position(name);
        if p.is_none() {
            errors.push(row_error(
                1,
                Some(name),
                ErrorCode::ColumnMissing {
                    column: name.to_string(),
                },
            ));
        }
        p
    };
    let (email_at, team_at, audience_at) =
        (required("email"), required("team"), required("audience"));
    let (Some(email_at), Some(team_at), Some(audience_at)) = (email_at, team_at, audience_at)
    else {
        return Err(errors);
    };
    let lang_at = position("lang");
    let by_name: HashMap<String, TeamId> = teams
        .iter()
        .map(|t| (t.name.to_lowercase(), t.id))
        .collect();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                errors.push(row_error(
                    line,
                    None,
                    ErrorCode::UnreadableRow {
                        detail: e.to_string(),
                    },
                ));
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() + errors.len() >= MAX_RECIPIENTS {
            errors.push(row_error(
                line,
                None,
                ErrorCode::TooManyRows {
                    max: MAX_RECIPIENTS,
                },
            ));
            break;
        }
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let before = errors.len();
        let email = cell(email_at);
        if email.is_empty() {
            errors.push(row_error(line, Some("email"), ErrorCode::AddressMissing));
        } else if let Err(why) = crate::mail::check_address(email) {
            errors.push(row_error(line, Some("email"), why));
        } else if let Some(first) = first_line.get(&address_key(email)) {
            errors.push(row_error(
                line,
                Some("email"),
                ErrorCode::AddressTwice { first: *first },
            ));
        } else {
            first_line.insert(address_key(email), line);
        }
        let team = cell(team_at);
        let team_id = by_name.get(&team.to_lowercase()).copied().or_else(|| {
            team.parse::<TeamId>()
                .ok()
                .filter(|id| teams.iter().any(|t| t.id == *id))
        });
        if team_id.is_none() {
            errors.push(row_error(
                line,
                Some("team"),
                ErrorCode::UnknownTeamNameOrId {
                    name: team.to_string(),
                },
            ));
        }
        let audience = Audience::parse(&cell(audience_at).to_lowercase());
        if audience.is_none() {
            errors.push(row_error(
                line,
                Some("audience"),
                ErrorCode::NotOneOf {
                    value: cell(audience_at).to_string(),
                    allowed: "employee, customer".into(),
                },
            ));
        }
        let lang = match lang_at.map(cell).filter(|l| !l.is_empty()) {
            None => Some(Language::Nl),
            Some(l) => Language::parse(&l.to_lowercase()),
        };
        if lang.is_none() {
            errors.push(row_error(
                line,
                Some("lang"),
                ErrorCode::NotOneOf {
                    value: lang_at.map(cell).unwrap_or("").to_string(),
                    allowed: "nl, en".into(),
                },
            ));
        }
        if let (true, Some(team_id), Some(audience), Some(lang)) =
            (errors.len() == before, team_id, audience, lang)
        {
            rows.push(Recipient {
                line,
                email: email.to_string(),
                team_id,
                audience,
                lang,
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(row_error(2, None, ErrorCode::NoRecipients));
    }
    if errors.is_empty() {
        Ok(Parsed { rows, delimiter })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn teams() -> Vec<Team> {
        let at = chrono::NaiveDateTime::default();
        vec![
            Team {
                id: TeamId(1),
                name: "Klantenservice".into(),
                created_at: at,
            },
            Team {
                id: TeamId(7),
                name: "Buitendienst".into(),
                created_at: at,
            },
        ]
    }

    #[test]
    fn good_rows_by_team_name_or_id_in_any_column_order() {
        let csv = "\u{feff}Team,Email,audience,naam\nklantenservice, a@x.nl ,customer,Ann\n7,b@x.nl,employee,\n\n";
        let parsed = parse(csv.as_bytes(), &teams()).unwrap();
        assert_eq!(parsed.delimiter, b',');
        assert_eq!(
            parsed.rows,
            vec![
                Recipient {
                    line: 2,
                    email: "a@x.nl".into(),
                    team_id: TeamId(1),
                    audience: Audience::Customer,
                    lang: Language::Nl
                },
                Recipient {
                    line: 3,
                    email: "b@x.nl".into(),
                    team_id: TeamId(7),
                    audience: Audience::Employee,
                    lang: Language::Nl
                },
            ]
        );
    }

    #[test]
    fn a_semicolon_file_as_dutch_excel_saves_it_is_read_the_same() {
        // Dutch Excel: a byte-order mark, `;` between cells, `,` inside a quoted cell.
        let csv = "\u{feff}email;team;audience;naam\r\na@x.nl;Klantenservice;customer;\"Jansen, A.\"\r\nb@x.nl;7;employee;\r\n";
        let parsed = parse(csv.as_bytes(), &teams()).unwrap();
        assert_eq!(parsed.delimiter, b';');
        let got: Vec<(&str, TeamId, Audience)> = parsed
            .rows
            .iter()
            .map(|r| (r.email.as_str(), r.team_id, r.audience))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a@x.nl", TeamId(1), Audience::Customer),
                ("b@x.nl", TeamId(7), Audience::Employee)
            ]
        );
    }

    #[test]
    fn every_bad_row_is_named_without_its_address() {
        let csv = "email,team,audience,lang\n\
                   a@x.nl,Klantenservice,customer,en\n\
                   niet-een-adres,Klantenservice,customer,nl\n\
                   A@X.nl,Onbekend,klant,de\n";
        let errors = parse(csv.as_bytes(), &teams()).unwrap_err();
        let got: Vec<(u64, Option<&str>)> = errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, Some("email")),
                (4, Some("email")),
                (4, Some("team")),
                (4, Some("audience")),
                (4, Some("lang")),
            ]
        );
        assert_eq!(
            errors[1].message(Lang::En),
            "The same address as on line 2."
        );
        assert_eq!(
            errors[1].message(Lang::Nl),
            "Hetzelfde adres als op regel 2."
        );
        for lang in [Lang::Nl, Lang::En] {
            assert!(errors.iter().all(|e| {
                let m = e.message(lang);
                !m.contains('@') && !m.contains("niet-een")
            }));
        }
    }

    #[test]
    fn missing_columns_and_empty_files() {
        let errors = parse(b"adres,team\n", &teams()).unwrap_err();
        let got: Vec<(u64, Option<&str>)> = errors
            .iter()
            .map(|e| (e.line, e.column.as_deref()))
            .collect();
        assert_eq!(got, vec![(1, Some("email")), (1, Some("audience"))]);
        let errors = parse(b"email,team,audience\n", &teams()).unwrap_err();
        assert_eq!(errors[0].problem, ErrorCode::NoRecipients);
    }
}
