//! From the provider schema plus overrides to what is generated: Rust names, Rust types,
//! which attributes are arguments, and one named Rust type per distinct nested block.

use std::collections::BTreeSet;

use anyhow::{bail, Context, Result};

use crate::config::{Overrides, Pinned};
use crate::names::{is_keyword, pascal};
use crate::numbers::{classify, NumberKind};
use crate::schema::{Attribute, Block, CtyType, SchemaFile};
use crate::services::Services;

/// A primitive Terraform value type, as Rust sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prim {
    /// `String`
    String,
    /// `i64` (a `number` listed in `integers`, or a string listed in `integer_strings`)
    Int,
    /// `f64`
    Float,
    /// `bool`
    Bool,
    /// `Number`: a `number` the rules cannot decide; takes integer and float literals.
    Number,
}

impl Prim {
    /// The Rust type.
    pub fn rust(self) -> &'static str {
        match self {
            Prim::String => "String",
            Prim::Int => "i64",
            Prim::Float => "f64",
            Prim::Bool => "bool",
            Prim::Number => "Number",
        }
    }
}

/// The Rust type of an attribute: `Value<T>` for arguments, `Expr<T>` for accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A primitive.
    Prim(Prim),
    /// A list or set of primitives: `List<T>`.
    List(Prim),
    /// A map of primitives: `Map<T>`.
    Map(Prim),
    /// Anything else (objects, nested collections, `dynamic`): free-form JSON.
    Json,
}

impl Ty {
    /// The `T` of `Value<T>` / `Expr<T>`.
    pub fn inner(self) -> String {
        match self {
            Ty::Prim(p) => p.rust().to_owned(),
            Ty::List(p) => format!("List<{}>", p.rust()),
            Ty::Map(p) => format!("Map<{}>", p.rust()),
            Ty::Json => "Json".to_owned(),
        }
    }
}

/// One attribute of a type or block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attr {
    /// Terraform name.
    pub tf: String,
    /// Rust identifier.
    pub rust: String,
    /// Rust type.
    pub ty: Ty,
    /// Must be set.
    pub required: bool,
    /// Computed by the provider (when not set).
    pub computed: bool,
    /// Settable: required or optional, and not listed in `not_arguments`.
    pub argument: bool,
    /// Deprecated by the provider.
    pub deprecated: bool,
    /// Hidden in plans: its setter takes no plain literal.
    pub sensitive: bool,
    /// Never stored in state (`*_wo` arguments).
    pub write_only: bool,
    /// Schema description.
    pub description: Option<String>,
}

/// A nested block type, as a member of its parent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlockField {
    /// Terraform name.
    pub tf: String,
    /// Rust identifier of the field and its setter.
    pub rust: String,
    /// `min_items >= 1`.
    pub required: bool,
    /// More than one block allowed: `Vec<Block>`; otherwise one (`Option<Block>`, or the
    /// block itself when required).
    pub multi: bool,
    /// `set` nesting: written in a canonical order.
    pub set: bool,
    /// The schema's `min_items` (0 when absent).
    pub min_items: u64,
    /// Deprecated by the provider.
    pub deprecated: bool,
    /// Its body.
    pub model: BlockModel,
}

/// The body of a block: what decides whether two blocks can share one Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlockModel {
    /// Attributes, sorted by name.
    pub attrs: Vec<Attr>,
    /// Nested blocks, sorted by name.
    pub blocks: Vec<BlockField>,
    /// Schema description.
    pub description: Option<String>,
}

/// Managed resource, data source or ephemeral resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `resource`
    Managed,
    /// `data`
    Data,
    /// `ephemeral`
    Ephemeral,
    /// The `provider` configuration block (one per provider, not a resource).
    Provider,
}

impl Kind {
    /// The `ResourceKind` variant name in the core.
    pub fn core_variant(self) -> &'static str {
        match self {
            Kind::Managed => "Managed",
            Kind::Data => "Data",
            Kind::Ephemeral => "Ephemeral",
            // Never written: the provider configuration is no resource.
            Kind::Provider => "Provider",
        }
    }
}

/// One generated resource or data source type.
#[derive(Debug, Clone)]
pub struct TypeModel {
    /// Terraform type, e.g. `aws_iam_role`.
    pub tf_type: String,
    /// Managed or data.
    pub kind: Kind,
    /// Service module.
    pub service: String,
    /// Rust type name, e.g. `IamRole`, `DataRegion`.
    pub rust_name: String,
    /// Name of the submodule holding its nested block types, e.g. `iam_role`.
    pub module: String,
    /// Registry documentation link.
    pub doc_url: String,
    /// Its body.
    pub body: BlockModel,
    /// One Rust type per distinct nested block.
    pub named_blocks: Vec<NamedBlock>,
}

