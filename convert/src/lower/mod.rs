//! From parsed HCL to Rust statements: every declaration looked up in the [`Catalog`], every
//! expression turned into typed Rust where it can be, raw HCL (with a TODO and a warning)
//! where it cannot.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::visit::{visit_traversal, Visit};
use hcl_edit::Span;
use oxiform_codegen::model::{Attr, BlockModel, Kind, Prim, Ty, TypeModel};
use oxiform_codegen::names::{is_keyword, pascal};
use oxiform_core::diagnostic::{Diagnostic, Place};

use crate::catalog::{closest, Catalog};
use crate::module_sources::{dir_of, MODULES_JSON};
use crate::source::Source;

// Leaf modules, below both this file and the children that lower with it: they name
// neither, so that the state here and the children's helpers meet without a module cycle
// (`tests/suite/architecture.rs`). The children see these items through `use super::*`.
use input::{label, Src, Top};
use lowered::{Decl, Input, OutputField};
pub(crate) use lowered::{Module, ModuleFn};
use module_calls::{call_dirs, Call, Functions};
use rust_tokens::{float_literal, int_literal, raw_str, rust_ident, rust_str};
use scope::Scoped;

mod block;
mod call;
mod declare;
mod dynamic;
mod expansion;
mod for_expr;
mod input;
mod instances;
mod jsonencode;
mod lowered;
mod meta;
mod module;
mod module_calls;
mod refactor;
mod rust_tokens;
mod scope;
mod top;
mod value;
mod vartype;

/// Methods every `Handle` has: an accessor of the same name takes a trailing `_`.
const HANDLE_METHODS: &[&str] = &[
    "address", "node", "attr", "new", "as_node", "of", "at", "at_key", "all",
];
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
    /// The HCL of variable defaults and locals (`var.x`, `local.y`), for `dynamic` blocks.
    known: BTreeMap<String, String>,
    /// `count`, `for_each` and other providers' resources (`instances.rs`).
    inst: expansion::State,
    /// Each variable's type constraint (`vartype.rs`).
    var_types: BTreeMap<String, vartype::VarType>,
    /// Items written after `build`: the structs of object variables.
    items: Vec<String>,
    /// The names `for` expressions bind around the expression being lowered.
    scope: Vec<Scoped>,
    /// Converting a module folder into a function (`module.rs`), not the root.
    module_mode: bool,
    /// The converted module functions, and which each call of the root calls.
    functions: Functions<'a>,
    /// The root's module calls, by name.
    calls: BTreeMap<String, Call>,
    /// A module's outputs (`module_mode`).
    outputs: Vec<OutputField>,
    /// Expressions read, and kept raw (`value.rs`).
    raw_share: crate::raw_share::RawShare,
}

fn type_of_prim(p: Prim) -> Ty {
    Ty::Prim(p)
}

