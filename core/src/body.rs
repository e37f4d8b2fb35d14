//! The argument store behind every generated resource, data source and block type.
//!
//! A generated type is a newtype over a [`Body`]: a sparse list of the arguments that were
//! set, kept sorted by their Terraform name, each value boxed behind one object-safe trait
//! ([`Arg`]). One generic routine writes every body and collects its references, so the
//! generated code is only typed setters and accessors (all `#[inline]`, hence compiled only
//! where a stack calls them) rather than a struct with a serde derive per type. That is
//! what makes the whole AWS provider (2,141 types and 6,346 distinct blocks) cheap to
//! build: see `bench/README.md` for the measurements behind this choice.
//!
//! ```
//! use oxiform_core::body::Body;
//! use oxiform_core::value::Value;
//!
//! let body = Body::new()
//!     .with("name", Value::<String>::from("orders"))
//!     .with("hash_key", Value::<String>::from("id"));
//! // Written in name order, whatever the order of the calls.
//! assert_eq!(
//!     serde_json::to_string(&body).unwrap(),
//!     r#"{"hash_key":"id","name":"orders"}"#
//! );
//! ```

use std::any::Any;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::address::NodeRef;
use crate::value::{Literal, Map, Refs, Value};

/// One argument value of any type: what a [`Body`] stores. Implemented for every value an
/// argument can take ([`Value<T>`], generated block types, lists of blocks).
pub trait Arg: erased_serde::Serialize + Any {
    /// Appends the nodes this value refers to.
    fn arg_refs(&self, out: &mut Vec<NodeRef>);
    /// A boxed copy.
    fn clone_arg(&self) -> Box<dyn Arg>;
    /// Formats the value for `Debug`.
    fn debug_arg(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
    /// The value as `Any`, to append to a list or map in place.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Serialize + Refs + Clone + fmt::Debug + 'static> Arg for T {
    fn arg_refs(&self, out: &mut Vec<NodeRef>) {
        self.refs(out);
    }
    fn clone_arg(&self) -> Box<dyn Arg> {
        Box::new(self.clone())
    }
    fn debug_arg(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// How one argument is held: two words, since a stack keeps one per argument of every
/// resource until it is written (repeated blocks, the rarer case, are boxed to fit).
enum Slot {
    /// An attribute, or a block that occurs at most once.
    One(Box<dyn Arg>),
    /// Repeated blocks.
    Many(Box<Repeated>),
}

/// Repeated blocks of one argument.
struct Repeated {
    /// `set` nesting: written sorted by their JSON text, so the order of the calls that
    /// added them never shows in the output (Terraform ignores it anyway); otherwise `list`
    /// nesting, written in the order they were added.
    set: bool,
    items: Vec<Box<dyn Arg>>,
}

impl Slot {
    fn many(set: bool, block: Box<dyn Arg>) -> Slot {
        Slot::Many(Box::new(Repeated {
            set,
            items: vec![block],
        }))
    }
}

impl Clone for Slot {
    fn clone(&self) -> Self {
        match self {
            Slot::One(v) => Slot::One(v.clone_arg()),
            Slot::Many(r) => Slot::Many(Box::new(Repeated {
                set: r.set,
                items: r.items.iter().map(|i| i.clone_arg()).collect(),
            })),
        }
    }
}

struct Dbg<'a>(&'a dyn Arg);

impl fmt::Debug for Dbg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug_arg(f)
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::One(v) => v.debug_arg(f),
            Slot::Many(r) => f
                .debug_list()
                .entries(r.items.iter().map(|i| Dbg(&**i)))
                .finish(),
        }
    }
}

/// The arguments set on one resource or block, by Terraform name, written in name order.
#[derive(Clone, Default)]
pub struct Body {
    fields: Vec<(&'static str, Slot)>,
}

impl Body {
    /// An empty body.
    pub fn new() -> Self {
        Body::default()
    }

    /// Gives back the spare room of the argument list (see
    /// [`Resource::shrink`](crate::resource::Resource::shrink)).
    pub fn shrink(&mut self) {
        self.fields.shrink_to_fit();
        // Nested blocks are kept as their `Body`: theirs too.
        let nested = |value: &mut Box<dyn Arg>| {
            if let Some(body) = value.as_any_mut().downcast_mut::<Body>() {
                body.shrink();
            }
        };
        for (_, slot) in &mut self.fields {
            match slot {
                Slot::One(value) => nested(value),
                Slot::Many(r) => {
                    r.items.shrink_to_fit();
                    r.items.iter_mut().for_each(nested);
                }
            }
        }
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.fields.binary_search_by(|(n, _)| (*n).cmp(name))
    }

