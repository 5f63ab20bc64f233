//! `bnsl run` through the one run loop (issues #12, #15, #18): a run description's log carries
//! the crystalline fraction; outputs that would overwrite an input or each other are refused
//! before any work; a killed run keeps its log up to the last logged step; a run that blows up
//! stops its CSV log and GSD trajectory at the same last good step as the page's worker job.
//! `bnsl phase-diagram` (issue #13): arguments checked and named; a killed campaign resumes
//! from its checkpoints to the same diagram as an uninterrupted one; a resume with other
//! arguments, or a run into a campaign's directory without `--resume`, is refused.
//! `bnsl reproduce` writes its tables and plots, refuses a folder it does not own, and a
//! reproduction killed mid-run and resumed logs exactly what an uninterrupted one does.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod cli_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bnsl::gpu::Device;
use bnsl::jobs::simulate::{FrameData, SampleRow, SimulateOutput, SimulateSpec};
use bnsl::jobs::{build, JobEvent, JobOutput, JobSpec, Step};
use bnsl::md::config::{InitialConfig, RunConfig};
use bnsl::simulate::{preset, PresetSize, Recipe};
use cli_support::{bnsl, bnsl_ok};

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bnsl-run-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The quick-test preset as a run description writing into `dir`.
fn quick_config(dir: &Path) -> RunConfig {
    let mut cfg = preset("quick-test", PresetSize::Small).unwrap().recipe.run;
    cfg.output.log = dir.join("log.csv").display().to_string();
    cfg.output.trajectory = dir.join("run.gsd").display().to_string();
    cfg
}

fn write_config(dir: &Path, cfg: &RunConfig) -> String {
    let path = dir.join("run.toml");
    std::fs::write(&path, toml::to_string(cfg).unwrap()).unwrap();
    path.display().to_string()
}

fn gsd_steps(path: &str) -> Vec<u64> {
    let frames = bnsl::io::gsd::read_trajectory(&std::fs::read(path).unwrap()).unwrap();
    frames.iter().map(|f| f.step).collect()
}

