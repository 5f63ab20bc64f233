//! The hostile-input corpus of tests/fixtures/hostile (issue #18), made here so that every
//! file can be read as code: truncations, bit flips, absurd headers and counts, NaN and
//! infinite values, outliers, coincident particles, empty frames, 10¹² boxes, deep and huge
//! TOML, damaged links. `BNSL_WRITE_HOSTILE=1 cargo test --profile ci --test hostile_inputs
//! corpus_` rewrites the committed files; without it the test checks that every file made
//! here is committed unchanged.

use std::io::Cursor;

use bnsl::io::gsd::layout::{HEADER_SIZE, INDEX_ENTRY_SIZE};
use bnsl::io::gsd::{Chunk, ChunkValues, GsdFileWriter, HoomdWriter};
use bnsl::io::link::encode_bytes;
use bnsl::model::{Frame, Geometry};
use bnsl::simulate::{preset, PresetSize};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `(path under tests/fixtures/hostile, bytes)` of every corpus file.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    saxs(&mut out);
    gsd(&mut out);
    toml(&mut out);
    links(&mut out);
    rules(&mut out);
    out
}

fn put(out: &mut Vec<(String, Vec<u8>)>, path: &str, bytes: impl Into<Vec<u8>>) {
    out.push((path.to_string(), bytes.into()));
}

/// One AlB₂-like peak pattern: S(q) = 1 + Lorentzians at 0.48, 0.83, 0.96 nm⁻¹ with 1 % noise.
fn peaks(n: usize, rng: &mut ChaCha8Rng) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let q = 0.3 + 1.3 * i as f64 / (n - 1) as f64;
            let s: f64 = [0.48, 0.83, 0.96]
                .iter()
                .map(|c| 2.0 / (1.0 + ((q - c) / 0.01).powi(2)))
                .sum();
            (q, (1.0 + s) * (1.0 + 0.01 * (rng.gen::<f64>() - 0.5)))
        })
        .collect()
}

fn table(header: &str, rows: &[(f64, f64)], extra: &str) -> String {
    let mut s = format!("{header}\n");
    for (q, y) in rows {
        s.push_str(&format!("{q:.6},{y:.6}{extra}\n"));
    }
    s
}

