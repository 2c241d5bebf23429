//! Money is an integer number of fen (分, 1/100 yuan) everywhere inside dingdan. Yuan strings
//! ("7.28") exist only at a dialect's edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest amount any single value may hold: one hundred million yuan. Larger input is a
/// client mistake, and the bound keeps every product of price and quantity inside `i64`.
pub const MAX_FEN: i64 = 10_000_000_000;

/// An amount of money in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// A non-negative price or amount within [`MAX_FEN`].
    pub fn parse_amount(value: i64) -> Result<Fen, String> {
        if value < 0 {
            Err("must not be negative".into())
        } else if value > MAX_FEN {
            Err(format!("must not exceed {MAX_FEN} fen"))
        } else {
            Ok(Fen(value))
        }
    }

    /// Renders as a yuan string with two decimals: `728` → `"7.28"`, `-5` → `"-0.05"`.
    pub fn to_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Parses a yuan string with at most two decimals (`"7.28"`, `"7.2"`, `"7"`).
    pub fn parse_yuan(text: &str) -> Result<Fen, String> {
        let text = text.trim();
        let (neg, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || (!frac.is_empty() && !digits(frac)) || frac.len() > 2 || int.len() > 12 {
            return Err(format!("'{text}' is not a yuan amount with at most two decimals"));
        }
        let int: i64 = int.parse().map_err(|_| format!("'{text}' is out of range"))?;
        let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().unwrap_or(0) };
        let fen = int * 100 + frac;
        Ok(Fen(if neg { -fen } else { fen }))
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_yuan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yuan_strings() {
        assert_eq!(Fen(728).to_yuan(), "7.28");
        assert_eq!(Fen(14631).to_yuan(), "146.31");
        assert_eq!(Fen(2000).to_yuan(), "20.00");
        assert_eq!(Fen(5).to_yuan(), "0.05");
        assert_eq!(Fen(-5).to_yuan(), "-0.05");
        assert_eq!(Fen::parse_yuan("7.2"), Ok(Fen(720)));
        assert_eq!(Fen::parse_yuan("7"), Ok(Fen(700)));
        assert!(Fen::parse_yuan("7.285").is_err());
        assert!(Fen::parse_yuan("abc").is_err());
        assert!(Fen::parse_yuan(".5").is_err());
    }

    #[test]
    fn amounts_are_bounded() {
        assert!(Fen::parse_amount(-1).is_err());
        assert!(Fen::parse_amount(MAX_FEN + 1).is_err());
        assert_eq!(Fen::parse_amount(0), Ok(Fen(0)));
    }

    proptest! {
        #[test]
        fn yuan_round_trips(fen in -MAX_FEN..MAX_FEN) {
            prop_assert_eq!(Fen::parse_yuan(&Fen(fen).to_yuan()), Ok(Fen(fen)));
        }
    }
}
