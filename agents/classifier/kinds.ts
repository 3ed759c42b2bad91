/**
 * The words people use for Kubernetes kinds, in English and Chinese, and the words that
 * are never object names. Data only.
 */
import { KIND_ALIASES } from "../../crds/kind-aliases.ts";

// kubectl short names that are ordinary words in a sentence ("no pods", "quota", "ing").
const PROSE_WORDS = new Set(["no", "ing", "quota", "ec2"]);

/** Kind words and aliases → kind (longest words are tried first by the patterns). */
export const KIND_WORDS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(KIND_ALIASES).filter(([word]) => !PROSE_WORDS.has(word))),
  容器组: "Pod",
  部署: "Deployment",
  无状态应用: "Deployment",
  工作负载: "Deployment",
  应用: "Deployment",
  app: "Deployment",
  application: "Deployment",
  workload: "Deployment",
  有状态应用: "StatefulSet",
  有状态副本集: "StatefulSet",
  守护进程集: "DaemonSet",
  任务: "Job",
  作业: "Job",
  定时任务: "CronJob",
  服务: "Service",
  入口: "Ingress",
  路由: "Ingress",
  存储卷声明: "PersistentVolumeClaim",
  持久卷声明: "PersistentVolumeClaim",
  存储卷: "PersistentVolumeClaim",
  服务器: "Node",
  节点: "Node",
  主机: "Node",
  机器: "Node",
  autoscaler: "HorizontalPodAutoscaler",
  弹性伸缩: "HorizontalPodAutoscaler",
};

/** Kinds by how specific a subject they name: a pod is more specific than its node. */
export const SPECIFICITY: Record<string, number> = {
  Pod: 10,
  Job: 9,
  CronJob: 8,
  Deployment: 8,
  StatefulSet: 8,
  DaemonSet: 8,
  ReplicaSet: 7,
  HorizontalPodAutoscaler: 6,
  PodDisruptionBudget: 6,
  PersistentVolumeClaim: 6,
  Ingress: 5,
  Service: 5,
  ResourceQuota: 4,
  Node: 3,
  Namespace: 1,
};

/** Kinds that live outside namespaces. */
export const CLUSTER_SCOPED = new Set(["Node", "Namespace", "PersistentVolume", "StorageClass"]);

/** ASCII words that are never object names in a request (vocabulary, not names). */
export const NOT_NAMES = new Set(
  (
    "the a an this that these those my our your its all every each any some which what why how when where who " +
    "is are was were be been being do does did done has have had can could should would will may might must " +
    "of in on at for to from by with about into onto and or not no but if then than so as it me us we you i " +
    "please pls help check look see tell show find get list why whats what's wrong happened happening " +
    "restart restarts restarted restarting fix fixed repair rollback roll back undo revert scale scaled scaling " +
    "drain cordon uncordon evict delete kill rerun suspend reboot bump increase decrease diagnose investigate " +
    "troubleshoot debug health healthcheck cluster namespace ns crash crashing crashed crashloop crashloopbackoff " +
    "fail fails failed failing failure error errors down broken slow stuck pending running ready unhealthy " +
    "timeout oom oomkilled evicted keeps keep again still always now today memory cpu disk network latency " +
    "k8s kubernetes kubectl http https dns ip tcp udp grpc log logs event events image images container " +
    "containers replica replicas version config configmap secret secrets alert alerts prod production staging " +
    "ok okay fine status everything whole entire up new old rollout rolling update updated upgrade upgraded " +
    "deploy deployed deploying release released change changed working work works again anymore since after " +
    "before because there here too very really just only also more less high low it's isn't doesn't can't " +
    "5xx 4xx x86 ipv4 ipv6 http2 utf-8 re-run roll-back health-check set-up follow-up built-in out-of-memory " +
    "crash-loop back-off backoff"
  ).split(" "),
);

/** True when every character is ASCII, for telling names from Chinese words. */
export function hasCJK(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}
