//! The thresholds rules compare against. Every one is configurable (CLI flags, the web app's
//! settings); the defaults follow the incident runbook.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// `slow-ttfb`: server wait above this, in milliseconds.
    pub ttfb_ms: f64,
    /// `large-payload`: decoded or transferred body above this, in bytes.
    pub payload_bytes: u64,
    /// `too-many-requests`: more requests than this before onLoad.
    pub max_requests: usize,
    /// `waterfall-blocking`: a request holding all others back for this long, in milliseconds.
    pub blocking_ms: f64,
    /// `n-plus-one`: this many calls to one endpoint pattern with different ids (0: off).
    pub n_plus_one: usize,
    /// `duplicate-request`: the same mutating request again within this many milliseconds.
    pub duplicate_window_ms: f64,
    /// `uncompressed-text`: text bodies above this size sent uncompressed, in bytes (0: off).
    pub uncompressed_bytes: u64,
    /// `redirect-chain`: chains of this many redirects or more (0: off).
    pub redirect_hops: usize,
    /// `slow-connection`: DNS, TCP or TLS setup above this, in milliseconds.
    pub slow_connection_ms: f64,
    /// `slow-connection`: certificates expiring within this many days of the capture.
    pub cert_expiry_days: f64,
    /// `cache-missing`: static assets cached for less than this many seconds.
    pub cache_min_s: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            ttfb_ms: 500.0,
            payload_bytes: 1_048_576,
            max_requests: 50,
            blocking_ms: 500.0,
            n_plus_one: 10,
            duplicate_window_ms: 2000.0,
            uncompressed_bytes: 20_480,
            redirect_hops: 2,
            slow_connection_ms: 200.0,
            cert_expiry_days: 14.0,
            cache_min_s: 86_400,
        }
    }
}

/// Findings this many times over their threshold are errors rather than warnings.
pub const ERROR_FACTOR: f64 = 4.0;
