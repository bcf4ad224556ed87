//! Sentence encoder: all-MiniLM-L6-v2 tokenisation, the packed BERT forward,
//! mean pooling and L2 normalisation, as sentence-transformers does it.

use std::path::Path;
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use tokenizers::{Tokenizer, TruncationParams};

use super::ModelError;
use super::bert::{Bert, BertConfig, PackedBatch, l2_normalize, mean_pool};
use super::files::ModelFiles;

/// sentence-transformers' `max_seq_length` for this model; longer input is
/// truncated exactly as the reference implementation does.
const MAX_TOKENS_PER_SENTENCE: usize = 256;

/// Upper bound on tokens in one forward pass, to keep memory flat when a
/// caller hands over thousands of sentences at once.
const MAX_TOKENS_PER_PASS: usize = 8192;

/// Dimension of the sentence vectors.
pub const EMBEDDING_DIM: usize = 384;

/// A unit-length sentence vector.
pub type Embedding = Vec<f32>;

pub struct Encoder {
    tokenizer: Tokenizer,
    bert: Bert,
    device: Device,
    /// Passes run side by side for large batches.
    workers: usize,
}

impl Encoder {
    pub fn load(files: &ModelFiles) -> Result<Self, ModelError> {
        let device = Device::Cpu;

        let config: BertConfig = serde_json::from_slice(&std::fs::read(&files.config)?)
            .map_err(|e| ModelError::Invalid(format!("config.json: {e}")))?;
        let tokenizer = load_tokenizer(&files.tokenizer)?;

        // Memory-mapping keeps start-up fast and the weights shared.
        #[expect(
            unsafe_code,
            reason = "candle's mmap loader; the file is not modified while mapped"
        )]
        let vb =
            unsafe { VarBuilder::from_mmaped_safetensors(&[&files.weights], DType::F32, &device)? };
        let bert = Bert::load(vb, &config)?;

        // Two workers per core: sentence lengths vary, and with more, smaller
        // shares the cores stay busy until the end of a batch (measured in
        // docs/PERFORMANCE.md).
        let workers = std::thread::available_parallelism().map_or(1, |n| (2 * n.get()).min(8));
        Ok(Self {
            tokenizer,
            bert,
            device,
            workers,
        })
    }

    /// Embeds sentences, returning one unit vector per input in input order.
    /// CPU-bound: call from a blocking thread, see [`SharedEncoder`].
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Embedding>, ModelError> {
        let _span = tracing::debug_span!("encoder.embed", sentences = texts.len()).entered();

        let inputs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let encodings = self
            .tokenizer
            .encode_batch(inputs, true)
            .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        let ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();

        // Sentences of equal length end up adjacent, so attention can run on
        // whole groups at once.
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());

        let work = split_for_workers(passes(&order, &ids), self.workers);
        let results: Vec<Result<Vec<Embedding>, ModelError>> = if work.len() == 1 {
            vec![self.forward_indices(&work[0], &ids)]
        } else {
            // Two passes side by side keep both cores busy; candle's own
            // intra-op threading scales poorly on small matrices.
            std::thread::scope(|scope| {
                let handles: Vec<_> = work
                    .iter()
                    .map(|indices| scope.spawn(|| self.forward_indices(indices, &ids)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(ModelError::Invalid("encoder worker panicked".into()))
                        })
                    })
                    .collect()
            })
        };

        let mut out = vec![Vec::new(); ids.len()];
        for (indices, vectors) in work.iter().zip(results) {
            for (&i, vector) in indices.iter().zip(vectors?) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    /// Runs the given sentences (in order) through as many packed passes as
    /// the token budget needs.
    fn forward_indices(
        &self,
        indices: &[usize],
        ids: &[&[u32]],
    ) -> Result<Vec<Embedding>, ModelError> {
        let mut vectors = Vec::with_capacity(indices.len());
        for pass in passes(indices, ids) {
            let mut batch = PackedBatch::default();
            for &i in pass {
                batch.push(ids[i]);
            }
            vectors.extend(self.forward(&batch)?);
        }
        Ok(vectors)
    }

    pub fn embed_one(&self, text: &str) -> Result<Embedding, ModelError> {
        let mut vectors = self.embed(&[text])?;
        Ok(vectors.pop().unwrap_or_default())
    }

    /// How many word-piece tokens the text becomes, truncation included.
    pub fn token_ids(&self, text: &str) -> Result<Vec<u32>, ModelError> {
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    fn forward(&self, batch: &PackedBatch) -> Result<Vec<Embedding>, ModelError> {
        let hidden = self.bert.forward(batch, &self.device)?;
        let pooled = mean_pool(&hidden, &batch.lengths)?;
        let normalized: Tensor = l2_normalize(&pooled)?;
        Ok(normalized.to_vec2()?)
    }
}

/// Deals sentences (sorted by length) to up to `workers` lists, round
/// robin so each list gets a similar mix of lengths. Small jobs stay on one
/// thread: below a few hundred tokens the hand-off costs more than it saves.
fn split_for_workers(runs: Vec<&[usize]>, workers: usize) -> Vec<Vec<usize>> {
    const MIN_SENTENCES_TO_SPLIT: usize = 8;

    let all: Vec<usize> = runs.concat();
    let workers = workers.clamp(1, all.len().div_ceil(MIN_SENTENCES_TO_SPLIT).max(1));
    let mut lists = vec![Vec::new(); workers];
    for (k, i) in all.into_iter().enumerate() {
        lists[k % workers].push(i);
    }
    lists
}

/// Splits sentence indices (sorted by length) into runs that fit one pass.
fn passes<'a>(order: &'a [usize], ids: &[&[u32]]) -> Vec<&'a [usize]> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut tokens = 0;
    for (pos, &i) in order.iter().enumerate() {
        let len = ids[i].len();
        if pos > start && tokens + len > MAX_TOKENS_PER_PASS {
            runs.push(&order[start..pos]);
            start = pos;
            tokens = 0;
        }
        tokens += len;
    }
    if start < order.len() {
        runs.push(&order[start..]);
    }
    runs
}

