//! Rust source text from the models, compact on purpose.
//!
//! Every generated type is a newtype over the core's `Body` (a sparse, sorted argument
//! store); its setters and accessors are one `#[inline]` line each, and its trait impls one
//! macro call. Nothing is compiled for a type a stack does not use, which is what keeps a
//! build of the whole provider inside its budget (`bench/README.md`). The text is laid out
//! by this module, not rustfmt (the modules are `#[rustfmt::skip]`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::{bail, Result};

use crate::config::{Overrides, Pinned};
use crate::model::{Attr, BlockField, BlockModel, Kind, Ty, TypeModel, RESOURCE_METHODS};
use crate::names::{doc_sentence, is_keyword, pascal, singular};

/// What the emitted text depends on besides the models: the provider, and where the code
/// goes.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The pinned provider (its title names it in notes).
    pub pinned: &'a Pinned,
    /// The overrides (extra docs).
    pub overrides: &'a Overrides,
    /// The path generated code names the core by: `oxiform_core`, or `crate` for code
    /// generated into the core itself (Terraform's built-in provider).
    pub core: &'a str,
    /// Whether the provider configuration gets a generated constructor, `alias` and
    /// conversion into the core's `ProviderConfig` (the AWS crate writes its own).
    pub provider_conveniences: bool,
}

/// Methods every `Handle<R>` already has: an accessor must not be named like them.
const HANDLE_METHODS: &[&str] = &[
    "address", "node", "attr", "new", "as_node", "of", "at", "at_key", "all",
];
/// Method name prefixes whose receiver clippy's `wrong_self_convention` has opinions about.
const CONVENTION_PREFIXES: &[&str] = &["as_", "from_", "into_", "is_", "to_"];

const MUST_USE_RESOURCE: &str = "a resource is emitted only after `stack.add(..)`";
const MUST_USE_BLOCK: &str = "a block takes effect only when passed to its parent";
const MUST_USE_PROVIDER: &str = "a provider is configured only after `stack.provider(..)`";

/// Setters and accessors carry a doc comment only where the schema describes the argument
/// or there is a note (sensitive, write-only): "Sets `name`." on 90,000 methods would say
/// nothing their names do not, and cost the build (see `bench/README.md`).
const ALLOWS: &str =
    "#![allow(missing_docs, clippy::too_many_arguments, clippy::new_without_default, clippy::module_inception)]\n";

/// The imports of every generated module, from the core at `core`.
fn uses(core: &str) -> String {
    format!(
        "#[allow(unused_imports)]\n\
         use {core}::body::Body;\n\
         #[allow(unused_imports)]\n\
         use {core}::resource::Meta;\n\
         #[allow(unused_imports)]\n\
         use {core}::secret::{{IntoSensitive, Sensitive}};\n\
         #[allow(unused_imports)]\n\
         use {core}::value::{{Expr, Json, List, Map, Number, Value}};\n\
         #[allow(unused_imports)]\n\
         use {core}::address::NodeRef;\n"
    )
}

/// The source of one service module (`dynamodb.rs`, …), without the header line.
pub fn service_module(description: &str, types: &[&TypeModel], cx: &Ctx<'_>) -> Result<String> {
    let mut out = String::new();
    let count = |k: Kind| types.iter().filter(|t| t.kind == k).count();
    writeln!(
        out,
        "//! {description}: {} resources, {} data sources, {} ephemeral resources.",
        count(Kind::Managed),
        count(Kind::Data),
        count(Kind::Ephemeral)
    )?;
    writeln!(out, "//!")?;
    writeln!(
        out,
        "//! Generated from the provider schema; nested blocks of a type `Foo` live in its \
         submodule `foo`."
    )?;
    for t in types {
        let kind = match t.kind {
            Kind::Managed => "",
            Kind::Data => "data source ",
            Kind::Ephemeral => "ephemeral resource ",
            Kind::Provider => "provider configuration ",
        };
        writeln!(out, "//! - [`{}`] — {kind}`{}`", t.rust_name, t.tf_type)?;
    }
    out.push_str(ALLOWS);
    out.push_str(&uses(cx.core));
    out.push('\n');
    for t in types {
        emit_type(&mut out, t, cx)?;
    }
    Ok(out)
}

