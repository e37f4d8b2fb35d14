//! `count` and `for_each`, and resources of other providers.
//!
//! A resource whose collection is known when converting (a literal number, list, set or
//! map, `toset([…])`, or a variable's default) is unrolled: one `stack.add` per instance,
//! named `work_orders` (`work["orders"]`) or `work_0` (`work[0]`), with `each.key`,
//! `each.value` and `count.index` substituted, and a `stack.moved(…)` per instance so that
//! existing state follows. References to an instance (`aws_sqs_queue.work["orders"].arn`)
//! resolve to that instance's handle. Any other collection is kept as the native
//! meta-argument (`.count(…)`, `.for_each(…)`) with the typed `count_index()`, `each_key()`
//! and `each_value::<T>()`, and references to its instances go through `at`, `at_key` and
//! `all`.
//!
//! A type that is not the AWS provider's (`terraform_data`, `random_pet`, …) is converted to
//! the untyped escape hatch (`UntypedResource`), with a warning.

use hcl_edit::expr::{Expression, TraversalOperator};

use super::expansion::{Expansion, Inst, InstKey};
use super::*;

/// The key of the declaration of one instance.
fn inst_key(address: &str, inst: &Inst) -> String {
    format!("resource:{address}{}", inst.key.suffix())
}

/// A Terraform name from `name` and an instance key: letters, digits, `_` and `-`.
fn instance_name(name: &str, key: &InstKey) -> String {
    let key = match key {
        InstKey::Index(i) => i.to_string(),
        InstKey::Key(k) => k.clone(),
    };
    // `name` is an identifier already: the key only needs its other characters replaced.
    oxiform_core::graph::identifier_from(&format!("{name}_{key}"))
}

/// Whether `tf_type` belongs to a provider other than AWS.
pub(super) fn is_foreign_type(tf_type: &str) -> bool {
    !tf_type.starts_with("aws_")
}

impl<'a> Lowerer<'a> {
    /// First pass, for one resource: its expansion, when it has `count` or `for_each`, and
    /// the bindings of its instances when unrolled. `vars` are the module's variable blocks.
    pub(super) fn declare_instances(
        &mut self,
        src: Src<'_>,
        address: &str,
        name: &str,
        body: &Body,
        defaults: &BTreeMap<String, Expression>,
    ) {
        let count = body.get_attribute("count").map(|a| &a.value);
        let for_each = body.get_attribute("for_each").map(|a| &a.value);
        let expansion = match (count, for_each) {
            (Some(c), _) => match known_count(c, defaults) {
                Some(n) => Expansion::Unrolled(
                    (0..n)
                        .map(|i| (InstKey::Index(i), None))
                        .map(|(k, v)| self.new_inst(name, k, v))
                        .collect(),
                ),
                None => Expansion::NativeCount,
            },
            (None, Some(f)) => match known_collection(f, defaults) {
                Some(entries) => Expansion::Unrolled(
                    entries
                        .into_iter()
                        .map(|(k, v)| self.new_inst(name, InstKey::Key(k), Some(v)))
                        .collect(),
                ),
                None => Expansion::NativeForEach,
            },
            (None, None) => return,
        };
        // Unrolled over a variable's default: a value given at plan no longer changes the
        // instances; say so.
        if let (Expansion::Unrolled(_), Some(a)) = (
            &expansion,
            body.get_attribute("count")
                .or_else(|| body.get_attribute("for_each")),
        ) {
            let mut refs = VarRefs(Vec::new());
            refs.visit_expr(&a.value);
            for var in refs.0 {
                self.warnings.push(
                    Diagnostic::warning(format!(
                        "unrolled over the default of `var.{var}`: a value given at plan \
                         no longer changes the instances"
                    ))
                    .lead("unrolled:")
                    .place(
                        Place::new()
                            .address(address.to_owned())
                            .field(a.key.as_str())
                            .file(src.file, src.line(a.span())),
                    ),
                );
            }
        }
        self.inst.expansions.insert(address.to_owned(), expansion);
    }

    fn new_inst(&mut self, name: &str, key: InstKey, value: Option<Expression>) -> Inst {
        let tf_name = instance_name(name, &key);
        let ident = self.take(rust_ident(&tf_name));
        Inst {
            key,
            value,
            tf_name,
            ident,
        }
    }

