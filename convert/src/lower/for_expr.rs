//! `for` expressions as `func::for_list`/`func::for_map` with Rust closures, the names they
//! bind in scope while their bodies are lowered, and attribute chains into values
//! (`var.service.name` → `var_service.get::<String>("name")`).

use super::*;

impl Lowerer<'_> {
    /// The element type of a collection: a list's or map's, else free-form.
    fn element(&self, collection: &Expression) -> Ty {
        match self.infer(collection) {
            Ty::List(p) | Ty::Map(p) => Ty::Prim(p),
            _ => Ty::Json,
        }
    }

    /// The type of a name a `for` expression binds, if `name` is one.
    pub(super) fn scope_type(&self, name: &str) -> Option<Ty> {
        self.scope
            .iter()
            .rev()
            .find(|s| s.name == name)
            .map(|s| s.ty)
    }

    fn bind(&mut self, name: &str, ty: Ty) {
        let ident = self.take(rust_ident(name));
        self.scope.push(Scoped {
            name: name.to_owned(),
            ident,
            ty,
            used: false,
        });
    }

    /// The closure parameters for the last `n` names bound (`s: Expr<T>`, `_: Expr<T>` for
    /// one the closure does not read), their reads forgotten for the next closure.
    fn params(&mut self, n: usize) -> Vec<String> {
        let from = self.scope.len().saturating_sub(n);
        self.scope[from..]
            .iter_mut()
            .map(|s| {
                let t = rust_type(s.ty);
                let p = if s.used {
                    format!("{}: Expr<{t}>", s.ident)
                } else {
                    format!("_: Expr<{t}>")
                };
                s.used = false;
                p
            })
            .collect()
    }

    /// `[for …]` or `{for …}` as a typed expression; `None` when it has no typed form
    /// (grouping `...`, `[for k, v in …]`).
    pub(super) fn for_expr(
        &mut self,
        src: Src<'_>,
        f: &hcl_edit::expr::ForExpr,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        if f.grouping {
            return None;
        }
        let collection = &f.intro.collection_expr;
        let elem = self.element(collection);
        let coll = self.any_arg(src, collection, field);
        let value_var = f.intro.value_var.as_str().to_owned();
        let key_ty = match self.infer(collection) {
            Ty::List(_) => Ty::Prim(Prim::Int),
            _ => Ty::Prim(Prim::String),
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_owned());
        let (wanted_item, gives_of): (Option<Ty>, fn(Prim) -> Ty) = match &f.key_expr {
            None => (
                match ty {
                    Ty::List(p) if want != Want::Part => Some(Ty::Prim(p)),
                    _ => None,
                },
                Ty::List,
            ),
            Some(_) => (
                match ty {
                    Ty::Map(p) if want != Want::Part => Some(Ty::Prim(p)),
                    _ => None,
                },
                Ty::Map,
            ),
        };
        let n = 1 + usize::from(key_var.is_some());
        if let Some(k) = &key_var {
            self.bind(k, key_ty);
        }
        self.bind(&value_var, elem);
        let item = wanted_item.unwrap_or_else(|| self.infer(&f.value_expr));
        let key = f
            .key_expr
            .as_ref()
            .map(|k| self.typed_value(src, k, Ty::Prim(Prim::String), field));
        let value = self.typed_value(src, &f.value_expr, item, field);
        let body_params = self.params(n);
        let filter = f
            .cond
            .as_ref()
            .map(|c| self.typed_value(src, &c.expr, Ty::Prim(Prim::Bool), field));
        let filter_params = self.params(n);
        self.scope.truncate(self.scope.len() - n);
        // A `{for v in list : …}` has no key name: its closures take a `_` for it.
        let pad = |mut p: Vec<String>| {
            if f.key_expr.is_some() && key_var.is_none() {
                p.insert(0, format!("_: Expr<{}>", rust_type(key_ty)));
            }
            p.join(", ")
        };
        let (body_params, filter_params) = (pad(body_params), pad(filter_params));
        let filter = filter.map_or("None".to_owned(), |c| {
            format!("Some(Box::new(|{filter_params}| Value::<bool>::from({c})))")
        });
        let t = rust_type(item);
        let code = match (key, &key_var) {
            (None, None) => format!(
                "func::for_list({}, {coll}, |{body_params}| Value::<{t}>::from({value}), {filter})",
                rust_str(&value_var)
            ),
            // `[for k, v in …]`: a list over keys and values.
            (None, Some(k)) => format!(
                "func::for_list_pairs({}, {}, {coll}, |{body_params}| Value::<{t}>::from({value}), {filter})",
                rust_str(k),
                rust_str(&value_var)
            ),
            (Some(k), _) => format!(
                "func::for_map({}, {}, {coll}, |{body_params}| (Value::<String>::from({k}), Value::<{t}>::from({value})), {filter})",
                key_var.as_ref().map_or("None".to_owned(), |k| format!("Some({})", rust_str(k))),
                rust_str(&value_var)
            ),
        };
        let gives = match item {
            Ty::Prim(p) => gives_of(p),
            _ => Ty::Json,
        };
        Some(self.for_cast(code, gives, item, ty, want))
    }

    /// A `for` expression of `gives` (`Json` when its elements are free-form) as `ty`.
    fn for_cast(&mut self, code: String, gives: Ty, item: Ty, ty: Ty, want: Want) -> Code {
        if want == Want::Part || (gives == ty && item != Ty::Json) {
            Code::expr(code)
        } else {
            Code::expr(format!("{code}.cast()"))
        }
    }

    /// A value of `ty` as code that is `Into<Value<ty>>` (`func::null()` for `null`).
    fn typed_value(&mut self, src: Src<'_>, e: &Expression, ty: Ty, field: &str) -> String {
        match self.value(src, e, Want::Ty(ty), field) {
            Some(c) => c.text,
            None => format!("func::null::<{}>()", rust_type(ty)),
        }
    }

    /// A name a `for` expression binds, with the operators after it: `s`, `s.name`.
    pub(super) fn scoped(
        &mut self,
        src: Src<'_>,
        root: &str,
        ops: &[&TraversalOperator],
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        let pos = self.scope.iter().rposition(|s| s.name == root)?;
        self.scope[pos].used = true;
        let Scoped { ident, ty: own, .. } = self.scope[pos].clone();
        if ops.is_empty() {
            return Some(Code::expr(
                if want == Want::Part || (own == ty && own != Ty::Json) {
                    format!("&{ident}")
                } else {
                    format!("{ident}.clone().cast()")
                },
            ));
        }
        self.chain(src, ident, ops, ty, want, field)
    }

    /// `base` followed by attribute and index operators: `.get::<T>("a")`, `.index::<T>(0)`,
    /// the last of the type wanted; `None` for a splat.
    pub(super) fn chain(
        &mut self,
        src: Src<'_>,
        base: String,
        ops: &[&TraversalOperator],
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        let mut code = base;
        for (i, op) in ops.iter().enumerate() {
            let t = if i + 1 == ops.len() {
                if want == Want::Part {
                    "String".to_owned()
                } else {
                    rust_type(ty)
                }
            } else {
                "oxiform::value::Json".to_owned()
            };
            match op {
                TraversalOperator::GetAttr(a) => {
                    code = format!("{code}.get::<{t}>({})", rust_str(a.as_str()));
                }
                TraversalOperator::LegacyIndex(n) => {
                    code = format!("{code}.index::<{t}>({}_i64)", n.value());
                }
                TraversalOperator::Index(e) => {
                    let key = self.any_arg(src, e, field);
                    code = format!("{code}.index::<{t}>({key})");
                }
                _ => return None,
            }
        }
        Some(Code::expr(code))
    }
}
