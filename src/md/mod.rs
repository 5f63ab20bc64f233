//! Molecular dynamics: neighbour lists, forces, integrators, thermostats, compression (SCIENCE.md §1).
