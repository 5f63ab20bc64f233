//! A phase diagram from simulated state points (SCIENCE.md §3.2; Fig. 3c,d, Figs. S17, S19,
//! S21): the fluid's and the crystal's free-energy branches at every depth, their coexistence,
//! the vapour–liquid Maxwell construction, the critical depth, the driving force and honest
//! caveats, as a [`PhaseDiagram`].
//!
//! At each depth ε/kT:
//! 1. **Fluid branch**: the isotherm fitted by [`fluid::fit_isotherm`]; βF/N anchored at ρ_ref
//!    by the path of [`fluid`] (ideal gas → reference isotherm β₀ → β at ρ_ref). At β₀ itself,
//!    and for the purely repulsive depth 0 (another potential, not on the β path), from the
//!    ideal gas along the depth's own isotherm.
//! 2. **Crystal branch**: βP = Σ b_k u^k fitted to the crystal's points; βF/N anchored by the
//!    Frenkel–Ladd value at the same depth, or moved in β from the nearest attractive anchor with
//!    the crystal's ⟨U⟩/N at the anchor's density ([`paths::move_in_depth`]).
//! 3. **Vapour–liquid**: [`maxwell`] on the fluid branch; a loop means two fluid phases.
//! 4. **Gas/liquid–solid** ([`coexistence`], equal βP and βg): with a loop, first the liquid
//!    beyond the liquid binodal against the crystal (kept when its pressure is above the
//!    vapour–liquid one), else the gas below the vapour binodal; without a loop the whole fluid.
//! 5. **Driving force**: |Δμ| = |g_crystal(P_f) − g_fluid(ρ_f)| per particle at each fluid
//!    point's pressure, beside its D_L (Fig. S19).
//!
//! **Critical depth** (NVT P–ρ loops at small N, see docs/thermo.md for why): a depth has a
//! loop when the *simulated* βP falls with density, some ρ_i < ρ_j with βP_i − βP_j above
//! [`LOOP_SIGNIFICANCE`] combined standard errors, among the points up to the path's dense
//! ρ_ref (beyond it the steep dense fluid's noise says nothing about a loop). Read from the data
//! rather than from the fit, so that a polynomial's wiggles never make a loop; the Maxwell
//! construction of the fit is kept only at depths with a loop. The bracket is the deepest depth
//! without a loop below the shallowest with one; the value is its midpoint, the error half its
//! width.
//! The Vliegenthart–Lekkerkerker B₂* = −1.5 estimate of the L–L pair ([`super::virial`]) is
//! given beside it in `method` as a cross-check.
//!
//! **Errors**: every number is recomputed from `resamples` parametric resamples of the inputs
//! (each βP, ⟨U⟩/N and anchor βF/N drawn from a normal distribution with its standard error,
//! Box–Muller with `libm` on ChaCha8, so deterministic from the seed); the error is the spread
//! (standard deviation) of the resampled values that could be computed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::coexistence::{coexistence, maxwell, Branch, Coexistence};
use super::diagram::{
    CoexistencePoint, CriticalDepth, DrivingForcePoint, EquationOfStateFit, Estimate, Isotherm,
    PhaseDiagram, Provenance, StatePoint, Well,
};
use super::eos::{EosFit, EquationOfState, PolynomialPressure, PolynomialZ};
use super::error::ThermoError;
use super::fluid::{self, FluidPath};
use super::paths::{self, SAME_DEPTH};
use super::state_point::{Model, SimulatedPoint};
use super::statistics::mean_error;
use super::virial::{critical_depth_estimate, reduced_b2, second_virial};
use crate::model::barker_henderson::bh_diameter;

/// Combined standard errors by which βP must fall with density to make a loop.
pub const LOOP_SIGNIFICANCE: f64 = 2.0;

/// A crystal's free energy at one state point (from [`super::crystal_free_energy`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrystalAnchor {
    /// ρσ³.
    pub rho: f64,
    /// ε/kT.
    pub depth: f64,
    /// βF/N with its standard error.
    pub beta_f: Estimate,
}