    /// First pass, for a resource of another provider: its binding and a warning.
    pub(super) fn declare_untyped(&mut self, src: Src<'_>, block: &Block, address: &str) {
        let name = label(block, 1).unwrap_or_default();
        let tf_type = label(block, 0).unwrap_or_default();
        let ident = self.take(rust_ident(name));
        self.inst.untyped.insert(address.to_owned(), ident);
        self.warnings.push(
            Diagnostic::warning(format!(
                "`{tf_type}` is not a type of the AWS provider: converted as an untyped \
                 resource (arguments by name, attributes read as `attr::<T>(\"…\")`), checked \
                 only by `terraform validate`"
            ))
            .lead("untyped:")
            .place(
                Place::new()
                    .address(address.to_owned())
                    .file(src.file, src.line(block.span())),
            ),
        );
    }

    /// Second pass: a resource or data source of this module into its declarations (one per
    /// instance when unrolled, with a `moved` block each).
    pub(super) fn resource_decls(
        &mut self,
        src: Src<'_>,
        b: &Block,
        address: &str,
        name: &str,
        decls: &mut Vec<Decl>,
    ) {
        let (model, ident) = match self.inst.untyped.get(address) {
            Some(ident) => (None, ident.clone()),
            None => {
                let Some(res) = self.resources.get(address) else {
                    return; // reported as an unknown type
                };
                (Some(res.model), res.ident.clone())
            }
        };
        if let Some(model) = model {
            self.use_type(model);
        }
        let data = address.starts_with("data.");
        let expansion = self.inst.expansions.get(address).cloned();
        let Some(Expansion::Unrolled(instances)) = expansion else {
            self.address = address.to_owned();
            self.base = ident.clone();
            self.inst.native = expansion;
            let code = self.resource_code(src, b, model, data, name);
            self.inst.native = None;
            let key = format!("resource:{address}");
            decls.push(Decl {
                key: key.clone(),
                rank: 2,
                todos: std::mem::take(&mut self.todos),
                pre: std::mem::take(&mut self.pre),
                binding: ident.clone(),
                code,
                deps: std::mem::take(&mut self.deps),
            });
            if self.module_mode && !data {
                // The state of `module.x.aws_…` follows (`module.rs`).
                decls.push(Decl {
                    key: format!("moved:{address}"),
                    rank: 2,
                    todos: Vec::new(),
                    pre: Vec::new(),
                    binding: String::new(),
                    code: format!("stack.moved({}, &{ident})", self.old_address(address)),
                    deps: BTreeSet::from([key]),
                });
            }
            return;
        };
        for inst in instances {
            let old = format!("{address}{}", inst.key.suffix());
            self.address = old.clone();
            self.base = inst.ident.clone();
            self.deps.clear();
            self.inst.current = Some(inst.clone());
            let code = self.resource_code(src, b, model, data, &inst.tf_name);
            self.inst.current = None;
            let key = inst_key(address, &inst);
            decls.push(Decl {
                key: key.clone(),
                rank: 2,
                todos: std::mem::take(&mut self.todos),
                pre: std::mem::take(&mut self.pre),
                binding: inst.ident.clone(),
                code,
                deps: std::mem::take(&mut self.deps),
            });
            if !data {
                // The state of `work["orders"]` follows to `work_orders`.
                decls.push(Decl {
                    key: format!("moved:{old}"),
                    rank: 2,
                    todos: Vec::new(),
                    pre: Vec::new(),
                    binding: String::new(),
                    code: format!("stack.moved({}, &{})", self.old_address(&old), inst.ident),
                    deps: BTreeSet::from([key]),
                });
            }
        }
    }

    /// `stack.add(name, …)` of a typed resource, `stack.add_untyped(name, …)` of another
    /// provider's.
    fn resource_code(
        &mut self,
        src: Src<'_>,
        b: &Block,
        model: Option<&'a TypeModel>,
        data: bool,
        name: &str,
    ) -> String {
        match model {
            Some(model) => {
                let body =
                    self.block_body(src, model, &model.body, &b.body, &model.rust_name, "", true);
                let meta = self.meta(src, Some(model), &b.body);
                format!("stack.add({}, {body}{meta})", self.add_name(name))
            }
            None => self.untyped(src, b, data, name),
        }
    }

    /// The declarations a reference to `key` (`resource:…`) depends on, with the Rust
    /// binding of each: every instance of an unrolled resource, else the resource itself.
    pub(super) fn bindings_of(&self, key: &str) -> Vec<(String, String)> {
        let Some(address) = key.strip_prefix("resource:") else {
            return Vec::new();
        };
        if let Some(Expansion::Unrolled(instances)) = self.inst.expansions.get(address) {
            return instances
                .iter()
                .map(|i| (inst_key(address, i), i.ident.clone()))
                .collect();
        }
        if let Some(ident) = self.inst.untyped.get(address) {
            return vec![(key.to_owned(), ident.clone())];
        }
        self.resources
            .get(address)
            .map(|r| vec![(key.to_owned(), r.ident.clone())])
            .unwrap_or_default()
    }

