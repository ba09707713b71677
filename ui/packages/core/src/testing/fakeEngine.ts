/**
 * A scripted stand-in for the dev server, on top of the in-memory link, for
 * tests of hooks and components. It keeps a real parameter table and applies
 * the contract's rules (unknown id → -32000, out of range or not finite →
 * -32001), so tests exercise refusals the way the Rust side produces them.
 */
import { RpcFailure, createInMemoryLink, type InMemoryServer, type InMemoryTransport } from "../transports/inMemory";
import {
  ERROR_CODES,
  NOTIFICATIONS,
  type BuildStatus,
  type EngineInfo,
  type ParameterInfo,
} from "../wire";

/** Builds a ParameterInfo with sensible defaults for the fields a test does not care about. */
export function makeParameter(overrides: Partial<ParameterInfo> & Pick<ParameterInfo, "id">): ParameterInfo {
  const min = overrides.min ?? 0;
  const max = overrides.max ?? 1;
  const fallback = overrides.default ?? min;
  return {
    name: overrides.id,
    kind: "float",
    unit: "",
    group: "Main",
    step: null,
    skew: 1,
    variants: [],
    min,
    max,
    default: fallback,
    value: fallback,
    ...overrides,
  };
}

/** The fake engine's handle: the link ends plus its mutable state. */
export interface FakeEngine {
  server: InMemoryServer;
  transport: InMemoryTransport;
  /** The engine's parameter table, by id, in order. */
  parameters: Map<string, ParameterInfo>;
  /** Replaces the parameter list (as a hot reload does) and announces it. */
  reload(next: ParameterInfo[]): void;
  /** What `getBuildStatus` answers. */
  buildStatus: BuildStatus;
}

/** Creates a fake engine serving `parameters`, engine info and an idle build. */
export function createFakeEngine(initial: ParameterInfo[], options: { accepting?: boolean } = {}): FakeEngine {
  const { server, transport } = createInMemoryLink(options);
  const engine: FakeEngine = {
    server,
    transport,
    parameters: new Map(initial.map((param) => [param.id, param])),
    buildStatus: { state: "idle", files: [], durationMs: null, diagnostics: [] },
    reload(next) {
      const before = new Set(engine.parameters.keys());
      engine.parameters = new Map(next.map((param) => [param.id, param]));
      const after = new Set(engine.parameters.keys());
      server.notify(NOTIFICATIONS.parametersChanged, {
        added: [...after].filter((id) => !before.has(id)),
        removed: [...before].filter((id) => !after.has(id)),
        changed: [...after].filter((id) => before.has(id)),
      });
    },
  };
  const info: EngineInfo = {
    name: "Test Gain",
    vendor: "Wavecraft",
    version: "1.2.3",
    pluginId: "dev.wavecraft.test-gain",
    sdkVersion: "0.1.0",
  };
  const lookup = (id: string): ParameterInfo => {
    const param = engine.parameters.get(id);
    if (!param) throw new RpcFailure(ERROR_CODES.parameterNotFound, `parameter not found: ${id}`);
    return param;
  };
  server.handleAll({
    getAllParameters: () => ({ parameters: [...engine.parameters.values()] }),
    getParameter: ({ id }) => lookup(id),
    setParameter: ({ id, value }) => {
      const param = lookup(id);
      if (!Number.isFinite(value) || value < param.min || value > param.max) {
        throw new RpcFailure(ERROR_CODES.valueOutOfRange, `value ${value} out of range for ${id}`);
      }
      engine.parameters.set(id, { ...param, value });
      return { id, value };
    },
    getEngineInfo: () => info,
    getBuildStatus: () => engine.buildStatus,
    getAudioStatus: () => ({
      backend: "virtual",
      state: "running",
      sampleRate: 48_000,
      blockSize: 512,
      deviceName: null,
      message: null,
    }),
    ping: () => "pong",
  });
  return engine;
}
