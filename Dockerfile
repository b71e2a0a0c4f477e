# Production image: Node 24 runs the TypeScript server directly (type stripping), so the image
# carries sources plus the SvelteKit build and production dependencies only.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
COPY server ./server
COPY src/lib ./src/lib
COPY migrations ./migrations
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The server's Node flags depend on the memory the container sees (server/node-flags.ts). They
# are asked for without NODE_OPTIONS, so nothing it preloads can print into the command line; a
# failure stops the start instead of dropping them; exec keeps node the process that gets signals.
CMD ["sh", "-c", "flags=$(NODE_OPTIONS= node server/node-flags.ts) || exit 1; exec node $flags server/index.ts"]
