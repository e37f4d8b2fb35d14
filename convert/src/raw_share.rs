//! The share of a conversion's expressions kept as raw HCL: counted by the lowering, summed
//! and reported by the crate (a module of its own, below both).

/// How many expressions a conversion read, and how many of them it kept as raw HCL: every
/// expression node counts (`a.b`, `f(x)` and its `x`…), so a raw `f(x)` counts two.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawShare {
    /// Expression nodes read.
    pub expressions: usize,
    /// Of those, the nodes kept as raw HCL.
    pub raw: usize,
}

impl RawShare {
    /// Adds another conversion's counts.
    pub fn add(&mut self, other: RawShare) {
        self.expressions += other.expressions;
        self.raw += other.raw;
    }

    /// The share kept raw, in per mille (0 for no expression), rounded up so that any raw
    /// expression shows.
    pub fn per_mille(&self) -> usize {
        if self.expressions == 0 {
            0
        } else {
            (self.raw * 1000).div_ceil(self.expressions)
        }
    }
}
