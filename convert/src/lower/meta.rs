//! Meta-arguments of a resource or data source: `depends_on`, `provider`, `lifecycle`,
//! `count` and `for_each` (kept native; unrolling is `instances.rs`).

use super::*;

impl Lowerer<'_> {
    /// Meta-arguments: `depends_on`, `provider`, `lifecycle`, `count`, `for_each` (nothing
    /// when unrolled); provisioners as TODOs. `tm` is `None` for an untyped resource.
    pub(super) fn meta(&mut self, src: Src<'_>, tm: Option<&TypeModel>, body: &Body) -> String {
        let mut out = String::new();
        for st in body.iter() {
            match st {
                Structure::Attribute(a) => match a.key.as_str() {
                    "depends_on" => {
                        let Expression::Array(items) = &a.value else {
                            self.todo(
                                src,
                                a.span(),
                                "depends_on",
                                "`depends_on` must be a list; left out",
                            );
                            continue;
                        };
                        for item in items.iter() {
                            let key = match item {
                                Expression::Traversal(t) => self.reference_key(t),
                                _ => None,
                            };
                            match key.as_deref().filter(|k| k.starts_with("resource:")) {
                                Some(key) => {
                                    // Every instance of an unrolled resource.
                                    for (key, ident) in self.bindings_of(key) {
                                        self.deps.insert(key);
                                        out.push_str(&format!(".depends_on(&{ident})"));
                                    }
                                }
                                None => self.todo(
                                    src,
                                    item.span(),
                                    "depends_on",
                                    "only resources and data sources of this module are converted in `depends_on`; this one is left out",
                                ),
                            }
                        }
                    }
                    "provider" => {
                        let alias = match &a.value {
                            Expression::Traversal(t) => {
                                match (&t.expr, t.operators.first().map(|o| &**o)) {
                                    (Expression::Variable(v), Some(op)) if v.as_str() == "aws" => {
                                        get_attr(op).map(str::to_owned)
                                    }
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        // `random.west`: another provider's configuration (`instances.rs`).
                        if let Some((key, ident)) = self.foreign_provider_ref(&a.value) {
                            self.deps.insert(key);
                            out.push_str(&format!(".provider(&{ident})"));
                            continue;
                        }
                        match alias.and_then(|al| self.providers.get(&al).cloned().map(|i| (al, i))) {
                            Some((al, ident)) => {
                                self.deps.insert(format!("provider:{al}"));
                                out.push_str(&format!(".provider(&{ident})"));
                            }
                            None => self.todo(src, a.span(), "provider", "the provider configuration is not one of this module's `provider \"aws\"` blocks; left out"),
                        }
                    }
                    "count" | "for_each" => {
                        let code = self.count_for_each(src, a);
                        out.push_str(&code);
                    }
                    _ => {}
                },
                Structure::Block(blk) => match blk.ident.as_str() {
                    "lifecycle" => {
                        for st in blk.body.iter() {
                            let Structure::Attribute(la) = st else {
                                self.todo(
                                    src,
                                    st.span(),
                                    "lifecycle",
                                    "lifecycle conditions are not converted yet; left out",
                                );
                                continue;
                            };
                            let on = matches!(&la.value, Expression::Bool(b) if *b.value());
                            match la.key.as_str() {
                                "prevent_destroy" if on => out.push_str(".prevent_destroy()"),
                                "create_before_destroy" if on => {
                                    out.push_str(".create_before_destroy()")
                                }
                                "prevent_destroy" | "create_before_destroy"
                                    if matches!(&la.value, Expression::Bool(_)) => {}
                                "ignore_changes" => match tm {
                                    Some(tm) => {
                                        out.push_str(&self.ignore_changes(src, tm, &la.value))
                                    }
                                    None => {
                                        out.push_str(&self.untyped_ignore_changes(src, &la.value))
                                    }
                                },
                                other => self.todo(
                                    src,
                                    la.span(),
                                    &format!("lifecycle.{other}"),
                                    "not converted yet; left out",
                                ),
                            }
                        }
                    }
                    "provisioner" | "connection" => self.todo(
                        src,
                        blk.span(),
                        blk.ident.as_str(),
                        "provisioners are not converted; left out",
                    ),
                    _ => {}
                },
            }
        }
        out
    }

    /// `ignore_changes` of an untyped resource: the names as written.
    fn untyped_ignore_changes(&mut self, src: Src<'_>, e: &Expression) -> String {
        if let Expression::Variable(v) = e {
            if v.as_str() == "all" {
                return ".ignore_all_changes()".to_owned();
            }
        }
        let names: Option<Vec<String>> = match e {
            Expression::Array(items) => items
                .iter()
                .map(|i| match i {
                    Expression::Variable(v) => Some(rust_str(v.as_str())),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        match names {
            Some(n) if !n.is_empty() => format!(".ignore_changes([{}])", n.join(", ")),
            Some(_) => String::new(),
            None => {
                self.todo(
                    src,
                    e.span(),
                    "lifecycle.ignore_changes",
                    "only names are converted in `ignore_changes`; left out",
                );
                String::new()
            }
        }
    }

    pub(super) fn ignore_changes(
        &mut self,
        src: Src<'_>,
        tm: &TypeModel,
        e: &Expression,
    ) -> String {
        if let Expression::Variable(v) = e {
            if v.as_str() == "all" {
                return ".ignore_all_changes()".to_owned();
            }
        }
        let Expression::Array(items) = e else {
            self.todo(
                src,
                e.span(),
                "lifecycle.ignore_changes",
                "not a list; left out",
            );
            return String::new();
        };
        let mut fields = Vec::new();
        for item in items.iter() {
            let name = match item {
                Expression::Variable(v) => Some(v.as_str()),
                _ => None,
            };
            let known = name.filter(|n| {
                tm.body.attrs.iter().any(|a| a.argument && a.tf == *n)
                    || tm.body.blocks.iter().any(|b| b.tf == *n)
            });
            match known {
                Some(n) => {
                    let v = pascal(n);
                    let v = if is_keyword(&v) || v.starts_with(|c: char| c.is_ascii_digit()) {
                        format!("{v}_")
                    } else {
                        v
                    };
                    fields.push(format!("{}Field::{v}", tm.rust_name));
                }
                None => self.todo(
                    src,
                    item.span(),
                    "lifecycle.ignore_changes",
                    "only top-level arguments are converted in `ignore_changes`; this one is left out",
                ),
            }
        }
        if fields.is_empty() {
            return String::new();
        }
        self.imports.insert(format!(
            "oxiform::aws::{}::{}Field",
            tm.service, tm.rust_name
        ));
        format!(".ignore_changes([{}])", fields.join(", "))
    }
}
