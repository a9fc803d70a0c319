// Test-only helpers of the Berth monorepo: the harness engine, names, and a registry with
// password auth, a slow loopback proxy, and renderings for secret checks. Only node: built-ins, so any package may depend on it.
export { findTestEngine, type TestEngine } from './find-test-engine.js';
export { testTransportName } from './test-transport-name.js';
export { uniqueName } from './unique-name.js';
export { startAuthRegistry, type AuthRegistry, type AuthRegistryOptions } from './auth-registry.js';
export { everyRendering, causeChain, secretPiecesOf, secretFormsOf, secretsIn } from './secret-renderings.js';
export { startSlowProxy, type SlowProxy } from './slow-proxy.js';
