import type * as Swagger from '@nestjs/swagger';

/**
 * The OpenAPI decorators of @nestjs/swagger, applied only when the document is first built.
 * Loading @nestjs/swagger and building the document cost ~60 MB of memory and most of a second
 * at start; a server that never serves /docs should pay neither. Each decorator here records
 * its arguments and its target; loadSwagger() applies the real decorators to the same targets,
 * in the order they were applied, so the document is the same as with eager decorators.
 */
type SwaggerModuleExports = typeof Swagger;
type DecoratorName =
  | 'ApiAcceptedResponse'
  | 'ApiBearerAuth'
  | 'ApiBody'
  | 'ApiCreatedResponse'
  | 'ApiExcludeController'
  | 'ApiExcludeEndpoint'
  | 'ApiHeader'
  | 'ApiNoContentResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiParam'
  | 'ApiQuery'
  | 'ApiResponse'
  | 'ApiSecurity'
  | 'ApiServiceUnavailableResponse'
  | 'ApiTags';

const pending: ((swagger: SwaggerModuleExports) => void)[] = [];
let loaded: Promise<SwaggerModuleExports> | undefined;
let appliedAll: SwaggerModuleExports | undefined;

function deferred<N extends DecoratorName>(name: N): SwaggerModuleExports[N] {
  const factory = (...args: unknown[]) =>
    (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
      const apply = (swagger: SwaggerModuleExports) => {
        const real = (swagger[name] as (...a: unknown[]) => (t: object, k?: string | symbol, d?: PropertyDescriptor) => unknown)(...args);
        real(target, key, descriptor);
      };
      // Decorated after loading (a class imported late): apply at once, in the same order.
      if (appliedAll) apply(appliedAll);
      else pending.push(apply);
    };
  return factory as unknown as SwaggerModuleExports[N];
}

/** Loads @nestjs/swagger once and applies every decorator recorded so far. */
export function loadSwagger(): Promise<SwaggerModuleExports> {
  loaded ??= import('@nestjs/swagger').then((swagger) => {
    for (const apply of pending.splice(0)) apply(swagger);
    appliedAll = swagger;
    return swagger;
  });
  return loaded;
}

/** As @nestjs/swagger's getSchemaPath for schema names and undecorated classes (no @ApiSchema here). */
export function getSchemaPath(model: string | { name: string }): string {
  return `#/components/schemas/${typeof model === 'string' ? model : model.name}`;
}

export const ApiAcceptedResponse = deferred('ApiAcceptedResponse');
export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiBody = deferred('ApiBody');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiExcludeController = deferred('ApiExcludeController');
export const ApiExcludeEndpoint = deferred('ApiExcludeEndpoint');
export const ApiHeader = deferred('ApiHeader');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiParam = deferred('ApiParam');
export const ApiQuery = deferred('ApiQuery');
export const ApiResponse = deferred('ApiResponse');
export const ApiSecurity = deferred('ApiSecurity');
export const ApiServiceUnavailableResponse = deferred('ApiServiceUnavailableResponse');
export const ApiTags = deferred('ApiTags');
