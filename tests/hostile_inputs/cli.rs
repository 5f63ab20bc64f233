//! Every file of the hostile corpus through every command-line reader that takes its kind
//! (issue #18), plus hostile numbers on the command line and endless input (`/dev/zero`):
//! the `bnsl` binary must not panic (exit 101, "panicked" on stderr) or die of a signal,
//! must end within 30 s under a 1 GiB address-space limit, and a refusal must name the file
//! (where) and say what is wrong. Expected outcomes are listed per case.
//!
//! The cases of [`NEIGHBOUR_SEARCH`] (an outlier far from the rest, a zero-particle frame, a
//! 10¹² box) exercise the neighbour search and cell lists (outlier-proof since the merge of
//! `h3-gpu-space`): a result or a refusal, inside the limits.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::corpus_dir;

/// Longest a command may run.
const TIME_LIMIT: Duration = Duration::from_secs(30);
/// Address-space limit of a command, in KiB (1 GiB).
const MEMORY_LIMIT_KIB: u64 = 1 << 20;

/// What a command did.
#[derive(Debug)]
struct Outcome {
    /// Exit code, `None` when killed by a signal or by the time limit.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
    timed_out: bool,
}

/// Runs `bnsl args…` in `cwd` under the time and memory limits.
fn bnsl(args: &[String], cwd: &Path) -> Outcome {
    let out_path = cwd.join(".stdout");
    let err_path = cwd.join(".stderr");
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_bnsl"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("sh runs");
    let (status, timed_out) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (Some(status), false);
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Outcome {
        code: status.and_then(|s| s.code()),
        stdout: read(&out_path),
        stderr: read(&err_path),
        seconds: started.elapsed().as_secs_f64(),
        timed_out,
    }
}

/// What a case must do besides staying inside the limits.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Exit 0 with no NaN or infinity in the output.
    Ok,
    /// Exit 0; stderr warns with every needle (explicit NaN allowed in the output).
    Warned(&'static [&'static str]),
    /// Exit 1 with "error:" (or "bnsl gsd-info:"), the file's name and every needle on stderr.
    Refused(&'static [&'static str]),
    /// Either a result or a refusal (cases that depend on another branch).
    Either,
}

/// One command line.
struct Case {
    label: String,
    args: Vec<String>,
    /// The name the message must contain (the file, or the argument at fault).
    place: String,
    expect: Expect,
}

