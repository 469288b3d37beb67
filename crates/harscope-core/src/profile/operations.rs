//! Decoding each commit's tree operations, the way DevTools' CommitTreeBuilder does, to learn
//! the name of every fiber that mounts during the profile and how the tree changes.
//!
//! Each commit's operations are `[rendererID, rootID, stringTableSize, ...stringTable, ...ops]`.
//! The ops' layouts changed across DevTools releases, and an export does not say which
//! release wrote it: a root's ADD carries 2, 4 or 5 flags, and a component's ADD gained a
//! name-prop string. Every known layout is tried, newest first; the first that decodes every
//! commit cleanly is used. An opcode no layout knows is an error naming the commit and the
//! position, never a silent misreading of what follows.

use std::collections::HashMap;

/// Element types DevTools uses (`ElementType*` in its sources).
pub const TYPE_CONTEXT: i64 = 2;
pub const TYPE_HOST: i64 = 7;
pub const TYPE_ROOT: i64 = 11;

const ADD: i64 = 1;
const REMOVE: i64 = 2;
const REORDER_CHILDREN: i64 = 3;
const UPDATE_TREE_BASE_DURATION: i64 = 4;
const UPDATE_ERRORS_OR_WARNINGS: i64 = 5;
const REMOVE_ROOT: i64 = 6;
const SET_SUBTREE_MODE: i64 = 7;
const SUSPENSE_ADD: i64 = 8;
const SUSPENSE_REMOVE: i64 = 9;
const SUSPENSE_REORDER_CHILDREN: i64 = 10;
const SUSPENSE_RESIZE: i64 = 11;

/// How one DevTools release lays out an ADD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Flags after a root's id and type.
    pub root_flags: usize,
    /// Whether a component's ADD ends with a name-prop string id.
    pub name_prop: bool,
}

/// Newest first.
pub const LAYOUTS: [Layout; 4] = [
    Layout {
        root_flags: 5,
        name_prop: true,
    },
    Layout {
        root_flags: 4,
        name_prop: true,
    },
    Layout {
        root_flags: 4,
        name_prop: false,
    },
    Layout {
        root_flags: 2,
        name_prop: false,
    },
];

/// A fiber as the profile knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fiber {
    pub name: Option<String>,
    pub element_type: i64,
    pub parent: i64,
    pub children: Vec<i64>,
}

/// What one commit's operations did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommitChanges {
    /// Fibers mounted in this commit.
    pub added: Vec<i64>,
    pub removed: Vec<i64>,
    /// Parents whose children were reordered.
    pub reordered: Vec<i64>,
}

/// The tree of one root as operations change it, and every fiber ever seen (removed fibers
/// keep their names, since they may have rendered before their removal).
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub live: HashMap<i64, Fiber>,
    pub seen: HashMap<i64, Fiber>,
}

impl Tree {
    pub fn insert(&mut self, id: i64, fiber: Fiber) {
        self.seen.insert(id, fiber.clone());
        self.live.insert(id, fiber);
    }
}

/// Reads operations, failing with a message that says where and what.
struct Cursor<'a> {
    ops: &'a [i64],
    at: usize,
    commit: usize,
}

impl Cursor<'_> {
    fn next(&mut self, what: &str) -> Result<i64, String> {
        let v = self.ops.get(self.at).copied().ok_or_else(|| {
            format!(
                "commit {}: the operations end where {what} was expected (position {})",
                self.commit, self.at
            )
        })?;
        self.at += 1;
        Ok(v)
    }

    fn skip(&mut self, n: usize, what: &str) -> Result<(), String> {
        if n > self.ops.len() - self.at {
            return Err(format!(
                "commit {}: the operations end inside {what} (position {})",
                self.commit, self.at
            ));
        }
        self.at += n;
        Ok(())
    }

    fn count(&mut self, what: &str) -> Result<usize, String> {
        let v = self.next(what)?;
        usize::try_from(v).map_err(|_| {
            format!(
                "commit {}: {what} is {v} at position {}, expected a count",
                self.commit,
                self.at - 1
            )
        })
    }
}

/// The string table: each string is its length then its code points.
fn string_table(c: &mut Cursor) -> Result<Vec<Option<String>>, String> {
    let size = c.count("the string table's size")?;
    if size > c.ops.len() - c.at {
        return Err(format!(
            "commit {}: the string table runs past the operations",
            c.commit
        ));
    }
    let end = c.at + size;
    let mut table = vec![None];
    while c.at < end {
        let len = c.count("a string's length")?;
        if len > end - c.at {
            return Err(format!(
                "commit {}: a string runs past the string table (position {})",
                c.commit, c.at
            ));
        }
        let s: String = c.ops[c.at..c.at + len]
            .iter()
            .map(|&cp| {
                u32::try_from(cp)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}')
            })
            .collect();
        table.push(Some(s));
        c.at += len;
    }
    Ok(table)
}

