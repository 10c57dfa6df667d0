package window

import (
	"image/color"
	"pantau-efaktur/assets"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// Badge is the big coloured level sign at the top of the status window:
// colour, glyph and words, so it reads without colour too.
type Badge struct {
	box   *fyne.Container
	bg    *canvas.Rectangle
	icon  *canvas.Image
	word  *canvas.Text
	since *canvas.Text
}

func newBadge() *Badge {
	b := &Badge{bg: canvas.NewRectangle(colOffline), word: canvas.NewText("", colWhite), since: canvas.NewText("", colWhite)}
	b.bg.CornerRadius = 12
	b.word.TextSize = 30
	b.word.TextStyle = fyne.TextStyle{Bold: true}
	b.since.TextSize = 15
	b.icon = canvas.NewImageFromResource(nil)
	b.icon.SetMinSize(fyne.NewSize(56, 56))
	b.icon.FillMode = canvas.ImageFillContain
	text := container.NewVBox(b.word, b.since)
	b.box = container.NewStack(b.bg, container.NewPadded(container.NewHBox(b.icon, container.NewCenter(text))))
	return b
}

// BadgeLook is what the badge shows for a state.
type BadgeLook struct {
	Icon  string // icon name (as the tray)
	Word  string // ONLINE / TERGANGGU / DOWN / PC OFFLINE / …
	Fill  fyne.ThemeColorName
	Color [4]uint8
	Ink   [4]uint8 // text colour: dark on yellow, white elsewhere
	// Rechecking: Word says "re-checking" instead of the confirmed level,
	// so the since line has to name the level its time belongs to.
	Rechecking bool
}

// LookFor decides the badge for a target state.
func LookFor(tr *i18n.Translator, t ipc.TargetState, connected bool) BadgeLook {
	if !connected {
		return BadgeLook{Icon: "unknown", Word: tr.T("win.agent_away_short"), Color: rgba(colOffline), Ink: rgba(colWhite)}
	}
	level := t.Level
	icon := string(monitor.ShownLevel(level, t.Rechecking))
	look := BadgeLook{Icon: icon, Word: tr.Level(level), Ink: rgba(colWhite)}
	switch icon {
	case "up":
		look.Color = rgba(colUp)
	case "degraded":
		look.Color, look.Ink = rgba(colDegraded), rgba(colInk)
		if t.Rechecking && level != probe.LevelDegraded {
			look.Word, look.Rechecking = tr.T("win.rechecking_word"), true
		}
	case "down":
		look.Color = rgba(colDown)
	default:
		look.Color = rgba(colOffline)
	}
	return look
}

func rgba(c interface{ RGBA() (r, g, b, a uint32) }) [4]uint8 {
	r, g, b, a := c.RGBA()
	return [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func (b *Badge) set(look BadgeLook, since string) {
	b.bg.FillColor = toColor(look.Color)
	b.bg.Refresh()
	b.word.Text = look.Word
	b.word.Color = toColor(look.Ink)
	b.word.Refresh()
	b.since.Text = since
	b.since.Color = toColor(look.Ink)
	b.since.Refresh()
	if data, err := assets.LevelPNG(look.Icon, 64); err == nil {
		b.icon.Resource = fyne.NewStaticResource(look.Icon+".png", data)
		b.icon.Refresh()
	}
}

// sinceLine is the line under the badge word: since when the confirmed
// level holds. Under "RE-CHECKING" it names that level, or "since 10:19
// (23 min)" would read as re-checking for 23 minutes.
func sinceLine(tr *i18n.Translator, p ipc.TargetState, look BadgeLook, connected bool, now time.Time) string {
	if !connected || p.Since.IsZero() {
		return ""
	}
	args := map[string]any{"Time": tr.Clock(p.Since, now), "Duration": tr.Duration(now.Sub(p.Since))}
	if look.Rechecking {
		args["Level"] = tr.Level(p.Level)
		return tr.T("status.level_since", args)
	}
	return tr.T("status.since", args)
}

func toColor(c [4]uint8) color.NRGBA { return color.NRGBA{R: c[0], G: c[1], B: c[2], A: c[3]} }
