//! The lattice peak model fitted to S(q) (SCIENCE.md §5): Lorentzians at the reflections of
//! each phase, positions tied to the phase's a (and c/a for hexagonal crystals), a shared or
//! per-peak half width, on a polynomial background in the scaled variable
//! x = (2q − q_min − q_max)/(q_max − q_min).
//!
//! Position of a peak: q = (2π/a)·sqrt(g + l²/(c/a)²), with g = 4(h² + hk + k²)/3 and the
//! l² term for hexagonal lattices, g = h² + k² + l² and no l² term for cubic ones.
//!
//! **Peak shape and width.** Each peak is L(q) = A·w²/((q − q_hkl)² + w²), half width w,
//! area π·A·w (SCIENCE.md §5); one w per phase (one crystal size, ξ = πK/w, K = 1.0747) or
//! one per peak.
//!
//! **Amplitudes.** Free per peak, or predicted from the structure ([`PhaseSpec::tied`]):
//! A_k = s·I_k/I_max with one scale s per phase and the powder intensity of the peak's
//! families
//!
//! I_k = Σ_families m·|F_hkl(q)|²/q² · exp(−q²·u²),
//!
//! F_hkl = Σ_sites f_s(q)·exp(2πi(hx + ky + lz)) with the sphere amplitudes f_s of the L and S
//! cores ([`crate::lattice::reflections`]), so that extinctions and relative intensities follow
//! from the basis. exp(−q²·u²) is the Debye–Waller factor of isotropic displacements with
//! mean square u² along one axis (u² = ⟨|u|²⟩/3; 0 by default).
//!
//! **Intensity with the form factor** ([`super::form_factor`]). To fit
//! I(q) = scale·P(q)·S(q) + background with P known, the model works on S-space data I/P: the
//! smooth part becomes c₀ + c₁x + c₂x² + b/P(q), b being the constant background of I (one
//! more linear parameter, right after the polynomial's, [`PeakModel::n_background`]);
//! scale = c₀, so S is 1 at the middle of the range apart from its peaks.

use super::form_factor::FormTable;
use crate::lattice::{reflections, CoreDiameters, Crystal, Lattice, Reflection, UnitCell};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use std::sync::Arc;

/// Whether each peak has its own width or all peaks of a phase share one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WidthMode {
    /// One w per phase (one crystal size).
    #[default]
    Shared,
    /// One w per peak; ξ from the phase's isolated reference peak (101 or 200).
    PerPeak,
}

/// One fitted peak: reflection families that coincide for every a and c/a.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeakSpec {
    /// Miller indices of the coinciding families (first = label).
    pub families: Vec<[i32; 3]>,
    /// g of the position formula.
    pub g: f64,
    /// l² of the position formula (0 for cubic cells).
    pub l2: f64,
    /// Relative powder intensity m·|F|²/q²·exp(−q²u²) predicted at the seed (for ordering,
    /// scoring and tied amplitudes).
    pub predicted: f64,
}

impl PeakSpec {
    /// Position at lattice constant `a` and axial ratio `rho` = c/a.
    #[must_use]
    pub fn q(&self, a: f64, rho: f64) -> f64 {
        2.0 * PI / a * (self.g + self.l2 / (rho * rho)).sqrt()
    }
}

/// The peaks of one phase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseSpec {
    /// The crystal.
    pub crystal: Arc<Crystal>,
    /// Peaks fitted, in order of q at the seed.
    pub peaks: Vec<PeakSpec>,
    /// Amplitudes predicted from the structure (one scale) instead of free per peak.
    pub tied: bool,
}

/// Which peaks to fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeakSelection {
    /// Most peaks per phase (the strongest predicted ones in the q range).
    pub max_peaks: usize,
    /// Peaks predicted weaker than this fraction of the strongest in range are left out.
    pub min_relative_intensity: f64,
    /// Mean square displacement u² along one axis for the Debye–Waller factor exp(−q²u²)
    /// of the predicted intensities (squared length unit of the cell).
    pub displacement2: f64,
}

impl Default for PeakSelection {
    fn default() -> Self {
        Self {
            max_peaks: 24,
            min_relative_intensity: 1e-4,
            displacement2: 0.0,
        }
    }
}

