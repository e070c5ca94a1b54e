//! A diagnostic as rustc prints one, written by hand so the crate stays small and pure.

use crate::Diagnostic;

/// ```text
/// error: unknown key `tabel` in #[autogen(..)] on a struct; expected one of: table, ...
///  --> src/models.rs:3:11
///   |
/// 3 | #[autogen(tabel = "tasks")]
///   |           ^^^^^
/// ```
///
/// `source_text` is the text of `d.file`; when the position is not in it, the snippet is left out.
/// A span over several lines is underlined to the end of its first line. Tabs print as four spaces.
pub fn render_diagnostic(d: &Diagnostic, source_text: &str) -> String {
    let width = d.line.to_string().len();
    let pad = " ".repeat(width);
    let mut out = format!(
        "error: {}\n{pad}--> {}:{}:{}\n",
        d.message, d.file, d.line, d.column
    );
    let Some(line) = source_text.lines().nth(d.line.saturating_sub(1)) else {
        return out;
    };
    let chars: Vec<char> = line.chars().collect();
    let start = d.column.saturating_sub(1).min(chars.len());
    let end = if d.end_line == d.line {
        d.end_column.saturating_sub(1).clamp(start, chars.len())
    } else {
        chars.len()
    };
    let shown = |cs: &[char]| -> String { cs.iter().collect::<String>().replace('\t', "    ") };
    let before = shown(&chars[..start]).chars().count();
    let marked = shown(&chars[start..end]).chars().count().max(1);
    out.push_str(&format!("{pad} |\n"));
    // An empty source line prints as `N |`, without a trailing space.
    out.push_str(format!("{} | {}", d.line, shown(&chars)).trim_end());
    out.push('\n');
    out.push_str(&format!(
        "{pad} | {}{}\n",
        " ".repeat(before),
        "^".repeat(marked)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::render_diagnostic;
    use crate::{Diagnostic, DiagnosticKind};

    fn diagnostic(line: usize, column: usize, end_line: usize, end_column: usize) -> Diagnostic {
        Diagnostic {
            file: "m.rs".to_owned(),
            line,
            column,
            end_line,
            end_column,
            message: "bad".to_owned(),
            kind: DiagnosticKind::WrongValue,
        }
    }

    #[test]
    fn a_position_outside_the_text_prints_the_header_only() {
        let d = diagnostic(12, 3, 12, 5);
        assert_eq!(
            render_diagnostic(&d, "one line"),
            "error: bad\n  --> m.rs:12:3\n"
        );
        assert_eq!(d.to_string(), "m.rs:12:3: bad");
    }

    #[test]
    fn a_span_over_lines_is_underlined_to_the_end_of_its_first() {
        let d = diagnostic(1, 3, 2, 2);
        assert_eq!(
            render_diagnostic(&d, "ab(cd\nef)"),
            "error: bad\n --> m.rs:1:3\n  |\n1 | ab(cd\n  |   ^^^\n"
        );
    }

    #[test]
    fn an_empty_span_still_gets_a_caret() {
        let d = diagnostic(1, 6, 1, 6);
        assert_eq!(
            render_diagnostic(&d, "ab(cd"),
            "error: bad\n --> m.rs:1:6\n  |\n1 | ab(cd\n  |      ^\n"
        );
    }
}
