//! The escaping oracle: literal strings go through oxiform into Terraform JSON, terraform
//! applies the configuration, and `terraform output -json` must return every string byte for
//! byte. Terraform is the judge, not our own code.

use oxiform::builtin::TerraformData;
use oxiform::prelude::*;
use oxiform_tests::terraform::Workdir;

/// Hand-picked strings: every template opener and escape Terraform knows, and their
/// neighbours.
const TRICKY: &[&str] = &[
    "",
    "$",
    "%",
    "{",
    "}",
    "${",
    "%{",
    "$${",
    "%%{",
    "$$${",
    "%%%{",
    "${}",
    "%{}",
    "${a}",
    "%{ if true }x%{ endif }",
    "$${a}",
    "%%{a}",
    "a${b}c",
    "${var.x}",
    "${local.y}",
    "${jsonencode({})}",
    "$ {a}",
    "% {a}",
    "{$}",
    "{%}",
    "$}",
    "%}",
    "${${a}}",
    "${\"a\"}",
    "\"",
    "\\",
    "\\\"",
    "\\n",
    "\n",
    "\r\n",
    "\t",
    "'",
    "`",
    "{}",
    "{{}}",
    "${{}}",
    "{\"json\": \"${inside}\"}",
    "{\"a\":[1,2,{\"b\":null}]}",
    "[\"${x}\", \"%{y}\"]",
    "ünïcödé",
    "日本語のテキスト",
    "emoji 🦀 and ${crab}",
    "ℵ∀∃",
    "\u{00e9}",
    "  leading and trailing  ",
    "$$",
    "%%",
    "$$$$",
    "%%%%",
    "${$}",
    "%{%}",
    "~{x}",
    "#{x}",
    "@{x}",
    "$(x)",
    "$[x]",
    "end with $",
    "end with %",
    "a$",
    "a%",
    "$a",
    "%a",
    "path/${x}/y",
    "50% {off}",
    "price: $5 {usd}",
    "<>&",
    "null",
    "true",
    "1",
    "1.5",
    "-0",
    "1e10",
];

/// A seeded xorshift generator, so the random strings are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Random strings over an alphabet dense in template syntax. Only characters that are
/// stable under Unicode NFC: Terraform normalises strings to NFC, which is Terraform's
/// behaviour, not an escaping bug.
fn random_strings(count: usize) -> Vec<String> {
    const ALPHABET: &[char] = &[
        '$', '$', '%', '%', '{', '{', '}', '}', 'a', 'b', ' ', '"', '\\', '\n', '\t', '/', 'é',
        '日', '🦀', '~', ':', ',', '[', ']', '#', '!', '0',
    ];
    let mut rng = Rng(0x5EED_F00D);
    (0..count)
        .map(|_| {
            let len = (rng.next() % 12) as usize + 1;
            (0..len)
                .map(|_| ALPHABET[(rng.next() % ALPHABET.len() as u64) as usize])
                .collect()
        })
        .collect()
}

fn corpus() -> Vec<String> {
    let mut all: Vec<String> = TRICKY.iter().map(|s| (*s).to_owned()).collect();
    all.extend(random_strings(160));
    all.sort();
    all.dedup();
    all
}

#[test]
fn terraform_returns_every_literal_byte_for_byte() {
    let strings = corpus();
    assert!(strings.len() >= 200, "only {} strings", strings.len());

    let mut stack = Stack::new("escaping");
    let mut map = Map::<String>::new();
    let mut object = serde_json::Map::new();
    for (i, s) in strings.iter().enumerate() {
        stack.output(&format!("s{i}"), Output::new(s.as_str()));
        map.insert(s.clone(), Value::from(s.as_str()));
        object.insert(s.clone(), serde_json::Value::String(s.clone()));
    }
    stack.output("as_map", Output::new(map));
    let data = stack.add(
        "oracle",
        TerraformData::new().input(serde_json::Value::Object(object.clone())),
    );
    stack.output("via_terraform_data", Output::new(data.output()));
    // Literal text spliced around an expression: the joins must never form an opener
    // (`$` + `${x}` would read as the escape `$${`).
    let known = stack.add("known", TerraformData::new().input(serde_json::json!("X")));
    for (i, s) in strings.iter().enumerate() {
        let spliced = oxiform::template!("{}{}{}", s.as_str(), known.output(), s.as_str());
        stack.output(&format!("t{i}"), Output::new(spliced));
    }
    // Variable defaults are plain values, not templates: they must arrive unescaped.
    for (i, s) in strings.iter().enumerate() {
        let var: Expr<String> =
            stack.variable(&format!("v{i}"), Variable::new().default_value(s.as_str()));
        stack.output(&format!("v{i}"), Output::new(var));
    }
    let json = stack
        .synth()
        .unwrap_or_else(|e| panic!("{e}"))
        .to_json()
        .unwrap_or_default();

    let work = Workdir::new();
    work.write_main(&json);
    work.run_ok(&["init", "-input=false"]);
    work.run_ok(&["apply", "-auto-approve", "-input=false"]);
    let outputs: serde_json::Value =
        serde_json::from_str(&work.run_ok(&["output", "-json"])).unwrap_or_default();

    let mut wrong = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        let got = &outputs[format!("s{i}")]["value"];
        if got.as_str() != Some(s.as_str()) {
            wrong.push(format!("output s{i}: sent {s:?}, terraform returned {got}"));
        }
    }
    for (i, s) in strings.iter().enumerate() {
        let got = &outputs[format!("t{i}")]["value"];
        let want = format!("{s}X{s}");
        if got.as_str() != Some(want.as_str()) {
            wrong.push(format!(
                "template t{i}: sent {s:?} around an expression, terraform returned {got}"
            ));
        }
    }
    for (i, s) in strings.iter().enumerate() {
        let got = &outputs[format!("v{i}")]["value"];
        if got.as_str() != Some(s.as_str()) {
            wrong.push(format!(
                "variable default v{i}: sent {s:?}, terraform returned {got}"
            ));
        }
    }
    let expected_object = serde_json::Value::Object(object);
    if outputs["as_map"]["value"] != expected_object {
        wrong.push(format!("as_map differs: {}", outputs["as_map"]["value"]));
    }
    if outputs["via_terraform_data"]["value"] != expected_object {
        wrong.push(format!(
            "terraform_data input differs: {}",
            outputs["via_terraform_data"]["value"]
        ));
    }
    assert!(
        wrong.is_empty(),
        "{} strings changed:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
