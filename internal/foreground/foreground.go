// Package foreground lets an open window come to the front when it is
// asked for again (a tray click, a second launch, a button in another
// window). Linux window managers do this on the _NET_ACTIVE_WINDOW request
// Fyne already sends, also for a minimised window. Windows does not: a
// minimised window stays on the taskbar unless it is restored, and a
// process may only take the foreground when the process the user just
// clicked (the one asking) allows it, so both sides have a part here.
package foreground