/// Everything a campaign simulated, ready to assemble.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignData {
    /// Narrow or wide.
    pub well: Well,
    /// L : S.
    pub ratio: [u32; 2],
    /// The crystal's name, e.g. "AlB2".
    pub solid: String,
    /// How it was made.
    pub provenance: Provenance,
    /// The fluid's reference isotherm and the density it is carried in β at.
    pub fluid_path: FluidPath,
    /// Every fluid point (all depths).
    pub fluid: Vec<SimulatedPoint>,
    /// Every crystal point (all depths).
    pub crystal: Vec<SimulatedPoint>,
    /// Frenkel–Ladd anchors of the crystal.
    pub crystal_anchors: Vec<CrystalAnchor>,
}

/// Choices of the assembly.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssemblyOptions {
    /// Order K of the crystal's βP = Σ_{k=0}^{K} b_k u^k.
    pub crystal_order: usize,
    /// Parametric resamples for the errors.
    pub resamples: usize,
    /// Seed of the resampling.
    pub seed: u64,
}

impl Default for AssemblyOptions {
    fn default() -> Self {
        Self {
            crystal_order: 2,
            resamples: 40,
            seed: 1,
        }
    }
}

/// βP and ⟨U⟩/N of every point and βF/N of every anchor: the means or one resample.
struct Values {
    fluid_p: Vec<f64>,
    fluid_u: Vec<f64>,
    crystal_p: Vec<f64>,
    crystal_u: Vec<f64>,
    anchors: Vec<f64>,
}

impl Values {
    fn means(data: &CampaignData) -> Self {
        Self {
            fluid_p: data.fluid.iter().map(|p| p.beta_pressure.value).collect(),
            fluid_u: data.fluid.iter().map(|p| p.u_per_particle.value).collect(),
            crystal_p: data.crystal.iter().map(|p| p.beta_pressure.value).collect(),
            crystal_u: data
                .crystal
                .iter()
                .map(|p| p.u_per_particle.value)
                .collect(),
            anchors: data
                .crystal_anchors
                .iter()
                .map(|a| a.beta_f.value)
                .collect(),
        }
    }

    fn resample(data: &CampaignData, rng: &mut ChaCha8Rng) -> Self {
        let mut normal = || {
            let u1: f64 = 1.0 - rng.gen::<f64>();
            let u2: f64 = rng.gen::<f64>();
            (-2.0 * libm::log(u1)).sqrt() * libm::cos(2.0 * std::f64::consts::PI * u2)
        };
        let mut draw = |e: &Estimate| e.value + e.error * normal();
        Self {
            fluid_p: data.fluid.iter().map(|p| draw(&p.beta_pressure)).collect(),
            fluid_u: data.fluid.iter().map(|p| draw(&p.u_per_particle)).collect(),
            crystal_p: data
                .crystal
                .iter()
                .map(|p| draw(&p.beta_pressure))
                .collect(),
            crystal_u: data
                .crystal
                .iter()
                .map(|p| draw(&p.u_per_particle))
                .collect(),
            anchors: data
                .crystal_anchors
                .iter()
                .map(|a| draw(&a.beta_f))
                .collect(),
        }
    }
}

/// What one depth gives.
#[derive(Default)]
struct DepthSolution {
    fluid_fit: Option<EosFit<PolynomialZ>>,
    crystal_fit: Option<EosFit<PolynomialPressure>>,
    vapour_liquid: Option<Coexistence>,
    fluid_solid: Option<Coexistence>,
    /// The largest fall of βP with density in combined standard errors (attractive depths).
    loop_significance: Option<f64>,
    /// (fluid point index, ρ_f, |Δμ|).
    driving: Vec<(usize, f64, f64)>,
    notes: Vec<String>,
}

/// The usable points' indices at `depth`, sorted by density.
fn at_depth(points: &[SimulatedPoint], depth: f64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].usable() && (points[i].depth - depth).abs() < SAME_DEPTH)
        .collect();
    idx.sort_by(|&a, &b| points[a].rho.total_cmp(&points[b].rho));
    idx
}

