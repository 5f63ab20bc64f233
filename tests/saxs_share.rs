//! SAXS share links: settings and small data round-trip through the link; large data travel as
//! a hash that only the same file matches; malformed or foreign links get clear messages.

use bnsl::saxs::read::QUnit;
use bnsl::saxs::share::{SaxsShare, SharedSettings};
use bnsl::saxs::ModelChoice;

fn settings() -> SharedSettings {
    SharedSettings {
        model: ModelChoice::Alb2Nazn13,
        q_unit: Some(QUnit::InverseNm),
        cores: Some((13.2, 4.5)),
        per_peak_widths: true,
        normalize: false,
    }
}

#[test]
fn small_file_travels_inside_the_link() {
    let file = "q (nm^-1),S\n0.3,1.0\n0.31,1.2\n0.32,1.1\n";
    let share = SaxsShare::new(&settings(), Some(("tiny.csv", file.as_bytes())));
    let link = format!("https://x.org/bnsl/{}", share.to_fragment().expect("link"));
    let back = SaxsShare::from_link(&link).expect("readable");
    assert_eq!(back, share);
    assert_eq!(back.data.as_deref(), Some(file));
    assert_eq!(back.settings().expect("valid"), settings());
}

#[test]
fn large_file_travels_as_a_hash() {
    let big = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/examples/saxs_alb2_series.csv"
    ))
    .expect("example");
    let share = SaxsShare::new(&settings(), Some(("series.csv", &big)));
    assert!(share.data.is_none());
    let back = SaxsShare::from_link(&share.to_fragment().expect("link")).expect("readable");
    assert!(back.matches(&big));
    let mut other = big.clone();
    other[100] ^= 1;
    assert!(!back.matches(&other));
}

#[test]
fn bad_links_are_refused_with_a_message() {
    assert!(SaxsShare::from_link("#/saxs?r=%%%").is_err());
    assert!(SaxsShare::from_link("#/saxs?r=AQAAAAA").is_err());
    let sim = bnsl::io::link::share_link("simulate", &SaxsShare::default()).expect("link");
    assert!(SaxsShare::from_link(&sim)
        .expect_err("foreign route")
        .to_string()
        .contains("simulate"));
    let mut bad = SaxsShare::new(&settings(), None);
    bad.model = "<script>".to_string();
    let back = SaxsShare::from_link(&bad.to_fragment().expect("link")).expect("decodes");
    assert!(back
        .settings()
        .expect_err("bad model")
        .to_string()
        .contains("unknown model"));
    bad.model = "auto".to_string();
    bad.core_l = Some(f64::MAX);
    let back = SaxsShare::from_link(&bad.to_fragment().expect("link")).expect("decodes");
    assert!(back.settings().is_err());
    // Data that does not match its hash.
    let mut forged = SaxsShare::new(&settings(), Some(("a.csv", b"0.1,1\n0.2,2\n0.3,3\n")));
    forged.data = Some("0.1,9\n".to_string());
    assert!(SaxsShare::from_link(&forged.to_fragment().expect("link")).is_err());
}
