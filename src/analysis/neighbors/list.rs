//! A neighbour list in compressed-sparse-row form: for each centre, the indices of its
//! neighbours with their distances and displacement vectors.

/// Neighbours of a set of centres, freud-style plain arrays.
///
/// Row `r` describes centre `centres[r]`; its neighbours are the entries
/// `offsets[r]..offsets[r + 1]` of `neighbors`, `distances` and `vectors`, sorted by distance,
/// ties broken by the smaller particle index. `vectors` hold `r_neighbor − r_centre` (minimum
/// image in a periodic box), the convention freud uses for bonds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NeighborList {
    /// Particle index (into the frame) of each row's centre.
    pub centres: Vec<usize>,
    /// Row boundaries into the bond arrays; `offsets.len() == centres.len() + 1`.
    pub offsets: Vec<usize>,
    /// Particle index of each bond's neighbour.
    pub neighbors: Vec<u32>,
    /// Length of each bond.
    pub distances: Vec<f64>,
    /// Displacement from centre to neighbour of each bond.
    pub vectors: Vec<[f64; 3]>,
}

impl NeighborList {
    /// Number of rows (centres).
    #[must_use]
    pub fn len(&self) -> usize {
        self.centres.len()
    }

    /// Whether the list has no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.centres.is_empty()
    }

    /// Total number of bonds.
    #[must_use]
    pub fn num_bonds(&self) -> usize {
        self.neighbors.len()
    }

    /// The bond range of row `row`.
    #[must_use]
    pub fn row(&self, row: usize) -> std::ops::Range<usize> {
        self.offsets[row]..self.offsets[row + 1]
    }

    /// Neighbour indices of row `row`.
    #[must_use]
    pub fn neighbors_of(&self, row: usize) -> &[u32] {
        &self.neighbors[self.row(row)]
    }

    /// Map from particle index to row, for `n` particles (`None` where a particle is no centre).
    #[must_use]
    pub fn row_of_particle(&self, n: usize) -> Vec<Option<u32>> {
        let mut map = vec![None; n];
        for (row, &c) in self.centres.iter().enumerate() {
            if let Some(slot) = map.get_mut(c) {
                *slot = Some(row as u32);
            }
        }
        map
    }
}

impl NeighborList {
    /// The rows of `parts` one after the other (the first error, if any part failed).
    ///
    /// # Errors
    /// The first part's error.
    pub fn concat(
        parts: Vec<crate::analysis::Result<NeighborList>>,
    ) -> crate::analysis::Result<NeighborList> {
        if parts.len() == 1 {
            return parts
                .into_iter()
                .next()
                .unwrap_or_else(|| Ok(NeighborList::default()));
        }
        let mut out = NeighborList::default();
        out.offsets.push(0);
        for part in parts {
            let part = part?;
            let base = out.neighbors.len();
            out.centres.extend_from_slice(&part.centres);
            out.offsets
                .extend(part.offsets.iter().skip(1).map(|o| base + o));
            out.neighbors.extend_from_slice(&part.neighbors);
            out.distances.extend_from_slice(&part.distances);
            out.vectors.extend_from_slice(&part.vectors);
        }
        Ok(out)
    }

    /// The list keeping only the first `k` neighbours of each row (the `k` nearest, since rows
    /// are sorted by distance); rows with fewer keep all theirs.
    #[must_use]
    pub fn truncated(&self, k: usize) -> NeighborList {
        let mut out = NeighborList {
            centres: self.centres.clone(),
            offsets: Vec::with_capacity(self.offsets.len()),
            neighbors: Vec::with_capacity(self.centres.len() * k),
            distances: Vec::with_capacity(self.centres.len() * k),
            vectors: Vec::with_capacity(self.centres.len() * k),
        };
        out.offsets.push(0);
        for row in 0..self.len() {
            let r = self.row(row);
            let end = r.start + k.min(r.len());
            out.neighbors
                .extend_from_slice(&self.neighbors[r.start..end]);
            out.distances
                .extend_from_slice(&self.distances[r.start..end]);
            out.vectors.extend_from_slice(&self.vectors[r.start..end]);
            out.offsets.push(out.neighbors.len());
        }
        out
    }
}