/// The densest run of `idx` (sorted by density) over which the simulated βP rises: a crystal
/// stretched below its zero-pressure density tears (voids, a fractured lattice) and its
/// pressure stops falling with density; such states are not the crystal's branch.
fn rising(p: &[f64], idx: &[usize]) -> Vec<usize> {
    let mut start = idx.len().saturating_sub(1);
    while start > 0 && p[idx[start - 1]] < p[idx[start]] {
        start -= 1;
    }
    idx[start..].to_vec()
}

/// The lowest density from which the fitted βP rises steadily up to `high` (a low-order fit of
/// a steep crystal branch may turn over at its low end).
fn rising_from(eos: &dyn EquationOfState, low: f64, high: f64) -> f64 {
    const SCAN: usize = 400;
    let h = (high - low) / SCAN as f64;
    let mut k = SCAN;
    while k > 0
        && eos.beta_pressure(low + h * (k - 1) as f64) < eos.beta_pressure(low + h * k as f64)
    {
        k -= 1;
    }
    low + h * k as f64
}

/// (depth, ⟨U⟩/N) of the usable points at density `rho`.
fn energies_at(points: &[SimulatedPoint], u: &[f64], rho: f64) -> Vec<(f64, Estimate)> {
    points
        .iter()
        .zip(u)
        .filter(|(p, _)| p.usable() && (p.rho - rho).abs() < 1e-6 * rho && p.depth > 0.0)
        .map(|(p, &value)| {
            (
                p.depth,
                Estimate {
                    value,
                    error: p.u_per_particle.error,
                },
            )
        })
        .collect()
}

fn fit_fluid(
    points: &[SimulatedPoint],
    p: &[f64],
    idx: &[usize],
) -> Result<EosFit<PolynomialZ>, ThermoError> {
    let (rho, bp, err) = selected(points, p, idx);
    fluid::fit_isotherm(&rho, &bp, &err)
}

/// The densities, the (resampled) pressures `p` and the pressure errors (at least 1e-9) of the
/// points `idx`: what an equation-of-state fit takes.
fn selected(points: &[SimulatedPoint], p: &[f64], idx: &[usize]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let rho = idx.iter().map(|&i| points[i].rho).collect();
    let bp = idx.iter().map(|&i| p[i]).collect();
    let err = idx
        .iter()
        .map(|&i| points[i].beta_pressure.error.max(1e-9))
        .collect();
    (rho, bp, err)
}

fn fit_crystal(
    points: &[SimulatedPoint],
    p: &[f64],
    idx: &[usize],
    order: usize,
) -> Result<EosFit<PolynomialPressure>, ThermoError> {
    let (rho, bp, err) = selected(points, p, idx);
    PolynomialPressure::fit(&rho, &bp, &err, order)
}

/// The largest fall of βP with density among `idx` (sorted by density) up to `rho_max`, in
/// combined standard errors: max over ρ_i < ρ_j of (βP_i − βP_j)/√(σ_i² + σ_j²).
fn loop_significance(points: &[SimulatedPoint], p: &[f64], idx: &[usize], rho_max: f64) -> f64 {
    let inside: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| points[i].rho <= rho_max * (1.0 + 1e-9))
        .collect();
    let mut best = f64::NEG_INFINITY;
    for (a, &i) in inside.iter().enumerate() {
        for &j in &inside[a + 1..] {
            let error = points[i]
                .beta_pressure
                .error
                .hypot(points[j].beta_pressure.error)
                .max(1e-12);
            best = best.max((p[i] - p[j]) / error);
        }
    }
    best
}

/// The crystal's βF/N at its anchor density for `depth`, and that density.
fn crystal_anchor(data: &CampaignData, values: &Values, depth: f64) -> Result<(f64, f64), String> {
    let anchors = &data.crystal_anchors;
    if let Some(k) = anchors
        .iter()
        .position(|a| (a.depth - depth).abs() < SAME_DEPTH)
    {
        return Ok((anchors[k].rho, values.anchors[k]));
    }
    if depth <= 0.0 {
        return Err("no Frenkel–Ladd anchor for the repulsive crystal".to_owned());
    }
    let k = (0..anchors.len())
        .filter(|&k| anchors[k].depth > 0.0)
        .min_by(|&a, &b| {
            (anchors[a].depth - depth)
                .abs()
                .total_cmp(&(anchors[b].depth - depth).abs())
        })
        .ok_or_else(|| "no Frenkel–Ladd anchor for the crystal".to_owned())?;
    let a = anchors[k];
    let energies = energies_at(&data.crystal, &values.crystal_u, a.rho);
    let moved = paths::move_in_depth(
        Estimate {
            value: values.anchors[k],
            error: 0.0,
        },
        a.depth,
        depth,
        &energies,
    )
    .map_err(|e| format!("the crystal cannot be moved in depth: {e}"))?;
    Ok((a.rho, moved.value))
}

