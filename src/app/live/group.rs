//! Group commit of guesses: the guesses that arrived together, in one transaction.

use super::{check_running, codes, guess, lookup, participant, Caller, MAX_PARTICIPANTS};
use crate::app::survey_or_404;
use crate::domain::LiveSessionId;
use crate::error::{AppError, ErrorCode};
use crate::store::live::LiveSession;
use crate::store::{self, AnyConnection};

/// One guess of a group (see `guess_group`).
#[derive(Debug, Clone)]
pub struct GuessInput {
    pub code: String,
    pub device: String,
    pub key: String,
    pub value: i64,
}

/// What a group learnt about one code: the session (or why it cannot take guesses), its scale
/// and its open question, read once for all the group's guesses on it.
struct CodeState {
    session: Result<LiveSession, AppError>,
    scale: (i32, i32),
}

fn code_state(conn: &mut AnyConnection, code: &str, first_device: &str) -> CodeState {
    let session =
        lookup(conn, code, Caller::device(first_device)).and_then(|s| check_running(&s).map(|_| s));
    let scale = match &session {
        Ok(s) => match survey_or_404(conn, s.survey_id) {
            Ok(survey) => (survey.scale_min, survey.scale_max),
            Err(_) => (0, -1),
        },
        Err(_) => (0, -1),
    };
    CodeState { session, scale }
}

fn again(e: &AppError) -> AppError {
    match e.problem() {
        Some(code) => AppError::from(code.clone()),
        None => AppError::internal(anyhow::anyhow!("{e}")),
    }
}

/// A session and dimension of a group's guesses.
type Target = (LiveSessionId, String);
/// A valid guess of a group waiting to be stored: (its index, participant, value).
type Pending = (usize, String, i32);

/// The guesses that arrived together, in the caller's write transaction, with the same rules
/// as `guess` (a refused guess refuses only itself) in a few statements for the whole group:
/// the devices' limits in one query, each code looked up once, then per dimension one query for
/// the guesses to replace and one for the devices that joined, and the new devices and guesses
/// inserted together.
pub fn guess_group(
    conn: &mut AnyConnection,
    guesses: &[GuessInput],
) -> Result<Vec<Result<LiveSessionId, AppError>>, AppError> {
    use std::collections::{HashMap, HashSet};
    let devices: Vec<&str> = guesses.iter().map(|g| g.device.as_str()).collect();
    let limited = codes::limited_devices(conn, &devices)?;
    let mut states: HashMap<String, CodeState> = HashMap::new();
    let mut out: Vec<Option<Result<LiveSessionId, AppError>>> =
        (0..guesses.len()).map(|_| None).collect();
    // Valid guesses by (session, dimension): (index, participant, value).
    let mut valid: Vec<(Target, Vec<Pending>)> = Vec::new();
    for (i, g) in guesses.iter().enumerate() {
        if let Some(e) = limited.get(&g.device) {
            out[i] = Some(Err(again(e)));
            continue;
        }
        let normal = codes::normalise(&g.code).unwrap_or_else(|| g.code.clone());
        if !states.contains_key(&normal) {
            let state = code_state(conn, &g.code, &g.device);
            states.insert(normal.clone(), state);
        }
        let Some(state) = states.get(&normal) else {
            out[i] = Some(Err(ErrorCode::LiveNotFound.into()));
            continue;
        };
        let s = match &state.session {
            Ok(s) => s,
            // Over the total limit, a device that joined still passes: looked up on its own.
            Err(e) if e.code() == "rate_limited" => {
                out[i] = Some(guess(conn, &g.code, &g.device, &g.key, g.value).map(|s| s.id));
                continue;
            }
            Err(e) => {
                out[i] = Some(Err(again(e)));
                continue;
            }
        };
        let (min, max) = state.scale;
        let Some(value) = i32::try_from(g.value)
            .ok()
            .filter(|v| (min..=max).contains(v))
        else {
            out[i] = Some(Err(AppError::at(
                "value",
                ErrorCode::OutsideScale {
                    value: g.value,
                    min,
                    max,
                },
            )));
            continue;
        };
        if s.open_key.as_deref() != Some(g.key.as_str()) {
            out[i] = Some(Err(
                ErrorCode::LiveQuestionNotOpen { key: g.key.clone() }.into()
            ));
            continue;
        }
        let at = (s.id, g.key.clone());
        let entry = (i, participant(&g.device), value);
        match valid.iter_mut().find(|(k, _)| *k == at) {
            Some((_, list)) => list.push(entry),
            None => valid.push((at, vec![entry])),
        }
    }
    let mut joined: HashMap<LiveSessionId, i64> = HashMap::new();
    for ((sid, key), list) in valid {
        let whos: Vec<String> = list.iter().map(|(_, w, _)| w.clone()).collect();
        let existing: HashSet<String> = store::live::guessed_already(conn, sid, &key, &whos)?
            .into_iter()
            .collect();
        let mut known: HashSet<String> = store::live::known_participants(conn, sid, &whos)?
            .into_iter()
            .collect();
        let count = match joined.get(&sid) {
            Some(n) => *n,
            None => store::live::participant_count(conn, sid)?,
        };
        let mut count = count;
        let mut new_devices: Vec<String> = Vec::new();
        let mut new_guesses: Vec<(String, i32)> = Vec::new();
        for (i, who, value) in list {
            if existing.contains(&who) {
                store::live::replace_guess(conn, sid, &key, &who, value)?;
            } else if let Some(slot) = new_guesses.iter_mut().find(|(w, _)| *w == who) {
                slot.1 = value;
            } else {
                if !known.contains(&who) {
                    if count >= MAX_PARTICIPANTS {
                        out[i] = Some(Err(ErrorCode::LiveFull {
                            max: MAX_PARTICIPANTS,
                        }
                        .into()));
                        continue;
                    }
                    count += 1;
                    known.insert(who.clone());
                    new_devices.push(who.clone());
                }
                new_guesses.push((who, value));
            }
            out[i] = Some(Ok(sid));
        }
        joined.insert(sid, count);
        let rows: Vec<store::live::NewParticipant> = new_devices
            .iter()
            .map(|w| store::live::NewParticipant {
                session_id: sid,
                participant: w,
            })
            .collect();
        store::live::insert_participants(conn, &rows)?;
        let rows: Vec<store::live::NewGuess> = new_guesses
            .iter()
            .map(|(w, v)| store::live::NewGuess {
                session_id: sid,
                dimension_key: &key,
                participant: w,
                value: *v,
            })
            .collect();
        store::live::insert_guesses(conn, &rows)?;
    }
    Ok(out
        .into_iter()
        .map(|o| {
            o.unwrap_or_else(|| {
                Err(AppError::internal(anyhow::anyhow!(
                    "a guess without its outcome"
                )))
            })
        })
        .collect())
}
