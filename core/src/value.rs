//! Values of arguments: a literal, or an expression that Terraform evaluates.
//!
//! [`Expr<T>`] is expression text plus the nodes it depends on, so every reference becomes a
//! graph edge. [`Value<T>`] is what every argument takes: a literal (escaped on the way out,
//! so user text is never evaluated) or an expression. [`template!`](crate::template) splices
//! literals and expressions into one string.

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::address::NodeRef;
use crate::escape::{escape_template, quote_hcl, quote_hcl_escaped, quote_hcl_template_text};

/// A list argument whose elements may each be literal or expression.
pub type List<T> = Vec<Value<T>>;
/// A map argument (keys in insertion order) whose values may each be literal or expression.
pub type Map<T> = IndexMap<String, Value<T>>;

/// A `number` argument whose schema does not say integer or fractional: it takes integer
/// and float literals alike (`5`, `0.5`, an `i64` or `f64` variable), with no casts, and
/// writes them as they were given.
///
/// ```
/// use oxiform_core::value::{Number, Value};
/// let whole: Value<Number> = 5.into();
/// let half: Value<Number> = 0.5.into();
/// assert_eq!(serde_json::to_string(&whole).unwrap(), "5");
/// assert_eq!(serde_json::to_string(&half).unwrap(), "0.5");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Number(serde_json::Number);

impl Number {
    /// The value as a float.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }
}

/// Free-form JSON for the few arguments whose schema type is an object; strings inside are
/// escaped like every other literal.
#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub serde_json::Value);

#[derive(Debug, Clone, PartialEq)]
enum Form {
    /// A bare HCL expression (`aws_iam_role.x.arn`, `var.region`, `concat(a, b)`), kept
    /// as the JSON text Terraform reads, `${…}`: that is what is written most often, and it
    /// is then written as it is.
    Expression(String),
    /// A string template: literal text and interpolated expressions, rendered (and escaped)
    /// only when written, so that joining pieces can never create a template opener.
    Template(Vec<Atom>),
}

/// One piece of a template: raw literal text, or an interpolated expression (as `${…}`,
/// like [`Form::Expression`]).
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Text(String),
    Interp(String),
}

impl Form {
    /// The expression `hcl`, as `${hcl}`.
    fn expression(hcl: &str) -> Form {
        let mut text = String::with_capacity(hcl.len() + 3);
        text.push_str("${");
        text.push_str(hcl);
        text.push('}');
        Form::Expression(text)
    }
}

/// The HCL inside `${…}`.
fn hcl_of(interpolation: &str) -> &str {
    interpolation
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(interpolation)
}

/// Appends `atom` to `atoms`, merging adjacent literal text (so that `"$"` followed by `"{"`
/// is escaped as one literal, not joined into an opener).
fn push_atom(atoms: &mut Vec<Atom>, atom: Atom) {
    match (atoms.last_mut(), atom) {
        (Some(Atom::Text(prev)), Atom::Text(next)) => prev.push_str(&next),
        (_, Atom::Text(next)) if next.is_empty() => {}
        (_, atom) => atoms.push(atom),
    }
}

/// Writes template atoms to `out`. `quote` writes literal text escaped for the context (JSON
/// template or HCL quoted string). A literal run of `$` right before an interpolation would
/// turn `${` into the escape `$${`, so such a run is itself written as an interpolation
/// (`${"$"}`).
fn write_atoms<W: fmt::Write>(
    atoms: &[Atom],
    out: &mut W,
    quote: impl Fn(&str, &mut W) -> fmt::Result,
) -> fmt::Result {
    for (i, atom) in atoms.iter().enumerate() {
        match atom {
            Atom::Text(text) => {
                let followed_by_interp = matches!(atoms.get(i + 1), Some(Atom::Interp(_)));
                let body = text.trim_end_matches('$');
                let dollars = &text[body.len()..];
                if followed_by_interp && !dollars.is_empty() {
                    quote(body, out)?;
                    out.write_str("${\"")?;
                    out.write_str(dollars)?;
                    out.write_str("\"}")?;
                } else {
                    quote(text, out)?;
                }
            }
            Atom::Interp(interpolation) => out.write_str(interpolation)?,
        }
    }
    Ok(())
}

