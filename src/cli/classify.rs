//! `bnsl classify FILE.gsd --structure alb2|nazn13|fcc [--frame F|--all] [--rules FILE.json]
//! [--threads N]`: the crystalline fraction N_crystalline(L)/N_L per frame, as CSV
//! `frame,fraction`, computed on N threads (default every core; the same numbers on any).

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;

use super::error::CliError;
use crate::analysis::{crystalline_fraction, Classifier};
use crate::io::gsd::HoomdReader;

/// Arguments of `bnsl classify`.
#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
    /// A GSD trajectory (HOOMD schema) with types "L" and "S".
    pub file: PathBuf,
    /// The paper's classifier: alb2 (with the guard against fcc), alb2-paper (as printed),
    /// nazn13 or fcc.
    #[arg(long, default_value = "alb2")]
    pub structure: String,
    /// A classifier as JSON (see `analysis::Classifier`), instead of --structure.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Frame index (default: the last frame).
    #[arg(long, conflicts_with = "all")]
    pub frame: Option<u64>,
    /// Every frame.
    #[arg(long)]
    pub all: bool,
    /// Threads of the analysis (default: every core); the output is the same on any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// Runs `bnsl classify`.
///
/// # Errors
/// A message for unreadable files, unknown structures and classification errors.
pub fn run(args: &ClassifyArgs) -> Result<(), CliError> {
    let classifier = match args.rules.as_deref() {
        Some(path) => {
            let text =
                super::input::read_text(path, super::input::MAX_CONFIG_BYTES, "classifier rules")?;
            let c = serde_json::from_str::<Classifier>(&text).map_err(|source| CliError::Json {
                path: path.to_owned(),
                source,
            })?;
            c.check()
                .map_err(|e| CliError::input(path, e.to_string()))?;
            c
        }
        None => Classifier::preset(&args.structure).ok_or_else(|| CliError::Unknown {
            what: "structure",
            value: args.structure.clone(),
            choices: "use alb2, alb2-paper, nazn13 or fcc".into(),
        })?,
    };
    let path = args.file.as_path();
    let file = File::open(path).map_err(CliError::file(path))?;
    let mut reader = HoomdReader::open(BufReader::new(file)).map_err(CliError::gsd(path))?;
    let count = reader.frame_count();
    let frames: Vec<u64> = if args.all {
        if count == 0 {
            return Err(CliError::input(path, "the file has no frames"));
        }
        (0..count).collect()
    } else {
        match args.frame {
            Some(k) => vec![k],
            None => vec![count.checked_sub(1).ok_or_else(|| CliError::NoFrame {
                path: path.to_owned(),
                index: -1,
                count,
            })?],
        }
    };
    let threads = super::order::analysis_threads(args.threads)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "frame,fraction")?;
    for k in frames {
        let frame = reader.read_frame(k).map_err(CliError::gsd(path))?;
        let f = threads.install(|| crystalline_fraction(&frame, &classifier));
        let f = f.map_err(|source| CliError::Frame {
            path: path.to_owned(),
            frame: k,
            source,
        })?;
        writeln!(out, "{k},{f}")?;
    }
    out.flush()?;
    Ok(())
}
