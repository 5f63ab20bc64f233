//! Polydispersity (SCIENCE.md §1, Fig. 4): each species' diameters follow a normal
//! distribution that is discretised into `bins` sub-types (13 in the paper).
//!
//! Discretisation used here: the interval mean ± 3 s is cut into `bins` equal bins; each
//! sub-type has the diameter at its bin's centre and the weight of the normal distribution's
//! mass inside the bin (renormalised to sum to one). Particle counts per sub-type follow the
//! weights by largest-remainder rounding, so they add up exactly to the species' count.

use super::error::{non_negative, positive, ModelError};
use super::pair_table::{PairRule, PairTable};

/// A particle species: a mean diameter and its spread.
#[derive(Clone, Debug, PartialEq)]
pub struct Species {
    /// Name (e.g. "L", "S").
    pub name: String,
    /// Mean diameter (σ_LL = 1).
    pub diameter: f64,
    /// Standard deviation relative to the mean (0.047 for L, 0.063 for S in Fig. 4; 0 for
    /// monodisperse).
    pub relative_std: f64,
    /// Number of sub-types the distribution is cut into (1 for monodisperse).
    pub bins: u32,
}

/// One sub-type of a species: what the engine calls a particle type.
#[derive(Clone, Debug, PartialEq)]
pub struct SubType {
    /// Type name: the species name, with the bin index appended when there are several bins.
    pub name: String,
    /// Index of the species this sub-type belongs to.
    pub species: usize,
    /// Diameter of this sub-type.
    pub diameter: f64,
    /// Fraction of the species' particles in this sub-type.
    pub weight: f64,
}

fn normal_cdf(z: f64) -> f64 {
    0.5 * (1.0 + libm::erf(z / std::f64::consts::SQRT_2))
}

/// Cuts `species` (index `index`) into its sub-types.
///
/// # Errors
/// [`ModelError`] for a non-positive diameter, negative spread or zero bins.
pub fn discretise(species: &Species, index: usize) -> Result<Vec<SubType>, ModelError> {
    positive(
        format!("diameter of species {}", species.name),
        species.diameter,
    )?;
    non_negative(
        format!("relative_std of species {}", species.name),
        species.relative_std,
    )?;
    if species.bins == 0 {
        return Err(ModelError::OutOfRange {
            what: format!("bins of species {}", species.name),
            value: 0.0,
            rule: "must be >= 1",
        });
    }
    let s = species.relative_std * species.diameter;
    if species.bins == 1 || s == 0.0 {
        return Ok(vec![SubType {
            name: species.name.clone(),
            species: index,
            diameter: species.diameter,
            weight: 1.0,
        }]);
    }
    let k = species.bins as usize;
    let width = 6.0 * s / k as f64;
    let lo = species.diameter - 3.0 * s;
    let mut subtypes = Vec::with_capacity(k);
    let mut total = 0.0;
    for b in 0..k {
        let a = lo + width * b as f64;
        let w =
            normal_cdf((a + width - species.diameter) / s) - normal_cdf((a - species.diameter) / s);
        total += w;
        subtypes.push(SubType {
            name: format!("{}{b}", species.name),
            species: index,
            diameter: a + 0.5 * width,
            weight: w,
        });
    }
    for t in &mut subtypes {
        t.weight /= total;
    }
    positive(
        format!("smallest diameter of species {}", species.name),
        subtypes[0].diameter,
    )?;
    Ok(subtypes)
}

/// Splits `total` particles over `weights` by largest remainder (ties to the lower index).
#[must_use]
pub fn split_counts(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let assigned: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(total.saturating_sub(assigned)) {
        counts[i] += 1;
    }
    counts
}

/// All sub-types of all species and the pair table between them: sub-types `a` (of species
/// `p`) and `b` (of species `q`) interact with `rules[p][q]` at σ_ab = (d_a + d_b)/2.
///
/// # Errors
/// [`ModelError`] for invalid species or pair parameters, or a `rules` matrix of the wrong size.
pub fn build_types(
    species: &[Species],
    rules: &[Vec<PairRule>],
) -> Result<(Vec<SubType>, PairTable), ModelError> {
    if rules.len() != species.len() || rules.iter().any(|r| r.len() != species.len()) {
        return Err(ModelError::OutOfRange {
            what: "pair rule matrix size".into(),
            value: rules.len() as f64,
            rule: "must be n_species x n_species",
        });
    }
    let mut types = Vec::new();
    for (i, s) in species.iter().enumerate() {
        types.extend(discretise(s, i)?);
    }
    let table = PairTable::from_fn(types.len(), |a, b| {
        rules[types[a].species][types[b].species]
            .at_sigma(0.5 * (types[a].diameter + types[b].diameter))
    })?;
    Ok((types, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_bins_keep_mean_and_spread() {
        let s = Species {
            name: "S".into(),
            diameter: 0.55,
            relative_std: 0.063,
            bins: 13,
        };
        let sub = discretise(&s, 1).expect("valid");
        assert_eq!(sub.len(), 13);
        let mean: f64 = sub.iter().map(|t| t.weight * t.diameter).sum();
        let var: f64 = sub
            .iter()
            .map(|t| t.weight * (t.diameter - mean).powi(2))
            .sum();
        assert!((mean - 0.55).abs() < 1e-12);
        let sd = var.sqrt() / 0.55;
        assert!((sd - 0.063).abs() < 0.003, "sd {sd}");
        assert_eq!(sub[6].name, "S6");
        let counts = split_counts(1000, &sub.iter().map(|t| t.weight).collect::<Vec<_>>());
        assert_eq!(counts.iter().sum::<usize>(), 1000);
        assert!(counts[6] > counts[0]);
    }

    #[test]
    fn sub_types_get_additive_sigmas() {
        let species = [
            Species {
                name: "L".into(),
                diameter: 1.0,
                relative_std: 0.047,
                bins: 3,
            },
            Species {
                name: "S".into(),
                diameter: 0.55,
                relative_std: 0.0,
                bins: 13,
            },
        ];
        let rule = PairRule::narrow_well(1.0);
        let (types, table) = build_types(&species, &[vec![rule; 2], vec![rule; 2]]).expect("ok");
        assert_eq!(types.len(), 4);
        let s = table.get(0, 3).expect("in range").sigma;
        assert!((s - 0.5 * (types[0].diameter + 0.55)).abs() < 1e-15);
    }
}
