//! What the first column holds and how it becomes q (SCIENCE.md §5, "Data").
//!
//! Beamline software names the abscissa in its header: pyFAI writes `q_nm^-1`, `q_A^-1`,
//! `2th_deg`, `2th_rad`, `d*2_A^-2`, `r_mm`; Fit2D writes `Q (Inverse Nanometres)` and
//! `2-Theta Angle (Degrees)`; hand-made files say `2theta (deg)` or `D-spacing (Angstroms)`.
//! The column becomes q by
//!
//! - q as it is (nm⁻¹ or Å⁻¹);
//! - the scattering angle 2θ: q = 4π sin(θ)/λ, λ from the file or the user (Å⁻¹ out);
//! - a lattice spacing d: q = 2π/d (nm → nm⁻¹, Å → Å⁻¹).
//!
//! A detector radius (`r_mm`) needs the geometry and is refused, as is a spacing or an angle
//! whose unit or wavelength nobody states: a number is never read as Å⁻¹ by default.

use super::{QUnit, ReadError, UnitChoice, UnitOrigin};

/// The quantity in the first column and its unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Abscissa {
    /// q, in this unit when stated.
    Q(Option<QUnit>),
    /// The scattering angle 2θ in degrees (`true`) or radians.
    TwoTheta {
        /// Degrees, else radians.
        degrees: bool,
    },
    /// A lattice spacing d in nm (`InverseNm`) or Å (`InverseAngstrom`), unit when stated.
    Spacing(Option<QUnit>),
    /// Something that is not q and cannot become q from the file alone (what it is).
    Other(&'static str),
}

/// Lower case with superscripts, carets, braces and spaces folded away: `Q (Å⁻¹)` → `q(å-1)`.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .replace("⁻¹", "-1")
        .replace('⁻', "-")
        .replace('¹', "1")
        .replace('θ', "theta")
        .replace(['^', '{', '}', ' ', '\t'], "")
}

/// The length unit in a folded column name or unit text: nm or Å (as the q unit of its inverse).
fn length_unit(folded: &str) -> Option<QUnit> {
    let nm = ["nm", "nanomet"].iter().any(|p| folded.contains(p));
    let ang = [
        "å", "angstrom", "ang)", "ang]", "_a", "(a)", "[a]", "(a-1)", "1/a", "a-1", "inva",
    ]
    .iter()
    .any(|p| folded.contains(p))
        || folded.ends_with("_a")
        || folded.ends_with("(a")
        || folded == "a";
    match (nm, ang) {
        (true, false) => Some(QUnit::InverseNm),
        (false, true) => Some(QUnit::InverseAngstrom),
        _ => None,
    }
}

impl Abscissa {
    /// Reads a column name; `None` when the name says nothing about the quantity.
    pub(crate) fn from_name(name: &str) -> Option<Abscissa> {
        let f = fold(name);
        if f.is_empty() {
            return None;
        }
        let angle = ["2th", "2-theta", "2theta", "twotheta", "tth", "2_theta"]
            .iter()
            .any(|p| f.starts_with(p) || f.contains(&format!("_{p}")));
        if angle {
            return Some(Abscissa::TwoTheta {
                degrees: !f.contains("rad") || f.contains("deg"),
            });
        }
        if f.starts_with("r_") || f.starts_with("radial") || f.starts_with("radius") {
            return Some(Abscissa::Other(
                "a radius on the detector: q needs the sample-detector geometry",
            ));
        }
        if f.starts_with("d*") || f.starts_with("s_") || f.starts_with("chi") {
            return Some(Abscissa::Other(
                "not q (pyFAI's d*², s or χ axis): export q from the integration software",
            ));
        }
        let spacing = f.contains("spacing")
            || f.starts_with("d_")
            || f.starts_with("d(")
            || f.starts_with("d[")
            || f == "d";
        if spacing {
            return Some(Abscissa::Spacing(length_unit(&f)));
        }
        let q = f.starts_with('q')
            || f.starts_with("<x>")
            || f.contains("scatteringvector")
            || f.contains("inversenanomet")
            || f.contains("inverseangstrom");
        q.then(|| Abscissa::Q(QUnit::detect(name).or_else(|| q_unit_in(&f))))
    }
}

