//! Passwords: Argon2id hashes (the crate's defaults, OWASP's minimum
//! cost), a policy for new ones, and generated temporary ones.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::RngExt;

/// Shortest password a person may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longer input is refused before hashing: Argon2 over megabytes of
/// "password" is a cheap way to burn our CPU.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Letters and digits no one misreads (no 0/O, 1/l/I).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password may be at most {MAX_PASSWORD_BYTES} bytes")]
    TooLong,
    #[error("a password must not be the account's email")]
    SameAsEmail,
    #[error("the new password must differ from the current one")]
    Unchanged,
}

/// The PHC string (`$argon2id$v=19$…`) stored for `password`.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .expect("Argon2id with default parameters hashes any password under the length limit")
}

/// True when `password` is the one `stored` was made from. A malformed
/// stored hash matches nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash no password is known for. Checked against when an email has no
/// account, so that an unknown email takes as long to refuse as a known
/// one with a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&temporary_password()))
}

/// Checks a password someone chose for themselves.
pub fn check_new_password(
    new: &str,
    email: &str,
    current: Option<&str>,
) -> Result<(), PasswordProblem> {
    if new.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordProblem::TooLong);
    }
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if new.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(PasswordProblem::SameAsEmail);
    }
    if current == Some(new) {
        return Err(PasswordProblem::Unchanged);
    }
    Ok(())
}

/// A password an admin hands over once: 20 characters, about 115 bits.
pub fn temporary_password() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..20)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    // Groups of five are easier to read out and type.
    chars
        .as_bytes()
        .chunks(5)
        .map(|chunk| std::str::from_utf8(chunk).expect("ASCII"))
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let stored = hash_password("correct horse battery");

        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify_password("correct horse battery", &stored));
        assert!(!verify_password("correct horse battery!", &stored));
        assert!(!verify_password("correct horse battery", "not a hash"));
    }

    #[test]
    fn the_policy_names_what_is_wrong() {
        let email = "dana@example.org";

        assert_eq!(
            check_new_password("short", email, None),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password("DANA@example.org", email, None),
            Err(PasswordProblem::SameAsEmail)
        );
        assert_eq!(
            check_new_password("a long passphrase", email, Some("a long passphrase")),
            Err(PasswordProblem::Unchanged)
        );
        assert_eq!(check_new_password("a long passphrase", email, None), Ok(()));
    }

    #[test]
    fn temporary_passwords_are_long_and_distinct() {
        let (a, b) = (temporary_password(), temporary_password());

        assert_eq!(a.len(), 23);
        assert_ne!(a, b);
        assert!(check_new_password(&a, "x@example.org", None).is_ok());
    }
}
