//! Second pass: one top-level block (resource, data, variable, locals, output, provider,
//! terraform) into declarations.

use super::*;

use super::vartype;

impl<'a> Lowerer<'a> {
    /// Second pass: one top-level block into declarations.
    pub(super) fn convert_top(&mut self, top: &Top<'_>, decls: &mut Vec<Decl>) {
        let b = top.block;
        let src = top.src;
        self.deps.clear();
        self.todos.clear();
        self.pre.clear();
        match b.ident.as_str() {
            "resource" | "data" => {
                let kind = if b.ident.as_str() == "data" {
                    Kind::Data
                } else {
                    Kind::Managed
                };
                let (Some(tf_type), Some(name)) = (label(b, 0), label(b, 1)) else {
                    self.error(
                        Diagnostic::error("it needs a type and a name label")
                            .lead(format!("`{}` block", b.ident.as_str()))
                            .place(Place::new().file(src.file, src.line(b.span()))),
                    );
                    return;
                };
                let address = if kind == Kind::Data {
                    format!("data.{tf_type}.{name}")
                } else {
                    format!("{tf_type}.{name}")
                };
                // One declaration, or one per instance (`instances.rs`).
                self.resource_decls(src, b, &address, name, decls);
            }
            "variable" if self.module_mode => self.module_input(src, b, decls),
            "variable" => self.variable(src, b, decls),
            "module" => self.module_call(src, b, decls),
            "locals" => {
                for a in b.body.attributes() {
                    let name = a.key.as_str();
                    self.address = format!("local.{name}");
                    self.base = format!("local_{}", rust_ident(name).trim_end_matches('_'));
                    let Some(named) = self.locals.get(name).cloned() else {
                        continue;
                    };
                    let code = self.value(src, &a.value, Want::Ty(named.ty), name);
                    let code = match code {
                        Some(c) => c.text,
                        None => "Expr::<oxiform::value::Json>::raw(\"null\")".to_owned(),
                    };
                    decls.push(Decl {
                        key: format!("local:{name}"),
                        rank: 2,
                        todos: std::mem::take(&mut self.todos),
                        pre: std::mem::take(&mut self.pre),
                        binding: named.ident.clone(),
                        code: format!(
                            "stack.local::<{}>({}, {code})",
                            rust_type(named.ty),
                            self.add_name(name)
                        ),
                        deps: std::mem::take(&mut self.deps),
                    });
                }
            }
            "output" if self.module_mode => {
                self.address = format!("output.{}", label(b, 0).unwrap_or_default());
                self.base = format!(
                    "output_{}",
                    rust_ident(label(b, 0).unwrap_or_default()).trim_end_matches('_')
                );
                match b.body.get_attribute("value") {
                    Some(v) => self.module_output_decl(src, b, &v.value, decls),
                    None => self.output(src, b, decls),
                }
            }
            "output" => self.output(src, b, decls),
            "provider" if self.module_mode => {
                self.address = format!("provider.{}", label(b, 0).unwrap_or_default());
                self.todo(
                    src,
                    b.span(),
                    "",
                    "a module's own provider configuration is not converted: its resources use \
                     the caller's providers",
                );
                decls.push(Decl {
                    key: format!("other:{}", self.address),
                    rank: 0,
                    todos: std::mem::take(&mut self.todos),
                    pre: Vec::new(),
                    binding: String::new(),
                    code: String::new(),
                    deps: BTreeSet::new(),
                });
            }
            "provider" => self.provider(src, b, decls),
            "terraform" => self.terraform(src, b, decls),
            "import" | "moved" | "removed" => self.refactor_block(src, b, decls),
            other => {
                self.address = match label(b, 0) {
                    Some(l) => format!("{other}.{l}"),
                    None => other.to_owned(),
                };
                let what = match other {
                    "check" => "this block is not converted yet; it is left out",
                    "ephemeral" => "ephemeral resources are not converted yet; it is left out",
                    _ => "unknown top-level block; it is left out",
                };
                self.todo(src, b.span(), "", what);
                decls.push(Decl {
                    key: format!("other:{}", self.address),
                    rank: 2,
                    todos: std::mem::take(&mut self.todos),
                    pre: std::mem::take(&mut self.pre),
                    binding: String::new(),
                    code: String::new(),
                    deps: BTreeSet::new(),
                });
            }
        }
    }

