//! `bnsl classify FILE.gsd --structure alb2|nazn13|fcc [--frame F|--all] [--rules FILE.json]`:
//! the crystalline fraction N_crystalline(L)/N_L per frame, as CSV `frame,fraction`.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;

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
}

/// Runs `bnsl classify`.
///
/// # Errors
/// A message for unreadable files, unknown structures and classification errors.
pub fn run(args: &ClassifyArgs) -> Result<(), String> {
    let classifier = match &args.rules {
        Some(path) => {
            let text =
                super::input::read_text(path, super::input::MAX_CONFIG_BYTES, "classifier rules")?;
            let c = serde_json::from_str::<Classifier>(&text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            c.check().map_err(|e| format!("{}: {e}", path.display()))?;
            c
        }
        None => Classifier::preset(&args.structure).ok_or_else(|| {
            format!(
                "unknown structure '{}': use alb2, alb2-paper, nazn13 or fcc",
                args.structure
            )
        })?,
    };
    let file = File::open(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let mut reader = HoomdReader::open(BufReader::new(file))
        .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let count = reader.frame_count();
    let frames: Vec<u64> = if args.all {
        if count == 0 {
            return Err(format!("{}: the file has no frames", args.file.display()));
        }
        (0..count).collect()
    } else {
        match args.frame {
            Some(k) => vec![k],
            None => vec![count
                .checked_sub(1)
                .ok_or_else(|| format!("{}: the file has no frames", args.file.display()))?],
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let w = |e: std::io::Error| e.to_string();
    writeln!(out, "frame,fraction").map_err(w)?;
    for k in frames {
        let frame = reader
            .read_frame(k)
            .map_err(|e| format!("{}: {e}", args.file.display()))?;
        let f = crystalline_fraction(&frame, &classifier)
            .map_err(|e| format!("{}: frame {k}: {e}", args.file.display()))?;
        writeln!(out, "{k},{f}").map_err(w)?;
    }
    out.flush().map_err(w)
}
