//! BERT forward pass over a *packed* batch: every sentence's tokens sit one
//! after another in a single `[tokens, hidden]` matrix, with no padding.
//!
//! Everything in a BERT layer except attention works token by token, so the
//! dense layers run once over the whole packed matrix and no work is spent on
//! padded positions. Attention runs per group of equally long sentences.

use candle_core::{D, DType, Device, Module, Result, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};
use serde::Deserialize;

use super::gelu::Gelu;

/// The subset of a BERT `config.json` this forward pass needs.
#[derive(Debug, Clone, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    pub hidden_act: String,
}

/// Token ids of several sentences laid end to end.
#[derive(Debug, Default)]
pub struct PackedBatch {
    pub ids: Vec<u32>,
    pub positions: Vec<u32>,
    /// Token count of each sentence, in packing order.
    pub lengths: Vec<usize>,
}

impl PackedBatch {
    pub fn push(&mut self, ids: &[u32]) {
        self.ids.extend_from_slice(ids);
        self.positions.extend(0..ids.len() as u32);
        self.lengths.push(ids.len());
    }

    pub fn token_count(&self) -> usize {
        self.ids.len()
    }
}

pub struct Bert {
    embeddings: Embeddings,
    layers: Vec<Layer>,
}

impl Bert {
    pub fn load(vb: VarBuilder, config: &BertConfig) -> Result<Self> {
        if config.hidden_act != "gelu" {
            candle_core::bail!("unsupported hidden_act {}", config.hidden_act);
        }

        let embeddings = Embeddings::load(vb.pp("embeddings"), config)?;
        let layers = (0..config.num_hidden_layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), config))
            .collect::<Result<Vec<_>>>()?;

        Ok(Self { embeddings, layers })
    }

    /// Hidden states of the last layer, `[tokens, hidden]`.
    pub fn forward(&self, batch: &PackedBatch, device: &Device) -> Result<Tensor> {
        let _span = tracing::trace_span!("bert.forward", tokens = batch.token_count()).entered();

        let groups = equal_length_groups(&batch.lengths);
        let mut hidden = self.embeddings.forward(batch, device)?;
        for layer in &self.layers {
            hidden = layer.forward(&hidden, &groups)?;
        }
        Ok(hidden)
    }
}

/// A run of adjacent sentences of the same length: `(first token, count, length)`.
type Group = (usize, usize, usize);

fn equal_length_groups(lengths: &[usize]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut offset = 0;
    for &len in lengths {
        match groups.last_mut() {
            Some((_, count, group_len)) if *group_len == len => *count += 1,
            _ => groups.push((offset, 1, len)),
        }
        offset += len;
    }
    groups
}

struct Embeddings {
    words: Embedding,
    positions: Embedding,
    token_type: Tensor,
    norm: LayerNorm,
}

impl Embeddings {
    fn load(vb: VarBuilder, config: &BertConfig) -> Result<Self> {
        let hidden = config.hidden_size;
        let words = candle_nn::embedding(config.vocab_size, hidden, vb.pp("word_embeddings"))?;
        let positions = candle_nn::embedding(
            config.max_position_embeddings,
            hidden,
            vb.pp("position_embeddings"),
        )?;

        // Single-segment input: every token has type 0, so one row is enough.
        let token_types = vb
            .pp("token_type_embeddings")
            .get((config.type_vocab_size, hidden), "weight")?;
        let token_type = token_types.get(0)?;

        let norm = candle_nn::layer_norm(hidden, config.layer_norm_eps, vb.pp("LayerNorm"))?;
        Ok(Self {
            words,
            positions,
            token_type,
            norm,
        })
    }

    fn forward(&self, batch: &PackedBatch, device: &Device) -> Result<Tensor> {
        let ids = Tensor::new(batch.ids.as_slice(), device)?;
        let positions = Tensor::new(batch.positions.as_slice(), device)?;

        let words = self.words.forward(&ids)?;
        let positions = self.positions.forward(&positions)?;
        let summed = (words + positions)?.broadcast_add(&self.token_type)?;

        self.norm.forward(&summed)
    }
}

struct Layer {
    /// Query, key and value projections fused into one matmul.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
    heads: usize,
    head_size: usize,
}

