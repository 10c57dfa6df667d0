//go:build windows

package monitor

import (
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Go's monotonic clock on Windows keeps counting while the PC sleeps, so a
// sleep would move wall and monotonic time together and go unseen: the
// first check after resume, before Wi-Fi is back, would count as a failure
// of DJP. QueryUnbiasedInterruptTime counts only awake time, like Linux's
// CLOCK_MONOTONIC, so the wall clock running ahead of it shows the sleep.
var procQueryUnbiasedInterruptTime = windows.NewLazySystemDLL("kernel32.dll").NewProc("QueryUnbiasedInterruptTime")

func init() { awakeTime = unbiasedInterruptTime }

func unbiasedInterruptTime() (time.Duration, bool) {
	if procQueryUnbiasedInterruptTime.Find() != nil {
		return 0, false
	}
	var t uint64 // in 100 ns units
	if r, _, _ := procQueryUnbiasedInterruptTime.Call(uintptr(unsafe.Pointer(&t))); r == 0 {
		return 0, false
	}
	return time.Duration(t) * 100, true
}