impl TypeModel {
    /// `aws_iam_role`, or `data.aws_region` for a data source (used in override paths).
    pub fn path_prefix(&self) -> String {
        path_prefix(self.kind, &self.tf_type)
    }

    /// The Rust type name of a nested block (of this type, at any depth).
    pub fn block_name(&self, field: &BlockField) -> &str {
        self.named_blocks
            .iter()
            .find(|n| n.tf == field.tf && n.model == field.model)
            .map(|n| n.name.as_str())
            .unwrap_or("UnnamedBlock")
    }
}

fn path_prefix(kind: Kind, tf_type: &str) -> String {
    match kind {
        Kind::Managed => tf_type.to_owned(),
        Kind::Data => format!("data.{tf_type}"),
        Kind::Ephemeral => format!("ephemeral.{tf_type}"),
        Kind::Provider => format!("provider.{tf_type}"),
    }
}

/// A nested block type with its Rust name and where it occurs.
#[derive(Debug, Clone)]
pub struct NamedBlock {
    /// Rust type name.
    pub name: String,
    /// Terraform block name.
    pub tf: String,
    /// Its body.
    pub model: BlockModel,
    /// Dotted paths (from the resource) where it occurs, in schema order.
    pub paths: Vec<String>,
}

/// Names a block type must not take: they are imported into the generated modules.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Value",
    "Body",
    "Number",
    "Sensitive",
    "IntoSensitive",
    "Expr",
    "Json",
    "List",
    "Map",
    "Refs",
    "Handle",
    "NodeRef",
    "Meta",
    "Resource",
    "ResourceKind",
    "FieldName",
    "Serialize",
    "Option",
    "Vec",
    "String",
    "Default",
    "Box",
    "Self",
];

/// How many `number` attributes became each kind, and by which rule.
#[derive(Debug, Clone, Default)]
pub struct NumberCounts {
    /// `i64`
    pub int: usize,
    /// `f64`
    pub float: usize,
    /// `Number`
    pub either: usize,
    /// Decided by `overrides.json`.
    pub overridden: usize,
}

