/**
 * nv runs on Node 20 (package.json `engines`). Every package the lock file installs must say it
 * runs there too: docx 9.15 asks for nanoid 6, which wants Node 22; package.json `overrides` pins
 * the nanoid that docx gets to 5.x (docx bundles what it uses of nanoid; the DOCX tests cover it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

interface Lock {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
}

describe('the Node version', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lowest = semver.minVersion(pkg.engines.node)!.version;

  it(`is one every locked package supports (from ${pkg.engines.node}, i.e. ${lowest}, and this ${process.version})`, () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
    const refused: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
      if (path === '' || range === undefined) continue;
      for (const node of [lowest, process.version])
        if (!semver.satisfies(node, range)) refused.push(`${path}@${p.version}: node ${range} (not ${node})`);
    }
    expect(refused).toEqual([]);
  });
});
