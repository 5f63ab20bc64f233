//! The crystal catalogue: every structure the product knows as data (freud's `UnitCell`: a
//! lattice plus a basis), read by the lattice builder (periodic crystals and seeds), the
//! crystal classifiers and the SAXS fitter. A new structure is a new entry here, or a small
//! TOML/JSON file read by [`Crystal::from_text`].
//!
//! An entry holds:
//! - the lattice family: cubic (edges a, a, a) or hexagonal (a, a, c at γ = 120°, with
//!   a₁ = a(1, 0, 0), a₂ = a(−½, √3/2, 0), a₃ = c(0, 0, 1)); c/a is the one free parameter
//!   besides a, with a default and the range the SAXS search scans;
//! - the basis in fractional coordinates of that cell, each site L (large) or S (small);
//! - the bond definitions b_LL, b_SS, b_LS: the shortest distance between sites of the two
//!   species, or a fixed multiple of a where the paper defines it so (AlB₂'s b_LL = a and
//!   NaZn₁₃'s bonds, SCIENCE.md §5); a crystal of L only takes b_LL for all three. Gaps follow as
//!   d_ij = b_ij − σ_i/2 − σ_j/2 ([`crate::saxs::derived`]);
//! - the default classifier where one exists (SCIENCE.md §2).
//!
//! Sites of the built-in entries (Wyckoff positions at their ideal values, L = the larger
//! ion of the name's compound where it is binary):
//!
//! | name | lattice | L | S | default c/a |
//! |---|---|---|---|---|
//! | sc | cubic | (0,0,0) | — | |
//! | bcc | cubic | (0,0,0), (½,½,½) | — | |
//! | fcc | cubic | (0,0,0) + face centres | — | |
//! | nacl | cubic | fcc sites | fcc sites + (½,0,0) | |
//! | cscl | cubic | (0,0,0) | (½,½,½) | |
//! | aucu3 | cubic | (0,0,0) | face centres | |
//! | cr3si (A15) | cubic | (0,0,0), (½,½,½) | (¼,0,½) and its 6c orbit | |
//! | nazn13 | cubic | 8 at (¼|¾)³ | 104: 8 icosahedra of 13 ([`super::cell`]) | |
//! | hcp | hexagonal | (⅓,⅔,¼), (⅔,⅓,¾) | — | √(8/3) |
//! | alb2 | hexagonal | (0,0,0) | (⅓,⅔,½), (⅔,⅓,½) | 1.0 |
//! | cacu5 | hexagonal | (0,0,0) | 2c (⅓,⅔,0), 3g (½,0,½) | 0.80 |
//! | mgzn2 (C14) | hexagonal | 4f, z = 1/16 | 2a and 6h, x = −1/6 | √(8/3) |

use super::cell::{nazn13_basis, Site, Species};
use crate::analysis::classify::Classifier;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// The lattice family of a crystal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lattice {
    /// Edges a, a, a at right angles.
    Cubic,
    /// Edges a, a, c; γ = 120° between a₁ and a₂.
    Hexagonal,
}

/// How a bond length is defined.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BondRule {
    /// The shortest distance between sites of the two species (over periodic images).
    Nearest,
    /// A fixed multiple of a.
    TimesA(f64),
}

/// The c/a of a hexagonal crystal: its default and the range the SAXS search scans.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxialRatio {
    /// Default c/a (seeds, built crystals).
    pub default: f64,
    /// Smallest c/a the search scans.
    pub min: f64,
    /// Largest c/a the search scans.
    pub max: f64,
}

