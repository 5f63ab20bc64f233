//! Files and links: GSD trajectories ([`gsd`]), the CSV observable log ([`csv_log`]), the
//! share-link codec ([`link`]) and whole inputs read with a size limit ([`bounded`]).

pub mod bounded;
pub mod csv_log;
pub mod gsd;
pub mod link;
