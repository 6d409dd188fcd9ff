//! `onsdesk create`: validate, record the attempt, create safely, report one outcome.

use std::io::Write as _;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::{
    CreateArgs, EXIT_SERVICE_ERROR, EXIT_UNKNOWN, history, profile, refused, resolve_target,
    runtime,
};
use crate::api::untrusted::printable;
use crate::api::{ApiError, Client, HttpOptions, Target, Transport};
use crate::create::{self, Outcome, Policy, Report, Step};
use crate::credentials::{CredentialSource, ENV_ACCESS_KEY_SECRET, SecretString};
use crate::history::{Appender, EntryId, NewAttempt, Status};
use crate::profiles::ResolveError;
use crate::validation::{RemarkCheck, validate_instance_name};

/// Runs `onsdesk create`.
pub fn run(args: &CreateArgs, endpoint: Option<&str>, region: Option<&str>) -> ExitCode {
    if let Err(e) = validate_instance_name(&args.name) {
        return refused(format_args!("instance name refused: {e}"));
    }
    if let Some(warning) = args
        .remark
        .as_deref()
        .and_then(|r| RemarkCheck::of(r).warning())
    {
        eprintln!("onsdesk: warning: {warning}");
    }
    let resolved = match profile::resolve_credentials(args.profile.as_deref()) {
        Ok(r) => r,
        Err(ResolveError::NoCredentials) => {
            return refused(format_args!(
                "{} (to try onsdesk without an account, run `onsdesk sandbox` and use its demo key)",
                ResolveError::NoCredentials
            ));
        }
        Err(e) => return refused(e),
    };
    profile::warn_if_expired(&resolved);
    if resolved.source == CredentialSource::Environment
        && resolved.credentials.secret.has_surrounding_whitespace()
    {
        eprintln!(
            "onsdesk: warning: {ENV_ACCESS_KEY_SECRET} begins or ends with whitespace; signatures will not match if that was pasted by accident"
        );
    }
    let region = region.or(resolved.profile.as_ref().and_then(|p| p.region.as_deref()));
    let target = match resolve_target(endpoint, region) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let secret = resolved.credentials.secret.clone();
    let timeout = args.timeout;
    let transport = Transport::new(HttpOptions {
        connect_timeout: HttpOptions::default().connect_timeout.min(timeout),
        timeout,
    });
    let client =
        Client::new(transport, target.clone(), resolved.credentials).with_signature(args.signature);
    if args.dry_run {
        return dry_run(args, &client);
    }
    let mut recorder = if args.no_history {
        None
    } else {
        match record_pending(args, &target, resolved.source.to_string()) {
            Ok(r) => Some(r),
            Err(code) => return code,
        }
    };
    let rt = match runtime(false) {
        Ok(rt) => rt,
        Err(e) => return refused(format_args!("could not start the async runtime: {e}")),
    };
    let name = args.name.as_str();
    let region = target.region.as_str();
    #[expect(
        clippy::disallowed_methods,
        reason = "the CLI's entry point owns its thread"
    )]
    let report = rt.block_on(create::create(
        &client,
        name,
        args.remark.as_deref(),
        Policy {
            deadline: args.deadline,
            ..Policy::default()
        },
        |step| {
            say_step(step, name, region);
        },
    ));
    let history_id = recorder.as_mut().map(|(history, id)| {
        if let Err(e) = history.record_outcome(*id, Status::of_outcome(&report.outcome)) {
            eprintln!(
                "onsdesk: warning: the outcome could not be recorded in the history ({e}); entry \
                 {id} stays pending until `onsdesk history refresh` settles it"
            );
        }
        *id
    });
    report_outcome(args, &target, &report, history_id, &secret)
}