/// One crystal of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crystal {
    /// Short name used on the command line and in results ("alb2").
    pub name: String,
    /// Name shown to people ("AlB₂").
    pub label: String,
    /// Cubic or hexagonal.
    pub lattice: Lattice,
    /// c/a of a hexagonal crystal (`None` for cubic ones).
    pub c_over_a: Option<AxialRatio>,
    /// Sites of the crystallographic cell, fractional coordinates.
    pub basis: Vec<Site>,
    /// b_LL, b_SS, b_LS.
    pub bonds: [BondRule; 3],
    /// Sites of the orthorhombic cell that tiles periodic boxes, when given explicitly
    /// (otherwise derived from the basis, see [`Crystal::orthorhombic_basis`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiling: Option<Vec<Site>>,
    /// The classifier that recognises the crystal in a simulation, where one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classifier: Option<Classifier>,
}

/// The built-in crystals by name (ids of the catalogue; recipes name them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Structure {
    /// Simple cubic, L only.
    Sc,
    /// Body-centred cubic, L only.
    Bcc,
    /// Face-centred cubic, L only.
    Fcc,
    /// Hexagonal close packed, L only.
    Hcp,
    /// Rock salt, L:S = 1:1.
    Nacl,
    /// Caesium chloride, L:S = 1:1.
    Cscl,
    /// AlB₂, hexagonal, L:S = 1:2.
    Alb2,
    /// AuCu₃ (L1₂), L:S = 1:3.
    Aucu3,
    /// Cr₃Si (A15), L:S = 1:3.
    Cr3si,
    /// CaCu₅, hexagonal, L:S = 1:5.
    Cacu5,
    /// MgZn₂ (C14 Laves), hexagonal, L:S = 1:2.
    Mgzn2,
    /// NaZn₁₃, cubic, L:S = 1:13.
    Nazn13,
}

impl Structure {
    /// Every built-in crystal, in the catalogue's order.
    pub const ALL: [Structure; 12] = [
        Self::Sc,
        Self::Bcc,
        Self::Fcc,
        Self::Hcp,
        Self::Nacl,
        Self::Cscl,
        Self::Alb2,
        Self::Aucu3,
        Self::Cr3si,
        Self::Cacu5,
        Self::Mgzn2,
        Self::Nazn13,
    ];

    /// The catalogue entry.
    #[must_use]
    pub fn crystal(self) -> Arc<Crystal> {
        static TABLE: OnceLock<Vec<Arc<Crystal>>> = OnceLock::new();
        let table = TABLE.get_or_init(|| Self::ALL.iter().map(|s| Arc::new(s.build())).collect());
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Arc::clone(&table[i])
    }

