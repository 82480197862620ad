//! `legal schema`: the JSON Schemas of the request and decision formats.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Vilket schema.
    #[arg(value_enum)]
    pub which: Which,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Which {
    /// lagrum.request.v2
    Request,
    /// lagrum.decision.v2
    Decision,
    /// lagrum.decision.v1 (the older document, while clients move)
    #[value(name = "decision-v1")]
    DecisionV1,
}

pub fn run(args: &Args) -> ExitCode {
    let schema = match args.which {
        Which::Request => schemars::schema_for!(lagrum_engine::request::RequestDoc),
        Which::Decision => schemars::schema_for!(lagrum_engine::render::compact::CompactDoc),
        Which::DecisionV1 => schemars::schema_for!(lagrum_engine::render::json::DecisionDoc),
    };
    match serde_json::to_string_pretty(&schema) {
        Ok(s) => {
            crate::out::println(&s);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fel: {e}");
            ExitCode::from(1)
        }
    }
}
