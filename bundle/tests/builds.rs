//! Real builds with pip from PyPI (the network is needed on first use, as in CI): the
//! router's bundle built twice from scratch is the same bytes, is cached, holds what the
//! Lambda runtime imports and nothing that records the installation; a changed lock changes
//! the zip's hash.

mod common;

use std::fs;

use oxiform_bundle::{Architecture, PythonFunction};
use oxiform_core::asset::base64;
use sha2::{Digest, Sha256};

use common::{entries, router_dir};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn router_in(home: &std::path::Path) -> PythonFunction {
    PythonFunction::new(router_dir())
        .requirements(router_dir().join("requirements.lock"))
        .runtime("python3.12")
        .architecture(Architecture::X86_64)
        .home(home)
}

#[test]
fn two_clean_builds_in_different_target_folders_are_byte_identical() -> TestResult {
    let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let first = router_in(a.path()).build()?;
    let second = router_in(b.path()).build()?;
    assert!(
        first.zip() == second.zip(),
        "the zips built in {} and {} differ",
        a.path().display(),
        b.path().display()
    );
    assert_eq!(first.key(), second.key());

    // Cached under each home, by the inputs' hash; the next build reads it.
    let cached = first.path().ok_or("a bundle with requirements is cached")?;
    assert!(
        cached.starts_with(a.path().join("bundles")),
        "{}",
        cached.display()
    );
    assert!(cached.ends_with("bundle.zip"));
    let before = fs::metadata(cached)?.modified()?;
    let again = router_in(a.path()).build()?;
    assert_eq!(again.zip(), first.zip());
    assert_eq!(
        fs::metadata(cached)?.modified()?,
        before,
        "rebuilt instead of read"
    );
    assert_eq!(router_in(a.path()).cached()?.as_ref(), Some(&first));

    // What the Lambda runtime imports: the sources and redis-py at the root.
    let names: Vec<String> = entries(first.zip()).into_iter().map(|(n, _)| n).collect();
    for wanted in [
        "router.py",
        "cache.py",
        "redis/__init__.py",
        "redis/client.py",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} missing: {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("redis-8.2.0.dist-info/METADATA")),
        "{names:?}"
    );
    // Nothing that records the installation, and not the lock (an input, not a source).
    for name in &names {
        assert!(
            !(name.contains("__pycache__")
                || name.ends_with(".pyc")
                || name.ends_with("/RECORD")
                || name.ends_with("/INSTALLER")
                || name.ends_with("/direct_url.json")
                || name.starts_with("bin/")
                || name == "requirements.lock"),
            "{name} is in the zip"
        );
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    Ok(())
}

#[test]
fn a_changed_lock_changes_the_hash() -> TestResult {
    // One home for both builds (the real target folder: pip's venv is shared with the
    // stacks' builds), a function folder of its own with its lock outside.
    let home = oxiform_emulator::default_home();
    let dir = tempfile::tempdir()?;
    let source = dir.path().join("app");
    fs::create_dir(&source)?;
    fs::write(
        source.join("app.py"),
        "import redis\n\ndef handler(event, context):\n    return redis.__version__\n",
    )?;
    let lock = dir.path().join("requirements.lock");
    let function = PythonFunction::new(&source).requirements(&lock).home(&home);

    fs::copy(router_dir().join("requirements.lock"), &lock)?;
    let current = function.build()?;
    fs::write(
        &lock,
        "redis==8.1.0 \\\n    \
         --hash=sha256:a4fe1aac3d3b3cc791d4b3d5931c5a956045dc951ee74d1c913ee3ac4d2ee9fb\n",
    )?;
    let older = function.build()?;

    assert_ne!(current.key(), older.key(), "the inputs' hash");
    let hash = |zip: &[u8]| base64(&Sha256::digest(zip));
    assert_ne!(
        hash(current.zip()),
        hash(older.zip()),
        "the source_code_hash of the zips"
    );
    let names = |zip: &[u8]| -> Vec<String> { entries(zip).into_iter().map(|(n, _)| n).collect() };
    assert!(names(older.zip())
        .iter()
        .any(|n| n.starts_with("redis-8.1.0.dist-info/")));
    assert!(names(current.zip())
        .iter()
        .any(|n| n.starts_with("redis-8.2.0.dist-info/")));

    // A lock whose hash does not match what PyPI serves is refused by pip: no zip.
    fs::write(
        &lock,
        "redis==8.1.0 \\\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    )?;
    let err = function
        .build()
        .err()
        .ok_or("a wrong hash must fail the build")?;
    assert!(err.message().contains("pip install"), "{err}");
    assert!(err.message().contains("HASHES"), "{err}");
    assert!(function.cached()?.is_none());
    Ok(())
}

#[test]
fn a_package_that_shadows_a_source_is_refused() -> TestResult {
    let home = oxiform_emulator::default_home();
    let dir = tempfile::tempdir()?;
    let source = dir.path().join("clash");
    fs::create_dir_all(source.join("redis"))?;
    fs::write(source.join("redis").join("__init__.py"), "# mine\n")?;
    fs::copy(
        router_dir().join("requirements.lock"),
        source.join("requirements.lock"),
    )?;
    let err = PythonFunction::new(&source)
        .requirements(source.join("requirements.lock"))
        .home(&home)
        .build()
        .err()
        .ok_or("a clash must fail")?;
    assert!(err.message().contains("`redis/__init__.py`"), "{err}");
    Ok(())
}
