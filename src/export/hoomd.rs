//! A run as a HOOMD-blue 4 script (`run.py`) with its initial state (`init.gsd`, written by
//! [`crate::io::gsd::HoomdWriter`]: positions, velocities, sub-types, diameters).
//!
//! - Pairs: `hoomd.md.pair.Mie` (U = (n/(n−m))(n/m)^{m/(n−m)} ε[(σ/r)ⁿ − (σ/r)^m], our
//!   SCIENCE.md §1; the purely repulsive form as m = 0, [`super::engine_mie`]) or
//!   `hoomd.md.pair.LJ` for the Lennard-Jones and WCA forms, `params` and
//!   `r_cut` per sub-type pair, `mode="shift"` for our shift; a cell list with our skin as
//!   its buffer.
//! - Droplet: HOOMD has no open boundary, so the box is a cube wider than the droplet by
//!   twice the largest cut-off and skin (no particle meets a periodic image); the wall is
//!   `hoomd.md.external.wall.LJ` on a `hoomd.wall.Sphere` with σ_i/2 and r_cut 2^(1/6)σ_i/2
//!   per sub-type. HOOMD does not shift wall energies: the force is ours, the energy lacks our
//!   +ε_w per particle within range of the wall. A compressing droplet sets the sphere's
//!   radius every step from a `hoomd.custom.Action` run by `hoomd.update.CustomUpdater`.
//! - Dynamics: `hoomd.md.methods.Langevin` (same γ), `hoomd.md.methods.ConstantVolume` with
//!   `hoomd.md.methods.thermostats.MTTK` (one Nosé–Hoover variable: HOOMD has no chain) or
//!   without a thermostat for NVE, in `hoomd.md.Integrator`.
//! - Box compression: `hoomd.update.BoxResize` with `hoomd.variant.box.Interpolate` over a
//!   `hoomd.variant.Ramp` (edges linear in time, as ours).
//! - Output: `hoomd.write.GSD` every `frame_every` steps, `hoomd.write.Table` of step, T, U,
//!   P every `log_every` steps in `log.txt`.
//!
//! Every HOOMD name used is listed, with its documentation, in docs/export.md and in
//! tests/fixtures/export/hoomd_api.txt, which a test checks the script against.

use std::fmt::Write as _;
use std::io::Cursor;

use super::{engine_mie, ExportError, ExportFile, Plan};
use crate::io::gsd::HoomdWriter;
use crate::md::config::IntegratorConfig;
use crate::model::potential::PotentialKind;
use crate::model::wall::WCA_CUT;
use crate::model::Geometry;

/// The script's file name.
pub const SCRIPT: &str = "run.py";
/// The initial state's file name.
pub const INITIAL: &str = "init.gsd";
/// The log table the script writes.
pub const LOG: &str = "log.txt";
/// The trajectory the script writes.
pub const TRAJECTORY: &str = "trajectory.gsd";

/// A number as Python reads it back to the same double.
fn num(x: f64) -> String {
    format!("{x:?}")
}

/// Writes the script and the initial GSD file.
///
/// # Errors
/// [`ExportError::Unsupported`] for a pair form HOOMD-blue lacks, [`ExportError::Gsd`] when
/// the initial state cannot be written.
pub fn write(plan: &Plan) -> Result<Vec<ExportFile>, ExportError> {
    let shift = plan.check_pairs("HOOMD-blue")?;
    let mut frame = plan.state.to_frame();
    if plan.droplet() {
        let reach = plan.table.max_cutoff() + plan.config.skin;
        let edge = 2.0 * (plan.largest_extent() + reach) + 1.0;
        frame.geometry = Geometry::Periodic([edge; 3]);
    }
    let mut writer = HoomdWriter::create(Cursor::new(Vec::new()))?;
    writer.append(&frame)?;
    let gsd = writer.finish()?.into_inner();
    Ok(vec![
        ExportFile {
            name: SCRIPT,
            bytes: script(plan, shift).into_bytes(),
        },
        ExportFile {
            name: INITIAL,
            bytes: gsd,
        },
    ])
}

