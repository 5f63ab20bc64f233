//! The seed's crystalline cluster (SCIENCE.md §4, "Seeded growth, measured here"): the
//! crystalline large particles of a classified frame (SCIENCE.md §2) joined into clusters by
//! bonds shorter than a link length (about 1.2 × the crystal's b_LL: first L–L shell only), and
//! the cluster that holds the seed — the largest cluster with at least one of the seed's
//! original L. Its size over time is the honest measure of growth: L joining the seed's cluster
//! per τ, not the crystalline fraction of the whole box, which counts the fluid's fluctuations.

use super::classify::Classification;
use crate::model::Frame;

/// Cluster labels of the crystalline particles of type `large`: for each particle of the frame
/// `Some(cluster)` (clusters numbered from 0 in order of their lowest particle index) or `None`
/// for a particle that is not a crystalline `large` one. Two crystalline particles closer than
/// `link` (minimum image in a periodic box) are in the same cluster.
#[must_use]
pub fn crystalline_clusters(
    frame: &Frame,
    classification: &Classification,
    large: u32,
    link: f64,
) -> Vec<Option<usize>> {
    let members: Vec<usize> = classification
        .centres
        .iter()
        .zip(&classification.crystalline)
        .filter(|(&i, &c)| c && frame.typeid.get(i) == Some(&large))
        .map(|(&i, _)| i)
        .collect();
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let image = frame.geometry.minimum_image();
    let link2 = link * link;
    for a in 0..members.len() {
        for b in a + 1..members.len() {
            if image.distance2(frame.positions[members[a]], frame.positions[members[b]]) < link2 {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
    }
    let mut label_of_root = vec![usize::MAX; members.len()];
    let mut next = 0;
    let mut out = vec![None; frame.len()];
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&k| members[k]);
    for k in order {
        let r = root(&mut parent, k);
        if label_of_root[r] == usize::MAX {
            label_of_root[r] = next;
            next += 1;
        }
        out[members[k]] = Some(label_of_root[r]);
    }
    out
}

/// Size (number of crystalline `large` particles) of the seed's cluster: the largest cluster
/// of [`crystalline_clusters`] holding at least one of `seed` (particle indices of the seed's
/// L at insertion); 0 when none of them is crystalline any more.
#[must_use]
pub fn seed_cluster_size(
    frame: &Frame,
    classification: &Classification,
    large: u32,
    link: f64,
    seed: &[usize],
) -> usize {
    let labels = crystalline_clusters(frame, classification, large, link);
    let clusters = labels.iter().flatten().copied().max().map_or(0, |m| m + 1);
    let mut sizes = vec![0usize; clusters];
    for c in labels.iter().flatten() {
        sizes[*c] += 1;
    }
    seed.iter()
        .filter_map(|&i| labels.get(i).copied().flatten())
        .map(|c| sizes[c])
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::NeighborList;
    use crate::model::Geometry;

    fn frame(positions: Vec<[f64; 3]>) -> Frame {
        let n = positions.len();
        Frame {
            step: 0,
            geometry: Geometry::Periodic([10.0; 3]),
            types: vec!["L".into(), "S".into()],
            positions,
            typeid: vec![0; n],
            diameters: vec![1.0; n],
            velocities: None,
            images: None,
        }
    }

    #[test]
    fn clusters_follow_links_across_the_boundary_and_skip_the_disordered() {
        let f = frame(vec![
            [0.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [4.9, 0.0, 0.0],
            [-4.9, 0.0, 0.0],
            [2.0, 0.0, 0.0],
            [3.0, 3.0, 3.0],
        ]);
        let classification = Classification {
            centres: (0..6).collect(),
            crystalline: vec![true, true, true, true, false, true],
            values: Vec::new(),
            neighborhood: NeighborList::default(),
        };
        let labels = crystalline_clusters(&f, &classification, 0, 1.2);
        assert_eq!(
            labels,
            vec![Some(0), Some(0), Some(1), Some(1), None, Some(2)]
        );
        assert_eq!(seed_cluster_size(&f, &classification, 0, 1.2, &[1, 5]), 2);
        assert_eq!(seed_cluster_size(&f, &classification, 0, 1.2, &[4]), 0);
    }
}