/// Everything at one depth for one set of values.
fn solve_depth(
    data: &CampaignData,
    values: &Values,
    reference: Option<&EosFit<PolynomialZ>>,
    depth: f64,
    options: &AssemblyOptions,
) -> DepthSolution {
    let mut out = DepthSolution::default();
    let fluid_idx = at_depth(&data.fluid, depth);
    let crystal_idx = rising(&values.crystal_p, &at_depth(&data.crystal, depth));
    let fractions = fractions(data);
    let fluid_fit = match fit_fluid(&data.fluid, &values.fluid_p, &fluid_idx) {
        Ok(f) => Some(f),
        Err(e) => {
            out.notes
                .push(format!("ε/kT = {depth}: no fluid isotherm ({e})"));
            None
        }
    };
    let crystal_fit = if crystal_idx.len() > options.crystal_order + 1 {
        fit_crystal(
            &data.crystal,
            &values.crystal_p,
            &crystal_idx,
            options.crystal_order,
        )
        .ok()
    } else {
        out.notes.push(format!(
            "ε/kT = {depth}: {} crystal points, too few for its equation of state",
            crystal_idx.len()
        ));
        None
    };
    if let Some(fit) = &fluid_fit {
        let rho_low = data.fluid[fluid_idx[0]].rho;
        let rho_high = data.fluid[fluid_idx[fluid_idx.len() - 1]].rho;
        let own = depth <= 0.0 || (depth - data.fluid_path.depth).abs() < SAME_DEPTH;
        let anchor = if own {
            Ok((rho_low, fit.eos.fluid_free_energy(rho_low, &fractions)))
        } else {
            match reference {
                Some(r) => fluid::free_energy_on_path(
                    &r.eos,
                    &fractions,
                    data.fluid_path,
                    &energies_at(&data.fluid, &values.fluid_u, data.fluid_path.rho),
                    depth,
                )
                .map(|e| (data.fluid_path.rho, e.value))
                .map_err(|e| e.to_string()),
                None => Err("no reference isotherm".to_owned()),
            }
        };
        match anchor {
            Ok((rho_ref, beta_f_ref)) => {
                let branch = Branch {
                    eos: &fit.eos,
                    rho_ref,
                    beta_f_ref,
                    rho_low,
                    rho_high,
                };
                let significance = (depth > 0.0).then(|| {
                    loop_significance(
                        &data.fluid,
                        &values.fluid_p,
                        &fluid_idx,
                        data.fluid_path.rho,
                    )
                });
                out.loop_significance = significance;
                if significance.is_some_and(|s| s > LOOP_SIGNIFICANCE) {
                    match maxwell(&branch) {
                        Ok(Some(vl)) => out.vapour_liquid = Some(vl),
                        Ok(None) => out.notes.push(format!(
                            "ε/kT = {depth}: the simulated βP falls with density but the fitted \
                             isotherm has no loop"
                        )),
                        Err(e) => out
                            .notes
                            .push(format!("ε/kT = {depth}: Maxwell construction failed ({e})")),
                    }
                }
                solve_solid(
                    data,
                    values,
                    depth,
                    &branch,
                    &crystal_fit,
                    &crystal_idx,
                    &mut out,
                );
            }
            Err(e) => out
                .notes
                .push(format!("ε/kT = {depth}: fluid free energy unknown ({e})")),
        }
    }
    out.fluid_fit = fluid_fit;
    out.crystal_fit = crystal_fit;
    out
}

