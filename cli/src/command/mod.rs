//! One file per subcommand.

pub mod analyze;
pub mod batch;
pub mod check;
pub mod diff;
pub mod fmt;
pub mod log;
pub mod navet;
pub mod replay;
pub mod schema;
pub mod serve;
pub mod test;
pub mod validate;
