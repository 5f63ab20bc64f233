//! Fitting a lattice peak model to one S(q) (SCIENCE.md §5) with any crystal of the catalogue
//! ([`crate::lattice::catalogue`]) as candidate.
//!
//! Automatic mode: every candidate is searched (seeds: lattices placing strong reflections on
//! the observed peaks, [`super::search`]); candidates whose best seed explains the data much
//! worse than the best one are pruned; the others are refined by Levenberg–Marquardt with
//! amplitudes predicted by the structure (one scale per phase, [`super::peaks`]), and ranked
//! by the Bayesian information criterion (BIC = χ² + k·ln n with known errors, else
//! n·ln(RSS/n) + k·ln n). Structures with the same lattice but different bases (sc, CsCl,
//! AuCu₃) differ only in these intensities. The winner is then refined with free amplitudes
//! (areas, widths and derived parameters as before), and a mixture with a second crystal
//! grown in its residual is kept when its BIC is lower. Every model's χ² and BIC is reported,
//! and the result says plainly when the best model does not explain the pattern
//! ([`super::verdict`]).
//!
//! With a form factor ([`FitOptions::form_factor`]) the data are the measured I(q) and the
//! model is I(q) = scale·P(q)·S(q) + background ([`super::form_factor`]): everything above runs
//! on I/P with errors σ/P, the constant background entering as b/P; scale and background are
//! reported ([`IntensityFit`]) and the fitted curve is in intensity units.

use super::derived::{
    bonds, effective_packing_fraction, gaps, packing_fraction, propagate, Quantity,
};
use super::form_factor::{FormFactor, FormFactorError, FormTable};
use super::lm::{minimize, Problem, Settings};
use super::lorentz::{lorentzian_area, scherrer_size};
use super::peaks::{PeakModel, PeakSelection, PhaseSpec, WidthMode};
use super::read::Pattern;
use super::search::{lattice_seeds, observed_peaks, SearchData};
use super::verdict::{judge, Verdict};
use crate::lattice::{catalogue, hkl_label, CoreDiameters, Crystal, Lattice, Structure, UnitCell};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Which lattice model to fit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelChoice {
    /// Every crystal of the catalogue (and the user's), pruned by the peaks present; the
    /// lowest BIC wins.
    #[default]
    Auto,
    /// One crystal of the catalogue.
    Single(Structure),
    /// Two crystals together.
    Mixture(Structure, Structure),
    /// The user's crystals ([`FitOptions::user_crystals`]) only.
    File,
    /// Polydisperse spheres (dilute cores, no lattice): see [`super::sphere_fit`].
    Sphere,
}

impl ModelChoice {
    /// The choices a menu shows: automatic, each crystal, the paper's mixture, spheres.
    #[must_use]
    pub fn menu() -> Vec<ModelChoice> {
        let mut out = vec![Self::Auto];
        out.extend(Structure::ALL.map(Self::Single));
        out.push(Self::Mixture(Structure::Alb2, Structure::Nazn13));
        out.push(Self::Sphere);
        out
    }

    /// The name used on the command line and in results ("auto", "alb2", "alb2+nazn13").
    #[must_use]
    pub fn name(self) -> String {
        match self {
            ModelChoice::Auto => "auto".to_owned(),
            ModelChoice::Single(s) => s.name().to_owned(),
            ModelChoice::Mixture(x, y) => {
                let mut v = [x.name(), y.name()];
                v.sort_unstable();
                v.join("+")
            }
            ModelChoice::File => "file".to_owned(),
            ModelChoice::Sphere => "sphere".to_owned(),
        }
    }

