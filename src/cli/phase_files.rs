//! The files `bnsl phase-diagram` leaves in its directory beside the checkpoints:
//! `diagram.json` (the [`PhaseDiagram`], what the Phase diagram tab reads), CSV tables of every
//! number in it and of every simulated state point, and SVG plots in the style of the paper's
//! Fig. 3c,d, S17/S21 and S19 (the charts of [`crate::plot::phase_charts`]).

use std::fmt::Write as _;
use std::path::Path;

use super::error::CliError;
use super::phase_diagram::{diagram_json, write_file};
use crate::plot::phase_charts::{driving_force_chart, isotherms_chart, phase_diagram_chart};
use crate::plot::{render_svg, Chart};
use crate::thermo::campaign::{PlannedPoint, PointResult};
use crate::thermo::diagram::{Estimate, PhaseDiagram};

/// Size of the SVG plots (px).
const SVG_SIZE: (u32, u32) = (720, 540);

/// Writes diagram.json, the CSV tables and the SVG plots into `dir`.
///
/// # Errors
/// [`CliError::File`] when a file cannot be written; a chart that cannot be drawn.
pub fn write_all(
    dir: &Path,
    diagram: &PhaseDiagram,
    points: &[(PlannedPoint, PointResult)],
) -> Result<(), CliError> {
    write_file(&dir.join("diagram.json"), &diagram_json(diagram))?;
    write_file(
        &dir.join("state_points.csv"),
        state_points_csv(points).as_bytes(),
    )?;
    write_file(
        &dir.join("coexistence.csv"),
        coexistence_csv(diagram).as_bytes(),
    )?;
    write_file(
        &dir.join("isotherms.csv"),
        isotherms_csv(diagram).as_bytes(),
    )?;
    write_file(
        &dir.join("driving_force.csv"),
        driving_force_csv(diagram).as_bytes(),
    )?;
    let charts: [(&str, Chart); 3] = [
        ("phase_diagram.svg", phase_diagram_chart(diagram)),
        ("isotherms.svg", isotherms_chart(diagram)),
        ("driving_force.svg", driving_force_chart(&[diagram])),
    ];
    for (name, chart) in charts {
        let rendered = render_svg(&chart, SVG_SIZE.0, SVG_SIZE.1).map_err(|e| {
            CliError::input(&dir.join(name), format!("the chart cannot be drawn: {e}"))
        })?;
        write_file(&dir.join(name), rendered.svg.as_bytes())?;
    }
    Ok(())
}

/// `value,error` of an estimate.
fn pair(e: Estimate) -> String {
    format!("{},{}", e.value, e.error)
}

/// Every state point: kind, depth, density, seed and what it measured (empty cells where a
/// kind has no such number).
fn state_points_csv(points: &[(PlannedPoint, PointResult)]) -> String {
    let mut out = String::from(
        "index,kind,depth,rho,seed,beta_p,beta_p_error,u_per_particle,u_error,\
         diffusion_l,diffusion_l_error,ordered_fraction,flags,beta_f,beta_f_error\n",
    );
    for (point, result) in points {
        let head = format!(
            "{},{},{},{},{}",
            point.index,
            point.kind.name(),
            point.depth,
            point.rho,
            point.seed
        );
        let _ = match result {
            PointResult::Fluid(s) | PointResult::Crystal(s) => {
                let flags: Vec<String> = s
                    .flags
                    .iter()
                    .map(|f| format!("{f:?}").to_lowercase())
                    .collect();
                writeln!(
                    out,
                    "{head},{},{},{},{},{},",
                    pair(s.beta_pressure),
                    pair(s.u_per_particle),
                    s.diffusion_l.map_or(",".into(), pair),
                    s.ordered_fraction,
                    flags.join(" ")
                )
            }
            PointResult::FreeEnergy(f) => writeln!(
                out,
                "{head},{},{},,,,,{}",
                pair(f.beta_pressure),
                pair(f.u_per_particle),
                pair(f.beta_f)
            ),
        };
    }
    out
}

fn coexistence_csv(diagram: &PhaseDiagram) -> String {
    let mut out = String::from(
        "kind,depth,rho_low,rho_low_error,rho_high,rho_high_error,beta_p,beta_p_error\n",
    );
    for (kind, points) in [
        ("gas_solid", &diagram.gas_solid),
        ("vapour_liquid", &diagram.vapour_liquid),
    ] {
        for p in points {
            let _ = writeln!(
                out,
                "{kind},{},{},{},{}",
                p.depth,
                pair(p.rho_low),
                pair(p.rho_high),
                pair(p.pressure)
            );
        }
    }
    out
}

fn isotherms_csv(diagram: &PhaseDiagram) -> String {
    let mut out = String::from("depth,phase,rho,beta_p,beta_p_error,u_per_particle,u_error\n");
    for isotherm in &diagram.isotherms {
        for p in &isotherm.points {
            let _ = writeln!(
                out,
                "{},{},{},{},{}",
                isotherm.depth,
                isotherm.phase,
                p.rho,
                pair(p.pressure),
                pair(p.u_per_particle)
            );
        }
    }
    out
}

fn driving_force_csv(diagram: &PhaseDiagram) -> String {
    let mut out = String::from("depth,rho,delta_mu,delta_mu_error,diffusion_l,diffusion_l_error\n");
    for p in &diagram.driving_force {
        let _ = writeln!(
            out,
            "{},{},{},{}",
            p.depth,
            p.rho,
            pair(p.delta_mu),
            pair(p.diffusion_l)
        );
    }
    out
}
