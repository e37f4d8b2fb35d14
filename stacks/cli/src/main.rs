//! `cargo run -p stacks -- <command>`: the oxiform command line over this repository's stacks.

fn main() -> std::process::ExitCode {
    oxiform_cli::main(&stacks::app())
}
