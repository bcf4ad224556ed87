//! The trained urgency model kept on disk beside the router head, keyed by
//! everything it is trained from, so a start with unchanged data skips the
//! embedding and the fit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use sha2::{Digest, Sha256};

use crate::model::{EMBEDDING_DIM, Embedding, ModelFiles};
use crate::routing::{Head, RoutingError};

/// Bump when training changes in a way the inputs do not show.
const FORMAT: &str = "careline-urgency-v1";

pub struct UrgencyFiles {
    head: PathBuf,
    exemplars: PathBuf,
    key: PathBuf,
}

impl UrgencyFiles {
    pub fn in_dir(models_dir: &Path) -> Self {
        Self {
            head: models_dir.join("urgency.safetensors"),
            exemplars: models_dir.join("urgency.exemplars.safetensors"),
            key: models_dir.join("urgency.key"),
        }
    }

    /// The training key: the red-flag file, the routing examples' hash and
    /// the encoder.
    pub fn key(red_flags: &[u8], intents_hash: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(FORMAT.as_bytes());
        hasher.update(red_flags);
        hasher.update(intents_hash.as_bytes());
        hasher.update(ModelFiles::fingerprint().as_bytes());
        hex::encode(hasher.finalize())
    }

    /// The stored model when it was trained from exactly this key.
    pub fn load(&self, key: &str) -> Option<(Head, Vec<(usize, Embedding)>)> {
        let stored = std::fs::read_to_string(&self.key).ok()?;
        if stored.trim() != key {
            return None;
        }
        let head = Head::load(&self.head).ok()?;

        let tensors = candle_core::safetensors::load(&self.exemplars, &Device::Cpu).ok()?;
        let vectors: Vec<Vec<f32>> = tensors.get("vectors")?.to_vec2().ok()?;
        let owners: Vec<u32> = tensors.get("owners")?.to_vec1().ok()?;
        if vectors.len() != owners.len() || vectors.iter().any(|v| v.len() != EMBEDDING_DIM) {
            return None;
        }
        let exemplars = owners
            .into_iter()
            .map(|owner| owner as usize)
            .zip(vectors)
            .collect();
        Some((head, exemplars))
    }

    /// Writes the model, each file renamed into place and the key last: a
    /// crash or a concurrent reader sees the old model, none, or the new
    /// one, and at worst trains again.
    pub fn save(
        &self,
        key: &str,
        head: &Head,
        exemplars: &[(usize, Embedding)],
    ) -> Result<(), RoutingError> {
        let _ = std::fs::remove_file(&self.key);
        let partial = |path: &Path| {
            let mut name = path.as_os_str().to_owned();
            name.push(".partial");
            PathBuf::from(name)
        };
        head.save(&partial(&self.head))?;
        std::fs::rename(partial(&self.head), &self.head)?;

        let flat: Vec<f32> = exemplars
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        let owners: Vec<u32> = exemplars.iter().map(|(owner, _)| *owner as u32).collect();
        let tensors: HashMap<String, Tensor> = [
            (
                "vectors".to_owned(),
                Tensor::from_vec(flat, (exemplars.len(), EMBEDDING_DIM), &Device::Cpu)?,
            ),
            (
                "owners".to_owned(),
                Tensor::from_vec(owners, exemplars.len(), &Device::Cpu)?.to_dtype(DType::U32)?,
            ),
        ]
        .into();
        candle_core::safetensors::save(&tensors, partial(&self.exemplars))?;
        std::fs::rename(partial(&self.exemplars), &self.exemplars)?;

        std::fs::write(partial(&self.key), key)?;
        std::fs::rename(partial(&self.key), &self.key)?;
        Ok(())
    }
}
