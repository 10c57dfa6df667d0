//go:build !windows

package foreground

// Allow does nothing here: the window manager decides on its own.
func Allow() {}

// Restore does nothing here: Fyne's focus request restores the window.
func Restore(hwnd uintptr) {}
