# Local Kafka (KRaft) and SeaweedFS S3 for development and tests; included from the top Makefile.
# The logic is in infra/devservices (CLI: infra/services.py), shared with the pytest fixtures.
#   make services          install (cached), start both, create topics + bucket, write .env.services
#   make services-down     stop what `make services` started (by pid file under .services/)
#   make services-install  fetch the Kafka jars (Maven) and build weed (Go) only; skipped when cached
#   make services-status   say which of the two answer
SERVICES_PY = $(if $(wildcard $(BIN)/python),$(BIN)/python,python3) infra/services.py

.PHONY: services services-down services-install services-status

services-install:
	$(SERVICES_PY) install

services: install services-install
	$(SERVICES_PY) up

services-down:
	$(SERVICES_PY) down

services-status: install
	$(SERVICES_PY) status
