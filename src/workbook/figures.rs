//! The workbook's sheets of revision 3: how well each scope's team knows its customers (the
//! knowledge score as numbers and in words) and the actions with what they did (their effect).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{Formats, Scope, Value};
use crate::engine::ActionEffect;
use crate::i18n::Lang;

/// One recorded action of the workbook's scope, its words already chosen by the caller.
#[derive(Debug, Clone)]
pub struct ActionRow {
    pub dimension: String,
    pub decision: String,
    pub status: String,
    pub description: String,
    pub owner: String,
    pub due_date: String,
    pub wave: String,
    pub effect: Option<ActionEffect>,
}

/// A header row (column names as JSON fields, said by `i18n::workbook::column`), then the rows;
/// numbers as numbers, a figure that may not be shown as an empty cell.
fn write_table(
    sheet: &mut Worksheet,
    lang: Lang,
    header: &[&str],
    rows: &[Vec<Value>],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, h) in header.iter().enumerate() {
        let col = col as u16;
        let words = crate::i18n::workbook::column(lang, h);
        sheet.write_string_with_format(0, col, &words, &formats.bold)?;
        sheet.set_column_width(col, if col == 0 { 24 } else { 14 })?;
    }
    for (r, cells) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, v) in cells.iter().enumerate() {
            let col = c as u16;
            v.write(sheet, row, col, formats)?;
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// The knowledge sheet: per scope its knowledge figures and the same in words; a scope
/// without a knowledge score says why in words and leaves the figures empty.
pub(super) fn write_knowledge(
    sheet: &mut Worksheet,
    lang: Lang,
    scopes: &[Scope],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let header = [
        crate::i18n::pack::pack_text(lang).scope,
        "knowledge.dimensions_used",
        "knowledge.accuracy",
        "knowledge.mae",
        "knowledge.se_mae",
        "knowledge.bias",
        "knowledge.se_bias",
        "knowledge.rank_correlation",
        "knowledge.lowest_hit",
        "knowledge.skill",
        "knowledge.se_skill",
        "respondents.employee",
        "respondents.customer",
        "in_words",
    ];
    let rows: Vec<Vec<Value>> = scopes
        .iter()
        .map(|s| {
            let name = Value::Text(s.name.clone());
            let Some(k) = s.comparison.knowledge.as_deref() else {
                let mut row = vec![name];
                row.extend((1..header.len() - 1).map(|_| Value::Number(None)));
                row.push(Value::Text(crate::i18n::knowledge::missing(
                    lang,
                    &s.comparison,
                )));
                return row;
            };
            vec![
                name,
                Value::Number(Some(k.dimensions_used as f64)),
                Value::Number(Some(k.accuracy)),
                Value::Number(Some(k.mae)),
                Value::Number(k.se.mae),
                Value::Number(Some(k.bias)),
                Value::Number(k.se.bias),
                Value::Number(k.rank_correlation),
                Value::Text(crate::i18n::workbook::yes_no(lang, k.lowest_hit).to_string()),
                Value::Number(k.skill),
                Value::Number(k.se.skill),
                Value::Number(Some(k.respondents.employee as f64)),
                Value::Number(Some(k.respondents.customer as f64)),
                Value::Text(crate::i18n::knowledge::sentences(lang, k).join(" ")),
            ]
        })
        .collect();
    write_table(sheet, lang, &header, &rows, formats)
}

/// The actions sheet: each action with its effect as figures and in words.
pub(super) fn write_actions(
    sheet: &mut Worksheet,
    lang: Lang,
    actions: &[ActionRow],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let header = [
        "dimension",
        "decision",
        "status",
        "description",
        "owner",
        "due_date",
        "wave",
        "effect.gap_before",
        "effect.gap_after",
        "effect.change",
        "effect.p_value",
        "in_words",
    ];
    let text = |s: &str| Value::Text(s.to_string());
    let rows: Vec<Vec<Value>> = actions
        .iter()
        .map(|a| {
            let e = a.effect.as_ref();
            vec![
                text(&a.dimension),
                text(&a.decision),
                text(&a.status),
                text(&a.description),
                text(&a.owner),
                text(&a.due_date),
                text(&a.wave),
                Value::Number(e.and_then(|e| e.gap_before)),
                Value::Number(e.and_then(|e| e.gap_after)),
                Value::Number(e.and_then(|e| e.change)),
                Value::Number(e.and_then(|e| e.p_value)),
                match e {
                    Some(e) => Value::Text(crate::i18n::knowledge::effect(lang, e)),
                    None => Value::Number(None),
                },
            ]
        })
        .collect();
    write_table(sheet, lang, &header, &rows, formats)
}
