//! Expressions the server prints in a form that does not print back the same. A check
//! `c IN ('a', 'b')` on a `varchar` column prints as
//! `((c)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`; created
//! from that text, it prints as `((c)::text = ANY (ARRAY[('a'::character varying)::text,
//! ('b'::character varying)::text]))`, which then prints back unchanged. Two databases holding the
//! same check would differ by how it came to be, and every plan would drop and add it again.
//! The introspector reads such text in its second form, the fixed point: what a migration
//! writes is what the server gives back.

/// `text` with every `(ARRAY[e1, e2, ..])::type[]` written `ARRAY[(e1)::type, (e2)::type, ..]`.
pub fn array_casts_distributed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_outside_quotes(rest, "(ARRAY[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "(ARRAY[".len()..];
        match rewrite_one(after) {
            Some((rewritten, used)) => {
                out.push_str(&rewritten);
                rest = &after[used..];
            }
            None => {
                out.push_str("(ARRAY[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `after` starts right after `(ARRAY[`: if it is `e1, e2, ..])::type[]`, the distributed form
/// and how many bytes of `after` it replaces.
fn rewrite_one(after: &str) -> Option<(String, usize)> {
    let close = matching_close(after)?;
    let elements = split_top_level(&after[..close]);
    let tail = after[close..].strip_prefix("])::")?;
    let type_end = tail.find("[]")?;
    let ty = &tail[..type_end];
    if ty.is_empty() || ty.contains('\'') {
        return None;
    }
    let distributed: Vec<String> = elements
        .iter()
        .map(|e| format!("({})::{ty}", array_casts_distributed(e.trim())))
        .collect();
    // The `)` after `[]` closes what held the array (`ANY (`), not the cast.
    let used = close + "])::".len() + type_end + "[]".len();
    Some((format!("ARRAY[{}]", distributed.join(", ")), used))
}

/// The byte index of the `]` that closes the array whose contents start `text`.
fn matching_close(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.checked_sub(1)?,
            ']' if !quoted => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// `text` split at the commas outside quotes, parentheses and brackets.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, c) in text.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The first `needle` in `text` outside single-quoted literals.
fn find_outside_quotes(text: &str, needle: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && text[i..].starts_with(needle) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::array_casts_distributed;

    fn check(input: &str, expect: &str) {
        assert_eq!(array_casts_distributed(input), expect, "{input}");
        // The fixed point: its own form is unchanged.
        assert_eq!(array_casts_distributed(expect), expect, "{expect}");
    }

    #[test]
    fn array_casts_move_onto_the_elements() {
        check(
            "((c)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "((c)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))",
        );
        check(
            "((c)::text <> ALL ((ARRAY['x, y'::character varying, 'it''s'::character varying])::text[]))",
            "((c)::text <> ALL (ARRAY[('x, y'::character varying)::text, ('it''s'::character varying)::text]))",
        );
        // Already distributed, or no cast around the array: unchanged.
        check("(qty = ANY (ARRAY[1, 2]))", "(qty = ANY (ARRAY[1, 2]))");
        check("(name = 'ARRAY[')", "(name = 'ARRAY[')");
        check(
            "((a)::text = ANY ((ARRAY['p'::character varying])::text[])) AND ((b)::text = ANY ((ARRAY['q'::character varying])::text[]))",
            "((a)::text = ANY (ARRAY[('p'::character varying)::text])) AND ((b)::text = ANY (ARRAY[('q'::character varying)::text]))",
        );
    }
}
