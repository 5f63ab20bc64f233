//! `bnsl order` and `bnsl classify` on a small GSD written by the `gsd` package, against
//! freud (tests/reference/freud_steinhardt.py writes tests/fixtures/freud/cli_small.*).
#![allow(clippy::unwrap_used)]

mod cli_support;

use cli_support::bnsl;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/freud/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("cli_small.json")).unwrap()).unwrap()
}

/// Rows of `index,type,q` after the header.
fn rows(csv: &str) -> Vec<(usize, String, f64)> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("index,type,q"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                f[1].to_owned(),
                f[2].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn order_matches_freud() {
    let gsd = fixture("cli_small.gsd");
    let want = expected();
    let (ok, out, err) = bnsl(&["order", &gsd, "--l", "8", "--k", "20", "--frame", "1"]);
    assert!(ok, "{err}");
    let got = rows(&out);
    let q8: Vec<f64> = serde_json::from_value(want["q8_k20"].clone()).unwrap();
    assert_eq!(got.len(), q8.len());
    for (i, (row, w)) in got.iter().zip(&q8).enumerate() {
        assert_eq!(row.0, i);
        assert_eq!(row.1, if i < 64 { "L" } else { "S" });
        assert!(
            (row.2 - w).abs() < 2e-5,
            "particle {i}: freud {w}, ours {}",
            row.2
        );
    }
    // --types L: the sub-system of large particles, indices as stored.
    let (ok, out, err) = bnsl(&[
        "order", &gsd, "--l", "4", "--k", "6", "--types", "L", "--frame", "1",
    ]);
    assert!(ok, "{err}");
    let got = rows(&out);
    let q4: Vec<f64> = serde_json::from_value(want["q4_k6_L"].clone()).unwrap();
    let idx: Vec<usize> = serde_json::from_value(want["L_indices"].clone()).unwrap();
    assert_eq!(got.len(), q4.len());
    for ((row, w), i) in got.iter().zip(&q4).zip(&idx) {
        assert_eq!(row.0, *i);
        assert!((row.2 - w).abs() < 2e-5, "L {i}: freud {w}, ours {}", row.2);
    }
}

#[test]
fn classify_matches_freud_per_frame() {
    let gsd = fixture("cli_small.gsd");
    let want: Vec<f64> = serde_json::from_value(expected()["fractions"].clone()).unwrap();
    let (ok, out, err) = bnsl(&["classify", &gsd, "--structure", "alb2", "--all"]);
    assert!(ok, "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("frame,fraction"));
    let got: Vec<(u64, f64)> = lines
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect();
    assert_eq!(got.len(), want.len());
    for (k, ((frame, f), w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(*frame, k as u64);
        assert!((f - w).abs() < 1e-12, "frame {k}: freud {w}, ours {f}");
    }
    // One frame, default last.
    let (ok, out, _) = bnsl(&["classify", &gsd, "--structure", "alb2"]);
    assert!(ok);
    assert_eq!(out.lines().nth(1), Some(format!("2,{}", want[2]).as_str()));
}

#[test]
fn errors_go_to_stderr_with_a_failure_code() {
    let gsd = fixture("cli_small.gsd");
    let (ok, _, err) = bnsl(&["order", &gsd, "--l", "8", "--k", "20", "--types", "X"]);
    assert!(!ok && err.contains("unknown type 'X'"), "{err}");
    let (ok, _, err) = bnsl(&["classify", &gsd, "--structure", "bcc"]);
    assert!(!ok && err.contains("unknown structure"), "{err}");
    let (ok, _, err) = bnsl(&["order", "/nonexistent.gsd", "--l", "8", "--k", "20"]);
    assert!(!ok && err.contains("/nonexistent.gsd"), "{err}");
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_command_quietly() {
    // `bnsl order … | head`: the reader goes away before the command writes a line.
    let gsd = fixture("cli_small.gsd");
    for args in [
        vec!["order", gsd.as_str(), "--l", "8", "--k", "20"],
        vec!["classify", gsd.as_str(), "--all"],
        vec!["gsd-info", gsd.as_str()],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bnsl"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdout = None; // closes the reading end
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// Issue #18: one particle far from an open cluster cost `order` > 30 s and hung `classify`.
/// Both now finish in seconds in under 1 GiB, and the far particle is analysed like any other.
#[test]
fn an_outlier_costs_no_more_than_a_particle() {
    let gsd = cli_support::temp_gsd(
        "outlier",
        &[cli_support::open_cluster(16, &[[1e5, 0.0, 0.0]])],
    );
    let (ok, out, err, secs) =
        cli_support::bnsl_bounded(&["order", &gsd, "--l", "6", "--k", "12"], 1024, 60);
    assert!(ok, "order: {err}");
    assert!(secs < 20.0, "order took {secs} s");
    let got = rows(&out);
    assert_eq!(got.len(), 16 * 16 * 16 + 1);
    // A particle deep inside the simple cubic cluster: 6 neighbours at 1.1, 8 at 1.1·√2 …
    assert!(got.iter().all(|r| r.2.is_finite()));
    let (ok, out, err, secs) = cli_support::bnsl_bounded(&["classify", &gsd], 1024, 60);
    assert!(ok, "classify: {err}");
    assert!(secs < 20.0, "classify took {secs} s");
    assert!(out.starts_with("frame,fraction\n0,"), "{out}");
    std::fs::remove_file(&gsd).ok();
}
