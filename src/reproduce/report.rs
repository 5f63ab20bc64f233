//! A reproduction's results as a Markdown table, a JSON document and plots (SVG and PNG): the
//! crystalline fraction of L against density (Fig. 3e,f: the slow compression) or against the
//! effective packing fraction (Fig. 4, with the paper's onsets as markers), and against time.

use std::path::Path;

use serde::Serialize;

use super::error::ReproduceError;
use super::experiment::{Experiment, Quality};
use super::plan::PaperResult;
use super::png::svg_to_png;
use super::results::{RunResult, ONSET_FRACTION};
use crate::plot::{render_svg, Axis, Chart, Marker, Series, Style};

/// Size of the plots (SVG pixels; the PNG has twice as many per side).
const PLOT_SIZE: (u32, u32) = (760, 460);

/// Everything a reproduction reports.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The experiment's name.
    pub experiment: &'static str,
    /// The paper's panel.
    pub panel: &'static str,
    /// The quality.
    pub quality: &'static str,
    /// The seed of every run.
    pub seed: u64,
    /// The command that produced it.
    pub command: String,
    /// The product's version.
    pub version: &'static str,
    /// The crystalline fraction of L that marks the onset of crystallisation.
    pub onset_fraction: f64,
    /// One entry per run.
    pub runs: Vec<RunResult>,
    /// The files written (relative to the output folder).
    pub files: Vec<String>,
}

impl Report {
    /// A report of `runs`.
    #[must_use]
    pub fn new(
        experiment: Experiment,
        quality: Quality,
        seed: u64,
        command: String,
        runs: Vec<RunResult>,
    ) -> Self {
        Self {
            experiment: experiment.name(),
            panel: experiment.panel(),
            quality: quality.name(),
            seed,
            command,
            version: crate::VERSION,
            onset_fraction: ONSET_FRACTION,
            runs,
            files: Vec::new(),
        }
    }

    /// Writes the plots, `results.json` and `results.md` into `out`.
    ///
    /// # Errors
    /// [`ReproduceError`] for a plot or file that cannot be written.
    pub fn write(&mut self, out: &Path) -> Result<(), ReproduceError> {
        for (stem, chart) in self.charts() {
            self.files.extend(write_plot(out, &stem, &chart)?);
        }
        self.files.push("results.json".into());
        self.files.push("results.md".into());
        let json = serde_json::to_string_pretty(self).map_err(|e| ReproduceError::Content {
            path: out.join("results.json"),
            message: e.to_string(),
        })?;
        write(&out.join("results.json"), json.as_bytes())?;
        write(&out.join("results.md"), self.markdown().as_bytes())
    }

    /// The plots, each with its file stem.
    #[must_use]
    pub fn charts(&self) -> Vec<(String, Chart)> {
        let droplet = self
            .runs
            .iter()
            .any(|r| matches!(r.paper, PaperResult::OnsetAt { .. }));
        let fraction = || Axis::new("crystalline fraction of L").with_range(0.0, 1.0);
        let mut against = if droplet {
            Chart::new(
                format!("{}: crystalline L against φ_eff", self.panel),
                Axis::new("effective packing fraction φ_eff"),
                fraction(),
            )
        } else {
            Chart::new(
                format!("{}: crystalline L during the slow compression", self.panel),
                Axis::new("number density ρσ³"),
                fraction(),
            )
        };
        let mut in_time = Chart::new(
            format!("{}: crystalline L against time", self.panel),
            Axis::new("time (τ)"),
            fraction(),
        );
        for r in &self.runs {
            let points = r
                .rows
                .iter()
                .filter(|row| droplet || row.step >= r.slow_from)
                .map(|row| {
                    let x = if droplet {
                        row.packing_fraction
                    } else {
                        row.density
                    };
                    (x, row.fraction)
                })
                .collect();
            against = against.with(Series::line(&r.label, points).styled(Style::LinePoints));
            in_time = in_time.with(Series::line(
                &r.label,
                r.rows.iter().map(|row| (row.time, row.fraction)).collect(),
            ));
            if let PaperResult::OnsetAt { phi_eff } = r.paper {
                against.markers.push(Marker {
                    x: phi_eff,
                    label: format!("paper {}", r.id),
                });
                if let Some(x) = r.onset_packing_fraction {
                    against.markers.push(Marker {
                        x,
                        label: format!("ours {}", r.id),
                    });
                }
            }
        }
        let stem = self.experiment;
        let x_name = if droplet { "phi" } else { "density" };
        vec![
            (format!("{stem}-fraction-{x_name}"), against),
            (format!("{stem}-fraction-time"), in_time),
        ]
    }