fn saxs(out: &mut Vec<(String, Vec<u8>)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    let good = peaks(300, &mut rng);
    let good_text = table("q (1/nm),S", &good, "");
    put(out, "saxs/peaks.csv", good_text.clone());
    let flat: Vec<(f64, f64)> = good.iter().map(|&(q, _)| (q, 1.0)).collect();
    put(out, "saxs/flat.csv", table("q (1/nm),S", &flat, ""));
    put(
        out,
        "saxs/zero_errors.csv",
        table("q (1/nm),S,err", &good, ",0"),
    );
    let mut bad_values = String::from("q (1/nm),S\n");
    for (k, (q, y)) in good.iter().enumerate() {
        let y = match k % 37 {
            3 => "nan".to_string(),
            11 => "inf".to_string(),
            19 => "-inf".to_string(),
            23 => "1e400".to_string(),
            29 => "x".to_string(),
            _ => format!("{y:.6}"),
        };
        bad_values.push_str(&format!("{q:.6},{y}\n"));
    }
    put(out, "saxs/nan_inf_rows.csv", bad_values);
    let all_nan: Vec<String> = good.iter().map(|(q, _)| format!("{q},nan")).collect();
    put(
        out,
        "saxs/all_nan.csv",
        format!("q,S\n{}\n", all_nan.join("\n")),
    );
    let huge: Vec<(f64, f64)> = good.iter().map(|&(q, y)| (q, y * 1e300)).collect();
    let huge_text: Vec<String> = huge.iter().map(|(q, y)| format!("{q},{y:e}")).collect();
    put(
        out,
        "saxs/values_1e300.csv",
        format!("q (1/nm),S\n{}\n", huge_text.join("\n")),
    );
    let tiny_text: Vec<String> = good
        .iter()
        .map(|(q, y)| format!("{q},{:e}", y * 1e-300))
        .collect();
    put(
        out,
        "saxs/values_1e-300.csv",
        format!("q (1/nm),S\n{}\n", tiny_text.join("\n")),
    );
    let mut outliers = good.clone();
    outliers[150].1 = 1e12;
    outliers[40].0 = -1.0;
    outliers[41].0 = 0.0;
    put(out, "saxs/outliers.csv", table("q (1/nm),S", &outliers, ""));
    put(
        out,
        "saxs/three_rows.csv",
        table("q (1/nm),S", &good[..3], ""),
    );
    put(
        out,
        "saxs/truncated.csv",
        good_text.as_bytes()[..good_text.len() / 3 + 5].to_vec(),
    );
    put(out, "saxs/empty.csv", "");
    put(out, "saxs/only_comments.csv", "# nothing here\n# q, S\n");
    let mut flipped = good_text.clone().into_bytes();
    for _ in 0..40 {
        let at = rng.gen_range(0..flipped.len());
        flipped[at] ^= 1 << rng.gen_range(0..8);
    }
    put(out, "saxs/bit_flips.csv", flipped);
    let binary: Vec<u8> = (0..4096).map(|_| rng.gen()).collect();
    put(out, "saxs/binary.csv", binary);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        good_text
            .encode_utf16()
            .take(400)
            .flat_map(u16::to_le_bytes),
    );
    put(out, "saxs/utf16.csv", utf16);
    let long_header = format!("q (1/nm),{}\n", "S".repeat(100_000));
    put(out, "saxs/huge_header.csv", long_header + &good_text);
    let times: Vec<String> = (0..5_000).map(|t| format!("t={t}s")).collect();
    put(
        out,
        "saxs/wide_header_5000_times.csv",
        format!("q (1/nm),{}\n{}", times.join(","), "0.5,1\n0.6,2\n"),
    );
    let mut ragged = String::from("q,S,err,dq\n");
    for (k, (q, y)) in good.iter().enumerate() {
        let row = match k % 4 {
            0 => format!("{q}\n"),
            1 => format!("{q},{y}\n"),
            2 => format!("{q},{y},0.1,0.01,7,8\n"),
            _ => format!("{q};{y}\n"),
        };
        ragged.push_str(&row);
    }
    put(out, "saxs/ragged.csv", ragged);
    // A series of 6 frames whose fourth is flat (a degenerate fit) and whose times repeat.
    let mut series = String::from("q (1/nm),t=0s,t=10s,t=20s,t=30s,t=40s,t=50s\n");
    for (q, y) in &good {
        let cols: Vec<String> = (0..6)
            .map(|t| {
                if t == 3 {
                    "1.0".into()
                } else {
                    format!("{:.6}", 1.0 + (y - 1.0) * (t + 1) as f64 / 6.0)
                }
            })
            .collect();
        series.push_str(&format!("{q:.6},{}\n", cols.join(",")));
    }
    put(out, "saxs/series_flat_frame.csv", series.clone());
    put(
        out,
        "saxs/series_repeated_times.csv",
        series
            .replacen("t=10s", "t=0s", 1)
            .replacen("t=20s", "t=nan", 1),
    );
    let mut long = String::from("time,q,S\n");
    for t in 0..3 {
        for (q, y) in good.iter().step_by(3) {
            long.push_str(&format!("{t},{q},{y}\n"));
        }
    }
    long.push_str("1e400,0.5,1\n-1,0.5,1\n");
    put(out, "saxs/series_long_bad_times.csv", long);
    // Time -0 on a late row (the fuzzer's finding): the same time as 0.
    let mut minus_zero = String::from("time,q,S\n");
    for (k, (q, y)) in good.iter().enumerate().step_by(10) {
        minus_zero.push_str(&format!(
            "{}0,{q},{y}\n1,{q},{y}\n",
            if k == 200 { "-" } else { "" }
        ));
    }
    put(out, "saxs/series_long_minus_zero_time.csv", minus_zero);
}

