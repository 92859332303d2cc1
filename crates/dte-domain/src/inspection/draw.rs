//! **dte-draw-v1**, exactly as SPEC.md defines it so that anyone can replay a draw: for each
//! candidate, `h` = HMAC-SHA256 keyed by the seed's 32 bytes over the UTF-8 bytes of the
//! candidate's id; `u` = (the first 8 bytes of `h` as a big-endian unsigned integer + 0.5) /
//! 2^64; `key` = ln(`u`) / `weight`; the `count` candidates with the largest keys are
//! selected, best first (equal keys: the smaller id first). This is Efraimidis–Spirakis
//! weighted sampling without replacement: a higher weight brings the key nearer 0, the top.

use hmac::Hmac;
use hmac::Mac;
use hmac::digest::KeyInit;
use sha2::Sha256;
use std::cmp::Ordering;
use std::fmt;

/// The name of the algorithm as draws publish it.
pub const ALGORITHM: &str = "dte-draw-v1";

/// A draw's seed: 32 bytes from a cryptographic source, published as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seed([u8; 32]);

/// The text is not a seed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("随机种子应为 64 位十六进制数字")]
pub struct SeedError;

impl Seed {
    /// The seed of these bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Seed {
        Seed(bytes)
    }

    /// Parses 64 hex digits (either case).
    pub fn parse(text: &str) -> Result<Seed, SeedError> {
        let text = text.trim();
        if text.len() != 64 {
            return Err(SeedError);
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| SeedError)?;
        Ok(Seed(bytes))
    }

    /// The seed's bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hex digits the draw publishes.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

/// The seed is public once drawn, but it is printed as hex like everywhere else.
impl fmt::Debug for Seed {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Seed({})", self.to_hex())
    }
}

/// A candidate of a draw: its public id (`institution:12`, `class:34`, or an inspector's
/// `user:7`) and its positive weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub weight: u32,
}

/// Why a draw cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("候选对象“{0}”的权重必须大于 0")]
    ZeroWeight(String),
    #[error("候选对象“{0}”重复")]
    DuplicateCandidate(String),
    #[error("抽取数量 {count} 超过候选对象数 {candidates}")]
    CountAboveCandidates { count: usize, candidates: usize },
}

/// HMAC-SHA256 keyed by the seed over `message`.
fn hmac(seed: &Seed, message: &[u8]) -> [u8; 32] {
    // HMAC pads a key shorter than the hash's 64-byte block with zeros (RFC 2104), so the
    // block-sized constructor over the zero-padded seed is HMAC keyed by the seed's 32 bytes
    // (dte-crypto's envelope tests check the same equivalence).
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(seed.bytes());
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The key of a candidate under dte-draw-v1: ln(u) / weight, always negative.
pub fn draw_key(seed: &Seed, id: &str, weight: u32) -> f64 {
    let h = hmac(seed, id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h[..8]);
    // 2^64 is exact in an f64; the integer converts rounding to nearest like Python's float().
    let u = (u64::from_be_bytes(first) as f64 + 0.5) / 18_446_744_073_709_551_616.0;
    u.ln() / f64::from(weight)
}

/// The `count` candidates dte-draw-v1 selects from `candidates` with `seed`, best key first.
/// Each candidate must have a positive weight and a distinct id, and `count` must not exceed
/// their number.
pub fn draw(seed: &Seed, candidates: &[Candidate], count: usize) -> Result<Vec<String>, DrawError> {
    if count > candidates.len() {
        return Err(DrawError::CountAboveCandidates {
            count,
            candidates: candidates.len(),
        });
    }
    let mut keyed = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if candidate.weight == 0 {
            return Err(DrawError::ZeroWeight(candidate.id.clone()));
        }
        if keyed
            .iter()
            .any(|(id, _): &(&str, f64)| *id == candidate.id)
        {
            return Err(DrawError::DuplicateCandidate(candidate.id.clone()));
        }
        keyed.push((
            candidate.id.as_str(),
            draw_key(seed, &candidate.id, candidate.weight),
        ));
    }
    keyed.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.0.cmp(b.0))
    });
    Ok(keyed
        .into_iter()
        .take(count)
        .map(|(id, _)| id.to_owned())
        .collect())
}

/// The seed the inspectors of one target are drawn with: HMAC-SHA256 keyed by the draw's seed
/// over `inspectors:` and the target's id, so each target's inspectors are drawn independently
/// and anyone holding the draw's seed replays them.
pub fn inspector_seed(seed: &Seed, target_id: &str) -> Seed {
    let mut message = b"inspectors:".to_vec();
    message.extend_from_slice(target_id.as_bytes());
    Seed(hmac(seed, &message))
}
