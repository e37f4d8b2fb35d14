//! Rust source text from the models. The text is formatted by rustfmt afterwards, so this
//! module cares about tokens and order, not indentation.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::{bail, Result};

use crate::config::Overrides;
use crate::model::{Attr, BlockField, BlockModel, Kind, Ty, TypeModel};
use crate::names::{doc_sentence, is_keyword, pascal, singular};

/// Methods every `Handle<R>` already has: an accessor must not be named like them.
const HANDLE_METHODS: &[&str] = &["address", "node", "attr", "new"];
/// Methods every resource already has (`ResourceExt`, `Resource`): a setter named like them
/// would shadow them.
const RESOURCE_METHODS: &[&str] = &[
    "depends_on",
    "prevent_destroy",
    "create_before_destroy",
    "ignore_changes",
    "ignore_all_changes",
    "provider",
    "meta",
    "meta_mut",
];
/// Method name prefixes whose receiver clippy's `wrong_self_convention` has opinions about.
const CONVENTION_PREFIXES: &[&str] = &["as_", "from_", "into_", "is_", "to_"];

const MUST_USE_RESOURCE: &str = "a resource is emitted only after `stack.add(..)`";
const MUST_USE_BLOCK: &str = "a block takes effect only when passed to its parent";

/// The source of one service module (`iam.rs`, …), unformatted and without the header line.
pub fn service_module(
    description: &str,
    types: &[&TypeModel],
    overrides: &Overrides,
) -> Result<String> {
    let mut out = String::new();
    let listed: Vec<String> = types
        .iter()
        .map(|t| match t.kind {
            Kind::Managed => format!("[`{}`] (`{}`)", t.rust_name, t.tf_type),
            Kind::Data => format!("[`{}`] (data source `{}`)", t.rust_name, t.tf_type),
        })
        .collect();
    writeln!(out, "//! {description}: {}.", listed.join(", "))?;
    writeln!(out, "//!")?;
    writeln!(
        out,
        "//! Generated from the provider schema; nested blocks of a type `Foo` live in its \
         submodule `foo`."
    )?;
    // Each type, followed by the submodule of its blocks; imports come from the types only.
    let mut own = String::new();
    let mut body = String::new();
    for t in types {
        let (code, blocks) = emit_type(t, overrides)?;
        own.push_str(&code);
        body.push_str(&code);
        body.push_str(&blocks);
    }
    out.push_str(&uses(&own));
    out.push('\n');
    out.push_str(&body);
    Ok(out)
}

/// `use` lines for the names a module body mentions outside doc comments.
fn uses(body: &str) -> String {
    const CANDIDATES: &[(&str, &[&str])] = &[
        ("serde", &["Serialize"]),
        (
            "oxiform_core::address",
            &["AsNode", "NodeRef", "ResourceKind"],
        ),
        (
            "oxiform_core::resource",
            &["Attrs", "FieldName", "Meta", "Resource"],
        ),
        (
            "oxiform_core::value",
            &["Expr", "Json", "List", "Map", "Refs", "Value"],
        ),
    ];
    // Doc comments do not count.
    let own: String = body
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    for (path, names) in CANDIDATES {
        let used: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| mentions(&own, n))
            .collect();
        match used.as_slice() {
            [] => {}
            [one] => {
                let _ = writeln!(out, "use {path}::{one};");
            }
            many => {
                let _ = writeln!(out, "use {path}::{{{}}};", many.join(", "));
            }
        }
    }
    out
}