    /// Parses a name as written by [`Self::name`].
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_lowercase();
        match t.as_str() {
            "auto" => Some(Self::Auto),
            "file" => Some(Self::File),
            "sphere" => Some(Self::Sphere),
            _ => match t.split_once('+') {
                Some((x, y)) => Some(Self::Mixture(Structure::parse(x)?, Structure::parse(y)?)),
                None => Structure::parse(&t).map(Self::Single),
            },
        }
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
    /// Core diameters σ_L, σ_S for gaps, volume fractions and predicted intensities; without
    /// them cores typical of each lattice are assumed for the intensities and only a, c/a,
    /// bonds, ξ and fractions are derived.
    pub cores: Option<CoreDiameters>,
    /// Which reflections become peaks.
    pub selection: PeakSelection,
    /// Step of the c/a scan (the range is the catalogue entry's).
    pub rho_step: f64,
    /// Number of seeds refined per structure.
    pub seeds: usize,
    /// User-defined crystals (structure files): candidates in automatic mode, the only ones
    /// with [`ModelChoice::File`].
    pub user_crystals: Vec<Arc<Crystal>>,
    /// The cores' form factor: the data are I(q) = scale·P(q)·S(q) + background, not S(q).
    pub form_factor: Option<FormFactor>,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            model: ModelChoice::Auto,
            widths: WidthMode::Shared,
            background_terms: 3,
            cores: None,
            selection: PeakSelection::default(),
            rho_step: 0.005,
            seeds: 3,
            user_crystals: Vec::new(),
            form_factor: None,
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
        structure: String,
    },
    /// Values that cannot be fitted (non-finite, or errors ≤ 0).
    #[error("invalid data: {0}")]
    InvalidData(String),
    /// A lattice fit was asked for the sphere model (use `fit_pattern` or `fit_sphere`).
    #[error("the sphere model has no lattice; fit it with the sphere form factor")]
    NotALattice,
    /// The form factor for an I(q) fit cannot be used.
    #[error(transparent)]
    FormFactor(#[from] FormFactorError),
}

/// How a model's amplitudes were set when its χ² was measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Amplitudes {
    /// Free per peak (the reported fit).
    Free,
    /// Predicted by the structure, one scale per phase (the model choice).
    Predicted,
    /// The search's seed only, not refined (pruned: far worse than the best seed).
    Pruned,
}

/// Goodness of one model: χ², χ²_red and BIC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The crystal names, "+"-joined for a mixture ("alb2+nazn13").
    pub model: String,
    /// How the amplitudes were set.
    pub amplitudes: Amplitudes,
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
    /// The crystal's short name ("alb2").
    pub structure: String,
    /// The crystal's name for people ("AlB₂").
    pub label: String,
    /// Lattice constant a.
    pub a: Quantity,
    /// c/a (hexagonal crystals only).
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

/// Scale and background of an I(q) fit, I(q) = scale·P(q)·S(q) + background.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntensityFit {
    /// The form factor used ([`FormFactor::describe`]).
    pub form_factor: String,
    /// scale: I/P where S is 1 (the middle of the q range, peaks aside).
    pub scale: Quantity,
    /// The constant background of I.
    pub background: Quantity,
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
    /// Goodness of every model tried (automatic choice): the reported fit first, then the
    /// candidates by BIC.
    pub compared: Vec<Evidence>,
    /// Whether the model explains the pattern, said plainly; read it before the phases.
    pub verdict: Verdict,
    /// Derived parameters, majority phase first.
    pub phases: Vec<PhaseParameters>,
    /// Number of data points.
    pub n_points: usize,
    /// Why the fit says nothing about a lattice, when it does not: no peak left in the data
    /// (a flat frame), values so large that χ² overflows, or a model through every point with
    /// unknown errors (χ² = 0, so no error can be estimated; the `err` fields are then 0).
    #[serde(default)]
    pub degenerate: Option<String>,
    /// Scale and background when I(q) was fitted with the cores' form factor.
    #[serde(default)]
    pub intensity: Option<IntensityFit>,
}

impl LatticeFit {
    /// The fitted model at each q (in intensity units when I(q) was fitted).
    #[must_use]
    pub fn curve(&self, q: &[f64]) -> Vec<f64> {
        self.model.intensity(&self.params, q)
    }

    /// The model name: the crystal names, "+"-joined for a mixture ("alb2+nazn13").
    #[must_use]
    pub fn name(&self) -> &str {
        &self.evidence.model
    }

    /// Whether the fit explains the pattern (see [`Verdict`]).
    #[must_use]
    pub fn explained(&self) -> bool {
        self.verdict.explained
    }
}

/// The data of a fit with weights (S-space: divided by the form factor when there is one).
struct Data {
    q: Vec<f64>,
    y: Vec<f64>,
    inv_sigma: Vec<f64>,
    known_sigma: bool,
    /// P(q) at `q` when I(q) is fitted.
    form: Option<Arc<FormTable>>,
    /// `y` less an estimate of the background term b/P (peaks are searched in it).
    y_peaks: Vec<f64>,
}

