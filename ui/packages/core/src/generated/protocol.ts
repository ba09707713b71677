// Generated from crates/wavecraft-protocol by `cargo xtask gen-ts`. Do not edit by hand:
// the typescript_bindings test fails when this file and the Rust types differ.

/**
 * Which audio backend runs the DSP.
 */
export type AudioBackend = "device" | "virtual" | "off";

/**
 * Whether the audio runs.
 */
export type AudioState = "running" | "stopped" | "faulted";

/**
 * What `getAudioStatus` and `audioStatusChanged` carry.
 */
export type AudioStatus = { 
/**
 * Which backend.
 */
backend: AudioBackend, 
/**
 * Whether it runs.
 */
state: AudioState, 
/**
 * Sample rate in Hz, when running.
 */
sampleRate: number | null, 
/**
 * Block size in frames, when running.
 */
blockSize: number | null, 
/**
 * The device's name, for the device backend.
 */
deviceName: string | null, 
/**
 * A diagnostic for the user (why audio is off, what faulted).
 */
message: string | null, 
/**
 * The last crash of the engine host process, while it is being recovered from or
 * until the next engine swaps in.
 */
crash?: EngineCrash, };

/**
 * Payload of `buildFinished`.
 */
export type BuildFinished = { 
/**
 * Whether the build succeeded and its engine now runs.
 */
ok: boolean, 
/**
 * Wall time of the build.
 */
durationMs: number, 
/**
 * Cargo's errors and warnings.
 */
diagnostics: Array<Diagnostic>, };

/**
 * Payload of `buildProgress`.
 */
export type BuildProgress = { 
/**
 * The line as cargo printed it, without colour codes.
 */
line: string, };

/**
 * Payload of `buildStarted`.
 */
export type BuildStarted = { 
/**
 * The changed files that started it, relative to the project.
 */
files: Array<string>, };

/**
 * Where the build loop is.
 */
export type BuildState = "idle" | "building" | "succeeded" | "failed";

/**
 * What `getBuildStatus` answers, so a client that joins late sees the same as the others.
 */
export type BuildStatus = { 
/**
 * Where the build loop is.
 */
state: BuildState, 
/**
 * Files whose change started the current or last build.
 */
files: Array<string>, 
/**
 * Duration of the last finished build.
 */
durationMs: number | null, 
/**
 * Diagnostics of the last finished build.
 */
diagnostics: Array<Diagnostic>, };

/**
 * Levels of one channel over the last meter period, as linear amplitude (1.0 = 0 dBFS).
 */
export type ChannelMeter = { 
/**
 * Largest absolute sample.
 */
peak: number, 
/**
 * Root mean square.
 */
rms: number, };

/**
 * One compiler message, parsed from cargo's JSON output.
 */
export type Diagnostic = { 
/**
 * How serious it is.
 */
level: DiagnosticLevel, 
/**
 * The one-line message.
 */
message: string, 
/**
 * Source file of the primary span, relative to the project where possible.
 */
file: string | null, 
/**
 * 1-based line of the primary span.
 */
line: number | null, 
/**
 * 1-based column of the primary span.
 */
column: number | null, 
/**
 * The message as cargo renders it in a terminal (without colour codes).
 */
rendered: string | null, };

/**
 * How serious a diagnostic is (cargo's levels).
 */
export type DiagnosticLevel = "error" | "warning" | "note" | "help";

/**
 * Params of `beginEdit` and `endEdit`.
 */
export type EditParams = { 
/**
 * The parameter's id.
 */
id: string, };

/**
 * How the engine host process (where the author's code runs) ended, and what came next.
 */
