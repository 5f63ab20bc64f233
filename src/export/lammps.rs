//! A run as a LAMMPS input deck (`in.lammps`) and data file (`data.lammps`), `units lj`.
//!
//! - Pairs: `pair_style mie/cut` (LAMMPS' U = C ε [(σ/r)^γR − (σ/r)^γA], the same C as
//!   SCIENCE.md §1; the purely repulsive form as γA = 0, [`super::engine_mie`]) or `lj/cut`
//!   for the Lennard-Jones and WCA forms, one `pair_coeff` per sub-type pair with σ_ij and the
//!   cut-off r_cut·σ_ij; `pair_modify shift yes` is our shift.
//! - Droplet: `boundary f f f`, a `region … sphere` whose radius is the equal-style variable
//!   `wallr`, and per sub-type i a `fix wall/region … lj126 ε_w σ_i/2 2^(1/6)σ_i/2`: LAMMPS
//!   shifts the wall energy to zero at the cut-off, which is exactly our WCA wall
//!   (crate::model::wall); `fix_modify … energy yes` puts it into `pe`.
//! - Dynamics: `fix nve` (+ `fix langevin kT kT 1/γ seed` for Langevin), or `fix nvt temp kT kT
//!   τ tchain n` for the MTK chain (same masses Q₀ = N_f kT τ², Q_k = kT τ²). The temperature
//!   counts the degrees of freedom as ours does (`compute_modify thermo_temp extra/dof`).
//! - Stages: one `run` each; a compressing stage of a box runs under `fix deform … final`
//!   (edges linear in time, positions remapped), of a droplet with `wallr` linear in `elapsed`.
//! - Output: `thermo` every `log_every` steps (step, T, U, K, E, then P, the virial pressure
//!   and ρ in a box, the wall radius in a droplet) in `log.lammps`, `dump custom` every
//!   `frame_every` steps in `trajectory.lammpstrj`.

use std::fmt::Write as _;

use super::{engine_mie, ExportError, ExportFile, Plan};
use crate::md::config::IntegratorConfig;
use crate::model::potential::PotentialKind;
use crate::model::wall::WCA_CUT;

/// The deck's file name.
pub const INPUT: &str = "in.lammps";
/// The data file's name.
pub const DATA: &str = "data.lammps";
/// The thermo log the deck writes.
pub const LOG: &str = "log.lammps";
/// The trajectory the deck writes.
pub const TRAJECTORY: &str = "trajectory.lammpstrj";

/// A number as LAMMPS reads it back to the same double (shortest round-trip form).
fn num(x: f64) -> String {
    format!("{x:?}")
}

/// The seed LAMMPS' Marsaglia generator accepts (1 ≤ seed ≤ 900,000,000) for ours.
#[must_use]
pub fn lammps_seed(seed: u64) -> u64 {
    seed % 899_999_999 + 1
}

/// Writes the deck and the data file.
///
/// # Errors
/// [`ExportError::Unsupported`] for a pair form LAMMPS lacks (see [`Plan::check_pairs`]).
pub fn write(plan: &Plan) -> Result<Vec<ExportFile>, ExportError> {
    let shift = plan.check_pairs("LAMMPS")?;
    Ok(vec![
        ExportFile {
            name: INPUT,
            bytes: deck(plan, shift).into_bytes(),
        },
        ExportFile {
            name: DATA,
            bytes: data(plan).into_bytes(),
        },
    ])
}

/// Half the edge of the fixed box that holds a droplet: the largest radius plus 1 σ.
fn droplet_half_box(plan: &Plan) -> f64 {
    plan.largest_extent() + 1.0
}

fn data(plan: &Plan) -> String {
    let s = &plan.state;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "LAMMPS data file written by bnsl {} (types: {})\n",
        crate::VERSION,
        s.types.join(" ")
    );
    let _ = writeln!(out, "{} atoms\n{} atom types\n", s.len(), s.types.len());
    let half = match s.geometry.box_lengths() {
        Some(l) => l.map(|x| 0.5 * x),
        None => [droplet_half_box(plan); 3],
    };
    for (k, axis) in ["x", "y", "z"].iter().enumerate() {
        let _ = writeln!(out, "{} {} {axis}lo {axis}hi", num(-half[k]), num(half[k]));
    }
    out.push_str("\nMasses\n\n");
    for (t, name) in s.types.iter().enumerate() {
        let _ = writeln!(
            out,
            "{} 1.0 # {name} d = {}",
            t + 1,
            num(s.type_diameters[t])
        );
    }
    out.push_str("\nAtoms # atomic\n\n");
    for (i, (p, t)) in s.pos.iter().zip(&s.typeid).enumerate() {
        let _ = writeln!(
            out,
            "{} {} {} {} {}",
            i + 1,
            t + 1,
            num(p[0]),
            num(p[1]),
            num(p[2])
        );
    }
    out.push_str("\nVelocities\n\n");
    for (i, v) in s.vel.iter().enumerate() {
        let _ = writeln!(out, "{} {} {} {}", i + 1, num(v[0]), num(v[1]), num(v[2]));
    }
    out
}