    /// `count.index`, `each.key`, `each.value`, and references to instances of a resource with
    /// `count` or `for_each` or to a resource of another provider; `None` for any other
    /// traversal.
    pub(super) fn instance_traversal(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        t: &hcl_edit::expr::Traversal,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        match root.as_str() {
            "count" | "each" => {
                return Some(self.meta_expression(src, e, root.as_str(), &ops, ty, want, field))
            }
            _ => {}
        }
        // `T.N[…].attr` or `data.T.N[…].attr`.
        let (address, rest) = if root.as_str() == "data" {
            let ty_name = ops.first().and_then(|o| get_attr(o))?;
            let name = ops.get(1).and_then(|o| get_attr(o))?;
            (format!("data.{ty_name}.{name}"), &ops[2..])
        } else {
            let name = ops.first().and_then(|o| get_attr(o))?;
            (format!("{}.{name}", root.as_str()), &ops[1..])
        };
        let untyped = self.inst.untyped.get(&address).cloned();
        let expansion = self.inst.expansions.get(&address).cloned();
        if untyped.is_none() && expansion.is_none() {
            return None;
        }
        // The instance operator, if any, then the attribute.
        let (instance, rest) = match rest.first() {
            Some(TraversalOperator::Index(ix)) => (Some(Sel::Key(literal_key(ix)?)), &rest[1..]),
            Some(TraversalOperator::LegacyIndex(n)) => (
                Some(Sel::Key(InstKey::Index(i64::try_from(*n.value()).ok()?))),
                &rest[1..],
            ),
            Some(TraversalOperator::FullSplat(_)) | Some(TraversalOperator::AttrSplat(_)) => {
                (Some(Sel::All), &rest[1..])
            }
            _ => (None, rest),
        };
        let attr = match rest {
            [op] => get_attr(op)?,
            _ => return None, // deeper: raw
        };
        let key = format!("resource:{address}");
        match (&expansion, instance) {
            (Some(Expansion::Unrolled(instances)), Some(Sel::Key(k))) => {
                let inst = instances.iter().find(|i| i.key == k || matches!((&i.key, &k), (InstKey::Key(a), InstKey::Index(b)) if *a == b.to_string()))?;
                self.deps.insert(inst_key(&address, inst));
                Some(self.read_attr(&address, &inst.ident, untyped.is_some(), attr, ty, want))
            }
            (Some(Expansion::Unrolled(instances)), Some(Sel::All)) => {
                // A splat over unrolled instances: the list of each one's attribute.
                let Ty::List(p) = ty else {
                    // Wanted as another type (an output's): a tuple of the attributes.
                    let mut items = Vec::new();
                    for inst in instances {
                        self.deps.insert(inst_key(&address, inst));
                        let one = self.read_attr(
                            &address,
                            &inst.ident,
                            untyped.is_some(),
                            attr,
                            Ty::Json,
                            Want::Part,
                        );
                        items.push(format!("func::Arg::from({})", one.text));
                    }
                    let tuple = format!(
                        "func::tuple::<{}>(vec![{}])",
                        rust_type(ty),
                        items.join(", ")
                    );
                    return Some(Code::expr(tuple));
                };
                let mut items = Vec::new();
                for inst in instances {
                    self.deps.insert(inst_key(&address, inst));
                    let one = self.read_attr(
                        &address,
                        &inst.ident,
                        untyped.is_some(),
                        attr,
                        Ty::Prim(p),
                        Want::Ty(Ty::Prim(p)),
                    );
                    items.push(format!(
                        "Value::<{}>::from({})",
                        rust_type(Ty::Prim(p)),
                        one.text
                    ));
                }
                Some(Code::expr(format!("vec![{}]", items.join(", "))))
            }
            (Some(Expansion::Unrolled(_)), None) => Some(self.raw(
                src,
                e,
                ty,
                field,
                Some("a reference to a resource with `count`/`for_each` without an instance key"),
            )),
            (_, sel) => {
                let ident = untyped
                    .clone()
                    .or_else(|| self.resources.get(&address).map(|r| r.ident.clone()))?;
                let selected = match sel {
                    None => ident,
                    Some(Sel::Key(InstKey::Index(i))) => format!("{ident}.at({i})"),
                    Some(Sel::Key(InstKey::Key(k))) => format!("{ident}.at_key({})", rust_str(&k)),
                    Some(Sel::All) => format!("{ident}.all()"),
                };
                self.deps.insert(key);
                Some(self.read_attr(&address, &selected, untyped.is_some(), attr, ty, want))
            }
        }
    }

