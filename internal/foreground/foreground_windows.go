//go:build windows

package foreground

import "golang.org/x/sys/windows"

var (
	user32                       = windows.NewLazySystemDLL("user32.dll")
	procAllowSetForegroundWindow = user32.NewProc("AllowSetForegroundWindow")
	procIsIconic                 = user32.NewProc("IsIconic")
	procShowWindow               = user32.NewProc("ShowWindow")
	procSetForegroundWindow      = user32.NewProc("SetForegroundWindow")
)

// asfwAny is ASFW_ANY, (DWORD)-1: any process may take the foreground.
const asfwAny = ^uint32(0)

// Allow hands this process's right to the foreground on to whichever
// process comes forward next: called by the asking side, which holds the
// right while the user's click is the last input. It fails silently when
// this process does not hold it.
func Allow() {
	if procAllowSetForegroundWindow.Find() == nil {
		_, _, _ = procAllowSetForegroundWindow.Call(uintptr(asfwAny))
	}
}

// Restore brings window hwnd back from the taskbar if it is minimised and
// makes it the foreground window.
func Restore(hwnd uintptr) {
	if hwnd == 0 || procIsIconic.Find() != nil || procShowWindow.Find() != nil || procSetForegroundWindow.Find() != nil {
		return
	}
	if minimised, _, _ := procIsIconic.Call(hwnd); minimised != 0 {
		_, _, _ = procShowWindow.Call(hwnd, windows.SW_RESTORE)
	}
	_, _, _ = procSetForegroundWindow.Call(hwnd)
}
