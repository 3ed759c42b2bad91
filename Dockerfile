# syntax=docker/dockerfile:1
# The aisre image: one image, two entry points (`aisre operator`, `aisre sidecar`).
# Sources run directly under Node 24's type stripping, so there is no compile stage;
# the first stage only resolves production dependencies. .dockerignore keeps tests,
# fixtures, docs, bench, .git and node_modules out of the context (app/image.test.ts).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the image brings its own Node 24, so the `node` package stays a stub.
# Type declarations and source maps are never loaded at run time (bench/deps.ts, PRUNE).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete \
 && npm cache clean --force

# The web console: React, Ant Design and ECharts built by Vite into static files the sidecar
# serves at / (docs/console.md). Its build tools stay in this stage.
FROM node:24-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY console ./console
RUN npx vite build --config console/vite.config.ts

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY app ./app
COPY runtime ./runtime
COPY kube ./kube
COPY logging ./logging
COPY redact ./redact
COPY notify ./notify
COPY crds ./crds
COPY controllers ./controllers
COPY agents ./agents
COPY tools ./tools
COPY store ./store
COPY webhooks ./webhooks
COPY --from=console /app/console/dist ./console/dist
# The manifests run `aisre operator` / `aisre sidecar`: put the launcher on PATH.
RUN chmod 0755 /app/bin/aisre.mjs && ln -s /app/bin/aisre.mjs /usr/local/bin/aisre
# Non-root, and nothing in the image is written at run time: the manifests (cdk8s/workload.ts)
# set readOnlyRootFilesystem and mount emptyDirs at /tmp (Node's compile cache,
# /tmp/node-compile-cache) and at AISRE_DATA_DIR (the embedded PGlite data directory).
# Numeric, as runAsNonRoot can verify it; the same uid/gid as the manifests' runAsUser/runAsGroup.
USER 65532:65532
EXPOSE 8080 8081 8443
ENTRYPOINT ["aisre"]
CMD ["operator"]
