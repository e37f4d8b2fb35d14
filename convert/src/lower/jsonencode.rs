//! `jsonencode({…})`: an IAM policy document becomes the typed `PolicyDocument` builder of
//! `oxiform::aws::iam_policy`; other JSON becomes a `JsonTemplate` tree written back as
//! Terraform's own `jsonencode(…)` (`JsonTemplate::jsonencode`), so the string Terraform
//! computes is byte for byte the one the HCL computed. References inside stay handle
//! accessors, and graph edges. What has neither form (a `for` expression, a function call
//! inside) falls back to raw HCL with a TODO.
//!
//! A policy is told by its shape, `Version = "2012-10-17"` and `Statement`, whatever the
//! argument (`policy`, `assume_role_policy`, a bucket's, a queue's, a key's…). The builder
//! writes it in its own order and a one-element list as its element, which the AWS
//! provider compares as the same policy. A document it cannot write (another statement
//! key, another principal kind, no `Version`: the 2008 language) is written as other JSON,
//! exactly.

use hcl_edit::expr::Object;

use super::*;

/// The keys a policy statement may have that the typed builder writes.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "Condition",
];

impl Lowerer<'_> {
    /// `jsonencode(arg)` for an argument of type string: the typed Rust, or raw HCL (with a
    /// TODO saying which part has no typed form).
    pub(super) fn jsonencode(
        &mut self,
        src: Src<'_>,
        call: &Expression,
        arg: &Expression,
        field: &str,
    ) -> Code {
        // A policy (`policy`, `assume_role_policy`, a bucket's, a queue's, a key's…) is told by
        // its shape, whatever the argument: `Version = "2012-10-17"` and `Statement`. Without
        // `Version` it is the 2008 language, which the builder does not write: exact JSON.
        let policy = match unparen(arg) {
            Expression::Object(o) if is_policy_shape(o) => Some(o),
            _ => None,
        };
        if let Some(o) = policy {
            // A failed attempt must leave nothing behind: dependencies, TODOs, hoisted lets.
            let saved = (
                self.deps.clone(),
                self.todos.len(),
                self.pre.len(),
                self.warnings.len(),
            );
            if let Some(code) = self.policy(src, o, field) {
                self.imports
                    .insert("oxiform::aws::iam_policy::PolicyDocument".to_owned());
                self.imports
                    .insert("oxiform::aws::iam_policy::Statement".to_owned());
                return self.hoist(field, code, ".to_value()");
            }
            self.deps = saved.0;
            self.todos.truncate(saved.1);
            self.pre.truncate(saved.2);
            self.warnings.truncate(saved.3);
        }
        match self.json(src, arg, field) {
            Ok(tree) => {
                self.imports
                    .insert("oxiform::json_template::JsonTemplate".to_owned());
                self.hoist(field, tree, ".jsonencode()")
            }
            Err(why) => self.raw(
                src,
                call,
                Ty::Prim(Prim::String),
                field,
                Some(&format!(
                    "`jsonencode(…)` of {why}, which has no typed form,"
                )),
            ),
        }
    }

    /// `let <base>_<field> = code;` before the declaration; `<name><suffix>` where it was.
    fn hoist(&mut self, field: &str, code: String, suffix: &str) -> Code {
        let last = field.rsplit('.').next().unwrap_or(field);
        let wanted = if self.base.is_empty() {
            rust_ident(last)
        } else {
            format!("{}_{}", self.base, rust_ident(last).trim_end_matches('_'))
        };
        let name = self.take(wanted);
        self.pre.push(format!("let {name} = {code};"));
        Code::expr(format!("{name}{suffix}"))
    }

    /// A JSON value as a `JsonTemplate` expression; the first part with no typed
    /// form, described, otherwise.
    fn json(&mut self, src: Src<'_>, e: &Expression, field: &str) -> Result<String, String> {
        Ok(match unparen(e) {
            Expression::Null(_) => "JsonTemplate::Null".to_owned(),
            Expression::Bool(b) => format!("JsonTemplate::from({})", b.value()),
            Expression::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => format!("JsonTemplate::from({})", int_literal(i)),
                (None, Some(f)) => format!("JsonTemplate::from({})", float_literal(f)),
                _ => return Err(format!("the number {n}")),
            },
            Expression::String(s) => format!("JsonTemplate::from({})", rust_str(s.as_str())),
            Expression::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    out.push(self.json(src, item, field)?);
                }
                if out.is_empty() {
                    "JsonTemplate::Array(Vec::new())".to_owned()
                } else {
                    format!("JsonTemplate::array([{}])", out.join(", "))
                }
            }
            Expression::Object(o) => {
                let mut out = Vec::new();
                for (k, v) in o.iter() {
                    let key = object_key(k).ok_or("an object with a computed key")?;
                    out.push(format!(
                        "({}, {})",
                        rust_str(&key),
                        self.json(src, v.expr(), field)?
                    ));
                }
                if out.is_empty() {
                    "JsonTemplate::Object(Vec::new())".to_owned()
                } else {
                    format!("JsonTemplate::object([{}])", out.join(", "))
                }
            }
            leaf @ (Expression::StringTemplate(_) | Expression::Traversal(_)) => {
                if !self.typed_leaf(leaf) {
                    return Err(describe(leaf));
                }
                let code = self
                    .value(src, leaf, Want::Part, field)
                    .ok_or("`null` in a template")?;
                format!("JsonTemplate::from({})", code.text)
            }
            other => return Err(describe(other)),
        })
    }

    /// Whether a template or a reference converts without raw HCL (references to resources,
    /// variables and locals; templates of those).
    fn typed_leaf(&self, e: &Expression) -> bool {
        match e {
            Expression::String(_) => true,
            Expression::Traversal(t) => {
                let Expression::Variable(root) = &t.expr else {
                    return false;
                };
                match root.as_str() {
                    "var" => t.operators.len() == 1,
                    "local" => t.operators.len() == 1,
                    _ => self
                        .resource_attr(t)
                        .is_some_and(|(_, _, rest)| rest.is_empty()),
                }
            }
            Expression::StringTemplate(t) => t.iter().all(|el| match el {
                Element::Literal(_) => true,
                Element::Interpolation(i) => self.typed_leaf(unparen(&i.expr)),
                Element::Directive(_) => false,
            }),
            Expression::Parenthesis(p) => self.typed_leaf(p.inner()),
            _ => false,
        }
    }

    /// `PolicyDocument::new().statement(…)…` for a document of version `2012-10-17`.
    fn policy(&mut self, src: Src<'_>, o: &Object, field: &str) -> Option<String> {
        let mut statements = Vec::new();
        for (k, v) in o.iter() {
            match object_key(k)?.as_str() {
                "Version" => {
                    let Expression::String(s) = unparen(v.expr()) else {
                        return None;
                    };
                    if s.as_str() != "2012-10-17" {
                        return None;
                    }
                }
                "Statement" => match unparen(v.expr()) {
                    Expression::Array(items) => {
                        for item in items.iter() {
                            let Expression::Object(s) = unparen(item) else {
                                return None;
                            };
                            statements.push(self.statement(src, s, field)?);
                        }
                    }
                    Expression::Object(s) => statements.push(self.statement(src, s, field)?),
                    _ => return None,
                },
                _ => return None,
            }
        }
        let mut code = "PolicyDocument::new()".to_owned();
        for s in statements {
            code.push_str(&format!(".statement({s})"));
        }
        Some(code)
    }

    fn statement(&mut self, src: Src<'_>, o: &Object, field: &str) -> Option<String> {
        let mut entries: BTreeMap<String, &Expression> = BTreeMap::new();
        for (k, v) in o.iter() {
            let key = object_key(k)?;
            if !STATEMENT_KEYS.contains(&key.as_str()) {
                return None;
            }
            entries.insert(key, unparen(v.expr()));
        }
        let effect = match entries.get("Effect") {
            Some(Expression::String(s)) if s.as_str() == "Allow" => "Allow",
            Some(Expression::String(s)) if s.as_str() == "Deny" => "Deny",
            _ => return None,
        };
        let actions = match entries.get("Action") {
            Some(e) => literal_strings(e)?,
            None => Vec::new(),
        };
        let quoted: Vec<String> = actions.iter().map(|a| rust_str(a)).collect();
        let mut code = if quoted.is_empty() {
            // `NotAction` only: no action list to infer a type from.
            self.imports
                .insert("oxiform::aws::iam_policy::Effect".to_owned());
            format!("Statement::new(Effect::{effect})")
        } else {
            format!(
                "Statement::{}([{}])",
                effect.to_ascii_lowercase(),
                quoted.join(", ")
            )
        };
        if let Some(Expression::String(s)) = entries.get("Sid") {
            code.push_str(&format!(".sid({})", rust_str(s.as_str())));
        } else if entries.contains_key("Sid") {
            return None;
        }
        if let Some(e) = entries.get("NotAction") {
            for a in literal_strings(e)? {
                code.push_str(&format!(".not_action({})", rust_str(&a)));
            }
        }
        if let Some(p) = entries.get("Principal") {
            code.push_str(&self.principals(src, p, field)?);
        }
        for (key, setter) in [("Resource", "resource"), ("NotResource", "not_resource")] {
            if let Some(e) = entries.get(key) {
                for r in self.strings(src, e, field)? {
                    code.push_str(&format!(".{setter}({r})"));
                }
            }
        }
        if let Some(c) = entries.get("Condition") {
            let Expression::Object(operators) = c else {
                return None;
            };
            for (op, keys) in operators.iter() {
                let op = object_key(op)?;
                let Expression::Object(keys) = unparen(keys.expr()) else {
                    return None;
                };
                for (key, values) in keys.iter() {
                    let key = object_key(key)?;
                    let values = self.strings(src, unparen(values.expr()), field)?;
                    if values.is_empty() {
                        return None;
                    }
                    let values: Vec<String> = if values.iter().all(|v| v.starts_with('"')) {
                        values
                    } else {
                        values
                            .into_iter()
                            .map(|v| format!("Value::<String>::from({v})"))
                            .collect()
                    };
                    code.push_str(&format!(
                        ".condition({}, {}, [{}])",
                        rust_str(&op),
                        rust_str(&key),
                        values.join(", ")
                    ));
                }
            }
        }
        Some(code)
    }

    /// `Principal = "*"` or `{ Service = …, AWS = …, Federated = … }` as `.principal(…)`s.
    fn principals(&mut self, src: Src<'_>, e: &Expression, field: &str) -> Option<String> {
        self.imports
            .insert("oxiform::aws::iam_policy::Principal".to_owned());
        match e {
            Expression::String(s) if s.as_str() == "*" => {
                Some(".principal(Principal::Any)".to_owned())
            }
            Expression::Object(o) => {
                let mut code = String::new();
                for (k, v) in o.iter() {
                    let kind = object_key(k)?;
                    let v = unparen(v.expr());
                    match kind.as_str() {
                        "Service" | "Federated" => {
                            for s in literal_strings(v)? {
                                let ctor = if kind == "Service" {
                                    format!("Principal::service({})", rust_str(&s))
                                } else {
                                    format!("Principal::Federated({}.to_owned())", rust_str(&s))
                                };
                                code.push_str(&format!(".principal({ctor})"));
                            }
                        }
                        "AWS" => {
                            for a in self.strings(src, v, field)? {
                                code.push_str(&format!(".principal(Principal::aws({a}))"));
                            }
                        }
                        _ => return None,
                    }
                }
                Some(code)
            }
            _ => None,
        }
    }

    /// A string or a list of strings (literals, references, templates) as Rust values.
    fn strings(&mut self, src: Src<'_>, e: &Expression, field: &str) -> Option<Vec<String>> {
        let items: Vec<&Expression> = match e {
            Expression::Array(items) => items.iter().map(unparen).collect(),
            one => vec![one],
        };
        let mut out = Vec::new();
        for item in items {
            if !self.typed_leaf(item) {
                return None;
            }
            out.push(
                self.value(src, item, Want::Ty(Ty::Prim(Prim::String)), field)?
                    .text,
            );
        }
        Some(out)
    }
}