fn script(plan: &Plan, shift: bool) -> String {
    let cfg = &plan.config;
    let s = &plan.state;
    let mut p = String::new();
    let _ = writeln!(
        p,
        "\"\"\"HOOMD-blue 4 script written by `bnsl export --hoomd` (bnsl {}).\n\n\
         {} particles, {} sub-types, {} stages, reduced units (mass 1, kB = 1).\n\
         Run: python3 {SCRIPT} [--device auto|cpu|gpu]; reads {INITIAL}, writes {TRAJECTORY} and {LOG}.\n\
         \"\"\"\n\nimport argparse\n\nimport hoomd\n",
        crate::VERSION,
        s.len(),
        s.types.len(),
        plan.stages.len()
    );
    let _ = writeln!(
        p,
        "SEED = {}\nKT = {}\nDT = {}\nBUFFER = {}\nLOG_EVERY = {}\nFRAME_EVERY = {}",
        cfg.seed % 65_536,
        num(cfg.kt),
        num(cfg.dt),
        num(cfg.skin),
        cfg.output.log_every.max(1),
        cfg.output.frame_every.max(1)
    );
    p.push_str(
        "# (type a, type b, epsilon, sigma, n, m, r_cut) for every sub-type pair\nPAIRS = [\n",
    );
    for (i, j, q) in plan.pairs() {
        let (epsilon, m) = engine_mie(&q);
        let _ = writeln!(
            p,
            "    ({:?}, {:?}, {}, {}, {}, {m}, {}),",
            s.types[i],
            s.types[j],
            num(epsilon),
            num(q.sigma),
            q.n,
            num(q.cutoff())
        );
    }
    p.push_str("]\n# (type, diameter) of every sub-type\nTYPES = [\n");
    for (name, diameter) in s.types.iter().zip(&s.type_diameters) {
        let _ = writeln!(p, "    ({name:?}, {}),", num(*diameter));
    }
    p.push_str("]\n# (steps, edges or droplet radius at the start, at the end) of every stage\nSTAGES = [\n");
    for st in &plan.stages {
        let _ = writeln!(
            p,
            "    ({}, ({}, {}, {}), ({}, {}, {})),",
            st.steps,
            num(st.from[0]),
            num(st.from[1]),
            num(st.from[2]),
            num(st.to[0]),
            num(st.to[1]),
            num(st.to[2])
        );
    }
    p.push_str("]\n");
    let _ = writeln!(
        p,
        "DROPLET = {}\nWALL_EPSILON = {}\nWCA_CUT = {}\n",
        if plan.droplet() { "True" } else { "False" },
        num(plan.wall_epsilon().unwrap_or(1.0)),
        num(WCA_CUT)
    );
    let pair_class = match plan.table.potential() {
        PotentialKind::Mie => "Mie",
        PotentialKind::LennardJones | PotentialKind::Wca => "LJ",
    };
    let pair_params = if pair_class == "Mie" {
        "dict(epsilon=epsilon, sigma=sigma, n=n, m=m)"
    } else {
        "dict(epsilon=epsilon, sigma=sigma)"
    };
    let method = match cfg.integrator {
        IntegratorConfig::Langevin { gamma } => format!(
            "hoomd.md.methods.Langevin(filter=hoomd.filter.All(), kT=KT, default_gamma={})",
            num(gamma)
        ),
        IntegratorConfig::Mtk { tau, .. } => format!(
            "hoomd.md.methods.ConstantVolume(\n        filter=hoomd.filter.All(),\n        \
             thermostat=hoomd.md.methods.thermostats.MTTK(kT=KT, tau={}))",
            num(tau)
        ),
        IntegratorConfig::Nve => {
            "hoomd.md.methods.ConstantVolume(filter=hoomd.filter.All())".into()
        }
    };
    let _ = write!(
        p,
        r#"
class WallSchedule(hoomd.custom.Action):
    """Moves the droplet's wall: radius linear in time over a stage."""

    def __init__(self, wall, start, ramp, r_from, r_to):
        super().__init__()
        self.wall, self.start, self.ramp = wall, start, ramp
        self.r_from, self.r_to = r_from, r_to

    def act(self, timestep):
        frac = min(max((timestep - self.start) / max(self.ramp, 1), 0.0), 1.0)
        radius = self.r_from + (self.r_to - self.r_from) * frac
        self.wall.walls[0] = hoomd.wall.Sphere(radius=radius)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", choices=["auto", "cpu", "gpu"], default="auto")
    args = parser.parse_args()
    if args.device == "cpu":
        device = hoomd.device.CPU()
    elif args.device == "gpu":
        device = hoomd.device.GPU()
    else:
        device = hoomd.device.auto_select()
    sim = hoomd.Simulation(device=device, seed=SEED)
    sim.create_state_from_gsd(filename="{INITIAL}")

    nlist = hoomd.md.nlist.Cell(buffer=BUFFER)
    pair = hoomd.md.pair.{pair_class}(nlist=nlist, default_r_cut=max(p[6] for p in PAIRS), mode="{mode}")
    for a, b, epsilon, sigma, n, m, r_cut in PAIRS:
        pair.params[(a, b)] = {pair_params}
        pair.r_cut[(a, b)] = r_cut
    forces = [pair]
    wall = None
    if DROPLET:
        wall = hoomd.md.external.wall.LJ(walls=[hoomd.wall.Sphere(radius=STAGES[0][1][0])])
        for name, diameter in TYPES:
            wall.params[name] = dict(epsilon=WALL_EPSILON, sigma=diameter / 2, r_cut=WCA_CUT * diameter / 2)
        forces.append(wall)

    method = {method}
    sim.operations.integrator = hoomd.md.Integrator(dt=DT, methods=[method], forces=forces)

    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=hoomd.filter.All())
    sim.operations.computes.append(thermo)
    logger = hoomd.logging.Logger(categories=["scalar"])
    logger.add(sim, quantities=["timestep"])
    logger.add(thermo, quantities=["kinetic_temperature", "potential_energy", "pressure"])
    log_file = open("{LOG}", "w")
    sim.operations.writers.append(
        hoomd.write.Table(trigger=hoomd.trigger.Periodic(LOG_EVERY), logger=logger, output=log_file))
    sim.operations.writers.append(
        hoomd.write.GSD(trigger=hoomd.trigger.Periodic(FRAME_EVERY), filename="{TRAJECTORY}",
                        mode="wb", filter=hoomd.filter.All()))

    for steps, start, end in STAGES:
        updater = None
        if start != end and DROPLET:
            schedule = WallSchedule(wall, sim.timestep, steps, start[0], end[0])
            updater = hoomd.update.CustomUpdater(trigger=hoomd.trigger.Periodic(1), action=schedule)
        elif start != end:
            ramp = hoomd.variant.Ramp(A=0.0, B=1.0, t_start=sim.timestep, t_ramp=steps)
            boxes = hoomd.variant.box.Interpolate(
                initial_box=hoomd.Box(Lx=start[0], Ly=start[1], Lz=start[2]),
                final_box=hoomd.Box(Lx=end[0], Ly=end[1], Lz=end[2]),
                variant=ramp)
            updater = hoomd.update.BoxResize(trigger=hoomd.trigger.Periodic(1), box=boxes)
        if updater is not None:
            sim.operations.updaters.append(updater)
        sim.run(steps)
        if updater is not None:
            sim.operations.updaters.remove(updater)
    log_file.close()


if __name__ == "__main__":
    main()
"#,
        mode = if shift { "shift" } else { "none" },
    );
    p
}
