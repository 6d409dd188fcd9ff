//! The sandbox's connections: accepting them, holding each to the [`Limits`], and the
//! connection faults (a delayed or dropped reply).
//!
//! A new connection first waits in the *lobby* for the first byte of a request, holding a seat
//! there, not one of the serving slots; then it takes a slot for as long as it is served (kept
//! alive, up to [`Limits::header_timeout`] between two requests). So a connection that sends
//! nothing never holds a slot: it is closed after [`Limits::first_byte_timeout`], and when the
//! lobby is full a new connection makes room by closing the one idle the longest (once it has
//! been idle for [`EVICTION_GRACE`], so a client that sends its request as it connects is never
//! closed). Descriptors stay bounded: at most [`Limits::max_waiting`] in the lobby,
//! [`Limits::max_connections`] being served, and the one just accepted.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::{Gateway, Limits, gateway, http};

/// How long a connection in the lobby must have been idle before a new one may close it.
pub const EVICTION_GRACE: Duration = Duration::from_millis(250);
/// How long the accept loop waits for a seat before it looks for an idle connection again.
const SEAT_RECHECK: Duration = Duration::from_millis(100);

/// Accepts and serves connections until the task is aborted.
pub(super) async fn serve(listener: TcpListener, gateway: Arc<Mutex<Gateway>>, limits: Limits) {
    let server = Arc::new(Server {
        gateway,
        limits,
        lobby: Lobby::new(limits.max_waiting),
        slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
    });
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("sandbox accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // While the lobby is full, the kernel's queue holds the next connections: they take
        // no descriptor of ours.
        let Some(seat) = server.lobby.make_room().await else {
            return;
        };
        let server = Arc::clone(&server);
        tokio::spawn(async move { server.connection(stream, seat).await });
    }
}

struct Server {
    gateway: Arc<Mutex<Gateway>>,
    limits: Limits,
    lobby: Lobby,
    /// The serving slots.
    slots: Arc<Semaphore>,
}

/// Where connections wait for the first byte of a request, holding a seat but no slot.
struct Lobby {
    seats: Arc<Semaphore>,
    idle: Mutex<Idle>,
}

/// The connections in the lobby that have sent nothing yet, oldest first: each with its
/// number, since when it waits, and the signal that closes it.
#[derive(Default)]
struct Idle {
    next: u64,
    waiting: VecDeque<(u64, Instant, Arc<Notify>)>,
}

