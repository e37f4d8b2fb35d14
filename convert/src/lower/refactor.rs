//! `import`, `moved` and `removed` blocks into the SDK's refactoring calls:
//! `stack.import(&h, id)`, `stack.moved("old.address", &h)` and `stack.removed("address")`.
//!
//! The handle is a resource the module declares; a block whose target is anything else (a
//! module, one instance of a `count`/`for_each` resource, an address the module does not
//! declare) has no handle to name and is left out with a TODO and a warning.

use super::*;

impl<'a> Lowerer<'a> {
    /// One `import`, `moved` or `removed` block.
    pub(super) fn refactor_block(&mut self, src: Src<'_>, b: &Block, decls: &mut Vec<Decl>) {
        let kind = b.ident.as_str();
        let address_of = |name: &str| {
            b.body
                .get_attribute(name)
                .and_then(|a| src.slice(a.value.span()))
                .map(|t| t.split_whitespace().collect::<String>())
        };
        let target = match kind {
            "import" => address_of("to"),
            _ => address_of("from"),
        };
        self.address = format!("{kind}.{}", target.clone().unwrap_or_default());
        self.base = kind.to_owned();
        let key = format!("{kind}:{}", target.clone().unwrap_or_default());
        let code = match kind {
            "import" => self.import_block(src, b),
            "moved" => self.moved_block(src, b),
            _ => self.removed_block(src, b),
        };
        decls.push(Decl {
            key,
            rank: 2,
            todos: std::mem::take(&mut self.todos),
            pre: std::mem::take(&mut self.pre),
            binding: String::new(),
            code: code.unwrap_or_default(),
            deps: std::mem::take(&mut self.deps),
        });
    }

