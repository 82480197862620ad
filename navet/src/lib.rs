//! Navet notification files (`aviseringsfiler`) for Lagrum.
//!
//! Navet is Skatteverket's notification system for population register data. Its files
//! hold records (`poster`) of term codes and values:
//!
//! ```text
//! #POST_START
//! #POST_ID 2018.000.014.059
//! #UP 01001 193801248471
//! #UP 01003 J
//! #UP 01020 $
//! #POST_SLUT
//! ```
//!
//! * [`Records`] reads records one at a time from any `BufRead`, in constant memory, in
//!   UTF-8 or Latin-1, and reports a broken record as [`Malformed`] (with line and record id)
//!   before going on with the next one.
//! * [`Record`] gives the typed person facts: identity number (01001), sekretessmarkering
//!   (01003), skyddad folkbokföring (01020), names (01012, 01014) and Skatteverket's
//!   förmedlingsadress (01051–01055); every other term is kept as it is.
//! * [`PersonState`] and [`Register`] apply change posts to a previous state: `$` removes a
//!   protection marker.
//! * [`fill::fill_request`] fills a request's subjects from a file by identity number.
//! * [`output`] renders persons as JSON without what must not be shown: a protected person's
//!   address never reaches it, and identity numbers can be masked for logs.
//!
//! Identity numbers are parsed, validated and masked by [`lagrum_engine::identity`].

pub mod code;
pub mod fill;
pub mod generate;
pub mod lines;
pub mod output;
pub mod parse;
pub mod record;
pub mod state;

pub use code::Code;
pub use parse::{Error, Malformed, Problem, Records, Stats};
pub use record::{Block, Flag, Formedlingsadress, Record, Term, Value};
pub use state::{Known, PersonState, PostKind, Register};
