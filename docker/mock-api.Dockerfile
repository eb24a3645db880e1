# syntax=docker/dockerfile:1
# Build: the same commands CI runs on the host (npm ci, nx build).
FROM node:20-bookworm-slim AS build
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx nx build mock-api

# Run: production dependencies only, as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /workspace/dist/apps/mock-api ./dist
USER node
EXPOSE 5000
CMD ["node", "dist/main.js"]