fn position_terms(lattice: Lattice, hkl: [i32; 3]) -> (f64, f64) {
    let [h, k, l] = hkl.map(f64::from);
    match lattice {
        Lattice::Hexagonal => (4.0 * (h * h + h * k + k * k) / 3.0, l * l),
        Lattice::Cubic => (h * h + k * k + l * l, 0.0),
    }
}

impl PhaseSpec {
    /// The peaks of `cell` visible in [q_lo, q_hi] (widened by `margin`): present
    /// reflections, families that coincide for every cell merged, the strongest kept.
    #[must_use]
    pub fn for_cell(
        cell: &UnitCell,
        cores: &CoreDiameters,
        q_lo: f64,
        q_hi: f64,
        margin: f64,
        selection: &PeakSelection,
    ) -> Self {
        let list: Vec<Reflection> = reflections(cell, cores, q_hi + margin)
            .into_iter()
            .filter(|r| !r.absent && r.q >= q_lo - margin)
            .collect();
        let mut peaks: Vec<PeakSpec> = Vec::new();
        for r in &list {
            let (g, l2) = position_terms(cell.crystal.lattice, r.hkl);
            let intensity = r.powder_intensity() * libm::exp(-r.q * r.q * selection.displacement2);
            if let Some(p) = peaks.iter_mut().find(|p| p.g == g && p.l2 == l2) {
                p.families.push(r.hkl);
                p.predicted += intensity;
            } else {
                peaks.push(PeakSpec {
                    families: vec![r.hkl],
                    g,
                    l2,
                    predicted: intensity,
                });
            }
        }
        let strongest = peaks.iter().map(|p| p.predicted).fold(0.0, f64::max);
        peaks.retain(|p| p.predicted >= selection.min_relative_intensity * strongest);
        peaks.sort_by(|a, b| b.predicted.total_cmp(&a.predicted));
        peaks.truncate(selection.max_peaks);
        peaks.sort_by(|a, b| (a.g + a.l2).total_cmp(&(b.g + b.l2)));
        // Order by position at the seed.
        let rho = cell.c_over_a;
        peaks.sort_by(|a, b| a.q(1.0, rho).total_cmp(&b.q(1.0, rho)));
        Self {
            crystal: Arc::clone(&cell.crystal),
            peaks,
            tied: false,
        }
    }
}

/// Where each parameter of a phase sits in the parameter vector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhaseLayout {
    /// Index of a.
    pub a: usize,
    /// Index of c/a (AlB₂ only).
    pub rho: Option<usize>,
    /// Index of the shared width (shared mode).
    pub shared_width: Option<usize>,
    /// Index of each peak's amplitude (the phase's one scale repeated when tied).
    pub amplitude: Vec<usize>,
    /// Factor of each peak's amplitude parameter: I_k/I_max when tied, else 1.
    pub relative: Vec<f64>,
    /// Index of each peak's width (the shared index repeated in shared mode).
    pub width: Vec<usize>,
}

/// A complete model: phases, width mode and background.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeakModel {
    /// The phases.
    pub phases: Vec<PhaseSpec>,
    /// Shared or per-peak widths.
    pub widths: WidthMode,
    /// Number of background polynomial coefficients (1 = constant).
    pub background_terms: usize,
    /// q range that scales the background variable.
    pub q_range: (f64, f64),
    /// Parameter layout of each phase (background coefficients come first).
    pub layout: Vec<PhaseLayout>,
    /// The cores' form factor P(q) when I(q) is fitted: the background gains the term b/P(q).
    #[serde(default)]
    pub form_factor: Option<Arc<FormTable>>,
}