/// Renders template atoms to a string (see [`write_atoms`]).
fn render_atoms(atoms: &[Atom], quote: impl Fn(&str, &mut String) -> fmt::Result) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_atoms(atoms, &mut out, quote);
    out
}

/// A template as the JSON string Terraform reads, written piece by piece (no intermediate
/// string) when serialised.
struct JsonTemplateText<'a>(&'a [Atom]);

impl fmt::Display for JsonTemplateText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_atoms(self.0, f, quote_json_template)
    }
}

/// Literal text inside a JSON string template.
fn quote_json_template<W: fmt::Write>(text: &str, out: &mut W) -> fmt::Result {
    out.write_str(&escape_template(text))
}

/// Literal text inside an HCL quoted string (without the surrounding quotes).
fn quote_hcl_template<W: fmt::Write>(text: &str, out: &mut W) -> fmt::Result {
    let quoted = quote_hcl(text);
    out.write_str(&quoted[1..quoted.len() - 1])
}

/// An expression of Terraform type `T`: its text and every node it depends on.
///
/// One pointer wide: every argument of a generated resource is a `Value<T>`, nearly all of
/// them unset or literal, and an inline expression would make each of them as large as the
/// expression (a resource of 35 arguments took 2.5 KiB, mostly `None`).
pub struct Expr<T> {
    inner: Box<ExprInner>,
    _type: PhantomData<fn() -> T>,
}

#[derive(Clone, PartialEq)]
struct ExprInner {
    form: Form,
    deps: Deps,
}

/// The nodes an expression depends on; the usual single one (a reference) is kept inline.
#[derive(Clone)]
enum Deps {
    One(NodeRef),
    Many(Vec<NodeRef>),
}

impl Deps {
    fn as_slice(&self) -> &[NodeRef] {
        match self {
            Deps::One(node) => std::slice::from_ref(node),
            Deps::Many(nodes) => nodes,
        }
    }
}

impl PartialEq for Deps {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T> Expr<T> {
    fn from_parts(form: Form, deps: Deps) -> Self {
        Expr {
            inner: Box::new(ExprInner { form, deps }),
            _type: PhantomData,
        }
    }
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Expr {
            inner: self.inner.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> PartialEq for Expr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl<T> fmt::Debug for Expr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({})", self.to_json_string())
    }
}

impl<T> Expr<T> {
    /// A reference to attribute `attr` of `node`; used by [`Handle`](crate::Handle) accessors.
    pub fn reference(node: NodeRef, attr: &str) -> Self {
        // Spelled out rather than `format!`ed: this runs for every reference.
        let address = node.address();
        let data = address.kind.address_prefix();
        let mut text = String::with_capacity(
            data.len() + address.type_name.len() + address.name.len() + attr.len() + 5,
        );
        for piece in ["${", data, address.type_name, ".", address.name] {
            text.push_str(piece);
        }
        if node.instance != crate::address::Instance::Whole {
            text.push_str(&node.instance.suffix());
        }
        for piece in [".", attr, "}"] {
            text.push_str(piece);
        }
        Expr::from_parts(Form::Expression(text), Deps::One(node))
    }

    /// A raw HCL expression that depends on no resource, such as `var.region` or
    /// `timestamp()`. The text is not checked: prefer typed accessors and helpers.
    ///
    /// ```
    /// use oxiform_core::Expr;
    /// let region: Expr<String> = Expr::raw("var.region");
    /// assert_eq!(region.to_json_string(), "${var.region}");
    /// ```
    pub fn raw(expression: impl Into<String>) -> Self {
        Expr::from_parts(Form::expression(&expression.into()), Deps::Many(Vec::new()))
    }

