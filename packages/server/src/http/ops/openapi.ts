import { ERROR_CODES, MODULE_API_NAMES, OAUTH_ERRORS } from '@bigin-attachments/contract';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ROUTE_CATALOGUE } from './openapi-catalogue.js';

/** One registered route as the OpenAPI document needs it. */
export interface RegisteredRoute {
  url: string;
  methods: string[];
  /** `config.methods` of an `all` route: the methods it really serves (the others are refused). */
  served: string[] | undefined;
  schema: Record<string, unknown> | undefined;
}

const DOCUMENTED_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/**
 * Collects every route as it is registered, by whichever module registers it, so the document
 * cannot miss one. Must be called before the first route.
 */
export function collectRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => m.toUpperCase());
    const served = (route.config as { methods?: string[] } | undefined)?.methods;
    routes.push({
      url: route.url,
      methods,
      served: served?.map((m) => m.toUpperCase()),
      schema: route.schema as Record<string, unknown> | undefined,
    });
  });
  return routes;
}

/** `/bigin/v2/:module/:recordId` → `/bigin/v2/{module}/{recordId}`, with the parameter names. */
export function openApiPath(url: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = url
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        const name = segment.slice(1).replace(/\(.*\)$/, '');
        params.push(name);
        return `{${name}}`;
      }
      if (segment === '*') {
        params.push('wildcard');
        return '{wildcard}';
      }
      return segment;
    })
    .join('/');
  return { path, params };
}

/** The catalogue's words for a route; a v1 route reads as its v2 twin (docs/v1.md). */
function catalogueEntry(url: string) {
  return ROUTE_CATALOGUE[url] ?? ROUTE_CATALOGUE[url.replace(/^\/bigin\/v1\//, '/bigin/v2/')];
}

/** The methods a route serves, as documented: its own list, `config.methods`, or the catalogue's. */
export function documentedMethods(route: RegisteredRoute): string[] {
  const catalogued = catalogueEntry(route.url)?.methods;
  const all = route.methods.length > 3;
  const methods = route.served ?? (all ? (catalogued ?? ['GET', 'POST']) : route.methods);
  return methods.filter((m) => DOCUMENTED_METHODS.includes(m) && m !== 'HEAD' && m !== 'OPTIONS');
}

type Area = 'bigin' | 'accounts' | 'admin' | 'operations';

function areaOf(url: string): Area {
  if (url.startsWith('/bigin/')) return 'bigin';
  if (url.startsWith('/oauth/') || url.startsWith('/accounts')) return 'accounts';
  if (url.startsWith('/_admin')) return 'admin';
  return 'operations';
}

const TAGS: Record<Area, { name: string; description: string }> = {
  bigin: {
    name: 'Bigin API',
    description: "Zoho Bigin's v2 REST API: records, attachments, and what surrounds them.",
  },
  accounts: { name: 'Accounts', description: 'Zoho Accounts: consent page, token endpoint and revocation.' },
  admin: { name: 'Admin', description: 'Administration of this server.' },
  operations: { name: 'Operations', description: 'Health, readiness, metrics and this documentation.' },
};

const SECURITY: Record<Area, Array<Record<string, string[]>>> = {
  bigin: [{ zohoOAuthToken: [] }],
  accounts: [],
  admin: [{ adminToken: [] }],
  operations: [],
};

const errorResponses = (area: Area) =>
  area === 'accounts'
    ? { '400': { description: 'An OAuth error.', content: json('#/components/schemas/OAuthError') } }
    : area === 'operations'
      ? {}
      : {
          '4XX': {
            description: 'A refusal, in the error envelope.',
            content: json('#/components/schemas/Error'),
          },
          '5XX': {
            description: 'An internal error, in the error envelope.',
            content: json('#/components/schemas/Error'),
          },
        };

function json(ref: string) {
  return { 'application/json': { schema: { $ref: ref } } };
}

function parameter(name: string) {
  const schema =
    name === 'module'
      ? { type: 'string', enum: [...MODULE_API_NAMES] }
      : /id$/i.test(name)
        ? { type: 'string', pattern: '^[0-9]{1,19}$' }
        : { type: 'string' };
  return { name, in: 'path', required: true, schema };
}

/**
 * The OpenAPI 3.1 document of every route registered on `app`, whoever registered it: path and
 * methods from the route table, summaries and tags from the catalogue where it has an entry, the
 * error envelope and its codes from the contract.
 */
export function buildOpenApiDocument(
  routes: RegisteredRoute[],
  info: { version: string; serverUrl?: string | undefined },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const usedTags = new Set<Area>();
  for (const route of routes) {
    const { path, params } = openApiPath(route.url);
    const area = areaOf(route.url);
    const entry = catalogueEntry(route.url);
    const item = paths[path] ?? {};
    paths[path] = item;
    if (params.length > 0) item.parameters = params.map(parameter);
    for (const method of documentedMethods(route)) {
      const described = entry?.operations?.[method];
      usedTags.add(area);
      item[method.toLowerCase()] = {
        operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
        summary: described?.summary ?? (route.schema?.summary as string | undefined) ?? `${method} ${path}`,
        ...(described?.description ? { description: described.description } : {}),
        tags: [TAGS[area].name],
        security: SECURITY[area],
        responses: {
          [described?.status ?? (method === 'POST' ? '201' : '200')]: {
            description: described?.response ?? 'Success.',
          },
          ...errorResponses(area),
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bigin attachments server',
      version: info.version,
      summary: "A faithful, self-hostable stand-in for Zoho Bigin's v2 REST API.",
      license: { name: 'MIT', identifier: 'MIT' },
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    tags: (Object.keys(TAGS) as Area[]).filter((a) => usedTags.has(a)).map((a) => TAGS[a]),
    paths,
    components: {
      securitySchemes: {
        zohoOAuthToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'An access token, as `Authorization: Zoho-oauthtoken <token>`.',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An administration token of this server.',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          description: "Bigin's error envelope; the HTTP status of each code is in docs/errors.md.",
          required: ['code', 'details', 'message', 'status'],
          properties: {
            code: { type: 'string', enum: Object.keys(ERROR_CODES) },
            details: { type: 'object' },
            message: { type: 'string' },
            status: { const: 'error' },
          },
        },
        OAuthError: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string', enum: Object.keys(OAUTH_ERRORS) } },
        },
      },
    },
  };
}
