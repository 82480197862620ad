//! A bounded load test against a running `legal serve` on loopback.
//!
//! ```text
//! legal serve --port 8080 &
//! cargo run --release -p lagrum-serve --example load -- 127.0.0.1:8080 50000 32 [SERVER_PID]
//! ```
//!
//! Sends exactly REQUESTS `POST /v1/check` requests (the scenario requests round and round)
//! over CONCURRENCY keep-alive connections, then prints decisions per second, latency
//! percentiles, errors, and (given the server's pid) its resident memory before and after.
//! Only loopback addresses are accepted.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn rss_kib(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args.next().unwrap_or_else(|| "127.0.0.1:8080".into()).parse()?;
    if !addr.ip().is_loopback() {
        return Err("only loopback addresses (127.0.0.0/8, ::1) are load-tested".into());
    }
    let total: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(20_000);
    let concurrency: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(32).max(1);
    let pid: Option<u32> = args.next().map(|s| s.parse()).transpose()?;

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut bodies = Vec::new();
    for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f)?)?;
        if let Some(r) = v.get("request") {
            bodies.push(r.to_string());
        }
    }
    let bodies = Arc::new(bodies);
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build()?;
    let url = format!("http://{addr}/v1/check");

    // Warm up (connections, allocator), then measure.
    for b in bodies.iter() {
        client.post(&url).body(b.clone()).send().await?.bytes().await?;
    }
    let rss_before = rss_kib(pid);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let url = url.clone();
        let bodies = bodies.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let body = bodies.get(i % bodies.len()).cloned().unwrap_or_default();
                let t = Instant::now();
                match client.post(&url).body(body).send().await {
                    Ok(resp) if resp.status().is_success() => match resp.bytes().await {
                        Ok(_) => latencies.push(t.elapsed()),
                        Err(_) => errors += 1,
                    },
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        latencies.extend(l);
        errors += e;
    }
    let secs = start.elapsed().as_secs_f64();
    let rss_after = rss_kib(pid);
    latencies.sort();
    println!("requests     {total} over {concurrency} connections to {addr}");
    println!("decisions/s  {:.0}", latencies.len() as f64 / secs);
    println!(
        "latency      p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.90).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!("errors       {errors}");
    if let (Some(b), Some(a)) = (rss_before, rss_after) {
        println!(
            "server RSS   {:.1} MiB before, {:.1} MiB after",
            b as f64 / 1024.0,
            a as f64 / 1024.0
        );
    }
    Ok(())
}
