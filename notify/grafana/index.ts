export { GrafanaAnnotator } from "./annotator.ts";
export type { AnnotatorOptions, AnnotatorStats } from "./annotator.ts";
export { GrafanaError, grafanaCall, postAnnotation } from "./api.ts";
export type { AnnotationRequest } from "./api.ts";
export { incidentAnnotation, stepAnnotation } from "./events.ts";
export type { AnnotationItem, StepEntry } from "./events.ts";
