//! A per-process memo of values that never change once written (a tenant's time zone, a store's
//! name, an API token's row): read often, filled on first use, shared by every request.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;

/// At most this many entries; a full memo is emptied and refills from use.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug)]
pub struct Memo<K, V>(RwLock<HashMap<K, V>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(RwLock::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    pub fn get(&self, key: &K) -> Option<V> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    pub fn put(&self, key: K, value: V) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, value);
    }
}
