//! The model router Lambda's Python tests (`stacks/router_tests`), run by `cargo test` so
//! the routing table, the Redis cache, fallback and metrics are checked with everything
//! else. They need `python3`, `redis-server` and `openssl` on the PATH; a missing one is a
//! failure that says how to install it, never a silent skip.

use std::process::Command;

use oxiform_tests::workspace_root;

/// Fails with an install hint when `program --version` cannot run.
fn require(program: &str, package: &str) {
    match Command::new(program).arg("--version").output() {
        Ok(_) => {}
        Err(e) => panic!(
            "`{program}` is needed by the router tests but cannot run ({e})\n\
             hint: apt-get install {package}"
        ),
    }
}

#[test]
fn python_router_tests() {
    require("python3", "python3");
    require("redis-server", "redis-server");
    require("openssl", "openssl");
    let root = workspace_root();
    let output = Command::new("python3")
        .args([
            "-m",
            "unittest",
            "discover",
            "-s",
            "stacks/router_tests",
            "-v",
        ])
        .current_dir(&root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONPATH")
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => panic!("cannot run python3 in {}: {e}", root.display()),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python3 -m unittest discover -s stacks/router_tests failed ({})\n\
         --- stdout\n{stdout}--- stderr\n{stderr}",
        output.status
    );
    // unittest reports on stderr; make sure tests ran rather than none being found
    assert!(
        stderr.contains("\nOK") && !stderr.contains("Ran 0 tests"),
        "the router tests did not run\n--- stderr\n{stderr}"
    );
}
