//! The classifier head over sentence embeddings: one hidden ReLU layer, then
//! one logit per class. Small enough to train in seconds on two cores.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Result, Tensor, Var};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::EMBEDDING_DIM;

pub struct Head {
    w1: Tensor,
    b1: Tensor,
    w2: Tensor,
    b2: Tensor,
}

/// The head's parameters as trainable variables.
pub struct HeadVars {
    pub w1: Var,
    pub b1: Var,
    pub w2: Var,
    pub b2: Var,
}

impl HeadVars {
    /// Deterministic initialisation: the same seed gives the same head.
    pub fn init(hidden: usize, classes: usize, rng: &mut ChaCha8Rng) -> Result<Self> {
        let device = Device::Cpu;
        let w1 = uniform(rng, (hidden, EMBEDDING_DIM), EMBEDDING_DIM, &device)?;
        let w2 = uniform(rng, (classes, hidden), hidden, &device)?;

        Ok(Self {
            w1: Var::from_tensor(&w1)?,
            b1: Var::zeros(hidden, DType::F32, &device)?,
            w2: Var::from_tensor(&w2)?,
            b2: Var::zeros(classes, DType::F32, &device)?,
        })
    }

    pub fn all(&self) -> Vec<Var> {
        vec![
            self.w1.clone(),
            self.b1.clone(),
            self.w2.clone(),
            self.b2.clone(),
        ]
    }

    pub fn head(&self) -> Head {
        Head {
            w1: self.w1.as_tensor().detach(),
            b1: self.b1.as_tensor().detach(),
            w2: self.w2.as_tensor().detach(),
            b2: self.b2.as_tensor().detach(),
        }
    }

    pub fn logits(&self, x: &Tensor) -> Result<Tensor> {
        logits(
            x,
            self.w1.as_tensor(),
            self.b1.as_tensor(),
            self.w2.as_tensor(),
            self.b2.as_tensor(),
        )
    }
}

impl Head {
    /// Raw logits, `[rows, classes]`, for `[rows, EMBEDDING_DIM]` input.
    pub fn logits(&self, x: &Tensor) -> Result<Tensor> {
        logits(x, &self.w1, &self.b1, &self.w2, &self.b2)
    }

    pub fn logits_rows(&self, embeddings: &[Vec<f32>]) -> Result<Vec<Vec<f32>>> {
        if embeddings.is_empty() {
            return Ok(Vec::new());
        }
        let flat: Vec<f32> = embeddings.iter().flatten().copied().collect();
        let x = Tensor::from_vec(flat, (embeddings.len(), EMBEDDING_DIM), &Device::Cpu)?;
        self.logits(&x)?.to_vec2()
    }

    pub fn classes(&self) -> Result<usize> {
        self.b2.dim(0)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let tensors: HashMap<String, Tensor> = [
            ("w1", &self.w1),
            ("b1", &self.b1),
            ("w2", &self.w2),
            ("b2", &self.b2),
        ]
        .into_iter()
        .map(|(name, t)| (name.to_owned(), t.clone()))
        .collect();
        candle_core::safetensors::save(&tensors, path)
    }

    pub fn load(path: &Path) -> Result<Self> {
        let mut tensors = candle_core::safetensors::load(path, &Device::Cpu)?;
        let mut take = |name: &str| {
            tensors
                .remove(name)
                .ok_or_else(|| candle_core::Error::Msg(format!("router head lacks `{name}`")))
        };
        Ok(Self {
            w1: take("w1")?,
            b1: take("b1")?,
            w2: take("w2")?,
            b2: take("b2")?,
        })
    }
}

fn logits(x: &Tensor, w1: &Tensor, b1: &Tensor, w2: &Tensor, b2: &Tensor) -> Result<Tensor> {
    let hidden = x.matmul(&w1.t()?)?.broadcast_add(b1)?.relu()?;
    hidden.matmul(&w2.t()?)?.broadcast_add(b2)
}

/// Kaiming-uniform weights from a seeded generator.
fn uniform(
    rng: &mut ChaCha8Rng,
    shape: (usize, usize),
    fan_in: usize,
    device: &Device,
) -> Result<Tensor> {
    let bound = (6.0 / fan_in as f32).sqrt();
    let values: Vec<f32> = (0..shape.0 * shape.1)
        .map(|_| rng.random_range(-bound..bound))
        .collect();
    Tensor::from_vec(values, shape, device)
}
