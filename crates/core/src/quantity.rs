//! Quantities are kept in thousandths (milli-units): a weighed line of 1.235 斤 is exact, and
//! the price of a line is an integer computation.

use crate::money::{Fen, MAX_FEN};
use serde::{Deserialize, Serialize};

/// The largest quantity of one line: one million units.
pub const MAX_MILLI: i64 = 1_000_000_000;

/// A quantity in thousandths of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(pub i64);

impl Quantity {
    /// A positive quantity from a client's decimal number, at most three decimals kept.
    pub fn parse_positive(value: f64) -> Result<Quantity, String> {
        if !value.is_finite() {
            return Err("must be a number".into());
        }
        let milli = (value * 1000.0).round();
        if milli <= 0.0 {
            return Err("must be greater than zero".into());
        }
        if milli > MAX_MILLI as f64 {
            return Err(format!("must not exceed {}", MAX_MILLI / 1000));
        }
        Ok(Quantity(milli as i64))
    }

    pub fn from_units(units: i64) -> Quantity {
        Quantity(units * 1000)
    }

    /// The quantity as a decimal number for the wire.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// `unit_price` × quantity, rounded half away from zero to the fen.
    pub fn times(self, unit_price: Fen) -> Fen {
        let product = unit_price.0 as i128 * self.0 as i128;
        let rounded = (product + if product >= 0 { 500 } else { -500 }) / 1000;
        Fen(rounded.clamp(-(MAX_FEN as i128) * 1000, MAX_FEN as i128 * 1000) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prices() {
        assert_eq!(Quantity::parse_positive(1.0), Ok(Quantity(1000)));
        assert_eq!(Quantity::parse_positive(1.2345), Ok(Quantity(1235)));
        assert!(Quantity::parse_positive(0.0).is_err());
        assert!(Quantity::parse_positive(-2.0).is_err());
        assert!(Quantity::parse_positive(f64::NAN).is_err());
        assert!(Quantity::parse_positive(1e12).is_err());
        assert_eq!(Quantity(1000).times(Fen(728)), Fen(728));
        assert_eq!(Quantity(1500).times(Fen(333)), Fen(500)); // 499.5 rounds up
        assert_eq!(Quantity(1235).times(Fen(728)), Fen(899)); // 899.08
    }

    proptest! {
        #[test]
        fn whole_units_price_exactly(units in 1i64..1_000_000, price in 0i64..MAX_FEN / 1_000_000) {
            prop_assert_eq!(Quantity::from_units(units).times(Fen(price)), Fen(units * price));
        }

        #[test]
        fn pricing_is_monotonic(a in 1i64..MAX_MILLI, b in 1i64..MAX_MILLI, price in 0i64..100_000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(Quantity(lo).times(Fen(price)) <= Quantity(hi).times(Fen(price)));
        }
    }
}
