//! Multi-row INSERT statements: one round trip for many rows.

use crate::Backend;
use sqlx::any::AnyArguments;
use sqlx::Arguments;

/// `INSERT INTO table (cols) VALUES ($1, ..), (..)` for `rows` rows of `width` values.
/// SQLite gets anonymous `?` placeholders: it looks a numbered one up by walking the list of
/// all of them, which makes binding thousands of `$n` quadratic.
pub(crate) fn values_sql(backend: Backend, head: &str, width: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * width * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// Adds one bind value; encoding into an in-memory argument list cannot fail for these types.
pub(crate) fn bind<'q, T>(args: &mut AnyArguments<'q>, v: T)
where
    T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    args.add(v).expect("plain values encode");
}

/// Binds a line's columns in `order_lines` order, with or without its key first.
pub(crate) fn bind_line<'q>(a: &mut AnyArguments<'q>, l: &crate::orders::Line, with_id: bool) {
    if with_id {
        bind(a, l.id);
    }
    bind(a, l.order_id);
    bind(a, l.sku_id);
    bind(a, l.spu_id);
    bind(a, l.name.clone());
    bind(a, l.category1_name.clone());
    bind(a, l.category2_name.clone());
    bind(a, l.std_unit_name.clone());
    bind(a, l.sale_unit_name.clone());
    bind(a, l.sale_ratio_milli);
    bind(a, l.quantity_milli);
    bind(a, l.real_quantity_milli);
    bind(a, l.accept_quantity_milli);
    bind(a, l.purchase_quantity_milli);
    bind(a, l.sale_price);
    bind(a, l.is_weigh as i64);
    bind(a, l.remark.clone());
    bind(a, l.salemenu_name.clone());
    bind(a, l.supplier_name.clone());
    bind(a, l.created_at);
}
