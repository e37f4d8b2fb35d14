//! `synth_app N OUT [--star] [--files]`: builds an app of N stacks, stack `seed-i` holding
//! copy `i` of the seed architecture (the resources of `synth_copies N`), N − 1 of them
//! reading another's export (stack i reads stack i − 1; `--star`: every stack reads
//! `seed-0`), checks and synthesises the app, serialises every stack's document to a
//! `String` and writes them — one whole synth of an app, as a process.
//!
//! By default the documents are written one after the other into the one file
//! `OUT/main.tf.json` (staged, flushed and renamed as `synth_copies` writes its one
//! document, without joining them into one `String` first): the same file-system work, so
//! the comparison is of synth alone. `--files` writes each
//! document to `OUT/<stack>/main.tf.json`, as the command line writes an app (one flushed
//! file per stack).

use std::path::PathBuf;

use oxiform_bench::{seed_app, synth_app_json, write_main, write_main_parts, BoxError, Shape};

fn main() -> Result<(), BoxError> {
    let usage = "usage: synth_app N OUT [--star] [--files]";
    let mut positional = Vec::new();
    let (mut shape, mut files) = (Shape::Chain, false);
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--star" => shape = Shape::Star,
            "--files" => files = true,
            _ if arg.starts_with("--") => return Err(format!("unknown {arg}\n{usage}").into()),
            _ => positional.push(arg),
        }
    }
    let [n, out] = positional.as_slice() else {
        return Err(usage.into());
    };
    let n: usize = n
        .parse()
        .map_err(|e| format!("{n:?} is not a number of stacks: {e}\n{usage}"))?;
    let out = PathBuf::from(out);

    let app = seed_app(n, shape);
    let docs = synth_app_json(&app)?;
    if files {
        for (stack, json) in &docs {
            write_main(&out.join(stack), json)?;
        }
        Ok(())
    } else {
        let parts: Vec<&str> = docs.iter().map(|(_, json)| json.as_str()).collect();
        write_main_parts(&out, &parts)
    }
}
