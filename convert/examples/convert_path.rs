//! Converts PATH and prints the Rust (for trying the converter out).
#![allow(clippy::unwrap_used, missing_docs)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let sources = oxiform_convert::read_sources(std::path::Path::new(&path)).unwrap();
    match oxiform_convert::convert(&sources) {
        Ok(c) => {
            print!("{}", c.rust);
            for w in &c.warnings {
                eprintln!("{}", w.render());
            }
            eprintln!("features {:?}, {:?}", c.features, t.elapsed());
        }
        Err(es) => {
            for e in es {
                eprintln!("{}", e.render());
            }
        }
    }
}
