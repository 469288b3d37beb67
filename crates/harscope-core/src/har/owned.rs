//! Detaching a capture from its input: every borrowed string copied, so the model outlives the
//! bytes it was read from. The web app reads a file through a small window that is reused for
//! the next chunk; what it keeps of each entry is a fraction of the entry's bytes.

use std::borrow::Cow;

use super::lenient::Excerpt;
use super::model::{
    Entry, Har, Header, Initiator, Page, PostData, Product, Request, SecurityDetails,
};
use super::response::{Content, Response};

fn own(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

fn own_opt(s: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    s.map(own)
}

impl Har<'_> {
    pub fn into_owned(self) -> Har<'static> {
        Har {
            version: own(self.version),
            creator: self.creator.map(Product::into_owned),
            browser: self.browser.map(Product::into_owned),
            pages: self.pages.into_iter().map(Page::into_owned).collect(),
            entries: self.entries.into_iter().map(Entry::into_owned).collect(),
        }
    }
}

impl Product<'_> {
    pub fn into_owned(self) -> Product<'static> {
        Product {
            name: own(self.name),
            version: own(self.version),
        }
    }
}

impl Page<'_> {
    pub fn into_owned(self) -> Page<'static> {
        Page {
            id: own(self.id),
            title: own_opt(self.title),
            started_date_time: own_opt(self.started_date_time),
            page_timings: self.page_timings,
        }
    }
}

impl Entry<'_> {
    pub fn into_owned(self) -> Entry<'static> {
        Entry {
            pageref: own_opt(self.pageref),
            started_date_time: own_opt(self.started_date_time),
            time: self.time,
            request: self.request.into_owned(),
            response: self.response.into_owned(),
            timings: self.timings,
            server_ip_address: own_opt(self.server_ip_address),
            connection: own_opt(self.connection),
            resource_type: own_opt(self.resource_type),
            initiator: self.initiator.map(|i| Initiator {
                kind: own_opt(i.kind),
                url: own_opt(i.url),
            }),
            initiator_type: own_opt(self.initiator_type),
            priority: own_opt(self.priority),
            from_cache: own_opt(self.from_cache),
            error: own_opt(self.error),
            was_aborted: self.was_aborted,
            security: self.security.map(|s| SecurityDetails {
                protocol: own_opt(s.protocol),
                subject_name: own_opt(s.subject_name),
                issuer: own_opt(s.issuer),
                valid_from: s.valid_from,
                valid_to: s.valid_to,
            }),
        }
    }
}

fn own_headers(headers: Vec<Header<'_>>) -> Vec<Header<'static>> {
    headers
        .into_iter()
        .map(|h| Header {
            name: own(h.name),
            value: own(h.value),
        })
        .collect()
}

fn own_excerpt(e: Option<Excerpt<'_>>) -> Option<Excerpt<'static>> {
    e.map(|e| Excerpt {
        text: own(e.text),
        full_len: e.full_len,
    })
}

impl Request<'_> {
    pub fn into_owned(self) -> Request<'static> {
        Request {
            method: own(self.method),
            url: own(self.url),
            http_version: own(self.http_version),
            headers: own_headers(self.headers),
            cookies: self.cookies,
            post_data: self.post_data.map(|p| PostData {
                mime_type: own_opt(p.mime_type),
                text: own_excerpt(p.text),
            }),
            headers_size: self.headers_size,
            body_size: self.body_size,
        }
    }
}

impl Response<'_> {
    pub fn into_owned(self) -> Response<'static> {
        Response {
            status: self.status,
            status_text: own(self.status_text),
            http_version: own(self.http_version),
            headers: own_headers(self.headers),
            cookies: self.cookies,
            content: Content {
                size: self.content.size,
                compression: self.content.compression,
                mime_type: own(self.content.mime_type),
                text: own_excerpt(self.content.text),
                encoding: own_opt(self.content.encoding),
            },
            redirect_url: own(self.redirect_url),
            headers_size: self.headers_size,
            body_size: self.body_size,
            transfer_size: self.transfer_size,
            error: own_opt(self.error),
            failure_text: own_opt(self.failure_text),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_owned_capture_reads_as_the_borrowed_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        for name in ["scenarios/har/sample.har", "hand/planted-secrets.har"] {
            let bytes = std::fs::read(root.join(name)).unwrap();
            let borrowed = super::super::parse(&bytes).unwrap();
            let expected = format!("{borrowed:?}");
            let owned = borrowed.into_owned();
            drop(bytes);
            assert_eq!(format!("{owned:?}"), expected, "{name}");
        }
    }
}
