//! The SAXS tab's example datasets.

/// Example datasets made by our own lattice models (tests/saxs_cli.rs writes them).
pub(super) const EXAMPLES: [(&str, &str, &str); 3] = [
    (
        "AlB₂ (Fe₃O₄/PbS)",
        "saxs_alb2_single.csv",
        include_str!("../../../../www/examples/saxs_alb2_single.csv"),
    ),
    (
        "NaZn₁₃ + AlB₂ (FICO/PbS)",
        "saxs_nazn13_alb2_mixture.csv",
        include_str!("../../../../www/examples/saxs_nazn13_alb2_mixture.csv"),
    ),
    (
        "AlB₂ crystallising (series)",
        "saxs_alb2_series.csv",
        include_str!("../../../../www/examples/saxs_alb2_series.csv"),
    ),
];
