//! The same create said another way: an aliyun CLI command, and a Terraform resource with its
//! `terraform import` line, for people who keep infrastructure in code. For instances
//! ([`aliyun_cli`], [`terraform`]), topics ([`TopicSnippet`]) and groups ([`GroupSnippet`]).
//!
//! Values may come from a reply (an existing topic's remark, an instance ID): every one is
//! shell-quoted or written as an HCL string, and a name or ID goes into a comment (the
//! `terraform import` line) only when it has its format.

use std::fmt::Write as _;

use crate::resources::{GroupType, MessageType};
use crate::validation::is_ascii_name_char;

/// `aliyun ons OnsInstanceCreate --region … --InstanceName … [--Remark …]`, shell-quoted.
pub fn aliyun_cli(region: &str, name: &str, remark: Option<&str>) -> String {
    let mut out = format!(
        "aliyun ons OnsInstanceCreate --region {} --InstanceName {}",
        shell_quote(region),
        shell_quote(name)
    );
    if let Some(remark) = remark {
        let _ = write!(out, " --Remark {}", shell_quote(remark));
    }
    out
}

/// A shell word: bare when safe, else single-quoted; `$'…'` (bash, zsh, ksh) when it holds a
/// control or invisible formatting character, which must not be shown or pasted as itself.
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || "-_./:@,+=".contains(c)
                || crate::validation::is_cjk_ideograph(c)
        });
    if safe {
        s.to_owned()
    } else if s.chars().any(crate::text::needs_escape) {
        ansi_c_quote(s)
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `$'…'` quoting (bash, zsh, ksh) for text with a control or invisible formatting character:
/// the line shown and pasted holds only printable characters, and the shell turns the
/// escapes back into exactly `s`.
fn ansi_c_quote(s: &str) -> String {
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if crate::text::needs_escape(c) => out.push_str(&unicode_escape(c)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `\uNNNN`, or `\UNNNNNNNN` beyond the BMP: what both HCL and `$'…'` read back as `c`.
fn unicode_escape(c: char) -> String {
    let n = u32::from(c);
    if n <= 0xFFFF {
        format!("\\u{n:04X}")
    } else {
        format!("\\U{n:08X}")
    }
}

/// A Terraform `alicloud_ons_instance` block for an existing instance, and its import line.
/// The import line is left out unless `instance_id` has an InstanceId's format (it comes from
/// the server: nothing else may reach HCL or a shell).
pub fn terraform(name: &str, remark: &str, instance_id: &str) -> String {
    let resource = terraform_identifier(name, "instance");
    let mut out = format!(
        "resource \"alicloud_ons_instance\" \"{resource}\" {{\n  instance_name = {}\n",
        hcl_string(name)
    );
    if !remark.is_empty() {
        let _ = writeln!(out, "  remark        = {}", hcl_string(remark));
    }
    if crate::ids::InstanceId::is_valid(instance_id) {
        let _ = write!(
            out,
            "}}\n\n# terraform import alicloud_ons_instance.{resource} {instance_id}\n"
        );
    } else {
        out.push_str("}\n\n# terraform import: the InstanceId the service returned is not valid\n");
    }
    out
}

/// A topic, for "Copy as Terraform" and "Copy as aliyun CLI". An empty `remark` means none
/// (Terraform refuses an empty one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicSnippet<'a> {
    /// The instance's region, for the aliyun CLI's `--region`.
    pub region: &'a str,
    pub instance_id: &'a str,
    pub topic: &'a str,
    pub message_type: MessageType,
    pub remark: &'a str,
}

impl TopicSnippet<'_> {
    /// `aliyun ons OnsTopicCreate --region … --InstanceId … --Topic … --MessageType N
    /// [--Remark …]`, shell-quoted.
    pub fn aliyun_cli(&self) -> String {
        let mut out = format!(
            "aliyun ons OnsTopicCreate --region {} --InstanceId {} --Topic {} --MessageType {}",
            shell_quote(self.region),
            shell_quote(self.instance_id),
            shell_quote(self.topic),
            self.message_type.code()
        );
        if !self.remark.is_empty() {
            let _ = write!(out, " --Remark {}", shell_quote(self.remark));
        }
        out
    }

    /// An `alicloud_ons_topic` block and its import line (`<instance_id>:<topic>`), after a
    /// `# note:` for anything the alicloud provider would refuse.
    pub fn terraform(&self) -> String {
        let mut notes = Vec::new();
        if self.message_type.cli_name().is_none() {
            notes.push(format!(
                "message_type {} is not one the alicloud provider accepts (0, 1, 2, 4, 5).",
                self.message_type.code()
            ));
        }
        remark_bytes_note(&mut notes, self.remark, TERRAFORM_TOPIC_REMARK_MAX_BYTES);
        let resource = terraform_identifier(self.topic, "topic");
        let mut out = notes_block(&notes);
        let _ = writeln!(
            out,
            "resource \"alicloud_ons_topic\" \"{resource}\" {{\n  instance_id  = {}\n  topic_name   = {}\n  message_type = {}",
            hcl_string(self.instance_id),
            hcl_string(self.topic),
            self.message_type.code()
        );
        if !self.remark.is_empty() {
            let _ = writeln!(out, "  remark       = {}", hcl_string(self.remark));
        }
        out.push_str("}\n\n");
        import_line(
            &mut out,
            "alicloud_ons_topic",
            &resource,
            self.instance_id,
            self.topic,
        );
        out
    }
}

/// A group, for "Copy as Terraform" and "Copy as aliyun CLI". An empty `remark` means none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupSnippet<'a> {
    /// The instance's region, for the aliyun CLI's `--region`.
    pub region: &'a str,
    pub instance_id: &'a str,
    pub group_id: &'a str,
    pub group_type: &'a GroupType,
    pub remark: &'a str,
}

