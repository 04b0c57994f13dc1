# forum-telematico app image: compiled TypeScript on Node 20.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: this stage only compiles (the postinstall needs scripts/, not copied yet).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# The pristine embedded cluster (what npm's postinstall makes), in the image: an embedded start
# on a new volume copies it instead of running initdb (the running user cannot write the cache).
RUN node dist/scripts/prepare-pglite.js
# Data files read at run time (tsc compiles code only).
COPY --from=build /app/src/knowledge-base/demo/faqs.json ./dist/src/knowledge-base/demo/faqs.json
COPY --from=build /app/src/pages/static ./dist/src/pages/static
COPY --from=build /app/src/web/static ./dist/src/web/static
COPY --from=build /app/src/staff-site/static ./dist/src/staff-site/static
COPY --from=build /app/src/expert-site/static ./dist/src/expert-site/static
COPY --from=build /app/src/reports/static ./dist/src/reports/static
COPY --from=build /app/src/self-assessment/demo/questionnaire.json ./dist/src/self-assessment/demo/questionnaire.json
COPY --from=build /app/src/self-assessment/static ./dist/src/self-assessment/static
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