impl Data {
    /// The data of `pattern`, divided by the tabulated `form` factor of the options.
    fn for_fit(pattern: &Pattern, form: Option<&FormFactor>) -> Result<Self, FitError> {
        let table = form.map(|f| f.tabulate(&pattern.q)).transpose()?;
        Self::from_pattern(pattern, table.map(Arc::new))
    }

    fn from_pattern(pattern: &Pattern, form: Option<Arc<FormTable>>) -> Result<Self, FitError> {
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
        let known_sigma = pattern.error.is_some();
        let Some(table) = form else {
            return Ok(Self {
                q: pattern.q.clone(),
                y: pattern.intensity.clone(),
                y_peaks: pattern.intensity.clone(),
                known_sigma,
                inv_sigma,
                form: None,
            });
        };
        // S-space: y/P with errors σ/P; without errors, equal weights in S (σ_I ∝ P).
        let y: Vec<f64> = pattern
            .intensity
            .iter()
            .zip(&table.p)
            .map(|(v, p)| v / p)
            .collect();
        let inv_sigma = if known_sigma {
            inv_sigma.iter().zip(&table.p).map(|(s, p)| s * p).collect()
        } else {
            inv_sigma
        };
        let y_peaks = less_flat_background(&pattern.q, &y, &inv_sigma, &table.p);
        Ok(Self {
            q: pattern.q.clone(),
            y,
            y_peaks,
            known_sigma,
            inv_sigma,
            form: Some(table),
        })
    }

    fn range(&self) -> (f64, f64) {
        (self.q[0], self.q[self.q.len() - 1])
    }
}