fn mentions(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// One field of a generated struct.
enum Member<'a> {
    Attr(&'a Attr),
    /// A block and the path of its Rust type from where the struct is.
    Block(&'a BlockField, String),
}

impl Member<'_> {
    fn tf(&self) -> &str {
        match self {
            Member::Attr(a) => &a.tf,
            Member::Block(b, _) => &b.tf,
        }
    }
    fn rust(&self) -> &str {
        match self {
            Member::Attr(a) => &a.rust,
            Member::Block(b, _) => &b.rust,
        }
    }
    fn required(&self) -> bool {
        match self {
            Member::Attr(a) => a.required,
            Member::Block(b, _) => b.required,
        }
    }
    /// The type of the value the caller gives for it when required (`Args` field).
    fn required_type(&self) -> String {
        match self {
            Member::Attr(a) => format!("Value<{}>", a.ty.inner()),
            Member::Block(b, path) if b.multi => format!("Vec<{path}>"),
            Member::Block(_, path) => path.clone(),
        }
    }
    /// The struct field's type.
    fn field_type(&self) -> String {
        match self {
            Member::Attr(a) if a.required => format!("Value<{}>", a.ty.inner()),
            Member::Attr(a) => format!("Option<Value<{}>>", a.ty.inner()),
            Member::Block(b, path) if b.multi => format!("Vec<{path}>"),
            Member::Block(b, path) if b.required => path.clone(),
            Member::Block(_, path) => format!("Option<{path}>"),
        }
    }
    /// The field's value when not given.
    fn empty_value(&self) -> &'static str {
        match self {
            Member::Block(b, _) if b.multi => "Vec::new()",
            _ => "None",
        }
    }
    fn skip_if(&self) -> Option<&'static str> {
        match self {
            Member::Attr(a) if a.required => None,
            Member::Attr(_) => Some("Option::is_none"),
            Member::Block(b, _) if b.multi => Some("Vec::is_empty"),
            Member::Block(b, _) if b.required => None,
            Member::Block(..) => Some("Option::is_none"),
        }
    }
    /// The schema's description of the member, as one doc sentence.
    fn description(&self) -> Option<String> {
        match self {
            Member::Attr(a) => a.description.as_deref().map(doc_sentence),
            Member::Block(b, _) => b.model.description.as_deref().map(doc_sentence),
        }
    }
    /// How the member's type is described after its name: "" or " (free-form JSON)".
    fn kind_note(&self) -> &'static str {
        match self {
            Member::Attr(a) if a.ty == Ty::Json => " (free-form JSON)",
            _ => "",
        }
    }
    /// One sentence describing the member: the schema's, or a generic one.
    fn doc(&self) -> String {
        self.description().unwrap_or_else(|| match self {
            Member::Attr(a) => format!("`{}` argument{}.", a.tf, self.kind_note()),
            Member::Block(b, _) if b.multi => format!("`{}` blocks.", b.tf),
            Member::Block(b, _) => format!("`{}` block.", b.tf),
        })
    }
    /// `first` followed by the schema's description, if any.
    fn sentence(&self, first: String) -> String {
        match self.description() {
            Some(d) => format!("{first} {d}"),
            None => first,
        }
    }
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let (deprecated, sensitive) = match self {
            Member::Attr(a) => (a.deprecated, a.sensitive),
            Member::Block(b, _) => (b.deprecated, false),
        };
        if deprecated {
            notes.push("Deprecated by the provider.".to_owned());
        }
        if sensitive {
            notes.push("Sensitive: Terraform hides its value in plan output.".to_owned());
        }
        notes
    }
}

