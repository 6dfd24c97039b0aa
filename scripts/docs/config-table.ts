/**
 * The README's configuration table, printed from the one options table (src/config/option-table.ts).
 * `npm run generate:readme` writes it between the markers; test/config/readme-table.test.ts fails
 * when the committed README differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultText, OPTION_TABLE } from '../../src/config/option-table.js';

export const START_MARKER =
  '<!-- config-table:start (generated from src/config/option-table.ts: npm run generate:readme) -->';
export const END_MARKER = '<!-- config-table:end -->';

export function renderConfigTable(): string {
  const rows = OPTION_TABLE.map((spec) => {
    const variable = spec.env === undefined ? '' : `\`${spec.env}\``;
    const option = `\`${spec.readmeOption ?? spec.option}\``;
    return `| ${variable} | ${option} | ${defaultText(spec)} | ${spec.meaning} |`;
  });
  return ['| variable | option | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** README text with the table between the markers replaced; throws if a marker is missing. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${START_MARKER} … ${END_MARKER}`);
  return `${readme.slice(0, start + START_MARKER.length)}\n${renderConfigTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(new URL('../../README.md', import.meta.url));
  writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
}
