# Pantau e-Faktur — the two commands a newcomer runs are `make run` and
# `make test`; both install what is missing (Debian/Ubuntu, apt) first.

SHELL       := /bin/bash
export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
export LANG := en_US.UTF-8

VERSION     ?= $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml 2>/dev/null | head -1)
COMMIT      ?= $(shell git rev-parse --short HEAD 2>/dev/null)
LDFLAGS     := -s -w -X pantau-efaktur/internal/version.Version=$(or $(VERSION),dev) -X pantau-efaktur/internal/version.Commit=$(COMMIT)
BIN         := bin/pantau-efaktur
WINBIN      := bin/pantau-efaktur-window
SUDO        := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
FUZZTIME    ?= 10s

# System packages, by purpose. Only the missing ones are installed.
# Fyne (the windows) needs cgo with OpenGL and X11 headers.
APT_BUILD   := gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev
# The end-to-end tests run the agent on a private D-Bus and the windows on Xvfb.
# (openbox: a window manager on Xvfb, so focus and the close button behave.)
APT_TEST    := $(APT_BUILD) dbus xvfb openbox wmctrl xdotool imagemagick curl $(APT_WINE) $(APT_MSI)

FYNE_TOOLS  := fyne.io/tools/cmd/fyne@v1.7.4
FYNE        := $(shell go env GOPATH 2>/dev/null)/bin/fyne
APT_WINDOWS := gcc-mingw-w64-x86-64
# The Windows side runs under Wine in `make test` (internal/winetest).
APT_WINE    := wine wine64 $(APT_WINDOWS)
# The per-user installer is built with wixl and read back with msiinfo.
APT_MSI     := wixl msitools
WINEXE      := dist/pantau-efaktur-$(VERSION)-windows-amd64.exe

.PHONY: all deps build run demo test test-unit fuzz lint bench clean windows msi package-linux tools

all: build

# deps installs the listed Debian packages that are not installed yet.
deps = @missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

deps-build:
	$(call deps,$(APT_BUILD))
	@command -v go >/dev/null || { echo "Go is missing: install Go 1.26 from https://go.dev/dl/"; exit 1; }

deps-test:
	$(call deps,$(APT_TEST))
	@command -v go >/dev/null || { echo "Go is missing: install Go 1.26 from https://go.dev/dl/"; exit 1; }

# Two programs on Linux: the agent and command line (no OpenGL, no X11 libraries
# needed), and the Fyne windows it starts on demand (`pantau-efaktur window`).
build: deps-build
	go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .
	go build -trimpath -ldflags '$(LDFLAGS)' -o $(WINBIN) ./cmd/pantau-efaktur-window

run: build
	./$(BIN)

demo: build
	./$(BIN) --demo

lint:
	@unformatted=$$(gofmt -l .); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...

# PANTAU_REQUIRE_E2E turns "tool missing, skipped" into a failure: here the
# tools were just installed, so a skip would hide a broken test. -p 1: the
# end-to-end tests (a software-rendered GL window, the agent's one-second
# "check now" promise) must not compete with each other for the CPU.
# PANTAU_WINDOWS_EXE: under `make test` the Windows end-to-end test runs the
# program `make windows` just packaged, the one users get (alone, `make
# test-unit` lets the test build one).
test-unit:
	PANTAU_REQUIRE_E2E=1 PANTAU_WINDOWS_EXE=$(WINDOWS_EXE) go test -race -count=1 -p 1 -timeout 20m ./...

# Everything a hostile server sends, and a damaged settings or history
# file holds, goes through these. `make test` runs their seed corpora (as
# every test run does); the timed fuzzing is here, apart, so that a slow
# disk can never turn it into a failing `make test`.
fuzz:
	go test -run XXX -fuzz '^FuzzClassify$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./probe/
	go test -run XXX -fuzz '^FuzzPageTitle$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./probe/
	go test -run XXX -fuzz '^FuzzParseSettings$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./settings/
	go test -run XXX -fuzz '^FuzzParseHistory$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./history/

test: WINDOWS_EXE = $(CURDIR)/$(WINEXE)
test: deps-test lint windows test-unit

bench: build
	scripts/bench.sh

tools:
	@[ -x $(FYNE) ] || go install $(FYNE_TOOLS)

# The Linux tarball (fyne package: .desktop entry, icon, install Makefile).
package-linux: build tools
	scripts/package-linux.sh $(VERSION) $(FYNE)
	scripts/checksums.sh $(VERSION)

# The Windows program, cross-compiled with mingw and packaged with fyne
# (GUI subsystem, icon, version information), checked with pecheck.
windows: deps-build tools
	$(call deps,$(APT_WINDOWS))
	scripts/package-windows.sh $(VERSION) $(FYNE)
	scripts/checksums.sh $(VERSION)

# The per-user installer (wixl, packaging/windows/), checked with msicheck.
msi: windows
	$(call deps,$(APT_MSI))
	scripts/package-msi.sh $(VERSION)
	scripts/checksums.sh $(VERSION)

clean:
	rm -rf bin dist
