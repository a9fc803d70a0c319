// gRPC status codes (grpc/grpc doc/statuscodes.md) and the error that carries one.

import { BerthError } from '@berth/engine-protocol';

/**
 * The gRPC status codes a session uses.
 *
 * @example
 * ```ts
 * throw new GrpcStatusError(GrpcStatus.notFound, 'no secret "npmrc" in this build');
 * ```
 */
export const GrpcStatus = {
  ok: 0,
  cancelled: 1,
  unknown: 2,
  invalidArgument: 3,
  deadlineExceeded: 4,
  notFound: 5,
  alreadyExists: 6,
  permissionDenied: 7,
  resourceExhausted: 8,
  failedPrecondition: 9,
  aborted: 10,
  outOfRange: 11,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  dataLoss: 15,
  unauthenticated: 16,
} as const;

/**
 * One of {@link GrpcStatus}'s values.
 *
 * @example
 * ```ts
 * const code: GrpcStatusCode = GrpcStatus.unavailable;
 * ```
 */
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

/**
 * A gRPC call's failure with its gRPC status: thrown by a served method to answer with that
 * status, or raised by a client call that ended with one. Its `code` is the stable
 * `BERTH_GRPC_STATUS` (as for every Berth error); the gRPC status number is `status`.
 *
 * @example
 * ```ts
 * const controller = await connectBuildkitController(client);
 * try {
 *   await controller.solve(request);
 * } catch (error) {
 *   if (error instanceof GrpcStatusError && error.status === GrpcStatus.unimplemented) console.log('this engine has no BuildKit controller');
 * } finally {
 *   controller.close();
 * }
 * ```
 */
export class GrpcStatusError extends BerthError {
  /** Brand for `instanceof` across package copies (see `BerthError`). */
  static override readonly brandName: string = 'GrpcStatusError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_GRPC_STATUS';
  /** `GrpcStatusError`. */
  override name = 'GrpcStatusError';
  /** The gRPC status code. */
  readonly status: GrpcStatusCode;

  constructor(status: GrpcStatusCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? {} : { cause: options.cause });
    this.status = status;
  }
}

/**
 * Percent-encodes a status message for the `grpc-message` trailer (the gRPC HTTP/2 spec:
 * everything outside printable ASCII, and `%`).
 *
 * @example
 * ```ts
 * encodeGrpcMessage('100% done: ✓'); // '100%25 done: %E2%9C%93'
 * ```
 */
export function encodeGrpcMessage(message: string): string {
  let encoded = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    encoded += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * Decodes a `grpc-message` trailer; malformed escapes are kept as they are.
 *
 * @example
 * ```ts
 * decodeGrpcMessage('100%25 done'); // '100% done'
 * ```
 */
export function decodeGrpcMessage(encoded: string): string {
  if (!encoded.includes('%')) return encoded;
  const bytes: number[] = [];
  for (let index = 0; index < encoded.length; index++) {
    const character = encoded.charCodeAt(index);
    if (character === 0x25 && /^[0-9a-fA-F]{2}$/.test(encoded.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(encoded.slice(index + 1, index + 3), 16));
      index += 2;
    } else {
      bytes.push(character & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
