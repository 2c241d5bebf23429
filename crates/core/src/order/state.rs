//! Every allowed fulfillment transition is in [`TRANSITIONS`]; nothing else moves an order.
//! Payment and after-sale status are separate dimensions, derived from amounts and records.

use crate::error::DomainError;
use serde::{Deserialize, Serialize};

/// Which business an order belongs to. B2B orders are the station/openapi orders, B2C orders
/// the mall/shop orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    B2b,
    B2c,
}

/// Where the goods are on their way to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfillment {
    /// Placed; waiting to be confirmed, sorted or shipped (station 1).
    Pending,
    /// Accepted by the merchant or store (mall CONFIRMED_*).
    Confirmed,
    /// Being picked and weighed in the warehouse (station 5).
    Sorting,
    /// Waiting at a store for the customer to collect it.
    ReadyForPickup,
    /// On its way (station 10, mall DELIVERING).
    Delivering,
    /// Handed over and signed for (station 15, mall DELIVERED_CONFIRM_PENDING).
    Delivered,
    /// The customer confirmed receipt or collected it; the order is closed.
    Completed,
    /// Cancelled before fulfillment (by a party or by payment timeout).
    Cancelled,
    /// Removed by the merchant before it was worked on (station -1).
    Deleted,
}

/// What may happen to an order's fulfillment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Confirm,
    StartSorting,
    MarkReadyForPickup,
    Ship,
    Deliver,
    ConfirmReceipt,
    /// Handed over at a store (pickup, store order, flash delivery done).
    Complete,
    /// A consumed pickup code was rolled back.
    UndoPickUp,
    Cancel,
    Delete,
}

use Action as A;
use Fulfillment as F;

/// The transition table: (from, action, to). One row per allowed move.
pub const TRANSITIONS: &[(Fulfillment, Action, Fulfillment)] = &[
    (F::Pending, A::Confirm, F::Confirmed),
    (F::Pending, A::StartSorting, F::Sorting),
    (F::Confirmed, A::StartSorting, F::Sorting),
    (F::Pending, A::MarkReadyForPickup, F::ReadyForPickup),
    (F::Confirmed, A::MarkReadyForPickup, F::ReadyForPickup),
    (F::Pending, A::Ship, F::Delivering),
    (F::Confirmed, A::Ship, F::Delivering),
    (F::Sorting, A::Ship, F::Delivering),
    (F::Delivering, A::Deliver, F::Delivered),
    (F::Delivered, A::ConfirmReceipt, F::Completed),
    (F::Pending, A::Complete, F::Completed),
    (F::Confirmed, A::Complete, F::Completed),
    (F::ReadyForPickup, A::Complete, F::Completed),
    (F::Delivering, A::Complete, F::Completed),
    (F::Completed, A::UndoPickUp, F::ReadyForPickup),
    (F::Pending, A::Cancel, F::Cancelled),
    (F::Confirmed, A::Cancel, F::Cancelled),
    (F::ReadyForPickup, A::Cancel, F::Cancelled),
    (F::Pending, A::Delete, F::Deleted),
];

impl Fulfillment {
    pub const ALL: [Fulfillment; 9] = [
        F::Pending,
        F::Confirmed,
        F::Sorting,
        F::ReadyForPickup,
        F::Delivering,
        F::Delivered,
        F::Completed,
        F::Cancelled,
        F::Deleted,
    ];

    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: Action) -> Result<Fulfillment, DomainError> {
        TRANSITIONS
            .iter()
            .find(|(from, a, _)| *from == self && *a == action)
            .map(|(_, _, to)| *to)
            .ok_or(DomainError::InvalidTransition { from: self, action })
    }

    /// The action that moves `self` to `to` when a client sets a status directly
    /// (station and openapi: only 1→5, 1→10, 5→10).
    pub fn action_towards(self, to: Fulfillment) -> Result<Action, DomainError> {
        match (self, to) {
            (F::Pending, F::Sorting) => Ok(A::StartSorting),
            (F::Pending, F::Delivering) | (F::Sorting, F::Delivering) => Ok(A::Ship),
            _ => Err(DomainError::StatusJump { from: self, to }),
        }
    }

    /// Lines, quantities and prices may change only before the goods leave.
    pub fn lines_editable(self) -> bool {
        matches!(self, F::Pending | F::Confirmed | F::Sorting)
    }

    /// Fails with [`DomainError::LinesFrozen`] unless lines may change.
    pub fn ensure_lines_editable(self) -> Result<(), DomainError> {
        if self.lines_editable() {
            Ok(())
        } else {
            Err(DomainError::LinesFrozen { status: self })
        }
    }

    /// Goods have left the warehouse or store.
    pub fn has_left(self) -> bool {
        matches!(self, F::Delivering | F::Delivered | F::Completed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            F::Pending => "pending",
            F::Confirmed => "confirmed",
            F::Sorting => "sorting",
            F::ReadyForPickup => "ready_for_pickup",
            F::Delivering => "delivering",
            F::Delivered => "delivered",
            F::Completed => "completed",
            F::Cancelled => "cancelled",
            F::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<Fulfillment> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            A::Confirm => "confirm",
            A::StartSorting => "start_sorting",
            A::MarkReadyForPickup => "mark_ready_for_pickup",
            A::Ship => "ship",
            A::Deliver => "deliver",
            A::ConfirmReceipt => "confirm_receipt",
            A::Complete => "complete",
            A::UndoPickUp => "undo_pick_up",
            A::Cancel => "cancel",
            A::Delete => "delete",
        }
    }
}

