//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// tryLock opens (creating) the lock file at p and takes an exclusive advisory lock (flock) on
// it without waiting. flock locks belong to the open file, so a second Store of the same process
// is refused too, and the kernel releases them when the process dies.
func tryLock(p string) (*os.File, error) {
	for {
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, err
		}
		if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			if errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) {
				// A file system without locks (some network shares): the book still opens,
				// unguarded, rather than not at all.
				return f, nil
			}
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, ErrLocked
			}
			return nil, err
		}
		// The holder removes the file before releasing the lock: if the path no longer names the
		// file locked, it was removed meanwhile; lock the new one.
		var held, now syscall.Stat_t
		if err := syscall.Fstat(int(f.Fd()), &held); err != nil {
			f.Close()
			return nil, err
		}
		if err := syscall.Stat(p, &now); err == nil && now.Dev == held.Dev && now.Ino == held.Ino {
			return f, nil
		}
		f.Close()
	}
}

// flock retries the call when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// unlock removes the lock file and releases the lock.
func unlock(p string, f *os.File) error {
	rmErr := os.Remove(p)
	if errors.Is(rmErr, os.ErrNotExist) {
		rmErr = nil
	}
	closeErr := f.Close() // releases the flock
	return errors.Join(rmErr, closeErr)
}

// writable reports whether this process may write the file or folder at p.
func writable(p string) bool {
	return syscall.Access(p, 2 /* W_OK */) == nil
}
