//! Function calls, conditionals and operators as the core's typed expressions
//! (`oxiform::func`): `join(",", var.names)` → `func::join(",", &var_names)`. A function with
//! a typed form takes its arguments as the types Terraform wants; any other function is
//! `func::call::<T>` with its arguments of any type. What has no form at all (a provider
//! function, `f(args...)`) stays raw HCL.

use hcl_edit::expr::{BinaryOperator, UnaryOperator};

use super::*;

/// The Rust type of a typed argument or result, and the `Value` it is given as.
fn value_of(ty: Ty, code: &str) -> String {
    format!("Value::<{}>::from({code})", rust_type(ty))
}

impl Lowerer<'_> {
    /// An argument of any type, as an expression that is `Into<func::Arg>`.
    pub(super) fn any_arg(&mut self, src: Src<'_>, e: &Expression, field: &str) -> String {
        let ty = self.infer(e);
        if ty == Ty::Json {
            if let Some(code) = self.mixed(src, e, field) {
                return code;
            }
        }
        match self.value(src, e, Want::Ty(ty), field) {
            None => format!("func::null::<{}>()", rust_type(ty)),
            Some(c) => match ty {
                Ty::List(_) | Ty::Map(_) => value_of(ty, &c.text),
                // `Into<Arg>` says no type: the cast names it.
                _ => match c.text.strip_suffix(".cast()") {
                    Some(base) => format!("{base}.cast::<{}>()", rust_type(ty)),
                    None => c.text,
                },
            },
        }
    }

    /// An object or tuple literal of values of any type, each typed: an `Expr<Json>`;
    /// `None` for another expression or a computed key.
    pub(super) fn mixed(&mut self, src: Src<'_>, e: &Expression, field: &str) -> Option<String> {
        match e {
            Expression::Object(o) => {
                let mut entries = Vec::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_owned(),
                        ObjectKey::Expression(Expression::String(s)) => s.as_str().to_owned(),
                        _ => return None,
                    };
                    let value = self.any_arg(src, v.expr(), field);
                    entries.push(format!("({}, func::Arg::from({value}))", rust_str(&key)));
                }
                Some(format!(
                    "func::object::<oxiform::value::Json>(vec![{}])",
                    entries.join(", ")
                ))
            }
            Expression::Array(items) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|i| format!("func::Arg::from({})", self.any_arg(src, i, field)))
                    .collect();
                Some(format!(
                    "func::tuple::<oxiform::value::Json>(vec![{}])",
                    items.join(", ")
                ))
            }
            _ => None,
        }
    }

    /// An argument of type `ty`, as an expression that is `Into<Value<ty>>`.
    fn typed_arg(&mut self, src: Src<'_>, e: &Expression, ty: Ty, field: &str) -> String {
        match self.value(src, e, Want::Ty(ty), field) {
            Some(c) => c.text,
            None => format!("func::null::<{}>()", rust_type(ty)),
        }
    }

    /// `f(args…)` as a typed call; `None` when it has no typed form.
    pub(super) fn call(
        &mut self,
        src: Src<'_>,
        f: &hcl_edit::expr::FuncCall,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Option<Code> {
        if !f.name.namespace.is_empty() || f.args.expand_final() {
            return None;
        }
        let name = f.name.name.as_str();
        let args: Vec<&Expression> = f.args.iter().collect();
        let string = Ty::Prim(Prim::String);
        let int = Ty::Prim(Prim::Int);
        // What the call gives, for the cast to what is wanted.
        let (code, gives) = match (name, args.as_slice(), ty) {
            ("format", [spec, rest @ ..], _) => {
                let spec = self.typed_arg(src, spec, string, field);
                let rest: Vec<String> = rest
                    .iter()
                    .map(|a| format!("func::Arg::from({})", self.any_arg(src, a, field)))
                    .collect();
                (
                    format!("func::format({spec}, vec![{}])", rest.join(", ")),
                    string,
                )
            }
            ("join", [sep, list], _) => {
                let sep = self.typed_arg(src, sep, string, field);
                let list = self.typed_arg(src, list, Ty::List(Prim::String), field);
                (format!("func::join({sep}, {list})"), string)
            }
            ("split", [sep, text], _) => {
                let sep = self.typed_arg(src, sep, string, field);
                let text = self.typed_arg(src, text, string, field);
                (
                    format!("func::split({sep}, {text})"),
                    Ty::List(Prim::String),
                )
            }
            ("lookup", [map, key, default], Ty::Prim(p)) => {
                let map = self.typed_arg(src, map, Ty::Map(p), field);
                let key = self.typed_arg(src, key, string, field);
                let default = self.typed_arg(src, default, Ty::Prim(p), field);
                (
                    format!("func::lookup::<{}>({map}, {key}, {default})", rust_type(ty)),
                    ty,
                )
            }
            ("merge", maps @ [_, ..], Ty::Map(p)) => {
                let maps: Vec<String> = maps
                    .iter()
                    .map(|m| value_of(ty, &self.typed_arg(src, m, ty, field)))
                    .collect();
                (
                    format!(
                        "func::merge::<{}>(vec![{}])",
                        rust_type(Ty::Prim(p)),
                        maps.join(", ")
                    ),
                    ty,
                )
            }
            ("concat", lists @ [_, ..], Ty::List(p)) => {
                let lists: Vec<String> = lists
                    .iter()
                    .map(|l| value_of(ty, &self.typed_arg(src, l, ty, field)))
                    .collect();
                (
                    format!(
                        "func::concat::<{}>(vec![{}])",
                        rust_type(Ty::Prim(p)),
                        lists.join(", ")
                    ),
                    ty,
                )
            }
            ("length", [c], _) => {
                let c = self.any_arg(src, c, field);
                (format!("func::length({c})"), int)
            }
            ("element", [list, index], Ty::Prim(p)) => {
                let list = self.typed_arg(src, list, Ty::List(p), field);
                let index = self.typed_arg(src, index, int, field);
                (
                    format!("func::element::<{}>({list}, {index})", rust_type(ty)),
                    ty,
                )
            }
            ("coalesce" | "try", values @ [_, ..], Ty::Prim(_) | Ty::List(_) | Ty::Map(_)) => {
                let values: Vec<String> = values
                    .iter()
                    .map(|v| value_of(ty, &self.typed_arg(src, v, ty, field)))
                    .collect();
                let f = if name == "try" { "try_" } else { name };
                (
                    format!(
                        "func::{f}::<{}>(vec![{}])",
                        rust_type(ty),
                        values.join(", ")
                    ),
                    ty,
                )
            }
            ("tomap", [value], Ty::Map(p)) => {
                let value = self.any_arg(src, value, field);
                (
                    format!("func::tomap::<{}>({value})", rust_type(Ty::Prim(p))),
                    ty,
                )
            }
            ("toset", [list], Ty::List(p)) => {
                let list = self.typed_arg(src, list, ty, field);
                (
                    format!("func::toset::<{}>({list})", rust_type(Ty::Prim(p))),
                    ty,
                )
            }
            ("cidrsubnet", [prefix, newbits, netnum], _) => {
                let prefix = self.typed_arg(src, prefix, string, field);
                let newbits = self.typed_arg(src, newbits, int, field);
                let netnum = self.typed_arg(src, netnum, int, field);
                (
                    format!("func::cidrsubnet({prefix}, {newbits}, {netnum})"),
                    string,
                )
            }
            ("file", [path], _) => {
                let path = self.typed_arg(src, path, string, field);
                (format!("func::file({path})"), string)
            }
            ("templatefile", [path, vars], _) => {
                let path = self.typed_arg(src, path, string, field);
                let vars = self.any_arg(src, vars, field);
                (format!("func::templatefile({path}, {vars})"), string)
            }
            _ => {
                let gives = if want == Want::Part { string } else { ty };
                let args: Vec<String> = args
                    .iter()
                    .map(|a| format!("func::Arg::from({})", self.any_arg(src, a, field)))
                    .collect();
                (
                    format!(
                        "func::call::<{}>({}, vec![{}])",
                        rust_type(gives),
                        rust_str(name),
                        args.join(", ")
                    ),
                    gives,
                )
            }
        };
        Some(cast(code, gives, ty, want))
    }

    /// `c ? a : b` as `func::cond`.
    pub(super) fn conditional(
        &mut self,
        src: Src<'_>,
        c: &hcl_edit::expr::Conditional,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        let branches = match (want, ty) {
            (Want::Part, _) => Ty::Prim(Prim::String),
            (_, Ty::Json) => {
                let (a, b) = (self.infer(&c.true_expr), self.infer(&c.false_expr));
                if a == b || matches!(c.false_expr, Expression::Null(_)) {
                    a
                } else if matches!(c.true_expr, Expression::Null(_)) {
                    b
                } else {
                    Ty::Json
                }
            }
            _ => ty,
        };
        let cond = self.typed_arg(src, &c.cond_expr, Ty::Prim(Prim::Bool), field);
        let a = self.typed_arg(src, &c.true_expr, branches, field);
        let b = self.typed_arg(src, &c.false_expr, branches, field);
        cast(
            format!("func::cond::<{}>({cond}, {a}, {b})", rust_type(branches)),
            branches,
            ty,
            want,
        )
    }

    /// `a op b` as `func::compare` or `func::arith`.
    pub(super) fn binary(
        &mut self,
        src: Src<'_>,
        op: &hcl_edit::expr::BinaryOp,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        let cmp = match *op.operator.value() {
            BinaryOperator::Eq => Some("Eq"),
            BinaryOperator::NotEq => Some("Ne"),
            BinaryOperator::Less => Some("Lt"),
            BinaryOperator::LessEq => Some("Le"),
            BinaryOperator::Greater => Some("Gt"),
            BinaryOperator::GreaterEq => Some("Ge"),
            BinaryOperator::And => Some("And"),
            BinaryOperator::Or => Some("Or"),
            _ => None,
        };
        let l = self.any_arg(src, &op.lhs_expr, field);
        let r = self.any_arg(src, &op.rhs_expr, field);
        if let Some(c) = cmp {
            let bool_ty = Ty::Prim(Prim::Bool);
            return cast(
                format!("func::compare({l}, func::Cmp::{c}, {r})"),
                bool_ty,
                ty,
                want,
            );
        }
        let arith = match *op.operator.value() {
            BinaryOperator::Plus => "Add",
            BinaryOperator::Minus => "Sub",
            BinaryOperator::Mul => "Mul",
            BinaryOperator::Div => "Div",
            _ => "Rem",
        };
        let number = match ty {
            Ty::Prim(p @ (Prim::Int | Prim::Float | Prim::Number)) => Ty::Prim(p),
            _ => match (self.infer(&op.lhs_expr), self.infer(&op.rhs_expr)) {
                (Ty::Prim(Prim::Int), Ty::Prim(Prim::Int)) => Ty::Prim(Prim::Int),
                _ => Ty::Prim(Prim::Float),
            },
        };
        cast(
            format!(
                "func::arith::<{}>({l}, func::Arith::{arith}, {r})",
                rust_type(number)
            ),
            number,
            ty,
            want,
        )
    }

    /// `!a` as `func::not`, `-a` as `0 - a`.
    pub(super) fn unary(
        &mut self,
        src: Src<'_>,
        op: &hcl_edit::expr::UnaryOp,
        ty: Ty,
        want: Want,
        field: &str,
    ) -> Code {
        match *op.operator.value() {
            UnaryOperator::Not => {
                let a = self.typed_arg(src, &op.expr, Ty::Prim(Prim::Bool), field);
                cast(format!("func::not({a})"), Ty::Prim(Prim::Bool), ty, want)
            }
            UnaryOperator::Neg => {
                let number = match ty {
                    Ty::Prim(p @ (Prim::Int | Prim::Float | Prim::Number)) => Ty::Prim(p),
                    _ => Ty::Prim(Prim::Float),
                };
                let a = self.any_arg(src, &op.expr, field);
                cast(
                    format!(
                        "func::arith::<{}>(0, func::Arith::Sub, {a})",
                        rust_type(number)
                    ),
                    number,
                    ty,
                    want,
                )
            }
        }
    }
}

/// `code`, an expression of type `gives`, as the `ty` wanted (a template's hole takes any).
fn cast(code: String, gives: Ty, ty: Ty, want: Want) -> Code {
    if want == Want::Part || gives == ty {
        Code::expr(code)
    } else {
        Code::expr(format!("{code}.cast()"))
    }
}
