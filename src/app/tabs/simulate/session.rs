//! What of the Simulate tab survives a reload, in `localStorage` under three keys so that
//! each is written only when it changes:
//! - the form ([`FormState`]: texts exactly as typed, preset, size), on every edit (small);
//! - the results ([`Results`]: the log rows so far, at most 5,000, the fingerprint, progress,
//!   the species names, where the run executed and the driver's notices), at most every few
//!   seconds during a run and at its end;
//! - the last frame (its JSON header, a newline, then its bytes in base64: 936 KB of text for
//!   27,000 particles), when a new one has arrived (throttled by the tab) and at the end.
//!
//! When the browser's storage is full the frame is dropped first (the rows are worth more)
//! and the caller gets a sentence for the page; nothing here panics.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{RunState, SimulateTab};
use crate::app::storage;
use crate::jobs::simulate::{FrameData, FrameMeta, SampleRow};
use crate::simulate::{preset, PresetSize};

const FORM_KEY: &str = "bnsl.simulate.session.v1";
const RESULTS_KEY: &str = "bnsl.simulate.results.v1";
const FRAME_KEY: &str = "bnsl.simulate.frame.v1";
const MAX_ROWS: usize = 5_000;

/// The form as typed.
#[derive(Serialize, Deserialize)]
pub(super) struct FormState {
    preset: String,
    paper: bool,
    fields: Vec<(String, String)>,
}

impl FormState {
    pub(super) fn of(tab: &SimulateTab) -> Self {
        Self {
            preset: tab.preset_id.clone(),
            paper: tab.size == PresetSize::Paper,
            fields: tab
                .form
                .fields
                .iter()
                .map(|f| (f.path.clone(), f.text.clone()))
                .collect(),
        }
    }

    /// Stores the form (a failure leaves the previous copy).
    pub(super) fn store(&self) -> Result<(), String> {
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        storage::save(FORM_KEY, &text)
    }

    pub(super) fn load() -> Option<Self> {
        serde_json::from_str(&storage::load(FORM_KEY)?).ok()
    }

    /// Puts the form back: the preset's form with the stored texts over it.
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
    }
}

/// The results of the last run.
#[derive(Serialize, Deserialize)]
pub(super) struct Results {
    rows: Vec<SampleRow>,
    fingerprint: Option<String>,
    done: u64,
    total: u64,
    #[serde(default)]
    species: Vec<String>,
    /// Where the run executed (device, GPU adapter) and the driver's notices.
    #[serde(default)]
    engine: Option<(crate::gpu::Device, Option<String>)>,
    #[serde(default)]
    notices: Vec<String>,
}

impl Results {
    pub(super) fn of(tab: &SimulateTab) -> Self {
        let skip = tab.rows.len().saturating_sub(MAX_ROWS);
        Self {
            rows: tab.rows[skip..].to_vec(),
            fingerprint: tab.fingerprint.clone(),
            done: tab.done,
            total: tab.total,
            species: tab.species_names.clone(),
            engine: tab.engine.clone(),
            notices: tab.notices.clone(),
        }
    }

    /// Stores the results; when they do not fit, the stored frame is dropped and they are
    /// tried again.
    pub(super) fn store(&self) -> Result<(), String> {
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        if storage::save(RESULTS_KEY, &text).is_ok() {
            return Ok(());
        }
        storage::remove(FRAME_KEY);
        storage::save(RESULTS_KEY, &text).map_err(|_| {
            storage::remove(RESULTS_KEY);
            format!(
                "The browser's storage is full: the {} log rows will not survive a reload \
                 (download the CSV log to keep them).",
                self.rows.len()
            )
        })
    }

    pub(super) fn load() -> Option<Self> {
        serde_json::from_str(&storage::load(RESULTS_KEY)?).ok()
    }

    pub(super) fn restore(self, tab: &mut SimulateTab) {
        tab.rows = self.rows;
        tab.fingerprint = self.fingerprint;
        tab.done = self.done;
        tab.total = self.total;
        tab.species_names = self.species;
        tab.engine = self.engine;
        tab.notices = self.notices;
        tab.state = RunState::Idle;
    }
}

/// Stores `frame` as the last frame.
///
/// # Errors
/// A sentence for the page when it does not fit (the previous frame is forgotten then).
pub(super) fn store_frame(frame: &FrameData) -> Result<(), String> {
    let meta = serde_json::to_string(&frame.meta()).map_err(|e| e.to_string())?;
    let text = format!("{meta}\n{}", STANDARD.encode(frame.to_bytes()));
    storage::save(FRAME_KEY, &text).map_err(|_| {
        storage::remove(FRAME_KEY);
        format!(
            "The last frame ({} particles, {:.1} MB) does not fit in the browser's storage: after \
             a reload the 3D view stays empty until the next run. The form and the log rows are kept.",
            frame.len(),
            text.len() as f64 / 1e6
        )
    })
}

/// Forgets the stored frame (a new run starts).
pub(super) fn forget_frame() {
    storage::remove(FRAME_KEY);
}

/// The stored frame, if there is a readable one.
pub(super) fn load_frame() -> Option<FrameData> {
    let text = storage::load(FRAME_KEY)?;
    let (meta, bytes) = text.split_once('\n')?;
    let meta: FrameMeta = serde_json::from_str(meta).ok()?;
    let bytes = STANDARD.decode(bytes.trim_end()).ok()?;
    FrameData::from_parts(meta, &bytes).ok()
}
