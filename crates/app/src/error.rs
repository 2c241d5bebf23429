use dingdan_core::DomainError;
use dingdan_store::StoreError;

/// Why a credential was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No credential was sent.
    Missing,
    /// The credential is unknown, forged or revoked.
    Invalid,
    /// The credential was valid once and has expired.
    Expired,
    /// Wrong user name, access id, password or secret.
    BadCredentials,
}

/// Everything a use-case can fail with. Dialects map each variant to their own envelope,
/// code and HTTP status; the `match` there has no catch-all, so a new variant does not
/// compile until every dialect has decided.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication failed: {0:?}")]
    Unauthenticated(AuthFailure),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The object's state forbids the request, for a reason that is not an order transition.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    RateLimited,
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> AppError {
        AppError::Invalid { field, reason: reason.into() }
    }

    pub fn not_found(entity: &'static str) -> AppError {
        AppError::NotFound { entity }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(what) => AppError::Duplicate(what),
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::Internal(other.to_string())
            }
        }
    }
}