    fn put(&mut self, name: &'static str, slot: Slot) {
        match self.position(name) {
            Ok(i) => self.fields[i].1 = slot,
            Err(i) => self.fields.insert(i, (name, slot)),
        }
    }

    /// Sets argument `name` (replacing any earlier value).
    #[inline]
    pub fn with(mut self, name: &'static str, value: impl Arg) -> Self {
        self.put(name, Slot::One(Box::new(value)));
        self
    }

    /// Sets argument `name` if `value` is `Some`, or removes it.
    #[inline]
    pub fn with_option(mut self, name: &'static str, value: Option<impl Arg>) -> Self {
        match value {
            Some(v) => self.put(name, Slot::One(Box::new(v))),
            None => self.remove(name),
        }
        self
    }

    /// Removes argument `name`.
    pub fn remove(&mut self, name: &str) {
        if let Ok(i) = self.position(name) {
            self.fields.remove(i);
        }
    }

    fn push(&mut self, name: &'static str, block: Box<dyn Arg>, set: bool) {
        match self.position(name) {
            Ok(i) => match &mut self.fields[i].1 {
                Slot::Many(r) => r.items.push(block),
                slot => *slot = Slot::many(set, block),
            },
            Err(i) => self.fields.insert(i, (name, Slot::many(set, block))),
        }
    }

    /// Appends one block to the repeated block `name` (`list` nesting).
    #[inline]
    pub fn with_block(mut self, name: &'static str, block: impl Arg) -> Self {
        self.push(name, Box::new(block), false);
        self
    }

    /// Appends one block to the repeated block `name` (`set` nesting).
    #[inline]
    pub fn with_set_block(mut self, name: &'static str, block: impl Arg) -> Self {
        self.push(name, Box::new(block), true);
        self
    }

    /// Sets every block of the repeated block `name` at once (`list` nesting), replacing
    /// earlier ones; an empty list removes the argument.
    #[inline]
    pub fn with_blocks<B: Arg>(mut self, name: &'static str, blocks: Vec<B>, set: bool) -> Self {
        self.remove(name);
        for b in blocks {
            self.push(name, Box::new(b), set);
        }
        self
    }

    /// Changes the first block of the repeated block `name` with `change`, creating the block
    /// (from an empty body) when there is none. For conveniences that add to one block
    /// piece by piece, such as one default tag at a time.
    pub fn with_in_block(mut self, name: &'static str, change: impl FnOnce(Body) -> Body) -> Self {
        let first = self
            .position(name)
            .ok()
            .and_then(|i| match &mut self.fields[i].1 {
                Slot::Many(r) => r
                    .items
                    .first_mut()
                    .and_then(|b| b.as_any_mut().downcast_mut::<Body>()),
                Slot::One(v) => v.as_any_mut().downcast_mut::<Body>(),
            });
        match first {
            Some(block) => *block = change(std::mem::take(block)),
            None => self.push(name, Box::new(change(Body::new())), false),
        }
        self
    }

    /// Appends one element to the list argument `name` (`Value<List<T>>`), creating it.
    #[inline]
    pub fn with_item<T>(mut self, name: &'static str, item: Value<T>) -> Self
    where
        T: Literal + Refs + Clone + fmt::Debug + 'static,
    {
        match self.slot_mut::<Value<Vec<Value<T>>>>(name) {
            Some(list) => list.push(item),
            None => self.put(name, Slot::One(Box::new(Value::Literal(vec![item])))),
        }
        self
    }

    /// Inserts one entry into the map argument `name` (`Value<Map<T>>`), creating it.
    #[inline]
    pub fn with_entry<T>(mut self, name: &'static str, key: &str, value: Value<T>) -> Self
    where
        T: Literal + Refs + Clone + fmt::Debug + 'static,
    {
        match self.slot_mut::<Value<Map<T>>>(name) {
            Some(map) => map.insert(key.to_owned(), value),
            None => {
                let mut map = Map::new();
                map.insert(key.to_owned(), value);
                self.put(name, Slot::One(Box::new(Value::Literal(map))));
            }
        }
        self
    }

    fn slot_mut<V: 'static>(&mut self, name: &str) -> Option<&mut V> {
        let i = self.position(name).ok()?;
        match &mut self.fields[i].1 {
            Slot::One(v) => v.as_any_mut().downcast_mut::<V>(),
            _ => None,
        }
    }

    /// Whether argument `name` is set.
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// The names of the arguments set, in the order they are written.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|(n, _)| *n)
    }