    /// A raw HCL expression that depends on the given nodes (for function calls over
    /// references: build the text from [`Expr::hcl`] of the operands).
    pub fn raw_with_deps(expression: impl Into<String>, deps: Vec<NodeRef>) -> Self {
        Expr::from_parts(Form::expression(&expression.into()), Deps::Many(deps))
    }

    /// The nodes this expression depends on.
    pub fn deps(&self) -> &[NodeRef] {
        self.inner.deps.as_slice()
    }

    /// The expression as HCL expression text, for composing larger expressions
    /// (a template becomes a quoted HCL string).
    pub fn hcl(&self) -> String {
        match &self.inner.form {
            Form::Expression(text) => hcl_of(text).to_owned(),
            Form::Template(atoms) => format!("\"{}\"", render_atoms(atoms, quote_hcl_template)),
        }
    }

    /// The JSON string Terraform reads: `${expression}` or the template text.
    pub fn to_json_string(&self) -> String {
        match &self.inner.form {
            Form::Expression(text) => text.clone(),
            Form::Template(atoms) => render_atoms(atoms, quote_json_template),
        }
    }

    /// Reinterprets the expression as another Terraform type (for example a string
    /// attribute that holds a number). Terraform converts at apply; the text is unchanged.
    pub fn cast<U>(self) -> Expr<U> {
        Expr {
            inner: self.inner,
            _type: PhantomData,
        }
    }

    /// Calls a Terraform function on this expression: `f(self, extra…)`, where `extra` are
    /// further HCL arguments written verbatim.
    pub fn call<U>(&self, function: &str, extra: &[&str]) -> Expr<U> {
        let mut text = format!("{function}({}", self.hcl());
        for arg in extra {
            text.push_str(", ");
            text.push_str(arg);
        }
        text.push(')');
        Expr::raw_with_deps(text, self.deps().to_vec())
    }
}

impl<T> Serialize for Expr<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.inner.form {
            Form::Expression(text) => serializer.serialize_str(text),
            Form::Template(atoms) => serializer.collect_str(&JsonTemplateText(atoms)),
        }
    }
}

/// One piece of a [`template!`](crate::template): literal text or an interpolated expression.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Literal text, escaped when spliced.
    Text(String),
    /// An interpolated expression (`${…}`), or a nested template spliced in place.
    Expr(Interpolation),
}

/// The form of an interpolated part; opaque to users.
#[derive(Debug, Clone)]
pub struct Interpolation {
    form: Form,
    deps: Vec<NodeRef>,
}

impl<T> From<Expr<T>> for TemplatePart {
    fn from(e: Expr<T>) -> Self {
        let ExprInner { form, deps } = *e.inner;
        let deps = match deps {
            Deps::One(node) => vec![node],
            Deps::Many(nodes) => nodes,
        };
        TemplatePart::Expr(Interpolation { form, deps })
    }
}
impl<T> From<&Expr<T>> for TemplatePart {
    fn from(e: &Expr<T>) -> Self {
        e.clone().into()
    }
}
impl From<&str> for TemplatePart {
    fn from(s: &str) -> Self {
        TemplatePart::Text(s.to_owned())
    }
}
impl From<String> for TemplatePart {
    fn from(s: String) -> Self {
        TemplatePart::Text(s)
    }
}
impl From<&String> for TemplatePart {
    fn from(s: &String) -> Self {
        TemplatePart::Text(s.clone())
    }
}
impl<T: fmt::Display> From<&Value<T>> for TemplatePart {
    fn from(v: &Value<T>) -> Self {
        match v {
            Value::Literal(l) => TemplatePart::Text(l.to_string()),
            Value::Expr(e) => e.into(),
        }
    }
}

