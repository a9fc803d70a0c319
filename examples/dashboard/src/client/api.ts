// The dashboard's JSON API, with its errors as one readable message.

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Calls the API; a non-2xx answer (or no answer) throws an ApiError with the server's message. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  // Actions carry this header: a cross-site form cannot send it.
  if ((init.method ?? 'GET') !== 'GET') headers.set('X-Berth-Dashboard', '1');
  if (typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError('The dashboard server does not answer.', 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = (body as { error?: unknown } | undefined)?.error;
    throw new ApiError(typeof message === 'string' ? message : `The server answered ${response.status}.`, response.status);
  }
  return body as T;
}
