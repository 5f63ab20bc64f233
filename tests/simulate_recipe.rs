//! The Simulate tab's recipes (issue #6): every preset is in bounds and builds, a recipe
//! survives its share link bit for bit, the same link gives the same fingerprint however the
//! run is chunked, and malformed, outdated, hostile or huge links get clear errors. The run
//! loop (issue #12): outputs take their moments at their own intervals, and a run that blows
//! up hands every output its last good state (issue #18).

#![allow(clippy::unwrap_used)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bnsl::gpu::Device;
use bnsl::io::link::{encode_bytes, LinkError};
use bnsl::md::config::InitialConfig;
use bnsl::run::{Moment, MomentKind, Output, Run, RunError, Sample, Snapshot, Summary};
use bnsl::simulate::{
    prepare, preset, start, PresetSize, Recipe, RecipeError, CONFIRM_ABOVE_PARTICLES, PRESET_IDS,
};

/// `bnsl run --preset quick-test` prints this; the page must show the same (tests/e2e).
const QUICK_TEST_FINGERPRINT: u64 = 0x4cbf_5ba8_38ef_78f8;

fn quick() -> Recipe {
    preset("quick-test", PresetSize::Small).unwrap().recipe
}

/// An output that keeps every moment it took: (kind, sample), and a snapshot where asked.
struct Taken {
    every: u64,
    snapshots: bool,
    samples: Vec<(MomentKind, Sample)>,
    frames: Vec<Snapshot>,
    finished: usize,
}

impl Taken {
    fn new(every: u64, snapshots: bool) -> Self {
        Self {
            every,
            snapshots,
            samples: Vec::new(),
            frames: Vec::new(),
            finished: 0,
        }
    }

    fn steps(&self) -> Vec<u64> {
        self.samples
            .iter()
            .map(|(_, s)| s.observables.step)
            .collect()
    }
}

impl Output for Taken {
    fn every(&self) -> u64 {
        self.every
    }

    fn write(&mut self, moment: &Moment<'_>) -> Result<(), RunError> {
        self.samples.push((moment.kind, moment.sample()?));
        if self.snapshots {
            self.frames.push(moment.snapshot()?);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), RunError> {
        self.finished += 1;
        Ok(())
    }
}

/// The result of a future of the CPU engine, which never waits: it is ready at the first poll
/// (no executor needed, natively or in wasm).
fn now<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => value,
        std::task::Poll::Pending => panic!("the CPU engine waited"),
    }
}

fn started(recipe: &Recipe) -> Run {
    now(start(recipe, Device::Cpu)).unwrap()
}

/// The first moment of a recipe's run: its sample and snapshot.
fn first_moment(recipe: &Recipe) -> (Sample, Snapshot) {
    let mut run = started(recipe);
    let mut taken = Taken::new(0, true);
    now(run.advance(0, &mut [&mut taken])).unwrap();
    assert_eq!(taken.samples[0].0, MomentKind::Start);
    (taken.samples[0].1, taken.frames.remove(0))
}

/// A seeded preset made cheap to build in a test: its fluid compressed in 2,000 steps and
/// equilibrated for 200, the seed's lattice given (the full seeded start, lattice matching
/// included, runs in `tests/run_cli.rs`). Other recipes are returned as they are.
fn cheap(mut recipe: Recipe) -> Recipe {
    if let InitialConfig::Seeded {
        structure,
        compress,
        equilibrate,
        a,
        c_over_a,
        ..
    } = &mut recipe.run.initial
    {
        *compress = 2_000;
        *equilibrate = 200;
        *a = Some(if *structure == bnsl::lattice::Structure::Alb2 {
            1.03
        } else {
            2.74
        });
        *c_over_a = Some(1.04);
    }
    recipe
}

fn link_of_json(json: &str) -> String {
    format!(
        "https://example.org/bnsl/#/simulate?r={}",
        encode_bytes(json.as_bytes()).unwrap()
    )
}

