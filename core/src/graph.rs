//! The dependency graph of a stack: resources as nodes, references and `depends_on` as
//! edges (petgraph inside, not in the API), its cycles, and what a valid name is.

use petgraph::algo::scc::TarjanScc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::address::{Address, NodeRef, StackId};
use crate::node::Node;

/// Why one resource depends on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// An argument refers to the other resource.
    Reference,
    /// An explicit `depends_on`.
    DependsOn,
}

/// The resources of a stack and the dependencies between them. An edge points from a
/// resource to what it depends on.
#[derive(Debug, Clone)]
pub struct StackGraph {
    /// Node weights are addresses (in the order resources were added), edge weights the
    /// kind of dependency.
    graph: DiGraph<Address, EdgeKind>,
}

impl StackGraph {
    /// How many nodes (resources and data sources).
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// How many edges (distinct dependencies).
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every node's address, in the order resources were added.
    pub fn nodes(&self) -> impl Iterator<Item = Address> + '_ {
        self.graph.node_weights().copied()
    }

    /// Every edge as (dependent, dependency, kind), sorted for stable output.
    pub fn edges(&self) -> Vec<(Address, Address, EdgeKind)> {
        let mut edges: Vec<_> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                Some((self.graph[a], self.graph[b], self.graph[e]))
            })
            .collect();
        edges.sort();
        edges
    }
}

impl StackGraph {
    /// Calls `cycle` with the node indices of every strongly connected component of more
    /// than one node. Components are visited in place: nothing is allocated for the (usual)
    /// single nodes.
    pub(crate) fn for_each_cycle(&self, mut cycle: impl FnMut(&[usize])) {
        let mut members = Vec::new();
        TarjanScc::new().run(&self.graph, |scc| {
            if scc.len() > 1 {
                members.clear();
                members.extend(scc.iter().map(|i| i.index()));
                cycle(&members);
            }
        });
    }
}

/// The graph of the nodes of stack `stack`; references into other stacks are left out
/// (the checks report them).
pub(crate) fn build(stack: StackId, nodes: &[Node]) -> StackGraph {
    let mut graph = DiGraph::with_capacity(nodes.len(), nodes.len() * 2);
    for node in nodes {
        graph.add_node(node.address);
    }
    let own = |r: &NodeRef| r.stack == stack && (r.index as usize) < nodes.len();
    let mut seen: Vec<(u32, EdgeKind)> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let from = NodeIndex::new(i);
        seen.clear();
        let edges = node.refs.iter().map(|r| (r, EdgeKind::Reference)).chain(
            node.depends_on
                .iter()
                .map(|(r, _)| (r, EdgeKind::DependsOn)),
        );
        for (target, kind) in edges {
            if own(target) && !seen.contains(&(target.index, kind)) {
                seen.push((target.index, kind));
                graph.add_edge(from, NodeIndex::new(target.index as usize), kind);
            }
        }
    }
    StackGraph { graph }
}

/// Terraform identifiers: a letter or `_` first, then letters, digits, `_` or `-`.
pub fn is_identifier(name: &str) -> bool {
    // Bytes, not chars: every allowed character is ASCII, and no byte of a multi-byte
    // character is.
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && bytes.all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// The closest Terraform identifier to `name`: every other character as `_`, and a `_` in
/// front when it does not start with a letter or `_` (`"orders v2"` → `orders_v2`, `"9x"` →
/// `_9x`).
///
/// ```
/// use oxiform_core::graph::{identifier_from, is_identifier};
///
/// assert_eq!(identifier_from("orders v2"), "orders_v2");
/// assert!(is_identifier(&identifier_from("9/x")));
/// ```
pub fn identifier_from(name: &str) -> String {
    let mut ident: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !ident.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        ident.insert(0, '_');
    }
    ident
}

#[cfg(test)]
mod tests {
    use super::is_identifier;

    #[test]
    fn identifiers() {
        for ok in ["a", "_a", "llama-70b", "A_1"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "1a", "-a", "a.b", "a b", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
