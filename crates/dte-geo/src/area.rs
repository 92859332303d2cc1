//! Boundary rings and areas with search indexes: whether a point is inside, how far it is
//! from the boundary, and whether a segment crosses it.

use crate::geometry::{BBox, LocalScale, Xy, segments_meet};

/// A closed boundary ring (first point repeated last) with two indexes: horizontal slabs
/// listing the edges that span each band of latitude, for containment, and chunks of
/// consecutive edges with their bounding boxes, for distances and crossings.
#[derive(Debug)]
pub(crate) struct Ring {
    points: Vec<Xy>,
    bbox: BBox,
    slab_y0: f64,
    slab_inverse_height: f64,
    slab_starts: Vec<u32>,
    slab_edges: Vec<u32>,
    chunks: Vec<Chunk>,
}

/// A region made of rings. A point is inside when it is inside an odd number of rings, so
/// islands and holes both work without knowing which ring is which. For distances, runs of
/// consecutive chunks are grouped under one box, so a search can visit the nearest parts
/// of the boundary first and stop early.
#[derive(Debug)]
pub(crate) struct Area {
    rings: Vec<Ring>,
    bbox: BBox,
    groups: Vec<Group>,
}

/// Consecutive chunks of one ring and their bounding box.
#[derive(Debug)]
struct Group {
    ring: usize,
    first_chunk: usize,
    end_chunk: usize,
    bbox: BBox,
}

/// Consecutive edges of one ring (edge i runs from point i to point i + 1) and their box.
#[derive(Debug)]
struct Chunk {
    first_edge: usize,
    end_edge: usize,
    bbox: BBox,
}

/// The number of consecutive edges grouped under one bounding box.
const EDGES_PER_CHUNK: usize = 32;
/// The number of consecutive chunks grouped under one bounding box.
const CHUNKS_PER_GROUP: usize = 8;
/// The most latitude bands a ring's containment index uses.
const MAX_SLABS: usize = 4096;

impl Ring {
    /// Builds the indexes of a ring; the ring is closed here if its last point is not its
    /// first. Returns `None` for fewer than three distinct points.
    pub fn new(mut points: Vec<Xy>) -> Option<Ring> {
        if points.first() != points.last() {
            let first = *points.first()?;
            points.push(first);
        }
        if points.len() < 4 {
            return None;
        }
        let bbox = BBox::of(&points);
        let edge_count = points.len() - 1;
        let chunks = (0..edge_count)
            .step_by(EDGES_PER_CHUNK)
            .map(|first_edge| {
                let end_edge = (first_edge + EDGES_PER_CHUNK).min(edge_count);
                Chunk {
                    first_edge,
                    end_edge,
                    bbox: BBox::of(&points[first_edge..=end_edge]),
                }
            })
            .collect();
        let mut ring = Ring {
            points,
            bbox,
            slab_y0: bbox.min_y,
            slab_inverse_height: 0.0,
            slab_starts: Vec::new(),
            slab_edges: Vec::new(),
            chunks,
        };
        ring.build_slabs();
        Some(ring)
    }

    pub fn points(&self) -> &[Xy] {
        &self.points
    }

    pub fn bbox(&self) -> &BBox {
        &self.bbox
    }

