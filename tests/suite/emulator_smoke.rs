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