/// Opens the history and records the attempt as pending. Refuses (exit 2, nothing sent) when
/// that fails: the pending record is what finds the instance again if the reply is lost.
fn record_pending(
    args: &CreateArgs,
    target: &Target,
    profile: String,
) -> Result<(Appender, EntryId), ExitCode> {
    let cannot = |e: &dyn std::fmt::Display| {
        refused(format_args!(
            "the attempt could not be recorded in the history, so nothing was sent: {e} \
             (fix that, or pass --no-history to create without a record)"
        ))
    };
    let (mut history, notices) = Appender::open_default().map_err(|e| cannot(&e))?;
    history::print_notices(&notices);
    let id = history
        .record_pending(NewAttempt {
            name: args.name.clone(),
            remark: args.remark.clone().unwrap_or_default(),
            region: target.region.clone(),
            endpoint: target.endpoint.to_string(),
            profile,
        })
        .map_err(|e| cannot(&e))?;
    Ok((history, id))
}

fn say_step(step: &Step, name: &str, region: &str) {
    match step {
        Step::Attempt { .. } | Step::Found { .. } => {}
        Step::NotSentRetrying { detail } => {
            eprintln!("onsdesk: {}; sending again", printable(detail));
        }
        Step::Throttled { wait_ms } => {
            eprintln!("onsdesk: throttled by the service; waiting {wait_ms} ms");
        }
        Step::ClockCorrected { offset_secs } => {
            let offset = time::Duration::seconds(*offset_secs);
            let direction = if *offset_secs > 0 {
                "behind"
            } else {
                "ahead of"
            };
            eprintln!(
                "onsdesk: your computer's clock is {} {direction} the service's; corrected for this request (fix the system clock)",
                crate::clock::describe_offset(offset)
            );
        }
        Step::Reconciling { detail } => {
            eprintln!(
                "onsdesk: {}; looking for {name:?} in {region} before anything is sent again",
                printable(detail)
            );
        }
        Step::NotFound => {
            eprintln!("onsdesk: {name:?} is not in {region}: that attempt created nothing");
        }
        Step::ReconcileFailed { detail } => {
            eprintln!("onsdesk: could not list {region}: {}", printable(detail));
        }
    }
}

fn report_outcome(
    args: &CreateArgs,
    target: &Target,
    report: &Report,
    history_id: Option<EntryId>,
    secret: &SecretString,
) -> ExitCode {
    let history_id = history_id.map(|id| id.to_string());
    let mut out = std::io::stdout().lock();
    let remark = args.remark.clone().unwrap_or_default();
    let mut v = json!({
        "Outcome": report.outcome.label(),
        "InstanceName": args.name,
        "Remark": remark,
        "Region": target.region,
        "Endpoint": target.endpoint.to_string(),
        "Attempts": report.attempts,
        "HistoryId": history_id,
    });
    if let Some(offset) = report.clock_offset {
        v["ClockOffsetSeconds"] = json!(offset.whole_seconds());
    }
    let code = match &report.outcome {
        Outcome::Created(c) => {
            v["InstanceId"] = json!(c.instance_id);
            v["InstanceType"] = json!(c.instance_type);
            v["RequestId"] = json!(c.request_id);
            0
        }
        Outcome::Adopted {
            instance_id,
            instance_type,
        } => {
            eprintln!(
                "onsdesk: the reply was lost, but {instance_id} has this exact name: adopted (no second instance was created)"
            );
            v["InstanceId"] = json!(instance_id);
            v["InstanceType"] = json!(instance_type);
            v["RequestId"] = Value::Null;
            0
        }
        Outcome::NotCreated(err) => {
            let code = explain_error(err, report, secret, &mut v);
            if matches!(err, ApiError::Service(e) if !e.is_server_fault()) {
                code
            } else {
                EXIT_UNKNOWN
            }
        }
        Outcome::Unknown(err) => {
            explain_error(err, report, secret, &mut v);
            eprintln!(
                "onsdesk: the instance may or may not have been created, and {} could not be listed to find out",
                target.region
            );
            if let Some(id) = &history_id {
                eprintln!(
                    "onsdesk: the attempt stays pending in the history as {id}; `onsdesk history refresh` checks again"
                );
            }
            EXIT_UNKNOWN
        }
    };
    if let Some(id) = report.outcome.instance_id() {
        v["Terraform"] = json!(crate::snippets::terraform(&args.name, &remark, id));
        if args.json {
            let _ = writeln!(out, "{v}");
        } else {
            let _ = writeln!(out, "{id}");
        }
    } else if args.json {
        let _ = writeln!(out, "{v}");
    }
    ExitCode::from(code)
}