/// Joins parts into one string template: literal parts are escaped when written,
/// expressions interpolated, and the dependencies of all parts merged. Used by
/// [`template!`](crate::template).
pub fn join_template(parts: Vec<TemplatePart>) -> Expr<String> {
    let mut atoms: Vec<Atom> = Vec::new();
    let mut deps: Vec<NodeRef> = Vec::new();
    for part in parts {
        match part {
            TemplatePart::Text(t) => push_atom(&mut atoms, Atom::Text(t)),
            TemplatePart::Expr(Interpolation { form, deps: d }) => {
                match form {
                    Form::Expression(e) => push_atom(&mut atoms, Atom::Interp(e)),
                    Form::Template(inner) => {
                        for atom in inner {
                            push_atom(&mut atoms, atom);
                        }
                    }
                }
                for dep in d {
                    if !deps.contains(&dep) {
                        deps.push(dep);
                    }
                }
            }
        }
    }
    Expr::from_parts(Form::Template(atoms), Deps::Many(deps))
}

/// Splits a `{}` format string around its arguments for [`template!`](crate::template).
///
/// # Panics
/// When the number of `{}` differs from the number of arguments: a programming error, like a
/// bad `format!` ([`template!`](crate::template) refuses it at compile time).
pub fn template_from_format(format: &str, args: Vec<TemplatePart>) -> Expr<String> {
    let pieces: Vec<&str> = format.split("{}").collect();
    assert_eq!(
        pieces.len() - 1,
        args.len(),
        "template!({format:?}) has {} `{{}}` but {} arguments",
        pieces.len() - 1,
        args.len()
    );
    let mut parts = Vec::with_capacity(pieces.len() * 2);
    let mut args = args.into_iter();
    for (i, piece) in pieces.iter().enumerate() {
        if !piece.is_empty() {
            parts.push(TemplatePart::Text((*piece).to_owned()));
        }
        if i + 1 < pieces.len() {
            if let Some(arg) = args.next() {
                parts.push(arg);
            }
        }
    }
    join_template(parts)
}

/// Builds a string [`Expr`] from a format string with `{}` holes and expressions (or
/// literal strings) to splice into them. Literal text is escaped; references become
/// dependencies.
///
/// ```
/// use oxiform_core::{template, Expr};
/// let name: Expr<String> = Expr::raw("aws_sagemaker_endpoint.large.name");
/// let id = template!("endpoint/{}/variant/primary", name);
/// assert_eq!(id.to_json_string(), "endpoint/${aws_sagemaker_endpoint.large.name}/variant/primary");
/// // Every `{}` is a hole; literal text that holds `{}` or `${` goes in as an argument,
/// // and is escaped.
/// let odd = template!("cost {} is {}", "${price}", "literal %{x}");
/// assert_eq!(odd.to_json_string(), "cost $${price} is literal %%{x}");
/// ```
///
/// The format is a string literal, and a `{}` without its argument (or an argument without
/// its `{}`) does not compile, like `format!`:
///
/// ```compile_fail,E0080
/// let arn = oxiform_core::template!("arn:{}:s3:::{}", "aws");
/// ```
#[macro_export]
macro_rules! template {
    // `()` for an argument, unevaluated: counts the arguments at compile time.
    (@unit $arg:expr) => {
        ()
    };
    ($format:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = ::core::assert!(
            $crate::value::holes($format) == <[()]>::len(&[$($crate::template!(@unit $arg)),*]),
            "template!: the format's `{{}}` holes and the arguments differ in number"
        );
        $crate::value::template_from_format(
            $format,
            ::std::vec![$($crate::value::TemplatePart::from($arg)),*],
        )
    }};
    ($format:expr $(, $arg:expr)* $(,)?) => {
        ::core::compile_error!("template!: the format must be a string literal, as in format!")
    };
}

