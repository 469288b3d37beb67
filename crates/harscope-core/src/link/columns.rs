//! Waterfall rows in a link, column by column: a column of similar values (methods, statuses,
//! timings) compresses about an eighth better than the same rows written object by object.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::capture::url_authority;
use crate::view::{Phases, RequestRow};

#[derive(Default, Serialize, Deserialize)]
struct Columns {
    entry: Vec<usize>,
    page: Vec<Option<String>>,
    method: Vec<String>,
    url: Vec<String>,
    status: Vec<Option<i64>>,
    status_text: Vec<String>,
    resource_type: Vec<String>,
    mime_type: Vec<String>,
    start_ms: Vec<Option<f64>>,
    duration_ms: Vec<Option<f64>>,
    wait_ms: Vec<Option<f64>>,
    blocked: Vec<Option<f64>>,
    dns: Vec<Option<f64>>,
    connect: Vec<Option<f64>>,
    ssl: Vec<Option<f64>>,
    send: Vec<Option<f64>>,
    wait: Vec<Option<f64>>,
    receive: Vec<Option<f64>>,
    content_bytes: Vec<Option<u64>>,
    transfer_bytes: Vec<Option<u64>>,
    failure: Vec<Option<String>>,
    from_cache: Vec<Option<String>>,
}

pub fn serialize<S: Serializer>(rows: &[RequestRow], s: S) -> Result<S::Ok, S::Error> {
    let mut c = Columns::default();
    for r in rows {
        c.entry.push(r.entry);
        c.page.push(r.page.clone());
        c.method.push(r.method.clone());
        c.url.push(r.url.clone());
        c.status.push(r.status);
        c.status_text.push(r.status_text.clone());
        c.resource_type.push(r.resource_type.clone());
        c.mime_type.push(r.mime_type.clone());
        c.start_ms.push(r.start_ms);
        c.duration_ms.push(r.duration_ms);
        c.wait_ms.push(r.wait_ms);
        c.blocked.push(r.phases.blocked);
        c.dns.push(r.phases.dns);
        c.connect.push(r.phases.connect);
        c.ssl.push(r.phases.ssl);
        c.send.push(r.phases.send);
        c.wait.push(r.phases.wait);
        c.receive.push(r.phases.receive);
        c.content_bytes.push(r.content_bytes);
        c.transfer_bytes.push(r.transfer_bytes);
        c.failure.push(r.failure.clone());
        c.from_cache.push(r.from_cache.clone());
    }
    c.serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RequestRow>, D::Error> {
    let c = Columns::deserialize(d)?;
    let n = c.entry.len();
    let lengths = [
        c.page.len(),
        c.method.len(),
        c.url.len(),
        c.status.len(),
        c.status_text.len(),
        c.resource_type.len(),
        c.mime_type.len(),
        c.start_ms.len(),
        c.duration_ms.len(),
        c.wait_ms.len(),
        c.blocked.len(),
        c.dns.len(),
        c.connect.len(),
        c.ssl.len(),
        c.send.len(),
        c.wait.len(),
        c.receive.len(),
        c.content_bytes.len(),
        c.transfer_bytes.len(),
        c.failure.len(),
        c.from_cache.len(),
    ];
    if lengths.iter().any(|&l| l != n) {
        return Err(serde::de::Error::custom(
            "the waterfall's columns differ in length",
        ));
    }
    let mut rows = Vec::with_capacity(n);
    let mut page = c.page.into_iter();
    let mut method = c.method.into_iter();
    let mut url = c.url.into_iter();
    let mut status_text = c.status_text.into_iter();
    let mut resource_type = c.resource_type.into_iter();
    let mut mime_type = c.mime_type.into_iter();
    let mut failure = c.failure.into_iter();
    let mut from_cache = c.from_cache.into_iter();
    for i in 0..n {
        let url = url.next().unwrap_or_default();
        rows.push(RequestRow {
            entry: c.entry[i],
            page: page.next().flatten(),
            method: method.next().unwrap_or_default(),
            host: url_authority(&url),
            url,
            status: c.status[i],
            status_text: status_text.next().unwrap_or_default(),
            resource_type: resource_type.next().unwrap_or_default(),
            mime_type: mime_type.next().unwrap_or_default(),
            start_ms: c.start_ms[i],
            duration_ms: c.duration_ms[i],
            wait_ms: c.wait_ms[i],
            phases: Phases {
                blocked: c.blocked[i],
                dns: c.dns[i],
                connect: c.connect[i],
                ssl: c.ssl[i],
                send: c.send[i],
                wait: c.wait[i],
                receive: c.receive[i],
            },
            content_bytes: c.content_bytes[i],
            transfer_bytes: c.transfer_bytes[i],
            failure: failure.next().flatten(),
            from_cache: from_cache.next().flatten(),
        });
    }
    Ok(rows)
}
