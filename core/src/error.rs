//! Everything a synth can find wrong, reported together.

use std::fmt;

use crate::diagnostic::{Diagnostic, Place, ToDiagnostic};

pub use crate::diagnostic::CallSite;

/// One problem found by [`Stack::synth`](crate::Stack::synth).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SynthError {
    /// Two declarations share one address.
    DuplicateAddress {
        /// The stack.
        stack: String,
        /// The address declared twice.
        address: String,
        /// Where it was first declared.
        first: CallSite,
        /// Where it was declared again.
        second: CallSite,
    },
    /// A name Terraform would reject.
    InvalidIdentifier {
        /// The stack.
        stack: String,
        /// What was named: resource, output, variable, local.
        what: &'static str,
        /// The name as given.
        name: String,
        /// A valid name close to it.
        suggestion: String,
        /// Where it was declared.
        site: CallSite,
    },
    /// A value refers to a resource that belongs to another stack.
    ForeignReference {
        /// The stack.
        stack: String,
        /// The referring declaration.
        from: String,
        /// The foreign resource.
        target: String,
        /// Where the referring declaration was made.
        site: CallSite,
    },
    /// Resources that depend on each other in a circle.
    Cycle {
        /// The stack.
        stack: String,
        /// Every member of the cycle (address and call site), sorted by address.
        members: Vec<(String, CallSite)>,
    },
    /// A value the typed builders accepted but Terraform or AWS would reject.
    InvalidValue {
        /// The stack.
        stack: String,
        /// The resource (or output) address.
        address: String,
        /// The argument.
        field: String,
        /// What is wrong, quoting the value.
        problem: String,
        /// How to fix it.
        hint: String,
        /// Where it was declared.
        site: CallSite,
    },
    /// A `moved`, `import` or `removed` block Terraform would refuse or that would do
    /// nothing.
    InvalidBlock {
        /// The stack.
        stack: String,
        /// `moved`, `import` or `removed`.
        block: &'static str,
        /// The address the block names (`from` of `moved` and `removed`, `to` of `import`).
        address: String,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        hint: String,
        /// Where the block was added.
        site: CallSite,
    },
    /// Stacks of an [`App`](crate::app::App) that read each other's exports in a circle:
    /// none of them could be applied first.
    StackCycle {
        /// The app.
        app: String,
        /// The reads around the circle, each stack reading the next one's export; the last
        /// reads the first's.
        hops: Vec<StackHop>,
    },
    /// A read of another stack's [`Export`](crate::export::Export) that cannot be wired: the
    /// producer is not in the app, the app has no backend to read it through, the stack is
    /// synthesised alone, or it reads its own export.
    CrossStack {
        /// The reading stack.
        stack: String,
        /// The reading declaration (`aws_security_group.api`, `output.x`).
        from: String,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        hint: String,
        /// Where the reading declaration was made.
        site: CallSite,
    },
    /// `count.index` or `each.*` where they mean nothing (a resource without the matching
    /// meta-argument, a local, an output), or `count` together with `for_each`.
    MetaArgument {
        /// The stack.
        stack: String,
        /// The declaration (`aws_sqs_queue.work`, `output.x`).
        address: String,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        hint: String,
        /// Where the declaration was made.
        site: CallSite,
    },
}

/// One read in a cycle between stacks: `consumer` reads `export` of `producer`.
#[derive(Debug, Clone, PartialEq)]
pub struct StackHop {
    /// The reading stack.
    pub consumer: String,
    /// The declaration that reads (`aws_security_group.api`, `output.x`).
    pub from: String,
    /// The exporting stack.
    pub producer: String,
    /// The export's name.
    pub export: String,
    /// Where the reading declaration was made.
    pub site: CallSite,
}

