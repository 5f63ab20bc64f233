//! Hostile bytes never panic the GSD reader: every truncation of a real HOOMD file and
//! thousands of random byte flips (concentrated on the header, index and name list, where
//! they matter) give either frames or an error.

use bnsl::io::gsd::read_trajectory;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn fixture() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/gsd/hoomd_written.gsd"
    ))
    .unwrap()
}

#[test]
fn every_truncation_is_an_error_or_frames() {
    let bytes = fixture();
    let mut errors = 0;
    for len in 0..bytes.len() {
        if read_trajectory(&bytes[..len]).is_err() {
            errors += 1;
        }
    }
    // Cutting into the index or the name list (which sit before the data in a fresh file)
    // or into any chunk must be detected.
    assert!(
        errors > bytes.len() / 2,
        "{errors} of {} truncations detected",
        bytes.len()
    );
    assert!(read_trajectory(&bytes).is_ok());
}

#[test]
fn random_byte_flips_never_panic() {
    let bytes = fixture();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    // header + index (128 entries) + name list of a fresh gsd file
    let structural = 256 + 128 * 32 + 1024;
    let (mut ok, mut err) = (0, 0);
    for trial in 0..3000 {
        let mut b = bytes.clone();
        let flips = 1 + trial % 4;
        for _ in 0..flips {
            let at = if trial % 5 == 4 {
                rng.gen_range(0..b.len())
            } else {
                rng.gen_range(0..structural)
            };
            b[at] = rng.gen();
        }
        match read_trajectory(&b) {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                err += 1;
            }
        }
    }
    assert_eq!(ok + err, 3000);
    assert!(err > 100, "only {err} corruptions detected");
}

#[test]
fn random_garbage_never_panics() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut header = fixture()[..256].to_vec();
    for trial in 0..500 {
        let len = rng.gen_range(0..9000);
        let mut b: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        if trial % 2 == 0 && b.len() >= 256 {
            // valid magic and version with random locations and sizes
            header[8..40].iter_mut().for_each(|x| *x = rng.gen());
            b[..256].copy_from_slice(&header);
        }
        let _ = read_trajectory(&b);
    }
}
