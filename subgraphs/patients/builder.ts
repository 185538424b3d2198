import { createBuilder } from '../common/graphql/builder.js';
import type { PatientsContext } from './context.js';

export const { builder, ErrorInterface } = createBuilder<PatientsContext>();
