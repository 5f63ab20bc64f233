//! Files and links: GSD trajectories ([`gsd`]), the CSV observable log ([`csv_log`]) and the
//! share-link codec ([`link`]).

pub mod csv_log;
pub mod gsd;
pub mod link;
