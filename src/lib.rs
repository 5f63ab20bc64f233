//! # BNSL Studio core
//!
//! Simulation, analysis and fitting of binary nanocrystal superlattices (BNSLs), after
//! "Crystallization of binary nanocrystal superlattices and the relevance of short-range
//! attraction" (Nature Synthesis 2023). The formulas this crate implements are collected in
//! `shared/SCIENCE.md`; every module cites the section it implements.
//!
//! The core is plain Rust: it compiles natively (the `bnsl` command-line tool, tests,
//! benchmarks) and to `wasm32-unknown-unknown` (the page). Nothing outside [`app`] knows the
//! page exists, and nothing in the core prints.
//!
//! Data flows one way: [`model`] → [`md`] → [`analysis`] → `app`; [`saxs`] and [`thermo`] use
//! [`model`], [`lattice`] and [`analysis`]; [`io`] serialises what the others produce.

pub mod analysis;
pub mod export;
pub mod gpu;
pub mod io;
pub mod jobs;
pub mod lattice;
pub mod md;
pub mod model;
pub mod plot;
#[cfg(not(target_arch = "wasm32"))]
pub mod reproduce;
pub mod run;
pub mod saxs;
pub mod simulate;
pub mod thermo;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

/// The product's version, shared by the command-line tool (`bnsl --version`) and the page's
/// status bar so that both always say the same.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
