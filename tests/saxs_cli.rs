//! The example datasets in www/examples are what our lattice models produce (regenerate with
//! `BNSL_WRITE_EXAMPLES=1 cargo test --release --test saxs_cli`), and `bnsl fit` /
//! `bnsl fit-series` recover the lattices they were made from.

use bnsl::lattice::{CoreDiameters, UnitCell};
use bnsl::saxs::synthetic::{noisy_pattern, LatticePhase, Noise};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

const NOISE: Noise = Noise {
    relative: 0.01,
    absolute: 0.005,
};
const BACKGROUND: [f64; 3] = [1.0, -0.05, 0.01];
/// Fe₃O₄/PbS cores of the paper's AlB₂ sample; FICO/PbS of its NaZn₁₃ sample (nm).
const FE3O4_PBS: CoreDiameters = CoreDiameters {
    large: 10.4,
    small: 4.5,
};
const FICO_PBS: CoreDiameters = CoreDiameters {
    large: 13.2,
    small: 4.5,
};

fn alb2(a: f64, rho: f64, cores: CoreDiameters, xi: f64, height: f64) -> LatticePhase {
    LatticePhase {
        cell: UnitCell::alb2(a, rho),
        cores,
        xi,
        height,
    }
}

fn single() -> String {
    let (q, s, e) = noisy_pattern(
        &[alb2(13.1, 0.99, FE3O4_PBS, 330.0, 2.0)],
        BACKGROUND,
        (0.3, 1.6, 1000),
        NOISE,
        11,
    );
    let mut out = String::from("# AlB2 superlattice, Fe3O4/PbS cores 10.4/4.5 nm: a = 13.1 nm, c/a = 0.99, xi = 330 nm (bnsl synthetic)\nq (nm^-1),S,error\n");
    for i in 0..q.len() {
        let _ = writeln!(out, "{:.6},{:.6},{:.6}", q[i], s[i], e[i]);
    }
    out
}

fn mixture() -> String {
    let nazn13 = LatticePhase {
        cell: UnitCell::nazn13(34.4),
        cores: FICO_PBS,
        xi: 510.0,
        height: 3.0,
    };
    let (q, s, e) = noisy_pattern(
        &[nazn13, alb2(15.8, 1.0, FICO_PBS, 200.0, 1.0)],
        BACKGROUND,
        (0.3, 1.6, 1000),
        NOISE,
        12,
    );
    let mut out = String::from("# NaZn13 (a = 34.4 nm, xi = 510 nm) + AlB2 (a = 15.8 nm, c/a = 1.00, xi = 200 nm), FICO/PbS cores 13.2/4.5 nm (bnsl synthetic)\nq (nm^-1),S,error\n");
    for i in 0..q.len() {
        let _ = writeln!(out, "{:.6},{:.6},{:.6}", q[i], s[i], e[i]);
    }
    out
}

/// 20 frames 28 s apart: AlB₂ growing (peak height 0.2 → 2) while a shrinks 13.4 → 13.1 nm.
fn series_truth(t: usize) -> (f64, f64) {
    let x = t as f64 / 19.0;
    (13.4 - 0.3 * x, 0.2 + 1.8 * x)
}

fn series() -> String {
    let frames: Vec<(Vec<f64>, Vec<f64>)> = (0..20)
        .map(|t| {
            let (a, h) = series_truth(t);
            let (q, s, _) = noisy_pattern(
                &[alb2(a, 0.99, FE3O4_PBS, 330.0, h)],
                BACKGROUND,
                (0.3, 1.6, 600),
                NOISE,
                100 + t as u64,
            );
            (q, s)
        })
        .collect();
    let mut out = String::from("# AlB2 crystallising while drying: a 13.4 -> 13.1 nm, c/a = 0.99, xi = 330 nm; S(q, t), one column per time (bnsl synthetic)\nq (nm^-1)");
    for t in 0..20 {
        let _ = write!(out, ",t={}s", 28 * t);
    }
    out.push('\n');
    for i in 0..frames[0].0.len() {
        let _ = write!(out, "{:.6}", frames[0].0[i]);
        for f in &frames {
            let _ = write!(out, ",{:.6}", f.1[i]);
        }
        out.push('\n');
    }
    out
}

fn example(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("www/examples")
        .join(name);
    if std::env::var_os("BNSL_WRITE_EXAMPLES").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, text).expect("write example");
    }
    let committed = std::fs::read_to_string(&path).expect("example committed");
    assert_eq!(committed, text, "{name} differs from what the model makes");
    path
}

