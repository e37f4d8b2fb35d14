//! [`JsonTemplate::jsonencode`]: JSON with references, written as Terraform's own
//! `jsonencode(…)` call.
//!
//! [`JsonTemplate::to_value`] writes the JSON text itself (keys in insertion order, Rust's
//! escaping) and splices each expression. That is right for IAM policies, which the AWS
//! provider compares by meaning, but an argument compared as a plain string (an SQS
//! `redrive_policy`, a task definition's JSON) must be byte for byte what Terraform's
//! `jsonencode` writes: compact, object keys sorted, `<`, `>` and `&` escaped as `\u003c`…
//! The sure way is to let Terraform write it: [`JsonTemplate::jsonencode`] turns the tree
//! into the HCL expression `jsonencode({"key" = value, …})`, each expression leaf spliced as
//! its HCL (so references stay references, and graph edges), each literal quoted as HCL.
//!
//! ```
//! use oxiform_core::json_template::JsonTemplate;
//! use oxiform_core::Expr;
//!
//! let dlq_arn: Expr<String> = Expr::raw("aws_sqs_queue.dlq.arn");
//! let redrive = JsonTemplate::object([
//!     ("deadLetterTargetArn", JsonTemplate::from(dlq_arn)),
//!     ("maxReceiveCount", JsonTemplate::from(5)),
//! ]);
//! assert_eq!(
//!     redrive.jsonencode().to_json_string(),
//!     r#"${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn, "maxReceiveCount" = 5})}"#
//! );
//! ```

use crate::address::NodeRef;
use crate::escape::quote_hcl;
use crate::json_template::JsonTemplate;
use crate::value::Expr;

impl JsonTemplate {
    /// The tree as the Terraform expression `jsonencode(…)`: a string Terraform writes itself
    /// (compact, keys sorted, its own escaping), equal to what the same `jsonencode` call in
    /// HCL gives. Depends on every node an expression leaf depends on.
    pub fn jsonencode(&self) -> Expr<String> {
        let mut text = String::from("jsonencode(");
        let mut deps = Vec::new();
        write_hcl(self, &mut text, &mut deps);
        text.push(')');
        Expr::raw_with_deps(text, deps)
    }
}

/// Writes `json` as an HCL expression: literals as HCL literals, expressions as their HCL.
fn write_hcl(json: &JsonTemplate, out: &mut String, deps: &mut Vec<NodeRef>) {
    match json {
        JsonTemplate::Null => out.push_str("null"),
        JsonTemplate::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonTemplate::Number(n) => out.push_str(&n.to_string()),
        JsonTemplate::String(s) => out.push_str(&quote_hcl(s)),
        JsonTemplate::Expr(e) => {
            for d in e.deps() {
                if !deps.contains(d) {
                    deps.push(*d);
                }
            }
            out.push_str(&e.hcl());
        }
        JsonTemplate::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_hcl(item, out, deps);
            }
            out.push(']');
        }
        JsonTemplate::Object(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote_hcl(key));
                out.push_str(" = ");
                write_hcl(value, out, deps);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template;

    #[test]
    fn literals_are_quoted_as_hcl_and_never_evaluated() {
        let doc = JsonTemplate::object([
            ("b", JsonTemplate::from("say \"${hi}\"\n")),
            (
                "a",
                JsonTemplate::array([JsonTemplate::Null, true.into(), 1.5.into()]),
            ),
            ("c", JsonTemplate::object::<&str, JsonTemplate>([])),
        ]);
        let e = doc.jsonencode();
        assert_eq!(
            e.hcl(),
            r#"jsonencode({"b" = "say \"$${hi}\"\n", "a" = [null, true, 1.5], "c" = {}})"#
        );
        assert!(e.deps().is_empty());
    }

    #[test]
    fn expressions_are_spliced_with_their_dependencies() {
        let node = NodeRef {
            stack: crate::address::StackId(0),
            index: 0,
            kind: crate::address::ResourceKind::Managed,
            type_name: "aws_sqs_queue",
            name: "dlq",
            instance: crate::address::Instance::default(),
        };
        let arn: Expr<String> = Expr::reference(node, "arn");
        let name: Expr<String> = template!("{}-x", Expr::<String>::reference(node, "name"));
        let doc = JsonTemplate::object([("arn", arn), ("name", name)]);
        let e = doc.jsonencode();
        assert_eq!(
            e.hcl(),
            r#"jsonencode({"arn" = aws_sqs_queue.dlq.arn, "name" = "${aws_sqs_queue.dlq.name}-x"})"#
        );
        assert_eq!(e.deps(), [node]);
    }
}
