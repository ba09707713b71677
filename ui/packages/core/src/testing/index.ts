/**
 * @wavecraft/core/testing: what tests of Wavecraft UIs need to run without
 * a socket — the in-memory link and a fake engine that follows the contract.
 */
export { InMemoryServer, InMemoryTransport, RpcFailure, createInMemoryLink } from "../transports/inMemory";
export { createFakeEngine, makeParameter } from "./fakeEngine";
export type { FakeEngine } from "./fakeEngine";
