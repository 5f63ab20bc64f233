//! Files and links: GSD trajectories ([`gsd`]), the CSV observable log and the share-link codec.

pub mod csv_log;
pub mod gsd;