fn deck(plan: &Plan, shift: bool) -> String {
    let cfg = &plan.config;
    let s = &plan.state;
    let droplet = plan.droplet();
    let mut d = String::new();
    let _ = writeln!(
        d,
        "# LAMMPS input written by `bnsl export --lammps` (bnsl {}); run: lmp -in {INPUT}\n\
         # {} particles, {} sub-types, {} stages; reduced (lj) units, mass 1, kB = 1.\n",
        crate::VERSION,
        s.len(),
        s.types.len(),
        plan.stages.len()
    );
    let boundary = if droplet { "f f f" } else { "p p p" };
    let _ = writeln!(
        d,
        "units lj\natom_style atomic\nboundary {boundary}\nread_data {DATA}\n"
    );
    let pairs = plan.pairs();
    let rmax = pairs
        .iter()
        .map(|(_, _, p)| p.cutoff())
        .fold(0.0_f64, f64::max);
    let style = match plan.table.potential() {
        PotentialKind::Mie => "mie/cut",
        PotentialKind::LennardJones | PotentialKind::Wca => "lj/cut",
    };
    let _ = writeln!(d, "pair_style {style} {}", num(rmax));
    for (i, j, p) in &pairs {
        let rc = num(p.cutoff());
        let sg = num(p.sigma);
        if style == "mie/cut" {
            let (epsilon, m) = engine_mie(p);
            let _ = writeln!(
                d,
                "pair_coeff {} {} {} {sg} {} {m} {rc}",
                i + 1,
                j + 1,
                num(epsilon),
                p.n
            );
        } else {
            let e = num(p.epsilon);
            let _ = writeln!(d, "pair_coeff {} {} {e} {sg} {rc}", i + 1, j + 1);
        }
    }
    let _ = writeln!(
        d,
        "pair_modify shift {}\nneighbor {} bin\nneigh_modify every 1 delay 0 check yes\n\
         timestep {}\n",
        if shift { "yes" } else { "no" },
        num(cfg.skin),
        num(cfg.dt)
    );
    if let Some(eps_w) = plan.wall_epsilon() {
        let _ = writeln!(
            d,
            "# droplet: WCA wall of range 2^(1/6) sigma_i/2 per sub-type\n\
             variable wallr equal {}\nregion droplet sphere 0 0 0 v_wallr side in",
            num(plan.stages.first().map_or(0.0, |st| st.from[0]))
        );
        for (t, diameter) in s.type_diameters.iter().enumerate() {
            let sigma = 0.5 * diameter;
            let _ = writeln!(
                d,
                "group t{0} type {0}\nfix wall{0} t{0} wall/region droplet lj126 {1} {2} {3}\n\
                 fix_modify wall{0} energy yes virial yes",
                t + 1,
                num(eps_w),
                num(sigma),
                num(WCA_CUT * sigma)
            );
        }
        d.push('\n');
    }
    match cfg.integrator {
        IntegratorConfig::Nve => d.push_str("fix integrate all nve\n"),
        IntegratorConfig::Langevin { gamma } => {
            let _ = writeln!(
                d,
                "fix integrate all nve\nfix thermostat all langevin {0} {0} {1} {2}",
                num(cfg.kt),
                num(1.0 / gamma),
                lammps_seed(cfg.seed)
            );
        }
        IntegratorConfig::Mtk { tau, chain } => {
            let _ = writeln!(
                d,
                "fix integrate all nvt temp {0} {0} {1} tchain {2}",
                num(cfg.kt),
                num(tau),
                chain
            );
        }
    }
    let _ = writeln!(
        d,
        "compute_modify thermo_temp extra/dof {}",
        plan.removed_dof()
    );
    let virial = if droplet {
        ""
    } else {
        "compute vir all pressure NULL virial\n"
    };
    let _ = writeln!(
        d,
        "{virial}thermo_style custom step temp pe ke etotal {}\n\
         thermo_modify norm no format float %.17g\nthermo {}\n\
         dump traj all custom {} {TRAJECTORY} id type x y z vx vy vz\n\
         dump_modify traj sort id format float %.17g\n",
        if droplet {
            "v_wallr"
        } else {
            "press c_vir density"
        },
        cfg.output.log_every.max(1),
        cfg.output.frame_every.max(1)
    );
    for (k, st) in plan.stages.iter().enumerate() {
        let _ = writeln!(d, "# stage {}: {} steps", k + 1, st.steps);
        if !st.compress {
            if droplet {
                let _ = writeln!(d, "variable wallr equal {}", num(st.from[0]));
            }
            let _ = writeln!(d, "run {}\n", st.steps);
        } else if droplet {
            let _ = writeln!(
                d,
                "variable wallr equal \"{} + ({}) * elapsed / {}\"\nrun {}\n",
                num(st.from[0]),
                num(st.to[0] - st.from[0]),
                st.steps.max(1),
                st.steps
            );
        } else {
            let h = st.to.map(|l| 0.5 * l);
            let _ = writeln!(
                d,
                "fix compress all deform 1 x final {} {} y final {} {} z final {} {} remap x\n\
                 run {}\nunfix compress\n",
                num(-h[0]),
                num(h[0]),
                num(-h[1]),
                num(h[1]),
                num(-h[2]),
                num(h[2]),
                st.steps
            );
        }
    }
    d.push_str("write_data final.data\n");
    d
}
