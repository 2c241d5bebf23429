//! Black-box tests: each starts the real server on a random loopback port with the demo data
//! and talks HTTP to it. SQLite by default; PostgreSQL when DINGDAN_TEST_DATABASE_URL is set
//! (each test in a fresh database).

mod admin;
mod durability;
mod helpers;
mod mall_members;
mod offline_packages;
mod offline_staff;
mod openapi_auth;
mod openapi_list;
mod openapi_orders;
mod replicas;
mod server;
mod station_catalog;
mod station_day;
mod station_delivery;
mod station_finance;
mod station_inventory;
mod station_orders;
mod webhooks;