    pub(super) fn variable(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let Some(name) = label(b, 0) else { return };
        self.address = format!("var.{name}");
        let Some(named) = self.vars.get(name).cloned() else {
            return;
        };
        let Some(mut vt) = self.var_types.get(name).cloned() else {
            return;
        };
        let constraint = vt.constraint();
        let default = b.body.get_attribute("default");
        // The default as a value of the Rust type; one that does not fit it (Terraform
        // converts `"5"` to a number) keeps its value as `any` JSON, under the same constraint.
        let mut default_code = None;
        let mut apart = vt.constraint_apart();
        if let Some(a) = default {
            match &a.value {
                Expression::Null(_) => default_code = Some(".default_null()".to_owned()),
                e => match top_literal(&vt, e) {
                    Some(d) => default_code = Some(format!(".default_value({d})")),
                    None => {
                        let any = vartype::VarType::Any;
                        match any.literal(e) {
                            Some(d) if vt != any => {
                                if let Some(n) = self.vars.get_mut(name) {
                                    n.ty = Ty::Json;
                                    n.cast = false;
                                }
                                vt = any;
                                apart = true;
                                default_code = Some(format!(".default_value({d})"));
                            }
                            _ => self.todo(
                                src,
                                a.span(),
                                "default",
                                "this default is not a literal value; left out",
                            ),
                        }
                    }
                },
            }
        }
        for o in vt.objects() {
            let c = vartype::VarType::Object(o.clone()).constraint();
            self.items.push(vartype::struct_item(o, name, &c));
        }
        let rust_t = vt.rust();
        let mut code = "Variable::new()".to_owned();
        if apart {
            code.push_str(&format!(".type_constraint({})", rust_str(&constraint)));
        }
        for st in b.body.iter() {
            let Structure::Attribute(a) = st else {
                self.todo(
                    src,
                    st.span(),
                    "validation",
                    "variable validations are not converted yet; left out",
                );
                continue;
            };
            match a.key.as_str() {
                "type" => {}
                "description" => match &a.value {
                    Expression::String(s) => {
                        code.push_str(&format!(".description({})", rust_str(s.as_str())))
                    }
                    _ => self.todo(src, a.span(), "description", "not a plain string; left out"),
                },
                "sensitive" => {
                    if matches!(&a.value, Expression::Bool(v) if *v.value()) {
                        code.push_str(".sensitive()");
                    }
                }
                "default" => {
                    if let Some(d) = &default_code {
                        code.push_str(d);
                    }
                }
                // `nullable = true` is Terraform's default.
                "nullable" if matches!(&a.value, Expression::Bool(v) if *v.value()) => {}
                other => self.todo(src, a.span(), other, "not converted yet; left out"),
            }
        }
        decls.push(Decl {
            key: format!("var:{name}"),
            rank: 1,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: named.ident,
            code: format!("stack.variable::<{rust_t}>({}, {code})", rust_str(name)),
            deps: BTreeSet::new(),
        });
    }

