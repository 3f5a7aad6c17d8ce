# The GraphQL API as a container. It always talks to an external Neo4j through NEO4J_URI
# (see docker-compose.yml); it never starts the embedded launcher, so no JVM is in the image.
#
#   docker build -t defence-cooperation-graph .
#   docker run --rm -p 127.0.0.1:4000:4000 -e NEO4J_URI=bolt://host:7687 -e NEO4J_PASSWORD=... defence-cooperation-graph

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, generate the GraphQL types, compile, then drop dev dependencies
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# Dependencies first, so that a source change does not reinstall them.
# --ignore-scripts: the `prepare` script bundles web/src/, which is not copied yet (build:web runs below).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts

# Sources (what .dockerignore lets through), then codegen (schema.graphql -> src/generated/) and tsc.
COPY . .
RUN npm run codegen && npm run build && npm run build:web && npm prune --omit=dev

# ---- runtime: production dependencies, compiled code and the data it loads
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# HOST: the server binds 127.0.0.1 by default; in a container it must listen on every interface.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000

# Owned by root and not writable by the process user: the app only reads these.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/schema.graphql ./schema.graphql
COPY --from=build /app/seed ./seed
COPY --from=build /app/web/dist ./web/dist

USER node
EXPOSE 4000

# Slim images have no curl: ask node itself whether the API and its database are ready
# (on PORT, 4000 unless overridden).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

# As `npm start` serves it once built (package.json): the compiled server with its Node flags.
CMD ["node", "--max-semi-space-size=8", "bin/serve.js"]