/// The problems of one case's outcome (empty when it passed).
fn problems(case: &Case, o: &Outcome) -> Vec<String> {
    let mut p = Vec::new();
    if o.timed_out {
        p.push(format!("ran past {} s", TIME_LIMIT.as_secs()));
        return p;
    }
    let Some(code) = o.code else {
        p.push("killed by a signal (abort, out of memory?)".into());
        return p;
    };
    if code == 101 || o.stderr.contains("panicked") {
        p.push("panicked".into());
        return p;
    }
    let said = |needles: &[&str], p: &mut Vec<String>| {
        for n in needles {
            if !o.stderr.contains(n) {
                p.push(format!("stderr lacks {n:?}"));
            }
        }
    };
    match case.expect {
        Expect::Ok | Expect::Warned(_) if code != 0 => p.push(format!("exit {code}, expected 0")),
        Expect::Ok => {
            // Documented nulls: no virial pressure in open space, no conserved quantity for
            // a Langevin run, no radius for an unbounded cluster, no GPU adapter on the CPU.
            let mut out = o.stdout.clone();
            for allowed in [
                "\"virial_pressure\":null",
                "\"conserved\":null",
                "\"radius\": null",
                "\"adapter\":null",
            ] {
                out = out.replace(allowed, "");
            }
            for bad in ["NaN", "inf", "null"] {
                if out.contains(bad) {
                    p.push(format!("output contains {bad}"));
                }
            }
        }
        Expect::Warned(needles) => said(needles, &mut p),
        Expect::Refused(needles) => {
            // 2: clap's usage errors.
            if code != 1 && code != 2 {
                p.push(format!("exit {code}, expected 1 (or 2 for a bad argument)"));
            }
            if !o
                .stderr
                .lines()
                .any(|l| l.starts_with("error:") || l.starts_with("bnsl gsd-info:"))
            {
                p.push("stderr has no error line".into());
            }
            if !o.stderr.contains(&case.place) {
                p.push(format!("stderr does not name {:?}", case.place));
            }
            said(needles, &mut p);
        }
        Expect::Either => {
            if code != 0 && !o.stderr.contains("error") {
                p.push(format!("exit {code} without an error message"));
            }
        }
    }
    p
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

/// The file name of a corpus path, as messages print it at the end of the path.
fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn files(kind: &str) -> Vec<PathBuf> {
    super::corpus_files(kind)
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

/// The expected outcome of `command` on corpus file `name` (`None`: refused, naming the file).
fn expected(kind: &str, command: &str, name: &str) -> Expect {
    match (kind, command, name) {
        // Multi-column files read as one curve, truncated and damaged tables: a fit or a
        // refusal (helper H5 reworks how multi-column files are read).
        (
            "saxs",
            "fit",
            "peaks.csv" | "nan_inf_rows.csv" | "outliers.csv" | "bit_flips.csv" | "truncated.csv"
            | "huge_header.csv",
        )
        | (
            "saxs",
            "fit",
            "series_flat_frame.csv"
            | "series_repeated_times.csv"
            | "series_long_minus_zero_time.csv",
        ) => Expect::Either,
        // A near-flat series: the fitter finds a phase whose parameters the data do not all fix.
        ("saxs", "fit-series", "series_long_minus_zero_time.csv") => {
            Expect::Warned(&["covariance is singular"])
        }
        ("saxs", "fit", "zero_errors.csv") => Expect::Warned(&["error column has value 0"]),
        ("saxs", "fit", "flat.csv") => Expect::Refused(&["no peaks"]),
        ("saxs", "fit", "values_1e300.csv") => {
            Expect::Refused(&["degenerate", "chi2 is not finite"])
        }
        ("saxs", "fit", "values_1e-300.csv") => Expect::Refused(&["degenerate", "chi2 = 0"]),
        ("saxs", "fit-series", "series_flat_frame.csv") => {
            Expect::Warned(&["t = 30: degenerate fit", "no peaks"])
        }
        ("saxs", "fit-series", "series_repeated_times.csv" | "series_long_bad_times.csv") => {
            Expect::Either
        }
        ("gsd", _, "good_two_frames.gsd") => Expect::Ok,
        ("gsd", "eval" | "order" | "classify", "coincident_pair.gsd") => {
            Expect::Refused(&["particles 5 and 6 are coincident"])
        }
        (
            "gsd",
            "gsd-info",
            "coincident_pair.gsd"
            | "zero_particles.gsd"
            | "box_1e12.gsd"
            | "open_outlier_1e5.gsd"
            | "open_outlier_corner_1e3.gsd"
            | "no_frames.gsd",
        ) => Expect::Ok,
        ("gsd", _, n) if NEIGHBOUR_SEARCH.contains(&n) => Expect::Either,
        ("toml", _, "tiny_valid.toml") => Expect::Ok,
        ("link" | "recipe", _, "good.txt" | "good.json") => Expect::Ok,
        _ => Expect::Refused(&[]),
    }
}

/// Corpus files for the neighbour search and cell lists: outliers, empty frames, huge boxes.
pub const NEIGHBOUR_SEARCH: &[&str] = &[
    "zero_particles.gsd",
    "open_outlier_1e5.gsd",
    "open_outlier_corner_1e3.gsd",
    "box_1e12.gsd",
];

fn cases(work: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    let mut file_case = |kind: &str, command: &str, path: &Path, args: Vec<String>| {
        out.push(Case {
            label: format!("{command} {kind}/{}", name_of(path)),
            args,
            place: name_of(path),
            expect: expected(kind, command, &name_of(path)),
        });
    };
    for f in files("saxs") {
        let p = f.to_string_lossy().into_owned();
        file_case("saxs", "fit", &f, s(&["fit", &p]));
        file_case("saxs", "fit-series", &f, s(&["fit-series", &p]));
    }
    for f in files("gsd") {
        let p = f.to_string_lossy().into_owned();
        file_case("gsd", "eval", &f, s(&["eval", &p]));
        file_case(
            "gsd",
            "order",
            &f,
            s(&["order", &p, "--l", "6", "--k", "4"]),
        );
        file_case("gsd", "classify", &f, s(&["classify", &p, "--all"]));
        file_case("gsd", "gsd-info", &f, s(&["gsd-info", &p]));
        let toml = work.join(format!("start_{}.toml", name_of(&f)));
        let text = std::fs::read_to_string(corpus_dir().join("toml/tiny_valid.toml"))
            .unwrap()
            .replace(
                "kind = \"random_fluid\"\ndensity = 0.3",
                &format!("kind = \"gsd\"\npath = {p:?}"),
            );
        std::fs::write(&toml, text).unwrap();
        file_case(
            "gsd",
            "run",
            &f,
            s(&["run", &toml.to_string_lossy(), "--max-steps", "2"]),
        );
    }
    for f in files("toml") {
        let p = f.to_string_lossy().into_owned();
        file_case("toml", "run", &f, s(&["run", &p, "--max-steps", "2"]));
    }
    for f in files("link") {
        let text = std::fs::read_to_string(&f).unwrap();
        out_link(&mut out, &f, text);
    }
    for f in files("recipe") {
        let p = f.to_string_lossy().into_owned();
        out.push(Case {
            label: format!("run --link @recipe/{}", name_of(&f)),
            args: s(&["run", "--link", &format!("@{p}")]),
            place: name_of(&f),
            expect: expected("recipe", "run", &name_of(&f)),
        });
    }
    let good_gsd = corpus_dir()
        .join("gsd/good_two_frames.gsd")
        .to_string_lossy()
        .into_owned();
    for f in files("rules") {
        let p = f.to_string_lossy().into_owned();
        out.push(Case {
            label: format!("classify --rules rules/{}", name_of(&f)),
            args: s(&["classify", &good_gsd, "--rules", &p]),
            place: name_of(&f),
            expect: Expect::Refused(&[]),
        });
    }
    out.extend(endless_and_numbers(&good_gsd));
    out
}

fn out_link(out: &mut Vec<Case>, f: &Path, text: String) {
    let name = name_of(f);
    let expect = match name.as_str() {
        "good.txt" => Expect::Ok,
        _ => Expect::Refused(&[]),
    };
    out.push(Case {
        label: format!("run --link link/{name}"),
        args: vec!["run".into(), "--link".into(), text],
        // A link has no file name: the message names the field or the damage.
        place: String::new(),
        expect,
    });
}

/// `/dev/zero` given to every reader that reads a whole file, and hostile numbers on the
/// command line.
fn endless_and_numbers(good_gsd: &str) -> Vec<Case> {
    let peaks = corpus_dir()
        .join("saxs/peaks.csv")
        .to_string_lossy()
        .into_owned();
    let refused =
        |label: &str, args: &[&str], place: &str, needles: &'static [&'static str]| Case {
            label: label.to_string(),
            args: s(args),
            place: place.to_string(),
            expect: Expect::Refused(needles),
        };
    vec![
        refused(
            "fit /dev/zero",
            &["fit", "/dev/zero"],
            "/dev/zero",
            &["64 MiB", "reading stopped"],
        ),
        refused(
            "fit-series /dev/zero",
            &["fit-series", "/dev/zero"],
            "/dev/zero",
            &["64 MiB"],
        ),
        refused(
            "run /dev/zero",
            &["run", "/dev/zero"],
            "/dev/zero",
            &["1 MiB", "run configuration"],
        ),
        refused(
            "run --link @/dev/zero",
            &["run", "--link", "@/dev/zero"],
            "/dev/zero",
            &["1 MiB"],
        ),
        refused(
            "classify --rules /dev/zero",
            &["classify", good_gsd, "--rules", "/dev/zero"],
            "/dev/zero",
            &["1 MiB"],
        ),
        refused(
            "eval /dev/zero",
            &["eval", "/dev/zero"],
            "/dev/zero",
            &["GSD"],
        ),
        refused(
            "gsd-info /dev/zero",
            &["gsd-info", "/dev/zero"],
            "/dev/zero",
            &["GSD"],
        ),
        refused(
            "order --k 0",
            &["order", good_gsd, "--l", "6", "--k", "0"],
            "--k",
            &["0 is not in 1..=100"],
        ),
        refused(
            "order --k 10^9",
            &["order", good_gsd, "--l", "6", "--k", "1000000000"],
            "--k",
            &[],
        ),
        refused(
            "order --l 99",
            &["order", good_gsd, "--l", "99", "--k", "4"],
            "l = 99",
            &[],
        ),
        refused(
            "order --frame 10^12",
            &[
                "order",
                good_gsd,
                "--l",
                "6",
                "--k",
                "4",
                "--frame",
                "1000000000000",
            ],
            "good_two_frames.gsd",
            &["frame"],
        ),
        refused(
            "classify --frame 2^64-1",
            &["classify", good_gsd, "--frame", "18446744073709551615"],
            "good_two_frames.gsd",
            &["frame"],
        ),
        refused(
            "classify --structure bogus",
            &["classify", good_gsd, "--structure", "bogus"],
            "bogus",
            &[],
        ),
        refused(
            "eval --frame -10^12",
            &["eval", good_gsd, "--frame", "-1000000000000"],
            "good_two_frames.gsd",
            &["frame"],
        ),
        refused(
            "eval --rcut 1e300",
            &["eval", good_gsd, "--rcut", "1e300"],
            "'--rcut': 1e300",
            &[],
        ),
        refused(
            "eval --rcut nan",
            &["eval", good_gsd, "--rcut", "nan"],
            "'--rcut': NaN",
            &[],
        ),
        refused(
            "eval --epsilon inf",
            &["eval", good_gsd, "--epsilon", "inf"],
            "'--epsilon': inf",
            &[],
        ),
        refused(
            "eval --n 0",
            &["eval", good_gsd, "--n", "0"],
            "'--n': 0",
            &[],
        ),
        refused(
            "eval --m 4000000000",
            &["eval", good_gsd, "--m", "4000000000"],
            "'--m': 4000000000",
            &[],
        ),
        refused(
            "fit --core-l 1e300",
            &["fit", &peaks, "--core-l", "1e300", "--core-s", "1e300"],
            "peaks.csv",
            &["core"],
        ),
        refused(
            "fit --core-l nan",
            &["fit", &peaks, "--core-l", "nan", "--core-s", "1"],
            "--core-l",
            &["finite"],
        ),
        refused(
            "fit --core-diameter nan",
            &[
                "fit",
                &peaks,
                "--core-diameter",
                "nan",
                "--core-spread",
                "1",
            ],
            "--core-diameter",
            &["positive"],
        ),
        refused(
            "fit --core-diameter 1e300",
            &[
                "fit",
                &peaks,
                "--core-diameter",
                "1e300",
                "--core-spread",
                "1e299",
            ],
            "peaks.csv",
            &["positive and finite"],
        ),
        refused(
            "fit --form-factor /dev/zero",
            &["fit", &peaks, "--form-factor", "/dev/zero"],
            "/dev/zero",
            &[],
        ),
        refused(
            "fit --q-unit bogus",
            &["fit", &peaks, "--q-unit", "bogus"],
            "bogus",
            &[],
        ),
        refused(
            "fit --model bogus",
            &["fit", &peaks, "--model", "bogus"],
            "bogus",
            &[],
        ),
        refused(
            "run --preset bogus",
            &["run", "--preset", "bogus"],
            "bogus",
            &[],
        ),
    ]
}

/// Runs every case.
fn survey() -> (Vec<(Case, Outcome, Vec<String>)>, tempdir::Dir) {
    let work = tempdir::Dir::new();
    let results = cases(work.path())
        .into_iter()
        .map(|c| {
            let o = bnsl(&c.args, work.path());
            let p = problems(&c, &o);
            (c, o, p)
        })
        .collect();
    (results, work)
}

/// A scratch folder removed at the end.
mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Self {
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let k = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let p = std::env::temp_dir().join(format!("bnsl-hostile-{}-{k}", std::process::id()));
            std::fs::create_dir_all(&p).unwrap();
            Self(p)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[test]
fn every_cli_reader_survives_the_hostile_corpus() {
    check(survey());
}

fn check((results, work): (Vec<(Case, Outcome, Vec<String>)>, tempdir::Dir)) {
    let mut failed = Vec::new();
    let mut slowest = (0.0, String::new());
    for (c, o, p) in &results {
        if o.seconds > slowest.0 {
            slowest = (o.seconds, c.label.clone());
        }
        if !p.is_empty() {
            failed.push(format!(
                "{}: {} [{:?}, exit {:?}, {:.1} s]\n  stderr: {}",
                c.label,
                p.join("; "),
                c.expect,
                o.code,
                o.seconds,
                o.stderr.chars().take(300).collect::<String>()
            ));
        }
    }
    eprintln!(
        "{} command lines, slowest {:.1} s ({})",
        results.len(),
        slowest.0,
        slowest.1
    );
    drop(work);
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}
