//! The phase diagram's pictures, built from a [`PhaseDiagram`] (SCIENCE.md §3): the paper's
//! Fig. 3c,d (ρσ³ across, ε/kT up; gas/liquid–solid coexistence in blue, vapour–liquid in
//! orange, both with their one-standard-error bars in density, the critical depth ε_c dashed),
//! the P–V isotherms of Figs. S17 and S21, and the driving force |Δμ| against D_L of Fig. S19.
//!
//! The same charts serve `bnsl phase-diagram` (written as SVG) and the Phase diagram tab (drawn
//! by the plot kit, with the paper's runs and recomputed points added on top).

use super::chart::{Axis, Chart, Series, Style};
use super::palette::{series_colour, viridis, Rgb};
use crate::thermo::diagram::{CoexistencePoint, PhaseDiagram, Well};

/// One of the paper's slow compressions (Fig. 3e/f; SCIENCE.md §1 table) at its depth, with
/// the crystalline fraction of L the product measured where the reproduction has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Compression {
    /// ε/kT (0 for the purely repulsive control).
    pub depth: f64,
    /// ρσ³ at the start and the end.
    pub rho: (f64, f64),
    /// What `bnsl reproduce` measured on this compression, if it ran it.
    pub measured: Option<MeasuredFraction>,
}

/// The crystalline fraction of L a reproduction measured on one compression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasuredFraction {
    /// At the end of the run.
    pub end: f64,
    /// The largest over the run.
    pub max: f64,
    /// Particles of the run.
    pub particles: usize,
}

/// Recomputed coexistence points: bluish green.
pub const RECOMPUTED_COEXISTENCE: Rgb = Rgb(0, 158, 115);

/// A crystal free energy recomputed in the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecomputedPoint {
    /// ε/kT.
    pub depth: f64,
    /// ρσ³.
    pub rho: f64,
    /// βF/N and its standard error.
    pub beta_f: (f64, f64),
}

/// Grey for the paper's compressions not reproduced yet.
const NOT_REPRODUCED: Rgb = Rgb(120, 120, 120);
/// The recomputed points: black.
const RECOMPUTED: Rgb = Rgb(0, 0, 0);

/// Gas/liquid–solid coexistence: blue, as in Fig. 3c,d.
pub const GAS_SOLID: Rgb = Rgb(0, 114, 178);
/// Vapour–liquid coexistence and ε_c: orange, as in Fig. 3c,d.
pub const VAPOUR_LIQUID: Rgb = Rgb(213, 94, 0);

/// The well in words, for titles and legends.
pub fn well_name(well: Well) -> &'static str {
    match well {
        Well::Narrow => "narrow well (Mie 50–25)",
        Well::Wide => "wide well (Mie 50–6)",
    }
}

/// The coexistence densities at each depth, sorted by depth: the dilute side, then the
/// dense side, each as (ρσ³, ε/kT) points with their ρ errors.
fn sides(points: &[CoexistencePoint]) -> (Series, Series) {
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.depth.total_cmp(&b.depth));
    let low = sorted.iter().map(|p| (p.rho_low.value, p.depth)).collect();
    let low_err = sorted.iter().map(|p| (p.rho_low.error, 0.0)).collect();
    let high = sorted.iter().map(|p| (p.rho_high.value, p.depth)).collect();
    let high_err = sorted.iter().map(|p| (p.rho_high.error, 0.0)).collect();
    (
        Series::line("", low).with_errors(low_err),
        Series::line("", high).with_errors(high_err),
    )
}

