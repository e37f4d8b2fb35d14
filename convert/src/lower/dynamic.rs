//! `dynamic "name" { for_each = …, content { … } }`: unrolled into one nested block per
//! element when the collection is known when converting — a literal list, map or set
//! (`toset`/`tolist`/`tomap` of one), or a variable's default or a local that is one — with
//! `<iterator>.key` and `<iterator>.value` (and `.value.<attr>` of an object element)
//! replaced by the element's HCL. Each unrolled block is then converted like a written one.
//! Otherwise the block is left out with a TODO and a warning that says so.
//!
//! The replacement is textual, over the `content` block's own text, padded so that the
//! unrolled text keeps the lines of the file: what stays raw inside still shows the right
//! line, and its text is the element's.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Interpolation, Strip};
use hcl_edit::visit::{visit_interpolation, visit_traversal, Visit};
use hcl_edit::Span;

use super::{label, Lowerer, Src, Top};

/// One element's `content`, unrolled: its text (the file's lines kept) and its body.
pub(super) struct Unrolled {
    pub text: String,
    pub body: Body,
}

/// One element of a known collection: its key and its value, as HCL text, and the value.
struct Item {
    key: String,
    value: String,
    expr: Expression,
}

/// The HCL text of every variable default (`var.x`) and local (`local.x`), to unroll over.
pub(super) fn known_values(tops: &[Top<'_>]) -> BTreeMap<String, String> {
    let mut known = BTreeMap::new();
    for top in tops {
        let b = top.block;
        match b.ident.as_str() {
            "variable" => {
                if let (Some(name), Some(default)) = (label(b, 0), b.body.get_attribute("default"))
                {
                    if let Some(text) = top.src.slice(default.value.span()) {
                        known.insert(format!("var.{name}"), text.to_owned());
                    }
                }
            }
            "locals" => {
                for a in b.body.attributes() {
                    if let Some(text) = top.src.slice(a.value.span()) {
                        known.insert(format!("local.{}", a.key.as_str()), text.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    known
}

/// Why a `dynamic` block is not unrolled.
type Why = String;

impl Lowerer<'_> {
    /// The block type of a `dynamic` block and its unrolled `content`s; `None` (with a TODO
    /// and a warning) when it cannot be unrolled.
    pub(super) fn dynamic(
        &mut self,
        src: Src<'_>,
        blk: &Block,
        path: &str,
    ) -> Option<(String, Vec<Unrolled>)> {
        let name = label(blk, 0).unwrap_or("dynamic").to_owned();
        let field = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        match self.unroll(src, blk, &name) {
            Ok(unrolled) => Some((name, unrolled)),
            Err(why) => {
                self.todo(
                    src,
                    blk.span(),
                    &field,
                    &format!(
                        "the `dynamic \"{name}\"` block is left out of the Rust: {why}; \
                         add its blocks by hand"
                    ),
                );
                None
            }
        }
    }

    fn unroll(&mut self, src: Src<'_>, blk: &Block, name: &str) -> Result<Vec<Unrolled>, Why> {
        let for_each = blk
            .body
            .get_attribute("for_each")
            .ok_or("it has no `for_each`")?;
        let iterator = match blk.body.get_attribute("iterator") {
            Some(a) => match &a.value {
                Expression::Variable(v) => v.as_str().to_owned(),
                _ => return Err("its `iterator` is not a name".to_owned()),
            },
            None => name.to_owned(),
        };
        if blk.body.get_attribute("labels").is_some() {
            return Err("it has `labels`, which no block of the provider takes".to_owned());
        }
        let content = blk
            .body
            .iter()
            .find_map(|s| match s {
                Structure::Block(b) if b.ident.as_str() == "content" => Some(b),
                _ => None,
            })
            .ok_or("it has no `content` block")?;
        let mut via = None;
        let items = self
            .items(src.text, &for_each.value, &mut via, 0)
            .ok_or_else(|| {
                format!(
                    "its `for_each` ({}) is not a collection known when converting",
                    src.slice(for_each.value.span()).unwrap_or("?")
                )
            })?;
        if let Some(var) = via {
            self.todo(
                src,
                for_each.value.span(),
                name,
                &format!(
                    "unrolled over the default of `{var}`: a value given to the variable at \
                     plan time is not seen"
                ),
            );
        }
        let range = content.span().ok_or("its `content` has no position")?;
        let mut finder = Finder {
            iterator: &iterator,
            text: src.text,
            found: Vec::new(),
            other: false,
        };
        finder.visit_block(content);
        if finder.other {
            return Err(format!(
                "`{iterator}` is used other than as `{iterator}.key` or `{iterator}.value…`"
            ));
        }
        // The lines before the block, as blank lines: the unrolled text keeps the file's.
        let padding = "\n".repeat(src.text[..range.start].matches('\n').count());
        let mut out = Vec::new();
        for item in &items {
            let mut unrolled = padding.clone();
            let mut at = range.start;
            for u in &finder.found {
                let text = replacement(item, &u.ops).ok_or_else(|| {
                    format!("an element has no `{}`", src.text[u.span.clone()].trim())
                })?;
                // `"${x.value}/…"` of a string element: its text, not `${"…"}`.
                let literal = matches!(
                    hcl_edit::parser::parse_expr(&text),
                    Ok(Expression::String(_))
                );
                match &u.interpolation {
                    Some(whole) if literal => {
                        unrolled.push_str(&src.text[at..whole.start]);
                        unrolled.push_str(&text[1..text.len() - 1]);
                        at = whole.end;
                    }
                    _ => {
                        unrolled.push_str(&src.text[at..u.span.start]);
                        unrolled.push_str(&text);
                        at = u.span.end;
                    }
                }
            }
            unrolled.push_str(&src.text[at..range.end]);
            let body = hcl_edit::parser::parse_body(&unrolled)
                .ok()
                .and_then(|b| b.into_blocks().next().map(|b| b.body))
                .ok_or("an element does not make valid HCL")?;
            out.push(Unrolled {
                text: unrolled,
                body,
            });
        }
        Ok(out)
    }

    /// The elements of a collection known when converting; `via` gets the variable it is the
    /// default of.
    fn items(
        &self,
        text: &str,
        e: &Expression,
        via: &mut Option<String>,
        depth: u8,
    ) -> Option<Vec<Item>> {
        let slice = |e: &Expression| e.span().and_then(|r| text.get(r)).map(str::to_owned);
        match e {
            Expression::Parenthesis(p) => self.items(text, p.inner(), via, depth),
            Expression::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    Some(Item {
                        key: i.to_string(),
                        value: slice(v)?,
                        expr: v.clone(),
                    })
                })
                .collect(),
            Expression::Object(o) => o
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.as_str().to_owned(),
                        _ => return None,
                    };
                    Some(Item {
                        key: super::rust_str(&key),
                        value: slice(v.expr())?,
                        expr: v.expr().clone(),
                    })
                })
                .collect(),
            Expression::FuncCall(f) if f.name.namespace.is_empty() && f.args.len() == 1 => {
                let arg = f.args.iter().next()?;
                let items = self.items(text, arg, via, depth)?;
                match f.name.name.as_str() {
                    "tolist" | "tomap" => Some(items),
                    // A set's key is its value.
                    "toset" => Some(
                        items
                            .into_iter()
                            .map(|i| Item {
                                key: i.value.clone(),
                                ..i
                            })
                            .collect(),
                    ),
                    _ => None,
                }
            }
            Expression::Traversal(t) if depth < 8 => {
                let Expression::Variable(root) = &t.expr else {
                    return None;
                };
                let [TraversalOperator::GetAttr(attr)] =
                    t.operators.iter().map(|o| &**o).collect::<Vec<_>>()[..]
                else {
                    return None;
                };
                let key = format!("{}.{}", root.as_str(), attr.as_str());
                let known = self.known.get(&key)?;
                let expr = hcl_edit::parser::parse_expr(known).ok()?;
                if root.as_str() == "var" {
                    *via = Some(key);
                }
                self.items(known, &expr, via, depth + 1)
            }
            _ => None,
        }
    }
}

/// The iterator's uses in a `content` block: each one's span and the operators after
/// `.key`/`.value`.
struct Finder<'i> {
    iterator: &'i str,
    /// The text the spans are in.
    text: &'i str,
    found: Vec<Use>,
    other: bool,
}

