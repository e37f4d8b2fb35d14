//! From parsed HCL to Rust statements: every declaration looked up in the [`Catalog`], every
//! expression turned into typed Rust where it can be, raw HCL (with a TODO and a warning)
//! where it cannot.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::visit::{visit_traversal, Visit};
use hcl_edit::Span;
use oxiform_codegen::model::{Attr, BlockModel, Kind, Prim, Ty, TypeModel};
use oxiform_codegen::names::{is_keyword, pascal};
use oxiform_core::diagnostic::{Diagnostic, Place};

use crate::catalog::{closest, Catalog};
use crate::source::Source;

/// Methods every `Handle` has: an accessor of the same name takes a trailing `_`.
const HANDLE_METHODS: &[&str] = &["address", "node", "attr", "new", "as_node", "of"];
/// Meta-arguments of a resource or data source, handled apart from its arguments.
const META: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// Types people write that the provider does not have, with what to use instead.
const NOT_TYPES: &[(&str, &str)] = &[(
    "aws_sagemaker_transform_job",
    "a SageMaker batch transform job is an API call, not a resource: run it from a Step \
     Functions state machine (`aws_sfn_state_machine`, `sagemaker:createTransformJob.sync`) \
     started by an EventBridge Scheduler schedule (`aws_scheduler_schedule`)",
)];

/// One Rust statement of `build`, with what it needs before it.
#[derive(Debug, Clone)]
pub(crate) struct Decl {
    /// What other declarations reference it by: `resource:aws_s3_bucket.a`, `var:x`, ….
    pub key: String,
    /// Where it goes among equals: providers and the backend, variables, the rest, outputs.
    pub rank: u8,
    /// `TODO(convert)` lines written above it.
    pub todos: Vec<String>,
    /// `let` statements of raw expressions too long to read inline, before it.
    pub pre: Vec<String>,
    /// The Rust variable it is bound to, when something references it.
    pub binding: String,
    /// The statement's right-hand side (or the whole statement when nothing binds it).
    pub code: String,
    /// Keys of the declarations it references.
    pub deps: BTreeSet<String>,
}

/// The converted module before it is written out.
#[derive(Debug)]
pub(crate) struct Module {
    /// Declarations, in the order they are written.
    pub decls: Vec<Decl>,
    /// Keys some other declaration references (their results are bound to a variable).
    pub used: BTreeSet<String>,
    /// `use` paths.
    pub imports: BTreeSet<String>,
    /// Facade features.
    pub features: BTreeSet<String>,
    /// Source names.
    pub sources: Vec<String>,
    /// The provider version.
    pub version: String,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// A resource or data source, as references see it.
struct Res<'a> {
    ident: String,
    model: &'a TypeModel,
}

/// What a variable or a local is, as its uses see it.
#[derive(Clone)]
struct Named {
    ident: String,
    /// Its type as setters want it.
    ty: Ty,
    /// The Rust type of the `Expr` it is bound to differs from `Expr<ty>` (`Vec<String>`
    /// variables): always cast.
    cast: bool,
}

/// Where in the input a declaration is.
#[derive(Clone, Copy)]
struct Src<'s> {
    file: &'s str,
    text: &'s str,
}

impl Src<'_> {
    fn line(&self, span: Option<Range<usize>>) -> u32 {
        let at = span.map_or(0, |r| r.start).min(self.text.len());
        let line = self.text.as_bytes()[..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        u32::try_from(line + 1).unwrap_or(u32::MAX)
    }
    fn slice(&self, span: Option<Range<usize>>) -> Option<&str> {
        span.and_then(|r| self.text.get(r)).map(str::trim)
    }
}

/// What a setter or an `Args` field wants.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    /// A `Value<T>`.
    Ty(Ty),
    /// A template's hole: any expression, a `&str` or a `String`.
    Part,
}

/// Rust code of one value, and whether it is a plain literal (`"a"`, `5`, `true`).
struct Code {
    text: String,
    literal: bool,
}

impl Code {
    fn lit(text: String) -> Code {
        Code {
            text,
            literal: true,
        }
    }
    fn expr(text: String) -> Code {
        Code {
            text,
            literal: false,
        }
    }
    /// As an `Args` field of type `Value<T>`.
    fn into_value(self) -> String {
        match self.text.strip_prefix('&') {
            Some(rest) => format!("{rest}.clone().into()"),
            None => format!("{}.into()", self.text),
        }
    }
}

struct Lowerer<'a> {
    cat: &'a Catalog,
    resources: BTreeMap<String, Res<'a>>,
    vars: BTreeMap<String, Named>,
    locals: BTreeMap<String, Named>,
    providers: BTreeMap<String, String>,
    imports: BTreeSet<String>,
    features: BTreeSet<String>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
    // The declaration being converted.
    address: String,
    deps: BTreeSet<String>,
    todos: Vec<String>,
    pre: Vec<String>,
    /// The name the current declaration's hoisted expressions start with.
    base: String,
    /// Rust identifiers in use.
    taken: BTreeSet<String>,
}

/// A top-level block with the file it is in.
struct Top<'s> {
    src: Src<'s>,
    block: &'s Block,
}

fn label(block: &Block, i: usize) -> Option<&str> {
    block.labels.get(i).map(|l| match l {
        BlockLabel::Ident(id) => id.as_str(),
        BlockLabel::String(s) => s.as_str(),
    })
}

