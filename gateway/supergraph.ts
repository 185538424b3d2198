import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type SubgraphName } from '../subgraphs/common/config.js';

export const SUPERGRAPH_PATH = path.join(REPO_ROOT, 'schema', 'supergraph.graphql');

export function readSupergraph(file = SUPERGRAPH_PATH): string {
  return readFileSync(file, 'utf8');
}

/** Points each subgraph of the supergraph at the URL this deployment uses. */
export function withSubgraphUrls(supergraph: string, urls: Partial<Record<SubgraphName, string>>): string {
  return supergraph.replace(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g, (whole, name: string) => {
    const url = urls[name as SubgraphName];
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}
