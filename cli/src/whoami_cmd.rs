//! `whoami`: the AWS account, ARN and region of the current credentials.

use std::io::Write;

use crate::runtime::runtime;
use crate::sts::caller_identity;

/// Runs `whoami`.
pub(crate) fn run(stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let me = runtime()?.block_on(caller_identity())?;
    writeln!(stdout, "account: {}", me.account)?;
    writeln!(stdout, "arn:     {}", me.arn)?;
    writeln!(stdout, "region:  {}", me.region)?;
    Ok(0)
}
