//! `bnsl order FILE.gsd --l L --k K [--types T] [--frame F] [--threads N]`: per-particle
//! Steinhardt q_l over the k nearest neighbours (self excluded) of one frame, as CSV
//! `index,type,q`, computed on N threads (default every core; the same numbers on any).

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use super::error::CliError;
use crate::analysis::{NeighborQuery, Steinhardt, TypeFilter, MAX_NEIGHBOURS};
use crate::io::gsd::HoomdReader;
use crate::md::Threads;
use crate::model::Frame;

/// Arguments of `bnsl order`.
#[derive(Debug, clap::Args)]
pub struct OrderArgs {
    /// A GSD trajectory (HOOMD schema).
    pub file: PathBuf,
    /// Spherical harmonic degree l (0..=12).
    #[arg(long)]
    pub l: u32,
    /// Number of nearest neighbours (1 to 100, `analysis::MAX_NEIGHBOURS`).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=MAX_NEIGHBOURS as i64))]
    pub k: u16,
    /// Restrict particles and neighbours to this type (name, or type id), as freud on that
    /// sub-system.
    #[arg(long)]
    pub types: Option<String>,
    /// Frame index (default: the last frame).
    #[arg(long)]
    pub frame: Option<u64>,
    /// Threads of the analysis (default: every core); the output is the same on any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// The threads of an analysis command's `--threads` (default every core): its work runs in
/// their [`Threads::install`] (docs/analysis.md "Threads").
///
/// # Errors
/// [`CliError::Md`] when the threads cannot be started.
pub(super) fn analysis_threads(threads: Option<u16>) -> Result<Threads, CliError> {
    let n = threads.map_or_else(crate::md::threads::available, usize::from);
    Ok(Threads::new(n)?)
}

/// Opens a GSD file and reads one frame (the last when `frame` is `None`).
pub(super) fn read_frame(path: &Path, frame: Option<u64>) -> Result<(Frame, u64), CliError> {
    let file = File::open(path).map_err(CliError::file(path))?;
    let mut reader = HoomdReader::open(BufReader::new(file)).map_err(CliError::gsd(path))?;
    let count = reader.frame_count();
    let k = match frame {
        Some(k) => k,
        None => count.checked_sub(1).ok_or_else(|| CliError::NoFrame {
            path: path.to_owned(),
            index: -1,
            count,
        })?,
    };
    let f = reader.read_frame(k).map_err(CliError::gsd(path))?;
    Ok((f, k))
}

/// Type id of a name or a numeric id.
pub(super) fn type_id(frame: &Frame, name: &str) -> Result<u32, CliError> {
    if let Some(i) = frame.types.iter().position(|t| t == name) {
        return Ok(i as u32);
    }
    match name.parse::<u32>() {
        Ok(i) if (i as usize) < frame.types.len() => Ok(i),
        _ => Err(CliError::Unknown {
            what: "type",
            value: name.to_owned(),
            choices: format!("the frame has types {:?}", frame.types),
        }),
    }
}

/// Runs `bnsl order`.
///
/// # Errors
/// A message for unreadable files, unknown types and invalid l/k.
pub fn run(args: &OrderArgs) -> Result<(), CliError> {
    let (frame, k) = read_frame(&args.file, args.frame)?;
    let at = |source| CliError::Frame {
        path: args.file.clone(),
        frame: k,
        source,
    };
    let filter = match &args.types {
        Some(t) => TypeFilter::only(&[type_id(&frame, t)?]),
        None => TypeFilter::all(),
    };
    let (list, q) = analysis_threads(args.threads)?
        .install(|| {
            let list = NeighborQuery::from_frame(&frame)?.nearest(usize::from(args.k), &filter)?;
            let q = Steinhardt::new(args.l)?.compute(&list)?;
            Ok((list, q))
        })
        .map_err(at)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "index,type,q")?;
    for (&i, v) in list.centres.iter().zip(&q.ql) {
        let t = &frame.types[frame.typeid[i] as usize];
        writeln!(out, "{i},{t},{v}")?;
    }
    out.flush()?;
    Ok(())
}
