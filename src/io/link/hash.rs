//! Content hashes for data too large to embed in a link: 64-bit FNV-1a (Fowler–Noll–Vo), a
//! fixed, platform-independent function; not cryptographic (it detects a different file, not a
//! forged one).

const OFFSET64: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME64: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a hash of `bytes`.
#[must_use]
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(OFFSET64, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME64))
}

/// [`content_hash`] as 16 lowercase hex digits.
#[must_use]
pub fn content_hash_hex(bytes: &[u8]) -> String {
    format!("{:016x}", content_hash(bytes))
}

/// 32-bit FNV-1a, the payload checksum.
pub(super) fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_fnv1a_test_vectors() {
        // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv).
        assert_eq!(content_hash_hex(b""), "cbf29ce484222325");
        assert_eq!(content_hash_hex(b"a"), "af63dc4c8601ec8c");
        assert_eq!(content_hash_hex(b"foobar"), "85944171f73967e8");
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9c_f968);
    }
}
