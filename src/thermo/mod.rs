//! Free energies and phase diagrams (SCIENCE.md §3).
