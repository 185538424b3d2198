/**
 * What the request path may ask of the epidemic assessor (events/assessor.ts): the facts other
 * subgraphs own of every area, for reads of areas not assessed yet. A module of its own so that
 * the schema reaches the assessor without importing it (the assessor imports the runtime's types
 * from the context, which imports the schema's loaders).
 */
import type { AreaFacts } from '../domain/epidemic-level.js';

/** The name the assessor is registered under in the patients runtime. */
export const ASSESSOR = 'epidemic-assessor';

/** The facts of one area, as the gateway answers them. */
export type AreaFactsOf = AreaFacts & { code: string };

export interface AreaFactsSource {
  /** The facts of every ward and district, keyed `WARD:<code>` or `DISTRICT:<code>`. */
  factsForReads(): Promise<ReadonlyMap<string, AreaFactsOf>>;
}
