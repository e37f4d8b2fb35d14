//! One input file of a conversion; below `lower`, which reads it, and the crate root,
//! which re-exports it.

/// One input file: the name its messages show, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file name as messages show it (`main.tf`, `modules/db/main.tf`, `<stdin>`).
    pub name: String,
    /// The HCL text.
    pub text: String,
}

impl Source {
    /// A source called `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }
}
