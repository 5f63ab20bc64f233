//! SAXS share links (issue #6, "Links from the SAXS fit tab"): the fit settings, and the data
//! file itself when it compresses to [`MAX_EMBEDDED_BYTES`] or less; otherwise its 64-bit
//! content hash, so that the page can ask for the same file and check it on upload. Built on
//! the crate's link codec (`crate::io::link`), route `saxs`.

use crate::io::link::{content_hash_hex, decode_link, share_link, LinkError};
use crate::saxs::fit::ModelChoice;
use crate::saxs::read::QUnit;
use serde::{Deserialize, Serialize};

/// Largest compressed size of a data file carried inside a link: 8 KB.
pub const MAX_EMBEDDED_BYTES: usize = 8 * 1024;

/// Largest core diameter a link may set (in the data's length unit; 10 µm in nm).
const MAX_CORE: f64 = 1e4;

/// Why a SAXS link cannot be used.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// The link itself cannot be decoded.
    #[error("this SAXS link cannot be read: {0}")]
    Link(#[from] LinkError),
    /// The link opens another tab.
    #[error("this link is for the '{0}' tab, not SAXS fit")]
    Route(String),
    /// The embedded data differ from the hash beside them.
    #[error("the data in this link does not match its hash")]
    DataMismatch,
    /// The hash is not 16 hex digits.
    #[error("the data hash in this link is malformed")]
    MalformedHash,
    /// The model name is not one the fit knows.
    #[error("unknown model {0:?} in the link")]
    Model(String),
    /// The q unit is not one the readers know.
    #[error("unknown q unit {0:?} in the link")]
    QUnit(String),
    /// Core diameters missing one of the two, or out of range.
    #[error("core diameters in the link must both be positive numbers below 10⁴")]
    Cores,
}

/// What a SAXS link carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaxsShare {
    /// Model name (`auto`, `alb2`, `nazn13`, `alb2+nazn13`, `sphere`).
    pub model: String,
    /// Unit of q forced by the user (`nm-1` or `A-1`), none for the file's own.
    pub q_unit: Option<String>,
    /// Large core diameter (nm).
    pub core_l: Option<f64>,
    /// Small core diameter (nm).
    pub core_s: Option<f64>,
    /// One width per peak instead of one per phase.
    pub per_peak_widths: bool,
    /// Raw I(q, t) divided by the first frame.
    pub normalize: bool,
    /// Name of the data file.
    pub file_name: Option<String>,
    /// The data file's text, when it compresses to 8 KB or less.
    pub data: Option<String>,
    /// 16-hex-digit content hash of the data file (always set when a file was loaded).
    pub data_hash: Option<String>,
}

/// The checked settings of a link.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedSettings {
    /// The model.
    pub model: ModelChoice,
    /// Forced unit of q.
    pub q_unit: Option<QUnit>,
    /// Core diameters (nm), both or none.
    pub cores: Option<(f64, f64)>,
    /// Per-peak widths.
    pub per_peak_widths: bool,
    /// Normalise a series by its first frame.
    pub normalize: bool,
}

impl SaxsShare {
    /// Settings and, if the file is small enough, the file itself.
    #[must_use]
    pub fn new(settings: &SharedSettings, file: Option<(&str, &[u8])>) -> Self {
        let (file_name, data, data_hash) = match file {
            Some((name, bytes)) => {
                let packed = miniz_oxide::deflate::compress_to_vec(bytes, 9).len();
                let text = std::str::from_utf8(bytes).ok();
                let data = (packed <= MAX_EMBEDDED_BYTES)
                    .then_some(text)
                    .flatten()
                    .map(str::to_string);
                (Some(clip_name(name)), data, Some(content_hash_hex(bytes)))
            }
            None => (None, None, None),
        };
        Self {
            model: settings.model.name().to_string(),
            q_unit: settings.q_unit.map(|u| match u {
                QUnit::InverseNm => "nm-1".to_string(),
                QUnit::InverseAngstrom => "A-1".to_string(),
            }),
            core_l: settings.cores.map(|c| c.0),
            core_s: settings.cores.map(|c| c.1),
            per_peak_widths: settings.per_peak_widths,
            normalize: settings.normalize,
            file_name,
            data,
            data_hash,
        }
    }

    /// The link fragment `#/saxs?r=…`.
    ///
    /// # Errors
    /// The [`LinkError`] of the codec.
    pub fn to_fragment(&self) -> Result<String, LinkError> {
        share_link("saxs", self)
    }

    /// Reads a link (whole URL or fragment).
    ///
    /// # Errors
    /// [`ShareError`]: what is wrong with the link.
    pub fn from_link(url: &str) -> Result<Self, ShareError> {
        let (route, share): (String, SaxsShare) = decode_link(url)?;
        if route != "saxs" {
            return Err(ShareError::Route(route));
        }
        if let Some(d) = &share.data {
            if share.data_hash.as_deref() != Some(&content_hash_hex(d.as_bytes())) {
                return Err(ShareError::DataMismatch);
            }
        }
        if let Some(h) = &share.data_hash {
            if h.len() != 16 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ShareError::MalformedHash);
            }
        }
        Ok(share)
    }

    /// The settings, checked: unknown model or unit names, or core diameters that are not
    /// positive, finite and below 10⁴, are errors.
    ///
    /// # Errors
    /// [`ShareError`] naming the bad value.
    pub fn settings(&self) -> Result<SharedSettings, ShareError> {
        let model = ModelChoice::parse(&self.model)
            .ok_or_else(|| ShareError::Model(clip_name(&self.model)))?;
        let q_unit = match &self.q_unit {
            Some(u) => Some(QUnit::parse(u).ok_or_else(|| ShareError::QUnit(clip_name(u)))?),
            None => None,
        };
        let ok = |v: f64| v.is_finite() && v > 0.0 && v < MAX_CORE;
        let cores = match (self.core_l, self.core_s) {
            (Some(l), Some(s)) if ok(l) && ok(s) => Some((l, s)),
            (None, None) => None,
            _ => return Err(ShareError::Cores),
        };
        Ok(SharedSettings {
            model,
            q_unit,
            cores,
            per_peak_widths: self.per_peak_widths,
            normalize: self.normalize,
        })
    }

    /// Whether `bytes` are the file the link names (by content hash).
    #[must_use]
    pub fn matches(&self, bytes: &[u8]) -> bool {
        self.data_hash.as_deref() == Some(&content_hash_hex(bytes))
    }
}

fn clip_name(s: &str) -> String {
    s.chars().take(120).collect()
}
