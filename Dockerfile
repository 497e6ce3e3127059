# API image for docker-compose (and any container host). Two stages: compile with the dev
# dependencies, then run the compiled dist/ with production dependencies only, as the non-root `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# patches/: fixes to dependencies that npm ci applies (postinstall: patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# var/ holds what the app writes at run time (mails and uploads without SMTP/R2).
RUN mkdir -p var && chown node:node var
USER node
ENV PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=45s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations run at start-up, under a PostgreSQL advisory lock (several replicas may start at once).
# The young generation's flag is `npm start`'s (package.json): see the README's search benchmark.
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
