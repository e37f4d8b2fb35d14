//! `floor_prod OUT [ASSET…]`: writes the document of `ai-inference-prod-inference` (from its snapshot,
//! as typed structs generated at build time) to `OUT/main.tf.json`, and copies each ASSET
//! (the router zip) into OUT — the same files `stacks synth ai-inference-prod-inference` writes, with
//! none of the work.

use std::path::PathBuf;

use oxiform_bench::{prod_floor, write_main, BoxError};

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args_os().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: floor_prod OUT [ASSET…]")?);
    if !prod_floor::AVAILABLE {
        return Err(format!(
            "no floor for ai-inference-prod-inference: {}",
            prod_floor::PROBLEM
        )
        .into());
    }
    for asset in args {
        let asset = PathBuf::from(asset);
        let bytes = std::fs::read(&asset).map_err(|e| format!("{}: {e}", asset.display()))?;
        let name = asset.file_name().ok_or("an asset needs a file name")?;
        oxiform::tf::write_atomic(&out.join(name), &bytes)?;
    }
    let mut json = serde_json::to_string_pretty(&prod_floor::document())?;
    json.push('\n');
    write_main(&out, &json)
}
