import { authenticate, insufficientScopes } from '../auth';
import type { RequestContext } from '../context';
import { applyFields, compileFields } from '../fields';
import type { Reply } from '../http';
import type { Route, Service } from '../routes';
import { LIBRARY_METHOD_SCOPES } from '../scopes';
import { uploads } from '../uploads';
import { bindMethods, type BoundMethod, LIBRARY_DISCOVERY, matchMethod, validateBody, validateQuery } from '../validate';
import { addEnrichment, batchAddMediaItems, batchRemoveMediaItems, createAlbum, getAlbum, listAlbums, patchAlbum } from './albums';
import { batchCreate, lockUserWrites } from './batchCreate';
import { admit, SERVICE, type Caller } from './common';
import { batchGetMediaItems, getMediaItem, listMediaItems, patchMediaItem, searchMediaItems } from './mediaItems';

export interface LibraryArgs {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

type Handler = (ctx: RequestContext, caller: Caller, args: LibraryArgs) => Reply | Promise<Reply>;

/** The still-supported Library methods (reference §2.1), by discovery name. */
export const LIBRARY_HANDLERS: Record<string, Handler> = {
  'albums.create': createAlbum,
  'albums.list': listAlbums,
  'albums.get': getAlbum,
  'albums.patch': patchAlbum,
  'albums.batchAddMediaItems': batchAddMediaItems,
  'albums.batchRemoveMediaItems': batchRemoveMediaItems,
  'albums.addEnrichment': addEnrichment,
  'mediaItems.batchCreate': batchCreate,
  'mediaItems.list': listMediaItems,
  'mediaItems.search': searchMediaItems,
  'mediaItems.get': getMediaItem,
  'mediaItems.batchGet': batchGetMediaItems,
  'mediaItems.patch': patchMediaItem,
};

/** Methods that count against the per-minute write limit. */
const WRITES = new Set(['albums.create', 'albums.patch', 'albums.batchAddMediaItems', 'albums.batchRemoveMediaItems', 'albums.addEnrichment', 'mediaItems.batchCreate', 'mediaItems.patch']);

const BOUND = bindMethods(LIBRARY_DISCOVERY);

function methodRoute(bound: BoundMethod, pathParams: Record<string, string>): Route {
  const { name } = bound;
  const httpMethod = bound.method.httpMethod;
  const requestSchema = bound.method.request?.$ref;
  const handler = LIBRARY_HANDLERS[name];
  const op = `library.${name}`;
  if (!handler) {
    // Sharing went away on 2025-03-31: no current scope grants it, so every call is a 403.
    return {
      op,
      handle: (ctx) => {
        const rpc = `google.photos.library.v1.PhotosLibrary.${name}`;
        authenticate(ctx.state, ctx.req, ctx.url, SERVICE, rpc);
        throw insufficientScopes(SERVICE, rpc);
      },
    };
  }
  return {
    op,
    handle: async (ctx) => {
      const caller = admit(ctx, name);
      if (WRITES.has(name)) ctx.quota.chargeWrite(caller.projectNumber, caller.userSub);
      if (name === 'mediaItems.batchCreate') lockUserWrites(ctx, caller);
      validateQuery(LIBRARY_DISCOVERY, bound.method, ctx.url.searchParams);
      const mask = compileFields(LIBRARY_DISCOVERY, bound.method.response?.$ref, ctx.url.searchParams.get('fields'));
      let body: Record<string, unknown> = {};
      if (requestSchema) {
        body = await ctx.json();
        validateBody(LIBRARY_DISCOVERY, requestSchema, body);
      } else if (httpMethod !== 'GET') {
        await ctx.bytes();
      }
      return applyFields(await handler(ctx, caller, { pathParams, query: ctx.url.searchParams, body }), mask);
    },
  };
}

export const libraryService: Service = {
  prefix: '/photoslibrary',
  resolve: (method, path) => {
    if (path === '/v1/uploads') return method === 'POST' || method === 'PUT' ? { op: 'library.uploads', handle: uploads } : undefined;
    const match = matchMethod(BOUND, method, path);
    if (!match) return undefined;
    return methodRoute(match.bound, match.pathParams);
  },
};

export { LIBRARY_METHOD_SCOPES };
