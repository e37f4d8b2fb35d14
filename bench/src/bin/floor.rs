//! `floor N OUT`: writes the same `OUT/main.tf.json` as `synth_copies N OUT` from plain
//! `#[derive(Serialize)]` structs — the serialisation floor, as a process.

use oxiform_bench::{copies_and_out, floor_document, write_main, BoxError};

fn main() -> Result<(), BoxError> {
    let (n, out) = copies_and_out("floor N OUT")?;
    write_main(&out, &floor_document(n).to_json()?)
}
