package imports

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"carebook/crm"
	"carebook/store"
	"carebook/store/csvfile"
	"carebook/store/vcard"
	"carebook/store/xlsx"
)

// Importer reads the files a user brings (Carebook workbooks and other .xlsx, CSV, vCard) and
// writes what they hold into a book: the pieces the import window and `carebook import` share.
type Importer struct {
	// Lang names the fields a column can be mapped to.
	Lang xlsx.Lang
	// Consume lets Apply's import work on the batch's cards instead of copies
	// (store.ImportOptions.Consume): for a caller that does not read them after (carebook import,
	// which shows no preview).
	Consume bool
}

// Read reads the files, in order, into tables (a workbook gives one per sheet), each with its
// header found under a title row (FindHeader). progress, if not nil, is told the files done out
// of all of them or, for a single workbook, its rows.
func (im Importer) Read(ctx context.Context, paths []string, progress func(done, total int64)) ([]crm.ImportTable, error) {
	var out []crm.ImportTable
	for i, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var sub func(done, total int64)
		if progress != nil {
			if len(paths) == 1 {
				sub = progress
			} else {
				progress(int64(i), int64(len(paths)))
			}
		}
		ts, err := ReadFile(ctx, p, sub)
		if err != nil {
			return nil, err
		}
		for i := range ts {
			FindHeader(&ts[i])
		}
		out = append(out, ts...)
	}
	if progress != nil && len(paths) > 1 {
		progress(int64(len(paths)), int64(len(paths)))
	}
	return out, nil
}

// ReadFile reads one file by its extension: .xlsx/.xlsm a workbook, .csv/.txt/.tsv a CSV file,
// .vcf/.vcard a vCard file (one table of customers).
func ReadFile(ctx context.Context, path string, progress func(done, total int64)) ([]crm.ImportTable, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return xlsx.Read(ctx, path, progress)
	case ".csv", ".txt", ".tsv":
		t, err := csvfile.Read(ctx, path)
		if err != nil {
			return nil, err
		}
		return []crm.ImportTable{t}, nil
	case ".vcf", ".vcard":
		t, err := vcard.Read(ctx, path)
		if err != nil {
			return nil, err
		}
		return []crm.ImportTable{t}, nil
	}
	return nil, &crm.ImportFileError{File: filepath.Base(path), Key: "import.err_type",
		Args: map[string]any{"File": filepath.Base(path)}, Err: errors.New("unknown file type")}
}

// Guess proposes how a table is read (see the package function Guess).
func (im Importer) Guess(t *crm.ImportTable) crm.ImportMapping { return Guess(t) }

// Fields lists the fields a column of kind may be mapped to, named in the importer's language.
func (im Importer) Fields(kind crm.ImportKind) []crm.ImportColumn { return Fields(kind, im.Lang) }

// Convert turns the tables into a batch (see the package function Convert).
func (im Importer) Convert(tables []crm.ImportTable, mappings []crm.ImportMapping, today crm.Date) *crm.ImportBatch {
	return Convert(tables, mappings, today)
}

// Apply resolves the batch against the book and, unless dryRun, writes it in one transaction.
func (im Importer) Apply(ctx context.Context, s *store.Store, b *crm.ImportBatch, dryRun bool, progress func(done, total int)) error {
	if err := s.Import(ctx, b, store.ImportOptions{DryRun: dryRun, Progress: progress, Consume: im.Consume}); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// Prepare reads the files, guesses every mapping and converts them: the batch an import would
// write, before Apply, with no preview to show — its tables keep only the columns Apply reads
// (store.ImportColumnsRead), which leaves room for the import.
func (im Importer) Prepare(ctx context.Context, paths []string, today crm.Date) (*crm.ImportBatch, error) {
	tables, err := im.Read(ctx, paths, nil)
	if err != nil {
		return nil, err
	}
	mappings := make([]crm.ImportMapping, len(tables))
	for i := range tables {
		mappings[i] = Guess(&tables[i])
	}
	return convert(tables, mappings, today, true), nil
}

// GuessAs proposes how table t is read as kind (see the package function GuessAs).
func (im Importer) GuessAs(t *crm.ImportTable, kind crm.ImportKind) crm.ImportMapping {
	return GuessAs(t, kind)
}
