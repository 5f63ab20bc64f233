//! Writer rules: what HOOMD's frame-0 and default conventions leave out, what is refused, and
//! empty and open frames.

#![allow(clippy::unwrap_used)]

use bnsl::io::gsd::{read_trajectory, write_trajectory, GsdError, GsdFile};
use bnsl::model::{Frame, Geometry};
use std::io::Cursor;

fn frame(n: usize) -> Frame {
    Frame {
        step: 5,
        geometry: Geometry::Periodic([4.0, 4.0, 4.0]),
        types: vec!["A".into()],
        positions: (0..n).map(|i| [i as f64 * 0.5 - 1.0, 0.0, 0.0]).collect(),
        typeid: vec![0; n],
        diameters: vec![1.0; n],
        velocities: None,
        images: None,
    }
}

fn stored(bytes: &[u8], k: u64) -> Vec<String> {
    let f = GsdFile::open(Cursor::new(bytes)).unwrap();
    let mut v: Vec<String> = f
        .index()
        .iter()
        .filter(|e| e.frame == k)
        .map(|e| f.names()[usize::from(e.id)].clone())
        .collect();
    v.sort();
    v
}

#[test]
fn defaults_and_frame0_values_are_left_out() {
    let mut f1 = frame(4);
    f1.step = 6;
    f1.positions[0][1] = 0.25;
    let bytes = write_trajectory(&[frame(4), f1.clone()]).unwrap();
    // Frame 0: types ["A"], type ids 0 and diameters 1 are the schema defaults.
    assert_eq!(
        stored(&bytes, 0),
        vec![
            "configuration/box",
            "configuration/step",
            "log/bnsl/droplet_radius",
            "particles/N",
            "particles/position"
        ]
    );
    // Frame 1: only what changed.
    assert_eq!(
        stored(&bytes, 1),
        vec!["configuration/step", "particles/position"]
    );
    let back = read_trajectory(&bytes).unwrap();
    assert_eq!(back[1], f1);
}

#[test]
fn open_and_empty_frames_round_trip() {
    let mut open = frame(3);
    open.geometry = Geometry::Open { radius: Some(2.5) };
    let mut cluster = frame(3);
    cluster.geometry = Geometry::Open { radius: None };
    cluster.positions[2] = [7.0, -9.0, 0.0];
    let empty = frame(0);
    let back = read_trajectory(
        &write_trajectory(&[open.clone(), cluster.clone(), empty.clone(), frame(3)]).unwrap(),
    )
    .unwrap();
    assert_eq!(back, vec![open, cluster.clone(), empty, frame(3)]);
    // The enclosing box of an unbounded cluster reaches the farthest particle plus 1 σ.
    assert_eq!(bnsl::io::gsd::enclosing_box(&cluster), [20.0; 3]);
}

#[test]
fn inconsistent_frames_are_refused_before_writing() {
    type Spoil = Box<dyn Fn(&mut Frame)>;
    let cases: Vec<(Spoil, &str)> = vec![
        (Box::new(|f| f.typeid[1] = 3), "particle 1 has type id 3"),
        (
            Box::new(|f| f.diameters.pop().map(|_| ()).unwrap()),
            "diameters has 3 entries for 4 particles",
        ),
        (
            Box::new(|f| f.positions[2][0] = f64::NAN),
            "particle 2 has a non-finite position",
        ),
        (Box::new(|f| f.types.clear()), "no type names"),
        (
            Box::new(|f| f.geometry = Geometry::Periodic([1.0, 0.0, 1.0])),
            "box lengths",
        ),
        (
            Box::new(|f| f.geometry = Geometry::Open { radius: Some(-1.0) }),
            "droplet radius",
        ),
        (
            Box::new(|f| f.velocities = Some(vec![[0.0; 3]; 2])),
            "velocities has 2 entries",
        ),
    ];
    for (spoil, want) in cases {
        let mut f = frame(4);
        spoil(&mut f);
        match write_trajectory(&[f]) {
            Err(e @ GsdError::InvalidFrame { frame: 0, .. }) => {
                assert!(e.to_string().contains(want), "{e} lacks {want:?}")
            }
            other => panic!("{want}: {other:?}"),
        }
    }
}
