// Endpoints named by environment variables and configuration files, and the lean form the
// live caches keep: the same endpoints, never a credential.
import { describe, expect, it } from "vitest";
import { endpointsIn, showEndpoint } from "./endpoint.ts";
import { fileEndpoints, leanData, leanSetting, settingEndpoints, settingsEndpoints } from "./settings.ts";

const show = (eps: { host: string; port?: number }[]) => eps.map(showEndpoint);

const SETTINGS: [string, string][] = [
  ["DATABASE_URL", "postgres://orders:s3cr3t@orders-db:5432/orders?sslmode=disable"],
  [
    "SPRING_DATASOURCE_URL",
    "jdbc:postgresql://db-0.db.data.svc.cluster.local:5432,db-1.db.data.svc.cluster.local:5432/app?password=x",
  ],
  ["JDBC_URL", "jdbc:mysql://mysql:3306/inventory?user=inv&password=pw"],
  ["ORACLE_URL", "jdbc:oracle:thin:@//ora.legacy.example:1521/ORCL"],
  ["REDIS_URL", "redis://:hunter2@redis.cache.svc.cluster.local/0"],
  ["AMQP_URL", "amqp://guest:guest@rabbitmq.messaging:5672/vhost"],
  ["KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka-headless:9092,kafka-1.kafka-headless:9092"],
  ["REDIS_ADDR", "redis:6379"],
  ["GRPC_TARGET", "dns:///inventory.shop.svc.cluster.local:50051"],
  ["DB_HOST", "orders-db"],
  ["DB_PORT", "5432"],
  ["LOG_LEVEL", "info"],
  ["FEATURE_FLAGS", "a=true,b=false"],
];

describe("settingsEndpoints", () => {
  it("reads URLs, JDBC strings, broker lists and pairs X_HOST with X_PORT, without credentials", () => {
    const eps = settingsEndpoints(SETTINGS);
    expect(show(eps)).toEqual([
      "orders-db:5432",
      "db-0.db.data.svc.cluster.local:5432",
      "db-1.db.data.svc.cluster.local:5432",
      "mysql:3306",
      "ora.legacy.example:1521",
      "redis.cache.svc.cluster.local:6379",
      "rabbitmq.messaging:5672",
      "kafka-0.kafka-headless:9092",
      "kafka-1.kafka-headless:9092",
      "redis:6379",
      "inventory.shop.svc.cluster.local:50051",
    ]);
    expect(JSON.stringify(eps)).not.toMatch(/s3cr3t|hunter2|guest|password|pw/);
  });

  it("takes a bare value as a host only under a host-ish name", () => {
    expect(show(settingEndpoints("CACHE_HOST", "memcached"))).toEqual(["memcached"]);
    expect(settingEndpoints("MODE", "memcached")).toEqual([]);
    expect(settingEndpoints("DB_HOST", "true")).toEqual([]);
  });
});

describe("fileEndpoints", () => {
  it("reads properties, YAML and .env files, pairing host and port keys", () => {
    const props =
      "spring.datasource.url=jdbc:postgresql://orders-db:5432/orders\nspring.datasource.password=secret\n";
    expect(show(fileEndpoints(props))).toEqual(["orders-db:5432"]);
    expect(show(fileEndpoints("queue:\n  host: redis\n  port: 6379\nconcurrency: 8\n"))).toEqual([
      "redis:6379",
    ]);
    expect(show(fileEndpoints("export SEARCH_URL=http://search:9200\n"))).toEqual(["search:9200"]);
  });
});

describe("lean values", () => {
  it("keeps only what reads back as the same endpoints", () => {
    for (const [name, value] of SETTINGS) {
      const lean = leanSetting(name, value);
      expect(settingEndpoints(name, lean ?? "")).toEqual(settingEndpoints(name, value));
      expect(lean ?? "").not.toMatch(/s3cr3t|hunter2|guest|password|sslmode/);
    }
    expect(leanSetting("DB_PORT", "5432")).toBe("5432");
    expect(leanSetting("LOG_LEVEL", "info")).toBeUndefined();
    expect(leanSetting("API_TOKEN", "ghp_abcdef")).toBeUndefined();
  });

  it("keeps a ConfigMap file as one endpoint per line", () => {
    const file =
      "db:\n  host: orders-db\n  port: 5432\n  password: hunter2\nurl: https://user:pw@api.example.com/v1\n";
    const lean = leanData("app.yaml", file);
    expect(show(fileEndpoints(lean))).toEqual(show(fileEndpoints(file)));
    expect(lean).not.toMatch(/hunter2|user:pw/);
    expect(leanData("LOG_LEVEL", "debug")).toBe("");
  });

  it("finds no host in times or local addresses, only the remote one", () => {
    const line = "2026-11-20T09:59:53Z read udp 10.1.1.5:5301->10.96.0.10:53: i/o timeout";
    expect(show(endpointsIn(line))).toEqual(["10.96.0.10:53"]);
  });
});
