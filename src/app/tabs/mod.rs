//! One module per tab of the page.

pub mod analyse;
pub mod phase;
pub mod saxs;
pub mod simulate;
