//! `cargo run -p stacks -- <command>`: the oxiform command line over this repository's stacks.

/// mimalloc rather than the system's malloc: a synth allocates a few hundred small objects per
/// resource and frees them at exit, which glibc's allocator made about a third of a large
/// synth's instructions (bench/README.md). Any binary of stacks can do the same with these two lines.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    oxiform_cli::main(&stacks::app())
}
