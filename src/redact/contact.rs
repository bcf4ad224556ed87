//! Email addresses, web addresses and IP addresses: found in the raw text,
//! before tokens, because they cut across words and digits.

use std::ops::Range;

use super::found::Finder;
use super::kind::PhiKind;

/// Endings that make `word.word` a web address without `http` or `www`.
const TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "us", "uk", "ca", "au", "de",
    "fr", "in", "info", "biz", "me", "app", "health", "care", "clinic", "hospital", "example",
    "ly", "site", "online", "dev", "ai", "tv", "ie", "nz", "mx", "br", "es", "it", "nl", "eu",
    "ch",
];

/// Words before four dotted numbers that make them a version, not an IP.
const VERSION_WORDS: &[&str] = &["version", "ver", "v", "build", "ios", "android", "release"];

pub fn find(finder: &mut Finder) {
    let text = finder.text();
    if !text.contains(['@', '.', ':']) {
        return;
    }

    for (range, kind, confidence) in chunks(text).flat_map(|chunk| in_chunk(text, chunk)) {
        finder.add_bytes(range, kind, confidence);
    }
}

/// Whitespace-separated pieces of the text, as byte ranges.
fn chunks(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (c.is_whitespace(), start) {
            (false, None) => {
                start = Some(i);
                None
            }
            (true, Some(s)) => {
                start = None;
                Some(s..i)
            }
            _ => None,
        })
}

fn in_chunk(text: &str, chunk: Range<usize>) -> Vec<(Range<usize>, PhiKind, f32)> {
    let piece = &text[chunk.clone()];
    let mut found = Vec::new();
    if !piece.contains(['@', '.', ':']) {
        return found;
    }

    if let Some(url) = url(piece) {
        found.push((shift(url, chunk.start), PhiKind::Url, 0.95));
        return found;
    }
    let mut from = 0;
    while let Some(at) = piece[from..].find('@').map(|i| i + from) {
        if let Some(email) = email(piece, at) {
            from = email.end;
            found.push((shift(email, chunk.start), PhiKind::Email, 0.99));
        } else {
            from = at + 1;
        }
    }
    if !found.is_empty() {
        return found;
    }
    if let Some(ip) = ipv6(piece) {
        found.push((shift(ip, chunk.start), PhiKind::Ip, 0.9));
        return found;
    }
    found.extend(ipv4_all(piece).map(|ip| (shift(ip, chunk.start), PhiKind::Ip, 0.9)));
    if !found.is_empty() && VERSION_WORDS.contains(&previous_word(text, chunk.start).as_str()) {
        found.clear();
    }
    found
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

/// The lower-case word just before byte `at`, skipping spaces and a colon.
fn previous_word(text: &str, at: usize) -> String {
    let head = text[..at].trim_end_matches(|c: char| c.is_whitespace() || c == ':');
    let start = head.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    head[start..].to_lowercase()
}

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')
}

fn is_host_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// The email around the `@` at byte `at` of `piece`.
fn email(piece: &str, at: usize) -> Option<Range<usize>> {
    let bytes = piece.as_bytes();
    let mut start = at;
    while start > 0 && is_local_char(bytes[start - 1]) {
        start -= 1;
    }
    while start < at && matches!(bytes[start], b'.' | b'\'' | b'-') {
        start += 1;
    }
    let mut end = at + 1;
    while end < bytes.len() && is_host_char(bytes[end]) {
        end += 1;
    }
    while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
        end -= 1;
    }

    let host = &piece[at + 1..end];
    let tld = host.rsplit('.').next()?;
    let valid = start < at
        && host.contains('.')
        && !host.starts_with('.')
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic());
    valid.then_some(start..end)
}

/// `scheme://...` (`http`, `https`, `ftp`, `sftp`, ...), `www....`, or
/// `host.tld/...` filling the chunk.
fn url(piece: &str) -> Option<Range<usize>> {
    let start = scheme_start(piece)
        .into_iter()
        .chain(find_ignoring_case(piece, "www."))
        .min();

    let (start, bare) = match start {
        Some(start) => (start, false),
        None => (
            piece
                .find(|c: char| c.is_ascii_alphanumeric())
                .unwrap_or(piece.len()),
            true,
        ),
    };
    let body = piece[start..].trim_end_matches(|c: char| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '>' | '"' | '\''
        )
    });
    let end = start + body.len();
    if body.is_empty() || (bare && !bare_domain(body)) || (!bare && body.len() < 8) {
        return None;
    }
    Some(start..end)
}

/// Where a `scheme://` starts: letters (then letters, digits, `+`, `-` or
/// `.`) right before `://`.
fn scheme_start(piece: &str) -> Option<usize> {
    let colon = piece.find("://")?;
    let bytes = piece.as_bytes();
    let mut start = colon;
    while start > 0
        && (bytes[start - 1].is_ascii_alphanumeric() || matches!(bytes[start - 1], b'+' | b'-'))
    {
        start -= 1;
    }
    while start < colon && !bytes[start].is_ascii_alphabetic() {
        start += 1;
    }
    (colon - start >= 2 && piece.len() > colon + 3).then_some(start)
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `portal.example.org` or `carelineclinic.example/r/5f2e9a`.
fn bare_domain(body: &str) -> bool {
    if body.contains('@') {
        return false;
    }
    let host = body.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels[..labels.len() - 1]
            .iter()
            .any(|label| label.bytes().any(|b| b.is_ascii_alphabetic()) && label.len() > 1)
        && TLDS.contains(&tld.to_ascii_lowercase().as_str())
}

/// Every dotted-quad address in the piece, with an optional port.
fn ipv4_all(piece: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = piece.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            let boundary = start == 0
                || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'.');
            if boundary
                && bytes[start].is_ascii_digit()
                && let Some(end) = ipv4_at(bytes, start)
            {
                at = end;
                return Some(start..end);
            }
            at += 1;
        }
        None
    })
}

