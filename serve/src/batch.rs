//! `legal check --batch`: NDJSON requests in, NDJSON decisions out, in input order, in
//! constant memory, on all cores.
//!
//! ```text
//! reader ──chunks──▶ workers (one per core) ──results──▶ writer (reorders, writes, logs)
//!    ▲                                                        │
//!    └──────────────── permits (bounded chunks in flight) ◀───┘
//! ```
//!
//! The reader takes a permit before it sends a chunk and the writer gives it back when the
//! chunk is written, so at most `permits` chunks of `chunk` lines are in memory, however
//! long the input and however uneven the work.

use crate::audit::{AuditLog, Recorder, Source};
use crate::line::{self, Decided};
use lagrum_engine::Engine;
use lagrum_engine::error::ErrorDoc;
use lagrum_engine::render::json::OutcomeDoc;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Lines per chunk.
    pub chunk: usize,
    /// Longest line accepted, in bytes.
    pub max_line: usize,
    /// Errors remembered with their line numbers for the summary.
    pub keep_errors: usize,
    /// Caps on one request (none by default: the operator controls a local batch).
    pub caps: line::Caps,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: 0,
            chunk: 256,
            max_line: 1024 * 1024,
            keep_errors: 100,
            caps: line::Caps::NONE,
        }
    }
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read (blank lines included).
    pub lines: u64,
    /// Requests decided.
    pub decided: u64,
    pub must: u64,
    pub allow: u64,
    pub manual: u64,
    pub deny: u64,
    /// Lines that could not be judged.
    pub errors: u64,
    /// The first errors, with their line numbers.
    pub first_errors: Vec<(u64, ErrorDoc)>,
    /// Records written to the decision log.
    pub logged: u64,
}

impl Summary {
    /// The summary in Swedish, for standard error.
    pub fn render(&self) -> String {
        let mut s = format!(
            "{} rader, {} beslut: {} ska lämnas, {} får lämnas, {} kräver prövning, {} får inte lämnas; {} fel\n",
            self.lines, self.decided, self.must, self.allow, self.manual, self.deny, self.errors
        );
        for (line, e) in &self.first_errors {
            s.push_str(&format!("  rad {line}: [{}] {}\n", e.code, e.message));
        }
        let shown = self.first_errors.len() as u64;
        if self.errors > shown {
            s.push_str(&format!("  … och {} fel till\n", self.errors - shown));
        }
        s
    }
}

/// Progress reporting (a progress bar, or nothing).
pub trait Progress: Sync {
    /// `bytes` more input read.
    fn advance(&self, bytes: u64);
}

impl Progress for () {
    fn advance(&self, _: u64) {}
}

impl Progress for indicatif::ProgressBar {
    fn advance(&self, bytes: u64) {
        self.inc(bytes);
    }
}

/// A progress bar on standard error over `total` input bytes (or a counter when the size is
/// not known), or `None` when standard error is not a terminal.
pub fn progress_bar(total: Option<u64>) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = match total {
        Some(t) => {
            let pb = indicatif::ProgressBar::new(t);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, kvar {eta})",
            ) {
                pb.set_style(style.progress_chars("=> "));
            }
            pb
        }
        None => {
            let pb = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} lästa ({bytes_per_sec})")
            {
                pb.set_style(style);
            }
            pb
        }
    };
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
    Some(pb)
}

type Entry = (u64, Result<String, ErrorDoc>);

struct Done {
    seq: u64,
    decided: Vec<Decided>,
}

