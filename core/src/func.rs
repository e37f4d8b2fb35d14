//! Terraform's functions, conditionals and `for` expressions as typed expressions: each
//! takes its arguments as values of the types Terraform wants and returns an [`Expr`] of the
//! type it gives, with the dependencies of every argument, so that a call over references
//! keeps the graph's edges without writing HCL by hand.
//!
//! ```
//! use oxiform_core::func;
//! use oxiform_core::prelude::*;
//!
//! let names: Expr<List<String>> = Expr::raw("var.names");
//! let joined = func::join(",", names.clone());
//! assert_eq!(joined.to_json_string(), r#"${join(",", var.names)}"#);
//! let label = func::cond(func::compare(func::length(names), func::Cmp::Gt, 0), "some", "none");
//! assert_eq!(label.to_json_string(), r#"${length(var.names) > 0 ? "some" : "none"}"#);
//! ```

use serde::Serialize;

use crate::address::NodeRef;
use crate::escape::quote_hcl;
use crate::value::{Expr, List, Literal, Map, Value};

/// One argument of a call, of any type: its HCL and the nodes it depends on.
#[derive(Debug, Clone)]
pub struct Arg {
    hcl: String,
    deps: Vec<NodeRef>,
}

impl Arg {
    fn of<T>(value: &Value<T>) -> Arg
    where
        Value<T>: Serialize,
    {
        let mut deps = Vec::new();
        let hcl = value.to_hcl(&mut deps);
        Arg { hcl, deps }
    }
}

impl<T> From<Expr<T>> for Arg {
    fn from(e: Expr<T>) -> Arg {
        Arg::from(&e)
    }
}
impl<T> From<&Expr<T>> for Arg {
    fn from(e: &Expr<T>) -> Arg {
        Arg {
            hcl: e.hcl(),
            deps: e.deps().to_vec(),
        }
    }
}
impl<T: Literal> From<Value<T>> for Arg {
    fn from(v: Value<T>) -> Arg {
        Arg::of(&v)
    }
}
macro_rules! arg_from_literal {
    ($($t:ty => $target:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::of(&Value::<$target>::from(v))
            }
        }
    )*};
}
arg_from_literal!(&str => String, String => String, i64 => i64, i32 => i64, f64 => f64, bool => bool);

/// `name(args…)`: any function, its result of type `T`. The typed functions below say
/// their argument types; this is for the others (`upper`, `replace`, …).
pub fn call<T>(name: &str, args: Vec<Arg>) -> Expr<T> {
    let mut deps = Vec::new();
    let mut texts = Vec::with_capacity(args.len());
    for a in args {
        deps.extend(a.deps);
        texts.push(a.hcl);
    }
    Expr::raw_with_deps(format!("{name}({})", texts.join(", ")), dedup(deps))
}

