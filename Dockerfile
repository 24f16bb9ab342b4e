# syntax=docker/dockerfile:1
# Dockerfile: builds Duban in three steps and ships it in a small Debian image.
#
#   frontend  Node.js builds the web app when frontend/package.json exists
#             (otherwise it leaves an empty dist/ and the binary serves its placeholder page);
#   build     Go builds bin/duban as `make build` does (pure Go, the app embedded with -tags spa);
#   web       nginx with the built app and deploy/nginx/templates (the "web" service of docker-compose.yml);
#   duban     the final image (the default target): `duban serve` on :8080, data in /data.
#
#   docker build -t duban --build-arg VERSION=$(git describe --tags --always --dirty) .
#   docker build -t duban-web --target web .

ARG NODE_VERSION=20
ARG GO_VERSION=1.26

FROM node:${NODE_VERSION}-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/ ./
RUN if [ -f package.json ]; then \
        if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi \
        && npm run build; \
    else \
        echo "frontend/ has no package.json: building the API-only binary"; \
    fi \
    && mkdir -p dist

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /src/frontend/dist/ /src/internal/webui/dist/
ARG VERSION=dev
RUN tags=""; \
    if [ -f internal/webui/dist/index.html ]; then tags=spa; fi; \
    go build -tags "$tags" -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/duban ./cmd/duban \
    && /out/duban version

FROM nginx:1.27-alpine AS web
# The image renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ at start,
# substituting only the DUBAN_* variables (deploy/nginx/templates/default.conf.template
# describes them).
COPY deploy/nginx/templates/ /etc/nginx/templates/
RUN rm -f /etc/nginx/conf.d/default.conf /usr/share/nginx/html/index.html /usr/share/nginx/html/50x.html
COPY --from=frontend /src/frontend/dist/ /usr/share/nginx/html/
ENV NGINX_ENVSUBST_FILTER=DUBAN_ \
    DUBAN_TLS=off \
    DUBAN_EDGE_RATE=20r/s \
    DUBAN_EDGE_BURST=40 \
    DUBAN_EDGE_LOGIN_RATE=10r/m \
    DUBAN_UPSTREAMS="server duban:8080;"
EXPOSE 80 443

FROM debian:bookworm-slim AS duban
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin duban \
    && mkdir -p /data && chown duban:duban /data
COPY --from=build /out/duban /usr/local/bin/duban
ENV DUBAN_DATA_DIR=/data \
    DUBAN_HTTP_ADDR=:8080 \
    DUBAN_LOG_FORMAT=json \
    TZ=Asia/Shanghai
VOLUME ["/data"]
USER duban
WORKDIR /data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/duban"]
CMD ["serve"]
