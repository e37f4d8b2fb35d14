//! The module's text: header, imports, `build`, formatted by rustfmt.

use std::io::Write as _;
use std::process::{Command, Stdio};

use oxiform_core::diagnostic::Diagnostic;

use crate::lower::{Module, ModuleFn};

/// The module's text (unformatted) and its features.
pub(crate) fn module(m: &Module) -> (String, Vec<String>) {
    let mut out = String::new();
    let sources: Vec<String> = m.sources.iter().map(|s| format!("`{s}`")).collect();
    let features: Vec<String> = m.features.iter().cloned().collect();
    out.push_str(&format!(
        "//! Converted from {} by `oxiform convert` (AWS provider {}).\n",
        sources.join(", "),
        m.version
    ));
    if !features.is_empty() {
        let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        out.push_str(&format!(
            "//!\n//! Needs `oxiform = {{ …, features = [{}] }}`.\n",
            quoted.join(", ")
        ));
    }
    out.push('\n');
    // Grouped by module path: `use oxiform::aws::s3::{s3_bucket, S3Bucket};`.
    let mut groups: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for path in &m.imports {
        if let Some((module, item)) = path.rsplit_once("::") {
            groups.entry(module).or_default().push(item);
        }
    }
    for (module, items) in &groups {
        if let [one] = items.as_slice() {
            out.push_str(&format!("use {module}::{one};\n"));
        } else {
            out.push_str(&format!("use {module}::{{{}}};\n", items.join(", ")));
        }
    }
    out.push_str("use oxiform::prelude::*;\n\n");
    let what = if m.sources.len() == 1 {
        "the module declares"
    } else {
        "the files declare"
    };
    out.push_str(&format!(
        "/// Adds what {what} to `stack`.\npub fn build(stack: &mut Stack) {{\n"
    ));
    body(m, &mut out);
    out.push_str("}\n");
    for f in &m.functions {
        function(f, &mut out);
    }
    for item in &m.items {
        out.push('\n');
        out.push_str(item);
    }
    (out, features)
}

/// The statements of a function's body.
fn body(m: &Module, out: &mut String) {
    let mut first = true;
    for d in &m.decls {
        if d.code.is_empty() && d.todos.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        for t in &d.todos {
            out.push_str(&format!("    // {t}\n"));
        }
        for p in &d.pre {
            out.push_str(&format!("    {p}\n"));
        }
        if d.code.is_empty() {
            continue;
        }
        if m.used.contains(&d.key) && !d.binding.is_empty() {
            out.push_str(&format!("    let {} = {};\n", d.binding, d.code));
        } else {
            out.push_str(&format!("    {};\n", d.code));
        }
    }
}

/// A module folder's function, with its inputs and outputs structs (`lower/module.rs`).
fn function(f: &ModuleFn, out: &mut String) {
    let module = format!("./{}", f.dir);
    out.push_str(&format!(
        "\n/// What the module `{module}` takes: its variables (`None` keeps a default).\n\
         pub struct {} {{\n",
        f.inputs_struct
    ));
    for i in &f.inputs {
        let doc = if i.doc.is_empty() {
            format!("`var.{}`", i.tf)
        } else {
            format!("`var.{}`: {}", i.tf, i.doc)
        };
        let t = format!("Value<{}>", crate::lower::rust_type_of(i.ty));
        let t = if i.required {
            t
        } else {
            format!("Option<{t}>")
        };
        out.push_str(&format!("    /// {doc}\n    pub {}: {t},\n", i.rust));
    }
    out.push_str("}\n");
    out.push_str(&format!(
        "\n/// What the module `{module}` gives: its outputs.\npub struct {} {{\n",
        f.outputs_struct
    ));
    for o in &f.outputs {
        out.push_str(&format!(
            "    /// `output.{}`.\n    pub {}: Expr<{}>,\n",
            o.tf,
            o.rust,
            crate::lower::rust_type_of(o.ty)
        ));
    }
    out.push_str("}\n");
    out.push_str(&format!(
        "\n/// The module `{module}`: adds its resources to `stack`, named `{{module}}_…`, each \
         with a `moved` block from `module.{{module}}.…`, where a call of the module named \
         `module` kept them.\n\
         pub fn {}(stack: &mut Stack, module: &str, inputs: {}) -> {} {{\n",
        f.name, f.inputs_struct, f.outputs_struct
    ));
    body(&f.body, out);
    let fields: Vec<String> = f
        .outputs
        .iter()
        .map(|o| {
            let binding = f
                .body
                .decls
                .iter()
                .find(|d| d.key == format!("output:{}", o.tf))
                .map_or_else(String::new, |d| d.binding.clone());
            format!("{}: {binding}", o.rust)
        })
        .collect();
    out.push_str(&format!(
        "    {} {{ {} }}\n}}\n",
        f.outputs_struct,
        fields.join(", ")
    ));
}

/// `text` formatted by `rustfmt --edition 2021`.
pub(crate) fn rustfmt(text: &str) -> Result<String, Diagnostic> {
    let fail = |e: String| {
        Diagnostic::error(e)
            .lead("cannot format the Rust written")
            .hint("`rustfmt` must be on the PATH (`rustup component add rustfmt`)")
    };
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run rustfmt: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| fail("no stdin".to_owned()))?;
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| fail(format!("rustfmt failed: {e}")))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(fail(format!(
            "rustfmt refused it: {}\n{text}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    String::from_utf8(output.stdout).map_err(|e| fail(e.to_string()))
}