impl GroupSnippet<'_> {
    /// `aliyun ons OnsGroupCreate --region … --InstanceId … --GroupId … --GroupType tcp
    /// [--Remark …]`, shell-quoted.
    pub fn aliyun_cli(&self) -> String {
        let mut out = format!(
            "aliyun ons OnsGroupCreate --region {} --InstanceId {} --GroupId {} --GroupType {}",
            shell_quote(self.region),
            shell_quote(self.instance_id),
            shell_quote(self.group_id),
            shell_quote(self.group_type.as_api_str())
        );
        if !self.remark.is_empty() {
            let _ = write!(out, " --Remark {}", shell_quote(self.remark));
        }
        out
    }

    /// An `alicloud_ons_group` block and its import line (`<instance_id>:<group_id>`), after a
    /// `# note:` for anything the alicloud provider would refuse (it still requires the
    /// `GID_`/`GID-` prefix and 7 characters, which the service no longer does).
    pub fn terraform(&self) -> String {
        let mut notes = Vec::new();
        let id = self.group_id;
        if !(crate::validation::GROUP_ID_PREFIXES
            .iter()
            .any(|p| id.starts_with(p))
            && (TERRAFORM_GROUP_MIN_CHARS..=crate::validation::GROUP_MAX_CHARS)
                .contains(&id.chars().count()))
        {
            notes.push(format!(
                "the alicloud provider requires a group_name that starts with GID_ or GID- and has {TERRAFORM_GROUP_MIN_CHARS} to {} characters; it will refuse this one.",
                crate::validation::GROUP_MAX_CHARS
            ));
        }
        if !self.group_type.is_known() {
            notes.push(
                "group_type is neither tcp nor http, which the alicloud provider refuses."
                    .to_owned(),
            );
        }
        remark_bytes_note(&mut notes, self.remark, TERRAFORM_GROUP_REMARK_MAX_BYTES);
        let resource = terraform_identifier(id, "group");
        let mut out = notes_block(&notes);
        let _ = writeln!(
            out,
            "resource \"alicloud_ons_group\" \"{resource}\" {{\n  instance_id = {}\n  group_name  = {}\n  group_type  = {}",
            hcl_string(self.instance_id),
            hcl_string(id),
            hcl_string(self.group_type.as_api_str())
        );
        if !self.remark.is_empty() {
            let _ = writeln!(out, "  remark      = {}", hcl_string(self.remark));
        }
        out.push_str("}\n\n");
        import_line(
            &mut out,
            "alicloud_ons_group",
            &resource,
            self.instance_id,
            id,
        );
        out
    }
}

