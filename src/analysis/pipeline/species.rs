//! Folding numbered sub-types into their species: the polydisperse systems of Fig. 4 split
//! each species into 13 sub-types named `L0`…`L12` and `S0`…`S12` (one per diameter bin),
//! but the classifiers speak of `L` and `S`.

use crate::model::Frame;

/// The species name of a type: the name without trailing digits, when that leaves a
/// non-empty name (`L12` → `L`, `S` → `S`, `7` → `7`).
#[must_use]
pub fn species_of(name: &str) -> &str {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.is_empty() {
        name
    } else {
        stem
    }
}

/// The frame with numbered sub-types folded into their species (types listed in order of
/// first appearance in `frame.types`); `None` when no type has a numeric suffix, so the frame
/// is used as it is.
#[must_use]
pub fn fold_subtypes(frame: &Frame) -> Option<Frame> {
    let mut names: Vec<String> = Vec::new();
    let mut map = Vec::with_capacity(frame.types.len());
    for t in &frame.types {
        let s = species_of(t);
        let id = match names.iter().position(|n| n == s) {
            Some(id) => id,
            None => {
                names.push(s.to_owned());
                names.len() - 1
            }
        };
        map.push(id as u32);
    }
    if names == frame.types {
        return None;
    }
    let mut folded = frame.clone();
    folded.types = names;
    for t in &mut folded.typeid {
        *t = map.get(*t as usize).copied().unwrap_or(*t);
    }
    Some(folded)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::Geometry;

    #[test]
    fn sub_types_fold_into_species() {
        assert_eq!(species_of("L12"), "L");
        assert_eq!(species_of("S"), "S");
        assert_eq!(species_of("42"), "42");
        let frame = Frame {
            step: 0,
            geometry: Geometry::Open { radius: None },
            types: vec!["L0".into(), "S0".into(), "L1".into(), "S1".into()],
            positions: vec![[0.0; 3]; 4],
            typeid: vec![0, 1, 2, 3],
            diameters: vec![1.0; 4],
            velocities: None,
            images: None,
        };
        let folded = fold_subtypes(&frame).unwrap();
        assert_eq!(folded.types, vec!["L".to_owned(), "S".to_owned()]);
        assert_eq!(folded.typeid, vec![0, 1, 0, 1]);
        assert!(fold_subtypes(&folded).is_none());
    }
}
