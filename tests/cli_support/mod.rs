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
