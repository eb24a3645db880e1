# syntax=docker/dockerfile:1
# Build: the same commands CI runs on the host (npm ci, nx build).
FROM node:20-bookworm-slim AS build
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx nx run-many -t build -p pipeline dashboard

# Run: production dependencies only, as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /workspace/dist/apps/pipeline ./dist
# Beside dist/ as the build leaves it beside dist/apps/pipeline: main.js finds it at ../dashboard.
COPY --from=build /workspace/dist/apps/dashboard ./dashboard
USER node
EXPOSE 8000
CMD ["node", "dist/main.js"]