impl Lobby {
    fn new(seats: usize) -> Self {
        Self {
            seats: Arc::new(Semaphore::new(seats.max(1))),
            idle: Mutex::new(Idle::default()),
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Idle> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A seat for a new connection: a free one, else the seat of the connection idle the
    /// longest (closed to make room), else the next one freed. `None` once closed.
    async fn make_room(&self) -> Option<OwnedSemaphorePermit> {
        loop {
            if let Ok(seat) = Arc::clone(&self.seats).try_acquire_owned() {
                return Some(seat);
            }
            // The evicted connection gives its seat back as it ends; if none could be evicted
            // (or it started a request just then), one may have become idle long enough by the
            // next look.
            self.evict_oldest();
            let wait = Arc::clone(&self.seats).acquire_owned();
            if let Ok(seat) = tokio::time::timeout(SEAT_RECHECK, wait).await {
                return seat.ok();
            }
        }
    }

    /// Closes the connection idle the longest, if it has been idle for [`EVICTION_GRACE`].
    fn evict_oldest(&self) {
        let mut idle = self.idle();
        if idle
            .waiting
            .front()
            .is_some_and(|(_, since, _)| since.elapsed() >= EVICTION_GRACE)
            && let Some((_, _, close)) = idle.waiting.pop_front()
        {
            close.notify_one();
        }
    }

    /// Waits up to `wait` for a byte of a request on `stream`; `false` when none came (the
    /// client closed, the time ran out, or the lobby closed it to make room).
    async fn wait_for_request(&self, stream: &TcpStream, wait: Duration) -> bool {
        let close = Arc::new(Notify::new());
        let id = {
            let mut idle = self.idle();
            let id = idle.next;
            idle.next += 1;
            idle.waiting
                .push_back((id, Instant::now(), Arc::clone(&close)));
            id
        };
        let mut byte = [0u8; 1];
        let arrived = tokio::select! {
            peeked = stream.peek(&mut byte) => matches!(peeked, Ok(n) if n > 0),
            () = tokio::time::sleep(wait) => false,
            () = close.notified() => false,
        };
        self.idle().waiting.retain(|(other, _, _)| *other != id);
        arrived
    }
}

/// How a served request leaves its connection.
enum After {
    KeepAlive,
    Close,
}

impl Server {
    /// One connection: in the lobby until its first byte, then served in a slot, request
    /// after request while it is kept alive.
    async fn connection(&self, mut stream: TcpStream, seat: OwnedSemaphorePermit) {
        if !self
            .lobby
            .wait_for_request(&stream, self.limits.first_byte_timeout)
            .await
        {
            // The descriptor is closed before the seat is given back.
            drop(stream);
            drop(seat);
            return;
        }
        let Ok(slot) = Arc::clone(&self.slots).acquire_owned().await else {
            return;
        };
        // Out of the lobby: its seat is free for the next connection.
        drop(seat);
        let mut buf: Vec<u8> = Vec::with_capacity(4096);
        while let After::KeepAlive = self.serve_one(&mut stream, &mut buf).await {}
        drop(stream);
        drop(slot);
    }

    /// Reads, handles and answers one request (on a kept-alive connection, the head's time
    /// counts from the previous reply).
    async fn serve_one(&self, stream: &mut TcpStream, buf: &mut Vec<u8>) -> After {
        let limits = self.limits;
        let head = match tokio::time::timeout(limits.header_timeout, read_head(stream, buf)).await {
            Ok(Ok(head)) => head,
            Ok(Err(ReadEnd::Closed)) => return After::Close,
            Ok(Err(ReadEnd::Refused(e))) => {
                refuse_plain(stream, e.status(), e.to_string(), limits).await;
                return After::Close;
            }
            // Idle between requests: just close, as servers do. Part of a head: say so.
            Err(_) if buf.is_empty() => return After::Close,
            Err(_) => {
                let text = format!(
                    "the request head did not arrive within {} ms",
                    limits.header_timeout.as_millis()
                );
                refuse_plain(stream, 408, text, limits).await;
                return After::Close;
            }
        };
        let total = head.len + head.content_length;
        match tokio::time::timeout(limits.body_timeout, read_body(stream, buf, total)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return After::Close,
            Err(_) => {
                let text = format!(
                    "the request body did not arrive within {} ms",
                    limits.body_timeout.as_millis()
                );
                refuse_plain(stream, 408, text, limits).await;
                return After::Close;
            }
        }
        let request = gateway::GatewayRequest::from_http(
            &head.method,
            &head.target,
            head.content_type.as_deref(),
            buf.get(head.len..total).unwrap_or_default(),
        )
        .with_headers(head.headers);
        buf.drain(..total);
        let now = time::OffsetDateTime::now_utc();
        let (reply, delay, date) = {
            let mut g = self.gateway.lock().unwrap_or_else(PoisonError::into_inner);
            let creates_before = g.instances().len();
            let reply = g.handle(&request, now);
            let created = g.instances().len() > creates_before;
            let delay = if created && g.faults.delay_creates > 0 {
                g.faults.delay_creates -= 1;
                g.faults.reply_delay + g.faults.create_delay
            } else {
                g.faults.reply_delay
            };
            (reply, delay, http::http_date(g.server_now(now)))
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if reply.drop {
            // The fault: the work is done, the reply is lost.
            return After::Close;
        }
        let (content_type, body) = if reply.xml {
            (
                "text/xml;charset=utf-8",
                gateway::to_xml(&reply.body, &reply.xml_root),
            )
        } else {
            ("application/json;charset=utf-8", reply.body.to_string())
        };
        let resp = http::Response {
            status: reply.status,
            content_type,
            body,
            date,
        };
        let bytes = http::write_response(&resp, head.keep_alive);
        let write = tokio::time::timeout(limits.body_timeout, stream.write_all(&bytes)).await;
        if matches!(write, Ok(Ok(()))) && head.keep_alive {
            After::KeepAlive
        } else {
            After::Close
        }
    }
}

/// Why a connection stopped before a request was whole.
enum ReadEnd {
    /// The client closed it, or it broke.
    Closed,
    /// The head cannot be served.
    Refused(http::HeadError),
}

/// Reads until `buf` holds a whole request head.
async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<http::Head, ReadEnd> {
    loop {
        match http::parse_head(buf) {
            Ok(Some(head)) => return Ok(head),
            Ok(None) => {}
            Err(e) => return Err(ReadEnd::Refused(e)),
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return Err(ReadEnd::Closed),
            Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
        }
    }
}

/// Reads until `buf` holds `total` bytes.
async fn read_body(stream: &mut TcpStream, buf: &mut Vec<u8>, total: usize) -> Result<(), ReadEnd> {
    while buf.len() < total {
        let mut chunk = [0u8; 8192];
        let want = (total - buf.len()).min(chunk.len());
        let room = chunk.get_mut(..want).unwrap_or_default();
        match stream.read(room).await {
            Ok(0) | Err(_) => return Err(ReadEnd::Closed),
            Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
        }
    }
    Ok(())
}

/// Answers a request that cannot be served with a plain-text status and closes.
async fn refuse_plain(stream: &mut TcpStream, status: u16, text: String, limits: Limits) {
    let resp = http::Response {
        status,
        content_type: "text/plain; charset=utf-8",
        body: text,
        date: http::http_date(time::OffsetDateTime::now_utc()),
    };
    let bytes = http::write_response(&resp, false);
    tokio::time::timeout(limits.body_timeout, stream.write_all(&bytes))
        .await
        .ok();
}