/// Builds the models of every resource, data source and ephemeral resource type of the
/// provider; reports every problem at once.
pub fn build(
    schema: &SchemaFile,
    pinned: &Pinned,
    services: &Services,
    overrides: &Overrides,
) -> Result<(Vec<TypeModel>, NumberCounts)> {
    let provider = schema
        .provider_schemas
        .get(&pinned.provider)
        .with_context(|| format!("the schema has no provider {:?}", pinned.provider))?;
    let mut b = Builder {
        overrides,
        errors: Vec::new(),
        used: BTreeSet::new(),
        counts: NumberCounts::default(),
    };
    let type_prefix = pinned.type_prefix();
    let mut out = Vec::new();
    let lists = [
        (Kind::Managed, &provider.resource_schemas),
        (Kind::Data, &provider.data_source_schemas),
        (Kind::Ephemeral, &provider.ephemeral_resource_schemas),
    ];
    for (kind, schemas) in lists {
        for (tf_type, ts) in schemas {
            let service = match services.module_of(tf_type, &type_prefix) {
                Ok((module, _)) => feature_name(module),
                Err(e) => {
                    b.errors.push(format!("{e:#}"));
                    continue;
                }
            };
            // The type without the provider's prefix (`aws_iam_role` → `iam_role`); a type
            // named like the provider itself keeps its whole name.
            let short = match tf_type.strip_prefix(&type_prefix) {
                Some(short) if !short.is_empty() => short,
                _ => tf_type.as_str(),
            };
            let (rust_name, module, template) = match kind {
                Kind::Managed => (
                    type_name(short, "", pinned),
                    module_ident(short),
                    &overrides.doc_url.resource,
                ),
                Kind::Data => (
                    type_name(short, "Data", pinned),
                    module_ident(&format!("data_{short}")),
                    &overrides.doc_url.data_source,
                ),
                Kind::Ephemeral => (
                    type_name(short, "Ephemeral", pinned),
                    module_ident(&format!("ephemeral_{short}")),
                    &overrides.doc_url.ephemeral,
                ),
                // `lists` holds the three type kinds only; `build_provider` models the provider.
                Kind::Provider => continue,
            };
            let prefix = path_prefix(kind, tf_type);
            if overrides.skip_types.contains(&prefix) {
                b.used.insert(format!("skip_types:{prefix}"));
                continue;
            }
            let rust_name = match overrides.type_names.get(&prefix) {
                Some(name) => {
                    b.used.insert(format!("type_names:{prefix}"));
                    name.clone()
                }
                None => rust_name,
            };
            let doc_url = match overrides.doc_url.types.get(&prefix) {
                Some(url) => url.clone(),
                None => template.replace("{name}", short),
            };
            let body = b.block(&prefix, &ts.block, Top::Resource);
            let mut tm = TypeModel {
                tf_type: tf_type.clone(),
                kind,
                service,
                rust_name,
                module,
                doc_url,
                body,
                named_blocks: Vec::new(),
            };
            match name_blocks(&tm) {
                Ok(named) => tm.named_blocks = named,
                Err(e) => b.errors.push(format!("{e:#}")),
            }
            out.push(tm);
        }
    }
    let unused = |set: &BTreeSet<String>, key: &str, b: &mut Builder| {
        for path in set {
            if !b.used.contains(path) {
                b.errors.push(format!(
                    "overrides.json `{key}` lists `{path}`, which is no number attribute of the provider"
                ));
            }
        }
    };
    unused(&overrides.integers, "integers", &mut b);
    unused(&overrides.floats, "floats", &mut b);
    unused(&overrides.integer_strings, "integer_strings", &mut b);
    for key in &overrides.skip_types {
        if !b.used.contains(&format!("skip_types:{key}")) {
            b.errors.push(format!(
                "overrides.json `skip_types` has `{key}`, which names no type"
            ));
        }
    }
    for key in overrides.type_names.keys() {
        if !b.used.contains(&format!("type_names:{key}")) {
            b.errors.push(format!(
                "overrides.json `type_names` has `{key}`, which names no type"
            ));
        }
    }
    for key in overrides.extra_docs.keys() {
        let tf_type = key.strip_suffix(".Args").unwrap_or(key);
        if !out.iter().any(|t| t.path_prefix() == tf_type) {
            b.errors.push(format!(
                "overrides.json `extra_docs` has `{key}`, which names no type"
            ));
        }
    }
    // Rust names must be unique per service module: types, their companions, submodules.
    let mut seen = BTreeSet::new();
    for t in &out {
        for name in [
            t.rust_name.clone(),
            format!("{}Args", t.rust_name),
            format!("{}Field", t.rust_name),
            format!("{}Attrs", t.rust_name),
            format!("mod {}", t.module),
        ] {
            if !seen.insert((t.service.clone(), name.clone())) {
                b.errors.push(format!(
                    "two types of module `{}` are both named `{name}` (one is `{}`); name one in `type_names` of overrides.json (`\"{}\": \"…\"`)",
                    t.service, t.tf_type, t.path_prefix()
                ));
            }
        }
    }
    if !b.errors.is_empty() {
        bail!(
            "{} problem(s) in the schema and overrides:\n  - {}",
            b.errors.len(),
            b.errors.join("\n  - ")
        );
    }
    Ok((out, b.counts))
}

/// The model of the provider configuration block (`provider "aws" { … }`): a type named
/// `AwsProvider` in module `provider`, its blocks in submodule `aws_provider`. Numbers are
/// decided by the same rules as everywhere (overrides address them as `provider.aws.…`).
pub fn build_provider(
    schema: &SchemaFile,
    pinned: &Pinned,
    overrides: &Overrides,
) -> Result<TypeModel> {
    let provider = schema
        .provider_schemas
        .get(&pinned.provider)
        .with_context(|| format!("the schema has no provider {:?}", pinned.provider))?;
    // A schema without a configuration block (the codegen tests' small schemas) gets a
    // provider type with no arguments.
    let empty = crate::schema::Block::default();
    let config_block = provider.provider.as_ref().map_or(&empty, |c| &c.block);
    let name = pinned.name().to_owned();
    let mut b = Builder {
        overrides,
        errors: Vec::new(),
        used: BTreeSet::new(),
        counts: NumberCounts::default(),
    };
    let body = b.block(
        &path_prefix(Kind::Provider, &name),
        config_block,
        Top::Provider,
    );
    let mut tm = TypeModel {
        rust_name: format!("{}Provider", pascal(&name)),
        module: module_ident(&format!("{name}_provider")),
        doc_url: pinned.registry_docs().unwrap_or_default(),
        tf_type: name,
        kind: Kind::Provider,
        service: "provider".to_owned(),
        body,
        named_blocks: Vec::new(),
    };
    match name_blocks(&tm) {
        Ok(named) => tm.named_blocks = named,
        Err(e) => b.errors.push(format!("{e:#}")),
    }
    if !b.errors.is_empty() {
        bail!(
            "{} problem(s) in the provider configuration:\n  - {}",
            b.errors.len(),
            b.errors.join("\n  - ")
        );
    }
    Ok(tm)
}