impl PeakModel {
    /// Builds the model and its parameter layout.
    #[must_use]
    pub fn new(
        phases: Vec<PhaseSpec>,
        widths: WidthMode,
        background_terms: usize,
        q_range: (f64, f64),
        form_factor: Option<Arc<FormTable>>,
    ) -> Self {
        let mut next = background_terms + usize::from(form_factor.is_some());
        let mut take = || {
            next += 1;
            next - 1
        };
        let mut layout = Vec::with_capacity(phases.len());
        for ph in &phases {
            let a = take();
            let rho = ph.crystal.has_axial_ratio().then(&mut take);
            let shared_width = (widths == WidthMode::Shared).then(&mut take);
            let scale = ph.tied.then(&mut take);
            let strongest = ph.peaks.iter().map(|p| p.predicted).fold(0.0, f64::max);
            let mut amplitude = Vec::new();
            let mut relative = Vec::new();
            let mut width = Vec::new();
            for pk in &ph.peaks {
                match scale {
                    Some(j) => {
                        amplitude.push(j);
                        relative.push(if strongest > 0.0 {
                            pk.predicted / strongest
                        } else {
                            0.0
                        });
                    }
                    None => {
                        amplitude.push(take());
                        relative.push(1.0);
                    }
                }
                width.push(match shared_width {
                    Some(w) => w,
                    None => take(),
                });
            }
            layout.push(PhaseLayout {
                a,
                rho,
                shared_width,
                amplitude,
                relative,
                width,
            });
        }
        Self {
            phases,
            widths,
            background_terms,
            q_range,
            layout,
            form_factor,
        }
    }

    /// Linear background parameters at the start of the parameter vector: the polynomial's
    /// coefficients, then b of I(q) when a form factor is given.
    #[must_use]
    pub fn n_background(&self) -> usize {
        self.background_terms + usize::from(self.form_factor.is_some())
    }

    /// 1/P(q), the basis function of the background b of I(q) (0 without a form factor).
    fn inverse_form(&self, q: f64) -> f64 {
        self.form_factor.as_ref().map_or(0.0, |t| 1.0 / t.at(q))
    }

    /// The term b/P(q) of the background (0 without a form factor).
    #[must_use]
    pub fn flat_term(&self, p: &[f64], q: f64) -> f64 {
        if self.form_factor.is_some() {
            p[self.background_terms] * self.inverse_form(q)
        } else {
            0.0
        }
    }

    /// The model in intensity units at each q: P(q)·values (I = scale·P·S + background),
    /// or the values themselves without a form factor.
    #[must_use]
    pub fn intensity(&self, p: &[f64], q: &[f64]) -> Vec<f64> {
        let v = self.values(p, q);
        match &self.form_factor {
            Some(t) => v.iter().zip(q).map(|(v, &q)| v * t.at(q)).collect(),
            None => v,
        }
    }

    /// Total number of parameters.
    #[must_use]
    pub fn n_params(&self) -> usize {
        self.layout
            .iter()
            .flat_map(|l| {
                [l.a, l.rho.unwrap_or(0)]
                    .into_iter()
                    .chain(l.amplitude.iter().copied())
                    .chain(l.width.iter().copied())
                    .chain(l.shared_width)
            })
            .map(|j| j + 1)
            .fold(self.n_background(), usize::max)
    }

    fn x(&self, q: f64) -> f64 {
        let (lo, hi) = self.q_range;
        if hi > lo {
            (2.0 * q - lo - hi) / (hi - lo)
        } else {
            0.0
        }
    }

    /// The background at q.
    #[must_use]
    pub fn background(&self, p: &[f64], q: f64) -> f64 {
        let x = self.x(q);
        let mut v = 0.0;
        let mut xp = 1.0;
        for c in &p[..self.background_terms] {
            v += c * xp;
            xp *= x;
        }
        v + self.flat_term(p, q)
    }

    /// Axial ratio of phase `i` (1 for cubic phases).
    #[must_use]
    pub fn rho(&self, p: &[f64], i: usize) -> f64 {
        self.layout[i].rho.map_or(1.0, |j| p[j])
    }

    /// Position of peak `k` of phase `i`.
    #[must_use]
    pub fn peak_q(&self, p: &[f64], i: usize, k: usize) -> f64 {
        self.phases[i].peaks[k].q(p[self.layout[i].a], self.rho(p, i))
    }

