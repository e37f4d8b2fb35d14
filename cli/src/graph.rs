//! `graph`: the stack's dependency graph as Graphviz dot or Mermaid.

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