fn load_tokenizer(path: &Path) -> Result<Tokenizer, ModelError> {
    let mut tokenizer =
        Tokenizer::from_file(path).map_err(|e| ModelError::Tokenizer(e.to_string()))?;

    // The shipped tokenizer.json pads every input to 128 and truncates there;
    // sentence-transformers does neither (it truncates at 256), and padding is
    // exactly the waste the packed forward avoids.
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS_PER_SENTENCE,
            ..Default::default()
        }))
        .map_err(|e| ModelError::Tokenizer(e.to_string()))?;

    Ok(tokenizer)
}

/// A cheaply clonable handle that runs the encoder on tokio's blocking pool,
/// so model work never stalls the async runtime's worker threads.
#[derive(Clone)]
pub struct SharedEncoder(Arc<Encoder>);

impl SharedEncoder {
    pub fn new(encoder: Encoder) -> Self {
        Self(Arc::new(encoder))
    }

    pub fn blocking(&self) -> &Encoder {
        &self.0
    }

    pub async fn embed(&self, texts: Vec<String>) -> Result<Vec<Embedding>, ModelError> {
        let encoder = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || encoder.embed(&texts))
            .await
            .map_err(|e| ModelError::Invalid(format!("encoder task failed: {e}")))?
    }
}

/// Cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_split_when_the_token_budget_is_full() {
        let long = vec![0u32; MAX_TOKENS_PER_PASS / 2 + 1];
        let ids: Vec<&[u32]> = vec![&long, &long, &long];
        let order = vec![0, 1, 2];

        let runs = passes(&order, &ids);

        assert_eq!(runs, vec![&[0][..], &[1][..], &[2][..]]);
    }

    #[test]
    fn passes_keep_small_sentences_together() {
        let short = vec![0u32; 10];
        let ids: Vec<&[u32]> = vec![&short; 5];
        let order: Vec<usize> = (0..5).collect();

        assert_eq!(passes(&order, &ids).len(), 1);
    }
}