fn bnsl(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(args)
        .output()
        .expect("run bnsl");
    assert!(
        out.status.success(),
        "bnsl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn close(v: &serde_json::Value, key: &str, truth: f64, tol: f64) {
    let x = v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"));
    assert!(
        (x - truth).abs() <= tol,
        "{key} = {x}, expected {truth} ± {tol}"
    );
    assert!(
        v[&format!("{key}_err")].as_f64().is_some_and(|e| e >= 0.0),
        "{key}_err in {v}"
    );
}

#[test]
fn fit_single_alb2_example() {
    let path = example("saxs_alb2_single.csv", &single());
    let out = bnsl(&[
        "fit",
        path.to_str().expect("path"),
        "--core-l",
        "10.4",
        "--core-s",
        "4.5",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["model"], "alb2");
    let ph = &v["phases"][0];
    assert_eq!(ph["structure"], "alb2");
    close(ph, "a", 13.1, 0.026);
    close(ph, "c_over_a", 0.99, 0.005);
    close(ph, "xi", 330.0, 33.0);
    close(ph, "fraction", 1.0, 1e-9);
    // d_LL = a − σ_L, φ from SCIENCE.md §5 at the true lattice.
    close(ph, "d_ll", 13.1 - 10.4, 0.03);
    let v_cell = 3f64.sqrt() / 2.0 * 13.1f64.powi(3) * 0.99;
    let phi =
        4.0 * std::f64::consts::PI / (3.0 * v_cell) * (5.2f64.powi(3) + 2.0 * 2.25f64.powi(3));
    close(ph, "phi", phi, 0.005);
    for key in ["b_ll", "b_ss", "b_ls", "d_ss", "d_ls", "phi_eff"] {
        assert!(ph[&format!("{key}_err")].is_number(), "{key}");
    }
    let peaks = v["peaks"].as_array().expect("peak table");
    assert!(peaks.len() >= 7);
    assert!(peaks.iter().any(|p| p["hkl"] == "101"));
    assert!(
        v["chi2_reduced"]
            .as_f64()
            .is_some_and(|c| c > 0.8 && c < 1.3),
        "{}",
        v["chi2_reduced"]
    );
}

/// Issue #17: a user-defined crystal from a TOML file; fitted alone to an AlB₂ pattern it
/// explains nothing, and the JSON says so in a field scripts can test.
#[test]
fn a_structure_file_that_does_not_fit_is_reported_unexplained() {
    let data = example("saxs_alb2_single.csv", &single());
    let dir = std::env::temp_dir().join(format!("bnsl-structure-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("rocksalt.toml");
    std::fs::write(
        &file,
        "name = \"my-rocksalt\"\nlattice = \"cubic\"\nbasis = [\n  { species = \"Large\", frac = [0, 0, 0] },\n  { species = \"Large\", frac = [0, 0.5, 0.5] },\n  { species = \"Large\", frac = [0.5, 0, 0.5] },\n  { species = \"Large\", frac = [0.5, 0.5, 0] },\n  { species = \"Small\", frac = [0.5, 0.5, 0.5] },\n]\n",
    )
    .expect("structure file");
    let args = |model: &str| {
        let out = bnsl(&[
            "fit",
            data.to_str().expect("path"),
            "--structure-file",
            file.to_str().expect("path"),
            "--model",
            model,
        ]);
        serde_json::from_str::<serde_json::Value>(&out).expect("one JSON object")
    };
    let own = args("file");
    assert_eq!(own["model"], "my-rocksalt");
    assert_eq!(own["explained"], false, "{}", own["verdict"]);
    let message = own["verdict"]["message"].as_str().expect("message");
    assert!(
        message.starts_with("No structure in the catalogue explains this pattern"),
        "{message}"
    );
    assert!(own["indexing"]["peaks"]
        .as_array()
        .is_some_and(|p| p.len() >= 3));
    let auto = args("auto");
    assert_eq!(auto["model"], "alb2", "{}", auto["compared"]);
    assert_eq!(auto["explained"], true, "{}", auto["verdict"]);
    assert!(auto["compared"].as_array().is_some_and(|c| c.len() > 3));
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\nlattice = \"cubic\"\nbasis = []\n").expect("file");
    let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(["fit", data.to_str().expect("path"), "--structure-file"])
        .arg(&bad)
        .output()
        .expect("bnsl runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("basis"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn fit_mixture_example() {
    let path = example("saxs_nazn13_alb2_mixture.csv", &mixture());
    // The FICO/PbS cores it was made with: they set the intensities that tell NaZn₁₃ from a
    // simple-cubic lattice of a/2 among the catalogue's candidates.
    let out = bnsl(&[
        "fit",
        path.to_str().expect("path"),
        "--q-unit",
        "nm-1",
        "--core-l",
        "13.2",
        "--core-s",
        "4.5",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(v["model"], "alb2+nazn13");
    let phases = v["phases"].as_array().expect("phases");
    let find = |name: &str| {
        phases
            .iter()
            .find(|p| p["structure"] == name)
            .expect("phase")
    };
    close(find("nazn13"), "a", 34.4, 0.07);
    close(find("nazn13"), "xi", 510.0, 51.0);
    close(find("alb2"), "a", 15.8, 0.032);
    close(find("alb2"), "c_over_a", 1.0, 0.005);
    close(find("alb2"), "xi", 200.0, 20.0);
    // Majority (by peak area) first; the fractions add up to one.
    let f: Vec<f64> = phases
        .iter()
        .map(|p| p["fraction"].as_f64().expect("fraction"))
        .collect();
    assert!(f[0] >= f[1] && (f[0] + f[1] - 1.0).abs() < 1e-9, "{f:?}");
}

#[test]
fn fit_series_example() {
    let path = example("saxs_alb2_series.csv", &series());
    let out = bnsl(&[
        "fit-series",
        path.to_str().expect("path"),
        "--model",
        "alb2",
        "--core-l",
        "10.4",
        "--core-s",
        "4.5",
    ]);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 20);
    for (t, row) in rows.iter().enumerate() {
        let (a, _) = series_truth(t);
        assert_eq!(
            row[col("time")].parse::<f64>().expect("time"),
            28.0 * t as f64
        );
        let fitted: f64 = row[col("alb2_a")].parse().expect("a");
        assert!((fitted / a - 1.0).abs() < 0.002, "t {t}: a {fitted} vs {a}");
        let growth: f64 = row[col("alb2_growth")].parse().expect("growth");
        assert!(growth > 0.0 && growth <= 1.0);
    }
    let first: f64 = rows[0][col("alb2_growth")].parse().expect("g");
    assert!(first < 0.3, "growth at t = 0: {first}");
    assert!(header.contains(&"alb2_phi_eff_last_gaps"));
    assert!(header.contains(&"alb2_d_ll_err"));
}

#[test]
fn bad_arguments_are_reported() {
    let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
        .args(["fit", "/nonexistent.csv"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nonexistent"));
}

/// Issue #18: a series file is not fitted as one pattern (its third column is no error bar),
/// and a 2θ column is not fitted as q without a wavelength; the messages name the way out.
#[test]
fn series_and_angle_files_are_refused_with_the_choice_named() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
            .args(args)
            .output()
            .expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let series = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/examples/saxs_alb2_series.csv"
    );
    let (ok, err) = run(&["fit", series]);
    assert!(!ok);
    assert!(
        err.contains("this is a series") && err.contains("bnsl fit-series"),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("bnsl-angle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("angle.csv");
    std::fs::write(&path, "2theta (deg),I\n1,1\n2,2\n3,3\n").expect("write");
    let (ok, err) = run(&["fit", path.to_str().expect("path")]);
    assert!(!ok);
    assert!(err.contains("--wavelength"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue #17: the measured I(q) of AlB₂ fitted with the dilute cores' P(q) from a file (both
/// from tests/reference/catalogue_patterns.py): the lattice, scale and background come back;
/// core arguments out of range are refused naming the argument and its range.
#[test]
fn intensity_with_a_measured_form_factor() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/saxs/");
    let data = format!("{dir}iq_alb2.csv");
    let cores = format!("{dir}iq_alb2_cores.csv");
    let out = bnsl(&["fit", &data, "--form-factor", &cores, "--q-unit", "nm-1"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["model"], "alb2", "{v}");
    assert_eq!(v["explained"], true, "{}", v["verdict"]);
    close(&v["phases"][0], "a", 14.3, 0.002 * 14.3);
    close(&v["phases"][0], "c_over_a", 1.0, 0.005);
    let intensity = &v["intensity"];
    assert!(
        intensity["form_factor"]
            .as_str()
            .is_some_and(|s| s.contains("iq_alb2_cores.csv")),
        "{intensity}"
    );
    // The file's P is 37 × P(q) with P(0) = 1, the data 0.1646 of background.
    assert!(intensity["scale"].as_f64().is_some_and(|s| s > 0.0));
    close(intensity, "background", 0.164575, 0.03);
    let spheres = bnsl(&[
        "fit",
        &data,
        "--core-diameter",
        "10.01",
        "--core-spread",
        "0.8008",
    ]);
    let w: serde_json::Value = serde_json::from_str(&spheres).expect("json");
    assert_eq!(w["model"], "alb2", "{w}");
    close(&w["phases"][0], "a", 14.3, 0.002 * 14.3);
    let refused = |args: &[&str], needles: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_bnsl"))
            .args(args)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} accepted");
        for n in needles {
            assert!(err.contains(n), "{args:?}: {err}");
        }
    };
    refused(
        &["fit", &data, "--core-diameter", "10", "--core-spread", "0"],
        &["--core-spread", "between 0.1 and 5"],
    );
    refused(
        &["fit", &data, "--core-diameter=-3", "--core-spread", "1"],
        &["--core-diameter", "positive"],
    );
    refused(&["fit", &data, "--core-diameter", "10"], &["--core-spread"]);
    let short = std::env::temp_dir().join(format!("bnsl-short-ff-{}.csv", std::process::id()));
    std::fs::write(&short, "q (nm^-1),I\n0.5,1\n0.6,0.5\n0.7,0.3\n").expect("write");
    refused(
        &["fit", &data, "--form-factor", short.to_str().expect("path")],
        &["form factor", "covers q = 0.5–0.7"],
    );
    std::fs::remove_file(&short).ok();
}