fn dedup(deps: Vec<NodeRef>) -> Vec<NodeRef> {
    let mut out: Vec<NodeRef> = Vec::with_capacity(deps.len());
    for d in deps {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

fn args<T: Literal>(values: Vec<Value<T>>) -> Vec<Arg> {
    values.into_iter().map(Arg::from).collect()
}

/// `format(spec, args…)`.
pub fn format(spec: impl Into<Value<String>>, args: Vec<Arg>) -> Expr<String> {
    let mut all = vec![Arg::from(spec.into())];
    all.extend(args);
    call("format", all)
}

/// `join(separator, list)`.
pub fn join(
    separator: impl Into<Value<String>>,
    list: impl Into<Value<List<String>>>,
) -> Expr<String> {
    call("join", vec![separator.into().into(), list.into().into()])
}

/// `split(separator, text)`.
pub fn split(
    separator: impl Into<Value<String>>,
    text: impl Into<Value<String>>,
) -> Expr<List<String>> {
    call("split", vec![separator.into().into(), text.into().into()])
}

/// `lookup(map, key, default)`.
pub fn lookup<T: Literal>(
    map: impl Into<Value<Map<T>>>,
    key: impl Into<Value<String>>,
    default: impl Into<Value<T>>,
) -> Expr<T> {
    call(
        "lookup",
        vec![map.into().into(), key.into().into(), default.into().into()],
    )
}

/// `merge(maps…)`.
pub fn merge<T: Literal>(maps: Vec<Value<Map<T>>>) -> Expr<Map<T>> {
    call("merge", args(maps))
}

/// `concat(lists…)`.
pub fn concat<T: Literal>(lists: Vec<Value<List<T>>>) -> Expr<List<T>> {
    call("concat", args(lists))
}

/// `length(collection)`: of a list, map, set or string.
pub fn length(collection: impl Into<Arg>) -> Expr<i64> {
    call("length", vec![collection.into()])
}

/// `element(list, index)`.
pub fn element<T: Literal>(
    list: impl Into<Value<List<T>>>,
    index: impl Into<Value<i64>>,
) -> Expr<T> {
    call("element", vec![list.into().into(), index.into().into()])
}

/// `coalesce(values…)`: the first that is neither null nor empty.
pub fn coalesce<T: Literal>(values: Vec<Value<T>>) -> Expr<T> {
    call("coalesce", args(values))
}

/// `try(values…)`: the first that evaluates without an error.
pub fn try_<T: Literal>(values: Vec<Value<T>>) -> Expr<T> {
    call("try", args(values))
}

/// `tomap(object)`.
pub fn tomap<T: Literal>(value: impl Into<Arg>) -> Expr<Map<T>> {
    call("tomap", vec![value.into()])
}

/// `toset(list)`: a set, which `for_each` takes; read back as a list.
pub fn toset<T: Literal>(list: impl Into<Value<List<T>>>) -> Expr<List<T>> {
    call("toset", vec![list.into().into()])
}

/// `cidrsubnet(prefix, newbits, netnum)`.
pub fn cidrsubnet(
    prefix: impl Into<Value<String>>,
    newbits: impl Into<Value<i64>>,
    netnum: impl Into<Value<i64>>,
) -> Expr<String> {
    call(
        "cidrsubnet",
        vec![
            prefix.into().into(),
            newbits.into().into(),
            netnum.into().into(),
        ],
    )
}

/// `file(path)`: the file's text, read by Terraform at plan (relative to the module).
pub fn file(path: impl Into<Value<String>>) -> Expr<String> {
    call("file", vec![path.into().into()])
}

/// `templatefile(path, variables)`.
pub fn templatefile(path: impl Into<Value<String>>, variables: impl Into<Arg>) -> Expr<String> {
    call("templatefile", vec![path.into().into(), variables.into()])
}

/// `path.module`: the folder of the configuration, for `file` and `templatefile`.
pub fn path_module() -> Expr<String> {
    Expr::raw("path.module")
}

/// `terraform.workspace`: the name of the selected workspace.
pub fn workspace() -> Expr<String> {
    Expr::raw("terraform.workspace")
}

/// `null`, of any type: an argument left unset, a conditional's branch that sets nothing.
pub fn null<T>() -> Expr<T> {
    Expr::raw("null")
}

/// `condition ? then : otherwise`.
pub fn cond<T: Literal>(
    condition: impl Into<Value<bool>>,
    then: impl Into<Value<T>>,
    otherwise: impl Into<Value<T>>,
) -> Expr<T> {
    let (c, a, b) = (
        Arg::from(condition.into()),
        Arg::from(then.into()),
        Arg::from(otherwise.into()),
    );
    let text = format!("{} ? {} : {}", c.hcl, a.hcl, b.hcl);
    Expr::raw_with_deps(text, dedup([c.deps, a.deps, b.deps].concat()))
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cmp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&&`
    And,
    /// `||`
    Or,
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

/// Whether `hcl` has a space outside brackets and strings: an operation or a conditional,
/// which an operand must parenthesise.
fn compound(hcl: &str) -> bool {
    let (mut depth, mut quoted, mut escaped) = (0i32, false, false);
    for c in hcl.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' | ']' | '}' if !quoted => depth -= 1,
            ' ' if !quoted && depth == 0 => return true,
            _ => {}
        }
    }
    false
}

fn binary<T>(lhs: Arg, op: &str, rhs: Arg) -> Expr<T> {
    let wrap = |a: &Arg| {
        if compound(&a.hcl) {
            format!("({})", a.hcl)
        } else {
            a.hcl.clone()
        }
    };
    let text = format!("{} {op} {}", wrap(&lhs), wrap(&rhs));
    Expr::raw_with_deps(text, dedup([lhs.deps, rhs.deps].concat()))
}

/// `lhs op rhs`, a boolean: a comparison, or `&&`/`||` of two booleans.
pub fn compare(lhs: impl Into<Arg>, op: Cmp, rhs: impl Into<Arg>) -> Expr<bool> {
    let op = match op {
        Cmp::Eq => "==",
        Cmp::Ne => "!=",
        Cmp::Lt => "<",
        Cmp::Le => "<=",
        Cmp::Gt => ">",
        Cmp::Ge => ">=",
        Cmp::And => "&&",
        Cmp::Or => "||",
    };
    binary(lhs.into(), op, rhs.into())
}

/// `lhs op rhs` of two numbers, a number of type `N`.
pub fn arith<N>(lhs: impl Into<Arg>, op: Arith, rhs: impl Into<Arg>) -> Expr<N> {
    let op = match op {
        Arith::Add => "+",
        Arith::Sub => "-",
        Arith::Mul => "*",
        Arith::Div => "/",
        Arith::Rem => "%",
    };
    binary(lhs.into(), op, rhs.into())
}

/// `!value`.
pub fn not(value: impl Into<Value<bool>>) -> Expr<bool> {
    let a = Arg::from(value.into());
    let text = if compound(&a.hcl) {
        format!("!({})", a.hcl)
    } else {
        format!("!{}", a.hcl)
    };
    Expr::raw_with_deps(text, a.deps)
}

/// The `if` of a [`for_list`]: whether the element is kept.
pub type ListFilter<'f, T> = Box<dyn FnOnce(Expr<T>) -> Value<bool> + 'f>;
/// The `if` of a [`for_map`]: whether the key and value are kept.
pub type MapFilter<'f, K, V> = Box<dyn FnOnce(Expr<K>, Expr<V>) -> Value<bool> + 'f>;

/// `[for item in collection : body(item)]` (`if filter(item)` when given): `item` is the
/// name the body's expression reads the element by.
pub fn for_list<'f, T, U: Literal>(
    item: &str,
    collection: impl Into<Arg>,
    body: impl FnOnce(Expr<T>) -> Value<U>,
    filter: Option<ListFilter<'f, T>>,
) -> Expr<List<U>> {
    let c = collection.into();
    let element: Expr<T> = Expr::raw(item);
    let b = Arg::from(body(element.clone()));
    let mut deps = [c.deps, b.deps].concat();
    let mut text = format!("[for {item} in {} : {}", c.hcl, b.hcl);
    if let Some(f) = filter {
        let f = Arg::from(f(element));
        text.push_str(&format!(" if {}", f.hcl));
        deps.extend(f.deps);
    }
    text.push(']');
    Expr::raw_with_deps(text, dedup(deps))
}

/// `[for key, value in collection : body(key, value)]` (`if filter` when given): a list
/// built from a map's keys and values (or a list's indexes and elements).
pub fn for_list_pairs<'f, K, V, U: Literal>(
    key: &str,
    value: &str,
    collection: impl Into<Arg>,
    body: impl FnOnce(Expr<K>, Expr<V>) -> Value<U>,
    filter: Option<MapFilter<'f, K, V>>,
) -> Expr<List<U>> {
    let c = collection.into();
    let (k, v): (Expr<K>, Expr<V>) = (Expr::raw(key), Expr::raw(value));
    let b = Arg::from(body(k.clone(), v.clone()));
    let mut deps = [c.deps, b.deps].concat();
    let mut text = format!("[for {key}, {value} in {} : {}", c.hcl, b.hcl);
    if let Some(f) = filter {
        let f = Arg::from(f(k, v));
        text.push_str(&format!(" if {}", f.hcl));
        deps.extend(f.deps);
    }
    text.push(']');
    Expr::raw_with_deps(text, dedup(deps))
}

/// `{for key, value in collection : k => v}` (`if filter` when given), where `(k, v)` is
/// what `body` returns for the key and the value: a map of `U` built from a map, object
/// or list (`key` is then the index). Without `key` (`{for value in list : …}`) the body's
/// first argument is `null`: write it `_`.
pub fn for_map<'f, K, V, U: Literal>(
    key: Option<&str>,
    value: &str,
    collection: impl Into<Arg>,
    body: impl FnOnce(Expr<K>, Expr<V>) -> (Value<String>, Value<U>),
    filter: Option<MapFilter<'f, K, V>>,
) -> Expr<Map<U>> {
    let c = collection.into();
    let (k, v): (Expr<K>, Expr<V>) = (Expr::raw(key.unwrap_or("null")), Expr::raw(value));
    let (bk, bv) = body(k.clone(), v.clone());
    let (bk, bv) = (Arg::from(bk), Arg::from(bv));
    let mut deps = [c.deps, bk.deps, bv.deps].concat();
    let vars = match key {
        Some(key) => format!("{key}, {value}"),
        None => value.to_owned(),
    };
    let mut text = format!("{{for {vars} in {} : {} => {}", c.hcl, bk.hcl, bv.hcl);
    if let Some(f) = filter {
        let f = Arg::from(f(k, v));
        text.push_str(&format!(" if {}", f.hcl));
        deps.extend(f.deps);
    }
    text.push('}');
    Expr::raw_with_deps(text, dedup(deps))
}

impl<T> Expr<T> {
    /// `self.name`: an attribute of an object (a variable of an object type, a `for`
    /// expression's element), of type `U`.
    pub fn get<U>(&self, name: &str) -> Expr<U> {
        Expr::raw_with_deps(format!("{}.{name}", self.hcl()), self.deps().to_vec())
    }

    /// `self[key]`: an element of a list, map or tuple, of type `U`.
    pub fn index<U>(&self, key: impl Into<Arg>) -> Expr<U> {
        let k = key.into();
        let deps = dedup([self.deps().to_vec(), k.deps].concat());
        Expr::raw_with_deps(format!("{}[{}]", self.hcl(), k.hcl), deps)
    }
}

/// An object `{ key = value, … }` of values of any type (`templatefile`'s variables, a
/// local of mixed values).
pub fn object<T>(entries: Vec<(&str, Arg)>) -> Expr<T> {
    let mut deps = Vec::new();
    let mut texts = Vec::new();
    for (k, v) in entries {
        deps.extend(v.deps);
        texts.push(format!("{} = {}", quote_hcl(k), v.hcl));
    }
    Expr::raw_with_deps(format!("{{{}}}", texts.join(", ")), dedup(deps))
}

/// A tuple `[a, b, …]` of values of any type.
pub fn tuple<T>(items: Vec<Arg>) -> Expr<T> {
    let mut deps = Vec::new();
    let mut texts = Vec::new();
    for v in items {
        deps.extend(v.deps);
        texts.push(v.hcl);
    }
    Expr::raw_with_deps(format!("[{}]", texts.join(", ")), dedup(deps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted_and_escaped_once() {
        let e: Expr<String> = format("%s-${x}", vec![Arg::from("a\"b")]);
        assert_eq!(e.hcl(), r#"format("%s-$${x}", "a\"b")"#);
    }

    #[test]
    fn operands_that_are_operations_are_parenthesised() {
        let n: Expr<i64> = Expr::raw("var.n");
        let sum: Expr<i64> = arith(n.clone(), Arith::Add, 1);
        let c = compare(sum, Cmp::Gt, 2);
        assert_eq!(c.hcl(), "(var.n + 1) > 2");
        assert_eq!(not(c).hcl(), "!((var.n + 1) > 2)");
    }

    #[test]
    fn for_expressions_name_their_element() {
        let subnets: Expr<crate::value::Json> = Expr::raw("var.subnets");
        let names = for_list(
            "s",
            subnets.clone(),
            |s: Expr<crate::value::Json>| Value::Expr(s.get::<String>("name")),
            None,
        );
        assert_eq!(names.hcl(), "[for s in var.subnets : s.name]");
        let by_name = for_map(
            Some("i"),
            "s",
            subnets,
            |_: Expr<i64>, s: Expr<crate::value::Json>| {
                (
                    Value::Expr(s.get("name")),
                    Value::Expr(s.get::<String>("cidr")),
                )
            },
            Some(Box::new(|_, s: Expr<crate::value::Json>| {
                Value::Expr(s.get("public"))
            })),
        );
        assert_eq!(
            by_name.hcl(),
            "{for i, s in var.subnets : s.name => s.cidr if s.public}"
        );
        let pairs: Expr<List<String>> = for_list_pairs(
            "k",
            "v",
            Expr::<Map<String>>::raw("var.m"),
            |k: Expr<String>, _: Expr<String>| Value::Expr(k),
            None,
        );
        assert_eq!(pairs.hcl(), "[for k, v in var.m : k]");
    }
}
