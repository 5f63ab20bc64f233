//! `bnsl --version` prints the crate version, the same `bnsl::VERSION` the page's status bar
//! shows (the end-to-end tests check the page side against this binary's output).
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn bnsl(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(args)
        .output()
        .expect("bnsl runs");
    assert!(out.status.success(), "bnsl {args:?} failed: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn version_flag_and_subcommand_print_the_crate_version() {
    let expected = format!("bnsl {}\n", bnsl::VERSION);
    assert_eq!(bnsl(&["--version"]), expected);
    assert_eq!(bnsl(&["version"]), expected);
    assert_eq!(bnsl::VERSION, env!("CARGO_PKG_VERSION"));
}

#[test]
fn help_names_the_tool() {
    let help = bnsl(&["--help"]);
    assert!(help.contains("Usage: bnsl"), "{help}");
}