/// A q unit in folded text in the spellings [`QUnit::detect`] does not know
/// (`q_invA`, `Q (Inverse Nanometres)`, `q_nm^-1`).
fn q_unit_in(folded: &str) -> Option<QUnit> {
    let nm = ["inversenanomet", "invnm", "_nm-1", "nm-1", "1/nm"]
        .iter()
        .any(|p| folded.contains(p));
    let ang = [
        "inverseangstrom",
        "inva",
        "_a-1",
        "1/a",
        "(a-1)",
        "å-1",
        "1/å",
    ]
    .iter()
    .any(|p| folded.contains(p));
    match (nm, ang) {
        (true, false) => Some(QUnit::InverseNm),
        (false, true) => Some(QUnit::InverseAngstrom),
        _ => None,
    }
}

/// The unit of q in header or comment text, in every spelling this module knows.
pub(crate) fn detect_q_unit(text: &str) -> Option<QUnit> {
    QUnit::detect(text).or_else(|| {
        let hits: Vec<QUnit> = text.lines().filter_map(|l| q_unit_in(&fold(l))).collect();
        match hits.first() {
            Some(&u) if hits.iter().all(|&h| h == u) => Some(u),
            _ => None,
        }
    })
}

/// A wavelength in Å with the sentence saying where it came from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Wavelength {
    /// λ in Å.
    pub angstrom: f64,
    /// "λ = 1.0332 Å from the header", "λ = 1.54 Å as given".
    pub source: String,
}

