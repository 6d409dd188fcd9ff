//! Export: CSV for spreadsheets and JSON for scripts, with the same columns.
//!
//! Every entry has a `Kind` (`instance`, `topic`, `group`) and a `Verb` (`create`, `delete`;
//! an instance entry is its create). `InstanceId` is the instance the entry is about: the one
//! an instance entry created (once known), the one a topic or group is on. The entry's name is
//! in `InstanceName`, `Topic` or `GroupId`, by kind; the other two are empty.

use std::io::{self, Write};

use serde::Serialize;

use super::entry::{Entry, Status};
use super::subject::Subject;

/// One exported row. The field names match `onsdesk create --json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    #[serde(rename = "HistoryId")]
    pub history_id: String,
    /// Local time with its UTC offset, RFC 3339.
    #[serde(rename = "Time")]
    pub time: String,
    #[serde(rename = "TimeUtc")]
    pub time_utc: String,
    /// An instance entry's name (the one it was created with); empty for a topic or group.
    #[serde(rename = "InstanceName")]
    pub name: Option<String>,
    #[serde(rename = "Remark")]
    pub remark: String,
    #[serde(rename = "Region")]
    pub region: String,
    #[serde(rename = "Endpoint")]
    pub endpoint: String,
    #[serde(rename = "Profile")]
    pub profile: String,
    #[serde(rename = "Outcome")]
    pub outcome: String,
    /// The instance created, or the one a topic or group is on.
    #[serde(rename = "InstanceId")]
    pub instance_id: Option<String>,
    #[serde(rename = "InstanceType")]
    pub instance_type: Option<i64>,
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
    #[serde(rename = "Code")]
    pub code: Option<String>,
    #[serde(rename = "Message")]
    pub message: Option<String>,
    #[serde(rename = "Cloud")]
    pub cloud: Option<String>,
    #[serde(rename = "CloudCheckedAt")]
    pub cloud_checked_at: Option<String>,
    /// The name a rename by onsdesk gave the instance (`InstanceName` keeps the original).
    #[serde(rename = "RenamedTo")]
    pub renamed_to: Option<String>,
    /// The remark an update by onsdesk gave it (`Remark` keeps the original).
    #[serde(rename = "RemarkNow")]
    pub remark_now: Option<String>,
    /// When onsdesk deleted the instance, RFC 3339.
    #[serde(rename = "DeletedAt")]
    pub deleted_at: Option<String>,
    /// Made in the local sandbox (sent to a loopback endpoint): nothing exists on Alibaba Cloud.
    #[serde(rename = "Sandbox")]
    pub sandbox: bool,
    /// `instance`, `topic` or `group`.
    #[serde(rename = "Kind")]
    pub kind: String,
    /// `create` or `delete`.
    #[serde(rename = "Verb")]
    pub verb: String,
    /// A topic entry's topic.
    #[serde(rename = "Topic")]
    pub topic: Option<String>,
    /// A topic's message type, as the API numbers it, when known.
    #[serde(rename = "MessageType")]
    pub message_type: Option<i64>,
    /// A group entry's GroupId.
    #[serde(rename = "GroupId")]
    pub group_id: Option<String>,
    /// A group's type (`tcp`, `http`), when known.
    #[serde(rename = "GroupType")]
    pub group_type: Option<String>,
}

/// The CSV header, in [`Row`]'s order.
pub const CSV_COLUMNS: [&str; 26] = [
    "HistoryId",
    "Time",
    "TimeUtc",
    "InstanceName",
    "Remark",
    "Region",
    "Endpoint",
    "Profile",
    "Outcome",
    "InstanceId",
    "InstanceType",
    "RequestId",
    "Code",
    "Message",
    "Cloud",
    "CloudCheckedAt",
    "RenamedTo",
    "RemarkNow",
    "DeletedAt",
    "Sandbox",
    "Kind",
    "Verb",
    "Topic",
    "MessageType",
    "GroupId",
    "GroupType",
];