fn frame(geometry: Geometry, positions: Vec<[f64; 3]>) -> Frame {
    let n = positions.len();
    Frame {
        step: 0,
        geometry,
        types: vec!["L".into(), "S".into()],
        typeid: (0..n).map(|i| (i % 3 == 0) as u32).collect(),
        diameters: (0..n)
            .map(|i| if i % 3 == 0 { 0.55 } else { 1.0 })
            .collect(),
        positions,
        velocities: None,
        images: None,
    }
}

fn gsd_of(frames: &[Frame]) -> Vec<u8> {
    let mut w = HoomdWriter::create(Cursor::new(Vec::new())).expect("writer");
    for f in frames {
        w.append(f).expect("frame");
    }
    w.finish().expect("finish").into_inner()
}

/// A HOOMD frame written chunk by chunk, so that values the writer refuses (NaN, a zero box,
/// a particle count with no positions) can be put in a file.
fn raw_gsd(box_: [f32; 6], n: u32, positions: Option<Vec<f32>>) -> Vec<u8> {
    let mut w =
        GsdFileWriter::create(Cursor::new(Vec::new()), "hostile", "hoomd", (1, 4)).expect("writer");
    w.write_chunk(
        "configuration/box",
        &Chunk::column(ChunkValues::F32(box_.to_vec())),
    )
    .expect("box");
    w.write_chunk("particles/N", &Chunk::column(ChunkValues::U32(vec![n])))
        .expect("N");
    if let Some(p) = positions {
        let rows = (p.len() / 3) as u64;
        w.write_chunk(
            "particles/position",
            &Chunk::new(rows, 3, ChunkValues::F32(p)).expect("chunk"),
        )
        .expect("position");
    }
    w.end_frame().expect("frame");
    w.finish().expect("finish").into_inner()
}

/// A simple-cubic block of `side³` particles with spacing 1.1 σ, centred on the origin.
fn block(side: usize) -> Vec<[f64; 3]> {
    let half = (side as f64 - 1.0) * 1.1 / 2.0;
    let mut p = Vec::new();
    for i in 0..side {
        for j in 0..side {
            for k in 0..side {
                p.push([
                    i as f64 * 1.1 - half,
                    j as f64 * 1.1 - half,
                    k as f64 * 1.1 - half,
                ]);
            }
        }
    }
    p
}

fn set_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