export type EngineCrash = { 
/**
 * What happened, e.g. "died of SIGSEGV (invalid memory access)", or "hung: the audio
 * thread finished no block for 2000 ms …" when the dev server killed it.
 */
cause: string, 
/**
 * The signal's name, when a signal ended it.
 */
signal: string | null, 
/**
 * What the host was doing: "loading the library", "starting the engine (Default,
 * prepare, values)" or "processing audio".
 */
stage: string, 
/**
 * The engine that was running or being loaded (name and version), when known.
 */
engine: string | null, 
/**
 * The dev session's build number of that engine (1 = the first build).
 */
build: number | null, 
/**
 * What runs now, e.g. "restarted with build 2" or "restarted with no engine".
 */
recovery: string, 
/**
 * The last line the host wrote to stderr before it ended (Rust's "has overflowed its
 * stack" or "memory allocation of … failed"), when there was one.
 */
lastOutput: string | null, };

/**
 * The loaded engine, from the plugin author's own crate metadata.
 */
export type EngineInfo = { 
/**
 * Plugin name.
 */
name: string, 
/**
 * Plugin vendor.
 */
vendor: string, 
/**
 * Plugin version.
 */
version: string, 
/**
 * Stable unique plugin id (reverse-DNS style).
 */
pluginId: string, 
/**
 * The Wavecraft SDK version the engine was built with.
 */
sdkVersion: string, };

/**
 * Result of `getAllParameters`.
 */
export type GetAllParametersResult = { 
/**
 * Every parameter, in the engine's declaration order.
 */
parameters: Array<ParameterInfo>, };

/**
 * Params of `getParameter`.
 */
export type GetParameterParams = { 
/**
 * The parameter's id.
 */
id: string, };

/**
 * The error member of a failed response.
 */
export type JsonRpcErrorObject = { 
/**
 * One of [`ErrorCode`]'s numbers.
 */
code: number, 
/**
 * A short description (the specification's wording for its own codes).
 */
message: string, 
/**
 * Detail for a person: what was wrong and, where it helps, how to fix it.
 */
data?: JsonValue, };

/**
 * A notification: a request without an id. It is never answered.
 */
export type JsonRpcNotification = { 
/**
 * Always `"2.0"`.
 */
jsonrpc: "2.0", 
/**
 * The notification's name, from the catalog.
 */
method: string, 
/**
 * The notification's payload.
 */
params?: JsonValue, };

/**
 * A request: a call that expects exactly one response with the same id.
 */
export type JsonRpcRequest = { 
/**
 * Always `"2.0"`.
 */
jsonrpc: "2.0", 
/**
 * The method's name, from the catalog.
 */
method: string, 
/**
 * Positional (array) or named (object) parameters.
 */
params?: JsonValue, 
/**
 * Echoed in the response.
 */
id: RequestId, };

/**
 * A response to one request.
 */
export type JsonRpcResponse = { 
/**
 * Always `"2.0"`.
 */
jsonrpc: "2.0", 
/**
 * The request's id, or null when it could not be read.
 */
id: RequestId, } & ({ "result": JsonValue } | { "error": JsonRpcErrorObject });

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * A meter frame, pushed about 30 times a second.
 */
export type MeterUpdate = { 
/**
 * One entry per output channel.
 */
channels: Array<ChannelMeter>, };

/**
 * Params of a method that takes none.
 */
export type NoParams = Record<symbol, never>;

/**
 * Payload of `parameterChanged`.
 */
export type ParameterChanged = { 
/**
 * The parameter's id.
 */
id: string, 
/**
 * Its new plain value.
 */
value: number, 
/**
 * The value's revision (see [`ParameterInfo::revision`]).
 */
revision: number, };

/**
 * One parameter as the UI sees it. Values are plain (not normalised):
 * dB are dB, Hz are Hz, an enum's value is its variant's index, a bool is 0 or 1.
 */
