# The newsflow image: docker-compose.yml runs the work-pool workers (`prefect worker start --pool
# newsflow`) and the deploy step (`prefect deploy --all`, from prefect.yaml) from it; its default
# command serves the deployments without a work pool. Runtime dependencies only, held to the
# versions in requirements.lock. The tooling (evaluation/, bench/: `newsflow eval`, `newsflow bench`) is
# left out; those commands say so in one line.
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
COPY prefect.yaml ./prefect.yaml
RUN pip install --constraint requirements.lock .

RUN useradd --create-home --uid 10001 newsflow
USER newsflow

CMD ["newsflow", "serve"]
