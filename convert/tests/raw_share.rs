//! The share of the corpus' expressions `convert` keeps as raw HCL, pinned: it may only go
//! down. Every module of `tests/fixtures/convert-corpus` (the round-trip corpus) counts,
//! each expression node once (`f(x)` is two), a raw `f(x)` two raw nodes; a block written
//! where the provider wants an argument (a security group's `ingress`) is raw, one node for
//! the object and one for each node of its attributes.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use oxiform_convert::{convert, read_sources, RawShare};

/// The share kept raw across the corpus, in per mille. Lower it when the converter types
/// more; the test fails when the share goes up.
const PINNED_PER_MILLE: usize = 61;

#[test]
fn raw_hcl_share_across_the_corpus_only_goes_down() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/convert-corpus");
    let mut modules: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    modules.sort();
    let mut total = RawShare::default();
    let mut report = String::from("module: raw / expressions\n");
    for m in &modules {
        let c =
            convert(&read_sources(m).unwrap()).unwrap_or_else(|e| panic!("{}: {e:?}", m.display()));
        report.push_str(&format!(
            "{}: {} / {}\n",
            m.file_name().unwrap().to_string_lossy(),
            c.raw.raw,
            c.raw.expressions
        ));
        total.add(c.raw);
    }
    report.push_str(&format!(
        "corpus: {} / {} = {} per mille",
        total.raw,
        total.expressions,
        total.per_mille()
    ));
    eprintln!("{report}");
    let measured = total.per_mille();
    assert!(
        measured <= PINNED_PER_MILLE,
        "the corpus keeps more of its expressions as raw HCL than pinned ({measured} > \
         {PINNED_PER_MILLE} per mille): type what was typed before\n{report}"
    );
    assert!(
        measured == PINNED_PER_MILLE,
        "the raw share went down to {measured} per mille: pin it (PINNED_PER_MILLE = \
         {measured})\n{report}"
    );
}