    /// Every peak's position, amplitude and width at `p`, with the parameter indices and
    /// the derivatives of the position: computed once per parameter vector, not per point.
    fn resolve(&self, p: &[f64]) -> Vec<ResolvedPeak> {
        let mut out = Vec::new();
        for (i, ph) in self.phases.iter().enumerate() {
            let lay = &self.layout[i];
            let (a, rho) = (p[lay.a], self.rho(p, i));
            let two_pi_a = 2.0 * PI / a;
            for (k, pk) in ph.peaks.iter().enumerate() {
                let q0 = pk.q(a, rho);
                out.push(ResolvedPeak {
                    q0,
                    amp: p[lay.amplitude[k]] * lay.relative[k],
                    rel: lay.relative[k],
                    w: p[lay.width[k]],
                    j_amp: lay.amplitude[k],
                    j_width: lay.width[k],
                    j_a: lay.a,
                    j_rho: lay.rho,
                    dq0_da: -q0 / a,
                    dq0_drho: -two_pi_a * two_pi_a * pk.l2 / (rho * rho * rho * q0),
                });
            }
        }
        out
    }

    fn value_resolved(&self, peaks: &[ResolvedPeak], p: &[f64], q: f64) -> f64 {
        let mut v = self.background(p, q);
        for pk in peaks {
            let d = q - pk.q0;
            let w2 = pk.w * pk.w;
            v += pk.amp * w2 / (d * d + w2);
        }
        v
    }

    fn gradient_resolved(
        &self,
        peaks: &[ResolvedPeak],
        p: &[f64],
        q: f64,
        grad: &mut [f64],
    ) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        let x = self.x(q);
        let mut v = 0.0;
        let mut xp = 1.0;
        for j in 0..self.background_terms {
            v += p[j] * xp;
            grad[j] = xp;
            xp *= x;
        }
        if self.form_factor.is_some() {
            let j = self.background_terms;
            let basis = self.inverse_form(q);
            v += p[j] * basis;
            grad[j] = basis;
        }
        for pk in peaks {
            let d = q - pk.q0;
            let w2 = pk.w * pk.w;
            let inv = 1.0 / (d * d + w2);
            let shape = w2 * inv;
            v += pk.amp * shape;
            grad[pk.j_amp] += shape * pk.rel;
            let ai2 = 2.0 * pk.amp * inv * inv;
            grad[pk.j_width] += ai2 * pk.w * d * d;
            let dq0 = ai2 * w2 * d;
            grad[pk.j_a] += dq0 * pk.dq0_da;
            if let Some(jr) = pk.j_rho {
                grad[jr] += dq0 * pk.dq0_drho;
            }
        }
        v
    }

    /// Model value at q (background + all peaks).
    #[must_use]
    pub fn value(&self, p: &[f64], q: f64) -> f64 {
        self.value_resolved(&self.resolve(p), p, q)
    }

    /// Model values at every q (positions computed once).
    #[must_use]
    pub fn values(&self, p: &[f64], q: &[f64]) -> Vec<f64> {
        let peaks = self.resolve(p);
        q.iter()
            .map(|&x| self.value_resolved(&peaks, p, x))
            .collect()
    }

    /// Model value and its gradient with respect to every parameter (written into `grad`).
    pub fn value_and_gradient(&self, p: &[f64], q: f64, grad: &mut [f64]) -> f64 {
        self.gradient_resolved(&self.resolve(p), p, q, grad)
    }

    /// Model values at every q and the Jacobian (row-major, one row of `n_params` per q)
    /// written into `jacobian`.
    pub fn values_and_jacobian(&self, p: &[f64], q: &[f64], jacobian: &mut [f64]) -> Vec<f64> {
        let peaks = self.resolve(p);
        let np = self.n_params();
        q.iter()
            .zip(jacobian.chunks_mut(np))
            .map(|(&x, row)| self.gradient_resolved(&peaks, p, x, row))
            .collect()
    }
}