/// Gas/liquid–solid coexistence and the driving force at one depth.
fn solve_solid(
    data: &CampaignData,
    values: &Values,
    depth: f64,
    fluid: &Branch,
    crystal_fit: &Option<EosFit<PolynomialPressure>>,
    crystal_idx: &[usize],
    out: &mut DepthSolution,
) {
    let Some(cfit) = crystal_fit else {
        return;
    };
    let (rho_ref, beta_f_ref) = match crystal_anchor(data, values, depth) {
        Ok(a) => a,
        Err(e) => {
            out.notes.push(format!("ε/kT = {depth}: {e}"));
            return;
        }
    };
    let rho_high = data.crystal[crystal_idx[crystal_idx.len() - 1]].rho;
    let crystal = Branch {
        eos: &cfit.eos,
        rho_ref,
        beta_f_ref,
        rho_low: rising_from(&cfit.eos, data.crystal[crystal_idx[0]].rho, rho_high),
        rho_high,
    };
    let found = match out.vapour_liquid {
        Some(vl) => {
            let liquid = Branch {
                rho_low: vl.rho_b,
                ..*fluid
            };
            let gas = Branch {
                rho_high: vl.rho_a,
                ..*fluid
            };
            match coexistence(&liquid, &crystal) {
                Ok(c) if c.beta_pressure > vl.beta_pressure => Ok(c),
                _ => coexistence(&gas, &crystal),
            }
        }
        None => coexistence(fluid, &crystal),
    };
    match found {
        Ok(c) => out.fluid_solid = Some(c),
        Err(e) => out.notes.push(format!(
            "ε/kT = {depth}: no gas/liquid–solid coexistence found ({e})"
        )),
    }
    let (p_low, p_high) = (
        cfit.eos.beta_pressure(crystal.rho_low),
        cfit.eos.beta_pressure(crystal.rho_high),
    );
    for &i in &at_depth(&data.fluid, depth) {
        let point = &data.fluid[i];
        if point.diffusion_l.is_none() {
            continue;
        }
        let p = fluid.eos.beta_pressure(point.rho);
        if p < p_low || p > p_high {
            continue;
        }
        let rho_c = crystal.density_at(p);
        let dmu = crystal.beta_g(rho_c) - fluid.beta_g(point.rho);
        out.driving.push((i, point.rho, dmu.abs()));
    }
}

/// Mole fractions of the fluid (from its first point's counts).
fn fractions(data: &CampaignData) -> Vec<f64> {
    let counts = data
        .fluid
        .first()
        .map_or_else(|| vec![1], |p| p.counts.clone());
    let n: usize = counts.iter().sum();
    counts.iter().map(|&c| c as f64 / n as f64).collect()
}

/// Every depth's solution for one set of values.
fn solve(
    data: &CampaignData,
    values: &Values,
    depths: &[f64],
    options: &AssemblyOptions,
) -> Vec<DepthSolution> {
    let ref_idx = at_depth(&data.fluid, data.fluid_path.depth);
    let reference = fit_fluid(&data.fluid, &values.fluid_p, &ref_idx).ok();
    depths
        .iter()
        .map(|&d| solve_depth(data, values, reference.as_ref(), d, options))
        .collect()
}

/// The critical depth's bracket and value from the depths' loops and slopes.
fn critical(depths: &[f64], solutions: &[DepthSolution]) -> Option<([f64; 2], Option<f64>)> {
    let significance = |k: usize| solutions[k].loop_significance.filter(|_| depths[k] > 0.0);
    let high_k =
        (0..depths.len()).find(|&k| significance(k).is_some_and(|s| s > LOOP_SIGNIFICANCE))?;
    let high = depths[high_k];
    let low = (0..high_k)
        .rev()
        .find(|&k| significance(k).is_some_and(|s| s <= LOOP_SIGNIFICANCE))
        .map(|k| depths[k]);
    Some(match low {
        Some(low) => ([low, high], Some(0.5 * (low + high))),
        None => ([0.0, high], None),
    })
}