fn doc(out: &mut String, lines: &[String]) {
    for line in lines {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            for l in line.lines() {
                if l.is_empty() {
                    out.push_str("///\n");
                } else {
                    out.push_str("/// ");
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
    }
}

fn allow_convention(out: &mut String, method: &str) {
    if CONVENTION_PREFIXES.iter().any(|p| method.starts_with(p)) {
        out.push_str("#[allow(clippy::wrong_self_convention)]\n");
    }
}

fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one generated struct is.
struct Spec<'a> {
    /// Rust type name.
    name: String,
    /// How docs name it: "`aws_iam_role`", "the `vpc_config` block".
    what: String,
    /// Doc lines of the struct, after the generated first line.
    extra_doc: Vec<String>,
    /// First doc line, up to the list of required arguments.
    headline: String,
    members: Vec<Member<'a>>,
    /// Set for resources and data sources.
    resource: Option<&'a TypeModel>,
    /// Extra doc lines for the `…Args` struct.
    args_doc: Vec<String>,
}

fn members<'a>(t: &'a TypeModel, model: &'a BlockModel, prefix: &str) -> Vec<Member<'a>> {
    let mut members: Vec<Member<'a>> = model
        .attrs
        .iter()
        .filter(|a| a.argument)
        .map(Member::Attr)
        .chain(
            model
                .blocks
                .iter()
                .map(|b| Member::Block(b, format!("{prefix}{}", t.block_name(b)))),
        )
        .collect();
    members.sort_by(|a, b| a.tf().cmp(b.tf()));
    members
}

/// The code of a type, and the submodule of its nested blocks (empty when it has none).
fn emit_type(t: &TypeModel, overrides: &Overrides) -> Result<(String, String)> {
    let mut out = String::new();
    let prefix = format!("{}::", t.module);
    let label = match t.kind {
        Kind::Managed => format!("`{}`", t.tf_type),
        Kind::Data => format!("`{}` data source", t.tf_type),
    };
    let mut extra_doc = vec![
        String::new(),
        format!("[Registry documentation]({}).", t.doc_url),
    ];
    if let Some(d) = &t.body.description {
        extra_doc.insert(0, String::new());
        extra_doc.insert(1, doc_sentence(d));
    }
    if let Some(lines) = overrides.extra_docs.get(&t.path_prefix()) {
        extra_doc.push(String::new());
        extra_doc.extend(lines.iter().cloned());
    }
    let spec = Spec {
        name: t.rust_name.clone(),
        what: match t.kind {
            Kind::Managed => format!("`{}`", t.tf_type),
            Kind::Data => format!("`{}` data source", t.tf_type),
        },
        headline: label,
        extra_doc,
        members: members(t, &t.body, &prefix),
        resource: Some(t),
        args_doc: overrides
            .extra_docs
            .get(&format!("{}.Args", t.path_prefix()))
            .cloned()
            .unwrap_or_default(),
    };
    emit_struct(&mut out, &spec)?;

    if t.named_blocks.is_empty() {
        return Ok((out, String::new()));
    }
    let mut sub = String::new();
    for nb in &t.named_blocks {
        let owner = match t.kind {
            Kind::Managed => format!("`{}`", t.tf_type),
            Kind::Data => format!("`data.{}`", t.tf_type),
        };
        let mut extra_doc = Vec::new();
        if nb.paths.len() > 1 {
            extra_doc.push(String::new());
            extra_doc.push(format!(
                "Also used at {}.",
                code_list(&nb.paths[1..].iter().map(String::as_str).collect::<Vec<_>>())
            ));
        }
        if let Some(d) = &nb.model.description {
            extra_doc.push(String::new());
            extra_doc.push(doc_sentence(d));
        }
        let spec = Spec {
            name: nb.name.clone(),
            what: format!("`{}` block", nb.tf),
            headline: format!("`{}` block of {owner}", nb.paths[0]),
            extra_doc,
            members: members(t, &nb.model, ""),
            resource: None,
            args_doc: Vec::new(),
        };
        emit_struct(&mut sub, &spec)?;
    }
    let mut module = String::new();
    writeln!(module, "pub mod {} {{", t.module)?;
    writeln!(
        module,
        "//! Nested blocks of [`{name}`](super::{name}) ({}).",
        match t.kind {
            Kind::Managed => format!("`{}`", t.tf_type),
            Kind::Data => format!("data source `{}`", t.tf_type),
        },
        name = t.rust_name
    )?;
    module.push_str(&uses(&sub));
    module.push('\n');
    module.push_str(&sub);
    module.push_str("}\n\n");
    Ok((out, module))
}

fn emit_struct(out: &mut String, s: &Spec<'_>) -> Result<()> {
    let required: Vec<&Member<'_>> = s.members.iter().filter(|m| m.required()).collect();
    let required_names: Vec<&str> = required.iter().map(|m| m.tf()).collect();
    let args_name = format!("{}Args", s.name);
    let headline = match required.len() {
        0 => format!("{} — no required arguments.", s.headline),
        1 => format!("{} — required: {}.", s.headline, code_list(&required_names)),
        _ => format!(
            "{} — required: {} (fields of [`{args_name}`]).",
            s.headline,
            code_list(&required_names)
        ),
    };
    let mut lines = vec![headline];
    lines.extend(s.extra_doc.iter().cloned());
    doc(out, &lines);
    let must_use = if s.resource.is_some() {
        MUST_USE_RESOURCE
    } else {
        MUST_USE_BLOCK
    };
    writeln!(out, "#[must_use = \"{must_use}\"]")?;
    if required.is_empty() {
        out.push_str("#[derive(Debug, Clone, Default, Serialize)]\n");
    } else {
        out.push_str("#[derive(Debug, Clone, Serialize)]\n");
    }
    writeln!(out, "pub struct {} {{", s.name)?;
    for m in &s.members {
        if let Some(skip) = m.skip_if() {
            writeln!(out, "#[serde(skip_serializing_if = \"{skip}\")]")?;
        }
        if m.rust() != m.tf() {
            writeln!(out, "#[serde(rename = \"{}\")]", m.tf())?;
        }
        writeln!(out, "{}: {},", m.rust(), m.field_type())?;
    }
    if s.resource.is_some() {
        out.push_str("#[serde(flatten)]\nmeta: Meta,\n");
    }
    out.push_str("}\n\n");

    // The `…Args` struct.
    if required.len() >= 2 {
        let mut lines = vec![
            format!("The required arguments of [`{}`] ({}).", s.name, s.what),
            String::new(),
            format!(
                "Give every field; `.into()` converts literals and expressions. Pass it to [`{}::new`].",
                s.name
            ),
        ];
        if !s.args_doc.is_empty() {
            lines.push(String::new());
            lines.extend(s.args_doc.iter().cloned());
        }
        doc(out, &lines);
        writeln!(out, "#[derive(Debug, Clone)]\npub struct {args_name} {{")?;
        for m in &required {
            let mut lines = vec![m.doc()];
            lines.extend(m.notes().into_iter().flat_map(|n| [String::new(), n]));
            doc(out, &lines);
            writeln!(out, "pub {}: {},", m.rust(), m.required_type())?;
        }
        out.push_str("}\n\n");
    }

    // Constructor and setters.
    let mut methods: BTreeSet<String> = BTreeSet::new();
    methods.insert("new".to_owned());
    writeln!(out, "impl {} {{", s.name)?;
    match required.as_slice() {
        [] => {
            doc(
                out,
                &[format!("A new {}; it has no required arguments.", s.what)],
            );
            out.push_str("pub fn new() -> Self {\nSelf::default()\n}\n");
        }
        [one] => {
            doc(
                out,
                &[format!(
                    "A new {} with its required argument `{}`{}.",
                    s.what,
                    one.tf(),
                    one.kind_note()
                )],
            );
            let (param, value) = match one {
                Member::Attr(a) => (
                    format!("impl Into<Value<{}>>", a.ty.inner()),
                    format!("{}.into()", a.rust),
                ),
                Member::Block(b, _) => (one.required_type(), b.rust.clone()),
            };
            writeln!(
                out,
                "pub fn new({}: {param}) -> Self {{\nSelf {{",
                one.rust()
            )?;
            for m in &s.members {
                if m.required() {
                    if value == m.rust() {
                        writeln!(out, "{},", m.rust())?;
                    } else {
                        writeln!(out, "{}: {value},", m.rust())?;
                    }
                } else {
                    writeln!(out, "{}: {},", m.rust(), m.empty_value())?;
                }
            }
            if s.resource.is_some() {
                out.push_str("meta: Meta::default(),\n");
            }
            out.push_str("}\n}\n");
        }
        _ => {
            doc(
                out,
                &[format!("A new {} from its required arguments.", s.what)],
            );
            writeln!(out, "pub fn new(args: {args_name}) -> Self {{\nSelf {{")?;
            for m in &s.members {
                if m.required() {
                    writeln!(out, "{0}: args.{0},", m.rust())?;
                } else {
                    writeln!(out, "{}: {},", m.rust(), m.empty_value())?;
                }
            }
            if s.resource.is_some() {
                out.push_str("meta: Meta::default(),\n");
            }
            out.push_str("}\n}\n");
        }
    }

    // Setter names first, so appenders can step aside when they would collide.
    let mut setter_names = Vec::new();
    for m in &s.members {
        match m {
            Member::Attr(a) if !a.required => {
                setter_names.push(a.rust.clone());
                setter_names.push(format!("set_{}", a.rust));
            }
            Member::Block(b, _) if b.multi => setter_names.push(b.rust.clone()),
            Member::Block(b, _) if !b.required => {
                setter_names.push(b.rust.clone());
                setter_names.push(format!("set_{}", b.rust));
            }
            _ => {}
        }
    }
    for name in &setter_names {
        if !methods.insert(name.clone()) {
            bail!("`{}`: two methods would be named `{name}`", s.name);
        }
        if s.resource.is_some() && RESOURCE_METHODS.contains(&name.as_str()) {
            bail!(
                "`{}`: setter `{name}` would shadow the meta-argument method of the same name",
                s.name
            );
        }
    }
    let member_names: BTreeSet<&str> = s.members.iter().map(|m| m.rust()).collect();

    for m in &s.members {
        match m {
            Member::Attr(a) if !a.required => {
                let inner = a.ty.inner();
                let mut lines = vec![m.sentence(format!("Sets `{}`{}.", a.tf, m.kind_note()))];
                lines.extend(m.notes().into_iter().flat_map(|n| [String::new(), n]));
                doc(out, &lines);
                allow_convention(out, &a.rust);
                writeln!(
                    out,
                    "pub fn {0}(mut self, v: impl Into<Value<{inner}>>) -> Self {{\nself.{0} = Some(v.into());\nself\n}}",
                    a.rust
                )?;
                doc(
                    out,
                    &[format!("Sets `{}`, or unsets it with `None`.", a.tf)],
                );
                writeln!(
                    out,
                    "pub fn set_{0}(mut self, v: Option<Value<{inner}>>) -> Self {{\nself.{0} = v;\nself\n}}",
                    a.rust
                )?;
                let element = match a.ty {
                    Ty::List(p) | Ty::Map(p) => p.rust(),
                    _ => continue,
                };
                let Some(one) = singular(&a.rust) else {
                    continue;
                };
                if is_keyword(&one) || member_names.contains(one.as_str()) || methods.contains(&one)
                {
                    continue;
                }
                methods.insert(one.clone());
                allow_convention(out, &one);
                if matches!(a.ty, Ty::List(_)) {
                    doc(out, &[format!("Appends one element to `{}`.", a.tf)]);
                    writeln!(
                        out,
                        "pub fn {one}(mut self, v: impl Into<Value<{element}>>) -> Self {{\n\
                         self.{0}.get_or_insert_with(|| Value::Literal(Vec::new())).push(v.into());\nself\n}}",
                        a.rust
                    )?;
                } else {
                    doc(out, &[format!("Inserts one entry into `{}`.", a.tf)]);
                    writeln!(
                        out,
                        "pub fn {one}(mut self, key: &str, v: impl Into<Value<{element}>>) -> Self {{\n\
                         self.{0}.get_or_insert_with(|| Value::Literal(Default::default())).insert(key.to_owned(), v.into());\nself\n}}",
                        a.rust
                    )?;
                }
            }
            Member::Block(b, path) if b.multi => {
                let mut lines = vec![m.sentence(format!(
                    "Appends one `{}` block (call again for more).",
                    b.tf
                ))];
                lines.extend(m.notes().into_iter().flat_map(|n| [String::new(), n]));
                doc(out, &lines);
                allow_convention(out, &b.rust);
                writeln!(
                    out,
                    "pub fn {0}(mut self, b: {path}) -> Self {{\nself.{0}.push(b);\nself\n}}",
                    b.rust
                )?;
            }
            Member::Block(b, path) if !b.required => {
                let mut lines = vec![m.sentence(format!("Sets the `{}` block.", b.tf))];
                lines.extend(m.notes().into_iter().flat_map(|n| [String::new(), n]));
                doc(out, &lines);
                allow_convention(out, &b.rust);
                writeln!(
                    out,
                    "pub fn {0}(mut self, b: {path}) -> Self {{\nself.{0} = Some(b);\nself\n}}",
                    b.rust
                )?;
                doc(
                    out,
                    &[format!(
                        "Sets the `{}` block, or removes it with `None`.",
                        b.tf
                    )],
                );
                writeln!(
                    out,
                    "pub fn set_{0}(mut self, b: Option<{path}>) -> Self {{\nself.{0} = b;\nself\n}}",
                    b.rust
                )?;
            }
            _ => {}
        }
    }
    out.push_str("}\n\n");

    // Refs.
    writeln!(out, "impl Refs for {} {{", s.name)?;
    if s.members.is_empty() {
        out.push_str("fn refs(&self, _out: &mut Vec<NodeRef>) {}\n");
    } else {
        out.push_str("fn refs(&self, out: &mut Vec<NodeRef>) {\n");
        for m in &s.members {
            writeln!(out, "self.{}.refs(out);", m.rust())?;
        }
        out.push_str("}\n");
    }
    out.push_str("}\n\n");

    if let Some(t) = s.resource {
        emit_resource_impls(out, s, t)?;
    }
    Ok(())
}

fn emit_resource_impls(out: &mut String, s: &Spec<'_>, t: &TypeModel) -> Result<()> {
    let field = format!("{}Field", s.name);
    let attrs = format!("{}Attrs", s.name);
    doc(
        out,
        &[format!(
            "The arguments of [`{}`], for [`ignore_changes`](oxiform_core::resource::ResourceExt::ignore_changes).",
            s.name
        )],
    );
    out.push_str("#[allow(clippy::enum_variant_names)]\n");
    writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum {field} {{"
    )?;
    let mut variants = BTreeSet::new();
    for m in &s.members {
        let v = pascal(m.tf());
        if is_keyword(&v) || !variants.insert(v.clone()) {
            bail!(
                "`{}`: argument `{}` gives an unusable variant `{v}`",
                t.tf_type,
                m.tf()
            );
        }
        doc(out, &[format!("`{}`", m.tf())]);
        writeln!(out, "{v},")?;
    }
    out.push_str("}\n\n");
    writeln!(
        out,
        "impl FieldName for {field} {{\nfn name(self) -> &'static str {{\nmatch self {{"
    )?;
    for m in &s.members {
        writeln!(out, "{field}::{} => \"{}\",", pascal(m.tf()), m.tf())?;
    }
    out.push_str("}\n}\n}\n\n");

    let kind = match t.kind {
        Kind::Managed => "Managed",
        Kind::Data => "Data",
    };
    writeln!(
        out,
        "impl Resource for {} {{\n\
         const TYPE: &'static str = \"{}\";\n\
         const KIND: ResourceKind = ResourceKind::{kind};\n\
         type Field = {field};\n\
         type Attrs = {attrs};\n\
         fn meta(&self) -> &Meta {{\n&self.meta\n}}\n\
         fn meta_mut(&mut self) -> &mut Meta {{\n&mut self.meta\n}}\n}}\n",
        s.name, t.tf_type
    )?;

    doc(
        out,
        &[format!(
            "The attributes of [`{}`], reached through a `Handle<{}>` (it dereferences to this).",
            s.name, s.name
        )],
    );
    writeln!(
        out,
        "#[derive(Debug, Clone, Copy)]\npub struct {attrs}(NodeRef);\n\n\
         impl Attrs for {attrs} {{\nfn of(node: NodeRef) -> Self {{\n{attrs}(node)\n}}\n}}\n\n\
         impl AsNode for {attrs} {{\nfn as_node(&self) -> NodeRef {{\nself.0\n}}\n}}\n"
    )?;
    writeln!(out, "impl {attrs} {{")?;
    for a in &t.body.attrs {
        if HANDLE_METHODS.contains(&a.rust.as_str()) {
            bail!(
                "`{}`: attribute `{}` would shadow `Handle::{}`",
                t.tf_type,
                a.tf,
                a.rust
            );
        }
        let what = if !a.argument {
            "computed by the provider.".to_owned()
        } else if a.required {
            "the value of the required argument.".to_owned()
        } else if a.computed {
            "the argument's value, or the one the provider computed.".to_owned()
        } else {
            "the argument's value (null when unset).".to_owned()
        };
        let mut lines = vec![format!("`{}` — {what}", a.tf)];
        if let Some(d) = &a.description {
            lines.push(String::new());
            lines.push(doc_sentence(d));
        }
        doc(out, &lines);
        allow_convention(out, &a.rust);
        writeln!(
            out,
            "pub fn {}(&self) -> Expr<{}> {{\nExpr::reference(self.0, \"{}\")\n}}",
            a.rust,
            a.ty.inner(),
            a.tf
        )?;
    }
    out.push_str("}\n\n");
    Ok(())
}