/// One peak at a given parameter vector.
#[derive(Clone, Copy, Debug)]
struct ResolvedPeak {
    q0: f64,
    amp: f64,
    rel: f64,
    w: f64,
    j_amp: usize,
    j_width: usize,
    j_a: usize,
    j_rho: Option<usize>,
    dq0_da: f64,
    dq0_drho: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let cell = UnitCell::alb2(12.0, 1.02);
        let cores = CoreDiameters::typical_for(&cell);
        let ph1 = PhaseSpec::for_cell(&cell, &cores, 0.3, 2.0, 0.1, &PeakSelection::default());
        let cell2 = UnitCell::nazn13(25.0);
        let ph2 = PhaseSpec::for_cell(
            &cell2,
            &CoreDiameters::typical_for(&cell2),
            0.3,
            2.0,
            0.1,
            &PeakSelection::default(),
        );
        let form = Arc::new(FormTable {
            q: vec![0.3, 1.0, 2.0],
            p: vec![0.9, 0.2, 0.01],
        });
        for (widths, tied, form) in [
            (WidthMode::Shared, false, None),
            (WidthMode::PerPeak, false, None),
            (WidthMode::Shared, true, None),
            (WidthMode::Shared, true, Some(form)),
        ] {
            let (mut a, mut b) = (ph1.clone(), ph2.clone());
            a.tied = tied;
            b.tied = tied;
            let model = PeakModel::new(vec![a, b], widths, 3, (0.3, 2.0), form);
            let n = model.n_params();
            let mut p = vec![0.0; n];
            p[0] = 1.0;
            p[1] = 0.1;
            p[2] = -0.05;
            if model.form_factor.is_some() {
                p[3] = 0.03;
            }
            for (i, lay) in model.layout.iter().enumerate() {
                p[lay.a] = if i == 0 { 12.0 } else { 25.0 };
                if let Some(j) = lay.rho {
                    p[j] = 1.02;
                }
                for (k, &j) in lay.amplitude.iter().enumerate() {
                    p[j] = 1.0 + k as f64 * 0.1;
                }
                for (k, &j) in lay.width.iter().enumerate() {
                    p[j] = 0.02 + 0.001 * k as f64;
                }
            }
            let mut grad = vec![0.0; n];
            let qs = [0.45, 0.8, 1.3];
            let mut jac = vec![0.0; 3 * n];
            let vals = model.values_and_jacobian(&p, &qs, &mut jac);
            for (a, b) in vals.iter().zip(model.values(&p, &qs)) {
                assert!((a - b).abs() <= 1e-12 * a.abs(), "{a} vs {b}");
            }
            for (r, &q) in qs.iter().enumerate() {
                let v = model.value_and_gradient(&p, q, &mut grad);
                assert_eq!(v, vals[r]);
                assert_eq!(&grad[..], &jac[r * n..(r + 1) * n]);
            }
            for &q in &qs {
                let v = model.value_and_gradient(&p, q, &mut grad);
                assert!((v - model.value(&p, q)).abs() < 1e-12);
                for j in 0..n {
                    let h = 1e-6 * p[j].abs().max(1e-3);
                    let mut pp = p.clone();
                    pp[j] += h;
                    let mut pm = p.clone();
                    pm[j] -= h;
                    let fd = (model.value(&pp, q) - model.value(&pm, q)) / (2.0 * h);
                    assert!(
                        (fd - grad[j]).abs() < 1e-5 * (1.0 + fd.abs()),
                        "param {j}: {fd} vs {}",
                        grad[j]
                    );
                }
            }
        }
    }

    #[test]
    fn alb2_peaks_in_range_and_merged() {
        let cell = UnitCell::alb2(10.0, 1.0);
        let cores = CoreDiameters::typical_for(&cell);
        let ph = PhaseSpec::for_cell(&cell, &cores, 0.5, 2.0, 0.0, &PeakSelection::default());
        assert!(ph.peaks.len() >= 7);
        assert!(ph.peaks.iter().any(|p| p.families[0] == [1, 0, 1]));
        let cubic = UnitCell::nazn13(20.0);
        let ph = PhaseSpec::for_cell(
            &cubic,
            &CoreDiameters::typical_for(&cubic),
            0.3,
            2.5,
            0.0,
            &PeakSelection {
                max_peaks: 100,
                min_relative_intensity: 0.0,
                displacement2: 0.0,
            },
        );
        // 600 and 442 share h²+k²+l² = 36: one peak.
        assert!(ph
            .peaks
            .iter()
            .any(|p| p.families.contains(&[6, 0, 0]) && p.families.contains(&[4, 4, 2])));
    }
}
