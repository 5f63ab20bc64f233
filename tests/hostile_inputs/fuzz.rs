//! The fuzz targets (issue #18): the SAXS table and series readers, the GSD reader, the share
//! link and recipe decoders and the TOML run configuration, each seeded by its part of the
//! committed corpus and the shipped examples. Properties: no panic, and what is accepted
//! keeps the reader's documented invariants (sorted positive q and finite values; frames with
//! consistent arrays and finite positions; recipes and configurations inside the engine's
//! bounds, which then build or fail with an error).

use std::io::Cursor;

use bnsl::io::gsd::{read_trajectory, summarize};
use bnsl::md::config::{InitialConfig, RunConfig};
use bnsl::saxs::read::{read_pattern, read_series, ReadOptions, SeriesLayout};
use bnsl::simulate::{check_run_config, Recipe};
use proptest::prop_assert;
use proptest::test_runner::TestCaseError;

use super::harness::fuzz;
use super::{corpus_files, repo_file};

const SAXS_TOKENS: &[&[u8]] = &[
    b"nan",
    b"NaN",
    b"inf",
    b"-inf",
    b"1e400",
    b"-1e400",
    b"1e-400",
    b"0",
    b"-0",
    b"1e308",
    b",",
    b";",
    b"\t",
    b" ",
    b"\n",
    b"\r\n",
    b"#",
    b"q",
    b"t=",
    b"s",
    b"ms",
    b"min",
    b"h",
    b"1/nm",
    b"1/A",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\"",
    b"2theta (deg)",
    b"E",
    b".",
    b"-",
    b"time,q,S\n",
    b"q (nm^-1),t=0s,t=30s\n",
];

const GSD_TOKENS: &[&[u8]] = &[
    b"\0\0\0\0",
    b"\xff\xff\xff\xff\xff\xff\xff\xff",
    b"\0\0\0\0\0\0\0\x40",
    b"particles/N\0",
    b"particles/position\0",
    b"configuration/box\0",
    b"particles/typeid\0",
    b"hoomd\0",
    b"\x01",
    b"\0\0\x80\x7f",
    b"\0\0\xc0\x7f",
    b"\0\0\x80\xff",
    b"\xff\xff\xff\x7f",
];

const LINK_TOKENS: &[&[u8]] = &[
    b"#/simulate?r=",
    b"#/saxs?r=",
    b"%",
    b"&",
    b"?",
    b"=",
    b"/",
    b"A",
    b"_",
    b"-",
    b"AQ",
    b"AAAAAAAA",
    b"////",
    b"r=",
    b"#",
    b" ",
];

const JSON_TOKENS: &[&[u8]] = &[
    b"1e400",
    b"-1",
    b"null",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b",",
    b":",
    b"NaN",
    b"1000000000",
    b"\"count\":",
    b"\"density\":",
    b"1e-9",
    b"\"cells\":[100,100,100]",
    b"0",
    b"true",
    b"\"kind\":\"lattice\"",
    b"\"kind\":\"seeded_fluid\"",
    b"\"seed_radius\":",
    b"18446744073709551615",
];

const TOML_TOKENS: &[&[u8]] = &[
    b"nan",
    b"inf",
    b"-inf",
    b"1e400",
    b"4294967296",
    b"18446744073709551615",
    b"-1",
    b"0",
    b"[",
    b"]",
    b"[[",
    b"]]",
    b"{",
    b"}",
    b"=",
    b"\"",
    b"'''",
    b"\n",
    b"#",
    b"count = ",
    b"density = ",
    b"cells = [100, 100, 100]",
    b"kind = \"lattice\"",
    b"kind = \"seeded_fluid\"",
    b"kind = \"gsd\"",
    b"chain = ",
    b"r_cut = ",
    b"1e-9",
    b"0.5",
    b"true",
    b"compress_to = ",
    b"[[species]]\nname = \"X\"\ndiameter = 1.0\ncount = 5\n",
    b"structure = \"nazn13\"\n",
    b"seed_radius = 3.0\n",
    b"a = 1.5\n",
];

fn seeds(kind: &str, extra: &[&str]) -> Vec<Vec<u8>> {
    let mut s: Vec<Vec<u8>> = corpus_files(kind).into_iter().map(|(_, b)| b).collect();
    s.extend(extra.iter().map(|p| repo_file(p)));
    s
}

