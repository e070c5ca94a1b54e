//! Text a person wrote (a migration message) as SQL line comments that stay comments whatever
//! characters it holds.

/// `text` as `-- ` lines, one per line of it. Every character that some reader takes as the end
/// of a line (LF, CR, VT, FF, NEL, U+2028, U+2029) starts a new comment line, other control
/// characters become spaces, and `/*` and `*/` are split (`/ *`, `* /`) so no block comment can
/// open or close inside. Blank lines are kept as a bare `--`.
pub(crate) fn comment_lines(text: &str) -> String {
    let mut out = String::new();
    for line in text.split(is_line_break) {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
            .collect();
        let line = line.replace("/*", "/ *").replace("*/", "* /");
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str("--\n");
        } else {
            out.push_str("-- ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The header line that records what a migration was generated on top of: the version the
/// folder's newest migration had, `0` for base (the first migration; sqlx versions are
/// positive); `None` records nothing.
pub(crate) fn base_line(base: Option<i64>) -> String {
    match base {
        Some(0) => format!("{BASE_PREFIX}base\n"),
        Some(version) => format!("{BASE_PREFIX}{version}\n"),
        None => String::new(),
    }
}

/// How the base line starts; `autogen-migrate` reads it back (`MigrationFile::base`).
pub(crate) const BASE_PREFIX: &str = "-- generated on top of ";

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_starts_a_new_comment_line() {
        assert_eq!(
            comment_lines("add note\rDROP TABLE t;"),
            "-- add note\n-- DROP TABLE t;\n"
        );
        assert_eq!(comment_lines("a\r\nb"), "-- a\n--\n-- b\n");
        for brk in [
            '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}',
        ] {
            let text = comment_lines(&format!("x{brk}DROP TABLE t;"));
            for line in text.lines() {
                assert!(line.starts_with("--"), "{brk:?}: {text:?}");
            }
            // No character a SQL lexer reads as a line end is left inside a comment line.
            assert!(
                !text
                    .trim_end_matches('\n')
                    .contains(|c: char| c != '\n' && is_line_break(c)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn block_comment_markers_and_control_characters_are_defused() {
        assert_eq!(comment_lines("a */ b /* c"), "-- a * / b / * c\n");
        assert_eq!(comment_lines("a\u{0}b\u{1b}c"), "-- a b c\n");
        assert_eq!(comment_lines("add\tdue date"), "-- add\tdue date\n");
    }

    #[test]
    fn base_lines() {
        assert_eq!(base_line(None), "");
        assert_eq!(base_line(Some(0)), "-- generated on top of base\n");
        assert_eq!(
            base_line(Some(20240101000000)),
            "-- generated on top of 20240101000000\n"
        );
    }
}
