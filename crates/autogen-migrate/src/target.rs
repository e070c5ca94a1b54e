//! Where `upgrade` and `downgrade` go, as the CLI spells it.

use std::fmt;
use std::str::FromStr;

use crate::{History, MigrateError};

/// `autogen upgrade [head|VERSION|+N]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpgradeTarget {
    /// Every pending migration.
    Head,
    /// Every pending migration up to and including this version, which the folder must hold.
    Version(i64),
    /// The next N pending migrations (N >= 1).
    Next(u32),
}

/// `autogen downgrade [-1|-N|VERSION|base]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DowngradeTarget {
    /// Revert every applied migration.
    Base,
    /// Revert every migration applied after this one, which must be applied; it stays.
    Version(i64),
    /// Revert the last N applied migrations (N >= 1).
    Last(u32),
}

impl UpgradeTarget {
    /// `+N` as the version it names in `history` (read before waiting for the migration lock):
    /// a second `upgrade +1` that waited for the first one finds its migration applied and has
    /// nothing to do, rather than applying the next one too. Other targets are already fixed;
    /// an `+N` beyond what is pending stays, for the plan to refuse.
    pub fn fixed(self, history: &History) -> UpgradeTarget {
        match self {
            UpgradeTarget::Next(n) => (n as usize)
                .checked_sub(1)
                .and_then(|at| history.pending().nth(at))
                .map_or(self, |entry| UpgradeTarget::Version(entry.version)),
            UpgradeTarget::Head | UpgradeTarget::Version(_) => self,
        }
    }
}

impl DowngradeTarget {
    /// `-N` as the version (or base) it goes back to in `history`, read before waiting for the
    /// migration lock: two `downgrade -1` at once revert one migration, not two.
    pub fn fixed(self, history: &History) -> DowngradeTarget {
        match self {
            DowngradeTarget::Last(n) => {
                let applied: Vec<i64> = history
                    .entries()
                    .iter()
                    .filter(|e| e.state.is_applied())
                    .map(|e| e.version)
                    .collect();
                match applied.len().checked_sub(n as usize) {
                    None => self,
                    Some(0) => DowngradeTarget::Base,
                    Some(keep) => DowngradeTarget::Version(applied[keep - 1]),
                }
            }
            DowngradeTarget::Base | DowngradeTarget::Version(_) => self,
        }
    }
}

const UPGRADE_EXPECTED: &str = "head, a migration version, or +N (N >= 1)";
const DOWNGRADE_EXPECTED: &str = "base, a migration version, or -N (N >= 1)";

impl FromStr for UpgradeTarget {
    type Err = MigrateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || MigrateError::InvalidTarget {
            command: "upgrade",
            given: text.to_owned(),
            expected: UPGRADE_EXPECTED,
        };
        if text == "head" {
            return Ok(UpgradeTarget::Head);
        }
        if let Some(n) = text.strip_prefix('+') {
            return count(n).map(UpgradeTarget::Next).ok_or_else(invalid);
        }
        version(text)
            .map(UpgradeTarget::Version)
            .ok_or_else(invalid)
    }
}

impl FromStr for DowngradeTarget {
    type Err = MigrateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || MigrateError::InvalidTarget {
            command: "downgrade",
            given: text.to_owned(),
            expected: DOWNGRADE_EXPECTED,
        };
        if text == "base" {
            return Ok(DowngradeTarget::Base);
        }
        if let Some(n) = text.strip_prefix('-') {
            return count(n).map(DowngradeTarget::Last).ok_or_else(invalid);
        }
        version(text)
            .map(DowngradeTarget::Version)
            .ok_or_else(invalid)
    }
}

/// A count of migrations: digits only, at least 1.
fn count(text: &str) -> Option<u32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n >= 1)
}

/// A version as sqlx numbers them: digits only (a `+` or `-` means a count, not a version).
fn version(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for UpgradeTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpgradeTarget::Head => f.write_str("head"),
            UpgradeTarget::Version(v) => write!(f, "{v}"),
            UpgradeTarget::Next(n) => write!(f, "+{n}"),
        }
    }
}

impl fmt::Display for DowngradeTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DowngradeTarget::Base => f.write_str("base"),
            DowngradeTarget::Version(v) => write!(f, "{v}"),
            DowngradeTarget::Last(n) => write!(f, "-{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_targets() {
        assert_eq!(
            "head".parse::<UpgradeTarget>().unwrap(),
            UpgradeTarget::Head
        );
        assert_eq!(
            "+2".parse::<UpgradeTarget>().unwrap(),
            UpgradeTarget::Next(2)
        );
        assert_eq!(
            "20240131120000".parse::<UpgradeTarget>().unwrap(),
            UpgradeTarget::Version(20240131120000)
        );
        for bad in [
            "",
            "+0",
            "+",
            "-1",
            "base",
            "+x",
            "12a",
            "HEAD",
            "+ 1",
            "99999999999999999999",
        ] {
            let error = bad.parse::<UpgradeTarget>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("invalid upgrade target `{bad}`; expected {UPGRADE_EXPECTED}")
            );
        }
    }

    #[test]
    fn downgrade_targets() {
        assert_eq!(
            "base".parse::<DowngradeTarget>().unwrap(),
            DowngradeTarget::Base
        );
        assert_eq!(
            "-1".parse::<DowngradeTarget>().unwrap(),
            DowngradeTarget::Last(1)
        );
        assert_eq!(
            "-12".parse::<DowngradeTarget>().unwrap(),
            DowngradeTarget::Last(12)
        );
        assert_eq!(
            "7".parse::<DowngradeTarget>().unwrap(),
            DowngradeTarget::Version(7)
        );
        for bad in ["", "-0", "-", "+1", "head", "--1", "-1x"] {
            assert!(bad.parse::<DowngradeTarget>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn targets_print_as_they_are_spelled() {
        for text in ["head", "+3", "42"] {
            assert_eq!(text.parse::<UpgradeTarget>().unwrap().to_string(), text);
        }
        for text in ["base", "-3", "42"] {
            assert_eq!(text.parse::<DowngradeTarget>().unwrap().to_string(), text);
        }
    }
}