/// How many `{}` holes `format` has, counted as [`template_from_format`] splits them; a
/// `const fn` so that [`template!`](crate::template) checks its arguments at compile time.
#[doc(hidden)]
pub const fn holes(format: &str) -> usize {
    let bytes = format.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'}' {
            n += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    n
}

/// An argument value: a literal or an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    /// A literal, escaped on the way out.
    Literal(T),
    /// An expression Terraform evaluates.
    Expr(Expr<T>),
}

impl<T> From<Expr<T>> for Value<T> {
    fn from(e: Expr<T>) -> Self {
        Value::Expr(e)
    }
}
impl<T> From<&Expr<T>> for Value<T> {
    fn from(e: &Expr<T>) -> Self {
        Value::Expr(e.clone())
    }
}

macro_rules! literal_from {
    ($target:ty: $($source:ty => $conv:expr),* $(,)?) => {$(
        impl From<$source> for Value<$target> {
            fn from(v: $source) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Value::Literal(($conv)(v))
            }
        }
    )*};
}
literal_from!(String: &str => str::to_owned, String => |s| s, &String => String::clone);
literal_from!(i64: i64 => |n| n, i32 => i64::from, u32 => i64::from, u16 => i64::from, u8 => i64::from);
literal_from!(f64: f64 => |n| n, f32 => f64::from, i32 => f64::from, u32 => f64::from);
literal_from!(bool: bool => |b| b);
literal_from!(Number:
    i64 => |n: i64| Number(n.into()), i32 => |n: i32| Number(n.into()),
    u32 => |n: u32| Number(n.into()), u16 => |n: u16| Number(n.into()),
    u8 => |n: u8| Number(n.into()), usize => |n: usize| Number((n as u64).into()),
    // A non-finite float has no JSON form; Terraform would reject it anyway.
    f64 => |n: f64| Number(serde_json::Number::from_f64(n).unwrap_or_else(|| 0.into())),
    f32 => |n: f32| Number(serde_json::Number::from_f64(f64::from(n)).unwrap_or_else(|| 0.into())),
);
literal_from!(Json: serde_json::Value => Json);

