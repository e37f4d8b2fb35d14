//! Typed schedule expressions.