    /// The short name ("alb2").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Sc => "sc",
            Self::Bcc => "bcc",
            Self::Fcc => "fcc",
            Self::Hcp => "hcp",
            Self::Nacl => "nacl",
            Self::Cscl => "cscl",
            Self::Alb2 => "alb2",
            Self::Aucu3 => "aucu3",
            Self::Cr3si => "cr3si",
            Self::Cacu5 => "cacu5",
            Self::Mgzn2 => "mgzn2",
            Self::Nazn13 => "nazn13",
        }
    }

    /// The built-in crystal of a short name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim().to_lowercase();
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    fn build(self) -> Crystal {
        use Species::{Large as L, Small as S};
        let nearest = [BondRule::Nearest; 3];
        let (label, lattice, c_over_a, basis, bonds, classifier) = match self {
            Self::Sc => (
                "simple cubic",
                Lattice::Cubic,
                None,
                sites(L, &[[0.0; 3]]),
                nearest,
                None,
            ),
            Self::Bcc => ("bcc", Lattice::Cubic, None, sites(L, &BCC), nearest, None),
            Self::Fcc => (
                "fcc",
                Lattice::Cubic,
                None,
                sites(L, &FCC),
                nearest,
                Some(Classifier::fcc()),
            ),
            Self::Hcp => (
                "hcp",
                Lattice::Hexagonal,
                Some(close_packed()),
                sites(
                    L,
                    &[[1.0 / 3.0, 2.0 / 3.0, 0.25], [2.0 / 3.0, 1.0 / 3.0, 0.75]],
                ),
                nearest,
                None,
            ),
            Self::Nacl => {
                let mut b = sites(L, &FCC);
                b.extend(sites(S, &FCC.map(|f| [f[0] + 0.5, f[1], f[2]].map(wrap))));
                ("NaCl", Lattice::Cubic, None, b, nearest, None)
            }
            Self::Cscl => {
                let mut b = sites(L, &[[0.0; 3]]);
                b.extend(sites(S, &[[0.5; 3]]));
                ("CsCl", Lattice::Cubic, None, b, nearest, None)
            }
            Self::Alb2 => {
                let mut b = sites(L, &[[0.0; 3]]);
                b.extend(sites(
                    S,
                    &[[1.0 / 3.0, 2.0 / 3.0, 0.5], [2.0 / 3.0, 1.0 / 3.0, 0.5]],
                ));
                let ratio = AxialRatio {
                    default: 1.0,
                    min: 0.90,
                    max: 1.15,
                };
                // SCIENCE.md §5: b_LL = a (in-plane, also where c < a).
                let bonds = [BondRule::TimesA(1.0), BondRule::Nearest, BondRule::Nearest];
                (
                    "AlB₂",
                    Lattice::Hexagonal,
                    Some(ratio),
                    b,
                    bonds,
                    Some(Classifier::alb2()),
                )
            }
            Self::Aucu3 => {
                let mut b = sites(L, &[[0.0; 3]]);
                b.extend(sites(S, &FCC[1..]));
                ("AuCu₃", Lattice::Cubic, None, b, nearest, None)
            }
            Self::Cr3si => {
                let mut b = sites(L, &BCC);
                b.extend(sites(
                    S,
                    &[
                        [0.25, 0.0, 0.5],
                        [0.75, 0.0, 0.5],
                        [0.5, 0.25, 0.0],
                        [0.5, 0.75, 0.0],
                        [0.0, 0.5, 0.25],
                        [0.0, 0.5, 0.75],
                    ],
                ));
                ("Cr₃Si (A15)", Lattice::Cubic, None, b, nearest, None)
            }
            Self::Cacu5 => {
                let mut b = sites(L, &[[0.0; 3]]);
                b.extend(sites(
                    S,
                    &[
                        [1.0 / 3.0, 2.0 / 3.0, 0.0],
                        [2.0 / 3.0, 1.0 / 3.0, 0.0],
                        [0.5, 0.0, 0.5],
                        [0.0, 0.5, 0.5],
                        [0.5, 0.5, 0.5],
                    ],
                ));
                let ratio = AxialRatio {
                    default: 0.80,
                    min: 0.70,
                    max: 1.10,
                };
                ("CaCu₅", Lattice::Hexagonal, Some(ratio), b, nearest, None)
            }
            Self::Mgzn2 => {
                let (z, x) = (1.0 / 16.0, -1.0 / 6.0);
                let mut b = sites(
                    L,
                    &[
                        [1.0 / 3.0, 2.0 / 3.0, z],
                        [2.0 / 3.0, 1.0 / 3.0, z + 0.5],
                        [2.0 / 3.0, 1.0 / 3.0, -z],
                        [1.0 / 3.0, 2.0 / 3.0, 0.5 - z],
                    ]
                    .map(|f| f.map(wrap)),
                );
                b.extend(sites(
                    S,
                    &[
                        [0.0, 0.0, 0.0],
                        [0.0, 0.0, 0.5],
                        [x, 2.0 * x, 0.25],
                        [-2.0 * x, -x, 0.25],
                        [x, -x, 0.25],
                        [-x, -2.0 * x, 0.75],
                        [2.0 * x, x, 0.75],
                        [-x, x, 0.75],
                    ]
                    .map(|f| f.map(wrap)),
                ));
                (
                    "MgZn₂ (C14)",
                    Lattice::Hexagonal,
                    Some(close_packed()),
                    b,
                    nearest,
                    None,
                )
            }
            Self::Nazn13 => (
                "NaZn₁₃",
                Lattice::Cubic,
                None,
                nazn13_basis(),
                // SCIENCE.md §5: b_LL = a/2, b_SS = b_LL·0.25664/0.61365, b_LS = b_LL·0.35647/0.61365.
                [
                    BondRule::TimesA(0.5),
                    BondRule::TimesA(0.5 * 0.25664 / 0.61365),
                    BondRule::TimesA(0.5 * 0.35647 / 0.61365),
                ],
                Some(Classifier::nazn13()),
            ),
        };
        let tiling = (self == Self::Alb2).then(alb2_tiling);
        Crystal {
            name: self.name().to_owned(),
            label: label.to_owned(),
            lattice,
            c_over_a,
            basis,
            bonds,
            tiling,
            classifier,
        }
    }
}

