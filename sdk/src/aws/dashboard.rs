//! Typed CloudWatch dashboard bodies.
