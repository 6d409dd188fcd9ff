//! Signing speed: one whole `OnsInstanceCreate` signature. V1: common parameters, canonical
//! query, string to sign, HMAC-SHA1, base64; target ≤ 5 µs. V3: the `x-acs-*` headers, every
//! stage, two SHA-256 and an HMAC-SHA256 (Authorization included).

#![allow(
    clippy::disallowed_macros,
    reason = "test, bench and example output goes to the developer running them"
)]
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use onsdesk::credentials::{Credentials, SecretString};
use onsdesk::signing::{Method, v1, v3};

fn bench(c: &mut Criterion) {
    let creds = Credentials::new(
        "TESTbenchbenchbench1",
        SecretString::from("bench-secret-0123456789abcdef"),
    );
    let now = time::macros::datetime!(2026-11-28 09:12:00 UTC);
    let nonce = "3f6a1c2e-0b5d-4e8f-9a7b-000000000000";
    c.bench_function("sign_v1_create_ascii", |b| {
        b.iter(|| {
            v1::sign(
                black_box(&v1::Request {
                    method: Method::Post,
                    action: "OnsInstanceCreate",
                    params: &[
                        ("RegionId", "cn-hangzhou"),
                        ("InstanceName", "orders-prod_01"),
                        ("Remark", "payments primary"),
                    ],
                }),
                &creds,
                now,
                nonce,
            )
        });
    });
    c.bench_function("sign_v1_create_chinese", |b| {
        b.iter(|| {
            v1::sign(
                black_box(&v1::Request {
                    method: Method::Post,
                    action: "OnsInstanceCreate",
                    params: &[
                        ("RegionId", "cn-hangzhou"),
                        ("InstanceName", "订单服务-生产_01"),
                        ("Remark", "支付 订单 主实例"),
                    ],
                }),
                &creds,
                now,
                nonce,
            )
        });
    });
    c.bench_function("sign_v3_create_chinese", |b| {
        b.iter(|| {
            v3::sign(
                black_box(&v3::Request {
                    method: Method::Post,
                    host: "ons.cn-hangzhou.aliyuncs.com",
                    action: "OnsInstanceCreate",
                    query: &[
                        ("RegionId", "cn-hangzhou"),
                        ("InstanceName", "订单服务-生产_01"),
                        ("Remark", "支付 订单 主实例"),
                    ],
                    headers: &[],
                    body: b"",
                }),
                &creds,
                now,
                nonce,
            )
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
