//! `graph`: a stack's dependency graph, or an app's graph of stacks, as Graphviz dot or
//! Mermaid.

use oxiform::graph::{EdgeKind, StackGraph};

/// Output formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Graphviz `digraph`.
    Dot,
    /// Mermaid `flowchart`.
    Mermaid,
}

/// Renders the graph: resources as nodes labelled by address, references as solid edges,
/// `depends_on` as dashed edges, from a resource to what it depends on.
pub fn render(graph: &StackGraph, format: GraphFormat) -> String {
    let mut nodes: Vec<String> = graph.nodes().map(|a| a.to_string()).collect();
    nodes.sort();
    let id = |address: &str| {
        nodes
            .binary_search_by(|n| n.as_str().cmp(address))
            .unwrap_or(0)
    };
    let edges = graph.edges();
    let mut out = String::new();
    match format {
        GraphFormat::Dot => {
            out.push_str("digraph {\n  rankdir = \"RL\";\n  node [shape = box];\n");
            for n in &nodes {
                out.push_str(&format!("  \"{n}\";\n"));
            }
            for (from, to, kind) in &edges {
                let style = match kind {
                    EdgeKind::Reference => "",
                    EdgeKind::DependsOn => " [style = dashed, label = \"depends_on\"]",
                };
                out.push_str(&format!("  \"{from}\" -> \"{to}\"{style};\n"));
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart RL\n");
            for n in &nodes {
                out.push_str(&format!("  n{}[\"{n}\"]\n", id(n)));
            }
            for (from, to, kind) in &edges {
                let arrow = match kind {
                    EdgeKind::Reference => "-->",
                    EdgeKind::DependsOn => "-. depends_on .->",
                };
                out.push_str(&format!(
                    "  n{} {arrow} n{}\n",
                    id(&from.to_string()),
                    id(&to.to_string())
                ));
            }
        }
    }
    out
}

/// Renders an app's graph of stacks: stacks as nodes, and an edge from each stack to every
/// stack whose exports it reads, labelled with the exports (`reads` holds, per stack, the
/// (stack, export) pairs it reads).
pub fn render_app(stacks: &[(&str, &[(String, String)])], format: GraphFormat) -> String {
    let mut edges: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for (consumer, reads) in stacks {
        for (producer, export) in *reads {
            match edges
                .iter_mut()
                .find(|(c, p, _)| c == consumer && p == producer)
            {
                Some((_, _, exports)) => exports.push(export),
                None => edges.push((consumer, producer, vec![export])),
            }
        }
    }
    let mut out = String::new();
    match format {
        GraphFormat::Dot => {
            out.push_str("digraph {\n  rankdir = \"RL\";\n  node [shape = box];\n");
            for (name, _) in stacks {
                out.push_str(&format!("  \"{name}\";\n"));
            }
            for (from, to, exports) in &edges {
                out.push_str(&format!(
                    "  \"{from}\" -> \"{to}\" [label = \"{}\"];\n",
                    exports.join(", ")
                ));
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart RL\n");
            let id = |name: &str| stacks.iter().position(|(n, _)| *n == name).unwrap_or(0);
            for (i, (name, _)) in stacks.iter().enumerate() {
                out.push_str(&format!("  s{i}[\"{name}\"]\n"));
            }
            for (from, to, exports) in &edges {
                out.push_str(&format!(
                    "  s{} -- \"{}\" --> s{}\n",
                    id(from),
                    exports.join(", "),
                    id(to)
                ));
            }
        }
    }
    out
}
