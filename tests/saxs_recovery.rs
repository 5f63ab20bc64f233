//! Proof of the lattice fit (issue #5): synthetic patterns with noise like the paper's —
//! several a, c/a in 0.95–1.10, ξ from 50 to 600 nm, q in nm⁻¹ — are fitted in automatic
//! mode; the fit must pick the right structure and recover a within 0.2 %, c/a within 0.005
//! and ξ within 10 %.

use bnsl::lattice::{CoreDiameters, Structure, UnitCell};
use bnsl::saxs::read::{Pattern, QUnit, UnitChoice, UnitOrigin};
use bnsl::saxs::synthetic::{noisy_pattern, LatticePhase, Noise};
use bnsl::saxs::{fit_lattice, FitOptions, ModelChoice};

fn pattern(phases: &[LatticePhase], q_range: (f64, f64), seed: u64) -> Pattern {
    let noise = Noise {
        relative: 0.01,
        absolute: 0.005,
    };
    let (q, s, err) = noisy_pattern(
        phases,
        [1.0, -0.05, 0.01],
        (q_range.0, q_range.1, 1000),
        noise,
        seed,
    );
    let mut p = Pattern::from_arrays(
        q,
        s,
        UnitChoice {
            unit: QUnit::InverseNm,
            origin: UnitOrigin::User,
            reason: String::new(),
        },
    );
    p.error = Some(err);
    p
}

fn alb2(a: f64, rho: f64, xi: f64, height: f64) -> LatticePhase {
    LatticePhase {
        cell: UnitCell::alb2(a, rho),
        cores: CoreDiameters {
            large: 0.73 * a,
            small: 0.31 * a,
        },
        xi,
        height,
    }
}

fn nazn13(a: f64, xi: f64, height: f64) -> LatticePhase {
    LatticePhase {
        cell: UnitCell::nazn13(a),
        cores: CoreDiameters {
            large: 0.4 * a,
            small: 0.17 * a,
        },
        xi,
        height,
    }
}

fn check(truth: &[LatticePhase], q_range: (f64, f64), seed: u64, expect: &str) {
    let data = pattern(truth, q_range, seed);
    let fit = fit_lattice(&data, &FitOptions::default()).expect("fit succeeds");
    let summary: Vec<String> = fit
        .compared
        .iter()
        .map(|e| format!("{} bic {:.1} chi2r {:.3}", e.model, e.bic, e.chi2_reduced))
        .collect();
    assert_eq!(fit.name(), expect, "model choice: {summary:?}");
    for t in truth {
        let ph = fit
            .phases
            .iter()
            .find(|p| p.structure == t.cell.name())
            .expect("phase fitted");
        let a_err = ph.a.value / t.cell.a - 1.0;
        assert!(
            a_err.abs() < 0.002,
            "{}: a {} vs {} ({summary:?})",
            t.cell.name(),
            ph.a.value,
            t.cell.a
        );
        if t.cell.crystal.has_axial_ratio() {
            let rho = ph.c_over_a.expect("c/a").value;
            assert!(
                (rho - t.cell.c_over_a).abs() < 0.005,
                "c/a {rho} vs {}",
                t.cell.c_over_a
            );
        }
        let xi_err = ph.xi.value / t.xi - 1.0;
        assert!(xi_err.abs() < 0.10, "ξ {} vs {}", ph.xi.value, t.xi);
        assert!(
            ph.a.err > 0.0 && ph.a.err < 0.01 * ph.a.value,
            "a_err {}",
            ph.a.err
        );
        eprintln!(
            "{} a {:.4}±{:.4} (true {}) c/a {:?} xi {:.1}±{:.1} (true {}) frac {:.2} chi2r {:.3}",
            t.cell.name(),
            ph.a.value,
            ph.a.err,
            t.cell.a,
            ph.c_over_a.map(|q| q.value),
            ph.xi.value,
            ph.xi.err,
            t.xi,
            ph.fraction.value,
            fit.evidence.chi2_reduced
        );
    }
}

#[test]
fn alb2_patterns_are_recovered() {
    let cases: [(f64, f64, f64); 5] = [
        (10.0, 0.95, 50.0),
        (14.3, 1.00, 330.0),
        (18.0, 1.05, 600.0),
        (12.0, 1.10, 150.0),
        (20.0, 0.98, 100.0),
    ];
    for (i, &(a, rho, xi)) in cases.iter().enumerate() {
        let q_lo = 0.7 * 2.0 * std::f64::consts::PI / (a * rho.max(1.0));
        check(
            &[alb2(a, rho, xi, 2.0)],
            (q_lo, 5.0 * q_lo),
            100 + i as u64,
            "alb2",
        );
    }
}

#[test]
fn nazn13_patterns_are_recovered() {
    for (i, &(a, xi)) in [(28.0, 510.0), (34.0, 200.0)].iter().enumerate() {
        let q_lo = 0.7 * 4.0 * std::f64::consts::PI / a;
        check(
            &[nazn13(a, xi, 2.0)],
            (q_lo, 4.0 * q_lo),
            200 + i as u64,
            "nazn13",
        );
    }
}

#[test]
fn mixture_is_recognised() {
    let truth = [nazn13(32.0, 510.0, 3.0), alb2(17.0, 1.01, 200.0, 1.0)];
    check(&truth, (0.3, 1.6), 300, "alb2+nazn13");
}

#[test]
fn forced_model_is_respected() {
    let data = pattern(&[alb2(14.0, 1.0, 300.0, 2.0)], (0.3, 1.5), 7);
    let options = FitOptions {
        model: ModelChoice::Single(Structure::Alb2),
        ..FitOptions::default()
    };
    let fit = fit_lattice(&data, &options).expect("fit");
    assert_eq!(fit.name(), "alb2");
    assert_eq!(fit.compared.len(), 1);
}
