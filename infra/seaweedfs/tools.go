//go:build tools

// Package tools records the SeaweedFS command as a dependency so `go mod tidy` keeps it.
package tools

import _ "github.com/seaweedfs/seaweedfs/weed"
