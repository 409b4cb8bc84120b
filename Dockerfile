# syntax=docker/dockerfile:1
# Multi-stage: compile with the dev toolchain, ship only production dependencies and the compiled JavaScript.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json README.md ./
COPY src ./src
# The explorer's bundle (dist/explorer, served only where ENABLE_SANDBOX turns it on) is built from scripts/ and the README.
COPY scripts ./scripts
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4001
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's unprivileged user; nothing in /app is writable by it (the production ledger is PostgreSQL).
USER node
EXPOSE 4001
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4001) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Plum's placeOrder may take up to the upstream budget (< 30 s): give SIGTERM at least that long (docker stop -t 35).
STOPSIGNAL SIGTERM
CMD ["node", "dist/index.js"]