impl<T, V: Into<Value<T>>> From<Vec<V>> for Value<List<T>> {
    fn from(items: Vec<V>) -> Self {
        Value::Literal(items.into_iter().map(Into::into).collect())
    }
}
impl<T, V: Into<Value<T>>, const N: usize> From<[V; N]> for Value<List<T>> {
    fn from(items: [V; N]) -> Self {
        Value::Literal(items.into_iter().map(Into::into).collect())
    }
}
impl<T, K: Into<String>, V: Into<Value<T>>, const N: usize> From<[(K, V); N]> for Value<Map<T>> {
    fn from(entries: [(K, V); N]) -> Self {
        Value::Literal(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}
impl<T, K: Into<String>, V: Into<Value<T>>> From<Vec<(K, V)>> for Value<Map<T>> {
    fn from(entries: Vec<(K, V)>) -> Self {
        Value::Literal(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}
impl<T> From<Map<T>> for Value<Map<T>> {
    fn from(map: Map<T>) -> Self {
        Value::Literal(map)
    }
}

impl<T: Literal> Value<List<T>> {
    /// Appends one element. On a list given as an expression the result is
    /// `concat(expression, [element])`, which Terraform evaluates.
    pub fn push(&mut self, item: Value<T>) {
        match self {
            Value::Literal(items) => items.push(item),
            Value::Expr(e) => {
                let mut deps = e.deps().to_vec();
                let item_hcl = element_hcl(&item, &mut deps);
                *self = Value::Expr(Expr::raw_with_deps(
                    format!("concat({}, [{}])", e.hcl(), item_hcl),
                    deps,
                ));
            }
        }
    }
}

impl<T> Value<T>
where
    Value<T>: Serialize,
{
    /// The value as HCL expression text, for an argument of a function call: an expression
    /// as it is (its dependencies added to `deps`), a literal quoted and escaped.
    ///
    /// ```
    /// use oxiform_core::Value;
    /// let mut deps = Vec::new();
    /// assert_eq!(Value::from("a \"b\"").to_hcl(&mut deps), r#""a \"b\"""#);
    /// ```
    pub fn to_hcl(&self, deps: &mut Vec<NodeRef>) -> String {
        element_hcl(self, deps)
    }

    /// The value as an expression: an expression as it is, a literal written inline
    /// (escaped), so that a function taking a `Value` (a converted module's input) can use
    /// it where expressions go (`Expr::get`, `func::…`).
    ///
    /// ```
    /// use oxiform_core::Value;
    /// assert_eq!(Value::from("a${b}").to_expr().hcl(), r#""a$${b}""#);
    /// ```
    pub fn to_expr(&self) -> Expr<T> {
        let mut deps = Vec::new();
        let hcl = element_hcl(self, &mut deps);
        Expr::raw_with_deps(hcl, deps)
    }
}

/// One element spliced into an expression's HCL: an expression as it is (its dependencies
/// added to `deps`), a literal through its JSON form, which is valid HCL for strings, numbers
/// and booleans. A string's JSON form already has its template openers escaped, so it is
/// only quoted.
fn element_hcl<T>(item: &Value<T>, deps: &mut Vec<NodeRef>) -> String
where
    Value<T>: Serialize,
{
    match item {
        Value::Expr(e) => {
            deps.extend_from_slice(e.deps());
            e.hcl()
        }
        Value::Literal(_) => match serde_json::to_value(item) {
            Ok(serde_json::Value::String(s)) => quote_hcl_escaped(&s),
            Ok(other) => json_hcl(&other),
            Err(_) => "null".to_owned(),
        },
    }
}

/// A literal collection's JSON form as HCL: its strings are templates (an element may be an
/// expression, `${…}`), quoted so that an interpolation's own strings keep their quotes,
/// which JSON's escaping (`\"`) would break.
fn json_hcl(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::String(s) => quote_hcl_template_text(s),
        J::Array(items) => {
            let items: Vec<String> = items.iter().map(json_hcl).collect();
            format!("[{}]", items.join(","))
        }
        // `"k":v`, as JSON writes it (HCL reads `:` like `=`): what was written before
        // stays byte for byte.
        J::Object(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", quote_hcl_template_text(k), json_hcl(v)))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        other => other.to_string(),
    }
}

impl<T: Literal> Value<Map<T>> {
    /// Inserts one entry; on a map given as an expression the result is
    /// `merge(expression, {key = value})`.
    pub fn insert(&mut self, key: String, value: Value<T>) {
        match self {
            Value::Literal(map) => {
                map.insert(key, value);
            }
            Value::Expr(e) => {
                let mut deps = e.deps().to_vec();
                let value_hcl = element_hcl(&value, &mut deps);
                *self = Value::Expr(Expr::raw_with_deps(
                    format!(
                        "merge({}, {{{} = {}}})",
                        e.hcl(),
                        quote_hcl(&key),
                        value_hcl
                    ),
                    deps,
                ));
            }
        }
    }
}

/// How a literal of type `T` is written to Terraform JSON: strings are escaped, map keys too.
pub trait Literal {
    /// Serialises the literal for Terraform.
    fn serialize_literal<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Literal for String {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&escape_template(self))
    }
}
impl Literal for bool {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*self)
    }
}
impl Literal for i64 {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*self)
    }
}
impl Literal for f64 {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(*self)
    }
}
impl Literal for Number {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
impl<T: Literal> Literal for Vec<Value<T>> {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}
impl<T: Literal> Literal for IndexMap<String, Value<T>> {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(&*escape_template(k), v)?;
        }
        map.end()
    }
}

/// Escapes every string (and object key) inside free-form JSON.
struct EscapedJson<'a>(&'a serde_json::Value);

