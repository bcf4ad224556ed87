//! Limits on what a patient may send, shared by every entry point.

/// Longest message accepted, in characters. Portal messages are a few
/// sentences; anything far longer is pasted documents or abuse, and would
/// only be truncated by the encoder anyway.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error("the message is empty")]
    Empty,
    #[error("the message has {chars} characters; the limit is {MAX_MESSAGE_CHARS}")]
    TooLong { chars: usize },
    #[error("the message holds a control character")]
    ControlCharacter,
}

impl MessageError {
    /// Stable machine-readable code for error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_text",
            Self::TooLong { .. } => "text_too_long",
            Self::ControlCharacter => "invalid_text",
        }
    }
}

/// Checks a message before any work is spent on it.
pub fn check_message(text: &str) -> Result<(), MessageError> {
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(MessageError::Empty);
    }
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(MessageError::TooLong { chars });
    }
    // NUL cannot be stored in PostgreSQL text, and no keyboard types the
    // other C0 controls; tabs and line breaks are fine.
    if text
        .chars()
        .any(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(MessageError::ControlCharacter);
    }
    Ok(())
}

/// Characters that take no space on screen: a message of only these looks
/// empty to the patient who sent it.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_oversized_messages_are_refused() {
        assert_eq!(check_message("  \n"), Err(MessageError::Empty));
        assert_eq!(
            check_message("\u{200b}\u{200b} \u{feff}"),
            Err(MessageError::Empty)
        );
        assert_eq!(check_message("\u{200b}hi"), Ok(()));
        assert!(matches!(
            check_message(&"a".repeat(MAX_MESSAGE_CHARS + 1)),
            Err(MessageError::TooLong { .. })
        ));
        assert_eq!(check_message("refill please"), Ok(()));
        assert_eq!(
            check_message("refill\0please"),
            Err(MessageError::ControlCharacter)
        );
        assert_eq!(check_message("line one\r\n\tline two"), Ok(()));
    }
}
