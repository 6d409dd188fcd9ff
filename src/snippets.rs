//! The same create said another way: an aliyun CLI command, and a Terraform resource with its
//! `terraform import` line, for people who keep infrastructure in code.

use std::fmt::Write as _;

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

/// A POSIX-shell word: bare when safe, else single-quoted.
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || "-_./:@,+=".contains(c)
                || crate::validation::is_cjk_ideograph(c)
        });
    if safe {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A Terraform `alicloud_ons_instance` block for an existing instance, and its import line.
/// The import line is left out unless `instance_id` has an InstanceId's format (it comes from
/// the server: nothing else may reach HCL or a shell).
pub fn terraform(name: &str, remark: &str, instance_id: &str) -> String {
    let resource = terraform_identifier(name);
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

/// A Terraform resource name from an instance name: lowercase ASCII letters, digits, `_`.
fn terraform_identifier(name: &str) -> String {
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
        "instance".clone_into(&mut id);
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
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
