//! Colour for the terminal: the summary's signs and hazards, and the `error:`, `warning:` and
//! `note:` prefixes. The text is painted with ANSI styles (`anstyle`) and written through
//! `anstream`, which removes them again where colour is off: `--color never`, `NO_COLOR`, or
//! output that is not a terminal under `--color auto` (the default). `--color always` keeps
//! them anywhere.

use anstyle::{AnsiColor, Style};

/// `--color`: set once, before anything is printed.
pub fn set_choice(choice: crate::cli::ColorChoice) {
    let choice = match choice {
        crate::cli::ColorChoice::Auto => anstream::ColorChoice::Auto,
        crate::cli::ColorChoice::Always => anstream::ColorChoice::Always,
        crate::cli::ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

fn fg(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into()))
}

fn styled(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// The style of a summary line, by its shape: `+` added, `-` dropped, `~` changed, `!` a
/// hazard (red when it loses data), `?` a rename hint.
fn summary_style(line: &str) -> Option<Style> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if indent == 0 {
        return None;
    }
    let style = match trimmed.chars().next()? {
        '+' => fg(AnsiColor::Green),
        '-' if trimmed.starts_with("- ") => fg(AnsiColor::Red),
        '~' => fg(AnsiColor::Yellow),
        '!' if trimmed.starts_with("! data loss") || trimmed.starts_with("! irreversible") => {
            fg(AnsiColor::Red).bold()
        }
        '!' => fg(AnsiColor::Yellow).bold(),
        '?' => fg(AnsiColor::Cyan),
        _ => return None,
    };
    Some(style)
}

/// A summary (`check`, `diff`, `-m`) with each change and hazard line painted.
pub fn summary(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match summary_style(body) {
            Some(style) => {
                out.push_str(&styled(style, body));
                out.push_str(end);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A message with its `error:`, `warning:` or `note:` prefix painted.
pub fn message(text: &str) -> String {
    for (prefix, style) in [
        ("error:", fg(AnsiColor::Red).bold()),
        ("warning:", fg(AnsiColor::Yellow).bold()),
        ("note:", fg(AnsiColor::Cyan).bold()),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return format!("{}{rest}", styled(style, prefix));
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::{message, summary};

    #[test]
    fn signs_and_hazards_are_painted_and_nothing_else_is_changed() {
        let text = "3 changes:\n  + create table t (a)\n      ! data loss (t.b): drops\n  ~ alter column t.a\n      ! locks table (t): SHARE\nNo changes\n";
        let painted = summary(text);
        assert!(
            painted.contains("\u{1b}[32m  + create table t (a)\u{1b}[0m\n"),
            "{painted:?}"
        );
        assert!(
            painted.contains("\u{1b}[1m\u{1b}[31m      ! data loss"),
            "{painted:?}"
        );
        assert!(
            painted.contains("\u{1b}[33m  ~ alter column"),
            "{painted:?}"
        );
        assert!(
            painted.starts_with("3 changes:\n"),
            "headings are left plain"
        );
        let stripped = anstream::adapter::strip_str(&painted).to_string();
        assert_eq!(stripped, text, "painting adds styles and nothing else");
        assert_eq!(
            anstream::adapter::strip_str(&message("error: boom")).to_string(),
            "error: boom"
        );
        assert_ne!(message("error: boom"), "error: boom");
    }
}
