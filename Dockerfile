# syntax=docker/dockerfile:1
# One image per service, built from the workspace root with BuildKit:
#   docker build --target scorer       -t splitserve/scorer .
#   docker build --target io-gateway   -t splitserve/io-gateway .
#   docker build --target mock-sources -t splitserve/mock-sources .
# Stages: toolchain (Node and pnpm) -> fetched (every production package of the lockfile, in pnpm's store; a layer
# that changes only with the lockfile) -> <service>-tree (that service's production tree, installed offline by
# deploy/docker/production-tree.sh) -> <service> (the runtime image: Node and the tree, nothing else).
# deploy/test/dockerfile.test.ts runs the tree stages' commands for real and starts the trees.

# glibc, not Alpine: onnxruntime-node's native library is built against glibc. Pin a digest for production builds.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
# Must match "packageManager" in package.json.
ARG PNPM_VERSION=11.28.10
# onnxruntime-node's postinstall would download CUDA libraries. allowBuilds in pnpm-workspace.yaml already denies
# it; this makes sure it does nothing should it ever run.
ENV CI=true ONNXRUNTIME_NODE_INSTALL=skip
RUN npm install --global --no-fund --no-audit --no-update-notifier "pnpm@${PNPM_VERSION}"

FROM toolchain AS fetched
WORKDIR /build/workspace
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# Only the store is kept: each tree stage installs its own service's packages into an empty node_modules.
RUN pnpm fetch --prod && rm -rf node_modules

FROM fetched AS scorer-tree
COPY . .
RUN sh deploy/docker/production-tree.sh @splitserve/scorer ../tree

FROM fetched AS io-gateway-tree
COPY . .
RUN sh deploy/docker/production-tree.sh @splitserve/io-gateway ../tree

FROM fetched AS mock-sources-tree
COPY . .
RUN sh deploy/docker/production-tree.sh @splitserve/mock-sources ../tree

FROM ${NODE_IMAGE} AS runtime
# The services need only node: npm, corepack and yarn go, and with them most of what a scanner would flag.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
# The code stays owned by root, read-only to the service, which runs as the base image's unprivileged user.
USER node

# The demo models are in the image (services/scorer/model-repository); MODEL_REPOSITORY can point at a mounted
# volume instead (deploy/cloud-run/scorer.yaml, with deploy.sh --model-bucket).
FROM runtime AS scorer
COPY --from=scorer-tree /build/tree /app
WORKDIR /app/services/scorer
EXPOSE 8081
CMD ["node", "src/main.ts"]

FROM runtime AS io-gateway
COPY --from=io-gateway-tree /build/tree /app
WORKDIR /app/services/io-gateway
EXPOSE 8080
CMD ["node", "src/main.ts"]

# MOCK_SOURCE=profile (port 8091) or events (port 8092).
FROM runtime AS mock-sources
COPY --from=mock-sources-tree /build/tree /app
WORKDIR /app/services/mock-sources
EXPOSE 8091 8092
CMD ["node", "src/main.ts"]
