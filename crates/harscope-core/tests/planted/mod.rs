//! Shared by the link and sanitize tests.

/// The secrets planted in `fixtures/hand/planted-secrets.har`: cookies, Set-Cookie, a bearer
/// JWT (also echoed in a 401's message), an API key in a query string (echoed in a 500's
/// message), a token in a URL fragment, a form password (echoed in a 422's message), a JSON
/// body's refresh token, an x-api-key header, a password in a URL's user info, a token in a
/// URL path, a session token in a response body, a Proxy-Authorization credential, a session
/// id in the page's title, a CSRF token in a header and in HTML.
pub const PLANTED: [&str; 14] = [
    "9f8e7d6c5b4a3f2e1d0c",
    "rt_Zx81Pq0mLk27Vb55Hq90",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzk5OTk5OTk5fQ.Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5nT25seQ",
    "AKIA7QX2PLNT5R9W",
    "ya29.a0AfH6SMBplantedToken123",
    "hunter2-Planted!",
    "rft-7c1d4e2b9a",
    "xk_live_51HcPlantedKey0099",
    "Tr0ub4dor-3",
    "2b7e151628aed2a6abf7158809cf4f3c",
    "st-4f9a8b7c6d5e",
    "ZGVwbG95OlRyMHViNGRvci0z",
    "sess_0a1b2c3d4e5f",
    "csrf-88a7b6c5d4e3",
];
