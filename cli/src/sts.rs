//! Who am I on AWS: STS `GetCallerIdentity` with the standard AWS configuration (environment,
//! profiles, `AWS_ENDPOINT_URL`/`AWS_ENDPOINT_URL_STS`), and the account guard that refuses
//! to plan or apply against the wrong account.

use aws_config::BehaviorVersion;
use aws_sdk_sts::config::ProvideCredentials;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use oxiform::diagnostic::Diagnostic;

/// The caller as STS sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// The region the SDK resolved.
    pub region: String,
}

/// Calls STS `GetCallerIdentity`. Errors are plain advice, never "service error".
pub async fn caller_identity() -> Result<Identity, Diagnostic> {
    let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let region = config
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "(no region)".to_owned());
    // Resolve credentials first: a missing key is then plain advice, not a dispatch error.
    let provider = config
        .credentials_provider()
        .ok_or_else(|| no_credentials(None))?;
    if let Err(e) = provider.provide_credentials().await {
        return Err(no_credentials(Some(&e)));
    }
    let client = aws_sdk_sts::Client::new(&config);
    match client.get_caller_identity().send().await {
        Ok(out) => Ok(Identity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
            region,
        }),
        Err(err) => Err(explain(err)),
    }
}

/// "No credentials" advice, with why the provider found none when it said.
fn no_credentials(why: Option<&dyn std::fmt::Display>) -> Diagnostic {
    let why = why.map(|w| format!(" ({w})")).unwrap_or_default();
    Diagnostic::error(format!("no AWS credentials found{why}")).hint(
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or log in with `aws sso login`",
    )
}

fn explain<E, R>(err: SdkError<E, R>) -> Diagnostic
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let (message, hint) = match &err {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or("");
            let message = service.err().message().unwrap_or("").to_owned();
            match code {
                "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => (
                    format!("your AWS session token has expired ({message})"),
                    "refresh your credentials, e.g. `aws sso login` or new temporary keys, then try again",
                ),
                "InvalidClientTokenId" | "UnrecognizedClientException" => (
                    format!("AWS does not recognise the access key ({message})"),
                    "check AWS_ACCESS_KEY_ID / your profile; the key may be deleted or belong to another partition",
                ),
                "SignatureDoesNotMatch" => (
                    format!("AWS rejected the request signature ({message})"),
                    "the secret access key does not match the access key id; check AWS_SECRET_ACCESS_KEY / your profile",
                ),
                "AccessDenied" | "AccessDeniedException" => (
                    format!("access denied calling sts:GetCallerIdentity ({message})"),
                    "an explicit deny (SCP or permissions boundary) blocks it; ask your administrator",
                ),
                _ => (
                    format!("STS refused GetCallerIdentity: {code} {message}"),
                    CHECK_CREDENTIALS,
                ),
            }
        }
        SdkError::DispatchFailure(failure) if failure.is_user() => return no_credentials(None),
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => (
            "cannot reach AWS STS".to_owned(),
            "check your network, or AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS if you use an emulator",
        ),
        SdkError::ConstructionFailure(_) => (
            "cannot build the STS request: no region or no credentials are configured".to_owned(),
            "set AWS_REGION, and AWS credentials (environment or profile)",
        ),
        _ => (format!("calling STS failed: {err}"), CHECK_CREDENTIALS),
    };
    Diagnostic::error(message).hint(hint)
}

/// The hint when STS fails for a reason it does not name.
const CHECK_CREDENTIALS: &str = "check your AWS credentials and region";

/// Refuses when the caller's account is not one of `expected` (no check when empty).
pub async fn guard_account(stack: &str, expected: &[String]) -> anyhow::Result<()> {
    if expected.is_empty() {
        return Ok(());
    }
    let me = caller_identity()
        .await
        .map_err(|e| e.context(format!("refusing to run terraform for stack `{stack}`")))?;
    check_account(stack, expected, &me)
}

/// The guard's decision, separate from the STS call so it can be tested.
pub fn check_account(stack: &str, expected: &[String], me: &Identity) -> anyhow::Result<()> {
    if expected.is_empty() || expected.iter().any(|a| a == &me.account) {
        return Ok(());
    }
    let expected = expected.join(" or ");
    Err(Diagnostic::error(format!(
        "your credentials are for account {} ({}), but this stack deploys only to account {expected}",
        me.account, me.arn,
    ))
    .context(format!("refusing to run terraform for stack `{stack}`"))
    .hint(format!("switch to credentials for account {expected} (e.g. AWS_PROFILE), or change the stack's account_ids if the target really moved"))
    .into())
}
