# The iom-broker image: the `iom-broker` CLI (router, topic setup, API) with the event
# schemas and policies it reads, and the front-end assets the portal, the console and /docs
# serve. Used by docker-compose.yml.

# package.json's dependencies (govuk-frontend, swagger-ui-dist...), as locked; no dev tools.
FROM node:22-bookworm-slim AS web-assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md ./
COPY broker ./broker
COPY iom_adapters ./iom_adapters
RUN pip install . && rm -rf build ./*.egg-info

COPY schemas ./schemas
COPY policies ./policies
COPY --from=web-assets /app/node_modules ./node_modules

# The installed package lives in site-packages, so point it at the data copied above. The
# web front ends read their templates, static files and node_modules beside the source, which
# the package does not carry yet, so the source in /app is what Python imports.
ENV PYTHONPATH=/app \
    IOM_SCHEMA_DIR=/app/schemas \
    IOM_POLICY_FILE=/app/policies \
    IOM_AGENCIES_FILE=/app/policies/agencies.yaml \
    IOM_SUBJECT_KEY_FILE=/app/.state/keys/subject.key

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin iom \
    && mkdir -p /app/.state \
    && chown iom /app/.state
USER iom

ENTRYPOINT ["iom-broker"]
CMD ["--help"]