/// Where a body sits: which methods its setters must not be named like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    /// A resource, data source or ephemeral resource.
    Resource,
    /// The provider configuration.
    Provider,
    /// A nested block.
    Nested,
}

/// Methods every resource has (`ResourceExt`, `Resource`): a setter named like one would
/// shadow it, so such an argument takes a trailing underscore (`count_`).
pub const RESOURCE_METHODS: &[&str] = &[
    "depends_on",
    "prevent_destroy",
    "create_before_destroy",
    "ignore_changes",
    "ignore_all_changes",
    "provider",
    "count",
    "for_each",
    "meta",
    "meta_mut",
];

/// Methods a generated provider configuration has besides its setters.
const PROVIDER_METHODS: &[&str] = &["alias"];

/// A Terraform name as a Rust identifier: lower case, any character other than a letter,
/// digit or `_` replaced by `_`, and `_` before a leading digit (`3d-mode` → `_3d_mode`).
pub fn snake_ident(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// The type a dotted attribute path starts with: `aws_x` of `aws_x.rule.y`, `data.aws_x` of
/// `data.aws_x.rule` (the form `overrides.json` names types by).
fn type_of_path(path: &str) -> String {
    let parts = if path.starts_with("data.") || path.starts_with("ephemeral.") {
        2
    } else {
        1
    };
    path.split('.').take(parts).collect::<Vec<_>>().join(".")
}

/// A group's cargo feature: its name, but `default` and `full`, which mean something else
/// to cargo and to the generated crate, take a trailing underscore (`aws_default_vpc` is in
/// group `default_`).
fn feature_name(group: &str) -> String {
    match group {
        "default" | "full" => format!("{group}_"),
        _ => group.to_owned(),
    }
}

/// Names a module must not take: keywords (`type`), the crates generated code names
/// (`oxiform_core`, `std`, `core`, `alloc`) and the modules every generated tree has
/// (`provider`, `functions`, `facts`); such a module takes a trailing underscore.
pub fn module_ident(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "oxiform_core",
        "std",
        "core",
        "alloc",
        "provider",
        "functions",
        "facts",
        "generated",
    ];
    let mut out = snake_ident(name);
    if is_keyword(&out) || RESERVED.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The Rust name of a type: `kind` (`Data`, `Ephemeral` or nothing) and the PascalCase of
/// its name without the provider's prefix (`iam_role` → `IamRole`). A name the generated
/// modules import or Rust's prelude has (`String`, `Option`, `Value`), or one that would
/// start with a digit, takes the provider's name before it: `random_string` →
/// `RandomString`.
fn type_name(short: &str, kind: &str, pinned: &Pinned) -> String {
    let name = format!("{kind}{}", pascal(&snake_ident(short)));
    let clash = RESERVED_TYPE_NAMES.contains(&name.as_str())
        || PRELUDE_TYPE_NAMES.contains(&name.as_str())
        || !name.starts_with(|c: char| c.is_ascii_alphabetic());
    if clash {
        format!("{}{name}", pascal(pinned.name()))
    } else {
        name
    }
}

/// Types and traits of Rust's prelude (besides those in `RESERVED_TYPE_NAMES`), which a
/// generated type must not shadow.
const PRELUDE_TYPE_NAMES: &[&str] = &[
    "Some",
    "None",
    "Ok",
    "Err",
    "Result",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Debug",
    "Unpin",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
];

struct Builder<'a> {
    overrides: &'a Overrides,
    errors: Vec<String>,
    used: BTreeSet<String>,
    counts: NumberCounts,
}

