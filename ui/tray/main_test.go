package tray_test

import (
	"testing"

	"pantau-efaktur/internal/testbin"
)

func TestMain(m *testing.M) { testbin.Main(m) }
