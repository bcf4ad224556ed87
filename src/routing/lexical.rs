//! Word and character n-gram features, hashed into fixed buckets and
//! weighted by tf-idf. They sit beside the sentence embedding in the router's
//! input: the embedding carries meaning and paraphrase, the n-grams carry the
//! exact words patients use for each team ("refill", "statement", "log in")
//! and survive their typos. Together they cross-validated about two points
//! better than the embedding alone (docs/ARCHITECTURE.md).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Buckets for word uni- and bigrams, and again for character n-grams.
pub const BUCKETS_PER_FAMILY: usize = 1 << 14;
pub const LEXICAL_DIM: usize = 2 * BUCKETS_PER_FAMILY;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\w\w+\b").expect("word pattern is valid"));

/// Raw n-gram counts of one text, by bucket.
pub fn term_counts(text: &str) -> HashMap<u32, f32> {
    let lower = text.to_lowercase();
    let mut counts: HashMap<u32, f32> = HashMap::new();
    let mut add = |family: u64, gram: &str| {
        let bucket = (fnv1a(family, gram.as_bytes()) % BUCKETS_PER_FAMILY as u64) as usize;
        let index = family as usize * BUCKETS_PER_FAMILY + bucket;
        *counts.entry(index as u32).or_default() += 1.0;
    };

    let words: Vec<&str> = WORD.find_iter(&lower).map(|m| m.as_str()).collect();
    for word in &words {
        add(0, word);
    }
    for pair in words.windows(2) {
        add(0, &format!("{} {}", pair[0], pair[1]));
    }

    // Character 2- to 4-grams inside each space-padded word, so "perscription"
    // still shares most of its pieces with "prescription".
    for word in lower.split_whitespace() {
        let padded: Vec<char> = format!(" {word} ").chars().collect();
        for n in 2..=4 {
            if padded.len() < n {
                break;
            }
            for gram in padded.windows(n) {
                add(1, &gram.iter().collect::<String>());
            }
        }
    }
    counts
}

/// FNV-1a: a fixed, seedless hash, so bucket numbers never change between
/// builds or machines (the trained weights depend on them).
fn fnv1a(family: u64, bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = OFFSET ^ family;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// Smoothed inverse document frequency per bucket.
pub fn fit_idf(documents: &[HashMap<u32, f32>]) -> Vec<f32> {
    let mut df = vec![0f32; LEXICAL_DIM];
    for counts in documents {
        for &bucket in counts.keys() {
            df[bucket as usize] += 1.0;
        }
    }
    let n = documents.len() as f32;
    df.iter()
        .map(|&d| ((1.0 + n) / (1.0 + d)).ln() + 1.0)
        .collect()
}

/// The unit-length tf-idf vector of `counts`, as (bucket, value) pairs.
pub fn tfidf(counts: &HashMap<u32, f32>, idf: &[f32]) -> Vec<(u32, f32)> {
    let mut pairs: Vec<(u32, f32)> = counts
        .iter()
        .map(|(&bucket, &count)| (bucket, (1.0 + count.ln()) * idf[bucket as usize]))
        .collect();
    // A fixed order keeps sums, and so training, bit-for-bit reproducible.
    pairs.sort_unstable_by_key(|&(bucket, _)| bucket);

    let norm = pairs.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, value) in &mut pairs {
            *value /= norm;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_share_most_character_grams() {
        let right = term_counts("prescription");
        let typo = term_counts("perscription");

        let shared = right.keys().filter(|k| typo.contains_key(k)).count();
        assert!(shared * 2 > right.len(), "{shared} of {}", right.len());
    }

    #[test]
    fn tfidf_vectors_have_unit_length() {
        let docs = vec![term_counts("refill my inhaler"), term_counts("pay my bill")];
        let idf = fit_idf(&docs);

        let pairs = tfidf(&docs[0], &idf);

        let norm: f32 = pairs.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5);
    }

    #[test]
    fn hashing_is_stable() {
        // Trained heads depend on these exact buckets.
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(0, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(0, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(0, b"foobar"), 0x8594_4171_f739_67e8);
    }
}
