//! The 100 000-entry history the benches load, written straight in the on-disk format
//! (100 000 fsynced appends would take minutes): one `put` line per created entry, as a
//! compacted history looks. A third have Chinese names.

use std::path::Path;

use onsdesk::history::format::{self, Header, Record};
use onsdesk::history::{CloudCheck, CloudState, Entry, EntryId, FILE_NAME, Status, Subject};
use time::OffsetDateTime;

pub const ENTRIES: usize = 100_000;

/// Writes the history file into `dir`, every `cloud_every`th entry with a cloud check, and
/// returns its size in bytes.
pub fn write_history(dir: &Path, cloud_every: usize) -> usize {
    let start = OffsetDateTime::now_utc() - time::Duration::days(400);
    let mut bytes = Vec::with_capacity(ENTRIES * 500);
    format::write_line(&mut bytes, &Header::new(start)).unwrap_or_default();
    for i in 0..ENTRIES {
        let at = start + time::Duration::minutes(i64::try_from(i).unwrap_or_default());
        let entry = Entry {
            id: EntryId::new(),
            at,
            name: if i % 3 == 0 {
                format!("订单服务-生产_{i}")
            } else {
                format!("orders-prod-{i}")
            },
            remark: format!("team {} payments cluster", i % 97),
            region: ["cn-hangzhou", "cn-beijing", "cn-shanghai"][i % 3].to_owned(),
            endpoint: "https://ons.cn-hangzhou.aliyuncs.com/".to_owned(),
            profile: "work".to_owned(),
            status: Status::Created {
                instance_id: format!("MQ_INST_1880770869020000_{i:08X}"),
                instance_type: 1,
                request_id: uuid::Uuid::new_v4().to_string().to_uppercase(),
            },
            cloud: i.is_multiple_of(cloud_every.max(1)).then_some(CloudCheck {
                state: CloudState::InService,
                checked_at: at,
            }),
            later: None,
            subject: Subject::Instance,
            sends_until: None,
        };
        format::write_line(&mut bytes, &Record::Put(entry)).unwrap_or_default();
    }
    std::fs::write(dir.join(FILE_NAME), &bytes).unwrap_or_default();
    bytes.len()
}
