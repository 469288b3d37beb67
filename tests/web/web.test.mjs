// End-to-end tests of the built web app (dist/) in headless Chromium, driven by playwright-core
// under Node's test runner. The page must show, for every fixture capture, exactly the
// findings the CLI reports for the same file.
//
//   node --test tests/web/      (after `trunk build --release` and `cargo build`)
//
// Screenshots of the report and the waterfall land in target/e2e-artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../web/serve.mjs';
import { badCases, badLinks, makeCase } from './bad-inputs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist');
const bin = process.env.HARSCOPE_BIN || join(root, 'target/debug/harscope');
const artifacts = join(root, 'target/e2e-artifacts');
const scratch = mkdtempSync(join(tmpdir(), 'harscope-web-'));

let site;
let browser;

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'build the web app first: trunk build --release');
  assert.ok(existsSync(bin), `build the CLI first (${bin})`);
  mkdirSync(artifacts, { recursive: true });
  site = await serve(dist, 0);
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'harscope-chromium-')), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** A fresh tab on the app; page errors and console errors fail the test that opened it. */
async function openApp(query = '') {
  const page = await browser.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console: ${m.text()}`);
  });
  await page.goto(site.url + query);
  await page.waitForSelector('#file-input', { state: 'attached' });
  return page;
}

async function loadFile(page, path) {
  await page.setInputFiles('#file-input', path);
  await page.waitForSelector('section.report, #load-error', { timeout: 60_000 });
  // The request rows arrive just after the findings.
  if (await page.locator('section.report').count()) {
    await page.waitForFunction(() => document.querySelectorAll('.trow').length > 0, null, { timeout: 60_000 });
  }
}

/** Shows every page's findings (captures with several pages open on the first). */
async function allPages(page) {
  if (await page.locator('#page-select').count()) {
    await page.selectOption('#page-select', '*');
  }
}

async function shownFindings(page) {
  return page.$$eval('article.finding', (els) => els.map((e) =>
    `${e.dataset.severity} ${e.dataset.rule} ${e.querySelector('.message').textContent}`));
}

function cliJson(path, args = []) {
  const r = spawnSync(bin, ['analyze', '--format', 'json', ...args, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function cliFindings(path, args = []) {
  return cliJson(path, args).findings.map((f) => `${f.severity} ${f.rule} ${f.message}`);
}

function fixtureCaptures() {
  const out = [];
  for (const dir of ['fixtures/scenarios/har', 'fixtures/hand']) {
    for (const name of readdirSync(join(root, dir)).filter((n) => n.endsWith('.har')).sort()) {
      out.push(join(root, dir, name));
    }
  }
  return out;
}

test('every fixture capture shows the findings the CLI reports', async () => {
  const page = await openApp();
  const captures = fixtureCaptures();
  assert.ok(captures.length >= 15, `only ${captures.length} fixtures`);
  for (const path of captures) {
    await loadFile(page, path);
    assert.equal(await page.locator('#load-error').count(), 0, `${path} failed to load`);
    await allPages(page);
    assert.deepEqual(await shownFindings(page), cliFindings(path), path);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a capture dropped on the page is analyzed', async () => {
  const page = await openApp();
  const bytes = [...readFileSync(join(root, 'fixtures/scenarios/har/http-errors.har'))];
  await page.evaluate((data) => {
    const file = new File([new Uint8Array(data)], 'dropped.har', { type: 'application/json' });
    const dt = new DataTransfer();
    dt.items.add(file);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, bytes);
  await page.waitForSelector('section.report');
  assert.equal(await page.locator('.file-name').textContent(), 'dropped.har');
  assert.equal(await page.locator('article.finding[data-rule="http-error"]').count(), 8);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('pasted JSON is analyzed', async () => {
  const page = await openApp();
  await page.click('details.paste summary');
  await page.fill('#paste-area', readFileSync(join(root, 'fixtures/hand/chrome-sanitized-401.har'), 'utf8'));
  await page.click('details.paste button');
  await page.waitForSelector('section.report');
  assert.equal(await page.locator('article.finding[data-rule="http-error"]').count(), 1);
  await page.close();
});

test('the sample loads, and its report and waterfall are saved as screenshots', async () => {
  const page = await openApp();
  await page.click('#sample-button');
  await page.waitForSelector('section.report');
  assert.ok(await page.locator('article.finding').count() >= 5);
  assert.ok(await page.locator('.waterfall .row').count() >= 10, 'waterfall rows');
  assert.ok(await page.locator('.waterfall .blocking-gap').count() >= 1, 'the blocking gap is drawn');
  assert.ok(await page.locator('.waterfall .row.failed').count() >= 3, 'failed requests are marked');
  await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
  await page.locator('.waterfall-section').screenshot({ path: join(artifacts, 'waterfall.png') });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('6,000 requests: the waterfall and the table draw only the rows in view', async () => {
  const entries = [];
  for (let i = 0; i < 6000; i++) {
    entries.push({
      startedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i * 5)).toISOString(),
      time: 40,
      request: { method: 'GET', url: `https://many.example/item/${i}`, headers: [] },
      response: { status: i % 97 === 0 ? 500 : 200, headers: [], content: { size: 100, mimeType: 'application/json' } },
      timings: { blocked: 1, dns: -1, connect: -1, send: 1, wait: 30, receive: 8 },
    });
  }
  const path = join(scratch, 'six-thousand.har');
  writeFileSync(path, JSON.stringify({ log: { version: '1.2', entries } }));
  const page = await openApp();
  await loadFile(page, path);
  const drawn = await page.locator('.waterfall .row').count();
  assert.ok(drawn > 10 && drawn < 100, `waterfall rows drawn: ${drawn}`);
  const tableRows = await page.locator('.trow').count();
  assert.ok(tableRows > 10 && tableRows < 100, `table rows drawn: ${tableRows}`);
  await page.locator('.waterfall-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector('.waterfall .row[data-entry="5999"]');
  await page.locator('.table-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector('.trow[data-entry="5999"]');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the dark theme follows the system', async () => {
  const page = await openApp();
  await page.emulateMedia({ colorScheme: 'dark' });
  await loadFile(page, join(root, 'fixtures/scenarios/har/sample.har'));
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(22, 24, 28)');
  await page.screenshot({ path: join(artifacts, 'report-dark.png') });
  await page.close();
});

test('corrupt and foreign files get a clear error, with the position', async () => {
  const page = await openApp();
  const full = readFileSync(join(root, 'fixtures/scenarios/har/clean.har'), 'utf8');
  const truncated = join(scratch, 'truncated.har');
  writeFileSync(truncated, full.slice(0, Math.floor(full.length / 2)));
  await loadFile(page, truncated);
  const error = await page.locator('#load-error').textContent();
  assert.match(error, /truncated\.har could not be analyzed/);
  assert.match(error, /looks truncated/);
  assert.match(error, /line \d+, column \d+/);

  const foreign = join(scratch, 'package.json');
  writeFileSync(foreign, '{"name": "not-a-capture", "version": "1.0.0"}');
  await loadFile(page, foreign);
  assert.match(await page.locator('#load-error').textContent(), /not a HAR file/);

  // The page recovers: the next good file analyzes normally.
  await loadFile(page, join(root, 'fixtures/scenarios/har/clean.har'));
  assert.equal(await page.locator('.no-findings').count(), 1);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('thresholds re-run the analysis and live in the URL', async () => {
  const capture = join(root, 'fixtures/scenarios/har/slow-ttfb.har');
  const page = await openApp('?ttfb=3000');
  await loadFile(page, capture);
  assert.equal(await page.locator('article.finding[data-rule="slow-ttfb"]').count(), 0);
  assert.equal(await page.inputValue('#threshold-slow-ttfb'), '3000');
  await page.click('details.settings summary');
  await page.fill('#threshold-slow-ttfb', '1000');
  await page.press('#threshold-slow-ttfb', 'Enter');
  await page.waitForSelector('article.finding[data-rule="slow-ttfb"]');
  assert.deepEqual(await shownFindings(page), cliFindings(capture, ['--ttfb-ms', '1000']));
  assert.match(page.url(), /[?&]ttfb=1000\b/);
  await page.close();
});

test('several pages: a page selector, with counts and findings per page', async () => {
  const page = await openApp();
  await loadFile(page, join(root, 'fixtures/hand/chrome-two-pages.har'));
  assert.equal(await page.locator('#page-select option').count(), 3);
  assert.equal(await page.locator('article.finding').count(), 0, 'the first page has no findings');
  assert.equal(await page.locator('.card[data-card="requests"] .card-value').textContent(), '3');
  await page.selectOption('#page-select', 'page_2');
  assert.equal(await page.locator('article.finding').count(), 2);
  assert.equal(await page.locator('.trow').count(), 3);
  await page.close();
});

test('the request table sorts, filters and opens a request from the keyboard', async () => {
  const page = await openApp();
  await loadFile(page, join(root, 'fixtures/scenarios/har/http-errors.har'));
  await page.selectOption('#filter-status', '5xx');
  assert.equal(await page.locator('.trow').count(), 2);
  await page.selectOption('#filter-status', '');
  await page.fill('#filter-search', 'signup');
  assert.equal(await page.locator('.trow').count(), 1);
  await page.fill('#filter-search', '');
  await page.click('.thead button:has-text("Duration")');
  const durations = await page.$$eval('.trow', (rows) => rows.map((r) => r.children[6].textContent));
  assert.ok(durations.length === 9, `rows: ${durations.length}`);
  await page.focus('.trow[data-entry="6"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#request-detail .server-message');
  assert.match(await page.locator('#request-detail').textContent(), /could not obtain a database connection/);
  assert.match(await page.locator('#request-detail').textContent(), /traceparent/);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#request-detail').count(), 0);
  await page.close();
});

test('a 200 MB capture shows reading and parsing progress, then its report', async () => {
  const big = join(root, 'bench-data/big-200MB.har');
  if (!existsSync(big)) {
    const gen = [join(root, 'target/release/gen-har'), join(root, 'target/debug/gen-har')].find(existsSync);
    assert.ok(gen, 'build gen-har first');
    mkdirSync(dirname(big), { recursive: true });
    execFileSync(gen, ['--size', '200MB', '--out', big]);
  }
  assert.ok(statSync(big).size > 190e6);
  const page = await openApp();
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const text = document.querySelector('.progress-text')?.textContent;
      if (text && window.__progress.at(-1) !== text) window.__progress.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await loadFile(page, big);
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.some((t) => /^Reading: .* MiB of 190\.\d+ MiB/.test(t)), `progress seen: ${JSON.stringify(seen)}`);
  assert.ok(seen.length >= 3, `progress updates: ${JSON.stringify(seen)}`);
  await allPages(page);
  assert.equal(await page.locator('.card[data-card="requests"] .card-value').textContent(), '2552');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a plain HAR larger than a tab could hold whole is read as it arrives', async () => {
  // 2.1 GB: past the 1.9 GB a tab can hold at once. Entries are read and let go as they
  // arrive, so the worker holds the capture's model, not its bytes.
  const huge = join(scratch, 'huge-2100MB.har');
  const gen = [join(root, 'target/release/gen-har'), join(root, 'target/debug/gen-har')].find(existsSync);
  assert.ok(gen, 'build gen-har first');
  execFileSync(gen, ['--size', '2100MB', '--out', huge]);
  const page = await openApp();
  await page.setInputFiles('#file-input', huge);
  await page.waitForSelector('section.report, #load-error', { timeout: 120_000 });
  assert.equal(await page.locator('#load-error').count(), 0, await page.locator('#load-error').textContent().catch(() => ''));
  await allPages(page);
  const requests = Number(await page.locator('.card[data-card="requests"] .card-value').textContent());
  assert.ok(requests > 20_000, `requests: ${requests}`);
  const memory = (await page.locator('.load-timing').textContent()).match(/([\d.]+) (MiB|GiB) of memory/);
  assert.ok(memory && memory[2] === 'MiB' && Number(memory[1]) < 400, `worker memory: ${memory}`);
  assert.deepEqual(page.problems, []);
  await page.close();
  rmSync(huge);
});

test('every input of the bad-input suite gets a clear message or a report, and no crash', async () => {
  for (const c of badCases(root)) {
    for (const path of makeCase(root, c, scratch)) {
      const name = basename(path);
      const expect = c.web;
      const page = await openApp();
      await page.setInputFiles('#file-input', path);
      await page.waitForSelector('section.report, section.profile-report, #load-error', { timeout: 120_000 });
      const error = await page.locator('#load-error').count() ? await page.locator('#load-error').textContent() : null;
      if (expect.error) {
        assert.ok(error, `${name}: no error shown`);
        assert.ok(error.includes(`${name} could not be analyzed`), `${name}: ${error}`);
        assert.ok(error.includes(expect.error), `${name}: \`${expect.error}\` in ${error}`);
      } else {
        assert.equal(error, null, `${name}: ${error}`);
        await page.waitForFunction(() => document.querySelectorAll('.trow').length > 0, null, { timeout: 60_000 });
        await allPages(page);
        const shown = await shownFindings(page);
        if (expect.same_as) {
          assert.deepEqual(shown, cliFindings(join(root, 'fixtures', expect.same_as)), name);
        }
        if (expect.rules) {
          assert.deepEqual(shown.map((f) => f.split(' ')[1]), expect.rules, name);
        }
        const text = await page.evaluate(() => document.body.innerText);
        for (const absent of expect.absent ?? []) {
          assert.ok(!text.includes(absent), `${name}: \`${absent}\` on the page`);
        }
      }
      assert.deepEqual(page.problems, [], name);
      await page.close();
      rmSync(path);
    }
  }
});

test('a React profile dropped like a HAR shows its commits, components and why they rendered', async () => {
  const path = join(root, 'fixtures/react/profiles/react19-changes.json');
  const page = await openApp();
  await page.setInputFiles('#file-input', path);
  await page.waitForSelector('section.profile-report');
  // The same findings as the CLI's JSON report on the same file.
  assert.deepEqual(await shownFindings(page), cliFindings(path));
  assert.equal(await page.locator('.commit-bar').count(), 6);
  assert.equal(await page.locator('.commit-bar.slow').count(), 6);
  assert.equal(await page.locator('.card[data-card="commits"] .card-value').textContent(), '6');
  // A commit's components, ranked, with why each rendered.
  await page.locator('.commit-bar[data-commit="5"]').click();
  const detail = await page.locator('#commit-detail').textContent();
  assert.match(detail, /Commit 6 of App/);
  assert.match(detail, /Details.*why: first mount/);
  assert.match(detail, /Header.*why: parent rendered/);
  assert.equal(await page.locator('#commit-detail .ranked-name').first().textContent(), 'SlowChart');
  // The same commit as a flame chart: a bar per component the CLI lists for it, App on top
  // and widest, every other bar below it and within its span.
  await page.click('#commit-detail button[data-mode="Flame chart"]');
  const bars = await page.locator('#commit-detail .flame-bar').evaluateAll((gs) => gs.map((g) => {
    const r = g.querySelector('rect');
    return { name: g.dataset.component, x: +r.getAttribute('x'), y: +r.getAttribute('y'), w: +r.getAttribute('width') };
  }));
  const cliCommit = cliJson(path).commits[5];
  assert.deepEqual(bars.map((b) => b.name).sort(), cliCommit.components.map((c) => c.name).sort());
  const app = bars.find((b) => b.name === 'App');
  assert.equal(app.y, 0);
  assert.ok(bars.every((b) => b === app || (b.y > 0 && b.x >= app.x && b.x + b.w <= app.x + app.w + 0.5)), JSON.stringify(bars));
  assert.ok(bars.find((b) => b.name === 'SlowChart').w > app.w * 0.8, 'SlowChart takes most of the commit');
  await page.screenshot({ path: join(artifacts, 'profile-flame.png'), fullPage: true });
  await page.click('#commit-detail button[data-mode="Ranked"]');
  assert.equal(await page.locator('#commit-detail .ranked-name').first().textContent(), 'SlowChart');
  // The ranking sorts, and a component shows why it re-rendered.
  await page.click('.chead button:has-text("Re-renders")');
  assert.equal(await page.locator('.crow .c-name').first().textContent(), 'Row');
  await page.click('.crow[data-component="Header"]');
  assert.match(await page.locator('#component-detail').textContent(), /its parent rendered with nothing of its own changed 6 times/);
  await page.screenshot({ path: join(artifacts, 'profile.png'), fullPage: true });
  // Thresholds re-run the profile rules at once.
  await page.click('details.settings summary');
  await page.fill('#threshold-slow-commit', '100');
  await page.press('#threshold-slow-commit', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('.commit-bar.slow').length === 0);
  assert.match(page.url(), /[?&]commit=100\b/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a profile without why-did-this-render says so', async () => {
  const page = await openApp();
  await page.setInputFiles('#file-input', join(root, 'fixtures/react/profiles/react18-plain.json'));
  await page.waitForSelector('section.profile-report');
  assert.match(await page.locator('.source-line').textContent(), /why components rendered was not recorded/);
  assert.match(await page.locator('article.finding[data-rule="frequent-rerender"]').first().textContent(), /did not record why/);
  await page.close();
});

test('the Content-Security-Policy is present and stops inline script', async () => {
  const page = await openApp();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const ran = await page.evaluate(() => {
    window.__inline = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.appendChild(s);
    return window.__inline;
  });
  assert.equal(ran, false);
  await page.close();
});

const PLANTED = JSON.parse(readFileSync(join(root, 'fixtures/hand/planted-secrets.secrets.json'), 'utf8'));

function decodeLink(url) {
  const r = spawnSync(bin, ['link', 'decode', url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('report links: Copy link, open the link in a new page, see the same report', async () => {
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  const page = await openApp();
  for (const path of fixtureCaptures()) {
    await loadFile(page, path);
    await page.click('#copy-link');
    await page.waitForSelector('#link-url');
    const url = await page.inputValue('#link-url');
    assert.ok(url.startsWith(`${site.url}#r1.`), url);
    // The same link went to the clipboard.
    await page.waitForFunction(() => /Link copied/.test(document.querySelector('.link-status')?.textContent ?? ''));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
    const carried = decodeLink(url);
    const opened = await browser.newPage();
    const problems = [];
    opened.on('pageerror', (e) => problems.push(e.message));
    await opened.goto(url);
    await opened.waitForSelector('#shared-banner');
    await allPages(opened);
    const expected = carried.report.findings.map((f) => `${f.severity} ${f.rule} ${f.message}`);
    assert.deepEqual(await shownFindings(opened), expected, path);
    if (!path.endsWith('planted-secrets.har')) {
      assert.deepEqual(expected, cliFindings(path), `${path}: nothing to redact, the same findings`);
    }
    assert.equal(await opened.locator('.trow').count() > 0, carried.rows.entry.length > 0, path);
    const text = await opened.evaluate(() => document.body.innerText);
    for (const secret of PLANTED) {
      assert.ok(!url.includes(secret) && !text.includes(secret), `${path}: ${secret} leaked`);
    }
    assert.deepEqual(problems, [], path);
    await opened.close();
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a shared report opens with its banner, carried details, and no re-analysis', async () => {
  const path = join(root, 'fixtures/hand/planted-secrets.har');
  const page = await openApp();
  await loadFile(page, path);
  await page.click('#copy-link');
  const url = await page.inputValue('#link-url');
  await page.close();
  const opened = await openApp();
  await opened.goto(url);
  await opened.waitForSelector('#shared-banner');
  const banner = await opened.locator('#shared-banner').textContent();
  assert.match(banner, /Shared report · capture from 2026-11-20T09:00:00.000Z · made by harscope \d/);
  assert.match(banner, /masked \d+ header values/);
  // A flagged request's detail travels in the link: header names kept, credentials masked.
  await opened.click('article.finding[data-rule="http-error"] button.link >> nth=0');
  await opened.waitForSelector('#request-detail .server-message');
  const detail = await opened.locator('#request-detail').textContent();
  assert.match(detail, /authorization/i);
  assert.match(detail, /\[redacted\]/);
  await opened.screenshot({ path: join(artifacts, 'shared-report.png'), fullPage: true });
  // Nothing to re-analyze: the thresholds are disabled.
  assert.ok(await opened.locator('#threshold-slow-ttfb').isDisabled());
  // Loading a file replaces the shared report and drops the link from the address.
  await opened.setInputFiles('#file-input', join(root, 'fixtures/hand/chrome-sanitized-401.har'));
  await opened.waitForFunction(() => !document.querySelector('#shared-banner') && document.querySelector('section.report'));
  assert.equal(new URL(opened.url()).hash, '');
  assert.ok(!(await opened.locator('#threshold-slow-ttfb').isDisabled()));
  assert.deepEqual(opened.problems, []);
  await opened.close();
});

test('damaged, tampered and newer links show a clear error, not a broken page', async () => {
  for (const [fragment, expected] of [
    ['#r1.AAAA', /damaged/],
    ['#r1.@@@', /damaged/],
    ['#r1.' + 'A'.repeat(5000), /damaged/],
    ['#r9.abc', /newer harscope/],
  ]) {
    const page = await openApp(fragment);
    await page.waitForSelector('#load-error');
    assert.match(await page.locator('#load-error').textContent(), expected, fragment.slice(0, 20));
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  // A link whose report was cut: a valid prefix of a real link.
  const page = await openApp();
  await loadFile(page, join(root, 'fixtures/hand/chrome-two-pages.har'));
  await page.click('#copy-link');
  const url = await page.inputValue('#link-url');
  await page.goto(url.slice(0, url.length - 40));
  await page.waitForSelector('#load-error');
  assert.match(await page.locator('#load-error').textContent(), /damaged/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('every damaged link of the bad-input suite gets a clear message, not a broken page', async () => {
  for (const c of badLinks(root, bin)) {
    let refused = 0;
    // Each flipped link is a page load: eight of them here, all of them in the CLI test.
    const fragments = c.fragments.slice(0, 8);
    for (const fragment of fragments) {
      const page = await openApp(fragment);
      await page.waitForSelector('#load-error, #shared-banner', { timeout: 60_000 });
      const error = await page.locator('#load-error').count() ? await page.locator('#load-error').textContent() : null;
      if (error !== null || !c.error_unless_it_reads) {
        assert.ok(error?.includes(c.error ?? c.error_unless_it_reads), `${c.name}: ${error}`);
        refused += 1;
      }
      assert.deepEqual(page.problems, [], c.name);
      await page.close();
    }
    assert.ok(refused * 2 > fragments.length, `${c.name}: ${refused} of ${fragments.length}`);
  }
});

test('Download sanitized HAR: the capture with its secrets masked, the bytes the CLI writes, the same findings', async () => {
  const planted = join(root, 'fixtures/hand/planted-secrets.har');
  // The same capture as UTF-16 (as PowerShell saves text): its copy is UTF-8.
  const planted16 = join(scratch, 'utf16-planted-secrets.har');
  writeFileSync(planted16, Buffer.from(`\ufeff${readFileSync(planted, 'utf8')}`, 'utf16le').swap16());
  const page = await openApp();
  for (const [path, bodies] of [
    [planted, 'errors'], [planted, 'none'], [planted, 'all'], [planted16, 'errors'],
    [join(root, 'fixtures/scenarios/har/http-errors.har'), 'errors'],
  ]) {
    await loadFile(page, path);
    await page.selectOption('#sanitize-bodies', bodies);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-sanitized')]);
    const name = path.split('/').pop().replace(/\.har$/, '.sanitized.har');
    assert.equal(download.suggestedFilename(), name);
    const saved = join(scratch, `${bodies}-${name}`);
    await download.saveAs(saved);
    const text = readFileSync(saved, 'utf8');
    for (const secret of PLANTED) {
      assert.ok(!text.includes(secret), `${secret} in the sanitized copy (bodies: ${bodies})`);
    }
    // The page and the CLI make the same file.
    const cli = spawnSync(bin, ['sanitize', path, '-o', '-', '--bodies', bodies], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(cli.stdout === text, `${path} (bodies: ${bodies}): the page's copy differs from the CLI's`);
    await page.waitForSelector('#sanitized-status');
    const status = await page.locator('#sanitized-status').textContent();
    assert.match(status, new RegExp(`Saved ${name.replace('.', '\\.')} \\(.+\\): (redacted \\d+ header values|nothing)`), status);
    // Dropped back in, the copy shows the findings the original does (rule and severity;
    // messages may have a masked secret).
    const shape = (findings) => findings.map((f) => f.split(' ').slice(0, 2).join(' '));
    const original = cliFindings(path);
    await loadFile(page, saved);
    await allPages(page);
    assert.deepEqual(shape(await shownFindings(page)), shape(original), `${path} (bodies: ${bodies})`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
  // A report opened from a link has no capture behind it: nothing to sanitize.
  const source = await openApp();
  await loadFile(source, planted);
  await source.click('#copy-link');
  const url = await source.inputValue('#link-url');
  await source.close();
  const opened = await openApp();
  await opened.goto(url);
  await opened.waitForSelector('#shared-banner');
  assert.equal(await opened.locator('#download-sanitized').count(), 0);
  await opened.close();
});

/** What a hostile capture could have done to the page: scripts run, elements injected,
 * links to `javascript:`. */
async function injected(page) {
  return page.evaluate(() => ({
    ran: window.__xss || 0,
    imgs: document.querySelectorAll('img[src="x"]').length,
    svgs: [...document.querySelectorAll('svg')].filter((s) => s.getAttribute('onload')).length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__xss')).length,
    jsLinks: [...document.querySelectorAll('[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
    iframes: document.querySelectorAll('iframe').length,
  }));
}

const CLEAN = { ran: 0, imgs: 0, svgs: 0, scripts: 0, jsLinks: 0, handlers: 0, iframes: 0 };

test('a React profile whose component, prop and updater names are markup stays text in every view', async () => {
  // fixtures/hand/hostile-profile.json: the React 19 profile with payloads prefixed to every
  // component name, key, changed prop and updater.
  const path = join(root, 'fixtures/hand/hostile-profile.json');
  const page = await openApp();
  await page.setInputFiles('#file-input', path);
  await page.waitForSelector('section.profile-report');
  assert.ok((await page.locator('section.profile-report').textContent()).includes('<svg onload="window.__xss=4">'));
  assert.deepEqual(await shownFindings(page), cliFindings(path));
  // Every commit, in both modes (hovering the flame chart's bars), and every component.
  assert.equal(await page.locator('.commit-bar').count(), 6);
  assert.ok(await page.locator('.crow').count() >= 8);
  for (let i = 0; i < await page.locator('.commit-bar').count(); i++) {
    await page.locator('.commit-bar').nth(i).click({ force: true });
    await page.click('#commit-detail button[data-mode="Flame chart"]');
    for (const bar of await page.locator('#commit-detail .flame-bar').all()) {
      await bar.hover({ force: true });
    }
    await page.click('#commit-detail button[data-mode="Ranked"]');
  }
  for (let i = 0; i < await page.locator('.crow').count(); i++) {
    await page.locator('.crow').nth(i).click({ force: true });
    await page.waitForSelector('#component-detail');
  }
  assert.deepEqual(await injected(page), CLEAN);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a capture full of markup and script payloads stays text in every view and in its link', async () => {
  const path = join(root, 'fixtures/hand/hostile-markup.har');
  const page = await openApp();
  await loadFile(page, path);
  await allPages(page);
  // The payloads are shown, as text.
  assert.ok((await page.locator('section.report').textContent()).includes('<img src=x onerror='));
  assert.deepEqual(await shownFindings(page), cliFindings(path));
  // Hover every waterfall row, open every request's detail (headers, query, payload, the
  // server's message), from the waterfall and from the table.
  const rows = await page.locator('.waterfall .row').count();
  assert.equal(rows, 5);
  // (Forced: an open detail moves the rows, which Playwright would wait on.)
  for (let i = 0; i < rows; i++) {
    await page.locator('.waterfall .row').nth(i).hover({ force: true });
    await page.locator('.waterfall .row').nth(i).click({ force: true });
    await page.waitForSelector('#request-detail');
    await page.waitForTimeout(50);
  }
  for (let i = 0; i < await page.locator('.trow').count(); i++) {
    await page.locator('.trow').nth(i).click({ force: true });
    await page.waitForSelector('#request-detail');
  }
  await page.fill('#threshold-slow-ttfb', '100').catch(() => {});
  await page.waitForTimeout(300);
  assert.deepEqual(await injected(page), CLEAN);
  // The same through a report link.
  await page.click('#copy-link');
  const url = await page.inputValue('#link-url');
  const opened = await openApp();
  await opened.goto(url);
  await opened.waitForSelector('#shared-banner');
  for (let i = 0; i < await opened.locator('.waterfall .row').count(); i++) {
    await opened.locator('.waterfall .row').nth(i).hover({ force: true });
  }
  for (const button of await opened.locator('article.finding button.link').all()) {
    await button.click({ force: true });
    await opened.waitForSelector('#request-detail');
  }
  assert.deepEqual(await injected(opened), CLEAN);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(opened.problems, []);
  // The check itself sees an injection (the CSP would stop the handler from running, so the
  // elements are what betray one).
  await opened.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="1">'));
  const caught = await injected(opened);
  assert.equal(caught.imgs, 1);
  assert.equal(caught.handlers, 1);
  await opened.close();
  await page.close();
});
