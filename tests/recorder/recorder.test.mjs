// End to end, from a real browser: records every scenario of the scenario site afresh in
// headless Chromium, then checks that harscope finds in each what the scenario was built to
// show. Timings of a fresh recording vary, so this checks rules and facts, not exact reports
// (the committed recordings in fixtures/scenarios/har have exact expected reports).
//
//   node --test tests/recorder/     (HARSCOPE_BIN picks the binary; default target/debug)

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.HARSCOPE_BIN || join(root, 'target/debug/harscope');
const out = mkdtempSync(join(tmpdir(), 'harscope-recorded-'));

before(() => {
  assert.ok(existsSync(bin), `build harscope first (${bin})`);
  execFileSync('node', [join(root, 'fixtures/scenarios/record.mjs'), '--out', out], { stdio: 'inherit', timeout: 180_000 });
});

function analyze(name) {
  const r = spawnSync(bin, ['analyze', '--format', 'json', join(out, `${name}.har`)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const byRule = (report, rule) => report.findings.filter((f) => f.rule === rule);

test('the clean page has no findings', () => {
  assert.deepEqual(analyze('clean').findings, []);
});

test('slow server responses are slow-ttfb, graded by how slow', () => {
  const f = byRule(analyze('slow-ttfb'), 'slow-ttfb');
  assert.equal(f.length, 2);
  const search = f.find((x) => x.url.includes('/api/search'));
  assert.equal(search.severity, 'error');
  assert.ok(search.evidence.wait_ms >= 2000, JSON.stringify(search.evidence));
  const report = f.find((x) => x.url.includes('/api/report'));
  assert.equal(report.severity, 'warning');
  assert.deepEqual(report.evidence.trace_ids.map((t) => t.value), ['req-report-7f3a']);
});

test('large payloads, one hidden by compression', () => {
  const f = byRule(analyze('large-payload'), 'large-payload');
  assert.equal(f.length, 2);
  const catalog = f.find((x) => x.url.includes('/api/catalog'));
  assert.equal(catalog.evidence.hidden_by_compression, true);
  assert.equal(catalog.evidence.content_encoding, 'gzip');
  const bundle = f.find((x) => x.url.includes('/bundle/vendor.js'));
  assert.equal(bundle.evidence.measured_by, 'both');
});

test('too many requests before onLoad, by type and host', () => {
  const [f] = byRule(analyze('many-requests'), 'too-many-requests');
  assert.ok(f, 'finding');
  assert.equal(f.evidence.basis, 'onLoad');
  assert.ok(f.evidence.count > 60, `count ${f.evidence.count}`);
  assert.equal(f.evidence.by_type[0].type, 'image');
  assert.equal(f.evidence.hosts, 2);
});

test('a blocking script and a request chain hold the waterfall back', () => {
  const f = byRule(analyze('blocking'), 'waterfall-blocking');
  const urls = f.map((x) => new URL(x.url).pathname).sort();
  assert.deepEqual(urls, ['/api/session', '/js/config.js']);
  assert.ok(f.every((x) => x.evidence.gap_ms >= 500));
});

test('failed API calls: status, message, credentials, content type, trace id', () => {
  const f = byRule(analyze('http-errors'), 'http-error');
  const by = (path) => f.find((x) => new URL(x.url).pathname === path);
  assert.deepEqual(f.map((x) => x.evidence.status).sort(), [401, 401, 403, 404, 422, 429, 500, 502]);
  assert.equal(by('/api/me').evidence.authorization, 'sent');
  assert.equal(by('/api/me').evidence.server_message, 'The access token expired');
  assert.equal(by('/api/account').evidence.authorization, 'not sent');
  assert.equal(by('/api/signup').evidence.content_type_matches, false);
  assert.match(by('/api/signup').evidence.server_message, /email: is not a valid address/);
  assert.equal(by('/api/orders').severity, 'error');
  assert.deepEqual(by('/api/orders').evidence.trace_ids.map((t) => t.header), ['traceparent', 'x-request-id']);
  assert.equal(by('/api/inventory').evidence.server_message, '502 Bad Gateway');
  assert.equal(by('/api/search').evidence.retry_after, '30');
});

test('requests without a response are classified', () => {
  const f = byRule(analyze('network-errors'), 'network-error');
  const kinds = Object.fromEntries(f.map((x) => [new URL(x.url).pathname, x.evidence.kind]));
  assert.deepEqual(kinds, {
    '/api/health': 'connection-refused',
    '/api/no-cors': 'cors',
    '/api/hang': 'aborted',
    '/api/reset': 'connection-reset',
    '/api/ping': 'dns',
    '/api/secure': 'tls',
  });
});

test('one request per item: n-plus-one, sequential and parallel', () => {
  const f = byRule(analyze('n-plus-one'), 'n-plus-one');
  assert.equal(f.length, 2);
  const [products, reviews] = [f.find((x) => x.evidence.pattern.includes('/api/products/{id}')), f.find((x) => x.evidence.pattern.includes('/api/reviews?product={}'))];
  assert.equal(products.evidence.calls, 30);
  assert.equal(products.evidence.mode, 'sequential');
  assert.equal(products.severity, 'warning');
  assert.equal(products.entries.length, 30);
  assert.equal(reviews.evidence.calls, 12);
  assert.equal(reviews.evidence.mode, 'parallel');
  assert.equal(reviews.severity, 'info');
});

test('a form sent twice and a profile fetched twice: duplicate-request', () => {
  const f = byRule(analyze('double-submit'), 'duplicate-request');
  assert.equal(f.length, 2);
  const order = f.find((x) => x.evidence.method === 'POST');
  assert.equal(order.severity, 'error');
  assert.equal(order.evidence.times, 2);
  assert.equal(order.evidence.succeeded, 2);
  assert.ok(order.evidence.within_ms < 2000, order.evidence.within_ms);
  const profile = f.find((x) => x.evidence.method === 'GET');
  assert.equal(profile.severity, 'info');
  assert.ok(profile.url.endsWith('/api/profile'));
});

test('JSON sent uncompressed is uncompressed-text; the compressed copy is not', () => {
  const f = byRule(analyze('uncompressed'), 'uncompressed-text');
  assert.equal(f.length, 1);
  assert.ok(f[0].url.endsWith('/api/export'), f[0].url);
  assert.ok(f[0].evidence.content_bytes > 40000, f[0].evidence.content_bytes);
  assert.equal(f[0].evidence.content_encoding, null);
});

test('an image behind three redirects is a redirect-chain; one redirect is not', () => {
  const f = byRule(analyze('redirects'), 'redirect-chain');
  assert.equal(f.length, 1);
  assert.equal(f[0].evidence.redirects, 3);
  assert.equal(f[0].evidence.cross_origin_hops, 2);
  assert.equal(f[0].evidence.loop, false);
  assert.deepEqual(f[0].evidence.hops.map((h) => h.status), [301, 302, 307, 200]);
  assert.ok(f[0].url.endsWith('/hop/1'));
});

test('a held-back TLS handshake and a certificate expiring in two days: slow-connection', () => {
  const f = byRule(analyze('slow-connection'), 'slow-connection');
  assert.equal(f.length, 2);
  const slow = f.find((x) => x.evidence.tls_ms !== undefined);
  assert.ok(slow.evidence.tls_ms >= 300, slow.evidence.tls_ms);
  assert.match(slow.message, /TLS \d+ ms/);
  const cert = f.find((x) => x.evidence.days_left !== undefined);
  assert.equal(cert.severity, 'warning');
  assert.ok(cert.evidence.days_left > 0 && cert.evidence.days_left <= 2, cert.evidence.days_left);
});

test('a no-store script fetched again is cache-missing; the cached and revalidated ones are not', () => {
  // Playwright records what the page received: a 304 revalidation shows as the cached 200,
  // so only the no-store script shows its cost here (fixtures/hand/chrome-repeat-view.har has
  // Chrome's 304s).
  const f = byRule(analyze('cache'), 'cache-missing');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0].evidence.assets.map((a) => [a.url.split('/').pop(), a.policy, a.fetched]), [['tracker.js', 'no-store', 2]]);
  assert.deepEqual(byRule(analyze('cache'), 'duplicate-request'), []);
});
