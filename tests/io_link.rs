//! The share-link codec under abuse: exact round trips, and for random strings, every
//! truncation, every single-character substitution, zip bombs and oversize input, a clear
//! error and never a panic.

#![allow(clippy::unwrap_used)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bnsl::io::link::{
    content_hash_hex, decode, decode_bytes, decode_link, encode, share_link, LinkError,
    MAX_JSON_BYTES, MAX_PAYLOAD_CHARS,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Recipe {
    version: u32,
    seed: u64,
    epsilon: f64,
    densities: Vec<f64>,
    label: String,
    species: Vec<(String, f64)>,
}

fn recipe() -> Recipe {
    Recipe {
        version: 3,
        seed: u64::MAX - 12345,
        epsilon: 0.1,
        densities: vec![
            1e-300,
            -0.0,
            2.0 / 3.0,
            1.234_567_890_123_456_7e10,
            f64::MIN_POSITIVE,
        ],
        label: "<script>alert('x')</script> \"quoted\" ünïcødé ☃".into(),
        species: vec![("L".into(), 1.0), ("S".into(), 0.55)],
    }
}

#[test]
fn round_trip_is_bit_exact() {
    let r = recipe();
    let payload = encode(&r).unwrap();
    assert!(payload
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let back: Recipe = decode(&payload).unwrap();
    assert_eq!(back, r);
    for (a, b) in r.densities.iter().zip(&back.densities) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
    // Strings come back as the same data, not interpreted.
    assert_eq!(back.label, r.label);
    let link = share_link("simulate", &r).unwrap();
    assert!(link.starts_with("#/simulate?r="));
    let (route, again): (String, Recipe) =
        decode_link(&format!("https://example.org/app/{link}")).unwrap();
    assert_eq!(route, "simulate");
    assert_eq!(again, r);
    // Same value, same link.
    assert_eq!(share_link("simulate", &r).unwrap(), link);
}

#[test]
fn every_truncation_is_refused() {
    let payload = encode(&recipe()).unwrap();
    for len in 0..payload.len() {
        let r = decode::<Recipe>(&payload[..len]);
        assert!(r.is_err(), "truncation to {len} accepted");
    }
}

#[test]
fn every_single_character_substitution_is_refused() {
    let payload = encode(&recipe()).unwrap();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut checked = 0;
    for i in 0..payload.len() {
        for _ in 0..8 {
            let c = alphabet[rng.gen_range(0..alphabet.len())];
            if c == payload.as_bytes()[i] {
                continue;
            }
            let mut p = payload.clone().into_bytes();
            p[i] = c;
            let p = String::from_utf8(p).unwrap();
            assert!(
                decode::<Recipe>(&p).is_err(),
                "substitution at {i} accepted"
            );
            checked += 1;
        }
    }
    assert!(checked > 500);
}

#[test]
fn random_strings_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let pool: Vec<char> = "ABCxyz019-_+/=%#?&<>\"' \n\u{0}é☃".chars().collect();
    for _ in 0..5000 {
        let len = rng.gen_range(0..200);
        let s: String = (0..len)
            .map(|_| pool[rng.gen_range(0..pool.len())])
            .collect();
        let r = decode::<Recipe>(&s);
        assert!(r.is_err());
        let _ = decode_link::<serde_json::Value>(&s);
        // Valid base64 of random bytes, with and without the right version byte.
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        if let Some(b) = bytes.first_mut() {
            *b = 1;
        }
        let _ = decode::<serde_json::Value>(&URL_SAFE_NO_PAD.encode(&bytes));
    }
}

#[test]
fn zip_bombs_and_long_links_are_bounded() {
    // 4 MiB of JSON whitespace compresses to a few KB: refused after MAX_JSON_BYTES.
    let mut json = vec![b' '; 4 * 1024 * 1024];
    json.push(b'1');
    let mut bytes = vec![1u8];
    bytes.extend_from_slice(&[0, 0, 0, 0]);
    bytes.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(&json, 9));
    let payload = URL_SAFE_NO_PAD.encode(&bytes);
    assert!(payload.len() < MAX_PAYLOAD_CHARS);
    assert_eq!(
        decode_bytes(&payload),
        Err(LinkError::Inflated {
            limit: MAX_JSON_BYTES
        })
    );

    let long = "A".repeat(MAX_PAYLOAD_CHARS + 1);
    assert!(matches!(
        decode_bytes(&long),
        Err(LinkError::TooLong { .. })
    ));
    // Incompressible data too big for a link is refused on the way in.
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let big: Vec<String> = (0..20_000)
        .map(|_| format!("{:x}", rng.gen::<u64>()))
        .collect();
    assert!(matches!(encode(&big), Err(LinkError::TooLong { .. })));
}

#[test]
fn wrong_content_names_line_and_column() {
    let payload = encode(&serde_json::json!({"version": 1, "seed": "not a number"})).unwrap();
    match decode::<Recipe>(&payload) {
        Err(LinkError::Content {
            line,
            column,
            message,
        }) => {
            assert_eq!(line, 1);
            assert!(column > 0);
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let old = URL_SAFE_NO_PAD.encode([0u8, 1, 2, 3, 4, 5, 6]);
    assert!(decode::<Recipe>(&old)
        .unwrap_err()
        .to_string()
        .contains("older"));
}

#[test]
fn content_hash_names_data_that_is_too_big_to_embed() {
    let data = b"q,I\n0.1,100\n0.2,50\n";
    let h = content_hash_hex(data);
    assert_eq!(h.len(), 16);
    assert_eq!(h, content_hash_hex(data));
    assert_ne!(h, content_hash_hex(b"q,I\n0.1,100\n0.2,51\n"));
}
