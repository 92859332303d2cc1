//! The public verification's rate limit: look-ups per client address and minute, answered 429 when
//! over. An abuse guard at the edge, kept by the web layer.

use crate::error::AppError;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Public look-ups one client address may make per minute: a person checking a few
/// certificates never meets it; a script walking numbers does.
pub const PER_MINUTE: u32 = 30;

/// Objections to a public notice one client address may lodge per minute: a person objects to
/// a line or two; a script flooding the city's queue does not get far.
pub const OBJECTIONS_PER_MINUTE: u32 = 5;

/// A fixed-window limit of look-ups per client address and minute.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// How long a window lasts.
const WINDOW: Duration = Duration::from_secs(60);

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one look-up of `address` now; `Err` with the seconds to wait when over.
    pub fn check(&self, address: Option<IpAddr>) -> Result<(), u64> {
        let Some(address) = address else {
            return Ok(());
        };
        let now = Instant::now();
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = windows.entry(address).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= self.per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// The 429 answer.
pub fn too_many(wait_seconds: u64) -> AppError {
    AppError::too_many_requests(format!(
        "查询过于频繁，请 {wait_seconds} 秒后再试（每个网络地址每分钟可查询的次数有限）"
    ))
}
