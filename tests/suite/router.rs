//! The model router Lambda's Python tests (`stacks/router_tests`), run by `cargo test` so
//! the routing table, the Redis cache, fallback and metrics are checked with everything
//! else. Redis is installed under `target/redis` on first use (`oxiform_emulator::redis`);
//! a system `redis-server` is neither needed nor used. They need `python3` and `openssl`; a
//! missing one is a failure that says so, never a silent skip.
//!
//! The router runs from the zip the stack ships: `router.zip` of the local app's inference
//! stack (stacks/router and redis-py from its `requirements.lock`, bundled by
//! `oxiform-bundle`: pip from PyPI on first use, then `target/bundles`), unpacked by the tests
//! into a folder first on `sys.path`, as Lambda unpacks it into `/var/task`.

use std::process::Command;

use oxiform_tests::workspace_root;

/// The router's zip as the local app's inference stack ships it.
fn router_zip() -> Vec<u8> {
    let app = stacks::ai_inference::local_app().unwrap_or_else(|e| panic!("{e:#}"));
    let name = "ai-inference-local-inference";
    let stack = app
        .stack(name)
        .unwrap_or_else(|| panic!("the local app has no stack {name}"));
    let asset = stack
        .assets()
        .iter()
        .find(|a| a.file_name() == "router.zip")
        .unwrap_or_else(|| panic!("{name} ships no router.zip"));
    asset.bytes().to_vec()
}

/// Fails with an install hint when `program` cannot run.
fn require(program: &str, args: &[&str], package: &str) {
    if let Err(e) = Command::new(program).args(args).output() {
        panic!(
            "`{program}` is needed by the router tests but cannot run ({e})\n\
             hint: apt-get install {package}"
        )
    }
}

#[test]
fn python_router_tests() {
    require("python3", &["--version"], "python3");
    require("openssl", &["version"], "openssl");
    let redis = oxiform_emulator::redis::install(&oxiform_emulator::default_home())
        .unwrap_or_else(|e| panic!("{e}"));
    let root = workspace_root();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let zip = dir.path().join("router.zip");
    std::fs::write(&zip, router_zip()).unwrap_or_else(|e| panic!("{e}"));
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
        .env("OXIFORM_REDIS_SERVER", &redis)
        .env("OXIFORM_ROUTER_ZIP", &zip)
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
    // The cache tests ran against Redis, not around it.
    assert!(
        stderr.contains("test_cache") && !stderr.contains("(skipped="),
        "the cache tests were skipped\n--- stderr\n{stderr}"
    );
}

#[test]
fn redis_is_installed_under_target_not_taken_from_the_path() {
    let home = oxiform_emulator::default_home();
    let redis = oxiform_emulator::redis::install(&home).unwrap_or_else(|e| panic!("{e}"));
    assert!(redis.starts_with(&home), "{}", redis.display());
    let out = Command::new(&redis)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", redis.display()));
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(version.starts_with("Redis server v=7"), "{version}");
}
