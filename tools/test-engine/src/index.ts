// Test-only helpers of the Berth monorepo: the harness engine, names, a registry with password
// auth, a slow loopback proxy, renderings for secret checks, a misbehaving fake engine,
// descriptor counts, seeded randomness and hang detection. Only node: built-ins, so any package may depend on it.
export { findTestEngine, type TestEngine } from './find-test-engine.js';
export { testTransportName } from './test-transport-name.js';
export { uniqueName } from './unique-name.js';
export { startAuthRegistry, type AuthRegistry, type AuthRegistryOptions } from './auth-registry.js';
export { everyRendering, causeChain, secretPiecesOf, secretFormsOf, secretsIn } from './secret-renderings.js';
export { startSlowProxy, type SlowProxy } from './slow-proxy.js';
export {
  startFakeEngine,
  type FakeBehaviour,
  type FakeEngine,
  type FakeEngineOptions,
  type FakeExchange,
  type FakeRequest,
  type FakeRequestMatcher,
} from './fake-engine/fake-engine.js';
export {
  breakUpload,
  cutBody,
  cutChunked,
  dropBeforeHeaders,
  frame,
  hugeBody,
  later,
  multiplexedStream,
  progressStream,
  rawAnswer,
  redirect,
  replyHtml,
  replyJson,
  replyText,
  stallBeforeHeaders,
  type FakeEnding,
} from './fake-engine/fake-behaviours.js';
export { openDescriptors, waitForDescriptors } from './open-descriptors.js';
export { seededRandom, type SeededRandom } from './seeded-random.js';
export { eventually, hangDeadline, outcomeOf, settlesWithin, type Outcome } from './hang-detection.js';
export { startTlsFront, type TlsFront } from './tls-front.js';
export { startRegistryFront, type RegistryFront, type RegistryHoldPoint } from './registry-front.js';
export { startKillableEngine, type KillableEngine, type KillableEngineOptions } from './killable-engine.js';
