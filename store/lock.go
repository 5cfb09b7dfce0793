package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrLocked is returned (wrapped) by Open when another Carebook (a window, `carebook import`,
// `carebook demo`) has the book open for writing. Read-only opens (OpenReadOnly) are not
// refused.
var ErrLocked = errors.New("the book is already open in another Carebook")

// bookLock keeps a book to one writer: an exclusive lock on PATH.lock, taken by Open and held
// until Close. The operating system releases it when the process ends, however it ends (a
// crash, kill -9), so a stale lock never blocks the next Carebook.
type bookLock struct {
	path string
	f    *os.File
}

// lockPath is the lock file of the book at abs: beside the file itself, when abs goes through
// symbolic links, so that two paths to one book share one lock.
func lockPath(abs string) string {
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(dir, filepath.Base(abs)) // a new book: its folder's links
	}
	return abs + ".lock"
}

// lockBook takes the lock of the book at abs without waiting: ErrLocked when another process
// (or another Store of this process) holds it.
func lockBook(abs string) (*bookLock, error) {
	p := lockPath(abs)
	f, err := tryLock(p)
	if err != nil {
		if errors.Is(err, ErrLocked) {
			return nil, err
		}
		return nil, fmt.Errorf("lock %s: %w", p, classifyOS(err))
	}
	return &bookLock{path: p, f: f}, nil
}

// release removes the lock file and releases the lock (in that order, so that a process waiting
// on the old file notices that it was removed; see tryLock).
func (l *bookLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlock(l.path, l.f)
	l.f = nil
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}