impl Layer {
    fn load(vb: VarBuilder, config: &BertConfig) -> Result<Self> {
        let hidden = config.hidden_size;
        let eps = config.layer_norm_eps;
        let attention = vb.pp("attention");

        let projection = |name: &str| -> Result<(Tensor, Tensor)> {
            let vb = attention.pp("self").pp(name);
            Ok((vb.get((hidden, hidden), "weight")?, vb.get(hidden, "bias")?))
        };
        let (q_w, q_b) = projection("query")?;
        let (k_w, k_b) = projection("key")?;
        let (v_w, v_b) = projection("value")?;
        let qkv = Linear::new(
            Tensor::cat(&[q_w, k_w, v_w], 0)?,
            Some(Tensor::cat(&[q_b, k_b, v_b], 0)?),
        );

        let output = attention.pp("output");
        let attention_out = candle_nn::linear(hidden, hidden, output.pp("dense"))?;
        let attention_norm = candle_nn::layer_norm(hidden, eps, output.pp("LayerNorm"))?;

        let inter = config.intermediate_size;
        let intermediate = candle_nn::linear(hidden, inter, vb.pp("intermediate.dense"))?;
        let output = candle_nn::linear(inter, hidden, vb.pp("output.dense"))?;
        let output_norm = candle_nn::layer_norm(hidden, eps, vb.pp("output.LayerNorm"))?;

        Ok(Self {
            qkv,
            attention_out,
            attention_norm,
            intermediate,
            output,
            output_norm,
            heads: config.num_attention_heads,
            head_size: hidden / config.num_attention_heads,
        })
    }

    fn forward(&self, hidden: &Tensor, groups: &[Group]) -> Result<Tensor> {
        let qkv = self.qkv.forward(hidden)?;
        let context = self.attention(&qkv, groups)?;

        let attended = self.attention_out.forward(&context)?;
        let attended = self.attention_norm.forward(&(attended + hidden)?)?;

        let inner = self
            .intermediate
            .forward(&attended)?
            .apply_op1_no_bwd(&Gelu)?;
        let out = self.output.forward(&inner)?;
        self.output_norm.forward(&(out + attended)?)
    }

    /// Self-attention for each group of equal-length sentences; no masks are
    /// needed because no sentence is padded.
    fn attention(&self, qkv: &Tensor, groups: &[Group]) -> Result<Tensor> {
        let width = self.heads * self.head_size;
        let scale = 1.0 / (self.head_size as f64).sqrt();

        let mut contexts = Vec::with_capacity(groups.len());
        for &(start, count, len) in groups {
            let rows = qkv.narrow(0, start, count * len)?;
            let split = |part: usize| -> Result<Tensor> {
                rows.narrow(1, part * width, width)?
                    .reshape((count, len, self.heads, self.head_size))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let (q, k, v) = (split(0)?, split(1)?, split(2)?);

            let scores = (q.matmul(&k.t()?)? * scale)?;
            let probs = candle_nn::ops::softmax_last_dim(&scores)?;
            let context = probs.matmul(&v)?;

            let context = context.transpose(1, 2)?.reshape((count * len, width))?;
            contexts.push(context);
        }

        Tensor::cat(&contexts, 0)
    }
}

/// Mean of each sentence's token vectors, `[sentences, hidden]`.
pub fn mean_pool(hidden: &Tensor, lengths: &[usize]) -> Result<Tensor> {
    let tokens: usize = lengths.iter().sum();

    // A [sentences, tokens] matrix of 1/len over each sentence's span turns
    // the pooling into one matmul instead of one op per sentence.
    let mut weights = vec![0f32; lengths.len() * tokens];
    let mut offset = 0;
    for (row, &len) in lengths.iter().enumerate() {
        let start = row * tokens + offset;
        weights[start..start + len].fill(1.0 / len as f32);
        offset += len;
    }
    let weights = Tensor::from_vec(weights, (lengths.len(), tokens), hidden.device())?;

    weights.matmul(hidden)
}

/// Scales each row to unit length.
pub fn l2_normalize(rows: &Tensor) -> Result<Tensor> {
    let norms = rows.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?;
    let norms = norms.clamp(1e-12, f64::MAX)?;
    rows.broadcast_div(&norms)?.to_dtype(DType::F32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_join_only_adjacent_equal_lengths() {
        let groups = equal_length_groups(&[3, 3, 5, 3]);

        assert_eq!(groups, vec![(0, 2, 3), (6, 1, 5), (11, 1, 3)]);
    }

    #[test]
    fn mean_pool_averages_each_span() {
        let hidden = Tensor::new(&[[1f32, 2.], [3., 4.], [10., 20.]], &Device::Cpu).unwrap();

        let pooled = mean_pool(&hidden, &[2, 1]).unwrap();

        let rows: Vec<Vec<f32>> = pooled.to_vec2().unwrap();
        assert_eq!(rows, vec![vec![2., 3.], vec![10., 20.]]);
    }
}