/// One argument of a generated type or block.
enum Member<'a> {
    Attr(&'a Attr),
    /// A block and the path of its Rust type from where the type is.
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
    fn deprecated(&self) -> bool {
        match self {
            Member::Attr(a) => a.deprecated,
            Member::Block(b, _) => b.deprecated,
        }
    }
    /// The type of the value the caller gives for it when required (`Args` field).
    fn required_type(&self) -> String {
        match self {
            Member::Attr(a) if a.sensitive => format!("Sensitive<{}>", a.ty.inner()),
            Member::Attr(a) => format!("Value<{}>", a.ty.inner()),
            Member::Block(b, path) if b.multi => format!("Vec<{path}>"),
            Member::Block(_, path) => path.clone(),
        }
    }
    /// How the value given in `v` is stored, as an expression.
    fn store(&self, v: &str) -> String {
        match self {
            Member::Attr(a) if a.sensitive => format!("{v}.into_value()"),
            _ => v.to_owned(),
        }
    }
    /// The schema's description of the member, as one doc sentence.
    fn description(&self) -> Option<String> {
        match self {
            Member::Attr(a) => a.description.as_deref().map(doc_sentence),
            Member::Block(b, _) => b.model.description.as_deref().map(doc_sentence),
        }
    }
    fn kind_note(&self) -> &'static str {
        match self {
            Member::Attr(a) if a.ty == Ty::Json => " (free-form JSON)",
            _ => "",
        }
    }
    /// `first`, then the schema's description and notes, as doc lines; none when there is
    /// neither description nor note (a setter's name says all `first` would).
    fn doc_lines(&self, first: String) -> Vec<String> {
        let noted = matches!(self, Member::Attr(a) if a.sensitive || a.write_only);
        if self.description().is_none() && !noted {
            return Vec::new();
        }
        let mut lines = vec![match self.description() {
            Some(d) => format!("{first} {d}"),
            None => first,
        }];
        if let Member::Attr(a) = self {
            if a.sensitive {
                lines.push(String::new());
                lines.push(
                    "Sensitive: takes an expression (a variable, a data source or ephemeral value) \
                     or `Secret::plaintext_in_config(..)`, never a plain literal."
                        .to_owned(),
                );
            }
            if a.write_only {
                lines.push(String::new());
                lines.push(
                    "Write-only: sent to the provider, never stored in the state.".to_owned(),
                );
            }
        }
        lines
    }
}

fn doc(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}///");
            continue;
        }
        for l in line.lines() {
            if l.is_empty() {
                let _ = writeln!(out, "{indent}///");
            } else {
                let _ = writeln!(out, "{indent}/// {l}");
            }
        }
    }
}

/// Attributes put before a method: `#[inline]`, deprecation, clippy allowances.
fn method_attrs(out: &mut String, name: &str, deprecated: bool, title: &str) {
    out.push_str("    #[inline]");
    if deprecated {
        let _ = write!(
            out,
            " #[deprecated(note = \"deprecated by the {title} provider; see the registry documentation\")]"
        );
    }
    if CONVENTION_PREFIXES.iter().any(|p| name.starts_with(p)) {
        out.push_str(" #[allow(clippy::wrong_self_convention)]");
    }
    out.push('\n');
}

fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one generated type is.
struct Spec<'a> {
    /// Rust type name.
    name: String,
    /// How docs name it: "`aws_iam_role`", "the `vpc_config` block".
    what: String,
    /// Doc lines of the type, after the generated first line.
    extra_doc: Vec<String>,
    /// First doc line, up to the list of required arguments.
    headline: String,
    members: Vec<Member<'a>>,
    /// Set for resources, data sources and ephemeral resources.
    resource: Option<&'a TypeModel>,
    /// The provider configuration: a body and an alias, no constructor (the hand-written
    /// `AwsProvider::new(region)` is the one), no resource impls.
    provider: bool,
    /// Extra doc lines for the `…Args` struct.
    args_doc: Vec<String>,
    /// How notes name the provider (`AWS`).
    title: &'a str,
    /// The path of the core (`oxiform_core`, `crate`).
    core: &'a str,
    /// The provider configuration gets a constructor (see [`Ctx::provider_conveniences`]).
    conveniences: bool,
}

