import { createBuilder } from '../common/graphql/builder.js';
import type { FacilitiesContext } from './context.js';

export const { builder, ErrorInterface } = createBuilder<FacilitiesContext>();