/// Prints a failure on stderr and puts it in the JSON as `error`; returns the exit code.
fn explain_error(err: &ApiError, report: &Report, secret: &SecretString, v: &mut Value) -> u8 {
    let mut error = match err {
        ApiError::Service(e) => {
            // Already made printable when the reply was read; again here, so nothing a reply
            // says reaches the terminal raw whatever path it took.
            eprintln!(
                "onsdesk: the service refused the request: {}: {}",
                printable(&e.code),
                printable(&e.message)
            );
            if let Some(id) = &e.request_id {
                eprintln!("onsdesk: RequestId {}", printable(id));
            }
            if e.is_throttling() {
                eprintln!(
                    "onsdesk: the service kept throttling this AccessKey and waiting longer would \
                     pass --deadline: nothing was created; try again later"
                );
            }
            serde_json::to_value(e).unwrap_or_default()
        }
        other => {
            eprintln!("onsdesk: {}", printable(&other.to_string()));
            super::failure_json(other)
        }
    };
    if let Some(diagnosis) =
        crate::doctor::diagnose_error(err, report.last_string_to_sign.as_deref(), secret)
    {
        eprintln!("onsdesk: signature doctor: {diagnosis}");
        error["Diagnosis"] = json!(diagnosis.to_string());
    }
    v["error"] = error;
    EXIT_SERVICE_ERROR
}

/// What `--dry-run` says about its own output. Without an STS token the printed request is
/// complete: the service accepts it, once (the nonce), for 15 minutes after its timestamp.
pub fn replay_warning(prepared: &crate::api::PreparedRequest) -> String {
    let redacted_token = prepared.params.contains_key("SecurityToken")
        || prepared
            .headers
            .iter()
            .any(|(k, _)| k == "x-acs-security-token");
    if redacted_token {
        "Signed request with its STS token redacted: as printed it cannot be sent, but do not \
         share it beyond need."
            .to_owned()
    } else {
        "WARNING: this is a complete signed request. For 15 minutes after its timestamp anyone \
         who has it can send it unchanged and create this instance (once). Treat it like a \
         password until then."
            .to_owned()
    }
}

fn dry_run(args: &CreateArgs, client: &Client) -> ExitCode {
    let mut params = vec![("InstanceName", args.name.as_str())];
    if let Some(remark) = args.remark.as_deref() {
        params.push(("Remark", remark));
    }
    let prepared = client.prepare(
        "OnsInstanceCreate",
        &params,
        client.now(),
        &crate::signing::new_nonce(),
    );
    let aliyun =
        crate::snippets::aliyun_cli(&client.target().region, &args.name, args.remark.as_deref());
    let warning = replay_warning(&prepared);
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = json!({
            "Method": prepared.method.as_str(),
            "Url": prepared.url.as_str(),
            "Headers": prepared.redacted_headers().into_iter().collect::<std::collections::BTreeMap<_, _>>(),
            "Params": prepared.redacted_params(),
            "StringToSign": prepared.redacted_string_to_sign(),
            "AliyunCli": aliyun,
            "Warning": warning,
        });
        let _ = writeln!(out, "{v}");
    } else {
        let _ = writeln!(out, "# {warning}\n");
        let _ = writeln!(out, "{} {}", prepared.method, prepared.url);
        for (k, v) in prepared.redacted_headers() {
            let _ = writeln!(out, "{k}: {v}");
        }
        if !prepared.headers.is_empty() {
            let _ = writeln!(out);
        }
        for (k, v) in prepared.redacted_params() {
            let _ = writeln!(out, "  {k} = {v}");
        }
        let _ = writeln!(
            out,
            "\nString to sign:\n{}\n\nThe same with the aliyun CLI:\n{aliyun}",
            prepared.redacted_string_to_sign()
        );
        let _ = writeln!(out, "\n(dry run: nothing was sent)");
    }
    ExitCode::SUCCESS
}
