//! Where in the input a block is: the file and text around it, for the line numbers of
//! warnings and errors and for the HCL kept raw. Apart from the lowering so that what reads
//! the input before or beside it (module calls, type constraints) need not name the
//! lowering.

use std::ops::Range;

use hcl_edit::structure::{Block, BlockLabel};

/// Where in the input a declaration is.
#[derive(Clone, Copy)]
pub(super) struct Src<'s> {
    /// The file's name, as warnings show it.
    pub file: &'s str,
    /// The file's text, which spans index.
    pub text: &'s str,
}

impl Src<'_> {
    /// The line (from 1) a span starts on; line 1 without a span.
    pub fn line(&self, span: Option<Range<usize>>) -> u32 {
        let at = span.map_or(0, |r| r.start).min(self.text.len());
        let line = self.text.as_bytes()[..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        u32::try_from(line + 1).unwrap_or(u32::MAX)
    }

    /// The text of a span, trimmed.
    pub fn slice(&self, span: Option<Range<usize>>) -> Option<&str> {
        span.and_then(|r| self.text.get(r)).map(str::trim)
    }
}

/// A top-level block with the file it is in.
pub(super) struct Top<'s> {
    /// The file.
    pub src: Src<'s>,
    /// The block.
    pub block: &'s Block,
}

/// A block's label `i`, quoted or not.
pub(super) fn label(block: &Block, i: usize) -> Option<&str> {
    block.labels.get(i).map(|l| match l {
        BlockLabel::Ident(id) => id.as_str(),
        BlockLabel::String(s) => s.as_str(),
    })
}
