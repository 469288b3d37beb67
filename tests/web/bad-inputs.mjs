// Makes the bad-input suite's files (fixtures/bad/cases.json) from their recipes, as
// tests/cli/bad_input.rs does for the CLI.

import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gzipSync, constants } from 'node:zlib';
import { execFileSync } from 'node:child_process';

/** The manifest's cases. */
export function badCases(root) {
  return JSON.parse(readFileSync(join(root, 'fixtures/bad/cases.json'), 'utf8')).cases;
}

/** Writes a case's input(s) into `dir`; a truncation recipe makes one per cut. */
export function makeCase(root, c, dir) {
  const fixture = (rel) => join(root, 'fixtures', rel);
  const make = c.make;
  const path = join(dir, c.file);
  if (make.truncate) {
    const full = readFileSync(fixture(make.truncate));
    return make.percents.map((p) => {
      const cut = join(dir, `${p}pct-${c.file}`);
      writeFileSync(cut, full.subarray(0, Math.floor((full.length * p) / 100)));
      return cut;
    });
  }
  if (make.random_bytes !== undefined) {
    // xorshift32, as the CLI test's recipe.
    let x = (make.seed ?? 1) >>> 0;
    const bytes = Buffer.alloc(make.random_bytes);
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      bytes[i] = x & 0xff;
    }
    writeFileSync(path, bytes);
  } else if (make.gzip) {
    let bytes = gzipSync(readFileSync(fixture(make.gzip)));
    if (make.keep_bytes !== undefined) bytes = bytes.subarray(0, make.keep_bytes);
    writeFileSync(path, bytes);
  } else if (make.gzip_zeros !== undefined) {
    writeFileSync(path, gzipSync(Buffer.alloc(make.gzip_zeros), { level: constants.Z_BEST_SPEED }));
  } else if (make.utf16) {
    const text = (make.bom ? '\ufeff' : '') + readFileSync(fixture(make.utf16), 'utf8');
    let bytes = Buffer.from(text, 'utf16le');
    if (make.order === 'be') bytes.swap16();
    if (make.keep_bytes !== undefined) bytes = bytes.subarray(0, make.keep_bytes);
    if (make.then_gzip) bytes = gzipSync(bytes);
    writeFileSync(path, bytes);
  } else if (make.huge_body_bytes !== undefined) {
    const fd = openSync(path, 'w');
    writeSync(fd, '{"log": {"version": "1.2", "entries": [{"startedDateTime": "2026-01-01T00:00:00Z", "time": 10, "request": {"method": "GET", "url": "https://a.example/big"}, "response": {"status": 200, "content": {"mimeType": "text/plain", "text": "');
    const block = Buffer.alloc(1 << 24, 'x');
    for (let left = make.huge_body_bytes; left > 0; left -= block.length) {
      writeSync(fd, block, 0, Math.min(left, block.length));
    }
    writeSync(fd, '"}}, "timings": {"wait": 5, "receive": 5}}]}}');
    closeSync(fd);
  } else if (make.patch) {
    const doc = JSON.parse(readFileSync(fixture(make.patch), 'utf8'));
    for (const [pointer, value] of make.set) {
      const keys = pointer.split('/').slice(1);
      const last = keys.pop();
      keys.reduce((o, k) => o[k], doc)[last] = value;
    }
    writeFileSync(path, JSON.stringify(doc));
  } else {
    const depth = make.nest ?? 0;
    writeFileSync(path, (make.text ?? '') + '['.repeat(depth) + ']'.repeat(depth) + (make.then ?? ''));
  }
  return [path];
}

/** The manifest's damaged report links: their fragments (`#r1....`), as the CLI test makes them. */
export function badLinks(root, bin) {
  const manifest = JSON.parse(readFileSync(join(root, 'fixtures/bad/cases.json'), 'utf8'));
  return manifest.links.map((c) => {
    const make = c.make;
    let fragments;
    if (make.deflated_spaces !== undefined) {
      const bomb = deflateRawSync(Buffer.alloc(make.deflated_spaces, 0x20), { level: 9 });
      fragments = [`#r1.${bomb.toString('base64url')}`];
    } else {
      const link = execFileSync(bin, ['analyze', '--link', '--', join(root, 'fixtures', make.link_of)], { encoding: 'utf8' }).trim();
      const fragment = link.slice(link.indexOf('#'));
      if (make.cut_end !== undefined) {
        fragments = [fragment.slice(0, fragment.length - make.cut_end)];
      } else {
        fragments = [];
        for (let at = 4; at < fragment.length; at += make.flip_every) {
          fragments.push(fragment.slice(0, at) + (fragment[at] === 'A' ? 'g' : 'A') + fragment.slice(at + 1));
        }
      }
    }
    return { ...c, fragments };
  });
}
