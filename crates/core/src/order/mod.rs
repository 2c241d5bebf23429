//! The one order model behind every dialect: a header with three independent status
//! dimensions (fulfillment, payment, after-sale) and lines. Dialects map these to their own
//! status numbers and names at the edge.

pub mod state;
pub mod totals;

pub use state::{Action, AfterSale, Channel, Fulfillment, Payment};
pub use totals::{LineAmounts, OrderTotals};