impl Builder<'_> {
    fn block(&mut self, path: &str, block: &Block, top: Top) -> BlockModel {
        let mut attrs = Vec::new();
        for (name, a) in &block.attributes {
            let apath = format!("{path}.{name}");
            attrs.push(self.attr(&apath, name, a, top));
        }
        let mut blocks = Vec::new();
        for (name, nb) in &block.block_types {
            let bpath = format!("{path}.{name}");
            let set = nb.nesting_mode == "set";
            let multi = match nb.nesting_mode.as_str() {
                "single" | "group" => false,
                "list" | "set" => nb.max_items != Some(1),
                other => {
                    let type_path = type_of_path(path);
                    self.errors.push(format!(
                        "`{bpath}`: blocks nested as {other:?} are not supported (the generator writes single, group, list and set blocks); to generate the rest of the provider, add `\"{type_path}\"` to `skip_types` in overrides.json and write that type with `UntypedResource`"
                    ));
                    true
                }
            };
            let model = self.block(&bpath, &nb.block, Top::Nested);
            blocks.push(BlockField {
                tf: name.clone(),
                rust: self.rust_ident(&bpath, name, top),
                required: nb.min_items.unwrap_or(0) >= 1,
                multi,
                set: set && multi,
                min_items: nb.min_items.unwrap_or(0),
                deprecated: nb.block.deprecated,
                model,
            });
        }
        BlockModel {
            attrs,
            blocks,
            description: block.description.clone(),
        }
    }

    fn attr(&mut self, path: &str, name: &str, a: &Attribute, top: Top) -> Attr {
        let ty = match (&a.type_, &a.nested_type) {
            (Some(t), _) => self.ty(path, t, a.description.as_deref()),
            (None, _) => Ty::Json,
        };
        if !matches!(ty, Ty::Prim(Prim::Int)) && self.overrides.integer_strings.contains(path) {
            self.errors.push(format!(
                "overrides.json `integer_strings` lists `{path}`, which is not a string attribute"
            ));
        }
        // `id`/`tags_all` of SDKv2 types are optional+computed but never set; a type whose
        // schema *requires* one (some data sources look up by `id`) takes it as an argument.
        let not_argument =
            top != Top::Nested && !a.required && self.overrides.not_arguments.contains(name);
        let argument = (a.required || a.optional) && !not_argument;
        Attr {
            tf: name.to_owned(),
            rust: self.rust_ident(path, name, if argument { top } else { Top::Nested }),
            ty,
            required: a.required,
            computed: a.computed,
            argument,
            deprecated: a.deprecated,
            sensitive: a.sensitive,
            write_only: a.write_only,
            description: a.description.clone(),
        }
    }

    /// The Rust name of an argument or attribute `name` (`top`: of a resource or of the
    /// provider configuration, not of a nested block).
    fn rust_ident(&mut self, path: &str, name: &str, top: Top) -> String {
        let mut rust = match self.overrides.rust_names.get(name) {
            Some(rust) => rust.clone(),
            None => snake_ident(name),
        };
        // Keywords, and `new` (the constructor), take a trailing underscore: `type_`; so do
        // the methods every resource has (`count`, `provider`, …), which a setter would
        // shadow, and the provider configuration's `alias`.
        let taken = match top {
            Top::Resource => RESOURCE_METHODS,
            Top::Provider => PROVIDER_METHODS,
            Top::Nested => &[],
        };
        if is_keyword(&rust) || rust == "new" || taken.contains(&rust.as_str()) {
            rust.push('_');
        }
        let valid = rust
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && rust
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            self.errors.push(format!(
                "`{path}`: `{rust}` is not a usable Rust identifier; add `\"{name}\": \"…\"` to `rust_names` in overrides.json"
            ));
        }
        rust
    }

    fn ty(&mut self, path: &str, t: &CtyType, description: Option<&str>) -> Ty {
        match t {
            CtyType::Primitive(p) => match self.prim(path, p, description) {
                Some(p) => Ty::Prim(p),
                None => Ty::Json,
            },
            CtyType::List(inner) | CtyType::Set(inner) => match &**inner {
                CtyType::Primitive(p) => match self.prim(path, p, description) {
                    Some(p) => Ty::List(p),
                    None => Ty::Json,
                },
                _ => Ty::Json,
            },
            CtyType::Map(inner) => match &**inner {
                CtyType::Primitive(p) => match self.prim(path, p, description) {
                    Some(p) => Ty::Map(p),
                    None => Ty::Json,
                },
                _ => Ty::Json,
            },
            CtyType::Object(..) | CtyType::Tuple(_) => Ty::Json,
        }
    }

    fn prim(&mut self, path: &str, p: &str, description: Option<&str>) -> Option<Prim> {
        let o = self.overrides;
        match p {
            "string" => {
                if o.integer_strings.contains(path) {
                    self.used.insert(path.to_owned());
                    Some(Prim::Int)
                } else {
                    Some(Prim::String)
                }
            }
            "bool" => Some(Prim::Bool),
            "number" => {
                let int = o.integers.contains(path);
                let float = o.floats.contains(path);
                if int || float {
                    self.used.insert(path.to_owned());
                    self.counts.overridden += 1;
                }
                let name = path.rsplit('.').next().unwrap_or(path);
                let kind = match (int, float) {
                    (true, false) => NumberKind::Int,
                    (false, true) => NumberKind::Float,
                    (true, true) => {
                        self.errors.push(format!(
                            "`{path}` is in both `integers` and `floats` of overrides.json: keep one"
                        ));
                        NumberKind::Either
                    }
                    (false, false) => classify(name, description).0,
                };
                Some(match kind {
                    NumberKind::Int => {
                        self.counts.int += 1;
                        Prim::Int
                    }
                    NumberKind::Float => {
                        self.counts.float += 1;
                        Prim::Float
                    }
                    NumberKind::Either => {
                        self.counts.either += 1;
                        Prim::Number
                    }
                })
            }
            _ => None,
        }
    }
}

