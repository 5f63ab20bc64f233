//! The files of `bnsl run`: its outputs are refused before any work when one would overwrite an
//! input (the initial GSD, the run description) or another output (issue #18: "nothing the
//! user had is lost"), then created for the run loop's outputs (`crate::run`).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::error::CliError;
use crate::run::{CsvLog, GsdTrajectory};

/// `path` as the system resolves it: canonical when it exists, else its folder's canonical
/// path joined with its name, else made absolute.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute = std::env::current_dir().map_or_else(|_| path.to_owned(), |d| d.join(path));
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            std::fs::canonicalize(parent).map_or(absolute.clone(), |p| p.join(name))
        }
        _ => absolute,
    }
}

/// Refuses outputs (name, path) that name an input or each other.
///
/// # Errors
/// [`CliError::Overwrite`] naming both.
pub fn refuse_overwrite(
    outputs: &[(&str, &Path)],
    inputs: &[(&str, &Path)],
) -> Result<(), CliError> {
    for (k, &(what, path)) in outputs.iter().enumerate() {
        let target = resolved(path);
        let input = inputs
            .iter()
            .find(|(_, p)| resolved(p) == target)
            .map(|(name, _)| format!("the input {name}"));
        let output = outputs[..k]
            .iter()
            .find(|(_, p)| resolved(p) == target)
            .map(|(name, _)| format!("the output {name}"));
        if let Some(other) = input.or(output) {
            return Err(CliError::Overwrite {
                what: what.to_owned(),
                path: path.to_owned(),
                other,
            });
        }
    }
    Ok(())
}

/// A CSV log in a new file (each row reaches the file as it is logged).
///
/// # Errors
/// [`CliError::File`] when it cannot be created.
pub fn csv_log(path: &Path, every: u64) -> Result<CsvLog<BufWriter<File>>, CliError> {
    let file = File::create(path).map_err(CliError::file(path))?;
    Ok(CsvLog::new(
        BufWriter::new(file),
        path.display().to_string(),
        every,
    ))
}

/// A GSD trajectory in a new file (each frame reaches the file as it is written: the GSD
/// writer leaves a valid file after every frame).
///
/// # Errors
/// [`CliError::File`] / [`CliError::Run`] when it cannot be created.
pub fn trajectory(path: &Path, every: u64) -> Result<GsdTrajectory<File>, CliError> {
    let file = File::create(path).map_err(CliError::file(path))?;
    Ok(GsdTrajectory::new(file, path.display().to_string(), every)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_naming_an_input_or_another_output_is_refused() {
        let dir = std::env::temp_dir().join(format!("bnsl-run-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let input = dir.join("in.gsd");
        std::fs::write(&input, b"x").expect("input");
        let via_dot = dir.join(".").join("in.gsd");
        let err = refuse_overwrite(&[("output.trajectory", &via_dot)], &[("initial", &input)])
            .expect_err("the input");
        assert!(err.to_string().contains("the input initial"), "{err}");
        let log = dir.join("same.out");
        let err = refuse_overwrite(&[("output.log", &log), ("output.trajectory", &log)], &[])
            .expect_err("two outputs");
        assert!(err.to_string().contains("the output output.log"), "{err}");
        assert!(!log.exists(), "nothing was written");
        refuse_overwrite(
            &[
                ("output.log", &dir.join("a.csv")),
                ("output.trajectory", &dir.join("a.gsd")),
            ],
            &[("initial", &input)],
        )
        .expect("distinct files");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
