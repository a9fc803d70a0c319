// Types for the undici modules that deferred-dispatcher.ts loads by path. undici 7 has no
// exports map, so its files are reachable from ESM and CommonJS alike, but it types only its
// package entry; these declare each file's `module.exports` with the entry's public types.
// Compile-time only: nothing here is emitted, and no emitted declaration names these paths.

declare module 'undici/lib/dispatcher/dispatcher.js' {
  import { EventEmitter } from 'node:events';
  import type { Dispatcher as PublicDispatcher } from 'undici';

  /** undici's base class: an EventEmitter with `compose`; subclasses supply dispatch, close, destroy. */
  class Dispatcher extends EventEmitter {
    compose(...interceptors: PublicDispatcher.DispatcherComposeInterceptor[]): PublicDispatcher.ComposedDispatcher;
  }
  export = Dispatcher;
}

declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export = Agent;
}

declare module 'undici/lib/core/connect.js' {
  import { buildConnector } from 'undici';
  export = buildConnector;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';

  /** `Dispatcher.prototype.request`, which undici's package entry installs on every dispatcher. */
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
    callback: (error: Error | null, data: Dispatcher.ResponseData) => void,
  ): void;
  export = request;
}
