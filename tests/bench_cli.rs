//! `bnsl bench md|analysis|fit|free-energy` are clap subcommands: each takes its own flags and prints one
//! JSON line; an unknown benchmark or a flag of another benchmark is refused by the parser.
//! Small workloads only (the timings themselves are benchmarks, not tests).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod cli_support;

use cli_support::{bnsl, bnsl_ok};
use serde_json::Value;

fn json_line(args: &[&str]) -> Value {
    let out = bnsl_ok(args);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON line: {out}");
    serde_json::from_str(lines[0]).unwrap()
}

#[test]
fn bench_md_takes_its_flags_and_prints_one_json_line() {
    let dir = std::env::temp_dir().join(format!("bnsl-bench-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("start.data");
    let v = json_line(&[
        "bench",
        "md",
        "--n",
        "600",
        "--steps",
        "5",
        "--seed",
        "3",
        "--device",
        "cpu",
        "--threads",
        "2",
        "--lammps-data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(v["benchmark"], "md");
    assert_eq!(v["device"], "cpu");
    assert_eq!(v["threads"], 2);
    let n = v["particles"].as_u64().unwrap();
    assert!((500..=700).contains(&n), "about 600 particles: {n}");
    assert_eq!(v["steps"], 5);
    assert!(v["steps_per_second"].as_f64().unwrap() > 0.0);
    let text = std::fs::read_to_string(&data).unwrap();
    assert!(
        text.contains(&format!("\n{n} atoms\n")),
        "{}",
        &text[..80.min(text.len())]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bench_analysis_takes_its_flags_and_writes_the_frame() {
    let dir = std::env::temp_dir().join(format!("bnsl-bench-analysis-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for flag in ["--gsd", "--lammps-data"] {
        let path = dir.join(format!("frame{flag}.gsd"));
        let v = json_line(&[
            "bench",
            "analysis",
            "--n",
            "96",
            "--seed",
            "2",
            flag,
            path.to_str().unwrap(),
        ]);
        assert_eq!(v["benchmark"], "analysis");
        let n = v["particles"].as_u64().unwrap() as usize;
        assert!((90..=110).contains(&n), "about 96 particles: {n}");
        let frames = bnsl::io::gsd::read_trajectory(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].len(), n);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bench_lists_its_benchmarks_and_refuses_others() {
    let out = bnsl_ok(&["bench", "--help"]);
    for name in ["md", "analysis", "fit", "free-energy"] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(&format!("{name} "))),
            "{name} missing from:\n{out}"
        );
    }
    let (ok, _, err) = bnsl(&["bench", "lammps"]);
    assert!(!ok);
    assert!(err.contains("unrecognized subcommand 'lammps'"), "{err}");
    // --device belongs to `bench md` only.
    let (ok, _, err) = bnsl(&["bench", "analysis", "--device", "gpu"]);
    assert!(!ok);
    assert!(err.contains("--device"), "{err}");
    let (ok, _, err) = bnsl(&["bench", "md", "--device", "tpu"]);
    assert!(!ok);
    assert!(err.contains("tpu"), "{err}");
    let (ok, _, err) = bnsl(&["bench", "md", "--threads", "0"]);
    assert!(!ok);
    assert!(err.contains("--threads") && err.contains('0'), "{err}");
}

#[test]
fn bench_free_energy_runs_a_small_crystal_and_refuses_big_ones() {
    let v = json_line(&[
        "bench",
        "free-energy",
        "--cells",
        "3",
        "--quality",
        "fast",
        "--seed",
        "4",
    ]);
    assert_eq!(v["benchmark"], "free-energy");
    assert_eq!(v["particles"], 108);
    assert_eq!(v["steps"], 72_000);
    let f = v["beta_f_per_particle"].as_f64().unwrap();
    // narrow-well fcc at ρσ³ 1.3, kT 0.4: about −3.9 per particle at N = 108 and 500
    assert!((-4.5..-3.0).contains(&f), "{f}");
    assert!(v["beta_f_error"].as_f64().unwrap() > 0.0);
    let (ok, _, err) = bnsl(&["bench", "free-energy", "--cells", "40"]);
    assert!(!ok);
    assert!(err.contains("--cells") && err.contains("40"), "{err}");
}
