//! China's administrative divisions (GB/T 2260 provinces, cities, districts; township-level
//! streets), from the china-division package (see `data/gb2260/PROVENANCE.md`). Parsed once,
//! on first use.

use serde::Deserialize;
use std::sync::OnceLock;

static DATA: &str = include_str!("../data/gb2260/pcas-code.json");

/// One division with its sub-divisions.
#[derive(Debug, Clone, Deserialize)]
pub struct Region {
    /// Six digits for provinces, cities and districts (`440000`, `440300`, `440308`); nine for streets.
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub children: Vec<Region>,
}

fn widen(r: &mut Region) {
    if r.code.len() < 6 {
        r.code = format!("{:0<6}", r.code);
    }
    r.children.iter_mut().for_each(widen);
}

/// Every province with its cities, districts and streets.
pub fn provinces() -> &'static [Region] {
    static TREE: OnceLock<Vec<Region>> = OnceLock::new();
    TREE.get_or_init(|| {
        let mut tree: Vec<Region> = serde_json::from_str(DATA).unwrap_or_default();
        tree.iter_mut().for_each(widen);
        tree
    })
}

/// The division with `code` and its ancestors, outermost first (province, city, district, street).
pub fn path(code: &str) -> Option<Vec<&'static Region>> {
    fn walk<'a>(nodes: &'a [Region], code: &str, trail: &mut Vec<&'a Region>) -> bool {
        for n in nodes {
            if n.code == code {
                trail.push(n);
                return true;
            }
            if code.starts_with(n.code.trim_end_matches("00").trim_end_matches("00")) || n.code.len() == 9 {
                trail.push(n);
                if walk(&n.children, code, trail) {
                    return true;
                }
                trail.pop();
            }
        }
        false
    }
    let mut trail = Vec::new();
    walk(provinces(), code.trim(), &mut trail).then_some(trail)
}

/// Whether `name` names `region`: exactly, or without its suffix (`沙头角` for `沙头角街道`,
/// `广东` for `广东省`).
pub fn names(region: &Region, name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && (region.name == name
            || ["省", "市", "区", "县", "街道", "镇", "乡", "自治区", "特别行政区"]
                .iter()
                .any(|suffix| region.name.strip_suffix(suffix) == Some(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_is_complete() {
        let p = provinces();
        assert_eq!(p.len(), 31, "31 provincial divisions of the mainland");
        let districts: usize = p.iter().flat_map(|p| &p.children).map(|c| c.children.len()).sum();
        assert!(districts > 2800, "{districts} districts");
        let streets: usize =
            p.iter().flat_map(|p| &p.children).flat_map(|c| &c.children).map(|d| d.children.len()).sum();
        assert!(streets > 40_000, "{streets} streets");
    }

    #[test]
    fn finds_codes_at_every_level() {
        let names_of = |code: &str| path(code).map(|t| t.iter().map(|r| r.name.as_str()).collect::<Vec<_>>());
        assert_eq!(names_of("440000"), Some(vec!["广东省"]));
        assert_eq!(names_of("440300"), Some(vec!["广东省", "深圳市"]));
        assert_eq!(names_of("440308"), Some(vec!["广东省", "深圳市", "盐田区"]));
        assert_eq!(names_of("440308003"), Some(vec!["广东省", "深圳市", "盐田区", "沙头角街道"]));
        assert_eq!(names_of("110101"), Some(vec!["北京市", "市辖区", "东城区"]));
        assert_eq!(names_of("999999"), None);
        assert_eq!(names_of("4403"), None);
    }

    #[test]
    fn short_names_match() {
        let yantian = path("440308").unwrap()[2];
        assert!(names(yantian, "盐田区") && names(yantian, "盐田") && !names(yantian, "盐"));
        let street = &yantian.children[2];
        assert!(names(street, "沙头角"));
    }
}
