/**
 * A scripted stand-in for the dev server, on top of the in-memory link, for
 * tests of hooks and components. It keeps a real parameter table and applies
 * the contract's rules (unknown id → -32000, out of range or not finite →
 * -32001), so tests exercise refusals the way the Rust side produces them.
 * Like the dev server, it stamps every stored value with the next revision and
 * pushes `parameterChanged` for every accepted set (to the setter too, before
 * its reply), and it records edit gestures.
 */
import { sameShape } from "../parameterShape";
import { RpcFailure, createInMemoryLink, type InMemoryServer, type InMemoryTransport } from "../transports/inMemory";
import {
  ERROR_CODES,
  NOTIFICATIONS,
  type BuildStatus,
  type EngineInfo,
  type ParameterInfo,
  type SetParameterResult,
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
    revision: 0,
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
  /**
   * Replaces the parameter list (as a hot reload does) and announces what was added, removed
   * and reshaped, like the dev server. A kept id keeps its value (clamped into its new range)
   * and, unless clamping changed it, its revision; new ids are stamped with new ones.
   */
  reload(next: ParameterInfo[]): void;
  /** Stores a value as a `setParameter` from any client does, and pushes `parameterChanged`. */
  set(id: string, value: number): SetParameterResult;
  /** Ids with an edit gesture open (`beginEdit` without `endEdit` yet), in the order begun. */
  editing: Set<string>;
  /** What `getBuildStatus` answers. */
  buildStatus: BuildStatus;
}

/** Creates a fake engine serving `parameters`, engine info and an idle build. */
export function createFakeEngine(initial: ParameterInfo[], options: { accepting?: boolean } = {}): FakeEngine {
  const { server, transport } = createInMemoryLink(options);
  let revision = Math.max(0, ...initial.map((param) => param.revision));
  const engine: FakeEngine = {
    server,
    transport,
    parameters: new Map(initial.map((param) => [param.id, param])),
    editing: new Set(),
    buildStatus: { state: "idle", files: [], durationMs: null, diagnostics: [] },
    reload(next) {
      const before = new Set(engine.parameters.keys());
      const old = engine.parameters;
      engine.parameters = new Map(
        next.map((param) => {
          const kept = old.get(param.id);
          if (!kept) return [param.id, { ...param, revision: ++revision }];
          const value = Math.min(param.max, Math.max(param.min, kept.value));
          return [param.id, { ...param, value, revision: value === kept.value ? kept.revision : ++revision }];
        }),
      );
      const after = new Set(engine.parameters.keys());
      for (const id of engine.editing) if (!after.has(id)) engine.editing.delete(id);
      server.notify(NOTIFICATIONS.parametersChanged, {
        added: [...after].filter((id) => !before.has(id)),
        removed: [...before].filter((id) => !after.has(id)),
        changed: [...after].filter((id) => before.has(id) && !sameShape(old.get(id), engine.parameters.get(id))),
      });
    },
    set(id, value) {
      const param = lookup(id);
      if (!Number.isFinite(value) || value < param.min || value > param.max) {
        throw new RpcFailure(ERROR_CODES.valueOutOfRange, `value ${value} out of range for ${id}`);
      }
      const stored = { id, value, revision: ++revision };
      engine.parameters.set(id, { ...param, value, revision: stored.revision });
      server.notify(NOTIFICATIONS.parameterChanged, stored);
      return stored;
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
    setParameter: ({ id, value }) => engine.set(id, value),
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
    beginEdit: ({ id }) => {
      lookup(id);
      engine.editing.add(id);
      return null;
    },
    endEdit: ({ id }) => {
      lookup(id);
      engine.editing.delete(id);
      return null;
    },
  });
  return engine;
}
