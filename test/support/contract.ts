import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { REPO_ROOT } from '../../subgraphs/common/config.js';
import { readSupergraph } from '../../gateway/supergraph.js';

export function publicSchema(): GraphQLSchema {
  return buildASTSchema(transformSupergraphToPublicSchema(parse(readSupergraph())));
}

export function contractDocument(): DocumentNode {
  return parse(readFileSync(path.join(REPO_ROOT, 'test/contract/operations.graphql'), 'utf8'));
}

/** Each named operation as its own document text. */
export function contractOperations(): Map<string, string> {
  const source = readFileSync(path.join(REPO_ROOT, 'test/contract/operations.graphql'), 'utf8');
  const doc = parse(source);
  const ops = new Map<string, string>();
  for (const def of doc.definitions) {
    const op = def as OperationDefinitionNode;
    if (op.kind === 'OperationDefinition' && op.name && op.loc) ops.set(op.name.value, source.slice(op.loc.start, op.loc.end));
  }
  return ops;
}
