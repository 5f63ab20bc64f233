//! A short description of a HOOMD-schema trajectory — header, and per frame the step, N, type
//! names and box or droplet — for `bnsl gsd-info` and the page's file panel.

use serde::Serialize;
use std::io::{Read, Seek};

use super::error::GsdError;
use super::hoomd_read::HoomdReader;
use crate::model::Geometry;

/// What a trajectory holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrajectorySummary {
    /// File layer version, `"2.1"`.
    pub gsd_version: String,
    /// Program that wrote the file.
    pub application: String,
    /// Schema name and version, `"hoomd 2.0"`.
    pub schema: String,
    /// Number of frames.
    pub frame_count: u64,
    /// One entry per frame.
    pub frames: Vec<FrameSummary>,
}

/// One frame of a [`TrajectorySummary`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameSummary {
    /// Frame index.
    pub frame: u64,
    /// Time step.
    pub step: u64,
    /// Number of particles.
    #[serde(rename = "N")]
    pub n: usize,
    /// Type names.
    pub types: Vec<String>,
    /// Particles of each type, indexed like `types`.
    pub type_counts: Vec<usize>,
    /// Periodic box or droplet.
    pub geometry: Geometry,
}

/// Reads every frame of a HOOMD-schema file and summarises it.
///
/// # Errors
/// Any [`GsdError`] from opening the file or reading a frame.
pub fn summarize<R: Read + Seek>(src: R) -> Result<TrajectorySummary, GsdError> {
    let mut r = HoomdReader::open(src)?;
    let h = r.file().header().clone();
    let mut frames = Vec::new();
    for k in 0..r.frame_count() {
        let f = r.read_frame(k)?;
        let mut type_counts = vec![0usize; f.types.len()];
        for &t in &f.typeid {
            // read_frame checked every type id against the type list
            if let Some(c) = type_counts.get_mut(t as usize) {
                *c += 1;
            }
        }
        frames.push(FrameSummary {
            frame: k,
            step: f.step,
            n: f.len(),
            types: f.types,
            type_counts,
            geometry: f.geometry,
        });
    }
    Ok(TrajectorySummary {
        gsd_version: format!("{}.{}", h.gsd_version.0, h.gsd_version.1),
        application: h.application,
        schema: format!("{} {}.{}", h.schema, h.schema_version.0, h.schema_version.1),
        frame_count: frames.len() as u64,
        frames,
    })
}
