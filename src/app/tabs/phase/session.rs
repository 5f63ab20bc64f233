//! What of the Phase diagram tab survives a reload, in `localStorage`: the picked point, the
//! recompute form and the recomputed points and coexistences with their results (small JSON,
//! written on every change).

use serde::{Deserialize, Serialize};

use crate::app::storage;
use crate::jobs::coexistence::{CoexistenceResult, CoexistenceSpec};
use crate::jobs::free_energy::{FreeEnergyPoint, FreeEnergySpec};
use crate::jobs::phase_link::Pick;

const KEY: &str = "bnsl.phase.session.v1";

/// A recomputed point: its inputs and, once computed, its result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recomputed {
    /// What to compute.
    pub spec: FreeEnergySpec,
    /// The result, when done.
    pub result: Option<FreeEnergyPoint>,
    /// Why it failed or stopped, if it did.
    pub note: Option<String>,
}

/// A recomputed coexistence: its inputs and, once computed, its result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecomputedCoexistence {
    /// What to compute.
    pub spec: CoexistenceSpec,
    /// The result, when done.
    pub result: Option<CoexistenceResult>,
    /// Why it failed or stopped, if it did.
    pub note: Option<String>,
}

/// The tab's state as stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The picked point.
    pub pick: Option<Pick>,
    /// The recompute form's texts: well, depth, density, seed, quality.
    pub form: Vec<(String, String)>,
    /// The recomputed points.
    pub points: Vec<Recomputed>,
    /// The recomputed coexistences.
    #[serde(default)]
    pub coexistence: Vec<RecomputedCoexistence>,
}

impl Session {
    /// The stored session, if there is a readable one.
    pub fn load() -> Option<Self> {
        serde_json::from_str(&storage::load(KEY)?).ok()
    }

    /// Stores the session.
    pub fn store(&self) -> Result<(), String> {
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        storage::save(KEY, &text)
    }
}
