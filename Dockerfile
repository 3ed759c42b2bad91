# syntax=docker/dockerfile:1
# The aisre image: one image, two entry points (`aisre operator`, `aisre sidecar`).
# Sources run directly under Node 24's type stripping, so there is no compile stage;
# the first stage only resolves production dependencies.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

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
COPY notify ./notify
COPY crds ./crds
COPY controllers ./controllers
COPY agents ./agents
COPY tools ./tools
COPY store ./store
COPY webhooks ./webhooks
# The manifests run `aisre operator` / `aisre sidecar`: put the launcher on PATH.
RUN chmod 0755 /app/bin/aisre.mjs && ln -s /app/bin/aisre.mjs /usr/local/bin/aisre
USER node
EXPOSE 8080 8081 8443
ENTRYPOINT ["aisre"]
CMD ["operator"]
