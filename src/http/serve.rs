//! Serving: bind first (so `/healthz` answers during start-up), start the
//! services in the background, and on shutdown let requests in flight
//! finish before the database and index are flushed and closed.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Mutex, oneshot};
use tokio::task::JoinHandle;

use super::{AppState, app};
use crate::config::Config;
use crate::startup::{Services, StartupError};

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the chat page: {0}")]
    Page(String),
    #[error("start-up failed: {0}")]
    Startup(#[from] StartupError),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// A server running on its own tasks, for tests and embedding.
pub struct RunningServer {
    pub addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), ServeError>>,
}

impl RunningServer {
    /// Waits until start-up has finished (or failed).
    pub async fn ready(&self) -> bool {
        loop {
            if self.state.is_ready() {
                return true;
            }
            if self.task.is_finished() {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Graceful stop: requests in flight finish, then everything is flushed.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task
            .await
            .map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))?
    }
}

/// Binds `config.listen` and serves until `shutdown` resolves.
pub async fn serve(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = bind(config.listen).await?;
    run(listener, config, shutdown).await
}

/// Binds and serves on background tasks; port 0 picks a free port.
pub async fn spawn(config: Config) -> Result<RunningServer, ServeError> {
    let listener = bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();

    let state = new_state(&config)?;
    let task = tokio::spawn(run_with_state(listener, config, state.clone(), async {
        let _ = stopped.await;
    }));
    Ok(RunningServer {
        addr,
        state,
        stop: Some(stop),
        task,
    })
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

fn new_state(config: &Config) -> Result<AppState, ServeError> {
    let page = super::chat_page(&config.hospital.placeholders()).map_err(ServeError::Page)?;
    Ok(AppState::new(
        config.max_body_bytes,
        Duration::from_secs(config.request_timeout_secs),
        page,
        config.auth.sign_in_per_minute,
        config.auth.secure_cookies,
    ))
}

async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let state = new_state(&config)?;
    run_with_state(listener, config, state, shutdown).await
}

async fn run_with_state(
    listener: TcpListener,
    config: Config,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    tracing::info!(addr = %listener.local_addr()?, "listening");
    // A request in flight ends within the request timeout; a connection
    // that never sends a whole request would hold the stop forever, so it
    // is dropped once that time (and a little more) has passed.
    let grace = Duration::from_secs(config.request_timeout_secs + 2);

    // Start-up runs beside the server; a failure stops the server.
    let services: Arc<Mutex<Option<Services>>> = Arc::new(Mutex::new(None));
    let (failed, failure) = oneshot::channel::<StartupError>();
    let startup = {
        let (state, services) = (state.clone(), Arc::clone(&services));
        tokio::spawn(async move {
            match Services::start(&config).await {
                Ok(started) => {
                    state.set_ready(started.ready());
                    *services.lock().await = Some(started);
                }
                Err(error) => {
                    let _ = failed.send(error);
                }
            }
        })
    };

    let (stop_reason, stop_reason_rx) = oneshot::channel::<Option<StartupError>>();
    let (stopping, stopping_rx) = oneshot::channel::<()>();
    let until = async move {
        tokio::select! {
            () = shutdown => { let _ = stop_reason.send(None); }
            Ok(error) = failure => { let _ = stop_reason.send(Some(error)); }
        }
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stopping.send(());
    };
    let deadline = async move {
        if stopping_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    // The peer address feeds the per-address sign-in limit.
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(until);
    tokio::select! {
        served = server => served?,
        () = deadline => {
            tracing::warn!(grace_secs = grace.as_secs(), "connections still open after the grace period; closing them");
        }
    }

    startup.abort();
    if let Some(services) = services.lock().await.take() {
        services.shut_down().await;
    }
    match stop_reason_rx.await {
        Ok(Some(error)) => Err(ServeError::Startup(error)),
        _ => Ok(()),
    }
}
