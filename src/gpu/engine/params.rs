//! The per-step parameter record, by name: [`Params`] mirrors the WGSL `Params` struct of
//! `shaders/common.wgsl` field by field (as rerun's `re_renderer` keeps a `#[repr(C)]` struct
//! that "mirrors the GPU contents"), and a test reflects the shader with naga and compares
//! every field's name, byte offset and size with the Rust layout (`std::mem::offset_of!`).
//!
//! The record is written without `unsafe`: each field's little-endian bytes go to its
//! `#[repr(C)]` offset; WGSL's `vec3` (12 bytes, 16-byte aligned) is `[f32; 3]` / `[u32; 3]`
//! placed at a multiple of 16.

/// Bytes per per-step parameter record in the uniform buffer (the dynamic-offset alignment).
pub(super) const RECORD: u64 = 256;

/// A value that writes itself as little-endian bytes.
trait Put {
    fn put(&self, out: &mut [u8]);
}

impl Put for u32 {
    fn put(&self, out: &mut [u8]) {
        out[..4].copy_from_slice(&self.to_le_bytes());
    }
}

impl Put for f32 {
    fn put(&self, out: &mut [u8]) {
        out[..4].copy_from_slice(&self.to_le_bytes());
    }
}

impl<T: Put> Put for [T; 3] {
    fn put(&self, out: &mut [u8]) {
        for (k, x) in self.iter().enumerate() {
            x.put(&mut out[4 * k..]);
        }
    }
}

/// Declares a `#[repr(C)]` record and its writer from one field list, so that the bytes
/// written are the struct's layout and the layout test sees every field.
macro_rules! uniform_record {
    (
        $(#[$meta:meta])*
        pub(super) struct $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty, )* }
    ) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub(super) struct $name { $( $(#[$fmeta])* pub $field: $ty, )* }

        impl $name {
            /// Name, byte offset and byte size of every field, in declaration order.
            #[cfg(all(test, not(target_arch = "wasm32")))]
            const FIELDS: &'static [(&'static str, usize, usize)] = &[
                $( (
                    stringify!($field),
                    std::mem::offset_of!($name, $field),
                    std::mem::size_of::<$ty>(),
                ), )*
            ];

            /// Appends the record to `out`: every field at its offset, zero-padded to
            /// [`RECORD`] bytes.
            pub fn write(&self, out: &mut Vec<u8>) {
                let base = out.len();
                out.resize(base + RECORD as usize, 0);
                $( self.$field.put(&mut out[base + std::mem::offset_of!($name, $field)..]); )*
            }
        }
    };
}

uniform_record! {
    /// One step's parameters, as the shaders read them (`var<uniform> P: Params`).
    pub(super) struct Params {
        /// L / 2³² for each axis (length per fixed-point unit).
        scale: [f32; 3],
        /// Number of particles.
        n: u32,
        /// 2³² / L.
        inv_scale: [f32; 3],
        /// Cells in the grid.
        ncells: u32,
        /// Cells along each axis.
        cells: [u32; 3],
        /// Slots per cell.
        cap: u32,
        /// Time step of the first half (kick, drift, O, drift).
        dt: f32,
        /// dt/2 of the closing half kick in the force kernel (0: forces only).
        kick2: f32,
        /// Langevin: exp(−γ dt).
        c1: f32,
        /// Langevin: sqrt((1 − c1²) kT), times 1/sqrt(m) per particle in the shader.
        c2: f32,
        /// Step counter, low word (Philox counter).
        step_lo: u32,
        /// Step counter, high word.
        step_hi: u32,
        /// Seed, low word (Philox key).
        seed_lo: u32,
        /// Seed, high word.
        seed_hi: u32,
        /// Number of particle types.
        ntypes: u32,
        /// 0: periodic box, 1: open space.
        open_space: u32,
        /// Droplet wall radius (0: no wall).
        wall_radius: f32,
        /// WCA energy of the wall.
        wall_eps: f32,
        /// Open space: |x| beyond this would wrap pair distances.
        open_limit: f32,
        /// 1: apply the Ornstein–Uhlenbeck velocity update.
        langevin: u32,
        /// Reduction output record.
        log_slot: u32,
        /// Number of workgroup partial sums.
        partials: u32,
        /// Cells per box length: cells (periodic) or 2 cells (open: hashed grid).
        cell_mul: [u32; 3],
        /// Droplet: (R / scale)² as a 64-bit integer, high word.
        wall_r2_hi: u32,
        /// Low word.
        wall_r2_lo: u32,
        /// Open space: scale² (isotropic virtual box).
        scale2: f32,
    }
}

/// Bytes of the WGSL struct (its size rounded up to its 16-byte alignment): the uniform
/// binding's minimum size.
pub(super) const SHADER_BYTES: u64 = std::mem::size_of::<Params>().next_multiple_of(16) as u64;
const _: () = assert!(SHADER_BYTES <= RECORD, "a record must fit its uniform slot");

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// (name, offset, size) of each member of the WGSL struct `name`, as naga lays it out.
    fn wgsl_struct(source: &str, name: &str) -> (Vec<(String, usize, usize)>, usize) {
        let module = match naga::front::wgsl::parse_str(source) {
            Ok(m) => m,
            Err(e) => panic!("the shaders do not parse: {}", e.emit_to_string(source)),
        };
        let Some((_, ty)) = module
            .types
            .iter()
            .find(|(_, t)| t.name.as_deref() == Some(name))
        else {
            panic!("no struct {name} in the shaders");
        };
        let naga::TypeInner::Struct { members, span } = &ty.inner else {
            panic!("{name} is not a struct");
        };
        let fields = members
            .iter()
            .map(|m| {
                (
                    m.name.clone().unwrap_or_default(),
                    m.offset as usize,
                    module.types[m.ty].inner.size(module.to_ctx()) as usize,
                )
            })
            .collect();
        (fields, *span as usize)
    }

    #[test]
    fn params_has_the_layout_of_the_wgsl_struct() {
        let source = super::super::pipelines::SHADER_SOURCE.concat();
        let (wgsl, span) = wgsl_struct(&source, "Params");
        let rust: Vec<(String, usize, usize)> = Params::FIELDS
            .iter()
            .map(|&(n, o, s)| (n.to_owned(), o, s))
            .collect();
        assert_eq!(rust, wgsl, "Rust Params (left) against WGSL Params (right)");
        assert_eq!(SHADER_BYTES as usize, span);
    }

    #[test]
    fn write_puts_each_field_at_its_offset() {
        let p = Params {
            n: 7,
            cells: [1, 2, 3],
            dt: 0.5,
            scale2: -2.0,
            ..Params::default()
        };
        let mut out = vec![9u8; 3];
        p.write(&mut out);
        assert_eq!(out.len(), 3 + RECORD as usize);
        let word = |offset: usize| {
            let b = &out[3 + offset..3 + offset + 4];
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        };
        assert_eq!(word(std::mem::offset_of!(Params, n)), 7);
        let cells = std::mem::offset_of!(Params, cells);
        assert_eq!([word(cells), word(cells + 4), word(cells + 8)], [1, 2, 3]);
        assert_eq!(word(std::mem::offset_of!(Params, dt)), 0.5f32.to_bits());
        assert_eq!(
            word(std::mem::offset_of!(Params, scale2)),
            (-2.0f32).to_bits()
        );
        assert_eq!(word(std::mem::offset_of!(Params, c1)), 0);
        assert!(out[3 + std::mem::size_of::<Params>()..]
            .iter()
            .all(|&b| b == 0));
    }
}