impl Spec<'_> {
    /// `Self(<body>)` or `Self(<body>, <meta>)`.
    fn wrap(&self, body: &str, meta: &str) -> String {
        if self.resource.is_some() || self.provider {
            format!("Self({body}, {meta})")
        } else {
            format!("Self({body})")
        }
    }
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

fn kind_label(t: &TypeModel) -> String {
    match t.kind {
        Kind::Managed => format!("`{}`", t.tf_type),
        Kind::Data => format!("`{}` data source", t.tf_type),
        Kind::Ephemeral => format!("`{}` ephemeral resource", t.tf_type),
        Kind::Provider => format!("`provider \"{}\"` configuration", t.tf_type),
    }
}

/// The doc line linking to a type's documentation, if it has a link.
fn doc_link(url: &str) -> Vec<String> {
    if url.is_empty() {
        return Vec::new();
    }
    let what = if url.starts_with("https://registry.terraform.io/") {
        "Registry documentation"
    } else {
        "Documentation"
    };
    vec![String::new(), format!("[{what}]({url}).")]
}

/// A type, followed by the submodule of its nested blocks.
fn emit_type(out: &mut String, t: &TypeModel, cx: &Ctx<'_>) -> Result<()> {
    let overrides = cx.overrides;
    let prefix = format!("{}::", t.module);
    let mut extra_doc = doc_link(&t.doc_url);
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
        what: kind_label(t),
        headline: kind_label(t),
        extra_doc,
        members: members(t, &t.body, &prefix),
        resource: (t.kind != Kind::Provider).then_some(t),
        provider: t.kind == Kind::Provider,
        args_doc: overrides
            .extra_docs
            .get(&format!("{}.Args", t.path_prefix()))
            .cloned()
            .unwrap_or_default(),
        title: cx.pinned.title(),
        core: cx.core,
        conveniences: cx.provider_conveniences,
    };
    emit_struct(out, &spec)?;

    if t.named_blocks.is_empty() {
        return Ok(());
    }
    writeln!(out, "pub mod {} {{", t.module)?;
    writeln!(
        out,
        "//! Nested blocks of [`{name}`](super::{name}) ({}).",
        kind_label(t),
        name = t.rust_name
    )?;
    out.push_str(ALLOWS);
    out.push_str(&uses(cx.core));
    let owner = format!("`{}`", t.path_prefix());
    for nb in &t.named_blocks {
        let mut extra_doc = Vec::new();
        if nb.paths.len() > 1 {
            let shown: Vec<&str> = nb.paths[1..].iter().take(3).map(String::as_str).collect();
            let more = nb.paths.len() - 1 - shown.len();
            extra_doc.push(String::new());
            extra_doc.push(if more == 0 {
                format!("Also used at {}.", code_list(&shown))
            } else {
                format!("Also used at {} and {more} more places.", code_list(&shown))
            });
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
            provider: false,
            args_doc: Vec::new(),
            title: cx.pinned.title(),
            core: cx.core,
            conveniences: false,
        };
        emit_struct(out, &spec)?;
    }
    out.push_str("}\n\n");
    Ok(())
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
    doc(out, "", &lines);
    let must_use = if s.provider {
        MUST_USE_PROVIDER
    } else if s.resource.is_some() {
        MUST_USE_RESOURCE
    } else {
        MUST_USE_BLOCK
    };
    writeln!(out, "#[must_use = \"{must_use}\"]")?;
    match s.resource {
        Some(t) => {
            writeln!(out, "pub struct {}(Body, Meta);", s.name)?;
            writeln!(
                out,
                "{3}::resource_type!({0}, {0}Attrs, {0}Field, \"{1}\", {2});",
                s.name,
                t.tf_type,
                t.kind.core_variant(),
                s.core
            )?;
        }
        None if s.provider => {
            // The arguments and the alias; `From` (generated, or hand-written as in
            // `aws/src/provider.rs`) converts it for the core.
            writeln!(
                out,
                "#[derive(Clone, Debug)]\npub struct {}(pub(crate) Body, pub(crate) Option<String>);",
                s.name
            )?;
        }
        None => {
            // No trait impls: a block is stored as its `Body`, which has them all.
            writeln!(out, "pub struct {}(pub(crate) Body);", s.name)?;
        }
    }

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
        doc(out, "", &lines);
        writeln!(out, "pub struct {args_name} {{")?;
        for m in &required {
            doc(
                out,
                "    ",
                &m.doc_lines(format!("`{}`{}.", m.tf(), m.kind_note())),
            );
            if m.deprecated() {
                writeln!(
                    out,
                    "    #[deprecated(note = \"deprecated by the {} provider\")]",
                    s.title
                )?;
            }
            writeln!(out, "    pub {}: {},", m.rust(), m.required_type())?;
        }
        out.push_str("}\n");
    }

    // Constructor and setters.
    let mut methods: BTreeSet<String> = BTreeSet::new();
    methods.insert("new".to_owned());
    writeln!(out, "impl {} {{", s.name)?;
    let set_required = |m: &Member<'_>, v: &str| -> String {
        match m {
            Member::Block(b, _) if b.multi => {
                format!(
                    ".with_blocks(\"{}\", {v}.into_iter().map(|b| b.0).collect(), {})",
                    b.tf, b.set
                )
            }
            Member::Block(..) => format!(".with(\"{}\", {v}.0)", m.tf()),
            _ => format!(".with(\"{}\", {})", m.tf(), m.store(v)),
        }
    };
    // A provider configuration starts without an alias.
    let fresh_meta = if s.provider {
        "None"
    } else {
        "Meta::default()"
    };
    match required.as_slice() {
        [] if s.provider && !s.conveniences => {}
        [] => {
            doc(
                out,
                "    ",
                &[format!("A new {}; it has no required arguments.", s.what)],
            );
            writeln!(
                out,
                "    #[inline] pub fn new() -> Self {{ {} }}",
                s.wrap("Body::new()", fresh_meta)
            )?;
        }
        [one] => {
            doc(
                out,
                "    ",
                &[format!(
                    "A new {} with its required argument `{}`{}.",
                    s.what,
                    one.tf(),
                    one.kind_note()
                )],
            );
            let (param, value) = match one {
                Member::Attr(a) if a.sensitive => (
                    format!("impl IntoSensitive<{}>", a.ty.inner()),
                    format!("{}.into_sensitive().into_value()", a.rust),
                ),
                Member::Attr(a) => (
                    format!("impl Into<Value<{}>>", a.ty.inner()),
                    format!("{}.into()", a.rust),
                ),
                Member::Block(b, _) => (one.required_type(), format!("{}.0", b.rust)),
            };
            let body = match one {
                Member::Block(b, _) if b.multi => {
                    format!("Body::new().with_blocks(\"{}\", {}.into_iter().map(|b| b.0).collect(), {})", b.tf, b.rust, b.set)
                }
                _ => format!("Body::new().with(\"{}\", {value})", one.tf()),
            };
            writeln!(
                out,
                "    #[inline] pub fn new({}: {param}) -> Self {{ {} }}",
                one.rust(),
                s.wrap(&body, fresh_meta)
            )?;
        }
        _ => {
            doc(
                out,
                "    ",
                &[format!("A new {} from its required arguments.", s.what)],
            );
            let mut body = "Body::new()".to_owned();
            for m in &required {
                body.push_str(&set_required(m, &format!("args.{}", m.rust())));
            }
            writeln!(
                out,
                "    #[inline] #[allow(deprecated)] pub fn new(args: {args_name}) -> Self {{ {} }}",
                s.wrap(&body, fresh_meta)
            )?;
        }
    }

    // Setter names first, so appenders can step aside when they would collide.
    for m in &s.members {
        if m.required() {
            continue;
        }
        let name = m.rust().to_owned();
        if !methods.insert(name.clone()) {
            bail!("`{}`: two methods would be named `{name}`", s.name);
        }
        // The model renames such arguments (`count_`); this guards the rule.
        if s.resource.is_some() && RESOURCE_METHODS.contains(&name.as_str()) {
            bail!(
                "`{}`: setter `{name}` would shadow the meta-argument method of the same name",
                s.name
            );
        }
    }
    let member_names: BTreeSet<&str> = s.members.iter().map(|m| m.rust()).collect();
    let rewrap = |body: String| s.wrap(&body, "self.1");

    for m in &s.members {
        match m {
            Member::Attr(a) if !a.required => {
                let inner = a.ty.inner();
                doc(
                    out,
                    "    ",
                    &m.doc_lines(format!("Sets `{}`{}.", a.tf, m.kind_note())),
                );
                method_attrs(out, &a.rust, a.deprecated, s.title);
                let (param, value) = if a.sensitive {
                    (
                        format!("impl IntoSensitive<{inner}>"),
                        "v.into_sensitive().into_value()",
                    )
                } else {
                    (format!("impl Into<Value<{inner}>>"), "v.into()")
                };
                writeln!(
                    out,
                    "    pub fn {}(self, v: {param}) -> Self {{ {} }}",
                    a.rust,
                    rewrap(format!("self.0.with(\"{}\", {value})", a.tf))
                )?;
                if a.sensitive {
                    continue;
                }
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
                if s.resource.is_some() && RESOURCE_METHODS.contains(&one.as_str()) {
                    continue;
                }
                methods.insert(one.clone());
                if matches!(a.ty, Ty::List(_)) {
                    doc(
                        out,
                        "    ",
                        &[format!("Appends one element to `{}`.", a.tf)],
                    );
                    method_attrs(out, &one, a.deprecated, s.title);
                    writeln!(
                        out,
                        "    pub fn {one}(self, v: impl Into<Value<{element}>>) -> Self {{ {} }}",
                        rewrap(format!(
                            "self.0.with_item::<{element}>(\"{}\", v.into())",
                            a.tf
                        ))
                    )?;
                } else {
                    doc(
                        out,
                        "    ",
                        &[format!("Inserts one entry into `{}`.", a.tf)],
                    );
                    method_attrs(out, &one, a.deprecated, s.title);
                    writeln!(
                        out,
                        "    pub fn {one}(self, key: &str, v: impl Into<Value<{element}>>) -> Self {{ {} }}",
                        rewrap(format!("self.0.with_entry::<{element}>(\"{}\", key, v.into())", a.tf))
                    )?;
                }
            }
            Member::Block(b, path) if b.multi && !b.required => {
                doc(
                    out,
                    "    ",
                    &m.doc_lines(format!(
                        "Appends one `{}` block (call again for more).",
                        b.tf
                    )),
                );
                method_attrs(out, &b.rust, b.deprecated, s.title);
                let with = if b.set {
                    "with_set_block"
                } else {
                    "with_block"
                };
                writeln!(
                    out,
                    "    pub fn {}(self, b: {path}) -> Self {{ {} }}",
                    b.rust,
                    rewrap(format!("self.0.{with}(\"{}\", b.0)", b.tf))
                )?;
            }
            Member::Block(b, path) if !b.required => {
                doc(
                    out,
                    "    ",
                    &m.doc_lines(format!("Sets the `{}` block.", b.tf)),
                );
                method_attrs(out, &b.rust, b.deprecated, s.title);
                writeln!(
                    out,
                    "    pub fn {}(self, b: {path}) -> Self {{ {} }}",
                    b.rust,
                    rewrap(format!("self.0.with(\"{}\", b.0)", b.tf))
                )?;
            }
            _ => {}
        }
    }
    out.push_str("}\n");

    if let Some(t) = s.resource {
        emit_resource_impls(out, s, t)?;
    }
    out.push('\n');
    Ok(())
}

