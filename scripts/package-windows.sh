#!/usr/bin/env bash
# package-windows.sh — the Windows program, cross-compiled with mingw:
# `fyne package -os windows` gives a GUI executable (no console window) with
# the icon and version information; pecheck verifies exactly that.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
fyne=$2
# fyne package counts its builds in FyneApp.toml; packaging must not leave
# the checkout changed.
orig=$(mktemp)
cp FyneApp.toml "$orig"
trap 'cp "$orig" FyneApp.toml; rm -f "$orig"' EXIT
export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
"$fyne" package -os windows --release
unset GOOS GOARCH CC
mkdir -p dist
out="dist/pantau-efaktur-$version-windows-amd64.exe"
mv "Pantau e-Faktur.exe" "$out"
go run ./internal/tools/pecheck "$out"
