package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step: migrations/NNNN_what.sql brings the book to schema NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

func embeddedMigrations() ([]migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return loadMigrations(sub)
}

// loadMigrations reads the *.sql files of fsys; their numbers must run 1, 2, 3… without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	var migs []migration
	for _, name := range names {
		num, _, ok := strings.Cut(path.Base(name), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("load migrations: %s: name must be NNNN_what.sql", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load migrations: %w", err)
		}
		migs = append(migs, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].version < migs[j].version })
	for i, m := range migs {
		if m.version != i+1 {
			return nil, fmt.Errorf("load migrations: %s: expected schema %d", m.name, i+1)
		}
	}
	if len(migs) == 0 {
		return nil, errors.New("load migrations: none")
	}
	return migs, nil
}

// migrate brings the book to the newest schema: every pending migration in one transaction,
// together with the application id and the new user_version. An existing book is first copied
// to PATH.schemaN.bak (N its current schema) so that a failed or regretted upgrade can be undone.
func (s *Store) migrate(ctx context.Context, migs []migration) error {
	known := len(migs)
	var current int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > known {
		return &NewerVersionError{Book: current, Known: known}
	}
	if current == known {
		s.version = current
		return nil
	}
	if current > 0 {
		if err := s.backupBeforeMigration(ctx, current); err != nil {
			return err
		}
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	// Read again under the write lock: another process may have migrated meanwhile.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if current > known {
		return &NewerVersionError{Book: current, Known: known}
	}
	for _, m := range migs[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate to schema %d (%s): %w", m.version, m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", known)); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	s.version = known
	return nil
}

// backupBeforeMigration writes a consistent copy of the book (copyPages) beside it.
func (s *Store) backupBeforeMigration(ctx context.Context, version int) error {
	dst := fmt.Sprintf("%s.schema%d.bak", s.path, version)
	tmp := dst + ".tmp"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup before migration: %w", err)
	}
	if err := copyPages(ctx, s.db, tmp); err != nil {
		os.Remove(tmp)
		os.Remove(tmp + "-journal")
		return fmt.Errorf("backup before migration to %s: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("backup before migration: %w", err)
	}
	return nil
}

// SchemaVersion is the schema version this Carebook writes: the number of its migrations.
func SchemaVersion() int {
	migs, err := embeddedMigrations()
	if err != nil {
		return 0
	}
	return len(migs)
}
