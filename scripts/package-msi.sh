#!/usr/bin/env bash
# package-msi.sh — the per-user Windows installer: wixl (msitools) builds
# packaging/windows/pantau-efaktur.wxs around the program `make windows`
# packaged, then msicheck reads it back and checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
exe="dist/pantau-efaktur-$version-windows-amd64.exe"
msi="dist/pantau-efaktur-$version-windows-amd64.msi"
[ -f "$exe" ] || { echo "$exe is missing: run make windows first"; exit 1; }
code=$(go run ./internal/tools/msicheck -product-code "$version")
# wixl finds files relative to the working directory, so paths stay relative.
wixl --arch x64 -D Version="$version" -D ProductCode="$code" -D Exe="$exe" -D Icon=assets/icons/app.ico \
	-o "$msi" packaging/windows/pantau-efaktur.wxs 2> >(grep -v 'builder.vala.*unimplemented' >&2)
go run ./internal/tools/msicheck -version "$version" "$msi"
