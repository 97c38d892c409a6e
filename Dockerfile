# The iom-broker image: the `iom-broker` CLI (router, topic setup, API) installed from the
# project's wheel, which carries the event schemas, the default policies and agency registry
# and the front-end assets the portal, the console and /docs serve. Used by docker-compose.yml.

# package.json's dependencies (govuk-frontend, swagger-ui-dist...), as locked; no dev tools.
FROM node:22-bookworm-slim AS web-assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# The wheel: setup.py copies schemas/, policies/ and the web assets into broker/data.
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY broker ./broker
COPY iom_adapters ./iom_adapters
COPY schemas ./schemas
COPY policies ./policies
COPY --from=web-assets /src/node_modules ./node_modules
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

COPY --from=wheel /dist /dist
RUN pip install /dist/*.whl && rm -rf /dist

# The installed package reads its own schemas, policies and assets; state (keys, the SQLite
# stores) defaults to ./.state, here /app/.state (a volume in docker-compose.yml).
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin iom \
    && mkdir -p /app/.state \
    && chown iom /app/.state
USER iom

ENTRYPOINT ["iom-broker"]
CMD ["--help"]