fn ipv4_at(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    for part in 0..4 {
        let digits_start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() && at - digits_start < 4 {
            at += 1;
        }
        let digits = &bytes[digits_start..at];
        let value: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        if digits.is_empty() || digits.len() > 3 || value > 255 {
            return None;
        }
        if part < 3 {
            if bytes.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
    }
    // "1.2.3.4.5" or "10.0.0.12a" is something else.
    if bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric())
        || (bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit))
    {
        return None;
    }
    if bytes.get(at) == Some(&b':') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
    }
    Some(at)
}

/// An IPv6 address filling the piece (brackets and trailing punctuation
/// aside): hex groups, at most one `::`.
fn ipv6(piece: &str) -> Option<Range<usize>> {
    let start = piece.find(|c: char| c.is_ascii_hexdigit() || c == ':')?;
    let body = piece[start..].trim_end_matches(|c: char| {
        matches!(c, '.' | ',' | ';' | '!' | '?' | ')' | ']' | '>' | '"')
    });
    let body = body.split('%').next().unwrap_or(body);
    let body = body.strip_suffix(']').unwrap_or(body);
    // "::ffff:192.0.2.128": an IPv4 address as the last two groups.
    let (head, v4_tail) = match body.rfind(':') {
        Some(colon) if body[colon + 1..].contains('.') => {
            let tail = &body.as_bytes()[colon + 1..];
            if ipv4_at(tail, 0) != Some(tail.len()) {
                return None;
            }
            (&body[..=colon], true)
        }
        _ => (body, false),
    };
    let body_len = body.len();
    let stand_in;
    let body = if v4_tail {
        // Stand for the two groups the IPv4 address fills.
        stand_in = format!("{head}0:0");
        stand_in.as_str()
    } else {
        head
    };
    if body.matches(':').count() < 2 || body.matches("::").count() > 1 || body.contains(":::") {
        return None;
    }

    let compressed = body.contains("::");
    let groups: Vec<&str> = body.split(':').collect();
    let filled = groups.iter().filter(|g| !g.is_empty()).count();
    let hex_ok = groups
        .iter()
        .all(|g| g.len() <= 4 && g.bytes().all(|b| b.is_ascii_hexdigit()));
    let has_letter = body.bytes().any(|b| b.is_ascii_alphabetic());
    let shaped = if compressed {
        filled <= 7 && (filled >= 2 || has_letter)
    } else {
        groups.len() == 8
    };
    // "10:45:30" is a time: an address has `::`, letters, or eight groups.
    (hex_ok && shaped && (compressed || has_letter || groups.len() == 8 || v4_tail))
        .then_some(start..start + body_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::found::Finder;

    fn found(text: &str) -> Vec<(String, PhiKind)> {
        let mut finder = Finder::new(text);
        find(&mut finder);
        finder
            .finish()
            .into_iter()
            .map(|s| (text[s.start..s.end].to_owned(), s.kind))
            .collect()
    }

    #[test]
    fn emails_urls_and_addresses_are_found_whole() {
        assert_eq!(
            found("thanks!! Carmen (carmen.delgado_rn@hotmail.com)"),
            [("carmen.delgado_rn@hotmail.com".into(), PhiKind::Email)]
        );
        assert_eq!(
            found("email:LISA.MARIE@YAHOO.COM."),
            [("LISA.MARIE@YAHOO.COM".into(), PhiKind::Email)]
        );
        assert_eq!(
            found("see https://portal.example.org/x?id=4, then"),
            [("https://portal.example.org/x?id=4".into(), PhiKind::Url)]
        );
        assert_eq!(
            found("go to mychart.example.org/login."),
            [("mychart.example.org/login".into(), PhiKind::Url)]
        );
        assert_eq!(
            found("blocked ip 66.249.73.135:8080."),
            [("66.249.73.135:8080".into(), PhiKind::Ip)]
        );
        assert_eq!(
            found("from fe80::1ff:fe23:4567:890a today"),
            [("fe80::1ff:fe23:4567:890a".into(), PhiKind::Ip)]
        );
    }

    #[test]
    fn other_schemes_and_mapped_addresses_are_found_whole() {
        assert_eq!(
            found("download ftp://files.example.org/scan-marisol.pdf now"),
            [(
                "ftp://files.example.org/scan-marisol.pdf".into(),
                PhiKind::Url
            )]
        );
        assert_eq!(
            found("sftp://10.0.0.5/home/x"),
            [("sftp://10.0.0.5/home/x".into(), PhiKind::Url)]
        );
        assert_eq!(
            found("my ip is ::ffff:192.0.2.128."),
            [("::ffff:192.0.2.128".into(), PhiKind::Ip)]
        );
        assert_eq!(
            found("64:ff9b::198.51.100.7"),
            [("64:ff9b::198.51.100.7".into(), PhiKind::Ip)]
        );
    }

    #[test]
    fn versions_times_and_prose_are_left_alone() {
        for text in [
            "version 10.0.19.4 of the app",
            "at 10:45:30 it crashed",
            "e.g. the A1c is 7.2. i.e. fine",
            "Node.js and 3.6.0.9290",
            "ratio 1:2:3",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