const BCC: [[f64; 3]; 2] = [[0.0; 3], [0.5; 3]];
const FCC: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [0.0, 0.5, 0.5],
    [0.5, 0.0, 0.5],
    [0.5, 0.5, 0.0],
];

fn close_packed() -> AxialRatio {
    AxialRatio {
        default: (8.0f64 / 3.0).sqrt(),
        min: 1.50,
        max: 1.75,
    }
}

fn wrap(x: f64) -> f64 {
    x.rem_euclid(1.0)
}

fn sites(species: Species, frac: &[[f64; 3]]) -> Vec<Site> {
    frac.iter().map(|&frac| Site { species, frac }).collect()
}

/// AlB₂'s orthohexagonal cell (a, √3·a, c; 2 L + 4 S) in the order the engine's pinned
/// fingerprints were made with.
fn alb2_tiling() -> Vec<Site> {
    let mut t = sites(Species::Large, &[[0.0, 0.0, 0.0], [0.5, 0.5, 0.0]]);
    t.extend(sites(
        Species::Small,
        &[
            [0.0, 1.0 / 3.0, 0.5],
            [0.5, 1.0 / 6.0, 0.5],
            [0.5, 5.0 / 6.0, 0.5],
            [0.0, 2.0 / 3.0, 0.5],
        ],
    ));
    t
}

/// Why a structure file was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CrystalError {
    /// The text is neither TOML nor JSON of a crystal.
    #[error("structure file: {0}")]
    Syntax(String),
    /// A field has a value that cannot describe a crystal.
    #[error("structure file, field {field}: {message}")]
    Field {
        /// Where.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// Most sites in the basis of a user's crystal (NaZn₁₃ has 112): the fit's cost grows with it.
pub const MAX_BASIS_SITES: usize = 512;
/// Longest name of a user's crystal.
pub const MAX_NAME_CHARS: usize = 64;
/// Range a user's c/a must lie in.
pub const AXIAL_RATIO_LIMITS: (f64, f64) = (0.2, 5.0);
/// Widest c/a range a user's crystal may ask the search to scan (the scan's cost grows with it).
pub const MAX_AXIAL_RATIO_SPAN: f64 = 1.0;

/// A crystal as a user writes it: name, lattice, basis (c/a only for hexagonal lattices).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrystalFile {
    name: String,
    #[serde(default)]
    label: Option<String>,
    lattice: Lattice,
    #[serde(default)]
    c_over_a: Option<AxialRatio>,
    basis: Vec<Site>,
}

