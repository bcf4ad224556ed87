//! How a conversation is named in logs.

use sha2::{Digest, Sha256};

/// A short, stable stand-in for a conversation id in logs: enough to
/// follow one conversation, useless for looking it up.
pub fn conversation_tag(conversation_id: &str) -> String {
    let digest = Sha256::digest(format!("careline-log:{conversation_id}").as_bytes());
    hex::encode(&digest[..6])
}