/// One use of the iterator.
struct Use {
    span: std::ops::Range<usize>,
    /// `key` or `value`, then the attributes or indices after it.
    ops: Vec<String>,
    /// The `${…}` the use is alone in, within a template.
    interpolation: Option<std::ops::Range<usize>>,
}

impl Visit for Finder<'_> {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr {
            if root.as_str() == self.iterator {
                let mut ops = Vec::new();
                for op in node.operators.iter() {
                    match &**op {
                        TraversalOperator::GetAttr(a) => ops.push(a.as_str().to_owned()),
                        TraversalOperator::Index(Expression::String(s)) => {
                            ops.push(s.as_str().to_owned());
                        }
                        TraversalOperator::Index(Expression::Number(n)) => {
                            ops.push(n.to_string());
                        }
                        TraversalOperator::LegacyIndex(i) => ops.push(i.to_string()),
                        _ => {
                            self.other = true;
                            return;
                        }
                    }
                }
                match (ops.first().map(String::as_str), node.span()) {
                    (Some("key"), Some(span)) if ops.len() == 1 => self.found.push(Use {
                        span,
                        ops,
                        interpolation: None,
                    }),
                    (Some("value"), Some(span)) => self.found.push(Use {
                        span,
                        ops,
                        interpolation: None,
                    }),
                    _ => self.other = true,
                }
                return;
            }
        }
        visit_traversal(self, node);
    }

    fn visit_interpolation(&mut self, node: &Interpolation) {
        let before = self.found.len();
        visit_interpolation(self, node);
        let whole = node.span().filter(|r| {
            self.text
                .get(r.clone())
                .is_some_and(|t| t.starts_with("${") && t.ends_with('}'))
        });
        if let (Some(whole), Expression::Traversal(_), Strip::None, true) = (
            whole,
            &node.expr,
            node.strip,
            self.found.len() == before + 1,
        ) {
            if let Some(u) = self.found.last_mut() {
                u.interpolation = Some(whole);
            }
        }
    }

    fn visit_expr(&mut self, node: &Expression) {
        // A bare iterator (`setting` alone) is a use we cannot replace.
        if let Expression::Variable(v) = node {
            if v.as_str() == self.iterator {
                self.other = true;
            }
        }
        hcl_edit::visit::visit_expr(self, node);
    }
}

