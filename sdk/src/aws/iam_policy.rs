//! Typed IAM policy documents.