/// Fig. 3c (narrow) or 3d (wide): the coexistence lines in the (ρσ³, ε/kT) plane.
///
/// Series, in order: the fluid side of gas/liquid–solid coexistence, its solid side (both
/// blue), the vapour–liquid dome (orange, the vapour side up to the deepest depth and back
/// down the liquid side), and ε_c as a dashed orange line across the densities shown — or the
/// two ends of its bracket when the data only bracket it. Empty coexistence lists give no
/// series (the chart then has no data).
pub fn phase_diagram_chart(diagram: &PhaseDiagram) -> Chart {
    let title = format!(
        "Phase diagram, {} at {}:{} ({} solid)",
        well_name(diagram.well),
        diagram.ratio[0],
        diagram.ratio[1],
        diagram.solid
    );
    let mut chart = Chart::new(title, Axis::new("ρσ³"), Axis::new("ε/kT"));
    if !diagram.gas_solid.is_empty() {
        let (low, high) = sides(&diagram.gas_solid);
        let fluid = format!("fluid at coexistence with {}", diagram.solid);
        let solid = format!("{} at coexistence", diagram.solid);
        for (series, name) in [(low, fluid), (high, solid)] {
            let mut s = series.styled(Style::LinePoints).coloured(GAS_SOLID);
            s.name = name;
            chart.series.push(s);
        }
    }
    if !diagram.vapour_liquid.is_empty() {
        let (low, high) = sides(&diagram.vapour_liquid);
        let mut dome = low;
        dome.points.extend(high.points.iter().rev());
        dome.errors.extend(high.errors.iter().rev());
        dome.name = "vapour–liquid coexistence".into();
        chart
            .series
            .push(dome.styled(Style::LinePoints).coloured(VAPOUR_LIQUID));
    }
    if let Some(critical) = &diagram.critical_depth {
        let rhos = chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .filter(|r| r.is_finite());
        let (lo, hi) = rhos.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
            (lo.min(r), hi.max(r))
        });
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 3.0) };
        let across = |depth: f64, name: String| {
            Series::line(name, vec![(lo, depth), (hi, depth)])
                .styled(Style::Dashed)
                .coloured(VAPOUR_LIQUID)
        };
        match critical.value {
            Some(e) => chart.series.push(across(
                e.value,
                format!("ε_c/kT = {:.3} ± {:.3}", e.value, e.error),
            )),
            None => {
                let [a, b] = critical.bracket;
                chart
                    .series
                    .push(across(a, format!("ε_c/kT between {a} and {b}")));
                chart.series.push(across(b, String::new()));
            }
        }
    }
    chart
}

/// The P–V isotherms (Figs. S17, S21): βPσ³ against the volume per particle v = 1/ρ (σ³),
/// one series per depth and phase with its βP errors; fluids as lines with points, crystals
/// dashed, one colour per depth.
pub fn isotherms_chart(diagram: &PhaseDiagram) -> Chart {
    let mut depths: Vec<f64> = diagram.isotherms.iter().map(|i| i.depth).collect();
    depths.sort_by(f64::total_cmp);
    depths.dedup();
    let mut chart = Chart::new(
        format!("P–V isotherms, {}", well_name(diagram.well)),
        Axis::new("v = 1/ρ (σ³)"),
        Axis::new("βPσ³"),
    );
    for isotherm in &diagram.isotherms {
        let index = depths
            .iter()
            .position(|d| *d == isotherm.depth)
            .unwrap_or(0);
        let mut points: Vec<_> = isotherm.points.iter().filter(|p| p.rho > 0.0).collect();
        points.sort_by(|a, b| b.rho.total_cmp(&a.rho));
        let style = if isotherm.phase == "fluid" {
            Style::LinePoints
        } else {
            Style::Dashed
        };
        chart.series.push(
            Series::line(
                format!("ε/kT = {} {}", isotherm.depth, isotherm.phase),
                points
                    .iter()
                    .map(|p| (1.0 / p.rho, p.pressure.value))
                    .collect(),
            )
            .with_errors(points.iter().map(|p| (0.0, p.pressure.error)).collect())
            .styled(style)
            .coloured(series_colour(index)),
        );
    }
    chart
}

/// The driving force for crystallisation against the mobility of L (Fig. S19): |Δμ| (kT per
/// particle) against D_L (σ²/τ, log scale), one series per diagram (well), in order of depth,
/// with errors on both.
pub fn driving_force_chart(diagrams: &[&PhaseDiagram]) -> Chart {
    let mut chart = Chart::new(
        "Driving force against mobility",
        Axis::new("D_L (σ²/τ)").log(),
        Axis::new("|Δμ| (kT per particle)"),
    );
    for (index, diagram) in diagrams.iter().enumerate() {
        let mut points = diagram.driving_force.clone();
        points.sort_by(|a, b| a.depth.total_cmp(&b.depth));
        let colour = match diagram.well {
            Well::Narrow => GAS_SOLID,
            Well::Wide => VAPOUR_LIQUID,
        };
        chart.series.push(
            Series::line(
                well_name(diagram.well),
                points
                    .iter()
                    .map(|p| (p.diffusion_l.value, p.delta_mu.value))
                    .collect(),
            )
            .with_errors(
                points
                    .iter()
                    .map(|p| (p.diffusion_l.error, p.delta_mu.error))
                    .collect(),
            )
            .styled(Style::LinePoints)
            .coloured(if index < 2 {
                colour
            } else {
                series_colour(index)
            }),
        );
    }
    chart
}

