//! File names: the slug of a message and the timestamp version, `<YYYYMMDDHHMMSS>_<slug>`.

/// Longest slug, in bytes: file names stay readable in a listing and far below any file
/// system's limit.
pub const MAX_SLUG_LEN: usize = 60;

/// The slug of a migration message: lowercase ASCII letters and digits, words joined by `_`,
/// at most [`MAX_SLUG_LEN`] bytes, cut at a word boundary where one is near. Common accented
/// Latin letters lose their accent (`é` -> `e`); other characters separate words. A message
/// with nothing usable gives `migration`.
///
/// sqlx reads `_` in a file name back as a space, so the description it stores in
/// `_sqlx_migrations` is the message in plain words.
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    let mut separator = false;
    for c in message.chars().flat_map(char::to_lowercase) {
        let ascii = fold(c);
        if ascii.is_empty() {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('_');
        }
        separator = false;
        out.push_str(ascii);
    }
    let out = truncate(out);
    if out.is_empty() {
        "migration".to_owned()
    } else {
        out
    }
}

/// An ASCII spelling of a lowercase character, or "" for a word separator.
fn fold(c: char) -> &'static str {
    const DIGITS_AND_LETTERS: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
    if c.is_ascii_alphanumeric() {
        let at = DIGITS_AND_LETTERS
            .find(c)
            .expect("a lowercase ASCII letter or digit");
        return &DIGITS_AND_LETTERS[at..at + 1];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => "",
    }
}

/// Cuts to [`MAX_SLUG_LEN`], at the last `_` when that keeps at least half of it.
fn truncate(mut slug: String) -> String {
    if slug.len() <= MAX_SLUG_LEN {
        return slug;
    }
    // Only ASCII was pushed, so every byte index is a character boundary.
    slug.truncate(MAX_SLUG_LEN);
    if let Some(at) = slug.rfind('_').filter(|at| *at >= MAX_SLUG_LEN / 2) {
        slug.truncate(at);
    }
    slug.trim_end_matches('_').to_owned()
}

/// The version sqlx-cli and autogen give a migration made at `unix_seconds`: the UTC time as
/// the number `YYYYMMDDHHMMSS`.
pub fn timestamp_version(unix_seconds: u64) -> i64 {
    let days = unix_seconds / 86_400;
    let seconds = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let text = format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}");
    text.parse()
        .expect("fourteen digits fit in an i64 until the year 9999")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for (message, expected) in [
            ("add due_date", "add_due_date"),
            ("Add Due Date!", "add_due_date"),
            ("  create   users & posts  ", "create_users_posts"),
            ("Añadir fecha límite", "anadir_fecha_limite"),
            ("Straße ÆØ", "strasse_aeo"),
            ("日本語", "migration"),
            ("日本語 table", "table"),
            ("", "migration"),
            ("__--__", "migration"),
            ("v2 -> v3", "v2_v3"),
        ] {
            assert_eq!(slug(message), expected, "slug of {message:?}");
        }
    }

    #[test]
    fn long_messages_are_cut_at_a_word() {
        let message = "add the due date column to every task table and backfill it from the created at column";
        let s = slug(message);
        assert!(s.len() <= MAX_SLUG_LEN, "{s}");
        assert_eq!(
            s,
            "add_the_due_date_column_to_every_task_table_and_backfill_it"
        );
        let one_word = "x".repeat(200);
        assert_eq!(slug(&one_word).len(), MAX_SLUG_LEN);
        // A cut that would leave a trailing separator does not.
        let s = slug(&format!("{} b", "a".repeat(MAX_SLUG_LEN - 1)));
        assert!(!s.ends_with('_'), "{s}");
    }

    #[test]
    fn slugs_are_what_sqlx_reads_back_as_words() {
        // sqlx's description is the name after the version with `_` as spaces.
        assert_eq!(slug("add due date").replace('_', " "), "add due date");
    }

    #[test]
    fn timestamp_versions() {
        assert_eq!(timestamp_version(0), 19700101000000);
        // 2024-02-29T23:59:59Z, a leap day.
        assert_eq!(timestamp_version(1_709_251_199), 20240229235959);
        // 2000-03-01T00:00:00Z
        assert_eq!(timestamp_version(951_868_800), 20000301000000);
        // 2038-01-19T03:14:08Z, past i32 seconds.
        assert_eq!(timestamp_version(2_147_483_648), 20380119031408);
    }
}
