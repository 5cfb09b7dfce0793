package store

import (
	"context"
	"fmt"
)

// Setting returns the value of setting key and whether it is set.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if isNoRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting sets setting key to value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	defer tx.Rollback()
	ts := stamp(s.now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
		WHERE value <> excluded.value`, key, value, ts, ts); err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}