    /// Writes every argument as an entry of `map` (used to append meta-arguments after).
    pub fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, slot) in &self.fields {
            match slot {
                Slot::One(v) => map.serialize_entry(name, &**v as &dyn erased_serde::Serialize)?,
                Slot::Many(r) if r.set => map.serialize_entry(name, &Seq(sorted(&r.items)))?,
                Slot::Many(r) => {
                    map.serialize_entry(name, &Seq(r.items.iter().map(|i| &**i).collect()))?
                }
            }
        }
        Ok(())
    }
}

/// Set elements in the order of their JSON text; an element that fails to serialise keeps
/// its place (it fails again, with its error, when written).
fn sorted(items: &[Box<dyn Arg>]) -> Vec<&dyn Arg> {
    let mut keyed: Vec<(String, &dyn Arg)> = items
        .iter()
        .map(|i| {
            let text = serde_json::to_string(&**i as &dyn erased_serde::Serialize);
            (text.unwrap_or_default(), &**i)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, i)| i).collect()
}

struct Seq<'a>(Vec<&'a dyn Arg>);

impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in &self.0 {
            seq.serialize_element(*item as &dyn erased_serde::Serialize)?;
        }
        seq.end()
    }
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

impl Refs for Body {
    fn refs(&self, out: &mut Vec<NodeRef>) {
        for (_, slot) in &self.fields {
            match slot {
                Slot::One(v) => v.arg_refs(out),
                Slot::Many(r) => {
                    for item in &r.items {
                        item.arg_refs(out);
                    }
                }
            }
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.fields.iter().map(|(n, s)| (n, s)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Expr, List};

    /// A block as generated code stores it: its `Body`.
    fn rule_body(n: i64) -> Body {
        Body::new().with("n", Value::<i64>::from(n))
    }

    fn json(body: &Body) -> String {
        serde_json::to_string(body).unwrap_or_default()
    }

    #[test]
    fn arguments_are_written_in_name_order_and_replaced_by_name() {
        let body = Body::new()
            .with("b", Value::<i64>::from(2))
            .with("a", Value::<bool>::from(true))
            .with("b", Value::<i64>::from(3));
        assert_eq!(json(&body), r#"{"a":true,"b":3}"#);
        assert_eq!(body.names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn list_blocks_keep_their_order_and_set_blocks_are_sorted() {
        let rule = rule_body;
        let body = Body::new()
            .with_block("list", rule(2))
            .with_block("list", rule(1))
            .with_set_block("set", rule(2))
            .with_set_block("set", rule(1));
        assert_eq!(
            json(&body),
            r#"{"list":[{"n":2},{"n":1}],"set":[{"n":1},{"n":2}]}"#
        );
    }

    #[test]
    fn items_and_entries_append_in_place() {
        let body = Body::new()
            .with_item::<String>("ids", "a".into())
            .with_item::<String>("ids", "b".into())
            .with_entry::<String>("tags", "k", "v".into())
            .with_entry::<String>("tags", "j", "w".into());
        assert_eq!(json(&body), r#"{"ids":["a","b"],"tags":{"k":"v","j":"w"}}"#);
        // An appender after a whole list was set extends that list.
        let list: Value<List<String>> = vec!["x"].into();
        let body = Body::new()
            .with("ids", list)
            .with_item::<String>("ids", "y".into());
        assert_eq!(json(&body), r#"{"ids":["x","y"]}"#);
    }

    #[test]
    fn references_are_collected_from_nested_blocks() {
        let node = NodeRef {
            stack: crate::address::StackId(0),
            index: 0,
            kind: crate::address::ResourceKind::Managed,
            type_name: "aws_iam_role",
            name: "r",
            instance: crate::address::Instance::Whole,
        };
        let inner = Body::new().with("arn", Value::Expr(Expr::<String>::reference(node, "arn")));
        let body = Body::new().with_block("rule", inner);
        let mut out = Vec::new();
        body.refs(&mut out);
        assert_eq!(out, vec![node]);
        assert_eq!(json(&body), r#"{"rule":[{"arn":"${aws_iam_role.r.arn}"}]}"#);
    }

    #[test]
    fn removing_and_options() {
        let mut body = Body::new().with_option("a", Some(Value::<i64>::from(1)));
        assert!(body.contains("a"));
        body = body.with_option("a", None::<Value<i64>>);
        assert!(!body.contains("a"));
        assert_eq!(format!("{body:?}"), "{}");
    }
}