fn string<'t>(table: &'t [Option<String>], id: i64, c: &Cursor) -> Result<Option<&'t str>, String> {
    usize::try_from(id)
        .ok()
        .and_then(|i| table.get(i))
        .map(|s| s.as_deref())
        .ok_or_else(|| {
            format!(
                "commit {}: string {id} is not in the commit's string table (position {})",
                c.commit,
                c.at - 1
            )
        })
}

/// Applies one commit's operations to `tree`.
pub fn apply(
    tree: &mut Tree,
    ops: &[i64],
    commit: usize,
    layout: Layout,
) -> Result<CommitChanges, String> {
    let mut c = Cursor { ops, at: 0, commit };
    c.next("the renderer id")?;
    c.next("the root id")?;
    let strings = string_table(&mut c)?;
    let mut changes = CommitChanges::default();
    let unknown = |c: &Cursor, id: i64, op: &str| {
        format!(
            "commit {}: {op} refers to fiber {id}, which is not in the tree (position {})",
            c.commit, c.at
        )
    };
    while c.at < ops.len() {
        let op = c.next("an operation")?;
        match op {
            ADD => {
                let id = c.next("a fiber id")?;
                let element_type = c.next("an element type")?;
                if tree.live.contains_key(&id) {
                    return Err(format!(
                        "commit {commit}: fiber {id} is added twice (position {})",
                        c.at
                    ));
                }
                if element_type == TYPE_ROOT {
                    c.skip(layout.root_flags, "a root's flags")?;
                    tree.insert(
                        id,
                        Fiber {
                            name: None,
                            element_type,
                            parent: 0,
                            children: Vec::new(),
                        },
                    );
                } else {
                    let parent = c.next("a parent id")?;
                    c.next("an owner id")?;
                    let name = string(&strings, c.next("a name")?, &c)?.map(str::to_owned);
                    string(&strings, c.next("a key")?, &c)?;
                    if layout.name_prop {
                        string(&strings, c.next("a name prop")?, &c)?;
                    }
                    let Some(p) = tree.live.get_mut(&parent) else {
                        return Err(unknown(&c, parent, "an ADD's parent"));
                    };
                    p.children.push(id);
                    tree.insert(
                        id,
                        Fiber {
                            name,
                            element_type,
                            parent,
                            children: Vec::new(),
                        },
                    );
                }
                changes.added.push(id);
            }
            REMOVE => {
                let n = c.count("a removal count")?;
                for _ in 0..n {
                    let id = c.next("a removed fiber id")?;
                    let Some(fiber) = tree.live.remove(&id) else {
                        return Err(unknown(&c, id, "a REMOVE"));
                    };
                    if let Some(p) = tree.live.get_mut(&fiber.parent) {
                        p.children.retain(|&child| child != id);
                    }
                    changes.removed.push(id);
                }
            }
            REORDER_CHILDREN => {
                let id = c.next("a parent id")?;
                let n = c.count("a child count")?;
                if n > ops.len() - c.at {
                    return Err(format!(
                        "commit {commit}: a reorder runs past the operations (position {})",
                        c.at
                    ));
                }
                let children = ops[c.at..c.at + n].to_vec();
                c.at += n;
                let Some(fiber) = tree.live.get_mut(&id) else {
                    return Err(unknown(&c, id, "a REORDER_CHILDREN"));
                };
                fiber.children = children;
                changes.reordered.push(id);
            }
            UPDATE_TREE_BASE_DURATION => c.skip(2, "a base duration update")?,
            UPDATE_ERRORS_OR_WARNINGS => c.skip(3, "an errors-and-warnings update")?,
            REMOVE_ROOT => {
                return Err(format!(
                    "commit {commit}: a root was removed while profiling, which DevTools does not support either"
                ))
            }
            SET_SUBTREE_MODE => c.skip(2, "a subtree mode")?,
            SUSPENSE_ADD => {
                c.skip(3, "a suspense node")?;
                let rects = c.next("a rectangle count")?;
                c.skip(rect_values(rects, &c)?, "rectangles")?;
            }
            SUSPENSE_REMOVE => {
                let n = c.count("a suspense removal count")?;
                c.skip(n, "suspense removals")?;
            }
            SUSPENSE_REORDER_CHILDREN => {
                c.next("a suspense id")?;
                let n = c.count("a child count")?;
                c.skip(n, "suspense children")?;
            }
            SUSPENSE_RESIZE => {
                c.next("a suspense id")?;
                let rects = c.next("a rectangle count")?;
                c.skip(rect_values(rects, &c)?, "rectangles")?;
            }
            other => {
                return Err(format!(
                    "commit {commit}: unknown operation {other} at position {} (an export from a DevTools version harscope does not know)",
                    c.at - 1
                ))
            }
        }
    }
    Ok(changes)
}