#[test]
fn every_preset_is_in_bounds_at_both_sizes_and_small_ones_build() {
    for id in PRESET_IDS {
        for size in [PresetSize::Small, PresetSize::Paper] {
            let p = preset(id, size).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(p.id, id);
            assert_eq!(p.recipe.preset, id);
            assert!(
                p.recipe.problems().is_empty(),
                "{id} {size:?}: {:?}",
                p.recipe.problems()
            );
            let n = p.recipe.particles();
            match size {
                PresetSize::Paper if id == "quick-test" => assert_eq!(n, 300),
                PresetSize::Paper => assert_eq!(n, 27_000, "{id}"),
                PresetSize::Small => assert!(n <= 3_000, "{id}: {n}"),
            }
            assert!(!p.recipe.needs_confirmation(), "{id}");
            assert!(p.recipe.to_fragment().unwrap().len() < 2_000, "{id}");
        }
        let small = cheap(preset(id, PresetSize::Small).unwrap().recipe);
        prepare(&small).unwrap_or_else(|e| panic!("{id}: {e}"));
        let (sample, _) = first_moment(&small);
        assert!(sample.observables.temperature > 0.0, "{id}");
        assert!((0.0..=1.0).contains(&sample.crystalline_fraction), "{id}");
    }
    assert!(preset("no-such-preset", PresetSize::Small).is_none());
}

#[test]
fn seeded_presets_start_with_a_crystalline_seed() {
    for id in ["seed-alb2-narrow", "seed-nazn13-narrow"] {
        let (sample, snap) = first_moment(&cheap(preset(id, PresetSize::Small).unwrap().recipe));
        let f = sample.crystalline_fraction;
        assert!(f > 0.01, "{id}: initial crystalline fraction {f}");
        assert!(snap
            .labels
            .contains(&bnsl::view::Fig4Label::CrystallineLarge));
        assert!(snap
            .labels
            .contains(&bnsl::view::Fig4Label::SmallNextToCrystalline));
        assert_eq!(snap.q.len(), snap.frame.len());
    }
}

#[test]
fn a_recipe_survives_its_link_bit_for_bit() {
    for id in ["figS24-unequal", "fig4-droplet-alb2", "seed-nazn13-wide"] {
        let mut r = preset(id, PresetSize::Small).unwrap().recipe;
        r.run.seed = u64::MAX - 7;
        r.run.kt = 1.0 / 3.0;
        r.run.dt = 0.000_999_999_999_999_9;
        r.preset = "<script>alert(1)</script>".into();
        let link = format!("https://x.org/a/{}", r.to_fragment().unwrap());
        let back = Recipe::from_link(&link).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.run.kt.to_bits(), r.run.kt.to_bits());
        assert_eq!(back.run.dt.to_bits(), r.run.dt.to_bits());
    }
}

/// The quick-test preset's fingerprint before fluids were numbered by cells (session 9).
const QUICK_TEST_INSERTION_FINGERPRINT: u64 = 0x4cbd_f635_b27a_4a61;

