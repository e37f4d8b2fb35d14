//! A block's body: `T::new(…)` with its required members, then a setter per argument and
//! nested block.

use super::*;

impl<'a> Lowerer<'a> {
    /// `T::new(…).setter(…)…` for a resource, data source, block or the provider.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn block_body(
        &mut self,
        src: Src<'_>,
        tm: &'a TypeModel,
        model: &'a BlockModel,
        body: &Body,
        rust_type: &str,
        path: &str,
        top: bool,
    ) -> String {
        let field_path = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        // Required members, in name order (as the generator orders them).
        let mut required: BTreeMap<&str, Option<String>> = BTreeMap::new();
        let mut required_multi: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for a in &model.attrs {
            if a.required && a.argument {
                required.insert(&a.tf, None);
            }
        }
        for bf in &model.blocks {
            if bf.required {
                required.insert(&bf.tf, None);
            }
        }
        let mut setters = Vec::new();
        // Arguments written as blocks: (first line, one HCL object per block), by name.
        let mut as_blocks: BTreeMap<String, (u32, Vec<ObjectText>)> = BTreeMap::new();
        let mut singles: BTreeSet<String> = BTreeSet::new();
        let names: Vec<&str> = model
            .attrs
            .iter()
            .filter(|a| a.argument)
            .map(|a| a.tf.as_str())
            .chain(model.blocks.iter().map(|b| b.tf.as_str()))
            .collect();
        for st in body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let name = a.key.as_str();
                    if top && META.contains(&name) {
                        continue;
                    }
                    if tm.kind == Kind::Provider && top && name == "alias" {
                        continue;
                    }
                    let line = src.line(a.span());
                    let Some(attr) = model.attrs.iter().find(|x| x.tf == name) else {
                        let message = if model.blocks.iter().any(|b| b.tf == name) {
                            format!("`{name}` is a block: write it as `{name} {{ … }}`")
                        } else {
                            format!("`{}` has no argument `{name}`", tm.tf_type)
                        };
                        let place = (src.file, line, field_path(name));
                        self.unknown_member("unknown argument", message, place, name, &names);
                        continue;
                    };
                    if !attr.argument {
                        self.error(
                            Diagnostic::error("it is computed by the provider and cannot be set")
                                .lead("read-only attribute")
                                .place(
                                    Place::new()
                                        .address(self.address.clone())
                                        .field(field_path(name))
                                        .file(src.file, line),
                                ),
                        );
                        continue;
                    }
                    if tm.kind == Kind::Provider && top && name == "region" {
                        continue;
                    }
                    let want = Want::Ty(attr.ty);
                    let Some(code) = self.value(src, &a.value, want, &field_path(name)) else {
                        continue; // null: unset
                    };
                    let code = if attr.sensitive {
                        if code.literal {
                            format!("oxiform::Secret::plaintext_in_config({})", code.text)
                        } else {
                            code.text
                        }
                    } else {
                        code.text
                    };
                    if attr.required {
                        let stored = if attr.sensitive {
                            format!("oxiform::IntoSensitive::into_sensitive({code})")
                        } else {
                            Code::expr(code.clone()).into_value()
                        };
                        // One required member is positional: `new(code)`.
                        required.insert(
                            &attr.tf,
                            Some(if model_required_count(model) == 1 {
                                code
                            } else {
                                stored
                            }),
                        );
                    } else {
                        setters.push(format!(".{}({code})", attr.rust));
                    }
                }
                Structure::Block(blk) => {
                    let line = src.line(blk.span());
                    if top && META.contains(&blk.ident.as_str()) {
                        continue;
                    }
                    // A block as written, or the blocks a `dynamic` block unrolls into.
                    let (name, unrolled) = if blk.ident.as_str() == "dynamic" {
                        match self.dynamic(src, blk, path) {
                            Some((name, unrolled)) => (name, Some(unrolled)),
                            None => continue,
                        }
                    } else {
                        (blk.ident.as_str().to_owned(), None)
                    };
                    let name = name.as_str();
                    let fields = if top {
                        self.cat.object_list(&tm.tf_type, name)
                    } else {
                        None
                    };
                    if let (Some(fields), None) =
                        (fields, model.blocks.iter().find(|x| x.tf == name))
                    {
                        // An argument written as blocks (`ingress { … }` of a security group).
                        let bodies: Vec<(String, Body)> = match unrolled {
                            None => vec![(src.text.to_owned(), blk.body.clone())],
                            Some(u) => u.into_iter().map(|u| (u.text, u.body)).collect(),
                        };
                        for (text, body) in bodies {
                            let s = Src {
                                file: src.file,
                                text: &text,
                            };
                            let object = self.object_of_block(s, &body, fields, &field_path(name));
                            let entry = as_blocks
                                .entry(name.to_owned())
                                .or_insert_with(|| (line, Vec::new()));
                            entry.1.push(object);
                        }
                        continue;
                    }
                    let Some(bf) = model.blocks.iter().find(|x| x.tf == name) else {
                        let message = if model.attrs.iter().any(|a| a.tf == name) {
                            format!("`{name}` is an argument: write it as `{name} = …`")
                        } else {
                            format!("`{}` has no block `{name}`", tm.tf_type)
                        };
                        let place = (src.file, line, field_path(name));
                        self.unknown_member("unknown block", message, place, name, &names);
                        continue;
                    };
                    self.use_blocks(tm);
                    let block_type = format!("{}::{}", tm.module, tm.block_name(bf));
                    let codes: Vec<String> = match &unrolled {
                        None => vec![self.block_body(
                            src,
                            tm,
                            &bf.model,
                            &blk.body,
                            &block_type,
                            &field_path(name),
                            false,
                        )],
                        Some(unrolled) => unrolled
                            .iter()
                            .map(|u| {
                                let src = Src {
                                    file: src.file,
                                    text: &u.text,
                                };
                                self.block_body(
                                    src,
                                    tm,
                                    &bf.model,
                                    &u.body,
                                    &block_type,
                                    &field_path(name),
                                    false,
                                )
                            })
                            .collect(),
                    };
                    for code in codes {
                        if bf.required {
                            if bf.multi {
                                required_multi.entry(&bf.tf).or_default().push(code);
                            } else if required.get(bf.tf.as_str()).is_some_and(Option::is_some) {
                                self.error(
                                    Diagnostic::error("the block can be given once")
                                        .lead("repeated block")
                                        .place(
                                            Place::new()
                                                .address(self.address.clone())
                                                .field(field_path(name))
                                                .file(src.file, line),
                                        ),
                                );
                            } else {
                                required.insert(&bf.tf, Some(code));
                            }
                        } else {
                            if !bf.multi && !singles.insert(bf.tf.clone()) {
                                self.error(
                                    Diagnostic::error("the block can be given once")
                                        .lead("repeated block")
                                        .place(
                                            Place::new()
                                                .address(self.address.clone())
                                                .field(field_path(name))
                                                .file(src.file, line),
                                        ),
                                );
                            }
                            setters.push(format!(".{}({code})", bf.rust));
                        }
                    }
                }
            }
        }
        for (name, (line, objects)) in as_blocks {
            let Some(attr) = model.attrs.iter().find(|a| a.tf == name) else {
                continue;
            };
            let texts: Vec<&str> = objects.iter().map(|(t, _)| t.as_str()).collect();
            let nodes: Vec<String> = objects
                .iter()
                .flat_map(|(_, n)| n.iter().cloned())
                .collect();
            let field = field_path(&name);
            self.todos.push(format!(
                "TODO(convert): {}:{line}: `{field}`: written as blocks, kept as raw HCL (a list \
                 of objects, every attribute given)",
                src.file
            ));
            self.warnings.push(
                Diagnostic::warning(
                    "an argument written as blocks is kept as raw HCL (a list of objects)",
                )
                .lead("not converted:")
                .place(
                    Place::new()
                        .address(self.address.clone())
                        .field(field.clone())
                        .file(src.file, line),
                ),
            );
            let code = self.raw_code(format!("[{}]", texts.join(", ")), nodes, attr.ty, &field);
            setters.push(format!(".{}({})", attr.rust, code.text));
        }
        for (name, codes) in required_multi {
            required.insert(name, Some(format!("vec![{}]", codes.join(", "))));
        }
        // Missing required members: Terraform would refuse the configuration.
        let mut ctor_args: Vec<(String, String)> = Vec::new();
        for (name, code) in &required {
            match code {
                Some(c) => {
                    let rust = model
                        .attrs
                        .iter()
                        .find(|a| a.tf == *name)
                        .map(|a| a.rust.clone())
                        .or_else(|| {
                            model
                                .blocks
                                .iter()
                                .find(|b| b.tf == *name)
                                .map(|b| b.rust.clone())
                        })
                        .unwrap_or_else(|| name.to_string());
                    ctor_args.push((rust, c.clone()));
                }
                None if tm.kind == Kind::Provider => {}
                None => {
                    let line = src.line(body.span());
                    let what = if model.blocks.iter().any(|b| b.tf == *name) {
                        "block"
                    } else {
                        "argument"
                    };
                    self.error(
                        Diagnostic::error(format!("the {what} `{name}` is required"))
                            .lead(format!("missing {what}"))
                            .place(
                                Place::new()
                                    .address(self.address.clone())
                                    .field(if path.is_empty() {
                                        name.to_string()
                                    } else {
                                        path.to_owned()
                                    })
                                    .file(src.file, line),
                            ),
                    );
                    ctor_args.push((name.to_string(), "todo!()".to_owned()));
                }
            }
        }
        let ctor = if tm.kind == Kind::Provider && top {
            let region = body.get_attribute("region").map(|a| a.value.clone());
            let mut c = match region {
                Some(e) => {
                    let code = self
                        .value(src, &e, Want::Ty(Ty::Prim(Prim::String)), "region")
                        .map_or_else(
                            || "AwsProvider::from_environment()".to_owned(),
                            |c| format!("AwsProvider::new({})", c.text),
                        );
                    code
                }
                None => "AwsProvider::from_environment()".to_owned(),
            };
            if let Some(alias) = body.get_attribute("alias") {
                if let Expression::String(s) = &alias.value {
                    c.push_str(&format!(".alias({})", rust_str(s.as_str())));
                }
            }
            c
        } else {
            match ctor_args.len() {
                0 => format!("{rust_type}::new()"),
                1 => format!("{rust_type}::new({})", ctor_args[0].1),
                _ => {
                    let fields: Vec<String> = ctor_args
                        .iter()
                        .map(|(rust, code)| format!("{rust}: {code}"))
                        .collect();
                    if top {
                        self.imports.insert(format!(
                            "oxiform::aws::{}::{}Args",
                            tm.service, tm.rust_name
                        ));
                    }
                    format!(
                        "{rust_type}::new({rust_type}Args {{ {} }})",
                        fields.join(", ")
                    )
                }
            }
        };
        format!("{ctor}{}", setters.concat())
    }
}