impl Serialize for EscapedJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde_json::Value as J;
        match self.0 {
            J::String(text) => s.serialize_str(&escape_template(text)),
            J::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&EscapedJson(item))?;
                }
                seq.end()
            }
            J::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(&*escape_template(k), &EscapedJson(v))?;
                }
                map.end()
            }
            other => other.serialize(s),
        }
    }
}

/// As it is, nothing escaped: for a variable's default of type `any`, which Terraform does not
/// read as a template.
impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Literal for Json {
    fn serialize_literal<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        EscapedJson(&self.0).serialize(s)
    }
}

impl<T: Literal> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Literal(literal) => literal.serialize_literal(s),
            Value::Expr(e) => e.serialize(s),
        }
    }
}

/// Collects the nodes a value refers to: every reference is a graph edge.
pub trait Refs {
    /// Appends every node this value depends on to `out`.
    fn refs(&self, out: &mut Vec<NodeRef>);
}

impl<T: Refs> Refs for Value<T> {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        match self {
            Value::Literal(l) => l.refs(out),
            Value::Expr(e) => out.extend_from_slice(e.deps()),
        }
    }
}
impl<T> Refs for Expr<T> {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        out.extend_from_slice(self.deps());
    }
}
impl<T: Refs> Refs for Option<T> {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        if let Some(v) = self {
            v.refs(out);
        }
    }
}
impl<T: Refs> Refs for Vec<T> {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        for v in self {
            v.refs(out);
        }
    }
}
impl<T: Refs> Refs for IndexMap<String, T> {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        for v in self.values() {
            v.refs(out);
        }
    }
}
macro_rules! no_refs {
    ($($t:ty),*) => {$(impl Refs for $t { fn refs(&self, _: &mut Vec<NodeRef>) {} })*};
}
no_refs!(String, bool, i64, f64, Number, Json);

#[cfg(test)]
mod element_tests {
    use super::*;

    #[test]
    fn holes_counts_as_the_split_does() {
        for format in ["", "{}", "a{}b{}", "{}}", "{{}", "{}{}{}", "{ }", "}{"] {
            assert_eq!(holes(format), format.split("{}").count() - 1, "{format:?}");
        }
    }

    fn hcl<T>(v: &Value<T>) -> String {
        match v {
            Value::Expr(e) => e.hcl(),
            Value::Literal(_) => panic!("expected an expression"),
        }
    }

    #[test]
    fn literal_lists_of_templates_keep_the_quotes_of_their_interpolations() {
        let inner: Expr<String> = Expr::raw(r#"lookup(var.m, "k", "d")"#);
        let list: Value<List<String>> =
            Value::Literal(vec![Value::Expr(crate::template!("owner={} \"q\"", inner))]);
        let mut deps = Vec::new();
        assert_eq!(
            list.to_hcl(&mut deps),
            r#"["owner=${lookup(var.m, "k", "d")} \"q\""]"#
        );
    }

    #[test]
    fn literal_elements_of_expression_collections_are_escaped_once() {
        // Terraform reads `"a$${x}"` inside an expression as the text `a${x}`.
        let mut list: Value<List<String>> = Value::Expr(Expr::raw("var.l"));
        list.push(Value::Literal("a${x} \"q\"".to_owned()));
        assert_eq!(hcl(&list), r#"concat(var.l, ["a$${x} \"q\""])"#);

        let mut map: Value<Map<String>> = Value::Expr(Expr::raw("var.m"));
        map.insert("k${y}".to_owned(), Value::Literal("v%{z}".to_owned()));
        assert_eq!(hcl(&map), r#"merge(var.m, {"k$${y}" = "v%%{z}"})"#);

        let mut numbers: Value<List<f64>> = Value::Expr(Expr::raw("var.n"));
        numbers.push(Value::Literal(1.5));
        assert_eq!(hcl(&numbers), "concat(var.n, [1.5])");
    }
}
