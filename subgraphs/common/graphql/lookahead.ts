/**
 * Look ahead into the selection of the field being resolved, so that a list resolver can fetch in
 * its own statement what its items' fields will ask for (a page's beds, say) instead of leaving
 * it to per-item loaders: one round trip instead of two, and fields that resolve without a promise.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the current field selects `path` below it (field names, not aliases), looking through
 * inline fragments and fragment spreads. `@skip` and `@include` are not evaluated: a field they
 * may drop counts as selected, so a caller can fetch too much but never too little.
 */
export function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return path.length > 0 && info.fieldNodes.some((node) => node.selectionSet !== undefined && selectsIn(node.selectionSet, path, 0, info));
}

function selectsIn(set: SelectionSetNode, path: readonly string[], depth: number, info: GraphQLResolveInfo): boolean {
  for (const selection of set.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        if (selection.name.value !== path[depth]) break;
        if (depth === path.length - 1) return true;
        if (selection.selectionSet && selectsIn(selection.selectionSet, path, depth + 1, info)) return true;
        break;
      case Kind.INLINE_FRAGMENT:
        if (selectsIn(selection.selectionSet, path, depth, info)) return true;
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = info.fragments[selection.name.value];
        if (fragment && selectsIn(fragment.selectionSet, path, depth, info)) return true;
        break;
      }
    }
  }
  return false;
}