/// A Rust identifier from a Terraform name: lowercase, `-` as `_`, keywords suffixed.
fn rust_ident(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        s.insert(0, '_');
    }
    if is_keyword(&s) || s == "stack" || s == "self" {
        s.push('_');
    }
    s
}

/// `text` as a raw Rust string literal, `r#"…"#` (as many `#` as it takes).
fn raw_str(text: &str) -> String {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// `"text"` as a Rust string literal.
pub(crate) fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

fn type_of_prim(p: Prim) -> Ty {
    Ty::Prim(p)
}

fn rust_type(ty: Ty) -> String {
    match ty {
        Ty::Prim(Prim::Number) => "oxiform::value::Number".to_owned(),
        Ty::Json => "oxiform::value::Json".to_owned(),
        Ty::List(Prim::Number) => "List<oxiform::value::Number>".to_owned(),
        Ty::Map(Prim::Number) => "Map<oxiform::value::Number>".to_owned(),
        other => other.inner(),
    }
}

fn int_literal(n: i64) -> String {
    if i32::try_from(n).is_ok() {
        n.to_string()
    } else {
        format!("{n}_i64")
    }
}

fn float_literal(f: f64) -> String {
    format!("{f:?}")
}

/// Parses and converts `sources`.
pub(crate) fn lower(cat: &Catalog, sources: &[Source]) -> Result<Module, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut bodies = Vec::new();
    for s in sources {
        match hcl_edit::parser::parse_body(&s.text) {
            Ok(body) => bodies.push((s, body)),
            Err(e) => {
                let loc = e.location();
                errors.push(
                    Diagnostic::error(e.message().to_owned())
                        .lead("invalid HCL")
                        .place(
                            Place::new()
                                .file(s.name.clone(), u32::try_from(loc.line()).unwrap_or(0)),
                        )
                        .body_line(format!("{} | {}", loc.line(), e.line()))
                        .body_line(format!(
                            "{} | {:>w$}",
                            " ".repeat(loc.line().to_string().len()),
                            "^",
                            w = loc.column()
                        )),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let tops: Vec<Top<'_>> = bodies
        .iter()
        .flat_map(|(s, body)| {
            body.iter().filter_map(move |st| match st {
                Structure::Block(b) => Some(Top {
                    src: Src {
                        file: &s.name,
                        text: &s.text,
                    },
                    block: b,
                }),
                Structure::Attribute(_) => None,
            })
        })
        .collect();
    for (s, body) in &bodies {
        for a in body.attributes() {
            let src = Src {
                file: &s.name,
                text: &s.text,
            };
            errors.push(
                Diagnostic::error("a Terraform file holds blocks only")
                    .lead("unexpected argument")
                    .place(
                        Place::new()
                            .address(a.key.as_str())
                            .file(s.name.clone(), src.line(a.span())),
                    ),
            );
        }
    }
    let mut l = Lowerer {
        cat,
        resources: BTreeMap::new(),
        vars: BTreeMap::new(),
        locals: BTreeMap::new(),
        providers: BTreeMap::new(),
        imports: BTreeSet::new(),
        features: BTreeSet::new(),
        warnings: Vec::new(),
        errors,
        address: String::new(),
        deps: BTreeSet::new(),
        todos: Vec::new(),
        pre: Vec::new(),
        base: String::new(),
        taken: BTreeSet::new(),
    };
    l.declare(&tops);
    let mut decls = Vec::new();
    for top in &tops {
        l.convert_top(top, &mut decls);
    }
    if !l.errors.is_empty() {
        return Err(l.errors);
    }
    let decls = order(decls);
    let used = decls.iter().flat_map(|d| d.deps.iter().cloned()).collect();
    Ok(Module {
        decls,
        used,
        imports: l.imports,
        features: l.features,
        sources: sources.iter().map(|s| s.name.clone()).collect(),
        version: cat.version.clone(),
        warnings: l.warnings,
    })
}

/// Declarations in an order where each comes after what it references: by rank, then input
/// order, among those whose references are all placed (a cycle keeps input order).
fn order(decls: Vec<Decl>) -> Vec<Decl> {
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let keys: BTreeSet<String> = decls.iter().map(|d| d.key.clone()).collect();
    let mut rest: Vec<(usize, Decl)> = decls.into_iter().enumerate().collect();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let ready = rest
            .iter()
            .enumerate()
            .filter(|(_, (_, d))| {
                d.deps
                    .iter()
                    .all(|k| placed.contains(k) || !keys.contains(k) || *k == d.key)
            })
            .min_by_key(|(_, (i, d))| (d.rank, *i))
            .map(|(pos, _)| pos)
            .unwrap_or_else(|| {
                // A cycle: Terraform would refuse it too; keep input order.
                rest.iter()
                    .enumerate()
                    .min_by_key(|(_, (i, d))| (d.rank, *i))
                    .map(|(pos, _)| pos)
                    .unwrap_or(0)
            });
        let (_, d) = rest.remove(ready);
        placed.insert(d.key.clone());
        out.push(d);
    }
    out
}

/// Collects the resources a raw expression references (for its dependencies).
struct Refs<'r, 'a> {
    l: &'r Lowerer<'a>,
    found: BTreeSet<String>,
}

impl Visit for Refs<'_, '_> {
    fn visit_traversal(&mut self, node: &hcl_edit::expr::Traversal) {
        if let Some(key) = self.l.reference_key(node) {
            self.found.insert(key);
        }
        visit_traversal(self, node);
    }
}

fn get_attr(op: &TraversalOperator) -> Option<&str> {
    match op {
        TraversalOperator::GetAttr(id) => Some(id.as_str()),
        _ => None,
    }
}

impl<'a> Lowerer<'a> {
    /// `wanted`, or `wanted_2`, `wanted_3`… when taken.
    fn take(&mut self, wanted: String) -> String {
        let mut ident = wanted.clone();
        let mut n = 2;
        while !self.taken.insert(ident.clone()) {
            ident = format!("{wanted}_{n}");
            n += 1;
        }
        ident
    }

    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// A warning about the current declaration, with a TODO line above it.
    fn todo(&mut self, src: Src<'_>, span: Option<Range<usize>>, field: &str, what: &str) {
        let line = src.line(span);
        let mut place = Place::new().address(self.address.clone());
        if !field.is_empty() {
            place = place.field(field);
        }
        self.warnings.push(
            Diagnostic::warning(what.to_owned())
                .lead("not converted:")
                .place(place.file(src.file, line)),
        );
        let at = if field.is_empty() {
            String::new()
        } else {
            format!("`{field}`: ")
        };
        self.todos
            .push(format!("TODO(convert): {}:{line}: {at}{what}", src.file));
    }

    fn unknown_type(&mut self, src: Src<'_>, block: &Block, kind: Kind, tf_type: &str, name: &str) {
        let what = if kind == Kind::Data {
            "data source"
        } else {
            "resource type"
        };
        let address = if kind == Kind::Data {
            format!("data.{tf_type}.{name}")
        } else {
            format!("{tf_type}.{name}")
        };
        let close = self.cat.closest(kind, tf_type);
        let mut d = Diagnostic::error(format!(
            "the AWS provider {} has no {what} `{tf_type}`",
            self.cat.version
        ))
        .lead(format!("unknown {what}"))
        .place(
            Place::new()
                .address(address)
                .file(src.file, src.line(block.span())),
        );
        let advice = NOT_TYPES
            .iter()
            .find(|(t, _)| *t == tf_type)
            .map(|(_, a)| *a);
        if !close.is_empty() {
            let names: Vec<String> = close.iter().map(|n| format!("`{n}`")).collect();
            let closest = format!("the closest are {}", names.join(", "));
            d = d.hint(match advice {
                Some(a) => format!("{a}; {closest}"),
                None => closest,
            });
        } else if let Some(a) = advice {
            d = d.hint(a);
        }
        self.error(d);
    }

    /// First pass: the names every reference resolves to.
    fn declare(&mut self, tops: &[Top<'_>]) {
        let mut names: Vec<(String, String)> = Vec::new(); // (address, wanted ident)
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for top in tops {
            let b = top.block;
            let kind = match b.ident.as_str() {
                "resource" => Kind::Managed,
                "data" => Kind::Data,
                _ => continue,
            };
            let (Some(tf_type), Some(name)) = (label(b, 0), label(b, 1)) else {
                continue;
            };
            let Some(model) = self.cat.get(kind, tf_type) else {
                self.unknown_type(top.src, b, kind, tf_type, name);
                continue;
            };
            let address = if kind == Kind::Data {
                format!("data.{tf_type}.{name}")
            } else {
                format!("{tf_type}.{name}")
            };
            *counts.entry(name.to_owned()).or_default() += 1;
            names.push((address.clone(), name.to_owned()));
            self.resources.insert(
                address,
                Res {
                    ident: String::new(),
                    model,
                },
            );
        }
        for (address, name) in &names {
            let Some(module) = self.resources.get(address).map(|r| r.model.module.clone()) else {
                continue;
            };
            let wanted = if counts.get(name).copied().unwrap_or(0) > 1 {
                rust_ident(&module).trim_end_matches('_').to_owned() + "_" + &rust_ident(name)
            } else {
                rust_ident(name)
            };
            let ident = self.take(wanted);
            if let Some(res) = self.resources.get_mut(address) {
                res.ident = ident;
            }
        }
        for top in tops {
            let b = top.block;
            match b.ident.as_str() {
                "variable" => {
                    let Some(name) = label(b, 0) else { continue };
                    let (ty, cast) = variable_type(b)
                        .map_or((Ty::Prim(Prim::String), false), |(t, _, c)| (t, c));
                    let ident =
                        self.take(format!("var_{}", rust_ident(name).trim_end_matches('_')));
                    self.vars.insert(name.to_owned(), Named { ident, ty, cast });
                }
                "provider" => {
                    let alias = b
                        .body
                        .get_attribute("alias")
                        .and_then(|a| match &a.value {
                            Expression::String(s) => Some(s.as_str().to_owned()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    let wanted = if alias.is_empty() {
                        "aws".to_owned()
                    } else {
                        format!("aws_{}", rust_ident(&alias).trim_end_matches('_'))
                    };
                    let ident = self.take(wanted);
                    self.providers.insert(alias, ident);
                }
                _ => {}
            }
        }
        // Locals: types inferred in input order, twice so that a local may use a later one.
        let locals: Vec<(String, &Expression)> = tops
            .iter()
            .filter(|t| t.block.ident.as_str() == "locals")
            .flat_map(|t| {
                t.block
                    .body
                    .attributes()
                    .map(|a| (a.key.as_str().to_owned(), &a.value))
            })
            .collect();
        for (name, _) in &locals {
            let ident = self.take(format!("local_{}", rust_ident(name).trim_end_matches('_')));
            self.locals.insert(
                name.clone(),
                Named {
                    ident,
                    ty: Ty::Json,
                    cast: false,
                },
            );
        }
        for _ in 0..2 {
            for (name, e) in &locals {
                let ty = self.infer(e);
                if let Some(n) = self.locals.get_mut(name) {
                    n.ty = ty;
                }
            }
        }
    }

    /// The type of an expression, as far as it can be told without evaluating it; `Json`
    /// when it cannot.
    fn infer(&self, e: &Expression) -> Ty {
        match e {
            Expression::String(_) | Expression::StringTemplate(_) => Ty::Prim(Prim::String),
            Expression::HeredocTemplate(_) => Ty::Prim(Prim::String),
            Expression::Bool(_) => Ty::Prim(Prim::Bool),
            Expression::Number(n) => {
                if n.as_i64().is_some() {
                    Ty::Prim(Prim::Int)
                } else {
                    Ty::Prim(Prim::Float)
                }
            }
            Expression::Array(a) => {
                if a.iter().all(|x| self.infer(x) == Ty::Prim(Prim::String)) {
                    Ty::List(Prim::String)
                } else {
                    Ty::Json
                }
            }
            Expression::Object(o) => {
                if o.iter()
                    .all(|(_, v)| self.infer(v.expr()) == Ty::Prim(Prim::String))
                {
                    Ty::Map(Prim::String)
                } else {
                    Ty::Json
                }
            }
            Expression::Traversal(t) => {
                let Expression::Variable(root) = &t.expr else {
                    return Ty::Json;
                };
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
                match (root.as_str(), ops.as_slice()) {
                    ("var", [op]) => get_attr(op)
                        .and_then(|n| self.vars.get(n))
                        .map_or(Ty::Json, |v| v.ty),
                    ("local", [op]) => get_attr(op)
                        .and_then(|n| self.locals.get(n))
                        .map_or(Ty::Json, |v| v.ty),
                    _ => match self.resource_attr(t) {
                        Some((_, attr, rest)) if rest.is_empty() => attr.ty,
                        _ => Ty::Json,
                    },
                }
            }
            _ => Ty::Json,
        }
    }

    /// The key of the declaration a traversal references, if it is one of this module's.
    fn reference_key(&self, t: &hcl_edit::expr::Traversal) -> Option<String> {
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        let first = ops.first().and_then(|o| get_attr(o));
        match root.as_str() {
            "var" => first
                .filter(|n| self.vars.contains_key(*n))
                .map(|n| format!("var:{n}")),
            "local" => first
                .filter(|n| self.locals.contains_key(*n))
                .map(|n| format!("local:{n}")),
            "data" => {
                let name = ops.get(1).and_then(|o| get_attr(o))?;
                let address = format!("data.{}.{name}", first?);
                self.resources
                    .contains_key(&address)
                    .then(|| format!("resource:{address}"))
            }
            tf_type => {
                let address = format!("{tf_type}.{}", first?);
                self.resources
                    .contains_key(&address)
                    .then(|| format!("resource:{address}"))
            }
        }
    }

    /// `T.N.attr…` or `data.T.N.attr…`: the resource, its attribute, and the operators
    /// after it.
    fn resource_attr<'t>(
        &self,
        t: &'t hcl_edit::expr::Traversal,
    ) -> Option<(&Res<'a>, &'a Attr, Vec<&'t TraversalOperator>)> {
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        let (address, rest) = if root.as_str() == "data" {
            let (Some(ty), Some(name)) = (
                ops.first().and_then(|o| get_attr(o)),
                ops.get(1).and_then(|o| get_attr(o)),
            ) else {
                return None;
            };
            (format!("data.{ty}.{name}"), &ops[2..])
        } else {
            let name = ops.first().and_then(|o| get_attr(o))?;
            (format!("{}.{name}", root.as_str()), &ops[1..])
        };
        let res = self.resources.get(&address)?;
        let attr_name = rest.first().and_then(|o| get_attr(o))?;
        let attr = res.model.body.attrs.iter().find(|a| a.tf == attr_name)?;
        Some((res, attr, rest[1..].to_vec()))
    }

    fn use_type(&mut self, model: &TypeModel) {
        self.imports.insert(format!(
            "oxiform::aws::{}::{}",
            model.service, model.rust_name
        ));
        self.features.insert(model.service.clone());
    }

    fn use_blocks(&mut self, model: &TypeModel) {
        if model.kind == Kind::Provider {
            self.imports
                .insert(format!("oxiform::aws::provider::{}", model.module));
        } else {
            self.imports
                .insert(format!("oxiform::aws::{}::{}", model.service, model.module));
        }
    }

    /// Second pass: one top-level block into declarations.
    fn convert_top(&mut self, top: &Top<'_>, decls: &mut Vec<Decl>) {
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
                let Some(res) = self.resources.get(&address) else {
                    return; // reported as an unknown type
                };
                let model = res.model;
                let ident = res.ident.clone();
                self.address = address.clone();
                self.base = ident.clone();
                self.use_type(model);
                let body =
                    self.block_body(src, model, &model.body, &b.body, &model.rust_name, "", true);
                let meta = self.meta(src, model, &b.body);
                let code = format!("stack.add({}, {body}{meta})", rust_str(name));
                decls.push(Decl {
                    key: format!("resource:{address}"),
                    rank: 2,
                    todos: std::mem::take(&mut self.todos),
                    pre: std::mem::take(&mut self.pre),
                    binding: ident,
                    code,
                    deps: std::mem::take(&mut self.deps),
                });
            }
            "variable" => self.variable(src, b, decls),
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
                            rust_str(name)
                        ),
                        deps: std::mem::take(&mut self.deps),
                    });
                }
            }
            "output" => self.output(src, b, decls),
            "provider" => self.provider(src, b, decls),
            "terraform" => self.terraform(src, b, decls),
            other => {
                self.address = match label(b, 0) {
                    Some(l) => format!("{other}.{l}"),
                    None => other.to_owned(),
                };
                let what = match other {
                    "module" => "module calls are not converted yet; the module is left out",
                    "moved" | "import" | "removed" | "check" => {
                        "this block is not converted yet; it is left out"
                    }
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

    /// `T::new(…).setter(…)…` for a resource, data source, block or the provider.
    #[allow(clippy::too_many_arguments)]
    fn block_body(
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
                        let mut d =
                            Diagnostic::error(if model.blocks.iter().any(|b| b.tf == name) {
                                format!("`{name}` is a block: write it as `{name} {{ … }}`")
                            } else {
                                format!("`{}` has no argument `{name}`", tm.tf_type)
                            })
                            .lead("unknown argument")
                            .place(
                                Place::new()
                                    .address(self.address.clone())
                                    .field(field_path(name))
                                    .file(src.file, line),
                            );
                        let close = closest(name, names.iter().copied());
                        if !close.is_empty() {
                            d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
                        }
                        self.error(d);
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
                    let name = blk.ident.as_str();
                    let line = src.line(blk.span());
                    if top && META.contains(&name) {
                        continue;
                    }
                    if name == "dynamic" {
                        self.todo(
                            src,
                            blk.span(),
                            &field_path(label(blk, 0).unwrap_or("dynamic")),
                            "`dynamic` blocks are not converted yet; the block is left out",
                        );
                        continue;
                    }
                    let Some(bf) = model.blocks.iter().find(|x| x.tf == name) else {
                        let mut d =
                            Diagnostic::error(if model.attrs.iter().any(|a| a.tf == name) {
                                format!("`{name}` is an argument: write it as `{name} = …`")
                            } else {
                                format!("`{}` has no block `{name}`", tm.tf_type)
                            })
                            .lead("unknown block")
                            .place(
                                Place::new()
                                    .address(self.address.clone())
                                    .field(field_path(name))
                                    .file(src.file, line),
                            );
                        let close = closest(name, names.iter().copied());
                        if !close.is_empty() {
                            d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
                        }
                        self.error(d);
                        continue;
                    };
                    self.use_blocks(tm);
                    let block_type = format!("{}::{}", tm.module, tm.block_name(bf));
                    let code = self.block_body(
                        src,
                        tm,
                        &bf.model,
                        &blk.body,
                        &block_type,
                        &field_path(name),
                        false,
                    );
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

    /// Meta-arguments: `depends_on`, `provider`, `lifecycle`; `count`, `for_each`,
    /// provisioners as TODOs.
    fn meta(&mut self, src: Src<'_>, tm: &TypeModel, body: &Body) -> String {
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
                            match key.as_deref().and_then(|k| k.strip_prefix("resource:")) {
                                Some(address) => {
                                    let ident = self.resources.get(address).map(|r| r.ident.clone()).unwrap_or_default();
                                    self.deps.insert(format!("resource:{address}"));
                                    out.push_str(&format!(".depends_on(&{ident})"));
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
                        match alias.and_then(|al| self.providers.get(&al).cloned().map(|i| (al, i))) {
                            Some((al, ident)) => {
                                self.deps.insert(format!("provider:{al}"));
                                out.push_str(&format!(".provider(&{ident})"));
                            }
                            None => self.todo(src, a.span(), "provider", "the provider configuration is not one of this module's `provider \"aws\"` blocks; left out"),
                        }
                    }
                    "count" | "for_each" => self.todo(
                        src,
                        a.span(),
                        a.key.as_str(),
                        "`count` and `for_each` are not converted yet: this is one resource",
                    ),
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
                                "ignore_changes" => {
                                    out.push_str(&self.ignore_changes(src, tm, &la.value))
                                }
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

    fn ignore_changes(&mut self, src: Src<'_>, tm: &TypeModel, e: &Expression) -> String {
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

    /// A value as Rust; `None` for `null` (the argument stays unset).
    fn value(&mut self, src: Src<'_>, e: &Expression, want: Want, field: &str) -> Option<Code> {
        let ty = match want {
            Want::Ty(t) => t,
            Want::Part => Ty::Prim(Prim::String),
        };
        Some(match e {
            Expression::Null(_) => return None,
            Expression::Parenthesis(p) => return self.value(src, p.inner(), want, field),
            Expression::Bool(b) => {
                let b = *b.value();
                match ty {
                    Ty::Prim(Prim::Bool) if want != Want::Part => Code::lit(b.to_string()),
                    Ty::Prim(Prim::String) => Code::lit(rust_str(&b.to_string())),
                    _ => self.raw(src, e, ty, field, None),
                }
            }
            Expression::Number(n) => match (ty, want) {
                (_, Want::Part) | (Ty::Prim(Prim::String), _) => {
                    Code::lit(rust_str(&n.to_string()))
                }
                (Ty::Prim(Prim::Int), _) => match n.as_i64() {
                    Some(i) => Code::lit(int_literal(i)),
                    None => self.raw(
                        src,
                        e,
                        ty,
                        field,
                        Some("a fraction where the provider wants an integer"),
                    ),
                },
                (Ty::Prim(Prim::Float), _) => match n.as_f64() {
                    Some(f) => Code::lit(float_literal(f)),
                    None => self.raw(src, e, ty, field, None),
                },
                (Ty::Prim(Prim::Number), _) => match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => Code::lit(int_literal(i)),
                    (None, Some(f)) => Code::lit(float_literal(f)),
                    _ => self.raw(src, e, ty, field, None),
                },
                _ => self.raw(src, e, ty, field, None),
            },
            Expression::String(s) => self.string(src, e, s.as_str(), ty, want, field),
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                self.template(src, e, &elements, ty, want, field)
            }
            Expression::Array(items) => match ty {
                Ty::List(p) if want != Want::Part => {
                    let mut codes = Vec::new();
                    for item in items.iter() {
                        match self.value(src, item, Want::Ty(type_of_prim(p)), field) {
                            Some(c) => codes.push(c),
                            None => {
                                return Some(self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("a list with a null element"),
                                ))
                            }
                        }
                    }
                    if codes.is_empty() {
                        Code::expr(format!("Vec::<Value<{}>>::new()", rust_type(Ty::Prim(p))))
                    } else if codes.iter().all(|c| c.literal) {
                        let texts: Vec<String> = codes.into_iter().map(|c| c.text).collect();
                        Code::lit(format!("vec![{}]", texts.join(", ")))
                    } else {
                        let t = rust_type(Ty::Prim(p));
                        let texts: Vec<String> = codes
                            .into_iter()
                            .map(|c| format!("Value::<{t}>::from({})", c.text))
                            .collect();
                        Code::expr(format!("vec![{}]", texts.join(", ")))
                    }
                }
                _ => self.raw(src, e, ty, field, None),
            },
            Expression::Object(o) => match ty {
                Ty::Map(p) if want != Want::Part => {
                    let mut entries = Vec::new();
                    for (k, v) in o.iter() {
                        let key = match k {
                            ObjectKey::Ident(id) => id.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.as_str().to_owned(),
                            _ => {
                                return Some(self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("a map with a computed key"),
                                ))
                            }
                        };
                        match self.value(src, v.expr(), Want::Ty(type_of_prim(p)), field) {
                            Some(c) => entries.push((key, c)),
                            None => {
                                return Some(self.raw(
                                    src,
                                    e,
                                    ty,
                                    field,
                                    Some("a map with a null value"),
                                ))
                            }
                        }
                    }
                    let t = rust_type(Ty::Prim(p));
                    if entries.is_empty() {
                        Code::expr(format!("Map::<{t}>::new()"))
                    } else {
                        let all_literal = entries.iter().all(|(_, c)| c.literal);
                        let texts: Vec<String> = entries
                            .into_iter()
                            .map(|(k, c)| {
                                if all_literal {
                                    format!("({}, {})", rust_str(&k), c.text)
                                } else {
                                    format!("({}, Value::<{t}>::from({}))", rust_str(&k), c.text)
                                }
                            })
                            .collect();
                        Code {
                            text: format!("[{}]", texts.join(", ")),
                            literal: all_literal,
                        }
                    }
                }
                _ => self.raw(src, e, ty, field, None),
            },
            Expression::Traversal(t) => self.traversal(src, e, t, ty, want, field),
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str().to_owned();
                self.raw(
                    src,
                    e,
                    ty,
                    field,
                    Some(&format!("the function call `{name}(…)`")),
                )
            }
            Expression::HeredocTemplate(_) => self.raw(src, e, ty, field, Some("a heredoc")),
            Expression::Conditional(_) => {
                self.raw(src, e, ty, field, Some("a conditional expression"))
            }
            Expression::ForExpr(_) => self.raw(src, e, ty, field, Some("a `for` expression")),
            Expression::BinaryOp(_) | Expression::UnaryOp(_) => {
                self.raw(src, e, ty, field, Some("an operator expression"))
            }
            Expression::Variable(_) => self.raw(src, e, ty, field, None),
        })
    }

    fn string(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        s: &str,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        if want == Want::Part {
            return Code::lit(rust_str(s));
        }
        match ty {
            Ty::Prim(Prim::String) => Code::lit(rust_str(s)),
            Ty::Prim(Prim::Bool) if s == "true" || s == "false" => Code::lit(s.to_owned()),
            Ty::Prim(Prim::Int) | Ty::Prim(Prim::Number) if s.parse::<i64>().is_ok() => {
                Code::lit(int_literal(s.parse::<i64>().unwrap_or_default()))
            }
            Ty::Prim(Prim::Float) | Ty::Prim(Prim::Number)
                if s.parse::<f64>().is_ok_and(f64::is_finite) =>
            {
                Code::lit(float_literal(s.parse::<f64>().unwrap_or_default()))
            }
            _ => self.raw(
                src,
                e,
                ty,
                field,
                Some("a string where the provider wants another type"),
            ),
        }
    }

    fn template(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        elements: &[&Element],
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        // `"${x}"` alone is `x`.
        if let [Element::Interpolation(i)] = elements {
            return match self.value(src, &i.expr, want, field) {
                Some(c) => c,
                None => self.raw(src, e, ty, field, None),
            };
        }
        let mut format = String::new();
        let mut args: Vec<String> = Vec::new();
        for el in elements {
            match el {
                Element::Literal(text) => {
                    let text: &str = text;
                    if text.contains('{') || text.contains('}') {
                        format.push_str("{}");
                        args.push(rust_str(text));
                    } else {
                        format.push_str(text);
                    }
                }
                Element::Interpolation(i) => {
                    let Some(c) = self.value(src, &i.expr, Want::Part, field) else {
                        return self.raw(src, e, ty, field, Some("`null` in a template"));
                    };
                    format.push_str("{}");
                    args.push(c.text);
                }
                Element::Directive(_) => {
                    return self.raw(src, e, ty, field, Some("a template directive (`%{…}`)"));
                }
            }
        }
        let mut text = format!("template!({}", rust_str(&format));
        for a in args {
            text.push_str(", ");
            text.push_str(&a);
        }
        text.push(')');
        if want != Want::Part && ty != Ty::Prim(Prim::String) {
            text.push_str(".cast()");
        }
        Code::expr(text)
    }

    fn traversal(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        t: &hcl_edit::expr::Traversal,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        let Expression::Variable(root) = &t.expr else {
            return self.raw(src, e, ty, field, None);
        };
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| &**o).collect();
        let named = match (root.as_str(), ops.as_slice()) {
            ("var", [op]) => {
                get_attr(op).and_then(|n| self.vars.get(n).map(|v| (format!("var:{n}"), v.clone())))
            }
            ("local", [op]) => get_attr(op).and_then(|n| {
                self.locals
                    .get(n)
                    .map(|v| (format!("local:{n}"), v.clone()))
            }),
            _ => None,
        };
        if let Some((key, named)) = named {
            self.deps.insert(key);
            let same = named.ty == ty && !named.cast;
            return Code::expr(if (want == Want::Part && !named.cast) || same {
                format!("&{}", named.ident)
            } else {
                format!("{}.clone().cast()", named.ident)
            });
        }
        if let Some((res, attr, rest)) = self.resource_attr(t) {
            if rest.is_empty() {
                let accessor = if HANDLE_METHODS.contains(&attr.rust.as_str()) {
                    format!("{}_", attr.rust)
                } else {
                    attr.rust.clone()
                };
                let key = self.reference_key(t).unwrap_or_default();
                let ident = res.ident.clone();
                self.deps.insert(key);
                let cast = want != Want::Part && attr.ty != ty;
                return Code::expr(format!(
                    "{ident}.{accessor}(){}",
                    if cast { ".cast()" } else { "" }
                ));
            }
            return self.raw(
                src,
                e,
                ty,
                field,
                Some("a reference into an attribute's value"),
            );
        }
        // A reference to a resource of this module with an unknown attribute.
        if let Some(key) = self.reference_key(t) {
            if let Some(address) = key.strip_prefix("resource:") {
                let skip = if address.starts_with("data.") { 2 } else { 1 };
                if let Some(name) = ops.get(skip).and_then(|o| get_attr(o)) {
                    let res = &self.resources[address];
                    let close = closest(name, res.model.body.attrs.iter().map(|a| a.tf.as_str()));
                    let mut d = Diagnostic::error(format!(
                        "`{}` has no attribute `{name}`",
                        res.model.tf_type
                    ))
                    .lead("unknown attribute")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .field(field.to_owned())
                            .file(src.file, src.line(e.span())),
                    );
                    if !close.is_empty() {
                        d = d.hint(format!("did you mean `{}`?", close.join("`, `")));
                    }
                    self.error(d);
                    return Code::expr("todo!()".to_owned());
                }
            }
        }
        let why = match root.as_str() {
            "var" | "local" => "a reference into a variable's or local's value",
            "count" | "each" => "`count` and `each` are not converted yet",
            "module" => "module outputs are not converted yet",
            _ => "an expression",
        };
        self.raw(src, e, ty, field, Some(why))
    }

    /// Raw HCL: `Expr::<T>::raw_with_deps("…", vec![a.node()])`, a TODO and a warning.
    fn raw(
        &mut self,
        src: Src<'_>,
        e: &Expression,
        ty: Ty,
        field: &str,
        why: Option<&str>,
    ) -> Code {
        let text = src.slice(e.span()).unwrap_or("null").to_owned();
        let mut refs = Refs {
            l: self,
            found: BTreeSet::new(),
        };
        refs.visit_expr(e);
        let found = refs.found;
        let mut nodes = Vec::new();
        for key in &found {
            if let Some(address) = key.strip_prefix("resource:") {
                if let Some(r) = self.resources.get(address) {
                    nodes.push(format!("{}.node()", r.ident));
                }
            }
        }
        self.deps.extend(found);
        let what = why.unwrap_or("an expression of a type the argument does not take");
        self.todo(src, e.span(), field, &format!("{what} is kept as raw HCL"));
        let t = rust_type(ty);
        let long = text.contains('\n') || text.len() > 40;
        let literal = if long {
            raw_str(&text)
        } else {
            rust_str(&text)
        };
        let code = if nodes.is_empty() {
            format!("Expr::<{t}>::raw({literal})")
        } else {
            format!(
                "Expr::<{t}>::raw_with_deps({literal}, vec![{}])",
                nodes.join(", ")
            )
        };
        if !long {
            return Code::expr(code);
        }
        // Too long to read inside a builder chain: a `let` of its own, before it.
        let last = field.rsplit('.').next().unwrap_or(field);
        let wanted = if self.base.is_empty() {
            rust_ident(last)
        } else {
            format!("{}_{}", self.base, rust_ident(last).trim_end_matches('_'))
        };
        let name = self.take(wanted);
        self.pre.push(format!("let {name} = {code};"));
        // Used once, where it was: moved, not borrowed.
        Code::expr(name)
    }

    fn variable(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let Some(name) = label(b, 0) else { return };
        self.address = format!("var.{name}");
        let Some(named) = self.vars.get(name).cloned() else {
            return;
        };
        let typed = variable_type(b);
        let rust_t = match &typed {
            Some((_, r, _)) => r.clone(),
            None => {
                if b.body.get_attribute("type").is_some() {
                    let span = b.body.get_attribute("type").and_then(|a| a.span());
                    self.todo(
                        src,
                        span,
                        "type",
                        "this type constraint is not converted yet: declared as a string",
                    );
                }
                "String".to_owned()
            }
        };
        let mut code = "Variable::new()".to_owned();
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
                "default" => match default_literal(&a.value, &rust_t) {
                    Some(d) => code.push_str(&format!(".default_value({d})")),
                    None => self.todo(
                        src,
                        a.span(),
                        "default",
                        "this default is not converted yet; left out",
                    ),
                },
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

    fn output(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
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

    fn provider(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let name = label(b, 0).unwrap_or_default();
        self.address = format!("provider.{name}");
        self.base = "provider".to_owned();
        if name != "aws" {
            self.todo(
                src,
                b.span(),
                "",
                "only the `aws` provider is converted; this configuration is left out",
            );
            decls.push(Decl {
                key: format!("other:provider.{name}"),
                rank: 0,
                todos: std::mem::take(&mut self.todos),
                pre: std::mem::take(&mut self.pre),
                binding: String::new(),
                code: String::new(),
                deps: BTreeSet::new(),
            });
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

    fn terraform(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
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
                            self.todo(
                                src,
                                a.span(),
                                &format!("required_providers.{}", a.key.as_str()),
                                "only the `aws` provider is converted; left out",
                            );
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

/// The number of required members of a block (one: the constructor takes it positionally).
fn model_required_count(model: &BlockModel) -> usize {
    model
        .attrs
        .iter()
        .filter(|a| a.required && a.argument)
        .count()
        + model.blocks.iter().filter(|b| b.required).count()
}

/// A variable's type: as setters want it, its Rust type, and whether uses cast.
fn variable_type(b: &Block) -> Option<(Ty, String, bool)> {
    let t = b.body.get_attribute("type");
    let default = b.body.get_attribute("default").map(|a| &a.value);
    let Some(t) = t else {
        return match default {
            Some(Expression::Bool(_)) => Some((Ty::Prim(Prim::Bool), "bool".into(), false)),
            Some(Expression::Number(n)) if n.as_i64().is_some() => {
                Some((Ty::Prim(Prim::Int), "i64".into(), false))
            }
            Some(Expression::Number(_)) => Some((Ty::Prim(Prim::Float), "f64".into(), false)),
            Some(Expression::String(_)) | None => {
                Some((Ty::Prim(Prim::String), "String".into(), false))
            }
            _ => None,
        };
    };
    match &t.value {
        Expression::Variable(v) => match v.as_str() {
            "string" => Some((Ty::Prim(Prim::String), "String".into(), false)),
            "bool" => Some((Ty::Prim(Prim::Bool), "bool".into(), false)),
            "number" => match default {
                Some(Expression::Number(n)) if n.as_i64().is_none() => {
                    Some((Ty::Prim(Prim::Float), "f64".into(), false))
                }
                _ => Some((Ty::Prim(Prim::Int), "i64".into(), false)),
            },
            _ => None,
        },
        Expression::FuncCall(f) => {
            let arg_is_string = f.args.iter().count() == 1
                && matches!(f.args.iter().next(), Some(Expression::Variable(v)) if v.as_str() == "string");
            if (f.name.name.as_str() == "list" || f.name.name.as_str() == "set") && arg_is_string {
                Some((Ty::List(Prim::String), "Vec<String>".into(), true))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A variable default as a Rust value of `rust_t`.
fn default_literal(e: &Expression, rust_t: &str) -> Option<String> {
    match (rust_t, e) {
        ("String", Expression::String(s)) => Some(rust_str(s.as_str())),
        ("bool", Expression::Bool(b)) => Some(b.value().to_string()),
        ("i64", Expression::Number(n)) => n.as_i64().map(int_literal),
        ("f64", Expression::Number(n)) => n.as_f64().map(float_literal),
        ("Vec<String>", Expression::Array(items)) => {
            let mut out = Vec::new();
            for i in items.iter() {
                match i {
                    Expression::String(s) => {
                        out.push(format!("{}.to_owned()", rust_str(s.as_str())))
                    }
                    _ => return None,
                }
            }
            Some(format!("vec![{}]", out.join(", ")))
        }
        _ => None,
    }
}
