// The one declaration of who may call a field. `@RequiresScopes(Scope.write)` puts both halves on the field:
// type-graphql's @Authorized (the subgraph enforces it, see authChecker.ts) and Federation's @requiresScopes in
// the SDL (so a router can refuse the operation before it reaches us). With no scope the field only needs a verified
// token: @Authorized() and @authenticated. Use it instead of @Authorized: a bare @Authorized is invisible to the
// router (test/schema/routerAuth.test.ts fails on one).
import { Authorized, Directive } from "type-graphql";
import type { ScopeName } from "../../auth/caller.js";

/** Federation's @requiresScopes takes alternatives of conjunctions; our checker needs every scope: one conjunction. */
export function federationAccessDirective(scopes: readonly ScopeName[]): string {
  if (scopes.length === 0) return "@authenticated";
  return `@requiresScopes(scopes: [[${scopes.map((scope) => JSON.stringify(scope)).join(", ")}]])`;
}

/** On a resolver method (@Query/@Mutation/@FieldResolver) or an object type's @Field property. */
export function RequiresScopes(...scopes: ScopeName[]): MethodDecorator & PropertyDecorator {
  const authorized = Authorized(scopes);
  const directive = Directive(federationAccessDirective(scopes));
  return (prototype: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor === undefined) {
      authorized(prototype, propertyKey);
      directive(prototype, propertyKey);
    } else {
      authorized(prototype, propertyKey, descriptor);
      directive(prototype, propertyKey, descriptor);
    }
  };
}
