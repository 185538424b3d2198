import { describe, expect, it } from '@jest/globals';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLSchema } from 'graphql';
import { SUBGRAPHS } from '../../subgraphs/registry.js';
import { SUBGRAPH_NAMES } from '../../subgraphs/common/config.js';

const BUILT_IN = /^(__|_|link__|federation__|join__)|^(String|Int|Float|Boolean|ID)$/;

/** Every type, field, argument and enum value a client can see, without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (BUILT_IN.test(type.name)) continue;
    if (!type.description && !['Query', 'Mutation', 'Subscription'].includes(type.name) && !isScalarType(type)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    } else if (isUnionType(type) && !type.description) {
      missing.push(type.name);
    }
  }
  return [...new Set(missing)].sort();
}

describe('the schema is the integration team’s manual', () => {
  it.each(SUBGRAPH_NAMES)('%s describes every type, field, argument and enum value', (name) => {
    expect(undescribed(SUBGRAPHS[name].schema)).toEqual([]);
  });
});
