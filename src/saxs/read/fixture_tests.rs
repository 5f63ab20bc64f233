//! The formats beamlines write (issue #17): real files of the sasdata package with the first
//! and last (q, I) that `tests/reference/sasdata_formats.py` read with h5py, xml.etree and plain
//! text parsing, and every header form the readers know, as small inline files.

use super::*;

const PDH: &[u8] = include_bytes!("../../../tests/fixtures/sasdata/Anton-Paar.pdh");
const XML: &[u8] =
    include_bytes!("../../../tests/fixtures/sasdata/33837rear_1D_1.75_16.5_CanSAS1D.xml");
const MANTID_H5: &[u8] =
    include_bytes!("../../../tests/fixtures/sasdata/33837rear_1D_1.75_16.5_NXcanSAS.h5");
const NIKA_HDF: &[u8] = include_bytes!("../../../tests/fixtures/sasdata/FK403_0006_Nika.hdf");
const NIKA_H5: &[u8] = include_bytes!("../../../tests/fixtures/sasdata/Lew_Sa3_DSM_QinA.h5");

fn read(bytes: &[u8]) -> Pattern {
    read_pattern(bytes, &ReadOptions::default()).unwrap_or_else(|e| panic!("readable: {e}"))
}

fn read_err(text: &str) -> String {
    read_pattern(text.as_bytes(), &ReadOptions::default())
        .expect_err("refused")
        .to_string()
}

/// Relative agreement to 1e-12 (f32 data sets are compared after widening, exactly).
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs()
}

fn check(p: &Pattern, n: usize, unit: QUnit, first: (f64, f64), last: (f64, f64)) {
    assert_eq!(p.len(), n, "points; warnings: {:?}", p.warnings);
    assert_eq!(p.unit.unit, unit, "{}", p.unit.reason);
    assert_eq!(p.unit.origin, UnitOrigin::Header);
    let (q0, i0) = (p.q[0], p.intensity[0]);
    let (q1, i1) = (p.q[n - 1], p.intensity[n - 1]);
    assert!(same(q0, first.0) && same(i0, first.1), "first ({q0}, {i0})");
    assert!(same(q1, last.0) && same(i1, last.1), "last ({q1}, {i1})");
}

#[test]
fn anton_paar_pdh_is_in_inverse_nm() {
    let p = read(PDH);
    check(
        &p,
        673,
        QUnit::InverseNm,
        (0.06604, 0.1822409),
        (4.5017, 0.007080504),
    );
    assert!(
        p.unit.reason.contains("Anton Paar PDH"),
        "{}",
        p.unit.reason
    );
}

#[test]
fn cansas_xml_from_mantid() {
    let p = read(XML);
    check(
        &p,
        66,
        QUnit::InverseAngstrom,
        (0.00416, 5.41609),
        (0.618924, 0.336979),
    );
    assert_eq!(p.error.as_ref().map(Vec::len), Some(66));
}

#[test]
fn nxcansas_from_mantid_and_nika() {
    let p = read(MANTID_H5);
    check(
        &p,
        66,
        QUnit::InverseAngstrom,
        (0.0041600000000000005, 5.416094671273121),
        (0.6189241619415587, 0.33697913143947616),
    );
    assert!(p.error.is_some());
    let p = read(NIKA_HDF);
    check(
        &p,
        118,
        QUnit::InverseAngstrom,
        (0.03852531313896179, 635763.0),
        (1.6450916528701782, 128929.890625),
    );
    let p = read(NIKA_H5);
    check(
        &p,
        490,
        QUnit::InverseAngstrom,
        (0.00011210965191748045, 8906803.30270401),
        (1.6363743543624878, 0.018262335828482128),
    );
}

#[test]
fn broken_structured_files_are_refused_with_the_format_named() {
    let cut = &MANTID_H5[..MANTID_H5.len() / 3];
    let e = read_pattern(cut, &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("NXcanSAS HDF5:"), "{e}");
    let xml = std::str::from_utf8(XML).unwrap();
    let cut = &xml[..xml.find("<Idata>").unwrap() + 3];
    assert!(read_err(cut).contains("canSAS 1D XML"), "{}", read_err(cut));
}