    /// `handle.attr()` (typed) or `handle.attr::<T>("attr")` (untyped), cast to `ty`.
    fn read_attr(
        &mut self,
        address: &str,
        handle: &str,
        untyped: bool,
        attr: &str,
        ty: Ty,
        want: Want,
    ) -> Code {
        let t = match want {
            Want::Part => rust_type(Ty::Prim(Prim::String)),
            Want::Ty(t) => rust_type(t),
        };
        if untyped {
            return Code::expr(format!("{handle}.attr::<{t}>({})", rust_str(attr)));
        }
        let model_attr = self
            .resources
            .get(address)
            .and_then(|r| r.model.body.attrs.iter().find(|a| a.tf == attr));
        match model_attr {
            Some(a) => {
                let accessor = if HANDLE_METHODS.contains(&a.rust.as_str()) {
                    format!("{}_", a.rust)
                } else {
                    a.rust.clone()
                };
                let cast = want != Want::Part && a.ty != ty;
                Code::expr(format!(
                    "{handle}.{accessor}(){}",
                    if cast { ".cast()" } else { "" }
                ))
            }
            None => Code::expr(format!("{handle}.attr::<{t}>({})", rust_str(attr))),
        }
    }

    /// `count.index`, `each.key`, `each.value`: substituted in an unrolled instance, typed
    /// expressions in a resource that keeps its meta-argument.
    #[allow(clippy::too_many_arguments)]
    fn meta_expression(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        root: &str,
        ops: &[&TraversalOperator],
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        let what = ops.first().and_then(|o| get_attr(o)).unwrap_or_default();
        let rest = ops.get(1..).unwrap_or_default();
        if let Some(inst) = self.inst.current.clone() {
            if want == Want::Part {
                let text = match (root, what, &inst.key, rest.is_empty()) {
                    ("count", "index", InstKey::Index(i), true) => Some(i.to_string()),
                    ("each", "key", InstKey::Key(k), true) => Some(k.clone()),
                    ("each", "value", InstKey::Key(k), true) => match &inst.value {
                        None => Some(k.clone()),
                        Some(Expression::String(s)) => Some(s.as_str().to_owned()),
                        Some(Expression::Number(n)) => Some(n.to_string()),
                        Some(_) => None,
                    },
                    _ => None,
                };
                if let Some(text) = text {
                    self.inst.folded = Some(text.clone());
                    return Code::lit(rust_str(&text));
                }
            }
            return match (root, what, &inst.key) {
                ("count", "index", InstKey::Index(i)) if rest.is_empty() => match want {
                    Want::Part => Code::lit(rust_str(&i.to_string())),
                    Want::Ty(Ty::Prim(Prim::String)) => Code::lit(rust_str(&i.to_string())),
                    Want::Ty(_) => Code::lit(int_literal(*i)),
                },
                ("each", "key", InstKey::Key(k)) if rest.is_empty() => {
                    self.string(src, e, k, ty, want, field)
                }
                ("each", "value", InstKey::Key(k)) => {
                    let value = inst
                        .value
                        .clone()
                        .unwrap_or_else(|| Expression::from(k.as_str()));
                    // `each.value.attr`: the attribute of an object value.
                    let mut v = value;
                    for op in rest {
                        let Some(name) = get_attr(op) else {
                            return self.raw(src, e, ty, field, Some("an index into `each.value`"));
                        };
                        let Expression::Object(o) = &v else {
                            return self.raw(
                                src,
                                e,
                                ty,
                                field,
                                Some("an attribute of a value that is not an object"),
                            );
                        };
                        let found = o
                            .iter()
                            .find(|(k, _)| object_key(k).as_deref() == Some(name))
                            .map(|(_, v)| v.expr().clone());
                        match found {
                            Some(x) => v = x,
                            None => {
                                return self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("an attribute the value does not have"),
                                )
                            }
                        }
                    }
                    match self.value(src, &v, want, field) {
                        Some(c) => c,
                        None => self.raw(src, e, ty, field, Some("a `null` value")),
                    }
                }
                _ => self.raw(
                    src,
                    e,
                    ty,
                    field,
                    Some("a meta-argument expression of another kind"),
                ),
            };
        }
        let t = match want {
            Want::Part => Ty::Prim(Prim::String),
            Want::Ty(t) => t,
        };
        match (root, what, &self.inst.native, rest.is_empty()) {
            ("count", "index", Some(Expansion::NativeCount), true) => {
                let cast = want != Want::Part && t != Ty::Prim(Prim::Int);
                Code::expr(format!(
                    "count_index(){}",
                    if cast { ".cast()" } else { "" }
                ))
            }
            ("each", "key", Some(Expansion::NativeForEach), true) => {
                let cast = want != Want::Part && t != Ty::Prim(Prim::String);
                Code::expr(format!("each_key(){}", if cast { ".cast()" } else { "" }))
            }
            ("each", "value", Some(Expansion::NativeForEach), true) => {
                Code::expr(format!("each_value::<{}>()", rust_type(t)))
            }
            // `each.value.attr`: into an object value (`for_expr.rs`).
            ("each", "value", Some(Expansion::NativeForEach), false) => {
                let base = "each_value::<oxiform::value::Json>()".to_owned();
                match self.chain(src, base, rest, ty, want, field) {
                    Some(code) => code,
                    None => self.raw(src, e, ty, field, Some("a splat of `each.value`")),
                }
            }
            _ => self.raw(
                src,
                e,
                ty,
                field,
                Some(
                    "`count`/`each` outside a resource with that meta-argument, or into its value",
                ),
            ),
        }
    }

    /// `.count(…)` or `.for_each(…)` of a resource that keeps its meta-argument; nothing for
    /// an unrolled one.
    pub(super) fn count_for_each(
        &mut self,
        src: Src<'_>,
        a: &hcl_edit::structure::Attribute,
    ) -> String {
        if self.inst.current.is_some() {
            return String::new();
        }
        let key = a.key.as_str();
        if key == "count" {
            let code = self.value(src, &a.value, Want::Ty(Ty::Prim(Prim::Int)), "count");
            return code
                .map(|c| format!(".count({})", c.text))
                .unwrap_or_default();
        }
        // `toset(list)`: the list, as a set.
        let (value, inferred) = match &a.value {
            Expression::FuncCall(f)
                if f.name.name.as_str() == "toset" && f.args.iter().count() == 1 =>
            {
                match f.args.iter().next() {
                    Some(arg) if self.infer(arg) == Ty::List(Prim::String) => {
                        (arg, Ty::List(Prim::String))
                    }
                    _ => (&a.value, Ty::Json),
                }
            }
            other => (other, self.infer(other)),
        };
        let code = match inferred {
            Ty::List(Prim::String) => self
                .value(src, value, Want::Ty(Ty::List(Prim::String)), "for_each")
                .map(|c| format!("ForEach::set(Value::<List<String>>::from({}))", owned(c))),
            Ty::Map(p) => self
                .value(src, value, Want::Ty(Ty::Map(p)), "for_each")
                .map(|c| format!("ForEach::map::<{}>({})", rust_type(Ty::Prim(p)), owned(c))),
            _ => self
                .value(src, value, Want::Ty(Ty::Json), "for_each")
                .map(|c| format!("ForEach::expr::<oxiform::Json>({})", owned(c))),
        };
        code.map(|c| format!(".for_each({c})")).unwrap_or_default()
    }

    /// First pass: the binding of another provider's configuration (`provider "random"`).
    pub(super) fn declare_foreign_provider(&mut self, b: &Block) {
        let name = label(b, 0).unwrap_or_default().to_owned();
        let alias = provider_alias(b);
        let wanted = if alias.is_empty() {
            format!("provider_{}", rust_ident(&name).trim_end_matches('_'))
        } else {
            format!(
                "provider_{}_{}",
                rust_ident(&name).trim_end_matches('_'),
                rust_ident(&alias).trim_end_matches('_')
            )
        };
        let ident = self.take(wanted);
        self.inst.providers.insert((name, alias), ident);
    }

    /// Second pass: another provider's configuration, its arguments by name:
    /// `stack.provider(ProviderConfig::new("random", Body::new().with(…)))`.
    pub(super) fn foreign_provider(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let name = label(b, 0).unwrap_or_default().to_owned();
        let alias = provider_alias(b);
        let ident = self
            .inst
            .providers
            .get(&(name.clone(), alias.clone()))
            .cloned()
            .unwrap_or_default();
        self.imports.insert("oxiform::body::Body".to_owned());
        self.imports
            .insert("oxiform::provider::ProviderConfig".to_owned());
        let mut body = "Body::new()".to_owned();
        for st in b.body.iter() {
            match st {
                Structure::Attribute(a) if a.key.as_str() == "alias" => {}
                Structure::Attribute(a) => {
                    let k = a.key.as_str();
                    let ty = match self.infer(&a.value) {
                        t @ (Ty::Prim(_) | Ty::List(Prim::String) | Ty::Map(Prim::String)) => t,
                        _ => Ty::Json,
                    };
                    if let Some(c) = self.value(src, &a.value, Want::Ty(ty), k) {
                        body.push_str(&format!(
                            ".with({}, Value::<{}>::from({}))",
                            rust_str(k),
                            rust_type(ty),
                            c.text
                        ));
                    }
                }
                Structure::Block(blk) => self.todo(
                    src,
                    blk.span(),
                    blk.ident.as_str(),
                    "blocks of another provider's configuration are not converted; left out",
                ),
            }
        }
        let mut code = format!("ProviderConfig::new({}, {body})", rust_str(&name));
        if !alias.is_empty() {
            code.push_str(&format!(".alias({})", rust_str(&alias)));
        }
        decls.push(Decl {
            key: format!("provider:{name}.{alias}"),
            rank: 0,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: ident,
            code: format!("stack.provider({code})"),
            deps: std::mem::take(&mut self.deps),
        });
    }

    /// `provider = random` or `random.west` of a resource: the key and binding of that
    /// configuration, when it is one of this module's other providers'.
    pub(super) fn foreign_provider_ref(&self, e: &Expression) -> Option<(String, String)> {
        let (name, alias) = match e {
            Expression::Variable(v) => (v.as_str().to_owned(), String::new()),
            Expression::Traversal(t) => {
                let Expression::Variable(v) = &t.expr else {
                    return None;
                };
                let [op] = t.operators.iter().map(|o| &**o).collect::<Vec<_>>()[..] else {
                    return None;
                };
                (v.as_str().to_owned(), get_attr(op)?.to_owned())
            }
            _ => return None,
        };
        let ident = self.inst.providers.get(&(name.clone(), alias.clone()))?;
        Some((format!("provider:{name}.{alias}"), ident.clone()))
    }

    /// A `required_providers` entry of another provider: `stack.require_provider(…)`.
    pub(super) fn require_provider(
        &mut self,
        src: Src<'_>,
        a: &hcl_edit::structure::Attribute,
        decls: &mut Vec<Decl>,
    ) {
        let name = a.key.as_str();
        let get = |k: &str| match &a.value {
            Expression::Object(o) => o.iter().find_map(|(key, v)| {
                (object_key(key).as_deref() == Some(k)).then(|| match v.expr() {
                    Expression::String(s) => Some(s.as_str().to_owned()),
                    _ => None,
                })?
            }),
            _ => None,
        };
        match (get("source"), get("version")) {
            (Some(source), version) => decls.push(Decl {
                key: format!("terraform:required_providers.{name}"),
                rank: 0,
                todos: Vec::new(),
                pre: Vec::new(),
                binding: String::new(),
                code: format!(
                    "stack.require_provider({}, {}, {})",
                    rust_str(name),
                    rust_str(&source),
                    rust_str(&version.unwrap_or_default())
                ),
                deps: BTreeSet::new(),
            }),
            _ => self.todo(
                src,
                a.span(),
                &format!("required_providers.{name}"),
                "a provider requirement needs a literal `source` to convert; left out",
            ),
        }
    }

    /// An untyped resource: `UntypedResource::new("type")` with its arguments and blocks by
    /// name, then its meta-arguments.
    fn untyped(&mut self, src: Src<'_>, b: &Block, data: bool, name: &str) -> String {
        self.imports
            .insert("oxiform::untyped::UntypedResource".to_owned());
        let tf_type = label(b, 0).unwrap_or_default();
        let ctor = if data { "data_source" } else { "new" };
        let mut code = format!("UntypedResource::{ctor}({})", rust_str(tf_type));
        code.push_str(&self.untyped_body(src, &b.body, ""));
        code.push_str(&self.meta(src, None, &b.body));
        format!("stack.add_untyped({}, {code})", self.add_name(name))
    }

    fn untyped_body(&mut self, src: Src<'_>, body: &Body, path: &str) -> String {
        let mut out = String::new();
        for st in body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let k = a.key.as_str();
                    if path.is_empty() && META.contains(&k) {
                        continue;
                    }
                    let field = if path.is_empty() {
                        k.to_owned()
                    } else {
                        format!("{path}.{k}")
                    };
                    let ty = match self.infer(&a.value) {
                        t @ (Ty::Prim(_) | Ty::List(Prim::String) | Ty::Map(Prim::String)) => t,
                        // A list of references and templates: strings, as Terraform converts.
                        _ if self.all_strings(&a.value) => match &a.value {
                            Expression::Array(_) => Ty::List(Prim::String),
                            Expression::Object(_) => Ty::Map(Prim::String),
                            _ => Ty::Json,
                        },
                        _ => Ty::Json,
                    };
                    let Some(c) = self.value(src, &a.value, Want::Ty(ty), &field) else {
                        continue;
                    };
                    let v = match ty {
                        Ty::List(_) | Ty::Map(_) if !c.text.starts_with('&') => {
                            format!("Value::<{}>::from({})", rust_type(ty), c.text)
                        }
                        _ => owned(c),
                    };
                    out.push_str(&format!(".arg({}, {v})", rust_str(k)));
                }
                Structure::Block(blk) => {
                    let k = blk.ident.as_str();
                    if path.is_empty() && META.contains(&k) {
                        continue;
                    }
                    if k == "dynamic" {
                        self.todo(
                            src,
                            blk.span(),
                            k,
                            "dynamic blocks of an untyped resource are not converted; left out",
                        );
                        continue;
                    }
                    self.imports
                        .insert("oxiform::untyped::UntypedBlock".to_owned());
                    let field = if path.is_empty() {
                        k.to_owned()
                    } else {
                        format!("{path}.{k}")
                    };
                    let inner = self.untyped_body(src, &blk.body, &field);
                    out.push_str(&format!(
                        ".block({}, UntypedBlock::new(){inner})",
                        rust_str(k)
                    ));
                }
            }
        }
        out
    }
}

