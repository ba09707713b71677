/**
 * @wavecraft/core/testing: what tests of Wavecraft UIs need to run without
 * a socket — the in-memory link, a fake engine that follows the contract and
 * a frame clock the test drives (and the figures `npm run bench` prints).
 */
export { InMemoryServer, InMemoryTransport, RpcFailure, createInMemoryLink } from "../transports/inMemory";
export { createFakeEngine, makeParameter } from "./fakeEngine";
export type { FakeEngine } from "./fakeEngine";
export { createManualFrames } from "./manualFrames";
export type { ManualFrames } from "./manualFrames";
export { measuredRuns, median, printMedians, timed } from "./benchFigures";
