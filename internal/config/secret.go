package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SecretKeyFile is the file in the data directory that keeps local mode's generated key.
const SecretKeyFile = "secret_key"

// EnsureSecretKey fills cfg.SecretKey in local mode when none was given: it reads the key kept in
// the data directory, or generates one and keeps it there (mode 0600). It reports whether a new
// key was generated so the caller can warn. Production mode never generates a key.
func EnsureSecretKey(cfg *Config) (generated bool, err error) {
	if cfg.SecretKey != "" || cfg.Production() {
		return false, nil
	}
	path := filepath.Join(cfg.DataDir, SecretKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		if key := strings.TrimSpace(string(b)); key != "" {
			cfg.SecretKey = key
			return false, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("read secret key: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return false, fmt.Errorf("create data directory: %w", err)
	}
	buf := make([]byte, 48)
	if _, err := rand.Read(buf); err != nil {
		return false, err
	}
	key := base64.RawURLEncoding.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return false, fmt.Errorf("keep secret key: %w", err)
	}
	cfg.SecretKey = key
	return true, nil
}
