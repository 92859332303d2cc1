//! Timings of dte-geo's decisions: how many `locate` calls per second (for points inside
//! the province, outside it, and spread over its bounding box), and how fast fences are
//! checked. Run with `cargo bench -p dte-geo`; it prints plain lines, no harness.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dte_geo::{Fence, LatLon, Location, check_fence, distance_outside_fence_m, locate};

/// How long each measurement runs.
const BUDGET: Duration = Duration::from_millis(700);

fn main() {
    let started = Instant::now();
    black_box(locate(LatLon {
        lat: 41.8,
        lon: 123.4,
    }));
    println!(
        "first call (parses the embedded boundaries): {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
    let spread: Vec<LatLon> = (0..100_000)
        .map(|_| LatLon {
            lat: 38.6 + 5.0 * random.unit(),
            lon: 118.7 + 7.2 * random.unit(),
        })
        .collect();
    let (inside, outside): (Vec<LatLon>, Vec<LatLon>) = spread
        .iter()
        .partition(|&&p| matches!(locate(p), Location::Inside { .. }));
    println!(
        "sample: {} points in the bounding box, {} inside Liaoning, {} outside",
        spread.len(),
        inside.len(),
        outside.len()
    );

    report(
        "locate, points spread over the bounding box",
        &spread,
        |p| {
            black_box(locate(p));
        },
    );
    report("locate, points inside the province", &inside, |p| {
        black_box(locate(p));
    });
    report(
        "locate, points outside (with distance to the border)",
        &outside,
        |p| {
            black_box(locate(p));
        },
    );
    report(
        "check_fence, 500 m circle at an inside point",
        &inside,
        |p| {
            let fence = Fence::Circle {
                center: p,
                radius_m: 500.0,
            };
            black_box(check_fence(&fence, "沈阳").is_ok());
        },
    );
    let fence = Fence::Circle {
        center: LatLon {
            lat: 38.88,
            lon: 121.53,
        },
        radius_m: 300.0,
    };
    report("distance_outside_fence_m, circle", &spread, |p| {
        black_box(distance_outside_fence_m(&fence, p));
    });
}

/// Calls `work` on the points in turn until the budget is spent and prints the rate.
fn report(label: &str, points: &[LatLon], mut work: impl FnMut(LatLon)) {
    if points.is_empty() {
        println!("{label}: no points");
        return;
    }
    let started = Instant::now();
    let (mut calls, mut index): (u64, usize) = (0, 0);
    // Cycle through the whole sample in batches, checking the clock between batches.
    while started.elapsed() < BUDGET {
        for _ in 0..1_000 {
            work(points[index]);
            index = (index + 1) % points.len();
        }
        calls += 1_000;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{label}: {:.0} calls/s ({:.2} µs per call)",
        calls as f64 / seconds,
        seconds * 1e6 / calls as f64
    );
}

/// A small deterministic generator, so every run measures the same points.
struct XorShift(u64);

impl XorShift {
    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}
