//! Secrets at rest (TOTP secrets) are sealed with AES-256-GCM under one
//! key file. The key is made on first start with mode 0600; losing it
//! means every staff member enrols their authenticator again.

use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngExt;

/// Marks the format, so a later one can be told apart.
const PREFIX: &str = "v1:";
const NONCE_BYTES: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    #[error("secret key file {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("secret key file {0} must hold 32 bytes, base64")]
    BadKey(std::path::PathBuf),
    #[error("a sealed value is damaged or was sealed with another key")]
    Unreadable,
}

#[derive(Clone)]
pub struct SealingKey {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey([secret])")
    }
}

impl SealingKey {
    /// Reads the key, or makes one when the file does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<Self, SealingError> {
        let io = |source| SealingError::Io {
            path: path.to_owned(),
            source,
        };

        if !path.exists() {
            let key: [u8; 32] = rand::rng().random();
            write_private(path, STANDARD.encode(key).as_bytes()).map_err(io)?;
            tracing::info!(path = %path.display(), "created a new secret key");
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let key = STANDARD
            .decode(text.trim())
            .ok()
            .filter(|key| key.len() == 32)
            .ok_or_else(|| SealingError::BadKey(path.to_owned()))?;
        Self::from_bytes(&key).ok_or_else(|| SealingError::BadKey(path.to_owned()))
    }

    pub fn from_bytes(key: &[u8]) -> Option<Self> {
        Aes256Gcm::new_from_slice(key)
            .ok()
            .map(|cipher| Self { cipher })
    }

    /// Seals `plain`, bound to `context` (say, the account it belongs to),
    /// so a sealed value copied to another row does not open there.
    pub fn seal(&self, plain: &[u8], context: &str) -> String {
        let nonce_bytes: [u8; NONCE_BYTES] = rand::rng().random();
        let nonce = Nonce::from(nonce_bytes);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM seals any value under 64 GiB");

        let mut bytes = nonce_bytes.to_vec();
        bytes.extend(sealed);
        format!("{PREFIX}{}", STANDARD.encode(bytes))
    }

    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, SealingError> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|body| STANDARD.decode(body).ok())
            .filter(|bytes| bytes.len() > NONCE_BYTES)
            .ok_or(SealingError::Unreadable)?;
        let (nonce, body) = bytes.split_at(NONCE_BYTES);
        let nonce = Nonce::try_from(nonce).map_err(|_| SealingError::Unreadable)?;

        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealingError::Unreadable)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context_only() {
        let dir = tempfile::tempdir().unwrap();
        let key = SealingKey::load_or_create(&dir.path().join("k")).unwrap();
        let again = SealingKey::load_or_create(&dir.path().join("k")).unwrap();
        let other = SealingKey::load_or_create(&dir.path().join("other")).unwrap();

        let sealed = key.seal(b"totp secret", "account-1");

        assert!(!sealed.contains("totp"));
        assert_eq!(again.open(&sealed, "account-1").unwrap(), b"totp secret");
        assert!(key.open(&sealed, "account-2").is_err());
        assert!(other.open(&sealed, "account-1").is_err());
        assert!(key.open("v1:garbage", "account-1").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");

        SealingKey::load_or_create(&path).unwrap();

        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
