//! Fitting a lattice peak model to one S(q) (SCIENCE.md §5): seeds from the search, then
//! Levenberg–Marquardt on all parameters; AlB₂, NaZn₁₃ and their mixture compared by χ² and
//! the Bayesian information criterion (BIC = χ² + k·ln n with known errors, else
//! n·ln(RSS/n) + k·ln n); the lowest BIC wins in automatic mode.

use super::derived::{
    bonds, effective_packing_fraction, gaps, packing_fraction, propagate, Quantity,
};
use super::lm::{minimize, Problem, Settings};
use super::lorentz::{lorentzian_area, scherrer_size};
use super::peaks::{PeakModel, PeakSelection, PhaseSpec, WidthMode};
use super::read::Pattern;
use super::search::{lattice_seeds, observed_peaks, SearchData};
use crate::lattice::{hkl_label, CoreDiameters, Structure, UnitCell};
use serde::{Deserialize, Serialize};

/// Which lattice model to fit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelChoice {
    /// Fit all three and keep the lowest BIC.
    #[default]
    Auto,
    /// AlB₂ only.
    Alb2,
    /// NaZn₁₃ only.
    Nazn13,
    /// AlB₂ and NaZn₁₃ together.
    Alb2Nazn13,
    /// Polydisperse spheres (dilute cores, no lattice): see [`super::sphere_fit`].
    Sphere,
}

impl ModelChoice {
    /// Every choice, in the order a menu shows them.
    pub const ALL: [ModelChoice; 5] = [
        Self::Auto,
        Self::Alb2,
        Self::Nazn13,
        Self::Alb2Nazn13,
        Self::Sphere,
    ];

    /// The name used on the command line and in results.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ModelChoice::Auto => "auto",
            ModelChoice::Alb2 => "alb2",
            ModelChoice::Nazn13 => "nazn13",
            ModelChoice::Alb2Nazn13 => "alb2+nazn13",
            ModelChoice::Sphere => "sphere",
        }
    }

    /// Parses a name as written by [`Self::name`].
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.name() == text.trim().to_lowercase())
    }
}

/// Settings of a lattice fit.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// Model to fit.
    pub model: ModelChoice,
    /// Shared or per-peak widths.
    pub widths: WidthMode,
    /// Background polynomial coefficients (3 = quadratic).
    pub background_terms: usize,
    /// Core diameters σ_L, σ_S for gaps and volume fractions (and peak selection); without
    /// them only a, c/a, bonds, ξ and fractions are derived.
    pub cores: Option<CoreDiameters>,
    /// Which reflections become peaks.
    pub selection: PeakSelection,
    /// c/a scan for AlB₂: (first, last, step).
    pub rho_scan: (f64, f64, f64),
    /// Number of seeds refined per structure.
    pub seeds: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            model: ModelChoice::Auto,
            widths: WidthMode::Shared,
            background_terms: 3,
            cores: None,
            selection: PeakSelection::default(),
            rho_scan: (0.90, 1.15, 0.005),
            seeds: 3,
        }
    }
}

/// Why a fit failed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FitError {
    /// Not enough points for the model.
    #[error("{found} data points; need at least {need}")]
    TooFewPoints {
        /// Points in the data.
        found: usize,
        /// Points needed.
        need: usize,
    },
    /// No peak in the data.
    #[error("no peaks found between q = {q_lo} and q = {q_hi}")]
    NoPeaks {
        /// Start of the q range.
        q_lo: f64,
        /// End of the q range.
        q_hi: f64,
    },
    /// No lattice of the structure explains the peaks.
    #[error("no {structure} lattice places reflections on the observed peaks")]
    NoLattice {
        /// The structure tried.
        structure: &'static str,
    },
    /// Values that cannot be fitted (non-finite, or errors ≤ 0).
    #[error("invalid data: {0}")]
    InvalidData(String),
    /// A lattice fit was asked for the sphere model (use `fit_pattern` or `fit_sphere`).
    #[error("the sphere model has no lattice; fit it with the sphere form factor")]
    NotALattice,
}

