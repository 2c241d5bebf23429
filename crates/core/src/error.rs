use crate::order::state::{Action, Fulfillment};

/// A rule of the domain said no. Carries what the dialects need to word it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The order's current fulfillment status does not allow this action.
    #[error("cannot {action:?} an order in status {from:?}")]
    InvalidTransition { from: Fulfillment, action: Action },
    /// A status change that the caller asked for directly is not one of the allowed moves.
    #[error("status cannot move from {from:?} to {to:?}")]
    StatusJump { from: Fulfillment, to: Fulfillment },
    /// The order's lines or prices are frozen in this status.
    #[error("order lines cannot change in status {status:?}")]
    LinesFrozen { status: Fulfillment },
    /// A value is out of its allowed range.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::Invalid { field, reason: reason.into() }
    }
}
