//! Standard output for every command. `println!` panics when the reader has gone away
//! (`legal validate | head -1`); here a closed pipe ends the command quietly with status
//! 141 (128 + SIGPIPE), as it ends any Unix tool, and another write error is reported
//! in Swedish with status 1. Nothing the commands print goes through anything else.

use std::io::{ErrorKind, Write};
use std::process::{ExitCode, exit};

/// The status after the reader of standard output went away (128 + SIGPIPE).
pub const CLOSED_PIPE: i32 = 141;

/// Writes `text` to standard output as it is.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            exit(CLOSED_PIPE);
        }
        eprintln!("fel: kan inte skriva till standard ut: {e}");
        exit(1);
    }
}

/// Writes `text` and a line break to standard output.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// How a command that yields its whole output ends: the output printed with its status,
/// or the error in Swedish on standard error with status 1.
pub fn finish(result: Result<(String, u8), String>) -> ExitCode {
    match result {
        Ok((out, code)) => {
            print(&out);
            ExitCode::from(code)
        }
        Err(e) => {
            eprintln!("fel: {e}");
            ExitCode::from(1)
        }
    }
}
