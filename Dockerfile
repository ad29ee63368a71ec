# syntax=docker/dockerfile:1
# The network map server: the app and the sync server on one port, as `npm start` runs them.
#   docker build -t network-map .
#   docker run -p 8080:8080 -v network-map-data:/data network-map
# compose.yaml runs three instances on PostgreSQL and Redis behind a proxy (see the README, "Docker").

# --- build: compiles better-sqlite3 if no prebuilt binary fits, builds the client and the server.
FROM node:20-bookworm AS build
# The full image has these already; named so a change of base image cannot drop them quietly.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so a change of source alone reuses this layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# A tldraw licence key, for a production build served over https on a public host (README,
# "Deploying on the internet"). It ends up in the client's JavaScript, as it does in any build.
ARG VITE_TLDRAW_LICENSE_KEY=""
RUN VITE_TLDRAW_LICENSE_KEY="$VITE_TLDRAW_LICENSE_KEY" npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the compiled server, the built client and the production dependencies only.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and only readable by the server's user: the process cannot change its own code.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# `npm run invite` (and export, migrate-store) run build.mjs --if-stale first; without sources it
# finds nothing stale and goes straight to the compiled command line.
COPY --from=build /app/scripts ./scripts
# The data directory: SQLite files, the signing secret and the certificate when alone; little
# or nothing with DATABASE_URL. Made here so the volume starts out owned by the server's user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# No curl in the slim image: node asks /healthz itself (200 while it serves and stores; 503 when
# its storage is down or it is shutting down). HTTPS=1 means a self-signed certificate: not checked.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const s=/^(1|true)$/.test(process.env.HTTPS||'');require(s?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.PORT||8080,path:'/healthz',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# The young generation capped at 8 MiB a half, as `npm start` runs it: under a workshop's load the
# default (16 MiB) grows the process by about 20 MiB for no measurable gain in speed.
CMD ["node", "--max-semi-space-size=8", "dist/server/main.js"]
