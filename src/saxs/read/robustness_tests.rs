//! Property-style checks: random, mutated and truncated inputs never panic, and whatever is
//! read satisfies the invariants (sorted unique positive q, finite values, equal lengths).

use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const GOOD: &str = "# q (1/nm), S, err\nq,S,err\n0.10,1.0,0.1\n0.20,1.5,0.1\n0.30,2.5,0.2\n0.40,1.2,0.1\n0.50,1.1,0.1\n";
const WIDE: &str = "q\t0\t30\t60\n0.1\t1\t2\t3\n0.2\t2\t3\t4\n0.3\t3\t4\t5\n0.4\t4\t5\t6\n";

fn check_pattern(p: &Pattern) {
    assert!(p.q.len() >= 3);
    assert_eq!(p.q.len(), p.intensity.len());
    assert!(p.q.windows(2).all(|w| w[0] < w[1]));
    assert!(p.q.iter().all(|&q| q > 0.0 && q.is_finite()));
    assert!(p.intensity.iter().all(|v| v.is_finite()));
    if let Some(e) = &p.error {
        assert_eq!(e.len(), p.q.len());
        assert!(e.iter().all(|&v| v > 0.0));
    }
}

fn check_series(s: &Series) {
    assert!(s.q.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(s.times.len(), s.frames.len());
    assert!(s.frames.iter().all(|f| f.len() == s.q.len()));
}

fn mutate(rng: &mut ChaCha8Rng, base: &[u8]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    let alphabet = b"0123456789.,;\t -+eENaInf#%!/\n\r\"x";
    for _ in 0..rng.gen_range(0..8) {
        if bytes.is_empty() {
            break;
        }
        let i = rng.gen_range(0..bytes.len());
        match rng.gen_range(0..4) {
            0 => bytes[i] = alphabet[rng.gen_range(0..alphabet.len())],
            1 => {
                bytes.remove(i);
            }
            2 => bytes.insert(i, alphabet[rng.gen_range(0..alphabet.len())]),
            _ => bytes[i] = rng.gen(),
        }
    }
    let cut = rng.gen_range(0..=bytes.len());
    if rng.gen_bool(0.3) {
        bytes.truncate(cut);
    }
    bytes
}

#[test]
fn random_and_truncated_inputs_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let options = ReadOptions::default();
    for round in 0..3000 {
        let base = if round % 2 == 0 { GOOD } else { WIDE };
        let bytes = if round % 10 == 9 {
            (0..rng.gen_range(0..200)).map(|_| rng.gen()).collect()
        } else {
            mutate(&mut rng, base.as_bytes())
        };
        if let Ok(p) = read_pattern(&bytes, &options) {
            check_pattern(&p);
        }
        for layout in [SeriesLayout::Auto, SeriesLayout::Wide, SeriesLayout::Long] {
            if let Ok(s) = read_series(&bytes, &options, layout) {
                check_series(&s);
                if let Ok(n) = s.normalized_by_first() {
                    check_series(&n);
                }
            }
        }
    }
}

#[test]
fn every_prefix_of_a_good_file_is_handled() {
    let options = ReadOptions::default();
    for end in 0..=GOOD.len() {
        match read_pattern(&GOOD.as_bytes()[..end], &options) {
            Ok(p) => check_pattern(&p),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}