#[test]
fn a_run_description_logs_the_crystalline_fraction() {
    let dir = folder("fraction");
    let mut cfg = quick_config(&dir);
    cfg.stage.truncate(1);
    cfg.stage[0].steps = 200;
    let config = write_config(&dir, &cfg);
    let (ok, out, err) = bnsl(&["run", &config]);
    assert!(ok, "{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["steps"], 200);
    assert_eq!(summary["device"], "cpu");
    let log = std::fs::read_to_string(&cfg.output.log).unwrap();
    let mut lines = log.lines();
    assert!(lines.next().unwrap().ends_with(",crystalline_fraction"));
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 3, "steps 0, 100, 200");
    for row in &rows {
        assert_eq!(row.len(), 10);
        assert!((0.0..=1.0).contains(&row[9]), "{row:?}");
    }
    assert_eq!(gsd_steps(&cfg.output.trajectory), [0, 200]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn max_steps_cuts_every_stage_of_a_preset_and_a_link_as_of_a_file() {
    let recipe = preset("quick-test", PresetSize::Small).unwrap().recipe;
    let expected: u64 = recipe.run.stage.iter().map(|s| s.steps.min(1_000)).sum();
    assert!(
        expected < recipe.total_steps(),
        "the cut must shorten the preset"
    );
    let out = bnsl_ok(&["run", "--preset", "quick-test", "--max-steps", "1000"]);
    assert!(out.contains(&format!("steps: {expected}\n")), "{out}");
    let fragment = bnsl_ok(&["run", "--preset", "quick-test", "--share"]);
    let link = format!("http://localhost/{}", fragment.trim());
    let via_link = bnsl_ok(&["run", "--link", &link, "--max-steps", "1000"]);
    assert_eq!(
        via_link, out,
        "the link and the preset run the same cut protocol"
    );
}

/// `bnsl run`'s log (the engine's observables and every moment's crystalline fraction, the
/// analysis now on the run's threads too) and summary are the same on 1 and 3 threads,
/// for an AlB₂ crystal of 864 particles (a fraction well above zero to compare).
#[test]
fn a_run_logs_the_same_rows_on_1_and_3_threads() {
    let dir = folder("threads-log");
    let mut cfg = quick_config(&dir);
    cfg.initial = InitialConfig::Lattice {
        structure: bnsl::lattice::Structure::Alb2,
        a: 1.03,
        c_over_a: 1.04,
        cells: [6, 4, 6],
    };
    cfg.stage.truncate(1);
    cfg.stage[0].steps = 300;
    cfg.stage[0].compress_to = None;
    let config = write_config(&dir, &cfg);
    let runs: Vec<(serde_json::Value, String)> = ["1", "3"]
        .iter()
        .map(|t| {
            let out = bnsl_ok(&["run", &config, "--threads", t]);
            let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
            (summary, std::fs::read_to_string(&cfg.output.log).unwrap())
        })
        .collect();
    let fraction = |log: &str| -> f64 {
        let last = log.lines().last().unwrap();
        last.rsplit(',').next().unwrap().parse().unwrap()
    };
    assert!(fraction(&runs[0].1) > 0.5, "{}", runs[0].1);
    assert_eq!(runs[0].1, runs[1].1, "the logs differ");
    assert_eq!(runs[0].0, runs[1].0, "the summaries (final state) differ");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn outputs_over_an_input_or_over_each_other_are_refused_before_any_work() {
    let dir = folder("refuse");
    let mut cfg = quick_config(&dir);
    // A trajectory to start from, then a run that would write over it.
    cfg.stage.truncate(1);
    cfg.stage[0].steps = 10;
    cfg.stage[0].compress_to = None;
    let config = write_config(&dir, &cfg);
    assert!(bnsl(&["run", &config]).0);
    let input = std::fs::read(&cfg.output.trajectory).unwrap();
    cfg.initial = InitialConfig::Gsd {
        path: cfg.output.trajectory.clone(),
        frame: -1,
    };
    cfg.output.log = dir.join("second.csv").display().to_string();
    let config = write_config(&dir, &cfg);
    let (ok, _, err) = bnsl(&["run", &config]);
    assert!(!ok);
    assert!(err.contains("output.trajectory"), "{err}");
    assert!(err.contains("the input initial"), "{err}");
    assert_eq!(std::fs::read(&cfg.output.trajectory).unwrap(), input);
    assert!(!Path::new(&cfg.output.log).exists(), "no work was done");

    cfg.output.trajectory = cfg.output.log.clone();
    let config = write_config(&dir, &cfg);
    let (ok, _, err) = bnsl(&["run", &config]);
    assert!(!ok);
    assert!(err.contains("the output output.log"), "{err}");
    assert!(!Path::new(&cfg.output.log).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_killed_run_keeps_its_log_up_to_the_last_logged_step() {
    let dir = folder("killed");
    let mut cfg = quick_config(&dir);
    cfg.stage.truncate(1);
    cfg.stage[0].steps = 10_000_000;
    cfg.output.log_every = 20;
    let config = write_config(&dir, &cfg);
    let mut child = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(["run", &config])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rows = |text: &str| text.lines().count().saturating_sub(1);
    let start = Instant::now();
    while rows(&std::fs::read_to_string(&cfg.output.log).unwrap_or_default()) < 5 {
        assert!(start.elapsed() < Duration::from_secs(60), "no rows logged");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let log = std::fs::read_to_string(&cfg.output.log).unwrap();
    assert!(log.ends_with('\n'), "whole rows only");
    let steps: Vec<u64> = log
        .lines()
        .skip(1)
        .map(|l| {
            assert_eq!(l.split(',').count(), 10, "{l}");
            l.split(',').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(steps.len() >= 5);
    assert_eq!(
        steps,
        (0..steps.len() as u64).map(|k| 20 * k).collect::<Vec<_>>()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What the page's worker job sent for `recipe` until it failed: log rows, frame steps, the
/// last progress and the error.
fn job_until_failure(recipe: &Recipe) -> (Vec<SampleRow>, Vec<u64>, u64, String) {
    let spec = JobSpec::Simulate(Box::new(SimulateSpec {
        recipe: recipe.clone(),
        confirmed: false,
        device: Device::Cpu,
        lose_gpu_after_steps: None,
    }));
    let mut job = build(spec, Vec::new()).unwrap();
    let (mut rows, mut frames, mut done) = (Vec::new(), Vec::new(), 0);
    loop {
        let emits = match pollster::block_on(job.advance()) {
            Ok(Step::Continue(emits)) => emits,
            Ok(Step::Done(_)) => panic!("the run should blow up"),
            Err(e) => return (rows, frames, done, e.to_string()),
        };
        for e in emits {
            match e.event {
                JobEvent::Progress(p) => done = p.done,
                JobEvent::Output(JobOutput::Simulate(out)) => match *out {
                    SimulateOutput::Samples(s) => rows.extend(s),
                    SimulateOutput::Frame(meta) => {
                        frames.push(FrameData::from_parts(meta, &e.attachment).unwrap().step);
                    }
                    _ => {}
                },
                JobEvent::Output(_) => {}
            }
        }
    }
}

#[test]
fn a_blow_up_stops_the_cli_files_and_the_page_downloads_at_the_same_last_good_step() {
    let dir = folder("blowup");
    let mut recipe = preset("quick-test", PresetSize::Small).unwrap().recipe;
    recipe.run.dt = 0.01;
    let json = dir.join("recipe.json");
    std::fs::write(&json, recipe.to_json().unwrap()).unwrap();
    let (log, traj) = (dir.join("log.csv"), dir.join("run.gsd"));
    let (ok, _, err) = bnsl(&[
        "run",
        "--link",
        &format!("@{}", json.display()),
        "--log",
        &log.display().to_string(),
        "--trajectory",
        &traj.display().to_string(),
    ]);
    assert!(!ok);
    assert!(err.contains("smaller time step dt"), "{err}");
    let cli_rows: Vec<u64> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    let cli_frames = gsd_steps(&traj.display().to_string());

    let (rows, frames, done, message) = job_until_failure(&recipe);
    assert!(message.contains("smaller time step dt"), "{message}");
    let last = *cli_rows.last().unwrap();
    assert!(
        err.contains(&format!("last good state is step {last}")),
        "{err}"
    );
    assert_eq!(rows.iter().map(|r| r.step).collect::<Vec<_>>(), cli_rows);
    assert_eq!(frames, cli_frames);
    assert_eq!(
        *frames.last().unwrap(),
        last,
        "the page shows the last good frame"
    );
    assert_eq!(done, last, "and its step");
    assert!(
        !last.is_multiple_of(recipe.run.output.log_every),
        "a step past the last log row"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_seed_is_cut_into_a_fluid_from_a_gsd_file_with_whole_formula_units() {
    let dir = folder("seeded-fluid");
    let mut cfg = quick_config(&dir);
    cfg.geometry = bnsl::md::config::GeometryConfig::Periodic;
    cfg.initial = InitialConfig::RandomFluid {
        density: 0.5,
        min_distance: 1.0,
        order: bnsl::md::config::FluidOrder::Cells,
    };
    cfg.species[0].count = 200;
    cfg.species[1].count = 400;
    cfg.stage.truncate(1);
    cfg.stage[0].steps = 1_000;
    cfg.stage[0].compress_to = Some(1.6);
    let fluid = dir.join("fluid.gsd").display().to_string();
    cfg.output.trajectory.clone_from(&fluid);
    let config = write_config(&dir, &cfg);
    let (ok, _, err) = bnsl(&["run", &config]);
    assert!(ok, "{err}");

    cfg.initial = InitialConfig::Seeded {
        structure: bnsl::lattice::Structure::Alb2,
        seed_radius: 2.0,
        fluid: Some(fluid.clone()),
        density: None,
        compress: 0,
        equilibrate: 200,
        a: Some(1.04),
        c_over_a: Some(1.035),
        clearance: 0.97,
    };
    cfg.stage[0].steps = 200;
    cfg.stage[0].compress_to = None;
    cfg.output.trajectory = fluid.clone();
    let config = write_config(&dir, &cfg);
    let (ok, _, err) = bnsl(&["run", &config]);
    assert!(!ok, "the fluid file is an input");
    assert!(err.contains("initial.fluid"), "{err}");

    cfg.output.trajectory = dir.join("seeded.gsd").display().to_string();
    let config = write_config(&dir, &cfg);
    let (ok, out, err) = bnsl(&["run", &config]);
    assert!(ok, "{err}");
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ins = &summary["seed"]["insertion"];
    let count = |k: &str| ins[k].as_u64().unwrap();
    assert!(count("seed_large") > 10);
    assert_eq!(count("seed_small"), 2 * count("seed_large"), "{ins}");
    assert!(count("removed_large") >= count("seed_large"));
    assert!(count("removed_small") >= count("seed_small"));
    let n = 600 - count("removed_large") - count("removed_small")
        + count("seed_large")
        + count("seed_small");
    assert_eq!(summary["particles"].as_u64().unwrap(), n);
    assert_eq!(summary["seed"]["a"], 1.04);
    assert!(summary["seed"]["lattice"].is_null(), "a was given");
    let rows = summary["growth"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "steps 0, 100, 200");
    assert!(rows[0]["seed_cluster"].as_u64().unwrap() > 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue #15 "Proof": the seeded contrast, small and deterministic (1,500 particles at
/// ρσ³ 2.2, an AlB₂ seed of radius 3 σ whose lattice is matched to the fluid's pressure,
/// 2×10⁴ steps of dt = 0.002 = 40 τ held): with the narrow well (ε = 2.5 kT) the seed's
/// crystalline cluster gains L; purely repulsive (kT = ε) it melts. Margins below.
#[test]
fn a_narrow_well_seed_gains_large_particles_and_a_repulsive_seed_loses_them() {
    use bnsl::simulate::seeded::{growth_experiment, SeedWell, SeededSpec};
    let run = |well| {
        let mut spec = SeededSpec::alb2(well, 1_500, 2.2, 20_000);
        spec.seed_radius = 3.0;
        spec.compress = 4_000;
        spec.equilibrate = 4_000;
        spec.log_every = 2_000;
        growth_experiment(&spec, 1, &mut |_| {}).unwrap()
    };
    let narrow = run(SeedWell::Narrow);
    let repulsive = run(SeedWell::Repulsive);
    let report = |r: &bnsl::simulate::seeded::GrowthResult| {
        format!(
            "a = {:.4}, c/a = {:.4}, cluster {} -> {}, rate {:.3} L/tau",
            r.start.a, r.start.c_over_a, r.cluster_start, r.cluster_end, r.rate
        )
    };
    assert!((1.0..1.07).contains(&narrow.start.a), "{}", report(&narrow));
    assert!(
        narrow.cluster_end >= narrow.cluster_start + MARGIN_GAIN,
        "{}",
        report(&narrow)
    );
    assert!(
        repulsive.cluster_end + MARGIN_LOSS <= repulsive.cluster_start,
        "{}",
        report(&repulsive)
    );
    assert!(
        narrow.rate > repulsive.rate,
        "{} / {}",
        report(&narrow),
        report(&repulsive)
    );
}

/// L the narrow-well seed's cluster gains at least in the contrast above.
const MARGIN_GAIN: usize = 5;
/// L the repulsive seed's cluster loses at least.
const MARGIN_LOSS: usize = 30;
/// The tiny campaign of the phase-diagram tests: one depth, three fluid and one crystal
/// density, the least particles the narrow well allows, fast quality.
const TINY_CAMPAIGN: [&str; 14] = [
    "phase-diagram",
    "--well",
    "narrow",
    "--depths",
    "1",
    "--densities",
    "0.2,0.6,1.0",
    "--crystal-densities",
    "2.6",
    "--n",
    "168",
    "--quality",
    "fast",
    "--resume",
];

/// The tiny campaign into `out`, with the flags of `extra` (flag, value pairs) in place of its own.
fn campaign_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![TINY_CAMPAIGN[0]];
    let mut rest = TINY_CAMPAIGN[1..].iter();
    while let Some(&flag) = rest.next() {
        let value = (flag != "--resume").then(|| *rest.next().unwrap());
        if !extra.contains(&flag) {
            args.push(flag);
            args.extend(value);
        }
    }
    args.extend_from_slice(&["--out", out]);
    args.extend_from_slice(extra);
    args
}

/// diagram.json without what differs between two runs of the same campaign (the directory in
/// the command, the wall time).
fn diagram_numbers(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("diagram.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let provenance = v["provenance"].as_object_mut().unwrap();
    assert!(provenance.remove("wall_s").unwrap().as_f64().unwrap() > 0.0);
    let command = provenance.remove("command").unwrap();
    assert!(command
        .as_str()
        .unwrap()
        .starts_with("bnsl phase-diagram --well narrow"));
    v
}

#[test]
fn phase_diagram_names_bad_arguments() {
    let dir = folder("phase-args");
    let out = dir.join("c").display().to_string();
    for (extra, named, value) in [
        (vec!["--ratio", "1:3"], "--ratio", "1:3"),
        (vec!["--ratio", "two"], "--ratio", "two"),
        (vec!["--depths", "0,-1"], "--depths", "-1"),
        (vec!["--densities", "0.5,0.2"], "--densities", "0.5,0.2"),
        (vec!["--crystal-densities", "9"], "--crystal-densities", "9"),
        (vec!["--n", "30"], "--n", "30"),
        (vec!["--quality", "best"], "--quality", "best"),
        (vec!["--well", "deep"], "--well", "deep"),
    ] {
        let (ok, _, err) = bnsl(&campaign_args(&out, &extra));
        assert!(!ok, "{extra:?} accepted");
        assert!(
            err.contains(named) && err.contains(value),
            "{extra:?}: {err}"
        );
        assert!(!Path::new(&out).exists(), "{extra:?} left files");
    }
    // the particles' message gives the allowed range
    let (_, _, err) = bnsl(&campaign_args(&out, &["--n", "30"]));
    assert!(err.contains("168 to 20000"), "{err}");
    // a directory with other files is not a campaign's
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    let (ok, _, err) = bnsl(&campaign_args(dir.to_str().unwrap(), &[]));
    assert!(
        !ok && err.contains("--out") && err.contains("no campaign.json"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_killed_campaign_resumes_to_the_same_diagram_and_refuses_other_arguments() {
    let dir = folder("phase-resume");
    let whole = dir.join("whole");
    let (ok, _, err) = bnsl(&campaign_args(whole.to_str().unwrap(), &[]));
    assert!(ok, "{err}");
    assert!(err.contains("5 points computed, 0 taken"), "{err}");
    for file in [
        "campaign.json",
        "state_points.csv",
        "coexistence.csv",
        "isotherms.csv",
        "driving_force.csv",
        "phase_diagram.svg",
        "isotherms.svg",
        "driving_force.svg",
    ] {
        assert!(whole.join(file).is_file(), "{file} missing");
    }

    // killed after its first checkpoint, then resumed
    let killed = dir.join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(campaign_args(killed.to_str().unwrap(), &[]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    // checkpoints written (a temporary file is not one yet)
    let done = |d: &Path| {
        std::fs::read_dir(d.join("points")).map_or(0, |entries| {
            entries
                .filter(|e| {
                    let name = e.as_ref().unwrap().file_name();
                    name.to_string_lossy().ends_with(".json")
                })
                .count()
        })
    };
    while done(&killed) < 1 {
        assert!(start.elapsed() < Duration::from_secs(120), "no checkpoint");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(done(&whole), 5);
    let kept = done(&killed);
    let (ok, _, err) = bnsl(&campaign_args(killed.to_str().unwrap(), &[]));
    assert!(ok, "{err}");
    let taken = format!("{} points computed, {kept} taken", 5 - kept.min(5));
    assert!(err.contains(&taken) || kept == 5, "{taken}: {err}");
    assert_eq!(diagram_numbers(&killed), diagram_numbers(&whole));
    // a finished campaign resumed again computes nothing and writes the same diagram
    let (ok, _, err) = bnsl(&campaign_args(killed.to_str().unwrap(), &[]));
    assert!(ok && err.contains("0 points computed, 5 taken"), "{err}");

    // other arguments are refused, naming each; without --resume the directory is refused
    let before = std::fs::read_to_string(killed.join("diagram.json")).unwrap();
    let (ok, _, err) = bnsl(&campaign_args(
        killed.to_str().unwrap(),
        &["--seed", "2", "--densities", "0.2,0.6"],
    ));
    assert!(!ok, "resumed with other arguments");
    assert!(
        err.contains("--seed was 1, now 2")
            && err.contains("--densities was 0.2,0.6,1, now 0.2,0.6"),
        "{err}"
    );
    let mut fresh: Vec<&str> = campaign_args(killed.to_str().unwrap(), &[]);
    fresh.retain(|a| *a != "--resume");
    let (ok, _, err) = bnsl(&fresh);
    assert!(!ok && err.contains("add --resume"), "{err}");
    assert_eq!(
        std::fs::read_to_string(killed.join("diagram.json")).unwrap(),
        before
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_campaign_gives_the_same_checkpoints_and_diagram_on_any_number_of_jobs() {
    let dir = folder("phase-jobs");
    let runs: Vec<PathBuf> = ["1", "3"]
        .iter()
        .map(|jobs| {
            let out = dir.join(format!("jobs{jobs}"));
            let (ok, _, err) = bnsl(&campaign_args(
                out.to_str().unwrap(),
                &["--depths", "1,1.5", "--jobs", jobs],
            ));
            assert!(ok, "{err}");
            assert!(err.contains("10 points computed"), "{err}");
            out
        })
        .collect();
    assert_eq!(diagram_numbers(&runs[0]), diagram_numbers(&runs[1]));
    for entry in std::fs::read_dir(runs[0].join("points")).unwrap() {
        let path = entry.unwrap().path();
        let without_wall = |p: &Path| -> serde_json::Value {
            let mut v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            v.as_object_mut().unwrap().remove("wall_s");
            v
        };
        let twin = runs[1].join("points").join(path.file_name().unwrap());
        assert_eq!(
            without_wall(&path),
            without_wall(&twin),
            "{}",
            path.display()
        );
    }
    let (ok, _, err) = bnsl(&campaign_args(
        dir.join("none").to_str().unwrap(),
        &["--jobs", "0"],
    ));
    assert!(!ok && err.contains("--jobs"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every piece log of a reproduction folder, by path relative to it, with its bytes.
fn piece_logs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut logs = Vec::new();
    for run in std::fs::read_dir(dir.join("runs")).unwrap() {
        let run = run.unwrap().path();
        for f in std::fs::read_dir(&run).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "csv") {
                logs.push((
                    f.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&f).unwrap(),
                ));
            }
        }
    }
    logs.sort();
    logs
}

#[test]
fn reproduce_writes_its_tables_and_plots_and_resumes_to_the_same_runs() {
    let dir = folder("reproduce");
    let whole = dir.join("whole");
    let out = whole.display().to_string();
    let args = [
        "reproduce",
        "fig3e",
        "--quality",
        "fast",
        "--n",
        "300",
        "--seed",
        "3",
        "--out",
    ];
    let (ok, md, err) = bnsl(&[&args[..], &[out.as_str()]].concat());
    assert!(ok, "{err}");
    assert!(md.contains("| run | N | steps |"), "{md}");
    assert!(
        err.contains("[1/3] narrow-2.5") && err.contains("left"),
        "{err}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(whole.join("results.json")).unwrap())
            .unwrap();
    let runs = json["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    for r in runs {
        assert_eq!(r["particles"], 300);
        assert_eq!(r["steps"], 16_000);
        assert_eq!(r["complete"], true);
        let f = r["final_fraction"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&f), "{r}");
        assert!((r["density"][1].as_f64().unwrap() - r["density"][0].as_f64().unwrap()) > 1.5);
    }
    for stem in ["fig3e-fraction-density", "fig3e-fraction-time"] {
        let svg = std::fs::read_to_string(whole.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("narrow well"),
            "{stem}"
        );
        let png = std::fs::read(whole.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[..4], b"\x89PNG", "{stem}");
    }
    assert!(std::fs::read_to_string(whole.join("results.md"))
        .unwrap()
        .contains(".svg)"));

    // The same folder again: refused without --resume, skipped run by run with it.
    let (ok, _, err) = bnsl(&[&args[..], &[out.as_str()]].concat());
    assert!(!ok && err.contains("--resume"), "{err}");
    let (ok, md_again, err) = bnsl(&[&args[..], &[out.as_str(), "--resume"]].concat());
    assert!(ok, "{err}");
    assert_eq!(err.matches("skipped").count(), 3, "{err}");
    assert_eq!(md_again, md);

    // Killed after its first checkpoint, then resumed: the very same logs.
    let cut = dir.join("cut");
    let cut_out = cut.display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args([&args[..], &[cut_out.as_str()]].concat())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let record = cut.join("runs/narrow-2.5/record.json");
    let start = Instant::now();
    while !record.exists() && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let (ok, _, err) = bnsl(&[&args[..], &[cut_out.as_str(), "--resume"]].concat());
    assert!(ok, "{err}");
    assert_eq!(piece_logs(&cut), piece_logs(&whole));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reproduce_names_a_bad_argument_and_its_allowed_values() {
    let dir = folder("reproduce-args");
    let out = dir.join("out").display().to_string();
    for (args, expect) in [
        (vec!["fig9"], "one of fig3e, fig3f, fig4, seeded"),
        (
            vec!["fig3e", "--quality", "slow"],
            "--quality 'slow': one of fast, standard, paper",
        ),
        (
            vec!["fig4", "--n", "20"],
            "--n '20': the number of particles must be 300 to",
        ),
        (
            vec!["fig3e", "--only", "narrow-s1"],
            "--only 'narrow-s1': --only applies to the seeded experiment",
        ),
        (
            vec!["seeded", "--only", "narrow-s9"],
            "--only 'narrow-s9': the runs of this plan are narrow-s1, narrow-s2",
        ),
        (
            vec!["seeded", "--hold", "5"],
            "--hold '5': the steps held must be 1000 to",
        ),
    ] {
        let (ok, _, err) = bnsl(&[&["reproduce"][..], &args, &["--out", out.as_str()]].concat());
        assert!(!ok && err.contains(expect), "{args:?}: {err}");
    }
    assert!(
        !dir.join("out").exists(),
        "a refused reproduction wrote its folder"
    );
    // A folder holding something else is left alone.
    let busy = dir.join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "mine").unwrap();
    let busy_out = busy.display().to_string();
    let (ok, _, err) = bnsl(&[
        "reproduce",
        "fig3e",
        "--quality",
        "fast",
        "--out",
        &busy_out,
    ]);
    assert!(!ok && err.contains("not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(busy.join("notes.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
