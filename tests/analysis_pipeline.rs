//! The Analyse tab's trajectory analysis (`analysis::pipeline`) on GSD bytes: a perturbed AlB₂
//! crystal frame then a random binary gas frame, a polydisperse droplet with sub-types, files
//! that are not GSD, and invalid settings.
#![allow(clippy::unwrap_used)]

use bnsl::analysis::pipeline::{
    AnalysisSettings, FrameReport, FrameWork, PipelineError, RunStep, TrajectoryRun,
};
use bnsl::analysis::{Label, Rule};
use bnsl::io::gsd::write_trajectory;
use bnsl::lattice::{cluster, crystal, Diameters, UnitCell};
use bnsl::model::{Frame, Geometry};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

fn perturbed_alb2(sigma: f64, seed: u64) -> Frame {
    let mut frame = crystal(&UnitCell::alb2(1.05, 1.0), [6, 4, 6], Diameters::PAPER);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normal = Normal::new(0.0, sigma).unwrap();
    for p in &mut frame.positions {
        for x in p.iter_mut() {
            *x += normal.sample(&mut rng);
        }
    }
    frame.step = 1000;
    frame
}

/// Uniformly random positions in the same box, same types: no order at all.
fn gas_like(frame: &Frame, seed: u64) -> Frame {
    let l = frame.box_lengths().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut gas = frame.clone();
    for p in &mut gas.positions {
        *p = [0, 1, 2].map(|d| rng.gen_range(-0.5 * l[d]..0.5 * l[d]));
    }
    gas.step = 2000;
    gas
}

fn run_all(bytes: Vec<u8>, settings: AnalysisSettings) -> Vec<FrameReport> {
    let mut run = TrajectoryRun::open(bytes, settings).unwrap();
    let mut reports = Vec::new();
    let mut last = (0, 0);
    loop {
        let step = run.advance().unwrap();
        let p = run.progress();
        assert!(
            p.0 >= last.0 && p.1 == run.progress().1,
            "progress went back"
        );
        last = p;
        match step {
            RunStep::Working => {}
            RunStep::Frame(r) => reports.push(*r),
            RunStep::Finished => break,
        }
    }
    assert_eq!(last.0, last.1);
    assert_eq!(run.frames_done(), run.frame_count());
    reports
}

#[test]
fn crystal_then_gas_frame_by_frame() {
    let crystal = perturbed_alb2(0.02, 3);
    let gas = gas_like(&crystal, 4);
    let bytes = write_trajectory(&[crystal.clone(), gas]).unwrap();
    let reports = run_all(bytes, AnalysisSettings::default());
    assert_eq!(reports.len(), 2);
    let (c, g) = (&reports[0], &reports[1]);
    assert_eq!((c.frame, c.step, g.frame, g.step), (0, 1000, 1, 2000));
    assert_eq!(c.particles, crystal.len());
    assert_eq!(c.large, crystal.len() / 3);
    let names: Vec<&str> = c.classifiers.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["AlB2", "NaZn13", "fcc"]);
    // The crystal is AlB2 and nothing else; the gas is nothing.
    assert!(
        c.classifiers[0].fraction >= 0.95,
        "{}",
        c.classifiers[0].fraction
    );
    assert_eq!(c.classifiers[1].fraction, 0.0);
    assert_eq!(c.classifiers[2].fraction, 0.0);
    for r in &g.classifiers {
        assert!(r.fraction < 0.01, "{} {}", r.name, r.fraction);
    }
    // q8 histogram: every L counted, mass above the threshold for the crystal, below for the gas.
    let q8 = &c.classifiers[0].rules[0];
    assert_eq!(q8.label, "q8 over 20 nearest");
    assert_eq!(q8.threshold, 0.42);
    assert_eq!(q8.histogram.total() as usize, c.large);
    let above = |r: &bnsl::analysis::pipeline::RuleReport| {
        r.histogram
            .centres()
            .iter()
            .zip(&r.histogram.counts)
            .filter(|(x, _)| **x > r.threshold)
            .map(|(_, &n)| n)
            .sum::<u32>() as f64
            / r.histogram.total() as f64
    };
    assert!(above(q8) > 0.95 && (q8.passing - above(q8)).abs() < 0.03);
    assert!(above(&g.classifiers[0].rules[0]) < 0.05);
    assert_eq!(
        c.classifiers[0].rules[1].label,
        "fraction S among 20 nearest"
    );
    // Fig. 4 labels: crystalline L blue, their S neighbours pink, nothing grey in a perfect crystal.
    let labels = &c.classifiers[0].labels;
    assert_eq!(labels.len(), crystal.len());
    let blue = labels.iter().filter(|&&l| l == Label::Crystalline).count();
    assert_eq!(blue, c.classifiers[0].crystalline_large);
    assert!(labels
        .iter()
        .zip(&crystal.typeid)
        .all(|(&l, &t)| (t == 0) == (l != Label::Neighbor)));
    // g(r): total and the three partials; the gas is flat around 1.
    let rdf_names: Vec<&str> = g.rdf.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(rdf_names, ["total", "L–L", "L–S", "S–S"]);
    let tail: Vec<f64> = g.rdf[0]
        .x
        .iter()
        .zip(&g.rdf[0].y)
        .filter(|(r, _)| **r > 1.5)
        .map(|(_, &y)| y)
        .collect();
    let mean = tail.iter().sum::<f64>() / tail.len() as f64;
    assert!((mean - 1.0).abs() < 0.05, "gas g(r) tail mean {mean}");
    // r_max lowered below half the box's shortest edge.
    let half = 0.5
        * crystal
            .box_lengths()
            .unwrap()
            .iter()
            .fold(f64::MAX, |a, &b| a.min(b));
    assert!(*c.rdf[0].x.last().unwrap() < half);
    // S(q): a Bragg peak for the crystal, none for the gas.
    let peak = |r: &FrameReport| r.structure_factor.y.iter().fold(0.0f64, |a, &b| a.max(b));
    assert!(
        peak(c) > 0.1 * c.particles as f64,
        "crystal peak {}",
        peak(c)
    );
    assert!(peak(g) < 0.02 * g.particles as f64, "gas peak {}", peak(g));
    assert!(c.structure_factor_method.starts_with("reciprocal lattice"));
    // Local density: every particle counted; a dense crystal is above the fcc threshold.
    assert_eq!(c.density.histogram.total() as usize, c.particles);
    assert_eq!(c.density.dense.len(), 3);
    assert!(c.density.mean > 1.05);
}

