//! [`Waiver`]: a policy rule waived for one resource, declared in code with a reason. Plain
//! data that the stack carries; the policy gate decides what it covers.

use std::panic::Location;

/// A rule waived for one resource address, in code, with the reason shown in `check` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The rule id, e.g. `OXI-TAG-001`.
    pub rule: String,
    /// The resource address the waiver applies to, e.g. `aws_s3_bucket.logs`; `*` for all.
    pub address: String,
    /// Why the rule does not apply.
    pub reason: String,
    /// Where the waiver was declared (`file:line`).
    pub site: String,
}

impl Waiver {
    /// A waiver of `rule` for `address`, declared at `site`.
    pub fn new(rule: &str, address: &str, reason: &str, site: &'static Location<'static>) -> Self {
        Waiver {
            rule: rule.to_owned(),
            address: address.to_owned(),
            reason: reason.to_owned(),
            site: format!("{}:{}", site.file(), site.line()),
        }
    }
}
