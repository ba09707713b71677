/**
 * @wavecraft/core: the connection from a Wavecraft plugin UI to its engine.
 * The IpcBridge speaks JSON-RPC over a Transport; the hooks turn it into
 * React state. Components live in @wavecraft/components.
 */
export { IpcBridge, backoffDelay } from "./bridge";
export type { BackoffOptions, ConnectionState, IpcBridgeOptions, LinkStatus, RequestOptions } from "./bridge";
export { IpcConnectionError, IpcError, IpcTimeoutError } from "./errors";
export { DEFAULT_DEV_UI_URL, DEFAULT_WS_URL, defaultTransport, isInPluginWindow, resolveWebSocketUrl } from "./config";
export { formatDb, linearToDb } from "./decibels";
export { ParameterStore } from "./parameterStore";
export type { ParameterListSnapshot, ParameterStoreOptions, ParametersSnapshot } from "./parameterStore";
export type { ParameterShape } from "./parameterShape";
export { animationFrames } from "./frameOutbox";
export type { FrameScheduler } from "./frameOutbox";
export type { MethodName, NotificationMap, NotificationName, ParamsOf, ResultOf, WireParamsOf } from "./rpc";
export type { Transport, Unsubscribe } from "./transports/transport";
export { WebSocketTransport } from "./transports/websocket";
export { NATIVE_RECEIVER_NAME, NativeTransport } from "./transports/native";
export type { NativeIpcChannel, NativeIpcReceiver } from "./transports/native";
export { WavecraftProvider, useBridge, useParameterStore } from "./context";
export type { WavecraftProviderProps } from "./context";
export { useAllParameters, useParameter, useParameterList } from "./hooks/useParameters";
export type { AllParameters, ParameterActions, ParameterList, SingleParameter } from "./hooks/useParameters";
export { useConnectionStatus } from "./hooks/useConnectionStatus";
export { useMeter } from "./hooks/useMeter";
export { useBuildProgress } from "./hooks/useBuildProgress";
export { useAudioStatus, useBuildStatus, useEngineInfo } from "./hooks/useStatus";
export { useRemoteState } from "./hooks/useRemoteState";
export type { RemoteStateSource, RemoteUpdate } from "./hooks/useRemoteState";
export * from "./wire";
