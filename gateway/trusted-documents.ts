/**
 * Trusted documents (Hive Gateway's persisted documents): the typed client's and the contract's
 * operations are registered at build time in gateway/trusted-documents.json (`npm run codegen`
 * writes it, scripts/trusted-documents.ts). Any client may send a registered document by its id
 * (`documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`) instead of its text. Where
 * `partnerTrustedDocumentsOnly` is on (production by default), a partner may send nothing else;
 * officers, dashboards and vaccinators may still send any document within the limits.
 *
 * The gateway's `allowArbitraryDocuments` hook sees only the fetch Request, not who sent it: a
 * small plugin remembers, for each HTTP request, whether its (already authenticated) viewer may
 * send text. Over graphql-ws there is no Request at all, so the same rule runs where the gateway
 * accepts a subscribe message (`webSocketRefusal`), before the runtime sees it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError, Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Config } from '../subgraphs/common/config.js';
import { REPO_ROOT } from '../subgraphs/common/config.js';
import type { Viewer } from '../subgraphs/common/auth/viewer.js';
import { documentHash } from '../subgraphs/common/internal-documents.js';

/** The manifest of registered documents, relative to the repository root. */
export const TRUSTED_DOCUMENTS_FILE = 'gateway/trusted-documents.json';

/** A text document from a viewer who may only send registered ones. */
export const TRUSTED_DOCUMENT_REQUIRED = 'TRUSTED_DOCUMENT_REQUIRED';
/** A document id that is not registered. */
export const TRUSTED_DOCUMENT_NOT_FOUND = 'TRUSTED_DOCUMENT_NOT_FOUND';
/** Neither a query nor a document id. */
export const DOCUMENT_REQUIRED = 'DOCUMENT_REQUIRED';

const REQUIRED_MESSAGE =
  'This API key may only send registered documents: send "documentId" (the id of an operation in the published manifest) instead of the query text';

/** "sha256:" + the hex sha256 of a document's text: the id clients send. */

/** A document id as sent (with or without the "sha256:" prefix, any case) in its registered form, or null. */
export function normalizeDocumentId(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const match = /^(?:sha256:)?([0-9a-f]{64})$/i.exec(id.trim());
  return match ? `sha256:${match[1]!.toLowerCase()}` : null;
}

/** The document id of a request: Hive's top-level `documentId`, or Apollo's persisted-query extension. */
export function requestedDocumentId(params: { documentId?: unknown; extensions?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (persisted && persisted.version === 1 && typeof persisted.sha256Hash === 'string') return persisted.sha256Hash;
  return null;
}

/**
 * The manifest: the typed client's documents as codegen hashed them, every contract operation
 * printed alone with the fragments it uses, and the internal clients' operations (subgraphs that
 * read through the gateway) as they send them; keys sorted so the file only changes with its content.
 */
export function buildTrustedManifest(sources: { client: Record<string, string>; contract: string; internal?: readonly string[] }): Record<string, string> {
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(sources.client)) {
    const key = normalizeDocumentId(id);
    if (!key || key !== documentHash(text)) throw new Error(`client manifest: ${id} is not the sha256 of its document`);
    documents.set(key, text);
  }
  const contract = parse(sources.contract);
  const fragments = new Map(
    contract.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  for (const operation of contract.definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
    const text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragmentsUsed(operation, fragments)] });
    documents.set(documentHash(text), text);
  }
  for (const text of sources.internal ?? []) documents.set(documentHash(text), text);
  return Object.fromEntries([...documents].sort(([a], [b]) => a.localeCompare(b)));
}

function fragmentsUsed(root: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          walk(fragment);
        }
      },
    });
  walk(root);
  return [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}

export function loadTrustedDocuments(file = path.join(REPO_ROOT, TRUSTED_DOCUMENTS_FILE)): Map<string, string> {
  return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>));
}

function refusal(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

interface ViewerContext {
  viewer?: Viewer;
  /**
   * Set by the gateway for documents it runs itself (the spreadsheet exports): fixed text chosen by
   * the server, never the caller's, so it may run for a partner too.
   */
  serverDocument?: boolean;
}

export class TrustedDocuments {
  /** Per HTTP request: may its viewer send text documents? Filled before the runtime reads the body. */
  private readonly textAllowed = new WeakMap<Request, boolean>();

  constructor(
    private readonly config: Pick<Config, 'partnerTrustedDocumentsOnly'>,
    readonly documents: Map<string, string> = loadTrustedDocuments(),
  ) {}

  /** Whether this viewer may send any document as text (the limits still apply). */
  maySendText(viewer: Viewer | undefined): boolean {
    if (!this.config.partnerTrustedDocumentsOnly) return true;
    return viewer !== undefined && viewer.role !== 'PARTNER';
  }

  /** The gateway's `persistedDocuments` option: this manifest as the store. */
  gatewayOption() {
    return {
      getPersistedOperation: (id: string) => this.registered(id) ?? null,
      extractPersistedOperationId: (params: { documentId?: unknown; extensions?: unknown }) => requestedDocumentId(params),
      // No Request over graphql-ws: webSocketRefusal has already applied the rule there.
      allowArbitraryDocuments: (request: Request | undefined) => (request ? this.textAllowed.get(request) === true : true),
      customErrors: {
        notFound: {
          message: 'Unknown documentId: only documents of the published manifest are registered here',
          extensions: { code: TRUSTED_DOCUMENT_NOT_FOUND, http: { status: 400 } },
        },
        persistedQueryOnly: { message: REQUIRED_MESSAGE, extensions: { code: TRUSTED_DOCUMENT_REQUIRED, http: { status: 400 } } },
        keyNotFound: { message: 'Send a "query" or a "documentId"', extensions: { code: DOCUMENT_REQUIRED, http: { status: 400 } } },
      },
    };
  }

  /** Remembers, per HTTP request, whether its viewer may send text: the server context holds the viewer. */
  plugin(): GatewayPlugin<ViewerContext> {
    return {
      onRequest: ({ request, serverContext }) => {
        const context = serverContext as ViewerContext | undefined;
        this.textAllowed.set(request, context?.serverDocument === true || this.maySendText(context?.viewer));
      },
    };
  }

  /** The text of the document a request sends: its `query`, or the registered text of its document id. */
  documentText(params: { query?: unknown; documentId?: unknown; extensions?: unknown }): string | undefined {
    if (typeof params.query === 'string' && params.query !== '') return params.query;
    return this.registered(requestedDocumentId(params));
  }

  /** The registered text of a document id, in any of the forms a client may send it. */
  private registered(id: unknown): string | undefined {
    const normalized = normalizeDocumentId(id);
    return normalized === null ? undefined : this.documents.get(normalized);
  }

  /** The refusal of a graphql-ws subscribe message that sends text it may not send, or undefined. */
  webSocketRefusal(viewer: Viewer | undefined, payload: { query?: unknown }): GraphQLError[] | undefined {
    if (typeof payload.query === 'string' && payload.query !== '' && !this.maySendText(viewer)) {
      return [refusal(TRUSTED_DOCUMENT_REQUIRED, REQUIRED_MESSAGE)];
    }
    return undefined;
  }
}