const PYFAI_HEADER: &str = "# == pyFAI calibration ==\n# Distance Sample to Detector: 0.1 m\n# PONI: 1.000e-01, 1.000e-01 m\n# Wavelength: 1.0e-10 m\n# Mask applied: False\n";

#[test]
fn pyfai_q_headers() {
    let rows = "  1.0e-01  5.0  0.5\n  2.0e-01  4.0  0.4\n  3.0e-01  3.0  0.3\n";
    for (name, unit) in [
        ("q_nm^-1", QUnit::InverseNm),
        ("q_A^-1", QUnit::InverseAngstrom),
        ("q_invA", QUnit::InverseAngstrom),
    ] {
        let p = read(format!("{PYFAI_HEADER}#  {name}  I  sigma\n{rows}").as_bytes());
        assert_eq!(p.unit.unit, unit, "{name}: {}", p.unit.reason);
        assert_eq!(p.unit.origin, UnitOrigin::Header, "{name}");
        assert_eq!(p.columns, vec![name, "I", "sigma"]);
        assert!(p.error.is_some());
    }
    let csv = "Q (Inverse Nanometres),Intensity\n1.5,10\n2.5,9\n3.5,8\n";
    assert_eq!(read(csv.as_bytes()).unit.unit, QUnit::InverseNm);
}

#[test]
fn two_theta_columns_become_q_with_the_wavelength() {
    // 2θ = 1°, 2°, 3° at λ = 1 Å: q = 4π sin(θ)/λ.
    let text = format!("{PYFAI_HEADER}#  2th_deg  I\n1 5\n2 4\n3 3\n");
    let p = read(text.as_bytes());
    let q = |deg: f64| 4.0 * std::f64::consts::PI * (0.5 * deg).to_radians().sin();
    assert!(same(p.q[0], q(1.0)) && same(p.q[2], q(3.0)), "{:?}", p.q);
    assert_eq!(p.unit.unit, QUnit::InverseAngstrom);
    assert!(p.unit.reason.contains("λ = 1.00000 Å"), "{}", p.unit.reason);
    let bare = "2theta (deg),I\n10,1\n20,2\n30,3\n";
    let e = read_err(bare);
    assert!(
        e.contains("'2theta (deg)'") && e.contains("wavelength"),
        "{e}"
    );
    let options = ReadOptions {
        wavelength: Some(1.5406),
        ..ReadOptions::default()
    };
    let p = read_pattern(bare.as_bytes(), &options).expect("wavelength given");
    assert!(same(p.q[0], q(10.0) / 1.5406));
    assert_eq!(p.unit.origin, UnitOrigin::User);
}

#[test]
fn fit2d_chi_and_bioxtas_raw() {
    let chi = " sample\n 2-Theta Angle (Degrees)\n Intensity\n       3\n  1.0E+00  5.0E+02\n  2.0E+00  4.0E+02\n  3.0E+00  3.0E+02\n";
    assert!(read_err(chi).contains("wavelength"), "{}", read_err(chi));
    let chi_q = chi.replace("2-Theta Angle (Degrees)", "Q (Inverse Nanometres)");
    let p = read(chi_q.as_bytes());
    assert_eq!((p.len(), p.unit.unit), (3, QUnit::InverseNm));
    let raw = "### HEADER:\n\n{\n  \"wavelength\": 1.03,\n  \"sample\": \"lysozyme 1/nm\"\n}\n\n### DATA:\n\n         Q               I              Error\n  1.0E-02   5.0E+00   1.0E-01\n  2.0E-02   4.0E+00   1.0E-01\n  3.0E-02   3.0E+00   1.0E-01\n";
    let p = read(raw.as_bytes());
    assert_eq!(p.unit.unit, QUnit::InverseAngstrom, "{}", p.unit.reason);
    assert!(
        p.error.is_some() && p.warnings.is_empty(),
        "{:?}",
        p.warnings
    );
}

