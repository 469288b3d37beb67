//! One stable sort for every element type. The standard library's sort is instantiated once
//! per element type and comparator, several KB of WebAssembly each; here each call sorts a
//! list of indices through one shared instance, then moves the items into that order.

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp`, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` stably by the key `key` gives, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// A map from key-value pairs, later pairs winning, as `collect` makes one. `collect` sorts
/// the pairs first, which instantiates the standard library's sort for each pair type;
/// inserting them one by one does not.
pub fn map_from<K: Ord, V, M: Default + Extend<(K, V)>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> M {
    let mut map = M::default();
    for pair in pairs {
        map.extend(std::iter::once(pair));
    }
    map
}

#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 10, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std);
            let mut by_key = items.clone();
            sort_by_key(&mut by_key, |x| std::cmp::Reverse(x.0));
            std.sort_by_key(|x| std::cmp::Reverse(x.0));
            assert_eq!(by_key, std);
        }
        let mut strings = vec!["b".to_owned(), "a".to_owned(), "c".to_owned()];
        sort_by(&mut strings, |a, b| a.cmp(b));
        assert_eq!(strings, ["a", "b", "c"]);
    }
}
