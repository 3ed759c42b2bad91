/**
 * Payloads shaped exactly as Grafana Alerting's webhook contact point sends them (the example of
 * grafana.com "Configure the webhook notifier for Alerting", version 1), for the unit and
 * integration tests. `grafanaPayload` varies names and fingerprints so tests do not collide.
 */

/** One alert as Grafana sends it. */
export interface GrafanaAlertFixture {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  silenceURL: string;
  dashboardURL: string;
  panelURL: string;
  values: Record<string, number> | null;
}

/** The documentation's first alert ("High memory usage"), firing. */
export function grafanaAlert(over: Partial<GrafanaAlertFixture> = {}): GrafanaAlertFixture {
  return {
    status: "firing",
    labels: { alertname: "High memory usage", team: "blue", zone: "us-1" },
    annotations: {
      description: "The system has high memory usage",
      runbook_url: "https://myrunbook.com/runbook/1234",
      summary: "This alert was triggered for zone us-1",
    },
    startsAt: "2021-10-12T09:51:03.157076+02:00",
    endsAt: "0001-01-01T00:00:00Z",
    generatorURL: "https://play.grafana.org/alerting/1afz29v7z/edit",
    fingerprint: "c6eadffa33fcdf37",
    silenceURL:
      "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1",
    dashboardURL: "",
    panelURL: "",
    values: { B: 44.23943737541908, C: 1 },
    ...over,
  };
}

/** The documentation's second alert ("High CPU usage"), firing, with a dashboard and panel. */
export function grafanaCpuAlert(over: Partial<GrafanaAlertFixture> = {}): GrafanaAlertFixture {
  return grafanaAlert({
    labels: { alertname: "High CPU usage", team: "blue", zone: "eu-1" },
    annotations: {
      description: "The system has high CPU usage",
      runbook_url: "https://myrunbook.com/runbook/1234",
      summary: "This alert was triggered for zone eu-1",
    },
    startsAt: "2021-10-12T09:56:03.157076+02:00",
    generatorURL: "https://play.grafana.org/alerting/d1rdpdv7k/edit",
    fingerprint: "bc97ff14869b13e3",
    silenceURL:
      "https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1",
    dashboardURL: "https://play.grafana.org/d/abc123",
    panelURL: "https://play.grafana.org/d/abc123?viewPanel=4",
    values: { B: 88.5, C: 1 },
    ...over,
  });
}

/** A whole notification: state alerting while any alert fires, else ok; the rendered title and message. */
export function grafanaPayload(alerts: GrafanaAlertFixture[], receiver = "My Super Webhook") {
  const firing = alerts.filter((a) => a.status === "firing");
  const status = firing.length ? "firing" : "resolved";
  const common = alerts[0]?.labels.team ? { team: alerts[0].labels.team } : {};
  return {
    receiver,
    status,
    orgId: 1,
    alerts,
    groupLabels: {},
    commonLabels: common,
    commonAnnotations: {},
    externalURL: "https://play.grafana.org/",
    version: "1",
    groupKey: "{}:{}",
    truncatedAlerts: 0,
    title: `[${status.toUpperCase()}:${firing.length || alerts.length}]  (${common.team ?? ""})`,
    state: firing.length ? "alerting" : "ok",
    message: `**${status === "firing" ? "Firing" : "Resolved"}**\n\nValue: B=44.23943737541908, C=1\n`,
  };
}