fn emit_resource_impls(out: &mut String, s: &Spec<'_>, t: &TypeModel) -> Result<()> {
    let field = format!("{}Field", s.name);
    let attrs = format!("{}Attrs", s.name);
    doc(
        out,
        "",
        &[format!(
            "The arguments of [`{}`], for [`ignore_changes`]({}::resource::ResourceExt::ignore_changes).",
            s.name, s.core
        )],
    );
    out.push_str(
        "#[allow(clippy::enum_variant_names)]\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\n",
    );
    writeln!(out, "pub enum {field} {{")?;
    let mut variants = BTreeSet::new();
    for m in &s.members {
        let v = pascal(&crate::model::snake_ident(m.tf()));
        let v = if is_keyword(&v) || v.starts_with(|c: char| c.is_ascii_digit()) {
            format!("{v}_")
        } else {
            v
        };
        if !variants.insert(v.clone()) {
            bail!(
                "`{}`: argument `{}` gives a second variant `{v}`",
                t.tf_type,
                m.tf()
            );
        }
        writeln!(out, "    {v},")?;
    }
    out.push_str("}\n");
    let names: Vec<String> = s
        .members
        .iter()
        .map(|m| format!("\"{}\"", m.tf()))
        .collect();
    writeln!(
        out,
        "{}::field_names!({field}: {});",
        s.core,
        names.join(", ")
    )?;

    doc(
        out,
        "",
        &[format!(
            "The attributes of [`{}`], reached through a `Handle<{}>` (it dereferences to this).",
            s.name, s.name
        )],
    );
    writeln!(
        out,
        "#[derive(Debug, Clone, Copy)]\npub struct {attrs}(NodeRef);"
    )?;
    writeln!(out, "impl {attrs} {{")?;
    for a in &t.body.attrs {
        // `Handle` has `address()`, `node()`, `attr()`: an attribute named like one of
        // them is read through `name_()` (`eip.address_()`).
        let accessor = if HANDLE_METHODS.contains(&a.rust.as_str()) {
            format!("{}_", a.rust)
        } else {
            a.rust.clone()
        };
        if let Some(d) = &a.description {
            doc(out, "    ", &[doc_sentence(d)]);
        }
        method_attrs(out, &accessor, a.deprecated, s.title);
        writeln!(
            out,
            "    pub fn {}(&self) -> Expr<{}> {{ Expr::reference(self.0, \"{}\") }}",
            accessor,
            a.ty.inner(),
            a.tf
        )?;
    }
    out.push_str("}\n");
    Ok(())
}

