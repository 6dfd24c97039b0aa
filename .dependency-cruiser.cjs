/**
 * The layers of src/ (docs/design.md, "Layers"): a folder may import its own files and the
 * folders of lower layers, never a folder of its own layer or a higher one. Files directly in
 * src/ are the public API and sit on top. `npm test` runs this check (npm run lint:layers).
 */
const LAYERS = [
  ['common'],
  ['outcome', 'usage'],
  ['breaker'],
  ['health'],
  ['config'],
  ['checks'],
  ['providers'],
  ['gate', 'fleet'],
  ['telemetry', 'intercept'],
  ['server'],
  ['mixin'],
];

const rules = [];
LAYERS.forEach((folders, level) => {
  const higher = LAYERS.slice(level + 1).flat();
  for (const folder of folders) {
    const forbidden = [...higher, ...folders.filter((other) => other !== folder)];
    rules.push({
      name: `layer-${folder}`,
      comment: `src/${folder}/ may import only lower layers: ${LAYERS.slice(0, level).flat().join(', ') || 'none'}`,
      severity: 'error',
      from: { path: `^src/${folder}/` },
      to: { path: forbidden.length === 0 ? '^$' : `^src/(${forbidden.join('|')})/` },
    });
    rules.push({
      name: `no-api-from-${folder}`,
      comment: 'the public API (files directly in src/) sits on top: nothing below imports it',
      severity: 'error',
      from: { path: `^src/${folder}/` },
      to: { path: '^src/[^/]+\\.ts$' },
    });
  }
});

module.exports = {
  forbidden: [
    ...rules,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles, between files or through types',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-folders-known',
      severity: 'error',
      comment: 'every folder of src/ belongs to a layer (add a new one to LAYERS)',
      from: { path: '^src/', pathNot: `^src/(${LAYERS.flat().join('|')})/|^src/[^/]+\\.ts$` },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
