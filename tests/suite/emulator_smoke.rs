//! The AWS API emulator fixture: it starts on loopback, answers with the emulated account,
//! carries this repository's patches, and stops when dropped.

use std::net::TcpStream;

use oxiform_tests::emulator::{Emulator, ACCOUNT_ID};

#[test]
fn emulator_answers_sts_and_stops_on_drop() {
    let emulator = Emulator::start();
    let url = emulator.url();
    assert_eq!(url, format!("http://127.0.0.1:{}", emulator.port()));

    let identity = emulator.query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
    assert_eq!(identity.status, 200, "{identity:?}\n{}", emulator.log());
    assert!(
        identity
            .body
            .contains(&format!("<Account>{ACCOUNT_ID}</Account>")),
        "GetCallerIdentity answered without account {ACCOUNT_ID}:\n{}",
        identity.body
    );

    // A patched action: moto itself has no cache parameter groups.
    let groups = emulator.query(
        "elasticache",
        "Action=DescribeCacheParameterGroups&Version=2015-02-02&CacheParameterGroupName=default.redis7",
    );
    assert_eq!(groups.status, 200, "{groups:?}\n{}", emulator.log());
    assert!(
        groups
            .body
            .contains("<CacheParameterGroupFamily>redis7</CacheParameterGroupFamily>"),
        "{}",
        groups.body
    );

    let env = emulator.provider_env();
    assert!(
        env.contains(&("AWS_ENDPOINT_URL".to_owned(), url.clone())),
        "{env:?}"
    );
    assert!(
        emulator.log().contains("sts GetCallerIdentity -> 200"),
        "{}",
        emulator.log()
    );

    let addr = format!("127.0.0.1:{}", emulator.port());
    drop(emulator);
    assert!(
        TcpStream::connect(&addr).is_err(),
        "the emulator still listens on {addr} after drop"
    );
}

#[test]
fn the_emulator_command_on_a_taken_port_says_so_and_how_to_fix_it() {
    // Installed first, so that the command's output is the same on a first run.
    oxiform_tests::emulator::installed();
    let holder = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap_or_else(|e| panic!("{e}"));
    let port = holder.local_addr().unwrap_or_else(|e| panic!("{e}")).port();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oxiform-stacks"))
        .args(["emulator", "--port", &port.to_string()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("emulator failed to listen on 127.0.0.1:{port}")),
        "the emulator's own reason is shown:\n{stderr}"
    );
    let ours = stderr
        .lines()
        .skip_while(|line| !line.starts_with("error: "))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&port.to_string(), "<port>");
    oxiform_tests::snapshot!("emulator_port_taken", ours);
}