    /// The handle of the resource `to` names (its Rust variable), or a TODO saying why not.
    fn handle_of(
        &mut self,
        src: Src<'_>,
        b: &Block,
        attr: &str,
        what: &str,
    ) -> Option<(String, String)> {
        let Some(a) = b.body.get_attribute(attr) else {
            self.error(
                Diagnostic::error(format!("the argument `{attr}` is required"))
                    .lead("missing argument")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .file(src.file, src.line(b.span())),
                    ),
            );
            return None;
        };
        let text: String = src
            .slice(a.value.span())
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        match self.resources.get(&text) {
            Some(res) if res.model.kind == Kind::Managed => {
                let ident = res.ident.clone();
                self.deps.insert(format!("resource:{text}"));
                Some((text, ident))
            }
            _ => {
                let why = if text.starts_with("module.") {
                    "it names a module or a resource in one, which the module does not declare"
                } else if text.contains('[') {
                    "it names one instance of a `count`/`for_each` resource, which has no handle"
                } else if text.starts_with("data.") {
                    "it names a data source, which holds no state"
                } else {
                    "the module declares no resource at that address"
                };
                self.todo(
                    src,
                    a.span(),
                    attr,
                    &format!("{what}: {why}; the block is left out"),
                );
                None
            }
        }
    }

    /// `stack.import(&handle, id)`.
    fn import_block(&mut self, src: Src<'_>, b: &Block) -> Option<String> {
        if let Some(a) = b
            .body
            .attributes()
            .find(|a| ["for_each", "provider", "identity"].contains(&a.key.as_str()))
        {
            self.todo(
                src,
                a.span(),
                a.key.as_str(),
                "an `import` block with this argument is not converted yet; the block is left out",
            );
            return None;
        }
        let (_, ident) = self.handle_of(src, b, "to", "cannot import")?;
        let Some(id) = b.body.get_attribute("id") else {
            self.todo(
                src,
                b.span(),
                "id",
                "an `import` block without `id` is not converted yet; the block is left out",
            );
            return None;
        };
        let code = self.value(src, &id.value, Want::Ty(Ty::Prim(Prim::String)), "id")?;
        Some(format!("stack.import(&{ident}, {})", code.text))
    }

    /// `stack.moved("old.address", &handle)`.
    fn moved_block(&mut self, src: Src<'_>, b: &Block) -> Option<String> {
        let from = b.body.get_attribute("from").and_then(|a| {
            src.slice(a.value.span())
                .map(|t| t.split_whitespace().collect::<String>())
        });
        let Some(from) = from else {
            self.error(
                Diagnostic::error("the argument `from` is required")
                    .lead("missing argument")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .file(src.file, src.line(b.span())),
                    ),
            );
            return None;
        };
        let (_, ident) = self.handle_of(src, b, "to", "cannot move")?;
        Some(format!("stack.moved({}, &{ident})", rust_str(&from)))
    }

    /// `stack.removed("address")` for `lifecycle { destroy = false }`.
    fn removed_block(&mut self, src: Src<'_>, b: &Block) -> Option<String> {
        let Some(from) = b.body.get_attribute("from") else {
            self.error(
                Diagnostic::error("the argument `from` is required")
                    .lead("missing argument")
                    .place(
                        Place::new()
                            .address(self.address.clone())
                            .file(src.file, src.line(b.span())),
                    ),
            );
            return None;
        };
        let text: String = src
            .slice(from.value.span())
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        for blk in b.body.blocks() {
            if blk.ident.as_str() != "lifecycle" {
                self.todo(
                    src,
                    blk.span(),
                    blk.ident.as_str(),
                    "not converted yet; left out",
                );
            }
        }
        let destroy = b
            .body
            .blocks()
            .find(|blk| blk.ident.as_str() == "lifecycle")
            .and_then(|blk| blk.body.get_attribute("destroy"))
            .map(|a| &a.value);
        match destroy {
            Some(Expression::Bool(v)) if !*v.value() => {}
            Some(Expression::Bool(_)) | None => {
                self.todo(
                    src,
                    b.span(),
                    "lifecycle.destroy",
                    "a `removed` block that destroys is what leaving the resource out of the \
                     code does: nothing is written for it",
                );
                return None;
            }
            Some(e) => {
                self.todo(
                    src,
                    e.span(),
                    "lifecycle.destroy",
                    "`destroy` is not a literal `true` or `false`; the block is left out",
                );
                return None;
            }
        }
        if is_module_address(&text) {
            self.todo(
                src,
                from.span(),
                "from",
                "removing a whole module is not converted yet (the SDK's `removed` takes a \
                 resource address); the block is left out",
            );
            return None;
        }
        if self.resources.contains_key(&text) {
            self.todo(
                src,
                from.span(),
                "from",
                "the module still declares this resource; Terraform refuses a `removed` block \
                 for it, so the block is left out",
            );
            return None;
        }
        Some(format!("stack.removed({})", rust_str(&text)))
    }
}

/// Whether `text` names a module (`module.a`, `module.a["k"].module.b`) rather than a
/// resource.
fn is_module_address(text: &str) -> bool {
    let mut rest = text;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        let mut after = &after[end..];
        if let Some(key) = after.strip_prefix('[') {
            let close = if let Some(quoted) = key.strip_prefix('"') {
                quoted.find('"').map(|i| i + 2)
            } else {
                key.find(']')
            };
            let Some(close) = close else { return false };
            after = key[close..].strip_prefix(']').unwrap_or_default();
        }
        if after.is_empty() {
            return true;
        }
        rest = after.strip_prefix('.').unwrap_or(after);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_module_address;

    #[test]
    fn module_addresses_are_told_from_resource_addresses() {
        for m in [
            "module.a",
            "module.a[0]",
            "module.a[\"x.y\"]",
            "module.a.module.b",
        ] {
            assert!(is_module_address(m), "{m}");
        }
        for r in [
            "aws_s3_bucket.a",
            "module.a.aws_s3_bucket.b",
            "module.a[\"k\"].aws_s3_bucket.b[0]",
        ] {
            assert!(!is_module_address(r), "{r}");
        }
    }
}