fn gsd(out: &mut Vec<(String, Vec<u8>)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(1812);
    let periodic = Geometry::Periodic([8.0; 3]);
    let good = gsd_of(&[frame(periodic, block(6)), frame(periodic, block(6))]);
    put(out, "gsd/good_two_frames.gsd", good.clone());
    let index_end = (HEADER_SIZE + 128 * INDEX_ENTRY_SIZE) as usize;
    for (name, len) in [
        ("header", 100),
        ("index", index_end - 40),
        ("data", good.len() - 50),
    ] {
        put(
            out,
            &format!("gsd/truncated_in_{name}.gsd"),
            good[..len].to_vec(),
        );
    }
    for (name, lo, hi) in [("header", 0, 256), ("index", 256, index_end)] {
        let mut b = good.clone();
        for _ in 0..6 {
            let at = rng.gen_range(lo..hi);
            b[at] ^= 1 << rng.gen_range(0..8);
        }
        put(out, &format!("gsd/bit_flips_in_{name}.gsd"), b);
    }
    let mut huge_index = good.clone();
    set_u64(&mut huge_index, 16, 1 << 60);
    put(out, "gsd/header_index_2^60_entries.gsd", huge_index);
    let mut huge_names = good.clone();
    set_u64(&mut huge_names, 32, u64::MAX / 64);
    put(out, "gsd/header_namelist_huge.gsd", huge_names);
    let mut far_index = good.clone();
    set_u64(&mut far_index, 8, u64::MAX - 8);
    put(out, "gsd/header_index_past_end.gsd", far_index);
    let mut huge_chunk = good.clone();
    // The N (rows) field of the first index entry.
    set_u64(&mut huge_chunk, HEADER_SIZE as usize + 8, 1 << 40);
    put(out, "gsd/index_chunk_2^40_rows.gsd", huge_chunk);
    put(
        out,
        "gsd/count_2^32-1_no_positions.gsd",
        raw_gsd([8.0, 8.0, 8.0, 0.0, 0.0, 0.0], u32::MAX, None),
    );
    put(
        out,
        "gsd/count_larger_than_positions.gsd",
        raw_gsd([8.0, 8.0, 8.0, 0.0, 0.0, 0.0], 1000, Some(vec![0.0; 30])),
    );
    let mut nan = vec![0.5f32; 30];
    nan[7] = f32::NAN;
    put(
        out,
        "gsd/nan_position.gsd",
        raw_gsd([8.0, 8.0, 8.0, 0.0, 0.0, 0.0], 10, Some(nan)),
    );
    put(
        out,
        "gsd/zero_box.gsd",
        raw_gsd([0.0, 8.0, 8.0, 0.0, 0.0, 0.0], 2, Some(vec![0.5; 6])),
    );
    put(
        out,
        "gsd/infinite_box.gsd",
        raw_gsd(
            [f32::INFINITY, 8.0, 8.0, 0.0, 0.0, 0.0],
            2,
            Some(vec![0.5; 6]),
        ),
    );
    put(out, "gsd/no_frames.gsd", gsd_of(&[]));
    put(out, "gsd/empty.gsd", Vec::new());
    put(out, "gsd/text.gsd", "q,S\n0.1,1\n");
    put(
        out,
        "gsd/zero_particles.gsd",
        gsd_of(&[frame(periodic, Vec::new())]),
    );
    let mut coincident = block(4);
    coincident[5] = coincident[6];
    put(
        out,
        "gsd/coincident_pair.gsd",
        gsd_of(&[frame(Geometry::Periodic([5.0; 3]), coincident)]),
    );
    let mut outlier = block(4);
    outlier.push([1e5, 0.0, 0.0]);
    put(
        out,
        "gsd/open_outlier_1e5.gsd",
        gsd_of(&[frame(Geometry::Open { radius: None }, outlier)]),
    );
    let mut corner = block(4);
    corner.push([1000.0, 1000.0, 1000.0]);
    put(
        out,
        "gsd/open_outlier_corner_1e3.gsd",
        gsd_of(&[frame(Geometry::Open { radius: None }, corner)]),
    );
    put(
        out,
        "gsd/box_1e12.gsd",
        gsd_of(&[frame(Geometry::Periodic([1e12; 3]), block(3))]),
    );
}

const TOML_BASE: &str = r#"kt = 0.4
[[species]]
name = "L"
diameter = 1.0
count = 20
[[species]]
name = "S"
diameter = 0.55
count = 20
[pair]
epsilon = 1.0
n = 50
m = 25
r_cut = 1.5
[geometry]
kind = "periodic"
[initial]
kind = "random_fluid"
density = 0.3
[integrator]
kind = "langevin"
[[stage]]
steps = 20
[output]
trajectory = "out.gsd"
log = "out.csv"
log_every = 10
frame_every = 10
"#;

