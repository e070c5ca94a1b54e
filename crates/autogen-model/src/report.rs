//! A diagnostic as rustc prints one, laid out by `annotate-snippets` (rustc's own layout).

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

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
impl Diagnostic {
    /// The diagnostic with its source line and a caret under its span, as rustc prints one.
    pub fn report(&self, source_text: &str) -> String {
        report(self, source_text)
    }
}

fn report(d: &Diagnostic, source_text: &str) -> String {
    let title = Level::ERROR.primary_title(d.message.as_str());
    let report = match source_text.lines().nth(d.line.saturating_sub(1)) {
        Some(line) => {
            // Columns are 1-based characters; the span is a byte range of the line.
            let byte = |column: usize| {
                line.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(line.len(), |(i, _)| i)
            };
            let start = byte(d.column);
            let end = if d.end_line == d.line {
                byte(d.end_column).max(start)
            } else {
                line.len()
            };
            title.element(
                Snippet::source(line)
                    .line_start(d.line)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        }
        None => title.element(
            Origin::path(d.file.as_str())
                .line(d.line)
                .char_column(d.column),
        ),
    };
    // A model line is shown whole, however long: no terminal to fit.
    let mut out = Renderer::plain().term_width(1 << 20).render(&[report]);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
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
        assert_eq!(d.report("one line"), "error: bad\n--> m.rs:12:3\n");
        assert_eq!(d.to_string(), "m.rs:12:3: bad");
    }

    #[test]
    fn a_span_over_lines_is_underlined_to_the_end_of_its_first() {
        let d = diagnostic(1, 3, 2, 2);
        assert_eq!(
            d.report("ab(cd\nef)"),
            "error: bad\n --> m.rs:1:3\n  |\n1 | ab(cd\n  |   ^^^\n"
        );
    }

    #[test]
    fn an_empty_span_still_gets_a_caret() {
        let d = diagnostic(1, 6, 1, 6);
        assert_eq!(
            d.report("ab(cd"),
            "error: bad\n --> m.rs:1:6\n  |\n1 | ab(cd\n  |      ^\n"
        );
    }
}
