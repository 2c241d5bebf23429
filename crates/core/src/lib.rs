//! dingdan's domain core: the business rules every dialect shares.
//!
//! No HTTP and no SQL live here. The core owns money arithmetic (integer fen), quantities,
//! public id formats, the order model and its one state machine, and the errors those rules
//! raise. Errors carry data (from, to, action), never wire text: each dialect words them.

/// Roles and the actor behind each change.
pub mod actor;
/// Errors raised by domain rules.
pub mod error;
/// Public id formats (`PL000123`, `D000042`, ...): a mapping at the edge, not a second key.
pub mod ids;
/// Integer fen and yuan strings.
pub mod money;
/// Orders: status dimensions, the transition table, lines and totals.
pub mod order;
/// Quantities in thousandths of a unit (weighed goods are not whole numbers).
pub mod quantity;
/// GB/T 2260 administrative divisions (provinces, cities, districts, streets).
pub mod regions;
/// Business dates and times in the merchant's time zone.
pub mod time;

pub use error::DomainError;
pub use money::Fen;
pub use quantity::Quantity;
