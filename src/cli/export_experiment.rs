//! `bnsl export --lammps|--hoomd --experiment NAME [--quality Q] [--n N] [--seed S] --out DIR
//! [--resume]`: every run of a `bnsl reproduce` experiment ([`ExperimentExport`]) written run
//! by run into `DIR/<run>/`, with `DIR/README.md` and `DIR/run-all.sh`. A seeded start takes
//! a while to build: each run's progress and the time left go to standard error. Nothing in DIR
//! is overwritten; after a stop, `--resume` keeps the runs whose files are all there and writes
//! the others.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use super::error::CliError;
use super::export::{write_all, ExportArgs};
use super::recipe_source::cut_stages;
use crate::export::experiment::{ExperimentExport, README, RUN_ALL};
use crate::export::{run_files, Engine, RUN_TOML};
use crate::reproduce::{duration, Experiment, Quality};

/// Exports the experiment `name` for `engines`.
///
/// # Errors
/// An unknown experiment or quality, a particle count out of range, a file in DIR that is not
/// this export's, a run that cannot be built or exported, a file that cannot be written.
pub fn run(args: &ExportArgs, name: &str, engines: &[Engine]) -> Result<(), CliError> {
    let experiment: Experiment = name.parse()?;
    let quality: Quality = args.quality.as_deref().unwrap_or("standard").parse()?;
    let seed = args.seed.unwrap_or(1);
    let mut export = ExperimentExport::new(experiment, quality, args.n, seed)?;
    if let Some(most) = args.source.max_steps {
        for run in &mut export.runs {
            cut_stages(&mut run.config.stage, most);
        }
    }
    let mut command = format!(
        "bnsl export --experiment {} --quality {} --seed {seed}",
        experiment.name(),
        quality.name()
    );
    if let Some(n) = args.n {
        command.push_str(&format!(" --n {n}"));
    }
    if let Some(most) = args.source.max_steps {
        command.push_str(&format!(" --max-steps {most}"));
    }
    for engine in engines {
        command.push_str(&format!(" --{}", engine.folder()));
    }
    let out = &args.out;
    let index = [
        (
            README.to_owned(),
            export.readme(engines, &command).into_bytes(),
        ),
        (RUN_ALL.to_owned(), export.run_all(engines).into_bytes()),
    ];
    let mut index_new = Vec::new();
    for (file, bytes) in &index {
        let path = out.join(file);
        match std::fs::read(&path) {
            Ok(there) if args.resume && there == *bytes => {}
            Ok(_) => {
                return Err(CliError::Overwrite {
                    what: "the export".into(),
                    path,
                    other: if args.resume {
                        "another export's index (other experiment, quality, --n, --seed or engines)"
                            .into()
                    } else {
                        "an existing file (pass --resume to continue this export)".into()
                    },
                })
            }
            Err(_) => index_new.push((file.clone(), bytes.clone())),
        }
    }
    let mut kept = Vec::new();
    for run in &export.runs {
        let names = run_file_names(&run.id, engines);
        let there = names.iter().filter(|n| out.join(n).exists()).count();
        if there == names.len() && args.resume {
            kept.push(run.id.clone());
        } else if there > 0 {
            return Err(CliError::Overwrite {
                what: format!("run {}", run.id),
                path: out.join(&run.id),
                other: if args.resume {
                    "a run folder only partly written; remove it and pass --resume again".into()
                } else {
                    "an existing folder (pass --resume to continue this export)".into()
                },
            });
        }
    }
    write_all(out, &index_new)?;
    let mut stdout = std::io::stdout().lock();
    for (file, _) in &index {
        writeln!(stdout, "{}", out.join(file).display())?;
    }
    let total = export.runs.len();
    let mut seeded_left = export
        .runs
        .iter()
        .filter(|r| r.seeded() && !kept.contains(&r.id))
        .count();
    let mut per_seeded_s = None;
    for (k, run) in export.runs.iter().enumerate() {
        let head = format!("[{}/{total}] {}", k + 1, run.id);
        if kept.contains(&run.id) {
            eprintln!("{head}: exported before, kept");
        } else {
            let begin = Instant::now();
            let mut last = Instant::now();
            if run.seeded() {
                eprintln!("{head}: building the seeded start");
                seeded_left -= 1;
            }
            let later = per_seeded_s.map(|s: f64| s * seeded_left as f64);
            let files = run_files(&run.id, &run.config, None, engines, &mut |done, all| {
                if last.elapsed().as_secs_f64() < 2.0 || done == 0 {
                    return;
                }
                last = Instant::now();
                let left = begin.elapsed().as_secs_f64() / done as f64 * (all - done) as f64;
                let mut line = format!(
                    "{head}: seeded start, step {done} of {all}, run left ~{}",
                    duration(left)
                );
                if let Some(later) = later {
                    line.push_str(&format!(", all left ~{}", duration(left + later)));
                }
                eprintln!("{line}");
            })
            .map_err(|e| CliError::input(Path::new(&run.id), e.to_string()))?;
            if run.seeded() {
                per_seeded_s = Some(begin.elapsed().as_secs_f64());
            }
            write_all(out, &files)?;
            eprintln!("{head}: written");
        }
        for file in run_file_names(&run.id, engines) {
            writeln!(stdout, "{}", out.join(file).display())?;
        }
    }
    Ok(())
}

/// The files of one run's folder (relative to the export's folder), as
/// [`crate::export::run_files`] writes them.
fn run_file_names(id: &str, engines: &[Engine]) -> Vec<String> {
    let mut names = vec![format!("{id}/{RUN_TOML}")];
    for engine in engines {
        for file in engine.files() {
            names.push(format!("{id}/{}/{file}", engine.folder()));
        }
    }
    names
}
