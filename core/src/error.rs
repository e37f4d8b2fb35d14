//! Everything a synth can find wrong, reported together.

use std::fmt;
use std::panic::Location;

/// Where in the user's Rust code something was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallSite(pub(crate) &'static Location<'static>);

impl fmt::Display for CallSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0.file(), self.0.line())
    }
}

/// One problem found by [`Stack::synth`](crate::Stack::synth).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// Two declarations share one address.
    #[error(
        "duplicate address `{address}` in stack `{stack}`: added at {first} and again at {second}\n  hint: give each resource of one type a distinct name"
    )]
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
    #[error(
        "invalid {what} name {name:?} in stack `{stack}` (at {site}): a name must start with a letter or `_` and contain only letters, digits, `_` and `-`\n  hint: rename it, e.g. {suggestion:?}"
    )]
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
    #[error(
        "`{from}` in stack `{stack}` (at {site}) refers to `{target}`, which belongs to another stack\n  hint: a stack can only reference its own resources; pass the value in as a variable, or add the resource to this stack"
    )]
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
    #[error("dependency cycle in stack `{stack}` between {} resources:\n{}\n  hint: remove one of these references or `depends_on`, so that one resource can be created first", members.len(), members.iter().map(|(a, s)| format!("    {a} (added at {s})")).collect::<Vec<_>>().join("\n"))]
    Cycle {
        /// The stack.
        stack: String,
        /// Every member of the cycle (address and call site), sorted by address.
        members: Vec<(String, CallSite)>,
    },
    /// A value the typed builders accepted but Terraform or AWS would reject.
    #[error("invalid value for `{field}` of `{address}` in stack `{stack}` (at {site}): {problem}\n  hint: {hint}")]
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
}

/// All problems of one synth, in a stable order.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthErrors(pub Vec<SynthError>);

impl fmt::Display for SynthErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "synth found {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}. {e}", i + 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for SynthErrors {}