/// The first number in `text`: its value and its byte range.
fn first_number(text: &str) -> Option<(f64, usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        if starts {
            let mut end = i;
            while end < bytes.len()
                && (bytes[end].is_ascii_digit()
                    || matches!(bytes[end], b'.' | b'e' | b'E')
                    || (matches!(bytes[end], b'-' | b'+')
                        && end > i
                        && matches!(bytes[end - 1], b'e' | b'E')))
            {
                end += 1;
            }
            let mut s = &text[i..end];
            while !s.is_empty() && s.parse::<f64>().is_err() {
                s = &s[..s.len() - 1];
            }
            if let Ok(v) = s.parse::<f64>() {
                return Some((v, i, i + s.len()));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// Å per unit of a wavelength unit written right after the number ("m", "nm", "Å", "A").
fn unit_after(folded: &str) -> Option<f64> {
    let s = folded.trim_start_matches([':', '=', ',']);
    let word_end = s
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    match &s[..word_end] {
        "nm" | "nanometer" | "nanometers" | "nanometre" | "nanometres" => Some(10.0),
        "a" | "å" | "ang" | "angstrom" | "angstroms" => Some(1.0),
        "m" | "meter" | "meters" | "metre" | "metres" => Some(1e10),
        _ => None,
    }
}

/// Å per unit of a wavelength unit written in brackets before the number ("(nm)", "[Å]").
fn unit_before(folded: &str) -> Option<f64> {
    for (unit, factor) in [
        ("nm", 10.0),
        ("å", 1.0),
        ("a", 1.0),
        ("angstrom", 1.0),
        ("m", 1e10),
    ] {
        if folded.contains(&format!("({unit})")) || folded.contains(&format!("[{unit}]")) {
            return Some(factor);
        }
    }
    None
}

/// λ from header or comment text: `Wavelength: 1.0332e-10 m` (pyFAI), `wavelength (nm) = 0.154`,
/// `lambda 1.54 A`. The unit must be stated (m, nm or Å), except for values below 10⁻⁶, which
/// only metres make sense of.
pub(crate) fn wavelength_in(text: &str) -> Option<Wavelength> {
    for line in text.lines() {
        let lower = line.to_lowercase();
        let Some(at) = ["wavelength", "lambda", "λ"]
            .iter()
            .find_map(|k| lower.find(k).map(|p| p + k.len()))
        else {
            continue;
        };
        let rest = &lower[at..];
        let Some((value, start, end)) = first_number(rest) else {
            continue;
        };
        if !(value.is_finite() && value > 0.0) {
            continue;
        }
        let factor = unit_after(&fold(&rest[end..]))
            .or_else(|| unit_before(&fold(&rest[..start])))
            .or_else(|| (value < 1e-6).then_some(1e10));
        if let Some(factor) = factor {
            let angstrom = value * factor;
            return Some(Wavelength {
                angstrom,
                source: format!("λ = {angstrom:.5} Å from the header"),
            });
        }
    }
    None
}

/// How the first column becomes q, decided once per file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Axis {
    kind: Abscissa,
    /// λ in Å for an angle column.
    lambda: f64,
    /// The q unit when known before the values are seen.
    unit: Option<QUnit>,
    origin: UnitOrigin,
    reason: String,
}

impl Axis {
    /// Decides the abscissa: the user's q unit first (the column is then q in that unit),
    /// else what the format or the column name says, else q with the unit from the header
    /// text or, failing that, a stated guess from the range ([`Axis::unit_choice`]).
    ///
    /// # Errors
    /// [`ReadError::Abscissa`] for a column that is not q and cannot become q: an angle
    /// without a wavelength, a spacing without a unit, a detector radius.
    pub(crate) fn decide(
        user_unit: Option<QUnit>,
        user_wavelength: Option<f64>,
        given: Option<Abscissa>,
        name: Option<&str>,
        header_text: &str,
    ) -> Result<Axis, ReadError> {
        let column = name.unwrap_or("the first column").to_string();
        if let Some(unit) = user_unit {
            return Ok(Axis::q(unit, UnitOrigin::User, format!("{unit} as given")));
        }
        let kind = given
            .or_else(|| name.and_then(Abscissa::from_name))
            .unwrap_or(Abscissa::Q(None));
        match kind {
            Abscissa::Q(Some(unit)) => Ok(Axis::q(
                unit,
                UnitOrigin::Header,
                format!("{unit} from the header ('{column}')"),
            )),
            Abscissa::Q(None) => match detect_q_unit(header_text) {
                Some(unit) => Ok(Axis::q(unit, UnitOrigin::Header, format!("{unit} from the header"))),
                None => Ok(Axis {
                    kind,
                    lambda: f64::NAN,
                    unit: None,
                    origin: UnitOrigin::Guess,
                    reason: String::new(),
                }),
            },
            Abscissa::TwoTheta { degrees } => {
                let (lambda, origin, source) = match user_wavelength {
                    Some(l) if l.is_finite() && l > 0.0 => {
                        (l, UnitOrigin::User, format!("λ = {l} Å as given"))
                    }
                    Some(l) => {
                        return Err(ReadError::Abscissa {
                            column,
                            why: format!("the wavelength {l} Å is not a positive number"),
                        })
                    }
                    None => match wavelength_in(header_text) {
                        Some(w) => (w.angstrom, UnitOrigin::Header, w.source),
                        None => return Err(ReadError::Abscissa {
                            column,
                            why: "it is the scattering angle 2θ, and the file states no wavelength (with its unit) to convert it to q: give the wavelength in Å (bnsl fit --wavelength, or the page's wavelength field)".into(),
                        }),
                    },
                };
                let unit = if degrees { "degrees" } else { "radians" };
                Ok(Axis {
                    kind,
                    lambda,
                    unit: Some(QUnit::InverseAngstrom),
                    origin,
                    reason: format!("A-1: q = 4π sin(θ)/λ from the 2θ column '{column}' ({unit}), {source}"),
                })
            }
            Abscissa::Spacing(Some(unit)) => Ok(Axis {
                kind,
                lambda: f64::NAN,
                unit: Some(unit),
                origin: UnitOrigin::Header,
                reason: format!(
                    "{unit}: q = 2π/d from the spacing column '{column}' (d in {})",
                    unit.length_unit()
                ),
            }),
            Abscissa::Spacing(None) => Err(ReadError::Abscissa {
                column,
                why: "it is a lattice spacing d without a stated unit (nm or Å); say it in the header, e.g. 'd (nm)', or convert to q = 2π/d".into(),
            }),
            Abscissa::Other(what) => Err(ReadError::Abscissa {
                column,
                why: format!("it is {what}"),
            }),
        }
    }

    fn q(unit: QUnit, origin: UnitOrigin, reason: String) -> Axis {
        Axis {
            kind: Abscissa::Q(Some(unit)),
            lambda: f64::NAN,
            unit: Some(unit),
            origin,
            reason,
        }
    }

    /// Whether q comes out in reverse order of the column (a spacing).
    pub(crate) fn reverses(&self) -> bool {
        matches!(self.kind, Abscissa::Spacing(_))
    }

    /// q for a value of the first column (NaN or ≤ 0 where there is none).
    pub(crate) fn to_q(&self, x: f64) -> f64 {
        match self.kind {
            Abscissa::Q(_) | Abscissa::Other(_) => x,
            Abscissa::TwoTheta { degrees } => {
                let two_theta = if degrees { x.to_radians() } else { x };
                if two_theta <= 0.0 || two_theta >= std::f64::consts::PI {
                    f64::NAN
                } else {
                    4.0 * std::f64::consts::PI * (0.5 * two_theta).sin() / self.lambda
                }
            }
            Abscissa::Spacing(_) => {
                if x > 0.0 {
                    2.0 * std::f64::consts::PI / x
                } else {
                    f64::NAN
                }
            }
        }
    }

    /// The unit of q with where it came from; a stated guess from `q_max` when nothing said it.
    pub(crate) fn unit_choice(&self, q_max: f64) -> UnitChoice {
        match self.unit {
            Some(unit) => UnitChoice {
                unit,
                origin: self.origin,
                reason: self.reason.clone(),
            },
            None => UnitChoice::decide(None, "", q_max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Option<Abscissa> {
        Abscissa::from_name(name)
    }

    #[test]
    fn column_names_of_the_common_writers() {
        use Abscissa::*;
        let nm = Some(QUnit::InverseNm);
        let ang = Some(QUnit::InverseAngstrom);
        assert_eq!(kind("q_nm^-1"), Some(Q(nm)));
        assert_eq!(kind("q_A^-1"), Some(Q(ang)));
        assert_eq!(kind("q_invA"), Some(Q(ang)));
        assert_eq!(kind("Q (Inverse Nanometres)"), Some(Q(nm)));
        assert_eq!(kind("Q (Inverse Angstroms)"), Some(Q(ang)));
        assert_eq!(kind("q (1/nm)"), Some(Q(nm)));
        assert_eq!(kind("Q"), Some(Q(None)));
        assert_eq!(kind("2th_deg"), Some(TwoTheta { degrees: true }));
        assert_eq!(kind("2th_rad"), Some(TwoTheta { degrees: false }));
        assert_eq!(kind("2theta (deg)"), Some(TwoTheta { degrees: true }));
        assert_eq!(
            kind("2-Theta Angle (Degrees)"),
            Some(TwoTheta { degrees: true })
        );
        assert_eq!(kind("2θ"), Some(TwoTheta { degrees: true }));
        assert_eq!(kind("D-spacing (Angstroms)"), Some(Spacing(ang)));
        assert_eq!(kind("d (nm)"), Some(Spacing(nm)));
        assert_eq!(kind("d_A"), Some(Spacing(ang)));
        assert_eq!(kind("d-spacing"), Some(Spacing(None)));
        assert!(matches!(kind("r_mm"), Some(Other(_))));
        assert!(matches!(kind("d*2_A^-2"), Some(Other(_))));
        assert_eq!(kind("intensity"), None);
    }

    #[test]
    fn wavelengths_need_their_unit() {
        let w = |t: &str| wavelength_in(t).map(|w| w.angstrom);
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9 * b);
        assert!(close(w("Wavelength: 1.0332e-10 m"), 1.0332));
        assert!(close(w("wavelength (nm) = 0.1542"), 1.542));
        assert!(close(w("lambda 1.54 A"), 1.54));
        assert!(close(w("Wavelength: 0.72 Å"), 0.72));
        assert!(close(w("\"wavelength\": 1e-10"), 1.0));
        assert_eq!(w("Wavelength: 1.54"), None);
        assert_eq!(w("no such line"), None);
    }

    #[test]
    fn two_theta_becomes_q_with_the_wavelength() {
        let axis = Axis::decide(
            None,
            None,
            None,
            Some("2th_deg"),
            "Wavelength: 1.5406e-10 m",
        )
        .expect("wavelength in the header");
        // Bragg: d = λ / (2 sin θ) and q = 2π/d; at 2θ = 60°, q = 4π·0.5/λ.
        let q = axis.to_q(60.0);
        assert!(
            (q - 2.0 * std::f64::consts::PI / 1.5406).abs() < 1e-12,
            "{q}"
        );
        assert_eq!(axis.unit_choice(1.0).unit, QUnit::InverseAngstrom);
        let e = Axis::decide(None, None, None, Some("2theta (deg)"), "").unwrap_err();
        assert!(e.to_string().contains("wavelength"), "{e}");
        let user = Axis::decide(None, Some(1.0), None, Some("2theta (deg)"), "").unwrap();
        assert_eq!(user.unit_choice(1.0).origin, UnitOrigin::User);
    }

    #[test]
    fn spacings_are_converted_or_refused() {
        let axis = Axis::decide(None, None, None, Some("D-spacing (Angstroms)"), "").unwrap();
        assert!((axis.to_q(20.0 * std::f64::consts::PI) - 0.1).abs() < 1e-12);
        assert!(axis.reverses());
        let e = Axis::decide(None, None, None, Some("d-spacing"), "").unwrap_err();
        assert!(e.to_string().contains("without a stated unit"), "{e}");
    }
}
