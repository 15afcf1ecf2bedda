# One image for every process of the province; the command chooses the entry:
#   node --import tsx bin/gateway.ts | bin/subgraph.ts <name> | bin/emulator.ts <name>
# (docker-compose.yml). TypeScript runs through tsx, as `npm start` does: there is no build step.

# deps: the production dependencies from the lock file (tsx among them: it runs the TypeScript entries).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# runtime: the tree and production node_modules, run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY gateway ./gateway
COPY lib ./lib
COPY mocks ./mocks
COPY schemas ./schemas
COPY stack ./stack
COPY subgraphs ./subgraphs
COPY workers ./workers
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# Where the gateways append audit checkpoints (a volume in docker-compose.yml), owned by node.
RUN mkdir -p /var/lib/cag/checkpoints && chown -R node:node /var/lib/cag
USER node
EXPOSE 4000
CMD ["node", "--import", "tsx", "bin/gateway.ts"]