/// The HCL replacing one use: the key, the value, or a part of an object or list value.
fn replacement(item: &Item, ops: &[String]) -> Option<String> {
    match ops.split_first()? {
        (first, []) if first == "key" => Some(item.key.clone()),
        (first, []) if first == "value" => Some(grouped(&item.expr, item.value.clone())),
        (first, rest) if first == "value" => {
            let mut e = &item.expr;
            for op in rest {
                e = match unparen(e) {
                    Expression::Object(o) => o.iter().find_map(|(k, v)| {
                        let name = match k {
                            ObjectKey::Ident(id) => id.as_str(),
                            ObjectKey::Expression(Expression::String(s)) => s.as_str(),
                            _ => return None,
                        };
                        (name == op).then(|| v.expr())
                    })?,
                    Expression::Array(a) => a.get(op.parse().ok()?)?,
                    _ => return None,
                };
            }
            let text = e.span().and_then(|r| item_text(item, r))?;
            Some(grouped(e, text))
        }
        _ => None,
    }
}

/// The text of a part of an element's value, by its span in the text the value was read from.
fn item_text(item: &Item, r: std::ops::Range<usize>) -> Option<String> {
    let start = item.expr.span()?.start;
    item.value
        .get(r.start.checked_sub(start)?..r.end.checked_sub(start)?)
        .map(str::to_owned)
}

/// `text` in parentheses when it is an operator or a conditional, which could bind
/// differently where it goes.
fn grouped(e: &Expression, text: String) -> String {
    match e {
        Expression::BinaryOp(_) | Expression::UnaryOp(_) | Expression::Conditional(_) => {
            format!("({text})")
        }
        _ => text,
    }
}

fn unparen(e: &Expression) -> &Expression {
    match e {
        Expression::Parenthesis(p) => unparen(p.inner()),
        other => other,
    }
}