impl Crystal {
    /// Reads a user-defined crystal from TOML (or JSON when the text starts with `{`):
    ///
    /// ```toml
    /// name = "my-cscl"
    /// lattice = "cubic"            # or "hexagonal", with c_over_a = { default, min, max }
    /// basis = [ { species = "Large", frac = [0, 0, 0] },
    ///           { species = "Small", frac = [0.5, 0.5, 0.5] } ]
    /// ```
    ///
    /// # Errors
    /// [`CrystalError`] naming the line/column of a syntax error or the field that is wrong.
    pub fn from_text(text: &str) -> Result<Self, CrystalError> {
        let file: CrystalFile = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| CrystalError::Syntax(e.to_string()))?
        } else {
            toml::from_str(text).map_err(|e| CrystalError::Syntax(e.to_string()))?
        };
        let field = |field: &str, message: String| CrystalError::Field {
            field: field.to_owned(),
            message,
        };
        if file.name.trim().is_empty() {
            return Err(field("name", "must not be empty".into()));
        }
        if file.name.chars().count() > MAX_NAME_CHARS {
            return Err(field(
                "name",
                format!(
                    "{} characters; at most {MAX_NAME_CHARS}",
                    file.name.chars().count()
                ),
            ));
        }
        if file.basis.is_empty() {
            return Err(field("basis", "needs at least one site".into()));
        }
        if file.basis.len() > MAX_BASIS_SITES {
            return Err(field(
                "basis",
                format!("{} sites; at most {MAX_BASIS_SITES}", file.basis.len()),
            ));
        }
        for (i, s) in file.basis.iter().enumerate() {
            if s.frac.iter().any(|x| !x.is_finite()) {
                return Err(field(
                    &format!("basis[{i}].frac"),
                    format!("{:?} is not finite", s.frac),
                ));
            }
        }
        if !file.basis.iter().any(|s| s.species == Species::Large) {
            return Err(field("basis", "needs at least one Large site".into()));
        }
        let c_over_a = match (file.lattice, file.c_over_a) {
            (Lattice::Cubic, None) => None,
            (Lattice::Cubic, Some(_)) => {
                return Err(field("c_over_a", "only a hexagonal lattice has c/a".into()))
            }
            (Lattice::Hexagonal, None) => {
                return Err(field(
                    "c_over_a",
                    "a hexagonal lattice needs { default, min, max }".into(),
                ))
            }
            (Lattice::Hexagonal, Some(r)) => {
                let (lo, hi) = AXIAL_RATIO_LIMITS;
                let ok = r.min >= lo
                    && r.min <= r.default
                    && r.default <= r.max
                    && r.max <= hi
                    && r.max - r.min <= MAX_AXIAL_RATIO_SPAN;
                if !ok {
                    return Err(field(
                        "c_over_a",
                        format!(
                            "need {lo} ≤ min ≤ default ≤ max ≤ {hi} and max − min ≤ {MAX_AXIAL_RATIO_SPAN}, got {} ≤ {} ≤ {}",
                            r.min, r.default, r.max
                        ),
                    ));
                }
                Some(r)
            }
        };
        let basis: Vec<Site> = file
            .basis
            .into_iter()
            .map(|s| Site {
                species: s.species,
                frac: s.frac.map(wrap),
            })
            .collect();
        Ok(Self {
            label: file.label.unwrap_or_else(|| file.name.clone()),
            name: file.name,
            lattice: file.lattice,
            c_over_a,
            basis,
            bonds: [BondRule::Nearest; 3],
            tiling: None,
            classifier: None,
        })
    }

    /// Whether c/a is a free parameter (hexagonal lattices).
    #[must_use]
    pub fn has_axial_ratio(&self) -> bool {
        self.lattice == Lattice::Hexagonal
    }

    /// Number of L and S sites in the crystallographic cell.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        let l = self
            .basis
            .iter()
            .filter(|s| s.species == Species::Large)
            .count();
        (l, self.basis.len() - l)
    }

    /// Cartesian lattice vectors of the crystallographic cell at a and c/a.
    #[must_use]
    pub fn lattice_vectors(&self, a: f64, c_over_a: f64) -> [[f64; 3]; 3] {
        match self.lattice {
            Lattice::Cubic => [[a, 0.0, 0.0], [0.0, a, 0.0], [0.0, 0.0, a]],
            Lattice::Hexagonal => [
                [a, 0.0, 0.0],
                [-0.5 * a, 0.5 * 3f64.sqrt() * a, 0.0],
                [0.0, 0.0, a * c_over_a],
            ],
        }
    }

    /// Volume of the crystallographic cell: a³, or (√3/2)·a²·c.
    #[must_use]
    pub fn volume(&self, a: f64, c_over_a: f64) -> f64 {
        match self.lattice {
            Lattice::Cubic => a * a * a,
            Lattice::Hexagonal => 3f64.sqrt() / 2.0 * a * a * a * c_over_a,
        }
    }

    /// The bonds b_LL, b_SS, b_LS at a and c/a (see the module docs).
    #[must_use]
    pub fn bond_lengths(&self, a: f64, c_over_a: f64) -> [f64; 3] {
        let pairs = [
            (Species::Large, Species::Large),
            (Species::Small, Species::Small),
            (Species::Large, Species::Small),
        ];
        let mut out = [0.0; 3];
        for (k, rule) in self.bonds.iter().enumerate() {
            out[k] = match *rule {
                BondRule::TimesA(f) => f * a,
                BondRule::Nearest => self.nearest(pairs[k], a, c_over_a),
            };
        }
        if self.counts().1 == 0 {
            out = [out[0]; 3];
        }
        out
    }

    fn nearest(&self, (x, y): (Species, Species), a: f64, c_over_a: f64) -> f64 {
        let v = self.lattice_vectors(a, c_over_a);
        let mut best = f64::INFINITY;
        for p in self.basis.iter().filter(|s| s.species == x) {
            for q in self.basis.iter().filter(|s| s.species == y) {
                let d = [0, 1, 2].map(|k| {
                    let t = q.frac[k] - p.frac[k];
                    t - t.round()
                });
                for i in -1..=1 {
                    for j in -1..=1 {
                        for l in -1..=1 {
                            let f = [
                                d[0] + f64::from(i),
                                d[1] + f64::from(j),
                                d[2] + f64::from(l),
                            ];
                            let r =
                                [0, 1, 2].map(|c| f[0] * v[0][c] + f[1] * v[1][c] + f[2] * v[2][c]);
                            let r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
                            if r2 > 1e-12 * a * a {
                                best = best.min(r2);
                            }
                        }
                    }
                }
            }
        }
        best.sqrt()
    }

    /// The orthorhombic cell that tiles periodic boxes: its edges in units of a
    /// ((1, 1, 1) cubic; (1, √3, c/a) hexagonal, the orthohexagonal cell of two
    /// hexagonal cells) and its basis.
    #[must_use]
    pub fn orthorhombic_basis(&self) -> Vec<Site> {
        if let Some(t) = &self.tiling {
            return t.clone();
        }
        match self.lattice {
            Lattice::Cubic => self.basis.clone(),
            Lattice::Hexagonal => {
                // r = x·a₁ + y·a₂ → orthohexagonal fractions (x − y/2, y/2); the second
                // hexagonal cell is the first shifted by (½, ½, 0).
                let mut out = Vec::with_capacity(2 * self.basis.len());
                for shift in [0.0, 0.5] {
                    for s in &self.basis {
                        let [x, y, z] = s.frac;
                        out.push(Site {
                            species: s.species,
                            frac: [wrap(x - y / 2.0 + shift), wrap(y / 2.0 + shift), z],
                        });
                    }
                }
                out
            }
        }
    }
}