fn toml(out: &mut Vec<(String, Vec<u8>)>) {
    put(out, "toml/tiny_valid.toml", TOML_BASE);
    let with = |from: &str, to: &str| {
        assert!(TOML_BASE.contains(from), "{from}");
        TOML_BASE.replacen(from, to, 1)
    };
    put(
        out,
        "toml/count_2^32.toml",
        with("count = 20", "count = 4294967296"),
    );
    put(
        out,
        "toml/count_negative.toml",
        with("count = 20", "count = -1"),
    );
    put(
        out,
        "toml/count_2^70.toml",
        with("count = 20", "count = 1180591620717411303424"),
    );
    put(
        out,
        "toml/density_1e-9.toml",
        with("density = 0.3", "density = 1e-9"),
    );
    put(
        out,
        "toml/density_nan.toml",
        with("density = 0.3", "density = nan"),
    );
    put(out, "toml/kt_inf.toml", with("kt = 0.4", "kt = inf"));
    put(
        out,
        "toml/dt_1e400.toml",
        with("kt = 0.4", "kt = 0.4\ndt = 1e400"),
    );
    put(
        out,
        "toml/r_cut_1e6.toml",
        with("r_cut = 1.5", "r_cut = 1e6"),
    );
    put(
        out,
        "toml/exponent_2^32.toml",
        with("n = 50", "n = 4294967295"),
    );
    put(
        out,
        "toml/compress_to_1e-12.toml",
        with("steps = 20", "steps = 20\ncompress_to = 1e-12"),
    );
    put(
        out,
        "toml/chain_10^12.toml",
        with(
            "kind = \"langevin\"",
            "kind = \"mtk\"\nchain = 1000000000000",
        ),
    );
    put(
        out,
        "toml/lattice_cells_100^3_nazn13.toml",
        with(
            "kind = \"random_fluid\"\ndensity = 0.3",
            "kind = \"lattice\"\nstructure = \"nazn13\"\na = 2.0\ncells = [100, 100, 100]",
        ),
    );
    put(
        out,
        "toml/lattice_cells_2^40.toml",
        with(
            "kind = \"random_fluid\"\ndensity = 0.3",
            "kind = \"lattice\"\nstructure = \"fcc\"\na = 1.5\ncells = [1099511627776, 1, 1]",
        ),
    );
    put(
        out,
        "toml/seed_radius_1e6.toml",
        with(
            "kind = \"random_fluid\"\ndensity = 0.3",
            "kind = \"seeded_fluid\"\nstructure = \"alb2\"\na = 1.0\nseed_radius = 1e6\ndensity = 0.3",
        ),
    );
    put(
        out,
        "toml/gsd_missing_file.toml",
        with(
            "kind = \"random_fluid\"\ndensity = 0.3",
            "kind = \"gsd\"\npath = \"/nonexistent/frames.gsd\"",
        ),
    );
    put(
        out,
        "toml/unknown_field.toml",
        with("kt = 0.4", "kt = 0.4\nbogus = 1"),
    );
    put(
        out,
        "toml/species_missing.toml",
        TOML_BASE.replace("[[species]]", "[[specie]]"),
    );
    put(out, "toml/empty.toml", "");
    let mut bad_utf8 = TOML_BASE.as_bytes().to_vec();
    bad_utf8.splice(30..30, [0xC3, 0x28, 0xFF]);
    put(out, "toml/bad_utf8.toml", bad_utf8);
    put(
        out,
        "toml/deep_arrays.toml",
        format!("a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    put(
        out,
        "toml/deep_tables.toml",
        format!("a = {}{}\n", "{b = ".repeat(5_000), "}".repeat(5_000)),
    );
    put(
        out,
        "toml/huge_string.toml",
        with(
            "name = \"L\"",
            &format!("name = \"{}\"", "L".repeat(100_000)),
        ),
    );
    let many: String = (0..1_000)
        .map(|i| format!("[[species]]\nname = \"X{i}\"\ndiameter = 1.0\nbins = 25\ncount = 200\n"))
        .collect();
    put(out, "toml/species_1000.toml", format!("{TOML_BASE}{many}"));
}

fn link_of(json: &str) -> String {
    format!(
        "https://example.org/bnsl/#/simulate?r={}",
        encode_bytes(json.as_bytes()).expect("encodes")
    )
}

fn links(out: &mut Vec<(String, Vec<u8>)>) {
    let quick = preset("quick-test", PresetSize::Small)
        .expect("preset")
        .recipe;
    let json = quick.to_json().expect("json");
    let good = link_of(&json);
    put(out, "link/good.txt", good.clone());
    put(out, "recipe/good.json", json.clone());
    let payload = good.split("r=").nth(1).expect("payload").to_string();
    let with = |from: &str, to: &str| {
        assert!(json.contains(from), "{from}");
        json.replacen(from, to, 1)
    };
    let mut version = payload.clone().into_bytes();
    version[0] = b'C';
    put(
        out,
        "link/bad_version.txt",
        format!(
            "#/simulate?r={}",
            String::from_utf8(version).expect("ascii")
        ),
    );
    let mut checksum = payload.clone().into_bytes();
    let k = checksum.len() / 2;
    checksum[k] = if checksum[k] == b'A' { b'B' } else { b'A' };
    put(
        out,
        "link/bad_checksum.txt",
        format!(
            "#/simulate?r={}",
            String::from_utf8(checksum).expect("ascii")
        ),
    );
    put(
        out,
        "link/bad_base64.txt",
        format!("#/simulate?r={}!!%%", &payload[..20]),
    );
    put(
        out,
        "link/truncated.txt",
        format!("#/simulate?r={}", &payload[..payload.len() / 2]),
    );
    put(
        out,
        "link/wrong_route.txt",
        good.replace("#/simulate", "#/saxs"),
    );
    put(
        out,
        "link/no_payload.txt",
        "https://example.org/bnsl/#/simulate",
    );
    put(
        out,
        "link/too_long.txt",
        format!("#/simulate?r={}", "A".repeat(100_000)),
    );
    let bomb = format!("{{\"format\":1,\"pad\":\"{}\"}}", " ".repeat(1_000_000));
    put(
        out,
        "link/zip_bomb.txt",
        format!(
            "#/simulate?r={}",
            bnsl::io::link::encode_bytes(&bomb.as_bytes()[..1_000_000]).expect("fits")
        ),
    );
    put(
        out,
        "link/script_name.txt",
        link_of(&with(
            "\"name\":\"L\"",
            "\"name\":\"<script>alert(1)</script>\"",
        )),
    );
    put(
        out,
        "link/count_1e9.txt",
        link_of(&with("\"count\":100", "\"count\":1000000000")),
    );
    put(
        out,
        "link/density_1e-9.txt",
        link_of(&with("\"density\":0.5", "\"density\":1e-9")),
    );
    let lattice = "{\"kind\":\"lattice\",\"structure\":\"nazn13\",\"a\":2.0,\"c_over_a\":1.0,\"cells\":[100,100,100]}";
    put(
        out,
        "recipe/lattice_cells_100^3_nazn13.json",
        with(
            "{\"kind\":\"random_fluid\",\"density\":0.5,\"min_distance\":1.0,\"order\":\"cells\"}",
            lattice,
        ),
    );
    put(out, "recipe/seed_radius_50_a_0.5.json", with(
        "{\"kind\":\"random_fluid\",\"density\":0.5,\"min_distance\":1.0,\"order\":\"cells\"}",
        "{\"kind\":\"seeded_fluid\",\"structure\":\"nazn13\",\"a\":0.5,\"c_over_a\":1.0,\"seed_radius\":50.0,\"density\":0.5,\"min_distance\":1.0}",
    ));
    put(
        out,
        "recipe/count_1e9.json",
        with("\"count\":100", "\"count\":1000000000"),
    );
    put(
        out,
        "recipe/dt_1e400.json",
        with("\"dt\":0.001", "\"dt\":1e400"),
    );
    put(
        out,
        "recipe/deep.json",
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
    );
    put(out, "recipe/not_json.json", "format = 1\n");
    let mut bad = json.clone().into_bytes();
    bad.splice(10..10, [0xFF, 0xFE]);
    put(out, "recipe/bad_utf8.json", bad);
}

fn rules(out: &mut Vec<(String, Vec<u8>)>) {
    put(
        out,
        "rules/deep.json",
        format!("{}{}", "{\"a\":".repeat(5_000), "}".repeat(5_000)),
    );
    put(out, "rules/empty.json", "");
    put(
        out,
        "rules/k_2^40.json",
        r#"{"name":"huge","centres":["L"],"rules":[{"kind":"order","l":6,"k":1099511627776,"neighbors":null,"comparison":"greater","threshold":0.4}]}"#,
    );
    put(
        out,
        "rules/k_0_threshold_1e400.json",
        r#"{"name":"zero","centres":["L"],"rules":[{"kind":"composition","k":0,"neighbors":null,"count":["S"],"comparison":"greater","threshold":-1e400}]}"#,
    );
}