/// Goodness of one model: χ², χ²_red and BIC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// alb2, nazn13 or alb2+nazn13.
    pub model: String,
    /// χ².
    pub chi2: f64,
    /// χ²/(n − k).
    pub chi2_reduced: f64,
    /// Bayesian information criterion.
    pub bic: f64,
    /// Free parameters k.
    pub n_params: usize,
}

/// A fitted peak.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedPeak {
    /// Miller indices of the coinciding families.
    pub hkl: Vec<[i32; 3]>,
    /// Label, e.g. "101" or "600/442".
    pub label: String,
    /// Position.
    pub q: Quantity,
    /// Lorentzian amplitude A.
    pub amplitude: Quantity,
    /// Half width w.
    pub width: Quantity,
    /// Area π·A·w.
    pub area: Quantity,
}

/// Structural parameters of one fitted phase (lengths in the inverse of the q unit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseParameters {
    /// AlB₂ or NaZn₁₃.
    pub structure: Structure,
    /// Lattice constant a.
    pub a: Quantity,
    /// c/a (AlB₂ only).
    pub c_over_a: Option<Quantity>,
    /// Half width w used for ξ (shared, or the reference peak's).
    pub width: Quantity,
    /// Scherrer crystal size ξ = πK/w.
    pub xi: Quantity,
    /// Share of the summed peak areas.
    pub fraction: Quantity,
    /// Summed peak area of the phase.
    pub area: Quantity,
    /// Bond lengths b_LL, b_SS, b_LS.
    pub b_ll: Quantity,
    /// b_SS.
    pub b_ss: Quantity,
    /// b_LS.
    pub b_ls: Quantity,
    /// Gaps d_LL, d_SS, d_LS (with cores).
    pub d_ll: Option<Quantity>,
    /// d_SS.
    pub d_ss: Option<Quantity>,
    /// d_LS.
    pub d_ls: Option<Quantity>,
    /// Inorganic volume fraction φ (with cores).
    pub phi: Option<Quantity>,
    /// Effective volume fraction φ_eff (with cores; gaps of this fit).
    pub phi_eff: Option<Quantity>,
    /// The peaks of the phase.
    pub peaks: Vec<FittedPeak>,
    /// Index of the phase in the model (phases are listed majority first).
    pub model_index: usize,
}

/// Result of a lattice fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatticeFit {
    /// The model fitted (peaks and parameter layout).
    pub model: PeakModel,
    /// Best parameters.
    pub params: Vec<f64>,
    /// Covariance scaled by χ²_red (row-major), when regular.
    pub covariance: Option<Vec<f64>>,
    /// Goodness of this model.
    pub evidence: Evidence,
    /// Goodness of every model tried (automatic choice), best BIC first.
    pub compared: Vec<Evidence>,
    /// Derived parameters, majority phase first.
    pub phases: Vec<PhaseParameters>,
    /// Number of data points.
    pub n_points: usize,
    /// Why the fit says nothing about a lattice, when it does not: no peak left in the data
    /// (a flat frame), or a model through every point with unknown errors (χ² = 0, so no
    /// error can be estimated; the `err` fields are then 0).
    #[serde(default)]
    pub degenerate: Option<String>,
}

impl LatticeFit {
    /// The fitted model at each q.
    #[must_use]
    pub fn curve(&self, q: &[f64]) -> Vec<f64> {
        self.model.values(&self.params, q)
    }

    /// The model name: alb2, nazn13 or alb2+nazn13.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.evidence.model
    }
}

/// The data of a fit with weights.
struct Data {
    q: Vec<f64>,
    y: Vec<f64>,
    inv_sigma: Vec<f64>,
    known_sigma: bool,
}

