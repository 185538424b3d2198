import { createBuilder } from '../common/graphql/builder.js';
import type { VaccinationContext } from './context.js';

export const { builder, ErrorInterface } = createBuilder<VaccinationContext>();
