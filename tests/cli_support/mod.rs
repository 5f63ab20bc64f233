//! Runs the `bnsl` binary from the integration tests.
#![allow(dead_code)]

use std::process::Command;

/// Runs `bnsl args…`: (exit status success, stdout, stderr).
pub fn bnsl(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(args)
        .output()
        .expect("bnsl runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// Runs `bnsl args…`, which must succeed, and returns its stdout.
pub fn bnsl_ok(args: &[&str]) -> String {
    let (ok, out, err) = bnsl(args);
    assert!(ok, "bnsl {args:?} failed: {err}");
    out
}

/// Runs `bnsl args…` limited to `mem_mib` MiB of address space and `secs` seconds (killed
/// past it): (exit status success, stdout, stderr, seconds taken). Linux `sh`, `ulimit` and
/// coreutils `timeout`.
pub fn bnsl_bounded(args: &[&str], mem_mib: u64, secs: u64) -> (bool, String, String, f64) {
    let start = std::time::Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec timeout {secs} \"$0\" \"$@\"",
            mem_mib * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_bnsl"))
        .args(args)
        .output()
        .expect("sh runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
        start.elapsed().as_secs_f64(),
    )
}

/// Writes `frames` as a GSD file in the temporary directory, named after `name` and the
/// process id; returns its path.
pub fn temp_gsd(name: &str, frames: &[bnsl::model::Frame]) -> String {
    let bytes = bnsl::io::gsd::write_trajectory(frames).expect("write GSD");
    let path = std::env::temp_dir().join(format!("bnsl-{name}-{}.gsd", std::process::id()));
    std::fs::write(&path, bytes).expect("write temp file");
    path.to_string_lossy().into_owned()
}

/// An open (unbounded) cluster of `side³` particles on a simple cubic lattice of spacing 1.1
/// (types L and S alternating), plus `extra` particles at the given positions.
pub fn open_cluster(side: usize, extra: &[[f64; 3]]) -> bnsl::model::Frame {
    let mut positions = Vec::new();
    for x in 0..side {
        for y in 0..side {
            for z in 0..side {
                positions.push([x, y, z].map(|c| 1.1 * (c as f64 - 0.5 * side as f64)));
            }
        }
    }
    positions.extend_from_slice(extra);
    let n = positions.len();
    bnsl::model::Frame {
        step: 0,
        geometry: bnsl::model::Geometry::UNBOUNDED,
        types: vec!["L".into(), "S".into()],
        typeid: (0..n as u32).map(|i| i % 2).collect(),
        diameters: (0..n).map(|i| [1.0, 0.55][i % 2]).collect(),
        positions,
        velocities: None,
        images: None,
    }
}
