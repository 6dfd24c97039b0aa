import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const design = readFileSync(join(ROOT, 'docs/design.md'), 'utf8');
const headings = new Set([...design.matchAll(/^#{2,4} (.+)$/gm)].map((match) => (match[1] as string).trim()));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|cjs|mjs)$/.test(name) ? [path] : [];
  });
}

describe('docs/design.md is the contract the code cites', () => {
  const files = ['src', 'bench', 'scripts', 'instrumentation'].flatMap((dir) => sources(join(ROOT, dir)));
  const citations = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/docs\/design\.md,? \(?"([^"]+)"/g)].map((match) => ({
      file: file.slice(ROOT.length),
      section: match[1] as string,
    })),
  );

  it('every cited section exists', () => {
    expect(citations.length).toBeGreaterThan(10);
    for (const { file, section } of citations)
      expect(headings.has(section), `${file} cites "${section}"`).toBe(true);
  });

  it('no comment cites a document outside the repository', () => {
    for (const file of files) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bDESIGN\.md\b|the (product )?specification\b/);
    }
  });
});
