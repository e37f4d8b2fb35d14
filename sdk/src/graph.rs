//! The dependency graph of a stack (petgraph), and the checks run before anything is
//! written: invalid names, duplicate addresses, references into other stacks, cycles.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use petgraph::algo::scc::TarjanScc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::error::{CallSite, SynthError};
use crate::handle::{Address, NodeRef};
use crate::stack::Stack;

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
    /// The petgraph graph: node weights are addresses, edge weights the kind of dependency.
    pub graph: DiGraph<Address, EdgeKind>,
}

impl StackGraph {
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

/// The graph of `stack`'s own nodes; references into other stacks are left out (they are
/// reported by [`check`]).
pub(crate) fn build(stack: &Stack) -> StackGraph {
    let mut graph = DiGraph::with_capacity(stack.nodes.len(), stack.nodes.len() * 2);
    for node in &stack.nodes {
        graph.add_node(node.address);
    }
    let own = |r: &NodeRef| r.stack == stack.id() && (r.index as usize) < stack.nodes.len();
    let mut seen: Vec<(u32, EdgeKind)> = Vec::new();
    for (i, node) in stack.nodes.iter().enumerate() {
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

/// Every problem of `stack`, in a stable order: names, duplicates, foreign references,
/// cycles.
pub(crate) fn check(stack: &Stack) -> Vec<SynthError> {
    let mut errors: Vec<SynthError> = stack.deferred.iter().map(|d| d.0.clone()).collect();
    let stack_name = stack.name().to_owned();

    // Names.
    for node in &stack.nodes {
        check_identifier(
            &stack_name,
            "resource",
            node.address.name,
            node.site,
            &mut errors,
        );
    }
    for (what, list) in [
        ("variable", &stack.variables),
        ("local", &stack.locals),
        ("output", &stack.outputs),
    ] {
        for named in list {
            check_identifier(&stack_name, what, &named.name, named.site, &mut errors);
        }
    }

    // Duplicates: keyed by address, so no text is built unless there is a problem.
    let mut first: HashMap<Address, CallSite> = HashMap::with_capacity(stack.nodes.len());
    for node in &stack.nodes {
        match first.entry(node.address) {
            Entry::Occupied(earlier) => errors.push(SynthError::DuplicateAddress {
                stack: stack_name.clone(),
                address: node.address.to_string(),
                first: *earlier.get(),
                second: node.site,
            }),
            Entry::Vacant(slot) => {
                slot.insert(node.site);
            }
        }
    }
    let mut first_named: HashMap<(&str, &str), CallSite> = HashMap::new();
    for (what, list) in [
        ("var", &stack.variables),
        ("local", &stack.locals),
        ("output", &stack.outputs),
    ] {
        for named in list {
            match first_named.entry((what, named.name.as_str())) {
                Entry::Occupied(earlier) => errors.push(SynthError::DuplicateAddress {
                    stack: stack_name.clone(),
                    address: format!("{what}.{}", named.name),
                    first: *earlier.get(),
                    second: named.site,
                }),
                Entry::Vacant(slot) => {
                    slot.insert(named.site);
                }
            }
        }
    }

    // References into other stacks.
    let foreign = |r: &NodeRef| r.stack != stack.id();
    for node in &stack.nodes {
        let from = || node.address.to_string();
        for r in node.refs.iter().filter(|r| foreign(r)) {
            errors.push(foreign_error(&stack_name, &from(), r, node.site));
        }
        for (r, site) in node.depends_on.iter().filter(|(r, _)| foreign(r)) {
            errors.push(foreign_error(&stack_name, &from(), r, *site));
        }
    }
    for (what, list) in [("local", &stack.locals), ("output", &stack.outputs)] {
        for named in list {
            let from = format!("{what}.{}", named.name);
            for r in named.refs.iter().filter(|r| foreign(r)) {
                errors.push(foreign_error(&stack_name, &from, r, named.site));
            }
        }
    }

    // Cycles: every strongly connected component with more than one member.
    // Components are visited in place: nothing is allocated for the (usual) single nodes.
    let graph = build(stack);
    let mut cycles: Vec<Vec<(String, CallSite)>> = Vec::new();
    TarjanScc::new().run(&graph.graph, |scc| {
        if scc.len() > 1 {
            let mut members: Vec<(String, CallSite)> = scc
                .iter()
                .map(|i| {
                    let node = &stack.nodes[i.index()];
                    (node.address.to_string(), node.site)
                })
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            cycles.push(members);
        }
    });
    cycles.sort_by(|a, b| a[0].0.cmp(&b[0].0));
    errors.extend(cycles.into_iter().map(|members| SynthError::Cycle {
        stack: stack_name.clone(),
        members,
    }));
    errors
}

fn foreign_error(stack: &str, from: &str, target: &NodeRef, site: CallSite) -> SynthError {
    SynthError::ForeignReference {
        stack: stack.to_owned(),
        from: from.to_owned(),
        target: target.address().to_string(),
        site,
    }
}

/// Terraform identifiers: a letter or `_` first, then letters, digits, `_` or `-`.
pub fn is_identifier(name: &str) -> bool {
    // Bytes, not chars: every allowed character is ASCII, and no byte of a multi-byte
    // character is.
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && bytes.all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn check_identifier(
    stack: &str,
    what: &'static str,
    name: &str,
    site: CallSite,
    errors: &mut Vec<SynthError>,
) {
    if is_identifier(name) {
        return;
    }
    let mut suggestion: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !suggestion.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        suggestion.insert(0, '_');
    }
    errors.push(SynthError::InvalidIdentifier {
        stack: stack.to_owned(),
        what,
        name: name.to_owned(),
        suggestion,
        site,
    });
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