impl Lowerer<'_> {
    /// Whether `e` is a list or an object whose every element is a string, a template or a
    /// reference to an attribute (converted as strings).
    fn all_strings(&self, e: &Expression) -> bool {
        let string = |x: &Expression| {
            matches!(
                x,
                Expression::String(_) | Expression::StringTemplate(_) | Expression::Traversal(_)
            )
        };
        match e {
            Expression::Array(items) => items.iter().all(string),
            Expression::Object(o) => o.iter().all(|(_, v)| string(v.expr())),
            _ => false,
        }
    }
}

/// The `alias` of a provider block, or `""`.
fn provider_alias(b: &Block) -> String {
    b.body
        .get_attribute("alias")
        .and_then(|a| match &a.value {
            Expression::String(s) => Some(s.as_str().to_owned()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The variables an expression reads.
struct VarRefs(Vec<String>);

impl Visit for VarRefs {
    fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
        if let (Expression::Variable(root), Some(op)) = (&node.expr, node.operators.first()) {
            if root.as_str() == "var" {
                if let Some(name) = get_attr(op) {
                    self.0.push(name.to_owned());
                }
            }
        }
        visit_traversal(self, node);
    }
}

/// Which instances a reference names.
enum Sel {
    Key(InstKey),
    All,
}

/// A literal instance key: `[0]`, `["orders"]`.
fn literal_key(ix: &Expression) -> Option<InstKey> {
    match ix {
        Expression::Number(n) => n.as_i64().map(InstKey::Index),
        Expression::String(s) => Some(InstKey::Key(s.as_str().to_owned())),
        _ => None,
    }
}

fn object_key(k: &hcl_edit::expr::ObjectKey) -> Option<String> {
    match k {
        ObjectKey::Ident(id) => Some(id.as_str().to_owned()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str().to_owned()),
        _ => None,
    }
}

/// Code of a value, owned (a bound `&x` becomes `x.clone()`).
fn owned(c: Code) -> String {
    match c.text.strip_prefix('&') {
        Some(rest) => format!("{rest}.clone()"),
        None => c.text,
    }
}

/// `count` when known: a whole number, or a variable with such a default.
fn known_count(e: &Expression, defaults: &BTreeMap<String, Expression>) -> Option<i64> {
    match e {
        Expression::Number(n) => n.as_i64().filter(|n| (0..=1000).contains(n)),
        Expression::Parenthesis(p) => known_count(p.inner(), defaults),
        Expression::Traversal(_) => known_count(default_of(e, defaults)?, defaults),
        _ => None,
    }
}

/// `for_each` when known: (key, value) in Terraform's order (keys and set elements sorted).
fn known_collection(
    e: &Expression,
    defaults: &BTreeMap<String, Expression>,
) -> Option<Vec<(String, Expression)>> {
    let mut entries = match e {
        Expression::Parenthesis(p) => return known_collection(p.inner(), defaults),
        Expression::FuncCall(f)
            if f.name.name.as_str() == "toset" && f.args.iter().count() == 1 =>
        {
            let arg = f.args.iter().next()?;
            return match arg {
                Expression::Array(_) => known_collection(arg, defaults),
                Expression::Traversal(_) => {
                    let d = default_of(arg, defaults)?;
                    matches!(d, Expression::Array(_)).then(|| known_collection(d, defaults))?
                }
                _ => None,
            };
        }
        Expression::Array(items) => {
            let mut out = Vec::new();
            for i in items.iter() {
                let Expression::String(s) = i else {
                    return None;
                };
                out.push((s.as_str().to_owned(), i.clone()));
            }
            out
        }
        Expression::Object(o) => {
            let mut out = Vec::new();
            for (k, v) in o.iter() {
                out.push((object_key(k)?, v.expr().clone()));
            }
            out
        }
        Expression::Traversal(_) => return known_collection(default_of(e, defaults)?, defaults),
        _ => return None,
    };
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    Some(entries)
}

/// The default of `var.x`, when `e` is one and it has a default.
fn default_of<'d>(
    e: &Expression,
    defaults: &'d BTreeMap<String, Expression>,
) -> Option<&'d Expression> {
    let Expression::Traversal(t) = e else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    if root.as_str() != "var" || t.operators.len() != 1 {
        return None;
    }
    let name = get_attr(&t.operators[0])?;
    defaults.get(name)
}

impl Lowerer<'_> {
    /// Raw HCL as it must read once `count`/`for_each` are unrolled: inside an unrolled
    /// instance, `count.index`, `each.key` and `each.value` are that instance's; a whole
    /// unrolled resource (`aws_sqs_queue.work`, as in `for_each = aws_sqs_queue.work` or
    /// `aws_sqs_queue.work[*].arn`) is the tuple or object of its instances, so indexing,
    /// splats and `for_each` over it read the same values as before.
    pub(super) fn raw_text_after_unrolling(&self, text: &str) -> String {
        let mut out = text.to_owned();
        if let Some(inst) = &self.inst.current {
            let (index, key) = match &inst.key {
                InstKey::Index(i) => (Some(i.to_string()), None),
                InstKey::Key(k) => (None, Some(format!("{k:?}"))),
            };
            if let Some(i) = index {
                out = replace_reference(&out, "count.index", &i);
            }
            if let Some(k) = key {
                out = replace_reference(&out, "each.key", &k);
                let value = inst
                    .value
                    .as_ref()
                    .map(|v| format!("({})", v.to_string().trim()))
                    .unwrap_or_else(|| k.clone());
                out = replace_reference(&out, "each.value", &value);
            }
        }
        for (address, expansion) in &self.inst.expansions {
            let Expansion::Unrolled(instances) = expansion else {
                continue;
            };
            let Some((prefix, _)) = address.rsplit_once('.') else {
                continue;
            };
            let whole = if instances.iter().all(|i| matches!(i.key, InstKey::Index(_))) {
                let items: Vec<String> = instances
                    .iter()
                    .map(|i| format!("{prefix}.{}", i.tf_name))
                    .collect();
                format!("[{}]", items.join(", "))
            } else {
                let items: Vec<String> = instances
                    .iter()
                    .map(|i| match &i.key {
                        InstKey::Key(k) => format!("{k:?} = {prefix}.{}", i.tf_name),
                        InstKey::Index(n) => format!("\"{n}\" = {prefix}.{}", i.tf_name),
                    })
                    .collect();
                format!("{{ {} }}", items.join(", "))
            };
            // `aws_sqs_queue.work.name` (no instance key) is an error in the HCL too: kept.
            out = replace_whole_resource(&out, address, &whole);
        }
        out
    }
}

