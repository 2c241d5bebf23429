//! Order arithmetic: what a line costs as ordered and as weighed, and what the order totals are.
//! The seed's words: `real_item_price` (line total by real weight), `real_price` (order amount),
//! `total_pay` (real price plus freight).

use crate::money::Fen;
use crate::quantity::Quantity;

/// What one line contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    /// Unit price per sale unit.
    pub sale_price: Fen,
    /// Ordered quantity in sale units.
    pub quantity: Quantity,
    /// The weighed quantity, once known.
    pub real_quantity: Option<Quantity>,
}

impl LineAmounts {
    /// The line's price as ordered.
    pub fn ordered_total(&self) -> Fen {
        self.quantity.times(self.sale_price)
    }

    /// The line's price by real quantity (the ordered one until weighed).
    pub fn real_total(&self) -> Fen {
        self.real_quantity.unwrap_or(self.quantity).times(self.sale_price)
    }
}

/// An order's money, derived from its lines and freight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrderTotals {
    /// Sum of lines at ordered quantities (the seed's `total_price`).
    pub ordered: Fen,
    /// Sum of lines at real quantities (`real_price`).
    pub real: Fen,
    pub freight: Fen,
    /// `real` + `freight` (`total_pay`).
    pub total_pay: Fen,
}

impl OrderTotals {
    pub fn compute(lines: &[LineAmounts], freight: Fen) -> OrderTotals {
        let ordered: Fen = lines.iter().map(LineAmounts::ordered_total).sum();
        let real: Fen = lines.iter().map(LineAmounts::real_total).sum();
        OrderTotals { ordered, real, freight, total_pay: real + freight }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_example() {
        // 白菜苔 1 斤 at 7.28 元, freight 20.00: real_price 728, total_pay 2728.
        let line = LineAmounts { sale_price: Fen(728), quantity: Quantity(1000), real_quantity: None };
        let t = OrderTotals::compute(&[line], Fen(2000));
        assert_eq!((t.ordered, t.real, t.total_pay), (Fen(728), Fen(728), Fen(2728)));
    }

    #[test]
    fn weighing_changes_real_not_ordered() {
        let line = LineAmounts { sale_price: Fen(728), quantity: Quantity(1000), real_quantity: Some(Quantity(1250)) };
        let t = OrderTotals::compute(&[line], Fen(0));
        assert_eq!((t.ordered, t.real), (Fen(728), Fen(910)));
    }
}
