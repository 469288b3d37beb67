//! A commit as a flame chart: the components that rendered in it, nested as in the tree, each
//! as wide as its actual time (its own render plus its descendants'), children left to right
//! from their parent's left edge, as DevTools draws it. Components that did not render are
//! left out, so a rendered component's parent here is its nearest rendered ancestor.

use std::collections::{HashMap, HashSet};

use super::operations::Fiber;
use crate::report::CommitInfo;

/// Where a fiber sits among the commit's rendered components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Nearest rendered ancestor, as an index into the same list.
    pub parent: Option<usize>,
    /// Rank in tree order (depth first, siblings in order).
    pub position: usize,
}

/// Places each of `fibers` (the components that rendered in one commit) in `tree`, the tree
/// as that commit left it.
pub fn place(tree: &HashMap<i64, Fiber>, fibers: &[i64]) -> Vec<Placement> {
    let index: HashMap<i64, usize> = fibers.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let limit = tree.len() + 1;
    let parent_of = |fiber: i64| tree.get(&fiber).map(|f| f.parent);
    let parents: Vec<Option<usize>> = fibers
        .iter()
        .map(|&fiber| {
            let mut at = parent_of(fiber)?;
            // Bounded: a corrupt profile could link fibers in a cycle.
            for _ in 0..limit {
                if let Some(&i) = index.get(&at) {
                    return Some(i);
                }
                at = parent_of(at)?;
            }
            None
        })
        .collect();
    // Tree order: the path of sibling ranks from the root down to each fiber. Ranks come from
    // each parent's child list, indexed once per parent: a list of a thousand rows would
    // otherwise be searched once per row.
    let mut ranks: HashMap<i64, usize> = HashMap::new();
    let mut indexed: HashSet<i64> = HashSet::new();
    let mut path = |fiber: i64| {
        let mut steps = Vec::new();
        let mut at = fiber;
        for _ in 0..limit {
            let Some(parent) = parent_of(at).filter(|p| tree.contains_key(p)) else {
                break;
            };
            if indexed.insert(parent) {
                for (rank, child) in tree[&parent].children.iter().enumerate() {
                    ranks.insert(*child, rank);
                }
            }
            steps.push((ranks.get(&at).copied().unwrap_or(usize::MAX), at));
            at = parent;
        }
        steps.reverse();
        steps
    };
    let mut order: Vec<(Vec<(usize, i64)>, usize)> = fibers
        .iter()
        .enumerate()
        .map(|(i, &f)| (path(f), i))
        .collect();
    crate::sort::sort_by(&mut order, |a, b| a.cmp(b));
    let mut positions = vec![0; fibers.len()];
    for (position, (_, i)) in order.into_iter().enumerate() {
        positions[i] = position;
    }
    parents
        .into_iter()
        .zip(positions)
        .map(|(parent, position)| Placement { parent, position })
        .collect()
}

/// One bar of the flame chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FlameBar {
    /// Index into the commit's `components`.
    pub component: usize,
    /// 0 for the topmost rendered components.
    pub depth: usize,
    pub start_ms: f64,
    pub width_ms: f64,
}

/// The flame chart of a commit, parents before their children; and its total width in ms.
pub fn flame(commit: &CommitInfo) -> (Vec<FlameBar>, f64) {
    let components = &commit.components;
    let mut order: Vec<usize> = (0..components.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| components[i].position);
    let mut bars: Vec<Option<FlameBar>> = vec![None; components.len()];
    // Where the next child of each bar starts.
    let mut next_child: Vec<f64> = vec![0.0; components.len()];
    let mut next_top = 0.0;
    for i in order {
        let c = &components[i];
        let width = c.actual_ms.max(0.0);
        let parent = c
            .parent
            .and_then(|p| bars.get(p).cloned().flatten().map(|b| (p, b)));
        let bar = match parent {
            Some((p, parent_bar)) => {
                let start = next_child[p];
                let room = (parent_bar.start_ms + parent_bar.width_ms - start).max(0.0);
                let width = width.min(room);
                next_child[p] = start + width;
                FlameBar {
                    component: i,
                    depth: parent_bar.depth + 1,
                    start_ms: start,
                    width_ms: width,
                }
            }
            None => {
                let start = next_top;
                next_top += width;
                FlameBar {
                    component: i,
                    depth: 0,
                    start_ms: start,
                    width_ms: width,
                }
            }
        };
        next_child[i] = bar.start_ms;
        bars[i] = Some(bar);
    }
    let mut bars: Vec<FlameBar> = bars.into_iter().flatten().collect();
    crate::sort::sort_by_key(&mut bars, |b| components[b.component].position);
    (bars, next_top.max(commit.duration_ms))
}