/// Adds the paper's compressions to a phase diagram chart as horizontal segments at their
/// depths: coloured by the crystalline fraction of L measured at the run's end (viridis,
/// 0 purple → 1 yellow; the legend gives end and maximum) where the reproduction ran it,
/// otherwise grey and named "not reproduced".
pub fn with_compressions(mut chart: Chart, runs: &[Compression]) -> Chart {
    let mut named_plain = false;
    for run in runs {
        let points = vec![(run.rho.0, run.depth), (run.rho.1, run.depth)];
        let series = match run.measured {
            Some(m) => Series::line(
                format!(
                    "ε/kT {} run: crystalline L {:.3} end, {:.3} max (N {})",
                    run.depth, m.end, m.max, m.particles
                ),
                points,
            )
            .coloured(viridis(m.end)),
            None => {
                let name = if named_plain {
                    String::new()
                } else {
                    named_plain = true;
                    "paper's compressions (Fig. 3e/f), not reproduced".into()
                };
                Series::line(name, points).coloured(NOT_REPRODUCED)
            }
        };
        chart.series.push(series);
    }
    chart
}

/// Adds points recomputed in the page to a phase diagram chart, as black points at their
/// (ρσ³, ε/kT) (their error is in βF/N, shown by [`crystal_free_energy_chart`]).
pub fn with_recomputed(mut chart: Chart, points: &[RecomputedPoint]) -> Chart {
    if !points.is_empty() {
        chart.series.push(
            Series::line(
                "recomputed here (crystal βF/N)",
                points.iter().map(|p| (p.rho, p.depth)).collect(),
            )
            .styled(Style::Points)
            .coloured(RECOMPUTED),
        );
    }
    chart
}

/// Adds coexistences recomputed in the page to a phase diagram chart: the fluid's and the
/// crystal's densities at each depth as bluish-green points with their ρ error bars, beside the
/// shipped (blue) ones.
pub fn with_recomputed_coexistence(mut chart: Chart, points: &[CoexistencePoint]) -> Chart {
    if !points.is_empty() {
        let (low, high) = sides(points);
        let mut both = low;
        both.points.extend(high.points);
        both.errors.extend(high.errors);
        both.name = "recomputed here (fluid and AlB₂ at coexistence)".into();
        chart
            .series
            .push(both.styled(Style::Points).coloured(RECOMPUTED_COEXISTENCE));
    }
    chart
}