/// The alicloud provider's bound on a topic's remark. It measures bytes (Go's `len`), not
/// characters: 43 Chinese characters are already too many for it.
const TERRAFORM_TOPIC_REMARK_MAX_BYTES: usize = 128;
/// The alicloud provider's bound on a group's remark, in bytes.
const TERRAFORM_GROUP_REMARK_MAX_BYTES: usize = 256;
/// The alicloud provider's shortest group name (`GID_` and 3 more).
const TERRAFORM_GROUP_MIN_CHARS: usize = 7;

fn remark_bytes_note(notes: &mut Vec<String>, remark: &str, max_bytes: usize) {
    if remark.len() > max_bytes {
        notes.push(format!(
            "the alicloud provider accepts a remark of at most {max_bytes} bytes (UTF-8); this one has {}.",
            remark.len()
        ));
    }
}

fn notes_block(notes: &[String]) -> String {
    let mut out = String::new();
    for note in notes {
        let _ = writeln!(out, "# note: {note}");
    }
    out
}

/// `# terraform import <kind>.<resource> <instance_id>:<name>`, or a line saying why not: the
/// instance ID and the name reach this comment only when they have their formats (a line
/// break in either would end the comment).
fn import_line(out: &mut String, kind: &str, resource: &str, instance_id: &str, name: &str) {
    let name_ok = (1..=64).contains(&name.len()) && name.chars().all(is_ascii_name_char);
    if !crate::ids::InstanceId::is_valid(instance_id) {
        out.push_str("# terraform import: the InstanceId the service returned is not valid\n");
    } else if !name_ok {
        out.push_str("# terraform import: the name is not valid\n");
    } else {
        let _ = writeln!(
            out,
            "# terraform import {kind}.{resource} {instance_id}:{name}"
        );
    }
}

/// A Terraform resource name from a name: lowercase ASCII letters, digits, `_`; `fallback`
/// when nothing of the name is left.
fn terraform_identifier(name: &str, fallback: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if id.trim_matches('_').is_empty() {
        fallback.clone_into(&mut id);
    }
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    id
}

