//! A stacks binary with one stack, `demo` (`oxiform_tests::review`), built from `infra.json`
//! in the current folder: the PR review script's test runs it in a base and a head checkout
//! of a throwaway repository, as `OXIFORM_CLI`, instead of building `stacks` twice.

use oxiform_cli::{App, StackDef};
use oxiform_tests::review::{stack, Spec};

fn demo() -> anyhow::Result<oxiform::Stack> {
    let text = std::fs::read_to_string("infra.json")?;
    Ok(stack(&Spec::from_json(&text)?))
}

fn main() -> std::process::ExitCode {
    oxiform_cli::main(&App::new(vec![StackDef::new("demo", demo)]))
}
