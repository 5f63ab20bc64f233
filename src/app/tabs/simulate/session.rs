//! What of the Simulate tab survives a reload (in `localStorage`): the form's texts exactly as
//! typed, the preset, the log rows so far (at most 5,000) and the last fingerprint. Frames are
//! not kept (too large for the browser's storage).

use serde::{Deserialize, Serialize};

use super::{RunState, SimulateTab};
use crate::app::storage;
use crate::jobs::simulate::SampleRow;
use crate::simulate::{preset, PresetSize};

const KEY: &str = "bnsl.simulate.session.v1";
const MAX_ROWS: usize = 5_000;

#[derive(Serialize, Deserialize)]
pub(super) struct Session {
    preset: String,
    paper: bool,
    fields: Vec<(String, String)>,
    rows: Vec<SampleRow>,
    fingerprint: Option<String>,
    done: u64,
    total: u64,
}

impl Session {
    pub(super) fn of(tab: &SimulateTab) -> Self {
        let skip = tab.rows.len().saturating_sub(MAX_ROWS);
        Self {
            preset: tab.preset_id.clone(),
            paper: tab.size == PresetSize::Paper,
            fields: tab
                .form
                .fields
                .iter()
                .map(|f| (f.path.clone(), f.text.clone()))
                .collect(),
            rows: tab.rows[skip..].to_vec(),
            fingerprint: tab.fingerprint.clone(),
            done: tab.done,
            total: tab.total,
        }
    }

    pub(super) fn store(&self) {
        if let Ok(text) = serde_json::to_string(self) {
            if storage::save(KEY, &text).is_err() {
                storage::remove(KEY);
            }
        }
    }

    pub(super) fn load() -> Option<Self> {
        serde_json::from_str(&storage::load(KEY)?).ok()
    }

    /// Puts the session back: the preset's form with the stored texts over it.
    pub(super) fn restore(self, tab: &mut SimulateTab) {
        let size = if self.paper {
            PresetSize::Paper
        } else {
            PresetSize::Small
        };
        let Some(p) = preset(&self.preset, size) else {
            return;
        };
        let Ok(mut form) = crate::simulate::form::RecipeForm::new(&p.recipe) else {
            return;
        };
        for (path, text) in &self.fields {
            form.set(path, text);
        }
        tab.form = form;
        tab.preset_id = self.preset;
        tab.size = size;
        tab.rows = self.rows;
        tab.fingerprint = self.fingerprint;
        tab.done = self.done;
        tab.total = self.total;
        tab.state = RunState::Idle;
    }
}
