//! Instants are stored as UTC milliseconds. Business dates ("today", receive dates,
//! `YYYY-MM-DD HH:MM:SS`) are read and written in the merchant's time zone.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
pub use chrono_tz::Tz;

/// The default merchant time zone.
pub const DEFAULT_TZ: Tz = chrono_tz::Asia::Shanghai;

/// Parses an IANA zone name.
pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// UTC milliseconds → local wall time.
pub fn local(ms: i64, tz: Tz) -> NaiveDateTime {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    utc.with_timezone(&tz).naive_local()
}

/// Local wall time → UTC milliseconds (the earlier instant when ambiguous).
pub fn from_local(wall: NaiveDateTime, tz: Tz) -> i64 {
    match tz.from_local_datetime(&wall).earliest() {
        Some(t) => t.timestamp_millis(),
        // A wall time skipped by a DST jump: take it as if an hour later.
        None => from_local(wall + Duration::hours(1), tz),
    }
}

/// `2017-06-22 19:15:00` (seconds optional).
pub fn parse_local_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()
}

/// `2017-06-01`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// The UTC millisecond range `[start, end)` covering local dates `first..=last`.
pub fn date_range_ms(first: NaiveDate, last: NaiveDate, tz: Tz) -> (i64, i64) {
    let start = from_local(first.and_hms_opt(0, 0, 0).unwrap_or_default(), tz);
    let end = from_local((last + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default(), tz);
    (start, end)
}

/// Number of calendar days in `first..=last` (1 for a single day).
pub fn inclusive_days(first: NaiveDate, last: NaiveDate) -> i64 {
    (last - first).num_days() + 1
}

/// Formats with a chrono pattern in the zone.
pub fn format_local(ms: i64, tz: Tz, pattern: &str) -> String {
    local(ms, tz).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_round_trip() {
        let wall = parse_local_datetime("2017-06-22 06:00").unwrap();
        let ms = from_local(wall, DEFAULT_TZ);
        assert_eq!(format_local(ms, DEFAULT_TZ, "%Y-%m-%d %H:%M"), "2017-06-22 06:00");
        assert_eq!(ms, 1498082400000); // 2017-06-21T22:00:00Z
    }

    #[test]
    fn day_ranges() {
        let a = parse_date("2017-06-01").unwrap();
        let b = parse_date("2017-06-07").unwrap();
        assert_eq!(inclusive_days(a, b), 7);
        let (s, e) = date_range_ms(a, b, DEFAULT_TZ);
        assert_eq!(e - s, 7 * 86_400_000);
    }
}
