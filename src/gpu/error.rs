//! Errors of the GPU path: what failed and, for faults in a run, which particle.

/// Everything that can go wrong on the GPU path.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum GpuError {
    /// No adapter: natively no Vulkan driver (install `mesa-vulkan-drivers` for lavapipe), in the
    /// browser no WebGPU.
    #[error("no GPU adapter found ({0}); natively install mesa-vulkan-drivers (lavapipe), in a browser enable WebGPU")]
    NoAdapter(String),
    /// The adapter refused to open a device.
    #[error("the GPU adapter refused a device: {0}")]
    Device(String),
    /// The system handed to the GPU path is inconsistent.
    #[error("invalid input for the GPU path: {0}")]
    InvalidInput(String),
    /// A cell of the cell list needed more slots than it has.
    #[error("cell list overflow: a cell needed {needed} slots but holds {capacity}; raise the cell capacity")]
    CellOverflow {
        /// Occupancy the fullest cell needed.
        needed: u32,
        /// Slots per cell.
        capacity: u32,
    },
    /// A particle crossed the droplet wall or left the open-space region.
    #[error("particle {index} left the droplet or the open-space region")]
    Escaped {
        /// Index of the (highest-numbered) particle that escaped.
        index: usize,
    },
    /// A force or velocity became NaN or infinite.
    #[error("non-finite force or velocity at particle {index}")]
    NonFinite {
        /// Index of the (highest-numbered) particle affected.
        index: usize,
    },
    /// The device reported a validation or out-of-memory error, or was lost.
    #[error("GPU device error: {0}")]
    Backend(String),
    /// Reading a buffer back failed.
    #[error("GPU read-back failed: {0}")]
    Readback(String),
}
