// Package autostart turns "start Pantau e-Faktur at login" on and off:
// an XDG autostart entry on Linux, the HKCU Run key on Windows, a
// LaunchAgent on macOS. The contents are made here, for every platform, so
// they are tested everywhere; the platform files only write them.
package autostart

import (
	"fmt"
	"strings"

	"pantau-efaktur/internal/version"
	"pantau-efaktur/settings"
)

// Name is the entry's name (the Run value on Windows).
const Name = version.AppName

// FileName is the XDG autostart file name and the LaunchAgent label base.
const FileName = version.AppID

// RunKey is the Windows registry key, under HKEY_CURRENT_USER.
const RunKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// DesktopEntry is the XDG autostart file that starts exe at login.
func DesktopEntry(exe string) string {
	return strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=" + Name,
		"GenericName=e-Faktur server monitor",
		"Comment=Memantau server e-Faktur DJP dari tray / Watches DJP's e-Faktur server from the tray",
		"Exec=" + desktopQuote(exe),
		"Icon=" + FileName,
		"Terminal=false",
		"Categories=Office;Finance;Network;",
		"X-GNOME-Autostart-enabled=true",
		"X-GNOME-Autostart-Delay=5",
		"",
	}, "\n")
}

// desktopQuote quotes an Exec argument as the Desktop Entry spec asks.
func desktopQuote(arg string) string {
	if !strings.ContainsAny(arg, " \t\n\"'\\><~|&;$*?#()`%") {
		return arg
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", `$`, `\\$`, `%`, `%%`)
	return `"` + r.Replace(arg) + `"`
}

// RunCommand is the Windows Run value: the quoted program path (a path
// with spaces, such as C:\Program Files, must be quoted).
func RunCommand(exe string) string { return `"` + exe + `"` }

// LaunchAgentPlist is the macOS LaunchAgent that starts exe at login.
func LaunchAgentPlist(exe string) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>%s</string>
	<key>ProgramArguments</key>
	<array>
		<string>%s</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`, FileName, esc(exe))
}

// Adopt makes s.Autostart the login entry's actual state when the settings
// file does not say (rep.AutostartUnset): an entry the Windows installer
// made is kept, and the settings window shows it ticked.
func Adopt(s *settings.Settings, rep settings.LoadReport) {
	if !rep.AutostartUnset {
		return
	}
	if on, err := Enabled(); err == nil {
		s.Autostart = on
	}
}
