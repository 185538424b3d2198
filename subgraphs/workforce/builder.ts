import { createBuilder } from '../common/graphql/builder.js';
import type { WorkforceContext } from './context.js';

export const { builder, ErrorInterface } = createBuilder<WorkforceContext>();
