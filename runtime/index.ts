// Public API of the controller runtime (docs/design.md §4). Test doubles live in fake-*.ts.
export { serverSideApply, type ApplyClient, type ApplyOptions } from "./apply.ts";
export { jitter, raceTimeout, sleep, systemClock, type Clock, type TimerHandle } from "./clock.ts";
export {
  findCondition,
  formatTime,
  isFalse,
  isTrue,
  isUnknown,
  removeCondition,
  setCondition,
  type Condition,
  type ConditionStatus,
  type NewCondition,
} from "./conditions.ts";
export {
  Controller,
  noopControllerMetrics,
  type ControllerMetrics,
  type ControllerOptions,
  type ReconcileContext,
  type ReconcileOutcome,
  type Reconciler,
  type Result,
} from "./controller.ts";
export { TerminalError, isTerminalError } from "./errors.ts";
export {
  EventRecorder,
  coreEventClient,
  type EventClient,
  type EventRecorderOptions,
  type EventType,
} from "./events.ts";
export {
  CLEANUP_FINALIZER,
  addFinalizer,
  hasFinalizer,
  isBeingDeleted,
  removeFinalizer,
  type FinalizerClient,
} from "./finalizers.ts";
export {
  controllerOwnerOf,
  generationChanged,
  groupOf,
  mappingHandler,
  requestFor,
  type MapFunc,
  type Predicate,
  type Request,
  type WatchEvent,
} from "./handlers.ts";
export { Informer, type EventHandler, type InformerOptions } from "./informer.ts";
export {
  FIELD_MANAGER,
  KubeClient,
  apiVersionOf,
  collectionPath,
  isConflict,
  isGone,
  isNotFound,
  objectPath,
  statusCode,
  type ObjectRef,
  type RequestOptions,
  type ResourceType,
} from "../kube/kube-api.ts";
export {
  LeaderElector,
  coordinationLeaseClient,
  defaultIdentity,
  type LeaderElectionOptions,
  type LeaseClient,
  type StopReason,
} from "./leader-election.ts";
export {
  kubeListWatcher,
  type KubeListWatchOptions,
  type ListResult,
  type ListWatcher,
  type WatchHandle,
  type WatchParams,
} from "../kube/list-watch.ts";
export { Manager, type LeaderElectionConfig, type ManagerOptions } from "./manager.ts";
export { createMergePatch, jsonEqual } from "./merge-patch.ts";
export {
  AlreadyOwnedError,
  controllerRef,
  getControllerOf,
  isControlledBy,
  setControllerReference,
} from "./owner.ts";
export {
  BucketRateLimiter,
  ExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultRateLimiter,
  type DefaultRateLimiterOptions,
  type RateLimiter,
} from "./rate-limiter.ts";
export { onShutdownSignals, type SignalSource } from "./signals.ts";
export {
  StatusWriter,
  customObjectsStatusClient,
  type StatusClient,
  type StatusMutation,
  type StatusOf,
  type StatusWriteResult,
  type StatusWriterOptions,
  type WithStatus,
} from "./status.ts";
export { StructureSharer } from "./share.ts";
export { Store, keyOf, objectKey, ownerUidIndex, splitKey, type IndexFunc } from "./store.ts";
export {
  WorkQueue,
  noopWorkQueueMetrics,
  type WorkQueueMetrics,
  type WorkQueueOptions,
} from "./workqueue.ts";