/// How much of what is due has been paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    Unpaid,
    PartlyPaid,
    Paid,
    Refunded,
}

impl Payment {
    /// Payment status is a function of the amounts, never set by hand.
    pub fn from_amounts(due: i64, paid: i64, refunded: i64) -> Payment {
        if refunded > 0 && refunded >= paid && paid > 0 {
            Payment::Refunded
        } else if paid <= 0 {
            Payment::Unpaid
        } else if paid - refunded >= due || paid >= due {
            Payment::Paid
        } else {
            Payment::PartlyPaid
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Payment::Unpaid => "unpaid",
            Payment::PartlyPaid => "partly_paid",
            Payment::Paid => "paid",
            Payment::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<Payment> {
        [Payment::Unpaid, Payment::PartlyPaid, Payment::Paid, Payment::Refunded]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Whether an after-sale (return, refund, exchange, abnormal record) is open on the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterSale {
    None,
    Open,
    Closed,
}

impl AfterSale {
    pub fn as_str(self) -> &'static str {
        match self {
            AfterSale::None => "none",
            AfterSale::Open => "open",
            AfterSale::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<AfterSale> {
        [AfterSale::None, AfterSale::Open, AfterSale::Closed].into_iter().find(|s| s.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn openapi_moves() {
        assert_eq!(F::Pending.action_towards(F::Sorting), Ok(A::StartSorting));
        assert_eq!(F::Pending.action_towards(F::Delivering), Ok(A::Ship));
        assert_eq!(F::Sorting.action_towards(F::Delivering), Ok(A::Ship));
        for (from, to) in [
            (F::Sorting, F::Pending),
            (F::Delivering, F::Sorting),
            (F::Delivering, F::Delivered),
            (F::Delivered, F::Pending),
            (F::Pending, F::Delivered),
        ] {
            assert!(from.action_towards(to).is_err(), "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn every_direct_move_is_in_the_table() {
        for from in Fulfillment::ALL {
            for to in Fulfillment::ALL {
                if let Ok(action) = from.action_towards(to) {
                    assert_eq!(from.apply(action), Ok(to));
                }
            }
        }
    }

    #[test]
    fn table_has_no_duplicate_keys() {
        for (i, (f, a, _)) in TRANSITIONS.iter().enumerate() {
            assert!(TRANSITIONS[i + 1..].iter().all(|(f2, a2, _)| (f2, a2) != (f, a)));
        }
    }

    #[test]
    fn terminal_states_stay_terminal() {
        for action in TRANSITIONS.iter().map(|t| t.1) {
            assert!(F::Deleted.apply(action).is_err());
            assert!(F::Cancelled.apply(action).is_err());
        }
    }

    #[test]
    fn lines_freeze_once_goods_leave() {
        assert!(F::Pending.lines_editable());
        assert!(F::Sorting.lines_editable());
        for s in [F::Delivering, F::Delivered, F::Completed, F::Cancelled, F::Deleted] {
            assert_eq!(s.ensure_lines_editable(), Err(DomainError::LinesFrozen { status: s }));
        }
    }

    #[test]
    fn names_round_trip() {
        for s in Fulfillment::ALL {
            assert_eq!(Fulfillment::parse(s.as_str()), Some(s));
        }
    }

    fn any_state() -> impl Strategy<Value = Fulfillment> {
        proptest::sample::select(Fulfillment::ALL.to_vec())
    }

    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(TRANSITIONS.iter().map(|t| t.1).collect::<Vec<_>>())
    }

    proptest! {
        /// Any sequence of actions only ever visits states reachable through the table, and a
        /// refused action leaves the state as it was.
        #[test]
        fn random_walks_follow_the_table(actions in proptest::collection::vec(any_action(), 0..30)) {
            let mut state = F::Pending;
            for action in actions {
                match state.apply(action) {
                    Ok(next) => {
                        prop_assert!(TRANSITIONS.contains(&(state, action, next)));
                        state = next;
                    }
                    Err(e) => prop_assert_eq!(e, DomainError::InvalidTransition { from: state, action }),
                }
            }
        }

        #[test]
        fn goods_that_left_never_become_editable(from in any_state(), action in any_action()) {
            if from.has_left() {
                if let Ok(to) = from.apply(action) {
                    prop_assert!(to.has_left() || to == F::ReadyForPickup);
                }
            }
        }

        #[test]
        fn payment_is_monotonic_in_paid(due in 1i64..1_000_000, paid in 0i64..2_000_000) {
            let s = Payment::from_amounts(due, paid, 0);
            prop_assert_eq!(s == Payment::Paid, paid >= due);
            prop_assert_eq!(s == Payment::Unpaid, paid == 0);
        }
    }
}
