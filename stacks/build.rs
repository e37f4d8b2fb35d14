//! Links the `stacks` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable has every pointer in its read-only data relocated by the
//! dynamic loader at start-up. This binary carries the AWS SDK, rustls and tokio (for
//! `whoami` and the account guard): ~39,000 such relocations, every page holding them copied
//! on write, ~170 page faults and ~0.4 ms before `main` on every run (`perf stat -e
//! page-faults target/release/stacks list`: 305 faults, 1.6 ms as a PIE; 137, 1.2 ms not).
//! Linked at a fixed address it has none. The trade-off: the executable's own image is not
//! randomised (ASLR still moves the heap, the stack and the shared libraries), as with Go
//! binaries, terraform included.
//!
//! Only for dynamically linked glibc targets: a static build (`crt-static`) is a static PIE,
//! which `-no-pie` would break. `OXIFORM_PIE=1` keeps the default (a PIE) everywhere.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=OXIFORM_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let static_crt = var("CARGO_CFG_TARGET_FEATURE")
        .split(',')
        .any(|f| f == "crt-static");
    if var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && !static_crt
        && var("OXIFORM_PIE") != "1"
    {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