/// What an expression with no typed form inside JSON is, for the TODO.
fn describe(e: &Expression) -> String {
    match e {
        Expression::ForExpr(_) => "a `for` expression".to_owned(),
        Expression::FuncCall(f) => format!("a call of `{}(…)`", f.name.name.as_str()),
        Expression::Conditional(_) => "a conditional expression".to_owned(),
        Expression::BinaryOp(_) | Expression::UnaryOp(_) => "an operator expression".to_owned(),
        Expression::HeredocTemplate(_) => "a heredoc".to_owned(),
        Expression::StringTemplate(_) => {
            "a template with a directive or an untyped part".to_owned()
        }
        Expression::Traversal(_) => "a reference into a value".to_owned(),
        _ => "an expression".to_owned(),
    }
}

fn unparen(e: &Expression) -> &Expression {
    match e {
        Expression::Parenthesis(p) => unparen(p.inner()),
        other => other,
    }
}

/// An object key written as a name or a literal string.
fn object_key(k: &ObjectKey) -> Option<String> {
    match k {
        ObjectKey::Ident(id) => Some(id.as_str().to_owned()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str().to_owned()),
        ObjectKey::Expression(Expression::Variable(v)) => Some(v.as_str().to_owned()),
        _ => None,
    }
}

/// A literal string or a list of literal strings.
fn literal_strings(e: &Expression) -> Option<Vec<String>> {
    match unparen(e) {
        Expression::String(s) => Some(vec![s.as_str().to_owned()]),
        Expression::Array(items) => items
            .iter()
            .map(|i| match unparen(i) {
                Expression::String(s) => Some(s.as_str().to_owned()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Whether an object looks like a policy document: `Version` and `Statement`, and nothing
/// else.
fn is_policy_shape(o: &Object) -> bool {
    let keys: Vec<Option<String>> = o.iter().map(|(k, _)| object_key(k)).collect();
    keys.iter().any(|k| k.as_deref() == Some("Statement"))
        && keys.iter().any(|k| k.as_deref() == Some("Version"))
        && keys
            .iter()
            .all(|k| matches!(k.as_deref(), Some("Statement" | "Version")))
}