    pub(super) fn output(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let Some(name) = label(b, 0) else { return };
        self.address = format!("output.{name}");
        self.base = format!("output_{}", rust_ident(name).trim_end_matches('_'));
        let Some(value) = b.body.get_attribute("value") else {
            self.error(
                Diagnostic::error("the argument `value` is required")
                    .lead("missing argument")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .file(src.file, src.line(b.span())),
                    ),
            );
            return;
        };
        let ty = self.infer(&value.value);
        let code = self
            .value(src, &value.value, Want::Ty(ty), "value")
            .map_or_else(
                || format!("Expr::<{}>::raw(\"null\")", rust_type(ty)),
                |c| c.text,
            );
        let mut out = format!("Output::<{}>::new({code})", rust_type(ty));
        for st in b.body.iter() {
            let Structure::Attribute(a) = st else {
                self.todo(
                    src,
                    st.span(),
                    "precondition",
                    "output conditions are not converted yet; left out",
                );
                continue;
            };
            match a.key.as_str() {
                "value" => {}
                "description" => match &a.value {
                    Expression::String(s) => {
                        out.push_str(&format!(".description({})", rust_str(s.as_str())))
                    }
                    _ => self.todo(src, a.span(), "description", "not a plain string; left out"),
                },
                "sensitive" => {
                    if matches!(&a.value, Expression::Bool(v) if *v.value()) {
                        out.push_str(".sensitive()");
                    }
                }
                other => self.todo(src, a.span(), other, "not converted yet; left out"),
            }
        }
        decls.push(Decl {
            key: format!("output:{name}"),
            rank: 3,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: String::new(),
            code: format!("stack.output({}, {out})", rust_str(name)),
            deps: std::mem::take(&mut self.deps),
        });
    }

    pub(super) fn provider(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let name = label(b, 0).unwrap_or_default();
        self.address = format!("provider.{name}");
        self.base = "provider".to_owned();
        if name != "aws" {
            // Another provider's configuration, untyped (`instances.rs`).
            self.foreign_provider(src, b, decls);
            return;
        }
        let alias = b
            .body
            .get_attribute("alias")
            .and_then(|a| match &a.value {
                Expression::String(s) => Some(s.as_str().to_owned()),
                _ => None,
            })
            .unwrap_or_default();
        let tm: &'a TypeModel = &self.cat.provider;
        let code = self.block_body(src, tm, &tm.body, &b.body, "AwsProvider", "", true);
        decls.push(Decl {
            key: format!("provider:{alias}"),
            rank: 0,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: self.providers.get(&alias).cloned().unwrap_or_default(),
            code: format!("stack.provider({code})"),
            deps: std::mem::take(&mut self.deps),
        });
    }

    pub(super) fn terraform(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        self.address = "terraform".to_owned();
        let mut code = String::new();
        for st in b.body.iter() {
            match st {
                Structure::Attribute(a) if a.key.as_str() == "required_version" => {}
                Structure::Attribute(a) => {
                    self.todo(src, a.span(), a.key.as_str(), "not converted yet; left out");
                }
                Structure::Block(blk) if blk.ident.as_str() == "required_providers" => {
                    for a in blk.body.attributes() {
                        if a.key.as_str() != "aws" {
                            // Another provider, for untyped resources (`instances.rs`).
                            self.require_provider(src, a, decls);
                        }
                    }
                }
                Structure::Block(blk)
                    if blk.ident.as_str() == "backend" && label(blk, 0) == Some("s3") =>
                {
                    let get = |k: &str| {
                        blk.body.get_attribute(k).and_then(|a| match &a.value {
                            Expression::String(s) => Some(s.as_str().to_owned()),
                            _ => None,
                        })
                    };
                    match (get("bucket"), get("key"), get("region")) {
                        (Some(bucket), Some(key), Some(region)) => {
                            code = format!(
                                "stack.backend(Backend::s3({}, {}, {}))",
                                rust_str(&bucket),
                                rust_str(&key),
                                rust_str(&region)
                            );
                            for a in blk.body.attributes() {
                                if !["bucket", "key", "region"].contains(&a.key.as_str()) {
                                    self.todo(src, a.span(), &format!("backend.{}", a.key.as_str()), "not converted yet; left out");
                                }
                            }
                        }
                        _ => self.todo(src, blk.span(), "backend", "an S3 backend needs literal `bucket`, `key` and `region` to convert; left out"),
                    }
                }
                Structure::Block(blk) => {
                    let what = if blk.ident.as_str() == "backend" {
                        format!("backend.{}", label(blk, 0).unwrap_or_default())
                    } else {
                        blk.ident.as_str().to_owned()
                    };
                    self.todo(
                        src,
                        blk.span(),
                        &what,
                        "not converted yet (oxiform writes the S3 backend only); left out",
                    );
                }
            }
        }
        decls.push(Decl {
            key: "terraform".to_owned(),
            rank: 0,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: String::new(),
            code,
            deps: BTreeSet::new(),
        });
    }
}

/// A variable's default as the argument of `default_value`: a primitive as a plain literal
/// (`"dev"`, `14`), anything else as a value of the Rust type.
fn top_literal(vt: &vartype::VarType, e: &Expression) -> Option<String> {
    use vartype::VarType as V;
    match (vt, e) {
        (V::String, Expression::String(s)) => Some(rust_str(s.as_str())),
        (V::Number { float: false }, Expression::Number(n)) => n.as_i64().map(int_literal),
        (V::Number { float: true }, Expression::Number(n)) => n.as_f64().map(float_literal),
        _ => vt.literal(e),
    }
}
