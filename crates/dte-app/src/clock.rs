//! The clock handed to services, so tests can fix "now"; the binary gives it the system's time.
//! Display uses Asia/Shanghai.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;
use std::sync::Arc;

/// A source of the current time.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// A clock stopped at one instant, for tests.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// A clock that asks `now` each time, for tests that move time forward.
    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// Today's date in Liaoning (Asia/Shanghai).
    pub fn today(&self) -> NaiveDate {
        shanghai_today(self.now())
    }
}

/// The calendar date in Asia/Shanghai at an instant.
pub fn shanghai_today(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Shanghai).date_naive()
}

/// An instant as a Liaoning wall-clock time, `HH:MM`.
pub fn shanghai_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai).format("%H:%M").to_string()
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Clock({})", self.now())
    }
}
