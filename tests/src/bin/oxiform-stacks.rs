//! The stacks binary as the tests run it: `stacks::app()` behind `oxiform_cli::main`.

fn main() -> std::process::ExitCode {
    oxiform_cli::main(&stacks::app())
}