/// Runs a batch: reads NDJSON requests from `input`, writes one [`crate::line::BatchLine`]
/// per non-blank line to `output` in input order, and (with a log) one audit record per
/// line. Returns the summary; an `Err` only for I/O failures (input, output, log).
pub fn run(
    engine: Arc<Engine>,
    input: &mut (dyn BufRead + Send),
    output: &mut (dyn Write + Send),
    log: Option<&AuditLog>,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Summary, String> {
    let jobs = if options.jobs == 0 {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
    } else {
        options.jobs
    };
    let chunk_size = options.chunk.max(1);
    let permits = jobs * 4;
    let (work_tx, work_rx) = sync_channel::<(u64, Vec<Entry>)>(jobs * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Done>(permits);
    let (permit_tx, permit_rx) = sync_channel::<()>(permits);
    for _ in 0..permits {
        permit_tx
            .send(())
            .map_err(|_| "internt fel: kanal stängd".to_string())?;
    }
    let recorder: Option<Recorder> = log.map(|l| l.recorder().clone());

    std::thread::scope(|scope| {
        let reader = scope.spawn(|| read(input, work_tx, permit_rx, chunk_size, options.max_line, progress));
        for _ in 0..jobs {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            let engine = engine.clone();
            let recorder = recorder.clone();
            scope.spawn(move || work(&engine, &rx, &tx, recorder.as_ref(), options.caps));
        }
        drop(done_tx);
        drop(work_rx);
        let written = write(output, done_rx, permit_tx, log, options);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err("internt fel: läsaren avbröts".to_string()));
        let mut summary = written?;
        summary.lines = read?;
        Ok(summary)
    })
}

/// Reads lines into chunks; returns the number of lines read.
fn read(
    input: &mut (dyn BufRead + Send),
    tx: SyncSender<(u64, Vec<Entry>)>,
    permits: Receiver<()>,
    chunk_size: usize,
    max_line: usize,
    progress: &dyn Progress,
) -> Result<u64, String> {
    let mut line_no = 0u64;
    let mut seq = 0u64;
    let mut chunk: Vec<Entry> = Vec::with_capacity(chunk_size);
    let mut buf: Vec<u8> = Vec::new();
    let mut bytes = 0u64;
    while let Some((n, complete)) = next_line(input, &mut buf, max_line)? {
        bytes += n;
        line_no += 1;
        let too_long = !complete && buf.len() > max_line;
        if too_long {
            bytes += skip_rest_of_line(input)?;
        }
        if let Some(entry) = entry(&buf, too_long, max_line) {
            chunk.push((line_no, entry));
        }
        if chunk.len() >= chunk_size {
            if permits.recv().is_err() {
                return Ok(line_no);
            }
            progress.advance(bytes);
            bytes = 0;
            if tx.send((seq, std::mem::take(&mut chunk))).is_err() {
                return Ok(line_no);
            }
            seq += 1;
        }
    }
    if !chunk.is_empty() && permits.recv().is_ok() {
        let _ = tx.send((seq, chunk));
    }
    progress.advance(bytes);
    Ok(line_no)
}

/// The next line into `buf`, without its line ending, and no more of it than one byte over
/// `max_line`: the bytes read and whether the line was read whole; `None` at the end.
fn next_line(
    input: &mut (dyn BufRead + Send),
    buf: &mut Vec<u8>,
    max_line: usize,
) -> Result<Option<(u64, bool)>, String> {
    buf.clear();
    let n = std::io::Read::take(&mut *input, max_line as u64 + 1)
        .read_until(b'\n', buf)
        .map_err(|e| format!("kan inte läsa indata: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    let complete = buf.last() == Some(&b'\n');
    if complete {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    Ok(Some((n as u64, complete)))
}

/// Skips the rest of a line that is too long; returns the bytes skipped.
fn skip_rest_of_line(input: &mut (dyn BufRead + Send)) -> Result<u64, String> {
    let mut bytes = 0u64;
    loop {
        let avail = input.fill_buf().map_err(|e| format!("kan inte läsa indata: {e}"))?;
        if avail.is_empty() {
            return Ok(bytes);
        }
        match avail.iter().position(|b| *b == b'\n') {
            Some(p) => {
                input.consume(p + 1);
                return Ok(bytes + p as u64 + 1);
            }
            None => {
                let len = avail.len();
                input.consume(len);
                bytes += len as u64;
            }
        }
    }
}

/// What a line is to the workers: a request's text, or the error that answers it; `None`
/// for a blank line.
fn entry(buf: &[u8], too_long: bool, max_line: usize) -> Option<Result<String, ErrorDoc>> {
    if too_long {
        return Some(Err(ErrorDoc {
            code: "line_too_long".into(),
            path: "$".into(),
            message: format!("raden är längre än {max_line} byte"),
        }));
    }
    match std::str::from_utf8(buf) {
        Ok(s) if s.trim().is_empty() => None,
        Ok(s) => Some(Ok(s.to_string())),
        Err(_) => Some(Err(ErrorDoc {
            code: "invalid_encoding".into(),
            path: "$".into(),
            message: "raden är inte UTF-8".into(),
        })),
    }
}

fn work(
    engine: &Engine,
    rx: &Mutex<Receiver<(u64, Vec<Entry>)>>,
    tx: &SyncSender<Done>,
    recorder: Option<&Recorder>,
    caps: line::Caps,
) {
    loop {
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok((seq, chunk)) = next else { return };
        let decided = chunk
            .into_iter()
            .map(|(n, text)| line::decide_line(engine, text.as_deref(), n, recorder, Source::Cli, caps))
            .collect();
        if tx.send(Done { seq, decided }).is_err() {
            return;
        }
    }
}

/// Writes chunks in order as they complete; gives a permit back for each.
fn write(
    output: &mut (dyn Write + Send),
    rx: Receiver<Done>,
    permits: SyncSender<()>,
    log: Option<&AuditLog>,
    options: &Options,
) -> Result<Summary, String> {
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, output);
    let mut pending: BTreeMap<u64, Vec<Decided>> = BTreeMap::new();
    let mut next = 0u64;
    let mut s = Summary::default();
    for done in rx {
        pending.insert(done.seq, done.decided);
        while let Some(decided) = pending.remove(&next) {
            // No decision without its record: the chunk's records are flushed to the log
            // before any of its decisions is written.
            if let Some(log) = log {
                let records: Vec<u8> = decided
                    .iter()
                    .filter_map(|d| d.audit.as_deref())
                    .flatten()
                    .copied()
                    .collect();
                if !records.is_empty() {
                    log.write_blocking(records)
                        .map_err(|e| format!("{e}; satsen avbröts"))?;
                }
            }
            for d in &decided {
                out.write_all(&d.output)
                    .map_err(|e| format!("kan inte skriva utdata: {e}"))?;
                match &d.result {
                    Ok(o) => {
                        s.decided += 1;
                        match o {
                            OutcomeDoc::Must => s.must += 1,
                            OutcomeDoc::Allow => s.allow += 1,
                            OutcomeDoc::Manual => s.manual += 1,
                            OutcomeDoc::Deny => s.deny += 1,
                        }
                    }
                    Err(e) => {
                        s.errors += 1;
                        if s.first_errors.len() < options.keep_errors {
                            s.first_errors.push((d.line, e.clone()));
                        }
                    }
                }
            }
            next += 1;
            // The reader may already have stopped; a lost permit then does not matter.
            let _ = permits.try_send(());
        }
    }
    out.flush().map_err(|e| format!("kan inte skriva utdata: {e}"))?;
    if !pending.is_empty() {
        return Err("internt fel: satsen avslutades med delar kvar".into());
    }
    Ok(s)
}