    /// Whether `p` is inside the ring (crossing-number test over the edges of one slab).
    pub fn contains(&self, p: Xy) -> bool {
        if !self.bbox.contains(p) {
            return false;
        }
        let slab = self.slab_of(p.y);
        let edges =
            &self.slab_edges[self.slab_starts[slab] as usize..self.slab_starts[slab + 1] as usize];
        let mut inside = false;
        for &edge in edges {
            let (a, b) = (self.points[edge as usize], self.points[edge as usize + 1]);
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside = !inside;
            }
        }
        inside
    }

    /// Whether the segment `a`–`b` touches or crosses the ring's boundary.
    pub fn meets_segment(&self, a: Xy, b: Xy) -> bool {
        let segment_bbox = BBox::of(&[a, b]);
        if !self.bbox.intersects(&segment_bbox) {
            return false;
        }
        self.chunks
            .iter()
            .filter(|chunk| chunk.bbox.intersects(&segment_bbox))
            .any(|chunk| {
                (chunk.first_edge..chunk.end_edge)
                    .any(|edge| segments_meet(a, b, self.points[edge], self.points[edge + 1]))
            })
    }

    fn slab_of(&self, y: f64) -> usize {
        let slab_count = self.slab_starts.len() - 1;
        let index = ((y - self.slab_y0) * self.slab_inverse_height).floor();
        if index <= 0.0 {
            0
        } else {
            (index as usize).min(slab_count - 1)
        }
    }

    fn build_slabs(&mut self) {
        let edge_count = self.points.len() - 1;
        let height = self.bbox.max_y - self.bbox.min_y;
        let slab_count = if height > 0.0 {
            (edge_count / 8).clamp(1, MAX_SLABS)
        } else {
            1
        };
        self.slab_inverse_height = if height > 0.0 {
            slab_count as f64 / height
        } else {
            0.0
        };
        self.slab_starts = vec![0; slab_count + 1];
        let edge_slabs: Vec<(usize, usize)> = (0..edge_count)
            .map(|edge| {
                let (a, b) = (self.points[edge], self.points[edge + 1]);
                (self.slab_of(a.y.min(b.y)), self.slab_of(a.y.max(b.y)))
            })
            .collect();
        // Count the edges of each slab, turn the counts into start offsets, then fill.
        for &(low, high) in &edge_slabs {
            for slab in low..=high {
                self.slab_starts[slab + 1] += 1;
            }
        }
        for slab in 0..slab_count {
            self.slab_starts[slab + 1] += self.slab_starts[slab];
        }
        let mut next: Vec<u32> = self.slab_starts[..slab_count].to_vec();
        self.slab_edges = vec![0; self.slab_starts[slab_count] as usize];
        for (edge, &(low, high)) in edge_slabs.iter().enumerate() {
            for slot in &mut next[low..=high] {
                self.slab_edges[*slot as usize] = edge as u32;
                *slot += 1;
            }
        }
    }
}

impl Area {
    pub fn new(rings: Vec<Ring>) -> Option<Area> {
        let bbox = rings
            .iter()
            .map(|ring| ring.bbox)
            .reduce(|a, b| a.union(&b))?;
        let mut groups = Vec::new();
        for (ring_index, ring) in rings.iter().enumerate() {
            for first_chunk in (0..ring.chunks.len()).step_by(CHUNKS_PER_GROUP) {
                let end_chunk = (first_chunk + CHUNKS_PER_GROUP).min(ring.chunks.len());
                let bbox = ring.chunks[first_chunk..end_chunk]
                    .iter()
                    .map(|chunk| chunk.bbox)
                    .reduce(|a, b| a.union(&b))?;
                groups.push(Group {
                    ring: ring_index,
                    first_chunk,
                    end_chunk,
                    bbox,
                });
            }
        }
        Some(Area {
            rings,
            bbox,
            groups,
        })
    }

    pub fn rings(&self) -> &[Ring] {
        &self.rings
    }

    pub fn bbox(&self) -> &BBox {
        &self.bbox
    }

    pub fn contains(&self, p: Xy) -> bool {
        self.bbox.contains(p) && self.rings.iter().filter(|ring| ring.contains(p)).count() % 2 == 1
    }

    /// The distance in metres from `p` to the nearest boundary, or `limit` if that is less.
    /// Groups and then chunks are visited nearest box first, and the search stops as soon
    /// as no remaining box can hold a nearer edge.
    pub fn distance_to_boundary(&self, p: Xy, limit: f64) -> f64 {
        let scale = LocalScale::at(p.y);
        let mut best = limit;
        if scale.distance_to_bbox(p, &self.bbox) >= best {
            return best;
        }
        let mut groups: Vec<(f64, &Group)> = self
            .groups
            .iter()
            .map(|group| (scale.distance_to_bbox(p, &group.bbox), group))
            .filter(|&(distance, _)| distance < best)
            .collect();
        groups.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut chunks: Vec<(f64, &Chunk)> = Vec::with_capacity(CHUNKS_PER_GROUP);
        for (group_distance, group) in groups {
            if group_distance >= best {
                break;
            }
            let ring = &self.rings[group.ring];
            chunks.clear();
            chunks.extend(
                ring.chunks[group.first_chunk..group.end_chunk]
                    .iter()
                    .map(|chunk| (scale.distance_to_bbox(p, &chunk.bbox), chunk))
                    .filter(|&(distance, _)| distance < best),
            );
            chunks.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
            for &(chunk_distance, chunk) in &chunks {
                if chunk_distance >= best {
                    break;
                }
                for edge in chunk.first_edge..chunk.end_edge {
                    let d = scale.distance_to_segment(p, ring.points[edge], ring.points[edge + 1]);
                    best = best.min(d);
                }
            }
        }
        best
    }

    /// Whether the segment `a`–`b` touches or crosses any boundary of the area.
    pub fn meets_segment(&self, a: Xy, b: Xy) -> bool {
        self.rings.iter().any(|ring| ring.meets_segment(a, b))
    }
}