#[test]
fn polydisperse_droplet_folds_sub_types_and_uses_the_debye_sum() {
    let mut drop = cluster(&UnitCell::alb2(1.05, 1.0), 4.0, Diameters::PAPER);
    // Split each species into two numbered sub-types, as the polydisperse engine names them.
    drop.types = vec!["L0".into(), "S0".into(), "L1".into(), "S1".into()];
    for (i, t) in drop.typeid.iter_mut().enumerate() {
        *t += 2 * (i % 2) as u32;
    }
    drop.geometry = Geometry::Open { radius: Some(5.0) };
    let mut settings = AnalysisSettings::default();
    settings.structure_factor.debye_particles = 100;
    let report = FrameWork::run(7, &drop, &settings).unwrap();
    assert_eq!(report.types, ["L", "S"]);
    assert_eq!(report.frame, 7);
    // Inside the cluster the L are AlB2; at its surface they lack neighbours.
    assert!(report.classifiers[0].fraction > 0.05);
    assert!(report.structure_factor_method.starts_with("Debye sum over"));
    assert!(report
        .structure_factor_method
        .contains(&format!("of {}", drop.len())));
    assert_eq!(report.rdf.len(), 4);
    // Without folding there is no type "L": a clear error.
    settings.fold_subtypes = false;
    let err = FrameWork::run(7, &drop, &settings).unwrap_err().to_string();
    assert!(err.contains("frame 7") && err.contains("\"L\""), "{err}");
}

#[test]
fn bad_files_and_settings_are_explained() {
    let settings = AnalysisSettings::default();
    let err = TrajectoryRun::open(
        b"hello, this is not a GSD file at all".to_vec(),
        settings.clone(),
    )
    .unwrap_err();
    assert!(matches!(err, PipelineError::Gsd(_)));
    let text = err.to_string();
    assert!(
        text.contains("cannot be read as a GSD trajectory"),
        "{text}"
    );
    // A truncated real file.
    let bytes = write_trajectory(&[perturbed_alb2(0.0, 1)]).unwrap();
    let cut = bytes[..bytes.len() / 2].to_vec();
    let err = match TrajectoryRun::open(cut, settings.clone()) {
        Err(e) => e,
        Ok(mut run) => loop {
            match run.advance() {
                Err(e) => break e,
                Ok(RunStep::Finished) => panic!("a truncated file was analysed"),
                Ok(_) => {}
            }
        },
    };
    assert!(err.to_string().contains("GSD"), "{err}");
    // Invalid settings are refused before any work, every problem named.
    let mut bad = settings;
    if let Rule::Order { l, .. } = &mut bad.classifiers[0].rules[0] {
        *l = 20;
    }
    bad.rdf.bins = 0;
    let err = TrajectoryRun::open(bytes, bad).unwrap_err().to_string();
    assert!(
        err.contains("classifiers[0].rules[0].l") && err.contains("rdf.bins"),
        "{err}"
    );
}