/// S-space data less b̂/P, b̂ the background of I from a least-squares fit of
/// c₀ + c₁x + c₂x² + b/P refitted on the points at or below the first fit (peaks lie above
/// the smooth part): b/P grows where P falls, and must not pass for a peak.
fn less_flat_background(q: &[f64], y: &[f64], inv_sigma: &[f64], p: &[f64]) -> Vec<f64> {
    let x = x_scaled(q);
    let columns = vec![
        vec![1.0; q.len()],
        x.clone(),
        x.iter().map(|v| v * v).collect(),
        p.iter().map(|v| 1.0 / v).collect::<Vec<f64>>(),
    ];
    let mut weights: Vec<f64> = inv_sigma.iter().map(|s| s * s).collect();
    let mut flat = 0.0;
    for _ in 0..2 {
        let Some(c) = super::linalg::least_squares(&columns, y, &weights) else {
            break;
        };
        flat = c[3];
        for (i, w) in weights.iter_mut().enumerate() {
            let smooth: f64 = columns.iter().zip(&c).map(|(col, k)| col[i] * k).sum();
            if y[i] > smooth {
                *w = 0.0;
            }
        }
    }
    y.iter().zip(p).map(|(v, p)| v - flat / p).collect()
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
#[derive(Clone)]
struct Candidate {
    model: PeakModel,
    params: Vec<f64>,
    covariance: Option<Vec<f64>>,
    chi2: f64,
    n_free: usize,
    bic: f64,
}

fn model_name(model: &PeakModel) -> String {
    let mut names: Vec<&str> = model
        .phases
        .iter()
        .map(|p| p.crystal.name.as_str())
        .collect();
    names.sort_unstable();
    names.join("+")
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
    let mut linear: Vec<usize> = (0..model.n_background()).collect();
    for lay in &model.layout {
        linear.extend(&lay.amplitude);
    }
    // Tied phases repeat their one scale.
    linear.sort_unstable();
    linear.dedup();
    let mut jac = vec![0.0; np * data.q.len()];
    model.values_and_jacobian(p, &data.q, &mut jac);
    let columns: Vec<Vec<f64>> = linear
        .iter()
        .map(|&j| jac.chunks(np).map(|row| row[j]).collect())
        .collect();
    let weights: Vec<f64> = data.inv_sigma.iter().map(|s| s * s).collect();
    if let Some(coef) = super::linalg::least_squares(&columns, &data.y, &weights) {
        for (c, &j) in linear.iter().enumerate() {
            p[j] = if j < model.n_background() {
                coef[c]
            } else {
                coef[c].max(0.0)
            };
        }
    }
}

fn refine(data: &Data, model: PeakModel, mut p: Vec<f64>) -> Candidate {
    linear_start(data, &model, &mut p);
    let np = model.n_params();
    let (q_lo, q_hi) = data.range();
    let w_min = 0.2 * median_spacing(&data.q);
    let w_max = (q_hi - q_lo) / 4.0;
    let span = data.y.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - data.y.iter().copied().fold(f64::INFINITY, f64::min);
    let mut lower = vec![f64::NEG_INFINITY; np];
    let mut upper = vec![f64::INFINITY; np];
    for (lay, phase) in model.layout.iter().zip(&model.phases) {
        lower[lay.a] = 0.85 * p[lay.a];
        upper[lay.a] = 1.15 * p[lay.a];
        if let (Some(j), Some(r)) = (lay.rho, phase.crystal.c_over_a) {
            // The scan range bounds c/a: at c/a = √3/2 an AlB₂ lattice puts peaks on every
            // position of a cubic one, which must not pass as AlB₂.
            lower[j] = r.min - 0.01;
            upper[j] = r.max + 0.01;
        }
        for &j in &lay.amplitude {
            lower[j] = 0.0;
            if !phase.tied {
                // A free peak is no higher than twice the data's span: a peak just outside
                // the range cannot trade a huge amplitude for its tail (broad peaks).
                upper[j] = 2.0 * span;
            }
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

/// Start parameters for phases seeded at the given cells and width (amplitudes predicted by
/// the structure when `tied`).
fn start_model(
    data: &Data,
    cells: &[UnitCell],
    width: f64,
    options: &FitOptions,
    tied: bool,
) -> (PeakModel, Vec<f64>) {
    let (q_lo, q_hi) = data.range();
    let phases: Vec<PhaseSpec> = cells
        .iter()
        .map(|c| {
            let mut spec = PhaseSpec::for_cell(
                c,
                &cores_for(options, c),
                q_lo,
                q_hi,
                3.0 * width,
                &options.selection,
            );
            spec.tied = tied;
            spec
        })
        .collect();
    let model = PeakModel::new(
        phases,
        options.widths,
        options.background_terms,
        (q_lo, q_hi),
        data.form.clone(),
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
    (model, p)
}

fn rho_grid(crystal: &Crystal, step: f64) -> Vec<f64> {
    let Some(r) = crystal.c_over_a else {
        return vec![1.0];
    };
    let (first, last) = (r.min, r.max);
    if step.is_nan() || step <= 0.0 || last.is_nan() || last < first {
        return vec![r.default];
    }
    let n = ((last - first) / step + 1e-9).floor() as usize;
    (0..=n).map(|i| first + step * i as f64).collect()
}

fn x_scaled(q: &[f64]) -> Vec<f64> {
    let (lo, hi) = (q[0], q[q.len() - 1]);
    q.iter().map(|&v| (2.0 * v - lo - hi) / (hi - lo)).collect()
}

/// The seeds of `crystal` for `y` (data or a residual), best first, with their scores (RSS
/// of the seed with predicted intensities), and the half width of the strongest peak.
fn single_phase(
    data: &Data,
    y: &[f64],
    peaks_in: &[f64],
    crystal: &Arc<Crystal>,
    options: &FitOptions,
) -> Result<(Vec<(UnitCell, f64)>, f64), FitError> {
    let observed = observed_peaks(&data.q, peaks_in);
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
    let inverse_form: Option<Vec<f64>> = data
        .form
        .as_ref()
        .map(|t| t.p.iter().step_by(k).map(|p| 1.0 / p).collect());
    let search = SearchData {
        q: &q,
        y: &y,
        weights: &weights,
        x: &x,
        background_terms: options.background_terms,
        inverse_form: inverse_form.as_deref(),
    };
    let seeds = lattice_seeds(
        crystal,
        &search,
        &observed,
        &rho_grid(crystal, options.rho_step),
        width,
        options.seeds.max(1),
        options.cores,
    );
    if seeds.is_empty() {
        return Err(FitError::NoLattice {
            structure: crystal.label.clone(),
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

/// Candidates whose best seed scores worse than this many times the best candidate's are
/// pruned in automatic mode (not refined; their seed χ² is still reported).
const PRUNE_FACTOR: f64 = 10.0;
/// Most candidates refined in automatic mode.
const MAX_REFINED: usize = 6;
/// Second phases refined for a mixture (the best by their seeds in the residual).
const MIXTURE_PARTNERS: usize = 4;

/// One searched candidate: its seeds (best first, with scores) and the peak width.
struct Searched {
    crystal: Arc<Crystal>,
    seeds: Vec<(UnitCell, f64)>,
    width: f64,
}

impl Searched {
    fn best_score(&self) -> f64 {
        self.seeds.first().map_or(f64::INFINITY, |s| s.1)
    }
}

/// The crystals a fit considers.
fn candidates(options: &FitOptions) -> Result<Vec<Arc<Crystal>>, FitError> {
    let user = || options.user_crystals.iter().cloned();
    match options.model {
        ModelChoice::Sphere => Err(FitError::NotALattice),
        ModelChoice::Auto => Ok(catalogue().into_iter().chain(user()).collect()),
        ModelChoice::Single(s) => Ok(vec![s.crystal()]),
        ModelChoice::Mixture(x, y) => Ok(vec![x.crystal(), y.crystal()]),
        ModelChoice::File if options.user_crystals.is_empty() => Err(FitError::InvalidData(
            "the model \"file\" needs a structure file".to_owned(),
        )),
        ModelChoice::File => Ok(user().collect()),
    }
}

/// The seeds of `searched` refined with predicted amplitudes; the best by BIC.
fn refine_predicted(data: &Data, searched: &Searched, options: &FitOptions) -> Option<Candidate> {
    searched
        .seeds
        .iter()
        .map(|(cell, _)| {
            let (model, p) = start_model(
                data,
                std::slice::from_ref(cell),
                searched.width,
                options,
                true,
            );
            refine(data, model, p)
        })
        .min_by(|x, y| x.bic.total_cmp(&y.bic))
}

/// A model with predicted amplitudes refined again with free ones (same peaks, positions
/// and widths; each amplitude starts at its predicted value).
fn freed(data: &Data, tied: &Candidate) -> Candidate {
    let old = &tied.model;
    let phases = old
        .phases
        .iter()
        .map(|ph| PhaseSpec {
            tied: false,
            ..ph.clone()
        })
        .collect();
    let model = PeakModel::new(
        phases,
        old.widths,
        old.background_terms,
        old.q_range,
        old.form_factor.clone(),
    );
    let mut p = vec![0.0; model.n_params()];
    let nb = old.n_background();
    p[..nb].copy_from_slice(&tied.params[..nb]);
    for (new, lay) in model.layout.iter().zip(&old.layout) {
        p[new.a] = tied.params[lay.a];
        if let (Some(j), Some(k)) = (new.rho, lay.rho) {
            p[j] = tied.params[k];
        }
        for k in 0..lay.amplitude.len() {
            p[new.amplitude[k]] = tied.params[lay.amplitude[k]] * lay.relative[k];
            p[new.width[k]] = tied.params[lay.width[k]];
        }
    }
    refine(data, model, p)
}

fn cell_of(c: &Candidate, i: usize) -> UnitCell {
    UnitCell::of(
        Arc::clone(&c.model.phases[i].crystal),
        c.params[c.model.layout[i].a],
        c.model.rho(&c.params, i),
    )
}

/// The mixture grown from `majority` (predicted amplitudes): each partner's seeds found in its
/// residual, refined together with it. With `reject_weak` (automatic mode), a second phase
/// whose seed explains less of the residual than half the BIC penalty of its parameters is
/// not refined at all (early model rejection: refining could not make it win).
fn fit_mixture(
    data: &Data,
    majority: &Candidate,
    partners: &[Arc<Crystal>],
    options: &FitOptions,
    reject_weak: bool,
) -> Option<Candidate> {
    let first = cell_of(majority, 0);
    let residual: Vec<f64> = data
        .q
        .iter()
        .zip(&data.y)
        .zip(majority.model.values(&majority.params, &data.q))
        .map(|((&q, &y), m)| {
            let model = &majority.model;
            y - m + model.background(&majority.params, q) - model.flat_term(&majority.params, q)
        })
        .collect();
    let w_major = majority.params[majority.model.layout[0].width[0]];
    let n = data.q.len() as f64;
    let mut best: Option<Candidate> = None;
    // The partners that best explain the residual, searched all and refined the best few.
    let mut found: Vec<(Vec<(UnitCell, f64)>, f64)> = partners
        .iter()
        .filter(|c| c.name != first.crystal.name)
        .filter_map(|other| single_phase(data, &residual, &residual, other, options).ok())
        .collect();
    found.sort_by(|x, y| {
        let best = |s: &[(UnitCell, f64)]| s.first().map_or(f64::INFINITY, |v| v.1);
        best(&x.0).total_cmp(&best(&y.0))
    });
    for (seeds, width) in found.into_iter().take(MIXTURE_PARTNERS) {
        for (cell, score) in seeds.into_iter().take(2) {
            let (model, mut p) = start_model(data, &[first.clone(), cell], width, options, true);
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
            let c = refine(data, model, p);
            if best.as_ref().is_none_or(|b| c.bic < b.bic) {
                best = Some(c);
            }
        }
    }
    best
}

/// A model with predicted amplitudes, or the same refined with free ones where they earn
/// their parameters (lower BIC): with broad, overlapping peaks free amplitudes trade against
/// a and c/a, and the predicted ones pin the lattice.
fn better_of_free_and_predicted(data: &Data, tied: &Candidate) -> Candidate {
    let free = freed(data, tied);
    if free.bic < tied.bic {
        free
    } else {
        tied.clone()
    }
}

/// The mixture `mix` with each phase's crystal replaced, in turn, by every other candidate on
/// the same lattice (same family, c/a inside its range) at the same a and c/a, refined with
/// predicted amplitudes; the lowest BIC. The residual search places peaks, not intensities:
/// AlB₂ and CaCu₅ (or sc, CsCl and AuCu₃) find the same positions.
fn same_lattice_alternatives(
    data: &Data,
    mix: Candidate,
    crystals: &[Arc<Crystal>],
    options: &FitOptions,
) -> Candidate {
    let cells: Vec<UnitCell> = (0..mix.model.phases.len())
        .map(|i| cell_of(&mix, i))
        .collect();
    let width = mix.params[mix.model.layout[0].width[0]];
    let mut best = mix;
    for (i, cell) in cells.iter().enumerate() {
        for other in crystals {
            let fits_lattice = other.lattice == cell.crystal.lattice
                && other.name != cell.crystal.name
                && other
                    .c_over_a
                    .is_none_or(|r| (r.min - 0.01..=r.max + 0.01).contains(&cell.c_over_a));
            if !fits_lattice || cells.iter().any(|c| c.crystal.name == other.name) {
                continue;
            }
            let mut trial = cells.clone();
            trial[i] = UnitCell::of(Arc::clone(other), cell.a, cell.c_over_a);
            let (model, p) = start_model(data, &trial, width, options, true);
            let c = refine(data, model, p);
            if c.bic < best.bic {
                best = c;
            }
        }
    }
    best
}

/// Whether a fit leaves no peak of the data unexplained.
fn single_explains(data: &Data, c: &Candidate) -> bool {
    let chi2_reduced = evidence(c, data.q.len()).chi2_reduced;
    verdict_of(data, c, chi2_reduced, None)
        .unexplained_peaks
        .is_empty()
}

/// The verdict on candidate `c` against the data ([`judge`]).
fn verdict_of(
    data: &Data,
    c: &Candidate,
    chi2_reduced: f64,
    predicted_chi2_reduced: Option<f64>,
) -> Verdict {
    judge(
        &data.q,
        &data.y,
        &data.inv_sigma,
        data.known_sigma,
        &c.model,
        &c.params,
        chi2_reduced,
        predicted_chi2_reduced,
    )
}

/// Evidence of a candidate known only by its seed (pruned).
fn pruned_evidence(searched: &Searched, data: &Data, background_terms: usize) -> Evidence {
    let n = data.q.len();
    // Background, a, scale, width, and c/a for hexagonal crystals.
    let k = background_terms
        + 3
        + usize::from(searched.crystal.has_axial_ratio())
        + usize::from(data.form.is_some());
    let chi2 = searched.best_score();
    Evidence {
        model: searched.crystal.name.clone(),
        amplitudes: Amplitudes::Pruned,
        chi2,
        chi2_reduced: chi2 / n.saturating_sub(k).max(1) as f64,
        bic: bic(chi2, n, k, data.known_sigma),
        n_params: k,
    }
}

/// Fits a lattice model to one pattern.
///
/// # Errors
/// [`FitError`] when the data are too short or invalid, or no lattice fits.
pub fn fit_lattice(pattern: &Pattern, options: &FitOptions) -> Result<LatticeFit, FitError> {
    let data = Data::for_fit(pattern, options.form_factor.as_ref())?;
    let crystals = candidates(options)?;
    let all = crystals.clone();
    let auto = matches!(options.model, ModelChoice::Auto | ModelChoice::File);
    let mut searched: Vec<Searched> = Vec::new();
    let mut last_error = None;
    for crystal in crystals {
        match single_phase(&data, &data.y, &data.y_peaks, &crystal, options) {
            Ok((seeds, width)) => searched.push(Searched {
                crystal,
                seeds,
                width,
            }),
            Err(e) => last_error = Some(e),
        }
    }
    if searched.is_empty() {
        let (q_lo, q_hi) = data.range();
        return Err(last_error.unwrap_or(FitError::NoPeaks { q_lo, q_hi }));
    }
    searched.sort_by(|x, y| x.best_score().total_cmp(&y.best_score()));
    let best_seed = searched[0].best_score();
    let (kept, pruned): (Vec<Searched>, Vec<Searched>) = if auto {
        let mut kept = Vec::new();
        let mut pruned = Vec::new();
        for s in searched {
            if kept.len() < MAX_REFINED && s.best_score() <= PRUNE_FACTOR * best_seed {
                kept.push(s);
            } else {
                pruned.push(s);
            }
        }
        (kept, pruned)
    } else {
        (searched, Vec::new())
    };
    // Model choice with the amplitudes the structures predict.
    let mut ranked: Vec<Candidate> = kept
        .iter()
        .filter_map(|s| refine_predicted(&data, s, options))
        .collect();
    ranked.sort_by(|x, y| x.bic.total_cmp(&y.bic));
    let Some(winner) = ranked.first() else {
        return Err(FitError::NoLattice {
            structure: "any".to_owned(),
        });
    };
    let single = better_of_free_and_predicted(&data, winner);
    let mut predicted = winner.clone();
    let n = data.q.len();
    let best = match options.model {
        ModelChoice::Single(_) => single,
        ModelChoice::Mixture(..) => {
            predicted =
                fit_mixture(&data, winner, &all, options, false).ok_or(FitError::NoLattice {
                    structure: options.model.name(),
                })?;
            better_of_free_and_predicted(&data, &predicted)
        }
        // A second phase only where the first leaves peaks unexplained, grown from each of
        // the two best single phases (the best may have taken a strong peak of the other),
        // both phases with predicted amplitudes, kept when its BIC beats the single phase's.
        _ if single_explains(&data, &single) => single,
        _ => ranked
            .iter()
            .take(2)
            .filter_map(|majority| fit_mixture(&data, majority, &all, options, true))
            .filter(|mix| mix.bic < winner.bic)
            .min_by(|x, y| x.bic.total_cmp(&y.bic))
            .map(|mix| same_lattice_alternatives(&data, mix, &all, options))
            .map_or(single, |mix| {
                let best = better_of_free_and_predicted(&data, &mix);
                predicted = mix;
                best
            }),
    };
    let mut compared = vec![evidence(&best, n)];
    if auto {
        compared.extend(ranked.iter().map(|c| evidence(c, n)));
        compared.extend(
            pruned
                .iter()
                .map(|s| pruned_evidence(s, &data, options.background_terms)),
        );
    }
    let best_is_free = !best.model.phases.iter().any(|p| p.tied);
    if auto && best_is_free && predicted.model.phases.len() > 1 {
        compared.insert(1, evidence(&predicted, n));
    }
    let predicted_chi2_reduced = evidence(&predicted, n).chi2_reduced;
    Ok(finish(
        &data,
        best,
        compared,
        Some(predicted_chi2_reduced),
        options,
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
    let data = Data::for_fit(pattern, options.form_factor.as_ref())?;
    let mut model = previous.model.clone();
    model.form_factor.clone_from(&data.form);
    let c = refine(&data, model, previous.params.clone());
    let ev = evidence(&c, data.q.len());
    Ok(finish(&data, c, vec![ev], None, options))
}

fn evidence(c: &Candidate, n: usize) -> Evidence {
    Evidence {
        model: model_name(&c.model),
        amplitudes: if c.model.phases.iter().any(|p| p.tied) {
            Amplitudes::Predicted
        } else {
            Amplitudes::Free
        },
        chi2: c.chi2,
        chi2_reduced: c.chi2 / n.saturating_sub(c.n_free).max(1) as f64,
        bic: c.bic,
        n_params: c.n_free,
    }
}

fn reference_peak(model: &PeakModel, p: &[f64], i: usize) -> usize {
    // The isolated reference peak: 101 of hexagonal, 200 of cubic crystals (SCIENCE.md §5),
    // else the strongest.
    let target = match model.phases[i].crystal.lattice {
        Lattice::Hexagonal => [1, 0, 1],
        Lattice::Cubic => [2, 0, 0],
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
    data: &Data,
    c: Candidate,
    compared: Vec<Evidence>,
    predicted_chi2_reduced: Option<f64>,
    options: &FitOptions,
) -> LatticeFit {
    let cores = options.cores.as_ref();
    let n = data.q.len();
    let model = &c.model;
    let p = &c.params;
    let cov = c.covariance.as_deref();
    let intensity = match (&options.form_factor, model.form_factor.is_some()) {
        (Some(form), true) => {
            let b = model.background_terms;
            Some(IntensityFit {
                form_factor: form.describe(),
                scale: propagate(&|p: &[f64]| p[0], p, cov),
                background: propagate(&|p: &[f64]| p[b], p, cov),
            })
        }
        _ => None,
    };
    let phase_area = |p: &[f64], i: usize| -> f64 {
        let lay = &model.layout[i];
        lay.amplitude
            .iter()
            .zip(&lay.relative)
            .zip(&lay.width)
            .map(|((&a, &r), &w)| lorentzian_area(p[a] * r, p[w]))
            .sum()
    };
    let total_area = |p: &[f64]| -> f64 { (0..model.phases.len()).map(|i| phase_area(p, i)).sum() };
    let mut phases = Vec::with_capacity(model.phases.len());
    for (i, spec) in model.phases.iter().enumerate() {
        let lay = &model.layout[i];
        let crystal: &Crystal = &spec.crystal;
        let rho_of = |p: &[f64]| lay.rho.map_or(1.0, |j| p[j]);
        let w_index = lay
            .shared_width
            .unwrap_or_else(|| lay.width[reference_peak(model, p, i)]);
        let q = |f: &dyn Fn(&[f64]) -> f64| propagate(f, p, cov);
        let bond = |k: usize| q(&|p: &[f64]| bonds(crystal, p[lay.a], rho_of(p))[k]);
        let with_cores =
            |f: &dyn Fn(&[f64], &CoreDiameters) -> f64| cores.map(|cd| q(&|p: &[f64]| f(p, cd)));
        let gap = |k: usize| {
            with_cores(&|p: &[f64], cd: &CoreDiameters| gaps(crystal, p[lay.a], rho_of(p), cd)[k])
        };
        let peaks = spec
            .peaks
            .iter()
            .enumerate()
            .map(|(k, pk)| {
                let (ja, jw, rel) = (lay.amplitude[k], lay.width[k], lay.relative[k]);
                FittedPeak {
                    hkl: pk.families.clone(),
                    label: pk
                        .families
                        .iter()
                        .map(|h| hkl_label(*h))
                        .collect::<Vec<_>>()
                        .join("/"),
                    q: q(&|p: &[f64]| pk.q(p[lay.a], rho_of(p))),
                    amplitude: q(&|p: &[f64]| p[ja] * rel),
                    width: q(&|p: &[f64]| p[jw]),
                    area: q(&|p: &[f64]| lorentzian_area(p[ja] * rel, p[jw])),
                }
            })
            .collect();
        phases.push(PhaseParameters {
            structure: crystal.name.clone(),
            label: crystal.label.clone(),
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
                packing_fraction(crystal, p[lay.a], rho_of(p), cd)
            }),
            phi_eff: with_cores(&|p: &[f64], cd: &CoreDiameters| {
                let g = gaps(crystal, p[lay.a], rho_of(p), cd);
                effective_packing_fraction(crystal, p[lay.a], rho_of(p), cd, g)
            }),
            peaks,
            model_index: i,
        });
    }
    phases.sort_by(|x, y| y.fraction.value.total_cmp(&x.fraction.value));
    let ev = evidence(&c, n);
    let verdict = verdict_of(data, &c, ev.chi2_reduced, predicted_chi2_reduced);
    let degenerate = degeneracy(data, &c);
    LatticeFit {
        model: c.model,
        params: c.params,
        covariance: c.covariance,
        evidence: ev,
        compared,
        verdict,
        phases,
        n_points: n,
        degenerate,
        intensity,
    }
}
