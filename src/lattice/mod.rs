//! Ideal crystals (AlB2, NaZn13, fcc) and their reflections.
