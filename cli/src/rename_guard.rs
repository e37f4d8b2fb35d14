//! The rename guard: `plan` and `apply` refuse a plan that destroys a stateful resource
//! whose arguments reappear under another address — what terraform plans when a resource is
//! renamed in code without a `moved` block (`Stack::moved`): the old object, with its data,
//! destroyed, and an empty one created under the new name.
//!
//! How it decides: from terraform's own plan, not from the previous synth. `plan` and
//! `apply` save the plan (`terraform plan -out`) and read it back with `terraform show
//! -json`; in its `resource_changes`, a managed resource whose only action is `delete` is
//! paired with a managed resource of the same type whose only action is `create` when every
//! argument of the created one that is known at plan and not empty equals the deleted one's
//! value in state (its `before`). The pair is refused when the type holds data
//! ([`oxiform_analysis::stateful`]) or the created resource is written with
//! `prevent_destroy`. Comparing with the previously synthesised `main.tf.json` instead would
//! miss a rename that was synthesised before (`synth`, then `plan`), and would see a rename in
//! a stack that was never applied; the plan is what apply does, against what state holds.
//!
//! A rename with a `moved` block plans no delete (terraform moves the state first), a
//! `removed` block plans `forget`, and an `import` no create, so none of them is refused.
//! `--allow-replace-renamed` lets such a plan through.

use oxiform::diagnostic::{Diagnostic, Place};
use oxiform_analysis::stateful::is_stateful;
use serde_json::Value;

/// The flag that lets a refused plan through.
pub const ALLOW_FLAG: &str = "--allow-replace-renamed";

/// A stateful resource the plan destroys while creating one with its arguments elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The address destroyed, e.g. `aws_s3_bucket.logs`.
    pub destroyed: String,
    /// The address created with the same arguments, e.g. `aws_s3_bucket.archive`.
    pub created: String,
    /// The resource type.
    pub type_name: String,
    /// Whether it counts as stateful by its type's entry in the stateful list (else by
    /// `prevent_destroy` on the created resource).
    pub stateful_type: bool,
    /// The created resource's name, when it is at the root of the configuration (the name
    /// given to `stack.add`).
    pub created_name: Option<String>,
}

