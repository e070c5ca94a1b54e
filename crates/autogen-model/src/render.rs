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
    out.push_str(&format!("{} | {}\n", d.line, shown(&chars).trim_end()));
    out.push_str(&format!(
        "{pad} | {}{}\n",
        " ".repeat(before),
        "^".repeat(marked)
    ));
    out
}
