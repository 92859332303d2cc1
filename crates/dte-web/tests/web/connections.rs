//! Slow and numerous clients (issue 15 item 6): a connection that sends its request headers
//! slowly is closed at the header-read deadline, and connections beyond the per-address bound
//! are closed at once while one within it is still answered. Raw TCP, every wait bounded.

use crate::helpers::spawn_app_with;
use dte_store::Backend;
use dte_web::ConnectionLimits;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest any read below waits; a server that never closes fails the test here.
const BOUND: Duration = Duration::from_secs(5);

fn limits(header_read_timeout: Duration, connections_per_address: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout,
        connections_per_address,
        unbounded: Vec::new(),
    }
}

async fn connect(address: &str) -> TcpStream {
    TcpStream::connect(address.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the server closes the connection (or resets it); answers what it sent and how
/// long that took. Fails if the connection is still open after [`BOUND`].
async fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(BOUND, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => panic!("the server kept the connection open past {BOUND:?}"),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

/// Sends a whole request on `stream` and answers the response's status line.
async fn status_line(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: dte\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (response, _) = read_until_closed(stream).await;
    response.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_connection_sending_half_a_request_line_is_closed_at_the_header_read_deadline() {
    let deadline = Duration::from_secs(1);
    let app = spawn_app_with(Backend::Sqlite, limits(deadline, 64))
        .await
        .unwrap();
    let mut stream = connect(&app.address).await;
    stream.write_all(b"GET /healthz HT").await.unwrap();
    let (answer, took) = read_until_closed(&mut stream).await;
    assert!(
        took >= deadline - Duration::from_millis(100) && took < deadline * 3,
        "closed after {took:?}; answered {answer:?}"
    );
    assert!(!answer.contains("200 OK"), "{answer}");

    // Trickling a byte at a time does not push the deadline back.
    let mut stream = connect(&app.address).await;
    let started = Instant::now();
    let trickle = b"GET /healthz HTTP/1.1\r\nHost: dte\r\nX-Slow: ";
    let mut closed = false;
    for byte in trickle.iter().cycle().take(200) {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        let mut probe = [0u8; 1];
        match tokio::time::timeout(Duration::from_millis(100), stream.read(&mut probe)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed = true;
                break;
            }
            _ => {}
        }
        assert!(started.elapsed() < BOUND, "still open after {BOUND:?}");
    }
    assert!(closed, "a trickling client was never closed");
    assert!(
        started.elapsed() < deadline * 3,
        "closed after {:?}",
        started.elapsed()
    );

    // A whole request is still answered.
    assert_eq!(
        status_line(&mut connect(&app.address).await).await,
        "HTTP/1.1 200 OK"
    );
}

#[tokio::test]
async fn connections_beyond_the_per_address_bound_are_closed_at_once_and_one_within_it_is_answered()
{
    let app = spawn_app_with(Backend::Sqlite, limits(Duration::from_secs(4), 3))
        .await
        .unwrap();
    // Two idle connections hold two of the three places.
    let mut idle = vec![connect(&app.address).await, connect(&app.address).await];
    // The third, within the bound, is answered; it stays open until it has its answer.
    let mut within = connect(&app.address).await;
    within
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: dte\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 64];
    let read = tokio::time::timeout(BOUND, within.read(&mut head))
        .await
        .unwrap()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&head[..read]).starts_with("HTTP/1.1 200 OK"),
        "{}",
        String::from_utf8_lossy(&head[..read])
    );
    // The fourth and fifth are closed as soon as they are accepted, with no answer.
    for _ in 0..2 {
        let mut beyond = connect(&app.address).await;
        let _ = beyond
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: dte\r\n\r\n")
            .await;
        let (answer, took) = read_until_closed(&mut beyond).await;
        assert_eq!(answer, "", "a connection beyond the bound got an answer");
        assert!(took < Duration::from_secs(1), "closed after {took:?}");
    }
    // The connection within the bound still works.
    within
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: dte\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_until_closed(&mut within).await;
    assert!(answer.contains("HTTP/1.1 200 OK"), "{answer}");

    // Places are given back as connections close.
    idle.clear();
    drop(within);
    let started = Instant::now();
    loop {
        let answer = status_line(&mut connect(&app.address).await).await;
        if answer == "HTTP/1.1 200 OK" {
            break;
        }
        assert!(
            started.elapsed() < BOUND,
            "no place came back; last answer {answer:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
