// Benchmark (not a test): file-to-findings time of the web app on a generated 200 MB capture,
// in headless Chromium, beside two baselines measured in the same browser and run:
//   - the floor: the browser reading the file as a stream and doing nothing else (and, for
//     reference, the same read into a buffer of our own, as the app's worker reads it);
//   - what JavaScript HAR viewers do: file.text() then JSON.parse, on the main thread;
// and the CLI on the same file. Also the longest main-thread task while the app parses, and
// the release .wasm sizes. Prints a Markdown table.
//
//   node web/bench.mjs [--runs 3] [--file bench-data/big-200MB.har]
// (after `trunk build --release` and `cargo build --release`; scripts/bench-web.sh does both)

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('--runs', 9));
const file = resolve(arg('--file', join(root, 'bench-data/big-200MB.har')));
if (!existsSync(file)) {
  execFileSync(join(root, 'target/release/gen-har'), ['--size', '200MB', '--out', file], { stdio: 'inherit' });
}
const size = statSync(file).size;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const site = await serve(join(root, 'dist'), 0);
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'harscope-bench-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Installs a long-task observer; returns nothing. */
const watchLongTasks = () => {
  window.__longTasks = [];
  window.__tasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__longTasks.push(e.duration);
      window.__tasks.push([e.startTime, e.duration]);
    }
  }).observe({ type: 'longtask', buffered: false });
};

async function harscopeRun() {
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForSelector('#file-input', { state: 'attached' });
  // As a person would, choose the file a moment after the page opened: the page uses that
  // moment to start (and warm up) the worker that will read it.
  await page.waitForTimeout(1500);
  await page.evaluate(watchLongTasks);
  await page.evaluate(() => {
    document.querySelector('#file-input').addEventListener('change', () => { window.__t0 = performance.now(); }, { capture: true });
    new MutationObserver(() => {
      if (!window.__t1 && document.querySelector('section.report')) window.__t1 = performance.now();
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('section.report', { timeout: 120_000 });
  await page.waitForTimeout(300);
  // Tasks that started before the findings were on screen: reading, parsing and the first
  // paint; the table and waterfall are drawn after.
  const r = await page.evaluate(() => ({
    ms: window.__t1 - window.__t0,
    longest: Math.max(0, ...window.__tasks.filter(([start]) => start < window.__t1).map(([, d]) => d)),
    after: Math.max(0, ...window.__tasks.filter(([start]) => start >= window.__t1).map(([, d]) => d)),
  }));
  const status = await page.locator('.load-timing').textContent();
  await page.close();
  return { ...r, status };
}

async function baselineRun(kind) {
  const page = await context.newPage();
  await page.goto('about:blank'); // a plain page; the input is added below
  await page.evaluate(watchLongTasks);
  await page.evaluate((kind) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-input';
    document.body.appendChild(input);
    input.addEventListener('change', async () => {
      const t0 = performance.now();
      const f = input.files[0];
      if (kind === 'stream') {
        const reader = f.stream().getReader();
        let n = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          n += value.length;
        }
        window.__bytes = n;
      } else if (kind === 'byob') {
        // The same stream read into a buffer of our own, as the app's worker reads it.
        const reader = f.stream().getReader({ mode: 'byob' });
        let buffer = new ArrayBuffer(1 << 20);
        let n = 0;
        for (;;) {
          const { done, value } = await reader.read(new Uint8Array(buffer));
          if (done) break;
          n += value.length;
          buffer = value.buffer;
        }
        window.__bytes = n;
      } else {
        const text = await f.text();
        const before = performance.now();
        window.__entries = JSON.parse(text).log.entries.length;
        // JSON.parse is one synchronous task on the main thread, however long it runs.
        window.__longTasks.push(performance.now() - before);
      }
      window.__ms = performance.now() - t0;
    });
  }, kind);
  await page.setInputFiles('#bench-input', file);
  await page.waitForFunction(() => window.__ms !== undefined, null, { timeout: 120_000 });
  await page.waitForTimeout(300); // long-task entries arrive after the task
  const r = await page.evaluate(() => ({ ms: window.__ms, longest: Math.max(0, ...window.__longTasks) }));
  await page.close();
  return r;
}

function cliRun() {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(join(root, 'target/release/harscope'), ['analyze', '--format', 'json', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, longest: 0 };
}

const results = { harscope: [], stream: [], byob: [], js: [], cli: [] };
for (let i = 0; i < runs; i++) {
  results.stream.push(await baselineRun('stream'));
  results.byob.push(await baselineRun('byob'));
  results.harscope.push(await harscopeRun());
  results.js.push(await baselineRun('js'));
  results.cli.push(cliRun());
}
await context.close();
await site.close();

const med = (k) => median(results[k].map((r) => r.ms));
const worst = (k) => Math.max(...results[k].map((r) => r.longest));
const floor = med('stream');
const rows = [
  ['harscope web app: file to findings', 'harscope'],
  ['floor: file.stream() read only', 'stream'],
  ['file.stream() read only, into our own buffer (BYOB)', 'byob'],
  ['JavaScript: file.text() + JSON.parse', 'js'],
  ['harscope CLI (native), same file', 'cli'],
];
console.log(`File: ${file} (${(size / 1e6).toFixed(1)} MB), headless Chromium, median of ${runs} runs.\n`);
console.log('| path | median | vs floor | longest main-thread task until findings |');
console.log('|---|---|---|---|');
for (const [label, k] of rows) {
  const longest = k === 'cli' ? 'n/a' : `${worst(k).toFixed(0)} ms`;
  console.log(`| ${label} | ${med(k).toFixed(0)} ms | ${(med(k) / floor).toFixed(2)}x | ${longest} |`);
}
console.log(`\nJavaScript path / web app: ${(med('js') / med('harscope')).toFixed(2)}x; web app / floor: ${(med('harscope') / floor).toFixed(2)}x.`);
// The paths run one after another in each round, so a round's ratios share the machine's
// state at that moment: their medians are steadier than ratios of medians on a noisy machine.
const paired = (num, den) => median(results[num].map((r, i) => r.ms / results[den][i].ms));
console.log(`Per round (median of the ${runs} rounds' ratios): JavaScript path / web app ${paired('js', 'harscope').toFixed(2)}x; web app / floor ${paired('harscope', 'stream').toFixed(2)}x.`);
console.log(`Each round, ms (web app, floor, JavaScript): ${results.harscope.map((r, i) => `${r.ms.toFixed(0)}/${results.stream[i].ms.toFixed(0)}/${results.js[i].ms.toFixed(0)}`).join(' ')}`);
console.log(`App's own split (last run): ${results.harscope.at(-1).status}`);
console.log(`Longest main-thread task after the findings showed (drawing the waterfall and table): ${Math.max(...results.harscope.map((r) => r.after)).toFixed(0)} ms.`);

console.log('\n| release file | raw | gzip -9 |');
console.log('|---|---|---|');
let totalGz = 0;
for (const name of ['app_bg.wasm', 'worker_bg.wasm', 'app.js', 'worker.js']) {
  const bytes = readFileSync(join(root, 'dist', name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (name.endsWith('.wasm')) totalGz += gz;
  console.log(`| ${name} | ${(bytes.length / 1000).toFixed(1)} KB | ${(gz / 1000).toFixed(1)} KB |`);
}
console.log(`\nAll .wasm, gzip: ${(totalGz / 1000).toFixed(1)} KB (goal: 600 KB or less).`);
