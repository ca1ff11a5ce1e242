# The newsflow worker image (docker-compose.yml runs `newsflow serve` from it). Runtime
# dependencies only, held to the versions in requirements.lock.
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml requirements.lock README.md ./
COPY schemas ./schemas
COPY workers ./workers
COPY flows ./flows
COPY infra/services.py ./infra/services.py
COPY infra/devservices ./infra/devservices
COPY seeds ./seeds
RUN pip install --constraint requirements.lock .

RUN useradd --create-home --uid 10001 newsflow
USER newsflow

CMD ["newsflow", "serve"]
