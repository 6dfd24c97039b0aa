// After tsup: the CommonJS declarations of `provider-health/mollitia` read mollitia's types, which
// are ES module types, through `resolution-mode` (TypeScript 5.3+). A plain import there is error
// TS1479 for every CommonJS project that type-checks its dependencies (skipLibCheck: false).
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../../dist/mollitia.d.cts', import.meta.url);
const text = readFileSync(file, 'utf8');
const plain = "import * as mollitia from 'mollitia';";
if (!text.includes(plain)) throw new Error(`dist/mollitia.d.cts: expected the line ${plain}`);
writeFileSync(
  file,
  text.replace(plain, "import type * as mollitia from 'mollitia' with { 'resolution-mode': 'import' };"),
);