/// Every crystal of the built-in catalogue.
#[must_use]
pub fn catalogue() -> Vec<Arc<Crystal>> {
    Structure::ALL.iter().map(|s| s.crystal()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stoichiometries() {
        let expect = [
            (Structure::Sc, (1, 0)),
            (Structure::Bcc, (2, 0)),
            (Structure::Fcc, (4, 0)),
            (Structure::Hcp, (2, 0)),
            (Structure::Nacl, (4, 4)),
            (Structure::Cscl, (1, 1)),
            (Structure::Alb2, (1, 2)),
            (Structure::Aucu3, (1, 3)),
            (Structure::Cr3si, (2, 6)),
            (Structure::Cacu5, (1, 5)),
            (Structure::Mgzn2, (4, 8)),
            (Structure::Nazn13, (8, 104)),
        ];
        for (s, counts) in expect {
            assert_eq!(s.crystal().counts(), counts, "{}", s.name());
            assert_eq!(Structure::parse(s.name()), Some(s));
        }
    }

    #[test]
    fn nearest_neighbour_distances() {
        let b = |s: Structure, rho: f64| s.crystal().bond_lengths(1.0, rho);
        assert!((b(Structure::Fcc, 1.0)[0] - 0.5f64.sqrt()).abs() < 1e-12);
        assert!((b(Structure::Bcc, 1.0)[0] - 0.75f64.sqrt()).abs() < 1e-12);
        assert!((b(Structure::Sc, 1.0)[0] - 1.0).abs() < 1e-12);
        let hcp = b(Structure::Hcp, (8.0f64 / 3.0).sqrt());
        assert!((hcp[0] - 1.0).abs() < 1e-12, "{hcp:?}");
        assert!((b(Structure::Nacl, 1.0)[2] - 0.5).abs() < 1e-12);
        assert!((b(Structure::Cscl, 1.0)[2] - 0.75f64.sqrt()).abs() < 1e-12);
        // A15: S chains along the cube axes at a/2, L–S at a·√5/4.
        let a15 = b(Structure::Cr3si, 1.0);
        assert!((a15[1] - 0.5).abs() < 1e-12 && (a15[2] - 5f64.sqrt() / 4.0).abs() < 1e-12);
        // SCIENCE.md §5 for AlB₂.
        let alb2 = b(Structure::Alb2, 0.99);
        assert!((alb2[1] - 1.0 / 3f64.sqrt()).abs() < 1e-12);
        assert!((alb2[2] - (1.0 / 3.0 + 0.99f64.powi(2) / 4.0).sqrt()).abs() < 1e-12);
        // Ideal C14: every L–L contact at a·√(3/8) within 1 %.
        let c14 = b(Structure::Mgzn2, (8.0f64 / 3.0).sqrt());
        assert!(
            (c14[0] / (3.0f64 / 8.0).sqrt() - 1.0).abs() < 0.01,
            "{c14:?}"
        );
    }

    #[test]
    fn hexagonal_tiling_keeps_the_density() {
        for s in [
            Structure::Hcp,
            Structure::Cacu5,
            Structure::Mgzn2,
            Structure::Alb2,
        ] {
            let c = s.crystal();
            assert_eq!(
                c.orthorhombic_basis().len(),
                2 * c.basis.len(),
                "{}",
                s.name()
            );
        }
    }

    #[test]
    fn user_files_in_toml_and_json() {
        let toml = "name = \"mine\"\nlattice = \"cubic\"\nbasis = [ { species = \"Large\", frac = [0, 0, 0] }, { species = \"Small\", frac = [0.5, 0.5, 0.5] } ]\n";
        let c = Crystal::from_text(toml).expect("toml");
        assert_eq!(c.counts(), (1, 1));
        assert!((c.bond_lengths(2.0, 1.0)[2] - 3f64.sqrt()).abs() < 1e-12);
        let json = r#"{"name":"h","lattice":"hexagonal","c_over_a":{"default":1.6,"min":1.5,"max":1.7},"basis":[{"species":"Large","frac":[0,0,0]}]}"#;
        assert!(Crystal::from_text(json).expect("json").has_axial_ratio());
        let bad = "name = \"x\"\nlattice = \"cubic\"\nbasis = []\n";
        assert!(
            matches!(Crystal::from_text(bad), Err(CrystalError::Field { field, .. }) if field == "basis")
        );
        let syntax = "name = \"x\"\nlattice = cubic\n";
        let err = Crystal::from_text(syntax).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
