//! The per-page summary: counts, bytes, load events, failures, the slowest and largest requests.

use crate::capture::{content_bytes, transfer_bytes, Capture, PageGroup};
use crate::fmt::round_ms;
use crate::report::{PageSummary, RequestRef};

pub fn summarize(cx: &Capture) -> Vec<PageSummary> {
    cx.pages.iter().map(|g| page_summary(cx, g)).collect()
}

fn page_summary(cx: &Capture, group: &PageGroup) -> PageSummary {
    let entries = || group.entries.iter().map(|&i| (i, cx.entry(i)));
    let offset = |abs: Option<f64>| Some(round_ms(abs? - group.start?));
    let reference = |i: usize, value: f64| RequestRef {
        entry: i,
        url: cx.entry(i).request.url.to_string(),
        value,
    };
    let slowest = group
        .entries
        .iter()
        .filter_map(|&i| Some((i, cx.spans[i].duration?)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, d)| reference(i, round_ms(d)));
    let largest = group
        .entries
        .iter()
        .filter_map(|&i| Some((i, content_bytes(cx.entry(i))?)))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, n)| reference(i, n as f64));
    let starts = group.entries.iter().filter_map(|&i| cx.spans[i].start);
    let first = starts.clone().reduce(f64::min);
    let last = starts.reduce(f64::max);
    let finished = group
        .entries
        .iter()
        .filter_map(|&i| cx.spans[i].end())
        .reduce(f64::max);
    let timings = group.page.map(|p| p.page_timings).unwrap_or_default();
    PageSummary {
        page: group.id.map(str::to_owned),
        title: group
            .page
            .and_then(|p| p.title.as_deref())
            .map(str::to_owned),
        started: group
            .page
            .and_then(|p| p.started_date_time.as_deref())
            .map(str::to_owned),
        requests: group.entries.len(),
        content_bytes: entries()
            .filter_map(|(_, e)| content_bytes(e))
            .fold(0, u64::saturating_add),
        transfer_bytes: entries()
            .filter_map(|(_, e)| transfer_bytes(e))
            .fold(0, u64::saturating_add),
        dom_content_loaded_ms: timings.on_content_load().map(round_ms),
        on_load_ms: timings.on_load().map(round_ms),
        http_errors: entries()
            .filter(|(_, e)| e.response.status.is_some_and(|s| s >= 400))
            .count(),
        network_errors: entries()
            .filter(|(_, e)| e.response.status.is_some_and(|s| s <= 0))
            .count(),
        slowest,
        largest,
        first_request_ms: offset(first),
        last_request_ms: offset(last),
        finished_ms: offset(finished),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{entry, har_with_load};

    #[test]
    fn per_page_counts_bytes_and_extremes() {
        let doc = har_with_load(
            Some(400.0),
            Some(900.0),
            &[
                entry("https://app.example/", 0.0)
                    .content_size(5_000)
                    .transfer_size(2_000),
                entry("https://app.example/big.js", 100.0)
                    .content_size(90_000)
                    .transfer_size(30_000)
                    .duration(700.0),
                entry("https://app.example/api", 150.0).status(503),
                entry("https://app.example/gone", 160.0).status(0),
                entry("https://other.example/", 5_000.0).page("page_2"),
            ],
        );
        let har = crate::har::parse(doc.as_bytes()).unwrap();
        let pages = super::summarize(&crate::capture::Capture::new(&har));
        assert_eq!(pages.len(), 2);
        let p = &pages[0];
        assert_eq!(p.page.as_deref(), Some("page_1"));
        assert_eq!(p.requests, 4);
        assert_eq!(p.content_bytes, 5_000 + 90_000 + 1_000 + 1_000);
        assert_eq!(p.transfer_bytes, 32_000);
        assert_eq!(p.http_errors, 1);
        assert_eq!(p.network_errors, 1);
        assert_eq!(p.on_load_ms, Some(900.0));
        assert_eq!(p.dom_content_loaded_ms, Some(400.0));
        assert_eq!(p.slowest.as_ref().map(|s| s.entry), Some(1));
        assert_eq!(p.largest.as_ref().map(|s| s.value), Some(90_000.0));
        assert_eq!(p.last_request_ms, Some(160.0));
        assert_eq!(p.finished_ms, Some(800.0));
        // A page id no page record describes still gets its own summary.
        assert_eq!(pages[1].page.as_deref(), Some("page_2"));
        assert_eq!(pages[1].requests, 1);
        assert_eq!(pages[1].title, None);
    }
}
