//! Shared set-up for the GPU tests, native (lavapipe) and in the browser (SwiftShader):
//! lattices, mixtures, droplets, the device, and the comparisons (with the f64 reference pair
//! sum, with the CPU engine, block means, energy drift).
#![allow(dead_code)]

#[cfg(not(target_arch = "wasm32"))]
use bnsl::gpu::{ForceField, GpuError, Integrator};
use bnsl::gpu::{GpuContext, GpuMd, GpuSystem, Observables};
use bnsl::md::{compute_forces, NeighborList, State};
use bnsl::model::{Geometry, PairRule, PairSpec, PairTable, PotentialKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const SIGMA_L: f64 = 1.0;
pub const SIGMA_S: f64 = 0.55;

/// Blocks on a future (native tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn block<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

/// The GPU device, or a failed test that says how to get one (lavapipe natively, WebGPU in
/// the test browser).
pub async fn context() -> GpuContext {
    match GpuContext::new().await {
        Ok(c) => c,
        Err(e) => panic!(
            "no GPU device: {e}. Natively install Mesa lavapipe (apt-get install -y \
             mesa-vulkan-drivers); in the browser, webdriver.json needs --enable-unsafe-webgpu"
        ),
    }
}

/// The largest |a - b| over all components.
pub fn max_abs_diff(a: &[[f64; 3]], b: &[[f64; 3]]) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

/// Mean and its standard error from 10 block means (the samples are correlated).
pub fn mean_sem(x: &[f64]) -> (f64, f64) {
    let blocks = 10;
    let len = x.len() / blocks;
    let means: Vec<f64> = (0..blocks)
        .map(|b| x[b * len..(b + 1) * len].iter().sum::<f64>() / len as f64)
        .collect();
    let m = means.iter().sum::<f64>() / blocks as f64;
    let var = means.iter().map(|y| (y - m) * (y - m)).sum::<f64>() / (blocks - 1) as f64;
    (m, (var / blocks as f64).sqrt())
}

/// Asserts that the GPU and CPU samples of `what` have the same mean within 4 combined
/// standard errors (block means), and prints both.
pub fn assert_same_mean(what: &str, gpu: &[f64], cpu: &[f64]) {
    let (mg, sg) = mean_sem(gpu);
    let (mc, sc) = mean_sem(cpu);
    let z = (mg - mc).abs() / (sg * sg + sc * sc).sqrt().max(1e-12);
    eprintln!("{what}: GPU {mg:.5} ± {sg:.5}, CPU {mc:.5} ± {sc:.5}, |z| = {z:.2}");
    assert!(
        z < 4.0,
        "{what} differs: GPU {mg} ± {sg} vs CPU {mc} ± {sc}"
    );
}

/// Total energy drift of an NVE log: (E0, max |E - E0| relative to max(|E0|, K0)).
pub fn energy_drift(start: &Observables, log: &[Observables]) -> (f64, f64) {
    let e0 = start.total_energy();
    let scale = e0.abs().max(start.kinetic_energy);
    let worst = log
        .iter()
        .map(|o| (o.total_energy() - e0).abs())
        .fold(0.0, f64::max);
    (e0, worst / scale)
}

/// The GPU's forces, energy and virial against the CPU engine (`md::compute_forces`, f64)
/// on the same positions.
#[derive(Debug, Clone, Copy)]
pub struct EngineComparison {
    /// Largest force component error over the largest force component.
    pub force: f64,
    /// |U_gpu - U_cpu| over Σ|u_i|.
    pub energy: f64,
    /// |W_gpu - W_cpu| over Σ|w_i|.
    pub virial: f64,
    /// Potential energy, GPU and CPU.
    pub energies: (f64, f64),
    /// Virial, GPU and CPU.
    pub virials: (f64, f64),
}

impl EngineComparison {
    /// Evaluates the CPU engine on the GPU's own (fixed-point) positions, which it writes
    /// into `state` (wrapped), and compares. Scales: the magnitude of the terms the
    /// single-precision sums add.
    pub async fn of(g: &mut GpuMd, state: &mut State, table: &PairTable) -> Self {
        state.pos = g.positions().await.expect("positions");
        state.wrap();
        let mut nlist = NeighborList::new(table, 0.0).expect("list");
        nlist.build(state).expect("build");
        let sums = compute_forces(state, &nlist, table, None);
        let got = g.force_field().await.expect("GPU forces");
        let obs = g.observe().await.expect("observe");
        let fmax = state
            .force
            .iter()
            .flatten()
            .fold(0.0f64, |a, b| a.max(b.abs()));
        let e_scale: f64 = got.energies.iter().map(|e| e.abs()).sum();
        let w_scale: f64 = got.virials.iter().flatten().map(|w| w.abs()).sum();
        Self {
            force: max_abs_diff(&got.forces, &state.force) / fmax,
            energy: (obs.potential_energy - sums.energy).abs() / e_scale,
            virial: (obs.virial - sums.virial).abs() / w_scale,
            energies: (obs.potential_energy, sums.energy),
            virials: (obs.virial, sums.virial),
        }
    }

    /// One line for the log.
    pub fn line(&self, name: &str, n: usize) -> String {
        format!(
            "{name}: N {n} force {:.2e} energy {:.2e} virial {:.2e} (E gpu {:.6} cpu {:.6}; W gpu {:.4} cpu {:.4})",
            self.force, self.energy, self.virial, self.energies.0, self.energies.1,
            self.virials.0, self.virials.1
        )
    }

    /// Asserts every relative error is below `tol`.
    pub fn assert_within(&self, name: &str, tol: f64) {
        assert!(
            self.force < tol,
            "{name}: force error {:.3e} of the largest force",
            self.force
        );
        assert!(
            self.energy < tol,
            "{name}: energy {} vs engine {}",
            self.energies.0,
            self.energies.1
        );
        assert!(
            self.virial < tol,
            "{name}: virial {} vs engine {}",
            self.virials.0,
            self.virials.1
        );
    }
}

/// Opens the GPU system or fails with a message that says how to get lavapipe.
#[cfg(not(target_arch = "wasm32"))]
pub fn gpu(system: &GpuSystem, integrator: Integrator) -> GpuMd {
    match block(GpuMd::new(system, integrator)) {
        Ok(g) => g,
        Err(e @ (GpuError::NoAdapter(_) | GpuError::Device(_))) => panic!(
            "GPU path unavailable: {e}. The project's setup installs Mesa lavapipe \
             (apt-get install -y mesa-vulkan-drivers); these tests need it."
        ),
        Err(e) => panic!("GPU set-up failed: {e}"),
    }
}

/// Binary L/S pair table with σ_ij = (σ_i + σ_j)/2.
pub fn binary_table(epsilon: f64, n: u32, m: u32, r_cut: f64, shift: bool) -> PairTable {
    uniform(&[SIGMA_L, SIGMA_S], epsilon, n, m, r_cut, shift)
}

/// The same Mie rule for every pair of the engine's table, σ_ij = (d_i + d_j)/2.
pub fn uniform(
    diameters: &[f64],
    epsilon: f64,
    n: u32,
    m: u32,
    r_cut: f64,
    shift: bool,
) -> PairTable {
    PairTable::additive(
        diameters,
        PairRule {
            potential: PotentialKind::Mie,
            epsilon,
            n,
            m,
            r_cut,
            shift,
            attractive: true,
        },
    )
    .expect("table")
}

/// AlB₂ crystal (c/a = 1) at total number density `rho` in an orthorhombic box of
/// `nx × ny × nz` cells of 2 L + 4 S; L type 0, S type 1; positions jittered by `jitter`.
pub fn alb2(
    nx: usize,
    ny: usize,
    nz: usize,
    rho: f64,
    jitter: f64,
    seed: u64,
    pairs: PairTable,
) -> GpuSystem {
    let a = (3.0 / (rho * 3f64.sqrt() / 2.0)).cbrt();
    let (bx, by, bz) = (a, a * 3f64.sqrt(), a);
    // Orthorhombic cell: L at (0,0,0), (1/2,1/2,0); S at hexagonal (1/3,2/3,1/2), (2/3,1/3,1/2).
    let basis: [([f64; 3], u32); 6] = [
        ([0.0, 0.0, 0.0], 0),
        ([0.5, 0.5, 0.0], 0),
        ([0.5, 1.0 / 6.0, 0.5], 1),
        ([0.0, 2.0 / 6.0, 0.5], 1),
        ([0.0, 4.0 / 6.0, 0.5], 1),
        ([0.5, 5.0 / 6.0, 0.5], 1),
    ];
    let l = [nx as f64 * bx, ny as f64 * by, nz as f64 * bz];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut positions = Vec::new();
    let mut typeid = Vec::new();
    for i in 0..nx {
        for j in 0..ny {
            for k in 0..nz {
                for (f, t) in basis {
                    let x = [
                        (i as f64 + f[0]) * bx - 0.5 * l[0],
                        (j as f64 + f[1]) * by - 0.5 * l[1],
                        (k as f64 + f[2]) * bz - 0.5 * l[2],
                    ];
                    positions.push(x.map(|c| c + jitter * (rng.gen::<f64>() - 0.5)));
                    typeid.push(t);
                }
            }
        }
    }
    GpuSystem {
        geometry: Geometry::Periodic(l),
        wall_epsilon: 0.0,
        velocities: Vec::new(),
        typeid,
        positions,
        type_diameter: vec![SIGMA_L, SIGMA_S],
        type_mass: vec![1.0, 1.0],
        pairs,
    }
}

/// Single-component fcc crystal of `n³` cells at density `rho`, jittered.
pub fn fcc(n: usize, rho: f64, jitter: f64, seed: u64, pairs: PairTable) -> GpuSystem {
    let a = (4.0 / rho).cbrt();
    let l = n as f64 * a;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut positions = Vec::new();
    for i in 0..n {
        for j in 0..n {
            for k in 0..n {
                for f in [
                    [0.0, 0.0, 0.0],
                    [0.5, 0.5, 0.0],
                    [0.5, 0.0, 0.5],
                    [0.0, 0.5, 0.5],
                ] {
                    let x = [
                        (i as f64 + f[0]) * a,
                        (j as f64 + f[1]) * a,
                        (k as f64 + f[2]) * a,
                    ];
                    positions.push(x.map(|c| c - 0.5 * l + jitter * (rng.gen::<f64>() - 0.5)));
                }
            }
        }
    }
    let ntypes = pairs.ntypes();
    GpuSystem {
        geometry: Geometry::Periodic([l; 3]),
        wall_epsilon: 0.0,
        velocities: Vec::new(),
        typeid: vec![0; positions.len()],
        positions,
        type_diameter: vec![SIGMA_L; ntypes],
        type_mass: vec![1.0; ntypes],
        pairs,
    }
}

/// Maxwell–Boltzmann velocities at `kt` (unit masses), zero total momentum.
pub fn maxwell(system: &mut GpuSystem, kt: f64, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = system.len();
    let mut v: Vec<[f64; 3]> = (0..n)
        .map(|_| {
            std::array::from_fn(|_| {
                let u1: f64 = 1.0 - rng.gen::<f64>();
                let u2: f64 = rng.gen();
                (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos() * kt.sqrt()
            })
        })
        .collect();
    for a in 0..3 {
        let mean = v.iter().map(|x| x[a]).sum::<f64>() / n as f64;
        v.iter_mut().for_each(|x| x[a] -= mean);
    }
    system.velocities = v;
}

/// Compares GPU forces/energy/virial with the f64 reference on the GPU's own (fixed-point)
/// positions. Returns (force error / force scale, energy rel. error, virial rel. error).
/// Force scale: the largest Σ_j |F_ij| over particles, i.e. the magnitude of the terms the
/// single-precision sum adds.
#[cfg(not(target_arch = "wasm32"))]
pub fn compare(gpu: &mut GpuMd, system: &GpuSystem) -> (f64, f64, f64) {
    let mut on_gpu = system.clone();
    on_gpu.positions = block(gpu.positions()).expect("positions");
    let reference = bnsl::gpu::pair_sum(&on_gpu);
    let got = block(gpu.force_field()).expect("forces");
    let scale = reference.max_force().max(1e-30);
    let ferr = max_abs_diff(&got.forces, &reference.forces);
    let e_scale: f64 = reference
        .energies
        .iter()
        .map(|e| e.abs())
        .sum::<f64>()
        .max(1e-30);
    let w_scale: f64 = reference
        .virials
        .iter()
        .flatten()
        .map(|w| w.abs())
        .sum::<f64>()
        .max(1e-30);
    let eerr = (got.potential_energy() - reference.potential_energy()).abs() / e_scale;
    let werr = (got.virial() - reference.virial()).abs() / w_scale;
    let obs = block(gpu.observe()).expect("observe");
    let oerr = (obs.potential_energy - reference.potential_energy()).abs() / e_scale;
    let owerr = (obs.virial - reference.virial()).abs() / w_scale;
    (ferr / scale, eerr.max(oerr), werr.max(owerr))
}

/// The f64 reference of a system as the GPU sees it.
#[cfg(not(target_arch = "wasm32"))]
pub fn reference_on_gpu_positions(gpu: &GpuMd, system: &GpuSystem) -> ForceField {
    let mut on_gpu = system.clone();
    on_gpu.positions = block(gpu.positions()).expect("positions");
    bnsl::gpu::pair_sum(&on_gpu)
}

/// A Mie pair of the engine's table.
pub fn mie(epsilon: f64, sigma: f64, n: u32, m: u32, r_cut: f64, shift: bool) -> PairSpec {
    PairSpec {
        potential: PotentialKind::Mie,
        epsilon,
        sigma,
        n,
        m,
        r_cut,
        shift,
        attractive: true,
    }
}