impl ToDiagnostic for SynthError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            SynthError::DuplicateAddress {
                stack,
                address,
                first,
                second,
            } => Diagnostic::error(format!("added at {first} and again at {second}"))
                .lead("duplicate address")
                .place(Place::new().address(address).stack(stack))
                .hint("give each resource of one type a distinct name"),
            SynthError::InvalidIdentifier {
                stack,
                what,
                name,
                suggestion,
                site,
            } => Diagnostic::error(
                "a name must start with a letter or `_` and contain only letters, digits, `_` and `-`",
            )
            .lead(format!("invalid {what} name {name:?}"))
            .place(Place::new().stack(stack).site(*site))
            .hint(format!("rename it, e.g. {suggestion:?}")),
            SynthError::ForeignReference {
                stack,
                from,
                target,
                site,
            } => Diagnostic::error(format!("refers to `{target}`, which belongs to another stack"))
                .place(Place::new().address(from).stack(stack).site(*site))
                .run_on()
                .hint("a stack can only reference its own resources: export the value from its stack (`other.export(name, Output::new(value))`) and use the `Export` here, both stacks in one `App`; or add the resource to this stack"),
            SynthError::Cycle { stack, members } => {
                let d = Diagnostic::error(format!("between {} resources:", members.len()))
                    .lead("dependency cycle")
                    .place(Place::new().stack(stack))
                    .run_on();
                members
                    .iter()
                    .fold(d, |d, (a, s)| d.body_line(format!("{a} (added at {s})")))
                    .hint("remove one of these references or `depends_on`, so that one resource can be created first")
            }
            SynthError::InvalidValue {
                stack,
                address,
                field,
                problem,
                hint,
                site,
            } => Diagnostic::error(problem)
                .lead("invalid value for")
                .place(
                    Place::new()
                        .field(field)
                        .address(address)
                        .stack(stack)
                        .site(*site),
                )
                .hint(hint),
            SynthError::InvalidBlock {
                stack,
                block,
                address,
                problem,
                hint,
                site,
            } => Diagnostic::error(problem)
                .lead(format!("invalid `{block}` block for"))
                .place(Place::new().address(address).stack(stack).site(*site))
                .hint(hint),
            SynthError::StackCycle { app, hops } => {
                let path: Vec<&str> = hops
                    .iter()
                    .map(|h| h.consumer.as_str())
                    .chain(hops.first().map(|h| h.consumer.as_str()))
                    .collect();
                let d = Diagnostic::error(format!(
                    "between {} stacks, {} (none can be applied first):",
                    hops.len(),
                    path.join(" → ")
                ))
                .lead(format!("dependency cycle in app `{app}`"))
                .run_on();
                hops.iter()
                    .fold(d, |d, h| {
                        d.body_line(format!(
                            "`{}` reads `{}.{}` in `{}` (at {})",
                            h.consumer, h.producer, h.export, h.from, h.site
                        ))
                    })
                    .hint("a stack cannot read a stack that reads it: move what both need into a stack of its own that both read, or drop one of these reads")
            }
            SynthError::CrossStack {
                stack,
                from,
                problem,
                hint,
                site,
            } => Diagnostic::error(problem)
                .lead("invalid read of another stack in")
                .place(Place::new().address(from).stack(stack).site(*site))
                .hint(hint),
            SynthError::MetaArgument {
                stack,
                address,
                problem,
                hint,
                site,
            } => Diagnostic::error(problem)
                .lead("invalid meta-argument use in")
                .place(Place::new().address(address).stack(stack).site(*site))
                .hint(hint),
        }
    }
}

impl fmt::Display for SynthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for SynthError {}

/// All problems of one synth, in a stable order.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthErrors(pub Vec<SynthError>);

impl ToDiagnostic for SynthErrors {
    /// `synth found N problems:` with each problem numbered under it.
    fn to_diagnostic(&self) -> Diagnostic {
        let n = self.0.len();
        Diagnostic::error(format!(
            "synth found {n} problem{}:",
            if n == 1 { "" } else { "s" }
        ))
        .children(self.0.iter().map(ToDiagnostic::to_diagnostic))
    }
}

impl fmt::Display for SynthErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for SynthErrors {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The place is data (stack, address, field, call site with its column) and words in the
    /// message; the hint is its own part.
    #[test]
    fn an_invalid_value_carries_its_place_and_hint_as_data() {
        let site = CallSite::caller();
        let e = SynthError::InvalidValue {
            stack: "demo".into(),
            address: "aws_s3_bucket.b".into(),
            field: "bucket".into(),
            problem: "\"Logs\" has capital letters".into(),
            hint: "use lower case".into(),
            site,
        };
        let d = e.to_diagnostic();
        let place = d.get_place();
        assert_eq!(place.get_stack(), Some("demo"));
        assert_eq!(place.get_address(), Some("aws_s3_bucket.b"));
        assert_eq!(place.get_field(), Some("bucket"));
        assert_eq!(place.get_site().map(|s| s.column()), Some(site.column()));
        assert_eq!(d.get_hint(), Some("use lower case"));
        assert_eq!(
            e.to_string(),
            format!("invalid value for `bucket` of `aws_s3_bucket.b` in stack `demo` (at {site}): \"Logs\" has capital letters\n  hint: use lower case")
        );
        assert_eq!(
            SynthErrors(vec![e.clone(), e]).to_string(),
            format!("synth found 2 problems:\n1. {d}\n2. {d}")
        );
    }
}