/// `-1` rectangles means none; otherwise four numbers each.
fn rect_values(rects: i64, c: &Cursor) -> Result<usize, String> {
    match rects {
        -1 => Ok(0),
        n if n >= 0 => usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_mul(4))
            .ok_or_else(|| {
                format!(
                    "commit {}: {n} rectangles at position {}",
                    c.commit,
                    c.at - 1
                )
            }),
        n => Err(format!(
            "commit {}: {n} rectangles at position {}",
            c.commit,
            c.at - 1
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with_root() -> Tree {
        let mut t = Tree::default();
        t.insert(
            1,
            Fiber {
                name: None,
                element_type: TYPE_ROOT,
                parent: 0,
                children: vec![2],
            },
        );
        t.insert(
            2,
            Fiber {
                name: Some("App".into()),
                element_type: 5,
                parent: 1,
                children: vec![],
            },
        );
        t
    }

    fn strings(names: &[&str]) -> Vec<i64> {
        let mut table = Vec::new();
        for n in names {
            table.push(n.chars().count() as i64);
            table.extend(n.chars().map(|c| c as i64));
        }
        let mut out = vec![table.len() as i64];
        out.extend(table);
        out
    }

    #[test]
    fn adds_removes_and_reorders() {
        let layout = LAYOUTS[0];
        let mut t = tree_with_root();
        let mut ops = vec![1, 1];
        ops.extend(strings(&["Row", "Row"]));
        // Two Rows under App (name-prop string 0), then a base-duration update.
        ops.extend([
            ADD, 10, 5, 2, 2, 1, 0, 0, ADD, 11, 5, 2, 2, 2, 0, 0, 4, 10, 120,
        ]);
        let changes = apply(&mut t, &ops, 0, layout).unwrap();
        assert_eq!(changes.added, vec![10, 11]);
        assert_eq!(t.live[&2].children, vec![10, 11]);
        assert_eq!(t.live[&10].name.as_deref(), Some("Row"));

        let ops = vec![1, 1, 0, REORDER_CHILDREN, 2, 2, 11, 10, REMOVE, 1, 10];
        let changes = apply(&mut t, &ops, 1, layout).unwrap();
        assert_eq!(changes.reordered, vec![2]);
        assert_eq!(changes.removed, vec![10]);
        assert_eq!(t.live[&2].children, vec![11]);
        assert!(!t.live.contains_key(&10));
        assert_eq!(
            t.seen[&10].name.as_deref(),
            Some("Row"),
            "removed fibers keep their names"
        );
    }

    #[test]
    fn unknown_opcodes_and_fibers_are_errors() {
        let mut t = tree_with_root();
        let err = apply(&mut t, &[1, 1, 0, 42, 7], 3, LAYOUTS[0]).unwrap_err();
        assert!(
            err.contains("commit 3: unknown operation 42 at position 3"),
            "{err}"
        );
        let err = apply(&mut t, &[1, 1, 0, REMOVE, 1, 99], 0, LAYOUTS[0]).unwrap_err();
        assert!(err.contains("fiber 99"), "{err}");
        let err = apply(&mut t, &[1, 1, 0, ADD, 5, 5, 77, 2, 0, 0, 0], 0, LAYOUTS[0]).unwrap_err();
        assert!(err.contains("fiber 77"), "{err}");
        let err = apply(&mut t, &[1, 1, 3, 9, 65], 0, LAYOUTS[0]).unwrap_err();
        assert!(err.contains("string"), "{err}");
        let err = apply(&mut t, &[1, 1, 0, ADD, 5], 0, LAYOUTS[0]).unwrap_err();
        assert!(err.contains("operations end"), "{err}");
    }

    #[test]
    fn suspense_operations_are_skipped_by_size() {
        let mut t = tree_with_root();
        let ops = vec![
            1,
            1,
            0,
            SUSPENSE_RESIZE,
            1,
            2,
            0,
            0,
            10,
            10,
            5,
            5,
            20,
            20,
            SUSPENSE_RESIZE,
            1,
            -1,
        ];
        assert_eq!(
            apply(&mut t, &ops, 0, LAYOUTS[0]).unwrap(),
            CommitChanges::default()
        );
    }
}
