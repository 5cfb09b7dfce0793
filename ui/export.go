package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"carebook/assets/i18n"
	"carebook/crm"
)

// exportRun is an export in progress: its progress bar and cancel button.
type exportRun struct {
	path   string
	label  *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	dlg    *dialog.CustomDialog
	stop   context.CancelFunc
	err    error // the outcome, once done
	done   bool
}

// onExport (Ctrl+E) asks where to write the workbook, then exports the records and purchases in
// the record sheet's date range.
func (w *Window) onExport() {
	if w.opts.Export == nil || w.exporting != nil && !w.exporting.done {
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		_ = wc.Close()
		w.runExport(path)
	}, w.win)
	d.SetFileName(i18n.T("export.file_name", "Date", w.today().String()) + ".xlsx")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	d.SetConfirmText(i18n.T("export.confirm"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// runExport writes the workbook to path off the UI goroutine, with progress and cancel.
func (w *Window) runExport(path string) *exportRun {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		path += ".xlsx"
	}
	var from, to crm.Date
	if w.records != nil {
		from, to = w.records.query.From, w.records.query.To
	}
	ctx, stop := context.WithCancel(context.Background())
	run := &exportRun{path: path, stop: stop}
	run.label = widget.NewLabel(i18n.T("export.writing", "Path", path))
	run.label.Wrapping = fyne.TextWrapBreak
	run.bar = widget.NewProgressBar()
	run.cancel = widget.NewButton(i18n.T("common.cancel"), func() {
		run.cancel.Disable()
		run.label.SetText(i18n.T("export.cancelling"))
		stop()
	})
	run.dlg = dialog.NewCustomWithoutButtons(i18n.T("export.title"),
		container.NewVBox(run.label, run.bar, container.NewCenter(run.cancel)), w.win)
	run.dlg.Resize(fyne.NewSize(520, 180))
	run.dlg.Show()
	w.exporting = run

	book, export := w.book, w.opts.Export
	w.async(func() func() {
		err := export(ctx, book, path, from, to, func(done, total int) {
			fyne.Do(func() {
				if total > 0 {
					run.bar.SetValue(float64(done) / float64(total))
				}
			})
		})
		stop()
		return func() {
			run.done, run.err = true, err
			run.dlg.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				dialog.ShowInformation(i18n.T("export.title"), i18n.T("export.cancelled"), w.win)
			case err != nil:
				dialog.ShowInformation(i18n.T("export.title"), i18n.T("export.failed", "Error", err), w.win)
			default:
				dialog.ShowInformation(i18n.T("export.title"), i18n.T("export.done", "Path", path), w.win)
			}
		}
	})
	return run
}
