import { createRequire } from 'node:module';

type GetPublicSuffix = (hostname: string) => string | null;
let getPublicSuffix: GetPublicSuffix | undefined;

/**
 * Whether `domain` is a public suffix of the ICANN section of the Public Suffix List (`com`,
 * `co.uk`, `com.au`): a name under which anyone can register a sibling, so a provider pattern
 * ending there (`*.co.uk`) would claim strangers' hosts. The list is the well-kept `tldts-icann`
 * package, loaded on the first configured wildcard pattern only: a service without one pays
 * nothing for it at start-up. The private section (github.io, googleapis.com) is left out: its
 * names belong to one operator, and the catalog's own Vertex AI pattern lives under one.
 */
export function isPublicSuffix(domain: string): boolean {
  getPublicSuffix ??= (createRequire(import.meta.url)('tldts-icann') as { getPublicSuffix: GetPublicSuffix })
    .getPublicSuffix;
  return getPublicSuffix(domain) === domain;
}