/// An HCL string literal: quotes, backslashes, newlines and template markers escaped.
fn hcl_string(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if crate::text::needs_escape(c) => out.push_str(&unicode_escape(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A remark with a newline, an escape sequence, a direction override or a tag character
    /// is quoted so that the line holds none of them, and the shell reads back exactly the
    /// text (bash here; zsh and ksh read `$'…'` the same); HCL gets `\uNNNN` escapes.
    #[cfg(unix)]
    #[test]
    fn hidden_characters_are_escaped_and_read_back_exactly() {
        let remark = "pay\n\u{1b}[2J it's \u{202e}\u{200b}\\ \u{e0041}\u{85}";
        let quoted = shell_quote(remark);
        assert!(!quoted.chars().any(crate::text::needs_escape), "{quoted}");
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("printf %s {quoted}")])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), remark, "{quoted}");
        let hcl = hcl_string(remark);
        assert!(!hcl.chars().any(crate::text::needs_escape), "{hcl}");
        assert!(
            hcl.contains("\\u001B[2J") && hcl.contains("\\U000E0041"),
            "{hcl}"
        );
    }

    #[test]
    fn aliyun_command_is_shell_safe() {
        assert_eq!(
            aliyun_cli(
                "cn-hangzhou",
                "orders-prod",
                Some("it's \"prod\"; rm -rf /")
            ),
            r#"aliyun ons OnsInstanceCreate --region cn-hangzhou --InstanceName orders-prod --Remark 'it'\''s "prod"; rm -rf /'"#
        );
        assert_eq!(
            aliyun_cli("cn-beijing", "订单_1", None),
            "aliyun ons OnsInstanceCreate --region cn-beijing --InstanceName 订单_1"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("$(x)"), "'$(x)'");
    }

    #[test]
    fn terraform_block_and_import_line() {
        let tf = terraform("orders-prod", "支付 \"主\" ${x}", "MQ_INST_1_abc");
        assert_eq!(
            tf,
            "resource \"alicloud_ons_instance\" \"orders_prod\" {\n  instance_name = \"orders-prod\"\n  remark        = \"支付 \\\"主\\\" $${x}\"\n}\n\n# terraform import alicloud_ons_instance.orders_prod MQ_INST_1_abc\n"
        );
        assert!(terraform("订单", "", "I").contains("\"instance\""));
        let injected = terraform("a-b", "", "MQ_INST_1\n}\nresource \"x\" \"y\" {");
        assert!(!injected.contains("resource \"x\""), "{injected}");
        assert!(injected.ends_with("is not valid\n"), "{injected}");
        assert!(terraform("9lives", "", "I").contains("\"_9lives\""));
    }

    const INST: &str = "MQ_INST_1880770869020000_BXSuW61e";

    fn topic<'a>(name: &'a str, remark: &'a str) -> TopicSnippet<'a> {
        TopicSnippet {
            region: "cn-hangzhou",
            instance_id: INST,
            topic: name,
            message_type: MessageType::Normal,
            remark,
        }
    }

    fn group<'a>(id: &'a str, remark: &'a str) -> GroupSnippet<'a> {
        GroupSnippet {
            region: "cn-hangzhou",
            instance_id: INST,
            group_id: id,
            group_type: &GroupType::Tcp,
            remark,
        }
    }

    #[test]
    fn topic_aliyun_command_is_shell_safe() {
        assert_eq!(
            topic("orders", "").aliyun_cli(),
            "aliyun ons OnsTopicCreate --region cn-hangzhou --InstanceId MQ_INST_1880770869020000_BXSuW61e --Topic orders --MessageType 0"
        );
        let delayed = TopicSnippet {
            message_type: MessageType::Delay,
            ..topic("orders-delay", "it's $(rm -rf /) `x`\nnext")
        };
        assert_eq!(
            delayed.aliyun_cli(),
            // a newline is a character to escape: $'…', in which nothing is expanded either
            "aliyun ons OnsTopicCreate --region cn-hangzhou --InstanceId MQ_INST_1880770869020000_BXSuW61e --Topic orders-delay --MessageType 5 --Remark $'it\\'s $(rm -rf /) `x`\\nnext'"
        );
        let hostile_id = TopicSnippet {
            instance_id: "MQ_INST_1; rm -rf ~",
            ..topic("orders", "")
        };
        assert!(
            hostile_id
                .aliyun_cli()
                .contains("--InstanceId 'MQ_INST_1; rm -rf ~' --Topic"),
            "{}",
            hostile_id.aliyun_cli()
        );
    }

    #[test]
    fn topic_terraform_block_and_import_line() {
        let tf = TopicSnippet {
            message_type: MessageType::PartitionOrder,
            ..topic("orders-v2", "支付 \"主\" ${x} %{y}\n")
        }
        .terraform();
        assert_eq!(
            tf,
            "resource \"alicloud_ons_topic\" \"orders_v2\" {\n  instance_id  = \"MQ_INST_1880770869020000_BXSuW61e\"\n  topic_name   = \"orders-v2\"\n  message_type = 1\n  remark       = \"支付 \\\"主\\\" $${x} %%{y}\\n\"\n}\n\n# terraform import alicloud_ons_topic.orders_v2 MQ_INST_1880770869020000_BXSuW61e:orders-v2\n"
        );
        let plain = topic("Orders", "").terraform();
        assert!(!plain.contains("remark"), "{plain}");
        assert!(
            plain.starts_with("resource \"alicloud_ons_topic\" \"orders\" {"),
            "{plain}"
        );
        assert!(
            plain.ends_with("MQ_INST_1880770869020000_BXSuW61e:Orders\n"),
            "{plain}"
        );
    }

    #[test]
    fn nothing_from_a_reply_escapes_the_terraform_strings_or_the_import_comment() {
        let injected = TopicSnippet {
            instance_id: "MQ_INST_1\n}\nresource \"x\" \"y\" {",
            ..topic("orders", "")
        }
        .terraform();
        assert!(!injected.contains("\nresource \"x\""), "{injected}");
        assert!(injected.ends_with("is not valid\n"), "{injected}");
        let name = topic(
            "orders\nresource \"x\" \"y\" {}",
            "\"}\nresource \"z\" \"w\" {",
        )
        .terraform();
        assert!(
            !name.contains("\nresource \"x\"") && !name.contains("\nresource \"z\""),
            "{name}"
        );
        assert!(
            name.ends_with("# terraform import: the name is not valid\n"),
            "{name}"
        );
        let group_name = group("GID_a\n# x", "").terraform();
        assert!(
            group_name.ends_with("# terraform import: the name is not valid\n"),
            "{group_name}"
        );
        // Every line outside the block is a comment.
        for tf in [&injected, &name, &group_name] {
            let after = tf.split("\n}\n").nth(1).unwrap();
            assert!(
                after.lines().all(|l| l.is_empty() || l.starts_with('#')),
                "{tf}"
            );
        }
    }

    #[test]
    fn terraform_notes_say_what_the_provider_would_refuse() {
        // The provider counts bytes: 43 Chinese characters are 129 bytes.
        let long = "备".repeat(43);
        let tf = topic("orders", &long).terraform();
        assert!(
            tf.starts_with("# note: the alicloud provider accepts a remark of at most 128 bytes (UTF-8); this one has 129.\nresource "),
            "{tf}"
        );
        assert!(
            !topic("orders", &"备".repeat(42))
                .terraform()
                .contains("# note")
        );
        let other = TopicSnippet {
            message_type: MessageType::Other(3),
            ..topic("orders", "")
        }
        .terraform();
        assert!(other.contains("message_type = 3\n"), "{other}");
        assert!(
            other.starts_with("# note: message_type 3 is not one"),
            "{other}"
        );
        for id in ["orders", "GID_ab", "gid_orders"] {
            let tf = group(id, "").terraform();
            assert!(
                tf.starts_with("# note: the alicloud provider requires a group_name that starts with GID_ or GID- and has 7 to 64 characters"),
                "{tf}"
            );
        }
        for id in ["GID_abc", "GID-orders"] {
            assert!(!group(id, "").terraform().contains("# note"), "{id}");
        }
        let odd = GroupSnippet {
            group_type: &GroupType::Other("grpc".to_owned()),
            ..group("GID_orders", "")
        }
        .terraform();
        assert!(odd.contains("group_type  = \"grpc\"\n"), "{odd}");
        assert!(
            odd.starts_with("# note: group_type is neither tcp nor http"),
            "{odd}"
        );
    }

    #[test]
    fn group_snippets() {
        assert_eq!(
            group("GID_orders", "").aliyun_cli(),
            "aliyun ons OnsGroupCreate --region cn-hangzhou --InstanceId MQ_INST_1880770869020000_BXSuW61e --GroupId GID_orders --GroupType tcp"
        );
        let http = GroupSnippet {
            group_type: &GroupType::Http,
            ..group("GID-web", "a 'quoted' remark")
        };
        assert_eq!(
            http.aliyun_cli(),
            "aliyun ons OnsGroupCreate --region cn-hangzhou --InstanceId MQ_INST_1880770869020000_BXSuW61e --GroupId GID-web --GroupType http --Remark 'a '\\''quoted'\\'' remark'"
        );
        assert_eq!(
            http.terraform(),
            "resource \"alicloud_ons_group\" \"gid_web\" {\n  instance_id = \"MQ_INST_1880770869020000_BXSuW61e\"\n  group_name  = \"GID-web\"\n  group_type  = \"http\"\n  remark      = \"a 'quoted' remark\"\n}\n\n# terraform import alicloud_ons_group.gid_web MQ_INST_1880770869020000_BXSuW61e:GID-web\n"
        );
        let odd = GroupSnippet {
            group_type: &GroupType::Other("x' ; rm".to_owned()),
            ..group("GID_orders", "")
        };
        assert!(
            odd.aliyun_cli().ends_with("--GroupType 'x'\\'' ; rm'"),
            "{}",
            odd.aliyun_cli()
        );
    }

    #[test]
    fn resource_names_fall_back_by_kind() {
        assert!(
            topic("---", "")
                .terraform()
                .contains("\"alicloud_ons_topic\" \"topic\"")
        );
        assert!(
            group("__", "")
                .terraform()
                .contains("\"alicloud_ons_group\" \"group\"")
        );
        assert!(topic("9lives", "").terraform().contains("\"_9lives\""));
    }
}
