//! The unit of q: from the header, else a stated guess from the q range.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Unit of the scattering vector q.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QUnit {
    /// nm⁻¹ (the paper's unit); lengths come out in nm.
    #[serde(rename = "nm-1")]
    InverseNm,
    /// Å⁻¹ (common in beamline and SasView files); lengths come out in Å.
    #[serde(rename = "A-1")]
    InverseAngstrom,
}

impl QUnit {
    /// The length unit that goes with this q unit ("nm" or "Å").
    #[must_use]
    pub fn length_unit(self) -> &'static str {
        match self {
            QUnit::InverseNm => "nm",
            QUnit::InverseAngstrom => "Å",
        }
    }

    /// Parses `nm-1`, `1/nm`, `A-1`, `1/A`, `Å-1` and similar spellings.
    #[must_use]
    pub fn parse(text: &str) -> Option<QUnit> {
        let t = text
            .trim()
            .to_lowercase()
            .replace(['⁻', '^', '{', '}', ' '], "");
        match t.as_str() {
            "nm-1" | "1/nm" | "nm¹" | "nm1" | "invnm" | "per-nm" | "1/nanometer"
            | "1/nanometre" | "nanometer-1" | "nanometre-1" | "inversenanometers"
            | "inversenanometres" => Some(QUnit::InverseNm),
            "a-1" | "1/a" | "å-1" | "1/å" | "å¹" | "å1" | "a1" | "inva" | "per-a" | "ang-1"
            | "1/ang" | "angstrom-1" | "1/angstrom" | "1/angstroms" | "angstroms-1"
            | "inverseangstroms" => Some(QUnit::InverseAngstrom),
            _ => None,
        }
    }

    /// Looks for a unit of q in header or comment text.
    #[must_use]
    pub fn detect(text: &str) -> Option<QUnit> {
        let t = text.to_lowercase().replace(['^', '{', '}', ' '], "");
        const NM: [&str; 6] = ["1/nm", "nm-1", "nm⁻¹", "nm**-1", "invnm", "nanometer-1"];
        const ANG: [&str; 12] = [
            "1/å", "å-1", "å⁻¹", "1/a)", "1/a]", "(a-1)", "[a-1]", "a⁻¹", "1/ang", "ang-1",
            "angstrom", "å**-1",
        ];
        let nm = NM.iter().any(|p| t.contains(p));
        let ang = ANG.iter().any(|p| t.contains(p)) || t.ends_with("1/a") || t.ends_with("a-1");
        match (nm, ang) {
            (true, false) => Some(QUnit::InverseNm),
            (false, true) => Some(QUnit::InverseAngstrom),
            _ => None,
        }
    }

    /// A guess from the largest q: SAXS data in Å⁻¹ rarely extend beyond 0.8, data in nm⁻¹
    /// usually do. Returns the guess and the reason, stated for the user.
    #[must_use]
    pub fn guess(q_max: f64) -> (QUnit, String) {
        if q_max < 0.8 {
            (
                QUnit::InverseAngstrom,
                format!("guessed Å⁻¹ because the largest q is {q_max:.4} < 0.8; override if the file is in nm⁻¹"),
            )
        } else {
            (
                QUnit::InverseNm,
                format!("guessed nm⁻¹ because the largest q is {q_max:.4} ≥ 0.8; override if the file is in Å⁻¹"),
            )
        }
    }
}

impl fmt::Display for QUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QUnit::InverseNm => "nm-1",
            QUnit::InverseAngstrom => "A-1",
        })
    }
}

/// Where the unit of q came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitOrigin {
    /// Read from the header or a comment.
    Header,
    /// Guessed from the q range.
    Guess,
    /// Given by the user.
    User,
}

/// The unit of q in use, with where it came from and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitChoice {
    /// The unit.
    pub unit: QUnit,
    /// Header, guess or user.
    pub origin: UnitOrigin,
    /// A sentence for the user.
    pub reason: String,
}

impl UnitChoice {
    /// Decides the unit: the user's override, else the header text, else a guess from q_max.
    #[must_use]
    pub fn decide(user: Option<QUnit>, header_text: &str, q_max: f64) -> Self {
        if let Some(unit) = user {
            return Self {
                unit,
                origin: UnitOrigin::User,
                reason: format!("{unit} as given"),
            };
        }
        if let Some(unit) = QUnit::detect(header_text) {
            return Self {
                unit,
                origin: UnitOrigin::Header,
                reason: format!("{unit} from the header"),
            };
        }
        let (unit, reason) = QUnit::guess(q_max);
        Self {
            unit,
            origin: UnitOrigin::Guess,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_spellings() {
        assert_eq!(QUnit::detect("q (1/nm)"), Some(QUnit::InverseNm));
        assert_eq!(QUnit::detect("q [nm^-1]"), Some(QUnit::InverseNm));
        assert_eq!(QUnit::detect("Q (Å⁻¹)"), Some(QUnit::InverseAngstrom));
        assert_eq!(QUnit::detect("<X> (1/A)"), Some(QUnit::InverseAngstrom));
        assert_eq!(QUnit::detect("q_A^-1"), Some(QUnit::InverseAngstrom));
        assert_eq!(QUnit::detect("q, I"), None);
        assert_eq!(QUnit::parse("nm-1"), Some(QUnit::InverseNm));
        assert_eq!(QUnit::parse("A-1"), Some(QUnit::InverseAngstrom));
        assert_eq!(QUnit::parse("1/Å"), Some(QUnit::InverseAngstrom));
    }

    #[test]
    fn guesses_from_range() {
        assert_eq!(QUnit::guess(0.3).0, QUnit::InverseAngstrom);
        assert_eq!(QUnit::guess(2.5).0, QUnit::InverseNm);
        let c = UnitChoice::decide(Some(QUnit::InverseNm), "1/A", 0.1);
        assert_eq!(c.origin, UnitOrigin::User);
    }
}