#[test]
fn fuzz_saxs_readers() {
    let options = ReadOptions::default();
    let n = fuzz(
        "saxs",
        seeds("saxs", &["www/examples/saxs_alb2_single.csv"]),
        SAXS_TOKENS,
        |bytes| {
            if let Ok(p) = read_pattern(bytes, &options) {
                prop_assert!(p.q.len() == p.intensity.len());
                prop_assert!(p.q.windows(2).all(|w| w[0] < w[1]), "q not increasing");
                prop_assert!(p.q.iter().all(|&q| q > 0.0 && q.is_finite()), "bad q");
                prop_assert!(
                    p.intensity.iter().all(|v| v.is_finite()),
                    "non-finite intensity"
                );
                if let Some(e) = &p.error {
                    prop_assert!(
                        e.len() == p.q.len() && e.iter().all(|&v| v > 0.0 && v.is_finite())
                    );
                }
            }
            if let Ok(s) = read_series(bytes, &options, SeriesLayout::Auto) {
                prop_assert!(
                    s.q.windows(2).all(|w| w[0] < w[1]),
                    "series q not increasing"
                );
                prop_assert!(
                    s.q.iter().all(|&q| q > 0.0 && q.is_finite()),
                    "bad series q"
                );
                prop_assert!(s.times.len() == s.frames.len());
                prop_assert!(s.frames.iter().all(|f| f.len() == s.q.len()));
            }
            Ok(())
        },
    );
    assert!(n > 0);
}

#[test]
fn fuzz_gsd_reader() {
    let n = fuzz(
        "gsd",
        seeds(
            "gsd",
            &[
                "tests/fixtures/gsd/hoomd_written.gsd",
                "tests/fixtures/gsd/bnsl_names.gsd",
            ],
        ),
        GSD_TOKENS,
        |bytes| {
            if let Ok(frames) = read_trajectory(bytes) {
                for f in &frames {
                    let n = f.positions.len();
                    prop_assert!(f.typeid.len() == n && f.diameters.len() == n);
                    prop_assert!(f.typeid.iter().all(|&t| (t as usize) < f.types.len()));
                    prop_assert!(f.positions.iter().flatten().all(|x| x.is_finite()));
                }
            }
            if let Ok(s) = summarize(Cursor::new(bytes)) {
                prop_assert!(serde_json::to_string(&s).is_ok());
            }
            Ok(())
        },
    );
    assert!(n > 0);
}

/// An accepted recipe is inside the engine's bounds and round-trips through its link.
fn accepted(recipe: &Recipe) -> Result<(), TestCaseError> {
    prop_assert!(recipe.problems().is_empty(), "{:?}", recipe.problems());
    prop_assert!(check_run_config(&recipe.run).is_empty());
    if let Ok(fragment) = recipe.to_fragment() {
        let back = Recipe::from_link(&fragment);
        prop_assert!(back.as_ref().ok() == Some(recipe), "{back:?}");
    }
    Ok(())
}

#[test]
fn fuzz_share_links_and_recipes() {
    let links = fuzz(
        "link",
        seeds("link", &[]),
        LINK_TOKENS,
        |bytes| match std::str::from_utf8(bytes).map(Recipe::from_link) {
            Ok(Ok(recipe)) => accepted(&recipe),
            Ok(Err(e)) => {
                prop_assert!(!e.to_string().is_empty());
                Ok(())
            }
            Err(_) => Ok(()),
        },
    );
    let json = fuzz(
        "recipe",
        seeds("recipe", &[]),
        JSON_TOKENS,
        |bytes| match Recipe::from_json(bytes) {
            Ok(recipe) => accepted(&recipe),
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
                Ok(())
            }
        },
    );
    assert!(links > 0 && json > 0);
}

/// At most this many particles are built from an accepted configuration (to keep the rate).
const BUILD_AT_MOST: usize = 400;

/// Particles a configuration asks for, roughly (a lattice: cells times its largest basis).
fn size_of(cfg: &RunConfig) -> usize {
    let species = cfg
        .species
        .iter()
        .fold(0usize, |a, s| a.saturating_add(s.count));
    match &cfg.initial {
        InitialConfig::Lattice { cells, .. } => {
            cells.iter().fold(112usize, |a, &c| a.saturating_mul(c))
        }
        InitialConfig::SeededFluid { seed_radius, .. } if *seed_radius > 2.0 => usize::MAX,
        // A seeded start runs the fluid and trial crystals: not a build to fuzz.
        InitialConfig::Seeded { .. } => usize::MAX,
        _ => species,
    }
}

#[test]
fn fuzz_toml_run_configurations() {
    let n = fuzz(
        "toml",
        seeds(
            "toml",
            &[
                "examples/fig4_droplet_alb2.toml",
                "examples/seeded_growth_alb2.toml",
            ],
        ),
        TOML_TOKENS,
        |bytes| {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return Ok(());
            };
            match RunConfig::from_toml(text) {
                Ok(cfg) => {
                    if check_run_config(&cfg).is_empty() && size_of(&cfg) <= BUILD_AT_MOST {
                        if let Err(e) = cfg.build(None) {
                            prop_assert!(!e.to_string().is_empty());
                        }
                    }
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
            Ok(())
        },
    );
    assert!(n > 0);
}
