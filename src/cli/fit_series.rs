//! `bnsl fit-series FILE`: fits a time series frame by frame (each frame seeded by its
//! neighbour, see `crate::saxs::kinetics`) and prints one CSV row per time: a(t), c/a(t),
//! ξ(t), gaps, φ(t), φ_eff(t) and the phase fractions, each with its error.

use std::io::Write;

use super::error::CliError;
use super::fit::{phase_quantities, FitArgs};
use crate::saxs::fit_series;
use crate::saxs::read::{read_series, SeriesLayout, MAX_INPUT_BYTES};

/// Arguments of `bnsl fit-series`.
#[derive(Debug, clap::Args)]
pub struct FitSeriesArgs {
    /// The fit options (FILE, --model, --q-unit, --core-l, --core-s, and for I(q) frames
    /// --core-diameter/--core-spread or --form-factor).
    #[command(flatten)]
    pub fit: FitArgs,
    /// Divide every frame by the first (raw I(q, t) → S(q, t)); not with a form factor.
    #[arg(long, conflicts_with_all = ["core_diameter", "form_factor"])]
    pub normalize: bool,
}

/// Runs `bnsl fit-series`.
///
/// # Errors
/// A message when the file cannot be read or its last frame cannot be fitted.
pub fn run(args: &FitSeriesArgs) -> Result<(), CliError> {
    let (read, mut options) = args.fit.options()?;
    let path = args.fit.file.as_path();
    let bytes = super::input::read_file(path, MAX_INPUT_BYTES, "a SAXS series")?;
    let mut series =
        read_series(&bytes, &read, SeriesLayout::Auto).map_err(CliError::read(path))?;
    args.fit
        .add_form_factor(&mut options, series.unit.unit, &read)?;
    if args.normalize {
        series = series.normalized_by_first().map_err(CliError::read(path))?;
    }
    for w in &series.warnings {
        eprintln!("warning: {}: {w:?}", path.display());
    }
    let frames = fit_series(&series, &options).map_err(CliError::fit(path))?;
    let Some(last) = frames.last() else {
        return Err(CliError::EmptySeries(path.to_owned()));
    };
    // Columns follow the model's phase order (stable over time).
    let n_phases = last.fit.model.phases.len();
    let mut header = vec![
        "time".to_string(),
        "model".to_string(),
        "chi2_reduced".to_string(),
    ];
    let prefixes: Vec<String> = last
        .fit
        .model
        .phases
        .iter()
        .map(|p| p.crystal.name.clone())
        .collect();
    for (i, prefix) in prefixes.iter().enumerate() {
        let ph =
            last.fit
                .phases
                .iter()
                .find(|p| p.model_index == i)
                .ok_or(CliError::MissingPhase {
                    phase: i,
                    time: last.time,
                })?;
        for (name, q) in phase_quantities(ph) {
            if q.is_some() {
                header.push(format!("{}_{name}", prefix));
                header.push(format!("{}_{name}_err", prefix));
            }
        }
        header.push(format!("{}_growth", prefix));
        if options.cores.is_some() {
            header.push(format!("{}_phi_eff_last_gaps", prefix));
            header.push(format!("{}_phi_eff_last_gaps_err", prefix));
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "{}", header.join(","))?;
    for f in &frames {
        if let Some(why) = &f.fit.degenerate {
            eprintln!(
                "warning: {}: t = {}: degenerate fit, its errors are written as NaN: {why}",
                path.display(),
                f.time
            );
        } else if f.fit.covariance.is_none() {
            eprintln!(
                "warning: {}: t = {}: the fit's covariance is singular (the data do not fix every parameter), its errors are written as NaN",
                path.display(),
                f.time
            );
        }
        let err = |e: f64| {
            if f.fit.degenerate.is_some() {
                f64::NAN
            } else {
                e
            }
        };
        let mut row = vec![
            f.time.to_string(),
            f.fit.name().to_string(),
            f.fit.evidence.chi2_reduced.to_string(),
        ];
        for i in 0..n_phases {
            let (Some(ph), Some(at)) = (
                f.fit.phases.iter().find(|p| p.model_index == i),
                f.fit
                    .phases
                    .iter()
                    .position(|p| p.model_index == i)
                    .and_then(|k| f.phases.get(k)),
            ) else {
                return Err(CliError::MissingPhase {
                    phase: i,
                    time: f.time,
                });
            };
            for (_, q) in phase_quantities(ph) {
                if let Some(q) = q {
                    row.push(q.value.to_string());
                    row.push(err(q.err).to_string());
                }
            }
            row.push(at.growth.to_string());
            if let Some(q) = at.phi_eff_last_gaps {
                row.push(q.value.to_string());
                row.push(err(q.err).to_string());
            }
        }
        writeln!(out, "{}", row.join(","))?;
    }
    out.flush()?;
    Ok(())
}
