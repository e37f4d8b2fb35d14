//! Modules as Rust functions. A module folder (`./modules/queue`, or one `terraform init`
//! downloaded under `.terraform/modules`) is converted on its own into
//! `fn queue_module(stack: &mut Stack, module: &str, inputs: QueueInputs) -> QueueOutputs`:
//! its variables are the fields of the inputs struct (`Option` where they have a default),
//! its outputs typed expressions of the outputs struct, its resources added to the caller's
//! stack named `{module}_{name}` with a `moved` block from `module.{module}.{address}`, so
//! that the state a module call left follows. A `module` block of the root is a call of it.

use super::*;

impl Lowerer<'_> {
    /// First pass (root): the binding of each module call.
    pub(super) fn declare_calls(&mut self, tops: &[Top<'_>]) {
        for top in tops.iter().filter(|t| t.block.ident.as_str() == "module") {
            let Some(name) = label(top.block, 0) else {
                continue;
            };
            let function = match self.functions.calls.get(name) {
                Some(Ok(i)) => Some(*i),
                _ => None,
            };
            let ident = self.take(format!("module_{}", rust_ident(name).trim_end_matches('_')));
            self.calls.insert(name.to_owned(), Call { ident, function });
        }
    }

    fn function(&self, call: &str) -> Option<&ModuleFn> {
        let i = self.calls.get(call)?.function?;
        self.functions.list.get(i)
    }

    /// The type of `module.x.out`, if `x` is a converted call with that output.
    pub(super) fn module_output_type(&self, call: &str, out: &str) -> Option<Ty> {
        let f = self.function(call)?;
        f.outputs.iter().find(|o| o.tf == out).map(|o| o.ty)
    }

    /// `module.x.out…` as the call's output field.
    pub(super) fn module_output(
        &mut self,
        src: Src<'_>,
        ops: &[&TraversalOperator],
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        let call = ops.first().and_then(|o| get_attr(o))?;
        let out = ops.get(1).and_then(|o| get_attr(o))?;
        let own = self.module_output_type(call, out)?;
        let f = self.function(call)?;
        let rust = f.outputs.iter().find(|o| o.tf == out)?.rust.clone();
        let ident = self.calls.get(call)?.ident.clone();
        self.deps.insert(format!("module:{call}"));
        let base = format!("{ident}.{rust}");
        if ops.len() > 2 {
            return self.chain(src, base, &ops[2..], ty, want, field);
        }
        Some(Code::expr(
            if want == Want::Part || (own == ty && own != Ty::Json) {
                format!("&{base}")
            } else {
                format!("{base}.clone().cast()")
            },
        ))
    }

    /// Second pass (root): a `module` block as a call of its function.
    pub(super) fn module_call(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let Some(name) = label(b, 0) else { return };
        self.address = format!("module.{name}");
        self.base = format!("module_{}", rust_ident(name).trim_end_matches('_'));
        if self.module_mode {
            self.error(
                Diagnostic::error("a module that calls another module is not converted yet")
                    .lead("nested module")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .file(src.file, src.line(b.span())),
                    )
                    .hint("call both modules from the root module"),
            );
            return;
        }
        match self.functions.calls.get(name) {
            Some(Err(e)) => {
                let e = e.clone();
                self.error(e);
                return;
            }
            None => return,
            Some(Ok(_)) => {}
        }
        let Some(call) = self.calls.get(name).cloned() else {
            return;
        };
        let Some(f) = self.function(name) else { return };
        let (fn_name, inputs_struct, dir) =
            (f.name.clone(), f.inputs_struct.clone(), f.dir.clone());
        let inputs = f.inputs.clone();
        let place = |l: &Lowerer<'_>, span: Option<Range<usize>>| {
            Place::new()
                .address(l.address.clone())
                .file(src.file, src.line(span))
        };
        for a in b.body.attributes() {
            let key = a.key.as_str();
            match key {
                "source" | "version" => {}
                "count" | "for_each" => {
                    let p = place(self, a.span());
                    self.error(
                        Diagnostic::error(format!(
                            "a module call with `{key}` is not converted yet"
                        ))
                        .lead("module instances")
                        .place(p.field(key))
                        .hint("call the module once per instance, each with its own name"),
                    );
                }
                "providers" | "depends_on" => {
                    self.todo(src, a.span(), key, "not converted yet; left out");
                }
                _ if inputs.iter().any(|i| i.tf == key) => {}
                _ => {
                    let close = closest(key, inputs.iter().map(|i| i.tf.as_str()));
                    let p = place(self, a.span());
                    let mut d =
                        Diagnostic::error(format!("the module `{dir}` has no variable `{key}`"))
                            .lead("unknown module input")
                            .place(p.field(key));
                    if !close.is_empty() {
                        d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
                    }
                    self.error(d);
                }
            }
        }
        let mut fields = Vec::new();
        for input in &inputs {
            let given = b.body.get_attribute(&input.tf);
            let value =
                given.and_then(|a| self.value(src, &a.value, Want::Ty(input.ty), &input.tf));
            let value = value.map(Code::into_value);
            match (value, input.required) {
                (Some(v), true) => fields.push(format!("{}: {v}", input.rust)),
                (Some(v), false) => fields.push(format!("{}: Some({v})", input.rust)),
                (None, false) => fields.push(format!("{}: None", input.rust)),
                (None, true) => {
                    let p = place(self, b.span());
                    self.error(
                        Diagnostic::error(format!(
                            "the module's variable `{}` has no default, and the call does not set it",
                            input.tf
                        ))
                        .lead("missing module input")
                        .place(p.field(input.tf.clone()))
                        .hint(format!("set `{} = …` in the `module` block", input.tf)),
                    );
                }
            }
        }
        decls.push(Decl {
            key: format!("module:{name}"),
            rank: 2,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: call.ident,
            code: format!(
                "{fn_name}(stack, {}, {inputs_struct} {{ {} }})",
                rust_str(name),
                fields.join(", ")
            ),
            deps: std::mem::take(&mut self.deps),
        });
    }

    /// A module's variable: its input, with its default when not given.
    pub(super) fn module_input(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let Some(name) = label(b, 0) else { return };
        self.address = format!("var.{name}");
        self.base = format!("var_{}", rust_ident(name).trim_end_matches('_'));
        let Some(named) = self.vars.get(name).cloned() else {
            return;
        };
        let field = rust_ident(name);
        let default = b.body.get_attribute("default");
        let code = match default {
            None => format!("inputs.{field}.to_expr()"),
            Some(a) => match self.value(src, &a.value, Want::Ty(named.ty), "default") {
                Some(c) => format!(
                    "inputs.{field}.unwrap_or_else(|| Value::<{}>::from({})).to_expr()",
                    rust_type(named.ty),
                    c.text
                ),
                None => format!("inputs.{field}.map_or_else(func::null, |v| v.to_expr())"),
            },
        };
        for st in b.body.iter() {
            if let Structure::Block(v) = st {
                self.todo(
                    src,
                    v.span(),
                    "validation",
                    "variable validations are not converted yet; left out",
                );
            }
        }
        decls.push(Decl {
            key: format!("var:{name}"),
            rank: 1,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: named.ident,
            code,
            deps: std::mem::take(&mut self.deps),
        });
    }

    /// A module's output: a field of its outputs struct, bound to `output_<name>`.
    pub(super) fn module_output_decl(
        &mut self,
        src: Src<'_>,
        b: &Block,
        value: &Expression,
        decls: &mut Vec<Decl>,
    ) {
        let Some(name) = label(b, 0) else { return };
        let ty = self.infer(value);
        let code = self
            .value(src, value, Want::Ty(ty), "value")
            .map_or_else(|| format!("func::null::<{}>()", rust_type(ty)), |c| c.text);
        let binding = self.take(format!("output_{}", rust_ident(name).trim_end_matches('_')));
        self.outputs.push(OutputField {
            tf: name.to_owned(),
            rust: rust_ident(name),
            ty,
        });
        decls.push(Decl {
            key: format!("output:{name}"),
            rank: 3,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding,
            code: format!("Value::<{}>::from({code}).to_expr()", rust_type(ty)),
            deps: std::mem::take(&mut self.deps),
        });
    }

    /// A resource's name as `stack.add` takes it: in a module, `{module}_{name}`.
    pub(super) fn add_name(&self, name: &str) -> String {
        if self.module_mode {
            format!("&format!(\"{{module}}_{name}\")")
        } else {
            rust_str(name)
        }
    }

    /// An old address as `stack.moved` takes it: in a module, under `module.{module}`.
    pub(super) fn old_address(&self, old: &str) -> String {
        if self.module_mode {
            let escaped = old.replace('{', "{{").replace('}', "}}");
            format!(
                "&format!({})",
                raw_str(&format!("module.{{module}}.{escaped}"))
            )
        } else {
            raw_str(old)
        }
    }

    /// The inputs struct's fields of a converted module: its variables, as the first pass
    /// declared them.
    pub(super) fn signature(&self, tops: &[Top<'_>]) -> Vec<Input> {
        let mut inputs = Vec::new();
        for top in tops.iter().filter(|t| t.block.ident.as_str() == "variable") {
            let Some(name) = label(top.block, 0) else {
                continue;
            };
            let Some(named) = self.vars.get(name) else {
                continue;
            };
            let doc = match top
                .block
                .body
                .get_attribute("description")
                .map(|a| &a.value)
            {
                Some(Expression::String(s)) => s.as_str().to_owned(),
                _ => String::new(),
            };
            inputs.push(Input {
                tf: name.to_owned(),
                rust: rust_ident(name),
                ty: named.ty,
                required: top.block.body.get_attribute("default").is_none(),
                doc,
            });
        }
        inputs
    }
}
