//! B2B orders: the orders of the station and openapi dialects (one order set, two dialects).

mod after_sales;
mod edit;
mod fulfil;
mod lines;
mod place;
mod read;

pub use after_sales::{
    after_sales_of, cancel_after_sales, record_abnormals, record_refunds, update_abnormals, update_refunds, AbnormalIn,
    AfterSaleKind, RefundIn, EXCEPTION_REASONS,
};
pub use dingdan_store::after_sales::{Abnormal, Refund};
pub use dingdan_store::customers::Customer;
pub use dingdan_store::orders::{Line, ListedOrder, Order, Sort, TimeField};
pub use edit::{edit_order, LineEdit, OrderEdit};
pub(crate) use fulfil::transition;
pub use fulfil::{move_order, weigh_line};
pub use lines::{add_lines, change_lines, delete_order, remove_lines, AddLine, LineChange};
pub(crate) use place::line_from_sku;
pub use place::{place_order, NewLine, PlaceOrder};
pub use read::{get_order, list_orders, order_history, ListQuery, OrderView};

use dingdan_core::order::{LineAmounts, OrderTotals};
use dingdan_core::{Fen, Quantity};

/// Recomputes the header's money from its lines.
pub fn refresh_totals(order: &mut Order, lines: &[Line]) {
    let amounts: Vec<LineAmounts> = lines
        .iter()
        .map(|l| LineAmounts {
            sale_price: Fen(l.sale_price),
            quantity: Quantity(l.quantity_milli),
            real_quantity: l.real_quantity_milli.map(Quantity),
        })
        .collect();
    let t = OrderTotals::compute(&amounts, Fen(order.freight));
    order.ordered_total = t.ordered.0;
    order.real_total = t.real.0;
    // Abnormal records change what is owed by their signed deltas; refunds give money back.
    order.total_pay = t.total_pay.0 + order.abnormal_money - order.refund_money;
}