/// The Rust type of `Value<T>`/`Expr<T>` for `ty` (for the writer of module functions).
pub(crate) fn rust_type_of(ty: Ty) -> String {
    rust_type(ty)
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

/// Parses and converts `sources`: the root module's files (those in the folder of the
/// first), and the files of the modules it calls, each module a function (`module.rs`).
pub(crate) fn lower(cat: &Catalog, sources: &[Source]) -> Result<Module, Vec<Diagnostic>> {
    let modules_json = sources.iter().find(|s| s.name == MODULES_JSON);
    let sources: Vec<&Source> = sources.iter().filter(|s| s.name != MODULES_JSON).collect();
    let root_dir = sources.first().map_or("", |s| dir_of(&s.name));
    let (root, others): (Vec<&Source>, Vec<&Source>) =
        sources.iter().partition(|s| dir_of(&s.name) == root_dir);
    let root: Vec<Source> = root.into_iter().cloned().collect();
    let bodies = parse(&root)?;
    let dirs = call_dirs(&tops_of(&bodies), modules_json);
    let mut list: Vec<ModuleFn> = Vec::new();
    let mut calls = BTreeMap::new();
    let mut errors = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (call, (place, dir)) in dirs {
        let dir = match dir {
            Ok(dir) => dir,
            Err(e) => {
                calls.insert(call, Err(e));
                continue;
            }
        };
        if let Some(i) = list.iter().position(|f| f.dir == dir) {
            calls.insert(call, Ok(i));
            continue;
        }
        let files: Vec<Source> = others
            .iter()
            .filter(|s| dir_of(&s.name) == dir)
            .map(|s| (*s).clone())
            .collect();
        if files.is_empty() {
            calls.insert(
                call.clone(),
                Err(
                    Diagnostic::error(format!("the folder `{dir}` holds no `.tf` file"))
                        .lead("module not found")
                        .place(place.field("source"))
                        .hint("convert the root module's folder, so that its modules are read too"),
                ),
            );
            continue;
        }
        let last = dir.rsplit('/').next().unwrap_or(&dir);
        let mut base = rust_ident(last).trim_end_matches('_').to_owned();
        while !names.insert(base.clone()) {
            base.push('_');
        }
        let lowered = lower_one(cat, &files, Some(&dir), Functions::none());
        match lowered.map(|(body, inputs, outputs)| ModuleFn {
            dir: dir.clone(),
            name: format!("{base}_module"),
            inputs_struct: format!("{}Inputs", pascal(&base)),
            outputs_struct: format!("{}Outputs", pascal(&base)),
            inputs,
            outputs,
            body,
        }) {
            Ok(f) => {
                calls.insert(call, Ok(list.len()));
                list.push(f);
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let functions = Functions { list: &list, calls };
    let (mut module, _, _) = lower_one(cat, &root, None, functions)?;
    for f in &list {
        module.imports.extend(f.body.imports.iter().cloned());
        module.features.extend(f.body.features.iter().cloned());
        module.warnings.extend(f.body.warnings.iter().cloned());
        module.sources.extend(f.body.sources.iter().cloned());
        module.raw.add(f.body.raw);
    }
    module.functions = list;
    Ok(module)
}

/// Every source parsed, or every parse error.
fn parse(sources: &[Source]) -> Result<Vec<(&Source, Body)>, Vec<Diagnostic>> {
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
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(errors)
    }
}

/// The top-level blocks of parsed sources.
fn tops_of<'s>(bodies: &'s [(&'s Source, Body)]) -> Vec<Top<'s>> {
    bodies
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
        .collect()
}

/// Converts one module's sources: the root (`dir` `None`), or a module folder into a
/// function's body, with its inputs and outputs.
fn lower_one<'a>(
    cat: &'a Catalog,
    sources: &[Source],
    dir: Option<&str>,
    functions: Functions<'a>,
) -> Result<(Module, Vec<Input>, Vec<OutputField>), Vec<Diagnostic>> {
    let bodies = parse(sources)?;
    let mut errors = Vec::new();
    let tops = tops_of(&bodies);
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
        known: BTreeMap::new(),
        inst: expansion::State::default(),
        var_types: BTreeMap::new(),
        items: Vec::new(),
        scope: Vec::new(),
        module_mode: dir.is_some(),
        functions,
        calls: BTreeMap::new(),
        outputs: Vec::new(),
        raw_share: crate::raw_share::RawShare::default(),
    };
    if l.module_mode {
        // The function's parameters.
        for reserved in ["module", "inputs", "stack"] {
            l.taken.insert(reserved.to_owned());
        }
    }
    l.declare(&tops);
    l.declare_calls(&tops);
    let mut decls = Vec::new();
    for top in &tops {
        l.convert_top(top, &mut decls);
    }
    if !l.errors.is_empty() {
        return Err(l.errors);
    }
    let decls = order(decls);
    let inputs = l.signature(&tops);
    // The typed functions (`call.rs`, `for_expr.rs`), imported only where used.
    if decls
        .iter()
        .any(|d| d.code.contains("func::") || d.pre.iter().any(|p| p.contains("func::")))
    {
        l.imports.insert("oxiform::func".to_owned());
    }
    let mut used: BTreeSet<String> = decls.iter().flat_map(|d| d.deps.iter().cloned()).collect();
    if l.module_mode {
        // A module's outputs are returned.
        used.extend(l.outputs.iter().map(|o| format!("output:{}", o.tf)));
    }
    let outputs = std::mem::take(&mut l.outputs);
    Ok((
        Module {
            decls,
            used,
            imports: l.imports,
            features: l.features,
            sources: sources.iter().map(|s| s.name.clone()).collect(),
            version: cat.version.clone(),
            warnings: l.warnings,
            items: l.items,
            functions: Vec::new(),
            raw: l.raw_share,
        },
        inputs,
        outputs,
    ))
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

/// Counts the expression nodes of a raw expression.
struct Nodes(usize);

impl Visit for Nodes {
    fn visit_expr(&mut self, node: &Expression) {
        self.0 += 1;
        hcl_edit::visit::visit_expr(self, node);
    }
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
}
