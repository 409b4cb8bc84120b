// Router-level auth metadata: every field the subgraph guards with @Authorized carries the same scopes as Federation's
// @requiresScopes (or @authenticated) in the SDL, because both come from one @RequiresScopes declaration. A field
// guarded with a bare @Authorized (invisible to the router) fails here, and so does a directive without a check.
import "reflect-metadata";
import { isObjectType, type GraphQLSchema } from "graphql";
import {
  Arg,
  Authorized,
  Field,
  FieldResolver,
  getMetadataStorage,
  ID,
  ObjectType,
  Query,
  Resolver,
} from "type-graphql";
import { describe, expect, it } from "vitest";
import { federationAccessDirective, RequiresScopes } from "../../src/graph/access/RequiresScopes.js";
import { buildFederatedSchema } from "../../src/graph/federation/buildFederatedSchema.js";
import { buildOrdersSchema } from "../../src/graph/schema.js";
import { authChecker } from "../../src/graph/authChecker.js";
import { Scope, type ScopeName } from "../../src/auth/caller.js";

/** "Type.field" → the scopes type-graphql's authChecker will demand (after a schema build filled them in). */
function checkedScopes(): Map<string, readonly string[]> {
  const storage = getMetadataStorage();
  const checked = new Map<string, readonly string[]>();
  const put = (coordinate: string, roles: unknown[] | undefined) => {
    if (roles !== undefined) checked.set(coordinate, roles.map(String));
  };
  for (const query of storage.queries) put(`Query.${query.schemaName}`, query.roles);
  for (const mutation of storage.mutations) put(`Mutation.${mutation.schemaName}`, mutation.roles);
  for (const resolver of storage.fieldResolvers) {
    const objectClass = resolver.getObjectType?.() ?? resolver.resolverClassMetadata?.getObjectType();
    const owner = storage.objectTypes.find((type) => type.target === objectClass);
    if (owner !== undefined) put(`${owner.name}.${resolver.schemaName}`, resolver.roles);
  }
  for (const field of storage.fields) {
    const owner =
      storage.objectTypes.find((type) => type.target === field.target) ??
      storage.interfaceTypes.find((type) => type.target === field.target);
    if (owner !== undefined) put(`${owner.name}.${field.schemaName}`, field.roles);
  }
  return checked;
}

/** "Type.field" → the router-level directive printed on it, for every field of the schema's object types. */
function routerDirectives(schema: GraphQLSchema): Map<string, string | null> {
  const found = new Map<string, string | null>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find(
        (d) => d.name.value === "requiresScopes" || d.name.value === "authenticated",
      );
      const scopes = directive?.arguments?.[0]?.value;
      const printed =
        directive === undefined
          ? null
          : directive.name.value === "authenticated"
            ? "@authenticated"
            : scopes?.kind === "ListValue" && scopes.values[0]?.kind === "ListValue"
              ? federationAccessDirective(
                  scopes.values[0].values.map((v) => (v.kind === "StringValue" ? v.value : "?")) as ScopeName[],
                )
              : "@requiresScopes(?)";
      found.set(`${type.name}.${field.name}`, printed);
    }
  }
  return found;
}

/** Fields whose check and router directive disagree, as readable lines. */
function accessGaps(schema: GraphQLSchema): string[] {
  const checked = checkedScopes();
  const gaps: string[] = [];
  for (const [coordinate, printed] of routerDirectives(schema)) {
    const scopes = checked.get(coordinate);
    const expected = scopes === undefined ? null : federationAccessDirective(scopes as ScopeName[]);
    if (expected !== printed)
      gaps.push(`${coordinate}: checked ${expected ?? "nothing"}, SDL says ${printed ?? "nothing"}`);
  }
  return gaps;
}

@Resolver()
class BareAuthorizedProbe {
  // What a later field would look like if someone used type-graphql's decorator directly.
  @Authorized(Scope.read)
  @Query(() => String, { description: "probe" })
  bareProbe(@Arg("id", () => String) id: string): string {
    return id;
  }

  @RequiresScopes()
  @Query(() => String, { description: "probe" })
  signedInProbe(): string {
    return "ok";
  }
}

@ObjectType({ description: "probe" })
class ProbeItem {
  @Field(() => ID, { description: "probe" })
  id!: string;

  @RequiresScopes(Scope.admin)
  @Field(() => String, { description: "probe" })
  guardedField!: string;
}

@Resolver(() => ProbeItem)
class ProbeItemResolver {
  @Query(() => ProbeItem, { description: "probe" })
  probeItem(): ProbeItem {
    return { id: "1", guardedField: "x" };
  }

  @Authorized(Scope.read)
  @FieldResolver(() => String, { description: "probe" })
  bareResolved(): string {
    return "x";
  }

  @RequiresScopes(Scope.read)
  @FieldResolver(() => String, { description: "probe" })
  declaredResolved(): string {
    return "x";
  }
}

describe("router-level auth metadata", () => {
  it("matches the subgraph's own checks on every field of the orders schema", async () => {
    const schema = await buildOrdersSchema();
    expect(accessGaps(schema)).toEqual([]);
    // And the walk saw the guarded fields (not vacuous).
    const directives = routerDirectives(schema);
    expect(directives.get("Mutation.placeAirmilesOrder")).toBe('@requiresScopes(scopes: [["orders:write"]])');
    expect(directives.get("Query.order")).toBe('@requiresScopes(scopes: [["orders:read"]])');
  });

  it("flags a field guarded with a bare @Authorized, and prints @authenticated for a scope-less @RequiresScopes", async () => {
    const schema = await buildFederatedSchema({ resolvers: [BareAuthorizedProbe], authChecker, validate: false }, {});
    expect(accessGaps(schema)).toEqual([
      'Query.bareProbe: checked @requiresScopes(scopes: [["orders:read"]]), SDL says nothing',
    ]);
    expect(routerDirectives(schema).get("Query.signedInProbe")).toBe("@authenticated");
  });

  it("covers object type fields and field resolvers too", async () => {
    const schema = await buildFederatedSchema({ resolvers: [ProbeItemResolver], authChecker, validate: false }, {});
    expect(accessGaps(schema)).toEqual([
      'ProbeItem.bareResolved: checked @requiresScopes(scopes: [["orders:read"]]), SDL says nothing',
    ]);
    expect(routerDirectives(schema).get("ProbeItem.guardedField")).toBe('@requiresScopes(scopes: [["orders:admin"]])');
    expect(routerDirectives(schema).get("ProbeItem.declaredResolved")).toBe(
      '@requiresScopes(scopes: [["orders:read"]])',
    );
  });
});
