// Connection failures in the wordings of the usual runtimes and clients, and the host:port each names.
import { describe, expect, it } from "vitest";
import { showEndpoint } from "./endpoint.ts";
import { endingFailures, parseFailure, tailLines } from "./logs.ts";

const hosts = (line: string) => parseFailure(line)?.endpoints.map(showEndpoint);

describe("parseFailure", () => {
  it.each([
    // Go: net/http, database/sql, pgx, go-redis, grpc-go
    [
      'Get "http://inventory:8080/items": dial tcp 172.20.3.4:8080: connect: connection refused',
      "refused",
      ["inventory:8080", "172.20.3.4:8080"],
    ],
    ["dial tcp 10.96.5.5:5432: connect: connection refused", "refused", ["10.96.5.5:5432"]],
    [
      "failed to connect to `host=orders-db user=app database=orders`: dial error (dial tcp 172.20.88.14:5432: connect: connection refused)",
      "refused",
      ["orders-db:5432", "172.20.88.14:5432"],
    ],
    [
      "redis: dial tcp redis.cache.svc.cluster.local:6379: i/o timeout",
      "timeout",
      ["redis.cache.svc.cluster.local:6379"],
    ],
    [
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.96.1.2:50051: connect: connection refused"',
      "refused",
      ["10.96.1.2:50051"],
    ],
    [
      "grpc: failed to connect to dns:///inventory.shop:50051: deadline exceeded",
      "timeout",
      ["inventory.shop:50051"],
    ],
    ["dial tcp: lookup orders-db on 10.96.0.10:53: no such host", "lookup", ["orders-db"]],
    // Java: JDBC, Netty, Spring, Lettuce, the Kafka client
    [
      "org.postgresql.util.PSQLException: Connection to orders-db:5432 refused. Check that the hostname and port are correct",
      "refused",
      ["orders-db:5432"],
    ],
    [
      "io.netty.channel.AbstractChannel$AnnotatedConnectException: finishConnect(..) failed: Connection refused: inventory/172.20.19.8:8080",
      "refused",
      ["inventory:8080"],
    ],
    [
      'I/O error on GET request for "http://pricing:8080/api/prices": Connection refused',
      "refused",
      ["pricing:8080"],
    ],
    [
      "io.lettuce.core.RedisConnectionException: Unable to connect to redis-master:6379",
      "unavailable",
      ["redis-master:6379"],
    ],
    [
      "Connection to node -1 (kafka-0.kafka-headless.data.svc.cluster.local/10.0.1.7:9092) could not be established. Broker may not be available.",
      "unavailable",
      ["kafka-0.kafka-headless.data.svc.cluster.local:9092"],
    ],
    ["java.net.UnknownHostException: orders-db", "lookup", ["orders-db"]],
    // Node.js: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ioredis, kafkajs
    ["Error: connect ECONNREFUSED 10.96.5.5:5432", "refused", ["10.96.5.5:5432"]],
    ["Error: getaddrinfo ENOTFOUND payments", "lookup", ["payments"]],
    [
      "[ioredis] Unhandled error event: Error: connect ETIMEDOUT 172.20.40.12:6379",
      "timeout",
      ["172.20.40.12:6379"],
    ],
    [
      '{"logger":"kafkajs","message":"[Connection] Connection error: connect ECONNREFUSED 10.0.1.77:9092","broker":"kafka:9092"}',
      "refused",
      ["10.0.1.77:9092", "kafka:9092"],
    ],
    // Python: psycopg2, pymysql, redis-py, requests, aiohttp
    [
      'psycopg2.OperationalError: connection to server at "orders-db" (10.96.5.5), port 5432 failed: Connection refused',
      "refused",
      ["orders-db:5432"],
    ],
    [
      'psycopg2.OperationalError: could not translate host name "analytics-db.warehouse.svc.cluster.local" to address: Name or service not known',
      "lookup",
      ["analytics-db.warehouse.svc.cluster.local"],
    ],
    [
      `pymysql.err.OperationalError: (2003, "Can't connect to MySQL server on 'mysql' ([Errno 111] Connection refused)")`,
      "refused",
      ["mysql:3306"],
    ],
    [
      "redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.",
      "refused",
      ["redis:6379"],
    ],
    [
      "HTTPConnectionPool(host='inventory', port=8080): Max retries exceeded with url: /items (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))",
      "refused",
      ["inventory:8080"],
    ],
    [
      "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host inventory:8080 ssl:default [Connect call failed ('10.96.3.4', 8080)]",
      "unavailable",
      ["inventory:8080"],
    ],
  ])("reads %s", (line, kind, expected) => {
    expect(parseFailure(line)?.kind).toBe(kind);
    expect(hosts(line)).toEqual(expected);
  });

  it("names the client when the message names no host (Connector/J, NoBrokersAvailable)", () => {
    expect(
      parseFailure("com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure"),
    ).toEqual({ kind: "unavailable", endpoints: [], client: "mysql" });
    expect(parseFailure("kafka.errors.NoBrokersAvailable: NoBrokersAvailable")?.client).toBe("kafka");
  });

  it("leaves DNS outages to cluster DNS and ignores lines that report no connection failure", () => {
    expect(parseFailure("Error: getaddrinfo EAI_AGAIN api.stripe.com")).toBeUndefined();
    expect(
      parseFailure(
        "dial tcp: lookup redis on 10.96.0.10:53: read udp 10.1.1.5:5301->10.96.0.10:53: i/o timeout",
      ),
    ).toBeUndefined();
    expect(parseFailure("INFO connected to orders-db:5432 in 12ms")).toBeUndefined();
    expect(parseFailure("ERROR something refused")).toBeUndefined();
  });
});

describe("endingFailures", () => {
  it("joins psycopg2's indented continuation lines and drops stack frames", () => {
    const text =
      'psycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "orders-db" (10.96.5.5) and accepting\n\tTCP/IP connections on port 5432?\n';
    expect(tailLines(text)).toHaveLength(1);
    expect(endingFailures(text)[0]!.failure.endpoints.map(showEndpoint)).toContain("orders-db:5432");
    const node =
      "Error: connect ECONNREFUSED 10.96.5.5:5432\n    at TCPConnectWrapper.afterConnect [as oncomplete] (node:net:1607:16)\nNode.js v20.11.0\n";
    expect(endingFailures(node)).toHaveLength(1);
  });

  it("counts a failure only when the run did not end on several errors of another kind", () => {
    const other = [
      "WARN dial tcp 10.96.5.5:5432: connect: connection refused",
      "ERROR a",
      "ERROR b",
      "ERROR c",
      "ERROR d",
    ].join("\n");
    expect(endingFailures(other)).toEqual([]);
    const ends = [
      "INFO start",
      "ERROR dial tcp 10.96.5.5:5432: connect: connection refused",
      "fatal: exiting",
    ].join("\n");
    expect(endingFailures(ends)).toHaveLength(1);
    expect(endingFailures(undefined)).toEqual([]);
  });
});
