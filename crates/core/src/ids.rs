//! Each dialect shows integer keys in its own public format: station orders are `PL000123`,
//! SKUs `D000042`, and so on. The format is a pure function of the key.

/// A public id family: a letter prefix and a zero-padded number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdFormat {
    pub prefix: &'static str,
    pub width: usize,
}

/// Station / openapi order ids, e.g. `PL492416`.
pub const ORDER: IdFormat = IdFormat { prefix: "PL", width: 6 };
/// Category level 1, e.g. `A000001`.
pub const CATEGORY1: IdFormat = IdFormat { prefix: "A", width: 6 };
/// Category level 2.
pub const CATEGORY2: IdFormat = IdFormat { prefix: "B", width: 6 };
/// Pinlei (the third category level).
pub const PINLEI: IdFormat = IdFormat { prefix: "P", width: 6 };
/// SPU, e.g. `C00865` in the documents.
pub const SPU: IdFormat = IdFormat { prefix: "C", width: 6 };
/// SKU, e.g. `D805677`.
pub const SKU: IdFormat = IdFormat { prefix: "D", width: 6 };
/// Price list (salemenu).
pub const PRICE_LIST: IdFormat = IdFormat { prefix: "S", width: 6 };
/// B2B customer account (SID).
pub const CUSTOMER: IdFormat = IdFormat { prefix: "S", width: 6 };
/// B2B customer finance account (KID), one-to-one with the SID.
pub const CUSTOMER_FINANCE: IdFormat = IdFormat { prefix: "K", width: 6 };

impl IdFormat {
    /// Renders a key in this format.
    pub fn format(self, key: i64) -> String {
        format!("{}{:0width$}", self.prefix, key, width = self.width)
    }

    /// Parses a public id of this format; `None` when it is not one.
    pub fn parse(self, text: &str) -> Option<i64> {
        let digits = text.trim().strip_prefix(self.prefix)?;
        if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<i64>().ok().filter(|k| *k > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_like_the_documents() {
        assert_eq!(ORDER.format(492416), "PL492416");
        assert_eq!(ORDER.format(12), "PL000012");
        assert_eq!(ORDER.format(12345678), "PL12345678");
    }

    #[test]
    fn rejects_foreign_text() {
        for bad in ["", "PL", "PLx1", "D12", "PL-1", "PL000000", "PL1.5", "pl12"] {
            assert_eq!(ORDER.parse(bad), None, "{bad}");
        }
        assert_eq!(ORDER.parse("PL7"), Some(7));
    }

    proptest! {
        #[test]
        fn round_trips(key in 1i64..i64::MAX) {
            prop_assert_eq!(ORDER.parse(&ORDER.format(key)), Some(key));
        }
    }
}
