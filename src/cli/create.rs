//! `onsdesk create`: validate, record the attempt, create safely, report one outcome.

use super::output;
use super::output::say;
use std::io::Write as _;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::common::Connection;
use super::output::{LookWords, failure_json, print_json, print_line, say_step};
use super::{CreateArgs, EXIT_SERVICE_ERROR, EXIT_UNKNOWN, history, refused};
use crate::api::actions::CreateInstance;
use crate::api::{ApiError, Client, Target};
use crate::create::{self, CreateOutcome, CreateReport};
use crate::credentials::SecretString;
use crate::history::{Appender, EntryId, NewAttempt, Status};
use crate::text::Printable;
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
        say!("onsdesk: warning: {warning}");
    }
    let connection = match Connection::open(args.profile.as_deref(), &args.timing, args.signature) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let target = match connection.target(endpoint, region) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let secret = connection.resolved().credentials.secret.clone();
    let client = connection.client(target.clone());
    if args.dry_run {
        return dry_run(args, &client);
    }
    let mut recorder = if args.no_history {
        None
    } else {
        match record_pending(args, &target, connection.resolved().source.to_string()) {
            Ok(r) => Some(r),
            Err(code) => return code,
        }
    };
    let words = LookWords {
        looking: format!(
            "looking for {:?} in {} before anything is sent again",
            args.name, target.region
        ),
        not_in_effect: Some(format!(
            "{:?} is not in {}: that attempt has not created it, so far",
            args.name, target.region
        )),
        look_failed: format!("could not list {}", target.region),
    };
    let report = match super::common::block_on(create::create(
        &client,
        &args.name,
        args.remark.as_deref(),
        args.timing.policy(),
        |step| say_step(step, &words),
    )) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let history_id = recorder.as_mut().map(|(history, id)| {
        if let Err(e) = history.record_outcome(*id, Status::of_outcome(&report.outcome)) {
            say!(
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
    history.set_send_window(args.timing.send_window());
    let id = history
        .record_pending(NewAttempt {
            name: args.name.clone(),
            remark: args.remark.clone().unwrap_or_default(),
            region: target.region.to_string(),
            endpoint: target.endpoint.to_string(),
            profile,
        })
        .map_err(|e| cannot(&e))?;
    Ok((history, id))
}

fn report_outcome(
    args: &CreateArgs,
    target: &Target,
    report: &CreateReport,
    history_id: Option<EntryId>,
    secret: &SecretString,
) -> ExitCode {
    let history_id = history_id.map(|id| id.to_string());
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
        CreateOutcome::Created(c) => {
            v["InstanceId"] = json!(c.instance_id);
            v["InstanceType"] = json!(c.instance_type);
            v["RequestId"] = json!(c.request_id);
            0
        }
        CreateOutcome::Adopted {
            instance_id,
            instance_type,
        } => {
            say!(
                "onsdesk: the reply was lost, but {instance_id} has this exact name: adopted (no second instance was created)"
            );
            v["InstanceId"] = json!(instance_id);
            v["InstanceType"] = json!(instance_type);
            v["RequestId"] = Value::Null;
            0
        }
        CreateOutcome::NameTaken(_) => {
            v["error"] = super::output::held_by_another(&format!(
                "{} has an instance named {:?}, made before this create",
                target.region, args.name
            ));
            EXIT_SERVICE_ERROR
        }
        CreateOutcome::NotCreated(err) => {
            let code = explain_error(err, report, secret, &mut v);
            if matches!(err, ApiError::Service(e) if !e.is_server_fault()) {
                code
            } else {
                EXIT_UNKNOWN
            }
        }
        CreateOutcome::Unknown(err) => {
            explain_error(err, report, secret, &mut v);
            if report.last_look_saw_nothing() {
                say!(
                    "onsdesk: the instance may or may not have been created: {} does not list it, but a request whose reply was lost may still take effect",
                    target.region
                );
            } else {
                say!(
                    "onsdesk: the instance may or may not have been created, and {} could not be listed to find out",
                    target.region
                );
            }
            if let Some(id) = &history_id {
                say!(
                    "onsdesk: the attempt stays pending in the history as {id}; `onsdesk history refresh` checks again"
                );
            }
            EXIT_UNKNOWN
        }
    };
    if let Some(id) = report.outcome.instance_id() {
        v["Terraform"] = json!(crate::snippets::terraform(&args.name, &remark, id));
        if args.json {
            print_json(&v);
        } else {
            print_line(id);
        }
    } else if args.json {
        print_json(&v);
    }
    ExitCode::from(code)
}

/// Prints a failure on stderr and puts it in the JSON as `error`; returns the exit code.
fn explain_error(
    err: &ApiError,
    report: &CreateReport,
    secret: &SecretString,
    v: &mut Value,
) -> u8 {
    let mut error = match err {
        ApiError::Service(e) => {
            // Already made printable when the reply was read; again here, so nothing a reply
            // says reaches the terminal raw whatever path it took.
            say!(
                "onsdesk: the service refused the request: {}: {}",
                Printable(&e.code),
                Printable(&e.message)
            );
            if let Some(id) = &e.request_id {
                say!("onsdesk: RequestId {}", Printable(id));
            }
            if e.is_throttling() {
                say!(
                    "onsdesk: the service kept throttling this AccessKey and waiting longer would \
                     pass --deadline: nothing was created; try again later"
                );
            }
            serde_json::to_value(e).unwrap_or_default()
        }
        other => {
            say!("onsdesk: {}", Printable(&other.to_string()));
            failure_json(other)
        }
    };
    if let Some(diagnosis) =
        crate::doctor::diagnose_error(err, report.last_string_to_sign.as_deref(), secret)
    {
        say!("onsdesk: signature doctor: {diagnosis}");
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
    let action = CreateInstance {
        name: args.name.clone(),
        remark: args.remark.clone(),
    };
    let prepared = client.prepare_action(&action, client.now(), &crate::signing::new_nonce());
    let aliyun =
        crate::snippets::aliyun_cli(&client.target().region, &args.name, args.remark.as_deref());
    let warning = replay_warning(&prepared);
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
        print_json(&v);
    } else {
        let mut out = output::stdout();
        let _ = writeln!(out, "# {warning}\n");
        let _ = writeln!(out, "{} {}", prepared.method, prepared.url);
        for (k, v) in prepared.redacted_headers() {
            let _ = writeln!(out, "{k}: {}", Printable(&v));
        }
        if !prepared.headers.is_empty() {
            let _ = writeln!(out);
        }
        for (k, v) in prepared.redacted_params() {
            let _ = writeln!(out, "  {k} = {}", Printable(&v));
        }
        let _ = writeln!(
            out,
            "\nString to sign:\n{}\n\nThe same with the aliyun CLI:\n{}",
            crate::text::printable_multiline(&prepared.redacted_string_to_sign()),
            Printable(&aliyun)
        );
        let _ = writeln!(out, "\n(dry run: nothing was sent)");
    }
    ExitCode::SUCCESS
}