impl Data {
    fn from_pattern(pattern: &Pattern) -> Result<Self, FitError> {
        let n = pattern.q.len();
        if n < 10 {
            return Err(FitError::TooFewPoints { found: n, need: 10 });
        }
        if pattern
            .q
            .iter()
            .chain(&pattern.intensity)
            .any(|v| !v.is_finite())
        {
            return Err(FitError::InvalidData(
                "non-finite q or intensity".to_string(),
            ));
        }
        let inv_sigma = match &pattern.error {
            Some(e) if e.len() == n && e.iter().all(|&s| s > 0.0 && s.is_finite()) => {
                e.iter().map(|s| 1.0 / s).collect()
            }
            _ => vec![1.0; n],
        };
        Ok(Self {
            q: pattern.q.clone(),
            y: pattern.intensity.clone(),
            known_sigma: pattern.error.is_some(),
            inv_sigma,
        })
    }

    fn range(&self) -> (f64, f64) {
        (self.q[0], self.q[self.q.len() - 1])
    }
}

struct FitProblem<'a> {
    data: &'a Data,
    model: &'a PeakModel,
}

impl Problem for FitProblem<'_> {
    fn n_points(&self) -> usize {
        self.data.q.len()
    }
    fn n_params(&self) -> usize {
        self.model.n_params()
    }
    fn evaluate(&self, p: &[f64], r: &mut [f64], jacobian: Option<&mut [f64]>) {
        let np = self.model.n_params();
        let values = match jacobian {
            Some(jac) => {
                let v = self.model.values_and_jacobian(p, &self.data.q, jac);
                for (row, s) in jac.chunks_mut(np).zip(&self.data.inv_sigma) {
                    row.iter_mut().for_each(|x| *x *= s);
                }
                v
            }
            None => self.model.values(p, &self.data.q),
        };
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = (self.data.y[i] - values[i]) * self.data.inv_sigma[i];
        }
    }
}

fn bic(chi2: f64, n: usize, k: usize, known_sigma: bool) -> f64 {
    let nf = n as f64;
    let penalty = k as f64 * nf.ln();
    if known_sigma {
        chi2 + penalty
    } else {
        nf * (chi2.max(1e-300) / nf).ln() + penalty
    }
}

/// One fitted candidate before the derived parameters.
struct Candidate {
    model: PeakModel,
    params: Vec<f64>,
    covariance: Option<Vec<f64>>,
    chi2: f64,
    n_free: usize,
    bic: f64,
}