/// `text` with every reference to the whole resource `address` or into it by index
/// (`for_each = aws_sqs_queue.work`, `aws_sqs_queue.work[*].arn`) replaced by `with`; one
/// followed by `.` (no instance key: an error in the HCL too) is kept.
fn replace_whole_resource(text: &str, address: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(address) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + address.len()..].chars().next();
        out.push_str(&rest[..at]);
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if before.is_some_and(|c| word(c) || c == '.') || after.is_some_and(|c| word(c) || c == '.')
        {
            out.push_str(address);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + address.len()..];
    }
    out.push_str(rest);
    out
}

/// `text` with every reference `name` (not part of a longer name, not after a `.`) replaced
/// by `with`.
fn replace_reference(text: &str, name: &str, with: &str) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + name.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(|c| is_word(c) || c == '.') || after.is_some_and(is_word) {
            out.push_str(name);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + name.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod raw_text_tests {
    use super::{replace_reference, replace_whole_resource};

    #[test]
    fn only_whole_references_are_replaced() {
        assert_eq!(
            replace_whole_resource(
                "[aws_sqs_queue.work, aws_sqs_queue.work_2, data.aws_sqs_queue.work, aws_sqs_queue.work[0], aws_sqs_queue.work.arn]",
                "aws_sqs_queue.work",
                "X"
            ),
            "[X, aws_sqs_queue.work_2, data.aws_sqs_queue.work, X[0], aws_sqs_queue.work.arn]"
        );
        assert_eq!(
            replace_reference("cidrsubnet(x, 8, count.index)", "count.index", "1"),
            "cidrsubnet(x, 8, 1)"
        );
    }
}
