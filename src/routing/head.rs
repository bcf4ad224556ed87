//! The classifier head: a linear layer over the sentence embedding and the
//! lexical tf-idf features side by side, one logit per class.
//!
//! The lexical part is sparse (a message touches a few hundred of its
//! buckets), so it is stored as (row, bucket, value) triplets and applied
//! with gathers and scatter-adds instead of a dense matmul.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Result, Tensor, Var};

use super::lexical::{LEXICAL_DIM, term_counts, tfidf};
use crate::model::{EMBEDDING_DIM, Embedding};

/// A batch of head inputs.
pub struct Features {
    /// `[rows, EMBEDDING_DIM]`
    dense: Tensor,
    /// Row of each non-zero lexical value.
    row_ids: Tensor,
    /// Bucket of each non-zero lexical value.
    buckets: Tensor,
    /// `[non-zeros, 1]`
    values: Tensor,
}

/// Turns texts and their embeddings into head inputs.
#[derive(Clone)]
pub struct Featurizer {
    idf: Vec<f32>,
}

impl Featurizer {
    pub fn new(idf: Vec<f32>) -> Self {
        Self { idf }
    }

    pub fn features(
        &self,
        counts: &[&HashMap<u32, f32>],
        embeddings: &[&Embedding],
    ) -> Result<Features> {
        let device = Device::Cpu;
        let dense: Vec<f32> = embeddings.iter().flat_map(|e| e.iter().copied()).collect();

        let (mut row_ids, mut buckets, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for (row, counts) in counts.iter().enumerate() {
            for (bucket, value) in tfidf(counts, &self.idf) {
                row_ids.push(row as u32);
                buckets.push(bucket);
                values.push(value);
            }
        }
        let nonzeros = values.len();

        Ok(Features {
            dense: Tensor::from_vec(dense, (counts.len(), EMBEDDING_DIM), &device)?,
            row_ids: Tensor::from_vec(row_ids, nonzeros, &device)?,
            buckets: Tensor::from_vec(buckets, nonzeros, &device)?,
            values: Tensor::from_vec(values, (nonzeros, 1), &device)?,
        })
    }

    pub fn texts(&self, texts: &[&str], embeddings: &[&Embedding]) -> Result<Features> {
        let counts: Vec<HashMap<u32, f32>> = texts.iter().map(|t| term_counts(t)).collect();
        let refs: Vec<&HashMap<u32, f32>> = counts.iter().collect();
        self.features(&refs, embeddings)
    }
}

/// The head's parameters as trainable variables, starting at zero (the
/// loss is convex, so the start does not matter and zero is reproducible).
pub struct HeadVars {
    pub dense: Var,
    pub lexical: Var,
    pub bias: Var,
}

impl HeadVars {
    pub fn zeros(classes: usize) -> Result<Self> {
        let device = Device::Cpu;
        Ok(Self {
            dense: Var::zeros((EMBEDDING_DIM, classes), DType::F32, &device)?,
            lexical: Var::zeros((LEXICAL_DIM, classes), DType::F32, &device)?,
            bias: Var::zeros(classes, DType::F32, &device)?,
        })
    }

    pub fn logits(&self, x: &Features) -> Result<Tensor> {
        logits(
            x,
            self.dense.as_tensor(),
            self.lexical.as_tensor(),
            self.bias.as_tensor(),
        )
    }

    /// Gradients of the loss for the weights, given `d loss / d logits`.
    pub fn gradients(&self, x: &Features, residual: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
        let dense = x.dense.t()?.matmul(residual)?;

        let spread = residual
            .index_select(&x.row_ids, 0)?
            .broadcast_mul(&x.values)?;
        let lexical = self
            .lexical
            .as_tensor()
            .zeros_like()?
            .index_add(&x.buckets, &spread, 0)?;

        let bias = residual.sum(0)?;
        Ok((dense, lexical, bias))
    }

    pub fn into_head(self, featurizer: Featurizer) -> Head {
        Head {
            dense: self.dense.as_tensor().detach(),
            lexical: self.lexical.as_tensor().detach(),
            bias: self.bias.as_tensor().detach(),
            featurizer,
        }
    }
}

pub struct Head {
    dense: Tensor,
    lexical: Tensor,
    bias: Tensor,
    featurizer: Featurizer,
}

impl Head {
    /// Raw logits per text, given each text's embedding.
    pub fn logits_rows(&self, texts: &[&str], embeddings: &[&Embedding]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let x = self.featurizer.texts(texts, embeddings)?;
        logits(&x, &self.dense, &self.lexical, &self.bias)?.to_vec2()
    }

    pub fn classes(&self) -> Result<usize> {
        self.bias.dim(0)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let idf = Tensor::new(self.featurizer.idf.as_slice(), &Device::Cpu)?;
        let tensors: HashMap<String, Tensor> = [
            ("dense".to_owned(), self.dense.clone()),
            ("lexical".to_owned(), self.lexical.clone()),
            ("bias".to_owned(), self.bias.clone()),
            ("idf".to_owned(), idf),
        ]
        .into();
        candle_core::safetensors::save(&tensors, path)
    }

    pub fn load(path: &Path) -> Result<Self> {
        let mut tensors = candle_core::safetensors::load(path, &Device::Cpu)?;
        let mut take = |name: &str| {
            tensors
                .remove(name)
                .ok_or_else(|| candle_core::Error::Msg(format!("router head lacks `{name}`")))
        };
        let dense = take("dense")?;
        let lexical = take("lexical")?;
        let bias = take("bias")?;
        let idf: Vec<f32> = take("idf")?.to_vec1()?;

        if dense.dim(0)? != EMBEDDING_DIM
            || lexical.dim(0)? != LEXICAL_DIM
            || idf.len() != LEXICAL_DIM
        {
            candle_core::bail!("router head was saved with other feature sizes");
        }
        Ok(Self {
            dense,
            lexical,
            bias,
            featurizer: Featurizer::new(idf),
        })
    }
}

fn logits(x: &Features, dense: &Tensor, lexical: &Tensor, bias: &Tensor) -> Result<Tensor> {
    let from_embedding = x.dense.matmul(dense)?;

    let gathered = lexical
        .index_select(&x.buckets, 0)?
        .broadcast_mul(&x.values)?;
    let from_words = from_embedding
        .zeros_like()?
        .index_add(&x.row_ids, &gathered, 0)?;

    (from_embedding + from_words)?.broadcast_add(bias)
}
