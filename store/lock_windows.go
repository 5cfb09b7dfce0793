//go:build windows

package store

import (
	"errors"
	"os"
	"syscall"
)

// fileFlagDeleteOnClose removes the file when its last handle closes (FILE_FLAG_DELETE_ON_CLOSE).
const fileFlagDeleteOnClose = 0x04000000

// errorSharingViolation is ERROR_SHARING_VIOLATION: another handle has the file without sharing.
const errorSharingViolation syscall.Errno = 32

// tryLock creates (or opens) the lock file at p without sharing it: while the handle is open no
// other process can open the file, and Windows closes the handle, removing the file, when the
// process ends, however it ends.
func tryLock(p string) (*os.File, error) {
	name, err := syscall.UTF16PtrFromString(p)
	if err != nil {
		return nil, err
	}
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL|fileFlagDeleteOnClose, 0)
	if err != nil {
		if errors.Is(err, errorSharingViolation) {
			return nil, ErrLocked
		}
		return nil, &os.PathError{Op: "open", Path: p, Err: err}
	}
	return os.NewFile(uintptr(h), p), nil
}

// unlock closes the handle, which removes the file and releases the lock.
func unlock(_ string, f *os.File) error { return f.Close() }

// writable reports whether this process may write the file at p (a folder: always, as Windows
// folders have no read-only permission that stops creating files).
func writable(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	return fi.IsDir() || fi.Mode().Perm()&0o200 != 0
}
