//! Starting and running the service: bind (127.0.0.1 by default), reload on SIGHUP, stop
//! on Ctrl-C or SIGTERM after the requests in flight are answered.

use crate::app::{AppState, Limits, router};
use crate::audit::AuditLog;
use crate::metrics::Metrics;
use crate::state::{Loader, Rulesets};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// The default port.
pub const DEFAULT_PORT: u16 = 8080;

/// How to run the service.
pub struct Config {
    /// Where to listen. Default `127.0.0.1:8080`; port 0 picks a free port.
    pub addr: SocketAddr,
    pub limits: Limits,
    /// Reads the ruleset, at start and on every reload.
    pub loader: Loader,
    /// The decision log, if decisions are to be logged.
    pub audit: Option<AuditLog>,
}

impl Config {
    pub fn new(loader: Loader) -> Config {
        Config {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            limits: Limits::default(),
            loader,
            audit: None,
        }
    }
}

/// A bound service, not yet serving.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.local_addr())
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Compiles the ruleset and binds the address. Fails if the ruleset does not check or
    /// the address cannot be bound.
    pub async fn bind(config: Config) -> Result<Server, String> {
        let loader = config.loader.clone();
        let rulesets = tokio::task::spawn_blocking(move || Rulesets::load(loader))
            .await
            .map_err(|e| format!("regelverket kunde inte läsas: {e}"))?
            .map_err(|e| match e {
                crate::state::ReloadError::Invalid { rendered, .. } => {
                    format!("regelverket kan inte användas:\n{rendered}")
                }
                other => other.to_string(),
            })?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("kan inte lyssna på {}: {e}", config.addr))?;
        let state = Arc::new(AppState::new(
            Arc::new(rulesets),
            Arc::new(Metrics::new()),
            config.audit.map(Arc::new),
            config.limits,
        ));
        Ok(Server { listener, state })
    }

    /// The address actually bound (with the port chosen when 0 was asked for).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// Serves until `shutdown` completes, then answers the requests in flight and returns.
    /// On Unix, SIGHUP reloads the ruleset.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> Result<(), String> {
        #[cfg(unix)]
        {
            let state = self.state.clone();
            let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
                .map_err(|e| format!("kan inte ta emot SIGHUP: {e}"))?;
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    let _ = crate::app::do_reload(&state).await;
                }
            });
        }
        let app = router(self.state.clone());
        serve(self.listener, app, &self.state.limits, shutdown).await
    }
}

/// The accept loop: HTTP/1 connections served by hyper with a header-read timeout (which
/// also closes a keep-alive connection idle for that long), at most
/// [`Limits::max_connections`] open at once. On `shutdown` it stops accepting, lets each
/// connection finish the request in flight, and returns when all are closed.
async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: &crate::app::Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let max = limits.max_connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
    let open = Arc::new(tokio::sync::Semaphore::new(max));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let builder = Arc::new(builder);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            p = open.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, _) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors or a connection reset before accept: wait a
                // moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _open = permit;
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { stop.wait_for(|s| *s).await.is_ok() } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a permit until it is closed.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = open.acquire_many(all).await;
    Ok(())
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
pub async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Runs the service on its own runtime until Ctrl-C or SIGTERM (for `legal serve`).
/// Prints the bound address to standard error when ready.
pub fn run_blocking(config: Config) -> Result<(), String> {
    // Deciding runs on blocking threads, at most `deciders` at once; a few more serve a
    // reload. Without a cap the pool grows to a thread per burst, and each thread keeps
    // its allocator's memory (4× the resident memory under load, no faster).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("lagrum-serve")
        .max_blocking_threads(config.limits.deciders.max(1) + 2)
        .build()
        .map_err(|e| format!("kan inte starta körmiljön: {e}"))?;
    runtime.block_on(async move {
        let server = Server::bind(config).await?;
        let state = server.state();
        let engine = state.rulesets.engine();
        let addr = server.local_addr().map(|a| a.to_string()).unwrap_or_else(|| "?".into());
        eprintln!(
            "lagrum serve: lyssnar på http://{addr} (regelverk {} {}{})",
            engine.ruleset().version,
            engine.ruleset().hash,
            if state.audit.is_some() { ", beslutslogg på" } else { "" }
        );
        server.run(stop_signal()).await?;
        eprintln!("lagrum serve: stoppad");
        Ok(())
    })
}
