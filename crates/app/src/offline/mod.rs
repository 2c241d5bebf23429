//! Offline stores: staff sign in with user name and password, managers keep their staff, and
//! staff hand out packages against six-digit pickup codes. Every staff action is audited at the
//! store, which is what the action history shows.

mod packages;
mod staff;

pub use dingdan_store::identities::Staff;
pub use dingdan_store::pickup::Filter;

pub use packages::{
    action_history, cancel_package, check_code, consume_code, create_package, customer_fetch, get_package,
    list_packages, package_order, prepare_stock, rollback_code, NewPackage, PackageOrder, PackageView,
};
pub use staff::{
    authenticate_staff, create_staff_member, list_shop_staff, offline_shops, staff_login, staff_logout, StaffSession,
};

/// Key status of a pickup code.
pub mod key_status {
    pub const UNUSED: &str = "unused";
    pub const USED: &str = "used";
    pub const EXPIRED: &str = "expired";
    pub const CANCELED: &str = "canceled";
    pub const ALL: [&str; 4] = [UNUSED, USED, EXPIRED, CANCELED];
}

/// Stock status of a package.
pub mod stock_status {
    pub const UNPREPARE: &str = "unprepare";
    pub const PREPARED: &str = "prepared";
    pub const ALL: [&str; 2] = [UNPREPARE, PREPARED];
}
