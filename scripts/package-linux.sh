#!/usr/bin/env bash
# package-linux.sh — the Linux tarball: `fyne package -os linux` (desktop
# entry, icon, install Makefile) around the agent, plus the window program
# that the agent starts (pantau-efaktur-window), then a check of the result.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
fyne=$2
[ -x bin/pantau-efaktur ] && [ -x bin/pantau-efaktur-window ] || { echo "run make build first"; exit 1; }
work=$(mktemp -d)
# fyne package counts its builds in FyneApp.toml; packaging must not leave
# the checkout changed.
cp FyneApp.toml "$work/FyneApp.toml.orig"
trap 'cp "$work/FyneApp.toml.orig" FyneApp.toml; rm -rf "$work"' EXIT
"$fyne" package -os linux --release --exe bin/pantau-efaktur
tar -xJf "Pantau e-Faktur.tar.xz" -C "$work"
rm "Pantau e-Faktur.tar.xz"
root="$work/pantau-efaktur"
install -m 0755 bin/pantau-efaktur-window "$root/usr/local/bin/pantau-efaktur-window"
# fyne's install Makefile knows one program; teach it the second one.
sed -i \
	-e '/^install:/a\	install -Dm00755 usr/local/bin/pantau-efaktur-window $(DESTDIR)$(PREFIX)/bin/pantau-efaktur-window' \
	-e '/^uninstall:/a\	-rm $(DESTDIR)$(PREFIX)/bin/pantau-efaktur-window' \
	-e '/^user-install:/a\	install -Dm00755 usr/local/bin/pantau-efaktur-window $(DESTDIR)$(HOME)/.local/bin/pantau-efaktur-window' \
	-e '/^user-uninstall:/a\	-rm $(DESTDIR)$(HOME)/.local/bin/pantau-efaktur-window' \
	"$root/Makefile"
mkdir -p dist
out="dist/pantau-efaktur-$version-linux-$(go env GOARCH).tar.xz"
tar -cJf "$out" -C "$work" pantau-efaktur
# Check: both programs, the desktop entry and the icon are there.
list=$(tar -tJf "$out")
for f in usr/local/bin/pantau-efaktur usr/local/bin/pantau-efaktur-window \
	usr/local/share/applications/id.pantau.efaktur.desktop usr/local/share/pixmaps/id.pantau.efaktur.png Makefile; do
	grep -qx "pantau-efaktur/$f" <<<"$list" || { echo "$out lacks $f"; exit 1; }
done
tar -xJOf "$out" pantau-efaktur/usr/local/share/applications/id.pantau.efaktur.desktop | grep -qx 'Exec=pantau-efaktur' \
	|| { echo "$out: the desktop entry does not start pantau-efaktur"; exit 1; }
echo "$out"
