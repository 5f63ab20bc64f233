//! Fingerprint of a trajectory's end: 64-bit FNV-1a over the IEEE-754 bit patterns of the
//! positions (x, y, z of particle 0, then particle 1, …), little-endian bytes. Equal
//! fingerprints natively and in wasm prove bit-identical trajectories.

/// FNV-1a (64-bit) of the positions' bit patterns in index order.
#[must_use]
pub fn fingerprint(positions: &[[f64; 3]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in positions {
        for x in p {
            for b in x.to_bits().to_le_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv1a_of_nothing_is_the_offset_basis() {
        assert_eq!(super::fingerprint(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(
            super::fingerprint(&[[0.0; 3]]),
            super::fingerprint(&[[-0.0, 0.0, 0.0]])
        );
    }
}