/// The renames of stateful resources in `plan` (the JSON of `terraform show -json PLAN`);
/// `config` is the synthesised `main.tf.json`, read for `prevent_destroy`. Sorted by the
/// destroyed address.
pub fn find_renames(plan: &Value, config: &Value) -> Vec<Renamed> {
    let changes: Vec<&Value> = plan
        .get("resource_changes")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let only = |change: &&Value, action: &str| {
        change.get("mode").and_then(Value::as_str) == Some("managed")
            && change
                .pointer("/change/actions")
                .and_then(Value::as_array)
                .is_some_and(|a| a.len() == 1 && a[0].as_str() == Some(action))
    };
    let text = |change: &Value, key: &str| {
        change
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let creates: Vec<&Value> = changes
        .iter()
        .copied()
        .filter(|c| only(c, "create"))
        .collect();
    let mut found = Vec::new();
    for deleted in changes.iter().copied().filter(|c| only(c, "delete")) {
        let type_name = text(deleted, "type");
        let Some(before) = deleted.pointer("/change/before") else {
            continue;
        };
        let created = creates.iter().find(|c| {
            text(c, "type") == type_name
                && same_arguments(
                    before,
                    c.pointer("/change/after").unwrap_or(&Value::Null),
                    c.pointer("/change/after_unknown").unwrap_or(&Value::Null),
                )
        });
        let Some(created) = created else {
            continue;
        };
        let at_root = created.get("module_address").is_none();
        let name = text(created, "name");
        let stateful_type = is_stateful(&type_name);
        let prevent_destroy = at_root
            && config
                .pointer(&format!(
                    "/resource/{type_name}/{name}/lifecycle/prevent_destroy"
                ))
                .and_then(Value::as_bool)
                == Some(true);
        if stateful_type || prevent_destroy {
            found.push(Renamed {
                destroyed: text(deleted, "address"),
                created: text(created, "address"),
                type_name,
                stateful_type,
                created_name: at_root.then_some(name),
            });
        }
    }
    found.sort_by(|a, b| a.destroyed.cmp(&b.destroyed));
    found
}

/// Whether every argument of `after` that is known and not empty (null, `[]`, `{}`) equals
/// the same argument of `before`. Arguments unknown until apply, wholly or in part, are
/// skipped: they cannot tell the two apart.
fn same_arguments(before: &Value, after: &Value, unknown: &Value) -> bool {
    let Some(after) = after.as_object() else {
        return false;
    };
    after.iter().all(|(key, value)| {
        let empty = match value {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        empty || any_unknown(unknown.get(key)) || before.get(key) == Some(value)
    })
}

/// Whether `after_unknown` marks a value, or anything inside it, unknown.
fn any_unknown(marks: Option<&Value>) -> bool {
    match marks {
        Some(Value::Bool(b)) => *b,
        Some(Value::Array(a)) => a.iter().any(|m| any_unknown(Some(m))),
        Some(Value::Object(o)) => o.values().any(|m| any_unknown(Some(m))),
        _ => false,
    }
}

/// The refusal of `command` (`plan`, `apply`): which addresses, why each is stateful, the
/// fix for each, and the flag.
pub fn refusal(command: &str, stack: &str, renamed: &[Renamed]) -> Diagnostic {
    let n = renamed.len();
    let plural = if n == 1 { "" } else { "s" };
    let mut d = Diagnostic::error(format!(
        "would destroy {n} stateful resource{plural} whose arguments reappear under another address:"
    ))
    .lead(format!("{command} refused: the plan"))
    .place(Place::new().stack(stack))
    .run_on();
    for r in renamed {
        let why = if r.stateful_type {
            format!("`{}` holds data", r.type_name)
        } else {
            format!("`{}` has prevent_destroy", r.created)
        };
        d = d.body_line(format!(
            "`{}` destroyed, `{}` created with the same arguments ({why})",
            r.destroyed, r.created
        ));
    }
    for r in renamed {
        let fix = match &r.created_name {
            Some(name) => format!(
                "stack.moved(\"{}\", &{name}), where `{name}` is the handle `stack.add(\"{name}\", …)` returned for `{}`",
                r.destroyed, r.created
            ),
            None => format!(
                "a `moved` block from `{}` to `{}`",
                r.destroyed, r.created
            ),
        };
        d = d.note("fix", fix);
    }
    d.hint(format!(
        "a rename needs a `moved` block, and then nothing is destroyed; to destroy the old \
         resource{plural} and {their} data anyway and start the new one{plural} empty, run \
         again with {ALLOW_FLAG}",
        their = if n == 1 { "its" } else { "their" }
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(
        address: &str,
        actions: &[&str],
        before: Value,
        after: Value,
        unknown: Value,
    ) -> Value {
        let (type_name, name) = address.split_once('.').unwrap();
        json!({
            "address": address, "mode": "managed", "type": type_name, "name": name,
            "change": { "actions": actions, "before": before, "after": after, "after_unknown": unknown }
        })
    }

    /// `address` destroyed: its state was `before`.
    fn deleted(address: &str, before: Value) -> Value {
        change(address, &["delete"], before, Value::Null, json!({}))
    }

    /// `address` created with `after`, the attributes in `unknown` known after apply.
    fn created(address: &str, after: Value, unknown: Value) -> Value {
        change(address, &["create"], Value::Null, after, unknown)
    }

    fn bucket_state(name: &str) -> Value {
        json!({ "bucket": name, "force_destroy": false, "id": name, "arn": format!("arn:aws:s3:::{name}"), "tags": null })
    }

    fn bucket_plan(name: &str) -> Value {
        json!({ "bucket": name, "force_destroy": false, "tags": null, "timeouts": null })
    }

    fn plan(changes: Vec<Value>) -> Value {
        json!({ "resource_changes": changes })
    }

    #[test]
    fn a_bucket_destroyed_and_created_with_its_arguments_is_a_rename() {
        let plan = plan(vec![
            deleted("aws_s3_bucket.logs", bucket_state("logs-1")),
            created(
                "aws_s3_bucket.archive",
                bucket_plan("logs-1"),
                json!({ "id": true, "arn": true }),
            ),
        ]);
        let found = find_renames(&plan, &json!({}));
        assert_eq!(
            found,
            [Renamed {
                destroyed: "aws_s3_bucket.logs".into(),
                created: "aws_s3_bucket.archive".into(),
                type_name: "aws_s3_bucket".into(),
                stateful_type: true,
                created_name: Some("archive".into()),
            }]
        );
    }

    #[test]
    fn other_arguments_another_type_or_a_stateless_type_are_not() {
        let different = plan(vec![
            deleted("aws_s3_bucket.logs", bucket_state("logs-1")),
            created("aws_s3_bucket.archive", bucket_plan("archive-1"), json!({})),
        ]);
        assert!(find_renames(&different, &json!({})).is_empty());
        let replaced_in_place = plan(vec![change(
            "aws_s3_bucket.logs",
            &["delete", "create"],
            bucket_state("logs-1"),
            bucket_plan("logs-2"),
            json!({}),
        )]);
        assert!(find_renames(&replaced_in_place, &json!({})).is_empty());
        let role = json!({ "name": "r", "assume_role_policy": "{}" });
        let stateless = plan(vec![
            deleted("aws_iam_role.a", role.clone()),
            created("aws_iam_role.b", role.clone(), json!({})),
        ]);
        assert!(find_renames(&stateless, &json!({})).is_empty());
        // Unless the new one is written with prevent_destroy.
        let config = json!({ "resource": { "aws_iam_role": { "b": { "lifecycle": { "prevent_destroy": true } } } } });
        let found = find_renames(&stateless, &config);
        assert_eq!(found.len(), 1);
        assert!(!found[0].stateful_type);
    }

    #[test]
    fn unknown_and_empty_arguments_are_skipped() {
        let plan = plan(vec![
            deleted("aws_s3_bucket.logs", bucket_state("logs-1")),
            created(
                "aws_s3_bucket.archive",
                json!({ "bucket": "logs-1", "grant": [], "lifecycle_rule": [{ "id": null }] }),
                json!({ "lifecycle_rule": [{ "id": true }] }),
            ),
        ]);
        assert_eq!(find_renames(&plan, &json!({})).len(), 1);
    }
}