/// The depth with B₂* = −1.5 for the L–L pair of `well` (Vliegenthart–Lekkerkerker).
fn b2_estimate(well: Well) -> Option<f64> {
    let pair = Model::paper(well, 1.0).ok()?.rule.at_sigma(1.0);
    critical_depth_estimate(
        |depth| {
            let d = bh_diameter(&pair, 1.0 / depth)?;
            let b2 = second_virial(|r| pair.energy(r), depth, pair.cutoff())?;
            Ok(reduced_b2(b2, d))
        },
        0.3,
        6.0,
    )
    .ok()
}

/// The spread of `values` (NaN when fewer than two).
fn spread(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    mean_error(values).1 * (values.len() as f64).sqrt()
}

fn estimate(value: f64, resampled: &[f64]) -> Estimate {
    Estimate {
        value,
        error: spread(resampled),
    }
}

fn coexistence_point(depth: f64, c: &Coexistence, resampled: &[Coexistence]) -> CoexistencePoint {
    let pick = |f: fn(&Coexistence) -> f64| resampled.iter().map(f).collect::<Vec<f64>>();
    CoexistencePoint {
        depth,
        rho_low: estimate(c.rho_a, &pick(|x| x.rho_a)),
        rho_high: estimate(c.rho_b, &pick(|x| x.rho_b)),
        pressure: estimate(c.beta_pressure, &pick(|x| x.beta_pressure)),
    }
}

fn state_points(points: &[SimulatedPoint], idx: &[usize]) -> Vec<StatePoint> {
    idx.iter()
        .map(|&i| StatePoint {
            rho: points[i].rho,
            pressure: points[i].beta_pressure,
            u_per_particle: points[i].u_per_particle,
        })
        .collect()
}

fn residual_pairs(
    eos: &dyn EquationOfState,
    points: &[SimulatedPoint],
    idx: &[usize],
) -> Vec<[f64; 2]> {
    idx.iter()
        .map(|&i| {
            let p = &points[i];
            [p.rho, p.beta_pressure.value - eos.beta_pressure(p.rho)]
        })
        .collect()
}

/// Assembles the phase diagram of `data` (see the module docs).
///
/// # Errors
/// [`ThermoError::TooFewPoints`] when there are no fluid points; the failures of single depths
/// become caveats, not errors.
pub fn assemble(
    data: &CampaignData,
    options: &AssemblyOptions,
) -> Result<PhaseDiagram, ThermoError> {
    if data.fluid.is_empty() {
        return Err(ThermoError::TooFewPoints {
            points: 0,
            parameters: fluid::MIN_ORDER + 2,
        });
    }
    let mut depths: Vec<f64> = data.fluid.iter().map(|p| p.depth).collect();
    depths.sort_by(f64::total_cmp);
    depths.dedup_by(|a, b| (*a - *b).abs() < SAME_DEPTH);
    let means = solve(data, &Values::means(data), &depths, options);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let resampled: Vec<Vec<DepthSolution>> = (0..options.resamples)
        .map(|_| solve(data, &Values::resample(data, &mut rng), &depths, options))
        .collect();

    let mut diagram = PhaseDiagram {
        well: data.well,
        ratio: data.ratio,
        solid: data.solid.clone(),
        provenance: data.provenance.clone(),
        depths: depths.clone(),
        gas_solid: Vec::new(),
        vapour_liquid: Vec::new(),
        critical_depth: None,
        isotherms: Vec::new(),
        equations_of_state: Vec::new(),
        driving_force: Vec::new(),
        // Filled by the campaign, which knows the Frenkel–Ladd points it ran.
        crystal_free_energies: Vec::new(),
        caveats: Vec::new(),
    };
    for (k, (&depth, s)) in depths.iter().zip(&means).enumerate() {
        if let Some(c) = &s.fluid_solid {
            let r: Vec<Coexistence> = resampled.iter().filter_map(|x| x[k].fluid_solid).collect();
            diagram.gas_solid.push(coexistence_point(depth, c, &r));
        }
        if let Some(c) = &s.vapour_liquid {
            let r: Vec<Coexistence> = resampled
                .iter()
                .filter_map(|x| x[k].vapour_liquid)
                .collect();
            diagram.vapour_liquid.push(coexistence_point(depth, c, &r));
        }
        for &(i, rho, dmu) in &s.driving {
            let r: Vec<f64> = resampled
                .iter()
                .filter_map(|x| x[k].driving.iter().find(|d| d.0 == i).map(|d| d.2))
                .collect();
            if let Some(d) = data.fluid[i].diffusion_l {
                diagram.driving_force.push(DrivingForcePoint {
                    depth,
                    rho,
                    delta_mu: estimate(dmu, &r),
                    diffusion_l: d,
                });
            }
        }
        let fluid_idx = at_depth(&data.fluid, depth);
        let crystal_idx = at_depth(&data.crystal, depth);
        diagram.isotherms.push(Isotherm {
            depth,
            phase: "fluid".to_owned(),
            points: state_points(&data.fluid, &fluid_idx),
        });
        if !crystal_idx.is_empty() {
            diagram.isotherms.push(Isotherm {
                depth,
                phase: data.solid.clone(),
                points: state_points(&data.crystal, &crystal_idx),
            });
        }
        if let Some(f) = &s.fluid_fit {
            diagram.equations_of_state.push(EquationOfStateFit {
                depth,
                phase: "fluid".to_owned(),
                form: fluid::form(&f.eos),
                coefficients: f.eos.coefficients.clone(),
                chi2_reduced: f.chi2_reduced,
                residuals: residual_pairs(&f.eos, &data.fluid, &fluid_idx),
            });
        }
        if let Some(f) = &s.crystal_fit {
            diagram.equations_of_state.push(EquationOfStateFit {
                depth,
                phase: data.solid.clone(),
                form: format!(
                    "βP = Σ b_k u^k, u = ρ/{:.4}, k = 0..{}",
                    f.eos.scale,
                    f.eos.coefficients.len() - 1
                ),
                coefficients: f.eos.coefficients.clone(),
                chi2_reduced: f.chi2_reduced,
                residuals: residual_pairs(&f.eos, &data.crystal, &crystal_idx),
            });
        }
        diagram.caveats.extend(s.notes.iter().cloned());
    }
    diagram.critical_depth = critical_depth(data, &depths, &means);
    diagram
        .caveats
        .splice(0..0, general_caveats(data, &depths, &means));
    Ok(diagram)
}

