// The depth limit (graphql-depth-limit), guarded: that rule follows fragment spreads without checking them, so
// an unknown fragment crashes it (a 500) and a fragment cycle recurses until the stack overflows. Such documents
// are invalid anyway, and graphql's own rules (KnownFragmentNames, NoFragmentCycles) report them as a 400, so the
// depth rule simply skips them.
import { Kind, type ASTVisitor, type DocumentNode, type SelectionSetNode, type ValidationContext } from "graphql";
import depthLimit from "graphql-depth-limit";

function spreadsIn(selectionSet: SelectionSetNode, into: string[] = []): string[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) into.push(selection.name.value);
    else if (selection.selectionSet) spreadsIn(selection.selectionSet, into);
  }
  return into;
}

/** True when every spread names a defined fragment and no fragment (indirectly) spreads itself. */
export function fragmentsAreSound(document: DocumentNode): boolean {
  const spreads = new Map<string, string[]>();
  const roots: string[][] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      spreads.set(definition.name.value, spreadsIn(definition.selectionSet));
    else if (definition.kind === Kind.OPERATION_DEFINITION) roots.push(spreadsIn(definition.selectionSet));
  }
  const done = new Set<string>();
  const onPath = new Set<string>();
  const visit = (name: string): boolean => {
    if (done.has(name)) return true;
    const next = spreads.get(name);
    if (next === undefined || onPath.has(name)) return false;
    onPath.add(name);
    const sound = next.every(visit);
    onPath.delete(name);
    done.add(name);
    return sound;
  };
  return roots.every((names) => names.every(visit)) && [...spreads.keys()].every(visit);
}

export function safeDepthLimit(maxDepth: number): (context: ValidationContext) => ASTVisitor {
  const rule = depthLimit(maxDepth);
  return (context) => (fragmentsAreSound(context.getDocument()) ? rule(context) : {});
}
