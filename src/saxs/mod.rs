//! Scattering data in, fitted structure out (SCIENCE.md §5).