#[test]
fn spacing_columns_are_converted_never_read_as_q() {
    let text = "D-spacing (Angstroms),Intensity\n62.83185307179586,1\n31.41592653589793,2\n20.943951023931955,3\n";
    let p = read(text.as_bytes());
    assert_eq!(p.unit.unit, QUnit::InverseAngstrom);
    assert!(same(p.q[0], 0.1) && same(p.q[2], 0.3), "{:?}", p.q);
    assert_eq!(p.intensity, vec![1.0, 2.0, 3.0]);
    let e = read_err("d-spacing,I\n10,1\n5,2\n2,3\n");
    assert!(e.contains("without a stated unit"), "{e}");
    assert!(read_err("r_mm I\n1 1\n2 2\n3 3\n").contains("geometry"));
}

#[test]
fn series_files_are_not_read_as_one_pattern() {
    let series = include_bytes!("../../../www/examples/saxs_alb2_series.csv");
    let e = read_pattern(series, &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, ReadError::MultiColumn { .. }), "{e}");
    assert!(e.to_string().contains("bnsl fit-series"), "{e}");
    let three = "q (nm^-1),t=0s,t=28s\n0.5,1,2\n0.6,2,3\n0.7,3,4\n";
    assert!(
        read_err(three).contains("times or samples"),
        "{}",
        read_err(three)
    );
    let long = read_err("time\tq\tS\n0\t0.3\t1\n0\t0.4\t1\n0\t0.5\t1\n");
    assert!(long.contains("long form"), "{long}");
    let named = read("q,I,I_fit\n0.5,1,2\n0.6,2,3\n0.7,3,4\n".as_bytes());
    assert!(named.error.is_none());
    assert!(named.warnings[0].message.contains("'I_fit'"));
}

#[test]
fn series_times_keep_their_units() {
    let read_s = |t: &str| {
        read_series(t.as_bytes(), &ReadOptions::default(), SeriesLayout::Auto).expect("series")
    };
    let s = read_s("q (nm^-1),scan2_t0s,scan2_t28s,scan2_t56s\n0.5,1,2,3\n0.6,2,3,4\n0.7,3,4,5\n");
    assert_eq!(s.times, vec![0.0, 28.0, 56.0]);
    assert_eq!(s.time_unit, Some("s"));
    let s = read_s("q,t=0min,t=1.5min,t=3min\n0.5,1,2,3\n0.6,2,3,4\n0.7,3,4,5\n");
    assert_eq!((s.times[1], s.time_unit), (1.5, Some("min")));
    let s = read_s("q,500ms,1s,2s\n0.5,1,2,3\n0.6,2,3,4\n0.7,3,4,5\n");
    assert_eq!(
        (s.times.clone(), s.time_unit),
        (vec![0.5, 1.0, 2.0], Some("s"))
    );
    let s = read_s("q,t=0h,t=1h\n0.5,1,2\n0.6,2,3\n0.7,3,4\n");
    assert_eq!(s.time_unit, Some("h"));
    let e = read_series(
        b"2theta (deg),t=0h,t=1h\n1,1,2\n2,2,3\n3,3,4\n",
        &ReadOptions::default(),
        SeriesLayout::Wide,
    )
    .unwrap_err();
    assert!(e.to_string().contains("wavelength"), "{e}");
}

#[test]
fn damaged_hdf5_files_are_refused_without_a_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
    let options = ReadOptions::default();
    for round in 0..120 {
        let mut bytes = MANTID_H5.to_vec();
        if round % 3 == 0 {
            bytes.truncate(rng.gen_range(8..bytes.len()));
        } else {
            for _ in 0..rng.gen_range(1..6) {
                let i = rng.gen_range(8..bytes.len());
                bytes[i] = rng.gen();
            }
        }
        if let Ok(p) = read_pattern(&bytes, &options) {
            assert!(p.q.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(p.q.len(), p.intensity.len());
        }
    }
}
