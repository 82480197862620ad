//! One file per subcommand.

pub mod check;
pub mod schema;
pub mod validate;
