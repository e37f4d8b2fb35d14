//! Generates the floor for `ai-inference-prod-inference` (the largest stack of the app
//! `ai-inference-prod`, with the router zip): plain `#[derive(Serialize)]` structs holding
//! exactly the document of the stack's checked-in snapshot
//! (`snapshots/stack_ai-inference-prod-inference.snap`), so the floor program writes the same bytes as
//! `stacks synth ai-inference-prod-inference` without any of oxiform. Regenerated whenever the snapshot
//! changes; a missing or unreadable snapshot gives a stub that says so at run time instead of
//! breaking the build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

const SNAPSHOT: &str = "../snapshots/stack_ai-inference-prod-inference.snap";

/// JSON with object entries in document order (serde_json's own map may sort them).
enum J {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = J;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<J, E> {
                Ok(J::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<J, E> {
                Ok(J::I64(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<J, E> {
                Ok(J::U64(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<J, E> {
                Ok(J::F64(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<J, E> {
                Ok(J::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<J, E> {
                Ok(J::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(J::Arr(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(J::Obj(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Struct definitions, deduplicated by their text.
#[derive(Default)]
struct Gen {
    defs: Vec<String>,
}

impl Gen {
    /// The Rust type of `j` and an expression constructing it.
    fn value(&mut self, j: &J) -> Result<(String, String), String> {
        Ok(match j {
            J::Null => ("Option<u8>".into(), "None".into()),
            J::Bool(b) => ("bool".into(), b.to_string()),
            J::I64(n) => ("i64".into(), format!("{n}_i64")),
            J::U64(n) => ("u64".into(), format!("{n}_u64")),
            J::F64(x) => ("f64".into(), format!("f64::from_bits({}_u64)", x.to_bits())),
            J::Str(s) => ("&'static str".into(), format!("{s:?}")),
            J::Arr(items) => {
                let parts = items
                    .iter()
                    .map(|i| self.value(i))
                    .collect::<Result<Vec<_>, _>>()?;
                let values: Vec<&str> = parts.iter().map(|(_, v)| v.as_str()).collect();
                if parts.is_empty() {
                    ("[u8; 0]".into(), "[]".into())
                } else if parts.iter().all(|(t, _)| *t == parts[0].0) {
                    (
                        format!("Vec<{}>", parts[0].0),
                        format!("vec![{}]", values.join(", ")),
                    )
                } else if parts.len() <= 16 {
                    let types: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
                    (
                        format!("({},)", types.join(", ")),
                        format!("({},)", values.join(", ")),
                    )
                } else {
                    return Err("an array of more than 16 differently shaped items".into());
                }
            }
            J::Obj(entries) => {
                let mut def = String::from("#[derive(Serialize)]\npub struct S {\n");
                let mut ctor = String::new();
                for (i, (key, value)) in entries.iter().enumerate() {
                    let (ty, expr) = self.value(value)?;
                    let _ = writeln!(def, "    #[serde(rename = {key:?})]\n    f{i}: {ty},");
                    let _ = write!(ctor, "f{i}: {expr}, ");
                }
                def.push_str("}\n");
                let index = match self.defs.iter().position(|d| *d == def) {
                    Some(i) => i,
                    None => {
                        self.defs.push(def);
                        self.defs.len() - 1
                    }
                };
                (format!("S{index}"), format!("S{index} {{ {ctor}}}"))
            }
        })
    }
}

fn generate(snapshot: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(snapshot).map_err(|e| e.to_string())?;
    // An insta snapshot: a `---` header block, then the document.
    let body = text
        .splitn(3, "---\n")
        .nth(2)
        .ok_or("no insta header in the snapshot")?;
    let json: J = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let mut gen = Gen::default();
    let (ty, expr) = gen.value(&json)?;
    let mut out = String::from("use serde::Serialize;\n\n");
    out.push_str(
        "/// The floor was generated from the snapshot.\npub const AVAILABLE: bool = true;\n",
    );
    out.push_str("/// Nothing went wrong.\npub const PROBLEM: &str = \"\";\n");
    let _ = writeln!(
        out,
        "/// The document's exact bytes, as checked in.\npub const EXPECTED: &str = {body:?};\n"
    );
    for (i, def) in gen.defs.iter().enumerate() {
        out.push_str(&def.replacen("pub struct S ", &format!("pub struct S{i} "), 1));
    }
    let _ = writeln!(
        out,
        "/// The document, built from typed structs.\npub fn document() -> {ty} {{\n    {expr}\n}}"
    );
    Ok(out)
}

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let snapshot = dir.join(SNAPSHOT);
    println!("cargo:rerun-if-changed={}", snapshot.display());
    println!("cargo:rerun-if-changed=build.rs");
    let code = generate(&snapshot).unwrap_or_else(|problem| {
        format!(
            "/// The floor could not be generated.\npub const AVAILABLE: bool = false;\n\
             /// Why not.\npub const PROBLEM: &str = {:?};\n\
             /// Nothing.\npub const EXPECTED: &str = \"\";\n\
             /// Nothing.\npub fn document() -> Option<u8> {{ None }}\n",
            format!("{}: {problem}", snapshot.display())
        )
    });
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("prod_floor.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("writing {}: {e}", out.display());
    }
}