export type ParameterInfo = { 
/**
 * Stable snake_case id; values are kept across reloads by id.
 */
id: string, 
/**
 * Name shown to the user.
 */
name: string, 
/**
 * How the value is read.
 */
kind: ParameterKind, 
/**
 * Smallest allowed value.
 */
min: number, 
/**
 * Largest allowed value.
 */
max: number, 
/**
 * The value a new instance starts with, and what a reset returns to.
 */
default: number, 
/**
 * The current value.
 */
value: number, 
/**
 * The host's revision of `value`: a higher revision is a newer value of this id. The
 * host stamps every stored change (a set, a reload's clamp, a new id) with the next
 * number of one counter, so a revision never repeats or goes back while the host
 * lives; a client keeps, per id, the value with the highest revision it was told.
 * A list an engine publishes carries 0, which the host ignores like `value`.
 */
revision: number, 
/**
 * Unit shown after the value ("dB", "Hz", "%"); empty when none.
 */
unit: string, 
/**
 * Group the UI files the control under; empty for the top level.
 */
group: string, 
/**
 * Distance between allowed values; `None` for continuous floats.
 */
step: number | null, 
/**
 * Slider mapping: position = ((value − min) / (max − min))^skew. 1 is linear.
 */
skew: number, 
/**
 * Variant names for an enum parameter; empty for the other kinds.
 */
variants: Array<string>, };

/**
 * The kind of a parameter, which decides how its value is read and shown.
 */
export type ParameterKind = "float" | "int" | "bool" | "enum";

/**
 * Payload of `parametersChanged`: how the list differs from the one before the reload.
 */
export type ParametersChanged = { 
/**
 * Ids that are new.
 */
added: Array<string>, 
/**
 * Ids that are gone.
 */
removed: Array<string>, 
/**
 * Ids kept whose shape (range, name, kind, …) changed.
 */
changed: Array<string>, };

/**
 * A request id: a string, a number, or null (allowed by the specification, though discouraged).
 */
export type RequestId = number | string | null;

/**
 * Params of `setParameter`.
 */
export type SetParameterParams = { 
/**
 * The parameter's id.
 */
id: string, 
/**
 * The new plain value.
 */
value: number, };

/**
 * Result of `setParameter`: the value now stored.
 */
export type SetParameterResult = { 
/**
 * The parameter's id.
 */
id: string, 
/**
 * The stored plain value.
 */
value: number, 
/**
 * The value's revision (see [`ParameterInfo::revision`]).
 */
revision: number, };

/** Params of each method, by name. */
export type MethodParams = {
  getAllParameters: NoParams;
  getParameter: GetParameterParams;
  setParameter: SetParameterParams;
  getEngineInfo: NoParams;
  getBuildStatus: NoParams;
  getAudioStatus: NoParams;
  ping: NoParams;
  beginEdit: EditParams;
  endEdit: EditParams;
};

/** Result of each method, by name. */
export type MethodResults = {
  getAllParameters: GetAllParametersResult;
  getParameter: ParameterInfo;
  setParameter: SetParameterResult;
  getEngineInfo: EngineInfo | null;
  getBuildStatus: BuildStatus;
  getAudioStatus: AudioStatus;
  ping: string;
  beginEdit: null;
  endEdit: null;
};

/** Payload of each notification, by name. */
export type NotificationParams = {
  parameterChanged: ParameterChanged;
  parametersChanged: ParametersChanged;
  buildStarted: BuildStarted;
  buildProgress: BuildProgress;
  buildFinished: BuildFinished;
  meterUpdate: MeterUpdate;
  audioStatusChanged: AudioStatus;
};

/** Every method name. */
export const METHODS = {
  getAllParameters: "getAllParameters",
  getParameter: "getParameter",
  setParameter: "setParameter",
  getEngineInfo: "getEngineInfo",
  getBuildStatus: "getBuildStatus",
  getAudioStatus: "getAudioStatus",
  ping: "ping",
  beginEdit: "beginEdit",
  endEdit: "endEdit",
} as const;

/** Every notification name. */
export const NOTIFICATIONS = {
  parameterChanged: "parameterChanged",
  parametersChanged: "parametersChanged",
  buildStarted: "buildStarted",
  buildProgress: "buildProgress",
  buildFinished: "buildFinished",
  meterUpdate: "meterUpdate",
  audioStatusChanged: "audioStatusChanged",
} as const;

/** JSON-RPC error codes. */
export const ERROR_CODES = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  parameterNotFound: -32000,
  valueOutOfRange: -32001,
} as const;
