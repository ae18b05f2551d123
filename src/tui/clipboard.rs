//! Copying to the clipboard of the member's own computer with OSC 52: the terminal emulator
//! (xterm, kitty, WezTerm, Windows Terminal, iTerm2…) takes the text from the escape sequence,
//! so it works over SSH with nothing installed on the server. Through tmux it needs
//! `set -g set-clipboard on` (docs/TUI.md).

/// The escape sequence that puts `text` on the system clipboard: `ESC ] 52 ; c ; BASE64 BEL`.
pub fn osc52(text: &str) -> String {
    format!("\u{1b}]52;c;{}\u{7}", base64(text.as_bytes()))
}

/// Standard base64 (RFC 4648, with padding). Twenty lines rather than a crate for one use.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        }
        // Vietnamese is UTF-8 bytes: "Đ" is C4 90.
        assert_eq!(base64("Đ".as_bytes()), "xJA=");
    }

    #[test]
    fn the_sequence_is_osc_52_to_the_clipboard() {
        assert_eq!(osc52("foo"), "\u{1b}]52;c;Zm9v\u{7}");
    }
}
