// harscope against React DevTools itself: each recorded profile in fixtures/react/profiles is
// loaded into DevTools' own Profiler (its "Load profile" input, in headless Chromium), and what
// DevTools computes for it (each commit's duration and ranked chart, each fiber's commits) must
// equal what `harscope profile` reports for the same file. The same check runs on profiles
// recorded afresh (fixtures/react/record.mjs), so a change in DevTools' export shows up here.
//
//   node --test tests/profiles/     (HARSCOPE_BIN picks the binary; default target/debug)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDevTools, loadProfile, profilerShows } from '../../fixtures/react/devtools-page.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.HARSCOPE_BIN || join(root, 'target/debug/harscope');
const committed = join(root, 'fixtures/react/profiles');
const fresh = mkdtempSync(join(tmpdir(), 'harscope-profiles-'));
// DevTools' element types that are not components: host elements (`div`) and roots.
const NOT_COMPONENTS = new Set([7, 11]);
// harscope reports milliseconds to one decimal.
const ROUNDING = 0.051;

let devtools;
before(async () => {
  assert.ok(existsSync(bin), `build harscope first (${bin})`);
  execFileSync('node', [join(root, 'fixtures/react/record.mjs'), '--out', fresh], { stdio: 'inherit', timeout: 180_000 });
  devtools = await openDevTools();
});
after(() => devtools?.close());

function harscope(path) {
  const r = spawnSync(bin, ['profile', '--format', 'json', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const sorted = (xs) => [...xs].sort();
const close = (a, b, what) => assert.ok(Math.abs(a - b) <= ROUNDING, `${what}: harscope ${a}, DevTools ${b}`);

// DevTools 8 reads export version 5 only; the version 4 profile (DevTools 4.10) is checked
// below against the counts the committed recording has, which are the app's by construction.
const exportVersion = (path) => JSON.parse(readFileSync(path, 'utf8')).version;
const ALL = readdirSync(committed).filter((f) => f.endsWith('.json'));
const RECORDED = ALL.filter((f) => exportVersion(join(committed, f)) === 5);
const OLDER = ALL.filter((f) => !RECORDED.includes(f));
const CASES = [committed, fresh].flatMap((dir) => RECORDED.map((file) => [dir, file]));
for (const [dir, file] of CASES) {
  const kind = dir === committed ? 'committed' : 'fresh';
  test(`${kind} ${file}: harscope counts what DevTools shows`, async () => {
    const path = join(dir, file);
    await loadProfile(devtools.page, path);
    const shows = await profilerShows(devtools.page);
    const report = harscope(path);
    assert.deepEqual(report.summary.roots, shows.roots.map((r) => r.displayName), 'roots');

    const commits = shows.roots.flatMap((r) => r.commits.map((c) => ({ ...c, root: r.displayName })));
    assert.equal(report.commits.length, commits.length, 'commits');
    const threshold = report.thresholds.slow_commit_ms;
    const slowInDevTools = [];
    commits.forEach((c, i) => {
      const ours = report.commits[i];
      assert.equal(ours.index, c.index);
      assert.equal(ours.root, c.root);
      close(ours.duration_ms, c.duration, `commit ${i} duration`);
      close(ours.timestamp_ms, c.timestamp, `commit ${i} timestamp`);
      const components = c.ranked.filter((n) => !NOT_COMPONENTS.has(n.type));
      assert.deepEqual(
        sorted(ours.components.map((x) => x.name)),
        sorted(components.map((n) => n.name)),
        `commit ${i}: the components that rendered`,
      );
      const selfOf = (name) => components.filter((n) => n.name === name).reduce((s, n) => s + n.self, 0);
      for (const name of new Set(components.map((n) => n.name))) {
        const ourSelf = ours.components.filter((x) => x.name === name).reduce((s, x) => s + x.self_ms, 0);
        const fibers = components.filter((n) => n.name === name).length;
        assert.ok(Math.abs(ourSelf - selfOf(name)) <= ROUNDING * fibers, `commit ${i} ${name} self time`);
      }
      if (c.duration > threshold) slowInDevTools.push(i);
    });
    assert.ok(slowInDevTools.length > 0, 'the fixture has slow commits');
    const slowFindings = report.findings.filter((f) => f.rule === 'slow-commit').map((f) => f.evidence.commit);
    assert.deepEqual(sorted(slowFindings), sorted(slowInDevTools), 'slow commits');

    // Per component name: the commits its fibers rendered in, first mounts included.
    const renderedIn = new Map();
    for (const r of shows.roots) {
      const byId = new Map(r.commits.flatMap((c) => c.ranked.map((n) => [n.id, n])));
      for (const { id, commits: at } of r.fiberCommits) {
        const node = byId.get(id);
        if (NOT_COMPONENTS.has(node.type)) continue;
        renderedIn.set(node.name, (renderedIn.get(node.name) ?? 0) + at.length);
      }
    }
    assert.deepEqual(
      Object.fromEntries(sorted(report.components.map((c) => c.name)).map((n) => {
        const c = report.components.find((x) => x.name === n);
        return [n, c.renders + c.mounts];
      })),
      Object.fromEntries(sorted(renderedIn.keys()).map((n) => [n, renderedIn.get(n)])),
      'renders per component',
    );
  });
}

for (const file of OLDER) {
  test(`fresh ${file}: the same renders as the committed recording`, () => {
    const counts = (r) => Object.fromEntries(r.components.map((c) => [c.name, [c.renders, c.mounts]]));
    const now = harscope(join(fresh, file));
    const kept = harscope(join(committed, file));
    assert.equal(now.source.export_version, kept.source.export_version);
    assert.deepEqual(counts(now), counts(kept));
    assert.equal(now.commits.length, kept.commits.length);
    assert.deepEqual(now.commits.map((c) => c.slow), kept.commits.map((c) => c.slow));
  });
}