impl Row {
    pub fn of(entry: &Entry) -> Self {
        let (code, message) = match &entry.status {
            Status::Refused { code, message, .. } => (Some(code.clone()), Some(message.clone())),
            Status::NotCreated { detail }
            | Status::NotDone { detail }
            | Status::Unknown { detail } => (None, Some(detail.clone())),
            _ => (None, None),
        };
        let instance_type = match &entry.status {
            Status::Created { instance_type, .. } | Status::Adopted { instance_type, .. } => {
                Some(*instance_type)
            }
            _ => None,
        };
        let name = Some(entry.name.clone());
        let (name, topic, message_type, group_id, group_type) = match &entry.subject {
            Subject::Instance => (name, None, None, None, None),
            Subject::Topic(t) => (
                None,
                name,
                t.message_type.map(crate::resources::MessageType::code),
                None,
                None,
            ),
            Subject::Group(g) => (
                None,
                None,
                None,
                name,
                g.group_type.as_ref().map(|t| t.as_api_str().to_owned()),
            ),
        };
        Self {
            history_id: entry.id.to_string(),
            time: entry.at_rfc3339(),
            time_utc: entry.at_utc_rfc3339(),
            name,
            remark: entry.remark.clone(),
            region: entry.region.clone(),
            endpoint: entry.endpoint.clone(),
            profile: entry.profile.clone(),
            outcome: entry.outcome().as_str().to_owned(),
            instance_id: entry.instance().map(str::to_owned),
            instance_type,
            request_id: entry.status.request_id().map(str::to_owned),
            code,
            message,
            cloud: entry.cloud.map(|c| {
                match c.state {
                    super::CloudState::InService => "in_service",
                    super::CloudState::NotFound => "not_found",
                }
                .to_owned()
            }),
            cloud_checked_at: entry.cloud.and_then(|c| {
                c.checked_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
            renamed_to: entry.later.as_ref().and_then(|l| l.renamed_to.clone()),
            remark_now: entry.later.as_ref().and_then(|l| l.remark.clone()),
            deleted_at: entry.deleted_at().and_then(|at| {
                at.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
            sandbox: entry.is_sandbox(),
            kind: entry.subject.kind().as_str().to_owned(),
            verb: entry.subject.verb().as_str().to_owned(),
            topic,
            message_type,
            group_id,
            group_type,
        }
    }

    fn cells(&self) -> [String; 26] {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.history_id.clone(),
            self.time.clone(),
            self.time_utc.clone(),
            opt(&self.name),
            self.remark.clone(),
            self.region.clone(),
            self.endpoint.clone(),
            self.profile.clone(),
            self.outcome.clone(),
            opt(&self.instance_id),
            self.instance_type
                .map(|t| t.to_string())
                .unwrap_or_default(),
            opt(&self.request_id),
            opt(&self.code),
            opt(&self.message),
            opt(&self.cloud),
            opt(&self.cloud_checked_at),
            opt(&self.renamed_to),
            opt(&self.remark_now),
            opt(&self.deleted_at),
            self.sandbox.to_string(),
            self.kind.clone(),
            self.verb.clone(),
            opt(&self.topic),
            self.message_type.map(|t| t.to_string()).unwrap_or_default(),
            opt(&self.group_id),
            opt(&self.group_type),
        ]
    }
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// One CSV cell: a value a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab
/// or carriage return) gets a leading `'`; a value with a comma, quote, CR or LF is quoted
/// with inner quotes doubled (RFC 4180).
pub fn csv_cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if neutral.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// Writes CSV: UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line ends, a header
/// row, one row per entry.
pub fn write_csv<'a>(
    out: &mut impl Write,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    out.write_all(CSV_COLUMNS.join(",").as_bytes())?;
    out.write_all(b"\r\n")?;
    for entry in entries {
        let cells = Row::of(entry).cells();
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.write_all(line.join(",").as_bytes())?;
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

/// Writes a JSON array of [`Row`]s, pretty-printed.
pub fn write_json<'a>(
    out: &mut impl Write,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> io::Result<()> {
    let rows: Vec<Row> = entries.into_iter().map(Row::of).collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    out.write_all(b"\n")
}

/// Writes `entries` in `format` to `out`.
pub fn write<'a>(
    format: Format,
    out: &mut impl Write,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> io::Result<()> {
    match format {
        Format::Csv => write_csv(out, entries),
        Format::Json => write_json(out, entries),
    }
}

/// Writes `entries` in `format` to the file at `path`, a path the user chose: a new file is
/// private (0600 on unix: an export holds names, remarks, endpoints and profile names), an
/// existing one is overwritten and keeps its mode. Flushed before it returns. Blocks.
pub fn save<'a>(
    format: Format,
    path: &std::path::Path,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> io::Result<()> {
    let mut bytes = Vec::new();
    write(format, &mut bytes, entries)?;
    crate::files::write_private(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_new_export_is_private_and_an_existing_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.csv");
        save(Format::Csv, &path, []).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("HistoryId,Time")
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        save(Format::Json, &path, []).unwrap();
        assert_eq!(mode(&path), 0o644);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[]\n");
    }

    #[test]
    fn cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("订单，支付"), "订单，支付");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@x"), "'@x");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(
            csv_cell("=HYPERLINK(\"a,b\")"),
            "\"'=HYPERLINK(\"\"a,b\"\")\""
        );
        assert_eq!(csv_cell("a=b"), "a=b");
    }
}
