//! The audit log's hash chain: each entry's hash covers the previous hash and the entry, so
//! altering, removing or reordering any entry breaks every hash after it.
//!
//! The storage layer builds the canonical text of an entry and keeps the hashes; this module
//! only hashes. The construction is easy to reproduce outside DTE, for an auditor:
//!
//! ```text
//! hash = lowercase_hex(SHA-256(netstring(previous_hash) || netstring(canonical_entry)))
//! netstring(s) = decimal byte length of s, ":", the bytes of s, ","
//! ```
//!
//! For example, with `printf '64:%s,%d:%s,' "$previous" "${#entry}" "$entry" | sha256sum`
//! (with `LC_ALL=C`, so that `${#entry}` counts bytes). The length prefixes make the split
//! between the two parts unambiguous whatever characters the entry holds.

use sha2::{Digest, Sha256};

/// The "previous hash" of the first entry: 64 zeros, the width of a SHA-256 in hexadecimal.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an audit entry, chained to the hash of the entry before it ([`GENESIS`] for the
/// first): 64 lowercase hexadecimal digits.
pub fn chain_hash(previous_hash: &str, canonical_entry: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [previous_hash, canonical_entry] {
        hasher.update(part.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(part.as_bytes());
        hasher.update(b",");
    }
    hex::encode(hasher.finalize())
}

/// Recomputes a chain from [`GENESIS`] over `(canonical_entry, recorded_hash)` pairs in
/// order. Returns the zero-based position of the first entry whose recorded hash does not
/// match, or `Ok(())` when the whole chain holds.
pub fn verify_chain<'a, I>(entries: I) -> Result<(), usize>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut previous = GENESIS.to_owned();
    for (position, (canonical_entry, recorded_hash)) in entries.into_iter().enumerate() {
        let expected = chain_hash(&previous, canonical_entry);
        if expected != recorded_hash {
            return Err(position);
        }
        previous = expected;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid chain over `entries`, returning each entry with its hash.
    fn chain_of<'a>(entries: &[&'a str]) -> Vec<(&'a str, String)> {
        let mut previous = GENESIS.to_owned();
        entries
            .iter()
            .map(|entry| {
                previous = chain_hash(&previous, entry);
                (*entry, previous.clone())
            })
            .collect()
    }

    #[test]
    fn gbt_22239_2019_8_1_4_3_c_the_chain_hash_matches_the_documented_netstring_construction() {
        // Computed outside DTE with:
        // printf '64:%s,%d:%s,' 000…000 18 'login|admin|沈阳' | sha256sum
        // (the entry is 18 bytes: 12 ASCII and two Chinese characters of three bytes each).
        assert_eq!(
            chain_hash(GENESIS, "login|admin|沈阳"),
            "b02b0b2ab488c0bb906ef8efbd0db9967866a75d3f8ac13078d88df0ebe38b27"
        );
        assert_eq!(GENESIS.len(), 64);
        assert!(GENESIS.bytes().all(|byte| byte == b'0'));
    }

    #[test]
    fn the_length_prefix_makes_the_split_between_previous_hash_and_entry_unambiguous() {
        assert_ne!(chain_hash("ab", "c"), chain_hash("a", "bc"));
        assert_ne!(chain_hash("a:", "b"), chain_hash("a", ":b"));
        assert_ne!(chain_hash("", "1:a,"), chain_hash("1:a,", ""));
    }

    #[test]
    fn gbt_22239_2019_8_1_4_3_c_an_intact_chain_verifies() {
        let chain = chain_of(&["entry one", "entry two", "entry three"]);
        let pairs = chain.iter().map(|(entry, hash)| (*entry, hash.as_str()));
        assert_eq!(verify_chain(pairs), Ok(()));
        assert_eq!(verify_chain(std::iter::empty()), Ok(()));
    }

    #[test]
    fn gbt_22239_2019_8_1_4_3_c_an_altered_removed_or_reordered_entry_is_found() {
        let chain = chain_of(&["entry one", "entry two", "entry three"]);
        let mut altered: Vec<(&str, &str)> = chain.iter().map(|(e, h)| (*e, h.as_str())).collect();
        altered[1].0 = "entry 2";
        assert_eq!(verify_chain(altered), Err(1));

        let removed = [&chain[0], &chain[2]].map(|(e, h)| (*e, h.as_str()));
        assert_eq!(verify_chain(removed), Err(1));

        let reordered = [&chain[1], &chain[0], &chain[2]].map(|(e, h)| (*e, h.as_str()));
        assert_eq!(verify_chain(reordered), Err(0));
    }
}
