//! The state bucket of a stack whose S3 backend is an emulator on loopback (a local app):
//! created when missing, so that trying an app locally needs no set-up step. A bucket on a
//! real S3 endpoint is never created here: where a team's state lives is its own decision.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;

/// The bucket, region and emulator URL of `document`'s S3 backend, when it points at an
/// emulator on loopback.
pub(crate) fn emulator_bucket(document: &serde_json::Value) -> Option<(String, String, String)> {
    let s3 = document.pointer("/terraform/backend/s3")?;
    let url = s3.pointer("/endpoints/s3")?.as_str()?;
    let host = url.strip_prefix("http://")?.split('/').next()?;
    let loopback = ["127.", "localhost:", "[::1]:"]
        .iter()
        .any(|p| host.starts_with(p));
    loopback.then(|| {
        (
            s3["bucket"].as_str().unwrap_or_default().to_owned(),
            s3["region"].as_str().unwrap_or("us-east-1").to_owned(),
            host.to_owned(),
        )
    })
}

/// Creates `bucket` on the S3 emulator at `host` (`127.0.0.1:5000`) unless it is there
/// already; true when it was created.
pub(crate) fn ensure(bucket: &str, region: &str, host: &str) -> anyhow::Result<bool> {
    // S3's CreateBucket: us-east-1 takes no body, every other region names itself.
    let body = if region == "us-east-1" {
        String::new()
    } else {
        format!(
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
        )
    };
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let unreachable = || {
        Diagnostic::error(format!(
            "the state bucket `{bucket}` lives on the S3 emulator at http://{host}, which does not answer"
        ))
        .hint("start it first (`emulator` in another terminal), or set OXIFORM_EMULATOR_URL to where it listens")
    };
    let mut stream = TcpStream::connect(host).with_context(unreachable)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .with_context(unreachable)?;
    let status = response.split(' ').nth(1).unwrap_or_default();
    match status {
        "200" => Ok(!response.contains("BucketAlreadyOwnedByYou")),
        "409" if response.contains("BucketAlreadyOwnedByYou") => Ok(false),
        _ => Err(Diagnostic::error(format!(
            "creating the state bucket `{bucket}` on the S3 emulator at http://{host} failed: {}",
            response.lines().next().unwrap_or("no answer")
        ))
        .hint("create it with any S3 client, or check the emulator's log")
        .into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn only_a_backend_on_loopback_is_an_emulator_bucket() {
        let doc = |url: &str| {
            serde_json::json!({"terraform": {"backend": {"s3": {
                "bucket": "state", "region": "eu-west-1", "endpoints": {"s3": url}
            }}}})
        };
        assert_eq!(
            emulator_bucket(&doc("http://127.0.0.1:5000")),
            Some(("state".into(), "eu-west-1".into(), "127.0.0.1:5000".into()))
        );
        assert_eq!(
            emulator_bucket(&doc("https://s3.eu-west-1.amazonaws.com")),
            None
        );
        assert_eq!(emulator_bucket(&doc("http://10.0.0.5:5000")), None);
        assert_eq!(emulator_bucket(&serde_json::json!({"terraform": {}})), None);
    }
}
