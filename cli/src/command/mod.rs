//! One file per subcommand.

pub mod check;
pub mod navet;
pub mod schema;
pub mod validate;