/// The number of required members of a block (one: the constructor takes it positionally).
pub(super) fn model_required_count(model: &BlockModel) -> usize {
    model
        .attrs
        .iter()
        .filter(|a| a.required && a.argument)
        .count()
        + model.blocks.iter().filter(|b| b.required).count()
}

/// A file, a line and a field path.
type At<'f> = (&'f str, u32, String);

impl Lowerer<'_> {
    /// An argument or block the type does not have: an error naming the closest of `names`.
    fn unknown_member(
        &mut self,
        lead: &str,
        message: String,
        at: At<'_>,
        name: &str,
        names: &[&str],
    ) {
        let (file, line, field) = at;
        let mut d = Diagnostic::error(message).lead(lead).place(
            Place::new()
                .address(self.address.clone())
                .field(field)
                .file(file, line),
        );
        let close = closest(name, names.iter().copied());
        if !close.is_empty() {
            d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
        }
        self.error(d);
    }
}

/// One block of an argument written as blocks, as HCL object text, and the Rust handles
/// (`x.node()`) it references.
type ObjectText = (String, Vec<String>);

impl Lowerer<'_> {
    /// One block of an argument written as blocks, as an HCL object with every attribute of
    /// the object type (an expression must give them all: a missing one is `null`), and the
    /// handles it references.
    fn object_of_block(
        &mut self,
        src: Src<'_>,
        body: &Body,
        fields: &[String],
        field: &str,
    ) -> ObjectText {
        let mut parts = Vec::new();
        let mut found = BTreeSet::new();
        // The object and every expression node of it are raw HCL (`RawShare`).
        self.raw_share.expressions += 1;
        self.raw_share.raw += 1;
        for f in fields {
            match body.get_attribute(f) {
                Some(a) => {
                    let mut counted = Nodes(0);
                    counted.visit_expr(&a.value);
                    self.raw_share.expressions += counted.0;
                    self.raw_share.raw += counted.0;
                    let text =
                        self.raw_text_after_unrolling(src.slice(a.value.span()).unwrap_or("null"));
                    let mut refs = Refs {
                        l: self,
                        found: BTreeSet::new(),
                    };
                    refs.visit_expr(&a.value);
                    found.extend(refs.found);
                    parts.push(format!("{f} = {text}"));
                }
                None => parts.push(format!("{f} = null")),
            }
        }
        for st in body.iter() {
            let key = match st {
                Structure::Attribute(a) => a.key.as_str(),
                Structure::Block(b) => b.ident.as_str(),
            };
            if !fields.iter().any(|f| f == key) {
                let close = closest(key, fields.iter().map(String::as_str));
                let mut d = Diagnostic::error(format!("`{field}` has no attribute `{key}`"))
                    .lead("unknown argument")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .field(format!("{field}.{key}"))
                            .file(src.file, src.line(st.span())),
                    );
                if !close.is_empty() {
                    d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
                }
                self.error(d);
            }
        }
        let nodes = self.raw_dependencies(found);
        (format!("{{ {} }}", parts.join(", ")), nodes)
    }
}
