import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTable, withConfigTable } from '../../scripts/docs/config-table.js';
import { ENV_VARS, OPTION_TABLE } from '../../src/config/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe("the README's configuration table", () => {
  it('is the one printed from the options table (npm run generate:readme rewrites it)', () => {
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('has a row for every setting and every environment variable', () => {
    const table = renderConfigTable();
    for (const spec of OPTION_TABLE) expect(table).toContain(`\`${spec.readmeOption ?? spec.option}\``);
    for (const variable of ENV_VARS) expect(readme).toContain(`| \`${variable}\` |`);
  });
});
