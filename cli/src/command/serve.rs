//! `legal serve`: the HTTP service. Parses options and hands over to `lagrum-serve`.

use crate::rulesets::{self, RulesetArgs};
use lagrum_serve::app::Limits;
use lagrum_serve::audit::{AuditLog, Target};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

pub const SERVE_HELP: &str = "Slutpunkter (se docs/service.md och GET /openapi.json):
  POST /v1/check             en begäran (lagrum.request.v2) → beslut (lagrum.decision.v2)
  POST /v1/check/batch       NDJSON in, NDJSON ut, strömmat i indataordning
  GET  /v1/ruleset           regelverkets version, hash och bestämmelser
  POST /v1/ruleset/reload    läs regelverket på nytt (samma som SIGHUP)
  GET  /healthz              hälsa
  GET  /metrics              Prometheus-mått
Beslutsloggen (--log) kräver nyckeln i LAGRUM_AUDIT_KEY (minst 32 byte).
Slutstatus: 0 när tjänsten stoppats (Ctrl-C, SIGTERM), 1 om den inte kunde starta.";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Adress att lyssna på.
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: IpAddr,
    /// Port att lyssna på; 0 väljer en ledig port.
    #[arg(long, default_value_t = lagrum_serve::server::DEFAULT_PORT)]
    pub port: u16,
    #[command(flatten)]
    pub rulesets: RulesetArgs,
    /// Skriv varje beslut till beslutsloggen (JSON-rader): en fil, eller `-` för standard ut.
    #[arg(long, value_name = "FIL")]
    pub log: Option<PathBuf>,
    /// Största begäran (och största rad i en sats) i byte.
    #[arg(long, default_value_t = Limits::default().max_body, value_name = "BYTE")]
    pub max_body: usize,
    /// Största sats (POST /v1/check/batch) i byte.
    #[arg(long, default_value_t = Limits::default().max_batch_body, value_name = "BYTE")]
    pub max_batch_body: u64,
    /// Tidsgräns för en begäran, i sekunder.
    #[arg(long, default_value_t = Limits::default().request_timeout.as_secs_f64(), value_name = "SEKUNDER")]
    pub timeout: f64,
    /// Tidsgräns för en hel sats, i sekunder.
    #[arg(long, default_value_t = Limits::default().batch_timeout.as_secs_f64(), value_name = "SEKUNDER")]
    pub batch_timeout: f64,
    /// Högst så många uppgifter (items) i en begäran, och per rad i en sats; fler ger
    /// felet `too_many_items`.
    #[arg(long, default_value_t = Limits::default().caps.max_items, value_name = "ANTAL")]
    pub max_items: usize,
    /// Högst så många personer (subjects) i en begäran; fler ger felet `too_many_subjects`.
    #[arg(long, default_value_t = Limits::default().caps.max_subjects, value_name = "ANTAL")]
    pub max_subjects: usize,
    /// Tid en klient har på sig att skicka en begärans huvud, i sekunder; en anslutning som
    /// står still i huvudet eller väntar längre än så mellan två begäranden stängs.
    #[arg(long, default_value_t = Limits::default().header_timeout.as_secs_f64(), value_name = "SEKUNDER")]
    pub header_timeout: f64,
    /// Högst så många öppna anslutningar; fler får vänta på att tas emot.
    #[arg(long, default_value_t = Limits::default().max_connections, value_name = "ANTAL")]
    pub max_connections: usize,
    /// Högst så många beslut samtidigt (standard: en per kärna).
    #[arg(long, default_value_t = Limits::default().deciders, value_name = "ANTAL")]
    pub deciders: usize,
    /// Skriv tjänstens OpenAPI-beskrivning och avsluta.
    #[arg(long)]
    pub openapi: bool,
}

pub fn run(args: &Args) -> ExitCode {
    if args.openapi {
        return match serde_json::to_string_pretty(&lagrum_serve::openapi::document()) {
            Ok(s) => {
                crate::out::println(&s);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        };
    }
    let audit = match &args.log {
        None => None,
        Some(p) => match AuditLog::open_with_env_key(&Target::parse(p.as_os_str())) {
            Ok(l) => Some(l),
            Err(e) => return fail(&e),
        },
    };
    let (Some(timeout), Some(batch_timeout), Some(header_timeout)) = (
        seconds(args.timeout),
        seconds(args.batch_timeout),
        seconds(args.header_timeout),
    ) else {
        return fail("tidsgränser anges i sekunder, större än 0");
    };
    if args.max_items == 0 || args.max_subjects == 0 || args.max_connections == 0 || args.deciders == 0 {
        return fail("--max-items, --max-subjects, --max-connections och --deciders ska vara minst 1");
    }
    let ruleset_args = args.rulesets.clone();
    let mut config = lagrum_serve::Config::new(Arc::new(move || rulesets::load(&ruleset_args)));
    config.addr = SocketAddr::new(args.bind, args.port);
    config.audit = audit;
    config.limits.max_body = args.max_body;
    config.limits.max_batch_body = args.max_batch_body;
    config.limits.request_timeout = timeout;
    config.limits.batch_timeout = batch_timeout;
    config.limits.header_timeout = header_timeout;
    config.limits.caps.max_items = args.max_items;
    config.limits.caps.max_subjects = args.max_subjects;
    config.limits.max_connections = args.max_connections;
    config.limits.deciders = args.deciders;
    match lagrum_serve::server::run_blocking(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn seconds(s: f64) -> Option<Duration> {
    if s.is_finite() && s > 0.0 {
        Duration::try_from_secs_f64(s).ok()
    } else {
        None
    }
}

fn fail(e: &str) -> ExitCode {
    eprintln!("fel: {e}");
    ExitCode::from(1)
}
