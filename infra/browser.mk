# Headless Chromium for the browser test (tests/browser): Debian's own packages, never a browser
# downloaded by a test tool. Included by the Makefile; `make test` depends on browser-install.
# Installs only what is missing; fonts-liberation is named because the UI screenshots need a font.
CHROMIUM_BIN ?= /usr/bin/chromium
CHROMEDRIVER_BIN ?= /usr/bin/chromedriver
BROWSER_PACKAGES := chromium chromium-driver fonts-liberation
APT_AS_ROOT := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: browser-install

browser-install:
	@if [ -x $(CHROMIUM_BIN) ] && [ -x $(CHROMEDRIVER_BIN) ]; then \
	  echo "browser-install: $$($(CHROMIUM_BIN) --version 2>/dev/null || echo chromium) present"; \
	elif ! command -v apt-get >/dev/null; then \
	  echo "browser-install: no apt-get here; install Debian chromium and chromium-driver, or" \
	    "put them at $(CHROMIUM_BIN) and $(CHROMEDRIVER_BIN)" >&2; exit 1; \
	else \
	  $(APT_AS_ROOT) apt-get update -q && \
	  $(APT_AS_ROOT) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $(BROWSER_PACKAGES); \
	fi