/// βF/N of the crystal against ρσ³: the campaign's values (one series per depth) and the
/// points recomputed in the page beside them, all with their error bars.
pub fn crystal_free_energy_chart(
    diagrams: &[&PhaseDiagram],
    recomputed: &[(Well, RecomputedPoint)],
) -> Chart {
    let mut chart = Chart::new(
        "Crystal free energy (Frenkel–Ladd)",
        Axis::new("ρσ³"),
        Axis::new("βF/N"),
    );
    for diagram in diagrams {
        let mut depths: Vec<f64> = diagram
            .crystal_free_energies
            .iter()
            .map(|p| p.depth)
            .collect();
        depths.sort_by(f64::total_cmp);
        depths.dedup();
        for (i, depth) in depths.iter().enumerate() {
            let mut pts: Vec<_> = diagram
                .crystal_free_energies
                .iter()
                .filter(|p| p.depth == *depth)
                .collect();
            pts.sort_by(|a, b| a.rho.total_cmp(&b.rho));
            chart.series.push(
                Series::line(
                    format!("{}, ε/kT = {depth} (shipped)", well_name(diagram.well)),
                    pts.iter().map(|p| (p.rho, p.beta_f.value)).collect(),
                )
                .with_errors(pts.iter().map(|p| (0.0, p.beta_f.error)).collect())
                .styled(Style::LinePoints)
                .coloured(series_colour(i)),
            );
        }
    }
    for well in [Well::Narrow, Well::Wide] {
        let mine: Vec<_> = recomputed.iter().filter(|(w, _)| *w == well).collect();
        if mine.is_empty() {
            continue;
        }
        chart.series.push(
            Series::line(
                format!("{}, recomputed here", well_name(well)),
                mine.iter().map(|(_, p)| (p.rho, p.beta_f.0)).collect(),
            )
            .with_errors(mine.iter().map(|(_, p)| (0.0, p.beta_f.1)).collect())
            .styled(Style::Points)
            .coloured(match well {
                Well::Narrow => GAS_SOLID,
                Well::Wide => VAPOUR_LIQUID,
            }),
        );
    }
    chart
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::plot::{chart_csv, render_svg};
    use crate::thermo::diagram::{
        CriticalDepth, DrivingForcePoint, Estimate, Isotherm, Provenance, StatePoint,
    };

    fn e(value: f64, error: f64) -> Estimate {
        Estimate { value, error }
    }

    fn coexist(depth: f64, low: f64, high: f64) -> CoexistencePoint {
        CoexistencePoint {
            depth,
            rho_low: e(low, 0.01),
            rho_high: e(high, 0.02),
            pressure: e(10.0, 0.1),
        }
    }

    /// A small hand-made wide-well diagram (numbers for tests only, not computed).
    pub(crate) fn hand_made() -> PhaseDiagram {
        PhaseDiagram {
            well: Well::Wide,
            ratio: [1, 2],
            solid: "AlB2".into(),
            provenance: Provenance {
                command: "test".into(),
                commit: "test".into(),
                n: 24,
                quality: "fast".into(),
                seed: 1,
                wall_s: 0.0,
            },
            depths: vec![0.5, 1.0, 2.0],
            gas_solid: vec![coexist(2.0, 1.5, 2.6), coexist(0.5, 2.2, 2.7)],
            vapour_liquid: vec![coexist(2.0, 0.1, 1.4), coexist(1.5, 0.3, 1.1)],
            critical_depth: Some(CriticalDepth {
                value: Some(e(1.36, 0.05)),
                bracket: [1.0, 1.5],
                method: "loops".into(),
            }),
            isotherms: vec![
                Isotherm {
                    depth: 1.0,
                    phase: "fluid".into(),
                    points: vec![
                        StatePoint {
                            rho: 1.0,
                            pressure: e(2.0, 0.1),
                            u_per_particle: e(-1.0, 0.01),
                        },
                        StatePoint {
                            rho: 2.0,
                            pressure: e(8.0, 0.2),
                            u_per_particle: e(-2.0, 0.01),
                        },
                    ],
                },
                Isotherm {
                    depth: 1.0,
                    phase: "AlB2".into(),
                    points: vec![StatePoint {
                        rho: 2.6,
                        pressure: e(12.0, 0.3),
                        u_per_particle: e(-3.0, 0.01),
                    }],
                },
            ],
            equations_of_state: Vec::new(),
            crystal_free_energies: Vec::new(),
            driving_force: vec![
                DrivingForcePoint {
                    depth: 2.0,
                    rho: 2.4,
                    delta_mu: e(0.5, 0.05),
                    diffusion_l: e(0.002, 0.0002),
                },
                DrivingForcePoint {
                    depth: 1.0,
                    rho: 2.5,
                    delta_mu: e(0.3, 0.05),
                    diffusion_l: e(0.005, 0.0004),
                },
            ],
            caveats: vec!["hand-made for tests".into()],
        }
    }

    #[test]
    fn coexistence_sides_and_dome_are_sorted_by_depth_with_density_errors() {
        let chart = phase_diagram_chart(&hand_made());
        assert_eq!(chart.series.len(), 4);
        let fluid = &chart.series[0];
        assert_eq!(fluid.points, vec![(2.2, 0.5), (1.5, 2.0)]);
        assert_eq!(fluid.errors, vec![(0.01, 0.0), (0.01, 0.0)]);
        assert_eq!(fluid.colour, Some(GAS_SOLID));
        assert_eq!(chart.series[1].points, vec![(2.7, 0.5), (2.6, 2.0)]);
        let dome = &chart.series[2];
        assert_eq!(
            dome.points,
            vec![(0.3, 1.5), (0.1, 2.0), (1.4, 2.0), (1.1, 1.5)]
        );
        assert_eq!(dome.errors.len(), 4);
        assert_eq!(dome.colour, Some(VAPOUR_LIQUID));
        let critical = &chart.series[3];
        assert_eq!(critical.style, Style::Dashed);
        assert_eq!(critical.points, vec![(0.1, 1.36), (2.7, 1.36)]);
        assert!(critical.name.contains("1.360 ± 0.050"));
        let svg = render_svg(&chart, 640, 420).unwrap().svg;
        assert!(svg.contains("vapour–liquid coexistence"));
    }

    #[test]
    fn a_bracketed_critical_depth_draws_both_ends_and_no_loop_draws_none() {
        let mut d = hand_made();
        d.critical_depth.as_mut().unwrap().value = None;
        let chart = phase_diagram_chart(&d);
        let dashed: Vec<_> = chart
            .series
            .iter()
            .filter(|s| s.style == Style::Dashed)
            .collect();
        assert_eq!(dashed.len(), 2);
        assert_eq!(dashed[0].points[0].1, 1.0);
        assert_eq!(dashed[1].points[0].1, 1.5);
        d.critical_depth = None;
        d.vapour_liquid.clear();
        d.gas_solid.clear();
        let empty = phase_diagram_chart(&d);
        assert!(!empty.has_data());
        assert!(render_svg(&empty, 400, 300).is_ok());
    }

    #[test]
    fn compressions_and_recomputed_points_are_overlaid() {
        let runs = [
            Compression {
                depth: 2.5,
                rho: (2.41, 2.51),
                measured: None,
            },
            Compression {
                depth: 2.0,
                rho: (2.44, 2.54),
                measured: None,
            },
            Compression {
                depth: 1.0,
                rho: (2.54, 2.64),
                measured: Some(MeasuredFraction {
                    end: 0.5,
                    max: 0.6,
                    particles: 1500,
                }),
            },
        ];
        let chart = with_compressions(phase_diagram_chart(&hand_made()), &runs);
        let added = &chart.series[4..];
        assert_eq!(added[0].points, vec![(2.41, 2.5), (2.51, 2.5)]);
        assert!(added[0].name.contains("not reproduced"));
        assert!(added[1].name.is_empty());
        assert_eq!(added[1].colour, Some(NOT_REPRODUCED));
        assert_eq!(added[2].colour, Some(viridis(0.5)));
        assert_eq!(
            added[2].name,
            "ε/kT 1 run: crystalline L 0.500 end, 0.600 max (N 1500)"
        );
        let shown = with_recomputed_coexistence(chart.clone(), &[coexist(2.0, 1.3, 3.0)]);
        let last = shown.series.last().unwrap();
        assert_eq!(last.points, vec![(1.3, 2.0), (3.0, 2.0)]);
        assert_eq!(last.errors.len(), 2);
        assert_eq!(last.colour, Some(RECOMPUTED_COEXISTENCE));
        assert_eq!(
            with_recomputed_coexistence(chart.clone(), &[]).series.len(),
            chart.series.len()
        );
        let point = RecomputedPoint {
            depth: 2.5,
            rho: 2.4,
            beta_f: (-4.5, 0.03),
        };
        let chart = with_recomputed(chart, &[point]);
        assert_eq!(chart.series.last().unwrap().points, vec![(2.4, 2.5)]);
        let mut d = hand_made();
        d.crystal_free_energies = vec![crate::thermo::diagram::CrystalFreeEnergyPoint {
            depth: 2.5,
            rho: 2.3,
            n: 500,
            beta_f: e(-4.4, 0.002),
        }];
        let f = crystal_free_energy_chart(&[&d], &[(Well::Narrow, point)]);
        assert_eq!(f.series.len(), 2);
        assert_eq!(f.series[0].errors, vec![(0.0, 0.002)]);
        assert_eq!(f.series[1].points, vec![(2.4, -4.5)]);
        assert_eq!(f.series[1].errors, vec![(0.0, 0.03)]);
    }

    #[test]
    fn isotherms_are_pressure_against_volume_per_particle() {
        let chart = isotherms_chart(&hand_made());
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[0].points, vec![(0.5, 8.0), (1.0, 2.0)]);
        assert_eq!(chart.series[0].errors, vec![(0.0, 0.2), (0.0, 0.1)]);
        assert_eq!(chart.series[0].style, Style::LinePoints);
        assert_eq!(chart.series[1].style, Style::Dashed);
        assert_eq!(chart.series[0].colour, chart.series[1].colour);
        assert!(chart_csv(&chart).contains("ε/kT = 1 fluid,0.5,8,0,0.2"));
    }

    #[test]
    fn driving_force_has_one_series_per_well_with_both_errors() {
        let wide = hand_made();
        let mut narrow = hand_made();
        narrow.well = Well::Narrow;
        let chart = driving_force_chart(&[&narrow, &wide]);
        assert_eq!(chart.series.len(), 2);
        assert_eq!(chart.series[0].colour, Some(GAS_SOLID));
        assert_eq!(chart.series[1].points, vec![(0.005, 0.3), (0.002, 0.5)]);
        assert_eq!(chart.series[1].errors[0], (0.0004, 0.05));
        assert!(render_svg(&chart, 400, 300).is_ok());
    }
}
