//! Hostile input (issue #18): the committed corpus of tests/fixtures/hostile (made by
//! `generate.rs`) run through every command-line reader (`cli.rs`: no panic, at most 30 s and
//! 1 GiB, a message that says what and where), the fuzz targets seeded by it (`fuzz.rs` on the
//! mutation harness of `harness.rs`, a bounded time each) and the GSD reader's exhaustive
//! truncation and bit-flip tests (`gsd_bytes.rs`).

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod fuzz;
mod generate;
mod gsd_bytes;
mod harness;

use std::path::PathBuf;

/// The folder of the committed corpus.
fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

/// A file of the repository, by path from its root.
fn repo_file(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The committed corpus files of one kind (`saxs`, `gsd`, `toml`, `link`, `recipe`, `rules`),
/// sorted by name.
fn corpus_files(kind: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = corpus_dir().join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn corpus_is_committed_as_generated() {
    let made = generate::corpus();
    let dir = corpus_dir();
    if std::env::var_os("BNSL_WRITE_HOSTILE").is_some() {
        for (path, bytes) in &made {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, bytes).unwrap();
        }
    }
    for (path, bytes) in &made {
        let committed = std::fs::read(dir.join(path))
            .unwrap_or_else(|e| panic!("{path}: {e} (BNSL_WRITE_HOSTILE=1 writes the corpus)"));
        assert!(
            &committed == bytes,
            "{path} differs from what generate.rs makes"
        );
    }
    let committed: usize = ["saxs", "gsd", "toml", "link", "recipe", "rules"]
        .iter()
        .map(|k| corpus_files(k).len())
        .sum();
    assert_eq!(
        committed,
        made.len(),
        "files in the corpus that generate.rs does not make"
    );
}