fn model_name(model: &PeakModel) -> String {
    let names: Vec<&str> = model
        .phases
        .iter()
        .map(|p| match p.structure {
            Structure::Alb2 => "alb2",
            Structure::Nazn13 => "nazn13",
            Structure::Fcc => "fcc",
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.join("+")
}

fn median_spacing(q: &[f64]) -> f64 {
    let mut d: Vec<f64> = q.windows(2).map(|w| w[1] - w[0]).collect();
    d.sort_by(f64::total_cmp);
    d.get(d.len() / 2).copied().unwrap_or(1e-3)
}

/// Sets the amplitudes and background of `p` by linear least squares at fixed positions
/// and widths (negative amplitudes clipped to 0).
fn linear_start(data: &Data, model: &PeakModel, p: &mut [f64]) {
    let np = model.n_params();
    let mut linear: Vec<usize> = (0..model.background_terms).collect();
    for lay in &model.layout {
        linear.extend(&lay.amplitude);
    }
    let mut jac = vec![0.0; np * data.q.len()];
    model.values_and_jacobian(p, &data.q, &mut jac);
    let columns: Vec<Vec<f64>> = linear
        .iter()
        .map(|&j| jac.chunks(np).map(|row| row[j]).collect())
        .collect();
    let weights: Vec<f64> = data.inv_sigma.iter().map(|s| s * s).collect();
    if let Some(coef) = super::linalg::least_squares(&columns, &data.y, &weights) {
        for (c, &j) in linear.iter().enumerate() {
            p[j] = if j < model.background_terms {
                coef[c]
            } else {
                coef[c].max(0.0)
            };
        }
    }
}

fn refine(data: &Data, model: PeakModel, mut p: Vec<f64>, options: &FitOptions) -> Candidate {
    linear_start(data, &model, &mut p);
    let np = model.n_params();
    let (q_lo, q_hi) = data.range();
    let w_min = 0.2 * median_spacing(&data.q);
    let w_max = (q_hi - q_lo) / 4.0;
    let mut lower = vec![f64::NEG_INFINITY; np];
    let mut upper = vec![f64::INFINITY; np];
    for lay in &model.layout {
        lower[lay.a] = 0.85 * p[lay.a];
        upper[lay.a] = 1.15 * p[lay.a];
        if let Some(j) = lay.rho {
            // The scan range bounds c/a: at c/a = √3/2 an AlB₂ lattice puts peaks on every
            // position of a cubic one, which must not pass as AlB₂.
            lower[j] = options.rho_scan.0 - 0.01;
            upper[j] = options.rho_scan.1 + 0.01;
        }
        for &j in &lay.amplitude {
            lower[j] = 0.0;
        }
        for &j in &lay.width {
            lower[j] = w_min;
            upper[j] = w_max;
            p[j] = p[j].clamp(w_min, w_max);
        }
    }
    let settings = Settings {
        lower,
        upper,
        fixed: vec![false; np],
        max_iterations: 200,
    };
    let out = minimize(
        &FitProblem {
            data,
            model: &model,
        },
        &p,
        &settings,
    );
    let n = data.q.len();
    Candidate {
        bic: bic(out.chi2, n, out.n_free, data.known_sigma),
        chi2: out.chi2,
        n_free: out.n_free,
        covariance: out.covariance,
        params: out.params,
        model,
    }
}

fn cores_for(options: &FitOptions, cell: &UnitCell) -> CoreDiameters {
    options
        .cores
        .unwrap_or_else(|| CoreDiameters::typical_for(cell))
}

/// Start parameters for phases seeded at the given cells and width; `None` when a phase has
/// no reflection to fit in the q range (e.g. core diameters so large that every structure
/// factor vanishes or is not finite).
fn start_model(
    data: &Data,
    cells: &[UnitCell],
    width: f64,
    options: &FitOptions,
) -> Option<(PeakModel, Vec<f64>)> {
    let (q_lo, q_hi) = data.range();
    let phases: Vec<PhaseSpec> = cells
        .iter()
        .map(|c| {
            PhaseSpec::for_cell(
                c,
                &cores_for(options, c),
                q_lo,
                q_hi,
                3.0 * width,
                &options.selection,
            )
        })
        .collect();
    if phases.iter().any(|ph| ph.peaks.is_empty()) {
        return None;
    }
    let model = PeakModel::new(
        phases,
        options.widths,
        options.background_terms,
        (q_lo, q_hi),
    );
    let mut p = vec![0.0; model.n_params()];
    for (lay, cell) in model.layout.iter().zip(cells) {
        p[lay.a] = cell.a;
        if let Some(j) = lay.rho {
            p[j] = cell.c_over_a;
        }
        for &j in &lay.width {
            p[j] = width;
        }
    }
    Some((model, p))
}

fn rho_grid(options: &FitOptions) -> Vec<f64> {
    let (first, last, step) = options.rho_scan;
    if step.is_nan() || step <= 0.0 || last.is_nan() || last < first {
        return vec![first];
    }
    let n = ((last - first) / step + 1e-9).floor() as usize;
    (0..=n).map(|i| first + step * i as f64).collect()
}

fn x_scaled(q: &[f64]) -> Vec<f64> {
    let (lo, hi) = (q[0], q[q.len() - 1]);
    q.iter().map(|&v| (2.0 * v - lo - hi) / (hi - lo)).collect()
}

/// Best single-phase fit of `structure` to `y` (data or a residual).
fn single_phase(
    data: &Data,
    y: &[f64],
    structure: Structure,
    options: &FitOptions,
) -> Result<(Vec<(UnitCell, f64)>, f64), FitError> {
    let observed = observed_peaks(&data.q, y);
    let Some(first) = observed.first() else {
        let (q_lo, q_hi) = data.range();
        return Err(FitError::NoPeaks { q_lo, q_hi });
    };
    let width = first.hwhm;
    // Every k-th point, keeping at least two per half width: the score only ranks seeds.
    let k = ((width / (2.0 * median_spacing(&data.q))).floor() as usize).clamp(1, 8);
    let pick = |v: &[f64]| -> Vec<f64> { v.iter().step_by(k).copied().collect() };
    let q = pick(&data.q);
    let weights: Vec<f64> = data.inv_sigma.iter().step_by(k).map(|s| s * s).collect();
    let y = pick(y);
    let x = x_scaled(&q);
    let search = SearchData {
        q: &q,
        y: &y,
        weights: &weights,
        x: &x,
        background_terms: options.background_terms,
    };
    let seeds = lattice_seeds(
        structure,
        &search,
        &observed,
        &rho_grid(options),
        width,
        options.seeds.max(1),
    );
    if seeds.is_empty() {
        return Err(FitError::NoLattice {
            structure: if structure == Structure::Alb2 {
                "AlB2"
            } else {
                "NaZn13"
            },
        });
    }
    // Scores scaled back to the full data (k times the points of the subsample).
    Ok((
        seeds
            .into_iter()
            .map(|s| (s.cell, s.score * k as f64))
            .collect(),
        width,
    ))
}

/// Every seed of `structure` refined, in the order of the seed scores.
fn fit_single_seeds(
    data: &Data,
    structure: Structure,
    options: &FitOptions,
) -> Result<Vec<Candidate>, FitError> {
    let (seeds, width) = single_phase(data, &data.y, structure, options)?;
    Ok(seeds
        .into_iter()
        .filter_map(|(cell, _)| start_model(data, &[cell], width, options))
        .map(|(model, p)| refine(data, model, p, options))
        .collect())
}

fn best_of(candidates: Vec<Candidate>) -> Option<Candidate> {
    candidates
        .into_iter()
        .min_by(|x, y| x.bic.total_cmp(&y.bic))
}

fn fit_single(
    data: &Data,
    structure: Structure,
    options: &FitOptions,
) -> Result<Candidate, FitError> {
    best_of(fit_single_seeds(data, structure, options)?).ok_or(FitError::NoLattice {
        structure: if structure == Structure::Alb2 {
            "AlB2"
        } else {
            "NaZn13"
        },
    })
}

fn cell_of(c: &Candidate, i: usize) -> UnitCell {
    let lay = &c.model.layout[i];
    UnitCell {
        structure: c.model.phases[i].structure,
        a: c.params[lay.a],
        c_over_a: c.model.rho(&c.params, i),
    }
}

/// The mixture grown from `majority`: the other structure's seeds found in its residual,
/// refined together with it. With `reject_weak` (automatic mode), a second phase whose
/// seed explains less of the residual than half the BIC penalty of its parameters is not
/// refined at all (early model rejection: refining could not make it win).
fn fit_mixture(
    data: &Data,
    majority: &Candidate,
    options: &FitOptions,
    reject_weak: bool,
) -> Result<Candidate, FitError> {
    let first = cell_of(majority, 0);
    let other = if first.structure == Structure::Alb2 {
        Structure::Nazn13
    } else {
        Structure::Alb2
    };
    let residual: Vec<f64> = data
        .q
        .iter()
        .zip(&data.y)
        .zip(majority.model.values(&majority.params, &data.q))
        .map(|((&q, &y), m)| y - m + majority.model.background(&majority.params, q))
        .collect();
    let (seeds, width) = single_phase(data, &residual, other, options)?;
    let w_major = majority.params[majority.model.layout[0].width[0]];
    let mut best: Option<Candidate> = None;
    let n = data.q.len() as f64;
    for (cell, score) in seeds.into_iter().take(2) {
        let Some((model, mut p)) = start_model(data, &[first, cell], width, options) else {
            continue;
        };
        if reject_weak {
            let extra = model.n_params().saturating_sub(majority.model.n_params()) as f64;
            let gain = if data.known_sigma {
                majority.chi2 - score
            } else {
                n * (majority.chi2.max(1e-300) / score.max(1e-300)).ln()
            };
            if gain < 0.5 * extra * n.ln() {
                continue;
            }
        }
        for &j in &model.layout[0].width {
            p[j] = w_major;
        }
        let c = refine(data, model, p, options);
        if best.as_ref().is_none_or(|b| c.bic < b.bic) {
            best = Some(c);
        }
    }
    best.ok_or(FitError::NoLattice {
        structure: "mixture",
    })
}

/// Fits a lattice model to one pattern.
///
/// # Errors
/// [`FitError`] when the data are too short or invalid, or no lattice fits.
pub fn fit_lattice(pattern: &Pattern, options: &FitOptions) -> Result<LatticeFit, FitError> {
    let data = Data::from_pattern(pattern)?;
    let mut tried: Vec<Candidate> = Vec::new();
    match options.model {
        ModelChoice::Sphere => return Err(FitError::NotALattice),
        ModelChoice::Alb2 => tried.push(fit_single(&data, Structure::Alb2, options)?),
        ModelChoice::Nazn13 => tried.push(fit_single(&data, Structure::Nazn13, options)?),
        ModelChoice::Alb2Nazn13 | ModelChoice::Auto => {
            // Every refined seed of each structure starts a mixture (the second phase found
            // in its residual): the best single fit may have taken a strong peak of the other
            // phase, so growing the mixture only from it is not enough.
            // Early model rejection (automatic mode): the structure whose best seed scores
            // worse is refined from its best seed only when that score is ten times the
            // other's refined χ² (it cannot win, and a mixture grown from it is skipped).
            let mut starts: Vec<Candidate> = Vec::new();
            let mut singles: Vec<Candidate> = Vec::new();
            let mut searched: Vec<(Vec<(UnitCell, f64)>, f64)> =
                [Structure::Alb2, Structure::Nazn13]
                    .into_iter()
                    .filter_map(|s| single_phase(&data, &data.y, s, options).ok())
                    .collect();
            searched.sort_by(|x, y| {
                let best = |v: &[(UnitCell, f64)]| v.first().map_or(f64::INFINITY, |s| s.1);
                best(&x.0).total_cmp(&best(&y.0))
            });
            let mut best_chi2 = f64::INFINITY;
            for (seeds, width) in searched {
                let hopeless = options.model == ModelChoice::Auto
                    && seeds.first().is_some_and(|s| s.1 > 10.0 * best_chi2);
                let keep = if hopeless { 1 } else { seeds.len() };
                let seeds: Vec<Candidate> = seeds
                    .into_iter()
                    .take(keep)
                    .filter_map(|(cell, _)| start_model(&data, &[cell], width, options))
                    .map(|(model, p)| refine(&data, model, p, options))
                    .collect();
                best_chi2 = seeds.iter().map(|c| c.chi2).fold(best_chi2, f64::min);
                {
                    let best = seeds
                        .iter()
                        .enumerate()
                        .min_by(|x, y| x.1.bic.total_cmp(&y.1.bic))
                        .map(|(i, _)| i);
                    for (i, c) in seeds.into_iter().enumerate() {
                        if Some(i) == best {
                            singles.push(c);
                        } else if i < 2 {
                            starts.push(c);
                        }
                    }
                }
            }
            if singles.is_empty() {
                let (q_lo, q_hi) = data.range();
                return Err(FitError::NoPeaks { q_lo, q_hi });
            }
            // Early model rejection (automatic mode): a start ten times worse than the best
            // single fit is that fit with a spurious phase; its mixture is the same as the
            // one grown from the best fit.
            let auto = options.model == ModelChoice::Auto;
            let best_chi2 = singles.iter().map(|c| c.chi2).fold(f64::INFINITY, f64::min);
            let mix = singles
                .iter()
                .chain(&starts)
                .filter(|start| !auto || start.chi2 <= 10.0 * best_chi2)
                .filter_map(|start| fit_mixture(&data, start, options, auto).ok())
                .min_by(|x, y| x.bic.total_cmp(&y.bic))
                .ok_or(FitError::NoLattice {
                    structure: "mixture",
                });
            if options.model == ModelChoice::Auto {
                tried.extend(mix);
                tried.extend(singles);
            } else {
                tried.push(mix?);
            }
        }
    }
    tried.sort_by(|x, y| x.bic.total_cmp(&y.bic));
    let n = data.q.len();
    let compared: Vec<Evidence> = tried.iter().map(|c| evidence(c, n)).collect();
    let best = tried.swap_remove(0);
    let degenerate = degeneracy(&data, &best);
    Ok(finish(
        best,
        compared,
        n,
        options.cores.as_ref(),
        degenerate,
    ))
}

/// Refits a pattern starting from a previous fit (same peaks, same model): the step of a
/// time series.
///
/// # Errors
/// [`FitError`] when the data are too short or invalid.
pub fn refit_lattice(
    pattern: &Pattern,
    previous: &LatticeFit,
    options: &FitOptions,
) -> Result<LatticeFit, FitError> {
    let data = Data::from_pattern(pattern)?;
    let c = refine(
        &data,
        previous.model.clone(),
        previous.params.clone(),
        options,
    );
    let n = data.q.len();
    let ev = evidence(&c, n);
    let degenerate = degeneracy(&data, &c);
    Ok(finish(c, vec![ev], n, options.cores.as_ref(), degenerate))
}

fn evidence(c: &Candidate, n: usize) -> Evidence {
    Evidence {
        model: model_name(&c.model),
        chi2: c.chi2,
        chi2_reduced: c.chi2 / n.saturating_sub(c.n_free).max(1) as f64,
        bic: c.bic,
        n_params: c.n_free,
    }
}

fn reference_peak(model: &PeakModel, p: &[f64], i: usize) -> usize {
    let target = match model.phases[i].structure {
        Structure::Alb2 => [1, 0, 1],
        _ => [2, 0, 0],
    };
    let peaks = &model.phases[i].peaks;
    peaks
        .iter()
        .position(|pk| pk.families.contains(&target))
        .unwrap_or_else(|| {
            let lay = &model.layout[i];
            (0..peaks.len())
                .max_by(|&x, &y| p[lay.amplitude[x]].total_cmp(&p[lay.amplitude[y]]))
                .unwrap_or(0)
        })
}

/// Why candidate `c` says nothing about a lattice (issue #18), if it does not: χ² is not
/// finite (values so large that their squares overflow), its peaks add less than 10⁻⁹ of the
/// data's largest value anywhere (the data have no peak, e.g. a flat frame), or, with unknown
/// errors, it passes through every point (χ² = 0: the covariance, scaled by χ²_red, is zero
/// and no error can be estimated).
fn degeneracy(data: &Data, c: &Candidate) -> Option<String> {
    let scale = data.y.iter().fold(0.0, |m: f64, v| m.max(v.abs()));
    if !c.chi2.is_finite() {
        return Some(format!(
            "chi2 is not finite: values up to {scale:.3e} (or errors this small) overflow the fit; rescale the data"
        ));
    }
    let peaks = data
        .q
        .iter()
        .zip(c.model.values(&c.params, &data.q))
        .map(|(&q, v)| (v - c.model.background(&c.params, q)).abs())
        .fold(0.0, f64::max);
    if peaks.is_nan() || peaks <= 1e-9 * scale {
        return Some(format!(
            "no peaks: the fitted peaks are {peaks:.1e} high against data up to {scale:.3e} (flat data?)"
        ));
    }
    if !data.known_sigma && c.chi2 <= 0.0 {
        return Some(
            "the model passes through every point (chi2 = 0) and the data have no error column: no error can be estimated"
                .into(),
        );
    }
    None
}

fn finish(
    c: Candidate,
    compared: Vec<Evidence>,
    n: usize,
    cores: Option<&CoreDiameters>,
    degenerate: Option<String>,
) -> LatticeFit {
    let model = &c.model;
    let p = &c.params;
    let cov = c.covariance.as_deref();
    let phase_area = |p: &[f64], i: usize| -> f64 {
        let lay = &model.layout[i];
        lay.amplitude
            .iter()
            .zip(&lay.width)
            .map(|(&a, &w)| lorentzian_area(p[a], p[w]))
            .sum()
    };
    let total_area = |p: &[f64]| -> f64 { (0..model.phases.len()).map(|i| phase_area(p, i)).sum() };
    let mut phases = Vec::with_capacity(model.phases.len());
    for (i, spec) in model.phases.iter().enumerate() {
        let lay = &model.layout[i];
        let structure = spec.structure;
        let rho_of = |p: &[f64]| lay.rho.map_or(1.0, |j| p[j]);
        let w_index = lay
            .shared_width
            .unwrap_or_else(|| lay.width[reference_peak(model, p, i)]);
        let q = |f: &dyn Fn(&[f64]) -> f64| propagate(f, p, cov);
        let bond = |k: usize| q(&|p: &[f64]| bonds(structure, p[lay.a], rho_of(p))[k]);
        let with_cores =
            |f: &dyn Fn(&[f64], &CoreDiameters) -> f64| cores.map(|cd| q(&|p: &[f64]| f(p, cd)));
        let gap = |k: usize| {
            with_cores(&|p: &[f64], cd: &CoreDiameters| gaps(structure, p[lay.a], rho_of(p), cd)[k])
        };
        let peaks = spec
            .peaks
            .iter()
            .enumerate()
            .map(|(k, pk)| {
                let (ja, jw) = (lay.amplitude[k], lay.width[k]);
                FittedPeak {
                    hkl: pk.families.clone(),
                    label: pk
                        .families
                        .iter()
                        .map(|h| hkl_label(*h))
                        .collect::<Vec<_>>()
                        .join("/"),
                    q: q(&|p: &[f64]| pk.q(p[lay.a], rho_of(p))),
                    amplitude: q(&|p: &[f64]| p[ja]),
                    width: q(&|p: &[f64]| p[jw]),
                    area: q(&|p: &[f64]| lorentzian_area(p[ja], p[jw])),
                }
            })
            .collect();
        phases.push(PhaseParameters {
            structure,
            a: q(&|p: &[f64]| p[lay.a]),
            c_over_a: lay.rho.map(|j| q(&|p: &[f64]| p[j])),
            width: q(&|p: &[f64]| p[w_index]),
            xi: q(&|p: &[f64]| scherrer_size(p[w_index])),
            fraction: q(&|p: &[f64]| phase_area(p, i) / total_area(p)),
            area: q(&|p: &[f64]| phase_area(p, i)),
            b_ll: bond(0),
            b_ss: bond(1),
            b_ls: bond(2),
            d_ll: gap(0),
            d_ss: gap(1),
            d_ls: gap(2),
            phi: with_cores(&|p: &[f64], cd: &CoreDiameters| {
                packing_fraction(structure, p[lay.a], rho_of(p), cd)
            }),
            phi_eff: with_cores(&|p: &[f64], cd: &CoreDiameters| {
                let g = gaps(structure, p[lay.a], rho_of(p), cd);
                effective_packing_fraction(structure, p[lay.a], rho_of(p), cd, g)
            }),
            peaks,
            model_index: i,
        });
    }
    phases.sort_by(|x, y| y.fraction.value.total_cmp(&x.fraction.value));
    let ev = evidence(&c, n);
    LatticeFit {
        model: c.model,
        params: c.params,
        covariance: c.covariance,
        evidence: ev,
        compared,
        phases,
        n_points: n,
        degenerate,
    }
}