fn critical_depth(
    data: &CampaignData,
    depths: &[f64],
    means: &[DepthSolution],
) -> Option<CriticalDepth> {
    let (bracket, value) = critical(depths, means)?;
    let n = data
        .fluid
        .first()
        .map_or(0, |p| p.counts.iter().sum::<usize>());
    let b2 =
        b2_estimate(data.well).map_or_else(|| "not bracketed".to_owned(), |d| format!("{d:.3}"));
    Some(CriticalDepth {
        value: value.map(|v| Estimate {
            value: v,
            error: 0.5 * (bracket[1] - bracket[0]),
        }),
        bracket,
        method: format!(
            "NVT P–ρ isotherms at N = {n}: no loop at ε/kT = {} and a loop at {} (simulated βP \
             falling with density by more than {LOOP_SIGNIFICANCE} standard errors, up to \
             ρσ³ = {}); value the bracket's midpoint, error half its width. Cross-check: the \
             L–L pair's B₂* = −1.5 (Vliegenthart–Lekkerkerker) at ε/kT = {b2}",
            bracket[0], bracket[1], data.fluid_path.rho
        ),
    })
}

fn general_caveats(data: &CampaignData, depths: &[f64], means: &[DepthSolution]) -> Vec<String> {
    let n =
        |points: &[SimulatedPoint]| points.first().map_or(0, |p| p.counts.iter().sum::<usize>());
    let mut out = vec![format!(
        "small systems: {} particles per fluid point and {} per crystal point; coexistence at \
         fixed composition (the fluid's fractionation is ignored, SCIENCE.md §3.2)",
        n(&data.fluid),
        n(&data.crystal)
    )];
    for p in data.fluid.iter().chain(&data.crystal) {
        if !p.usable() {
            out.push(format!(
                "{} at ε/kT = {}, ρσ³ = {:.4} left out: {:?}",
                p.phase, p.depth, p.rho, p.flags
            ));
        }
    }
    let attractive: Vec<(f64, bool)> = depths
        .iter()
        .zip(means)
        .filter(|(d, _)| **d > 0.0)
        .map(|(d, s)| {
            (
                *d,
                s.loop_significance.is_some_and(|x| x > LOOP_SIGNIFICANCE),
            )
        })
        .collect();
    if let Some(&(deepest, _)) = attractive.last() {
        if attractive.iter().all(|(_, l)| !l) {
            out.push(format!(
                "no vapour–liquid loop (no coexistence) at or below ε/kT = {deepest}"
            ));
        } else if let Some(first) = attractive.iter().find(|(_, l)| *l) {
            out.push(format!(
                "no vapour–liquid loop below ε/kT = {}; loops from there on",
                first.0
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thermo::hard_sphere::{CarnahanStarling, SpeedyCrystal, POLSON_DENSITY};

    fn point(phase: &str, rho: f64, depth: f64, p: f64, u: f64) -> SimulatedPoint {
        SimulatedPoint {
            phase: phase.to_owned(),
            counts: vec![256],
            rho,
            depth,
            kt: 1.0,
            beta_pressure: Estimate {
                value: p,
                error: 0.002 * p.abs().max(0.01),
            },
            u_per_particle: Estimate {
                value: u,
                error: 1e-3,
            },
            diffusion_l: Some(Estimate {
                value: 0.1,
                error: 0.01,
            }),
            ordered_fraction: 0.0,
            structure_factor_kmin: 0.1,
            drift: 0.0,
            flags: Vec::new(),
            seed: 0,
            steps: 0,
        }
    }

    /// Hard spheres from their closed forms, as if simulated: the assembly must find their
    /// freezing (βP 11.57, SCIENCE.md §3.3) and no vapour–liquid loop.
    #[test]
    fn hard_sphere_closed_forms_freeze_where_they_should() {
        let cs = CarnahanStarling { diameter: 1.0 };
        let sp = SpeedyCrystal { diameter: 1.0 };
        let fluid: Vec<SimulatedPoint> = (1..=20)
            .map(|i| {
                let r = 0.05 * f64::from(i);
                point("fluid", r, 1.0, cs.beta_pressure(r), 0.0)
            })
            .collect();
        let crystal: Vec<SimulatedPoint> = (0..8)
            .map(|i| {
                let r = 1.0 + 0.025 * f64::from(i);
                point("fcc", r, 1.0, sp.beta_pressure(r), 0.0)
            })
            .collect();
        let excess = crate::thermo::hard_sphere::POLSON_EXCESS;
        let data = CampaignData {
            well: Well::Narrow,
            ratio: [1, 0],
            solid: "fcc".to_owned(),
            provenance: Provenance {
                command: "closed forms".to_owned(),
                commit: String::new(),
                n: 256,
                quality: "fast".to_owned(),
                seed: 0,
                wall_s: 0.0,
            },
            fluid_path: FluidPath {
                depth: 1.0,
                rho: 0.5,
            },
            fluid,
            crystal,
            crystal_anchors: vec![CrystalAnchor {
                rho: POLSON_DENSITY,
                depth: 1.0,
                beta_f: Estimate {
                    value: POLSON_DENSITY.ln() - 1.0 + excess,
                    error: 0.002,
                },
            }],
        };
        let options = AssemblyOptions {
            crystal_order: 3,
            resamples: 10,
            seed: 3,
        };
        let diagram = assemble(&data, &options).unwrap();
        assert_eq!(diagram.gas_solid.len(), 1, "{:?}", diagram.caveats);
        let c = diagram.gas_solid[0];
        assert!((c.pressure.value - 11.57).abs() < 0.2, "{c:?}");
        assert!(c.pressure.error > 0.0 && c.pressure.error < 0.5);
        assert!(diagram.vapour_liquid.is_empty() && diagram.critical_depth.is_none());
        assert_eq!(diagram.isotherms.len(), 2);
        assert_eq!(diagram.equations_of_state.len(), 2);
        assert!(!diagram.driving_force.is_empty());
        assert!(diagram.caveats[0].contains("256 particles"));
        // deterministic from the seed
        assert_eq!(assemble(&data, &options).unwrap(), diagram);
    }
}
