//! Offline with nothing cached: the build fails, says what to run, and leaves no zip. A
//! test binary of its own, because it points pip at an index that refuses connections
//! through the process's environment, which the builds' tests must not see.

mod common;

use oxiform_bundle::PythonFunction;
use oxiform_core::diagnostic::ToDiagnostic;

#[test]
fn offline_with_nothing_cached_fails_and_says_what_to_run() -> Result<(), Box<dyn std::error::Error>>
{
    // No index, no links, no cache of pip's: as a machine without the network.
    std::env::set_var("PIP_INDEX_URL", "http://127.0.0.1:9/simple");
    std::env::set_var("PIP_FIND_LINKS", "/nonexistent");
    std::env::set_var("PIP_NO_CACHE_DIR", "1");
    std::env::set_var("PIP_RETRIES", "0");
    let home = tempfile::tempdir()?;
    let function = PythonFunction::new(common::router_dir())
        .requirements(common::router_dir().join("requirements.lock"))
        .home(home.path());
    let mut stack = oxiform_core::Stack::new("offline");
    let err = function
        .add(&mut stack, "router.zip")
        .err()
        .ok_or("an offline build with nothing cached must fail")?;
    let rendered = err.to_diagnostic().render();
    eprintln!("{rendered}");
    assert!(rendered.contains("failed"), "{rendered}");
    assert!(
        rendered.contains("run the same command again where it is reachable"),
        "{rendered}"
    );
    assert!(
        rendered.contains(&home.path().join("bundles").display().to_string()),
        "{rendered}"
    );
    assert!(rendered.contains("stack `offline`"), "{rendered}");
    assert!(
        rendered.contains("offline.rs:"),
        "the call site: {rendered}"
    );
    assert!(stack.assets().is_empty(), "no zip without its dependencies");
    assert!(function.cached()?.is_none());
    Ok(())
}
