//! Recovery codes: ten one-time codes shown once at enrolment, for the
//! day the phone with the authenticator app is lost. Only their SHA-256
//! is stored; each works once.

use rand::RngExt;
use sha2::{Digest, Sha256};

pub const RECOVERY_CODES: usize = 10;

/// Lower-case letters and digits without look-alikes.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// `abcd-efgh-jkmn`: 12 characters, about 59 bits each.
pub fn generate_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: Vec<u8> = (0..12)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
                .collect();
            chars
                .chunks(4)
                .map(|chunk| std::str::from_utf8(chunk).expect("ASCII"))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The stored form of a code, however it was typed (case, dashes, spaces).
pub fn hash_code(code: &str) -> String {
    let folded: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(folded.as_bytes()))
}

/// A six-digit code is a TOTP code; anything else is tried as a
/// recovery code.
pub fn is_totp_code(code: &str) -> bool {
    let digits: Vec<char> = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == 6 && digits.iter().all(char::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_typed_loosely() {
        let codes = generate_codes();

        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 14);
        assert_ne!(codes[0], codes[1]);
        assert_eq!(
            hash_code(&codes[0]),
            hash_code(&codes[0].to_uppercase().replace('-', " "))
        );
        assert!(!is_totp_code(&codes[0]));
        assert!(is_totp_code("123 456"));
    }
}