/// A link made before `initial.order` existed has no such field: it keeps the insertion
/// numbering and replays bit for bit (the quick test as it was shared then); the preset now
/// writes `"order":"cells"`.
#[test]
fn a_link_without_a_numbering_replays_as_before() {
    let mut recipe = quick();
    assert!(recipe.to_json().unwrap().contains(r#""order":"cells""#));
    if let InitialConfig::RandomFluid { order, .. } = &mut recipe.run.initial {
        *order = bnsl::md::config::FluidOrder::Insertion;
    }
    let json = recipe.to_json().unwrap();
    assert!(
        !json.contains("order"),
        "left out when it is the default: {json}"
    );
    let old = Recipe::from_link(&recipe.to_fragment().unwrap()).unwrap();
    let mut run = started(&old);
    let mut summary = Summary::default();
    now(run.advance(u64::MAX, &mut [&mut summary])).unwrap();
    assert_eq!(summary.fingerprint, Some(QUICK_TEST_INSERTION_FINGERPRINT));
}

#[test]
fn the_quick_test_fingerprint_is_pinned_and_independent_of_chunking() {
    let recipe = quick();
    let via_link = Recipe::from_link(&recipe.to_fragment().unwrap()).unwrap();
    let mut whole = started(&via_link);
    let mut summary = Summary::default();
    now(whole.advance(u64::MAX, &mut [&mut summary])).unwrap();
    let fingerprint = summary.fingerprint.unwrap();
    assert_eq!(fingerprint, QUICK_TEST_FINGERPRINT, "{fingerprint:016x}");

    let mut run = started(&recipe);
    // log_every = 100, frame_every = 500 over 2,000 steps: each output at its own interval,
    // however the run is chunked.
    let mut log = Taken::new(100, false);
    let mut frames = Taken::new(500, true);
    let mut summary = Summary::default();
    let mut chunks = 0;
    while !run.has_ended() {
        now(run.advance(37, &mut [&mut log, &mut frames, &mut summary])).unwrap();
        chunks += 1;
    }
    assert_eq!(chunks, 2_000_usize.div_ceil(37));
    assert_eq!(summary.fingerprint, Some(QUICK_TEST_FINGERPRINT));
    assert_eq!(run.progress(), (2_000, 2_000));
    assert_eq!(log.steps(), (0..=20).map(|k| k * 100).collect::<Vec<_>>());
    assert_eq!(frames.steps(), [0, 500, 1_000, 1_500, 2_000]);
    let frame_steps: Vec<u64> = frames.frames.iter().map(|f| f.frame.step).collect();
    assert_eq!(frame_steps, frames.steps());
    assert_eq!(log.samples[0].0, MomentKind::Start);
    assert_eq!(log.samples[20].0, MomentKind::End);
    assert_eq!((log.finished, frames.finished), (1, 1));
    let last = log.samples.last().unwrap().1;
    assert!(
        (last.observables.density - 1.2).abs() < 1e-9,
        "compressed to 1.2"
    );
    assert!(last.csv_row().split(',').count() == 10);
}

/// The quick test with a ten times longer step: it blows up.
fn blowing_up() -> Recipe {
    let mut r = quick();
    r.run.dt = 0.01;
    r
}

#[test]
fn a_run_that_blows_up_hands_every_output_its_last_good_state() {
    let recipe = blowing_up();
    let mut run = started(&recipe);
    let mut log = Taken::new(100, false);
    let mut frames = Taken::new(500, true);
    let mut error = None;
    while !run.has_ended() {
        if let Err(e) = now(run.advance(64, &mut [&mut log, &mut frames])) {
            error = Some(e);
        }
    }
    let error = error.expect("the run blows up");
    assert!(error.is_unstable(), "{error}");
    let RunError::Engine { kept_step, .. } = &error else {
        panic!("{error}")
    };
    let text = error.to_string();
    assert!(text.contains("smaller time step dt"), "{text}");
    assert!(
        text.contains(&format!("last good state is step {kept_step}")),
        "{text}"
    );
    assert!(*kept_step < 2_000);
    assert_eq!(run.progress().0, *kept_step);
    for out in [&log, &frames] {
        let (kind, sample) = out.samples.last().unwrap();
        assert_eq!(*kind, MomentKind::LastGood);
        assert_eq!(sample.observables.step, *kept_step);
        assert!(sample.observables.temperature.is_finite());
        assert_eq!(out.finished, 1);
    }
    assert_eq!(frames.frames.last().unwrap().frame.step, *kept_step);
    // Nothing more happens after the end.
    now(run.advance(100, &mut [&mut log, &mut frames])).unwrap();
    assert_eq!(log.finished, 1);
}

/// The link cut after half its payload, on a whole group of four base64 characters (so that
/// the cut is noticed by the decompression, not by the base64 decoder).
fn half_payload(link: &str) -> String {
    let start = link.find("r=").expect("a link") + 2;
    let keep = (link.len() - start) / 2 / 4 * 4;
    link[..start + keep].to_string()
}

#[test]
fn malformed_links_get_clear_errors() {
    let good = quick().to_fragment().unwrap();
    let cases: Vec<(String, &str)> = vec![
        ("#/simulate".into(), "carries no data"),
        ("#/simulate?r=".into(), "carries no data"),
        ("#/saxs?r=AAAA".into(), "opens the 'saxs' tab"),
        ("no link at all".into(), "not a share link"),
        ("#/simulate?r=AQ".into(), "truncated"),
        ("#/simulate?r=<script>".into(), "damaged"),
        (half_payload(&good), "corrupted"),
        (
            format!("#/simulate?r={}", "A".repeat(100_000)),
            "characters long",
        ),
    ];
    for (link, expected) in cases {
        let err = Recipe::from_link(&link).unwrap_err().to_string();
        assert!(err.contains(expected), "{link:.60}: {err}");
    }
    // A link made by a newer link format.
    let mut bytes = URL_SAFE_NO_PAD
        .decode(good.split("r=").nth(1).unwrap())
        .unwrap();
    bytes[0] = 9;
    let newer = format!("#/simulate?r={}", URL_SAFE_NO_PAD.encode(&bytes));
    assert!(matches!(
        Recipe::from_link(&newer),
        Err(RecipeError::Link(LinkError::Version { found: 9, .. }))
    ));
}

#[test]
fn outdated_and_hostile_recipes_are_refused_with_the_field_named() {
    let json = quick().to_json().unwrap();
    let with = |from: &str, to: &str| {
        assert!(json.contains(from), "{from}");
        link_of_json(&json.replacen(from, to, 1))
    };
    let expect = |link: String, needle: &str| {
        let err = Recipe::from_link(&link).unwrap_err().to_string();
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    };
    expect(with("\"format\":1", "\"format\":0"), "an older version");
    expect(with("\"format\":1", "\"format\":7"), "a newer version");
    expect(with("\"format\":1", "\"format\":\"x\""), "whole number");
    expect(link_of_json("[1,2]"), "no 'format'");
    expect(link_of_json("{\"format\":1"), "line 1");
    expect(
        with("\"seed\":", "\"evil\":1,\"seed\":"),
        "unknown field `evil`",
    );
    expect(
        with("\"count\":100", "\"count\":1000000000"),
        "species[0].count: 1000000000 is out of bounds",
    );
    expect(with("\"dt\":0.001", "\"dt\":1e400"), "line 1");
    expect(with("\"dt\":0.001", "\"dt\":-1"), "dt: -1 is out of bounds");
    expect(with("\"m\":25", "\"m\":60"), "pair.m");
    expect(with("\"r_cut\":1.5", "\"r_cut\":50"), "pair.r_cut");
    expect(
        with(
            "\"trajectory\":\"quick-test.gsd\"",
            "\"trajectory\":\"../../etc/passwd\"",
        ),
        "output.trajectory",
    );
    expect(
        with(
            "\"name\":\"L\"",
            "\"name\":\"<img src=x onerror=alert(1)>\"",
        ),
        "species[0].name",
    );
    expect(
        with(
            "{\"kind\":\"random_fluid\",\"density\":0.5,\"min_distance\":1.0,\"order\":\"cells\"}",
            "{\"kind\":\"gsd\",\"path\":\"/etc/passwd\",\"frame\":0}",
        ),
        "cannot start from a file",
    );
    expect(with("\"steps\":2000", "\"steps\":0"), "stage[0].steps");
    expect(
        with("\"steps\":2000", "\"steps\":18446744073709551615"),
        "stage[0].steps",
    );
}

#[test]
fn a_huge_run_needs_a_confirmation() {
    let mut r = quick();
    r.run.species[0].count = 20_000;
    r.run.species[1].count = 40_000;
    let back = Recipe::from_link(&r.to_fragment().unwrap()).unwrap();
    assert!(back.needs_confirmation());
    assert!(matches!(
        back.check_runnable(false),
        Err(RecipeError::NeedsConfirmation { particles: 60_000, limit }) if limit == CONFIRM_ABOVE_PARTICLES
    ));
    assert!(back.check_runnable(true).is_ok());
    assert!(quick().check_runnable(false).is_ok());
}

#[test]
fn problems_name_every_bad_field() {
    let mut r = quick();
    r.run.kt = f64::NAN;
    r.run.pair.n = 20;
    r.run.pair.m = 30;
    r.run.initial = InitialConfig::RandomFluid {
        density: 3.0,
        min_distance: 1.0,
        order: bnsl::md::config::FluidOrder::Cells,
    };
    let fields: Vec<String> = r.problems().into_iter().map(|p| p.field).collect();
    for f in ["kt", "pair.m", "initial.density"] {
        assert!(fields.iter().any(|x| x == f), "{f} not in {fields:?}");
    }
    assert!(matches!(r.check(), Err(RecipeError::Bound { .. })));
}