/// The source of the provider configuration module (`provider.rs`), without the header
/// line: `AwsProvider` with a setter per argument and block, its blocks in a submodule.
/// Not behind a feature: every stack configures the provider.
pub fn provider_module(t: &TypeModel, cx: &Ctx<'_>) -> Result<String> {
    let mut out = String::new();
    if cx.provider_conveniences {
        // The submodule of blocks exists only when the configuration has blocks.
        let blocks = if t.named_blocks.is_empty() {
            String::new()
        } else {
            format!(", and its blocks in [`{}`]", t.module)
        };
        writeln!(
            out,
            "//! The `provider \"{0}\"` configuration block: [`{1}`]{blocks}.\n\
             //!\n\
             //! Generated from the provider schema: a setter per argument and block, `alias`, and \
             the conversion `stack.provider(..)` takes.",
            t.tf_type, t.rust_name
        )?;
    } else {
        writeln!(
            out,
            "//! The `provider \"{0}\"` configuration block: [`{1}`], and its blocks in [`{2}`].\n\
             //!\n\
             //! Generated from the provider schema; the conveniences (`{1}::new(region)`, \
             `alias`, `default_tag`, `emulator`) are hand-written in `aws/src/provider.rs`.",
            t.tf_type, t.rust_name, t.module
        )?;
    }
    out.push_str(ALLOWS);
    out.push_str(&uses(cx.core));
    out.push('\n');
    emit_type(&mut out, t, cx)?;
    if cx.provider_conveniences {
        let core = cx.core;
        writeln!(
            out,
            "impl {0} {{\n    \
             /// Names this configuration (`alias`), for resources that opt in with \
             [`ResourceExt::provider`]({core}::resource::ResourceExt::provider).\n    \
             #[inline] pub fn alias(self, alias: impl Into<String>) -> Self {{ Self(self.0, Some(alias.into())) }}\n\
             }}\n\
             impl From<{0}> for {core}::provider::ProviderConfig {{\n    \
             #[inline]\n    \
             fn from(p: {0}) -> Self {{\n        \
             let config = {core}::provider::ProviderConfig::new(\"{1}\", p.0);\n        \
             match p.1 {{ Some(alias) => config.alias(alias), None => config }}\n    \
             }}\n\
             }}",
            t.rust_name, t.tf_type
        )?;
    }
    Ok(out)
}