/// Gives every distinct nested block of a type a Rust name: the PascalCase block name, or,
/// when blocks of the same name differ, prefixed with as many parent block names as it takes
/// to tell them apart. Blocks with the same name and the same body share one type.
fn name_blocks(t: &TypeModel) -> Result<Vec<NamedBlock>> {
    // (The type's own name and companions live one module up, so they cannot collide.)
    let mut named: Vec<NamedBlock> = Vec::new();
    let mut first_paths: Vec<Vec<String>> = Vec::new();
    fn walk(
        blocks: &[BlockField],
        parent: &[String],
        named: &mut Vec<NamedBlock>,
        first_paths: &mut Vec<Vec<String>>,
    ) {
        for f in blocks {
            let mut path = parent.to_vec();
            path.push(f.tf.clone());
            let dotted = path.join(".");
            match named
                .iter_mut()
                .find(|n| n.tf == f.tf && n.model == f.model)
            {
                Some(n) => n.paths.push(dotted),
                None => {
                    named.push(NamedBlock {
                        name: String::new(),
                        tf: f.tf.clone(),
                        model: f.model.clone(),
                        paths: vec![dotted],
                    });
                    first_paths.push(path.clone());
                }
            }
            walk(&f.model.blocks, &path, named, first_paths);
        }
    }
    walk(&t.body.blocks, &[], &mut named, &mut first_paths);

    let short: Vec<String> = named.iter().map(|n| pascal(&n.tf)).collect();
    for i in 0..named.len() {
        let same: Vec<usize> = (0..named.len()).filter(|&j| short[j] == short[i]).collect();
        if same.len() == 1 {
            named[i].name = short[i].clone();
            continue;
        }
        let depth = same
            .iter()
            .map(|&j| first_paths[j].len())
            .max()
            .unwrap_or(1);
        let mut chosen = None;
        for k in 1..depth {
            let qualify = |j: usize| {
                let p = &first_paths[j];
                let from = p.len().saturating_sub(k + 1);
                pascal(&p[from..].join("_"))
            };
            let names: BTreeSet<String> = same.iter().map(|&j| qualify(j)).collect();
            if names.len() == same.len() {
                chosen = Some(qualify(i));
                break;
            }
        }
        match chosen {
            Some(name) => named[i].name = name,
            None => bail!(
                "`{}`: blocks named `{}` differ but their paths cannot tell them apart",
                t.tf_type,
                named[i].tf
            ),
        }
    }
    // A name the module imports (`Value`, `Body`, …) or one already taken takes the
    // suffix `Block`: `option` → `OptionBlock`.
    let mut taken: BTreeSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    for n in &mut named {
        let required = n.model.attrs.iter().filter(|a| a.required).count()
            + n.model.blocks.iter().filter(|b| b.required).count();
        let free = |name: &str, taken: &BTreeSet<String>| {
            !taken.contains(name) && (required < 2 || !taken.contains(&format!("{name}Args")))
        };
        if !free(&n.name, &taken) {
            let suffixed = format!("{}Block", n.name);
            if !free(&suffixed, &taken) {
                bail!(
                    "`{}`: block type names `{}` and `{suffixed}` (for `{}`) are both taken",
                    t.tf_type,
                    n.name,
                    n.paths[0]
                );
            }
            n.name = suffixed;
        }
        taken.insert(n.name.clone());
        if required >= 2 {
            taken.insert(format!("{}Args", n.name));
        }
    }
    Ok(named)
}
