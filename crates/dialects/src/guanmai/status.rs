//! The vendor's order status numbers: -1 deleted, 1 waiting to leave the warehouse, 5 sorting,
//! 10 delivering, 15 signed, 100 paid (a signed order that is paid in full).

use dingdan_core::order::{Fulfillment, Payment};

/// The number shown for an order.
pub fn code(f: Fulfillment, p: Payment) -> i64 {
    match (f, p) {
        (Fulfillment::Delivered | Fulfillment::Completed, Payment::Paid) => 100,
        _ => code_of(f),
    }
}

/// The number of a fulfillment status alone.
pub fn code_of(f: Fulfillment) -> i64 {
    match f {
        Fulfillment::Deleted => -1,
        Fulfillment::Pending | Fulfillment::Confirmed | Fulfillment::Cancelled => 1,
        Fulfillment::Sorting | Fulfillment::ReadyForPickup => 5,
        Fulfillment::Delivering => 10,
        Fulfillment::Delivered | Fulfillment::Completed => 15,
    }
}

/// A status filter: the fulfillment status and whether the order must be paid in full.
pub fn filter_of(code: i64) -> Option<(Fulfillment, Option<bool>)> {
    Some(match code {
        -1 => (Fulfillment::Deleted, None),
        1 => (Fulfillment::Pending, None),
        5 => (Fulfillment::Sorting, None),
        10 => (Fulfillment::Delivering, None),
        15 => (Fulfillment::Delivered, Some(false)),
        100 => (Fulfillment::Delivered, Some(true)),
        _ => return None,
    })
}

/// A status a client asks an order to move to.
pub fn target_of(code: i64) -> Option<Fulfillment> {
    filter_of(code).map(|(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in [-1, 1, 5, 10, 15] {
            let (f, _) = filter_of(c).unwrap();
            assert_eq!(code_of(f), c);
        }
        assert_eq!(code(Fulfillment::Delivered, Payment::Paid), 100);
        assert_eq!(code(Fulfillment::Delivered, Payment::PartlyPaid), 15);
        assert_eq!(filter_of(7), None);
    }
}
