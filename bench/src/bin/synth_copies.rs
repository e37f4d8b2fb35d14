//! `synth_copies N OUT`: builds N copies of the seed architecture with oxiform, checks and
//! synthesises the stack, and writes `OUT/main.tf.json` — one whole synth, as a process.

use oxiform_bench::{copies_and_out, seed_copies, write_main, BoxError};

fn main() -> Result<(), BoxError> {
    let (n, out) = copies_and_out("synth_copies N OUT")?;
    let stack = seed_copies(n);
    let doc = stack.synth().map_err(|e| e.to_string())?;
    write_main(&out, &doc.to_json()?)
}
