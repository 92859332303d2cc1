//! Serving the app on a listener, with bounds a slow or greedy client cannot hold the server
//! past (issue 15 item 6): a connection must send its request headers (and finish its TLS
//! handshake) within the header-read timeout, and one client address may hold only so many
//! connections at once — further ones are closed as soon as they are accepted. The accept loop
//! is DTE's own (hyper-util's connection builder under axum's router), so plain HTTP and TLS
//! (`dte serve`'s, through [`Handshake`]) go through the same bounds and the same graceful stop.

use crate::{AppState, app};
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// How long a connection may take to send a request's headers (and to finish its TLS
/// handshake) unless configured otherwise.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections one client address may hold at once unless configured otherwise.
pub const DEFAULT_CONNECTIONS_PER_ADDRESS: usize = 64;

/// How long a stop waits for open connections to finish before it drops them: the request
/// timeout (30 s, `router.rs`) plus a margin, so every request that could still finish does,
/// and a client that never answers an HTTP/2 GOAWAY cannot hold the stop forever.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(35);

/// The bounds every connection is served under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A connection that has not sent a whole request head this long after it was opened (or
    /// after its previous answer) is closed; so is a TLS handshake that takes longer.
    pub header_read_timeout: Duration,
    /// Connections one client address may hold at once; more are closed at once.
    pub connections_per_address: usize,
    /// Addresses the per-address bound does not apply to: the trusted reverse proxies, through
    /// which every client comes (they bound their clients themselves).
    pub unbounded: Vec<IpAddr>,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            connections_per_address: DEFAULT_CONNECTIONS_PER_ADDRESS,
            unbounded: Vec::new(),
        }
    }
}

/// Which HTTP a connection speaks after its handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Http1,
    /// HTTP/2, as TLS's ALPN chose it.
    Http2,
}

/// What is done with an accepted TCP connection before HTTP is spoken on it: nothing
/// ([`PlainHttp`]), or a TLS handshake (`dte serve` with a certificate).
pub trait Handshake: Clone + Send + Sync + 'static {
    /// The stream HTTP is spoken over.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static;

    /// Performs the handshake; it is given the header-read timeout to finish.
    fn handshake(
        &self,
        tcp: TcpStream,
    ) -> impl Future<Output = std::io::Result<(Self::Stream, Protocol)>> + Send;
}

/// Plain HTTP/1.1 on the TCP connection (behind a reverse proxy, or on a trusted network).
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainHttp;

impl Handshake for PlainHttp {
    type Stream = TcpStream;

    async fn handshake(&self, tcp: TcpStream) -> std::io::Result<(TcpStream, Protocol)> {
        Ok((tcp, Protocol::Http1))
    }
}

/// Serves the app over plain HTTP under the default [`ConnectionLimits`] until `shutdown`
/// resolves, then finishes the requests in flight (for up to [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(
        listener,
        state,
        ConnectionLimits::default(),
        PlainHttp,
        shutdown,
    )
    .await
}

/// Serves the app on an already bound listener, each connection through `handshake` and under
/// `limits`, until `shutdown` resolves; then stops accepting, asks every connection to finish
/// its requests in flight (HTTP/2 gets a GOAWAY) and waits up to [`SHUTDOWN_GRACE`] for them.
pub async fn serve_with<H: Handshake>(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    handshake: H,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state);
    let mut http1 = Builder::new(TokioExecutor::new()).http1_only();
    http1
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut http2 = Builder::new(TokioExecutor::new()).http2_only();
    http2.http2().timer(TokioTimer::new());
    let builders = Arc::new((http1, http2));
    let open = Arc::new(Mutex::new(HashMap::new()));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
        };
        let Some(slot) = Slot::take(&open, peer.ip(), &limits) else {
            tracing::debug!(%peer, "too many connections from one address: closed");
            drop(tcp);
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let router = router.clone();
        let handshake = handshake.clone();
        let builders = Arc::clone(&builders);
        let watcher = graceful.watcher();
        let deadline = limits.header_read_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            let (stream, protocol) =
                match tokio::time::timeout(deadline, handshake.handshake(tcp)).await {
                    Ok(Ok(handshaken)) => handshaken,
                    Ok(Err(error)) => {
                        tracing::debug!(%peer, %error, "handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "handshake too slow: closed");
                        return;
                    }
                };
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(request)
            });
            let builder = match protocol {
                Protocol::Http1 => &builders.0,
                Protocol::Http2 => &builders.1,
            };
            let connection = builder
                .serve_connection(TokioIo::new(stream), service)
                .into_owned();
            if let Err(error) = watcher.watch(connection).await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace were dropped");
    }
    Ok(())
}

/// One connection counted against its address; dropping it frees the place.
struct Slot {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    address: Option<IpAddr>,
}

impl Slot {
    /// A place for one more connection from `address`, or `None` when it holds the most.
    fn take(
        open: &Arc<Mutex<HashMap<IpAddr, usize>>>,
        address: IpAddr,
        limits: &ConnectionLimits,
    ) -> Option<Slot> {
        if limits.unbounded.contains(&address) {
            return Some(Slot {
                open: Arc::clone(open),
                address: None,
            });
        }
        let mut counts = open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = counts.entry(address).or_insert(0);
        if *count >= limits.connections_per_address {
            return None;
        }
        *count += 1;
        Some(Slot {
            open: Arc::clone(open),
            address: Some(address),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(address) = self.address else {
            return;
        };
        let mut counts = self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = counts.get_mut(&address) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&address);
            }
        }
    }
}

/// A failed accept: one client's trouble (it reset before we took it) is skipped; anything
/// else (out of file descriptors) is logged and waited out for a moment, as axum does.
async fn accept_failed(error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "cannot accept connections");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
