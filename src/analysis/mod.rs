//! Analysis of configurations: neighbours, Steinhardt order, crystal classifiers, g(r), S(q), MSD (SCIENCE.md §2).
