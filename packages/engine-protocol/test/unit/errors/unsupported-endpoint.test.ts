// Regression (issue 9, bug 3): a 404 for an endpoint the engine does not have (Podman's
// /distribution and /build/prune) was a NotFoundError, indistinguishable from "no such image".
import { describe, expect, it } from 'vitest';
import { EngineError, NotFoundError, UnsupportedEndpointError } from '../../../src/index.js';
import {
  createEngineError,
  isUnsupportedEndpointReply,
  redactRequest,
  UNSUPPORTED_ENDPOINT_CODE,
} from '../../../src/internal.js';

const request = redactRequest({ method: 'GET', path: '/v1.41/distribution/localhost:5000%2Fapp/json', headers: {} });

describe('UnsupportedEndpointError', () => {
  it.each([
    ['Podman, a known path it does not serve', 404, 'Path /v1.41/distribution/localhost:5000/app/json is not supported'],
    ['Podman, an unknown route', 404, 'Not Found'],
    ['the engine router, an unknown route', 404, 'page not found'],
    ["Go's default handler", 404, '404 page not found\n'],
    ['a 501', 501, 'not implemented'],
  ])('is what %s becomes', (_case, status, engineMessage) => {
    const error = createEngineError({ status, engineMessage, request });
    expect(error).toBeInstanceOf(UnsupportedEndpointError);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect((error as UnsupportedEndpointError).code).toBe(UNSUPPORTED_ENDPOINT_CODE);
    expect(UNSUPPORTED_ENDPOINT_CODE).toBe('BERTH_UNSUPPORTED_ENDPOINT');
    expect(error.status).toBe(status);
    expect(error.name).toBe('UnsupportedEndpointError');
  });

  it.each([
    ['Docker, no such image', 'No such image: app:v1'],
    ['Podman, no such image', 'failed to find image app:v1: app:v1: image not known'],
    ['Docker, a missing manifest', 'manifest for localhost:5000/app:v9 not found: manifest unknown'],
    ['an empty body', ''],
  ])('leaves %s a NotFoundError', (_case, engineMessage) => {
    const error = createEngineError({ status: 404, engineMessage, request });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).not.toBeInstanceOf(UnsupportedEndpointError);
    expect(isUnsupportedEndpointReply(404, engineMessage)).toBe(false);
  });
});