    /// The Markdown page: the command, the table beside the paper, the plots.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut md = format!(
            "# {} reproduced with `bnsl reproduce {}`\n\n\
             Command: `{}`  \nQuality {}, seed {}, bnsl {}, device CPU (one thread).\n\n",
            self.panel, self.experiment, self.command, self.quality, self.seed, self.version
        );
        md.push_str(
            "| run | N | steps | τ | wall | ρσ³ start → end | φ_eff end | kT end | D_L end (σ²/τ) | crystalline L end / max | onset φ_eff | paper | ours |\n\
             |---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        for r in &self.runs {
            let steps = if r.complete {
                r.steps.to_string()
            } else {
                format!("{} of {}", r.steps, r.planned_steps)
            };
            md.push_str(&format!(
                "| {} | {} | {} | {:.0} | {} | {:.3} → {:.3} | {:.3} | {:.3} | {} | {:.3} / {:.3} | {} | {} | {} |\n",
                r.label,
                r.particles,
                steps,
                r.tau,
                duration(r.wall_s),
                r.density.0,
                r.density.1,
                r.final_packing_fraction,
                r.final_temperature,
                r.diffusion_l
                    .map_or_else(|| "–".into(), |d| format!("{d:.2e}")),
                r.final_fraction,
                r.max_fraction,
                r.onset_packing_fraction
                    .map_or_else(|| "none".into(), |x| format!("{x:.3}")),
                r.paper_text,
                r.verdict,
            ));
        }
        md.push_str(&format!(
            "\nCrystalline L: the fraction of large particles the SCIENCE.md §2 classifier calls \
             crystalline. Onset: the first logged moment from which at least {:.0} % of L stay \
             crystalline to the end. D_L: mean squared displacement of L over the last piece / 6Δt. \
             τ = steps × dt.\n\n",
            ONSET_FRACTION * 100.0
        ));
        for f in self.files.iter().filter(|f| f.ends_with(".svg")) {
            md.push_str(&format!("![{f}]({f})\n\n"));
        }
        md
    }
}

/// Seconds as `1 h 02 min`, `3 min 05 s` or `12 s`.
#[must_use]
pub fn duration(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

/// Draws `chart` as `out/STEM.svg` and `out/STEM.png`; returns the two file names.
///
/// # Errors
/// [`ReproduceError::Plot`] / [`ReproduceError::Png`] / [`ReproduceError::File`].
pub fn write_plot(out: &Path, stem: &str, chart: &Chart) -> Result<[String; 2], ReproduceError> {
    let svg = render_svg(chart, PLOT_SIZE.0, PLOT_SIZE.1)
        .map_err(|source| ReproduceError::Plot {
            name: stem.into(),
            source,
        })?
        .svg;
    let png = svg_to_png(&svg).map_err(|message| ReproduceError::Png {
        name: stem.into(),
        message,
    })?;
    write(&out.join(format!("{stem}.svg")), svg.as_bytes())?;
    write(&out.join(format!("{stem}.png")), &png)?;
    Ok([format!("{stem}.svg"), format!("{stem}.png")])
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReproduceError> {
    std::fs::write(path, bytes).map_err(ReproduceError::file(path))
}
