# The service in a container: build with the dev dependencies, run with the production ones only.
#
#   docker build -t self-healing-ml .
#   docker run --rm -p 5000:5000 -v shmp-storage:/app/storage self-healing-ml
#       serves http://127.0.0.1:5000/docs; trains v1 on first start when the volume holds no model
#   docker run --rm -v shmp-storage:/app/storage self-healing-ml node dist/cli train
#       the command line, in the same image and on the same volume
#
# test/container/dockerfile.e2e-spec.ts checks this file and replays its build steps without Docker.
#
# Node 24 LTS on Debian 13 (trixie, Debian's stable release), slim: the newest Node CI tests (.ci/run
# runs every test on Node 20 and again on Node 24). Both stages use the same image, so what the build
# stage installs and builds runs on the same Node in the runtime stage.

FROM node:24-trixie-slim AS build
# No install-time scripts: the one dependency that has one (@scarf/scarf, under swagger-ui-dist) only
# sends install telemetry, and nothing needs a script to work (--ignore-scripts below). SCARF_ANALYTICS
# says no as well, should a script run anyway; npm checks for a newer npm of its own on every call.
ENV SCARF_ANALYTICS=false \
    npm_config_update_notifier=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:24-trixie-slim AS runtime
# OCI image labels (docker inspect, registries); the version is package.json's.
LABEL org.opencontainers.image.title="self-healing-ml-pipeline" \
      org.opencontainers.image.description="Train, serve, monitor and self-heal a bank-marketing classifier in one NestJS service" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="node:24-trixie-slim"
ENV NODE_ENV=production \
    PORT=5000 \
    HOST=0.0.0.0 \
    STORAGE_DIR=/app/storage \
    DATA_FILE=data/bank-additional.csv
WORKDIR /app
# Code and data belong to root and are read-only for the service; only the storage is its own.
RUN mkdir -p /app/storage && chown node:node /app/storage
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY data ./data
USER node
VOLUME /app/storage
EXPOSE 5000
# Node's own fetch: the slim image has no curl or wget. The start period covers the first training.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 5000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets `docker stop`'s SIGTERM itself (Nest's shutdown hooks close the server).
# The same node flags as `npm start` (a larger young generation: see the README's Performance section).
CMD ["node", "--max-semi-space-size=32", "dist/main"]
